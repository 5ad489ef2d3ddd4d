"""Another Sijill holding the project: the lock note, the read-only offer, and following its writes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtWidgets import QMessageBox

from sijill.db.store import lock_note
from sijill.db.store.project import Project
from sijill.desktop.shell.main_window import MainWindow
from sijill.desktop.events.table_model import C_TITLE


def table_titles(window: MainWindow) -> list[str]:
    proxy = window.table.proxy
    return [proxy.index(r, C_TITLE).data() for r in range(proxy.rowCount())]


@pytest.fixture
def path(tmp_path):
    p = tmp_path / "shared.sijill"
    with Project.create(p) as project:
        project.create_event("Already there", "2020")
    return p


@pytest.fixture
def asked(monkeypatch):
    """The in-use question answered as Enter would: with its default button; records its text."""
    questions = []

    def exec_(box):
        questions.append(box.text())
        box.defaultButton().click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return questions


def write_note(path, **fields):
    note = {"host": lock_note._host(), "user": "layla", "pid": os.getppid(),
            "time": datetime.now(timezone.utc).isoformat(timespec="seconds"), **fields}
    lock_note.note_path(path).write_text(json.dumps(note))


def test_the_note_is_written_on_open_and_removed_on_close(qtbot, path, settings, asked):
    window = MainWindow(path, settings)
    qtbot.addWidget(window)
    note = lock_note.read(path)
    assert note is not None and note.pid == os.getpid() and note.host == lock_note._host()
    assert not window.project.read_only and asked == []
    assert lock_note.note_path(path).name == "shared.sijill.lock"
    with Project.open(path) as project:  # not in the project's own tables
        assert "lock" not in " ".join(project.db.table_names())
    window.close()
    assert not lock_note.note_path(path).exists()


def test_a_second_instance_is_told_who_holds_it_opens_read_only_and_follows_the_writes(
        qtbot, path, settings, asked):
    write_note(path)  # another Sijill, alive on this host (our parent process)
    window = MainWindow(path, settings)
    qtbot.addWidget(window)
    assert len(asked) == 1 and "layla on" in asked[0] and f"process {os.getppid()}" in asked[0]
    assert window.project.read_only and window.windowTitle().endswith("(read-only)")
    assert "open in another Sijill: layla on" in window.read_only_label.toolTip()
    assert table_titles(window) == ["Already there"]
    with Project.open(path) as other:  # the other instance writes
        other.create_event("Tower 22 attack", "2024-01-28")
    qtbot.waitUntil(lambda: "Tower 22 attack" in table_titles(window), timeout=5000)
    window.close()
    assert lock_note.read(path).user == "layla"  # their note stays


def test_open_anyway_writes_and_leaves_our_note(qtbot, path, settings, monkeypatch):
    write_note(path)

    def exec_(box):
        next(b for b in box.buttons() if b.text() == "Open anyway").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    window = MainWindow(path, settings)
    qtbot.addWidget(window)
    assert not window.project.read_only
    assert lock_note.read(path).pid == os.getpid()
    window.close()


@pytest.mark.parametrize("stale", ["dead pid", "other host, two days old"])
def test_a_stale_note_is_ignored_and_replaced(qtbot, path, settings, asked, stale):
    if stale == "dead pid":
        child = subprocess.Popen([sys.executable, "-c", "pass"])
        child.wait()
        write_note(path, pid=child.pid)
    else:
        write_note(path, host="elsewhere.example",
                   time=(datetime.now(timezone.utc) - timedelta(days=2)).isoformat(timespec="seconds"))
    window = MainWindow(path, settings)
    qtbot.addWidget(window)
    assert asked == [] and not window.project.read_only
    assert lock_note.read(path).pid == os.getpid()
    window.close()


def test_another_hosts_recent_note_is_live():
    note = lock_note.LockNote("elsewhere.example", "omar", 1, datetime.now(timezone.utc).isoformat())
    assert lock_note.is_live(note)
