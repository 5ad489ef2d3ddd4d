"""Place names to coordinates, offline: the bundled GeoNames extract and the project's own places.

Names are compared by a *key*: folded as group aliases are in `sijill.db.text.mentions.fold` (case, accents,
tashkeel and tatweel, Arabic alef, hamza, yeh and teh marbuta forms), with the Persian and Kurdish letters
read as their Arabic counterparts, apostrophes and ayn/hamza signs dropped ("Ta'izz", "Taʿizz"), hyphens read
as spaces, and the Arabic article dropped in all its spellings ("al-Anbar", "Al Anbar", "Anbar"; "Ar Ramadi";
"الموصل"). So "Bagdad", "BAGDAD" and "بغداد" find Baghdad, "Téhéran" and "Teheran" find Tehran, "Hawler",
"Arbil" and "أربيل" find Erbil.

`Gazetteer.search` ranks candidates: an exact match of a name or alias before a name that only begins with
what was typed; among equals, the project's own places first, then the larger population. The bundled
index is built once, on first use (under a second), and shared; a search then takes well under a
millisecond, so the event dialog calls it on each keystroke.
"""
from __future__ import annotations

import bisect
import functools
import gzip
import heapq
import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from sijill.db.text.mentions import fold
from sijill.db.resources import RESOURCES

DATA_PATH = RESOURCES / "gazetteer" / "gazetteer.json.gz"

_EXTRA_FOLD = str.maketrans({"ی": "ي", "ې": "ي", "ێ": "ي", "ک": "ك", "ە": "ه", "ھ": "ه", "ۀ": "ه", "ہ": "ه",
                             "ڵ": "ل", "ۆ": "و", "ۊ": "و"})
_SIGNS = re.compile(r"['’ʼ‘`ʿʾʻ\u02bc]")
_WORD = re.compile(r"\w+")
# The Arabic article as romanised: "al"/"el" everywhere, and its assimilated forms ("Ar Ramadi",
# "As Sulaymaniyah", "Dayr az Zawr"); dropped only where a word follows (a name is never an article alone).
ARTICLES = frozenset({"al", "el", "ul", "the", "ad", "adh", "an", "ar", "as", "ash", "at", "ath", "az", "ed", "en",
                      "er", "es", "esh", "et", "ez"})
MIN_PREFIX = 3  # shorter input finds exact matches only


def _fold(text: str) -> str:
    """`sijill.db.text.mentions.fold` without its index of positions (a key needs none), over a whole word at once."""
    if text.isascii():
        return text.casefold()
    return fold(text)[0]


@functools.lru_cache(maxsize=1 << 16)  # a text repeats its words; the index's names share many
def fold_word(word: str) -> str:
    """One word's part of a key: folded, without apostrophes or signs, Arabic article dropped."""
    w = _SIGNS.sub("", _fold(word).translate(_EXTRA_FOLD))
    if w.startswith("ال") and len(w) > 4:
        w = w[2:]
    return w


def join_key(words: list[str]) -> str:
    """The key of a name from its words' `fold_word` forms: articles followed by a word are left out."""
    kept = [w for i, w in enumerate(words) if w and not (w in ARTICLES and i < len(words) - 1)]
    return " ".join(kept)


def place_key(name: str) -> str:
    """The folded form every spelling of one place name shares ("al-Qa'im" and "Al Qaim": "qaim")."""
    return join_key([fold_word(w) for w in _WORD.findall(_SIGNS.sub("", name or ""))])


@dataclass(frozen=True)
class Candidate:
    """A place a name may mean: a GeoNames entry (`geonameid`) or one of the project's places (`uid`)."""

    name: str
    country: str  # the country's name ("Iraq"); for a project's place, as the analyst wrote it
    admin1: str  # the first-level division ("Baghdad", "Nineveh"), "" when unknown
    lat: float
    lon: float
    population: int | None
    source: str  # "project" or "geonames"
    matched: str = ""  # the name or alias that matched
    exact: bool = True
    country_code: str = ""
    geonameid: int | None = None
    uid: str | None = None

    def to_json(self) -> dict:
        out = {"name": self.name, "country": self.country, "admin1": self.admin1, "lat": self.lat,
               "lon": self.lon, "population": self.population, "source": self.source, "matched": self.matched,
               "exact": self.exact}
        if self.country_code:
            out["country_code"] = self.country_code
        if self.geonameid is not None:
            out["geonameid"] = self.geonameid
        if self.uid is not None:
            out["uid"] = self.uid
        return out

    def label(self) -> str:
        """"Baghdad, Baghdad, Iraq (33.3406, 44.4009)" for lists and completers."""
        where = ", ".join(p for p in (self.admin1, self.country) if p and p != self.name)
        return f"{self.name}{', ' + where if where else ''} ({self.lat:.4f}, {self.lon:.4f})"


