"""sijill.db.dates.scan_dates: date expressions found in running prose, by code-point offsets.

Expected spans come from `text.index()` of the literal substring, never from the scanner itself.
"""
from __future__ import annotations

import time
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sijill.db.dates import scan_dates

REF = datetime(2024, 1, 31)  # a Wednesday


def spans(text: str, *pieces: str) -> list[tuple[int, int]]:
    """Where each piece sits in `text`, searching left to right."""
    out, at = [], 0
    for piece in pieces:
        start = text.index(piece, at)
        out.append((start, start + len(piece)))
        at = start + len(piece)
    return out


def found(text: str, **kw) -> list[tuple[int, int]]:
    return [(a, b) for a, b, _ in scan_dates(text, reference=REF, **kw)]


def day_of(text: str, piece: str) -> str:
    for a, b, d in scan_dates(text, reference=REF):
        if text[a:b] == piece:
            return d.lo.date().isoformat()
    raise AssertionError(f"{piece!r} not found")


def test_brief_example_mixes_languages():
    text = "On 18 October 2023, drones struck al-Asad; samedi dernier, a rocket hit Erbil."
    assert found(text) == spans(text, "18 October 2023", "samedi dernier")
    assert day_of(text, "samedi dernier") == "2024-01-27"


def test_english_paragraph():
    text = ("The Islamic Resistance in Iraq claimed its first drone attacks on October 17, 2023. "
            "Between 3 and 5 February 2024 US forces struck 85 targets, after the Tower 22 attack "
            "of 28 January 2024 killed three soldiers. In mid-October 2023 the tempo rose; by "
            "early 2016 the PMF had grown, and in 2014 ISIS took Mosul. Two weeks ago and again "
            "last Saturday, officials met; the first round of talks was 2024-01-27T10:00Z.")
    assert found(text) == spans(text, "October 17, 2023", "Between 3 and 5 February 2024",
                                "28 January 2024", "mid-October 2023", "early 2016", "2014",
                                "Two weeks ago", "last Saturday", "2024-01-27T10:00Z")
    assert day_of(text, "last Saturday") == "2024-01-27"
    assert day_of(text, "Two weeks ago") == "2024-01-17"


def test_french_paragraph():
    text = ("Le 7 octobre 2023, le Hamas attaque Israël. Du 3 au 5 février 2024, des frappes "
            "américaines visent 85 cibles. À la mi-octobre, les attaques se multiplient ; fin 2016 "
            "la loi sur les PMF est votée et l'été 2016 voit la bataille de Falloujah. Il y a trois "
            "jours, hier soir et la semaine dernière, des roquettes sont tombées; le 1er janvier 2024 "
            "aussi.")
    assert found(text) == spans(text, "7 octobre 2023", "Du 3 au 5 février 2024", "mi-octobre",
                                "fin 2016", "été 2016", "Il y a trois jours", "hier soir",
                                "la semaine dernière", "1er janvier 2024")
    assert day_of(text, "Il y a trois jours") == "2024-01-28"
    assert day_of(text, "1er janvier 2024") == "2024-01-01"


def test_arabic_sentence():
    text = ("في 18 تشرين الأول 2023 هاجمت طائرات مسيرة قاعدة عين الأسد، "
            "ثم في 18 أكتوبر 2023 و١٩/١٠/٢٠٢٣ وفي 2024-01-28 قتل ثلاثة جنود.")
    assert found(text) == spans(text, "18 تشرين الأول 2023", "18 أكتوبر 2023", "١٩/١٠/٢٠٢٣", "2024-01-28")
    assert day_of(text, "١٩/١٠/٢٠٢٣") == "2023-10-19"


def test_arabic_paragraph_with_relative_dates():
    text = ("قصفت طائرات مسيّرة قاعدة عين الأسد أمس الثلاثاء، وبالأمس أيضاً تبنّت المقاومة الإسلامية هجوماً "
            "على حقل كونيكو. وقال مسؤول أمني إن هجوماً مماثلاً وقع قبل ثلاثة أيام، وآخر قبل ٣ أيام على قاعدة "
            "حرير، فيما بدأت المفاوضات منذ أسبوعين. وكانت الفصائل قد أعلنت يوم السبت الماضي هدنة لم تصمد، "
            "وتصاعدت الهجمات في الأسبوع الماضي والشهر الماضي بعد هدوء نسبي العام الماضي. ومن المقرر أن يلتقي "
            "الطرفان غداً، بعد أن فشل لقاء أول من أمس. صباح اليوم سقطت صواريخ قرب المطار، ومساء أمس قُتل "
            "جنديان في 28 كانون الثاني 2024.")
    assert found(text) == spans(text, "أمس الثلاثاء", "الأمس", "قبل ثلاثة أيام", "قبل ٣ أيام", "منذ أسبوعين",
                                "السبت الماضي", "الأسبوع الماضي", "الشهر الماضي", "العام الماضي", "غداً",
                                "أول من أمس", "صباح اليوم", "مساء أمس", "28 كانون الثاني 2024")
    assert day_of(text, "أمس الثلاثاء") == "2024-01-30"
    assert day_of(text, "قبل ٣ أيام") == "2024-01-28"
    assert day_of(text, "منذ أسبوعين") == "2024-01-17"
    assert day_of(text, "السبت الماضي") == "2024-01-27"
    assert day_of(text, "الأسبوع الماضي") == "2024-01-22"
    assert day_of(text, "أول من أمس") == "2024-01-29"
    [(_, _, evening)] = [hit for hit in scan_dates(text, reference=REF) if text[hit[0]:hit[1]] == "مساء أمس"]
    assert (evening.lo.isoformat(), evening.hi.isoformat(), evening.precision) == (
        "2024-01-30T18:00:00+00:00", "2024-01-30T23:59:59+00:00", "hour")


