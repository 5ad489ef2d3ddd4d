"""Edit ▸ Places… ▸ Edit…: the place editor has a History tab like the event's, and "Restore this version"
puts a place's old name, coordinates and aliases back as one undo step, checked against the project file
opened again, through undo and redo."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from sijill.db.store.project import Project
from sijill.desktop.history.history_view import HistoryView
from sijill.desktop.places.editor import PlaceDialog
from sijill.desktop.places.manager import PlaceManager
from sijill.desktop.shell.main_window import MainWindow

# the offscreen platform: top-level show(), raise(), the completer's popup
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise", "grabbing the keyboard")


@pytest.fixture
def window(qtbot, project: Project, settings, messages) -> MainWindow:
    project.analyst = "alice"
    with project.labelled("New place “Tower 22”"):
        project.create_place("Tower 22", 33.3219, 38.7556, country="Jordan", aliases=["T22"])
    w = MainWindow(project, settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def manager(window) -> PlaceManager:
    window.action_set.edit_places.trigger()
    manager = window.place_manager
    manager.select("Tower 22")
    return manager


def in_the_editor(qtbot, manager: PlaceManager, act) -> PlaceDialog:
    """The editor Edit… opens for the chosen place, shown, `act(dialog)` done in it; OK pushes the edit as
    Edit… does (`PlaceManager.ask_edit` runs the same dialog modally)."""
    dialog = manager.editor(manager.current_place())
    qtbot.addWidget(dialog)
    dialog.accepted.connect(lambda: manager.edit(dialog.place.id, dialog.changed_fields()))
    dialog.show()
    qtbot.waitExposed(dialog)
    act(dialog)
    return dialog


def file_place(project: Project) -> tuple:
    with Project.open(project.path, read_only=True) as p:
        [place] = p.places()
        return place.name, place.lat, place.lon, place.aliases


def test_a_place_s_history_restores_its_old_name_and_coordinates_in_one_undo_step(qtbot, window, manager, tmp_path):
    project = window.hub.project
    old = ("Tower 22", 33.3219, 38.7556, ("T22",))

    def move(dialog: PlaceDialog) -> None:
        dialog.name.setText("Tower 22 (Rukban)")
        dialog.latitude.setText("33.3301")
        dialog.longitude.setText("38.7712")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    in_the_editor(qtbot, manager, move)
    moved = ("Tower 22 (Rukban)", 33.3301, 38.7712, ("T22", "Tower 22"))  # the old name kept as an alias
    assert file_place(project) == moved
    steps = window.undo_stack.count()

    def restore(dialog: PlaceDialog) -> None:
        assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == ["&Details", "&History"]
        dialog.tabs.setCurrentIndex(1)
        view = dialog.findChild(HistoryView)
        changes = [view.list.topLevelItem(i).text(2) for i in range(view.list.topLevelItemCount())]
        assert changes == ["Edit place “Tower 22” (name, lat, lon, links)", "New place “Tower 22” (created)"]
        view.list.setCurrentItem(view.list.topLevelItem(1))  # the place as it was created
        dialog.grab().save(str(tmp_path / "place-history.png"))
        assert view.restore_button.isEnabled()
        qtbot.mouseClick(view.restore_button, Qt.MouseButton.LeftButton)

    editor = in_the_editor(qtbot, manager, restore)
    assert not editor.isVisible() and editor.result() == 0  # the restore closes the editor: its fields were stale
    assert file_place(project) == old
    assert window.undo_stack.count() == steps + 1
    assert window.undo_stack.undoText().startswith("Restore “Tower 22 (Rukban)” to ")
    assert manager.current_place().name == "Tower 22"  # the list follows
    newest, _changes = project.history(project.places()[0].uid)[0]
    assert (newest.kind, newest.label) == ("restore", window.undo_stack.undoText())
    window.undo_stack.undo()
    assert file_place(project) == moved
    window.undo_stack.redo()
    assert file_place(project) == old


def test_a_new_place_has_no_history_tab(qtbot, manager):
    dialog = manager.editor()
    qtbot.addWidget(dialog)
    assert dialog.findChild(HistoryView) is None
