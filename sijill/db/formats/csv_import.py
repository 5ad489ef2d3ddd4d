"""Read a CSV file of any layout as events, its columns mapped to Sijill's fields.

A mapping says, for each column, which field it fills (`FIELDS`); "" ignores the column and
"attribute" keeps it whole in the event's attributes under the column's name. Without a mapping
the columns are guessed from their names (`guess_mapping`: "Date", "event_date" and "start" all
mean the start). The mapping the analyst chose for a header is remembered in the project (meta
key `import.csv_map.<digest of the header>`), so the same spreadsheet maps itself next time.

Dates are read by the date reader, in any form it understands ("18 October 2023", "2023-10",
"mid-October 2023", "le 1er janvier 2024"). When the file also has the bounds and precision that
Sijill's own CSV export writes, they win over the text: a round trip keeps every date exactly.
Cells that our CSV export neutralised against spreadsheet formulas ('=…) are read back without
the apostrophe.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from sijill.db.dates import PRECISIONS, DateParseError, FuzzyDate, parse_fuzzy
from sijill.db.formats.records import EventRecord, ImportFailed, RowError, SourceRef, Unchanged
from sijill.db.formats.tabular import DelimitedFile

FORMAT = "csv"
ROLE_FIELDS = {"actor": "actor", "target": "target", "associated": "associated", "mentioned": "mentioned"}
FIELDS = ("", "title", "start", "end", "description", "actor", "target", "associated", "mentioned", "tags",
          "location", "latitude", "longitude", "event_type", "fatalities", "source_url", "source_title",
          "outlet", "key", "uid", "start_lo", "start_hi", "end_lo", "end_hi", "precision", "end_precision",
          "approximate", "uncertain", "attribute")
FIELD_LABELS = {"": "(ignore)", "title": "Title", "start": "Date / start", "end": "End date",
                "description": "Description", "actor": "Groups: actor", "target": "Groups: target",
                "associated": "Groups: associated", "mentioned": "Groups: mentioned", "tags": "Tags",
                "location": "Location", "latitude": "Latitude", "longitude": "Longitude",
                "event_type": "Event type", "fatalities": "Fatalities", "source_url": "Source URL",
                "source_title": "Source title", "outlet": "Source outlet", "key": "Dataset id (updates on re-import)",
                "uid": "Sijill uid", "start_lo": "Start: earliest (ISO)", "start_hi": "Start: latest (ISO)",
                "end_lo": "End: earliest (ISO)", "end_hi": "End: latest (ISO)", "precision": "Start precision",
                "end_precision": "End precision", "approximate": "Approximate (yes/no)",
                "uncertain": "Uncertain (yes/no)", "attribute": "Keep as attribute"}
_GUESSES = {
    "title": ("title", "headline", "event", "name", "event title", "summary title"),
    "start": ("start", "date", "start date", "event date", "when", "from", "begin", "start_date", "event_date"),
    "end": ("end", "end date", "to", "until", "end_date"),
    "description": ("description", "notes", "text", "details", "summary", "note"),
    "actor": ("actor", "actors", "actor1", "group", "groups", "perpetrator", "perpetrators", "by"),
    "target": ("target", "targets", "actor2", "victim", "against"),
    "associated": ("associated", "assoc actor 1", "assoc_actor_1", "allies"),
    "mentioned": ("mentioned",),
    "tags": ("tags", "tag", "labels", "keywords"),
    "location": ("location", "place", "city", "town", "site"),
    "latitude": ("latitude", "lat", "y"),
    "longitude": ("longitude", "lon", "lng", "long", "x"),
    "event_type": ("type", "event type", "event_type", "category", "kind"),
    "fatalities": ("fatalities", "deaths", "killed", "casualties"),
    "source_url": ("url", "link", "source url", "source_url", "urls", "source urls"),
    "source_title": ("source title", "source_title", "article"),
    "outlet": ("source", "outlet", "publisher", "sources", "outlets"),
    "key": ("id", "key", "event id", "event_id", "ref", "reference"),
    "uid": ("uid", "uuid"),
    "start_lo": ("start earliest", "start_earliest", "start_lo"),
    "start_hi": ("start latest", "start_latest", "start_hi"),
    "end_lo": ("end earliest", "end_earliest", "end_lo"),
    "end_hi": ("end latest", "end_latest", "end_hi"),
    "precision": ("precision", "start precision", "start_precision"),
    "end_precision": ("end precision", "end_precision"),
    "approximate": ("approximate",),
    "uncertain": ("uncertain",),
    "": ("evidence", "evidence count", "evidence_count", "grades", "summaries", "contradicted", "date as written",
         "display date"),
}
_BY_NAME = {alias: field for field, aliases in _GUESSES.items() for alias in aliases}
_YES = {"1", "yes", "true", "y", "oui", "x"}
_UTC = timezone.utc
MAP_PREFIX = "import.csv_map."


def _norm(name: str) -> str:
    return " ".join(re.sub(r"[_\-.]+", " ", name.strip().lower()).split())


def guess_mapping(header: list[str]) -> dict[str, str]:
    """column -> field from the columns' names; unknown columns are kept as attributes. A field
    other than the role lists, tags and attribute is given to its first column only."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for column in header:
        field = _BY_NAME.get(_norm(column), _BY_NAME.get(column.strip().lower(), "attribute"))
        if field in taken and field not in ("attribute", "", "tags", *ROLE_FIELDS):
            field = "attribute"
        taken.add(field)
        mapping[column] = field
    return mapping


