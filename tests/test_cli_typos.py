"""`sijill WORD`: a mistyped command or a missing project says so and exits; no window opens."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import sijill.desktop.shell.startup as desktop_gui
from sijill.db.store.project import Project
from sijill.desktop.cli.main import COMMANDS, run


@pytest.fixture
def opened(monkeypatch) -> list:
    """The paths the desktop app was asked to open (nothing is shown)."""
    calls: list = []
    monkeypatch.setattr(desktop_gui, "run_gui", lambda path: calls.append(path) or 0)
    return calls


def call(capsys, *args: str):
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("typed, meant", [("stast", "stats"), ("serch", "search"), ("grup", "group"),
                                          ("parse_date", "parse-date"), ("expor", "export"),
                                          ("imprt", "import"), ("screenshots", "screenshot"),
                                          ("evidense", "evidence"), ("inti", "init")])
def test_a_mistyped_command_suggests_the_right_one(capsys, opened, tmp_path, monkeypatch, typed, meant):
    monkeypatch.chdir(tmp_path)
    Project.create(tmp_path / "demo.sijill").close()
    code, out, err = call(capsys, typed, "demo.sijill")
    assert (code, out, opened) == (2, "", [])
    assert err == f"sijill: unknown command '{typed}' — did you mean '{meant}'?\n"
    assert meant in COMMANDS


def test_an_unknown_word_lists_the_commands(capsys, opened, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = call(capsys, "frobnicate")
    assert (code, out, opened) == (2, "", [])
    assert err.startswith("sijill: unknown command 'frobnicate' — commands: init, parse-date,")
    assert "sijill PATH opens a project" in err


@pytest.mark.parametrize("path", ["missing.sijill", "nowhere/demo.sijill", "demo.sijil", "./stats"])
def test_a_missing_project_is_not_created_and_opens_nothing(capsys, opened, tmp_path, monkeypatch, path):
    monkeypatch.chdir(tmp_path)
    code, out, err = call(capsys, path)
    assert (code, out, opened) == (1, "", [])
    assert err == f"sijill: no such project '{path}' (sijill init PATH creates one)\n"
    assert list(tmp_path.iterdir()) == []


def test_an_existing_project_still_opens(capsys, opened, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Project.create(tmp_path / "demo.sijill").close()
    assert call(capsys, "demo.sijill") == (0, "", "")
    assert call(capsys, str(tmp_path / "demo.sijill")) == (0, "", "")
    assert [str(p) for p in opened] == ["demo.sijill", str(tmp_path / "demo.sijill")]


def test_an_existing_file_named_like_a_typo_is_opened(capsys, opened, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Project.create(tmp_path / "stast").close()
    assert call(capsys, "stast")[0] == 0
    assert [str(p) for p in opened] == ["stast"]


def test_no_argument_opens_the_default_project_and_commands_still_run(capsys, opened, tmp_path):
    assert call(capsys)[0] == 0 and opened == [None]
    Project.create(tmp_path / "p.sijill").close()
    code, out, _ = call(capsys, "stats", str(tmp_path / "p.sijill"))
    assert code == 0 and "events" in out and opened == [None]


def test_typo_as_a_subprocess_exits_promptly_without_a_window(tmp_path):
    Project.create(tmp_path / "demo.sijill").close()
    root = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",  # a window would run its event loop until killed
           "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "sijill.desktop.app", "stast", "demo.sijill"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (2, "")
    assert "sijill: unknown command 'stast' — did you mean 'stats'?" in done.stderr
    assert time.monotonic() - started < 30
