"""Word tables for `sijill.db.dates`, spelled as people write them.

`sijill.db.dates` folds every entry (lower case, accents and hamza/madda marks dropped, typographic apostrophes
and dashes made plain) before building its patterns, so "février" here also matches "fevrier" and "FÉVR.".
Tables are keyed by language: "en", "fr", "ar"; Arabic words are always accepted. Arabic entries are
written without tashkeel: the folding also drops tashkeel and tatweel, reads ى as ي and ة as ه, and
`sijill.db.dates` accepts the one-letter prefixes و, ف and ب before an Arabic date ("وبالأمس", "فالأسبوع الماضي").
"""
from __future__ import annotations

# Month names in full, January first, as a sentence writes them: the one spelling of them that labels,
# messages and a dragged date's rewritten text (db/timeline/snap.py) use, and the full names read below.
MONTH_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
}


def _numbered(names: tuple[str, ...]) -> dict[str, int]:
    return {name.lower(): month for month, name in enumerate(names, 1)}


MONTHS: dict[str, dict[str, int]] = {
    "en": {**_numbered(MONTH_NAMES["en"]), "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7,
           "aug": 8, "sept": 9, "sep": 9, "oct": 10, "nov": 11, "dec": 12},
    "fr": {**_numbered(MONTH_NAMES["fr"]), "janv": 1, "jan": 1, "févr": 2, "fév": 2, "avr": 4, "juil": 7,
           "sept": 9, "oct": 10, "nov": 11, "déc": 12},
    "ar": {"كانون الثاني": 1, "شباط": 2, "آذار": 3, "نيسان": 4, "أيار": 5, "حزيران": 6, "تموز": 7,
           "آب": 8, "أيلول": 9, "تشرين الأول": 10, "تشرين الثاني": 11, "كانون الأول": 12,
           "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "إبريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6,
           "يوليو": 7, "يوليه": 7, "أغسطس": 8, "سبتمبر": 9, "أكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
           "جانفي": 1, "فيفري": 2, "أفريل": 4, "ماي": 5, "جوان": 6, "جويلية": 7, "أوت": 8},
}

# English month words that are also ordinary words or verbs: in prose they count only when capitalised.
CAPITALISED_ONLY = frozenset({"january", "jan", "february", "feb", "march", "mar", "april", "apr", "may",
                              "june", "jun", "july", "jul", "august", "aug", "september", "sep"})

