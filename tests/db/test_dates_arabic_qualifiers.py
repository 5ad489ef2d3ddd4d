"""sijill.db.dates: Arabic early/mid/late qualifiers, and `lang` as a hint rather than a refusal.

Each Arabic phrase is checked against bounds worked out by hand (thirds of a month: 1-10, 11-20, 21-end;
of a year: Jan-Apr, May-Aug, Sep-Dec) and against the English phrase that says the same.
"""
from __future__ import annotations

from datetime import datetime

import pytest

from sijill.db.dates import DateParseError, parse_fuzzy, parse_interval, scan_dates

REF = datetime(2024, 5, 1)
EOD = "T23:59:59"


def bounds(d) -> tuple[str, str, str, bool]:
    return (d.lo.replace(tzinfo=None).isoformat(), d.hi.replace(tzinfo=None).isoformat(), d.precision,
            d.approximate)


# (Arabic, English equivalent, lo, hi, precision)
CASES = [
    ("منتصف تشرين الأول 2023", "mid-October 2023", "2023-10-11T00:00:00", "2023-10-20" + EOD, "day"),
    ("أواخر 2023", "late 2023", "2023-09-01T00:00:00", "2023-12-31" + EOD, "month"),
    ("أوائل 2024", "early 2024", "2024-01-01T00:00:00", "2024-04-30" + EOD, "month"),
    ("نهاية كانون الثاني 2024", "end of January 2024", "2024-01-21T00:00:00", "2024-01-31" + EOD, "day"),
    ("مطلع شباط 2024", "early February 2024", "2024-02-01T00:00:00", "2024-02-10" + EOD, "day"),
    ("بداية آذار 2024", "beginning of March 2024", "2024-03-01T00:00:00", "2024-03-10" + EOD, "day"),
    ("بداية 2016", "beginning of 2016", "2016-01-01T00:00:00", "2016-04-30" + EOD, "month"),
    ("أواسط 2016", "mid 2016", "2016-05-01T00:00:00", "2016-08-31" + EOD, "month"),
    ("أواسط حزيران 2014", "mid-June 2014", "2014-06-11T00:00:00", "2014-06-20" + EOD, "day"),
    ("منتصف 2014", "mid 2014", "2014-05-01T00:00:00", "2014-08-31" + EOD, "month"),
    ("أوائل تموز 2019", "early July 2019", "2019-07-01T00:00:00", "2019-07-10" + EOD, "day"),
    ("أواخر شباط 2024", "late February 2024", "2024-02-21T00:00:00", "2024-02-29" + EOD, "day"),
    ("نهاية 2019", "end of 2019", "2019-09-01T00:00:00", "2019-12-31" + EOD, "month"),
    ("آخر 2023", "late 2023", "2023-09-01T00:00:00", "2023-12-31" + EOD, "month"),
    ("آخر أيلول 2020", "late September 2020", "2020-09-21T00:00:00", "2020-09-30" + EOD, "day"),
    # Egyptian/Gulf and Maghrebi month names
    ("منتصف أكتوبر 2023", "mid-October 2023", "2023-10-11T00:00:00", "2023-10-20" + EOD, "day"),
    ("نهاية يناير 2024", "late January 2024", "2024-01-21T00:00:00", "2024-01-31" + EOD, "day"),
    ("أواخر جانفي 2024", "late January 2024", "2024-01-21T00:00:00", "2024-01-31" + EOD, "day"),
    ("مطلع فيفري 2024", "early February 2024", "2024-02-01T00:00:00", "2024-02-10" + EOD, "day"),
    ("منتصف جوان 2014", "mid-June 2014", "2014-06-11T00:00:00", "2014-06-20" + EOD, "day"),
    # the unit named between: شهر before the month, عام/العام/سنة before the year, "من عام" after the month
    ("منتصف شهر تشرين الأول 2023", "mid-October 2023", "2023-10-11T00:00:00", "2023-10-20" + EOD, "day"),
    ("أواخر عام 2023", "late 2023", "2023-09-01T00:00:00", "2023-12-31" + EOD, "month"),
    ("مطلع العام 2024", "early 2024", "2024-01-01T00:00:00", "2024-04-30" + EOD, "month"),
    ("أوائل سنة 2024", "early 2024", "2024-01-01T00:00:00", "2024-04-30" + EOD, "month"),
    ("منتصف تشرين الأول من عام 2023", "mid-October 2023", "2023-10-11T00:00:00", "2023-10-20" + EOD, "day"),
    # Arabic-Indic digits, tashkeel, tatweel, the prefixes و/ف/ب and "في"
    ("منتصف تشرين الأول ٢٠٢٣", "mid-October 2023", "2023-10-11T00:00:00", "2023-10-20" + EOD, "day"),
    ("مُنْتَصَفَ تِشْرِينَ الأَوَّلِ ٢٠٢٣", "mid-October 2023", "2023-10-11T00:00:00", "2023-10-20" + EOD, "day"),
    ("أواخـــر ٢٠٢٣", "late 2023", "2023-09-01T00:00:00", "2023-12-31" + EOD, "month"),
    ("وأواخر 2023", "late 2023", "2023-09-01T00:00:00", "2023-12-31" + EOD, "month"),
    ("فأوائل 2024", "early 2024", "2024-01-01T00:00:00", "2024-04-30" + EOD, "month"),
    ("بنهاية كانون الثاني 2024", "late January 2024", "2024-01-21T00:00:00", "2024-01-31" + EOD, "day"),
    ("وبنهاية كانون الثاني 2024", "late January 2024", "2024-01-21T00:00:00", "2024-01-31" + EOD, "day"),
    ("في منتصف تشرين الأول 2023", "in mid-October 2023", "2023-10-11T00:00:00", "2023-10-20" + EOD, "day"),
    ("وفي مطلع شباط 2024", "in early February 2024", "2024-02-01T00:00:00", "2024-02-10" + EOD, "day"),
    # no year: the latest one that does not put the date after the reference (1 May 2024)
    ("منتصف تشرين الأول", "mid-October", "2023-10-11T00:00:00", "2023-10-20" + EOD, "day"),
    ("مطلع شباط", "early February", "2024-02-01T00:00:00", "2024-02-10" + EOD, "day"),
]