def test_arabic_spans_keep_their_tashkeel():
    text = "أَمْسِ قُتِلَ جُنْدِيّانِ، وَقَبْلَ يَوْمَيْنِ أُصِيبَ ثَلاثَةٌ في الأُسْبُوعِ الماضِي."
    assert found(text) == spans(text, "أَمْسِ", "قَبْلَ يَوْمَيْنِ", "الأُسْبُوعِ الماضِي")
    assert day_of(text, "قَبْلَ يَوْمَيْنِ") == "2024-01-29"


@pytest.mark.parametrize("text", [
    "وصل الوفد قبل يومين من الهجوم.",
    "وفي اليوم التالي عاد الوفد، وفي ذلك اليوم قتل عشرة.",
    "النازحون بأمس الحاجة إلى المساعدة.",
    "أمسك الجندي بالسلاح خلال الأمسية.",
    "تقاتل الفصائل منذ سنوات، وقبل أسابيع هاجمت قاعدة.",
    "وصل قبل يوم الانتخابات.",
])
def test_no_false_arabic_dates(text):
    assert found(text) == []


def test_arabic_ago_leaves_since_a_year_to_the_year():
    text = "تقاتل الفصائل منذ عام 2014 في العراق."
    assert found(text) == spans(text, "2014")


@pytest.mark.parametrize("text", [
    "3 drones hit Tower 22 in May we think",
    "They may strike again, and march 18 miles.",
    "Brigade 313 fired 20 rockets at 4 bases; 1,500 fighters and 2000 men.",
    "The 2023-24 budget passed.",
    "Version 2.10 of the report, page 14.",
    "",
])
def test_no_false_dates(text):
    assert found(text) == []


def test_may_counts_only_capitalised_next_to_a_day_or_year():
    text = "Talks may resume. In May 2024 they did; on 3 May the envoy left. May 5, 2024 was quiet."
    assert found(text) == spans(text, "May 2024", "3 May", "May 5, 2024")


def test_code_point_offsets_after_emoji():
    text = "🚀🔥 Breaking: 👨‍👩‍👧 18 October 2023 — drones; 2023-10-19 too."
    assert found(text) == spans(text, "18 October 2023", "2023-10-19")
    assert text.index("18 October 2023") == 19  # the family emoji is five code points


def test_longest_expression_wins():
    text = "Fighting from 17 October to 23 October 2023, then c. 18 Oct 2023 14:30–16:45."
    assert found(text) == spans(text, "from 17 October to 23 October 2023", "c. 18 Oct 2023 14:30–16:45")


def test_lang_limits_scan():
    text = "On 18 October 2023, drones struck; samedi dernier, a rocket."
    assert found(text, lang="en") == spans(text, "18 October 2023")
    assert found(text, lang="fr") == spans(text, "samedi dernier")


def test_each_hit_carries_its_text_and_bounds():
    text = "Attack on 28 January 2024."
    [(a, b, d)] = scan_dates(text, reference=REF)
    assert (d.text, d.lo.isoformat(), d.hi.isoformat()) == (
        "28 January 2024", "2024-01-28T00:00:00+00:00", "2024-01-28T23:59:59+00:00")


EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
      "November", "December")
FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
      "novembre", "décembre")
AR = ("كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول",
      "تشرين الثاني", "كانون الأول")


@given(st.dates(min_value=date(1500, 1, 1), max_value=date(2099, 12, 31)),
       st.sampled_from([EN, FR, AR]),
       st.sampled_from(["On ", "Le ", "في ", "🚀 ", "(", "Report: "]),
       st.sampled_from([", drones struck.", " — 3 rockets", ".", ")", ""]))
def test_embedded_day_is_found_where_it_was_put(day, months, before, after):
    phrase = f"{day.day} {months[day.month - 1]} {day.year}"
    text = before + phrase + after
    [(a, b, d)] = scan_dates(text, reference=REF)
    assert (a, b) == (len(before), len(before) + len(phrase))
    assert d.lo.date() == day == d.hi.date()


def test_fifty_kilobytes_in_well_under_a_second():
    paragraph = ("On 18 October 2023, drones struck al-Asad airbase in Anbar; a spokesman said 3 drones "
                 "were downed near Tower 22 and that the attacks may continue. Le 7 octobre 2023, "
                 "samedi dernier et à la mi-octobre, les milices ont revendiqué 20 attaques, selon un "
                 "communiqué publié en 2024. In May officials met in Baghdad to discuss the coalition. ")
    text = paragraph * (50_000 // len(paragraph) + 1)
    assert len(text) >= 50_000
    started = time.perf_counter()
    hits = scan_dates(text, reference=REF)
    elapsed = time.perf_counter() - started
    assert len(hits) == 5 * text.count(paragraph)
    assert elapsed < 1.0


@pytest.mark.parametrize("text", ["18 October 2023 – " * 3000, "1/2/2023/" * 5000, "in 2014 " * 6000])
def test_dense_or_chained_dates_stay_fast(text):
    started = time.perf_counter()
    scan_dates(text, reference=REF)
    assert time.perf_counter() - started < 2.0  # a quadratic choice of hits took 3-10 s here


def test_arabic_text_can_be_scanned_with_lang_ar():
    text = "أعلنت المقاومة الإسلامية في 18 تشرين الأول 2023 عن هجوم، وفي 20 January 2024 عن آخر."
    found = scan_dates(text, lang="ar")
    assert [text[s:e] for s, e, _ in found] == ["18 تشرين الأول 2023", "20 January 2024"]
    assert found[0][2].lo.date().isoformat() == "2023-10-18"
