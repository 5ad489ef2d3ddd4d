"""The events table: a sortable, filterable view of every event, selecting through the hub."""
from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from sijill.desktop.hub import ProjectHub
from sijill.desktop.events.table_model import (C_END, C_EVIDENCE, C_FATALITIES, C_GROUPS, C_LOCATION, C_START, C_TAGS,
                            C_TITLE, C_TYPE, EventsFilterProxy, EventsTableModel)

COLUMN_WIDTHS = {C_START: 105, C_END: 95, C_TITLE: 280, C_GROUPS: 300, C_TYPE: 170, C_LOCATION: 110,
                 C_FATALITIES: 75, C_EVIDENCE: 70, C_TAGS: 140}


class EventsTable(QTableView):
    """Rows of `EventsTableModel` through `EventsFilterProxy`.

    The selection is the hub's: a click selects through `hub.set_selection`, and a selection made
    elsewhere (the timeline) selects and scrolls to the rows here. Rows hidden by the filter stay
    selected in the hub. Enter or a double-click asks for the editor (`edit_requested`)."""

    edit_requested = Signal(int)
    delete_requested = Signal()

    def __init__(self, hub: ProjectHub, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hub = hub
        self._syncing = False
        self._model_busy = False
        self.proxy = EventsFilterProxy(hub, self)
        self.source_model = EventsTableModel(hub, self)
        self.proxy.setSourceModel(self.source_model)
        # Connected before setModel, so that these run before the selection model reacts.
        for signal in (self.proxy.layoutAboutToBeChanged, self.proxy.rowsAboutToBeRemoved,
                       self.proxy.modelAboutToBeReset, self.proxy.rowsAboutToBeInserted):
            signal.connect(self._model_changing)
        self.setModel(self.proxy)
        for signal in (self.proxy.layoutChanged, self.proxy.rowsRemoved, self.proxy.modelReset,
                       self.proxy.rowsInserted):
            signal.connect(self._model_changed)

        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        for column, width in COLUMN_WIDTHS.items():
            self.setColumnWidth(column, width)
        header.setSortIndicator(C_START, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)

        self.selectionModel().selectionChanged.connect(self._on_table_selection)
        self.doubleClicked.connect(self._on_double_click)
        hub.selection_changed.connect(self.show_selection)

    # ---- what is shown ------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        """Selected events top to bottom, the current row's last (it is the one the pane shows)."""
        rows = sorted(index.row() for index in self.selectionModel().selectedRows())
        ids = [self.proxy.event_id(r) for r in rows]
        current = self.currentIndex()
        if current.isValid() and self.selectionModel().isRowSelected(current.row()):
            cid = self.proxy.event_id(current.row())
            ids = [i for i in ids if i != cid] + [cid]
        return ids

    def shown_ids(self) -> list[int]:
        return self.proxy.event_ids()

    # ---- selection, both ways -----------------------------------------------------------------
    def _on_table_selection(self, *_args) -> None:
        if self._syncing or self._model_busy:
            return
        self._syncing = True
        try:
            self.hub.set_selection(self.selected_ids())
        finally:
            self._syncing = False

    def show_selection(self, ids: list[int] | None = None, scroll: bool = True) -> None:
        """Select the rows of `ids` (default: the hub's selection) and scroll to the last one."""
        if self._syncing:
            return
        ids = self.hub.selection if ids is None else ids
        selection = QItemSelection()
        last = None
        last_column = self.proxy.columnCount() - 1
        for eid in ids:
            row = self.proxy.proxy_row_of(eid)
            if row is not None:
                selection.select(self.proxy.index(row, 0), self.proxy.index(row, last_column))
                last = row
        self._syncing = True
        try:
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            self.selectionModel().select(selection, flags)
            if last is not None:
                index = self.proxy.index(last, C_TITLE)
                self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
                if scroll:
                    self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        finally:
            self._syncing = False

    def _model_changing(self, *_args) -> None:
        self._model_busy = True

    def _model_changed(self, *_args) -> None:
        self._model_busy = False
        self.show_selection(scroll=False)

    # ---- keys and clicks ----------------------------------------------------------------------
    def _on_double_click(self, index) -> None:
        if index.isValid():
            self.edit_requested.emit(self.proxy.event_id(index.row()))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            current = self.currentIndex()
            if current.isValid():
                self.edit_requested.emit(self.proxy.event_id(current.row()))
                event.accept()
                return
        if key == Qt.Key.Key_Delete and self.selectionModel().hasSelection():
            # Reached only when the Delete action is disabled (read-only): the window says why.
            self.delete_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)
