"""The selected events as one self-contained web page that opens anywhere, offline.

A header (project title, the period, the selection in words), the timeline of the events' period
drawn by the screen's painter and inlined as SVG (`sijill.desktop.timeline.export_image` writes it; its
tooltips come along as <title>s), the events table (date as written, title, groups with their
roles, type, location, evidence and grades), then each event with its citations (quote, source,
outlet, date, link, grade), numbered as in the report.

The page loads nothing and runs nothing: no <script>, no style sheet, font or image from
anywhere (CSS in its <style>); the only links are citations' http(s) URLs, followed only when
clicked. Every string of the project is escaped, and the SVG is parsed and rewritten so that
nothing it holds can run or load (`inline_svg`).
"""
from __future__ import annotations

import os
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import IO

from PySide6.QtGui import QGuiApplication

from sijill.db.formats.records import ExchangeError, ExportCancelled
from sijill.db.formats.registry import ExportResult
from sijill.db.formats.report import atomic_path, spool
from sijill.db.formats.report_html import h, note_body_html
from sijill.db.formats.report_model import CONTRADICTS, NO_EVIDENCE, Entry, EntryReader, Report
from sijill.db.formats.selection import EventSelection, select_event_ids
from sijill.db.timeline.counts_svg import counts_section

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
TIMELINE_SIZE = (1600, 900)
DAY = 86400
# elements that could run, embed or load something: never inlined
_UNSAFE_TAGS = {"script", "foreignObject", "iframe", "object", "embed", "audio", "video", "animate", "set",
                "animateMotion", "animateTransform", "handler", "listener", "style"}
_URL_REF = re.compile(r"url\(\s*['\"]?([^)'\"]*)", re.IGNORECASE)

PAGE_CSS = """
:root { color-scheme: light; }
body { font-family: "Helvetica Neue", Arial, "DejaVu Sans", "Noto Sans", sans-serif; color: #1b1b1b;
  background: #fff; margin: 0 auto; padding: 1.5rem 2rem 4rem; max-width: 1600px; font-size: 14px;
  line-height: 1.45; }
header { border-bottom: 2px solid #1b1b1b; padding-bottom: .6rem; margin-bottom: 1.2rem; }
header h1 { font-size: 1.8rem; margin: 0 0 .3rem; }
header p { margin: .1rem 0; color: #444; }
.label { color: #777; }
figure { margin: 0 0 1.5rem; }
figure svg { width: 100%; height: auto; display: block; border: 1px solid #d5d9de; }
figcaption { font-size: .8rem; color: #666; margin-top: .3rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .6rem; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th { text-align: left; background: #eef1f5; border-bottom: 2px solid #c8cdd4; padding: .35rem .5rem;
  position: sticky; top: 0; }
td { border-bottom: 1px solid #e3e6ea; padding: .35rem .5rem; vertical-align: top; }
tbody tr:nth-child(even) td { background: #fafbfc; }
td.date { white-space: nowrap; }
.norm { display: block; color: #666; font-size: .85em; }
td.ev { white-space: nowrap; }
.contradicts { color: #a4000f; font-weight: bold; }
.no-evidence { color: #7a4b00; background: #fff1c2; font-weight: bold; padding: 0 .3em; }
a { color: #0b4f8a; }
sup a, td.ev a { text-decoration: none; }
article { border-top: 1px solid #d5d9de; padding: .6rem 0 .4rem; max-width: 60rem; }
article h3 { font-size: 1.05rem; margin: 0 0 .2rem; }
.when { font-weight: bold; color: #333; }
.facts { color: #444; font-size: .9em; margin: .1rem 0; }
.description { font-family: Georgia, "DejaVu Serif", "Noto Serif", serif; margin: .4rem 0; }
ol.notes { font-size: .9em; margin: .4rem 0; padding-left: 2.2rem; }
ol.notes li { margin-bottom: .35rem; }
ol.notes li.contra { border-left: 3px solid #a4000f; padding-left: .4rem; }
.quote { font-family: Georgia, "DejaVu Serif", "Noto Serif", serif; font-style: italic; }
.summary { color: #7a4b00; }
.grade { font-weight: bold; }
.back { text-decoration: none; }
footer { margin-top: 3rem; font-size: .8rem; color: #777; border-top: 1px solid #ccc; padding-top: .5rem; }
@media print {
  body { padding: 0; max-width: none; font-size: 10pt; }
  th { position: static; }
  tr, article { break-inside: avoid-page; }
  a { color: inherit; text-decoration: none; }
}
"""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def inline_svg(svg_text: str) -> str:
    """The SVG document `svg_text` as an element to put in an HTML page: its XML prolog and
    doctype gone, it scales to the page's width, and nothing in it can run or load: no script,
    foreign or animated element, no event handler, no reference other than to itself or to data."""
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    try:
        root = ET.fromstring(svg_text.encode("utf-8"))
    except ET.ParseError as exc:
        raise ExchangeError(f"the timeline could not be drawn as SVG: {exc}") from exc
    for parent in list(root.iter()):
        for child in list(parent):
            if _local(child.tag) in _UNSAFE_TAGS:
                parent.remove(child)
    for el in root.iter():
        for name in list(el.attrib):
            local, value = _local(name), el.attrib[name].strip()
            if local.lower().startswith("on"):
                del el.attrib[name]
            elif local == "href" and not (value.startswith("#") or value.startswith("data:image/")):
                del el.attrib[name]
            elif any(not ref.startswith("#") for ref in _URL_REF.findall(value)):
                del el.attrib[name]
    width, height = root.get("width", ""), root.get("height", "")
    if not root.get("viewBox") and width and height:
        root.set("viewBox", f"0 0 {float(width.rstrip('px'))} {float(height.rstrip('px'))}")
    root.attrib.pop("width", None)
    root.attrib.pop("height", None)
    root.set("role", "img")
    return ET.tostring(root, encoding="unicode")


