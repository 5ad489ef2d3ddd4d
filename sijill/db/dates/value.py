"""The value type of `sijill.db.dates`: FuzzyDate, its English labels, and the errors of reading.

A FuzzyDate keeps the text as written, its inclusive UTC bounds, a precision and two flags;
`FuzzyDate.display` names the bounds in English ("Oct 2023", "c. mid-Oct 2023", "16–22 Oct 2023?"),
in words that `parse_fuzzy` reads back to the same bounds and flags. The month names come from the
word tables (`words.MONTH_NAMES`), the one place they are spelled.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Callable

from sijill.db.dates import words as W

PRECISIONS = ("year", "month", "day", "hour", "minute")

_UTC = timezone.utc
_EOD = time(23, 59, 59)
_ABBR = tuple(name[:3] for name in W.MONTH_NAMES["en"])
_THIRD_DAYS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
_THIRD_MONTHS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
_THIRD_YEARS = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}
_THIRD_WORDS = {"early": "early {}", "mid": "mid-{}", "late": "late {}"}


class DateParseError(ValueError):
    """The text could not be read as a date; the message says what was not understood."""


@dataclass(frozen=True)
class FuzzyDate:
    """A date as written, with inclusive UTC bounds `lo` <= `hi` and the precision the text gives."""

    text: str
    lo: datetime
    hi: datetime
    precision: str
    approximate: bool = False
    uncertain: bool = False

    @property
    def lo_ts(self) -> int:
        return int(self.lo.timestamp())

    @property
    def hi_ts(self) -> int:
        return int(self.hi.timestamp())

    @classmethod
    def from_bounds(cls, text: str, lo_ts: int, hi_ts: int, precision: str,
                    approximate: bool = False, uncertain: bool = False) -> "FuzzyDate":
        """Rebuild a stored date from its row values (seconds since the epoch, UTC)."""
        return cls(text, datetime.fromtimestamp(lo_ts, timezone.utc),
                   datetime.fromtimestamp(hi_ts, timezone.utc), precision, approximate, uncertain)

    def display(self) -> str:
        """English text for the bounds ("Oct 2023", "c. mid-Oct 2023", "16–22 Oct 2023?").

        `parse_fuzzy` reads it back to the same bounds and flags for every date it can produce.
        """
        lo = self.lo.astimezone(_UTC).replace(tzinfo=None)
        hi = self.hi.astimezone(_UTC).replace(tzinfo=None)
        text, says_approximate = _label(lo, hi, self.approximate)
        if self.approximate and not says_approximate:
            text = "c. " + text
        return text + "?" if self.uncertain else text


def _day_text(d: date) -> str:
    return f"{d.day} {_ABBR[d.month - 1]} {d.year:04d}"


def _month_days(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _label(lo: datetime, hi: datetime, approximate: bool) -> tuple[str, bool]:
    """A phrase for [lo, hi], and whether the phrase itself says "approximately" (early/mid/late)."""
    midnight, end_of_day = lo.time() == time(), hi.time() == _EOD
    if midnight and end_of_day and (lo.month, lo.day, hi.month, hi.day) == (1, 1, 12, 31):
        return _years_label(lo.year, hi.year, approximate)
    if midnight and end_of_day and lo.day == 1 and hi.day == _month_days(hi.year, hi.month):
        return _months_label(lo.year, lo.month, hi.year, hi.month, approximate)
    if midnight and end_of_day:
        return _days_label(lo.date(), hi.date(), approximate)
    if (lo.minute, lo.second, hi.minute, hi.second) == (0, 0, 59, 59):
        return _clock_label(lo, hi, lambda t: f"{t.hour:02d}h"), False
    if (lo.second, hi.second) == (0, 59):
        return _clock_label(lo, hi, lambda t: f"{t.hour:02d}:{t.minute:02d}"), False
    return f"{lo.isoformat()}Z/{hi.isoformat()}Z", False


def _years_label(y0: int, y1: int, approximate: bool) -> tuple[str, bool]:
    decade = y0 - y0 % 10
    if y0 == y1:
        return f"{y0:04d}", False
    if y0 == decade and y1 == decade + 9:
        return f"{decade:04d}s", False
    for third, offsets in _THIRD_YEARS.items():
        if approximate and (y0 - decade, y1 - decade) == offsets:
            return _THIRD_WORDS[third].format(f"{decade:04d}s"), True
    return f"{y0:04d}–{y1:04d}", False


def _months_label(y0: int, m0: int, y1: int, m1: int, approximate: bool) -> tuple[str, bool]:
    if (y0, m0) == (y1, m1):
        return f"{_ABBR[m0 - 1]} {y0:04d}", False
    if y0 == y1:
        named = {(1, 6): "first half of", (7, 12): "second half of", (1, 3): "Q1", (4, 6): "Q2",
                 (7, 9): "Q3", (10, 12): "Q4", (3, 5): "spring", (6, 8): "summer", (9, 11): "autumn"}
        if (m0, m1) in named:
            return f"{named[m0, m1]} {y0:04d}", False
        for third, months in _THIRD_MONTHS.items():
            if approximate and (m0, m1) == months:
                return _THIRD_WORDS[third].format(f"{y0:04d}"), True
        return f"{_ABBR[m0 - 1]} – {_ABBR[m1 - 1]} {y0:04d}", False
    if (m0, m1, y1) == (12, 2, y0 + 1):
        return f"winter {y0:04d}", False
    return f"{_ABBR[m0 - 1]} {y0:04d} – {_ABBR[m1 - 1]} {y1:04d}", False


def _days_label(d0: date, d1: date, approximate: bool) -> tuple[str, bool]:
    if d0 == d1:
        return _day_text(d0), False
    if (d0.year, d0.month) == (d1.year, d1.month):
        month = f"{_ABBR[d0.month - 1]} {d0.year:04d}"
        for third, (a, b) in _THIRD_DAYS.items():
            if approximate and (d0.day, d1.day) == (a, min(b, _month_days(d0.year, d0.month))):
                return _THIRD_WORDS[third].format(month), True
        return f"{d0.day}–{d1.day} {month}", False
    if d0.year == d1.year:
        return f"{d0.day} {_ABBR[d0.month - 1]} – {_day_text(d1)}", False
    return f"{_day_text(d0)} – {_day_text(d1)}", False


def _clock_label(lo: datetime, hi: datetime, clock: Callable[[datetime], str]) -> str:
    start = f"{_day_text(lo.date())} {clock(lo)}"
    if lo.date() != hi.date():
        return f"{start} – {_day_text(hi.date())} {clock(hi)}"
    return start if clock(lo) == clock(hi) else f"{start}–{clock(hi)}"

