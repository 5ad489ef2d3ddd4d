"""The grammar of dates: the patterns for one choice of languages, and what each form means.

`_Grammar` compiles, once per choice of languages, the patterns for every form a date is written in
(ISO 8601 and EDTF, numeric, calendar phrases, thirds, quarters, seasons, relative days and weekdays,
"ago", clock times) from the word tables in `words`, and reads a whole folded text as one date or a
range (`read`). Each form has a handler that turns the match's groups into a `_Span`, or says with
`_Unread` why the values are impossible. It also holds the patterns `scan` looks for in prose.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Callable

from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

from sijill.db.dates import words as W
from sijill.db.dates.folding import _WORD, _alt, _fold, _key
from sijill.db.dates.spans import (_CLOCK, _Ctx, _Reading, _Span, _Unread, _at, _clock, _date, _days, _months,
                                   _offset, _season, _years)
from sijill.db.dates.value import _THIRD_DAYS, _THIRD_MONTHS, _THIRD_YEARS, _day_text, _month_days

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY = (MO, TU, WE, TH, FR, SA, SU)

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


def _trim(s: str, i: int, j: int) -> tuple[int, int]:
    while i < j and s[i].isspace():
        i += 1
    while j > i and s[j - 1].isspace():
        j -= 1
    return i, j
