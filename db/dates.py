"""Fuzzy dates: text as written, with earliest/latest bounds and a precision.

STUB: the full parser is being written (see issue 2, item 3). The interface below is fixed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

PRECISIONS = ("year", "month", "day", "hour", "minute")


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
        fmt = {"year": "%Y", "month": "%b %Y", "day": "%-d %b %Y",
               "hour": "%-d %b %Y %H:00", "minute": "%-d %b %Y %H:%M"}[self.precision]
        s = self.lo.strftime(fmt)
        return ("c. " + s) if self.approximate else s


def parse_fuzzy(text: str, reference: datetime | None = None, lang: str | None = None) -> FuzzyDate:
    """Read `text` as a fuzzy date. STUB: ISO dates only."""
    t = text.strip()
    for fmt, prec in (("%Y-%m-%d", "day"), ("%Y-%m", "month"), ("%Y", "year")):
        try:
            d = datetime.strptime(t, fmt).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
        from dateutil.relativedelta import relativedelta
        step = {"day": relativedelta(days=1), "month": relativedelta(months=1), "year": relativedelta(years=1)}[prec]
        hi = d + step - relativedelta(seconds=1)
        return FuzzyDate(text, d, hi, prec)
    raise DateParseError(f"cannot read {text!r} as a date")
