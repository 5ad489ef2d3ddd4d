"""In the window, a write another program's lock keeps out: named in a dialog, never kept on the
undo stack, nothing of it in the file."""
from __future__ import annotations

import sqlite3

import pytest

from db.project import Project
from desktop.commands import CreateEventCommand
from desktop.main_window import MainWindow


@pytest.fixture
def impatient(monkeypatch):
    monkeypatch.setattr(Project, "busy_timeout_ms", 100)
    monkeypatch.setattr(Project, "write_patience_s", 0.3)


def test_a_create_event_kept_out_by_a_lock_is_named_and_leaves_the_stack_true(
        qtbot, tmp_path, settings, messages, impatient):
    path = tmp_path / "held.sijill"
    with Project.create(path) as p:
        p.create_event("Already there", "2020")
    window = MainWindow(Project.open(path), settings)
    qtbot.addWidget(window)
    other = sqlite3.connect(str(path), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        pushed = window.undo_stack.push(CreateEventCommand(window.hub, {"title": "Tower 22 attack",
                                                                       "start": "2024-01-28"},
                                                           "New event “Tower 22 attack”"))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert pushed is False
    assert (window.undo_stack.count(), window.undo_stack.index(), window.undo_stack.canUndo()) == (0, 0, False)
    assert messages[-1] == ("Not saved", "The change ‘New event “Tower 22 attack”’ was not saved: "
                            "the project is locked by another program (held.sijill is being written elsewhere)")
    assert [e.title for e in window.project.events()] == ["Already there"]
    assert not window.project.db.conn.in_transaction
    # the lock gone, the same edit goes through and undoes as one step
    assert window.undo_stack.push(CreateEventCommand(window.hub, {"title": "Tower 22 attack", "start": "2024-01-28"}))
    window.undo_stack.undo()
    assert [e.title for e in window.project.events()] == ["Already there"]
    window.close()
