"""View ▸ Project history ▸ Restore deleted record: a record deleted in an earlier session comes back in the
window as one undo step, selected (an event on the timeline); real project files and real widgets."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMenu

from sijill.db.history.labels import merge_text
from sijill.db.store.project import Project
from sijill.desktop.history.project_history import open_project_history
from sijill.desktop.shell.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise", "grabbing the keyboard")  # offscreen


@pytest.fixture
def deleted(tmp_path) -> dict:
    """A project whose event (groups, tags, evidence), source (two passages, one cited by a surviving event)
    and one group were deleted in an earlier session."""
    path = tmp_path / "p.sijill"
    with Project.create(path) as p:
        kh = p.create_group("Kataib Hezbollah")
        iri = p.create_group("Islamic Resistance in Iraq")
        report = p.create_source("CENTCOM statement", "Three US soldiers were killed at Tower 22 in Jordan.")
        killed = p.create_annotation(report.id, 0, 29)
        place = p.create_annotation(report.id, 33, 41)
        p.create_event("Strike in al-Qaim", "2024-02-02")
        tower = p.create_event("Tower 22 attack", "2024-01-28", fatalities=3,
                               groups=[(kh.id, "actor"), (iri.id, "associated")], tags=["drone"])
        p.add_evidence(tower.id, annotation_id=killed.id, stance="supports")
        other = p.create_event("Strike on Kataib Hezbollah", "2024-02-02")
        p.add_evidence(other.id, annotation_id=place.id, stance="supports")
        p.delete_event(tower.id)
        p.delete_source(report.id)
        p.delete_group(iri.id)
    return {"path": path, "tower": tower.uid, "report": report.uid, "other": other.uid}


@pytest.fixture
def window(qtbot, deleted, settings, messages) -> MainWindow:
    w = MainWindow(Project.open(deleted["path"]), settings)
    qtbot.addWidget(w)
    w.resize(1400, 860)
    w.show()
    qtbot.waitExposed(w)
    return w


def select_set(history, label: str) -> None:
    item = next(history.sets.topLevelItem(i) for i in range(history.sets.topLevelItemCount())
                if history.sets.topLevelItem(i).text(2) == label)
    history.sets.setCurrentItem(item)


def select_record(history, text: str):
    item = next(history.changes.topLevelItem(i) for i in range(history.changes.topLevelItemCount())
                if history.changes.topLevelItem(i).text(0) == text)
    history.changes.setCurrentItem(item)
    return item


def test_deletions_are_listed_and_an_event_comes_back_selected_as_one_undo_step(window, deleted, qtbot):
    history = open_project_history(window)
    history.deletions.setChecked(True)
    labels = [history.sets.topLevelItem(i).text(2) for i in range(history.sets.topLevelItemCount())]
    assert labels == ["Delete group", "Delete source", "Delete event"]
    action = history.restore_deleted
    select_set(history, "Delete event")
    assert not action.button.isEnabled()  # nothing chosen yet
    select_record(history, "event “Tower 22 attack”: deleted")
    assert action.button.isEnabled()
    action.button.click()
    project = window.hub.project
    event = project.event_by_uid(deleted["tower"])
    assert (event.title, event.fatalities, event.tags) == ("Tower 22 attack", 3, ("drone",))
    assert [project.group(link.group_id).name for link in event.groups] == ["Kataib Hezbollah"]
    assert window.undo_stack.undoText() == "Restore deleted event “Tower 22 attack”"
    assert action.note.text() == ("Brought back: event “Tower 22 attack”. "
                                  "Not re-attached: group “Islamic Resistance in Iraq” (deleted since); "
                                  "evidence (supports) from the source “CENTCOM statement” (deleted since)")
    assert window.hub.selection == [event.id]  # selected, on the timeline and in the table
    t0, t1 = window.timeline.window()
    lo, hi = window.timeline.data.event_times(event.id)
    assert t0 <= (lo + hi) / 2 <= t1
    qtbot.waitUntil(lambda: not action.button.isEnabled())  # it is back: nothing left to restore there
    window.undo_stack.undo()
    assert project.event_by_uid(deleted["tower"]) is None
    window.undo_stack.redo()
    assert project.event_by_uid(deleted["tower"]).fatalities == 3
    assert [cs.kind for cs in project.change_sets()[:3]] == ["undo", "undo", "restore"]


def test_a_source_comes_back_with_its_passages_and_evidence_from_the_context_menu(window, deleted, qtbot):
    history = open_project_history(window)
    select_set(history, "Delete source")
    item = select_record(history, "source “CENTCOM statement”: deleted")
    rect = history.changes.visualItemRect(item)
    history.changes.customContextMenuRequested.emit(rect.center())
    [menu] = history.changes.findChildren(QMenu)
    assert [a.text() for a in menu.actions()] == ["Restore deleted record", "Select in the window"]
    menu.actions()[0].trigger()
    menu.close()
    project = window.hub.project
    source = project.source_by_uid(deleted["report"])
    passages = project.annotations(source.id)
    assert sorted(a.quote for a in passages) == ["Three US soldiers were killed", "Tower 22"]
    other = project.event_by_uid(deleted["other"])
    assert [project.annotation(e.annotation_id).quote for e in project.evidence(other.id)] == ["Tower 22"]
    assert history.restore_deleted.note.text() == "Brought back: source “CENTCOM statement”, with 2 passages."
    window.undo_stack.undo()
    assert project.source_by_uid(deleted["report"]) is None and project.evidence(other.id) == []
    window.undo_stack.redo()
    assert len(project.annotations(project.source_by_uid(deleted["report"]).id)) == 2
    assert len(project.evidence(other.id)) == 1


def test_a_source_merged_away_cannot_be_restored_and_the_button_says_why(qtbot, tmp_path, settings, messages):
    path = tmp_path / "m.sijill"
    with Project.create(path) as p:
        body = "Three US soldiers were killed at Tower 22 in Jordan."
        first = p.create_source("CENTCOM statement", body)
        again = p.create_source("CENTCOM statement (copy)", body)
        p.add_evidence(p.create_event("Tower 22 attack", "2024-01-28").id,
                       annotation_id=p.create_annotation(first.id, 0, 29).id, stance="supports")
        with p.batch(merge_text("source", [first.title], again.title)):
            p.merge_sources(first.id, again.id)
        change = p.change_sets()[0].uid[:8]
    w = MainWindow(Project.open(path), settings)
    qtbot.addWidget(w)
    w.show()
    history = open_project_history(w)
    select_set(history, "Merge source “CENTCOM statement” into “CENTCOM statement (copy)”")
    select_record(history, "source “CENTCOM statement”: deleted")
    action = history.restore_deleted
    assert not action.button.isEnabled()
    why = f"merged into “CENTCOM statement (copy)” by change {change}: restore “CENTCOM statement (copy)” to before"
    assert why in action.button.toolTip()
    assert action.note.text().startswith("Cannot restore: The source “CENTCOM statement” was " + why)
    assert not action.restore() and w.hub.project.source_by_uid(first.uid) is None
    qtbot.wait(20)
    history.grab().save(str(tmp_path / "merged.png"))
