"""The report as the HTML subset QTextDocument reads well, for `sijill.desktop.exports.report_documents`
to lay out as ODT and PDF: Qt's subset of CSS, sizes in points, tables where the web page uses
lists, fonts named in full. Needs no Qt: strings only.

Anchors mark what a page should not split: `KEEP_START` + uid where an event (or its year's
heading) starts, `KEEP_END` + uid at its first footnote or its "no evidence" flag.
"""
from __future__ import annotations

from sijill.db.formats.report_html import h
from sijill.db.formats.report_model import CONTRADICTS, GRADE_KEY, NO_EVIDENCE, Entry, Note, Report
from sijill.db.formats.selection import SUMMARY_MARK

SERIF = ("Georgia", "DejaVu Serif", "Noto Serif", "Times New Roman")
SANS = ("Helvetica Neue", "Arial", "DejaVu Sans", "Noto Sans", "Segoe UI")
ACCENT = "#a4000f"
KEEP_START, KEEP_END = "keep-start-", "keep-end-"  # anchor names: an event's unsplittable part (keep_together)


def _families(names: tuple[str, ...]) -> str:
    return ", ".join(f"'{n}'" for n in names)


def _sans(size: float, extra: str = "") -> str:
    return f"font-family: {_families(SANS)}; font-size: {size}pt; {extra}"


def qt_note(note: Note) -> str:
    c = note.citation
    parts = []
    mark = f'<span style="color:#7a4b00">({h(SUMMARY_MARK)})</span>' if c.summary else ""
    if c.quote:
        parts.append(f"<i>“{h(c.quote)}”</i>" + (f" {mark}" if mark else "") + " —")
    source = f"<i>{h(c.source_title)}</i>" if not c.quote else h(c.source_title)
    if note.source_parts():
        source += ", " + h(", ".join(note.source_parts()))
    parts.append(source + ".")
    if mark and not c.quote:
        parts.append(mark)
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


def qt_entry(entry: Entry, keep_anchor: bool = True) -> list[str]:
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
                   f'<td valign="top" style="font-size:8pt; color:#333">{qt_note(n)}</td></tr>')
    out.append("</table>")
    return out


def qt_title_page(report: Report) -> list[str]:
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


EMPTY_CHRONOLOGY = ["<p><i>No event matches the selection.</i></p>"]


class Chronology:
    """The chronology's rich text, run after run of entries: each year's first event under the
    year's heading (the report's first heading without the space above the others)."""

    def __init__(self) -> None:
        self.year: int | None = None
        self.first_year: int | None = None

    def lines(self, entries: list[Entry]) -> list[str]:
        out = []
        for entry in entries:
            if self.first_year is None:
                self.first_year = entry.year
            if entry.year != self.year:
                top = 0 if entry.year == self.first_year else 22
                out.append(f'<h2 style="margin-top:{top}px; margin-bottom:0; {_sans(15)}">'
                           f'<a name="{KEEP_START}{h(entry.event.uid)}"></a>{entry.year}</h2>'
                           '<hr style="height:1px; background-color:#1b1b1b; border:none">')
            out += qt_entry(entry, keep_anchor=entry.year == self.year)
            self.year = entry.year
        return out


def qt_page(body: list[str], title: str) -> str:
    return (f'<html><head><meta charset="utf-8"><title>{h(title)}</title></head>'
            f'<body style="font-family: {_families(SERIF)}; font-size: 10pt; color:#1b1b1b">'
            + "\n".join(body) + "</body></html>")


def qt_html(report: Report, chronology: list[str]) -> str:
    """The report as the HTML subset QTextDocument lays out: title page, a page break, then the
    chronology (`Chronology.lines` of every entry)."""
    title = qt_title_page(report)
    title[-1] = title[-1].replace('<p style="', '<p style="page-break-after:always; ', 1)
    return qt_page(title + (chronology or EMPTY_CHRONOLOGY), report.title)