def header_key(header: list[str]) -> str:
    return MAP_PREFIX + hashlib.blake2b("\x1f".join(header).encode(), digest_size=8).hexdigest()


def remembered_mapping(project, header: list[str]) -> dict[str, str] | None:
    """The mapping last chosen for this exact header, if any (and still valid for it)."""
    text = project.get_meta(header_key(header))
    if not text:
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict) or set(data) != set(header) or not set(data.values()) <= set(FIELDS):
        return None
    return data


def remember_mapping(project, header: list[str], mapping: dict[str, str]) -> None:
    project.set_meta(header_key(header), json.dumps(mapping, ensure_ascii=False))


def parse_mapping_options(options: list[str], header: list[str]) -> dict[str, str]:
    """`--map COLUMN=FIELD` options applied over the guess; errors name the bad option."""
    mapping = guess_mapping(header)
    for option in options:
        column, sep, field = option.partition("=")
        column, field = column.strip(), field.strip()
        if not sep:
            raise ImportFailed("--map", [RowError(None, None, f"{option!r} is not COLUMN=FIELD")])
        if column not in header:
            raise ImportFailed("--map", [RowError(None, column, f"no such column (columns: {', '.join(header)})")])
        if field not in FIELDS:
            raise ImportFailed("--map", [RowError(None, column, f"unknown field {field!r} (fields: "
                                                   f"{', '.join(f for f in FIELDS if f)}, or empty to ignore)")])
        mapping[column] = field
    return mapping


def _list(cell: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;|]", cell) if part.strip()]


def _utc(text: str) -> datetime:
    """An ISO time; one without a zone is UTC, as the bounds Sijill writes are (not the local time)."""
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=_UTC) if moment.tzinfo is None else moment.astimezone(_UTC)


