"""Read the `.timeline` files of the Timeline application (thetimelineproj) as Sijill records.

The file is XML: `<timeline>` with `version`, `timetype`, `eras/era`, `categories/category`,
`events/event` and `view`. It is parsed with defusedxml: a file that declares entities (the
"billion laughs" bomb, or an external entity such as file:///etc/passwd) or refers to an outside
document is refused, never expanded or fetched; malformed XML is reported with its line and column.
Only `gregoriantime` timelines are read (a `numtime` timeline counts in numbers, not dates).

- categories become groups (created unless a group of that name exists), parents before their
  children, `r,g,b` colours as #rrggbb; eras become periods (with their colour).
- an event's `start`/`end` ("2023-10-17 00:00:00"; Timeline's older files do not pad: "2010-8-31 0:0:0")
  is a day when its time is 00:00:00 (and, for the end, 23:59:59 as well), else a minute
  (seconds are dropped). An end equal to the start is no end; so is a milestone's.
  `fuzzy` makes both dates approximate (`fuzzy_start`/`fuzzy_end` one each).
- `category` (and a newer file's `categories/category` list) names the event's actor groups;
  `labels` (comma-separated) are tags; `hyperlink` (one URL, or several separated by ";") is a source
  linked as supporting evidence; `description` is kept whole. A container's "[1]" and a
  sub-event's "(1)" prefix are taken off the text; a sub-event keeps its container's name, and an
  event that "ends today" says so, in its attributes.
- Identity: Timeline has no ids, so an event's re-import key is its text and start
  ("Tower 22 attack|2024-01-28T05:30:00", with "#2", "#3" for repeats in one file): re-importing
  the same file updates (or, with the same XML, skips) what the last import wrote, but an event
  whose text or start was edited in Timeline comes back as a new event beside the old one.

Lost on import: icons, alerts, progress, `default_color` and font colours, `locked`, the view
(displayed period, hidden categories), seconds, and which events a container holds (beyond the name).
"""
from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError, tostring

import defusedxml.ElementTree as SafeET
from defusedxml.common import (DefusedXmlException, DTDForbidden, EntitiesForbidden,
                               ExternalReferenceForbidden)

from sijill.db.dates import FuzzyDate
from sijill.db.formats.records import (EventRecord, GroupRecord, ImportFailed, PeriodRecord, RowError, SourceRef,
                                Unchanged, existing_file)

FORMAT = "timeline-xml"
_UTC = timezone.utc
_TIME = re.compile(r"^\s*([+-]?\d{1,5})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?\s*$")
_COLOR = re.compile(r"^\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*$")
_CONTAINER = re.compile(r"^\[(-?\d*)\]")
_SUBEVENT = re.compile(r"^\((-?\d*)\)")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$")
_END_OF_DAY = timedelta(hours=23, minutes=59, seconds=59)


