"""TimelineJS 3: read its JSON and its Google-Sheet template (saved as CSV); write JSON it loads.

Reading (`TimelineJSReader`; JSON or sheet, decided by the file's first character):
- A date object's precision is its finest field: `year` alone is that year, `month` the month,
  `day` the day, `hour` the hour, `minute` (or `second`) the minute. Fields must be whole numbers
  (TimelineJS also takes them as strings, as sheets do); a gap (a day without a month), a value out
  of range (month 13, 31 February) or a year before 1 CE is an error: Sijill's dates are CE.
- `display_date` on a date object is read as the date as written when it means the same bounds
  and precision (so "c. 2014" keeps its text and its approximate flag); on a start date with an
  `end_date` that carries no text of its own, a text spanning both ("mid-October 2023") makes the
  event one fuzzy date with no end. The slide's own `display_date`, when it says something else
  than the dates, lands in the event's attributes.
- `text.headline` and `text.text` are HTML: tags are dropped, entities unescaped, paragraphs and
  line breaks kept as blank lines and newlines. A slide without a headline is titled by the first
  words of its text, else its display date, else "(untitled)".
- `group` is an actor (role "actor"), matched to the project's groups by name and alias; a
  `media.url` is a source (title: the caption, else the URL; outlet: the credit) linked as
  supporting evidence; `eras` are periods; the title slide is not imported.
- Identity: `unique_id` is the key a re-import updates by (and an unchanged slide, same JSON, is
  skipped). A UUID (what Sijill writes) is used as it is; any other id is only unique within its
  file ("slide-1"), so it is prefixed with the file's name. A slide without an id is keyed by its
  headline and start date.

Writing (`export_timelinejs`), following TimelineJS's loading rules: date objects hold only the
fields their precision knows (the start's earliest instant, the end's latest); a single fuzzy date
wider than its precision's unit ("mid-October 2023", a week) gets an `end_date` too; headlines and
texts, group labels and display dates are HTML-escaped (TimelineJS sets them all as HTML); each
slide's `unique_id` is the event's uid; `group` is the first actor group (else the first group);
`media` is the first cited source with an http(s) URL; periods are `eras`
(an open period ends where its start does). Written atomically.

What a round trip through TimelineJS keeps: titles, descriptions, bounds and precisions, date texts
and flags (when the text reads back to the same bounds), one group, periods (title, bounds,
description). What it loses: every group but one and all roles (the group comes back as an
actor), tags, location and coordinates, event type, fatalities, attributes, evidence beyond one
source (and that source's stance, grade, annotations and text), periods' colours, the analyst's
uids (imported events get new ones; the old uid is their re-import key), and date texts that do
not read back to the same bounds (relative phrases such as "last Saturday").
"""
from __future__ import annotations

import calendar
import hashlib
import html
import json
import os
import re
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

from sijill.db.store.basics import write_json
from sijill.db.dates import PRECISIONS, DateParseError, FuzzyDate, parse_fuzzy
from sijill.db.formats.native import NESTED_TOO_DEEPLY
from sijill.db.formats.records import (EventRecord, ExportCancelled, ImportFailed, PeriodRecord, RowError,
                                SourceRef, Unchanged, existing_file)
from sijill.db.formats.registry import ExportResult
from sijill.db.formats.report_model import link_url
from sijill.db.formats.selection import EventSelection, ExportEvent, export_events, select_event_ids
from sijill.db.formats.tabular import DelimitedFile

FORMAT = "timelinejs"
_FIELDS = ("year", "month", "day", "hour", "minute")  # the field that gives each of PRECISIONS
_UTC = timezone.utc
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$")
_MONTH_NAMES = tuple(calendar.month_name)[1:]


