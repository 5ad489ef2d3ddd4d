"""Fuzzy dates: the text as written, with inclusive UTC bounds, a precision and two flags.

`parse_fuzzy` reads one date expression: ISO 8601 and EDTF levels 0-1, English and French phrases
("18 October 2023", "mi-octobre", "Q3 2016", "samedi dernier"), Arabic month names and relative phrases
("السبت الماضي", "قبل يومين", with or without tashkeel), and ranges, which it reads as one span;
`parse_interval` returns a range's two ends; `scan_dates` finds dates in prose.
Nothing the text leaves out is filled in: a missing day widens the bounds to the month, a missing year
is the latest one that does not put the date after the reference day. Clock times without a zone are
UTC; the finest precision is the minute, so seconds are read and dropped.
"""
from __future__ import annotations

import bisect
import calendar
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Callable

from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

from sijill.db.dates import words as W

PRECISIONS = ("year", "month", "day", "hour", "minute")

_UTC = timezone.utc
_EOD = time(23, 59, 59)
_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY = (MO, TU, WE, TH, FR, SA, SU)
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


# --- reading -----------------------------------------------------------------------------------------

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


_PLAIN = {**dict.fromkeys("–—−‒―", "–"), **dict.fromkeys("‐‑", "-"), **dict.fromkeys("’ʼ‘′´`", "'"), "،": ",",
          "ى": "ي", "ة": "ه", "ٱ": "ا"}
# Dropped from the folded text: tatweel, and invisible marks that pasted Arabic text carries (RLM, ALM...).
_DROPPED = frozenset("\u0640\u061c\u200b\u200c\u200d\u200e\u200f\u2066\u2067\u2068\u2069\ufeff")


@lru_cache(maxsize=8192)
def _fold_char(c: str) -> str:
    digit = unicodedata.decimal(c, None)
    if digit is not None:
        return str(digit)
    if c in _PLAIN or c.isspace():
        return _PLAIN.get(c, " ")
    if c in _DROPPED or unicodedata.category(c) == "Mn":  # tashkeel, and accents typed apart
        return ""
    base = "".join(ch for ch in unicodedata.normalize("NFKD", c) if not unicodedata.combining(ch)).lower()
    if len(base) == 1:
        return base
    return c.lower() if len(c.lower()) == 1 else c


def _fold(text: str) -> str:
    """Lower case, no accents, hamza marks or tashkeel, plain digits, apostrophes and dashes."""
    return "".join(map(_fold_char, text))


class _Folded:
    """`text` folded (`s`, one character or none for each of the text's), and the way back to its offsets."""

    def __init__(self, text: str) -> None:
        parts = list(map(_fold_char, text))
        self.text, self.s = text, "".join(parts)
        self._index = None if len(self.s) == len(text) else [i for i, p in enumerate(parts) if p]

    def start(self, i: int) -> int:
        """The text offset where a span starting at `s[i]` starts."""
        if self._index is None:
            return i
        return self._index[i] if i < len(self._index) else len(self.text)

    def end(self, j: int) -> int:
        """The text offset where a span ending before `s[j]` ends, with the tashkeel on its last letter."""
        if self._index is None or j == 0:
            return j
        k = self._index[j - 1] + 1
        while k < len(self.text) and unicodedata.category(self.text[k]) == "Mn":
            k += 1
        return k


def _key(word: str) -> str:
    return " ".join(_fold(word).split())


def _alt(words, bound: bool = True) -> str:
    """A regex alternation of folded words, longest first; an empty list gives one that never matches."""
    keys = sorted({_key(w) for w in words}, key=len, reverse=True)
    if not keys:
        return "(?!)"
    body = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in keys)
    return f"(?:{body})" + (r"(?!\w)" if bound else "")


def _date(y: int, m: int, d: int) -> date:
    if not 1 <= y <= 9999:
        raise _Unread(f"year {y} is outside 0001–9999")
    if not 1 <= m <= 12:
        raise _Unread(f"month {m} does not exist")
    if not 1 <= d <= _month_days(y, m):
        raise _Unread(f"day {d} is not in {_MONTH_NAMES[m - 1]} {y}")
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


_ISO = (r"(?P<y>[0-9]{4}|[0-9]{3}x|[0-9]{2}xx)(?:-(?P<m>[0-9]{2}|xx)(?:-(?P<d>[0-9]{2}|xx)"
        r"(?:[t\s](?P<H>[0-9]{2})(?::?(?P<M>[0-9]{2})(?::?[0-9]{2}(?:[.,][0-9]+)?)?)?"
        r"\s?(?P<tz>z|utc|[+-][0-9]{2}(?::?[0-9]{2})?)?)?)?)?")
_ISO_SCAN = (r"[0-9]{4}-(?:0[1-9]|1[0-2])(?:-[0-3][0-9](?:(?:t[0-9]{2}(?::?[0-9]{2})?|\s[0-9]{2}:[0-9]{2})"
             r"(?::[0-9]{2}(?:[.,][0-9]+)?)?(?:z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?)?")
