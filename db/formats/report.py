"""The report: a chronology of the selected events with footnoted, graded evidence.

Its content is built once (`build_report`) as a small document model: a title page (project
title, the span of the events, the selection in words, when it was generated, how many events)
and a chronology of `Entry`s, each an event with its `Note`s, one numbered footnote per citation,
numbered through the whole document. Writers lay the model out:

- `to_markdown`: headings per year and per event, footnotes as `[^n]` with their definitions
  under the event they belong to (renderers gather them at the end; the plain text keeps them
  beside the event);
- `to_html`: one complete page that needs nothing else (CSS in its <style>, no script, no font,
  image or style sheet loaded from anywhere), laid out for screen and for print (A4, the title
  page on a page of its own); every string of the project is escaped;
- `desktop.exports.report_documents` lays the same model out for Qt's rich text (ODT, PDF).

Contradicting evidence is flagged "⚠ contradicts" wherever it appears; an event that cites no
evidence is flagged "no evidence". Only http(s) URLs become links (a `javascript:` URL in a
source record stays text). Files are written whole or not at all (`atomic_path`).
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from html import escape
from pathlib import Path

from db.formats.records import ExchangeError, ExportCancelled
from db.formats.registry import ExportResult
from db.formats.selection import Citation, EventSelection, ExportEvent, export_events, select_event_ids

RELIABILITY = {"A": "completely reliable", "B": "usually reliable", "C": "fairly reliable",
               "D": "not usually reliable", "E": "unreliable", "F": "reliability cannot be judged"}
CREDIBILITY = {1: "confirmed", 2: "probably true", 3: "possibly true", 4: "doubtful", 5: "improbable",
               6: "truth cannot be judged"}
GRADE_KEY = ("Evidence is graded on the Admiralty (NATO) system: the source's reliability from A (completely "
             "reliable) to F (cannot be judged), then the information's credibility from 1 (confirmed) to 6 "
             "(cannot be judged); “B2” is a usually reliable source giving probably true information.")
ROLE_ORDER = {"actor": 0, "target": 1, "associated": 2, "mentioned": 3}
CONTRADICTS = "⚠ contradicts"
NO_EVIDENCE = "no evidence"
PROGRESS_EVERY = 200


@dataclass(frozen=True)
class Note:
    """One footnote: a citation and its number in the document."""

    number: int
    citation: Citation

    @property
    def contradicts(self) -> bool:
        return self.citation.stance == "contradicts"

    @property
    def stance(self) -> str:
        return CONTRADICTS if self.contradicts else self.citation.stance

    @property
    def url(self) -> str | None:
        return link_url(self.citation.url)

    def source_parts(self) -> list[str]:
        """Outlet, author and publication date, those that are known."""
        c = self.citation
        parts = [p for p in (c.outlet, c.author) if p]
        if c.published is not None:
            parts.append("published " + c.published.display())
        return parts

    def grade_meaning(self) -> str:
        c = self.citation
        words = [RELIABILITY.get(c.reliability or "", ""), CREDIBILITY.get(c.credibility or 0, "")]
        return "; ".join(w for w in words if w)


@dataclass(frozen=True)
class Entry:
    """An event of the chronology with its footnotes."""

    event: ExportEvent
    notes: tuple[Note, ...]

    @property
    def written(self) -> str:
        """The date as written ("2014-06", "2016-10-17 – 2017-07-10")."""
        e = self.event
        text = e.start.text or e.start.display()
        if e.end is not None:
            text += " – " + (e.end.text or e.end.display())
        return text

    @property
    def display(self) -> str | None:
        """The normalised date ("Jun 2014") when it differs from the date as written."""
        e = self.event
        text = e.start.display() + (" – " + e.end.display() if e.end is not None else "")
        return None if text == self.written else text

    @property
    def year(self) -> int:
        return self.event.start.lo.year

    @property
    def groups(self) -> str:
        """"Kataib Hezbollah (actor); United States (target)": actors first, then targets, …"""
        ordered = sorted(self.event.groups, key=lambda g: ROLE_ORDER.get(g[1], len(ROLE_ORDER)))
        return "; ".join(f"{name} ({role})" for name, role in ordered)

    @property
    def facts(self) -> list[tuple[str, str]]:
        """(label, value) of the event's location, type and fatalities, those that are known."""
        e = self.event
        out = []
        if e.location:
            out.append(("Location", e.location))
        if e.event_type:
            out.append(("Type", e.event_type))
        if e.fatalities is not None:
            out.append(("Fatalities", str(e.fatalities)))
        return out


