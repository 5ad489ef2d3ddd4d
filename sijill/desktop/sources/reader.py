"""The reader: one source's text with its annotations highlighted, mentions underlined, and the
gestures on passages (Annotate with Ctrl+E, Create event from passage, edit the text)."""
from __future__ import annotations

import threading
from html import escape

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QMenu, QMessageBox,
                               QPlainTextEdit, QVBoxLayout, QWidget)

from sijill.db.store.basics import ProjectError
from sijill.db.store.library import reference_of
from sijill.db.geo.mentions import PlaceMatcher, prepare as prepare_places
from sijill.db.text.mentions import Mention, find_mentions
from sijill.desktop.widgets import theme
from sijill.desktop.hub import ProjectHub
from sijill.desktop.sources.annotate import AnnotationEditor
from sijill.desktop.commands.sources import ReplaceSourceTextCommand
from sijill.desktop.sources.dialogs import read_chosen_document
from sijill.desktop.sources.grades import reliability_label
from sijill.desktop.widgets.action_bar import action_bar
from sijill.desktop.sources.reader_view import ReaderView, mostly_rtl



def mentions_in(project, source, default_reference=None) -> list[Mention]:
    """Group aliases, date expressions and places in a source, dates read against its published date (or,
    for an undated source, `default_reference`: the analyst's default date, None for today)."""
    groups = project.groups()
    reference = reference_of(source) or default_reference
    places = PlaceMatcher(project.places())
    try:
        return find_mentions(source.body, groups, reference, source.language, places=places)
    except ValueError:  # a language the date scanner does not know: let it try every one it knows
        return find_mentions(source.body, groups, reference, None, places=places)


# Unicode directional isolates: each part of the header is laid out on its own, so that in a right-to-left
# line "13 Jun 2014" stays whole instead of its "13" joining the Arabic outlet before it.
FSI, LRI, PDI = "\u2068", "\u2066", "\u2069"

SUMMARY_BANNER = "Summary written for this demo — not the article's text"
SUMMARY_TIP = ("This source's text is a summary written for the project (Source.summary), not the document's own "
               "words: a passage quoted from it is not the article's wording. Read the article itself before "
               "quoting it.")


def header_html(source) -> str:
    """The reader's header: the title, then outlet · author · date · grade, in the title's direction.

    The outlet, author and title isolate with their own first strong letter (FSI), the date and grade,
    always written in English, left to right (LRI).
    """
    def isolate(text: str, mark: str = FSI) -> str:
        return mark + escape(text, quote=False) + PDI

    parts = [isolate(p) for p in (source.outlet, source.author) if p]
    if source.published:
        parts.append(isolate(source.published.display(), LRI))
    grade = reliability_label(source.reliability) if source.reliability else "not graded"
    parts.append(isolate(f"source {grade}", LRI))
    rtl = mostly_rtl(source.title)
    block = f"align='{'right' if rtl else 'left'}' dir='{'rtl' if rtl else 'ltr'}'"
    return (f"<div {block}><span style='font-size:13pt; font-weight:600'>{isolate(source.title)}</span></div>"
            f"<div {block} style='color:{theme.current().secondary}'>{' · '.join(parts)}</div>")


