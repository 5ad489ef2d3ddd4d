"""The report as Markdown, HTML, ODT or PDF, by the suffix of the file asked for.

Markdown and HTML are written by `db.formats.report` (no Qt). ODT and PDF lay the same document
model out with Qt's rich text: `qt_html` is a variant of the report's HTML that QTextDocument
reads well (its subset of CSS, sizes in points, tables where the web page uses lists); ODT is that
document written by QTextDocumentWriter, PDF is it painted page by page on an A4 QPdfWriter with a
footer on every page (the project title, "page N of M"). The title page comes first, on a page of
its own. Footnotes sit under the event that cites them, numbered through the whole document.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (QColor, QFont, QFontMetricsF, QGuiApplication, QPageLayout, QPageSize, QPainter,
                           QPdfWriter, QPen, QTextBlock, QTextBlockFormat, QTextCursor, QTextDocument,
                           QTextDocumentWriter, QTextFormat)

from db.formats.records import ExchangeError
from db.formats.registry import ExportResult
from db.formats.report import (CONTRADICTS, GRADE_KEY, NO_EVIDENCE, WRITERS, Entry, ExportCancelled, Note, Report,
                               atomic_path, build_report, h, write_report)
from db.formats.selection import EventSelection

SERIF = ("Georgia", "DejaVu Serif", "Noto Serif", "Times New Roman")
SANS = ("Helvetica Neue", "Arial", "DejaVu Sans", "Noto Sans", "Segoe UI")
PAGE_MARGINS_MM = (20.0, 18.0, 18.0, 16.0)  # top, right, bottom (under the footer), left
FOOTER_GAP_MM = 9.0       # from the bottom of the text to the footer's baseline area
PAGE_PAD = 8              # px of empty margin the layout keeps at the top and bottom of each page
DPI = 96                  # CSS px are 1/96 in, as on screen; text and lines stay vector
ACCENT = "#a4000f"
CHUNK = 40                # events laid out as one document (see _lay_out_parts)
KEEP_START, KEEP_END = "keep-start-", "keep-end-"  # anchor names: an event's unsplittable part (keep_together)


def _families(names: tuple[str, ...]) -> str:
    return ", ".join(f"'{n}'" for n in names)


def _sans(size: float, extra: str = "") -> str:
    return f"font-family: {_families(SANS)}; font-size: {size}pt; {extra}"


def _qt_note(note: Note) -> str:
    c = note.citation
    parts = []
    if c.quote:
        parts.append(f"<i>“{h(c.quote)}”</i> —")
    source = f"<i>{h(c.source_title)}</i>" if not c.quote else h(c.source_title)
    if note.source_parts():
        source += ", " + h(", ".join(note.source_parts()))
    parts.append(source + ".")
    if note.url:
        parts.append(f'<a href="{h(note.url)}" style="color:#0b4f8a; text-decoration:none">{h(note.url)}</a>')
    elif c.url:
        parts.append(h(c.url))
    grade = f"<b>{h(c.grade)}</b>" if c.grade else "not graded"
    stance = (f'<span style="color:{ACCENT}; font-weight:bold">{h(CONTRADICTS)}</span>'
              if note.contradicts else h(c.stance))
    parts.append(f"Grade {grade}; {stance}.")
    if c.orphaned:
        parts.append("<i>The quoted passage is no longer found in the source.</i>")
    if c.note:
        parts.append("Note: " + h(c.note))
    return " ".join(parts)


def _qt_entry(entry: Entry, keep_anchor: bool = True) -> list[str]:
    """An event: date, title, facts, description, evidence line and footnotes. Anchors mark where
    the part that should not be split across pages starts (unless the year heading above holds
    it) and ends (the first footnote, or the "no evidence" flag)."""
    e = entry.event
    when = f"<b>{h(entry.written)}</b>"
    if entry.display:
        when += f' <span style="color:#555">({h(entry.display)})</span>'
    keep = f'<a name="{KEEP_START}{h(e.uid)}"></a>' if keep_anchor else ""
    out = [f'<p style="margin-top:14px; margin-bottom:0; {_sans(8.5)}">{keep}{when}</p>',
           f'<h3 style="margin-top:1px; margin-bottom:3px; {_sans(11)}">'
           f'<a name="event-{h(e.uid)}"></a>{h(e.title)}</h3>']
    label = '<span style="color:#777">{}:</span> '
    facts = [label.format(k) + h(v) for k, v in entry.facts]
    lines = [' <span style="color:#aaa">·</span> '.join(facts)] if facts else []
    if e.groups:
        lines.append(label.format("Groups") + h(entry.groups))
    if e.tags:
        lines.append(label.format("Tags") + h(", ".join(e.tags)))
    if lines:
        out.append(f'<p style="margin:0; {_sans(8.5, "color:#333")}">{"<br>".join(lines)}</p>')
    for para in (e.description or "").strip().split("\n\n"):
        if para.strip():
            out.append(f'<p style="margin-top:5px; margin-bottom:0">{h(" ".join(para.split()))}</p>')
    if not entry.notes:
        out.append(f'<p style="margin-top:4px; {_sans(8.5)}"><a name="{KEEP_END}{h(e.uid)}"></a>'
                   f'{label.format("Evidence")}<span style="color:#7a4b00; background-color:#fff1c2; font-weight:bold">'
                   f'&nbsp;⚠ {NO_EVIDENCE}&nbsp;</span></p>')
        return out
    cites = []
    for n in entry.notes:
        stance = (f'<span style="color:{ACCENT}; font-weight:bold">{h(CONTRADICTS)}</span>'
                  if n.contradicts else h(n.citation.stance))
        cites.append(f'{stance} {h(n.citation.grade or "")}<sup>{n.number}</sup>')
    out.append(f'<p style="margin-top:4px; margin-bottom:2px; {_sans(8.5)}">{label.format("Evidence")}'
               + ' <span style="color:#aaa">·</span> '.join(cites) + "</p>")
    out.append('<table width="100%" cellspacing="0" cellpadding="1" '
               'style="margin-left:14px; margin-top:2px; border-top: 1px solid #ccc">')
    for n in entry.notes:
        colour = ACCENT if n.contradicts else "#444"
        end = f'<a name="{KEEP_END}{h(e.uid)}"></a>' if n is entry.notes[0] else ""
        out.append(f'<tr><td width="34" align="right" valign="top" style="font-size:8pt; color:{colour}">'
                   f'{end}<a name="note-{n.number}"></a>{n.number}.&nbsp;</td>'
                   f'<td valign="top" style="font-size:8pt; color:#333">{_qt_note(n)}</td></tr>')
    out.append("</table>")
    return out


def _qt_title_page(report: Report) -> list[str]:
    rows = []
    if report.span:
        rows.append(("Period", report.span))
    rows += [("Selection", report.selection), ("Events", report.summary()),
             ("Generated", report.generated_text + " by Sijill")]
    # Qt drops the top margin of a document's first block: an empty block makes the room
    out = ['<p style="margin:0; font-size:150pt">&nbsp;</p>',
           f'<p style="margin-top:0; margin-bottom:6px; {_sans(9, "color:#666")}">'
           'CHRONOLOGY WITH GRADED EVIDENCE</p>',
           f'<p style="margin-top:0; margin-bottom:8px; {_sans(24, "font-weight:bold")}">{h(report.title)}</p>',
           '<hr style="height:1px; background-color:#999; border:none">',
           '<table cellspacing="0" cellpadding="3" style="margin-top:14px; margin-bottom:28px">']
    out += [f'<tr><td style="{_sans(8.5, "color:#666; padding-top: 6px")}">{label}&nbsp;&nbsp;&nbsp;</td>'
            f'<td style="font-size:10.5pt">{h(value)}</td></tr>' for label, value in rows]
    out += ["</table>", f'<p style="margin-left:10px; {_sans(8, "color:#555")}">{h(GRADE_KEY)}</p>']
    return out


def _qt_chronology(report: Report, start: int = 0, stop: int | None = None) -> list[str]:
    """The report's entries[start:stop], each year's first one under the year's heading."""
    if not report.entries:
        return ["<p><i>No event matches the selection.</i></p>"]
    first_year = report.entries[0].year
    year = report.entries[start - 1].year if start > 0 else None
    out = []
    for entry in report.entries[start:stop]:
        if entry.year != year:
            top = 0 if entry.year == first_year else 22
            out.append(f'<h2 style="margin-top:{top}px; margin-bottom:0; {_sans(15)}">'
                       f'<a name="{KEEP_START}{h(entry.event.uid)}"></a>{entry.year}</h2>'
                       '<hr style="height:1px; background-color:#1b1b1b; border:none">')
        out += _qt_entry(entry, keep_anchor=entry.year == year)
        year = entry.year
    return out


