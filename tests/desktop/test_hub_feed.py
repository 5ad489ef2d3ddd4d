"""The window hears of every change from the store: `ProjectHub` subscribes to the project's change
feed and turns each committed change set into its signals. No test here emits a hub signal: each
changes the project (directly, through an undo command, or from another connection) and checks
what arrives, and what the window shows."""
from __future__ import annotations

import pytest

from sijill.db.store.project import Project
from sijill.desktop.commands.events import DeleteEventsCommand, UpdateEventCommand
from sijill.desktop.commands.stack import GuardedUndoStack
from sijill.desktop.hub import ProjectHub
from sijill.desktop.events.table_model import C_TITLE

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

SIGNALS = ("events_changed", "events_removed", "groups_changed", "periods_changed", "sources_changed",
           "annotations_changed", "evidence_changed", "project_reset", "tags_changed")


@pytest.fixture
def heard(qapp, project):
    """The hub of `project` and every signal it emits, as (name, args) in order."""
    hub = ProjectHub(project)
    got: list[tuple] = []
    for name in SIGNALS:
        getattr(hub, name).connect(lambda *args, name=name: got.append((name, *args)))
    hub.heard = got
    return hub


def test_each_kind_of_write_is_heard_once_with_the_ids_the_views_know(heard, project):
    hub, got = heard, heard.heard
    kh = project.create_group("Kataib Hezbollah")
    assert got == [("groups_changed",)]
    got.clear()
    tower = project.create_event("Tower 22 attack", "2024-01-28", groups=[(kh.id, "actor")], tags=["drone"])
    assert got == [("events_changed", [tower.id]), ("evidence_changed", [tower.id])]
    got.clear()
    source = project.create_source("CENTCOM statement", "Three U.S. Army soldiers were killed.")
    assert got == [("sources_changed", [source.id]), ("annotations_changed", source.id)]
    got.clear()
    passage = project.create_annotation(source.id, 0, 20, note="the toll")
    assert got == [("sources_changed", [source.id]), ("annotations_changed", source.id)]
    got.clear()
    project.add_evidence(tower.id, annotation_id=passage.id, stance="supports")
    assert got == [("events_changed", [tower.id]), ("annotations_changed", source.id),
                   ("evidence_changed", [tower.id])]
    got.clear()
    project.create_period("Strikes on US bases", "2023-10-17", "2024-02-04")
    assert got == [("periods_changed",)]
    got.clear()
    project.update_event(tower.id, tags=["drone", "Jordan"])
    assert got == [("events_changed", [tower.id]), ("tags_changed",)]
    got.clear()
    hub.set_selection([tower.id])
    project.delete_event(tower.id)
    assert got == [("events_removed", [tower.id])]          # named by the id it had
    assert hub.selection == []                                 # and forgotten by the selection
    got.clear()
    project.set_meta("title", "Iraq 2024")                   # not a record: nothing to tell
    assert got == []


def test_an_undo_step_is_heard_once_and_recorded_under_its_own_name(heard, project):
    hub, got = heard, heard.heard
    stack = GuardedUndoStack()
    tower = project.create_event("Tower 22 attack", "2024-01-28")
    got.clear()
    assert stack.push(UpdateEventCommand(hub, {tower.id: {"title": "Tower 22 drone attack"}},
                                         "Edit event “Tower 22 attack”"))
    assert got == [("events_changed", [tower.id])]
    stack.undo()
    stack.redo()
    assert [(s.label, s.kind) for s in project.change_sets(limit=3)] == [
        ("Redo Edit event “Tower 22 attack”", "undo"), ("Undo Edit event “Tower 22 attack”", "undo"),
        ("Edit event “Tower 22 attack”", "edit")]
    got.clear()
    assert stack.push(DeleteEventsCommand(hub, [tower.id]))
    stack.undo()
    assert got == [("events_removed", [tower.id]), ("events_changed", [tower.id]), ("evidence_changed", [tower.id])]


def test_an_import_is_heard_as_a_whole(heard, project):
    with project.batch("Import ACLED file “acled.csv”", kind="import"):
        for day in range(1, 31):
            project.create_event(f"Clash {day}", f"2023-11-{day:02d}")
    assert heard.heard == [("project_reset",)]


def test_the_window_follows_writes_it_did_not_make(qtbot, small_project, settings, messages):
    from sijill.desktop.shell.main_window import MainWindow

    window = MainWindow(small_project, settings)
    qtbot.addWidget(window)
    window.show()

    def titles() -> set[str]:
        proxy = window.table.proxy
        return {proxy.index(r, C_TITLE).data() for r in range(proxy.rowCount())}

    tower = next(e for e in small_project.events() if e.title == "Tower 22 attack")
    small_project.update_event(tower.id, title="Tower 22 drone attack")  # e.g. the command line, in process
    assert "Tower 22 drone attack" in titles() and "Tower 22 attack" not in titles()
    with Project.open(small_project.path) as cli:             # another program writes the file
        cli.create_event("Strikes in Al-Qaim", "2024-02-02")
    assert "Strikes in Al-Qaim" not in titles()
    assert [s.label for s in small_project.poll_changes()] == ["Create event"]
    assert "Strikes in Al-Qaim" in titles()
    window.close()


def test_a_deleted_hub_hears_nothing_more(qapp, project):
    listening = len(project.feed._subscribers)
    hub = ProjectHub(project)
    assert len(project.feed._subscribers) == listening + 1
    hub.deleteLater()
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    del hub
    assert len(project.feed._subscribers) == listening       # it unsubscribed as it went
    project.create_event("After the window closed", "2024")  # no hub to call, and no error
    assert project.change_sets(limit=1)[0].label == "Create event"