class _Bad(Exception):
    """One field of one element is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def parse_timeline_file(path: Path) -> Element:
    """The root element of `path`, parsed with entities, DTD fetching and external references
    refused; ImportFailed says why a file is refused or where it is malformed."""
    def failed(message):
        return ImportFailed(path, [RowError(None, None, message)])

    try:
        return SafeET.parse(str(path), forbid_dtd=False, forbid_entities=True, forbid_external=True).getroot()
    except EntitiesForbidden as exc:
        what = f"the external entity {exc.name!r} ({exc.sysid})" if exc.sysid else f"the entity {exc.name!r}"
        raise failed(f"refused: the file declares {what}. XML entities can expand to gigabytes "
                           "(\"billion laughs\") or read other files; a Timeline file never has them") from exc
    except ExternalReferenceForbidden as exc:
        raise failed(f"refused: the file refers to an outside document ({exc.sysid or exc.pubid}); "
                           "nothing outside the file is read") from exc
    except DTDForbidden as exc:
        raise failed("refused: the file has a document type declaration (DTD)") from exc
    except DefusedXmlException as exc:
        raise failed(f"refused: {exc}") from exc
    except ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(": line")[0]
        raise failed(f"malformed XML at line {line}, column {column + 1}: {reason}") from exc
    except UnicodeDecodeError as exc:
        raise failed(f"not text in the encoding it declares (byte {exc.start})") from exc


def _time(raw: str | None, field: str, *, end: bool, approximate: bool) -> tuple[datetime, FuzzyDate]:
    """A Timeline time as the instant written and the Sijill date it stands for."""
    text = (raw or "").strip()
    m = _TIME.match(text)
    if not m:
        raise _Bad(field, f"{text!r} is not a Timeline time (expected 2023-10-17 00:00:00)"
                   if text else "is missing")
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in m.groups())
    if year < 1:
        raise _Bad(field, f"{text!r} is a year before the Common Era: Sijill's dates are CE (years 1 to 9999)")
    if year > 9999:
        raise _Bad(field, f"{text!r} is after the year 9999")
    try:
        instant = datetime(year, month, day, hour, minute, second, tzinfo=_UTC)
    except ValueError as exc:
        reason = f"there is no month {month}" if not 1 <= month <= 12 else str(exc)
        raise _Bad(field, f"{text!r} is not a time of the calendar ({reason})") from exc
    clock = (hour, minute, second)
    if clock == (0, 0, 0) or (end and clock == (23, 59, 59)):
        lo = instant.replace(hour=0, minute=0, second=0)
        return instant, FuzzyDate(f"{year:04d}-{month:02d}-{day:02d}", lo, lo + _END_OF_DAY, "day", approximate)
    lo = instant.replace(second=0)
    return instant, FuzzyDate(f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}", lo,
                              lo + timedelta(seconds=59), "minute", approximate)


def _color(raw: str | None, field: str) -> str | None:
    if raw is None or not raw.strip():
        return None
    m = _COLOR.match(raw)
    if not m or any(int(c) > 255 for c in m.groups()):
        raise _Bad(field, f"{raw.strip()!r} is not a colour (expected r,g,b with each 0 to 255)")
    return "#" + "".join(f"{int(c):02x}" for c in m.groups())


def _flag(el: Element, name: str) -> bool:
    return (el.findtext(name) or "").strip().lower() == "true"


def _text(el: Element, name: str) -> str:
    return (el.findtext(name) or "").strip()


class TimelineXmlReader:
    """Reads a Timeline `.timeline` file (see the module's docstring); `stored` (key -> digest of
    the last import) lets unchanged events be skipped."""

    format = FORMAT
    # What a Timeline event cannot say: an event it updates keeps what the analyst gave it since.
    keeps = ("location", "coordinates", "event_type", "fatalities")

    def __init__(self, path: str | os.PathLike, stored: dict[str, str] | None = None) -> None:
        self.path = existing_file(path)
        self.stored = stored or {}
        root = parse_timeline_file(self.path)
        if root.tag != "timeline":
            raise ImportFailed(self.path, [RowError(None, None, f"is not a Timeline file: its root element is "
                                                    f"<{root.tag}>, not <timeline>")])
        timetype = _text(root, "timetype") or "gregoriantime"
        if timetype != "gregoriantime":
            raise ImportFailed(self.path, [RowError(None, "timetype", f"is {timetype!r}: this timeline counts in "
                                                    "numbers, not dates; Sijill reads gregoriantime timelines")])
        self.categories = root.findall("categories/category")
        self.eras = root.findall("eras/era")
        self.events = root.findall("events/event")
        self._done = 0

    def fraction(self) -> float:
        return min(1.0, self._done / max(len(self.events), 1))

    def actors(self) -> list[str]:
        """The categories the events are in, in order of first appearance."""
        seen: dict[str, None] = {}
        for el in self.events:
            for name in _categories(el):
                seen.setdefault(name, None)
        return list(seen)

    def records(self) -> Iterator[GroupRecord | PeriodRecord | EventRecord | Unchanged | RowError]:
        yield from self._groups()
        for i, el in enumerate(self.eras, start=1):
            where = f"eras/era[{i}]"
            try:
                yield self._period(el, where)
            except _Bad as bad:
                yield RowError(i, f"{where}/{bad.field}", bad.message)
        containers = {}
        for el in self.events:
            m = _CONTAINER.match(el.findtext("text") or "")
            if m:
                containers[m[1]] = (el.findtext("text") or "")[m.end():].strip()
        keys: dict[str, int] = {}
        for i, el in enumerate(self.events, start=1):
            self._done = i - 1
            where = f"events/event[{i}]"
            try:
                record = self._event(el, i, containers)
            except _Bad as bad:
                yield RowError(i, f"{where}/{bad.field}".rstrip("/"), bad.message)
                continue
            keys[record.key] = keys.get(record.key, 0) + 1
            if keys[record.key] > 1:
                record.key = f"{record.key}#{keys[record.key]}"
            if self.stored.get(record.key) == record.digest:
                yield Unchanged(record.key, i)
            else:
                yield record
        self._done = len(self.events)

    def _groups(self) -> Iterator[GroupRecord | RowError]:
        """Categories as groups, each after its parent."""
        found: dict[str, tuple[int, GroupRecord]] = {}
        for i, el in enumerate(self.categories, start=1):
            where = f"categories/category[{i}]"
            name = _text(el, "name")
            if not name:
                yield RowError(i, f"{where}/name", "is empty: every category has a name")
                continue
            try:
                color = _color(el.findtext("color"), "color")
            except _Bad as bad:
                yield RowError(i, f"{where}/{bad.field}", bad.message)
                continue
            found.setdefault(name, (i, GroupRecord(name=name, parent=_text(el, "parent") or None, color=color)))
        done: set[str] = set()
        for name, (i, group) in found.items():
            chain, current = [], group
            while current is not None and current.name not in done:
                if current.name in (g.name for g in chain):
                    yield RowError(i, f"categories/category[{i}]/parent",
                                   f"{name!r} is its own ancestor ({' > '.join(g.name for g in chain)})")
                    return
                chain.append(current)
                parent = current.parent
                if parent is not None and parent not in found:
                    j = found[current.name][0]
                    yield RowError(j, f"categories/category[{j}]/parent",
                                   f"names {parent!r}, a category the file does not define")
                    return
                current = found[parent][1] if parent is not None else None
            for g in reversed(chain):
                done.add(g.name)
                yield g

    def _period(self, el: Element, where: str) -> PeriodRecord:
        name = _text(el, "name")
        if not name:
            raise _Bad("name", "is empty: every era has a name")
        start_at, start = _time(el.findtext("start"), "start", end=False, approximate=False)
        end_at, end = _time(el.findtext("end"), "end", end=True, approximate=False)
        if end_at < start_at:
            raise _Bad("end", f"{end.text} is before the start, {start.text}")
        if end_at == start_at or (end.lo, end.hi) == (start.lo, start.hi):
            end = None
        return PeriodRecord(title=name, start=start, end=end, color=_color(el.findtext("color"), "color"))

    def _event(self, el: Element, index: int, containers: dict[str, str]) -> EventRecord:
        text = el.findtext("text") or ""
        attributes = {}
        container = _CONTAINER.match(text)
        subevent = None if container else _SUBEVENT.match(text)
        if container:
            text = text[container.end():]
        elif subevent:
            text = text[subevent.end():]
            if containers.get(subevent[1]):
                attributes["container"] = containers[subevent[1]]
        elif text[:2] in (" (", " ["):  # Timeline adds a space before a plain text that looks like a prefix
            text = text[1:]
        title = " ".join(text.split())
        fuzzy = _flag(el, "fuzzy")
        start_at, start = _time(el.findtext("start"), "start", end=False,
                                approximate=fuzzy or _flag(el, "fuzzy_start"))
        end = None
        if not _flag(el, "milestone") and el.find("end") is not None:
            end_at, end = _time(el.findtext("end"), "end", end=True, approximate=fuzzy or _flag(el, "fuzzy_end"))
            if end_at < start_at:
                raise _Bad("end", f"{end.text} is before the start, {start.text}")
            if end_at == start_at or (end.lo, end.hi) == (start.lo, start.hi):
                end = None
        if _flag(el, "ends_today"):
            attributes["ends_today"] = "yes: the end is when the file was last saved"
        description = (el.findtext("description") or "").strip() or None
        if not title:
            words = (description or "").split()
            title = " ".join(words[:10]) + (" …" if len(words) > 10 else "") if words else "(untitled)"
        try:
            raw = tostring(el, encoding="utf-8")
        except RecursionError:  # ElementTree writes an element back recursively: a hostile file
            raise _Bad("", "nested too deeply (elements inside each other more than a thousand levels down)") \
                from None
        link = _text(el, "hyperlink")
        parts = [p for p in re.split(r"[;\s]+", link) if p]
        urls = parts if parts and all(_URL.match(p) for p in parts) else ([link] if link else [])
        return EventRecord(
            title=title, start=start, end=end, description=description,
            actors=[(name, "actor") for name in _categories(el)],
            tags=[t.strip() for t in (el.findtext("labels") or "").split(",") if t.strip()],
            sources=[SourceRef(title=url, url=url) for url in urls], attributes=attributes or None,
            key=f"{title}|{start_at.isoformat()}",
            digest=hashlib.blake2b(raw, digest_size=12).hexdigest(), row=index)


def _categories(el: Element) -> list[str]:
    names = [_text(el, "category")] + [(c.text or "").strip() for c in el.findall("categories/category")]
    return list(dict.fromkeys(n for n in names if n))