def _qt_page(body: list[str], title: str) -> str:
    return (f'<html><head><meta charset="utf-8"><title>{h(title)}</title></head>'
            f'<body style="font-family: {_families(SERIF)}; font-size: 10pt; color:#1b1b1b">'
            + "\n".join(body) + "</body></html>")


def qt_html(report: Report) -> str:
    """The report as the HTML subset QTextDocument lays out: title page, a page break, then the
    chronology."""
    title = _qt_title_page(report)
    title[-1] = title[-1].replace('<p style="', '<p style="page-break-after:always; ', 1)
    return _qt_page(title + _qt_chronology(report), report.title)


def keep_together(doc: QTextDocument, page_height: float, most: float = 0.6) -> int:
    """Start an event on the next page when the page would split it between its heading (or its
    year's heading) and its first footnote, as word processors keep a heading with what follows;
    an event taller than `most` of a page is left to split. The document's page size must be
    set; Qt lays the rest of the document out again after each break, so keep the document
    short (`write_pdf` lays the report out in runs of CHUNK events). Returns the breaks added."""
    layout = doc.documentLayout()
    layout.documentSize()  # lays the whole document out: positions are read from it
    starts: dict[str, QTextBlock] = {}
    added = 0
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
                    fmt = first.blockFormat()
                    fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                    QTextCursor(first).setBlockFormat(fmt)
                    layout.documentSize()
                    added += 1
        block = block.next()
    return added


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


