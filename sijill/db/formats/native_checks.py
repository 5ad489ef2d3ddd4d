"""Checks of one record of a native document (see db.formats.native), field by field: `Reader` reads
a record's fields, each of the type and within the limits the format and the project allow (texts
clean and not too long, whole numbers that fit in 64 bits, dates whose text agrees with their bounds,
nesting at most `MAX_DEPTH` deep), and raises NativeImportError naming the record and the field.
Pass one of an import (db.formats.native_import) reads every record through it before anything is
written. `get` is called millions of times for 100,000 events: its usual case comes first.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sijill.db.dates import PRECISIONS, DateParseError, FuzzyDate, parse_fuzzy
from sijill.db.formats.native import NativeImportError
from sijill.db.text.rules import NAME_MAX, NOTE_MAX, field_problem, text_problem

INT64 = range(-(1 << 63), 1 << 63)  # what SQLite stores as an integer
MAX_DEPTH = 8  # lists and objects inside a record: the format needs 3 (an event's evidence items' fields)


class Reader:
    """Reads fields of one record, raising NativeImportError that names record and field."""

    def __init__(self, where: str, record: Any, inside: bool = False) -> None:
        """`inside`: a part of a record already read (its nesting checked with the record's)."""
        if not isinstance(record, dict):
            raise NativeImportError(f"{where}: expected an object, found {type(record).__name__}")
        self.where = where
        self.record = record
        for name, value in () if inside else record.items():
            if isinstance(value, (dict, list)) and not _shallow(value, MAX_DEPTH - 1):
                raise self.fail(name, f"is nested more than {MAX_DEPTH} levels deep (the format needs 3)")

    def fail(self, name: str, message: str) -> NativeImportError:
        return NativeImportError(f"{self.where}, field '{name}': {message}")

    def get(self, name: str, kind: type | tuple = str, required: bool = False, default: Any = None) -> Any:
        value = self.record.get(name)
        if type(value) is kind and not required:  # the usual case, first (millions of calls at 100k events)
            if kind is str and not (len(value) <= NAME_MAX and value.isprintable()):  # else surely clean
                problem = field_problem(name, value)
                if problem:
                    raise self.fail(name, problem)
            elif kind is int and value not in INT64:
                raise self.fail(name, _too_big(value))
            return value
        if value is None:
            if required:
                raise self.fail(name, "is missing")
            return default
        if isinstance(value, int) and not isinstance(value, bool) and value not in INT64:
            raise self.fail(name, _too_big(value))
        if isinstance(value, str):
            problem = field_problem(name, value)
            if problem:
                raise self.fail(name, problem)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            raise self.fail(name, f"expected {names}, found {type(value).__name__} {value!r}")
        if required and kind is str and not value.strip():
            raise self.fail(name, "is empty")
        return value

    def strings(self, name: str) -> list[str]:
        """A list of texts (tags), stripped, empty ones left out; anything else in it is an error."""
        values = self.get(name, list, default=[])
        for j, value in enumerate(values):
            if not isinstance(value, str):
                raise self.fail(name, f"item {j} should be a text, found {type(value).__name__} {value!r}")
            problem = text_problem(value, NAME_MAX)
            if problem:
                raise self.fail(name, f"item {j} {problem}")
        return [v.strip() for v in values if v.strip()]

    def date(self, name: str, required: bool = False) -> FuzzyDate | None:
        value = self.record.get(name)
        if value in (None, ""):
            if required:
                raise self.fail(name, "is missing")
            return None
        text = value.get("text") if isinstance(value, dict) else value
        if isinstance(text, str):
            problem = text_problem(text, NAME_MAX)
            if problem:
                raise self.fail(name, f"the date's text {problem}")
        try:
            if isinstance(value, str):
                return parse_fuzzy(value)
            if isinstance(value, dict):
                lo, hi = _utc(value["lo"]), _utc(value["hi"])
                if value.get("precision") not in PRECISIONS:
                    raise ValueError(f"unknown precision {value.get('precision')!r}")
                if lo > hi:
                    raise ValueError("lo is after hi")
                if text is not None and not isinstance(text, str):
                    raise ValueError(f"its text is {type(text).__name__} {text!r}, not a text")
                text = text or ""
                contradiction = _contradiction(text, lo, hi)
                if contradiction:
                    raise self.fail(name, contradiction)
                return FuzzyDate(text, lo, hi, value["precision"],
                                 bool(value.get("approximate")), bool(value.get("uncertain")))
        except DateParseError as exc:
            raise self.fail(name, str(exc)) from exc
        except (KeyError, TypeError, ValueError) as exc:
            raise self.fail(name, f"not a date ({exc})") from exc
        raise self.fail(name, f"expected a date text or object, found {type(value).__name__}")


_REFERENCES = (datetime(2001, 3, 7, tzinfo=timezone.utc), datetime(2037, 9, 21, tzinfo=timezone.utc))


def _contradiction(text: str, lo: datetime, hi: datetime) -> str | None:
    """Why a date's text contradicts its bounds (it reads as a time outside them), or None. A text
    the date reader cannot read is kept as written, and so is one that depends on the date it was
    read against ("last Saturday", "18 October": read against two far-apart references, it moves):
    neither can be checked. A text that reads as a wider or narrower time overlapping the bounds
    is no contradiction (ACLED's "the week around" a day, bounds moved by whole units)."""
    if not text.strip():
        return None
    try:
        read = parse_fuzzy(text, reference=_REFERENCES[0])
        if read.hi >= lo and read.lo <= hi:
            return None
        again = parse_fuzzy(text, reference=_REFERENCES[1])
    except (DateParseError, ValueError, OverflowError):
        return None
    if (again.lo, again.hi) != (read.lo, read.hi):
        return None
    return (f"its text {text!r} reads as {read.lo.isoformat()} – {read.hi.isoformat()}, outside its bounds "
            f"{lo.isoformat()} – {hi.isoformat()}")


def _too_big(value: int) -> str:
    digits = len(str(abs(value))) if abs(value) < 10 ** 4000 else "thousands of"
    return f"a whole number of {digits} digits does not fit in 64 bits"


def texts_problem(value: object) -> str | None:
    """The first text (key or value) of free-form data (an event's attributes) that breaks the rules."""
    if type(value) is dict:  # the usual flat object of short printable texts is surely clean
        try:
            keys, values = "".join(value), "".join(value.values())
        except TypeError:  # a value that is not text: the walk below
            pass
        else:
            if len(keys) + len(values) <= NAME_MAX and keys.isprintable() and values.isprintable():
                return None
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item, NOTE_MAX)
            if problem:
                return f"a text {problem}"
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None  # numbers of any size are kept: attributes are stored as JSON text


def _shallow(value: dict | list, levels: int) -> bool:
    """Whether `value` holds lists and objects at most `levels` deep below it (recursion is
    bounded by `levels`; a value of scalars, the usual case, is one pass)."""
    nested = [c for c in (value.values() if type(value) is dict else value) if isinstance(c, (dict, list))]
    if not nested:
        return True
    return levels > 0 and all(_shallow(c, levels - 1) for c in nested)


def _utc(text: str) -> datetime:
    """A bound as written; one without an offset is UTC (as exports write it), not the local time."""
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)

