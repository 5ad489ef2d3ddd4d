"""The group list: the hierarchy of groups with colours, event counts and visibility boxes."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTreeView, QWidget

from desktop.hub import ProjectHub
from desktop.group_model import GroupsModel
from desktop.models import GROUP_ID_ROLE


class GroupList(QTreeView):
    """A tree over `GroupsModel`. The context menu shows only one group, all groups, or asks to
    edit a group (`edit_group_requested`); a double-click edits too."""

    edit_group_requested = Signal(int)

    def __init__(self, hub: ProjectHub, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hub = hub
        self.setObjectName("group_list")
        self.groups_model = GroupsModel(hub, self)
        self.setModel(self.groups_model)
        self.setUniformRowHeights(True)
        self.setRootIsDecorated(True)
        self.setIndentation(14)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_menu)
        self.doubleClicked.connect(self._on_double_click)
        self.groups_model.modelReset.connect(self.expandAll)
        self.expandAll()

    def group_at(self, pos: QPoint) -> int | None:
        index = self.indexAt(pos)
        return index.data(GROUP_ID_ROLE) if index.isValid() else None

    def menu_for(self, group_id: int | None) -> QMenu:
        """The context menu for a group (or for empty space); kept separate to be testable."""
        menu = QMenu(self)
        model = self.groups_model
        if group_id is not None:
            name = model.item_for(group_id).text()
            menu.addAction(f"Show only “{name}”", lambda: model.show_only(group_id)).setObjectName("show_only")
        menu.addAction("Show all groups", model.show_all).setObjectName("show_all")
        if group_id is not None:
            menu.addSeparator()
            edit = menu.addAction("Edit group…", lambda: self.edit_group_requested.emit(group_id))
            edit.setObjectName("edit_group")
            edit.setEnabled(not self.hub.project.read_only)
        return menu

    def _show_menu(self, pos: QPoint) -> None:
        self.menu_for(self.group_at(pos)).exec(self.viewport().mapToGlobal(pos))

    def _on_double_click(self, index) -> None:
        if index.isValid() and not self.hub.project.read_only:
            self.edit_group_requested.emit(index.data(GROUP_ID_ROLE))