WEEKDAYS: dict[str, dict[str, int]] = {
    "en": {"monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
           "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
           "sunday": 6, "sun": 6},
    "fr": {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6},
    "ar": {"الاثنين": 0, "الإثنين": 0, "الثلاثاء": 1, "الأربعاء": 2, "الخميس": 3, "الجمعة": 4,
           "السبت": 5, "الأحد": 6},
}
# Only full names stand alone as "the most recent such day"; abbreviations need a date after them.
WEEKDAYS_ALONE: dict[str, tuple[str, ...]] = {
    "en": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "ar": ("الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
}

NUMBERS: dict[str, dict[str, int]] = {
    "en": {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30},
    "fr": {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
           "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20,
           "trente": 30},
    # after "قبل"/"منذ" ("قبل ثلاثة أيام"); one and two are said by the unit itself (COUNTED_UNITS)
    "ar": {"ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "أربع": 4, "خمسة": 5, "خمس": 5, "ستة": 6, "ست": 6,
           "سبعة": 7, "سبع": 7, "ثمانية": 8, "ثماني": 8, "ثمان": 8, "تسعة": 9, "تسع": 9, "عشرة": 10,
           "عشر": 10, "أحد عشر": 11, "إحدى عشرة": 11, "اثنا عشر": 12, "اثني عشر": 12, "اثنتا عشرة": 12,
           "اثنتي عشرة": 12, "خمسة عشر": 15, "خمس عشرة": 15, "عشرون": 20, "عشرين": 20, "ثلاثون": 30,
           "ثلاثين": 30},
}

UNITS: dict[str, dict[str, str]] = {
    "en": {"day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month",
           "months": "month", "year": "year", "years": "year"},
    "fr": {"jour": "day", "jours": "day", "semaine": "week", "semaines": "week", "mois": "month",
           "an": "year", "ans": "year", "année": "year", "années": "year"},
    # plural after 3-10, accusative singular after 11-99, genitive singular after 100 and more
    "ar": {"أيام": "day", "يوما": "day", "يوم": "day", "أسابيع": "week", "أسبوعا": "week", "أسبوع": "week",
           "أشهر": "month", "شهور": "month", "شهرا": "month", "شهر": "month", "أعوام": "year",
           "سنوات": "year", "سنين": "year", "عاما": "year", "عام": "year", "سنة": "year"},
}

# Arabic units that carry their own count: a singular is one, a dual two ("قبل يومين": two days ago).
COUNTED_UNITS: dict[str, dict[str, tuple[int, str]]] = {
    "ar": {"يوم": (1, "day"), "أسبوع": (1, "week"), "شهر": (1, "month"), "عام": (1, "year"),
           "سنة": (1, "year"), "يومين": (2, "day"), "يومان": (2, "day"), "أسبوعين": (2, "week"),
           "أسبوعان": (2, "week"), "شهرين": (2, "month"), "شهران": (2, "month"), "عامين": (2, "year"),
           "عامان": (2, "year"), "سنتين": (2, "year"), "سنتان": (2, "year")},
}

# "ago" as a word before the count (the English "ago" and French "il y a" are in the patterns).
AGO: dict[str, tuple[str, ...]] = {
    "ar": ("قبل", "منذ"),
}
# "قبل" is also "before" and "منذ" "since": with one of these after the count, the count belongs to
# something else ("قبل يومين من الهجوم", "منذ عام 2014", "قبل شهر رمضان"), and so with a word that has the
# article ("قبل يوم الجمعة"). "على" is not among them: "قبل يومين على الانتخابات" is said, but "وقع هجوم قبل
# يومين على القاعدة" (two days ago, on the base) is as common.
AGO_NOT_BEFORE: dict[str, tuple[str, ...]] = {
    "ar": ("من", "محرم", "صفر", "ربيع", "جمادى", "رجب", "شعبان", "رمضان", "شوال", "ذي", "ذو"),
}

# Units named with the article, before a direction ("الأسبوع الماضي", "السنة المقبلة").
NAMED_UNITS: dict[str, dict[str, str]] = {
    "ar": {"الأسبوع": "week", "الشهر": "month", "العام": "year", "السنة": "year"},
}

ORDINALS: dict[str, dict[str, int]] = {
    "en": {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4},
    "fr": {"premier": 1, "première": 1, "1er": 1, "1re": 1, "second": 2, "seconde": 2, "deuxième": 2,
           "2e": 2, "2ème": 2, "2nd": 2, "troisième": 3, "3e": 3, "3ème": 3, "quatrième": 4, "4e": 4,
           "4ème": 4},
}

# Thirds: of a year (Jan-Apr, May-Aug, Sep-Dec), a month (1-10, 11-20, 21-end) or a decade (0-3, 4-6, 7-9).
THIRDS: dict[str, dict[str, str]] = {
    "en": {"early": "early", "beginning of": "early", "start of": "early", "mid": "mid",
           "middle of": "mid", "late": "late", "end of": "late"},
    "fr": {"début": "early", "début de": "early", "début d'": "early", "mi": "mid", "milieu de": "mid",
           "milieu d'": "mid", "fin": "late", "fin de": "late", "fin d'": "late"},
    # "آخر" before a month or a year is its end ("آخر 2023"); "أول" is left out: "أول أيار" is 1 May.
    "ar": {"أوائل": "early", "مطلع": "early", "بداية": "early", "بدايات": "early", "أواسط": "mid",
           "منتصف": "mid", "أواخر": "late", "نهاية": "late", "نهايات": "late", "آخر": "late"},
}
# Arabic may name the unit between a qualifier and a month or a year, or between a month and its year:
# "منتصف شهر تشرين الأول", "أواخر عام 2023", "مطلع العام 2024", "تشرين الأول من عام 2023".
MONTH_WORDS: dict[str, tuple[str, ...]] = {"ar": ("شهر",)}
YEAR_WORDS: dict[str, tuple[str, ...]] = {"ar": ("عام", "العام", "سنة", "السنة")}
OF_YEAR: dict[str, tuple[str, ...]] = {"ar": ("من",)}

SEASONS: dict[str, dict[str, str]] = {
    "en": {"spring": "spring", "summer": "summer", "autumn": "autumn", "fall": "autumn",
           "winter": "winter"},
    "fr": {"printemps": "spring", "été": "summer", "automne": "autumn", "hiver": "winter"},
}
# Northern-hemisphere meteorological seasons: first month; each lasts three (winter runs into next year).
SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}