@dataclass(frozen=True)
class Report:
    """Everything a report says, whatever it is written as."""

    title: str
    selection: str
    generated: datetime
    entries: tuple[Entry, ...]

    @property
    def span(self) -> str | None:
        """From the first event's start to the last one's end, normalised ("10 Jun 2014 – 7 Feb 2024")."""
        if not self.entries:
            return None
        first = min(self.entries, key=lambda x: x.event.start.lo).event.start
        last = max((x.event.end or x.event.start for x in self.entries), key=lambda d: d.hi)
        a, b = first.display(), last.display()
        return a if a == b else f"{a} – {b}"

    @property
    def generated_text(self) -> str:
        return self.generated.astimezone(timezone.utc).strftime("%-d %B %Y, %H:%M UTC")

    @property
    def citations(self) -> int:
        return sum(len(x.notes) for x in self.entries)

    @property
    def unsupported(self) -> int:
        return sum(1 for x in self.entries if not x.notes)

    @property
    def contradicted(self) -> int:
        return sum(1 for x in self.entries if x.event.contradicted)

    def summary(self) -> str:
        """"126 events, 172 citations; 10 events contradicted, 2 without evidence"."""
        n = len(self.entries)
        text = f"{n} event{'s' if n != 1 else ''}, {self.citations} citation{'s' if self.citations != 1 else ''}"
        flags = []
        if self.contradicted:
            flags.append(f"{self.contradicted} with contradicting evidence")
        if self.unsupported:
            flags.append(f"{self.unsupported} without evidence")
        return text + ("; " + ", ".join(flags) if flags else "")

    def by_year(self) -> Iterator[tuple[int, list[Entry]]]:
        year, run = None, []
        for entry in self.entries:
            if entry.year != year and run:
                yield year, run
                run = []
            year = entry.year
            run.append(entry)
        if run:
            yield year, run

    def result(self, path: str | os.PathLike) -> ExportResult:
        note = None
        if not self.entries:
            note = "no event matches the selection"
        elif self.unsupported or self.contradicted:
            note = self.summary().split("; ", 1)[1]
        return ExportResult(Path(path), {"events": len(self.entries), "citations": self.citations}, note)


def link_url(url: str | None) -> str | None:
    """`url` when it is a web address a reader may follow (http or https), else None."""
    if url and re.match(r"https?://[^\s<>\"']+$", url.strip(), re.IGNORECASE):
        return url.strip()
    return None


def build_report(project, selection: EventSelection | None = None,
                 progress: Callable[[float], None] | None = None,
                 cancelled: Callable[[], bool] | None = None,
                 generated: datetime | None = None) -> Report:
    """Read the selected events (in chronological order) into a Report; `progress` hears the
    fraction read, `cancelled()` turning true raises ExportCancelled."""
    selection = selection or EventSelection()
    ids = select_event_ids(project, selection)
    entries, number = [], 0
    for n, event in enumerate(export_events(project, ids)):
        if n % PROGRESS_EVERY == 0:
            if cancelled is not None and cancelled():
                raise ExportCancelled()
            if progress is not None and ids:
                progress(n / len(ids))
        notes = []
        for citation in event.citations:
            number += 1
            notes.append(Note(number, citation))
        entries.append(Entry(event, tuple(notes)))
    if progress is not None:
        progress(1.0)
    return Report(project.title, selection.describe(), generated or datetime.now(timezone.utc), tuple(entries))


# --- Markdown --------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#]|&(?=#?\w+;))")
_MD_LINE_START = re.compile(r"^(\s*)([>+=-]|\d+(?=[.)]))", re.MULTILINE)


