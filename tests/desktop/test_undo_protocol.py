"""The one undo protocol: a step the project refuses is never left on the stack, leaves nothing of
itself in the file, and the window says what was not saved; a composite step is all or nothing.

The case that needed it: "Create event from passage" when the project refuses the new event. The
create was swallowed inside a macro, the link step ran and failed, and taking the macro back
raised `ProjectError: no event with id None`."""
from __future__ import annotations

import sqlite3

import pytest

from sijill.db.store.project import Project
from sijill.desktop.commands.base import CompositeCommand
from sijill.desktop.commands.events import CreateEventCommand
from sijill.desktop.commands.evidence import LinkEvidenceCommand
from tests.desktop.sources_helpers import (FR_TEXT, click_ok, groups, hub, panel,  # noqa: F401
                                           select, sources, stack)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()

QUOTE = "les Kataib Hezbollah ont revendiqué une attaque de drone"


def on_disk(project) -> tuple:
    """What the file holds: events, annotations and evidence, read by a connection of its own."""
    with Project.open(project.path, read_only=True) as disk:
        events = sorted((e.uid, e.title) for e in disk.events())
        annotations = sorted((a.uid, a.start, a.end) for s in disk.sources() for a in disk.annotations(s.id))
        evidence = sorted((e.event_id, e.annotation_id, e.stance) for ev in disk.events()
                          for e in disk.evidence(ev.id))
    return events, annotations, evidence


def open_event_from_passage(panel, source_id):
    panel.open_source(source_id)
    start = FR_TEXT.index(QUOTE)
    select(panel.reader, start, start + len(QUOTE))
    return panel.reader.event_from_selection()


def test_create_event_from_an_annotated_passage_refused_by_a_read_only_file_leaves_nothing(
        qtbot, panel, project, sources, stack):
    start = FR_TEXT.index(QUOTE)
    project.create_annotation(sources["fr"], start, start + len(QUOTE))  # the passage is already an annotation
    dialog = open_event_from_passage(panel, sources["fr"])
    before = on_disk(project)
    project.read_only = True  # the file became read-only while the dialog was open
    click_ok(qtbot, dialog)
    assert stack.count() == 0 and not stack.canUndo()
    assert stack.failures == ["The change ‘Create event from passage’ was not saved: "
                              "test.sijill is open read-only: edits are not possible"]
    assert on_disk(project) == before


def test_create_event_from_passage_kept_out_by_a_lock_is_named_in_the_window(
        qtbot, tmp_path, settings, messages, monkeypatch):
    from sijill.desktop.shell.main_window import MainWindow

    monkeypatch.setattr(Project, "busy_timeout_ms", 100)
    monkeypatch.setattr(Project, "write_patience_s", 0.3)
    path = tmp_path / "held.sijill"
    with Project.create(path) as p:
        source = p.create_source("Attaque de drone à la frontière", FR_TEXT, published="2024-01-31", language="fr")
    window = MainWindow(Project.open(path), settings)
    qtbot.addWidget(window)
    dialog = open_event_from_passage(window.sources_panel, source.id)
    before = on_disk(window.project)
    other = sqlite3.connect(str(path), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another program holds the file when the analyst clicks OK
    try:
        click_ok(qtbot, dialog)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert window.undo_stack.count() == 0
    assert messages[-1] == ("Not saved", "The change ‘Create event from passage’ was not saved: the project is "
                                         "locked by another program (held.sijill is being written elsewhere)")
    assert on_disk(window.project) == before
    # the lock gone, the same gesture is one step that undoes and redoes whole
    click_ok(qtbot, open_event_from_passage(window.sources_panel, source.id))
    after = on_disk(window.project)
    assert window.undo_stack.count() == 1 and len(after[0]) == 1 and len(after[2]) == 1
    window.undo_stack.undo()
    assert on_disk(window.project) == before
    window.undo_stack.redo()
    assert on_disk(window.project) == after
    window.close()


def test_a_composite_refused_at_its_last_step_keeps_nothing_of_the_first(qtbot, hub, stack, project, sources):
    before = on_disk(project)
    create = CreateEventCommand(hub, {"title": "Drone attack", "start": "2024-01-27"})
    link = LinkEvidenceCommand(hub, 999_999, create, "supports")  # no such annotation
    assert not stack.push(CompositeCommand("Create event from passage", [create, link]))
    assert stack.count() == 0 and len(stack.failures) == 1
    assert stack.failures[0].startswith("The change ‘Create event from passage’ was not saved: ")
    assert on_disk(project) == before


def test_a_step_saved_is_kept_when_the_views_cannot_be_told_what_changed(qtbot, hub, stack, project, monkeypatch):
    """The write is committed before the hub hears of it: a failure there must not make the stack
    say "not saved" and drop a step the file holds (it could then never be undone)."""
    from sijill.db.store.basics import ProjectError
    from sijill.desktop import hub as hub_module

    def cannot_tell(*_args):
        raise ProjectError("the views could not be told")
    monkeypatch.setattr(hub_module, "announce", cannot_tell)
    with qtbot.capture_exceptions() as reported:
        with qtbot.waitSignal(hub.project_reset, timeout=1000):  # the views read everything again
            assert stack.push(CreateEventCommand(hub, {"title": "Strike on Tower 22", "start": "2024-01-28"}))
        assert stack.failures == [] and stack.count() == 1 and stack.undoText() == "Create event"
        assert "Strike on Tower 22" in [title for _uid, title in on_disk(project)[0]]
        stack.undo()
        assert stack.failures == [] and stack.index() == 0
        assert "Strike on Tower 22" not in [title for _uid, title in on_disk(project)[0]]
    assert [str(e[1]) for e in reported] == ["the views could not be told"] * 2
