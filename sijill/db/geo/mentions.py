"""Place names found in a passage of text: "Bagdad", "Téhéran", "Erbil", "بغداد", "Tower 22".

A run of one to five words is looked up by its key (`gazetteer.place_key`), the longest run winning, in:
- the project's own places (name and aliases);
- the gazetteer's places of Iraq and its neighbours (`MIN_POPULATION` or more), by every name; elsewhere
  the cities of `WORLD_POPULATION` or more, by their own name and Arabic-script names only (the world's
  alternate names hold words such as "Pari" and "Paras").
- the countries of `sijill.db.geo.countries.COUNTRY_NAMES` only: Iraq's neighbours and the Middle East, and the
  outside powers the region's news names (the United States, the United Kingdom, France, Germany, Russia,
  China); the world's other countries are found by `sijill geocode` and the completers, not in running text.
  They are found by their English, French and Arabic names ("Syria", "l'Irak", "الكويت"), not by abbreviations
  ("US", "UK"), nor as the first part of a compound ("Iran-backed", "US-led"), nor an Arabic name that reads as
  an adjective after a noun with its article ("القوات السعودية", Saudi forces; "في السعودية" is the country),
  nor a name that is also a first name just before a capitalised word that is no word of place, office or
  time (`FIRST_NAME_COUNTRIES`: "Jordan Peterson", "Georgia Brown"; "Jordan Thursday" is the country);
- the first-level divisions of Iraq and its neighbours by their own names ("Diyala", "Salah ad-Din",
  "محافظة الأنبار") where no town of the table bears the name ("Kirkuk" stays the city), and any of the region's
  divisions by any of its names when the text says it is one: "Anbar province", "Basra Governorate",
  "province of Idlib", "la province d'Anbar", "gouvernorat de Ninive", "محافظة إدلب" (the span takes in the
  word that says so). `PROVINCE_STOPWORDS` keeps out division names that mean something else in the news.
Each name resolves to its best candidate as `Gazetteer.search` ranks them (the project's places first, then
the larger population; a country before its capital of the same name: "Kuwait"). To keep ordinary words
from passing for places, a Latin name must begin with a capital in the text, a name's key must have `MIN_KEY`
letters or more (fewer for a large city), and English words that are also village names ("Tower", "Camp") are
left to the project's own places. A gazetteer's name beside "river" is the river ("The Diyala river", "the
river Jordan", "نهر ديالى"; "in Diyala", "Diyala province" are the province), and "Turkey", "China" and
"Jordan" before a noun of a dish or a thing (`THING_AFTER`: "Turkey and stuffing", "China plates") are that
thing: a short list of nouns, as a name's other senses are few and known; in lower case ("turkey", "china")
a Latin name never counts.
Arabic words may carry a one-letter proclitic ("وبغداد", "ببغداد"), French ones an elided article or
preposition ("l'Irak", "d'Erbil"). Spans are code-point offsets.
"""
from __future__ import annotations

import re
import threading

from sijill.db.geo.countries import COUNTRY_NAMES
from sijill.db.geo.gazetteer import (ARTICLES, Candidate, Gazetteer, fold_word, join_key, own_candidates,
                                     place_key)

