"""Read ACLED's CSV export (the 31 columns of the 2023 codebook) as Sijill events.

- `event_date` as `2023-10-18` (the codebook) or `18 October 2023` (the export tool); with
  `time_precision` 1 that day, 2 the week around it (ACLED records the midpoint of the period:
  three days either side), 3 that month (ACLED records its midpoint).
- `actor1` is the actor, `actor2` the target, `assoc_actor_1`/`assoc_actor_2` (semicolon lists)
  are associated; the names go through the project's groups and aliases (`sijill.db.formats.actors`).
- `source` (a semicolon list of outlets) gives one source record per outlet, linked to the event
  as supporting evidence with the note "ACLED <event_id_cnty>": every imported event has evidence
  and says where it came from.
- `notes` is the description, whole; `event_id_cnty` is the key a re-import updates by;
  `fatalities`, `location`, `latitude`/`longitude`, `event_type`, `tags` land in the event's own
  fields and every other non-empty column (sub_event_type, admin1-3, geo_precision, …) in its
  attributes, so that nothing of the row is lost.
The title ACLED does not have is made from the sub-event type, place and actors.
"""
from __future__ import annotations

import hashlib
import re
from json.encoder import encode_basestring as _json_str
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sijill.db.dates import DateParseError, FuzzyDate, parse_fuzzy
from sijill.db.formats.records import EventRecord, ImportFailed, RowError, SourceRef, Unchanged
from sijill.db.formats.tabular import DelimitedFile
from sijill.db.text.rules import cells_clean

# ACLED's six event types (its codebook), offered where an event's type is typed.
ACLED_EVENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Protests",
                     "Riots", "Strategic developments")

FORMAT = "acled"
COLUMNS = ("event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
           "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
           "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
           "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
           "fatalities", "tags", "timestamp")
REQUIRED = ("event_id_cnty", "event_date", "event_type", "actor1")
# Columns that become the event's own fields; the rest go to its attributes.
_OWN = {"event_id_cnty", "event_date", "time_precision", "event_type", "actor1", "assoc_actor_1", "actor2",
        "assoc_actor_2", "location", "latitude", "longitude", "source", "notes", "fatalities", "tags"}
_UTC = timezone.utc
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTHS = {m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july",
                                       "august", "september", "october", "november", "december"), start=1)}
_WORDS_DAY = re.compile(r"^(\d{1,2}) ([A-Za-z]+) (\d{4})$")


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


