"""The source library: a sortable, filterable table of sources, and adding (from a file or by
pasting), editing, merging (the same document added twice) and deleting them, every change one
undo step."""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QHeaderView, QLineEdit,
                               QMessageBox, QTableView, QVBoxLayout, QWidget)

from sijill.desktop.sources.source_dialog import SourceDialog
from sijill.desktop.hub import ProjectHub
from sijill.desktop.commands.sources import (AddSourceCommand, DeleteSourceCommand, EditSourceCommand,
                                            MergeSourcesCommand)
from sijill.desktop.sources.dialogs import read_chosen_document
from sijill.desktop.sources.library_model import ID_ROLE, SourcesFilterModel, SourcesModel
from sijill.desktop.widgets.action_bar import action_bar
from sijill.desktop.widgets.dialog_slot import DialogSlot


class SourceLibrary(QWidget):
    """Table of sources with Add from file, Add by pasting, Edit metadata and Delete."""

    source_selected = Signal(object)  # source id or None: the row now current
    source_added = Signal(int)

    def __init__(self, hub: ProjectHub, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SourceLibrary")
        self.hub = hub
        self.stack = undo_stack
        self._slot = DialogSlot()
        self.model = SourcesModel(hub, self)
        self.proxy = SourcesFilterModel(self)
        self.proxy.setSourceModel(self.model)

        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("sourceFilter")
        self.filter_edit.setPlaceholderText("Filter sources (title, outlet, language, grade…)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.set_filter_text)

        self.add_file_action = QAction("Add from &file…", self)
        self.add_file_action.setStatusTip("Import a .txt, .md, .html or .pdf file as a new source")
        self.add_paste_action = QAction("Add by &pasting…", self)
        self.add_paste_action.setStatusTip("Paste a source's text and enter its details")
        self.edit_action = QAction("&Edit details…", self)
        self.merge_action = QAction("&Merge into…", self)
        self.merge_action.setObjectName("merge_source")
        self.merge_action.setStatusTip("Merge this source (the same document added twice) into another: its "
                                       "passages and evidence links move over")
        self.delete_action = QAction("&Delete", self)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.delete_action)
        self.add_file_action.triggered.connect(lambda: self.add_from_file())
        self.add_paste_action.triggered.connect(self.add_by_paste)
        self.edit_action.triggered.connect(self.edit_selected)
        self.delete_action.triggered.connect(self.delete_selected)
        self.merge_action.triggered.connect(lambda: self.merge_selected())

        self.table = QTableView()
        self.table.setObjectName("sourcesTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for col in range(1, self.model.columnCount()):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 200)  # the title matters most; the rest fit their contents
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for action in (self.add_file_action, self.add_paste_action, self.edit_action, self.merge_action,
                       self.delete_action):
            self.table.addAction(action)

        bar = action_bar((self.add_file_action, self.add_paste_action, self.edit_action, self.delete_action))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table, 1)
        self.model.modelReset.connect(self._restore_current)
        self._wanted: int | None = None
        self._update_actions()

    # ---- selection -----------------------------------------------------------------------------
    def current_source_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def select_source(self, source_id: int | None) -> None:
        self._wanted = source_id
        if source_id is None:
            self.table.clearSelection()
            return
        row = self.model.row_of(source_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():  # filtered out: show it anyway
            self.filter_edit.clear()
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def _current_changed(self, current, _previous) -> None:
        sid = current.data(ID_ROLE) if current.isValid() else None
        if sid is not None:
            self._wanted = sid
        self._update_actions()
        self.source_selected.emit(sid)

    def _restore_current(self) -> None:
        if self._wanted is not None and self.model.row_of(self._wanted) >= 0:
            self.select_source(self._wanted)
        else:
            self._update_actions()
            self.source_selected.emit(None)

    def _update_actions(self) -> None:
        writable = not self.hub.project.read_only
        has = self.current_source_id() is not None and writable
        self.edit_action.setEnabled(has)
        self.delete_action.setEnabled(has)
        self.merge_action.setEnabled(has and self.model.rowCount() > 1)
        self.add_file_action.setEnabled(writable)
        self.add_paste_action.setEnabled(writable)

    # ---- dialogs -------------------------------------------------------------------------------
    @property
    def dialog(self) -> QDialog | None:
        """The source dialog now open, if any."""
        return self._slot.current

    def add_from_file(self, path: str | None = None) -> SourceDialog | None:
        """Read a document; a file that cannot be read as text gets a message and adds nothing."""
        doc = read_chosen_document(self, "Add source", path)
        if doc is None:
            return None
        dialog = SourceDialog(self, title=doc.title, language=doc.language)
        if doc.warnings:
            dialog.error_label.setStyleSheet("color: #8a6d00")
            dialog.error_label.setText("\n".join(doc.warnings))
        return self._slot.open(dialog, lambda d: self._add(d.values() | {"body": doc.text}))

    def add_by_paste(self) -> SourceDialog:
        return self._slot.open(SourceDialog(self, paste=True), lambda d: self._add(d.values()))

    def _add(self, fields: dict) -> None:
        command = AddSourceCommand(self.hub, fields)
        if self.stack.push(command):
            self.select_source(command.source_id)
            self.source_added.emit(command.source_id)

    def edit_selected(self) -> SourceDialog | None:
        sid = self.current_source_id()
        if sid is None:
            return None
        source = self.hub.project.source(sid)
        dialog = SourceDialog(self, source=source)
        from sijill.desktop.history.history_view import add_history_tab

        add_history_tab(dialog, self.hub, self.stack, "source", source.uid)

        def accepted(d: SourceDialog) -> None:
            current = self.hub.project.source(sid)
            changes = {k: v for k, v in d.values().items() if getattr(current, k) != v}
            if changes:
                self.stack.push(EditSourceCommand(self.hub, sid, changes))

        return self._slot.open(dialog, accepted)

    def merge_selected(self):
        """Merge the current source into the one chosen in MergeSourceDialog, as one undo step; the
        source kept is then the current one."""
        from sijill.desktop.sources.merge_dialog import MergeSourceDialog

        sid = self.current_source_id()
        if sid is None or self.hub.project.read_only:
            return None

        def accepted(d: MergeSourceDialog) -> None:
            into = d.target_id()
            if into is not None and self.stack.push(MergeSourcesCommand(self.hub, sid, into)):
                self.select_source(into)

        return self._slot.open(MergeSourceDialog(self.hub, sid, self), accepted)

    def delete_selected(self) -> bool:
        sid = self.current_source_id()
        if sid is None:
            return False
        project = self.hub.project
        n_annotations = len(project.annotations(sid))
        n_evidence = len(project.evidence_for_source(sid))
        if n_annotations or n_evidence:
            title = project.source(sid).title
            answer = QMessageBox.question(
                self, "Delete source",
                f"Delete “{title}” with its {n_annotations} annotation(s) and {n_evidence} evidence link(s)?\n"
                "Undo brings them all back.")
            if answer != QMessageBox.StandardButton.Yes:
                return False
        return self.stack.push(DeleteSourceCommand(self.hub, sid))
