"""Fuzzy dates: the text as written, with inclusive UTC bounds, a precision and two flags.

`parse_fuzzy` reads one date expression: ISO 8601 and EDTF levels 0-1, English and French phrases
("18 October 2023", "mi-octobre", "Q3 2016", "samedi dernier"), Arabic month names and relative phrases
("السبت الماضي", "قبل يومين", with or without tashkeel), and ranges, which it reads as one span;
`parse_interval` returns a range's two ends; `scan_dates` finds dates in prose.
Nothing the text leaves out is filled in: a missing day widens the bounds to the month, a missing year
is the latest one that does not put the date after the reference day. Clock times without a zone are
UTC; the finest precision is the minute, so seconds are read and dropped.

The package, one module per job: `value` (FuzzyDate and its labels), `words` (the word tables),
`folding` (text folded for matching), `spans` (what reading produces), `grammar` (the forms and what
they mean), `scan` (dates in prose), `styles` (a date as Preferences shows it); this module is the API.
"""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Callable

from sijill.db.dates.folding import _WORD, _Folded
from sijill.db.dates.grammar import _Grammar
from sijill.db.dates.scan import _Scan
from sijill.db.dates.spans import _Ctx, _Reading, _Span, _Unread
from sijill.db.dates.value import _UTC, PRECISIONS, DateParseError, FuzzyDate

__all__ = ["PRECISIONS", "DateParseError", "FuzzyDate", "parse_fuzzy", "parse_interval", "scan_dates"]


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
    found = _Scan(_grammar(lang), text, _Ctx(_reference_day(reference))).run()
    return [(a, b, _fuzzy(text[a:b], r.first) if r.second is None else _joined(text[a:b], r.first, r.second))
            for a, b, r in found]
