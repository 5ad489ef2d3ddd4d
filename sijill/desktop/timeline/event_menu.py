"""The timeline's context menu on an event: edit it, mark it as a key event (its label wins where
labels compete), delete it. Each change is one undoable command on the view's stack."""
from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QMenu

from sijill.db.store.basics import ProjectError
from sijill.desktop.commands.events import DeleteEventsCommand, KeyEventCommand
from sijill.db.timeline.frame import AXIS_H

KEY_EVENT_TEXT = "Mark as &key event"
KEY_EVENT_TIP = "A turning point: where labels compete on the timeline, its label wins"


def event_at(view, pos: QPoint) -> int | None:
    """The event drawn under `pos` (canvas coordinates), or None."""
    if pos.y() <= AXIS_H:
        return None
    hit = view.canvas.ensure_frame().hit(pos.x(), pos.y())
    return None if hit is None else int(hit[0].ids[hit[1]])


def event_menu(view, event_id: int) -> QMenu:
    """The menu for one event of `view` (a TimelineView); its actions are named for tests."""
    project = view.hub.project
    menu = QMenu(view.canvas)
    try:
        event = project.event(event_id)
    except ProjectError:
        return menu
    edit = menu.addAction("&Edit event…", lambda: view.edit_event(event_id))
    edit.setObjectName("event_menu_edit")
    key = menu.addAction(KEY_EVENT_TEXT)
    key.setObjectName("event_menu_key")
    key.setCheckable(True)
    key.setChecked(event.key_event)
    key.setStatusTip(KEY_EVENT_TIP)
    key.setToolTip(KEY_EVENT_TIP)
    key.toggled.connect(lambda on: view.undo_stack.push(KeyEventCommand(view.hub, event_id, on)))
    menu.addSeparator()
    delete = menu.addAction("&Delete", lambda: view.undo_stack.push(DeleteEventsCommand(view.hub, [event_id])))
    delete.setObjectName("event_menu_delete")
    for action in (edit, key, delete):
        action.setEnabled(not project.read_only)
    return menu


def show_event_menu(view, pos: QPoint) -> QMenu | None:
    """Right-click on the canvas: the event under the pointer is selected (unless it already is,
    with others) and its menu pops up. Returns the menu (None where there is no event)."""
    event_id = event_at(view, pos)
    if event_id is None:
        return None
    if event_id not in view.hub.selection:
        view.hub.set_selection([event_id])
    menu = event_menu(view, event_id)
    menu.popup(view.canvas.mapToGlobal(pos))
    view.event_menu = menu
    return menu
