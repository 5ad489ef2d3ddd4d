"""The History tab and View ▸ Project history after a merge: the other copy's change sets are marked as
merged in by the merge, a change that lost its conflict is struck with what this file kept, and the
History tab offers no version only the other copy had. Writes made outside Sijill are listed where they
were made."""
from __future__ import annotations

import shutil

import pytest
from PySide6.QtWidgets import QTableWidget

from sijill.db.merge import merge_files
from sijill.db.store.project import Project
from sijill.desktop.commands.stack import GuardedUndoStack
from sijill.desktop.history.history_view import HistoryView
from sijill.desktop.history.project_history import ProjectHistory
from sijill.desktop.hub import ProjectHub

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")


@pytest.fixture
def merged(tmp_path) -> tuple[Project, str]:
    """A's file after merging B's: both retitled Tower 22 (A's title kept), B also gave its place."""
    base = tmp_path / "base.sijill"
    with Project.create(base) as p:
        p.analyst = "rana"
        uid = p.create_event("Tower 22 attack", "2024-01-28").uid
    a, b = tmp_path / "a.sijill", tmp_path / "b.sijill"
    shutil.copy(base, a)
    shutil.copy(base, b)
    for path, analyst, fields in ((a, "rana", {"title": "Tower 22 drone attack"}),
                                  (b, "karim", {"title": "Attack on Tower 22", "location": "Rukban"})):
        with Project.open(path) as p:
            p.analyst = analyst
            with p.labelled(f"Edit event (by {analyst})"):
                p.update_event(p.event_by_uid(uid).id, **fields)
    merge_files(a, b, analyst="rana")
    p = Project.open(a)
    yield p, uid
    p.close()


def cells(table: QTableWidget) -> list[tuple[str, ...]]:
    return [tuple(table.item(r, c).text() if table.item(r, c) else "" for c in range(3))
            for r in range(table.rowCount())]


def test_the_history_tab_marks_merged_in_changes_and_offers_no_version_of_the_other_copy(qtbot, merged, tmp_path):
    project, uid = merged
    view = HistoryView(ProjectHub(project), GuardedUndoStack(), "event", uid)
    qtbot.addWidget(view)
    view.resize(760, 420)
    top = view.list.topLevelItem(0)
    assert top.text(1) == "karim" and top.text(2).startswith("Edit event (by karim) (title, location) — merged in "
                                                              "by “Merge from b.sijill” (")
    assert top.font(2).italic() and not view.list.topLevelItem(1).font(2).italic()
    assert cells(view.changes) == [("title", "Tower 22 attack", "Attack on Tower 22"),
                                   ("", "↳ not applied here: kept ours: “Tower 22 drone attack”", ""),
                                   ("location", "—", "Rukban")]
    assert view.changes.item(0, 2).font().strikeOut() and not view.changes.item(2, 2).font().strikeOut()
    # Before: "Restore this version" put back "Attack on Tower 22", a title this file never had.
    assert not view.restore_button.isEnabled() and not view.restore_before_button.isEnabled()
    assert "never had that version" in view.restore_button.toolTip()
    assert "Made in another copy by karim, merged in by “Merge from b.sijill”" in view.note.text()
    view.show()
    view.grab().save(str(tmp_path / "history-tab-merged.png"))
    view.list.setCurrentItem(view.list.topLevelItem(1))  # the merge itself: this file's versions
    assert view.list.topLevelItem(1).text(2).startswith("Merge from b.sijill")
    assert view.restore_before_button.isEnabled()
    assert view.restore("before")
    event = project.event_by_uid(uid)
    assert (event.title, event.location) == ("Tower 22 drone attack", None)


def test_project_history_marks_the_merged_in_change_set_and_strikes_what_lost(qtbot, merged, tmp_path):
    project, _uid = merged
    dialog = ProjectHistory(ProjectHub(project))
    qtbot.addWidget(dialog)
    item = dialog.sets.topLevelItem(0)
    assert item.text(2).startswith("Edit event (by karim) — merged in by “Merge from b.sijill”")
    assert item.font(2).italic()
    dialog.sets.setCurrentItem(item)
    top = dialog.changes.topLevelItem(0)
    lines = [(top.child(i).text(0), top.child(i).text(2)) for i in range(top.childCount())]
    assert lines == [("title", "Attack on Tower 22"),
                     ("    ↳ not applied here: kept ours: “Tower 22 drone attack”", ""),
                     ("location", "Rukban")]
    assert top.child(0).font(2).strikeOut() and not top.child(2).font(2).strikeOut()
    dialog.show()
    dialog.grab().save(str(tmp_path / "project-history-merged.png"))


def test_project_history_lists_a_write_made_outside_sijill_where_it_was_made(qtbot, tmp_path):
    import sqlite3

    path = tmp_path / "p.sijill"
    with Project.create(path) as p:
        event = p.create_event("Tower 22 attack", "2024-01-28")
    conn = sqlite3.connect(path)  # sqlite-utils, Datasette
    with conn:
        conn.execute("UPDATE events SET fatalities = 3 WHERE id = ?", [event.id])
    conn.close()
    with Project.open(path) as project:
        project.update_event(event.id, location="Rukban")
        dialog = ProjectHistory(ProjectHub(project))
        qtbot.addWidget(dialog)
        listed = [(dialog.sets.topLevelItem(i).text(2), dialog.sets.topLevelItem(i).text(3))
                  for i in range(dialog.sets.topLevelItemCount())]
        assert listed == [("Update event", "edit"), ("Changed outside Sijill", "outside"), ("Create event", "edit")]
        assert dialog.sets.topLevelItem(1).text(0).endswith(" UTC")
        dialog.sets.setCurrentItem(dialog.sets.topLevelItem(1))
        top = dialog.changes.topLevelItem(0)
        assert (top.child(0).text(0), top.child(0).text(2)) == ("fatalities", "3")
        dialog.kind.setCurrentIndex(dialog.kind.findData("outside"))
        assert dialog.sets.topLevelItemCount() == 1
        dialog.kind.setCurrentIndex(0)
        dialog.show()
        dialog.grab().save(str(tmp_path / "project-history-outside.png"))
        dialog.close()
