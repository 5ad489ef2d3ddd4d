"""How a FuzzyDate is shown, by the analyst's choice (Preferences ▸ Dates).

- "label": the reading in words at the date's precision ("c. mid-Oct 2023", "Q3 2016");
- "written": the text as the source or the analyst wrote it ("mi-octobre 2023");
- "iso": the bounds in ISO 8601 / EDTF, as coarse as they allow without losing anything
  ("2014", "2023-10", "2023-10-11/2023-10-20"), "~" when approximate, "?" when uncertain.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sijill.db.dates import FuzzyDate

STYLES = ("label", "written", "iso")
STYLE_LABELS = {"label": "In words (c. mid-Oct 2023)", "written": "As written (mi-octobre 2023)",
                "iso": "ISO bounds (2023-10-11/2023-10-20)"}


def _unit(lo: datetime, hi: datetime) -> str:
    """The coarsest unit whose boundaries both bounds fall on."""
    end = hi + timedelta(seconds=1)
    if (lo.month, lo.day, lo.hour, lo.minute, lo.second) == (1, 1, 0, 0, 0) and \
            (end.month, end.day, end.hour, end.minute, end.second) == (1, 1, 0, 0, 0):
        return "year"
    if (lo.day, lo.hour, lo.minute, lo.second) == (1, 0, 0, 0) and (end.day, end.hour, end.minute, end.second) == (1, 0, 0, 0):
        return "month"
    if (lo.hour, lo.minute, lo.second) == (0, 0, 0) and (end.hour, end.minute, end.second) == (0, 0, 0):
        return "day"
    if (lo.minute, lo.second, end.minute, end.second) == (0, 0, 0, 0):
        return "hour"
    return "minute"


def iso_at(d: datetime, unit: str) -> str:
    """`d` in ISO 8601 down to `unit`, a precision (any other: the day); the year always in four
    digits (strftime writes year 999 as "999")."""
    day = f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
    return {"year": f"{d.year:04d}", "month": f"{d.year:04d}-{d.month:02d}", "day": day,
            "hour": f"{day}T{d.hour:02d}", "minute": f"{day}T{d.hour:02d}:{d.minute:02d}"}.get(unit, day)


def iso_bounds(d: FuzzyDate) -> str:
    """'2014', '2023-10', '2023-10-18', '2023-10-11/2023-10-20', '2016-07/2016-09~'."""
    lo, hi = d.lo.astimezone(timezone.utc), d.hi.astimezone(timezone.utc)
    unit = _unit(lo, hi)
    mark = ("~" if d.approximate else "") + ("?" if d.uncertain else "")
    if d.approximate and d.uncertain:
        mark = "%"
    a, b = iso_at(lo, unit), iso_at(hi, unit)
    return a + mark if a == b else f"{a}{mark}/{b}{mark}"


def date_text(d: FuzzyDate, style: str = "label") -> str:
    """`d` as the style shows it (unknown styles: "label")."""
    if style == "iso":
        return iso_bounds(d)
    if style == "written" and d.text.strip():
        return d.text.strip()
    return d.display()


def bounds_text(lo: int, hi: int) -> str:
    """'bounds 2023-10-18 00:00 – 23:59 UTC' (the second date only when it differs)."""
    a, b = datetime.fromtimestamp(lo, timezone.utc), datetime.fromtimestamp(hi, timezone.utc)
    right = b.strftime("%H:%M") if a.date() == b.date() else b.strftime("%Y-%m-%d %H:%M")
    return f"bounds {a.strftime('%Y-%m-%d %H:%M')} – {right} UTC"
