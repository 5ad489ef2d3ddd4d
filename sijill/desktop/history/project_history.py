"""View ▸ Project history: every change set of the project, newest first (time, analyst, label, kind,
what it touched), filtered by analyst, dates, kind, or to what changed since the analyst last opened
the project here; the selected change set's changes record by record, field by field. Double-click
a record to select it in the window (an event on the timeline, a source or passage in the reader).
Writes made by another program (sqlite-utils, Datasette) are listed where they were made, as "Changed
outside Sijill" of kind "outside". "Deletions only" lists the change sets that deleted records; a record
deleted and still gone can be brought back from there (`sijill.desktop.history.deleted`).

When the project was last opened is kept in the user's settings per project file (`LAST_OPENINGS`),
not in the project: it is this analyst's reading of this file on this computer, a project open
read-only can keep it too, and opening the file does not write to it (other windows watching it
would read that as a change).

The change sets a merge brought in from another copy are listed in grey italics, "merged in by “Merge
from b.sijill”"; a change of theirs this file did not take (its conflict kept this file's value) is
struck through, with what was kept under it.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from sijill.db.dates import DateParseError, parse_fuzzy
from sijill.db.store.feed import KINDS
from sijill.db.history.describe import Names, counts_text, describe, merged_text, when_text
from sijill.desktop.history.deleted import RestoreDeleted
from sijill.desktop.history.history_view import mark_merged_in, struck
from sijill.desktop.hub import ProjectHub
from sijill.desktop.places.manager import open_place_manager
from sijill.desktop.settings import LAST_OPENINGS, Settings

LIMIT = 2000        # change sets listed at most (the newest)
DETAIL_LIMIT = 2000  # changes of one change set listed record by record; more (an import) are counted
KEEP_OPENINGS = 50  # projects whose last opening is remembered
DATA = Qt.ItemDataRole.UserRole


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def remember_opening(settings: Settings, path: str | Path, now: datetime | None = None) -> str | None:
    """Record that the project at `path` is being opened now; returns when it was opened before
    (the log's ISO time), or None the first time."""
    key = str(Path(path).resolve())
    entries = [e.split("\t", 1) for e in settings.get(LAST_OPENINGS) if "\t" in e]
    previous = next((at for at, p in entries if p == key), None)
    kept = [f"{at}\t{p}" for at, p in entries if p != key]
    settings.set(LAST_OPENINGS, [f"{_iso(now or datetime.now(timezone.utc))}\t{key}", *kept][:KEEP_OPENINGS])
    return previous


def date_bound(text: str, upper: bool) -> str | None:
    """The first (or last) instant of a date as typed, as the log's ISO time; None when empty.
    DateParseError when it cannot be read."""
    if not text.strip():
        return None
    d = parse_fuzzy(text)
    return _iso(d.hi if upper else d.lo)


class ProjectHistory(QDialog):
    """The project's change sets, filtered, and the changes of the selected one."""

    def __init__(self, hub: ProjectHub, parent: QWidget | None = None, last_opened: str | None = None,
                 show_event: Callable[[int], None] | None = None, show_group: Callable[[int], None] | None = None,
                 show_period: Callable[[int], None] | None = None,
                 show_place: Callable[[int], None] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("project_history")
        self.setWindowTitle(f"Project history — {hub.project.title}")
        self.resize(980, 640)
        self.hub, self.last_opened = hub, last_opened
        self.show_event, self.show_group, self.show_period = show_event, show_group, show_period
        self.show_place = show_place
        self.analyst = QComboBox(self)
        self.analyst.setObjectName("history_analyst")
        self.date_from, self.date_to = QLineEdit(self), QLineEdit(self)
        for edit, name, example in ((self.date_from, "history_from", "e.g. 2026-12, yesterday"),
                                    (self.date_to, "history_to", "e.g. today")):
            edit.setObjectName(name)
            edit.setPlaceholderText(example)
            edit.setClearButtonEnabled(True)
        self.kind = QComboBox(self)
        self.kind.setObjectName("history_kind")
        self.kind.addItem("Any kind", None)
        for kind in (*KINDS, "outside"):  # outside: written by another program (sqlite-utils, Datasette)
            self.kind.addItem(kind, kind)
        self.since_opened = QCheckBox("Since I last opened" + (f" ({when_text(last_opened)})" if last_opened
                                                               else ""), self)
        self.since_opened.setObjectName("history_since_opened")
        self.deletions = QCheckBox("Deletions only", self)
        self.deletions.setObjectName("history_deletions")
        self.deletions.setToolTip("Only the change sets that deleted a record (Restore deleted record brings one back)")
        self.since_opened.setEnabled(last_opened is not None)
        if last_opened is None:
            self.since_opened.setToolTip("This is the first time the project is open here")
        self.sets = QTreeWidget(self)
        self.sets.setObjectName("history_sets")
        self.sets.setHeaderLabels(["When (UTC)", "Analyst", "Change", "Kind", "What"])
        self.sets.setRootIsDecorated(False)
        self.sets.setUniformRowHeights(True)
        header = self.sets.header()
        for column in (0, 1, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 300)
        header.setStretchLastSection(True)
        self.changes = QTreeWidget(self)
        self.changes.setObjectName("history_set_changes")
        self.changes.setHeaderLabels(["Record / field", "Before", "After"])
        self.changes.setUniformRowHeights(True)
        self.changes.header().resizeSection(0, 320)
        self.changes.header().resizeSection(1, 280)
        self.changes.setToolTip("Double-click a record to select it in the window")
        self.status = QLabel(self)
        self.status.setObjectName("history_status")
        filters = QHBoxLayout()
        for label, widget in (("&Analyst", self.analyst), ("&From", self.date_from), ("&To", self.date_to),
                              ("&Kind", self.kind)):
            caption = QLabel(label, self)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget, 1 if isinstance(widget, QLineEdit) else 0)
        filters.addWidget(self.since_opened)
        filters.addWidget(self.deletions)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.sets)
        splitter.addWidget(self.changes)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        self._later = QTimer(self)  # many signals of one edit: one reading
        self._later.setSingleShot(True)
        self._later.timeout.connect(self.refresh)
        for signal in (hub.events_changed, hub.events_removed, hub.sources_changed, hub.evidence_changed,
                       hub.annotations_changed):
            signal.connect(self._soon)
        for signal in (hub.groups_changed, hub.periods_changed, hub.project_reset, hub.tags_changed):
            signal.connect(self._soon)
        self.analyst.currentIndexChanged.connect(self.refresh)
        self.kind.currentIndexChanged.connect(self.refresh)
        self.since_opened.toggled.connect(self.refresh)
        self.deletions.toggled.connect(self.refresh)
        for edit in (self.date_from, self.date_to):
            edit.editingFinished.connect(self.refresh)
            edit.textChanged.connect(lambda text: self._later.start(400))
        self.sets.currentItemChanged.connect(self._show_changes)
        self.changes.itemDoubleClicked.connect(self._activate)
        self.refresh()

    def _soon(self, *_args) -> None:
        self._later.start(0)

    # ---- reading ------------------------------------------------------------------------------
    def _fill_analysts(self) -> None:
        chosen = self.analyst.currentData()
        names = sorted({cs.analyst for cs in self.hub.project.change_sets() if cs.analyst}, key=str.casefold)
        self.analyst.blockSignals(True)
        self.analyst.clear()
        self.analyst.addItem("Anyone", None)
        for name in names:
            self.analyst.addItem(name, name)
        self.analyst.setCurrentIndex(max(self.analyst.findData(chosen), 0))
        self.analyst.blockSignals(False)

    def refresh(self, *_args) -> None:
        """Read the change sets the filters choose, keeping the selected one selected."""
        if self.hub.project.closed:  # the window is closing; a late timer finds nothing to read
            return
        self._fill_analysts()
        try:
            since = date_bound(self.date_from.text(), upper=False)
            until = date_bound(self.date_to.text(), upper=True)
        except DateParseError as exc:
            self.status.setText(f"Dates: {exc}")
            return
        if self.since_opened.isChecked() and self.last_opened and (since is None or self.last_opened > since):
            since = self.last_opened
        current = self.sets.currentItem().data(0, DATA).id if self.sets.currentItem() else None
        found = self.hub.project.change_sets(since=since, analyst=self.analyst.currentData(),
                                             kind=self.kind.currentData(), limit=LIMIT, outside=True)
        if until is not None:
            found = [cs for cs in found if cs.at <= until]
        if self.deletions.isChecked():
            found = [cs for cs in found if any(op == "delete" for _kind, op in cs.counts)]
        self.sets.clear()
        for change_set in found:
            merged = merged_text(change_set)
            item = QTreeWidgetItem([when_text(change_set.at) if change_set.at else "—", change_set.analyst or "",
                                    change_set.label + (f" — {merged}" if merged else ""),
                                    change_set.kind, counts_text(change_set.counts)])
            item.setData(0, DATA, change_set)
            item.setToolTip(2, change_set.label + (f"\nMade in another copy of the project, {merged}" if merged
                                                   else ""))
            if merged:
                mark_merged_in(item, self.sets.palette())
            item.setToolTip(4, counts_text(change_set.counts))
            self.sets.addTopLevelItem(item)
            if change_set.id == current:
                self.sets.setCurrentItem(item)
        if self.sets.currentItem() is None and self.sets.topLevelItemCount():
            self.sets.setCurrentItem(self.sets.topLevelItem(0))
        self._show_changes()
        more = " (the newest)" if len(found) == LIMIT else ""
        self.status.setText(f"{len(found)} change set{'s' if len(found) != 1 else ''}{more}" if found
                            else "No recorded change matches")

    def _show_changes(self, *_args) -> None:
        self.changes.clear()
        item = self.sets.currentItem()
        if item is None:
            return
        change_set = item.data(0, DATA)
        if change_set.size > DETAIL_LIMIT:
            self.changes.addTopLevelItem(QTreeWidgetItem([counts_text(change_set.counts)]))
            return
        for record in describe(change_set.changes, Names(self.hub.project)):
            done = {"insert": ": created", "delete": ": deleted"}.get(record.op, "")
            top = QTreeWidgetItem([f"{record.kind} “{record.title}”{done}"])
            top.setData(0, DATA, (record.kind, record.uid))
            top.setToolTip(0, record.uid)
            if record.kept:
                top.setFont(0, struck(top.font(0)))
                top.addChild(QTreeWidgetItem([f"    ↳ not applied here: {record.kept}"]))
            for f in record.fields:
                child = QTreeWidgetItem([f.name, " ".join(f.before.split()), " ".join(f.after.split())])
                child.setToolTip(1, f.before)
                child.setToolTip(2, f.after)
                top.addChild(child)
                if f.kept:
                    child.setFont(2, struck(child.font(2)))
                    top.addChild(QTreeWidgetItem([f"    ↳ not applied here: {f.kept}"]))
            for line in record.links:
                top.addChild(QTreeWidgetItem(["link", line]))
            for line, kept in record.kept_links:
                child = QTreeWidgetItem(["link", line])
                child.setFont(1, struck(child.font(1)))
                top.addChild(child)
                top.addChild(QTreeWidgetItem([f"    ↳ not applied here: {kept}"]))
            self.changes.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)
            for i in range(top.childCount()):  # what was kept instead: one line across the columns
                if top.child(i).text(0).lstrip().startswith("↳"):
                    top.child(i).setFirstColumnSpanned(True)
            top.setExpanded(True)

    # ---- going to a record --------------------------------------------------------------------
    def _activate(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        while item.parent() is not None:
            item = item.parent()
        target = item.data(0, DATA)
        if target:
            self.select_record(*target)

    def select_record(self, kind: str, uid: str) -> bool:
        """Select the record in the window: an event on the timeline and in the table, a source or an
        annotated passage in the reader, a group or a period in its list, a place in Edit ▸ Places…. False
        when it is gone or cannot be shown."""
        project = self.hub.project
        if kind == "event":
            event = project.event_by_uid(uid)
            if event is None:
                return False
            (self.show_event or (lambda i: self.hub.set_selection([i])))(event.id)
            return True
        if kind == "source":
            source = project.source_by_uid(uid)
            if source is not None:
                self.hub.passage_requested.emit(source.id, None)
            return source is not None
        if kind == "annotation":
            annotation = project.annotation_by_uid(uid)
            if annotation is not None:
                self.hub.passage_requested.emit(annotation.source_id, annotation.id)
            return annotation is not None
        found = {"group": project.groups, "period": project.periods, "place": project.places}.get(kind, lambda: [])()
        record = next((r for r in found if r.uid == uid), None)
        show = {"group": self.show_group, "period": self.show_period, "place": self.show_place}.get(kind)
        if record is None or show is None:
            return False
        show(record.id)
        return True


def show_place(window, place_id: int) -> None:
    """Edit ▸ Places… opened on the place."""
    open_place_manager(window).select(window.hub.project.place(place_id).name)


def open_project_history(window) -> ProjectHistory:
    """View ▸ Project history in `window` (a MainWindow): one dialog, raised again when asked again."""
    dialog = getattr(window, "project_history_dialog", None)
    if dialog is None:
        def in_dock(dock, select) -> Callable[[int], None]:
            def show(record_id: int) -> None:
                dock.show()
                dock.raise_()
                select(record_id)
            return show

        dialog = ProjectHistory(window.hub, window, last_opened=window.last_opened, show_event=window.show_event,
                                show_group=in_dock(window.groups_dock, window.group_list.select_group),
                                show_period=in_dock(window.periods_dock, window.periods_list.select_period),
                                show_place=lambda place_id: show_place(window, place_id))
        dialog.restore_deleted = RestoreDeleted(dialog, window.undo_stack)
        window.project_history_dialog = dialog
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
