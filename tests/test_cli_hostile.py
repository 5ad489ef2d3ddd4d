"""No traceback reaches a user of the command line: a closed pipe, Ctrl+C, input that makes
parsers raise, and a bug end in one line (or none) and an exit code."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sijill.desktop.cli import main as cli
from sijill.desktop.cli.main import run

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def demo(tmp_path) -> Path:
    path = tmp_path / "demo.sijill"
    assert run(["init", str(path), "--demo"]) == 0
    return path


def _sijill(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "sijill.desktop.app", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def test_a_reader_that_closed_the_pipe_ends_the_command_quietly(demo):
    """`sijill stats p.sijill | head -1` where head is gone before anything is written."""
    proc = _sijill("stats", str(demo))
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert err == ""  # no "Broken pipe", no "Exception ignored", no traceback


def test_a_reader_that_stops_after_one_line_ends_the_command_quietly(demo):
    """`sijill search p.sijill ... | head -1` on an output longer than the pipe holds."""
    proc = _sijill("search", str(demo), "a", "--limit", "100000")
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=60)
    assert first
    assert "Traceback" not in err and "Broken pipe" not in err and "Exception ignored" not in err, err
    assert code in (0, 141)


def test_ctrl_c_exits_130_without_a_traceback(demo, monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "cmd_stats", interrupted)
    assert run(["stats", str(demo)]) == 130
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("error, words", [
    (ValueError("invalid literal for int() with base 10: 'x'"), "not valid"),
    (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), "not valid"),
    (RecursionError("maximum recursion depth exceeded"), "too deeply nested"),
    (OverflowError("Python int too large to convert to SQLite INTEGER"), "too large"),
    (KeyError("bug"), "unexpected error"),
])
def test_what_parsers_raise_is_one_line(demo, monkeypatch, capsys, error, words):
    def failing(args):
        raise error

    monkeypatch.setattr(cli, "cmd_stats", failing)
    monkeypatch.delenv("SIJILL_TRACEBACK", raising=False)
    assert run(["stats", str(demo)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("sijill stats: ") and words in err and err.count("\n") == 1, err


def test_a_bug_shows_its_traceback_when_asked(demo, monkeypatch):
    def failing(args):
        raise KeyError("bug")

    monkeypatch.setattr(cli, "cmd_stats", failing)
    monkeypatch.setenv("SIJILL_TRACEBACK", "1")
    with pytest.raises(KeyError):
        run(["stats", str(demo)])
