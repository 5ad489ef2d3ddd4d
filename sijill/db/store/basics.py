"""Small things every part of the core shares: errors, identifiers, timestamps, date coercion."""
from __future__ import annotations

import json
import os
import sqlite3
import uuid
from datetime import datetime, timezone
from pathlib import Path

from sijill.db.dates import FuzzyDate, parse_fuzzy

DateLike = FuzzyDate | str

# What SQLite raises when a file cannot be read or written at all (the layers above db catch it by
# this name: only db imports sqlite3), and the version of the SQLite library in use.
StorageError = sqlite3.DatabaseError
SQLITE_VERSION = sqlite3.sqlite_version


class ProjectError(Exception):
    """A project file cannot be opened or an edit cannot be made; the message says why."""


class ReadOnlyError(ProjectError):
    """An edit was attempted on a project opened read-only."""


class LockedError(ProjectError):
    """An edit could not be made because another program holds the project's write lock (for
    longer than the busy timeout and the retries allow); nothing of it was written."""


class ConstraintError(ProjectError):
    """An edit would break one of the project file's own rules (a UNIQUE, FOREIGN KEY or CHECK
    constraint: e.g. a dataset row held by two events); nothing of it was written. `constraint`
    is SQLite's own words for the rule ("UNIQUE constraint failed: events.uid")."""

    def __init__(self, constraint: str) -> None:
        super().__init__(f"it would break a rule of the project file ({constraint}); nothing of it was written")
        self.constraint = constraint


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def new_uid() -> str:
    return str(uuid.uuid4())


def as_date(value: DateLike, reference: datetime | None = None) -> FuzzyDate:
    return value if isinstance(value, FuzzyDate) else parse_fuzzy(value, reference=reference)


def as_optional_date(value: DateLike | None) -> FuzzyDate | None:
    """`as_date` for a date that may be left out: None or an empty text means no date."""
    return None if value is None or value == "" else as_date(value)


def stored_date(text, lo, hi, precision, approximate=0, uncertain=0) -> FuzzyDate | None:
    """The date kept in a record's six date columns (text, bounds, precision, flags), or None when
    it has none."""
    if lo is None:
        return None
    return FuzzyDate.from_bounds(text, lo, hi, precision, bool(approximate), bool(uncertain))


def write_json(path: str | os.PathLike, doc: object) -> None:
    """Write `doc` as indented UTF-8 JSON next to `path`, then rename: a failed export never
    leaves half a file (or a truncated earlier export) behind."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
