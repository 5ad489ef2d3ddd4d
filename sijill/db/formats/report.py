"""The report: a chronology of the selected events with footnoted, graded evidence, written as
Markdown or HTML (no Qt), event by event.

- `sijill.db.formats.report_model`: what a report says: the title page (`Report`), the chronology's
  `Entry`s with their numbered footnotes (`Note`), read one at a time by `EntryReader`;
- `sijill.db.formats.report_markdown` and `sijill.db.formats.report_html`: the lines of each part;
- here: `write_report` streams the chronology to a temporary file as it is read, then writes the
  title page (which counts the chronology's events, citations and flags) and copies the
  chronology after it, so that memory does not grow with the report (100,000 events: 59 MB
  peak RSS, where holding the report whole took 952 MB);
- `sijill.desktop.exports.report_documents` lays the same model out for Qt's rich text (ODT, PDF).

Files are written whole or not at all (`atomic_path`): a cancelled or failed export leaves the
file that was there before.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sijill.db.formats import report_html, report_markdown
from sijill.db.formats.records import ExchangeError, ExportCancelled
from sijill.db.formats.registry import ExportResult
from sijill.db.formats.report_html import h, note_body_html
from sijill.db.formats.report_model import (CONTRADICTS, GRADE_KEY, NO_EVIDENCE, Entry, EntryReader, Note, Report,
                                     build_report, link_url)
from sijill.db.formats.selection import EventSelection

__all__ = ["CONTRADICTS", "GRADE_KEY", "NO_EVIDENCE", "WRITERS", "Entry", "EntryReader", "ExportCancelled",
           "Note", "Report", "Spool", "TextLayout", "atomic_path", "build_report", "h", "link_url",
           "note_body_html", "spool", "write_report", "write_text"]


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


class Spool:
    """Lines written, as UTF-8, to an anonymous temporary file (gone when closed, whatever
    happens), to be copied into the file being written once what comes before them is known."""

    def __init__(self, folder: str | os.PathLike) -> None:
        self.file: IO[bytes] = tempfile.TemporaryFile(dir=folder)
        self.held = ""  # trailing white space, written only when more text follows it

    def write(self, lines: list[str]) -> None:
        if not lines:
            return
        text = "\n".join(lines) + "\n"
        kept = text.rstrip()
        if kept:
            self.file.write((self.held + kept).encode("utf-8"))
            self.held = text[len(kept):]
        else:
            self.held += text

    def copy_to(self, out: IO[bytes], strip_end: bool = False) -> None:
        """Everything written, to `out`; with `strip_end`, its trailing white space is one newline."""
        self.file.write(("\n" if strip_end else self.held).encode("utf-8"))
        self.held = ""
        self.file.seek(0)
        shutil.copyfileobj(self.file, out, 1 << 20)

    def close(self) -> None:
        self.file.close()


@contextmanager
def spool(path: str | os.PathLike) -> Iterator[Spool]:
    """A `Spool` in the folder of `path` (the same disk as the file it will be copied into)."""
    s = Spool(Path(path).parent)
    try:
        yield s
    finally:
        s.close()


@dataclass(frozen=True)
class TextLayout:
    """The lines of each part of a report in one text format; `strip_end`: the file ends with
    exactly one newline, whatever white space the last line held."""

    head: Callable[[Report], list[str]]
    empty: Callable[[], list[str]]
    year: Callable[[int], list[str]]
    year_end: Callable[[], list[str]]
    entry: Callable[[Entry], list[str]]
    tail: Callable[[Report], list[str]]
    strip_end: bool = False


MARKDOWN = TextLayout(report_markdown.md_head, report_markdown.md_empty, report_markdown.md_year,
                      report_markdown.md_year_end, report_markdown.md_entry, report_markdown.md_tail, True)
HTML = TextLayout(report_html.html_head, report_html.html_empty, report_html.html_year, report_html.html_year_end,
                  report_html.html_entry, report_html.html_tail)
WRITERS = {".md": MARKDOWN, ".markdown": MARKDOWN, ".html": HTML, ".htm": HTML}


def write_layout(path: str | os.PathLike, layout: TextLayout, reader: EntryReader,
                 after_head: Sequence[str] = ()) -> Report:
    """Write the entries of `reader` in `layout` to `path`: the chronology, year by year, as it
    is read, then the title page (and `after_head`, such as a chart) before it. Returns the title page."""
    with atomic_path(path) as tmp, spool(path) as body:
        year = None
        for entry in reader:
            lines = []
            if entry.year != year:
                if year is not None:
                    lines += layout.year_end()
                lines += layout.year(entry.year)
                year = entry.year
            body.write(lines + layout.entry(entry))
        report = reader.report
        body.write(layout.year_end() if year is not None else layout.empty())
        body.write(layout.tail(report))
        with open(tmp, "wb") as out:
            out.write(("\n".join([*layout.head(report), *after_head]) + "\n").encode("utf-8"))
            body.copy_to(out, layout.strip_end)
    return report


def write_report(project, path: str | os.PathLike, selection: EventSelection | None = None,
                 progress: Callable[[float], None] | None = None,
                 cancelled: Callable[[], bool] | None = None, counts: str | None = None) -> ExportResult:
    """Write the report of `selection` to `path` as Markdown (.md) or HTML (.html); with `counts`
    (day, week, month or auto), the selected events per bin after the title page (a chart inline in
    HTML, a table in Markdown)."""
    path = Path(path)
    layout = WRITERS.get(path.suffix.lower())
    if layout is None:
        raise ExchangeError(f"a report is written as .md or .html here, not {path.suffix or 'a file without suffix'}")
    chart: list[str] = []
    if counts:
        from sijill.db.formats.selection import select_event_ids
        from sijill.db.timeline.counts_svg import counts_section

        kind = "html" if layout is WRITERS[".html"] else "md"
        chart = counts_section(project, select_event_ids(project, selection), counts, kind)
    report = write_layout(path, layout, EntryReader(project, selection, progress, cancelled), chart)
    return report.result(path)
