"""Snapping a dragged date to its precision, and rewriting its text so that it stays honest.

A month-precise event dragged 1.4 months moves by exactly one month; its bounds move by one
calendar month and its text follows: "2023-10" → "2023-11", "mid-October 2023" → "mid-November
2023", "18 Oct 2023" → "19 Oct 2023". When the text cannot be rewritten with confidence (relative
expressions such as "last Saturday"), it falls back to ISO at the date's precision. Month names and
ISO text come from `sijill.db.dates` (`words.MONTH_NAMES`, `styles.iso_at`), and every rewritten text is
kept only if `parse_fuzzy` reads it back as the moved bounds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from datetime import datetime, timedelta, timezone

from dateutil.relativedelta import relativedelta

from sijill.db.dates import DateParseError, parse_fuzzy
from sijill.db.dates.styles import iso_at
from sijill.db.dates.words import MONTH_NAMES

UTC = timezone.utc
UNIT_SECONDS = {"year": 365.2425 * 86400, "month": 30.436875 * 86400, "day": 86400, "hour": 3600, "minute": 60}
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
        for names in (MONTH_NAMES["en"], MONTH_NAMES["fr"]):
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


def _read(text: str):
    """`text` read as a date (absolute: no reference date), or None."""
    try:
        return parse_fuzzy(text)
    except (DateParseError, ValueError):
        return None


def _at_unit_start(ts: int, unit: str) -> bool:
    d = _dt(ts)
    if unit == "month":
        return (d.day, d.hour, d.minute, d.second) == (1, 0, 0, 0)
    if unit == "year":
        return (d.month, d.day, d.hour, d.minute, d.second) == (1, 1, 0, 0, 0)
    return True


def move_bounds(lo: int, hi: int, shift: Shift) -> tuple[int, int]:
    """Bounds [lo, hi] moved by `shift` (what a drag previews and what it stores): the start by
    the calendar step; the end at the end of its month when the bounds cover whole months
    ("September 2023" moved a month ends on 31 October, "February 2023" a year on 29 February
    2024), else keeping the length ("30 September 2023" ends on the 30th, an 11-hour span stays
    11 hours even where a month's end clamps its start). Raises ValueError beyond years 1-9999."""
    if not shift:
        return lo, hi
    new_lo = shift_instant(lo, shift)
    if shift.unit in ("month", "year") and _at_unit_start(lo, "month") and _is_unit_end(_dt(hi), "month"):
        delta = relativedelta(years=shift.count) if shift.unit == "year" else relativedelta(months=shift.count)
        new_hi = int((_dt(hi) + timedelta(seconds=1) + delta).timestamp()) - 1
    else:
        new_hi = new_lo + (hi - lo)
    return new_lo, max(new_hi, new_lo)


def _moved_bounds(date: DateFields, shift: Shift) -> tuple[int, int]:
    return move_bounds(date.lo, date.hi, shift)


def _same_flags(got, date: DateFields) -> bool:
    return bool(got.approximate) == bool(date.approximate) and bool(got.uncertain) == bool(date.uncertain)


def _candidates(date: DateFields, new_lo: int, new_hi: int):
    """Texts for `date` moved to [new_lo, new_hi], in its own words first."""
    old_mid, new_mid = _dt((date.lo + date.hi) // 2), _dt((new_lo + new_hi) // 2)
    m = _ISO.match(date.text.strip())
    if m:
        yield iso_at(new_mid, date.precision) + m.group(6)
        return
    # the middles name the right day for most dates; for a stretch anchored at a month's end
    # ("fin octobre": the 21st to the 31st) months of other lengths move the middle a day, and
    # the start keeps its day number
    yield _rewrite(date.text, old_mid, new_mid, date.precision)
    yield _rewrite(date.text, _dt(date.lo), _dt(new_lo), date.precision)


def _faithful(date: DateFields, shift: Shift) -> DateFields | None:
    """`date` moved by `shift` in its own words, or None when they cannot follow. A text is kept
    only if it reads back with its start moved by exactly the shift and its end where the shift
    puts it (for a move by months or years, the end the words give, e.g. "fin février 2024" ends
    on the 29th): the stored bounds are always those its text reads as."""
    lo, hi = _moved_bounds(date, shift)
    for text in _candidates(date, lo, hi):
        if text is None:
            continue
        got = _read(text)
        if got is None or got.lo_ts != lo or not _same_flags(got, date):
            continue
        if got.hi_ts == hi or (shift.unit in ("month", "year") and abs(got.hi_ts - hi) <= 3 * 86400):
            return DateFields(text, got.lo_ts, got.hi_ts, got.precision, got.approximate, got.uncertain)
    return None


_SUFFIX = {(True, True): "%", (True, False): "~", (False, True): "?", (False, False): ""}


def _plain(date: DateFields, shift: Shift) -> DateFields:
    """`date` moved by `shift` in ISO with its flags (EDTF ~ ? %): one date, or a "start/end"
    interval when one would not cover the same bounds (a range such as "2014-2016"), at the
    date's precision or the first finer one that says the bounds exactly."""
    lo, hi = _moved_bounds(date, shift)
    sfx = _SUFFIX[(bool(date.approximate), bool(date.uncertain))]
    precision = date.precision if date.precision in UNIT_SECONDS else "day"
    while precision is not None:
        a, b = iso_at(_dt(lo), precision), iso_at(_dt(hi), precision)
        for text in (a + sfx, f"{a}/{b}{sfx}"):
            got = _read(text)
            if got is not None and (got.lo_ts, got.hi_ts) == (lo, hi) and _same_flags(got, date):
                return DateFields(text, lo, hi, got.precision, got.approximate, got.uncertain)
        precision = FINER.get(precision)
    # nothing reads back exactly (bounds not on whole minutes): the nearest minutes, stored as read
    text = f"{iso_at(_dt(lo), 'minute')}/{iso_at(_dt(hi), 'minute')}{sfx}"
    got = _read(text)
    if got is None:
        raise ValueError(f"cannot write {date.text!r} moved by {shift.count} {shift.unit}(s) as a date")
    return DateFields(text, got.lo_ts, got.hi_ts, got.precision, got.approximate, got.uncertain)


COARSER = {"minute": "hour", "hour": "day", "day": "month", "month": "year"}
FINER = {v: k for k, v in COARSER.items()}
UNIT_RANK = {"minute": 0, "hour": 1, "day": 2, "month": 3, "year": 4}


@lru_cache(maxsize=4096)
def drag_unit(date: DateFields) -> str:
    """The step a drag moves `date` by: its precision, or the finest coarser unit whose moves
    its words can follow. "mid-October 2023" (the 11th to the 20th) moves by months and stays
    "mid-November 2023"; "late 2019" and "mid-2019" move by years: moved by a day or a month
    their text would no longer match their bounds. A date no unit keeps in words (a relative
    phrase such as "last Saturday") moves by its precision and is rewritten in ISO."""
    unit = date.precision if date.precision in UNIT_SECONDS else "day"
    while unit is not None:
        try:
            if _faithful(date, Shift(unit, 1)) is not None:
                return unit
        except (ValueError, OverflowError):      # year 9999: no step up; the step down is tried by the drag
            pass
        unit = COARSER.get(unit)
    return date.precision if date.precision in UNIT_SECONDS else "day"


def coarsest(units) -> str:
    """The coarsest of some units ("year" before "month"…), "day" if there are none; stops
    reading `units` (which may be computed lazily) at the first "year"."""
    best = None
    for u in units:
        if best is None or UNIT_RANK.get(u, UNIT_RANK["day"]) > UNIT_RANK.get(best, UNIT_RANK["day"]):
            best = u
        if best == "year":
            break
    return best or "day"


def shift_date(date: DateFields, shift: Shift) -> DateFields:
    """Move a date by a whole number of calendar units, bounds and text together: in its own
    words when they can follow, else in ISO; either way the text reads back as the bounds, with
    the date's flags. Raises ValueError when the move leaves years 1-9999."""
    if not shift:
        return date
    try:
        return _faithful(date, shift) or _plain(date, shift)
    except OverflowError as e:
        raise ValueError(f"{date.text!r} cannot move by {shift.count} {shift.unit}(s): {e}") from None


def snap_move(date: DateFields, delta_seconds: float) -> tuple[DateFields, Shift]:
    """Move a date by a drag of `delta_seconds`, snapped to its drag unit (`drag_unit`)."""
    shift = snap_shift(delta_seconds, drag_unit(date))
    return shift_date(date, shift), shift
