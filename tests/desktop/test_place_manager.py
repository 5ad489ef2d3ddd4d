"""Edit ▸ Places…: create, rename, move, re-alias, merge and delete the project's own places from the
dialog, each one undo step, undone and redone, checked against the project FILE opened again; the list
follows through undo and redo, a refused step leaves nothing, and the Project history names each step."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QInputDialog

from sijill.db.store.project import Project
from sijill.desktop.shell.main_window import MainWindow
from sijill.desktop.places.manager import C_EVENTS, C_NAME, PlaceManager
from sijill.desktop.history.project_history import open_project_history

# the offscreen platform: top-level show(), raise(), the completer's popup
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise", "grabbing the keyboard")


@pytest.fixture
def placed(project: Project) -> Project:
    """Two places and three events written with their names (one by an alias, in another spelling)."""
    project.create_place("Ain al-Asad Air Base", 33.7856, 42.4412, country="Iraq", admin1="Al Anbar",
                         aliases=["Al Asad"], description="US and coalition base")
    project.create_place("Tower 22", 33.3219, 38.7556, country="Jordan")
    for title, location in (("Rocket attack", "Ain al-Asad Air Base"), ("Drone strike", "al-Asad"),
                            ("Drone attack", "Tower 22")):
        project.create_event(title, "2024-01-20", location=location)
    return project


@pytest.fixture
def window(qtbot, placed, settings, messages) -> MainWindow:
    w = MainWindow(placed, settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def manager(window) -> PlaceManager:
    window.action_set.edit_places.trigger()
    return window.place_manager


def file_places(project: Project) -> list[tuple]:
    """(name, lat, lon, country, aliases, uid) of every place, from the file opened again."""
    with Project.open(project.path, read_only=True) as p:
        return [(x.name, x.lat, x.lon, x.country, x.aliases, x.uid) for x in p.places()]


def rows(manager: PlaceManager) -> list[tuple[str, ...]]:
    tree = manager.tree
    return [tuple(tree.topLevelItem(i).text(c) for c in range(tree.columnCount()))
            for i in range(tree.topLevelItemCount())]


def answer_editor(monkeypatch, manager: PlaceManager, fill) -> list:
    """The editor the next button opens is filled by `fill(dialog)` and accepted (when OK is enabled)."""
    opened = []
    real = manager.editor

    def editor(place=None):
        dialog = real(place)
        fill(dialog)
        ok = dialog.validate()
        dialog.exec = lambda: QDialog.DialogCode.Accepted if ok else QDialog.DialogCode.Rejected
        opened.append(dialog)
        return dialog

    monkeypatch.setattr(manager, "editor", editor)
    return opened


def undo_redo_round_trip(window, project, before, after) -> None:
    assert file_places(project) == after
    window.undo_stack.undo()
    assert file_places(project) == before
    window.undo_stack.redo()
    assert file_places(project) == after


def test_reachable_from_the_edit_menu_with_counts_of_events(window, manager):
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    assert window.action_set.edit_places in edit_menu.actions()
    assert manager.isVisible()
    assert rows(manager) == [
        ("Ain al-Asad Air Base", "Al Asad", "33.78560", "42.44120", "Al Anbar, Iraq", "2", "US and coalition base"),
        ("Tower 22", "", "33.32190", "38.75560", "Jordan", "1", "")]
    window.action_set.edit_places.trigger()
    assert window.place_manager is manager  # one dialog, raised again
    manager.find.setText("jordan")
    assert [manager.tree.topLevelItem(i).isHidden() for i in range(2)] == [True, False]
    manager.find.setText("al asad")
    assert [manager.tree.topLevelItem(i).isHidden() for i in range(2)] == [False, True]


def test_new_place_with_the_gazetteer_proposing_coordinates(qtbot, window, manager, placed, monkeypatch):
    before = file_places(placed)

    def fill(dialog):
        qtbot.keyClicks(dialog.name, "Bagdad")
        assert dialog.completer.candidates[0].name == "Baghdad"
        dialog.completer.completer.activated[str].emit(dialog.completer.model.stringList()[0])
        assert (dialog.name.text(), dialog.country.text(), dialog.admin1.text()) == ("Baghdad", "Iraq", "Baghdad")
        assert dialog.latitude.text().startswith("33.3")
        dialog.name.setText("Baghdad Airport")
        dialog.aliases.setPlainText("BIAP\nمطار بغداد")

    answer_editor(monkeypatch, manager, fill)
    assert manager.new_button.isEnabled()
    assert manager.ask_new()
    assert window.undo_stack.undoText() == "New place “Baghdad Airport”"
    after = file_places(placed)
    new = next(p for p in after if p[0] == "Baghdad Airport")
    assert new[3:5] == ("Iraq", ("BIAP", "مطار بغداد")) and new[1] == pytest.approx(33.34, abs=0.01)
    assert manager.current_place().name == "Baghdad Airport"
    undo_redo_round_trip(window, placed, before, after)  # redo puts back the same place (same uid)
    assert [r[C_NAME] for r in rows(manager)] == ["Ain al-Asad Air Base", "Baghdad Airport", "Tower 22"]


def test_rename_edit_coordinates_and_aliases_each_one_step(qtbot, window, manager, placed, monkeypatch):
    start = file_places(placed)
    manager.select("Tower 22")
    answer_editor(monkeypatch, manager, lambda d: d.name.setText("Tower 22 (Jordan)"))
    assert manager.ask_edit()
    assert window.undo_stack.undoText() == "Rename place “Tower 22” to “Tower 22 (Jordan)”"
    renamed = file_places(placed)
    assert [p[0] for p in renamed] == ["Ain al-Asad Air Base", "Tower 22 (Jordan)"]
    assert renamed[1][4:] == (("Tower 22",), start[1][5])  # the same place, the old name kept as an alias
    assert rows(manager)[1][C_EVENTS] == "1"  # the event written "Tower 22" still counts
    undo_redo_round_trip(window, placed, start, renamed)
    assert manager.current_place().name == "Tower 22 (Jordan)"  # kept by id through undo and redo

    def move(dialog):
        dialog.latitude.setText("33,3220")  # a decimal comma is read too
        dialog.longitude.setText("38.7560")
        dialog.aliases.setPlainText("Tower-22\nT22")

    answer_editor(monkeypatch, manager, move)
    assert manager.ask_edit()
    assert window.undo_stack.undoText() == "Edit place “Tower 22 (Jordan)”"
    moved = file_places(placed)
    assert moved[1][:5] == ("Tower 22 (Jordan)", 33.322, 38.756, "Jordan", ("Tower-22", "T22"))
    undo_redo_round_trip(window, placed, renamed, moved)
    assert rows(manager)[1][:4] == ("Tower 22 (Jordan)", "Tower-22, T22", "33.32200", "38.75600")
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert file_places(placed) == start


def test_renaming_without_keeping_the_old_name(qtbot, window, manager, placed, monkeypatch):
    manager.select("Tower 22")

    def rename(dialog):
        assert dialog.keep_old_name.isHidden()
        dialog.name.setText("Tower Twenty-Two")
        assert not dialog.keep_old_name.isHidden() and dialog.keep_old_name.text() == "&Keep “Tower 22” as an alias"
        dialog.keep_old_name.setChecked(False)

    answer_editor(monkeypatch, manager, rename)
    assert manager.ask_edit()
    assert window.undo_stack.undoText() == "Rename place “Tower 22” to “Tower Twenty-Two”"
    assert file_places(placed)[1][:5] == ("Tower Twenty-Two", 33.3219, 38.7556, "Jordan", ())
    assert rows(manager)[1][C_EVENTS] == "0"


def test_the_editor_refuses_a_name_in_use_and_coordinates_out_of_range(qtbot, manager, placed):
    dialog = manager.editor(placed.place("Tower 22"))
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert ok.isEnabled()
    dialog.name.selectAll()
    qtbot.keyClicks(dialog.name, "Ain al-Asad Air Base")
    assert not ok.isEnabled() and "already exists" in dialog.message.text()
    dialog.name.setText("Tower 22")
    dialog.latitude.selectAll()
    qtbot.keyClicks(dialog.latitude, "93")
    assert not ok.isEnabled() and dialog.message.text() == "latitude 93.0 is outside -90…90"
    dialog.latitude.clear()
    assert dialog.message.text() == "give the latitude and the longitude, in decimal degrees"
    new = manager.editor()  # a new place: nothing said before the analyst types, OK disabled
    qtbot.addWidget(new)
    qtbot.keyClicks(new.name, "Rukban")
    assert new.message.text() == ""
    assert new.buttons.button(new.buttons.StandardButton.Ok).toolTip() == (
        "Needed first: give the latitude and the longitude, in decimal degrees")


def test_merge_then_undo_and_redo(window, manager, placed, monkeypatch, messages):
    before = file_places(placed)
    base_uid = before[0][5]
    manager.select("Tower 22")
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("Ain al-Asad Air Base", True)))
    assert manager.ask_merge()
    assert window.undo_stack.undoText() == "Merge place “Tower 22” into “Ain al-Asad Air Base”"
    after = file_places(placed)
    assert after == [("Ain al-Asad Air Base", 33.7856, 42.4412, "Iraq", ("Al Asad", "Tower 22"), base_uid)]
    assert [(r[C_NAME], r[C_EVENTS]) for r in rows(manager)] == [("Ain al-Asad Air Base", "3")]
    assert manager.current_place().name == "Ain al-Asad Air Base"
    undo_redo_round_trip(window, placed, before, after)
    window.undo_stack.undo()
    assert [(r[C_NAME], r[C_EVENTS]) for r in rows(manager)] == [("Ain al-Asad Air Base", "2"), ("Tower 22", "1")]
    history = open_project_history(window)
    labels = [history.sets.topLevelItem(i).text(2) for i in range(3)]
    assert labels == ["Undo Merge place “Tower 22” into “Ain al-Asad Air Base”",
                      "Redo Merge place “Tower 22” into “Ain al-Asad Air Base”",
                      "Undo Merge place “Tower 22” into “Ain al-Asad Air Base”"]
    changes = [history.changes.topLevelItem(i).text(0) for i in range(history.changes.topLevelItemCount())]
    assert "place “Tower 22”: created" in changes
    manager.select("Ain al-Asad Air Base")
    tower = next(history.changes.topLevelItem(i) for i in range(history.changes.topLevelItemCount())
                 if history.changes.topLevelItem(i).text(0) == "place “Tower 22”: created")
    history.changes.itemDoubleClicked.emit(tower, 0)  # double-click: the place chosen in Edit ▸ Places…
    assert manager.current_place().name == "Tower 22"


def test_delete_asks_then_undo_puts_the_same_place_back(window, manager, placed, messages):
    before = file_places(placed)
    manager.select("Ain al-Asad Air Base")
    assert manager.ask_delete()
    assert messages[-1] == ("Delete place", "Delete the place “Ain al-Asad Air Base”? The 2 events written with "
                            "its names keep their location and coordinates (Edit ▸ Undo puts the place back).")
    after = file_places(placed)
    assert [p[0] for p in after] == ["Tower 22"]
    undo_redo_round_trip(window, placed, before, after)
    window.undo_stack.undo()
    assert rows(manager)[0][:2] == ("Ain al-Asad Air Base", "Al Asad")
    assert [e.location for e in placed.events()].count("al-Asad") == 1  # events were never touched


def test_a_refused_step_leaves_nothing_on_the_stack(window, manager, placed, messages):
    before = file_places(placed)
    count = window.undo_stack.count()
    assert not manager.create({"name": "Tower 22", "lat": 1.0, "lon": 2.0})
    assert window.undo_stack.count() == count
    assert file_places(placed) == before
    assert "already exists" in messages[-1][1]


def test_read_only_project_disables_every_change(qtbot, placed, settings, messages):
    path = placed.path
    placed.close()
    with Project.open(path, read_only=True) as project:
        w = MainWindow(project, settings)
        qtbot.addWidget(w)
        manager = PlaceManager(w.hub, w.undo_stack, w)
        qtbot.addWidget(manager)
        assert [b.isEnabled() for b in manager.action_buttons] == [False] * 4
        assert [manager.tree.topLevelItem(i).text(0) for i in range(2)] == ["Ain al-Asad Air Base", "Tower 22"]
        w.close()


def test_a_place_added_from_the_command_line_appears_in_the_open_dialog(qtbot, manager, placed):
    with Project.open(placed.path) as other:
        other.create_place("Rukban", 33.3, 38.7)
    placed.poll_changes()  # what the window's file watch does when the file changes
    qtbot.waitUntil(lambda: "Rukban" in [r[C_NAME] for r in rows(manager)], timeout=5000)
    assert manager.tree.topLevelItem(1).data(0, Qt.ItemDataRole.UserRole).name == "Rukban"