_YEAR = r"(?P<y>[0-9]{4})"
_DAY = r"(?P<d>[0-9]{1,2})(?:st|nd|rd|th|er|re|eme|e)?"
_SCAN_YEARS = r"(?:1[5-9]|20)[0-9]{2}"
_SAME = "same"
_AR_LETTER = "[\u0621-\u064a]"
# Where a date may start in prose: after a non-word character; at a digit joined to an Arabic word
# ("و18 أكتوبر"); or after one of the Arabic one-letter prefixes و, ف, ب ("وأمس", "بالأمس", "وبالأمس").
_START = (rf"(?:(?<!\w)|(?<=[\u0600-\u06ff])(?:(?=[0-9])|(?<=(?<!\w)[وفب])(?={_AR_LETTER})"
          rf"|(?<=(?<!\w)[وف]ب)(?={_AR_LETTER})))")
_PROCLITIC = re.compile(rf"(?:[وف]ب?|ب)(?={_AR_LETTER})")


class _Grammar:
    """Patterns and word tables for one choice of languages, compiled once."""

    def __init__(self, langs: tuple[str, ...]) -> None:
        def table(t: dict) -> dict:
            return {_key(k): v for lang in langs for k, v in t.get(lang, {}).items()}

        def words(t: dict) -> list[str]:
            return [w for lang in langs for w in t.get(lang, ())]

        self.months, self.weekdays = table(W.MONTHS), table(W.WEEKDAYS)
        self.numbers, self.units, self.ordinals = table(W.NUMBERS), table(W.UNITS), table(W.ORDINALS)
        self.thirds, self.seasons = table(W.THIRDS), table(W.SEASONS)
        self.parts_before = table(W.PARTS_BEFORE_DAY)
        self.parts = table(W.PARTS_OF_DAY) | self.parts_before
        self.rel_days, self.part_phrases = table(W.RELATIVE_DAYS), table(W.DAY_PART_PHRASES)
        self.directions = table(W.DIRECTIONS)
        self.frames = {frame: {_key(w) for w in joiners} for frame, joiners in table(W.FRAMES).items()}
        self.this_units, self.named_units = table(W.THIS_UNIT), table(W.NAMED_UNITS)
        self.counted = table(W.COUNTED_UNITS)
        self.joiners = {_key(w) for w in words(W.JOINERS)}

        month_words = _alt(self.months)
        mon = rf"(?P<mon>{month_words})\.?"
        wd = rf"(?:(?P<wd>{_alt(self.weekdays)})\.?,?\s+)?"
        at = rf"(?:,?\s+(?:at\s+|a\s+)?(?P<time>{_CLOCK}))?"
        year_word = rf"(?:{_alt(words(W.YEAR_WORDS))}\s+)"
        month_word = rf"(?:{_alt(words(W.MONTH_WORDS))}\s+)?"
        year_link = rf"(?:(?:{_alt(words(W.OF_YEAR))}\s+)?{year_word})?"
        opt_year = rf"(?:,?\s+{year_link}(?P<y>[0-9]{{4}}))?"
        third = rf"(?P<q>{_alt(self.thirds, bound=False)})(?:\s*-\s*|\s+|(?<='))"
        decade = r"(?:(?P<dy>[0-9]{3}0)'?s|(?:des\s+)?annees\s+(?P<dy2>[0-9]{3}0))"
        part = rf"(?:\s+(?P<p>{_alt(table(W.PARTS_OF_DAY))}))?"
        num = rf"(?P<n>[0-9]{{1,4}}|{_alt(self.numbers)})\s+(?P<u>{_alt(self.units)})"
        of_year = r"\s+(?:of\s+|de\s+(?:l'annee\s+)?|d'\s*)?" + _YEAR
        en_dirs = [k for k, v in W.DIRECTIONS["en"].items() if "en" in langs]
        fr_dirs = [k for k in W.DIRECTIONS["fr"] if "fr" in langs]
        ar_dirs = list(W.DIRECTIONS["ar"])
        weekdays_alone = _alt(w for lang in langs for w in W.WEEKDAYS_ALONE.get(lang, ()))
        weekday_rel = rf"(?P<wd>{weekdays_alone}){part}"
        if en_dirs:
            weekday_rel = rf"(?:(?P<dir>{_alt(d for d in en_dirs if d != 'this')})\s+)?" + weekday_rel
        after_dirs = fr_dirs + [d for d in ar_dirs if W.DIRECTIONS["ar"][d]]
        weekday_rel += rf"(?:\s+(?P<fdir>{_alt(after_dirs)}))?"
        # "صباح اليوم", "مساء يوم أمس", "أمس الثلاثاء", "hier mardi"; not "اليوم التالي" nor "ذلك اليوم"
        not_a_day = "|".join(rf"(?<={_key(w)})\s+{_alt(after)}"
                             for w, after in table(W.RELATIVE_DAY_NOT_BEFORE).items())
        rel_day = (rf"(?:(?P<pb>{_alt(self.parts_before)})\s+(?:{_key('يوم')}\s+)?)?"
                   rf"(?<!{_key('ذلك')}\s)(?P<w>{_alt(self.rel_days)})(?:\s+(?P<wd>{weekdays_alone}))?{part}"
                   rf"(?!{not_a_day or '(?!)'})")
        # "قبل يومين", "منذ ثلاثة أسابيع", "قبل نحو شهر", but not "قبل يومين من الهجوم" nor "منذ عام 2014"
        ago_ar = (rf"{_alt(W.AGO['ar'])}\s+(?:(?P<about>{_alt(W.APPROXIMATE['ar'])})\s+)?"
                  rf"(?:(?P<n>[0-9]{{1,4}}|{_alt(self.numbers)})\s+(?P<u>{_alt(self.units)})"
                  rf"|(?P<c>{_alt(self.counted)}))"
                  rf"(?!\s+(?:[0-9]|{_key('ال')}|{_alt(words(W.AGO_NOT_BEFORE))}|{month_words}))")

        def the(p: str) -> str:
            return r"(?:the\s+)?(?:" + p + ")"

        def article(p: str) -> str:
            return r"(?:(?:la|le)\s+|l')?(?:" + p + ")"

        # (pattern, handler, how scan_dates looks for it: SAME, None (never alone), a pattern or a wrapper)
        rules: list[tuple[str, Callable[[dict, _Ctx], _Span], object]] = [
            (_ISO, self._iso, _ISO_SCAN),
            (r"(?P<d>[0-9]{1,2})(?P<sep>[/.-])(?P<m>[0-9]{1,2})(?P=sep)" + _YEAR + at, self._numeric, _SAME),
            (r"(?P<y>[0-9]{4})/(?P<m>[0-9]{1,2})/(?P<d>[0-9]{1,2})" + at, self._numeric, _SAME),
            (r"(?P<m>[0-9]{1,2})/" + _YEAR, self._numeric, None),
            (rf"{wd}{_DAY}(?:\s+of)?\s+{mon}{opt_year}{at}", self._calendar, _SAME),
            (rf"{wd}{mon}\s+{_DAY}{opt_year}{at}", self._calendar, _SAME),
            (rf"{month_word}{mon},?\s+{year_link}{_YEAR}", self._calendar, _SAME),
            (mon, self._calendar, None),
            (_DAY, self._calendar, None),
            (decade, self._decade, _SAME),
            (third + decade, self._decade, _SAME),
            (rf"{third}(?:l'annee\s+|{year_word})?{_YEAR}", self._third_of_year, _SAME),
            (rf"{third}{month_word}{mon}{opt_year}", self._third_of_month, _SAME),
            (rf"(?P<o>{_alt(self.ordinals)})\s+(?P<part>half|semestre|moitie|quarter|trimestre){of_year}",
             self._part_of_year, _SAME),
            (rf"(?P<p>[qhst])(?P<n>[0-9])\s*[-/]?\s*{_YEAR}", self._part_of_year, _SAME),
            (rf"{_YEAR}\s*[-/]?\s*(?P<p>[qh])(?P<n>[0-9])", self._part_of_year, _SAME),
            (rf"(?P<s>{_alt(self.seasons)}){of_year}", self._season_of, _SAME),
            (rel_day, self._relative_day, the),
            (rf"(?P<w>{_alt(self.part_phrases)})", self._part_phrase, _SAME),
            (weekday_rel, self._weekday_relative, _SAME),
            (rf"(?P<time>{_CLOCK})", self._clock_only, None),
        ]
        if "en" in langs:
            rules += [(rf"{num}\s+ago", self._ago, _SAME),
                      (rf"(?P<dir>{_alt(en_dirs)})\s+(?P<u>week|month|year)", self._unit_relative, _SAME)]
        if "fr" in langs:
            rules += [(rf"il\s+y\s+a\s+{num}", self._ago, _SAME),
                      (rf"(?P<u>semaine|mois|annee|an)\s+(?P<dir>{_alt(fr_dirs)})", self._unit_relative,
                       article),
                      (rf"(?P<this>{_alt(W.THIS_UNIT['fr'])})(?:-ci)?", self._unit_relative, _SAME)]
        rules += [(ago_ar, self._ago, _SAME),
                  (rf"(?P<u>{_alt(self.named_units)})\s+(?P<dir>{_alt(ar_dirs)})", self._unit_relative,
                   _SAME),
                  (rf"(?P<this>{_alt(W.THIS_UNIT['ar'])})", self._unit_relative, _SAME)]
        self.rules = [(re.compile(p), h) for p, h, _ in rules]
        scans = [p if s is _SAME else s(p) if callable(s) else s for p, _, s in rules if s is not None]
        scans += [rf"{_DAY}(?:\s+of)?\s+{mon}{opt_year}", rf"{mon}\s+{_DAY}{opt_year}",
                  rf"{_SCAN_YEARS}\s*[–-]\s*{_SCAN_YEARS}",
                  rf"{_alt(words(W.YEAR_PREPOSITIONS))}\s+(?P<core>{_SCAN_YEARS})",
                  rf"(?:circa\s+|c\.\s*|ca\.\s*){_SCAN_YEARS}"]
        # Arabic joins "and", "in", "on" to the next word: "و18 أكتوبر" starts a date at the digit.
        self.scans = [re.compile(rf"{_START}(?:{p})(?!\w)") for p in scans]

        fillers = words(W.FILLERS)
        elided = [w for w in fillers if w.endswith("'")]
        self.filler = re.compile(rf"(?:{_alt(w for w in fillers if w not in elided)}\s+"
                                 rf"|{_alt(elided, bound=False)}\s*|{_PROCLITIC.pattern})")
        dotted = [w for w in words(W.APPROXIMATE) if w.endswith(".")]
        self.approximate = re.compile(rf"(?:{_alt(dotted, bound=False)}\s*"
                                      rf"|{_alt(w for w in words(W.APPROXIMATE) if w not in dotted)}\s+)")
        self.uncertain = re.compile(rf"{_alt(words(W.UNCERTAIN))}\s+")
        self.frame = re.compile(rf"(?P<f>{_alt(self.frames)})\s+")
        joiners = _alt(set().union(*self.frames.values(), self.joiners))
        self.separator = re.compile(rf"\s*(?P<sym>/|–)\s*|\s+(?P<dash>-)\s+|(?<=[0-9])(?P<tight>-)(?=[0-9])"
                                    rf"|\s+(?P<w>{joiners})\s+")
        self.vocabulary = {t for phrase in self._all_words(langs) for t in _WORD.findall(_fold(phrase))}

        day, month = r"[0-9]{1,2}(?:st|nd|rd|th|er|re|eme|e)?", rf"{month_words}\.?"
        self.before = re.compile(
            rf"(?<!\w)(?:{_alt(self.frames)}\s+)?(?:le\s+)?(?:{day}(?:\s+{month})?|{month}(?:\s+{day})?)"
            rf"\s*(?:–|-|/|(?<=\s){joiners}(?=\s))\s*\Z")
        spelled = [w for w in words(W.APPROXIMATE) if len(w) > 3 or w.endswith(".")]
        self.approx_before = re.compile(rf"(?<!\w){_alt(spelled, bound=False)}\s*(?:(?:le|la|the)\s+)?\Z")
        self.frame_before = re.compile(rf"(?<!\w){_alt(self.frames)}\s+\Z")
        self.gap = re.compile(rf"\s*(?:–|/)\s*|\s+-\s+|\s+{joiners}\s+")
        self.time_after = re.compile(rf"\s*(?:–|-|to|a|until)\s*{_CLOCK}(?!\w)")
        triggers = [*self.months, *self.weekdays, *self.rel_days, *self.parts, *self.units, *self.counted,
                    *self.named_units, *self.part_phrases, "ago", "tonight"]
        self.trigger = re.compile(rf"[0-9]+|{_START}{_alt(triggers)}")
        self.capital = re.compile(rf"(?<!\w){_alt(W.CAPITALISED_ONLY)}") if "en" in langs else None

    @staticmethod
    def _all_words(langs: tuple[str, ...]) -> list[str]:
        tables = (W.MONTHS, W.WEEKDAYS, W.NUMBERS, W.UNITS, W.COUNTED_UNITS, W.NAMED_UNITS, W.AGO,
                  W.ORDINALS, W.THIRDS, W.SEASONS, W.RELATIVE_DAYS, W.PARTS_OF_DAY, W.PARTS_BEFORE_DAY,
                  W.DAY_PART_PHRASES, W.DIRECTIONS, W.THIS_UNIT, W.APPROXIMATE, W.UNCERTAIN, W.FILLERS,
                  W.FRAMES, W.JOINERS, W.MONTH_WORDS, W.YEAR_WORDS, W.OF_YEAR)
        found = [w for t in tables for lang in langs for w in t.get(lang, ())]
        found += [w for lang in langs for js in W.FRAMES.get(lang, {}).values() for w in js]
        return found + list(W.SYMBOL_WORDS)

    def known(self, word: str) -> bool:
        """Whether a folded word is one of the words dates are written with, or one behind و, ف, ب."""
        if word in self.vocabulary:
            return True
        prefix = _PROCLITIC.match(word)
        return bool(prefix) and len(word) - prefix.end() >= 2 and word[prefix.end():] in self.vocabulary

    # -- whole texts

    def read(self, s: str, ctx: _Ctx) -> _Reading:
        try:
            return _Reading(self._flagged(s, ctx))
        except _Unread as err:
            single = err
        try:
            reading = self._interval(s, ctx)
        except _Unread as err:
            raise err if err.rank > single.rank else single
        if reading is None:
            raise single
        return reading

    def _flags(self, s: str) -> tuple[int, int, bool, bool]:
        i, j, approximate, uncertain = 0, len(s), False, False
        while True:
            tail = re.search(r"\s*([?~%])\s*\Z", s[i:j])
            if tail and tail.start() > 0:
                j, mark = i + tail.start(), tail.group(1)
                approximate |= mark in "~%"
                uncertain |= mark in "?%"
                continue
            head = self.approximate.match(s, i, j) or self.uncertain.match(s, i, j)
            if head and head.end() < j:
                approximate |= head.re is self.approximate
                uncertain |= head.re is self.uncertain
                i = head.end()
                continue
            return i, j, approximate, uncertain

    def _flagged(self, s: str, ctx: _Ctx) -> _Span:
        i, j, approximate, uncertain = self._flags(s)
        span = self._single(s[i:j].strip(), ctx)
        return replace(span, approximate=span.approximate or approximate,
                       uncertain=span.uncertain or uncertain)

    def _single(self, s: str, ctx: _Ctx) -> _Span:
        problem = None
        while s:
            for rx, handler in self.rules:
                m = rx.fullmatch(s)
                if m is None:
                    continue
                try:
                    return handler(m.groupdict(), ctx)
                except _Unread as err:
                    problem = problem or err
                except (ValueError, OverflowError):
                    problem = problem or _Unread("the date falls outside the years 0001–9999")
            filler = self.filler.match(s)
            s = s[filler.end():] if filler and filler.end() else ""
        raise problem or _Unread("the words do not make a date I know", 1)

    def _interval(self, s: str, ctx: _Ctx) -> _Reading | None:
        i, j, approximate, uncertain = self._flags(s)
        frame = self.frame.match(s, i, j)
        start = frame.end() if frame else i
        joiners = self.frames[_key(frame["f"])] if frame else self.joiners
        problem = None
        for sep in self.separator.finditer(s, start, j):
            if (frame and sep["w"] is None) or (sep["w"] and _key(sep["w"]) not in joiners):
                continue
            a0, a1, b0, b1 = *_trim(s, start, sep.start()), *_trim(s, sep.end(), j)
            try:
                if s[a0:a1] == "..":
                    raise _Unread("an interval with an open start has no start date to read")
                if sep["sym"] == "/" and s[b0:b1] in ("", ".."):
                    first, second = self._flagged(s[a0:a1], ctx), None
                else:
                    first, second = self._ends(s[a0:a1], s[b0:b1], ctx)
                    if first.lo > second.hi:
                        raise _Unread("the range ends before it starts")
            except _Unread as err:
                problem = err if problem is None or err.rank > problem.rank else problem
                continue
            flag = {"approximate": True} if approximate else {}
            flag |= {"uncertain": True} if uncertain else {}
            return _Reading(replace(first, **flag), second and replace(second, **flag), (a0, a1, b0, b1))
        if problem:
            raise problem
        return None

    def _ends(self, a: str, b: str, ctx: _Ctx) -> tuple[_Span, _Span]:
        try:
            second = self._flagged(b, ctx)
        except _Unread:
            first = self._flagged(a, ctx)
            return first, self._flagged(b, replace(ctx, day=first.lo.date()))
        lent = replace(ctx, year=second.lo.year, before=second.lo,
                       month=None if second.precision == "year" else second.lo.month)
        return self._flagged(a, lent), second

    # -- handlers: each gets the match's groups and returns a span or raises _Unread

    def _with_year(self, ctx: _Ctx, y: str | None, build: Callable[[int], _Span], shift: bool = True) -> _Span:
        if y is not None:
            return build(int(y))
        if ctx.year is not None:
            span = build(ctx.year)
            if shift and ctx.before is not None and span.lo > ctx.before:
                span = build(ctx.year - 1)
            return span
        problem = None
        for year in range(ctx.ref.year, max(ctx.ref.year - 9, 0), -1):
            try:
                span = build(year)
            except _Unread as err:
                problem = problem or err
                continue
            if span.lo.date() <= ctx.ref:
                return span
        raise problem or _Unread("no year puts it on or before the reference day")

    def _iso(self, g: dict, ctx: _Ctx) -> _Span:
        ys, ms, ds = g["y"], g["m"], g["d"]
        if "x" in ys:
            if (ms or "xx") != "xx" or (ds or "xx") != "xx":
                raise _Unread("only a year alone can have unspecified (X) digits")
            return _years(max(int(ys.replace("x", "0")), 1), int(ys.replace("x", "9")))
        if ms in (None, "xx"):
            if ds not in (None, "xx"):
                raise _Unread("a day needs its month")
            return _years(int(ys), int(ys))
        year, month = int(ys), int(ms)
        if 21 <= month <= 24 and ds is None:
            return _season(year, list(W.SEASON_START)[month - 21])
        if not 1 <= month <= 12:
            raise _Unread(f"{ms} is neither a month (01–12) nor a season (21–24)")
        if ds in (None, "xx"):
            return _months(year, month, year, month)
        day = _date(year, month, int(ds))
        if g["H"] is None:
            return _days(day)
        hour, minute = int(g["H"]), None if g["M"] is None else int(g["M"])
        if hour > 23 or (minute or 0) > 59:
            raise _Unread(f"{g['H']}:{g['M'] or '00'} is not a time of day")
        return _at(day, hour, minute, _offset(g["tz"]))

    def _numeric(self, g: dict, ctx: _Ctx) -> _Span:
        year, month = int(g["y"]), int(g["m"])
        if g.get("d") is None:
            return _months(year, month, year, month)
        day = _date(year, month, int(g["d"]))
        return _at(day, *_clock(g["time"])) if g.get("time") else _days(day)

    def _calendar(self, g: dict, ctx: _Ctx) -> _Span:
        month = self.months[_key(g["mon"])] if g.get("mon") else ctx.month
        if month is None:
            raise _Unread("a day number alone is not a date", 1)
        if g.get("d") is None:
            return self._with_year(ctx, g.get("y"), lambda y: _months(y, month, y, month))

        def build(year: int) -> _Span:
            day = _date(year, month, int(g["d"]))
            return _at(day, *_clock(g["time"])) if g.get("time") else _days(day)

        span = self._with_year(ctx, g.get("y"), build, shift=bool(g.get("mon")))
        if g.get("wd"):
            want, day = self.weekdays[_key(g["wd"])], span.lo.date()
            if day.weekday() != want:
                raise _Unread(f"{_day_text(day)} is a {_DAY_NAMES[day.weekday()]}, not a {_DAY_NAMES[want]}")
        return span

    def _clock_only(self, g: dict, ctx: _Ctx) -> _Span:
        if ctx.day is None:
            raise _Unread("a time of day needs a date", 1)
        return _at(ctx.day, *_clock(g["time"]))

    def _decade(self, g: dict, ctx: _Ctx) -> _Span:
        start = int(g["dy"] or g["dy2"])
        if not g.get("q"):
            return _years(max(start, 1), start + 9)
        a, b = _THIRD_YEARS[self.thirds[_key(g["q"])]]
        return _years(max(start + a, 1), start + b, approximate=True)

    def _third_of_year(self, g: dict, ctx: _Ctx) -> _Span:
        year, (a, b) = int(g["y"]), _THIRD_MONTHS[self.thirds[_key(g["q"])]]
        return _months(year, a, year, b, approximate=True)

    def _third_of_month(self, g: dict, ctx: _Ctx) -> _Span:
        month, (a, b) = self.months[_key(g["mon"])], _THIRD_DAYS[self.thirds[_key(g["q"])]]

        def build(year: int) -> _Span:
            last = min(b, _month_days(year, month)) if 1 <= year <= 9999 else b
            return _days(_date(year, month, a), _date(year, month, last), approximate=True)

        return self._with_year(ctx, g.get("y"), build)

    def _part_of_year(self, g: dict, ctx: _Ctx) -> _Span:
        year = int(g["y"])
        if g.get("o"):
            n, half = self.ordinals[_key(g["o"])], g["part"] in ("half", "semestre", "moitie")
        else:
            n, half = int(g["n"]), g["p"] in "hs"
        if half and n in (1, 2):
            return _months(year, 6 * n - 5, year, 6 * n)
        if not half and 1 <= n <= 4:
            return _months(year, 3 * n - 2, year, 3 * n)
        raise _Unread(f"a year has no {'half' if half else 'quarter'} number {n}")

    def _season_of(self, g: dict, ctx: _Ctx) -> _Span:
        return _season(int(g["y"]), self.seasons[_key(g["s"])])

    def _in_day(self, day: date, part: str | None) -> _Span:
        if part is None:
            return _days(day)
        first, last = W.PART_HOURS[part]
        start = datetime.combine(day, time())
        return _Span(start + timedelta(hours=first), start + timedelta(hours=last, minutes=59, seconds=59),
                     "hour")

    def _relative_day(self, g: dict, ctx: _Ctx) -> _Span:
        day = ctx.ref + timedelta(days=self.rel_days[_key(g["w"])])
        if g.get("wd"):
            want = self.weekdays[_key(g["wd"])]
            if day.weekday() != want:
                raise _Unread(f"{_day_text(day)} is a {_DAY_NAMES[day.weekday()]}, not a {_DAY_NAMES[want]}")
        if g.get("p") and g.get("pb"):
            raise _Unread("the day has two parts of the day")
        part = g.get("p") or g.get("pb")
        return self._in_day(day, self.parts[_key(part)] if part else None)

    def _part_phrase(self, g: dict, ctx: _Ctx) -> _Span:
        shift, part = self.part_phrases[_key(g["w"])]
        return self._in_day(ctx.ref + timedelta(days=shift), part)

    def _ago(self, g: dict, ctx: _Ctx) -> _Span:
        if g.get("c"):
            n, unit = self.counted[_key(g["c"])]
        else:
            n = int(g["n"]) if g["n"].isdigit() else self.numbers[_key(g["n"])]
            unit = self.units[_key(g["u"])]
        approximate = unit != "day" or bool(g.get("about"))
        return _days(ctx.ref - relativedelta(**{unit + "s": n}), approximate=approximate)

    def _unit_relative(self, g: dict, ctx: _Ctx) -> _Span:
        if g.get("this"):
            step, unit = 0, self.this_units[_key(g["this"])]
        else:
            named = _key(g["u"])
            step, unit = self.directions[_key(g["dir"])], self.units.get(named) or self.named_units[named]
        if unit == "week":
            monday = ctx.ref + relativedelta(weeks=step, weekday=MO(-1))
            return _days(monday, monday + timedelta(days=6))
        if unit == "month":
            first = ctx.ref + relativedelta(months=step)
            return _months(first.year, first.month, first.year, first.month)
        return _years(ctx.ref.year + step, ctx.ref.year + step)

    def _weekday_relative(self, g: dict, ctx: _Ctx) -> _Span:
        weekday = _WEEKDAY[self.weekdays[_key(g["wd"])]]
        if g.get("dir") and g.get("fdir"):
            raise _Unread("the weekday has two directions")
        word = g.get("dir") or g.get("fdir")
        if word and self.directions[_key(word)] > 0:
            day = ctx.ref + relativedelta(days=1, weekday=weekday(+1))
        else:
            day = ctx.ref + relativedelta(days=-1, weekday=weekday(-1))
        return self._in_day(day, self.parts[_key(g["p"])] if g.get("p") else None)

    # -- prose

    def scan(self, text: str, ctx: _Ctx) -> list[tuple[int, int, _Reading]]:
        return _Scan(self, text, ctx).run()


