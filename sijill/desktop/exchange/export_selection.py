"""The "Which events" part of the Export dialog: dates, groups, tags, text, types, evidence and the
map's area, as an EventSelection.

Dates are fuzzy ("2014", "Oct 2023"); groups are a checkable tree (a ticked group brings its
sub-groups, none ticked means every group); tags and types checkable lists; the text a full-text
query; evidence the filter bar's choice; the map area the outline drawn on the map, named by its
points with a Clear button. `prefill` takes the window's filter: its date range, the groups it
shows when it hides some (the top-most of them: their sub-groups come along), its tags, search
text, types, evidence and area, so that the export holds what the timeline shows.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPushButton, QTreeWidget, QTreeWidgetItem, QWidget)

from sijill.db.formats.acled import ACLED_EVENT_TYPES
from sijill.db.formats.selection import EventSelection
from sijill.db.timeline.bins import iso_day
from sijill.desktop.hub import ViewFilter
from sijill.desktop.widgets.filter_bar import EVIDENCE_CHOICES

NOTE_STYLE = "color: #555;"


def _checkable_list(names, name: str) -> QListWidget:
    box = QListWidget()
    box.setObjectName(name)
    for text in names:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        box.addItem(item)
    box.setMaximumHeight(76)
    return box


def _checked(box: QListWidget) -> tuple[str, ...]:
    return tuple(box.item(i).text() for i in range(box.count())
                 if box.item(i).checkState() == Qt.CheckState.Checked)


def _check(box: QListWidget, names) -> None:
    for i in range(box.count()):
        item = box.item(i)
        item.setCheckState(Qt.CheckState.Checked if item.text() in names else Qt.CheckState.Unchecked)


class SelectionForm(QWidget):
    """Dates, groups, tags, text, types, evidence and map area; `changed` on every edit,
    `selection()` what they say."""

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
        self.tags_list = _checkable_list(project.tags(), "export_tags")
        self.types_list = _checkable_list(   # the filter bar's types: ACLED's, then the project's own
            list(ACLED_EVENT_TYPES) + [t for t in project.event_types() if t not in ACLED_EVENT_TYPES],
            "export_types")
        self.evidence_combo = QComboBox()
        self.evidence_combo.setObjectName("export_evidence")
        for text, value in EVIDENCE_CHOICES:
            self.evidence_combo.addItem(text, value)
        self.area: tuple[tuple[float, float], ...] | None = None
        self.area_label = QLabel()
        self.area_label.setObjectName("export_area")
        self.area_clear = QPushButton("Clear")
        self.area_clear.setObjectName("export_area_clear")
        self.area_clear.setToolTip("Export events wherever they are, not only inside the area drawn on the map")
        self.area_clear.clicked.connect(lambda: self.set_area(None))
        area_row = QHBoxLayout()
        area_row.addWidget(self.area_label, 1)
        area_row.addWidget(self.area_clear)
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
        form.addRow("Types", self.types_list)
        form.addRow("Evidence", self.evidence_combo)
        form.addRow("Map area", area_row)
        self._show_area()
        for edit in (self.from_edit, self.to_edit, self.query_edit):
            edit.textChanged.connect(lambda _t: self.changed.emit())
        self.groups_tree.itemChanged.connect(lambda *_: self.changed.emit())
        self.tags_list.itemChanged.connect(lambda *_: self.changed.emit())
        self.types_list.itemChanged.connect(lambda *_: self.changed.emit())
        self.evidence_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def set_area(self, area: tuple[tuple[float, float], ...] | None) -> None:
        """Export only the events inside `area` (lon/lat vertices), or wherever they are (None)."""
        self.area = area
        self._show_area()
        self.changed.emit()

    def _show_area(self) -> None:
        self.area_label.setText("None: every place" if self.area is None
                                else f"{len(self.area)} points drawn on the map")
        self.area_label.setStyleSheet(NOTE_STYLE if self.area is None else "")
        self.area_clear.setEnabled(self.area is not None)

    def prefill(self, f: ViewFilter) -> None:
        """Start from what the window shows."""
        self.blockSignals(True)
        self.from_edit.setText("" if f.lo is None else iso_day(f.lo))
        self.to_edit.setText("" if f.hi is None else iso_day(f.hi))
        if f.group_ids is not None:
            shown = {id(self.group_items[g]) for g in f.group_ids if g in self.group_items}
            for gid, item in self.group_items.items():
                parent = item.parent()
                if gid in f.group_ids and (parent is None or id(parent) not in shown):
                    item.setCheckState(0, Qt.CheckState.Checked)
        _check(self.tags_list, f.tags)
        self.query_edit.setText(f.search.strip())
        known = {self.types_list.item(i).text() for i in range(self.types_list.count())}
        for name in sorted(f.event_types - known):  # a type the filter holds that no list names
            self.types_list.addItem(name)
            item = self.types_list.item(self.types_list.count() - 1)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        _check(self.types_list, f.event_types)
        first = next((self.types_list.item(i) for i in range(self.types_list.count())
                      if self.types_list.item(i).text() in f.event_types), None)
        if first is not None:
            self.types_list.scrollToItem(first)
        self.evidence_combo.setCurrentIndex(max(self.evidence_combo.findData(f.evidence), 0))
        self.area = f.area
        self._show_area()
        self.blockSignals(False)
        self.changed.emit()

    def checked_groups(self) -> list[str]:
        return [item.data(0, Qt.ItemDataRole.UserRole) for item in self.group_items.values()
                if item.checkState(0) == Qt.CheckState.Checked]

    def selection(self) -> EventSelection:
        return EventSelection(self.from_edit.text().strip() or None, self.to_edit.text().strip() or None,
                              tuple(self.checked_groups()), _checked(self.tags_list),
                              self.query_edit.text().strip() or None, _checked(self.types_list),
                              self.evidence_combo.currentData(), self.area)