RELATIVE_DAYS: dict[str, dict[str, int]] = {
    "en": {"today": 0, "yesterday": -1, "tomorrow": 1, "day before yesterday": -2,
           "day after tomorrow": 2},
    "fr": {"aujourd'hui": 0, "hier": -1, "demain": 1, "avant-hier": -2, "avant hier": -2,
           "après-demain": 2, "après demain": 2},
    "ar": {"اليوم": 0, "أمس": -1, "الأمس": -1, "البارحة": -1, "غدا": 1, "بعد غد": 2, "أول أمس": -2,
           "أول من أمس": -2, "أمس الأول": -2},
}
# Words after which a relative day is something else: "اليوم" is also "the day" ("اليوم التالي", "في اليوم
# الذي"; also "ذلك اليوم", see db.dates), and "بأمس الحاجة" is "in dire need".
RELATIVE_DAY_NOT_BEFORE: dict[str, dict[str, tuple[str, ...]]] = {
    "ar": {"اليوم": ("التالي", "السابق", "نفسه", "ذاته", "الذي", "الأول", "الثاني", "الثالث", "الأخير",
                     "الوطني", "العالمي", "الدولي", "الموعود"),
           "أمس": ("الحاجة",)},
}

PARTS_OF_DAY: dict[str, dict[str, str]] = {
    "en": {"morning": "morning", "afternoon": "afternoon", "evening": "evening", "night": "night"},
    "fr": {"matin": "morning", "après-midi": "afternoon", "soir": "evening", "nuit": "night"},
    "ar": {"صباحا": "morning", "ظهرا": "afternoon", "عصرا": "afternoon", "مساء": "evening", "ليلا": "night"},
}
# Arabic names the part before the day: "صباح اليوم", "مساء أمس", "ليلة أمس" (also "مساء يوم أمس").
# ("ظهر" is left out: it is also the verb "appeared", as in "ظهر أمس في تسجيل".)
PARTS_BEFORE_DAY: dict[str, dict[str, str]] = {
    "ar": {"صباح": "morning", "عصر": "afternoon", "مساء": "evening", "ليلة": "night", "ليل": "night"},
}
# First and last hour; the night runs from 18:00 to 05:59 the next morning.
PART_HOURS = {"morning": (6, 11), "afternoon": (12, 17), "evening": (18, 23), "night": (18, 29)}

# Phrases naming a part of a day relative to the reference: (days from the reference, part).
DAY_PART_PHRASES: dict[str, dict[str, tuple[int, str]]] = {
    "en": {"this morning": (0, "morning"), "this afternoon": (0, "afternoon"),
           "this evening": (0, "evening"), "tonight": (0, "evening"), "last night": (-1, "night")},
    "fr": {"ce matin": (0, "morning"), "cet après-midi": (0, "afternoon"), "ce soir": (0, "evening"),
           "cette nuit": (-1, "night")},
    "ar": {"هذا الصباح": (0, "morning"), "هذا المساء": (0, "evening"), "الليلة الماضية": (-1, "night")},
}

