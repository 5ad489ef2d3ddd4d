"""Adaptive axis ticks: years → quarters → months → weeks → days → hours, with a context row.

`ticks(t0, t1, width)` picks the finest calendar step whose ticks stay at least `min_px` apart
and returns the tick instants with their labels, plus a second, coarser row giving the context
("2023" above "Oct Nov Dec"). All instants are seconds since the epoch, UTC.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from dateutil.relativedelta import relativedelta

UTC = timezone.utc
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# (name, unit, step, rough length in seconds), coarse to fine
LEVELS = [
    ("100y", "year", 100, 100 * 365.25 * 86400),
    ("50y", "year", 50, 50 * 365.25 * 86400),
    ("10y", "year", 10, 10 * 365.25 * 86400),
    ("5y", "year", 5, 5 * 365.25 * 86400),
    ("2y", "year", 2, 2 * 365.25 * 86400),
    ("year", "year", 1, 365.25 * 86400),
    ("quarter", "month", 3, 91.3 * 86400),
    ("month", "month", 1, 30.44 * 86400),
    ("week", "week", 1, 7 * 86400),
    ("day", "day", 1, 86400),
    ("6h", "hour", 6, 6 * 3600),
    ("3h", "hour", 3, 3 * 3600),
    ("hour", "hour", 1, 3600),
]


@dataclass(frozen=True)
class Ticks:
    """Major ticks with labels, and the coarser context boundaries (the first may lie before t0,
    so that its label can stick to the left edge)."""

    level: str
    major: list[tuple[int, str]]
    context: list[tuple[int, str]]


def _dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def _floor(d: datetime, unit: str, step: int) -> datetime:
    if unit == "year":
        return d.replace(year=d.year - d.year % step, month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    if unit == "month":
        return d.replace(month=d.month - (d.month - 1) % step, day=1, hour=0, minute=0, second=0, microsecond=0)
    if unit == "week":
        d = d.replace(hour=0, minute=0, second=0, microsecond=0)
        return d - timedelta(days=d.weekday())
    if unit == "day":
        return d.replace(hour=0, minute=0, second=0, microsecond=0)
    return d.replace(hour=d.hour - d.hour % step, minute=0, second=0, microsecond=0)


def _step(unit: str, step: int):
    return {"year": relativedelta(years=step), "month": relativedelta(months=step),
            "week": timedelta(weeks=step), "day": timedelta(days=step), "hour": timedelta(hours=step)}[unit]


def _label(d: datetime, level: str) -> str:
    if level.endswith("y") or level == "year":
        return str(d.year)
    if level == "quarter":
        return f"Q{(d.month - 1) // 3 + 1}"
    if level == "month":
        return MONTHS[d.month - 1]
    if level in ("week", "day"):
        return str(d.day)
    return f"{d.hour:02d}:00"


def _context(level: str) -> tuple[str, int, str] | None:
    """The coarser unit shown above a level, and how its label reads."""
    if level in ("quarter", "month"):
        return ("year", 1, "year")
    if level in ("week", "day"):
        return ("month", 1, "month-year")
    if level in ("6h", "3h", "hour"):
        return ("day", 1, "day")
    return None


def _context_label(d: datetime, kind: str) -> str:
    if kind == "year":
        return str(d.year)
    if kind == "month-year":
        return f"{MONTHS[d.month - 1]} {d.year}"
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _series(t0: float, t1: float, unit: str, step: int, start_before: bool = False) -> list[datetime]:
    d = _floor(_dt(max(t0, -62135596800 + 86400 * 366)), unit, step)
    inc = _step(unit, step)
    out = []
    if start_before and d.timestamp() < t0:
        out.append(d)
    while d.timestamp() <= t1:
        if d.timestamp() >= t0:
            out.append(d)
        d = d + inc
    return out


def choose_level(t0: float, t1: float, width: float, min_px: float = 56) -> tuple[str, str, int]:
    """The finest level whose ticks are at least `min_px` apart across `width` pixels."""
    span = max(t1 - t0, 1)
    chosen = LEVELS[0]
    for level in LEVELS:
        if level[3] * width / span >= min_px:
            chosen = level
        else:
            break
    return chosen[0], chosen[1], chosen[2]


def ticks(t0: float, t1: float, width: float, min_px: float = 56) -> Ticks:
    """Ticks for the window [t0, t1] drawn across `width` pixels."""
    level, unit, step = choose_level(t0, t1, width, min_px)
    major = [(int(d.timestamp()), _label(d, level)) for d in _series(t0, t1, unit, step)]
    ctx = _context(level)
    context = []
    if ctx:
        cunit, cstep, kind = ctx
        context = [(int(d.timestamp()), _context_label(d, kind))
                   for d in _series(t0, t1, cunit, cstep, start_before=True)]
    return Ticks(level, major, context)


def zoom_precision(t0: float, t1: float, width: float) -> str:
    """The date precision that fits the current zoom: what a click can reasonably mean."""
    px_per_day = width * 86400 / max(t1 - t0, 1)
    if px_per_day * 30 < 12:
        return "year"
    if px_per_day < 6:
        return "month"
    if px_per_day < 24 * 8:
        return "day"
    return "hour"