class _Bad(Exception):
    """One field of a slide is wrong: `field` is its path inside the slide ("start_date.year")."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


# ---- HTML <-> plain text ------------------------------------------------------------------------

_PARAGRAPH, _BREAK = "\x00", "\x01"
_BLOCKS = frozenset("p div li ul ol h1 h2 h3 h4 h5 h6 blockquote table tr section article header footer".split())


class _PlainText(HTMLParser):
    """Collects the text of an HTML fragment, marking paragraph ends and line breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        elif tag == "br":
            self.parts.append(_BREAK)
        elif tag in _BLOCKS:
            self.parts.append(_PARAGRAPH)

    def handle_endtag(self, tag) -> None:
        if tag in ("script", "style"):
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append(_PARAGRAPH)

    def handle_data(self, data) -> None:
        if not self.hidden:
            self.parts.append(data.replace(_PARAGRAPH, "").replace(_BREAK, ""))


def plain_text(fragment: str) -> str:
    """The text an HTML fragment shows: paragraphs separated by a blank line, <br> as a newline,
    other white space collapsed as a browser does."""
    parser = _PlainText()
    parser.feed(fragment)
    parser.close()
    text = re.sub(r"\s+", " ", "".join(parser.parts))
    paragraphs = (re.sub(f" ?{_BREAK} ?", "\n", p).strip() for p in text.split(_PARAGRAPH))
    return "\n\n".join(p for p in paragraphs if p)


def html_paragraphs(text: str | None) -> str:
    """Plain text as escaped HTML: blank-line-separated paragraphs as <p>, newlines as <br>."""
    if not text or not text.strip():
        return ""
    return "".join(f"<p>{html.escape(p.strip()).replace(chr(10), '<br>')}</p>"
                   for p in re.split(r"\n\s*\n", text.strip()) if p.strip())


def _one_line(fragment) -> str:
    return " ".join(plain_text(fragment).split()) if isinstance(fragment, str) else ""


# ---- dates ------------------------------------------------------------------------------------

def _unit(year: int, month: int | None = None, day: int | None = None, hour: int | None = None,
          minute: int | None = None) -> tuple[datetime, datetime, str]:
    """The earliest and latest instants of the unit the fields name, and its precision."""
    if month is None:
        return datetime(year, 1, 1, tzinfo=_UTC), datetime(year, 12, 31, 23, 59, 59, tzinfo=_UTC), "year"
    if day is None:
        last = calendar.monthrange(year, month)[1]
        return (datetime(year, month, 1, tzinfo=_UTC), datetime(year, month, last, 23, 59, 59, tzinfo=_UTC),
                "month")
    if hour is None:
        return (datetime(year, month, day, tzinfo=_UTC), datetime(year, month, day, 23, 59, 59, tzinfo=_UTC),
                "day")
    if minute is None:
        return (datetime(year, month, day, hour, tzinfo=_UTC),
                datetime(year, month, day, hour, 59, 59, tzinfo=_UTC), "hour")
    return (datetime(year, month, day, hour, minute, tzinfo=_UTC),
            datetime(year, month, day, hour, minute, 59, tzinfo=_UTC), "minute")