def report_document(report: Report, html: str | None = None) -> QTextDocument:
    """A QTextDocument of the whole report (or of `html`, a part of it)."""
    doc = QTextDocument()
    doc.setDefaultFont(_default_font())
    doc.setDocumentMargin(0)
    doc.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, report.title)
    doc.setHtml(html if html is not None else qt_html(report))
    return doc


def write_odt(report: Report, path: str | os.PathLike) -> None:
    doc = report_document(report)
    with atomic_path(path) as tmp:
        writer = QTextDocumentWriter(str(tmp), b"odf")
        if not writer.write(doc):
            raise ExchangeError(f"cannot write {path}: {writer.device().errorString() if writer.device() else ''}")


def _footer_font() -> QFont:
    font = QFont()
    font.setFamilies(list(SANS))
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(7.5)
    return font


@dataclass
class _Part:
    """A run of the report laid out as its own QTextDocument, painted from page `first` of the
    PDF on (its first page shared with the run before, whose end its first, empty block skips)."""

    doc: QTextDocument
    first: int

    @property
    def pages(self) -> int:
        return self.doc.pageCount()


def _lay_out_parts(report: Report, writer: QPdfWriter, page: QSizeF, margin: float,
                   cancelled: Callable[[], bool] | None) -> list[_Part]:
    """The title page, then the chronology in runs of CHUNK events, each run a document that
    starts where the one before ended (an empty block as tall as the used part of that page).
    Each document is laid out (and kept together, `keep_together`) on its own: the cost of a page
    break is the length of its run, not of the report."""
    def make(body: list[str], skip: float = 0.0) -> QTextDocument:
        doc = report_document(report, _qt_page(body, report.title))
        doc.setDocumentMargin(margin)
        doc.documentLayout().setPaintDevice(writer)
        if skip > 0:
            cursor = QTextCursor(doc)
            cursor.insertBlock()
            fmt = QTextBlockFormat()
            fmt.setLineHeight(skip, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
            QTextCursor(doc.begin()).setBlockFormat(fmt)
        doc.setPageSize(page)
        return doc

    parts = [_Part(make(_qt_title_page(report)), 0)]
    at, used = parts[0].pages, 0.0  # the next run starts on page `at`, `used` px down it
    for i in range(0, max(len(report.entries), 1), CHUNK):
        if cancelled is not None and cancelled():
            raise ExportCancelled()
        doc = make(_qt_chronology(report, i, i + CHUNK), used)
        keep_together(doc, page.height())
        parts.append(_Part(doc, at))
        last = doc.lastBlock()
        bottom = doc.documentLayout().blockBoundingRect(last).bottom()
        at += int(bottom // page.height())
        used = bottom % page.height() - margin
    return parts


def write_pdf(report: Report, path: str | os.PathLike,
              progress: Callable[[float], None] | None = None,
              cancelled: Callable[[], bool] | None = None) -> int:
    """Paint the report on A4 pages with a footer on each; returns the number of pages."""
    top, right, bottom, left = PAGE_MARGINS_MM
    with atomic_path(path) as tmp:
        writer = QPdfWriter(str(tmp))
        writer.setTitle(report.title)
        writer.setCreator("Sijill")
        writer.setResolution(DPI)
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                         QMarginsF(left, top, right, bottom), QPageLayout.Unit.Millimeter))
        area = QRectF(0, 0, writer.width(), writer.height())  # inside the margins, in device pixels
        # each page of a document is the text area plus a margin all round, which the layout
        # keeps empty: what rises above a page's first line (a superscript) stays on its page
        m = PAGE_PAD
        page = QSizeF(area.width() + 2 * m, area.height() - FOOTER_GAP_MM * DPI / 25.4 + 2 * m)
        parts = _lay_out_parts(report, writer, page, m, cancelled)
        pages = max(p.first + p.pages for p in parts)
        on_page: dict[int, list[tuple[_Part, int]]] = {}
        for part in parts:
            for i in range(part.pages):
                on_page.setdefault(part.first + i, []).append((part, i))
        qp = QPainter()
        if not qp.begin(writer):
            raise ExchangeError(f"cannot write {path}")
        try:
            for n in range(pages):
                if cancelled is not None and cancelled():
                    raise ExportCancelled()
                if n:
                    writer.newPage()
                for part, i in on_page.get(n, ()):
                    qp.save()
                    qp.translate(-m, -m - i * page.height())
                    part.doc.drawContents(qp, QRectF(0, i * page.height(), page.width(), page.height()))
                    qp.restore()
                _footer(qp, area, report.title, n + 1, pages, writer)
                if progress is not None:
                    progress((n + 1) / pages)
        finally:
            qp.end()
    return pages


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
                  cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """Write the report of `selection` to `path`: .md, .html, .odt or .pdf by its suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in WRITERS:
        return write_report(project, path, selection, progress, cancelled)
    if suffix not in (".odt", ".pdf"):
        raise ExchangeError(f"a report is written as .md, .html, .odt or .pdf, not "
                            f"{suffix or 'a file without suffix'} ({path.name})")
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - fonts need one
    reading = None if progress is None else (lambda f: progress(0.6 * f))
    report = build_report(project, selection, reading, cancelled)
    if suffix == ".odt":
        write_odt(report, path)
    else:
        laying = None if progress is None else (lambda f: progress(0.6 + 0.4 * f))
        write_pdf(report, path, laying, cancelled)
    if progress is not None:
        progress(1.0)
    return report.result(path)
