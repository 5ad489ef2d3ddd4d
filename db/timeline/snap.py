"""Snapping a dragged date to its precision, and rewriting its text so that it stays honest.

A month-precise event dragged 1.4 months moves by exactly one month; its bounds move by one
calendar month and its text follows: "2023-10" → "2023-11", "mid-October 2023" → "mid-November
2023", "18 Oct 2023" → "19 Oct 2023". When the text cannot be rewritten with confidence (relative
expressions such as "last Saturday"), it falls back to ISO at the date's precision.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from dateutil.relativedelta import relativedelta

UTC = timezone.utc
UNIT_SECONDS = {"year": 365.2425 * 86400, "month": 30.436875 * 86400, "day": 86400, "hour": 3600, "minute": 60}
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")
MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
             "octobre", "novembre", "décembre")
_ISO = re.compile(r"^(\d{4})(-\d{2}(-\d{2}([T ]\d{2}(:\d{2})?)?)?)?([~?%]?)$")


@dataclass(frozen=True)
class DateFields:
    """A date as stored: text, inclusive bounds (seconds), precision and flags."""

    text: str
    lo: int
    hi: int
    precision: str
    approximate: bool = False
    uncertain: bool = False


@dataclass(frozen=True)
class Shift:
    """A move by a whole number of calendar units."""

    unit: str
    count: int

    def __bool__(self) -> bool:
        return self.count != 0


def snap_shift(delta_seconds: float, precision: str) -> Shift:
    """The whole number of `precision` units nearest to a drag of `delta_seconds`."""
    unit = precision if precision in UNIT_SECONDS else "day"
    return Shift(unit, int(round(delta_seconds / UNIT_SECONDS[unit])))


def _dt(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def _is_unit_end(d: datetime, unit: str) -> bool:
    """Is `d` the last second of its month/year (so that it should stay the last second)?"""
    nxt = d + timedelta(seconds=1)
    if unit == "month":
        return nxt.day == 1 and nxt.hour == 0 and nxt.minute == 0 and nxt.second == 0
    if unit == "year":
        return nxt.month == 1 and nxt.day == 1 and nxt.hour == 0 and nxt.minute == 0 and nxt.second == 0
    return False


def shift_instant(ts: int, shift: Shift, keep_unit_end: bool = False) -> int:
    d = _dt(ts)
    if shift.unit in ("year", "month"):
        delta = relativedelta(years=shift.count) if shift.unit == "year" else relativedelta(months=shift.count)
        if keep_unit_end and _is_unit_end(d, shift.unit):
            return int((d + timedelta(seconds=1) + delta).timestamp()) - 1
        return int((d + delta).timestamp())
    return ts + shift.count * int(UNIT_SECONDS[shift.unit])


def _iso(d: datetime, precision: str) -> str:
    return {"year": f"{d.year:04d}", "month": f"{d.year:04d}-{d.month:02d}",
            "day": d.strftime("%Y-%m-%d"), "hour": d.strftime("%Y-%m-%dT%H:00"),
            "minute": d.strftime("%Y-%m-%dT%H:%M")}.get(precision, d.strftime("%Y-%m-%d"))


def _day_suffix(old_suffix: str | None, day: int) -> str:
    if old_suffix in ("st", "nd", "rd", "th"):
        return "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    if old_suffix == "er":
        return "er" if day == 1 else ""
    return ""


def _rewrite(text: str, old: datetime, new: datetime, precision: str) -> str | None:
    """Replace the year, month name and day number of `old` in `text` by those of `new`;
    None when a part that changes cannot be found unambiguously."""
    out = text
    if new.year != old.year:
        hits = re.findall(rf"(?<!\d){old.year}(?!\d)", out)
        if len(hits) != 1:
            return None
        out = re.sub(rf"(?<!\d){old.year}(?!\d)", str(new.year), out)
    if precision in ("month", "day", "hour", "minute") and new.month != old.month:
        done = False
        for names in (MONTHS_EN, MONTHS_FR):
            full, new_full = names[old.month - 1], names[new.month - 1]
            for pat, rep in ((full, new_full), (full[:3], new_full[:3])):
                rx = re.compile(rf"\b{re.escape(pat)}\b\.?", re.IGNORECASE)
                found = rx.findall(out)
                if len(found) == 1:
                    word = found[0]
                    repl = rep.capitalize() if word[:1].isupper() else rep.lower()
                    if word.endswith(".") and not rep.endswith("."):
                        repl += "."
                    out = rx.sub(repl, out, count=1)
                    done = True
                    break
            if done:
                break
        if not done:
            return None
    if precision in ("day", "hour", "minute") and new.day != old.day:
        rx = re.compile(rf"(?<![\d:]){old.day}(st|nd|rd|th|er)?(?![\d:])")
        if len(rx.findall(out)) != 1:
            return None
        out = rx.sub(lambda m: f"{new.day}{_day_suffix(m.group(1), new.day)}", out)
    if precision in ("hour", "minute") and (new.hour, new.minute) != (old.hour, old.minute):
        rx = re.compile(rf"\b{old.hour:02d}:{old.minute:02d}\b")
        if len(rx.findall(out)) != 1:
            return None
        out = rx.sub(f"{new.hour:02d}:{new.minute:02d}", out)
    if re.search(r"\b(last|next|ago|yesterday|today|tomorrow|dernier|prochain|hier|demain)\b", out, re.I):
        return None
    return out


def _faithful_text(date: DateFields, new_lo: int, new_hi: int) -> str | None:
    """The text of `date` moved to [new_lo, new_hi] in the same words, or None when its wording
    cannot follow (a relative phrase, or a qualifier finer than the move: "late 2019" moved by
    a month)."""
    old_mid = _dt((date.lo + date.hi) // 2)
    new_mid = _dt((new_lo + new_hi) // 2)
    m = _ISO.match(date.text.strip())
    if m:
        return _iso(new_mid, date.precision) + m.group(6)
    # the middles name the right day for most dates; for a stretch anchored at a month's end
    # ("fin octobre": the 21st to the 31st) months of other lengths move the middle a day, and
    # the start keeps its day number
    return (_rewrite(date.text, old_mid, new_mid, date.precision)
            or _rewrite(date.text, _dt(date.lo), _dt(new_lo), date.precision))


def shift_text(date: DateFields, shift: Shift, new_lo: int, new_hi: int) -> str:
    """The text of `date` moved by `shift`, keeping its wording and qualifiers where possible;
    else ISO at the date's precision."""
    rewritten = _faithful_text(date, new_lo, new_hi)
    if rewritten is not None:
        return rewritten
    suffix = "~" if date.approximate else ""
    return _iso(_dt(new_lo), date.precision) + suffix


