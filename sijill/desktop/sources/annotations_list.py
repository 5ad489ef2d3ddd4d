"""The annotations of the source in the reader: anchored ones in text order, orphaned ones (their
passage was not found after the text changed) listed apart with "Re-attach to selection"."""
from __future__ import annotations

from collections import Counter
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout,
                               QWidget)

from sijill.db.store.basics import ProjectError
from sijill.db.store.entities import Annotation
from sijill.desktop.widgets import theme
from sijill.desktop.hub import ProjectHub
from sijill.desktop.sources.grades import grade_code, grade_tooltip
from sijill.desktop.sources.reader import Reader

ID_ROLE = Qt.ItemDataRole.UserRole


def _short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    text = text if len(text) <= n else text[:n - 1] + "…"
    return f"\u2068{text}\u2069"  # a bidi isolate: Arabic quotes keep their marks in place


class AnnotationsList(QWidget):
    """Lists, shows and acts on the annotations of `reader`'s source."""

    annotation_selected = Signal(object)  # annotation id or None

    def __init__(self, hub: ProjectHub, reader: Reader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AnnotationsList")
        self.hub = hub
        self.reader = reader
        self.editor = reader.editor
        self._updating = False

        self.title = QLabel("<b>Annotations</b>")
        self.list = QListWidget()
        self.list.setObjectName("annotationsList")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.details = QLabel()
        self.details.setObjectName("annotationDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.edit_button = QPushButton("Edit…")
        self.delete_button = QPushButton("Delete")
        self.event_button = QPushButton("Create event…")
        buttons = QHBoxLayout()
        for b in (self.edit_button, self.event_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)

        self.orphan_title = QLabel()
        self.orphan_title.setWordWrap(True)
        self.orphans = QListWidget()
        self.orphans.setObjectName("orphanedList")
        self.orphans.setWordWrap(True)
        self.orphans.setStyleSheet("QListWidget { background: rgba(211, 47, 47, 22); }")  # a red tint, light or dark
        self.reattach_button = QPushButton("Re-attach to selection")
        self.reattach_button.setObjectName("reattachButton")
        self.reattach_button.setToolTip("Select the passage in the text, pick the orphan here, then click")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 3)
        layout.addWidget(self.details)
        layout.addLayout(buttons)
        layout.addWidget(self.orphan_title)
        layout.addWidget(self.orphans, 1)
        layout.addWidget(self.reattach_button, 0, Qt.AlignmentFlag.AlignRight)

        self.list.currentItemChanged.connect(self._current_changed)
        self.list.itemDoubleClicked.connect(lambda item: self.editor.edit(item.data(ID_ROLE)))
        self.orphans.currentItemChanged.connect(self._orphan_changed)
        self.orphans.itemDoubleClicked.connect(lambda item: self.editor.edit(item.data(ID_ROLE)))
        self.edit_button.clicked.connect(lambda: self._with_current(self.editor.edit))
        self.delete_button.clicked.connect(lambda: self._with_current(self.editor.delete))
        self.event_button.clicked.connect(self._event_from_current)
        self.reattach_button.clicked.connect(self.reattach_selected)
        reader.source_shown.connect(lambda _sid: self.reload())
        reader.annotation_selected.connect(self.select_annotation)
        reader.view.selection_range_changed.connect(self._update_buttons)
        hub.annotations_changed.connect(self._annotations_changed)
        hub.evidence_changed.connect(lambda _ids: self.reload())
        hub.project_reset.connect(self.reload)  # an import may have annotated the source shown
        hub.events_removed.connect(lambda _ids: self.reload())  # their evidence went with them
        hub.events_changed.connect(lambda _ids: self._show_details())  # titles shown in the details
        self.reload()

    # ---- content -------------------------------------------------------------------------------
    def reload(self) -> None:
        sid = self.reader.source_id
        current = self.current_id()
        self._updating = True
        self.list.clear()
        self.orphans.clear()
        project = self.hub.project
        annotations = project.annotations(sid) if sid is not None else []
        reliability = project.source(sid).reliability if sid is not None else None
        links = Counter(ev.annotation_id for ev in project.evidence_for_source(sid)) if sid is not None else {}
        anchored = [a for a in annotations if not a.orphaned]
        orphaned = [a for a in annotations if a.orphaned]
        for a in anchored:
            self.list.addItem(self._item(a, reliability, links.get(a.id, 0)))
        for a in orphaned:
            self.orphans.addItem(self._item(a, reliability, links.get(a.id, 0)))
        self.title.setText(f"<b>Annotations</b> ({len(anchored)})" if sid is not None else "<b>Annotations</b>")
        self.orphan_title.setText(
            f"<b style='color:{theme.current().negative}'>Orphaned ({len(orphaned)})</b>: their passage was not "
            "found after the "
            "text changed. Select the passage in the text, pick the annotation, then Re-attach."
            if orphaned else "")
        self.orphan_title.setVisible(bool(orphaned))
        self.orphans.setVisible(bool(orphaned))
        self.reattach_button.setVisible(bool(orphaned))
        self._updating = False
        if current is not None:
            self.select_annotation(current, emit=False)
        self._show_details()
        self._update_buttons()

    @staticmethod
    def _item(a: Annotation, reliability: str | None, links: int) -> QListWidgetItem:
        """One row: grade and quote, the note, and how many evidence links the passage has."""
        code = grade_code(reliability, a.credibility)
        lines = [f"{code + '  ' if code else ''}“{_short(a.quote)}”"]
        if a.note:
            lines.append(_short(a.note, 120))
        if links:
            lines.append(f"→ evidence for {links} event(s)")
        item = QListWidgetItem("\n".join(lines))
        item.setData(ID_ROLE, a.id)
        item.setToolTip(grade_tooltip(reliability, a.credibility))
        return item

    def _annotations_changed(self, source_id: int) -> None:
        if source_id == self.reader.source_id:
            self.reload()

    def items(self) -> list[int]:
        return [self.list.item(i).data(ID_ROLE) for i in range(self.list.count())]

    def orphan_ids(self) -> list[int]:
        return [self.orphans.item(i).data(ID_ROLE) for i in range(self.orphans.count())]

    # ---- selection -----------------------------------------------------------------------------
    def current_id(self) -> int | None:
        for widget in (self.list, self.orphans):
            item = widget.currentItem()
            if item is not None and item.isSelected():
                return item.data(ID_ROLE)
        return None

    def select_annotation(self, annotation_id: int | None, emit: bool = False) -> None:
        self._updating = not emit
        try:
            for widget, other in ((self.list, self.orphans), (self.orphans, self.list)):
                for i in range(widget.count()):
                    if widget.item(i).data(ID_ROLE) == annotation_id:
                        other.setCurrentItem(None)
                        other.clearSelection()
                        widget.setCurrentRow(i)
                        return
            self.list.clearSelection()
            self.orphans.clearSelection()
        finally:
            self._updating = False
            self._show_details()
            self._update_buttons()

    def _current_changed(self, item, _previous) -> None:
        if item is not None and not self._updating:
            self.orphans.clearSelection()
            self.reader.show_annotation(item.data(ID_ROLE))
            self.annotation_selected.emit(item.data(ID_ROLE))
        self._show_details()
        self._update_buttons()

    def _orphan_changed(self, item, _previous) -> None:
        if item is not None and not self._updating:
            self.list.clearSelection()
            self.reader.view.set_current(None)
            self.annotation_selected.emit(item.data(ID_ROLE))
        self._show_details()
        self._update_buttons()

    def _show_details(self) -> None:
        aid = self.current_id()
        if aid is None:
            self.details.setText("<i>Click a highlight or an item to see its annotation.</i>"
                                 if self.reader.source_id is not None else "")
            return
        try:
            a = self.hub.project.annotation(aid)
        except ProjectError:
            self.details.setText("")
            return
        project = self.hub.project
        reliability = project.source(a.source_id).reliability
        code = grade_code(reliability, a.credibility) or "not graded"
        groups = ", ".join(project.group(g).name for g in a.group_ids)
        negative = theme.current().negative
        rows = [f"<b>{_esc(code)}</b>" + (f" · <span style='color:{negative}'>orphaned</span>" if a.orphaned else "")]
        if a.note:
            rows.append(_esc(a.note))
        if groups:
            rows.append(f"Groups: {_esc(groups)}")
        if a.tags:
            rows.append(f"Tags: {_esc(', '.join(a.tags))}")
        for ev in project.evidence_for_annotation(a.id):
            rows.append(f"{_esc(ev.stance)} → {_esc(project.event(ev.event_id).title)}")
        self.details.setText("<br>".join(rows))

    def _update_buttons(self) -> None:
        aid = self.current_id() if not self.hub.project.read_only else None
        in_list = aid is not None and self.list.currentItem() is not None and self.list.currentItem().isSelected()
        self.edit_button.setEnabled(aid is not None)
        self.delete_button.setEnabled(aid is not None)
        self.event_button.setEnabled(in_list)
        orphan = self.orphans.currentItem()
        self.reattach_button.setEnabled(aid is not None and orphan is not None and orphan.isSelected()
                                        and self.reader.selection() is not None)

    # ---- actions -------------------------------------------------------------------------------
    def _with_current(self, fn) -> None:
        aid = self.current_id()
        if aid is not None:
            fn(aid)

    def _event_from_current(self) -> None:
        aid = self.current_id()
        if aid is None:
            return
        a = self.hub.project.annotation(aid)
        if not a.orphaned:
            self.editor.event_from_passage(a.source_id, (a.start, a.end), self.reader.mentions())

    def reattach_selected(self) -> bool:
        item = self.orphans.currentItem()
        if item is None:
            return False
        return self.editor.reattach(item.data(ID_ROLE), self.reader.selection())


def _esc(text: str) -> str:
    """Escaped for a rich-text label, line breaks kept."""
    return escape(text, quote=False).replace("\n", "<br>")