# last/this/next, as a word before (English) or after (French, Arabic) the unit or weekday.
DIRECTIONS: dict[str, dict[str, int]] = {
    "en": {"last": -1, "previous": -1, "this": 0, "next": 1},
    "fr": {"dernier": -1, "dernière": -1, "passé": -1, "passée": -1, "prochain": 1, "prochaine": 1},
    "ar": {"الماضي": -1, "الماضية": -1, "الفائت": -1, "الفائتة": -1, "المنصرم": -1, "المنصرمة": -1,
           "المقبل": 1, "المقبلة": 1, "القادم": 1, "القادمة": 1, "الحالي": 0, "الحالية": 0, "الجاري": 0,
           "الجارية": 0},
}
THIS_UNIT: dict[str, dict[str, str]] = {
    "fr": {"cette semaine": "week", "ce mois": "month", "cette année": "year", "cet an": "year"},
    "ar": {"هذا الأسبوع": "week", "هذا الشهر": "month", "هذا العام": "year", "هذه السنة": "year"},
}

APPROXIMATE: dict[str, tuple[str, ...]] = {
    "en": ("circa", "c.", "ca.", "ca", "c", "about", "around", "approximately", "approx.", "approx",
           "roughly"),
    "fr": ("vers", "environ", "autour de", "aux alentours de", "aux environs de"),
    "ar": ("حوالي", "نحو", "قرابة", "زهاء"),
}
UNCERTAIN: dict[str, tuple[str, ...]] = {
    "en": ("perhaps", "maybe", "possibly", "probably"),
    "fr": ("peut-être", "probablement"),
}

# Words that may open a date and carry nothing ("on 18 October", "l'été 2016", "في 18 أكتوبر").
FILLERS: dict[str, tuple[str, ...]] = {
    "en": ("on", "in", "at", "the", "during", "of"),
    "fr": ("le", "la", "les", "l'", "en", "au", "aux", "à", "dans", "du", "de", "des", "d'", "courant"),
    "ar": ("في", "يوم", "خلال"),
}

# Interval frames and the words that may join their two ends.
FRAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {"from": ("to", "until", "till", "through", "thru"), "between": ("and",)},
    "fr": {"du": ("au", "jusqu'au"), "de": ("à", "jusqu'à", "jusqu'en"), "entre": ("et",),
           "depuis": ("jusqu'à", "jusqu'au", "jusqu'en")},
}
JOINERS: dict[str, tuple[str, ...]] = {
    "en": ("to", "until", "till", "through", "thru"),
    "fr": ("au", "jusqu'au", "jusqu'à", "jusqu'en"),
}

# A bare year counts as a date in prose only after one of these ("in 2014", "depuis 2003", "عام 2014").
YEAR_PREPOSITIONS: dict[str, tuple[str, ...]] = {
    "en": ("in", "since", "until", "during", "before", "after"),
    "fr": ("en", "depuis", "jusqu'en", "avant", "après", "durant", "pendant"),
    "ar": ("عام", "سنة", "منذ"),
}

# Letters that appear inside numeric forms: 18th, 1er, 14h30, Q3, T3, H1, 201X, 2010s, 2pm, ISO "T"/"Z".
SYMBOL_WORDS = frozenset({"st", "nd", "rd", "th", "er", "re", "e", "eme", "h", "q", "t", "x", "xx", "s",
                          "am", "pm", "a", "m", "p", "z", "utc", "gmt", "ci", "of", "de", "d", "l",
                          "half", "quarter", "semestre", "trimestre", "moitie", "ago", "il", "y",
                          "annees", "annee", "jusqu", "and", "et", "to", "au"})
