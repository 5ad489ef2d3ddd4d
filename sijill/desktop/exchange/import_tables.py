"""The two tables of the Import dialog where the analyst decides before anything is written.

`ActorTable`: each actor the file names, with a combo box of the project's groups (indented
under their parents) and "New group", preselected from `actor_preview` (the remembered choice,
else the automatic match by name and alias), and why it was preselected. `changes()` is what
the analyst changed: the `actor_map` the import takes and remembers.

`ColumnTable`: each column of a CSV file, its first values, and a combo of the fields it can fill.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from sijill.db.formats.actors import NEW_GROUP, new_group_name
from sijill.db.store.entities import Group

MUTED = QPalette.ColorRole.PlaceholderText   # the palette's roles: readable on light and dark alike


def _item(text: str, tip: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    item.setToolTip(tip or text)
    return item


def _rows_fit_combos(table: QTableWidget) -> None:
    """One row height for the whole table, that of a combo box (rows of cell widgets otherwise
    take whatever height each one's text asks)."""
    header = table.verticalHeader()
    header.hide()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header.setDefaultSectionSize(QComboBox().sizeHint().height() + 2)


class ActorTable(QTableWidget):
    """Actor -> group choices; `changed` is emitted when the analyst picks another group."""

    changed = Signal()
    C_ACTOR, C_GROUP, C_WHY = range(3)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.setObjectName("actor_table")
        self.setHorizontalHeaderLabels(["Actor in the file", "Group in the project", "Why"])
        _rows_fit_combos(self)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(self.C_ACTOR, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.C_GROUP, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(self.C_WHY, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(self.C_GROUP, 300)
        header.resizeSection(self.C_WHY, 170)
        self.automatic: dict[str, str] = {}
        self._reasons: dict[str, str] = {}

    def set_actors(self, preview: Mapping[str, str | None], groups: Sequence[Group],
                   remembered: Mapping[str, str], keep: Mapping[str, str] | None = None) -> None:
        """Show `preview` (actor -> group name or None for a new group); `keep` holds choices the
        analyst made earlier in this dialog, kept when the same actor is listed again."""
        keep = keep or {}
        self.automatic = {actor: group or NEW_GROUP for actor, group in preview.items()}
        names = {g.id: g.name for g in groups}
        self.setRowCount(0)
        self.setRowCount(len(preview))
        for row, (actor, group) in enumerate(preview.items()):
            self.setItem(row, self.C_ACTOR, _item(actor))
            combo = QComboBox()
            combo.setObjectName("actor_group_combo")
            fresh = new_group_name(actor)
            combo.addItem(f"New group “{fresh}”", NEW_GROUP)
            combo.setItemData(0, f"Create a group named {fresh}, with “{actor}” as an alias",
                              Qt.ItemDataRole.ToolTipRole)
            combo.insertSeparator(1)
            for g in groups:
                combo.addItem(g.name, g.name)
                if g.parent_id in names:
                    combo.setItemData(combo.count() - 1, f"part of {names[g.parent_id]}", Qt.ItemDataRole.ToolTipRole)
            if actor in remembered:
                reason = "remembered choice"
            elif group is None:
                reason = "no match: new group"
            elif group == actor:
                reason = "same name"
            else:
                reason = "matched by name or alias"
            self._reasons[actor] = reason
            choice = keep.get(actor, self.automatic[actor])
            combo.setCurrentIndex(max(0, combo.findData(choice)))
            combo.currentIndexChanged.connect(lambda _i, r=row: self._picked(r))
            self.setCellWidget(row, self.C_GROUP, combo)
            self.setItem(row, self.C_WHY, _item(reason))
            self._show_reason(row)

    def combo(self, actor: str) -> QComboBox:
        return self.cellWidget(self.row_of(actor), self.C_GROUP)

    def row_of(self, actor: str) -> int:
        for row in range(self.rowCount()):
            if self.item(row, self.C_ACTOR).text() == actor:
                return row
        raise KeyError(actor)

    def choices(self) -> dict[str, str]:
        """Every actor -> the group chosen for it ("" for a new group)."""
        return {self.item(r, self.C_ACTOR).text(): self.cellWidget(r, self.C_GROUP).currentData()
                for r in range(self.rowCount())}

    def changes(self) -> dict[str, str]:
        """Only the actors whose group the analyst changed: the import's `actor_map`."""
        return {a: c for a, c in self.choices().items() if c != self.automatic.get(a)}

    def new_groups(self) -> list[str]:
        """Names of the groups the choices would create (one per distinct name)."""
        return list(dict.fromkeys(new_group_name(a) for a, c in self.choices().items() if c == NEW_GROUP))

    def _picked(self, row: int) -> None:
        self._show_reason(row)
        self.changed.emit()

    def _show_reason(self, row: int) -> None:
        actor = self.item(row, self.C_ACTOR).text()
        mine = self.cellWidget(row, self.C_GROUP).currentData() != self.automatic.get(actor)
        item = self.item(row, self.C_WHY)
        item.setText("your choice" if mine else self._reasons.get(actor, ""))
        font = QFont(item.font())
        font.setBold(mine)
        item.setFont(font)
        item.setForeground(QApplication.palette().color(QPalette.ColorRole.Text if mine else MUTED))


class ColumnTable(QTableWidget):
    """Column -> field choices for a CSV file; `changed` when the analyst picks another field."""

    changed = Signal()
    C_COLUMN, C_SAMPLE, C_FIELD = range(3)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.setObjectName("column_table")
        self.setHorizontalHeaderLabels(["Column in the file", "First values", "Imported as"])
        _rows_fit_combos(self)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(self.C_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(self.C_SAMPLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.C_FIELD, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(self.C_COLUMN, 190)
        header.resizeSection(self.C_FIELD, 260)

    def set_columns(self, header: Sequence[str], mapping: Mapping[str, str], samples: Sequence[Sequence[str]],
                    fields: Sequence[str], labels: Mapping[str, str]) -> None:
        self.setRowCount(0)
        self.setRowCount(len(header))
        for row, column in enumerate(header):
            values = [r[row].strip() for r in samples if row < len(r) and r[row].strip()]
            self.setItem(row, self.C_COLUMN, _item(column))
            sample = _item(" · ".join(v if len(v) < 60 else v[:57] + "…" for v in values[:3]),
                           "\n".join(values[:3]) or "(empty in the first rows)")
            sample.setForeground(QApplication.palette().color(MUTED))
            self.setItem(row, self.C_SAMPLE, sample)
            combo = QComboBox()
            combo.setObjectName("column_field_combo")
            for name in fields:
                combo.addItem(labels.get(name, name), name)
            combo.setCurrentIndex(max(0, combo.findData(mapping.get(column, ""))))
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
            self.setCellWidget(row, self.C_FIELD, combo)

    def combo(self, column: str) -> QComboBox:
        for row in range(self.rowCount()):
            if self.item(row, self.C_COLUMN).text() == column:
                return self.cellWidget(row, self.C_FIELD)
        raise KeyError(column)

    def mapping(self) -> dict[str, str]:
        return {self.item(r, self.C_COLUMN).text(): self.cellWidget(r, self.C_FIELD).currentData()
                for r in range(self.rowCount())}