def _unquote(cell: str) -> str:
    """A cell without the apostrophe our export puts before formula-like text."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@\t\r":
        return cell[1:]
    return cell


class CsvReader:
    """Reads a CSV file with a column -> field mapping (guessed when None)."""

    format = FORMAT

    def __init__(self, path: str | Path, stored: dict[str, str] | None = None,
                 mapping: dict[str, str] | None = None) -> None:
        self.file = DelimitedFile(path)
        self.path = self.file.path
        self.header = self.file.header
        self.stored = stored or {}
        self.mapping = dict(mapping) if mapping is not None else guess_mapping(self.header)
        unknown = [f for f in self.mapping.values() if f not in FIELDS]
        if unknown:
            raise ImportFailed(self.path, [RowError(1, None, f"unknown field {unknown[0]!r} in the mapping")])
        fields = list(self.mapping.values())
        problems = []
        if "title" not in fields:
            problems.append(RowError(1, None, "no column is mapped to the title"))
        if "start" not in fields and "start_lo" not in fields:
            problems.append(RowError(1, None, "no column is mapped to the date (start)"))
        if problems:
            raise ImportFailed(self.path, problems)
        self._dates: dict[str, FuzzyDate | str] = {}
        # The mapping is part of what a row means: read under another mapping, an unchanged row is a
        # changed event (a column the analyst now maps must reach the events a first import wrote).
        self._salt = json.dumps(sorted(self.mapping.items()), ensure_ascii=False) + "\x1e"
        # An event a row updates (found by its uid or dataset id) keeps what no column of the file
        # says, and a source it cites already is not cited twice (see db.formats.apply.Reader).
        mapped = set(fields)
        self.keeps = tuple(["evidence"] + [name for name, wanted in (
            ("location", {"location"}), ("coordinates", {"latitude", "longitude"}), ("event_type", {"event_type"}),
            ("fatalities", {"fatalities"}), ("tags", {"tags"}), ("attributes", {"attribute"}),
            ("groups", set(ROLE_FIELDS))) if not mapped & wanted])

    def fraction(self) -> float:
        return self.file.fraction()

    def estimated_rows(self) -> int:
        return self.file.estimated_rows()

    def preview(self, n: int = 20) -> list[list[str]]:
        out = []
        for item in self.file.rows():
            if isinstance(item, RowError) or len(out) >= n:
                break
            out.append(item[1])
        return out

    def actors(self) -> list[str]:
        cols = [i for i, c in enumerate(self.header) if self.mapping.get(c) in ROLE_FIELDS]
        seen: dict[str, None] = {}
        for item in self.file.rows():
            if isinstance(item, RowError):
                break
            for i in cols:
                if i < len(item[1]):
                    for name in _list(item[1][i]):
                        seen.setdefault(name, None)
        return list(seen)

    def records(self) -> Iterator[EventRecord | Unchanged | RowError]:
        columns = [(i, c, self.mapping.get(c, "")) for i, c in enumerate(self.header)]
        seen_keys: dict[str, int] = {}
        seen_uids: dict[str, int] = {}
        for item in self.file.full_rows():
            if item.__class__ is RowError:
                yield item
                continue
            line, cells = item
            values: dict[str, str] = {}
            actors: list[tuple[str, str]] = []
            tags: list[str] = []
            attributes: dict[str, str] = {}
            for (i, column, field), cell in zip(columns, cells):
                cell = _unquote(cell.strip())
                if not field or not cell:
                    continue
                if field in ROLE_FIELDS:
                    actors += [(name, ROLE_FIELDS[field]) for name in _list(cell)]
                elif field == "tags":
                    tags += _list(cell)
                elif field == "attribute":
                    attributes[_unquote(column)] = cell
                else:
                    values.setdefault(field, cell)
                    values.setdefault(f"@{field}", column)
            key = values.get("key") or values.get("uid")
            if key is not None:
                if key in seen_keys:
                    yield RowError(line, values.get("@key") or values.get("@uid"),
                                   f"{key!r} appears twice (also on row {seen_keys[key]})")
                    continue
                seen_keys[key] = line
            uid = values.get("uid")
            if uid is not None:  # one event per uid, whatever the dataset id beside it (UUIDs ignore case)
                folded = uid.lower()
                if folded in seen_uids:
                    yield RowError(line, values["@uid"], f"{uid!r} appears twice (also on row {seen_uids[folded]})")
                    continue
                seen_uids[folded] = line
            digest = hashlib.blake2b((self._salt + "\x1f".join(cells)).encode(), digest_size=12).hexdigest()
            if key is not None and self.stored.get(key) == digest:
                yield Unchanged(key, line)
                continue
            yield from self._record(line, values, actors, tags, attributes, key, digest)

    def _record(self, line, values, actors, tags, attributes, key, digest):
        errors: list[RowError] = []

        def col(field: str) -> str:
            return values.get(f"@{field}", field)

        title = values.get("title")
        if not title:
            errors.append(RowError(line, col("title"), "is empty: every event needs a title"))
        start = self._date(values, "start", "start_lo", "start_hi", "precision", line, errors, required=True)
        end = self._date(values, "end", "end_lo", "end_hi", "end_precision", line, errors, required=False)
        if isinstance(start, FuzzyDate) and isinstance(end, FuzzyDate) and end.hi < start.lo:
            errors.append(RowError(line, col("end"), f"{end.text!r} is before the start {start.text!r}"))
        latitude = self._number(values, "latitude", -90, 90, line, errors)
        longitude = self._number(values, "longitude", -180, 180, line, errors)
        if (latitude is None) != (longitude is None) and not errors:
            missing = "longitude" if longitude is None else "latitude"
            errors.append(RowError(line, col(missing) if f"@{missing}" in values else missing,
                                   "is empty while the other coordinate is given"))
        fatalities = None
        if "fatalities" in values:
            text = values["fatalities"]
            if text.isascii() and text.isdigit():
                fatalities = int(text)
            else:
                errors.append(RowError(line, col("fatalities"), f"must be a whole number of 0 or more, not {text!r}"))
        uid = values.get("uid")
        if uid is not None and not re.fullmatch(r"[0-9a-fA-F-]{32,36}", uid):
            errors.append(RowError(line, col("uid"), f"{uid!r} is not a UUID"))
        if errors:
            yield from errors
            return
        sources = []
        urls = _list(values.get("source_url", "")) if values.get("source_url") else []
        outlets = _list(values.get("outlet", "")) if values.get("outlet") else []
        for url in urls:
            sources.append(SourceRef(title=values.get("source_title") or url, outlet=outlets[0] if len(outlets) == 1 else None,
                                     url=url))
        if not urls:
            if values.get("source_title"):
                sources.append(SourceRef(title=values["source_title"], outlet=outlets[0] if outlets else None))
            else:
                sources += [SourceRef(title=o, outlet=o, kind="outlet") for o in outlets]
        yield EventRecord(
            title=title, start=start, end=end, description=values.get("description"), actors=actors, tags=tags,
            location=values.get("location"), latitude=latitude, longitude=longitude,
            event_type=values.get("event_type"), fatalities=fatalities, attributes=attributes or None,
            sources=sources, key=key, digest=digest, uid=uid, row=line)

    def _date(self, values, text_field, lo_field, hi_field, precision_field, line, errors, required):
        text = values.get(text_field)
        lo_text, hi_text = values.get(lo_field), values.get(hi_field)
        where = values.get(f"@{text_field}", text_field)
        if lo_text and hi_text:  # the exact bounds Sijill's export writes
            try:
                lo, hi = _utc(lo_text), _utc(hi_text)
            except ValueError:
                errors.append(RowError(line, values.get(f"@{lo_field}", lo_field), f"{lo_text!r} / {hi_text!r} are not ISO times"))
                return None
            precision = values.get(precision_field, "day")
            if precision not in PRECISIONS or hi < lo:
                errors.append(RowError(line, values.get(f"@{precision_field}", precision_field),
                                       f"bounds {lo_text}–{hi_text} with precision {precision!r} are not a date"))
                return None
            flags = (values.get("approximate", "").lower() in _YES, values.get("uncertain", "").lower() in _YES)
            if text_field == "end":  # no flag columns: the text's own, when it reads to these bounds
                flags = (False, False)
                written = self._dates.get(text) if text else None
                if written is None and text:  # read once per text, as dates written as text are
                    try:
                        written = self._dates[text] = parse_fuzzy(text)
                    except DateParseError as exc:
                        written = self._dates[text] = str(exc)
                if isinstance(written, FuzzyDate) and (written.lo, written.hi) == (lo, hi) \
                        and written.precision == precision:
                    flags = (written.approximate, written.uncertain)
            return FuzzyDate(text or lo.date().isoformat(), lo, hi, precision, *flags)
        if not text:
            if required:
                errors.append(RowError(line, where, "is empty: every event needs a date"))
            return None
        found = self._dates.get(text)
        if found is None:
            try:
                found = parse_fuzzy(text)
            except DateParseError as exc:
                found = str(exc)
            self._dates[text] = found
        if isinstance(found, str):
            errors.append(RowError(line, where, found))
            return None
        if text_field == "start":  # the flag columns say what the text may not ("c.", "?")
            approximate = found.approximate or values.get("approximate", "").lower() in _YES
            uncertain = found.uncertain or values.get("uncertain", "").lower() in _YES
            if (approximate, uncertain) != (found.approximate, found.uncertain):
                found = replace(found, approximate=approximate, uncertain=uncertain)
        return found

    @staticmethod
    def _number(values, field, lo, hi, line, errors) -> float | None:
        text = values.get(field)
        if text is None:
            return None
        try:
            value = float(text.replace(",", ".")) if text.count(",") == 1 and "." not in text else float(text)
        except ValueError:
            errors.append(RowError(line, values.get(f"@{field}", field), f"{text!r} is not a number"))
            return None
        if not lo <= value <= hi:
            errors.append(RowError(line, values.get(f"@{field}", field), f"{value} is outside {lo:g}..{hi:g}"))
            return None
        return value