class _Scan:
    """One pass of scan_dates over a text: candidate spans, validated by reading them, longest kept."""

    MARGIN = 60  # no pattern reaches further than this from a digit or a date word

    def __init__(self, grammar: _Grammar, text: str, ctx: _Ctx) -> None:
        self.g, self.text, self.ctx = grammar, text, ctx
        self.fold = _Folded(text)
        self.folded = self.fold.s
        self.found: dict[tuple[int, int], _Reading] = {}
        self.readings: dict[str, _Reading | None] = {}

    def run(self) -> list[tuple[int, int, _Reading]]:
        g, folded = self.g, self.folded
        windows = self._windows()
        for rx in g.scans:
            for w0, w1 in windows:
                for m in rx.finditer(folded, w0, w1):
                    self.accept(*(m.span("core") if "core" in rx.groupindex else m.span()))
        for a, b in sorted(self.found):
            m = g.time_after.match(folded, b)
            if m:
                self.accept(a, m.end())
        spans = sorted(self.found)
        for (a, b), (c, d) in zip(spans, spans[1:]):
            if b < c and g.gap.fullmatch(folded, b, c):
                frame = g.frame_before.search(folded, max(0, a - 12), a)
                if not (frame and self.accept(frame.start(), d)):
                    self.accept(a, d)
        for a, b in sorted(self.found):
            for rx in (g.before, g.approx_before):
                m = rx.search(folded, max(0, a - self.MARGIN), a)
                if m:
                    self.accept(m.start(), b)
        return [(self.fold.start(a), self.fold.end(b), reading) for a, b, reading in self._longest()]

    def _windows(self) -> list[tuple[int, int]]:
        windows: list[tuple[int, int]] = []
        for m in self.g.trigger.finditer(self.folded):
            w0, w1 = max(0, m.start() - self.MARGIN), m.end() + self.MARGIN
            if windows and w0 <= windows[-1][1]:
                windows[-1] = (windows[-1][0], w1)
            else:
                windows.append((w0, w1))
        return [(w0, _word_end(self.folded, w1)) for w0, w1 in windows]

    def _longest(self) -> list[tuple[int, int, _Reading]]:
        chosen: list[tuple[int, int, _Reading]] = []
        cluster: list[tuple[int, int, _Reading]] = []
        reach = -1
        for (a, b), reading in sorted(self.found.items()):
            if a >= reach:
                chosen += _longest_of(cluster)
                cluster = []
            cluster.append((a, b, reading))
            reach = max(reach, b)
        return chosen + _longest_of(cluster)

    def accept(self, a: int, b: int) -> bool:
        if (a, b) in self.found:
            return True
        piece = self.folded[a:b]
        capital = self.g.capital
        if capital and any(not self.text[self.fold.start(a + m.start())].isupper()
                           for m in capital.finditer(piece)):
            return False
        if piece not in self.readings:
            try:
                reading = self.g.read(piece, self.ctx)
            except _Unread:
                reading = None
            self.readings[piece] = None if reading and reading.cuts and reading.second is None else reading
        if self.readings[piece] is None:
            return False
        self.found[a, b] = self.readings[piece]
        return True