def _whole(value, field: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise _Bad(field, f"is {json.dumps(value)}, not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+(\.0*)?\s*", value):
        return int(float(value))
    raise _Bad(field, f"is {json.dumps(value, ensure_ascii=False)}, not a whole number")


def _components(obj, name: str) -> FuzzyDate:
    """A TimelineJS date object as a FuzzyDate whose text is the ISO form of its fields."""
    if not isinstance(obj, dict):
        raise _Bad(name, f"must be an object such as {{\"year\": 2023}}, not {json.dumps(obj, ensure_ascii=False)}")
    v = {f: _whole(obj.get(f), f"{name}.{f}") for f in (*_FIELDS, "second")}
    year = v["year"]
    if year is None:
        raise _Bad(f"{name}.year", "is missing: every TimelineJS date has a year")
    if year < 1:
        raise _Bad(f"{name}.year", f"{year} is a year before the Common Era: Sijill's dates are CE (years 1 to 9999)")
    if year > 9999:
        raise _Bad(f"{name}.year", f"{year} is after 9999: Sijill's dates have four-digit years")
    fields = (*_FIELDS, "second")
    for coarse, fine in zip(fields, fields[1:]):
        if v[coarse] is None and v[fine] is not None:
            raise _Bad(f"{name}.{fine}", f"is given without a {coarse}")
    month, day = v["month"], v["day"]
    if month is not None and not 1 <= month <= 12:
        raise _Bad(f"{name}.month", f"{month} is not a month (1 to 12)")
    if day is not None:
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            raise _Bad(f"{name}.day", f"{day} {_MONTH_NAMES[month - 1]} {year} is not a day of the calendar "
                                      f"({_MONTH_NAMES[month - 1]} {year} has {days} days)")
    for field, top in (("hour", 23), ("minute", 59), ("second", 59)):
        if v[field] is not None and not 0 <= v[field] <= top:
            raise _Bad(f"{name}.{field}", f"{v[field]} is outside 0..{top}")
    lo, hi, precision = _unit(year, month, day, v["hour"], v["minute"])
    return FuzzyDate(_iso_text(lo, precision), lo, hi, precision)


def _iso_text(dt: datetime, precision: str) -> str:
    text = f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T{dt.hour:02d}:{dt.minute:02d}"
    return text[:{"year": 4, "month": 7, "day": 10, "hour": 13, "minute": 16}[precision]]


def _written(text) -> FuzzyDate | None:
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return parse_fuzzy(html.unescape(text).strip())
    except (DateParseError, ValueError, OverflowError):
        return None


def _same(a: FuzzyDate, b: FuzzyDate) -> bool:
    return (a.lo, a.hi, a.precision) == (b.lo, b.hi, b.precision)


def _dates(slide: dict, where: str) -> tuple[FuzzyDate, FuzzyDate | None]:
    """The start and end a slide (or era) means; `where` names it in error messages."""
    if slide.get("start_date") in (None, "", {}):
        raise _Bad("start_date", f"is missing: {where} has no date (TimelineJS would skip it)")
    start = _components(slide["start_date"], "start_date")
    raw_end = slide.get("end_date")
    end = None if raw_end in (None, "", {}) else _components(raw_end, "end_date")
    if end is not None and end.hi < start.lo:
        raise _Bad("end_date", f"{end.text} is before the start, {start.text}")
    if end is not None and _same(start, end):
        end = None
    start_text = slide["start_date"].get("display_date")
    end_text = raw_end.get("display_date") if end is not None else None
    written = _written(start_text)
    if written is not None and (written.lo, written.precision) == (start.lo, start.precision):
        if end is not None and not end_text and written.hi == end.hi:
            start, end = written, None  # one fuzzy date wider than its precision's unit
        elif written.hi == start.hi or (end is not None and start.hi <= written.hi <= end.hi):
            start = written
    if end is not None:
        written = _written(end_text)
        if (written is not None and (written.hi, written.precision) == (end.hi, end.precision)
                and start.lo <= written.lo <= end.lo):
            end = written
    return start, end


# ---- reading ----------------------------------------------------------------------------------

class TimelineJSReader:
    """Reads a TimelineJS 3 JSON file or its Google-Sheet template saved as CSV (see the module's
    docstring). `stored` (key -> digest of the last import) lets unchanged slides be skipped."""

    format = FORMAT
    # What a slide cannot say: an event it updates (our own export read back) keeps its own.
    keeps = ("location", "coordinates", "event_type", "fatalities", "tags", "attributes", "groups", "evidence")

    def __init__(self, path: str | os.PathLike, stored: dict[str, str] | None = None) -> None:
        self.path = existing_file(path)
        self.stored = stored or {}
        with open(self.path, "rb") as fh:
            head = fh.read(1 << 12).decode("utf-8-sig", errors="ignore").lstrip()
        self._done = 0
        self._sheet: DelimitedFile | None = None
        if head.startswith(("{", "[")):
            self.eras, self.slides = self._load_json()
            self._total = max(len(self.slides), 1)
        else:
            self._sheet = DelimitedFile(self.path)
            self._columns = {h.casefold(): i for i, h in enumerate(self._sheet.header)}
            missing = [c for c in ("Year", "Headline") if c.casefold() not in self._columns]
            if missing:
                raise ImportFailed(self.path, [RowError(1, c, "this TimelineJS sheet column is missing from the "
                                                        "header (is the file JSON or the sheet saved as CSV?)")
                                               for c in missing])
            self.eras = self.slides = None

    def _load_json(self) -> tuple[list, list]:
        try:
            with open(self.path, encoding="utf-8-sig") as fh:
                doc = json.load(fh)
        except UnicodeDecodeError as exc:
            raise ImportFailed(self.path, [RowError(None, None, f"not UTF-8 text (byte {exc.start})")]) from exc
        except json.JSONDecodeError as exc:
            raise ImportFailed(self.path, [RowError(
                None, None, f"not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")]) from exc
        except RecursionError:
            raise ImportFailed(self.path, [RowError(None, None, f"not JSON Sijill can read: {NESTED_TOO_DEEPLY}")]) \
                from None
        if not isinstance(doc, dict):
            raise ImportFailed(self.path, [RowError(None, None, "is not a TimelineJS timeline: its top level is "
                                                    f"a {type(doc).__name__}, not an object with \"events\"")])
        problems = []
        if "events" not in doc:
            problems.append(RowError(None, "events", "is missing: a TimelineJS timeline is an object with a list "
                                                     "of \"events\""))
        elif not isinstance(doc["events"], list):
            problems.append(RowError(None, "events", f"must be a list of slides, not {_kind(doc['events'])}"))
        eras = doc.get("eras")
        if eras is not None and not isinstance(eras, list):
            problems.append(RowError(None, "eras", f"must be a list of eras, not {_kind(eras)}"))
        if problems:
            raise ImportFailed(self.path, problems)
        return eras or [], doc["events"]

    def fraction(self) -> float:
        if self._sheet is not None:
            return self._sheet.fraction()
        return min(1.0, self._done / self._total)

    def actors(self) -> list[str]:
        """Every group the slides name, in order of first appearance."""
        seen: dict[str, None] = {}
        for _, _, kind, slide in self._slides():
            if kind == "event" and isinstance(slide, dict):
                name = _one_line(slide.get("group"))
                if name:
                    seen.setdefault(name, None)
        return list(seen)

    def _slides(self) -> Iterator[tuple[int | None, Callable[[str], str], str, object]]:
        """(row, field -> column label, kind, slide) for eras first, then the rest: JSON objects as
        read, sheet rows turned into the same objects. `kind` is "era", "title" or "event"; a
        sheet row that cannot be turned into a slide comes as a RowError."""
        if self._sheet is None:
            for i, era in enumerate(self.eras):
                yield i + 1, (lambda f, i=i: f"eras[{i}].{f}".rstrip(".")), "era", era
            for i, slide in enumerate(self.slides):
                self._done = i
                yield i + 1, (lambda f, i=i: f"events[{i}].{f}".rstrip(".")), "event", slide
            self._done = len(self.slides)
            return
        eras, others = [], []
        for item in self._sheet.rows():
            if isinstance(item, RowError):
                others.append((item.row, _sheet_column, "event", item))
                break
            line, cells = item
            try:
                slide = self._sheet_slide(cells)
            except _Bad as bad:
                others.append((line, _sheet_column, "event", RowError(line, _sheet_column(bad.field), bad.message)))
                continue
            kind = {"era": "era", "title": "title"}.get(slide.pop("type"), "event")
            (eras if kind == "era" else others).append((line, _sheet_column, kind, slide))
        yield from eras
        yield from others

    def _sheet_slide(self, cells: list[str]) -> dict:
        def cell(name: str) -> str:
            i = self._columns.get(name.casefold())
            return cells[i].strip() if i is not None and i < len(cells) else ""

        def date(prefix: str) -> dict:
            obj = {"year": cell(f"{prefix}Year"), "month": _month_cell(cell(f"{prefix}Month"), f"{prefix}Month"),
                   "day": cell(f"{prefix}Day")}
            obj.update(_time_cell(cell(f"{prefix}Time"), f"{prefix}Time"))
            return {k: v for k, v in obj.items() if v not in ("", None)}

        return {"start_date": date(""), "end_date": date("End "), "display_date": cell("Display Date"),
                "text": {"headline": cell("Headline"), "text": cell("Text")},
                "media": {"url": cell("Media"), "caption": cell("Media Caption"), "credit": cell("Media Credit")},
                "group": cell("Group"), "type": cell("Type").casefold(), "_row": "\x1f".join(cells)}

    def records(self) -> Iterator[EventRecord | PeriodRecord | Unchanged | RowError]:
        keys: dict[str, int] = {}
        derived: dict[str, int] = {}
        for row, label, kind, slide in self._slides():
            if isinstance(slide, RowError):
                yield slide
                continue
            if not isinstance(slide, dict):
                yield RowError(row, label(""), f"must be an object, not {_kind(slide)}")
                continue
            try:
                if kind == "title":
                    continue
                if kind == "era":
                    yield self._period(slide)
                    continue
                record = self._event(slide, row)
            except _Bad as bad:
                yield RowError(row, label(bad.field), bad.message)
                continue
            unique_id = slide.get("unique_id")
            if isinstance(unique_id, (str, int)) and not isinstance(unique_id, bool) and str(unique_id).strip():
                unique_id = str(unique_id).strip()
                if _UUID.match(unique_id):  # a UUID is one whatever the case of its letters
                    unique_id = unique_id.lower()
                if unique_id in keys:
                    yield RowError(row, label("unique_id"), f"{unique_id!r} is also the id of slide {keys[unique_id]}")
                    continue
                keys[unique_id] = row
                if _UUID.match(unique_id):  # our own export: the event it came from, updated in place
                    record.key = record.uid = unique_id
                else:
                    record.key = f"{self.path.name}#{unique_id}"
            else:
                key = f"{record.title}|{record.start.lo.isoformat()}"
                derived[key] = derived.get(key, 0) + 1
                record.key = key if derived[key] == 1 else f"{key}#{derived[key]}"
            if self.stored.get(record.key) == record.digest:
                yield Unchanged(record.key, row)
            else:
                yield record

    def _period(self, era: dict) -> PeriodRecord:
        start, end = _dates(era, "this era")
        text = era.get("text") if isinstance(era.get("text"), dict) else {}
        title = _one_line(text.get("headline")) or _one_line(era.get("display_date")) or "(untitled era)"
        description = plain_text(text["text"]) if isinstance(text.get("text"), str) else ""
        return PeriodRecord(title=title, start=start, end=end, description=description or None)

    def _event(self, slide: dict, row: int | None) -> EventRecord:
        start, end = _dates(slide, "this slide")
        text = slide.get("text") if isinstance(slide.get("text"), dict) else {}
        if "text" in slide and not isinstance(slide["text"], dict):
            raise _Bad("text", f"must be an object with \"headline\" and \"text\", not {_kind(slide['text'])}")
        description = plain_text(text["text"]) if isinstance(text.get("text"), str) else ""
        shown = html.unescape(slide["display_date"]) if isinstance(slide.get("display_date"), str) else ""
        title = _one_line(text.get("headline")) or _first_words(description) or shown.strip() or "(untitled)"
        attributes = {}
        ours = start.text + (f" – {end.text}" if end is not None else "")
        if shown.strip() and shown.strip() != ours:
            attributes["display_date"] = shown.strip()
        sources = []
        media = slide.get("media")
        if isinstance(media, dict) and isinstance(media.get("url"), str) and media["url"].strip():
            url = media["url"].strip()
            if _URL.match(url):
                sources.append(SourceRef(title=_one_line(media.get("caption")) or url, url=url,
                                         outlet=_one_line(media.get("credit")) or None))
            else:  # an embed code (a tweet's <blockquote>, an <iframe>): kept, not a source
                attributes["media"] = url
        group = _one_line(slide.get("group"))
        raw = slide.pop("_row", None)
        digest = hashlib.blake2b((raw if raw is not None else json.dumps(slide, sort_keys=True, ensure_ascii=False))
                                 .encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()  # a lone
        # surrogate (JSON's "\ud800") is refused by run_import's text check, naming its field
        return EventRecord(title=title, start=start, end=end, description=description or None,
                           actors=[(group, "actor")] if group else [], sources=sources,
                           attributes=attributes or None, digest=digest, row=row)


def _kind(value) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true or false", type(None): "null"}.get(
        type(value), "a number")


def _first_words(text: str, count: int = 10) -> str:
    words = text.split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


_SHEET_FIELDS = {"year": "Year", "month": "Month", "day": "Day", "hour": "Time", "minute": "Time", "second": "Time"}


def _sheet_column(field: str) -> str:
    """The sheet column a slide field comes from ("end_date.month" -> "End Month")."""
    part, _, sub = field.partition(".")
    if part in ("start_date", "end_date"):
        name = _SHEET_FIELDS.get(sub, "Year")
        return name if part == "start_date" else f"End {name}"
    return {"text": "Headline", "media": "Media", "group": "Group", "unique_id": "Unique ID"}.get(part, field)


def _month_cell(text: str, column: str) -> str:
    if not text or re.fullmatch(r"\d+(\.0*)?", text):
        return text
    for i, name in enumerate(_MONTH_NAMES, start=1):
        if name.casefold().startswith(text.casefold().rstrip(".")) and len(text.rstrip(".")) >= 3:
            return str(i)
    raise _Bad(f"{'end_date' if column.startswith('End') else 'start_date'}.month",
               f"{text!r} is not a month (1 to 12 or its English name)")


def _time_cell(text: str, column: str) -> dict:
    """A sheet's Time cell ("14:30", "2:30 PM", "14:30:05") as hour, minute and second fields."""
    if not text:
        return {}
    m = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*([AaPp])?\.?\s*(?:[Mm]\.?)?", text)
    side = "end_date" if column.startswith("End") else "start_date"
    if not m or (m[4] and not 1 <= int(m[1]) <= 12):
        raise _Bad(f"{side}.hour", f"{text!r} is not a time of day (expected 14:30 or 2:30 PM)")
    hour = int(m[1])
    if m[4]:
        hour = hour % 12 + (12 if m[4] in "Pp" else 0)
    out = {"hour": hour}
    if m[2]:
        out["minute"] = int(m[2])
    if m[3]:
        out["second"] = int(m[3])
    return out


# ---- writing ----------------------------------------------------------------------------------

def _fields(dt: datetime, precision: str, at_end: bool) -> tuple[dict, str]:
    """The date object for instant `dt` (an earliest or, `at_end`, latest bound): the fields of
    `precision`, or of a finer one when `dt` is not where a unit of `precision` starts (ends)."""
    dt = dt.astimezone(_UTC)
    used = PRECISIONS[-1]
    for p in PRECISIONS[PRECISIONS.index(precision):]:
        n = PRECISIONS.index(p) + 1
        lo, hi, _ = _unit(*(getattr(dt, f) for f in _FIELDS[:n]))
        if (hi if at_end else lo) == dt:
            used = p
            break
    return {f: getattr(dt, f) for f in _FIELDS[:PRECISIONS.index(used) + 1]}, used


def _date_text(d: FuzzyDate) -> str:
    """A date as written, HTML-escaped: TimelineJS sets display dates as HTML."""
    return html.escape(d.text.strip() or d.display())


def _date_objects(start: FuzzyDate, end: FuzzyDate | None) -> tuple[dict, dict | None]:
    first, used = _fields(start.lo, start.precision, False)
    first["display_date"] = _date_text(start)
    if end is not None:
        last, _ = _fields(end.hi, end.precision, True)
        last["display_date"] = _date_text(end)
        return first, last
    n = PRECISIONS.index(used) + 1
    if _unit(*(first[f] for f in _FIELDS[:n]))[1] != start.hi.astimezone(_UTC):
        return first, _fields(start.hi, start.precision, True)[0]  # no text: it is the same date
    return first, None


def event_slide(e: ExportEvent) -> dict:
    """One event as a TimelineJS slide."""
    start_date, end_date = _date_objects(e.start, e.end)
    slide: dict = {"start_date": start_date}
    if end_date is not None:
        slide["end_date"] = end_date
    slide["display_date"] = _date_text(e.start) + (f" – {_date_text(e.end)}" if e.end is not None else "")
    slide["text"] = {"headline": html.escape(e.title), "text": html_paragraphs(e.description)}
    group = next(iter(e.groups_in("actor")), None) or (e.groups[0][0] if e.groups else None)
    if group:
        slide["group"] = html.escape(group)  # TimelineJS sets the group's label as HTML
    slide["unique_id"] = e.uid
    # Only a web address: TimelineJS sets a media URL that holds "iframe" or "blockquote" as HTML.
    cited = next((c for c in e.citations if link_url(c.url)), None)
    if cited is not None:
        slide["media"] = {"url": link_url(cited.url), "caption": html.escape(cited.source_title)}
        if cited.outlet:
            slide["media"]["credit"] = html.escape(cited.outlet)
    return slide


def era(period) -> dict:
    """A period as a TimelineJS era: start, end (an open period ends where its start does) and text."""
    start_date, end_date = _date_objects(period.start, period.end)
    if end_date is None:
        end_date = _fields(period.start.hi, period.start.precision, True)[0]
    return {"start_date": start_date, "end_date": end_date,
            "text": {"headline": html.escape(period.title), "text": html_paragraphs(period.description)}}


def export_timelinejs(project, path: str | os.PathLike, selection: EventSelection | None = None,
                      progress: Callable[[float], None] | None = None,
                      cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """Write the selected events (all when `selection` is None) and the periods they overlap as a
    TimelineJS 3 JSON file, atomically."""
    path = Path(path)
    ids = select_event_ids(project, selection)
    events, seen = [], set()
    for n, event in enumerate(export_events(project, ids, attributes=False), start=1):
        slide = event_slide(event)
        if slide["unique_id"] in seen:  # uids are unique in a project; kept so for TimelineJS regardless
            del slide["unique_id"]
        seen.add(slide.get("unique_id"))
        events.append(slide)
        if n % 500 == 0:
            if cancelled is not None and cancelled():
                raise ExportCancelled()
            if progress is not None:
                progress(n / len(ids))
    lo, hi = (selection or EventSelection()).bounds()
    eras = [era(p) for p in project.periods()
            if (lo is None or (p.end or p.start).hi_ts >= lo) and (hi is None or p.start.lo_ts <= hi)]
    about = selection.describe() if selection is not None else "all events"
    doc = {"title": {"text": {"headline": html.escape(project.title), "text": html_paragraphs(about)}},
           "events": events}
    if eras:
        doc["eras"] = eras
    if cancelled is not None and cancelled():
        raise ExportCancelled()
    write_json(path, doc)
    if progress is not None:
        progress(1.0)
    return ExportResult(path, {"events": len(events), "eras": len(eras)})
