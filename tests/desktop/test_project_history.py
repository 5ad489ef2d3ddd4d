"""View ▸ Project history: every change set, filtered by analyst, dates, kind and "since I last
opened"; the selected one's changes record by record; a double-click selects the record."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

import pytest
from PySide6.QtCore import Qt

from sijill.db.store.project import Project
from sijill.desktop.commands.events import UpdateEventCommand
from sijill.desktop.commands.stack import GuardedUndoStack
from sijill.desktop.hub import ProjectHub
from sijill.desktop.history.project_history import ProjectHistory, remember_opening

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")  # offscreen, top-level show()


@pytest.fixture
def project(tmp_path) -> Project:
    """alice adds a group and an event; bob edits the event and adds a source; an import by carol."""
    p = Project.create(tmp_path / "ph.sijill")
    p.analyst = "alice"
    with p.labelled("New group “Kataib Hezbollah”"):
        kh = p.create_group("Kataib Hezbollah")
    with p.labelled("New event “Tower 22 attack”"):
        tower = p.create_event("Tower 22 attack", "2024-01-28", groups=[(kh.id, "actor")])
    p.analyst = "bob"
    with p.labelled("Move event “Tower 22 attack”"):
        p.update_event(tower.id, start="27 Jan 2024")
    with p.labelled("Add source “Drone kills three”"):
        p.create_source("Drone kills three", "A drone struck Tower 22.")
    p.analyst = "carol"
    with p.batch("Import ACLED file x.csv", kind="import"):
        for day in range(1, 4):
            p.create_event(f"Strike {day}", f"2024-02-0{day}")
    p.close()
    conn = sqlite3.connect(p.path)  # made on three days, not within one second
    with conn:
        for analyst, at in (("alice", "2026-12-01T09:00:00Z"), ("bob", "2026-12-03T14:00:00Z"),
                            ("carol", "2026-12-05T08:30:00Z")):
            conn.execute("UPDATE change_sets SET at = ? WHERE analyst = ?", [at, analyst])
    conn.close()
    p = Project.open(p.path)
    yield p
    p.close()


@pytest.fixture
def dialog(qtbot, project) -> ProjectHistory:
    d = ProjectHistory(ProjectHub(project))
    qtbot.addWidget(d)
    return d


def labels(d: ProjectHistory) -> list[str]:
    return [d.sets.topLevelItem(i).text(2) for i in range(d.sets.topLevelItemCount())]


def select(d: ProjectHistory, label: str) -> None:
    d.sets.setCurrentItem(next(d.sets.topLevelItem(i) for i in range(d.sets.topLevelItemCount())
                               if d.sets.topLevelItem(i).text(2) == label))


def test_lists_every_change_set_newest_first_with_its_counts(dialog):
    assert labels(dialog) == ["Import ACLED file x.csv", "Add source “Drone kills three”",
                              "Move event “Tower 22 attack”", "New event “Tower 22 attack”",
                              "New group “Kataib Hezbollah”"]
    top = dialog.sets.topLevelItem(0)
    assert (top.text(1), top.text(3), top.text(4)) == ("carol", "import", "events: 3 created")
    assert top.text(0) == "2026-12-05 08:30:00 UTC"
    assert dialog.status.text() == "5 change sets"


def test_the_selected_change_set_field_by_field(dialog):
    select(dialog, "Move event “Tower 22 attack”")
    record = dialog.changes.topLevelItem(0)
    assert record.text(0) == "event “Tower 22 attack”"
    assert [(record.child(i).text(0), record.child(i).text(1), record.child(i).text(2))
            for i in range(record.childCount())] == [("start", "2024-01-28", "27 Jan 2024")]
    select(dialog, "Import ACLED file x.csv")
    assert [dialog.changes.topLevelItem(i).text(0) for i in range(3)] == [
        "event “Strike 1”: created", "event “Strike 2”: created", "event “Strike 3”: created"]


def test_filters_by_analyst_kind_and_dates(dialog):
    assert [dialog.analyst.itemText(i) for i in range(dialog.analyst.count())] == ["Anyone", "alice", "bob", "carol"]
    dialog.analyst.setCurrentIndex(dialog.analyst.findData("bob"))
    assert labels(dialog) == ["Add source “Drone kills three”", "Move event “Tower 22 attack”"]
    dialog.analyst.setCurrentIndex(0)
    dialog.kind.setCurrentIndex(dialog.kind.findData("import"))
    assert labels(dialog) == ["Import ACLED file x.csv"]
    dialog.kind.setCurrentIndex(0)
    dialog.date_from.setText("2 Dec 2026")
    dialog.date_to.setText("December 3, 2026")
    dialog.refresh()
    assert labels(dialog) == ["Add source “Drone kills three”", "Move event “Tower 22 attack”"]
    dialog.date_from.setText("")
    dialog.date_to.setText("2000")
    dialog.refresh()
    assert labels(dialog) == [] and dialog.status.text() == "No recorded change matches"
    dialog.date_to.setText("")
    dialog.date_from.setText("2026-12-05")
    dialog.refresh()
    assert labels(dialog) == ["Import ACLED file x.csv"]
    dialog.date_from.setText("the day after never")
    dialog.refresh()
    assert dialog.status.text().startswith("Dates: cannot read")


def test_since_i_last_opened(qtbot, project):
    d = ProjectHistory(ProjectHub(project), last_opened="2026-12-02T18:00:00Z")
    qtbot.addWidget(d)
    assert d.since_opened.isEnabled() and not d.since_opened.isChecked()
    d.since_opened.setChecked(True)
    assert labels(d) == ["Import ACLED file x.csv", "Add source “Drone kills three”",
                         "Move event “Tower 22 attack”"]
    assert "2026-12-02 18:00:00 UTC" in d.since_opened.text()
    d.date_from.setText("2026-12-04")  # the later of the two bounds wins
    d.refresh()
    assert labels(d) == ["Import ACLED file x.csv"]
    first = ProjectHistory(ProjectHub(project), last_opened=None)
    qtbot.addWidget(first)
    assert not first.since_opened.isEnabled()


def test_remember_opening_gives_the_previous_time_per_file(settings, tmp_path):
    a, b = tmp_path / "a.sijill", tmp_path / "b.sijill"
    monday = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)
    assert remember_opening(settings, a, now=monday) is None
    assert remember_opening(settings, b, now=monday.replace(hour=10)) is None
    assert remember_opening(settings, a, now=monday.replace(hour=11)) == "2026-12-07T09:00:00Z"
    assert remember_opening(settings, b) == "2026-12-07T10:00:00Z"


def test_double_click_selects_the_event(qtbot, dialog, project):
    dialog.show()
    qtbot.waitExposed(dialog)
    select(dialog, "Move event “Tower 22 attack”")
    record = dialog.changes.topLevelItem(0)
    with qtbot.waitSignal(dialog.hub.selection_changed) as blocker:
        rect = dialog.changes.visualItemRect(record)
        qtbot.mouseClick(dialog.changes.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(dialog.changes.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    tower = next(e for e in project.events() if e.title == "Tower 22 attack")
    assert blocker.args == [[tower.id]]
    select(dialog, "Add source “Drone kills three”")
    with qtbot.waitSignal(dialog.hub.passage_requested) as blocker:
        dialog._activate(dialog.changes.topLevelItem(0))
    assert blocker.args == [project.sources()[0].id, None]


def test_follows_new_changes(qtbot, dialog, project):
    tower = next(e for e in project.events() if e.title == "Tower 22 attack")
    GuardedUndoStack().push(UpdateEventCommand(dialog.hub, {tower.id: {"title": "Tower 22 drone attack"}},
                                               "Rename event"))
    qtbot.waitUntil(lambda: len(labels(dialog)) == 6)
    dialog.sets.setCurrentItem(dialog.sets.topLevelItem(0))
    field = dialog.changes.topLevelItem(0).child(0)
    assert (field.text(0), field.text(1), field.text(2)) == ("title", "Tower 22 attack", "Tower 22 drone attack")


def test_view_menu_opens_it_with_the_time_the_project_was_last_opened(qtbot, project, settings, messages):
    from sijill.desktop.shell.main_window import MainWindow

    first = MainWindow(project, settings)
    qtbot.addWidget(first)
    assert first.last_opened is None
    view_menu = next(a.menu() for a in first.menuBar().actions() if a.text() == "&View")
    assert first.action_set.view_project_history in view_menu.actions()
    first.close()
    again = MainWindow(project.path, settings)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.last_opened is not None and again.last_opened.endswith("Z")
    again.action_set.view_project_history.trigger()
    dialog = again.project_history_dialog
    assert dialog.isVisible() and dialog.since_opened.isEnabled()
    assert labels(dialog)[0] == "Import ACLED file x.csv"
    again.action_set.view_project_history.trigger()
    assert again.project_history_dialog is dialog  # one dialog, raised again
    select(dialog, "New group “Kataib Hezbollah”")
    dialog._activate(dialog.changes.topLevelItem(0))
    assert again.group_list.current_group() == again.project.group_by_name("Kataib Hezbollah").id
    assert again.groups_dock.isVisible()  # raised over the event pane it shares a tab bar with