def _longest_of(overlapping: list[tuple[int, int, _Reading]]) -> list[tuple[int, int, _Reading]]:
    kept: list[tuple[int, int, _Reading]] = []
    for span in sorted(overlapping, key=lambda t: (t[0] - t[1], t[0])):
        at = bisect.bisect_left(kept, span[1], key=lambda t: t[0])
        if at == 0 or kept[at - 1][1] <= span[0]:
            kept.insert(at, span)
    return kept


def _word_end(s: str, i: int) -> int:
    while i < len(s) and (s[i].isalnum() or s[i] == "_"):
        i += 1
    return min(i, len(s))


_WORD = re.compile(r"[^\W\d_]+")


def _trim(s: str, i: int, j: int) -> tuple[int, int]:
    while i < j and s[i].isspace():
        i += 1
    while j > i and s[j - 1].isspace():
        j -= 1
    return i, j


@lru_cache(maxsize=4)
def _grammar(lang: str | None) -> _Grammar:
    if lang not in (None, "en", "fr", "ar"):
        raise ValueError(f"lang must be 'en', 'fr', 'ar' or None, not {lang!r}")
    # Arabic words are always read; an Arabic text may quote English or French dates too.
    return _Grammar(("en", "fr", "ar") if lang in (None, "ar") else (lang, "ar"))


