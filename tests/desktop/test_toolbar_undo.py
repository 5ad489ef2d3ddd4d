"""The toolbar's undo and redo: icons whose tooltip names the step, and undo labels in one style."""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QToolButton

from sijill.desktop.commands.events import DeleteEventsCommand
from sijill.desktop.shell.main_window import MainWindow
from sijill.desktop.commands.sources import AddSourceCommand, DeleteSourceCommand, EditSourceCommand
from sijill.desktop.undo_text import quoted

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()

LONG_TITLE = "Tower 22 drone attack on the US outpost in north-east Jordan kills three soldiers and wounds dozens"
LABEL = re.compile(r"^[A-Z][a-z]+( [a-z0-9]+)*( “[^“”]+”)?( (to|into|under) “[^“”]+”)?$")


@pytest.fixture
def window(qtbot, small_project, settings, messages) -> MainWindow:
    w = MainWindow(small_project, settings)
    qtbot.addWidget(w)
    w.resize(1280, 700)
    w.show()
    qtbot.waitExposed(w)
    return w


def event_id(project, title: str) -> int:
    return next(e.id for e in project.events() if e.title == title)


def edit_title(qtbot, window: MainWindow, old: str, new: str) -> None:
    window.edit_event(event_id(window.project, old))
    dialog = window.event_dialog
    dialog.title.setText(new)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def test_undo_and_redo_are_icons_whose_tooltip_names_the_step(qtbot, window):
    undo, redo = window.action_set.edit_undo, window.action_set.edit_redo
    buttons = [window.toolbar.widgetForAction(a) for a in (undo, redo)]
    for action, button in zip((undo, redo), buttons):
        assert isinstance(button, QToolButton) and button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
        image = action.icon().pixmap(18, 18).toImage()
        assert any(image.pixelColor(x, y).alpha() > 0 for x in range(18) for y in range(18))  # the SVG is drawn
    assert undo.toolTip() == "Nothing to undo (Ctrl+Z)"
    widths, search_at = [b.width() for b in buttons], window.search_box.x()
    edit_title(qtbot, window, "Tower 22 attack", LONG_TITLE)
    qtbot.waitUntil(lambda: undo.toolTip() != "Nothing to undo (Ctrl+Z)")
    assert undo.toolTip() == "Undo Edit event “Tower 22 attack” (Ctrl+Z)"
    assert [b.width() for b in buttons] == widths and window.search_box.x() == search_at  # nothing shoved aside
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: redo.toolTip().startswith("Redo Edit"))
    assert redo.toolTip() == "Redo Edit event “Tower 22 attack” (Ctrl+Shift+Z)"
    assert undo.toolTip() == "Nothing to undo (Ctrl+Z)"
    assert window.undo_stack.undoText() == "" and undo.text() == "&Undo"  # the menu item keeps its own text


def test_a_failed_step_is_still_dropped_while_the_tooltips_follow_the_stack(window, small_project, messages):
    small_project.read_only = True  # tooltips are updated from the stack's signals: none may swallow the error
    assert window.undo_stack.push(DeleteEventsCommand(window.hub, [event_id(small_project, "Tower 22 attack")])) \
        is False
    assert window.undo_stack.count() == 0 and messages


def test_undo_labels_name_the_kind_of_thing_and_quote_its_name_one_way(qtbot, window, small_project):
    stack = window.undo_stack
    edit_title(qtbot, window, "Tower 22 attack", "Tower 22 drone attack")
    window.action_set.edit_new_event.trigger()
    dialog = window.event_dialog
    dialog.title.setText("K-1 rocket attack")
    dialog.start.edit.setText("2019-12-27")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)  # the new event is selected
    stack.push(AddSourceCommand(window.hub, {"title": "CENTCOM statement", "body": "Three soldiers were killed."}))
    source_id = small_project.sources()[-1].id
    stack.push(EditSourceCommand(window.hub, source_id, {"outlet": "CENTCOM"}))
    stack.push(DeleteSourceCommand(window.hub, source_id))
    edit_title(qtbot, window, "Sistani's call to arms", LONG_TITLE)
    labels = [stack.text(i) for i in range(stack.count())]
    assert labels == ["Edit event “Tower 22 attack”", "New event “K-1 rocket attack”",
                      "Delete event “K-1 rocket attack”", "Add source “CENTCOM statement”",
                      "Edit source “CENTCOM statement”", "Delete source “CENTCOM statement”",
                      "Edit event “Sistani's call to arms”"]
    assert all(LABEL.match(label) for label in labels), labels
    edit_title(qtbot, window, LONG_TITLE, "Al-Sistani's call to arms")
    assert stack.undoText() == f"Edit event {quoted(LONG_TITLE)}" and stack.undoText().endswith("…”")
    assert len(stack.undoText()) < 80  # a long title is shortened: the Edit menu stays a menu