class AcledReader:
    """Reads an ACLED export; `stored` (key -> digest of the last import) lets unchanged rows be
    skipped before their dates are read."""

    format = FORMAT

    def __init__(self, path: str | Path, stored: dict[str, str] | None = None) -> None:
        self.file = DelimitedFile(path)
        self.path = self.file.path
        self.stored = stored or {}
        header = self.file.header
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise ImportFailed(self.path, [RowError(1, c, "this ACLED column is missing from the header")
                                           for c in missing])
        self.index = {name: i for i, name in enumerate(header)}
        self._extra = [(_json_str(name), i) for i, name in enumerate(header) if name and name not in _OWN]
        self._at = {name: self.index.get(name, len(header)) for name in COLUMNS}
        self._dates: dict[tuple[str, str], FuzzyDate | str] = {}

    def fraction(self) -> float:
        return self.file.fraction()

    def estimated_rows(self) -> int:
        return self.file.estimated_rows()

    def actors(self) -> list[str]:
        """Every actor name in the file, in order of first appearance (one quick pass)."""
        cols = [self.index[c] for c in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2") if c in self.index]
        seen: dict[str, None] = {}
        for item in self.file.rows():
            if isinstance(item, RowError):
                break
            _, cells = item
            for i in cols:
                if i < len(cells) and cells[i]:
                    for name in _split(cells[i]):
                        seen.setdefault(name, None)
        return list(seen)

    # ---- rows ---------------------------------------------------------------------------------
    def records(self) -> Iterator[EventRecord | Unchanged | RowError]:
        seen_keys: dict[str, int] = {}
        index = self.index
        i_key = index["event_id_cnty"]
        for item in self.file.full_rows():
            if item.__class__ is RowError:
                yield item
                continue
            line, cells = item
            key = cells[i_key].strip()
            if not key:
                yield RowError(line, "event_id_cnty", "is empty: every ACLED event has an id")
                continue
            if key in seen_keys:
                yield RowError(line, "event_id_cnty", f"{key} appears twice (also on row {seen_keys[key]})")
                continue
            seen_keys[key] = line
            joined = "\x1f".join(cells)
            digest = hashlib.blake2b(joined.encode(), digest_size=12).hexdigest()
            if self.stored.get(key) == digest:
                yield Unchanged(key, line)
                continue
            found = self._record(line, cells, key, digest)
            if found.__class__ is list:
                yield from found
            else:
                found.checked = cells_clean(joined, len(cells) - 1)  # _record appended an empty cell
                yield found

    def _record(self, line: int, cells: list[str], key: str, digest: str) -> EventRecord | list[RowError]:
        """The event a row means, or every reason it has none. (A plain function with the
        columns' positions worked out once: at 100,000 rows each call saved counts.)"""
        at = self._at
        cells.append("")  # where a column the header lacks points
        errors: list[RowError] = []
        precision = cells[at["time_precision"]].strip() or "1"
        if precision not in ("1", "2", "3"):
            errors.append(RowError(line, "time_precision", f"must be 1, 2 or 3, not {precision!r}"))
            precision = "1"
        start = self._date(cells[at["event_date"]].strip(), precision)
        if start.__class__ is str:
            errors.append(RowError(line, "event_date", start))
        lat_text, lon_text = cells[at["latitude"]].strip(), cells[at["longitude"]].strip()
        latitude = _number(lat_text, -90, 90, line, "latitude", errors) if lat_text else None
        longitude = _number(lon_text, -180, 180, line, "longitude", errors) if lon_text else None
        if (latitude is None) != (longitude is None) and not (lat_text and lon_text):
            errors.append(RowError(line, "longitude" if not lon_text else "latitude",
                                   "is empty while the other coordinate is given"))
        fatalities = None
        text = cells[at["fatalities"]].strip()
        if text:
            if text.isascii() and text.isdigit():
                fatalities = int(text)
            else:
                errors.append(RowError(line, "fatalities", f"must be a whole number of 0 or more, not {text!r}"))
        actor1 = cells[at["actor1"]].strip()
        if not actor1:
            errors.append(RowError(line, "actor1", "is empty: every ACLED event has a first actor"))
        event_type = cells[at["event_type"]].strip()
        if not event_type:
            errors.append(RowError(line, "event_type", "is empty"))
        if errors:
            return errors
        actors = [(actor1, "actor")]
        actor2 = cells[at["actor2"]].strip()
        if actor2:
            actors.append((actor2, "target"))
        for column in ("assoc_actor_1", "assoc_actor_2"):
            assoc = cells[at[column]]
            if assoc:
                actors += [(name, "associated") for name in _split(assoc)]
        location = cells[at["location"]].strip() or None
        sub_type = cells[at["sub_event_type"]].strip() or event_type
        title = f"{sub_type} — {location}: {actor1}" if location else f"{sub_type}: {actor1}"
        if actor2:
            title += f" v. {actor2}"
        # The other columns, as a JSON object written directly (json.dumps per row cost ~0.6 s at 100k).
        pairs = [f'{name}:{_json_str(v)}' for name, i in self._extra if (v := cells[i]) and not v.isspace()]
        tags = cells[at["tags"]]
        outlets = cells[at["source"]]
        return EventRecord(
            title=title, start=start, description=cells[at["notes"]].strip() or None, actors=actors,
            tags=_split(tags) if tags else [], location=location, latitude=latitude, longitude=longitude,
            event_type=event_type, fatalities=fatalities, attributes="{" + ",".join(pairs) + "}" if pairs else None,
            sources=[SourceRef(o, o, None, None, "outlet") for o in _split(outlets)] if outlets else [],
            key=key, digest=digest, row=line)

    def _date(self, text: str, precision: str) -> FuzzyDate | str:
        """The date a row means, or the reason it has none (cached: a file repeats its dates)."""
        cache_key = (text, precision)
        found = self._dates.get(cache_key)
        if found is None:
            found = self._dates[cache_key] = _acled_date(text, precision)
        return found


def _day(text: str) -> datetime | str:
    m = _ISO_DAY.match(text)
    try:
        if m:
            return datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=_UTC)
        m = _WORDS_DAY.match(text)
        if m and m[2].lower() in _MONTHS:
            return datetime(int(m[3]), _MONTHS[m[2].lower()], int(m[1]), tzinfo=_UTC)
    except ValueError:
        return f"{text!r} is not a day of the calendar"
    if not text:
        return "is empty: every ACLED event has a date"
    try:
        d = parse_fuzzy(text, lang="en")
    except DateParseError:
        return f"{text!r} is not a date (expected 2023-10-18 or 18 October 2023)"
    if d.precision != "day" or d.lo.date() != d.hi.date():
        return f"{text!r} is not one day (expected 2023-10-18 or 18 October 2023)"
    return d.lo


def _acled_date(text: str, precision: str) -> FuzzyDate | str:
    day = _day(text)
    if isinstance(day, str):
        return day
    end_of = timedelta(hours=23, minutes=59, seconds=59)
    if precision == "1":
        return FuzzyDate(text, day, day + end_of, "day")
    if precision == "2":
        probe = FuzzyDate("", day - timedelta(days=3), day + timedelta(days=3) + end_of, "day")
        return FuzzyDate(probe.display(), probe.lo, probe.hi, "day")
    first = day.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return FuzzyDate(first.strftime("%Y-%m"), first, last + end_of, "month")


def _number(text: str, lo: float, hi: float, line: int, column: str, errors: list) -> float | None:
    try:
        value = float(text)
    except ValueError:
        errors.append(RowError(line, column, f"{text!r} is not a number"))
        return None
    if not lo <= value <= hi:
        errors.append(RowError(line, column, f"{value} is outside {lo:g}..{hi:g}"))
        return None
    return value