def _reference_day(reference: datetime | date | None) -> date:
    if reference is None:
        return datetime.now(_UTC).date()
    if isinstance(reference, datetime):
        return (reference if reference.tzinfo is None else reference.astimezone(_UTC)).date()
    return reference


def _fuzzy(text: str, span: _Span) -> FuzzyDate:
    return FuzzyDate(text, span.lo.replace(tzinfo=_UTC), span.hi.replace(tzinfo=_UTC), span.precision,
                     span.approximate, span.uncertain)


def _joined(text: str, first: _Span, second: _Span) -> FuzzyDate:
    precision = PRECISIONS[min(PRECISIONS.index(first.precision), PRECISIONS.index(second.precision))]
    return _fuzzy(text, _Span(first.lo, second.hi, precision, first.approximate or second.approximate,
                              first.uncertain or second.uncertain))


def _read_text(text: str, reference: datetime | date | None,
               lang: str | None) -> tuple[_Reading, Callable[[int, int], str]]:
    """The reading of `text`, and how to cut the text between two offsets of what was read.

    `lang` is a hint: the text is read in that language (and Arabic) when it knows every word, so that
    its reading wins where languages differ; otherwise, or when that reading fails, in all three.
    """
    fold = _Folded(text)
    folded = fold.s
    s = folded.strip()
    if not s:
        raise DateParseError(f"cannot read {text!r} as a date: the text is empty")
    grammar = _grammar(lang)
    everything = grammar if lang in (None, "ar") else _grammar(None)
    words = [m for m in _WORD.finditer(folded)]
    hinted = grammar is not everything and all(grammar.known(m.group()) for m in words)
    for m in words:
        if not everything.known(m.group()):
            word = text[fold.start(m.start()):fold.end(m.end())]
            raise DateParseError(f"cannot read {text!r} as a date: unknown word {word!r}")
    offset = len(folded) - len(folded.lstrip())

    def cut(a: int, b: int) -> str:
        return text[fold.start(offset + a):fold.end(offset + b)]

    ctx = _Ctx(_reference_day(reference))
    try:
        return (grammar if hinted else everything).read(s, ctx), cut
    except _Unread as err:
        problem = err
    if hinted:
        try:
            return everything.read(s, ctx), cut
        except _Unread:
            pass
    raise DateParseError(f"cannot read {text!r} as a date: {problem.reason}") from None