def timeline_svg(project, report: Report, size: tuple[int, int] = TIMELINE_SIZE) -> str | None:
    """The timeline of the report's period (a margin each side) drawn by the screen's painter,
    ready to inline; None when the report has no event."""
    from sijill.desktop.timeline.export_image import render_timeline_image

    if report.first is None or report.last is None:
        return None
    lo, hi = report.first.lo_ts, report.last.hi_ts
    pad = max((hi - lo) * 0.03, DAY)
    with tempfile.TemporaryDirectory(prefix="sijill-page-") as tmp:
        path = Path(tmp) / "timeline.svg"
        render_timeline_image(project, path, lo - pad, hi + pad, size=size, title=report.title)
        return inline_svg(path.read_text(encoding="utf-8"))


def _evidence_cell(entry: Entry) -> str:
    if not entry.notes:
        return f'<span class="no-evidence">⚠ {NO_EVIDENCE}</span>'
    grades = []
    for n in entry.notes:
        text = h(n.citation.grade or "?")
        if n.contradicts:
            text = f'<span class="contradicts" title="{h(CONTRADICTS)}">⚠ {text}</span>'
        grades.append(f'<a id="ref-{n.number}" href="#note-{n.number}">{text}</a>')
    return f"{len(entry.notes)}: " + ", ".join(grades)


def _row(entry: Entry) -> str:
    e = entry.event
    date = h(entry.written) + (f'<span class="norm">{h(entry.display)}</span>' if entry.display else "")
    return (f'<tr><td class="date">{date}</td><td><a href="#event-{h(e.uid)}">{h(e.title)}</a></td>'
            f"<td>{h(entry.groups)}</td><td>{h(e.event_type or '')}</td><td>{h(e.location or '')}</td>"
            f'<td class="ev">{_evidence_cell(entry)}</td></tr>')


