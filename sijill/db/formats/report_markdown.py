"""The report as Markdown (CommonMark with footnotes, as GitHub, pandoc and Obsidian read it).

Headings per year and per event, footnotes as `[^n]` with their definitions under the event they
belong to (renderers gather them at the end; the plain text keeps them beside the event). Every
string of the project is escaped (`md_escape`): it stays text, never markup. The lines are
written by `sijill.db.formats.report`, the chronology as it is read and the title page after it.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, wraps

from sijill.db.formats.report_model import CONTRADICTS, GRADE_KEY, NO_EVIDENCE, Entry, Note, Report
from sijill.db.formats.selection import SUMMARY_MARK

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#]|&(?=#?\w+;))")
_MD_LINE_START = re.compile(r"^(\s*)([>+=-]|\d+(?=[.)]))", re.MULTILINE)
_PARAGRAPHS = re.compile(r"\n\s*\n")


def _line_start(m: re.Match) -> str:
    return m.group(1) + (m.group(2) + "\\" if m.group(2)[0].isdigit() else "\\" + m.group(2))


def _short_cached(fn: Callable[[str], str]) -> Callable[[str], str]:
    """`fn`, remembering its results for short strings: outlets, source titles, stances, places and
    groups come back event after event; descriptions and quotes rarely do."""
    cached = lru_cache(maxsize=4096)(fn)

    @wraps(fn)
    def call(text: str) -> str:
        return cached(text) if len(text) <= 200 else fn(text)
    return call


@_short_cached
def md_escape(text: str) -> str:
    """`text` as literal Markdown text: emphasis, links, HTML, entities and line-start markers
    (quote, list, setext underline) escaped."""
    return _MD_LINE_START.sub(_line_start, _MD_SPECIAL.sub(r"\\\1", text))


@_short_cached
def _md_inline(text: str) -> str:
    """One line of escaped text (a title or a quote: its line breaks become spaces)."""
    return md_escape(" ".join(text.split()))


def md_note(note: Note) -> str:
    """The text of footnote `note` (without its `[^n]: ` label)."""
    c = note.citation
    parts = []
    if c.quote:
        parts.append(f"“{_md_inline(c.quote)}”" + (f" *({SUMMARY_MARK})*" if c.summary else "") + " —")
    source = f"*{_md_inline(c.source_title)}*"
    if note.source_parts():
        source += ", " + ", ".join(_md_inline(p) for p in note.source_parts())
    parts.append(source + ".")
    if c.summary and not c.quote:
        parts.append(f"*({SUMMARY_MARK})*")
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


def md_head(report: Report) -> list[str]:
    """The title page, down to the rule under it."""
    out = [f"# {_md_inline(report.title)}", "", "**Chronology with graded evidence**", ""]
    if report.span:
        out.append(f"**Period:** {md_escape(report.span)}  ")
    out += [f"**Selection:** {_md_inline(report.selection)}  ",
            f"**Events:** {md_escape(report.summary())}  ",
            f"**Generated:** {report.generated_text} by Sijill", "", f"> {GRADE_KEY}", "", "---", ""]
    return out


def md_empty() -> list[str]:
    return ["*No event matches the selection.*", ""]


def md_year(year: int) -> list[str]:
    return [f"## {year}", ""]


def md_year_end() -> list[str]:
    return []


def md_tail(report: Report) -> list[str]:
    return []


def md_entry(entry: Entry) -> list[str]:
    """An event: title, date, facts, description, evidence line and footnote definitions."""
    e = entry.event
    when = f"**{md_escape(entry.written)}**" + (f" ({md_escape(entry.display)})" if entry.display else "")
    lines = [f"### {_md_inline(e.title)}", "", when + "  "]
    facts = entry.facts
    if facts:
        lines.append(" · ".join(f"*{label}:* {_md_inline(value)}" for label, value in facts) + "  ")
    if e.groups:
        lines.append(f"*Groups:* {_md_inline(entry.groups)}  ")
    if e.tags:
        lines.append(f"*Tags:* {_md_inline(', '.join(e.tags))}  ")
    lines[-1] = lines[-1].rstrip()
    lines.append("")
    if e.description:
        for para in _PARAGRAPHS.split(e.description.strip()):
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