def parse_fuzzy(text: str, reference: datetime | date | None = None, lang: str | None = None) -> FuzzyDate:
    """Read `text` as one fuzzy date; a range becomes one date from its start's `lo` to its end's `hi`.

    `reference` (default: today, UTC; naive means UTC) anchors relative phrases and dates without a
    year. `lang` "en" or "fr" is a hint, never a refusal: a text whose words that language (with Arabic)
    knows is read in it, so it breaks ties between languages; any other text is read in all three, as
    with None or "ar". Raises DateParseError naming what could not be read.
    """
    reading, _ = _read_text(text, reference, lang)
    if reading.second is None and reading.cuts is not None:
        raise DateParseError(f"cannot read {text!r} as a date: the range has an open end "
                             "(parse_interval reads it)")
    if reading.second is None:
        return _fuzzy(text, reading.first)
    return _joined(text, reading.first, reading.second)


def parse_interval(text: str, reference: datetime | date | None = None,
                   lang: str | None = None) -> tuple[FuzzyDate, FuzzyDate | None]:
    """Read `text` as a start and an end: "A/B", "from A to B", "3–5 February 2024", "du 3 au 5 mars".

    The end is None for an open end ("2023-10-18/..") and for a single date.
    """
    reading, cut = _read_text(text, reference, lang)
    if reading.cuts is None:
        return _fuzzy(text, reading.first), None
    a0, a1, b0, b1 = reading.cuts
    second = reading.second and _fuzzy(cut(b0, b1), reading.second)
    return _fuzzy(cut(a0, a1), reading.first), second


def scan_dates(text: str, reference: datetime | date | None = None,
               lang: str | None = None) -> list[tuple[int, int, FuzzyDate]]:
    """Find the date expressions in prose: (start, end, date) by code point, longest first, in order.

    English month names count only when capitalised ("May 2024", not "may"); a bare year only after
    a preposition ("in 2014"); bare numbers never. An Arabic date may follow a one-letter prefix
    (و, ف, ب), which stays outside the span; tashkeel on a date's last letter is inside it.
    """
    found = _grammar(lang).scan(text, _Ctx(_reference_day(reference)))
    return [(a, b, _fuzzy(text[a:b], r.first) if r.second is None else _joined(text[a:b], r.first, r.second))
            for a, b, r in found]