COARSER = {"minute": "hour", "hour": "day", "day": "month", "month": "year"}
UNIT_RANK = {"minute": 0, "hour": 1, "day": 2, "month": 3, "year": 4}


def drag_unit(date: DateFields) -> str:
    """The step a drag moves `date` by: its precision, or the finest coarser unit whose moves
    its words can follow. "mid-October 2023" (the 11th to the 20th) moves by months and stays
    "mid-November 2023"; "late 2019" moves by years ("late 2020"): moved by a day or a month
    their text would no longer match their bounds. A date no unit keeps in words (a relative
    phrase such as "last Saturday") moves by its precision and is rewritten in ISO."""
    unit = date.precision if date.precision in UNIT_SECONDS else "day"
    while unit is not None:
        step = Shift(unit, 1)
        lo = shift_instant(date.lo, step)
        hi = max(shift_instant(date.hi, step, keep_unit_end=True), lo)
        if _faithful_text(date, lo, hi) is not None:
            return unit
        unit = COARSER.get(unit)
    return date.precision if date.precision in UNIT_SECONDS else "day"


def coarsest(units) -> str:
    """The coarsest of some units ("year" before "month"…), "day" if there are none."""
    return max(units, key=lambda u: UNIT_RANK.get(u, UNIT_RANK["day"]), default="day")


def shift_date(date: DateFields, shift: Shift) -> DateFields:
    """Move a date by a whole number of calendar units: bounds and text."""
    if not shift:
        return date
    lo = shift_instant(date.lo, shift)
    hi = shift_instant(date.hi, shift, keep_unit_end=True)
    hi = max(hi, lo)
    return DateFields(shift_text(date, shift, lo, hi), lo, hi, date.precision, date.approximate, date.uncertain)


def snap_move(date: DateFields, delta_seconds: float) -> tuple[DateFields, Shift]:
    """Move a date by a drag of `delta_seconds`, snapped to its drag unit (`drag_unit`)."""
    shift = snap_shift(delta_seconds, drag_unit(date))
    return shift_date(date, shift), shift
