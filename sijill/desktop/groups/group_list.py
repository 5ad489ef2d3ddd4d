"""The Groups tab: the hierarchy of groups with colours, event counts and visibility boxes, a
filter box and the buttons and menu that create, edit, merge, move and delete groups.

Dragging a group onto another places it under that group; onto the empty space below the tree,
at the top level. Every change is one undoable command (desktop.groups.editing).
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QLineEdit, QMenu, QToolBar, QTreeView,
                               QVBoxLayout, QWidget)

from sijill.desktop.groups.tree_model import GroupsModel
from sijill.desktop.groups.editing import GroupEditing
from sijill.desktop.hub import ProjectHub
from sijill.desktop.events.table_model import GROUP_ID_ROLE

DROP_MARGIN = 4   # px at an item's top and bottom edge that mean "beside it", not "into it"


class GroupList(QTreeView):
    """A tree over `GroupsModel`. With an undo stack, its menu and drags edit the groups through
    `editing` (a GroupEditing); without one, it only shows and filters. Edit… and a double-click
    emit `edit_group_requested` (the window opens the editor)."""

    edit_group_requested = Signal(int)

    def __init__(self, hub: ProjectHub, parent: QWidget | None = None, undo_stack: QUndoStack | None = None) -> None:
        super().__init__(parent)
        self.hub = hub
        self.setObjectName("group_list")
        self.groups_model = GroupsModel(hub, self)
        self.setModel(self.groups_model)
        self.editing = GroupEditing(hub, undo_stack, self) if undo_stack is not None else None
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
        if self.editing is not None:
            self.setDragEnabled(True)
            self.setAcceptDrops(True)
            self.setDropIndicatorShown(True)
            self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
            self.setDefaultDropAction(Qt.DropAction.MoveAction)
            self.editing.group_created.connect(self.select_group)

    # ---- queries -------------------------------------------------------------------------------
    def group_at(self, pos: QPoint) -> int | None:
        index = self.indexAt(pos)
        return index.data(GROUP_ID_ROLE) if index.isValid() else None

    def current_group(self) -> int | None:
        index = self.currentIndex()
        return index.data(GROUP_ID_ROLE) if index.isValid() else None

    def select_group(self, group_id: int) -> None:
        index = self.groups_model.index_for(group_id)
        if index.isValid():
            self.setCurrentIndex(index)
            self.scrollTo(index)

    @property
    def can_edit(self) -> bool:
        return self.editing is not None and not self.hub.project.read_only

    # ---- menu ----------------------------------------------------------------------------------
    def menu_for(self, group_id: int | None) -> QMenu:
        """The context menu for a group (or for empty space); kept separate to be testable."""
        menu = QMenu(self)
        model = self.groups_model

        def add(text: str, name: str, slot, enabled: bool = True) -> QAction:
            action = menu.addAction(text, slot)
            action.setObjectName(name)
            action.setEnabled(enabled)
            return action

        edits = self.can_edit
        if group_id is not None:
            name = model.item_for(group_id).text()
            group = self.hub.project.group(group_id)
            if self.editing is not None:
                add("New sub-group…", "new_subgroup", lambda: self.editing.new_group(group_id), edits)
            add("Edit…", "edit_group", lambda: self.edit_group_requested.emit(group_id),
                not self.hub.project.read_only)
            if self.editing is not None:
                add("Rename…", "rename_group", lambda: self.editing.rename(group_id), edits)
                add("Merge into…", "merge_group", lambda: self.editing.merge(group_id),
                    edits and len(model.group_ids()) > 1)
                if group.parent_id is not None:
                    add("Move to the top level", "move_top", lambda: self.editing.move(group_id, None), edits)
                add("Delete…", "delete_group", lambda: self.editing.delete(group_id), edits)
            menu.addSeparator()
            add(f"Show only “{name}”", "show_only", lambda: model.show_only(group_id))
        if self.editing is not None and group_id is None:
            add("New group…", "new_group", lambda: self.editing.new_group(), edits)
            menu.addSeparator()
        add("Show all groups", "show_all", model.show_all)
        return menu

    def _show_menu(self, pos: QPoint) -> None:
        self.menu_for(self.group_at(pos)).exec(self.viewport().mapToGlobal(pos))

    def _on_double_click(self, index) -> None:
        if index.isValid() and not self.hub.project.read_only:
            self.edit_group_requested.emit(index.data(GROUP_ID_ROLE))

    def keyPressEvent(self, e) -> None:  # noqa: N802 (Qt name)
        gid = self.current_group()
        if self.can_edit and gid is not None and e.key() == Qt.Key.Key_Delete:
            self.editing.delete(gid)
        else:
            super().keyPressEvent(e)

    # ---- drag a group onto another -------------------------------------------------------------
    def drop_parent(self, pos: QPoint) -> tuple[bool, int | None]:
        """Where a group dropped at `pos` goes: (True, parent id) onto a group's name, (True, its
        parent) on the thin edge between two groups, (True, None) on empty space: the top level."""
        index = self.indexAt(pos)
        if not index.isValid():
            return True, None
        index = index.siblingAtColumn(0)
        rect: QRect = self.visualRect(index)
        gid = index.data(GROUP_ID_ROLE)
        if rect.top() + DROP_MARGIN <= pos.y() <= rect.bottom() - DROP_MARGIN:
            return True, gid
        return True, self.hub.project.group(gid).parent_id

    def _dragged(self, e) -> int | None:
        return self.current_group() if e.source() is self else None

    def dragEnterEvent(self, e) -> None:  # noqa: N802 (Qt name)
        if self.can_edit and self._dragged(e) is not None:
            e.setDropAction(Qt.DropAction.MoveAction)
            e.accept()
        else:
            e.ignore()

    def dragMoveEvent(self, e) -> None:  # noqa: N802 (Qt name)
        super().dragMoveEvent(e)      # draws the drop indicator
        gid = self._dragged(e)
        if not self.can_edit or gid is None:
            e.ignore()
            return
        _ok, parent = self.drop_parent(e.position().toPoint())
        if self.editing.cycle_problem(gid, parent):
            e.ignore()                # the pointer says no before the drop does
        else:
            e.setDropAction(Qt.DropAction.MoveAction)
            e.accept()

    def dropEvent(self, e) -> None:  # noqa: N802 (Qt name)
        """The model never moves rows itself: the drop becomes one MoveGroupCommand, and the tree
        is rebuilt from the project when the hub says the groups changed."""
        gid = self._dragged(e)
        e.setDropAction(Qt.DropAction.IgnoreAction)
        e.accept()
        self.setState(QAbstractItemView.State.NoState)
        self.viewport().update()
        if not self.can_edit or gid is None:
            return
        _ok, parent = self.drop_parent(e.position().toPoint())
        if self.editing.move(gid, parent):
            self.select_group(gid)


class GroupsPanel(QWidget):
    """The Groups tab: a filter box, the buttons (New group, Sub-group, Edit, Merge, Delete) and
    the tree. The buttons act on the selected group, like its context menu."""

    def __init__(self, tree: GroupList, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("groups_panel")
        self.tree = tree
        self.filter = QLineEdit(self)
        self.filter.setObjectName("group_filter")
        self.filter.setPlaceholderText("Filter groups…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.apply_filter)
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("groups_toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        editing = tree.editing
        self.actions_by_name: dict[str, QAction] = {}
        for name, text, tip, slot in (
            ("new_group", "New group", "Add a top-level group", lambda: editing.new_group()),
            ("new_subgroup", "Sub-group", "Add a group inside the selected one",
             lambda: self._with_current(editing.new_group)),
            ("edit_group", "Edit", "Edit the selected group (or double-click it)",
             lambda: self._with_current(tree.edit_group_requested.emit)),
            ("merge_group", "Merge…", "Merge the selected group into another",
             lambda: self._with_current(editing.merge)),
            ("delete_group", "Delete", "Delete the selected group (its events stay)",
             lambda: self._with_current(editing.delete)),
        ):
            action = self.toolbar.addAction(text, slot)
            action.setObjectName(name)
            action.setToolTip(tip)
            action.setStatusTip(tip)
            self.actions_by_name[name] = action
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.setSpacing(2)
        layout.addWidget(self.filter)
        layout.addWidget(self.toolbar)
        layout.addWidget(tree, 1)
        tree.selectionModel().currentChanged.connect(lambda *_: self.update_actions())
        tree.groups_model.modelReset.connect(self._after_reload)
        tree.hub.groups_changed.connect(self._after_reload)
        self.update_actions()

    def _with_current(self, slot) -> None:
        gid = self.tree.current_group()
        if gid is not None:
            slot(gid)

    def update_actions(self) -> None:
        edits = self.tree.can_edit
        selected = self.tree.current_group() is not None
        many = len(self.tree.groups_model.group_ids()) > 1
        for name, action in self.actions_by_name.items():
            action.setEnabled(edits and (name == "new_group" or (selected and (name != "merge_group" or many))))

    def _after_reload(self) -> None:
        self.tree.expandAll()
        self.apply_filter(self.filter.text())
        self.update_actions()

    def apply_filter(self, text: str) -> None:
        """Show the groups whose name or alias holds the text, with the groups they are part of."""
        text = text.strip().casefold()
        model = self.tree.groups_model
        wanted: set[int] = set()
        groups = {g.id: g for g in self.tree.hub.project.groups()} if text else {}
        for gid, g in groups.items():
            if text in g.name.casefold() or any(text in a.alias.casefold() for a in g.aliases):
                while gid is not None and gid not in wanted:
                    wanted.add(gid)
                    gid = groups[gid].parent_id if gid in groups else None
        for gid in model.group_ids():
            index: QModelIndex = model.index_for(gid)
            self.tree.setRowHidden(index.row(), index.parent(), bool(text) and gid not in wanted)
