"""Edit ▸ Places…: the project's own places (sites the gazetteer does not list) with their aliases,
coordinates, country, notes and how many events are written with one of their names; New place…, Edit…,
Merge into… and Delete, each one step on the window's undo stack (`sijill.desktop.commands.places`).

The list follows the project while the dialog is open (an undo, `sijill place add` seen through the change
feed, an event edited behind it) and keeps the place chosen, by id.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel,
                               QMessageBox, QPushButton, QTreeWidgetItem, QVBoxLayout, QWidget)

from sijill.db.geo.places import Place
from sijill.desktop.commands.places import (CreatePlaceCommand, DeletePlaceCommand, EditPlaceCommand,
                                            MergePlacesCommand)
from sijill.desktop.hub import ProjectHub
from sijill.desktop.places.editor import PlaceDialog
from sijill.desktop.commands.stack import READ_ONLY_TIP
from sijill.desktop.widgets.record_list import filter_rows, find_box, plural, record_list

COLUMNS = ("Place", "Aliases", "Latitude", "Longitude", "Where", "Events", "Notes")
C_NAME, C_ALIASES, C_LAT, C_LON, C_COUNTRY, C_EVENTS, C_NOTES = range(len(COLUMNS))
NUMBERS = (C_LAT, C_LON, C_EVENTS)


def _row(place: Place, events: int) -> list[str]:
    where = ", ".join(x for x in (place.admin1, place.country) if x)
    notes = " ".join((place.description or "").split())
    return [place.name, ", ".join(place.aliases), f"{place.lat:.5f}", f"{place.lon:.5f}", where, str(events), notes]


class PlaceManager(QDialog):
    """The places of `hub.project` in a list; its buttons push undo commands on `stack`."""

    def __init__(self, hub: ProjectHub, stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hub, self.stack = hub, stack
        self.setObjectName("place_manager")
        self.setWindowTitle("Places")
        self.find = find_box(self, "place_find", "Find a place by name, alias, country or note…")
        self.find.textChanged.connect(self._filter)
        self.tree = record_list(self, "place_list", COLUMNS)
        header = self.tree.header()
        header.setStretchLastSection(True)
        for column in range(len(COLUMNS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.tree.itemDoubleClicked.connect(lambda *_: self.ask_edit())
        self.new_button = QPushButton("&New place…", self)
        self.edit_button = QPushButton("&Edit…", self)
        self.merge_button = QPushButton("&Merge into…", self)
        self.delete_button = QPushButton("&Delete", self)
        self.action_buttons = (self.new_button, self.edit_button, self.merge_button, self.delete_button)
        for button, name, slot, tip in (
                (self.new_button, "place_new", self.ask_new,
                 "Add a place the gazetteer does not list: its candidates are proposed as you type the name"),
                (self.edit_button, "place_edit", self.ask_edit, "Rename the place, move it, change its aliases"),
                (self.merge_button, "place_merge", self.ask_merge,
                 "Keep another place and give it this one's name and aliases as aliases; remove this one"),
                (self.delete_button, "place_delete", self.ask_delete,
                 "Remove the place; events written with its name keep their location and coordinates")):
            button.setObjectName(name)
            button.setToolTip(tip)
            button.clicked.connect(slot)
        self.note = QLabel(self)
        self.note.setObjectName("place_note")
        self.note.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        side = QVBoxLayout()
        for button in self.action_buttons:
            side.addWidget(button)
        side.addStretch(1)
        middle = QHBoxLayout()
        middle.addWidget(self.tree, 1)
        middle.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addWidget(self.find)
        layout.addLayout(middle, 1)
        layout.addWidget(self.note)
        layout.addWidget(close)
        self.resize(860, 440)
        hub.places_changed.connect(self.reload)
        hub.project_reset.connect(self.reload)
        hub.events_changed.connect(lambda _ids: self.reload())  # an event's location counts for a place
        hub.events_removed.connect(lambda _ids: self.reload())
        self.reload()

    # ---- the list -----------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the places and their event counts again, keeping the current place (by id)."""
        current = self.current_place()
        self.tree.clear()
        usage = self.hub.project.place_usage()
        for place in self.hub.project.places():
            item = QTreeWidgetItem(_row(place, usage.get(place.id, 0)))
            item.setData(0, Qt.ItemDataRole.UserRole, place)
            item.setToolTip(C_NOTES, place.description or "")
            for column in NUMBERS:
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.tree.addTopLevelItem(item)
            if current is not None and place.id == current.id:
                self.tree.setCurrentItem(item)
        self._filter(self.find.text())
        n = self.tree.topLevelItemCount()
        self.note.setText("The project has no places of its own yet: New place… adds a site the gazetteer does "
                          "not list (a base, an outpost)." if n == 0
                          else f"{plural(n, 'place')}. Every change here is one step of Edit ▸ Undo.")
        self._update_buttons()

    def _filter(self, text: str) -> None:
        filter_rows(self.tree, text, (C_NAME, C_ALIASES, C_COUNTRY, C_NOTES))

    def places(self) -> list[Place]:
        return [self.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)
                for i in range(self.tree.topLevelItemCount())]

    def current_place(self) -> Place | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def select(self, name: str) -> None:
        for i in range(self.tree.topLevelItemCount()):
            if self.tree.topLevelItem(i).text(C_NAME) == name:
                self.tree.setCurrentItem(self.tree.topLevelItem(i))

    def _events(self, place: Place) -> str:
        item = next(self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())
                    if self.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole).id == place.id)
        return plural(int(item.text(C_EVENTS)), "event")

    def _update_buttons(self) -> None:
        chosen = self.current_place() is not None
        editable = not self.hub.project.read_only
        self.new_button.setEnabled(editable)
        self.edit_button.setEnabled(chosen and editable)
        self.delete_button.setEnabled(chosen and editable)
        self.merge_button.setEnabled(chosen and editable and self.tree.topLevelItemCount() > 1)
        if not editable:
            for button in self.action_buttons:
                button.setToolTip(READ_ONLY_TIP)

    # ---- changes: one undo step each ----------------------------------------------------------
    def create(self, fields: dict) -> bool:
        done = self.stack.push(CreatePlaceCommand(self.hub, fields))
        if done:
            self.select(" ".join(fields["name"].split()))
        return done

    def edit(self, place_id: int, fields: dict) -> bool:
        """Change some fields of a place (nothing to change: no step)."""
        if not fields:
            return False
        return self.stack.push(EditPlaceCommand(self.hub, place_id, fields))

    def merge(self, from_id: int, into_id: int) -> bool:
        done = self.stack.push(MergePlacesCommand(self.hub, from_id, into_id))
        if done:
            self.select(self.hub.project.place(into_id).name)
        return done

    def delete(self, place_id: int) -> bool:
        return self.stack.push(DeletePlaceCommand(self.hub, place_id))

    # ---- asking -------------------------------------------------------------------------------
    def editor(self, place: Place | None = None) -> PlaceDialog:
        """The editor the buttons open (tests fill it in and accept it); a place's has a History tab beside its
        fields, whose "Restore this version" is one undo step and closes the editor."""
        dialog = PlaceDialog(self.hub.project, place, self)
        if place is not None:
            from sijill.desktop.history.history_view import add_history_tab

            add_history_tab(dialog, self.hub, self.stack, "place", place.uid)
            dialog.resize(max(dialog.width(), 640), max(dialog.height(), 440))  # the changes' labels and values
        return dialog

    def ask_new(self) -> bool:
        if self.hub.project.read_only:
            return False
        dialog = self.editor()
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.create(dialog.fields())

    def ask_edit(self) -> bool:
        place = self.current_place()
        if place is None or self.hub.project.read_only:
            return False
        dialog = self.editor(place)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.edit(place.id, dialog.changed_fields())

    def ask_merge(self) -> bool:
        place = self.current_place()
        others = [p for p in self.places() if place is not None and p.id != place.id]
        if place is None or not others or self.hub.project.read_only:
            return False
        into, accepted = QInputDialog.getItem(
            self, "Merge place", f"Keep which place? It takes “{place.name}” and its aliases as aliases, "
            f"keeps its own coordinates, and “{place.name}” is removed:", [p.name for p in others], 0, False)
        if not accepted or not into:
            return False
        return self.merge(place.id, next(p.id for p in others if p.name == into))

    def ask_delete(self) -> bool:
        place = self.current_place()
        if place is None or self.hub.project.read_only:
            return False
        answer = QMessageBox.question(self, "Delete place", f"Delete the place “{place.name}”? The "
                                      f"{self._events(place)} written with its names keep their location and "
                                      "coordinates (Edit ▸ Undo puts the place back).")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        return self.delete(place.id)


def open_place_manager(window) -> PlaceManager:
    """Edit ▸ Places…: one dialog per window, raised again when asked again."""
    if getattr(window, "place_manager", None) is None:
        window.place_manager = PlaceManager(window.hub, window.undo_stack, window)
    window.place_manager.show()
    window.place_manager.raise_()
    window.place_manager.activateWindow()
    return window.place_manager
