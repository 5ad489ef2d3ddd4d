"""The group tree: the hierarchy with colours, event counts and visibility check boxes."""
from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel

from sijill.desktop.hub import ProjectHub, ViewFilter
from sijill.desktop.events.table_model import GROUP_ID_ROLE, NO_COLOR

class GroupsModel(QStandardItemModel):
    """The group hierarchy with colour swatches, event counts and visibility check boxes.

    A box covers the group and everything nested in it: unchecking the PMF hides the PMF and
    Kataib Hezbollah; a parent is partly checked when some of its subtree is hidden. The boxes
    only mirror `hub.filter.group_ids`, which is the one place visibility is kept."""

    COLUMNS = ("Group", "Events")

    def __init__(self, hub: ProjectHub, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hub = hub
        self._items: dict[int, QStandardItem] = {}
        self._counts: dict[int, QStandardItem] = {}
        self._children: dict[int | None, list[int]] = {}
        self._updating = False
        self.itemChanged.connect(self._on_item_changed)
        self.reload()
        hub.groups_changed.connect(self.reload)
        hub.project_reset.connect(self.reload)
        hub.events_changed.connect(self.refresh_counts)
        hub.events_removed.connect(self.refresh_counts)
        hub.filter_changed.connect(self._show_visibility)

    def reload(self) -> None:
        self._updating = True
        try:
            self.clear()
            self.setHorizontalHeaderLabels(list(self.COLUMNS))
            self._items.clear()
            self._counts.clear()
            self._children = {}
            groups = self.hub.project.groups()
            known = {g.id for g in groups}
            for g in groups:
                parent_id = g.parent_id if g.parent_id in known else None
                self._children.setdefault(parent_id, []).append(g.id)
                name = QStandardItem(g.name)
                name.setEditable(False)
                name.setCheckable(True)
                name.setData(g.id, GROUP_ID_ROLE)
                name.setData(QColor(g.color) if g.color else NO_COLOR, Qt.ItemDataRole.DecorationRole)
                tip = [g.name + (f" ({g.kind})" if g.kind else "")]
                if g.aliases:
                    tip.append("also: " + ", ".join(a.alias + (f" [{a.lang}]" if a.lang else "")
                                                    for a in g.aliases))
                if g.description:
                    tip.append(g.description)
                name.setToolTip("\n".join(tip))
                count = QStandardItem("0")
                count.setEditable(False)
                count.setData(g.id, GROUP_ID_ROLE)
                count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                holder = self._items[parent_id] if parent_id is not None else self.invisibleRootItem()
                holder.appendRow([name, count])
                self._items[g.id] = name
                self._counts[g.id] = count
        finally:
            self._updating = False
        self.refresh_counts()
        self._show_visibility(self.hub.filter)

    # ---- queries ------------------------------------------------------------------------------
    def group_ids(self) -> list[int]:
        return list(self._items)

    def item_for(self, group_id: int) -> QStandardItem | None:
        return self._items.get(group_id)

    def index_for(self, group_id: int) -> QModelIndex:
        item = self._items.get(group_id)
        return item.index() if item is not None else QModelIndex()

    def subtree(self, group_id: int) -> list[int]:
        """The group and every group nested in it, at any depth."""
        out, todo = [], [group_id]
        while todo:
            gid = todo.pop()
            out.append(gid)
            todo.extend(self._children.get(gid, ()))
        return out

    def visible_ids(self) -> set[int]:
        ids = self.hub.filter.group_ids
        return set(self._items) if ids is None else set(ids) & set(self._items)

    # ---- changing visibility ------------------------------------------------------------------
    def set_visible(self, group_ids: Iterable[int]) -> None:
        """Show exactly these groups (None in the filter when that is every group)."""
        visible = frozenset(group_ids) & frozenset(self._items)
        value = None if visible == frozenset(self._items) else visible
        self.hub.set_filter(self.hub.filter.with_(group_ids=value))

    def show_only(self, group_id: int) -> None:
        self.set_visible(self.subtree(group_id))

    def show_all(self) -> None:
        self.set_visible(self._items)

    def set_subtree_visible(self, group_id: int, visible: bool) -> None:
        ids = set(self.subtree(group_id))
        current = self.visible_ids()
        self.set_visible(current | ids if visible else current - ids)

    def _on_item_changed(self, item: QStandardItem) -> None:
        if self._updating or not item.isCheckable():
            return
        gid = item.data(GROUP_ID_ROLE)
        self.set_subtree_visible(gid, item.checkState() == Qt.CheckState.Checked)
        self._show_visibility(self.hub.filter)  # a refused change (nothing new) redraws the box

    def _show_visibility(self, _filter: ViewFilter) -> None:
        visible = self.visible_ids()
        self._updating = True
        try:
            for gid, item in self._items.items():
                sub = self.subtree(gid)
                shown = sum(1 for g in sub if g in visible)
                state = (Qt.CheckState.Checked if shown == len(sub) else
                         Qt.CheckState.Unchecked if shown == 0 else Qt.CheckState.PartiallyChecked)
                if item.checkState() != state:
                    item.setCheckState(state)
        finally:
            self._updating = False

    def refresh_counts(self, _ids: list | None = None) -> None:
        counts = self.hub.project.group_event_counts()
        for gid, item in self._counts.items():
            text = str(counts.get(gid, 0))
            if item.text() != text:
                item.setText(text)
