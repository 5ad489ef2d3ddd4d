"""Place names found in a passage of text: "Bagdad", "Téhéran", "Erbil", "بغداد", "Tower 22".

A run of one to five words is looked up by its key (`gazetteer.place_key`), the longest run winning, in:
- the project's own places (name and aliases);
- the gazetteer's places of Iraq and its neighbours (`MIN_POPULATION` or more), by every name; elsewhere
  the cities of `WORLD_POPULATION` or more, by their own name and Arabic-script names only (the world's
  alternate names hold words such as "Pari" and "Paras").
Each name resolves to its best candidate as `Gazetteer.search` ranks them (the project's places first, then
the larger population). To keep ordinary words from passing for places, a Latin name must begin with a
capital in the text, a name's key must have `MIN_KEY` letters or more (fewer for a large city), and
English words that are also village names ("Tower", "Camp") are left to the project's own places.
Arabic words may carry a one-letter proclitic ("وبغداد", "ببغداد"). Spans are code-point offsets.
"""
from __future__ import annotations

import re
import threading

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


_TABLES: dict[int, tuple[Gazetteer, dict[str, Candidate]]] = {}
_TABLES_LOCK = threading.Lock()


def prepare() -> None:
    """Load the bundled gazetteer and its table of names to look for (a second or two, once per process):
    a window calls it in a background thread so that the first source read does not wait."""
    _gazetteer_table(Gazetteer.default())


def _gazetteer_table(gazetteer: Gazetteer) -> dict[str, Candidate]:
    """Key -> best candidate of the gazetteer's names worth looking for in text; built once per gazetteer
    (under a second for the bundled one)."""
    with _TABLES_LOCK:
        cached = _TABLES.get(id(gazetteer))
        if cached is not None and cached[0] is gazetteer:
            return cached[1]
        table = _build_table(gazetteer)
        _TABLES[id(gazetteer)] = (gazetteer, table)
        return table


def _build_table(gazetteer: Gazetteer) -> dict[str, Candidate]:
    table: dict[str, tuple[int, Candidate]] = {}
    for i, cand in enumerate(gazetteer.entries):
        pop = cand.population or 0
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
    return {k: c for k, (_, c) in table.items()}


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
        self._table = _gazetteer_table(self.gazetteer)
        self._longest = max((len(k.split()) for k in (*self._table, *own)), default=1)
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
            hit = self._longest_at(text, words, i)
            if hit is None:
                i += 1
                continue
            n, start, cand = hit
            if cand.source != "project" and _after_a_name(text, words, i):
                i += 1
                continue
            found.append((start, words[i + n - 1][1], cand))
            i += n
        return found

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
        """The first word as it stands, and without an Arabic proclitic (و ف ب ل ك) before the name."""
        yield start, key
        if end - start > 3 and text[start] in _PROCLITICS:
            yield start + 1, fold_word(text[start + 1:end])

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
