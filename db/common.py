"""Small things every part of the core shares: errors, identifiers, timestamps, date coercion."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from db.dates import FuzzyDate, parse_fuzzy

DateLike = FuzzyDate | str


class ProjectError(Exception):
    """A project file cannot be opened or an edit cannot be made; the message says why."""


class ReadOnlyError(ProjectError):
    """An edit was attempted on a project opened read-only."""


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def new_uid() -> str:
    return str(uuid.uuid4())


def as_date(value: DateLike, reference: datetime | None = None) -> FuzzyDate:
    return value if isinstance(value, FuzzyDate) else parse_fuzzy(value, reference=reference)


def as_optional_date(value: DateLike | None) -> FuzzyDate | None:
    """`as_date` for a date that may be left out: None or an empty text means no date."""
    return None if value is None or value == "" else as_date(value)
