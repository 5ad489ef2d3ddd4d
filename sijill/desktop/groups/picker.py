"""A group chosen by typing: the project's groups, indented by hierarchy and completed as the name is
typed (anywhere in the name, any case), and — when what is typed names no group — an entry
“Create group ‘X’” that marks X as a group to create when the dialog is accepted.

Nothing is written here: `value()` is a group id, or the name of a group to create, or None.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QStyledItemDelegate, QWidget

from sijill.db.store.entities import Group

DEPTH_ROLE = Qt.ItemDataRole.UserRole + 7
CREATE_OPEN, CREATE_CLOSE = "Create group ‘", "’"


def create_entry(name: str) -> str:
    return f"{CREATE_OPEN}{name}{CREATE_CLOSE}"


class IndentDelegate(QStyledItemDelegate):
    """Indents each entry of the drop-down list by its depth in the group tree."""

    def initStyleOption(self, option, index) -> None:  # noqa: N802 (Qt name)
        super().initStyleOption(option, index)
        depth = index.data(DEPTH_ROLE) or 0
        option.rect.adjust(14 * depth, 0, 0, 0)


class GroupPicker(QComboBox):
    """An editable combo over the groups. `changed` fires when what it names changes."""

    changed = Signal()

    def __init__(self, groups: list[Group], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setItemDelegate(IndentDelegate(self))
        self.lineEdit().setPlaceholderText("Type a group's name…")
        self.pending_new: str | None = None      # a name the analyst chose to create
        self._ids: dict[str, int] = {}
        paths: dict[int, list[str]] = {}
        for g in groups:                      # parents come before their children
            paths[g.id] = [*paths.get(g.parent_id, []), g.name]
            self.addItem(g.name, g.id)
            self.setItemData(self.count() - 1, len(paths[g.id]) - 1, DEPTH_ROLE)
            self.setItemData(self.count() - 1, " › ".join(paths[g.id]), Qt.ItemDataRole.ToolTipRole)
            self._ids[g.name.casefold()] = g.id
        self._names = [g.name for g in groups]
        self.completion = QStandardItemModel(self)
        self._set_entries(None)
        completer = QCompleter(self.completion, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setMaxVisibleItems(12)
        self.setCompleter(completer)
        completer.activated[str].connect(self._completed)
        self.lineEdit().textEdited.connect(self._typed)
        self.currentTextChanged.connect(lambda _text: self.changed.emit())
        self.setCurrentIndex(-1)

    # ---- what it names -------------------------------------------------------------------------
    def set_group(self, group_id: int | None) -> None:
        self.pending_new = None
        index = self.findData(group_id) if group_id is not None else -1
        self.setCurrentIndex(index)
        if index < 0:
            self.setEditText("")

    def text(self) -> str:
        return self.currentText().strip()

    def value(self) -> int | str | None:
        """The group's id; the name of a group to create; None when nothing usable is named."""
        text = self.text()
        if not text:
            return None
        if text.casefold() in self._ids:
            return self._ids[text.casefold()]
        if self.pending_new is not None and text == self.pending_new:
            return text
        return None

    def problem(self) -> str | None:
        text = self.text()
        if text and self.value() is None:
            return f"no group is named “{text}”: pick one, or choose {create_entry(text)} in the list"
        return None

    def choose_create(self, name: str | None = None) -> None:
        """What choosing “Create group ‘X’” does (X: the text typed unless given)."""
        name = (name or self.text()).strip()
        if not name or name.casefold() in self._ids:
            return
        self.pending_new = name
        self.setEditText(name)
        self.setToolTip(f"“{name}” will be created as a new group when you press OK")
        self.changed.emit()

    # ---- typing --------------------------------------------------------------------------------
    def _typed(self, text: str) -> None:
        text = text.strip()
        if self.pending_new is not None and text != self.pending_new:
            self.pending_new = None
            self.setToolTip("")
        self._set_entries(text if text and text.casefold() not in self._ids else None)

    def _set_entries(self, new_name: str | None) -> None:
        """The completion list: every group's name, and “Create group ‘X’” (in italics) for a new name."""
        self.completion.clear()
        for name in self._names:
            self.completion.appendRow(QStandardItem(name))
        if new_name:
            item = QStandardItem(create_entry(new_name))
            font = item.font()
            font.setItalic(True)
            item.setFont(font)
            item.setForeground(QColor("#2e7d32"))
            item.setToolTip(f"Add “{new_name}” as a new group when the dialog is accepted")
            self.completion.appendRow(item)

    def entries(self) -> list[str]:
        """What the completion list holds now (before it filters on the text typed)."""
        return [self.completion.item(i).text() for i in range(self.completion.rowCount())]

    def _completed(self, entry: str) -> None:
        if entry.startswith(CREATE_OPEN) and entry.endswith(CREATE_CLOSE):
            name = entry[len(CREATE_OPEN):-len(CREATE_CLOSE)]
            # the completer writes the entry itself into the line after this slot: replace it after
            QTimer.singleShot(0, self, lambda: self.choose_create(name))
            self.choose_create(name)
        else:
            index = self.findText(entry, Qt.MatchFlag.MatchFixedString)
            if index >= 0:
                self.setCurrentIndex(index)
