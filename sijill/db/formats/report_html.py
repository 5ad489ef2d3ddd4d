"""The report as one complete HTML page that needs nothing else.

CSS in its <style>; no script, no font, image or style sheet loaded from anywhere. Laid out for
screen and for print (A4, the title page on a page of its own). Every string of the project is
escaped (`h`); only http(s) URLs become links. The lines are written by `sijill.db.formats.report`, the
chronology as it is read and the title page after it.
"""
from __future__ import annotations

import re
from html import escape

from sijill.db.formats.report_model import CONTRADICTS, GRADE_KEY, NO_EVIDENCE, Entry, Note, Report
from sijill.db.formats.selection import SUMMARY_MARK, Citation

_PARAGRAPHS = re.compile(r"\n\s*\n")


def h(text) -> str:
    """`text` escaped for HTML text and attribute values."""
    return escape(str(text), quote=True)


HTML_CSS = """
:root { color-scheme: light; }
body { font-family: Georgia, "DejaVu Serif", "Noto Serif", "Times New Roman", serif; color: #1b1b1b;
  background: #fff; max-width: 44rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; line-height: 1.5;
  font-size: 11.5pt; }
h1, h2, h3, .meta, .evidence, .facts, footer, .key { font-family: "Helvetica Neue", Arial,
  "DejaVu Sans", "Noto Sans", sans-serif; }
.title-page { padding: 10vh 0 2.5rem;
  border-bottom: 1px solid #ccc; margin-bottom: 2rem; }
.title-page .kind { text-transform: uppercase; letter-spacing: .12em; color: #666; font-size: .8rem; margin: 0; }
.title-page h1 { font-size: 2.1rem; line-height: 1.2; margin: .4rem 0 1.6rem; }
.title-page dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.2rem; margin: 0 0 2rem; }
.title-page dt { color: #666; font-family: Arial, "DejaVu Sans", sans-serif; font-size: .85rem; padding-top: .15rem; }
.title-page dd { margin: 0; }
.key { font-size: .8rem; color: #555; border-left: 3px solid #ccc; padding-left: .8rem; }
h2 { font-size: 1.4rem; border-bottom: 2px solid #1b1b1b; padding-bottom: .2rem; margin: 2.5rem 0 1rem; }
article { margin: 0 0 1.8rem; }
.meta, article h3 { break-after: avoid-page; }
ol.notes li { break-inside: avoid-page; }
article h3 { font-size: 1.08rem; margin: 0 0 .2rem; }
.when { font-weight: bold; }
.norm { color: #555; }
.meta, .facts { font-size: .85rem; color: #333; margin: 0; }
.facts span + span::before { content: " · "; color: #999; }
.label { color: #777; }
.description { margin: .5rem 0; }
.evidence { font-size: .85rem; margin: .3rem 0; }
.contradicts { color: #a4000f; font-weight: bold; }
.no-evidence { color: #7a4b00; background: #fff1c2; font-weight: bold; padding: 0 .3em; }
sup a { text-decoration: none; }
ol.notes { font-size: .8rem; color: #333; margin: .4rem 0 0; padding-left: 2.2rem;
  border-top: 1px solid #ddd; padding-top: .3rem; }
ol.notes li { margin-bottom: .25rem; }
ol.notes li.contra { border-left: 3px solid #a4000f; padding-left: .4rem; }
.quote { font-style: italic; }
.summary { color: #7a4b00; }
.grade { font-weight: bold; font-family: Arial, "DejaVu Sans", sans-serif; }
.back { text-decoration: none; }
a { color: #0b4f8a; overflow-wrap: anywhere; }
footer { margin-top: 3rem; font-size: .75rem; color: #777; border-top: 1px solid #ccc; padding-top: .5rem; }
@page { size: A4; margin: 20mm 18mm 22mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  .title-page { padding: 60mm 0 0; border: 0; break-after: page; }
  h2 { break-after: avoid-page; }
  a { color: inherit; text-decoration: none; }
}
"""


def grade_html(c: Citation) -> str:
    if not c.grade:
        return '<span class="grade">not graded</span>'
    note = Note(0, c)
    return f'<abbr class="grade" title="{h(note.grade_meaning())}">{h(c.grade)}</abbr>'


def stance_html(note: Note) -> str:
    return f'<span class="contradicts">{h(CONTRADICTS)}</span>' if note.contradicts else h(note.citation.stance)


