"""The report as Markdown, HTML, ODT or PDF, by the suffix of the file asked for.

Markdown and HTML are written by `sijill.db.formats.report` (no Qt). ODT and PDF lay the same document
model out with Qt's rich text (`sijill.db.formats.report_rich_text`, a variant of the report's HTML that
QTextDocument reads well): ODT is that document written by QTextDocumentWriter, PDF is it painted
page by page on a QPdfWriter (A4, or Letter where the locale measures in US units) with a footer on
every page (the project title, "page N of M").
The title page comes first, on a page of its own. Footnotes sit under the event that cites them,
numbered through the whole document.

The PDF is laid out in runs of CHUNK events, each run twice (once to count the pages, once to
paint them, `_PdfLayout`), so that memory holds a run or two whatever the length of the report;
ODT is one QTextDocument of the whole report, as QTextDocumentWriter needs.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (QColor, QFont, QFontMetricsF, QGuiApplication, QPageLayout, QPageSize, QPainter,
                           QPdfWriter, QPen, QTextBlock, QTextBlockFormat, QTextCursor, QTextDocument,
                           QTextDocumentWriter, QTextFormat)

from sijill.db.formats.records import ExchangeError, ExportCancelled
from sijill.db.formats.registry import ExportResult
from sijill.db.formats.report import WRITERS, atomic_path, write_report
from sijill.db.formats.report_model import Entry, EntryReader, Report
from sijill.db.formats.report_rich_text import (EMPTY_CHRONOLOGY, KEEP_END, KEEP_START, SANS, SERIF, Chronology, qt_html,
                                         qt_page, qt_title_page)
from sijill.db.formats.selection import EventSelection
from sijill.desktop.widgets.page_size import page_size_id

PAGE_MARGINS_MM = (20.0, 18.0, 18.0, 16.0)  # top, right, bottom (under the footer), left
FOOTER_GAP_MM = 9.0       # from the bottom of the text to the footer's baseline area
PAGE_PAD = 8              # px of empty margin the layout keeps at the top and bottom of each page
DPI = 96                  # CSS px are 1/96 in, as on screen; text and lines stay vector
CHUNK = 40                # events laid out as one document (see _PdfLayout)
KEEP_LAID_OUT = 25        # runs painted from their first layout (≈ 2 MB each); later ones are laid out again


def _runs(entries: Iterable[Entry], size: int) -> Iterator[list[Entry]]:
    """`entries` in lists of `size`."""
    it = iter(entries)
    while run := list(islice(it, size)):
        yield run


def keep_together(doc: QTextDocument, page_height: float, most: float = 0.6) -> list[int]:
    """Start an event on the next page when the page would split it between its heading (or its
    year's heading) and its first footnote, as word processors keep a heading with what follows;
    an event taller than `most` of a page is left to split. The document's page size must be
    set; Qt lays the rest of the document out again after each break, so keep the document
    short (`write_pdf` lays the report out in runs of CHUNK events). Returns the numbers of the
    blocks that now start a page (`break_before` puts the same breaks in a copy)."""
    layout = doc.documentLayout()
    layout.documentSize()  # lays the whole document out: positions are read from it
    starts: dict[str, QTextBlock] = {}
    added: list[int] = []
    block = doc.begin()
    while block.isValid():
        for name in _anchor_names(block):
            if name.startswith(KEEP_START):
                starts[name[len(KEEP_START):]] = block
            elif name.startswith(KEEP_END) and name[len(KEEP_END):] in starts:
                first = starts.pop(name[len(KEEP_END):])
                top = layout.blockBoundingRect(first).top()
                end = layout.blockBoundingRect(block)
                line = block.layout().lineAt(0)
                bottom = end.top() + (line.y() + line.height() if line.isValid() else end.height())
                if int(top // page_height) != int(bottom // page_height) and bottom - top < most * page_height:
                    _start_page(first)
                    layout.documentSize()
                    added.append(first.blockNumber())
        block = block.next()
    return added


def break_before(doc: QTextDocument, blocks: list[int]) -> None:
    """Start a page at each of the numbered blocks (as `keep_together` did in a twin of `doc`)."""
    for number in blocks:
        _start_page(doc.findBlockByNumber(number))
    if blocks:
        # the layout of a document edited before it was ever laid out starts at the first edit,
        # leaving the blocks above it empty (Qt 6): lay the whole of it out
        doc.markContentsDirty(0, doc.characterCount())


def _start_page(block: QTextBlock) -> None:
    fmt = block.blockFormat()
    fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    QTextCursor(block).setBlockFormat(fmt)


def _anchor_names(block) -> list[str]:
    names = []
    it = block.begin()
    while not it.atEnd():
        fmt = it.fragment().charFormat()
        if fmt.isAnchor():
            names += fmt.anchorNames()
        it += 1
    return names


def _default_font() -> QFont:
    font = QFont()
    font.setFamilies(list(SERIF))
    font.setStyleHint(QFont.StyleHint.Serif)
    font.setPointSizeF(10)
    return font


def report_document(title: str, html: str) -> QTextDocument:
    """A QTextDocument of the report (or of a part of it) from its `qt_html`."""
    doc = QTextDocument()
    doc.setDefaultFont(_default_font())
    doc.setDocumentMargin(0)
    doc.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, title)
    doc.setHtml(html)
    return doc


def write_odt(reader: EntryReader, path: str | os.PathLike) -> Report:
    """Write the report as one QTextDocument (QTextDocumentWriter writes a whole document: the
    events are read run by run, their rich text kept, the document made once)."""
    chronology, rich = [], Chronology()
    for run in _runs(reader, CHUNK):
        chronology += rich.lines(run)
    report = reader.report
    doc = report_document(report.title, qt_html(report, chronology))
    del chronology
    with atomic_path(path) as tmp:
        writer = QTextDocumentWriter(str(tmp), b"odf")
        if not writer.write(doc):
            raise ExchangeError(f"cannot write {path}: {writer.device().errorString() if writer.device() else ''}")
    return report


def _footer_font() -> QFont:
    font = QFont()
    font.setFamilies(list(SANS))
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(7.5)
    return font


@dataclass
class _Run:
    """A run of the chronology laid out as its own QTextDocument, painted from page `first` of
    the PDF on (its first page shared with the run before, whose end its first block, `skip` px
    tall, leaves empty). Past the first KEEP_LAID_OUT runs, the document is dropped once its
    pages are counted, and what it takes to lay it out again is kept: its rich text (`at`, `size`
    in the runs' file) and the blocks `keep_together` started a page at."""

    first: int
    pages: int
    doc: QTextDocument | None
    skip: float = 0.0
    breaks: list[int] = field(default_factory=list)
    at: int = 0
    size: int = 0


class _PdfLayout:
    """Lays the report out on the pages of `writer` (`page` px, `margin` px kept empty round
    each): the chronology in runs of CHUNK events, each a document that starts where the one
    before ended, laid out (and kept together, `keep_together`) on its own, so that the cost of a
    page break is the length of its run, not of the report. The pages are counted before any is
    painted (the footers say "page N of M"): the first KEEP_LAID_OUT runs are kept laid out
    until they are painted, later ones are dropped once counted and laid out again to be painted,
    so that memory holds a few runs, never a long report."""

    def __init__(self, writer: QPdfWriter, page: QSizeF, margin: float, title: str, folder: Path) -> None:
        self.writer, self.page, self.margin, self.title = writer, page, margin, title
        self.runs: list[_Run] = []
        self.store = tempfile.TemporaryFile(dir=folder)  # the runs' rich text, read back to paint them
        self.cover: QTextDocument | None = None

    def close(self) -> None:
        self.store.close()

    def make(self, html: str, skip: float = 0.0) -> QTextDocument:
        doc = report_document(self.title, html)
        doc.setDocumentMargin(self.margin)
        doc.documentLayout().setPaintDevice(self.writer)
        if skip > 0:
            cursor = QTextCursor(doc)
            cursor.insertBlock()
            fmt = QTextBlockFormat()
            fmt.setLineHeight(skip, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
            QTextCursor(doc.begin()).setBlockFormat(fmt)
        doc.setPageSize(self.page)
        return doc

    def lay_out(self, entries: Iterable[Entry], cancelled: Callable[[], bool] | None) -> None:
        """Lay the chronology out run by run, keeping of each run what `_Run` says."""
        at, used = 0, 0.0  # the next run starts on page `at` of the chronology, `used` px down it
        chronology = Chronology()
        for run in _runs(entries, CHUNK):
            if cancelled is not None and cancelled():
                raise ExportCancelled()
            bottom = self._add(chronology.lines(run), at, used)
            at += int(bottom // self.page.height())
            used = bottom % self.page.height() - self.margin
        if not self.runs:
            self._add(EMPTY_CHRONOLOGY, at, used)

    def _add(self, body: list[str], at: int, used: float) -> float:
        """Lay a run out from page `at`, `used` px down it; returns where its last block ends."""
        html = qt_page(body, self.title)
        doc = self.make(html, used)
        breaks = keep_together(doc, self.page.height())
        if len(self.runs) < KEEP_LAID_OUT:
            self.runs.append(_Run(at, doc.pageCount(), doc))
        else:
            data = html.encode("utf-8")
            self.runs.append(_Run(at, doc.pageCount(), None, used, breaks, self.store.tell(), len(data)))
            self.store.write(data)
        return doc.documentLayout().blockBoundingRect(doc.lastBlock()).bottom()

    def add_cover(self, report: Report) -> int:
        """The title page(s), before the chronology; returns the number of pages of the PDF."""
        self.cover = self.make(qt_page(qt_title_page(report), self.title))
        for run in self.runs:
            run.first += self.cover.pageCount()
        return max([self.cover.pageCount()] + [r.first + r.pages for r in self.runs])

    def documents(self) -> Iterator[tuple[QTextDocument, int]]:
        """The title page, then each run (laid out again if it was dropped), with the page each
        starts on; none is kept here once handed on."""
        yield self.cover, 0
        self.cover = None
        for run in self.runs:
            doc, run.doc = run.doc, None
            if doc is not None:
                yield doc, run.first
                continue
            self.store.seek(run.at)
            doc = self.make(self.store.read(run.size).decode("utf-8"), run.skip)
            break_before(doc, run.breaks)
            if doc.pageCount() != run.pages:
                raise ExchangeError(f"a run of the report took {doc.pageCount()} pages when painted, "
                                    f"{run.pages} when counted")
            yield doc, run.first


def write_pdf(reader: EntryReader, path: str | os.PathLike,
              progress: Callable[[float], None] | None = None,
              cancelled: Callable[[], bool] | None = None) -> tuple[Report, int]:
    """Paint the report on the locale's paper (A4 or Letter) with a footer on each page; returns its
    title page and the number of pages."""
    top, right, bottom, left = PAGE_MARGINS_MM
    with atomic_path(path) as tmp:
        writer = QPdfWriter(str(tmp))
        writer.setTitle(reader.project.title)
        writer.setCreator("Sijill")
        writer.setResolution(DPI)
        writer.setPageLayout(QPageLayout(QPageSize(page_size_id()), QPageLayout.Orientation.Portrait,
                                         QMarginsF(left, top, right, bottom), QPageLayout.Unit.Millimeter))
        area = QRectF(0, 0, writer.width(), writer.height())  # inside the margins, in device pixels
        # each page of a document is the text area plus a margin all round, which the layout
        # keeps empty: what rises above a page's first line (a superscript) stays on its page
        m = PAGE_PAD
        page = QSizeF(area.width() + 2 * m, area.height() - FOOTER_GAP_MM * DPI / 25.4 + 2 * m)
        layout = _PdfLayout(writer, page, m, reader.project.title, Path(path).parent)
        try:
            layout.lay_out(reader, cancelled)
            report = reader.report
            pages = layout.add_cover(report)
            if not _paint(writer, layout.documents(), pages, page, area, report.title, progress, cancelled):
                raise ExchangeError(f"cannot write {path}")
        finally:
            layout.close()
    return report, pages


def _paint(writer: QPdfWriter, documents: Iterator[tuple[QTextDocument, int]], pages: int, page: QSizeF,
           area: QRectF, title: str, progress: Callable[[float], None] | None,
           cancelled: Callable[[], bool] | None) -> bool:
    """Paint `pages` pages: on each, the pages of the documents that fall on it, and the footer.
    `documents` come in the order of their first page; each is dropped once painted. False when
    the PDF cannot be painted on."""
    m = PAGE_PAD
    showing: list[tuple[QTextDocument, int]] = []
    coming = next(documents, None)
    qp = QPainter()
    if not qp.begin(writer):
        return False
    try:
        for n in range(pages):
            if cancelled is not None and cancelled():
                raise ExportCancelled()
            while coming is not None and coming[1] <= n:
                showing.append(coming)
                coming = next(documents, None)
            if n:
                writer.newPage()
            for doc, first in showing:
                i = n - first
                if i < doc.pageCount():
                    qp.save()
                    qp.translate(-m, -m - i * page.height())
                    doc.drawContents(qp, QRectF(0, i * page.height(), page.width(), page.height()))
                    qp.restore()
            showing = [(doc, first) for doc, first in showing if first + doc.pageCount() > n + 1]
            _footer(qp, area, title, n + 1, pages, writer)
            if progress is not None:
                progress((n + 1) / pages)
    finally:
        qp.end()
    return True


def _footer(qp: QPainter, area: QRectF, title: str, page: int, pages: int, device) -> None:
    """A rule, the project title at the left and "page N of M" at the right, at the foot of `area`."""
    font = _footer_font()
    fm = QFontMetricsF(font, device)
    y = area.height() - fm.descent()
    qp.setPen(QPen(QColor("#bbbbbb"), 0.6))
    qp.drawLine(QPointF(0, y - fm.height() - 3), QPointF(area.width(), y - fm.height() - 3))
    qp.setFont(font)
    qp.setPen(QColor("#666666"))
    label = f"page {page} of {pages}"
    qp.drawText(QPointF(area.width() - fm.horizontalAdvance(label), y), label)
    qp.drawText(QPointF(0, y), fm.elidedText(title, Qt.TextElideMode.ElideRight,
                                             area.width() - fm.horizontalAdvance(label) - 24))


def export_report(project, path: str | os.PathLike, selection: EventSelection | None = None,
                  progress: Callable[[float], None] | None = None,
                  cancelled: Callable[[], bool] | None = None, counts: str | None = None) -> ExportResult:
    """Write the report of `selection` to `path`: .md, .html, .odt or .pdf by its suffix; with
    `counts` (day, week, month or auto), the events per bin after the title page (.md and .html)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in WRITERS:
        return write_report(project, path, selection, progress, cancelled, counts=counts)
    if counts and suffix in (".odt", ".pdf"):
        raise ExchangeError(f"the counts chart goes in .html and .md reports (and the HTML page), not in {suffix} "
                            f"({path.name})")
    if suffix not in (".odt", ".pdf"):
        raise ExchangeError(f"a report is written as .md, .html, .odt or .pdf, not "
                            f"{suffix or 'a file without suffix'} ({path.name})")
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - fonts need one
    reading = None if progress is None else (lambda f: progress(0.6 * f))
    reader = EntryReader(project, selection, reading, cancelled)
    if suffix == ".odt":
        report = write_odt(reader, path)
    else:
        laying = None if progress is None else (lambda f: progress(0.6 + 0.4 * f))
        report, _ = write_pdf(reader, path, laying, cancelled)
    if progress is not None:
        progress(1.0)
    return report.result(path)
