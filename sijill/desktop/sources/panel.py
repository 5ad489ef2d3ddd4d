"""The one piece the main window hosts for sources: library, reader and annotations list in a
splitter. `EvidencePanel` (for the event detail pane) and `SearchResults` are re-exported here.

    panel = SourcesPanel(hub, undo_stack)
    panel.open_source(source_id, annotation_id=None)      # show a source, scroll to a passage
    panel.event_created.connect(...)                       # an event was made from a passage
    evidence = EvidencePanel(hub, undo_stack)              # follows hub.current_event_changed
    evidence.open_passage.connect(panel.open_source)
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from sijill.desktop.hub import ProjectHub
from sijill.desktop.sources.annotate import AnnotationEditor
from sijill.desktop.sources.annotations_list import AnnotationsList
from sijill.desktop.sources.evidence_panel import EvidencePanel
from sijill.desktop.sources.library import SourceLibrary
from sijill.desktop.sources.reader import Reader
from sijill.desktop.sources.search_results import SearchResults

__all__ = ["SourcesPanel", "EvidencePanel", "SearchResults"]


class SourcesPanel(QWidget):
    """Library (top left), annotations of the source (bottom left), reader (right)."""

    event_created = Signal(int)  # an event made from a passage (already announced on the hub)
    source_shown = Signal(object)  # source id now in the reader, or None
    annotation_selected = Signal(object)  # annotation id or None
    status_message = Signal(str)

    def __init__(self, hub: ProjectHub, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SourcesPanel")
        self.hub = hub
        self.stack = undo_stack
        self.editor = AnnotationEditor(hub, undo_stack, self)
        self.library = SourceLibrary(hub, undo_stack, self)
        self.reader = Reader(hub, undo_stack, self, editor=self.editor)
        self.annotations = AnnotationsList(hub, self.reader, self)

        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.library)
        left.addWidget(self.annotations)
        left.setStretchFactor(0, 1)
        left.setStretchFactor(1, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("sourcesSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.reader)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([560, 840])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self.library.source_selected.connect(self._library_selected)
        self.reader.source_shown.connect(self.source_shown)
        self.reader.annotation_selected.connect(self.annotation_selected)
        self.reader.status_message.connect(self.status_message)
        self.editor.event_created.connect(self.event_created)

    def _library_selected(self, source_id: int | None) -> None:
        if source_id is not None or self.reader.source_id is not None:
            self.reader.show_source(source_id)

    def open_source(self, source_id: int, annotation_id: int | None = None) -> None:
        """Show a source in the reader (selected in the library) and, if given, scroll to and
        select an annotation's passage."""
        self.library.select_source(source_id)
        if self.reader.source_id != source_id:
            self.reader.show_source(source_id)
        if annotation_id is not None:
            self.reader.show_annotation(annotation_id)
            self.annotations.select_annotation(annotation_id)

    def detach_library(self) -> SourceLibrary:
        """Give the library to a host that shows it elsewhere (the main window puts it in a tab
        beside the events table, where its columns have room); the panel keeps the reader over the
        annotations list, narrow enough to sit beside the timeline."""
        self.library.setParent(None)
        self.splitter.setOrientation(Qt.Orientation.Vertical)
        self.splitter.insertWidget(0, self.reader)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([600, 200])
        return self.library

    # convenient handles for the main window's menus
    @property
    def actions_for_menu(self) -> list:
        return [self.library.add_file_action, self.library.add_paste_action, self.library.edit_action,
                self.library.merge_action, self.library.delete_action, None, self.reader.annotate_action, self.reader.event_action,
                self.reader.edit_text_action, self.reader.reimport_action]