def note_body_html(note: Note) -> str:
    """The footnote's text: quote, source, outlet, author, date, link, grade and stance."""
    c = note.citation
    parts = []
    mark = f'<em class="summary">({h(SUMMARY_MARK)})</em>' if c.summary else ""
    if c.quote:
        parts.append(f'<span class="quote">“{h(c.quote)}”</span>' + (f" {mark}" if mark else "") + " —")
    source = f"<cite>{h(c.source_title)}</cite>"
    source_parts = note.source_parts()
    if source_parts:
        source += ", " + h(", ".join(source_parts))
    parts.append(source + ".")
    if mark and not c.quote:
        parts.append(mark)
    url = note.url
    if url:
        parts.append(f'<a href="{h(url)}" rel="noreferrer">{h(url)}</a>')
    elif c.url:
        parts.append(h(c.url))
    parts.append(f"Grade {grade_html(c)}; {stance_html(note)}.")
    if c.orphaned:
        parts.append("<em>The quoted passage is no longer found in the source.</em>")
    if c.note:
        parts.append("Note: " + h(c.note))
    return " ".join(parts)


def html_entry(entry: Entry) -> list[str]:
    """An event as an <article>: date, title, facts, description, evidence line and footnotes."""
    e = entry.event
    when = f'<span class="when">{h(entry.written)}</span>'
    if entry.display:
        when += f' <span class="norm">({h(entry.display)})</span>'
    out = [f'<article id="event-{h(e.uid)}">', f'<p class="meta">{when}</p>', f"<h3>{h(e.title)}</h3>"]
    facts = [f'<span><span class="label">{label}:</span> {h(value)}</span>' for label, value in entry.facts]
    if facts:
        out.append(f'<p class="facts">{"".join(facts)}</p>')
    if e.groups:
        out.append(f'<p class="facts"><span class="label">Groups:</span> {h(entry.groups)}</p>')
    if e.tags:
        out.append(f'<p class="facts"><span class="label">Tags:</span> {h(", ".join(e.tags))}</p>')
    for para in _PARAGRAPHS.split((e.description or "").strip()):
        if para.strip():
            out.append(f'<p class="description">{h(para.strip())}</p>')
    if entry.notes:
        cites = [f'{stance_html(n)} {h(n.citation.grade or "")}<sup id="ref-{n.number}">'
                 f'<a href="#note-{n.number}">{n.number}</a></sup>' for n in entry.notes]
        out.append('<p class="evidence"><span class="label">Evidence:</span> ' + " · ".join(cites) + "</p>")
        out.append(f'<ol class="notes" start="{entry.notes[0].number}">')
        for n in entry.notes:
            cls = ' class="contra"' if n.contradicts else ""
            out.append(f'<li id="note-{n.number}"{cls}>{note_body_html(n)} '
                       f'<a class="back" href="#ref-{n.number}" aria-label="back to the text">↩</a></li>')
        out.append("</ol>")
    else:
        out.append(f'<p class="evidence"><span class="label">Evidence:</span> '
                   f'<span class="no-evidence">⚠ {NO_EVIDENCE}</span></p>')
    out.append("</article>")
    return out


def html_head(report: Report) -> list[str]:
    """From the doctype through the title page to the opening of the chronology (<main>)."""
    rows = []
    if report.span:
        rows.append(("Period", report.span))
    rows += [("Selection", report.selection), ("Events", report.summary()),
             ("Generated", report.generated_text + " by Sijill")]
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           '<meta name="generator" content="Sijill">',
           f"<title>{h(report.title)} — chronology</title>", f"<style>{HTML_CSS}</style>", "</head>", "<body>",
           '<section class="title-page">', '<p class="kind">Chronology with graded evidence</p>',
           f"<h1>{h(report.title)}</h1>", "<dl>"]
    out += [f"<dt>{label}</dt><dd>{h(value)}</dd>" for label, value in rows]
    out += ["</dl>", f'<p class="key">{h(GRADE_KEY)}</p>', "</section>", "<main>"]
    return out


def html_empty() -> list[str]:
    return ["<p><em>No event matches the selection.</em></p>"]


def html_year(year: int) -> list[str]:
    return [f'<section class="year" id="y{year}"><h2>{year}</h2>']


def html_year_end() -> list[str]:
    return ["</section>"]


def html_tail(report: Report) -> list[str]:
    """From the end of the chronology to the end of the page (its last line ends the file)."""
    return ["</main>", f"<footer>{h(report.title)} · {h(report.summary())} · generated "
            f"{h(report.generated_text)} by Sijill</footer>", "</body>", "</html>"]