def md_escape(text: str) -> str:
    """`text` as literal Markdown text: emphasis, links, HTML, entities and line-start markers
    (quote, list, setext underline) escaped."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(lambda m: m.group(1) + (m.group(2) + "\\" if m.group(2)[0].isdigit()
                                                      else "\\" + m.group(2)), text)


def _md_inline(text: str) -> str:
    """One line of escaped text (a title or a quote: its line breaks become spaces)."""
    return md_escape(" ".join(text.split()))


def md_note(note: Note) -> str:
    """The text of footnote `note` (without its `[^n]: ` label)."""
    c = note.citation
    parts = []
    if c.quote:
        parts.append(f"“{_md_inline(c.quote)}” —")
    source = f"*{_md_inline(c.source_title)}*"
    if note.source_parts():
        source += ", " + ", ".join(_md_inline(p) for p in note.source_parts())
    parts.append(source + ".")
    if note.url:
        parts.append(f"<{note.url}>")
    elif c.url:
        parts.append(_md_inline(c.url))
    grade = f"Grade **{c.grade}**" if c.grade else "Not graded"
    parts.append(f"{grade}; {'**' + CONTRADICTS + '**' if note.contradicts else md_escape(c.stance)}.")
    if c.orphaned:
        parts.append("*The quoted passage is no longer found in the source.*")
    if c.note:
        parts.append("Note: " + _md_inline(c.note))
    return " ".join(parts)


def to_markdown(report: Report) -> str:
    """The report as Markdown (CommonMark with footnotes, as GitHub, pandoc and Obsidian read it)."""
    out = [f"# {_md_inline(report.title)}", "", "**Chronology with graded evidence**", ""]
    if report.span:
        out.append(f"**Period:** {md_escape(report.span)}  ")
    out += [f"**Selection:** {_md_inline(report.selection)}  ",
            f"**Events:** {md_escape(report.summary())}  ",
            f"**Generated:** {report.generated_text} by Sijill", "", f"> {GRADE_KEY}", "", "---", ""]
    if not report.entries:
        out += ["*No event matches the selection.*", ""]
    for year, entries in report.by_year():
        out += [f"## {year}", ""]
        for entry in entries:
            out += _md_entry(entry)
    return "\n".join(out).rstrip() + "\n"


def _md_entry(entry: Entry) -> list[str]:
    e = entry.event
    when = f"**{md_escape(entry.written)}**" + (f" ({md_escape(entry.display)})" if entry.display else "")
    lines = [f"### {_md_inline(e.title)}", "", when + "  "]
    if entry.facts:
        lines.append(" · ".join(f"*{label}:* {_md_inline(value)}" for label, value in entry.facts) + "  ")
    if e.groups:
        lines.append(f"*Groups:* {_md_inline(entry.groups)}  ")
    if e.tags:
        lines.append(f"*Tags:* {_md_inline(', '.join(e.tags))}  ")
    lines[-1] = lines[-1].rstrip()
    lines.append("")
    if e.description:
        for para in re.split(r"\n\s*\n", e.description.strip()):
            lines += [md_escape(para.strip()), ""]
    if entry.notes:
        cites = []
        for note in entry.notes:
            stance = f"**{CONTRADICTS}**" if note.contradicts else md_escape(note.citation.stance)
            grade = f" {note.citation.grade}" if note.citation.grade else ""
            cites.append(f"{stance}{grade}[^{note.number}]")
        lines += ["*Evidence:* " + " · ".join(cites), ""]
        lines += [f"[^{note.number}]: {md_note(note)}" for note in entry.notes]
    else:
        lines.append(f"*Evidence:* **⚠ {NO_EVIDENCE}**")
    lines.append("")
    return lines


# --- HTML ------------------------------------------------------------------------------------------

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
    if c.quote:
        parts.append(f'<span class="quote">“{h(c.quote)}”</span> —')
    source = f"<cite>{h(c.source_title)}</cite>"
    if note.source_parts():
        source += ", " + h(", ".join(note.source_parts()))
    parts.append(source + ".")
    if note.url:
        parts.append(f'<a href="{h(note.url)}" rel="noreferrer">{h(note.url)}</a>')
    elif c.url:
        parts.append(h(c.url))
    parts.append(f"Grade {grade_html(c)}; {stance_html(note)}.")
    if c.orphaned:
        parts.append("<em>The quoted passage is no longer found in the source.</em>")
    if c.note:
        parts.append("Note: " + h(c.note))
    return " ".join(parts)


def _html_entry(entry: Entry) -> list[str]:
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
    for para in re.split(r"\n\s*\n", (e.description or "").strip()):
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


def to_html(report: Report) -> str:
    """The report as one complete HTML page that loads nothing: no script, no external anything."""
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
    if not report.entries:
        out.append("<p><em>No event matches the selection.</em></p>")
    for year, entries in report.by_year():
        out.append(f'<section class="year" id="y{year}"><h2>{year}</h2>')
        for entry in entries:
            out += _html_entry(entry)
        out.append("</section>")
    out += ["</main>", f"<footer>{h(report.title)} · {h(report.summary())} · generated "
            f"{h(report.generated_text)} by Sijill</footer>", "</body>", "</html>", ""]
    return "\n".join(out)


# --- writing ---------------------------------------------------------------------------------------

@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary path beside `path` to write to; renamed to `path` when the block ends
    normally, removed when it raises: a failed export never leaves half a file behind."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        yield tmp
        if not tmp.exists():
            raise ExchangeError(f"cannot write {path}")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(path: str | os.PathLike, text: str) -> None:
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)


WRITERS = {".md": to_markdown, ".markdown": to_markdown, ".html": to_html, ".htm": to_html}


def write_report(project, path: str | os.PathLike, selection: EventSelection | None = None,
                 progress: Callable[[float], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """Write the report of `selection` to `path` as Markdown (.md) or HTML (.html)."""
    path = Path(path)
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise ExchangeError(f"a report is written as .md or .html here, not {path.suffix or 'a file without suffix'}")
    report = build_report(project, selection, progress, cancelled)
    write_text(path, writer(report))
    return report.result(path)
