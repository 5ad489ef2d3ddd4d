"""The group editor: name, kind, parent, colour, aliases with their language, description.

The same dialog creates a group (`group` None: `fields()` is what CreateGroupCommand takes) and
edits one (`changed_fields()` is what EditGroupCommand takes).
"""
from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QUndoStack
from PySide6.QtWidgets import (QColorDialog, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QHBoxLayout, QHeaderView, QLineEdit,
                               QPlainTextEdit, QPushButton, QStyledItemDelegate, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from sijill.db.store.entities import Alias, Group
from sijill.desktop.commands.groups import CreateGroupCommand, EditGroupCommand
from sijill.desktop.commands.stack import refuse_read_only
from sijill.desktop.groups.palette import PALETTE
from sijill.desktop.hub import ProjectHub
from sijill.desktop.widgets.dialog_parts import error_label, ok_cancel

KINDS = ("armed group", "militia", "state", "state forces", "coalition", "political party", "other")
LANGUAGES = ("", "en", "fr", "ar")


def next_color(colors: Iterable[str | None]) -> QColor:
    """The first lane colour of the palette none of `colors` is (cycling when all are taken)."""
    colors = list(colors)
    used = {(c or "").lower() for c in colors}
    return QColor(next((c for c in PALETTE if c not in used), PALETTE[len(colors) % len(PALETTE)]))


class LanguageDelegate(QStyledItemDelegate):
    """An alias's language as a short editable list: en, fr, ar (any other code may be typed)."""

    def createEditor(self, parent, option, index):  # noqa: N802 (Qt name)
        combo = QComboBox(parent)
        combo.setEditable(True)
        combo.addItems(list(LANGUAGES))
        return combo

    def setEditorData(self, editor, index) -> None:  # noqa: N802 (Qt name)
        editor.setCurrentText(index.data() or "")

    def setModelData(self, editor, model, index) -> None:  # noqa: N802 (Qt name)
        model.setData(index, editor.currentText().strip().lower())


class GroupDialog(QDialog):
    """Create a group (`group` None, under `parent_id` when given) or edit one."""

    def __init__(self, hub: ProjectHub, group: Group | None, parent: QWidget | None = None,
                 parent_id: int | None = None) -> None:
        super().__init__(parent)
        self.hub = hub
        self.group = group
        self.setObjectName("group_dialog")
        groups = hub.project.groups()
        names = {g.id: g.name for g in groups}
        if group is not None:
            self.setWindowTitle(f"Edit group — {group.name}")
        else:
            self.setWindowTitle(f"New sub-group of {names[parent_id]}" if parent_id in names else "New group")
        self.resize(520, 500)
        inside = self._subtree(groups, group.id) if group is not None else set()
        self.name = QLineEdit(group.name if group else "", self)
        self.name.setPlaceholderText("e.g. Kataib Hezbollah")
        self.kind = QComboBox(self)
        self.kind.setEditable(True)
        used = sorted({g.kind for g in groups if g.kind} - set(KINDS), key=str.casefold)
        self.kind.addItems(["", *KINDS, *used])        # the project's own kinds too
        self.kind.setCurrentText((group.kind or "") if group else "")
        self.parent_group = QComboBox(self)
        self.parent_group.addItem("(none: a top-level group)", None)
        depth: dict[int, int] = {}
        for g in groups:
            depth[g.id] = depth[g.parent_id] + 1 if g.parent_id in depth else 0
            if g.id not in inside:
                self.parent_group.addItem("    " * depth[g.id] + g.name, g.id)
        current_parent = group.parent_id if group is not None else parent_id
        self.parent_group.setCurrentIndex(max(self.parent_group.findData(current_parent), 0))
        self.color = QColor(group.color) if group and group.color else (
            next_color(g.color for g in groups) if group is None else QColor("#9e9e9e"))
        self._color_set = group is None or bool(group.color)   # a group without colour keeps none
        self.color_button = QPushButton(self)
        self.color_button.clicked.connect(self.choose_color)
        self._show_color()
        self.aliases = QTableWidget(0, 2, self)
        self.aliases.setHorizontalHeaderLabels(["Alias", "Language"])
        self.aliases.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.aliases.verticalHeader().hide()
        self.aliases.setItemDelegateForColumn(1, LanguageDelegate(self.aliases))
        self.aliases.setColumnWidth(1, 90)
        self.aliases.setMinimumHeight(110)
        for alias in (group.aliases if group else ()):
            self.add_alias(alias.alias, alias.lang or "")
        add, remove = QPushButton("Add alias", self), QPushButton("Remove", self)
        add.clicked.connect(lambda: self.add_alias())
        remove.clicked.connect(self.remove_alias)
        self.description = QPlainTextEdit((group.description or "") if group else "", self)
        self.description.setPlaceholderText("Who they are, when they formed, what sources call them")
        self.description.setMaximumHeight(110)
        self._touched = group is not None
        self.message = error_label(self)
        self.buttons = ok_cancel(self)
        self.name.textChanged.connect(self._name_typed)
        if group is None:
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")

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
        self._color_set = True
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

    def _name_typed(self) -> None:
        self._touched = True
        self.validate()

    def validate(self) -> bool:
        """Enable OK only for a name no other group has; say why not once something is typed."""
        name = self.name.text().strip()
        own = self.group.name if self.group is not None else None
        taken = name != own and self.hub.project.group_by_name(name) is not None
        problem = "the group needs a name" if not name else (f"a group named “{name}” exists" if taken else "")
        self.message.setText(problem if self._touched else "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)
        return not problem

    def fields(self) -> dict:
        """Every field, as Project.create_group takes them."""
        return {"name": self.name.text().strip(), "kind": self.kind.currentText().strip() or None,
                "parent": self.parent_group.currentData(),
                "color": self.color.name() if self._color_set else None,
                "description": self.description.toPlainText().strip() or None,
                "aliases": self.alias_list()}

    def changed_fields(self) -> dict:
        g = self.group
        new = self.fields()
        old = {"name": g.name, "kind": g.kind, "parent": g.parent_id,
               "color": QColor(g.color).name() if g.color else None,
               "description": g.description, "aliases": list(g.aliases)}
        return {k: v for k, v in new.items() if v != old[k]}

    def accept(self) -> None:
        if self.validate():
            super().accept()


def open_group_editor(parent: QWidget, hub: ProjectHub, stack: QUndoStack, group_id: int) -> GroupDialog | None:
    """Show the editor for a group; OK pushes an EditGroupCommand (nothing when nothing changed)."""
    if refuse_read_only(hub.project, parent):
        return None
    dialog = GroupDialog(hub, hub.project.group(group_id), parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    from sijill.desktop.history.history_view import add_history_tab

    add_history_tab(dialog, hub, stack, "group", dialog.group.uid)

    def push() -> None:
        changes = dialog.changed_fields()
        if changes:
            stack.push(EditGroupCommand(hub, group_id, changes, f"Edit group “{dialog.group.name}”"))

    dialog.accepted.connect(push)
    dialog.open()
    return dialog


def open_new_group(parent: QWidget, hub: ProjectHub, stack: QUndoStack, parent_id: int | None = None,
                   created=None) -> GroupDialog | None:
    """Show the dialog for a new group (a sub-group of `parent_id` when given); Create pushes a
    CreateGroupCommand and calls `created(group_id)` once it is in the project."""
    if refuse_read_only(hub.project, parent):
        return None
    dialog = GroupDialog(hub, None, parent, parent_id=parent_id)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def push() -> None:
        command = CreateGroupCommand(hub, dialog.fields())
        stack.push(command)
        if command.group_id is not None and created is not None:
            created(command.group_id)

    dialog.accepted.connect(push)
    dialog.open()
    return dialog
