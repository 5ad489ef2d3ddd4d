"""Results of the one search box, grouped by kind (events, sources, annotations), each with its
snippet, the matched words in bold. Activating one emits `open_event` or `open_passage`. The
results are searched again whenever the hub announces an edit, an undo or an import, so that a
deleted event or passage is never offered."""
from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import (QLabel, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from sijill.db.store.basics import ProjectError
from sijill.desktop.widgets import theme
from sijill.desktop.hub import ProjectHub

KIND_ROLE = Qt.ItemDataRole.UserRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1
HTML_ROLE = Qt.ItemDataRole.UserRole + 2
OPEN, CLOSE = "\x02", "\x03"  # markers that cannot occur in the text, turned into <b> after escaping
KINDS = (("event", "Events"), ("source", "Sources"), ("annotation", "Annotations"))


def snippet_html(snippet: str) -> str:
    """Escape a snippet and turn the search markers into bold."""
    return html.escape(" ".join(snippet.split())).replace(OPEN, "<b>").replace(CLOSE, "</b>")


class _HtmlDelegate(QStyledItemDelegate):
    """Paints an item's HTML_ROLE (title and snippet with bold matches) as rich text."""

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(2)
        doc.setHtml(index.data(HTML_ROLE))
        width = option.rect.width()
        if option.widget is not None and hasattr(option.widget, "viewport"):
            width = option.widget.viewport().width() - option.rect.left() - 4 if width <= 0 else width
            width = min(width, option.widget.viewport().width() - 40)
        doc.setTextWidth(max(width, 200))
        return doc

    def paint(self, painter, option, index) -> None:
        if not index.data(HTML_ROLE):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        context = QAbstractTextDocumentLayout.PaintContext()
        if opt.state & QStyle.StateFlag.State_Selected:
            context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(QPalette.ColorRole.HighlightedText))
        painter.save()
        painter.translate(opt.rect.topLeft())
        painter.setClipRect(QRectF(0, 0, opt.rect.width(), opt.rect.height()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        if not index.data(HTML_ROLE):
            return super().sizeHint(option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()))


class SearchResults(QWidget):
    """Search events, sources and annotations; show hits grouped by kind."""

    open_event = Signal(int)
    open_passage = Signal(int, object)  # source id, annotation id or None

    def __init__(self, hub: ProjectHub, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SearchResults")
        self.hub = hub
        self.query = ""
        self.summary = QLabel()
        self.tree = QTreeWidget()
        self.tree.setObjectName("searchTree")
        self.tree.setHeaderHidden(True)
        self.tree.setItemDelegate(_HtmlDelegate(self.tree))
        self.tree.setUniformRowHeights(False)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemDoubleClicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        for signal in (hub.events_changed, hub.events_removed, hub.sources_changed):
            signal.connect(lambda _ids: self.refresh())
        hub.annotations_changed.connect(lambda _sid: self.refresh())
        hub.project_reset.connect(self.refresh)

    def refresh(self) -> None:
        """Search the current query again, keeping the chosen result when it is still found."""
        if not self.query.strip():
            return
        current = self.tree.currentItem()
        chosen = (current.data(0, KIND_ROLE), current.data(0, ID_ROLE)) if current is not None else None
        self.set_query(self.query)
        item = self.item_for(*chosen) if chosen and chosen[1] is not None else None
        if item is not None:
            self.tree.setCurrentItem(item)

    def set_query(self, text: str) -> None:
        self.query = text
        self.tree.clear()
        if not text.strip():
            self.summary.setText("")
            return
        try:
            hits = self.hub.project.search(text, marks=(OPEN, CLOSE))
        except ProjectError as exc:
            self.summary.setText(html.escape(str(exc)))
            return
        total = 0
        for kind, label in KINDS:
            of_kind = [h for h in hits if h.kind == kind]
            if not of_kind:
                continue
            total += len(of_kind)
            group = QTreeWidgetItem([f"{label} ({len(of_kind)})"])
            group.setData(0, KIND_ROLE, "group")
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            self.tree.addTopLevelItem(group)
            for h in of_kind:
                title = h.title if kind != "annotation" else self._annotation_title(h.id)
                item = QTreeWidgetItem([f"{title}: {h.snippet.replace(OPEN, '').replace(CLOSE, '')}"])
                item.setData(0, KIND_ROLE, kind)
                item.setData(0, ID_ROLE, h.id)
                item.setData(0, HTML_ROLE, f"<div><span style='color:{theme.current().secondary}'>"
                                           f"{html.escape(title)}</span><br>"
                                           f"{snippet_html(h.snippet)}</div>")
                group.addChild(item)
            group.setExpanded(True)
        self.summary.setText(f"{total} result(s) for “{html.escape(text)}”" if total
                             else f"Nothing found for “{html.escape(text)}”")

    def _annotation_title(self, annotation_id: int) -> str:
        project = self.hub.project
        return project.source(project.annotation(annotation_id).source_id).title

    def results(self) -> dict[str, list[int]]:
        """Ids shown, by kind."""
        out: dict[str, list[int]] = {}
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            for j in range(group.childCount()):
                child = group.child(j)
                out.setdefault(child.data(0, KIND_ROLE), []).append(child.data(0, ID_ROLE))
        return out

    def item_for(self, kind: str, item_id: int) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            for j in range(group.childCount()):
                child = group.child(j)
                if child.data(0, KIND_ROLE) == kind and child.data(0, ID_ROLE) == item_id:
                    return child
        return None

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        kind, item_id = item.data(0, KIND_ROLE), item.data(0, ID_ROLE)
        if kind == "event":
            self.open_event.emit(item_id)
        elif kind == "source":
            self.open_passage.emit(item_id, None)
        elif kind == "annotation":
            self.open_passage.emit(self.hub.project.annotation(item_id).source_id, item_id)
