"""The Periods tab: the project's periods in time order (colour, title, from, to), with New, Edit
and Delete, a context menu (also Merge into…: the same phase entered twice), and a double-click to
edit. Each change is one undoable command."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QColor, QUndoStack
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QInputDialog, QMenu, QMessageBox, QToolBar,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from sijill.desktop.commands.periods import DeletePeriodCommand, MergePeriodsCommand
from sijill.desktop.groups.period_dialog import PERIOD_COLORS, PeriodDialog, open_period_editor
from sijill.desktop.hub import ProjectHub

PERIOD_ROLE = Qt.ItemDataRole.UserRole


class PeriodsList(QWidget):
    """Lists the periods; `zoom_requested(lo, hi)` asks the timeline to show one (View on timeline)."""

    zoom_requested = Signal(float, float)

    def __init__(self, hub: ProjectHub, stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("periods_list")
        self.hub = hub
        self.stack = stack
        self.dialog: PeriodDialog | None = None
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("periods_toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.actions_by_name: dict[str, QAction] = {}
        for name, text, tip, slot in (
            ("new_period", "New period", "Add a period (or Shift+drag along the timeline's dates)", self.new_period),
            ("edit_period", "Edit", "Edit the selected period (or double-click it)", self._edit_current),
            ("delete_period", "Delete", "Delete the selected period", self._delete_current),
        ):
            action = self.toolbar.addAction(text, slot)
            action.setObjectName(name)
            action.setToolTip(tip)
            action.setStatusTip(tip)
            self.actions_by_name[name] = action
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("periods_tree")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Period", "From", "To"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._show_menu)
        self.tree.itemDoubleClicked.connect(lambda item, _col: self.edit(item.data(0, PERIOD_ROLE)))
        self.tree.currentItemChanged.connect(lambda *_: self.update_actions())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.setSpacing(2)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.tree, 1)
        hub.periods_changed.connect(self.reload)
        hub.project_reset.connect(self.reload)
        self.reload()

    # ---- contents ------------------------------------------------------------------------------
    def reload(self) -> None:
        current = self.current_period()
        self.tree.clear()
        for n, p in enumerate(self.hub.project.periods()):
            item = QTreeWidgetItem([p.title, p.start.display(), p.end.display() if p.end else "—"])
            item.setData(0, PERIOD_ROLE, p.id)
            item.setData(0, Qt.ItemDataRole.DecorationRole, QColor(p.color or PERIOD_COLORS[n % len(PERIOD_COLORS)]))
            tip = f"{p.title}\n{p.start.text} – {p.end.text if p.end else '…'}"
            item.setToolTip(0, tip + (f"\n\n{p.description}" if p.description else ""))
            self.tree.addTopLevelItem(item)
            if p.id == current:
                self.tree.setCurrentItem(item)
        self.update_actions()

    def titles(self) -> list[str]:
        return [self.tree.topLevelItem(i).text(0) for i in range(self.tree.topLevelItemCount())]

    def current_period(self) -> int | None:
        item = self.tree.currentItem()
        return item.data(0, PERIOD_ROLE) if item is not None else None

    def select_period(self, period_id: int) -> None:
        for i in range(self.tree.topLevelItemCount()):
            if self.tree.topLevelItem(i).data(0, PERIOD_ROLE) == period_id:
                self.tree.setCurrentItem(self.tree.topLevelItem(i))

    def update_actions(self) -> None:
        edits = not self.hub.project.read_only
        selected = self.current_period() is not None
        self.actions_by_name["new_period"].setEnabled(edits)
        self.actions_by_name["edit_period"].setEnabled(edits and selected)
        self.actions_by_name["delete_period"].setEnabled(edits and selected)

    # ---- gestures ------------------------------------------------------------------------------
    def new_period(self, start: str = "", end: str = "") -> PeriodDialog | None:
        self.dialog = open_period_editor(self, self.hub, self.stack, None, start=start, end=end)
        return self.dialog

    def edit(self, period_id: int) -> PeriodDialog | None:
        self.dialog = open_period_editor(self, self.hub, self.stack, period_id)
        return self.dialog

    def delete(self, period_id: int) -> bool:
        if self.hub.project.read_only:
            return False
        p = self.hub.project.period(period_id)
        answer = QMessageBox.question(self, "Delete period", f"Delete the period “{p.title}”? "
                                      "No event changes. You can undo this.")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        result = self.stack.push(DeletePeriodCommand(self.hub, period_id))
        return result if isinstance(result, bool) else True

    def merge(self, period_id: int) -> QInputDialog | None:
        """Ask which period `period_id` is merged into (it keeps its title and dates, and takes this
        one's colour and description where it has none); OK is one undo step."""
        project = self.hub.project
        if project.read_only:
            return None
        merged = project.period(period_id)
        others = {f"{p.title} ({p.start.display()} – {p.end.display() if p.end else '…'})": p.id
                  for p in project.periods() if p.id != period_id}
        if not others:
            return None
        dialog = QInputDialog(self)
        dialog.setObjectName("merge_period_dialog")
        dialog.setWindowTitle(f"Merge “{merged.title}” into…")
        dialog.setLabelText(f"The period “{merged.title}” is deleted; the one you choose keeps its title and "
                            "dates\nand takes its colour and description where it has none. Undo puts both back.")
        dialog.setComboBoxItems(list(others))
        dialog.setOkButtonText("Merge")
        dialog.textValueSelected.connect(
            lambda label: self.stack.push(MergePeriodsCommand(self.hub, period_id, others[label])))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def zoom_to(self, period_id: int) -> None:
        p = self.hub.project.period(period_id)
        lo, hi = p.start.lo_ts, (p.end or p.start).hi_ts
        pad = max((hi - lo) * 0.05, 86400)
        self.zoom_requested.emit(float(lo - pad), float(hi + pad))

    def _edit_current(self) -> None:
        if self.current_period() is not None:
            self.edit(self.current_period())

    def _delete_current(self) -> None:
        if self.current_period() is not None:
            self.delete(self.current_period())

    def menu_for(self, period_id: int | None) -> QMenu:
        menu = QMenu(self)
        edits = not self.hub.project.read_only
        entries = [("New period…", "new_period", lambda: self.new_period(), edits)]
        if period_id is not None:
            entries = [("Edit…", "edit_period", lambda: self.edit(period_id), edits),
                       ("Show on the timeline", "zoom_period", lambda: self.zoom_to(period_id), True),
                       ("Merge into…", "merge_period", lambda: self.merge(period_id),
                        edits and self.tree.topLevelItemCount() > 1),
                       ("Delete…", "delete_period", lambda: self.delete(period_id), edits), *entries]
        for text, name, slot, enabled in entries:
            action = menu.addAction(text, slot)
            action.setObjectName(name)
            action.setEnabled(enabled)
        return menu

    def _show_menu(self, pos: QPoint) -> None:
        item = self.tree.itemAt(pos)
        self.menu_for(item.data(0, PERIOD_ROLE) if item else None).exec(self.tree.viewport().mapToGlobal(pos))
