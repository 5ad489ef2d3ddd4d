"""The History tab of an event, group, source and annotation: every recorded change, field by field,
and "Restore this version" as one undo step recorded as a restore, checked against the reopened file
through undo and redo."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from sijill.db.store.project import Project
from sijill.desktop.commands.stack import GuardedUndoStack
from sijill.desktop.sources.annotation_dialog import AnnotationDialog
from sijill.desktop.events.event_dialog import open_event_editor
from sijill.desktop.groups.group_dialog import GroupDialog
from sijill.desktop.sources.source_dialog import SourceDialog
from sijill.desktop.history.history_view import HistoryView, add_history_tab
from sijill.desktop.hub import ProjectHub

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def edited(tmp_path) -> Project:
    """Tower 22, created by alice, moved by alice, re-grouped and re-tagged by bob."""
    p = Project.create(tmp_path / "h.sijill")
    p.analyst = "alice"
    kh = p.create_group("Kataib Hezbollah")
    us = p.create_group("United States")
    with p.labelled("New event “Tower 22 attack”"):
        tower = p.create_event("Tower 22 attack", "2024-01-28", groups=[(us.id, "target")], tags=["drone"])
    with p.labelled("Move event “Tower 22 attack”"):
        p.update_event(tower.id, start="mid-January 2024", fatalities=3)
    p.analyst = "bob"
    with p.labelled("Edit event “Tower 22 attack”"):
        p.update_event(tower.id, groups=[(us.id, "target"), (kh.id, "actor")], tags=["drone", "claimed"])
    yield p
    p.close()


@pytest.fixture
def hub(qtbot, edited) -> ProjectHub:
    return ProjectHub(edited)


def rows(view: HistoryView) -> list[tuple[str, str]]:
    return [(view.list.topLevelItem(i).text(1), view.list.topLevelItem(i).text(2))
            for i in range(view.list.topLevelItemCount())]


def table(view: HistoryView) -> list[tuple[str, ...]]:
    t = view.changes
    return [tuple(t.item(r, c).text() if t.item(r, c) else "" for c in range(3)) for r in range(t.rowCount())]


def select(view: HistoryView, label_start: str) -> None:
    item = next(view.list.topLevelItem(i) for i in range(view.list.topLevelItemCount())
                if view.list.topLevelItem(i).text(2).startswith(label_start))
    view.list.setCurrentItem(item)


def reopened_event(path, title: str = "Tower 22 attack"):
    with Project.open(path, read_only=True) as p:
        e = next(x for x in p.events() if x.title == title)
        names = {g.id: g.name for g in p.groups()}
        return (e.start.text, e.fatalities, sorted((names[link.group_id], link.role) for link in e.groups),
                sorted(e.tags))


def test_the_event_editor_has_a_history_tab_newest_first(qtbot, hub, edited):
    stack = GuardedUndoStack()
    event = edited.events()[0]
    dialog = open_event_editor(None, hub, stack, event.id)
    qtbot.addWidget(dialog)
    view = add_history_tab(dialog, hub, stack, "event", event.uid)
    assert dialog.tabs.tabText(dialog.tabs.indexOf(view)) == "&History"
    assert rows(view) == [("bob", "Edit event “Tower 22 attack” (links)"),
                          ("alice", "Move event “Tower 22 attack” (start, fatalities)"),
                          ("alice", "New event “Tower 22 attack” (created)")]
    assert view.list.topLevelItem(0).text(0).endswith(" UTC")
    assert table(view) == [("link", "+ group Kataib Hezbollah (actor)", ""), ("link", "+ tag claimed", "")]
    select(view, "Move event")
    assert table(view) == [("start", "2024-01-28", "mid-January 2024"), ("fatalities", "—", "3")]
    select(view, "New event")
    assert table(view) == [("record", "created", "")]
    assert not view.restore_before_button.isEnabled()  # nothing before its creation


def test_restore_is_one_undo_step_recorded_as_a_restore(qtbot, hub, edited):
    stack = GuardedUndoStack()
    event = edited.events()[0]
    view = HistoryView(hub, stack, "event", event.uid)
    qtbot.addWidget(view)
    select(view, "Move event")
    moved_at = view.list.currentItem().text(0)
    new_at = view.list.topLevelItem(2).text(0)
    with qtbot.waitSignal(hub.events_changed):
        qtbot.mouseClick(view.restore_before_button, Qt.MouseButton.LeftButton)
    assert stack.count() == 1 and stack.undoText() == f"Restore “Tower 22 attack” to {new_at}"
    assert reopened_event(edited.path) == ("2024-01-28", None, [("United States", "target")], ["drone"])
    newest = edited.change_sets(limit=1)[0]
    assert (newest.label, newest.kind) == (stack.undoText(), "restore")
    qtbot.waitUntil(lambda: rows(view)[0] == ("bob", f"{stack.undoText()} (start, fatalities, links)"))

    stack.undo()
    assert reopened_event(edited.path) == ("mid-January 2024", 3, [("Kataib Hezbollah", "actor"),
                                                                   ("United States", "target")], ["claimed", "drone"])
    assert edited.change_sets(limit=1)[0].kind == "undo"
    stack.redo()
    assert reopened_event(edited.path) == ("2024-01-28", None, [("United States", "target")], ["drone"])
    assert (edited.change_sets(limit=1)[0].label, edited.change_sets(limit=1)[0].kind) == (
        f"Redo {stack.undoText()}", "undo")
    assert moved_at  # the move itself stays in the history: a restore adds to it
    assert any(r[1].startswith("Move event") for r in rows(view))


def test_restore_this_version_puts_back_what_the_change_made(qtbot, hub, edited):
    stack = GuardedUndoStack()
    event = edited.events()[0]
    view = HistoryView(hub, stack, "event", event.uid)
    qtbot.addWidget(view)
    select(view, "Edit event")
    assert not view.restore_button.isEnabled()  # the newest version is the event as it is
    select(view, "Move event")
    assert view.restore(side="after")
    assert reopened_event(edited.path) == ("mid-January 2024", 3, [("United States", "target")], ["drone"])
    assert stack.undoText().startswith("Restore “Tower 22 attack” to ")


def test_restoring_from_the_editor_closes_it(qtbot, hub, edited):
    stack = GuardedUndoStack()
    event = edited.events()[0]
    dialog = open_event_editor(None, hub, stack, event.id)
    qtbot.addWidget(dialog)
    view = add_history_tab(dialog, hub, stack, "event", event.uid)
    select(view, "Move event")
    with qtbot.waitSignal(dialog.rejected):
        view.restore("before")
    assert reopened_event(edited.path)[0] == "2024-01-28"


def test_a_group_source_and_annotation_get_a_history_tab_beside_their_fields(qtbot, hub, edited):
    p, stack = edited, GuardedUndoStack()
    pmf = p.create_group("Popular Mobilization Forces")
    kh = p.group_by_name("Kataib Hezbollah")
    with p.labelled("Edit group “Kataib Hezbollah”"):
        p.update_group(kh.id, parent=pmf.id, aliases=[("KH", "en")], description="Iraqi militia")
    dialog = GroupDialog(hub, p.group(kh.id))
    qtbot.addWidget(dialog)
    view = add_history_tab(dialog, hub, stack, "group", kh.uid)
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == ["&Details", "&History"]
    assert dialog.tabs.widget(0).isAncestorOf(dialog.name)
    assert sorted(table(view)) == [("description", "—", "Iraqi militia"), ("link", "+ alias KH (en)", ""),
                                   ("parent", "—", "Popular Mobilization Forces")]
    assert view.restore("before")
    group = Project.open(p.path, read_only=True)
    try:
        restored = group.group_by_name("Kataib Hezbollah")
        assert (restored.parent_id, restored.aliases, restored.description) == (None, (), None)
    finally:
        group.close()
    stack.undo()
    assert p.group(kh.id).parent_id == pmf.id and p.group(kh.id).description == "Iraqi militia"

    source = p.create_source("Drone kills three", "A drone struck Tower 22 in Jordan.", published="29 Jan 2024")
    p.update_source(source.id, published="January 2024", reliability="C")
    dialog = SourceDialog(None, source=p.source(source.id))
    qtbot.addWidget(dialog)
    view = add_history_tab(dialog, hub, stack, "source", source.uid)
    assert table(view) == [("published", "29 Jan 2024", "January 2024"), ("reliability", "—", "C")]
    assert view.restore("before")
    assert (p.source(source.id).published.text, p.source(source.id).reliability) == ("29 Jan 2024", None)

    annotation = p.create_annotation(source.id, 2, 7, note="the weapon", credibility=2)
    p.update_annotation(annotation.id, note="a drone", credibility=3, tags=["drone"])
    dialog = AnnotationDialog(hub, source.id, 2, 7, annotation=p.annotation(annotation.id))
    qtbot.addWidget(dialog)
    view = add_history_tab(dialog, hub, stack, "annotation", annotation.uid)
    assert ("note", "the weapon", "a drone") in table(view)
    assert view.restore("before")
    with Project.open(p.path, read_only=True) as again:
        a = again.annotation_by_uid(annotation.uid)
        assert (a.note, a.credibility, a.tags) == ("the weapon", 2, ())
    stack.undo()
    assert p.annotation(annotation.id).note == "a drone"


def test_a_period_editor_has_one_too(qtbot, hub, edited):
    from sijill.desktop.groups.period_dialog import open_period_editor

    stack = GuardedUndoStack()
    period = edited.create_period("Siege of Mosul", "October 2016", "July 2017")
    edited.update_period(period.id, end="10 July 2017", color="#aa0000")
    dialog = open_period_editor(None, hub, stack, period.id)
    qtbot.addWidget(dialog)
    view = dialog.findChild(HistoryView)
    assert table(view) == [("end", "July 2017", "10 July 2017"), ("color", "—", "#aa0000")]
    with qtbot.waitSignal(hub.periods_changed):
        assert view.restore("before")
    assert (edited.period(period.id).end.text, edited.period(period.id).color) == ("July 2017", None)


def test_a_write_made_outside_sijill_is_listed_and_can_be_taken_back(qtbot, hub, edited):
    import sqlite3

    event = edited.events()[0]
    conn = sqlite3.connect(edited.path)  # as Datasette or sqlite-utils would
    with conn:
        conn.execute("UPDATE events SET title = 'Tower 22' WHERE id = ?", [event.id])
    conn.close()
    stack = GuardedUndoStack()
    view = HistoryView(hub, stack, "event", event.uid)
    qtbot.addWidget(view)
    outside = view.list.topLevelItem(0)  # the newest, with its time
    assert outside.text(0).endswith(" UTC") and outside.text(2) == "Changed outside Sijill (title)"
    view.list.setCurrentItem(outside)
    assert table(view) == [("title", "Tower 22 attack", "Tower 22")]
    assert view.restore("before")
    assert edited.event(event.id).title == "Tower 22 attack"


def test_read_only_project_shows_history_without_restore(qtbot, edited):
    path = edited.path
    uid = edited.events()[0].uid
    edited.close()
    with Project.open(path, read_only=True) as p:
        hub = ProjectHub(p)
        view = HistoryView(hub, GuardedUndoStack(), "event", uid)
        qtbot.addWidget(view)
        select(view, "Move event")
        assert len(rows(view)) == 3
        assert not view.restore_button.isEnabled() and not view.restore_before_button.isEnabled()
        assert "read-only" in view.note.text()


def test_in_the_window_the_restore_is_undone_and_redone_by_edit_undo_and_redo(qtbot, edited, settings, messages):
    from sijill.desktop.shell.main_window import MainWindow

    window = MainWindow(edited, settings)
    qtbot.addWidget(window)
    event = edited.events()[0]
    window.hub.set_selection([event.id])
    assert "as written “mid-January 2024”" in window.detail_pane.toPlainText()
    window.edit_event(event.id)
    dialog = window.event_dialog
    view = dialog.findChild(HistoryView)
    dialog.tabs.setCurrentWidget(view)
    select(view, "Move event")
    qtbot.mouseClick(view.restore_before_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert window.undo_stack.undoText().startswith("Restore “Tower 22 attack” to ")
    assert "mid-January" not in window.detail_pane.toPlainText()  # the window shows the restored event
    assert reopened_event(edited.path)[:2] == ("2024-01-28", None)
    window.action_set.edit_undo.trigger()
    assert reopened_event(edited.path)[:2] == ("mid-January 2024", 3)
    window.action_set.edit_redo.trigger()
    assert reopened_event(edited.path)[:2] == ("2024-01-28", None)
