"""The "Which events" part of the Export dialog: dates, groups, tags and text, as an EventSelection.

Dates are fuzzy ("2014", "Oct 2023"); groups are a checkable tree (a ticked group brings its
sub-groups, none ticked means every group); tags a checkable list; the text a full-text query.
`prefill` takes the window's filter: its date range, the groups it shows when it hides some
(the top-most of them: their sub-groups come along), its tags and its search text.
"""
from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QTreeWidget, QTreeWidgetItem, QWidget)

from sijill.db.formats.selection import EventSelection
from sijill.desktop.hub import ViewFilter

NOTE_STYLE = "color: #555;"


def _day(ts: int | None) -> str:
    return "" if ts is None else datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%d")


class SelectionForm(QWidget):
    """Dates, groups, tags and text; `changed` on every edit, `selection()` what they say."""

    changed = Signal()

    def __init__(self, project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("export_selection")
        self.from_edit, self.to_edit = QLineEdit(), QLineEdit()
        self.from_edit.setPlaceholderText("first event, or e.g. 2014")
        self.to_edit.setPlaceholderText("last event, or e.g. Feb 2024")
        dates_row = QHBoxLayout()
        dates_row.addWidget(self.from_edit)
        dates_row.addWidget(QLabel("to"))
        dates_row.addWidget(self.to_edit)
        self.groups_tree = QTreeWidget()
        self.groups_tree.setObjectName("export_groups")
        self.groups_tree.setHeaderHidden(True)
        self.groups_tree.setIndentation(14)
        self.group_items: dict[int, QTreeWidgetItem] = {}
        for g in project.groups():  # parents first
            parent_item = self.group_items.get(g.parent_id)
            item = QTreeWidgetItem(parent_item if parent_item is not None else self.groups_tree, [g.name])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Unchecked)
            item.setData(0, Qt.ItemDataRole.UserRole, g.name)
            self.group_items[g.id] = item
        self.groups_tree.expandAll()
        self.tags_list = QListWidget()
        self.tags_list.setObjectName("export_tags")
        for tag in project.tags():
            item = QListWidgetItem(tag)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.tags_list.addItem(item)
        self.tags_list.setMaximumHeight(76)
        self.query_edit = QLineEdit()
        self.query_edit.setPlaceholderText("words in titles and descriptions")
        note = QLabel("None ticked: every group. Sub-groups come with their group.")
        note.setWordWrap(True)
        note.setStyleSheet(NOTE_STYLE)
        form = QFormLayout(self)
        form.setContentsMargins(0, 4, 0, 0)
        form.addRow("Dates", dates_row)
        form.addRow("Groups", self.groups_tree)
        form.addRow("", note)
        form.addRow("Tags", self.tags_list)
        form.addRow("Text", self.query_edit)
        for edit in (self.from_edit, self.to_edit, self.query_edit):
            edit.textChanged.connect(lambda _t: self.changed.emit())
        self.groups_tree.itemChanged.connect(lambda *_: self.changed.emit())
        self.tags_list.itemChanged.connect(lambda *_: self.changed.emit())

    def prefill(self, f: ViewFilter) -> None:
        """Start from what the window shows."""
        self.blockSignals(True)
        self.from_edit.setText(_day(f.lo))
        self.to_edit.setText(_day(f.hi))
        if f.group_ids is not None:
            shown = {id(self.group_items[g]) for g in f.group_ids if g in self.group_items}
            for gid, item in self.group_items.items():
                parent = item.parent()
                if gid in f.group_ids and (parent is None or id(parent) not in shown):
                    item.setCheckState(0, Qt.CheckState.Checked)
        for i in range(self.tags_list.count()):
            item = self.tags_list.item(i)
            if item.text() in f.tags:
                item.setCheckState(Qt.CheckState.Checked)
        self.query_edit.setText(f.search.strip())
        self.blockSignals(False)
        self.changed.emit()

    def checked_groups(self) -> list[str]:
        return [item.data(0, Qt.ItemDataRole.UserRole) for item in self.group_items.values()
                if item.checkState(0) == Qt.CheckState.Checked]

    def selection(self) -> EventSelection:
        tags = tuple(self.tags_list.item(i).text() for i in range(self.tags_list.count())
                     if self.tags_list.item(i).checkState() == Qt.CheckState.Checked)
        return EventSelection(self.from_edit.text().strip() or None, self.to_edit.text().strip() or None,
                              tuple(self.checked_groups()), tags, self.query_edit.text().strip() or None)
