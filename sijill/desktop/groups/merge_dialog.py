"""Choose the group another is merged into, seeing what will move before anything does."""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTreeWidgetItem, QWidget

from sijill.desktop.hub import ProjectHub
from sijill.desktop.events.table_model import NO_COLOR
from sijill.desktop.widgets.merge_target import MergeTargetDialog
from sijill.desktop.widgets.record_list import plural


class MergeDialog(MergeTargetDialog):
    """Pick the target of a merge: every group but the merged one and those inside it (a merge
    into one of its own sub-groups is refused), as a tree with a filter box."""

    def __init__(self, hub: ProjectHub, group_id: int, parent: QWidget | None = None) -> None:
        project = hub.project
        self.group = project.group(group_id)
        snap = project.group_snapshot(group_id)
        moves = [plural(len(snap["links"]), "event"), plural(len(self.group.aliases), "alias", "aliases")]
        if snap["annotations"]:
            moves.append(plural(len(snap["annotations"]), "annotated passage"))
        if snap["children"]:
            moves.append(plural(len(snap["children"]), "sub-group"))
        super().__init__(f"<b>{escape(self.group.name)}</b> will be merged into the group you choose: its "
                         f"{', '.join(moves[:-1])} and {moves[-1]} move over, its name becomes an alias, and "
                         "where an event names both groups the stronger role is kept (actor, target, associated, "
                         "mentioned). Undo puts everything back.", "groups", parent=parent)
        self.setObjectName("merge_dialog")
        self.setWindowTitle(f"Merge “{self.group.name}” into…")
        self.resize(460, 520)
        self.tree.setObjectName("merge_targets")
        self.tree.setHeaderHidden(True)
        self.tree.setIndentation(16)
        inside = {group_id} | project.descendants(group_id)
        items: dict[int, QTreeWidgetItem] = {}
        for g in project.groups():
            if g.id in inside:
                continue
            item = items[g.id] = self.add_row(g.id, [g.name], items.get(g.parent_id))
            item.setData(0, Qt.ItemDataRole.DecorationRole, QColor(g.color) if g.color else NO_COLOR)
        self.tree.expandAll()
        self.ready()