class Reader(QWidget):
    """Shows one source; every edit goes through the undo stack via `editor`."""

    annotation_selected = Signal(object)  # annotation id or None
    source_shown = Signal(object)  # source id or None
    status_message = Signal(str)

    def __init__(self, hub: ProjectHub, undo_stack: QUndoStack, parent: QWidget | None = None,
                 editor: AnnotationEditor | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Reader")
        self.hub = hub
        self.stack = undo_stack
        self.editor = editor or AnnotationEditor(hub, undo_stack, self)
        self.source_id: int | None = None
        self._mentions: list[Mention] = []

        self.header = QLabel()
        self.header.setObjectName("readerHeader")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setContentsMargins(8, 6, 8, 2)
        self.summary_banner = QLabel(SUMMARY_BANNER)
        self.summary_banner.setObjectName("readerSummaryBanner")
        self.summary_banner.setWordWrap(True)
        self.summary_banner.setToolTip(SUMMARY_TIP)
        self.summary_banner.hide()
        self.notice = QLabel()
        self.notice.setObjectName("readerNotice")
        self.notice.setWordWrap(True)
        self._style_notice()
        self.notice.hide()
        self.view = ReaderView(self)

        self.annotate_action = QAction("&Annotate…", self)
        self.annotate_action.setShortcut(QKeySequence("Ctrl+E"))
        self.annotate_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.annotate_action.setStatusTip("Annotate the selected passage: note, credibility, groups, links")
        self.event_action = QAction("Create &event from passage…", self)
        self.event_action.setStatusTip("A new event with the passage's title, date and groups, "
                                       "the passage linked as supporting evidence")
        self.edit_text_action = QAction("Edit source &text…", self)
        self.reimport_action = QAction("&Re-import text from file…", self)
        for action in (self.annotate_action, self.event_action):
            self.addAction(action)
        self.annotate_action.triggered.connect(self.annotate_selection)
        self.event_action.triggered.connect(self.event_from_selection)
        self.edit_text_action.triggered.connect(self.edit_text)
        self.reimport_action.triggered.connect(lambda: self.reimport())

        bar = action_bar((self.annotate_action, self.event_action, self.edit_text_action, self.reimport_action),
                         margins=(6, 0, 6, 0))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.header)
        layout.addWidget(self.summary_banner)
        layout.addLayout(bar)
        layout.addWidget(self.notice)
        layout.addWidget(self.view, 1)

        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.selection_range_changed.connect(self._update_actions)
        self.view.annotate_shortcut.connect(self.annotate_selection)
        self.view.annotation_clicked.connect(self._annotation_clicked)
        self.view.annotation_double_clicked.connect(self.editor.edit)
        hub.sources_changed.connect(self._sources_changed)
        hub.annotations_changed.connect(self._annotations_changed)
        hub.groups_changed.connect(self._reload_mentions)
        hub.places_changed.connect(self._reload_mentions)  # a place added or renamed is underlined at once
        hub.project_reset.connect(lambda: self.show_source(self.source_id))
        self.show_source(None)
        # the gazetteer's names, loaded off the GUI thread before the first source is read (place mentions)
        threading.Thread(target=prepare_places, name="gazetteer", daemon=True).start()

    # ---- showing -------------------------------------------------------------------------------
    def show_source(self, source_id: int | None, annotation_id: int | None = None) -> None:
        project = self.hub.project
        if source_id is not None:
            try:
                project.source(source_id)
            except ProjectError:
                source_id = None
        changed = source_id != self.source_id
        self.source_id = source_id
        if changed:
            self.notice.hide()
            self.view.set_current(None)
        self._load_text()
        if annotation_id is not None:
            self.show_annotation(annotation_id)
        if changed:
            self.source_shown.emit(source_id)
        self._update_actions()

    def _load_text(self) -> None:
        if self.source_id is None:
            self.header.setText("<i>Choose a source in the library to read it here.</i>")
            self.view.set_body("")
            self.view.set_annotations([])
            self.view.set_mentions([])
            self.summary_banner.hide()
            return
        source = self.hub.project.source(self.source_id)
        self._set_header(source)
        self.summary_banner.setVisible(source.summary)
        if source.body != self.view.body:
            self.view.set_body(source.body)
        self.view.set_annotations(self.hub.project.annotations(self.source_id))
        self._mentions = mentions_in(self.hub.project, source, self.hub.display.reference)
        self.view.set_mentions(self._mentions)

    def _set_header(self, source) -> None:
        self._header_source = source   # kept to write the header again in other colours
        self.header.setText(header_html(source))

    def _style_notice(self) -> None:
        colors = theme.current()
        self.notice.setStyleSheet(f"background: {colors.notice}; border: 1px solid {colors.notice_border}; "
                                  "padding: 4px 8px;")
        self.summary_banner.setStyleSheet(f"background: {colors.notice}; border: 1px solid {colors.notice_border}; "
                                          "padding: 3px 8px; font-weight: 600;")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # light <-> dark: the header and notice follow
            self._style_notice()
            source = getattr(self, "_header_source", None)
            if self.source_id is not None and source is not None and source.id == self.source_id:
                self.header.setText(header_html(source))

    def show_annotation(self, annotation_id: int) -> None:
        """Make an annotation current and scroll its passage into view (orphans cannot be shown)."""
        try:
            a = self.hub.project.annotation(annotation_id)
        except ProjectError:
            return
        if a.source_id != self.source_id:
            self.show_source(a.source_id)
        self.view.set_current(a.id)
        if not a.orphaned:
            self.view.show_range(a.start, a.end)
        self._update_actions()  # "Create event from passage" works on the current annotation
        self.annotation_selected.emit(a.id)

    def _reload_mentions(self) -> None:
        if self.source_id is not None:
            self._mentions = mentions_in(self.hub.project, self.hub.project.source(self.source_id),
                                         self.hub.display.reference)
            self.view.set_mentions(self._mentions)

    def _sources_changed(self, ids: list) -> None:
        if self.source_id is not None and self.source_id in ids:
            self.show_source(self.source_id)

    def _annotations_changed(self, source_id: int) -> None:
        if source_id == self.source_id:
            self.view.set_annotations(self.hub.project.annotations(source_id))
            current = self.view.current
            if current is not None and current not in {a.id for a in self.hub.project.annotations(source_id)}:
                self.view.set_current(None)
                self.annotation_selected.emit(None)

    def mentions(self) -> list[Mention]:
        return list(self._mentions)

    # ---- gestures ------------------------------------------------------------------------------
    def selection(self) -> tuple[int, int] | None:
        """The selected passage in code points, or None."""
        return self.view.selection_range()

    def _update_actions(self) -> None:
        has_source = self.source_id is not None and not self.hub.project.read_only
        has_selection = has_source and self.selection() is not None
        self.annotate_action.setEnabled(has_selection)
        self.event_action.setEnabled(has_selection or (has_source and self.view.current is not None))
        self.edit_text_action.setEnabled(has_source)
        self.reimport_action.setEnabled(has_source)

    def annotate_selection(self) -> QDialog | None:
        if self.source_id is None:
            return None
        return self.editor.annotate(self.source_id, self.selection(), self._mentions)

    def event_from_selection(self) -> QDialog | None:
        """From the selection, or else from the current annotation's passage."""
        if self.source_id is None:
            return None
        span = self.selection()
        if span is None and self.view.current is not None:
            a = self.hub.project.annotation(self.view.current)
            span = None if a.orphaned else (a.start, a.end)
        return self.editor.event_from_passage(self.source_id, span, self._mentions)

    def _annotation_clicked(self, annotation_id: int) -> None:
        self._update_actions()
        self.annotation_selected.emit(annotation_id)

    def _context_menu(self, point: QPoint) -> None:
        menu = self.build_context_menu(point)
        menu.exec(self.view.viewport().mapToGlobal(point))
        menu.deleteLater()

    def build_context_menu(self, point: QPoint) -> QMenu:
        menu = QMenu(self)
        menu.addAction(self.annotate_action)
        menu.addAction(self.event_action)
        for a in self.view.annotations_at(point):
            quote = " ".join(a.quote.split())
            label = (quote[:40] + "…") if len(quote) > 40 else quote
            menu.addSeparator()
            edit = menu.addAction(f"Edit annotation “{label}”…", lambda aid=a.id: self.editor.edit(aid))
            delete = menu.addAction(f"Delete annotation “{label}”", lambda aid=a.id: self.editor.delete(aid))
            for action in (edit, delete):
                action.setEnabled(not self.hub.project.read_only)
        menu.addSeparator()
        menu.addAction("Copy", self.view.copy).setEnabled(self.selection() is not None)
        menu.addAction("Select all", self.view.selectAll)
        menu.addSeparator()
        menu.addAction(self.edit_text_action)
        menu.addAction(self.reimport_action)
        return menu

    # ---- changing the text ---------------------------------------------------------------------
    def replace_text(self, new_body: str) -> dict | None:
        """Replace the source's text (undoable) and say what became of its annotations."""
        if self.source_id is None:
            return None
        command = ReplaceSourceTextCommand(self.hub, self.source_id, new_body)
        if not self.stack.push(command):
            return None
        result = command.result or {}
        kept, moved, orphaned = (len(result.get(k, ())) if isinstance(result.get(k), (list, tuple, set))
                                 else int(result.get(k, 0) or 0) for k in ("kept", "moved", "orphaned"))
        text = (f"Text replaced: {kept} annotation(s) kept, {moved} moved, {orphaned} orphaned"
                + (" — orphans are listed apart: select their passage and re-attach them." if orphaned else "."))
        self.notice.setText(text)
        self.notice.show()
        self.status_message.emit(text)
        return result

    def edit_text(self) -> QDialog | None:
        if self.source_id is None:
            return None
        dialog = QDialog(self)
        dialog.setObjectName("EditTextDialog")
        dialog.setWindowTitle("Edit source text")
        dialog.resize(720, 560)
        layout = QVBoxLayout(dialog)
        layout.addWidget(QLabel("Annotations are found again in the new text; those that cannot be found "
                                "are kept as orphans for you to re-attach."))
        edit = QPlainTextEdit(self.hub.project.source(self.source_id).body)
        edit.setObjectName("sourceTextEdit")
        layout.addWidget(edit, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        dialog.text_edit = edit

        def accepted() -> None:
            from sijill.db.text.documents import text_from_paste

            try:
                body = text_from_paste(edit.toPlainText())
            except ProjectError as exc:
                QMessageBox.warning(self, "Edit source text", str(exc))
                return
            if body != self.hub.project.source(self.source_id).body:
                self.replace_text(body)

        dialog.accepted.connect(accepted)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def reimport(self, path: str | None = None) -> dict | None:
        if self.source_id is None:
            return None
        doc = read_chosen_document(self, "Re-import source text", path)
        return None if doc is None else self.replace_text(doc.text)