def _article(entry: Entry) -> list[str]:
    e = entry.event
    when = h(entry.written) + (f" ({h(entry.display)})" if entry.display else "")
    out = [f'<article id="event-{h(e.uid)}">', f'<h3><span class="when">{when}</span> — {h(e.title)}</h3>']
    facts = [f'<span class="label">{k}:</span> {h(v)}' for k, v in entry.facts]
    if e.groups:
        facts.append(f'<span class="label">Groups:</span> {h(entry.groups)}')
    if e.tags:
        facts.append(f'<span class="label">Tags:</span> {h(", ".join(e.tags))}')
    if facts:
        out.append('<p class="facts">' + " · ".join(facts) + "</p>")
    if e.description:
        out.append(f'<p class="description">{h(e.description)}</p>')
    if entry.notes:
        out.append(f'<ol class="notes" start="{entry.notes[0].number}">')
        for n in entry.notes:
            cls = ' class="contra"' if n.contradicts else ""
            out.append(f'<li id="note-{n.number}"{cls}>{note_body_html(n)} '
                       f'<a class="back" href="#ref-{n.number}" aria-label="back to the table">↩</a></li>')
        out.append("</ol>")
    else:
        out.append(f'<p><span class="no-evidence">⚠ {NO_EVIDENCE}</span></p>')
    out.append("</article>")
    return out


def _head(report: Report, svg: str | None, selection: EventSelection, chart: list[str] = ()) -> list[str]:
    """The page down to the events table: header, timeline and, when asked, the counts `chart`."""
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           '<meta name="generator" content="Sijill">', f"<title>{h(report.title)}</title>",
           f"<style>{PAGE_CSS}</style>", "</head>", "<body>", "<header>", f"<h1>{h(report.title)}</h1>"]
    if report.span:
        out.append(f'<p><span class="label">Period:</span> {h(report.span)}</p>')
    out += [f'<p><span class="label">Selection:</span> {h(report.selection)}</p>',
            f'<p><span class="label">Events:</span> {h(report.summary())} · <span class="label">generated</span> '
            f"{h(report.generated_text)} by Sijill</p>", "</header>"]
    if svg:
        caption = "The timeline of the period, as Sijill draws it (hover an event for its title and date)."
        if selection.groups or selection.tags or selection.query:
            caption += " It shows every event of the project in the period; the table lists the selected ones."
        out += ["<figure>", svg, f"<figcaption>{h(caption)}</figcaption>", "</figure>"]
    out += list(chart)
    out += ['<h2 id="events">Events</h2>']
    if report.events:
        out += ["<table>", "<thead><tr><th>Date</th><th>Event</th><th>Groups and roles</th><th>Type</th>"
                "<th>Location</th><th>Evidence and grades</th></tr></thead>", "<tbody>"]
    else:
        out.append("<p><em>No event matches the selection.</em></p>")
    return out


def _footer(report: Report) -> list[str]:
    return [f"<footer>{h(report.title)} · generated {h(report.generated_text)} by Sijill · "
            "grades: source reliability A (completely reliable) to F (cannot be judged), information "
            "credibility 1 (confirmed) to 6 (cannot be judged)</footer>", "</body>", "</html>"]


def _lines(out: IO[bytes], lines: list[str]) -> None:
    out.write("".join(line + "\n" for line in lines).encode("utf-8"))


def export_html(project, path: str | os.PathLike, selection: EventSelection | None = None,
                progress: Callable[[float], None] | None = None,
                cancelled: Callable[[], bool] | None = None, counts: str | None = None) -> ExportResult:
    """Write the selected events, their timeline and their evidence to one HTML file: the table's
    rows and the events' citations are written (to temporary files) as the events are read, the
    header and the timeline, which need all of them, once they have been. With `counts` (day,
    week, month or auto), the selected events per bin as an inline SVG chart under the timeline."""
    selection = selection or EventSelection()
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - the painter needs one
    reading = None if progress is None else (lambda f: progress(0.5 * f))
    reader = EntryReader(project, selection, reading, cancelled)
    with atomic_path(path) as tmp, spool(path) as rows, spool(path) as articles:
        for entry in reader:
            rows.write([_row(entry)])
            articles.write(_article(entry))
        report = reader.report
        svg = timeline_svg(project, report)
        chart = counts_section(project, select_event_ids(project, selection), counts, "html") if counts else []
        if cancelled is not None and cancelled():
            raise ExportCancelled()
        with open(tmp, "wb") as out:
            _lines(out, _head(report, svg, selection, chart))
            if report.events:
                rows.copy_to(out)
                _lines(out, ["</tbody>", "</table>", '<h2 id="evidence">Evidence</h2>'])
                articles.copy_to(out)
            _lines(out, _footer(report))
    if progress is not None:
        progress(1.0)
    return report.result(path)
