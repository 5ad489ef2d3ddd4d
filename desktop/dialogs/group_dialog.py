"""The group editor: name, kind, parent, colour, aliases with their language, description."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QUndoStack
from PySide6.QtWidgets import (QColorDialog, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox,
                               QPlainTextEdit, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from db.models import Alias, Group
from desktop.commands import UpdateGroupCommand
from desktop.hub import ProjectHub

KINDS = ("armed group", "militia", "state", "state forces", "coalition", "political party", "other")


class GroupDialog(QDialog):
    """Edit one group; `changed_fields()` is what UpdateGroupCommand takes."""

    def __init__(self, hub: ProjectHub, group: Group, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hub = hub
        self.group = group
        self.setObjectName("group_dialog")
        self.setWindowTitle(f"Edit group — {group.name}")
        self.resize(520, 520)
        groups = hub.project.groups()
        inside = self._subtree(groups, group.id)
        self.name = QLineEdit(group.name, self)
        self.kind = QComboBox(self)
        self.kind.setEditable(True)
        self.kind.addItems(["", *KINDS])
        self.kind.setCurrentText(group.kind or "")
        self.parent_group = QComboBox(self)
        self.parent_group.addItem("(none: a top-level group)", None)
        for g in groups:
            if g.id not in inside:
                self.parent_group.addItem(g.name, g.id)
        self.parent_group.setCurrentIndex(max(self.parent_group.findData(group.parent_id), 0))
        self.color = QColor(group.color) if group.color else QColor("#9e9e9e")
        self.color_button = QPushButton(self)
        self.color_button.clicked.connect(self.choose_color)
        self._show_color()
        self.aliases = QTableWidget(0, 2, self)
        self.aliases.setHorizontalHeaderLabels(["Alias", "Language"])
        self.aliases.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.aliases.verticalHeader().hide()
        for alias in group.aliases:
            self.add_alias(alias.alias, alias.lang or "")
        add, remove = QPushButton("Add alias", self), QPushButton("Remove", self)
        add.clicked.connect(lambda: self.add_alias())
        remove.clicked.connect(self.remove_alias)
        self.description = QPlainTextEdit(group.description or "", self)
        self.message = QLabel(self)
        self.message.setStyleSheet("color: #c62828;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(self.validate)

        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("&Kind", self.kind)
        form.addRow("&Part of", self.parent_group)
        form.addRow("&Colour", self.color_button)
        alias_buttons = QHBoxLayout()
        alias_buttons.addWidget(add)
        alias_buttons.addWidget(remove)
        alias_buttons.addStretch(1)
        alias_box = QVBoxLayout()
        alias_box.addWidget(self.aliases)
        alias_box.addLayout(alias_buttons)
        form.addRow("Aliases", alias_box)
        form.addRow("&Description", self.description)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.validate()

    @staticmethod
    def _subtree(groups: list[Group], root: int) -> set[int]:
        inside = {root}
        for g in groups:  # parents come before their children
            if g.parent_id in inside:
                inside.add(g.id)
        return inside

    def choose_color(self) -> None:
        color = QColorDialog.getColor(self.color, self, "Colour of the group's lane")
        if color.isValid():
            self.set_color(color)

    def set_color(self, color: QColor) -> None:
        self.color = QColor(color)
        self._show_color()

    def _show_color(self) -> None:
        name = self.color.name()
        text = "#000000" if self.color.lightness() > 140 else "#ffffff"
        self.color_button.setText(name)
        self.color_button.setStyleSheet(f"background: {name}; color: {text}; padding: 4px 12px;")

    def add_alias(self, alias: str = "", lang: str = "") -> None:
        row = self.aliases.rowCount()
        self.aliases.insertRow(row)
        self.aliases.setItem(row, 0, QTableWidgetItem(alias))
        self.aliases.setItem(row, 1, QTableWidgetItem(lang))

    def remove_alias(self) -> None:
        row = self.aliases.currentRow()
        self.aliases.removeRow(row if row >= 0 else self.aliases.rowCount() - 1)

    def alias_list(self) -> list[Alias]:
        out = []
        for row in range(self.aliases.rowCount()):
            alias = (self.aliases.item(row, 0).text() if self.aliases.item(row, 0) else "").strip()
            lang = (self.aliases.item(row, 1).text() if self.aliases.item(row, 1) else "").strip()
            if alias:
                out.append(Alias(alias, lang or None))
        return out

    def validate(self) -> bool:
        name = self.name.text().strip()
        taken = name != self.group.name and self.hub.project.group_by_name(name) is not None
        problem = "the group needs a name" if not name else (f"a group named “{name}” exists" if taken else "")
        self.message.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)
        return not problem

    def changed_fields(self) -> dict:
        g = self.group
        new = {"name": self.name.text().strip(), "kind": self.kind.currentText().strip() or None,
               "parent": self.parent_group.currentData(), "color": self.color.name(),
               "description": self.description.toPlainText().strip() or None,
               "aliases": self.alias_list()}
        old = {"name": g.name, "kind": g.kind, "parent": g.parent_id,
               "color": QColor(g.color).name() if g.color else None,
               "description": g.description, "aliases": list(g.aliases)}
        return {k: v for k, v in new.items() if v != old[k]}

    def accept(self) -> None:
        if self.validate():
            super().accept()


def open_group_editor(parent: QWidget, hub: ProjectHub, stack: QUndoStack, group_id: int) -> GroupDialog | None:
    """Show the editor for a group; OK pushes an UpdateGroupCommand (nothing when nothing changed)."""
    if hub.project.read_only:
        QMessageBox.information(parent, "Read-only project",
                                f"{hub.project.path.name} is open read-only: groups cannot be edited.")
        return None
    dialog = GroupDialog(hub, hub.project.group(group_id), parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def push() -> None:
        changes = dialog.changed_fields()
        if changes:
            stack.push(UpdateGroupCommand(hub, group_id, changes, f"Edit group “{dialog.group.name}”"))

    dialog.accepted.connect(push)
    dialog.open()
    return dialog
