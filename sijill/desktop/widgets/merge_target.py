"""The dialog a merge into another record is chosen in (a group into a group, a source into a source):
what will move said first, then the records it can go into, as a list or a tree with a filter box,
and Merge enabled only while one is chosen. The feature's dialog fills the intro and the rows.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QLineEdit, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from sijill.desktop.widgets.dialog_parts import ok_cancel

TARGET_ROLE = Qt.ItemDataRole.UserRole


class MergeTargetDialog(QDialog):
    """Pick the record another is merged into. `rows_label` names them in the filter box
    ("groups"); `filter_columns` are the columns the filter reads. Rows are added with `add_row`
    (with the row they sit under, in a tree); a row matching the filter keeps its parents shown."""

    def __init__(self, intro_html: str, rows_label: str, filter_columns: tuple[int, ...] = (0,),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter_columns = filter_columns
        self.intro = QLabel(intro_html, self)
        self.intro.setWordWrap(True)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(f"Filter {rows_label}…")
        self.filter.setClearButtonEnabled(True)
        self.tree = QTreeWidget(self)
        self.tree.setUniformRowHeights(True)
        self.buttons = ok_cancel(self, "Merge")
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.buttons)
        self.filter.textChanged.connect(self._filter)
        self.tree.currentItemChanged.connect(lambda *_: self._update_ok())
        self.tree.itemDoubleClicked.connect(lambda *_: self.accept())

    def add_row(self, record_id: int, texts: list[str], under: QTreeWidgetItem | None = None) -> QTreeWidgetItem:
        item = QTreeWidgetItem(texts)
        item.setData(0, TARGET_ROLE, record_id)
        (under.addChild(item) if under is not None else self.tree.addTopLevelItem(item))
        return item

    def ready(self) -> None:
        """After the rows: Merge disabled until one is chosen, typing goes to the filter."""
        self._update_ok()
        self.filter.setFocus()

    def target_id(self) -> int | None:
        item = self.tree.currentItem()
        return item.data(0, TARGET_ROLE) if item is not None and not item.isHidden() else None

    def choose(self, record_id: int) -> None:
        for item in self._items():
            if item.data(0, TARGET_ROLE) == record_id:
                self.tree.setCurrentItem(item)

    def _items(self):
        """Every row, in the order the tree shows them."""
        def walk(item):
            yield item
            for i in range(item.childCount()):
                yield from walk(item.child(i))

        for i in range(self.tree.topLevelItemCount()):
            yield from walk(self.tree.topLevelItem(i))

    def _filter(self, text: str) -> None:
        """Keep the rows holding the text in a filtered column, with their parents (so a tree still
        reads); the first one left is chosen."""
        text = text.strip().casefold()
        for item in self._items():
            item.setHidden(bool(text))
        first = None
        for item in self._items():
            if not text or any(text in item.text(c).casefold() for c in self.filter_columns):
                node = item
                while node is not None:
                    node.setHidden(False)
                    node = node.parent()
                first = first or item
        if text and first is not None:
            self.tree.setCurrentItem(first)
        self._update_ok()

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.target_id() is not None)

    def accept(self) -> None:
        if self.target_id() is not None:
            super().accept()