# Iraq and Syria to their villages; their neighbours to their towns (Turkish and Iranian villages share
# names with Iraqi places: "Ambar" is also written "Anbar").
MIN_POPULATION = {"IQ": 1_000, "SY": 1_000, "*": 15_000}
WORLD_POPULATION = 500_000
MIN_KEY = 4
MAX_WORDS = 5
DETAILED = frozenset({"IQ", "SY", "IR", "TR", "JO", "SA", "KW"})
_PROCLITICS = "وفبلك"
_ELISION = re.compile(r"(?:[dlDL]|[qQ]u)['’]")  # French: "l'Irak", "d'Erbil", "qu'Alep"
TEXT_COUNTRIES = frozenset(shown for shown, _code, _names in COUNTRY_NAMES.values())
# Divisions' names not looked for alone, as they name something else in the region's news: Iran's Fars (the
# Fars news agency), Syria's UNDOF (the UN force on the Golan), Kirkuk's old name Tamim (a first name: Qatar's
# emir), Kuwait's Al Asimah ("the capital"); "Fars province" still is one.
PROVINCE_STOPWORDS = frozenset({"fars", "undof", "tamim", "tameem", "تاميم", "asimah"})
# Words that say the name beside them is a division: after it ("Anbar province"), or before it, with "of"/"de"
# ("province of Idlib", "gouvernorat de Ninive", "محافظة إدلب").
PROVINCE_AFTER = frozenset({"province", "governorate"})
PROVINCE_BEFORE = frozenset({"province", "governorate", "gouvernorat", "محافظه"})
PROVINCE_OF = frozenset({"of", "de", "du"})
_WORD = re.compile(r"\w+(?:['’ʼʿʾ]\w+)*")
_JOINERS = re.compile(r"[\s\-‐‑–]+")  # what may stand between the words of one name
ALTERNATE_POPULATION = 100_000  # a place's other names (exonyms, transliterations) count from this size up
# Village names that are ordinary English or French words, and names of people and groups in the region's
# news that are also a place's name ("Sadr", "Badr", "Qasim", "Soleimani"); a project adds such a place as
# its own when it means one.
STOPWORDS = frozenset("""
tower camp base city town port center centre north south east west river lake well wells valley station
state union police army airport border street road bridge market square gate palace mosque church
hill mountain island beach park garden village said march may june july april august date mission hope peace
victoria independence liberty dans pour avec sans elle nous vous sous sur
sadr badr qasim qassem qasem soleimani sulaimani ramadan ashraf hashd quds qods
سليماني قاسم بيان قصير
""".split())
# A capitalised word just before a name is most often a first name ("Lloyd Austin"), except these.
PLACE_WORDS = frozenset("""
camp base city province governorate district town village airport air near north south east west central
greater downtown eastern western northern southern upper lower old new outside inside in at to from of
mount mt jebel jabal lake river
""".split())
# A gazetteer's name just beside one of these words names a river, not the place: "the Diyala river", "the
# river Jordan", "la rivière Diyala", "نهر ديالى" ("نهر الأردن", the Jordan river).
RIVER_AFTER = frozenset({"river", "riviere", "fleuve"})
RIVER_BEFORE = RIVER_AFTER | {"نهر"}
# Countries whose English names are also first names: just before a capitalised word they are a person's
# ("Jordan Peterson", "Georgia Brown", "Israel Katz"), unless that word begins a place's name or is one of
# `COUNTRY_CONTEXT` ("Jordan Thursday", "Israel Defense Forces", "Georgia President").
FIRST_NAME_COUNTRIES = frozenset({"jordan", "georgia", "israel"})
COUNTRY_CONTEXT = PLACE_WORDS | frozenset("""
and or but on at by for the a an its their his her as after before since while when where said says say
prime minister ministry ministries foreign defense defence interior army armed forces force military navy
government embassy embassies king queen crown prince president presidency parliament police border borders
authorities officials troops security intelligence state
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december
""".split())
# Nouns after which a name is a thing of that name: a turkey (the dish: "Turkey and stuffing", "Turkey
# sandwich"), china (porcelain: "China plates"), Jordan almonds; the noun may follow "and"/"with"
# ("Turkey with gravy"). In lower case ("turkey", "china") no Latin name counts anyway.
THING_AFTER = {
    "turkey": frozenset("""stuffing gravy dinner dinners sandwich sandwiches breast breasts leg legs drumstick
                           drumsticks roast roasted bacon burger burgers meat slices cranberry""".split()),
    "china": frozenset("""plate plates cup cups teacup teacups saucer saucers bowl bowls dish dishes set sets
                          cabinet cabinets doll dolls clay pattern shop porcelain""".split()),
    "jordan": frozenset({"almond", "almonds", "sneakers", "shoes"}),
}
THING_JOINERS = frozenset({"and", "with"})


