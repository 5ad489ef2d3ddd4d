"""An event's evidence: each passage (or whole source) with its quote, source, outlet, date,
grade ("B2") and stance. Double-click opens the passage in the reader (`open_passage`); the context
menu changes a link's stance or its note (why it bears on the event, shown as the stance's
tooltip) or removes it, each one undo step."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QUndoStack
from PySide6.QtWidgets import (QHeaderView, QInputDialog, QLabel, QMenu, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
                               QWidget)

from sijill.db.store import schema
from sijill.db.store.basics import ProjectError
from sijill.desktop.widgets import theme
from sijill.desktop.hub import ProjectHub
from sijill.desktop.commands.evidence import EditEvidenceCommand, UnlinkEvidenceCommand
from sijill.desktop.sources.grades import grade_code, grade_tooltip

EVIDENCE_ROLE = Qt.ItemDataRole.UserRole
STANCE_COLOURS = {"supports": "positive", "contradicts": "negative", "context": "secondary"}  # Theme colours


class EvidencePanel(theme.RedrawnOnThemeChange, QWidget):
    """The evidence list of one event (the hub's current event unless `follow_selection=False`)."""

    open_passage = Signal(int, object)  # source id, annotation id or None

    COLUMNS = ("Stance", "Grade", "Quote", "Source", "Outlet", "Date")

    def __init__(self, hub: ProjectHub, undo_stack: QUndoStack, parent: QWidget | None = None,
                 follow_selection: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("EvidencePanel")
        self.hub = hub
        self.stack = undo_stack
        self.event_id: int | None = None
        self.summary = QLabel()
        self.summary.setObjectName("evidenceSummary")
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("evidenceTree")
        self.tree.setColumnCount(len(self.COLUMNS))
        self.tree.setHeaderLabels(list(self.COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setWordWrap(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        for col in range(len(self.COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemDoubleClicked.connect(self._activated)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)

        hub.evidence_changed.connect(self._evidence_changed)
        hub.events_changed.connect(self._evidence_changed)
        hub.events_removed.connect(self._events_removed)
        # Bound methods, never lambdas: Qt drops these connections when the panel is deleted (with
        # the event editor that holds it), where a lambda would keep calling into a deleted tree.
        hub.sources_changed.connect(self._passages_changed)
        hub.annotations_changed.connect(self._passages_changed)
        hub.project_reset.connect(self.reload)
        if follow_selection:
            hub.current_event_changed.connect(self.set_event)
        self.reload()

    def set_event(self, event_id: int | None) -> None:
        self.event_id = event_id
        self.reload()

    def _evidence_changed(self, ids: list) -> None:
        if self.event_id in ids:
            self.reload()

    def _passages_changed(self, _which) -> None:
        """A source or its passages changed: quotes, grades and titles shown here may have."""
        self.reload()

    def _events_removed(self, ids: list) -> None:
        if self.event_id in ids:
            self.set_event(None)

    def redraw_for_theme(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.tree.clear()
        project = self.hub.project
        if self.event_id is None:
            self.summary.setText("<i>No event selected.</i>")
            return
        try:
            project.event(self.event_id)
        except ProjectError:
            self.event_id = None
            self.summary.setText("<i>No event selected.</i>")
            return
        evidence = project.evidence(self.event_id)
        contradicting = sum(ev.stance == "contradicts" for ev in evidence)
        colors = theme.current()
        if not evidence:
            self.summary.setText(f"<b style='color:{colors.negative}'>No evidence</b>: annotate a passage in a "
                                 "source and link it to this event.")
        else:
            self.summary.setText(f"<b>{len(evidence)}</b> piece(s) of evidence"
                                 + (f", <b style='color:{colors.negative}'>{contradicting} contradicting</b>"
                                    if contradicting
                                    else ""))
        for ev in evidence:
            source = project.source(ev.source_id)
            annotation = project.annotation(ev.annotation_id) if ev.annotation_id is not None else None
            credibility = annotation.credibility if annotation else None
            quote = " ".join(annotation.quote.split()) if annotation else "(the whole source)"
            if annotation and annotation.orphaned:
                quote += "  [orphaned]"
            item = QTreeWidgetItem([ev.stance, grade_code(source.reliability, credibility), f"“{quote}”"
                                    if annotation else quote, source.title, source.outlet or "",
                                    source.published.display() if source.published else ""])
            item.setData(0, EVIDENCE_ROLE, ev.id)
            item.setForeground(0, QBrush(colors.color(STANCE_COLOURS.get(ev.stance, "text"))))
            if ev.note:
                item.setToolTip(0, f"Note: {ev.note}")
            item.setToolTip(1, grade_tooltip(source.reliability, credibility))
            item.setToolTip(2, (annotation.note or "") if annotation else "")
            self.tree.addTopLevelItem(item)

    def rows(self) -> list[tuple[str, ...]]:
        """What the list shows, row by row (for tests and copy)."""
        return [tuple(self.tree.topLevelItem(i).text(c) for c in range(len(self.COLUMNS)))
                for i in range(self.tree.topLevelItemCount())]

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        ev = self.hub.project.evidence_item(item.data(0, EVIDENCE_ROLE))
        self.open_passage.emit(ev.source_id, ev.annotation_id)

    def activate_row(self, row: int) -> None:
        self._activated(self.tree.topLevelItem(row))

    def _context_menu(self, point) -> None:
        item = self.tree.itemAt(point)
        if item is None:
            return
        menu = self.build_context_menu(item)
        menu.exec(self.tree.viewport().mapToGlobal(point))
        menu.deleteLater()

    def build_context_menu(self, item: QTreeWidgetItem) -> QMenu:
        """Open passage, Stance ▸ and Remove link for one row (the edits disabled when read-only)."""
        evidence_id = item.data(0, EVIDENCE_ROLE)
        menu = QMenu(self)
        menu.addAction("Open passage", lambda: self._activated(item))
        stance_menu = menu.addMenu("Stance")
        current = self.hub.project.evidence_item(evidence_id).stance
        for stance in schema.STANCES:
            action = stance_menu.addAction(stance, lambda s=stance: self.set_stance(evidence_id, s))
            action.setCheckable(True)
            action.setChecked(stance == current)
        note = menu.addAction("Note…", lambda: self.edit_note(evidence_id))
        remove = menu.addAction("Remove link", lambda: self.unlink(evidence_id))
        writable = not self.hub.project.read_only
        for entry in (stance_menu, note, remove):
            entry.setEnabled(writable)
        return menu

    def edit_note(self, evidence_id: int) -> QInputDialog:
        """Ask for the link's note (why the passage or source bears on the event); OK changes it."""
        dialog = QInputDialog(self)
        dialog.setObjectName("evidence_note_dialog")
        dialog.setWindowTitle("Evidence note")
        dialog.setLabelText("Why this bears on the event (empty: no note):")
        dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
        dialog.setTextValue(self.hub.project.evidence_item(evidence_id).note or "")
        dialog.textValueSelected.connect(lambda text: self.set_note(evidence_id, text))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def set_note(self, evidence_id: int, text: str) -> bool:
        """Store `text` as the link's note (blank: none), one undo step; False when nothing changes."""
        note = text.strip() or None
        if note == (self.hub.project.evidence_item(evidence_id).note or None):
            return False
        return self.stack.push(EditEvidenceCommand(self.hub, evidence_id, note=note))

    def set_stance(self, evidence_id: int, stance: str) -> bool:
        return self.stack.push(EditEvidenceCommand(self.hub, evidence_id, stance=stance))

    def unlink(self, evidence_id: int) -> bool:
        return self.stack.push(UnlinkEvidenceCommand(self.hub, evidence_id))
