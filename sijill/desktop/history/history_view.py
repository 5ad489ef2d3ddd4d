"""The History tab of a record (event, group, period, source, annotation, place): every recorded change to it, newest
first, with who made it, when and under what label, and the selected change field by field (before,
after; link changes as "+ group Kataib Hezbollah (actor)").

"Restore this version" puts the record back as it was just after the selected change; "Restore the
version before" as it was just before it. Either is one undoable step on the window's undo stack,
recorded in the log as a restore. The editor the tab sits in is closed by a restore (its fields
would be stale): `restored` tells it to.

A change set a merge brought in from another copy is listed in grey italics as "merged in by
“Merge from b.sijill”": it was made there, and neither version around it was ever this file's (the
buttons say so and restore nothing). A change of it this file did not take (its conflict kept this
file's value) is struck through, with what was kept below it.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QPalette, QUndoStack
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter,
                               QTableWidget, QTableWidgetItem, QTabWidget, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
                               QWidget)

from sijill.db.store.basics import ProjectError
from sijill.db.history.describe import Names, RecordChange, describe, merged_text, when_text
from sijill.db.history.labels import restore_version_label
from sijill.db.history.versions import Restoration, restoration
from sijill.desktop.commands.restore import RestoreVersionCommand
from sijill.desktop.hub import ProjectHub

SET_ID = Qt.ItemDataRole.UserRole


def struck(font: QFont) -> QFont:
    """A change not taken in this file: struck through."""
    font = QFont(font)
    font.setStrikeOut(True)
    return font


def fill_changes(table: QTableWidget, record: RecordChange | None) -> None:
    """A record's change as rows of Field | Before | After; a link change spans Before and After. A change
    not taken here (merged in, its conflict kept this file's value) is struck, what was kept on the next row."""
    table.clearSpans()
    table.setRowCount(0)
    if record is None:
        return
    rows: list[tuple[str, str, str | None, str | None]] = [(f.name, f.before, f.after, f.kept) for f in record.fields]
    rows += [("link", line, None, None) for line in record.links]
    rows += [("link", line, None, kept) for line, kept in record.kept_links]
    if record.op in ("insert", "delete"):
        rows = [("record", "created" if record.op == "insert" else "deleted", None, record.kept)]
    lines: list[tuple[str, str, str | None, bool]] = []
    for name, before, after, kept in rows:
        lines.append((name, before, after, kept is not None))
        if kept is not None:
            lines.append(("", f"↳ not applied here: {kept}", None, False))
    table.setRowCount(len(lines))
    dim = table.palette().color(QPalette.ColorRole.PlaceholderText)
    for row, (name, before, after, lost) in enumerate(lines):
        for column, text in enumerate((name, before, after)):
            if text is None:
                continue
            item = QTableWidgetItem(" ".join(text.split()) if column else text)  # one line; the tooltip has it all
            item.setToolTip(text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            if lost and (column == 2 or after is None and column == 1):
                item.setFont(struck(item.font()))
                item.setForeground(dim)
            table.setItem(row, column, item)
        if after is None:
            table.setSpan(row, 1, 1, 2)


def mark_merged_in(item: QTreeWidgetItem, palette: QPalette) -> None:
    """A change set made in another copy and merged in: grey italics, apart from this file's own."""
    dim = palette.color(QPalette.ColorRole.PlaceholderText)
    for column in range(item.columnCount()):
        font = item.font(column)
        font.setItalic(True)
        item.setFont(column, font)
        item.setForeground(column, dim)


def changes_table(parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, 3, parent)
    table.setHorizontalHeaderLabels(["Field", "Before", "After"])
    table.verticalHeader().hide()
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
    return table


def _when(at: str) -> str:
    """The time of a change set; a write made outside Sijill has none."""
    return when_text(at) if at else "—"


def _summary(record: RecordChange | None) -> str:
    """"start, fatalities, links", "created" or "deleted": what a change did to the record, in brief."""
    if record is None:
        return ""
    if record.op != "update":
        return "created" if record.op == "insert" else "deleted"
    return ", ".join([f.name for f in record.fields] + (["links"] if record.links else []))


class HistoryView(QWidget):
    """One record's recorded changes, and the buttons that restore a version of it."""

    restored = Signal()

    def __init__(self, hub: ProjectHub, stack: QUndoStack, kind: str, uid: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("history_view")
        self.hub, self.stack, self.kind, self.uid = hub, stack, kind, uid
        self.history: list = []
        self.records: dict[int, RecordChange | None] = {}
        self.title = ""
        self.list = QTreeWidget(self)
        self.list.setObjectName("history_list")
        self.list.setHeaderLabels(["When (UTC)", "Analyst", "Change"])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.changes = changes_table(self)
        self.changes.setObjectName("history_changes")
        self.restore_button = QPushButton("Restore this version", self)
        self.restore_button.setObjectName("restore_version")
        self.restore_button.setProperty("tip", "Put the record back as it was just after the selected change "
                                                "(one undo step)")
        self.restore_before_button = QPushButton("Restore the version before", self)
        self.restore_before_button.setObjectName("restore_version_before")
        self.restore_before_button.setProperty("tip", "Put the record back as it was just before the selected "
                                                       "change (one undo step)")
        self.note = QLabel(self)
        self.note.setObjectName("history_note")
        self.note.setWordWrap(True)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.list)
        splitter.addWidget(self.changes)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.note, 1)
        buttons.addWidget(self.restore_before_button)
        buttons.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.list.currentItemChanged.connect(self._show_current)
        self.restore_button.clicked.connect(lambda: self.restore("after"))
        self.restore_before_button.clicked.connect(lambda: self.restore("before"))
        self._later = QTimer(self)  # the signals of one edit: one reading
        self._later.setSingleShot(True)
        self._later.timeout.connect(self.refresh)
        event = hub.project.event_by_uid(uid) if kind == "event" else None
        self.event_id = event.id if event is not None else None
        for signal in (hub.events_changed, hub.events_removed, hub.evidence_changed):
            signal.connect(self._events_changed)
        for signal in (hub.sources_changed, hub.groups_changed, hub.annotations_changed, hub.periods_changed,
                       hub.tags_changed, hub.places_changed, hub.project_reset):
            signal.connect(self._soon)
        self.refresh()

    def _soon(self, *_args) -> None:
        self._later.start(0)

    def _events_changed(self, ids: list) -> None:
        if self.kind != "event" or self.event_id in ids:
            self._soon()

    # ---- reading ------------------------------------------------------------------------------
    def refresh(self, *_args) -> None:
        """Read the record's history again, keeping the selected change set selected."""
        if self.hub.project.closed:  # the window is closing
            return
        current = self.current_set_id()
        self.history = self.hub.project.history(self.uid)
        names = Names(self.hub.project)
        self.title = names.record(self.kind, self.uid)
        self.records = {}
        self.list.blockSignals(True)
        self.list.clear()
        for change_set, changes in self.history:
            [record] = describe([c for c in changes if c.uid == self.uid], names) or [None]
            self.records[change_set.id] = record
            what = _summary(record)
            merged = merged_text(change_set)
            item = QTreeWidgetItem([_when(change_set.at), change_set.analyst or "",
                                    change_set.label + (f" ({what})" if what else "") + (f" — {merged}" if merged
                                                                                        else "")])
            item.setData(0, SET_ID, change_set.id)
            item.setToolTip(2, f"{change_set.label} [{change_set.kind}]"
                            + (f"\nMade in another copy of the project, {merged}" if merged else ""))
            if merged:
                mark_merged_in(item, self.list.palette())
            self.list.addTopLevelItem(item)
            if change_set.id == current:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.topLevelItemCount():
            self.list.setCurrentItem(self.list.topLevelItem(0))
        self.list.blockSignals(False)
        self._show_current()

    def current_set_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else item.data(0, SET_ID)

    def _show_current(self, *_args) -> None:
        set_id = self.current_set_id()
        fill_changes(self.changes, self.records.get(set_id) if set_id is not None else None)
        notes = []
        for button, side in ((self.restore_button, "after"), (self.restore_before_button, "before")):
            plan, why = self.plan(side)
            button.setEnabled(plan is not None and not self.hub.project.read_only)
            if plan is not None and plan.skipped:
                notes.append("Cannot be put back: " + ", ".join(plan.skipped))
            button.setToolTip(why or button.property("tip"))
        merged = next((cs for cs, _ in self.history if cs.id == set_id and cs.merged_by is not None), None)
        if merged is not None:
            notes.append(f"Made in another copy by {merged.analyst or 'an unknown analyst'}, {merged_text(merged)}: "
                         "restore the version before or after the merge")
        if self.hub.project.read_only:
            notes.append("The project is open read-only")
        elif not self.history:
            notes.append("No change to this record has been recorded yet")
        self.note.setText("; ".join(dict.fromkeys(notes)))

    def plan(self, side: str) -> tuple[Restoration | None, str]:
        """What restoring the selected version would write (None, and why not, when nothing)."""
        set_id = self.current_set_id()
        if set_id is None:
            return None, "Select a change first"
        try:
            plan = restoration(self.hub.project, self.kind, self.uid, self.history, set_id, side)
        except ProjectError as exc:
            return None, str(exc)
        if not plan.fields:
            return None, "The record is already as it was then"
        return plan, ""

    def _index(self) -> int:
        """Where the selected change set is in the record's history."""
        return next(i for i, (cs, _) in enumerate(self.history) if cs.id == self.current_set_id())

    # ---- restoring ----------------------------------------------------------------------------
    def restore(self, side: str = "after") -> bool:
        """Push the restore of the selected version; True when it was made."""
        plan, _why = self.plan(side)
        if plan is None:
            return False
        text = restore_version_label(self.title, self.history, self._index(), side)
        if not self.stack.push(RestoreVersionCommand(self.hub, plan, text)):
            return False
        self.restored.emit()
        return True


def add_history_tab(dialog: QDialog, hub: ProjectHub, stack: QUndoStack, kind: str, uid: str) -> HistoryView:
    """Give a record's editor a History tab: beside its other pages when it has a QTabWidget called
    `tabs`, else its fields become a first page, "Details". A restore closes the editor (Cancel):
    its fields show the record as it was before."""
    view = HistoryView(hub, stack, kind, uid, dialog)
    tabs = getattr(dialog, "tabs", None)
    if not isinstance(tabs, QTabWidget):
        tabs = _fields_in_a_tab(dialog)
    tabs.addTab(view, "&History")
    view.restored.connect(dialog.reject)
    return view


def _fields_in_a_tab(dialog: QDialog) -> QTabWidget:
    """Move what a dialog's layout holds above its button box into the first page of a new QTabWidget."""
    layout = dialog.layout()
    page = QWidget(dialog)
    page.setObjectName("details_page")
    page_layout = QVBoxLayout(page)
    page_layout.setContentsMargins(0, 6, 0, 0)
    while layout.count() and not isinstance(layout.itemAt(0).widget(), QDialogButtonBox):
        item = layout.takeAt(0)
        if item.widget() is not None:
            page_layout.addWidget(item.widget())
        elif item.layout() is not None:
            child = item.layout()
            child.setParent(None)
            page_layout.addLayout(child)
        else:
            page_layout.addItem(item)
    tabs = QTabWidget(dialog)
    tabs.setObjectName("record_tabs")
    tabs.setDocumentMode(True)
    tabs.addTab(page, "&Details")
    layout.insertWidget(0, tabs, 1)
    dialog.tabs = tabs
    return tabs
