"""Place names to coordinates, offline: the bundled GeoNames extract and the project's own places.

Names are compared by a *key*: folded as group aliases are in `sijill.db.text.mentions.fold` (case, accents,
tashkeel and tatweel, Arabic alef, hamza, yeh and teh marbuta forms), with the Persian and Kurdish letters
read as their Arabic counterparts, apostrophes and ayn/hamza signs dropped ("Ta'izz", "Taʿizz"), hyphens read
as spaces, and the Arabic article dropped in all its spellings ("al-Anbar", "Al Anbar", "Anbar"; "Ar Ramadi";
"الموصل"). So "Bagdad", "BAGDAD" and "بغداد" find Baghdad, "Téhéran" and "Teheran" find Tehran, "Hawler",
"Arbil" and "أربيل" find Erbil.

Besides GeoNames' towns (kind "place"), the bundled index holds the first-level divisions of Iraq and its
neighbours (kind "province": "al-Anbar", "Nineveh", "Salah ad-Din"), from the map's Natural Earth boundaries;
sijill.db.geo.provinces says where their points come from and how they rank; and every country of the map
(kind "country": "Syria", "Syrie", "سوريا"), as sijill.db.geo.countries says.

`Gazetteer.search` ranks candidates: an exact match of a name or alias before a name that only begins with
what was typed; among equals, the project's own places first, then the larger population (a province's is
that of its largest town, and a town goes before a province of equal rank; a country's is its largest town's
plus one).

The region gets no extra weight in the ranking: a bare name of a big city elsewhere is that city when no
larger place of the region bears the name ("Austin" is Texas's capital, the only Austin the gazetteer holds;
"Samara" is Russia's city before Iraq's Samarra so spelled; "Qunaytirah", also an alternate name of
Morocco's Kenitra, finds Kenitra before Syria's Quneitra). Putting the region's towns first was tried and
measured: of the index's 70,724 names it changed the first candidate of 249, and among the 149 it moved to the
region, the Arabic names of world capitals went to Iranian villages of a few hundred people ("رباط", Rabat;
"اسلام اباد", Islamabad), worse than the few it mended. A project that means a place the ranking does not
put first adds it as its own place, or as an alias of one (`sijill place add`): the project's places come
first.

The bundled index is built once, on first use (under a second), and shared; a search then takes well under a
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

import numpy as np

from sijill.db.geo.countries import Country, countries
from sijill.db.geo.map_data import load_boundaries
from sijill.db.geo.provinces import Province, provinces
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
ORIGINS = {"project": "this project", "geonames": "GeoNames", "naturalearth": "Natural Earth"}


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
    """A place a name may mean: a GeoNames entry (`geonameid`), a first-level division (kind "province", from
    Natural Earth), a country (kind "country", from Natural Earth) or one of the project's places (`uid`)."""

    name: str
    country: str  # the country's name ("Iraq"); for a project's place, as the analyst wrote it
    admin1: str  # the first-level division ("Baghdad", "Nineveh"), "" when unknown
    lat: float
    lon: float
    population: int | None
    source: str  # "project", "geonames" or "naturalearth"
    matched: str = ""  # the name or alias that matched
    exact: bool = True
    country_code: str = ""
    geonameid: int | None = None
    uid: str | None = None
    kind: str = "place"  # "place" (a town, a site), "province" (a first-level division) or "country"

    def to_json(self) -> dict:
        out = {"name": self.name, "kind": self.kind, "country": self.country, "admin1": self.admin1,
               "lat": self.lat, "lon": self.lon, "population": self.population, "source": self.source,
               "matched": self.matched, "exact": self.exact}
        if self.country_code:
            out["country_code"] = self.country_code
        if self.geonameid is not None:
            out["geonameid"] = self.geonameid
        if self.uid is not None:
            out["uid"] = self.uid
        return out

    @property
    def origin(self) -> str:
        """Where the candidate comes from, for people: "this project", "GeoNames", "Natural Earth"."""
        return ORIGINS.get(self.source, self.source)

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
        self.country_names: dict[str, str] = data["countries"]  # ISO code -> GeoNames' name
        countries, admin1 = self.country_names, data["admin1"]
        self.entries: list[Candidate] = []
        self._names: list[list[str]] = []
        self._index: dict[str, list[int]] = {}
        self._strong: dict[int, tuple[frozenset[str], int]] = {}  # a province's strong keys, its rank
        for geonameid, name, cc, a1, lat, lon, population, alternates in data["places"]:
            self._add(Candidate(name, countries.get(cc, cc), admin1.get(f"{cc}.{a1}", ""), lat, lon,
                                population, "geonames", name, True, cc, geonameid), [name, *alternates])
        self._keys = sorted(self._index)

    def _add(self, cand: Candidate, names: list[str]) -> int:
        i = len(self.entries)
        self.entries.append(cand)
        self._names.append(names)
        for n in names:
            key = place_key(n)
            if key:
                entries = self._index.setdefault(key, [])
                if not entries or entries[-1] != i:
                    entries.append(i)
        return i

    def add_provinces(self, provinces: list[Province]) -> None:
        """Index first-level divisions (sijill.db.geo.provinces) beside the towns."""
        for p in provinces:
            i = self._add(Candidate(p.name, p.country, p.name, p.lat, p.lon, None, "naturalearth", p.name,
                                    kind="province"), list(p.names))
            self._strong[i] = (frozenset(place_key(n) for n in p.strong), p.rank_population)
        self._keys = sorted(self._index)

    def add_countries(self, countries: list[Country]) -> None:
        """Index countries (sijill.db.geo.countries) beside the towns; every name of a country ranks high."""
        for c in countries:
            i = self._add(Candidate(c.name, c.name, "", c.lat, c.lon, None, "naturalearth", c.name,
                                    country_code=c.code, kind="country"), list(c.names))
            self._strong[i] = (frozenset(place_key(n) for n in c.names), c.rank_population)
        self._keys = sorted(self._index)

    def _rank(self, i: int, key: str, exact: bool) -> tuple[int, int]:
        """(minus the population entry i ranks as, 0 for a town or 1 for a province or a country): see the
        module's docstring."""
        if i not in self._strong:
            return -(self.entries[i].population or 0), 0
        strong, population = self._strong[i]
        hit = key in strong if exact else any(k.startswith(key) for k in strong)
        return -(population if hit else 0), 1

    @classmethod
    def load(cls, path: str | Path = DATA_PATH) -> "Gazetteer":
        """The towns at `path` and the bundled map's first-level divisions and countries (0.3 s of the build)."""
        with gzip.open(path, "rt", encoding="utf-8") as f:
            gazetteer = cls(json.load(f))
        towns = list(gazetteer.entries)
        population = np.array([c.population or 0 for c in towns])
        boundaries = load_boundaries()
        gazetteer.add_countries(countries(boundaries, gazetteer.country_names,
                                          np.array([c.country_code for c in towns]), population))
        gazetteer.add_provinces(provinces(boundaries, np.array([c.lon for c in towns]),
                                          np.array([c.lat for c in towns]), population))
        return gazetteer

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

    def strong_keys(self, i: int) -> tuple[frozenset[str], int]:
        """A province's or a country's keys that rank high, and the population it then ranks as (a town: none, 0)."""
        return self._strong.get(i, (frozenset(), 0))

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
                ranked.append(((0 if exact else 1, 0, 0, 0), _with(cand, hit, exact)))
        found: dict[int, bool] = {i: True for i in self.exact(key)}
        if len(key) >= MIN_PREFIX:
            start = bisect.bisect_left(self._keys, key)
            for k in self._keys[start:]:
                if not k.startswith(key):
                    break
                for i in self._index[k]:
                    found.setdefault(i, False)
        best = heapq.nsmallest(limit, ((0 if exact else 1, *self._rank(i, key, exact), i)
                                       for i, exact in found.items()))
        for first, population, province, i in best:
            ranked.append(((first, 1, population, province),
                           _with(self.entries[i], self._matched_name(i, key, first == 0, query), first == 0)))
        ranked.sort(key=lambda r: r[0])
        return [c for _, c in ranked[:limit]]


def _with(cand: Candidate, matched: str, exact: bool) -> Candidate:
    from dataclasses import replace

    return replace(cand, matched=matched, exact=exact)


def geocode(query: str, places=(), limit: int = 10) -> list[Candidate]:
    """`Gazetteer.default().search`: candidates for a name, the project's places among them."""
    return Gazetteer.default().search(query, places, limit)