def _is_latin(text: str) -> bool:
    return any("a" <= c.lower() <= "z" for c in text)


def _eligible(key: str, cand: Candidate, primary: bool) -> bool:
    """Whether a name of a gazetteer entry is looked for in text: long enough for the place's size, and no
    ordinary word. Arabic words are short and many are also village names ("كيف", "how", is Kyiv)."""
    if key in STOPWORDS:
        return False
    letters = sum(c.isalpha() for c in key)
    pop = cand.population or 0
    if not _is_latin(key):
        return (letters >= 5 and (primary or pop >= ALTERNATE_POPULATION / 10)) or (
            letters == 4 and pop >= ALTERNATE_POPULATION) or (
            letters == 3 and pop >= 1_000_000 and cand.country_code in DETAILED)
    if not primary and pop < ALTERNATE_POPULATION:
        return False
    return letters >= MIN_KEY or (letters >= 3 and pop >= WORLD_POPULATION)


_TABLES: dict[int, tuple[Gazetteer, "Tables"]] = {}
_TABLES_LOCK = threading.Lock()


def prepare() -> None:
    """Load the bundled gazetteer and its table of names to look for (a second or two, once per process):
    a window calls it in a background thread so that the first source read does not wait."""
    _gazetteer_table(Gazetteer.default())


class Tables:
    """What the bundled gazetteer gives text: key -> candidate of the names looked for as they stand (`names`),
    and of the divisions' names looked for beside a word that says they are one (`provinces`)."""

    def __init__(self, names: dict[str, Candidate], provinces: dict[str, Candidate]) -> None:
        self.names, self.provinces = names, provinces


def _gazetteer_table(gazetteer: Gazetteer) -> Tables:
    """The gazetteer's names worth looking for in text; built once per gazetteer (under a second for the
    bundled one)."""
    with _TABLES_LOCK:
        cached = _TABLES.get(id(gazetteer))
        if cached is not None and cached[0] is gazetteer:
            return cached[1]
        table = _build_table(gazetteer)
        _TABLES[id(gazetteer)] = (gazetteer, table)
        return table


def _country_name_eligible(name: str, key: str) -> bool:
    """A country's name worth looking for in text: no abbreviation ("US", "U.S.", "UAE")."""
    if not _is_latin(key):
        return sum(c.isalpha() for c in key) >= 3
    return sum(c.isalpha() for c in key) >= 4 and not name.isupper() and "." not in name


def _capitals_spellings(gazetteer: Gazetteer, provinces: dict[str, tuple[int, Candidate]]) -> None:
    """Give a division named like a town of its country (10,000 people or more) that town's other spellings too:
    Natural Earth names Syria's Idlib in Latin letters only, GeoNames' Idlib is also "إدلب", so "محافظة إدلب"
    is the province."""
    for i, cand in enumerate(gazetteer.entries):
        if cand.kind != "place" or (cand.population or 0) < 10_000 or cand.country_code not in DETAILED:
            continue
        keys = {place_key(n) for n in gazetteer.names_of(i)} - {""}
        division = next((provinces[k] for k in keys if k in provinces and provinces[k][1].country == cand.country),
                        None)
        if division is not None:
            for key in keys - provinces.keys():
                provinces[key] = division