@pytest.mark.parametrize("arabic, english, lo, hi, precision", CASES)
def test_arabic_qualifier_has_the_bounds_of_its_english_equivalent(arabic, english, lo, hi, precision):
    read = parse_fuzzy(arabic, reference=REF)
    assert bounds(read) == (lo, hi, precision, True)
    assert bounds(parse_fuzzy(english, reference=REF)) == bounds(read)
    assert read.text == arabic


@pytest.mark.parametrize("arabic, english", [(a, e) for a, e, *_ in CASES])
def test_arabic_qualifier_displays_as_english_and_reads_back(arabic, english):
    read = parse_fuzzy(arabic, reference=REF)
    assert read.display() == parse_fuzzy(english, reference=REF).display()
    assert bounds(parse_fuzzy(read.display(), reference=REF)) == bounds(read)


def test_display_of_the_brief_phrases():
    shown = [parse_fuzzy(t, reference=REF).display() for t in
             ("منتصف تشرين الأول 2023", "أواخر 2023", "أوائل 2024", "نهاية كانون الثاني 2024", "مطلع شباط 2024")]
    assert shown == ["mid-Oct 2023", "late 2023", "early 2024", "late Jan 2024", "early Feb 2024"]


@pytest.mark.parametrize("text", ["أول 2024", "أول أيار 2024", "منتصف", "أواخر الحشد 2023"])
def test_ambiguous_or_incomplete_arabic_is_refused(text):
    with pytest.raises(DateParseError):
        parse_fuzzy(text, reference=REF)


def test_arabic_qualifiers_in_a_range():
    start, end = parse_interval("منتصف تشرين الأول 2023 – أواخر كانون الثاني 2024", reference=REF)
    assert bounds(start)[:2] == ("2023-10-11T00:00:00", "2023-10-20" + EOD)
    assert bounds(end)[:2] == ("2024-01-21T00:00:00", "2024-01-31" + EOD)


# --- lang is a hint ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, lang", [
    ("mid-October 2023", "fr"),
    ("end of January 2024", "fr"),
    ("yesterday", "fr"),
    ("mi-octobre 2023", "en"),
    ("fin janvier 2024", "en"),
    ("hier soir", "en"),
    ("منتصف تشرين الأول 2023", "fr"),
    ("أواخر 2023", "en"),
    ("3e trimestre 2016", "en"),
])
def test_lang_hint_reads_a_phrase_of_another_language(text, lang):
    hinted = parse_fuzzy(text, reference=REF, lang=lang)
    assert bounds(hinted) == bounds(parse_fuzzy(text, reference=REF))


@pytest.mark.parametrize("lang", [None, "en", "fr", "ar"])
def test_lang_hint_keeps_day_month_order_and_refuses_unknown_words(lang):
    assert bounds(parse_fuzzy("03/04/2024", lang=lang))[:2] == ("2024-04-03T00:00:00", "2024-04-03" + EOD)
    with pytest.raises(DateParseError, match="unknown word 'quux'"):
        parse_fuzzy("quux 2024", lang=lang)
    with pytest.raises(DateParseError, match="day 31 is not in February 2024"):
        parse_fuzzy("31 February 2024", lang=lang)


# --- scan_dates ----------------------------------------------------------------------------------

def found(text: str) -> list[tuple[str, str]]:
    return [(text[a:b], d.display()) for a, b, d in scan_dates(text, reference=REF)]


@pytest.mark.parametrize("lang", [None, "en", "fr", "ar"])
def test_scan_finds_arabic_qualifiers_in_a_sentence(lang):
    text = ("تصاعدت الهجمات في منتصف تشرين الأول 2023 واستمرت حتى أواخر 2023، ثم تراجعت أوائل 2024، "
            "وفي نهاية كانون الثاني 2024 قتل ثلاثة جنود، ومطلع شباط 2024 جاء الرد.")
    hits = [(text[a:b], d.display()) for a, b, d in scan_dates(text, reference=REF, lang=lang)]
    assert hits == [("منتصف تشرين الأول 2023", "mid-Oct 2023"), ("أواخر 2023", "late 2023"),
                    ("أوائل 2024", "early 2024"), ("نهاية كانون الثاني 2024", "late Jan 2024"),
                    ("مطلع شباط 2024", "early Feb 2024")]


def test_scan_keeps_the_unit_words_and_leaves_the_prefix_out():
    text = "أعلنت الهيئة في أواخر عام ٢٠٢٣ عن هيكلة جديدة، وبمنتصف شهر أكتوبر 2023 عن أخرى."
    assert found(text) == [("أواخر عام ٢٠٢٣", "late 2023"), ("منتصف شهر أكتوبر 2023", "mid-Oct 2023")]


def test_scan_finds_arabic_qualifiers_with_tashkeel_in_mixed_text():
    text = "Strikes began in mid-October 2023 (في مُنْتَصَفِ تِشْرِينَ الأَوَّلِ ٢٠٢٣)."
    assert found(text) == [("mid-October 2023", "mid-Oct 2023"),
                           ("مُنْتَصَفِ تِشْرِينَ الأَوَّلِ ٢٠٢٣", "mid-Oct 2023")]