def own_candidates(places) -> list[tuple[list[str], Candidate]]:
    """The project's places (sijill.db.geo.places.Place) as candidates, each with its names (name, aliases)."""
    return [([p.name, *p.aliases], Candidate(p.name, p.country or "", p.admin1 or "", p.lat, p.lon, None,
                                             "project", p.name, True, uid=p.uid)) for p in places]


class Gazetteer:
    """The bundled place list, indexed by key. `Gazetteer.default()` loads it once per process."""

    _default: "Gazetteer | None" = None
    _lock = threading.Lock()

    def __init__(self, data: dict) -> None:
        self.info = {k: data.get(k) for k in ("source", "licence", "built_from", "scope")}
        countries, admin1 = data["countries"], data["admin1"]
        self.entries: list[Candidate] = []
        self._names: list[list[str]] = []
        index: dict[str, list[int]] = {}
        for geonameid, name, cc, a1, lat, lon, population, alternates in data["places"]:
            i = len(self.entries)
            self.entries.append(Candidate(name, countries.get(cc, cc), admin1.get(f"{cc}.{a1}", ""), lat, lon,
                                          population, "geonames", name, True, cc, geonameid))
            names = [name, *alternates]
            self._names.append(names)
            for n in names:
                key = place_key(n)
                if key:
                    entries = index.setdefault(key, [])
                    if not entries or entries[-1] != i:
                        entries.append(i)
        self._index = index
        self._keys = sorted(index)

    @classmethod
    def load(cls, path: str | Path = DATA_PATH) -> "Gazetteer":
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return cls(json.load(f))

    @classmethod
    def default(cls) -> "Gazetteer":
        """The bundled gazetteer, built on first use and kept (thread-safe)."""
        with cls._lock:
            if cls._default is None:
                cls._default = cls.load()
            return cls._default

    def __len__(self) -> int:
        return len(self.entries)

    def names_of(self, i: int) -> list[str]:
        """Entry i's name and alternate names."""
        return self._names[i]

    def exact(self, key: str) -> list[int]:
        """Indexes of the entries one of whose names has this key."""
        return self._index.get(key, [])

    def _matched_name(self, i: int, key: str, exact: bool, query: str) -> str:
        """The name of entry i the query matched: as typed if it is one of them, else the first whose key fits."""
        if query.strip() in self._names[i]:
            return query.strip()
        for n in self._names[i]:
            k = place_key(n)
            if (k == key) if exact else k.startswith(key):
                return n
        return self.entries[i].name

    def search(self, query: str, places=(), limit: int = 10) -> list[Candidate]:
        """Candidates for a typed name, best first (see the module's docstring); `places` are the
        project's own (Project.places())."""
        key = place_key(query)
        if not key:
            return []
        ranked: list[tuple[tuple, Candidate]] = []
        for names, cand in own_candidates(places):
            keys = {place_key(n): n for n in names}
            hit = keys.get(key)
            if hit is None and len(key) >= MIN_PREFIX:
                hit = next((n for k, n in keys.items() if k.startswith(key)), None)
                exact = False
            else:
                exact = True
            if hit is not None:
                ranked.append(((0 if exact else 1, 0, 0), _with(cand, hit, exact)))
        found: dict[int, bool] = {i: True for i in self.exact(key)}
        if len(key) >= MIN_PREFIX:
            start = bisect.bisect_left(self._keys, key)
            for k in self._keys[start:]:
                if not k.startswith(key):
                    break
                for i in self._index[k]:
                    found.setdefault(i, False)
        best = heapq.nsmallest(limit, found.items(),
                               key=lambda item: (0 if item[1] else 1, -(self.entries[item[0]].population or 0)))
        for i, exact in best:
            ranked.append(((0 if exact else 1, 1, -(self.entries[i].population or 0)),
                           _with(self.entries[i], self._matched_name(i, key, exact, query), exact)))
        ranked.sort(key=lambda r: r[0])
        return [c for _, c in ranked[:limit]]


def _with(cand: Candidate, matched: str, exact: bool) -> Candidate:
    from dataclasses import replace

    return replace(cand, matched=matched, exact=exact)


def geocode(query: str, places=(), limit: int = 10) -> list[Candidate]:
    """`Gazetteer.default().search`: candidates for a name, the project's places among them."""
    return Gazetteer.default().search(query, places, limit)