def _build_table(gazetteer: Gazetteer) -> Tables:
    table: dict[str, tuple[int, Candidate]] = {}
    divisions: list[tuple[int, Candidate]] = []
    provinces: dict[str, tuple[int, Candidate]] = {}
    detailed = {gazetteer.country_names.get(code) for code in DETAILED}
    for i, cand in enumerate(gazetteer.entries):
        pop = cand.population or 0
        if cand.kind == "country":
            if cand.name in TEXT_COUNTRIES:
                rank = gazetteer.strong_keys(i)[1]
                for n in gazetteer.names_of(i):
                    key = place_key(n)
                    if key and _country_name_eligible(n, key) and (key not in table or rank > table[key][0]):
                        table[key] = (rank, cand)
            continue
        if cand.kind == "province":
            strong, rank = gazetteer.strong_keys(i)
            for key in {place_key(n) for n in gazetteer.names_of(i)} - {""}:
                if key not in provinces or rank > provinces[key][0]:
                    provinces[key] = (rank, cand)
            if cand.country in detailed:
                divisions.append((i, cand))
            continue
        if cand.country_code in DETAILED:
            if pop < MIN_POPULATION.get(cand.country_code, MIN_POPULATION["*"]):
                continue
            names = gazetteer.names_of(i)
        elif pop >= WORLD_POPULATION:
            names = [n for j, n in enumerate(gazetteer.names_of(i)) if j == 0 or not _is_latin(n)]
        else:
            continue
        for j, n in enumerate(names):
            key = place_key(n)
            if key and _eligible(key, cand, j == 0) and (key not in table or pop > table[key][0]):
                table[key] = (pop, cand)
    _capitals_spellings(gazetteer, provinces)
    towns = set(table)
    for i, cand in divisions:  # by their own names, where no town (nor country) bears the name
        strong, rank = gazetteer.strong_keys(i)
        for key in strong - towns - PROVINCE_STOPWORDS - STOPWORDS - {""}:
            if sum(c.isalpha() for c in key) >= MIN_KEY and (key not in table or rank > table[key][0]):
                table[key] = (rank, cand)
    return Tables({k: c for k, (_, c) in table.items()}, {k: c for k, (_, c) in provinces.items()})


def _after_a_name(text: str, words, i: int) -> bool:
    """Whether words[i] follows a capitalised Latin word (an article between them aside) that does not begin
    a sentence and is no word of place: "Lloyd Austin", "Muqtada al-Sadr" are people."""
    j = i - 1
    if j >= 0 and words[j][2] in ("al", "el") and words[i][0] - words[j][1] <= 1:
        j -= 1
    if j < 0 or text[words[j][1]:words[j + 1][0]].strip(" -"):
        return False
    start, end, key = words[j]
    word = text[start:end]
    if not (word[:1].isupper() and _is_latin(word)) or key in PLACE_WORDS:
        return False
    before = text[:start].rstrip()
    return bool(before) and before[-1] not in ".!?:;\n\"«“(—–"


def _paired_country(text: str, words, i: int, cand: Candidate) -> bool:
    """A country hyphened to the word before it is one of a pair ("the Iran-Iraq war", "the Syria-Iraq border"),
    not a person's surname."""
    return cand.kind == "country" and i > 0 and text[words[i - 1][1]:words[i][0]] in ("-", "‐", "‑", "–")


def _not_a_country_here(text: str, words, i: int, n: int, start: int, end: int, cand: Candidate) -> bool:
    """Whether a country's name stands as no place: the first part of a compound ("Iran-backed", "US-led"), or an
    Arabic name that is also an adjective ("السعودية", "سورية") after a noun with the article ("القوات السعودية",
    Saudi forces), as an adjective agrees."""
    if cand.kind != "country":
        return False
    if re.match(r"[-‐‑][a-zà-ÿ]", text[end:end + 2]):
        return True
    if n == 1 and i > 0 and not _is_latin(text[start:end]) and text[start:end].startswith("ال") \
            and text[start:end].endswith("ة"):
        before = text[words[i - 1][0]:words[i - 1][1]]
        if before[:1] in _PROCLITICS and before[1:3] == "ال":  # "والحكومة السورية"
            before = before[1:]
        return before.startswith("ال") and not text[words[i - 1][1]:start].strip()
    return False


