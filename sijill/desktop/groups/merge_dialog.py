"""Choose the group another is merged into, seeing what will move before anything does."""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QLineEdit, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from sijill.desktop.hub import ProjectHub
from sijill.desktop.events.table_model import NO_COLOR
from sijill.desktop.widgets.record_list import plural

GROUP_ROLE = Qt.ItemDataRole.UserRole


class MergeDialog(QDialog):
    """Pick the target of a merge: every group but the merged one and those inside it (a merge
    into one of its own sub-groups is refused), as a tree with a filter box."""

    def __init__(self, hub: ProjectHub, group_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("merge_dialog")
        project = hub.project
        self.group = project.group(group_id)
        snap = project.group_snapshot(group_id)
        self.setWindowTitle(f"Merge “{self.group.name}” into…")
        self.resize(460, 520)
        inside = {group_id} | project.descendants(group_id)
        moves = [plural(len(snap["links"]), "event"), plural(len(self.group.aliases), "alias", "aliases")]
        if snap["annotations"]:
            moves.append(plural(len(snap["annotations"]), "annotated passage"))
        if snap["children"]:
            moves.append(plural(len(snap["children"]), "sub-group"))
        intro = QLabel(f"<b>{escape(self.group.name)}</b> will be merged into the group you choose: its "
                       f"{', '.join(moves[:-1])} and {moves[-1]} move over, its name becomes an alias, and "
                       "where an event names both groups the stronger role is kept (actor, target, associated, "
                       "mentioned). Undo puts everything back.", self)
        intro.setWordWrap(True)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter groups…")
        self.filter.setClearButtonEnabled(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("merge_targets")
        self.tree.setHeaderHidden(True)
        self.tree.setIndentation(16)
        self.tree.setUniformRowHeights(True)
        items: dict[int, QTreeWidgetItem] = {}
        for g in project.groups():
            if g.id in inside:
                continue
            holder = items.get(g.parent_id)
            item = QTreeWidgetItem([g.name])
            item.setData(0, GROUP_ROLE, g.id)
            item.setData(0, Qt.ItemDataRole.DecorationRole, QColor(g.color) if g.color else NO_COLOR)
            (holder.addChild(item) if holder is not None else self.tree.addTopLevelItem(item))
            items[g.id] = item
        self.tree.expandAll()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Merge")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.buttons)
        self.filter.textChanged.connect(self._filter)
        self.tree.currentItemChanged.connect(lambda *_: self._update_ok())
        self.tree.itemDoubleClicked.connect(lambda *_: self.accept())
        self._update_ok()
        self.filter.setFocus()

    def target_id(self) -> int | None:
        item = self.tree.currentItem()
        return item.data(0, GROUP_ROLE) if item is not None and not item.isHidden() else None

    def choose(self, group_id: int) -> None:
        for item in self._items():
            if item.data(0, GROUP_ROLE) == group_id:
                self.tree.setCurrentItem(item)

    def _items(self):
        """Every item, in the order the tree shows them."""
        def walk(item):
            yield item
            for i in range(item.childCount()):
                yield from walk(item.child(i))

        for i in range(self.tree.topLevelItemCount()):
            yield from walk(self.tree.topLevelItem(i))

    def _filter(self, text: str) -> None:
        """Keep the groups whose name holds the text, with their parents (so the tree still reads)."""
        text = text.strip().casefold()
        for item in self._items():
            item.setHidden(bool(text))
        first = None
        for item in self._items():
            if not text or text in item.text(0).casefold():
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
