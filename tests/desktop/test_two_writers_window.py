"""In the window, a write another program's lock keeps out: named in a dialog, never kept on the
undo stack, nothing of it in the file."""
from __future__ import annotations

import sqlite3

import pytest

from sijill.db.store.project import Project
from sijill.desktop.commands.events import CreateEventCommand
from sijill.desktop.shell.main_window import MainWindow


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


def test_an_undo_and_a_redo_kept_out_by_a_lock_leave_the_stack_where_the_file_is(
        qtbot, tmp_path, settings, messages, impatient):
    path = tmp_path / "held.sijill"
    Project.create(path).close()
    window = MainWindow(Project.open(path), settings)
    qtbot.addWidget(window)
    stack = window.undo_stack
    assert stack.push(CreateEventCommand(window.hub, {"title": "Tower 22 attack", "start": "2024-01-28"},
                                         "New event “Tower 22 attack”"))
    other = sqlite3.connect(str(path), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    window.action_set.edit_undo.trigger()  # Ctrl+Z while another program holds the file
    assert (stack.index(), stack.count()) == (1, 1)
    assert messages[-1][0] == "Not saved"
    assert messages[-1][1].startswith("The change ‘Undo New event “Tower 22 attack”’ was not saved: "
                                      "the project is locked by another program")
    other.execute("ROLLBACK")
    assert [e.title for e in window.project.events()] == ["Tower 22 attack"]
    window.action_set.edit_undo.trigger()  # the lock gone, the undo goes through
    assert stack.index() == 0 and window.project.events() == []
    other.execute("BEGIN EXCLUSIVE")
    window.action_set.edit_redo.trigger()
    assert (stack.index(), stack.count()) == (0, 1) and window.project.events() == []
    assert messages[-1][1].startswith("The change ‘Redo New event “Tower 22 attack”’ was not saved")
    other.execute("ROLLBACK")
    other.close()
    window.action_set.edit_redo.trigger()
    assert stack.index() == 1 and [e.title for e in window.project.events()] == ["Tower 22 attack"]
    window.close()