def _next_word(text: str, words, k: int) -> int | None:
    """k when words[k] follows words[k - 1] after spaces alone (no comma, no full stop, no line break), else
    None."""
    if k < len(words) and re.fullmatch(r"[ \t\u00a0]+", text[words[k - 1][1]:words[k][0]]):
        return k
    return None


def _names_a_river_or_a_thing(text: str, words, i: int, n: int) -> bool:
    """Whether the name of words[i:i + n] stands for a river ("the Diyala river", "the river Jordan", "نهر
    ديالى") or, for a name in `THING_AFTER`, for a thing ("Turkey and stuffing", "China plates")."""
    k = _next_word(text, words, i + n)
    if k is not None and words[k][2] in RIVER_AFTER:
        return True
    if i > 0 and words[i - 1][2] in RIVER_BEFORE and _next_word(text, words, i) == i:
        return True
    things = THING_AFTER.get(words[i + n - 1][2]) if n == 1 else None
    if things and k is not None:
        if words[k][2] in THING_JOINERS:
            k = _next_word(text, words, k + 1)
        return k is not None and words[k][2] in things
    return False


class PlaceMatcher:
    """Place names to look for in text, each with its resolved candidate; build once, match many passages."""

    def __init__(self, places=(), gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or Gazetteer.default()
        own: dict[str, Candidate] = {}
        for names, cand in own_candidates(places):
            for n in names:
                own.setdefault(place_key(n), cand)
        own.pop("", None)
        self._own = own
        tables = _gazetteer_table(self.gazetteer)
        self._table, self._provinces = tables.names, tables.provinces
        self._longest = max((len(k.split()) for k in (*self._table, *own, *self._provinces)), default=1)
        self._firsts = {k.split()[0] for k in (*self._table, *own)}  # a run can only start with one of these

    def __len__(self) -> int:
        return len(self._table.keys() | self._own.keys())

    def find(self, text: str) -> list[tuple[int, int, Candidate]]:
        """(start, end, candidate) of each place name in `text`, in order, none overlapping."""
        words = []
        for m in _WORD.finditer(text):
            start, end = m.span()
            if re.search(r"['’]s$", m.group()):  # "Baghdad's"
                end -= 2
            words.append((start, end, fold_word(text[start:end])))
        found = []
        i = 0
        while i < len(words):
            division = self._division_at(text, words, i)
            if division is not None:
                n, start, end, cand = division
                found.append((start, end, cand))
                i += n
                continue
            hit = self._longest_at(text, words, i)
            if hit is None:
                i += 1
                continue
            n, start, cand = hit
            end = words[i + n - 1][1]
            if n > 1 and (cand.kind == "country" and words[i][2] in ARTICLES
                          or cand.kind == "province" and words[i][2] == "the"):
                start, i, n = words[i + 1][0], i + 1, n - 1  # "The United States", "En Irak", "the Diyala"
            a_name = _after_a_name(text, words, i) and not _paired_country(text, words, i, cand)
            if cand.source != "project" and (a_name or _not_a_country_here(text, words, i, n, start, end, cand)
                                             or _names_a_river_or_a_thing(text, words, i, n)
                                             or self._a_first_name(text, words, i, n, cand)):
                i += 1
                continue
            found.append((start, end, cand))
            i += n
        return found

    def _a_first_name(self, text: str, words, i: int, n: int, cand: Candidate) -> bool:
        """Whether a country named like a person ("Jordan", "Georgia", `FIRST_NAME_COUNTRIES`) is one here: just
        before a capitalised Latin word that is no word of `COUNTRY_CONTEXT` and begins no place's name
        ("Jordan Peterson", "Georgia Brown"; not "Jordan Thursday", "Georgia Tbilisi")."""
        if cand.kind != "country" or n != 1 or words[i][2] not in FIRST_NAME_COUNTRIES:
            return False
        k = _next_word(text, words, i + 1)
        if k is None:
            return False
        word = text[words[k][0]:words[k][1]]
        return word[:1].isupper() and _is_latin(word) and words[k][2] not in COUNTRY_CONTEXT \
            and self._longest_at(text, words, k) is None

    def _division_at(self, text: str, words, i: int):
        """(words taken, start, end, province) where words[i] begins a division the text says is one:
        "province of Idlib", "la province d'Anbar", "محافظة إدلب" (the word that says so first), or
        "Anbar province" (after)."""
        if words[i][2] in PROVINCE_BEFORE:
            j = i + 1
            if j < len(words) and words[j][2] in PROVINCE_OF and not text[words[i][1]:words[j][0]].strip():
                j += 1
            if j < len(words) and not text[words[j - 1][1]:words[j][0]].strip():
                run = self._division_run(text, words, j)
                if run is not None:
                    n, _start, cand = run
                    return j - i + n, words[i][0], words[j + n - 1][1], cand
        if not any(w[2] in PROVINCE_AFTER for w in words[i + 1:i + 1 + MAX_WORDS]):  # most words: no need to look
            return None
        run = self._division_run(text, words, i)
        if run is not None:
            n, start, cand = run
            if n > 1 and words[i][2] == "the":  # "the Diyala province"
                start = words[i + 1][0]
            k = i + n
            if k < len(words) and words[k][2] in PROVINCE_AFTER and not text[words[k - 1][1]:words[k][0]].strip():
                return n + 1, start, words[k][1], cand
        return None

    def _division_run(self, text: str, words, i: int):
        """(words, start, province) of the longest division name beginning at words[i], as `_longest_at` reads
        a name (a proclitic or an elision before it, a Latin name capitalised)."""
        forms = list(self._first_word_forms(text, *words[i]))
        for n in range(min(MAX_WORDS, self._longest, len(words) - i), 0, -1):
            run = words[i:i + n]
            if any(not _JOINERS.fullmatch(text[a[1]:b[0]]) for a, b in zip(run, run[1:])):
                continue
            for start, first in forms:
                cand = self._provinces.get(join_key([first, *[w[2] for w in run[1:]]]))
                if cand is not None and self._written_as_name(text[start:words[i][1]]):
                    return n, start, cand
        return None

    def _longest_at(self, text: str, words, i: int):
        first_start, first_end, first_key = words[i]
        forms = list(self._first_word_forms(text, first_start, first_end, first_key))
        if first_key not in ARTICLES and not any(f in self._firsts for _, f in forms):
            return None
        for n in range(min(MAX_WORDS, self._longest + 2, len(words) - i), 0, -1):
            run = words[i:i + n]
            if any(not _JOINERS.fullmatch(text[a[1]:b[0]]) for a, b in zip(run, run[1:])):
                continue
            keys = [w[2] for w in run]
            for start, first in forms:
                key = join_key([first, *keys[1:]])
                cand = self._own.get(key) or self._table.get(key)
                if cand is not None and self._written_as_name(text[start:first_end]):
                    return n, start, cand
        return None

    @staticmethod
    def _first_word_forms(text: str, start: int, end: int, key: str):
        """The first word as it stands, and without an Arabic proclitic (و ف ب ل ك) or a French elision
        ("l'", "d'", "qu'") before the name."""
        yield start, key
        if end - start > 3 and text[start] in _PROCLITICS:
            yield start + 1, fold_word(text[start + 1:end])
        elision = _ELISION.match(text, start, end)
        if elision and end - elision.end() >= 3:
            yield elision.end(), fold_word(text[elision.end():end])

    @staticmethod
    def _written_as_name(word: str) -> bool:
        """A Latin word starts with a capital (after an article: "al-Anbar" stands); Arabic has no case."""
        for ch in word:
            if ch.isalpha():
                if not ("a" <= ch.lower() <= "z" or ch in "àâäéèêëîïôöûüçñ"):
                    return True
                break
        bare = re.sub(r"^(?:al|el|ad|an|ar|as|ash|at|az)[\-\s]", "", word)
        return bare[:1].isupper()
