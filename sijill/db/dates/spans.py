"""What reading a date produces on the way to a FuzzyDate, and the calendar arithmetic that builds it.

`_Span` is a date's bounds as naive UTC datetimes; `_Reading` one date or a range's two ends; `_Ctx`
what a phrase is read against; `_Unread` why a piece of text is not a date (the grammar tries the next
form, and the best reason becomes the DateParseError's message). The builders (`_days`, `_months`,
`_years`, `_season`, `_at`) turn calendar values into spans, refusing impossible ones ("day 31 is not
in April 2023") and years outside 0001-9999. Package-private: the names stay underscored.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from sijill.db.dates import words as W
from sijill.db.dates.value import _EOD, _month_days


class _Unread(Exception):
    """Why a piece of text is not a date. `rank` 2: a form matched but a value is impossible."""

    def __init__(self, reason: str, rank: int = 2) -> None:
        super().__init__(reason)
        self.reason, self.rank = reason, rank


@dataclass(frozen=True)
class _Span:
    """Bounds as naive UTC datetimes, with precision and flags."""

    lo: datetime
    hi: datetime
    precision: str
    approximate: bool = False
    uncertain: bool = False


@dataclass(frozen=True)
class _Ctx:
    """What a phrase is read against: the reference day and, inside a range, what the other end lends."""

    ref: date
    year: int | None = None
    month: int | None = None
    before: datetime | None = None
    day: date | None = None


@dataclass(frozen=True)
class _Reading:
    """One date, or the two ends of a range with where each sits in the text (`second` None: open end)."""

    first: _Span
    second: _Span | None = None
    cuts: tuple[int, int, int, int] | None = None


def _date(y: int, m: int, d: int) -> date:
    if not 1 <= y <= 9999:
        raise _Unread(f"year {y} is outside 0001–9999")
    if not 1 <= m <= 12:
        raise _Unread(f"month {m} does not exist")
    if not 1 <= d <= _month_days(y, m):
        raise _Unread(f"day {d} is not in {W.MONTH_NAMES['en'][m - 1]} {y}")
    return date(y, m, d)


def _days(d0: date, d1: date | None = None, approximate: bool = False) -> _Span:
    return _Span(datetime.combine(d0, time()), datetime.combine(d1 or d0, _EOD), "day", approximate)


def _months(y0: int, m0: int, y1: int, m1: int, precision: str = "month",
             approximate: bool = False) -> _Span:
    last = _date(y1, m1, 1)
    span = _days(_date(y0, m0, 1), last.replace(day=_month_days(y1, m1)))
    return replace(span, precision=precision, approximate=approximate)


def _years(y0: int, y1: int, approximate: bool = False) -> _Span:
    return _months(y0, 1, y1, 12, "year", approximate)


def _season(year: int, name: str) -> _Span:
    last = date(year, W.SEASON_START[name], 1) + relativedelta(months=2)
    return _months(year, W.SEASON_START[name], last.year, last.month)


_CLOCK = (r"[0-9]{1,2}(?::[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?(?:\s?[ap]\.?m(?!\w)\.?)?"
          r"|\s?h(?:\s?[0-9]{2})?|\s?[ap]\.?m(?!\w)\.?)(?:\s?(?:utc|gmt|z))?")
_CLOCK_PARTS = re.compile(r"(?P<h>[0-9]{1,2})(?::(?P<m>[0-9]{2})(?::[0-9]{2}(?:[.,][0-9]+)?)?"
                          r"|\s?h(?:\s?(?P<hm>[0-9]{2}))?)?\s?(?:(?P<ap>[ap])\.?m\.?)?(?:\s?(?:utc|gmt|z))?")


def _clock(text: str) -> tuple[int, int | None]:
    m = _CLOCK_PARTS.fullmatch(text)
    if not m:
        raise _Unread(f"{text!r} is not a clock time", 1)
    hour, minute = int(m["h"]), m["m"] or m["hm"]
    if m["ap"]:
        if not 1 <= hour <= 12:
            raise _Unread(f"{hour} {m['ap']}m is not an hour")
        hour = hour % 12 + (12 if m["ap"] == "p" else 0)
    if hour > 23 or (minute is not None and int(minute) > 59):
        raise _Unread(f"{text.strip()} is not a time of day")
    return hour, None if minute is None else int(minute)


def _at(day: date, hour: int, minute: int | None, offset: int = 0) -> _Span:
    lo = datetime.combine(day, time(hour, minute or 0)) - timedelta(minutes=offset)
    if minute is None:
        return _Span(lo, lo + timedelta(minutes=59, seconds=59), "hour")
    return _Span(lo, lo + timedelta(seconds=59), "minute")


def _offset(tz: str | None) -> int:
    if tz is None or tz in ("z", "utc"):
        return 0
    hours, minutes = int(tz[1:3]), int(tz[3:].lstrip(":") or 0)
    if hours > 23 or minutes > 59:
        raise _Unread(f"{tz} is not a time zone offset")
    return (hours * 60 + minutes) * (-1 if tz[0] == "-" else 1)

