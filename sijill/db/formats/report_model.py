"""What a report says, whatever it is written as: its title page (`Report`) and its chronology
(`Entry`s, each an event with its footnotes, `Note`s).

The chronology is read, never held: `EntryReader` yields the selected events one `Entry` at a
time in chronological order (read in chunks by `export_events`), numbering the footnotes through
the whole document, and counts what it yields. The title page says how many events, citations and
flags the chronology holds, so writers lay the chronology out first (to a temporary file, or to
laid-out pages) and the title page once the reader is done (`EntryReader.report`): a 100,000-event
report needs the memory of one chunk of events, not of the report.

Contradicting evidence is flagged "⚠ contradicts" wherever it appears; an event that cites no
evidence is flagged "no evidence". Only http(s) URLs become links (`link_url`).
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sijill.db.dates import FuzzyDate
from sijill.db.formats.records import ExportCancelled
from sijill.db.formats.registry import ExportResult
from sijill.db.formats.selection import Citation, EventSelection, ExportEvent, export_events, select_event_ids

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
_WEB_URL = re.compile(r"https?://[^\s<>\"']+$", re.IGNORECASE)


def link_url(url: str | None) -> str | None:
    """`url` when it is a web address a reader may follow (http or https), else None."""
    if url and _WEB_URL.match(url.strip()):
        return url.strip()
    return None


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
    """The title page: what was selected, when, and the tally of the chronology."""

    title: str
    selection: str
    generated: datetime
    events: int = 0
    citations: int = 0
    contradicted: int = 0
    unsupported: int = 0
    first: FuzzyDate | None = None  # the earliest start of an event
    last: FuzzyDate | None = None   # the latest end (or start, for an event without an end)

    @property
    def span(self) -> str | None:
        """From the first event's start to the last one's end, normalised ("10 Jun 2014 – 7 Feb 2024")."""
        if self.first is None or self.last is None:
            return None
        a, b = self.first.display(), self.last.display()
        return a if a == b else f"{a} – {b}"

    @property
    def generated_text(self) -> str:
        return self.generated.astimezone(timezone.utc).strftime("%-d %B %Y, %H:%M UTC")

    def summary(self) -> str:
        """"126 events, 172 citations; 10 events contradicted, 2 without evidence"."""
        n = self.events
        text = f"{n} event{'s' if n != 1 else ''}, {self.citations} citation{'s' if self.citations != 1 else ''}"
        flags = []
        if self.contradicted:
            flags.append(f"{self.contradicted} with contradicting evidence")
        if self.unsupported:
            flags.append(f"{self.unsupported} without evidence")
        return text + ("; " + ", ".join(flags) if flags else "")

    def result(self, path: str | os.PathLike) -> ExportResult:
        note = None
        if not self.events:
            note = "no event matches the selection"
        elif self.unsupported or self.contradicted:
            note = self.summary().split("; ", 1)[1]
        return ExportResult(Path(path), {"events": self.events, "citations": self.citations}, note)


class EntryReader:
    """The selected events (in chronological order) as `Entry`s, read once by iterating; `progress`
    hears the fraction read, `cancelled()` turning true raises ExportCancelled. `report` is the
    title page of what has been read: read it after the iteration."""

    def __init__(self, project, selection: EventSelection | None = None,
                 progress: Callable[[float], None] | None = None,
                 cancelled: Callable[[], bool] | None = None,
                 generated: datetime | None = None) -> None:
        self.project = project
        self.selection = selection or EventSelection()
        self.ids = select_event_ids(project, self.selection)
        self.progress, self.cancelled = progress, cancelled
        self.generated = generated or datetime.now(timezone.utc)
        self._events = self._citations = self._contradicted = self._unsupported = 0
        self._first: FuzzyDate | None = None
        self._last: FuzzyDate | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[Entry]:
        total, number = len(self.ids), self._citations
        for n, event in enumerate(export_events(self.project, self.ids, attributes=False)):
            if n % PROGRESS_EVERY == 0:
                if self.cancelled is not None and self.cancelled():
                    raise ExportCancelled()
                if self.progress is not None and total:
                    self.progress(n / total)
            notes = tuple(Note(number + i, c) for i, c in enumerate(event.citations, 1))
            number += len(notes)
            self._count(event, notes)
            yield Entry(event, notes)
        if self.progress is not None:
            self.progress(1.0)

    def _count(self, event: ExportEvent, notes: tuple[Note, ...]) -> None:
        self._events += 1
        self._citations += len(notes)
        self._unsupported += not notes
        self._contradicted += event.contradicted
        if self._first is None or event.start.lo < self._first.lo:
            self._first = event.start
        end = event.end or event.start
        if self._last is None or end.hi > self._last.hi:
            self._last = end

    @property
    def report(self) -> Report:
        return Report(self.project.title, self.selection.describe(), self.generated, self._events,
                      self._citations, self._contradicted, self._unsupported, self._first, self._last)


def build_report(project, selection: EventSelection | None = None,
                 progress: Callable[[float], None] | None = None,
                 cancelled: Callable[[], bool] | None = None,
                 generated: datetime | None = None) -> tuple[Report, list[Entry]]:
    """The title page and every entry, held whole: for a small selection (a test, a preview)."""
    reader = EntryReader(project, selection, progress, cancelled, generated)
    entries = list(reader)
    return reader.report, entries
