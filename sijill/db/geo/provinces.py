"""First-level divisions (governorates, provinces) as gazetteer candidates, from the bundled map's boundaries.

GeoNames' extract (resources/gazetteer) lists towns only, so "al-Anbar" found "Ambar", a Turkish village.
The map already bundles Natural Earth's first-level divisions of Iraq and its neighbours, with names and
alternate names (sijill.db.geo.map_data); each becomes a candidate of kind "province": a point inside it
(the centroid of its largest ring when that lies inside, else the middle of the widest stretch of the ring
across the centroid's latitude), its country, no population.

Ranking (`Province.rank_population`): a province ranks as if it had the population of the largest town
inside it. A fixed large figure would put a province named after a small town (Idlib, Najaf) before the town
an analyst usually means; the largest town's population ties with the capital when the province bears its
name (Baghdad, Najaf, Aleppo), and ties go to the town (the gazetteer sorts provinces after towns of equal
rank), while "al-Anbar" (ranked as the largest town inside its boundary, hundreds of thousands) beats "Ambar"
(5,063). The town is found by position, so a boundary drawn at 1:10m may take in a neighbour's suburb.
Natural Earth's alternate names often are the capital's name ("Mosul" for Ninawa, "Ramadi" for Al-Anbar):
matched by such a name only, a province ranks as population 0, after every town of that name
(`Province.strong` holds the keys that rank high: the name and the hand table's spellings).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

# Iraq's 18 governorates as Natural Earth names them -> (the name shown, the common spellings: English,
# transliterations and Arabic, Kurdish for the Kurdistan Region). Source: Wikipedia, "Governorates of Iraq"
# (English and Arabic articles, December 2026) and the Iraqi Central Statistical Organization's names.
IRAQ_GOVERNORATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Al-Anbar": ("Al Anbar", ("Anbar", "Al-Anbar", "الأنبار")),
    "Ninawa": ("Nineveh", ("Ninawa", "Ninewa", "Nineveh", "Niniveh", "نينوى")),
    "Sala ad-Din": ("Salah ad-Din", ("Salah al-Din", "Salahuddin", "Saladin", "Salaheddin", "صلاح الدين")),
    "Diyala": ("Diyala", ("Diyalah", "ديالى")),
    "At-Ta'mim": ("Kirkuk", ("Kirkuk", "At-Ta'mim", "Tameem", "Tamim", "كركوك", "التأميم")),
    "Baghdad": ("Baghdad", ("Bagdad", "بغداد")),
    "Arbil": ("Erbil", ("Erbil", "Arbil", "Irbil", "Hawler", "Hewlêr", "أربيل", "هەولێر")),
    "Dihok": ("Duhok", ("Duhok", "Dohuk", "Dahuk", "Dihok", "دهوك")),
    "As-Sulaymaniyah": ("Sulaymaniyah", ("Sulaymaniyah", "Sulaimaniya", "Slemani", "Silêmanî", "السليمانية")),
    "An-Najaf": ("Najaf", ("Najaf", "النجف")),
    "Karbala'": ("Karbala", ("Karbala", "Kerbala", "كربلاء")),
    "Al-Basrah": ("Basra", ("Basra", "Basrah", "البصرة")),
    "Al-Muthannia": ("Al Muthanna", ("Muthanna", "Al-Muthanna", "المثنى")),
    "Al-Qadisiyah": ("Al-Qadisiyyah", ("Qadisiyah", "Qadisiyyah", "Al-Qadisiyyah", "القادسية")),
    "Dhi-Qar": ("Dhi Qar", ("Dhi Qar", "Thi Qar", "ذي قار")),
    "Maysan": ("Maysan", ("Missan", "Maysan", "ميسان")),
    "Wasit": ("Wasit", ("Wasit", "واسط")),
    "Babil": ("Babil", ("Babylon", "Babil", "بابل")),
}
IRAQ_SUFFIXES = (("{} Governorate", "Governorate of {}"), ("محافظة {}",))  # "Baghdad Governorate", "محافظة بغداد"
# Natural Earth's alternate names carry a few mis-decoded characters ("N¡nive", "T‚h‚ran"): such names are left out.
_CLEAN = re.compile(r"[\w '’`ʿʾ.\-]+")
_PAREN = re.compile(r"^(.*?)\s*\((.*)\)\s*$")


@dataclass(frozen=True)
class Province:
    """One first-level division as the gazetteer indexes it."""

    name: str
    country: str
    lat: float
    lon: float
    names: tuple[str, ...]  # every spelling, the shown name first
    strong: tuple[str, ...]  # the spellings that rank as the largest town (the rest rank as population 0)
    rank_population: int


def _area_centroid(ring: np.ndarray) -> tuple[float, float, float]:
    """Absolute area and centroid (lon, lat) of a ring, by the shoelace formula (planar lon/lat)."""
    x, y = ring[:, 0], ring[:, 1]
    x1, y1 = np.roll(x, -1), np.roll(y, -1)
    cross = x * y1 - x1 * y
    a = cross.sum() / 2
    if abs(a) < 1e-12:
        return 0.0, float(x.mean()), float(y.mean())
    return abs(float(a)), float(((x + x1) * cross).sum() / (6 * a)), float(((y + y1) * cross).sum() / (6 * a))


def inside_mask(lon: np.ndarray, lat: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Points inside one ring (even-odd ray cast), all edges at once: fast for the few points of a bbox."""
    if len(lon) == 0:
        return np.zeros(0, bool)
    ax, ay = ring[:, 0][:, None], ring[:, 1][:, None]
    bx, by = np.roll(ring[:, 0], -1)[:, None], np.roll(ring[:, 1], -1)[:, None]
    crosses = (ay > lat) != (by > lat)
    with np.errstate(divide="ignore", invalid="ignore"):
        at = ax + (lat - ay) * (bx - ax) / (by - ay)
    return ((crosses & (lon < at)).sum(axis=0) % 2).astype(bool)


def _feature_mask(feature, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    inside = np.zeros(len(lon), bool)
    for ring in feature.rings:
        inside ^= inside_mask(lon, lat, ring)
    return inside


def representative_point(feature) -> tuple[float, float]:
    """(lon, lat) inside the feature: its largest ring's centroid if inside, else the middle of the widest
    stretch inside along the centroid's latitude (else along the ring's middle latitude)."""
    ring = max(feature.rings, key=lambda r: _area_centroid(r)[0])
    _, cx, cy = _area_centroid(ring)
    if _feature_mask(feature, np.array([cx]), np.array([cy]))[0]:
        return cx, cy
    for lat in (cy, float((ring[:, 1].min() + ring[:, 1].max()) / 2)):
        xs = sorted(_crossings(ring, lat))
        stretches = [(b - a, (a + b) / 2) for a, b in zip(xs[::2], xs[1::2])]
        for _, mid in sorted(stretches, reverse=True):
            if _feature_mask(feature, np.array([mid]), np.array([lat]))[0]:
                return mid, lat
    return float(ring[0, 0]), float(ring[0, 1])


def _crossings(ring: np.ndarray, lat: float) -> list[float]:
    ax, ay = ring[:, 0], ring[:, 1]
    bx, by = np.roll(ax, -1), np.roll(ay, -1)
    hit = (ay > lat) != (by > lat)
    return list((ax[hit] + (lat - ay[hit]) * (bx[hit] - ax[hit]) / (by[hit] - ay[hit])).astype(float))


def _spellings(feature) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """The shown name, the strong spellings and the rest (Natural Earth's alternates)."""
    name, extra = feature.name, []
    if m := _PAREN.match(name):  # "Homs (Hims)"
        name, extra = m.group(1), [m.group(2)]
    alternates = [a.strip() for a in (feature.alt or "").split("|")]
    alternates = [a for a in extra + alternates if a and _CLEAN.fullmatch(a)]
    if feature.country == "Iraq" and feature.name in IRAQ_GOVERNORATES:
        shown, common = IRAQ_GOVERNORATES[feature.name]
        strong = [shown, feature.name, *common]
        for base in (shown, *common):
            forms = IRAQ_SUFFIXES[1] if not base.isascii() else IRAQ_SUFFIXES[0]
            strong += [f.format(base) for f in forms]
        return shown, tuple(dict.fromkeys(strong)), tuple(a for a in alternates if a not in strong)
    return name, (name,), tuple(a for a in alternates if a != name)


def provinces(boundaries, lon: np.ndarray, lat: np.ndarray, population: np.ndarray) -> list[Province]:
    """Every named first-level division of `boundaries` (map_data.Boundaries; five small unnamed ones, islands
    mostly, are left out); `lon`, `lat`, `population` are the gazetteer's towns, for each one's largest town."""
    out = []
    for f in (f for f in boundaries.admin1 if f.name):
        allr = np.concatenate(f.rings)
        x0, y0 = allr.min(axis=0)
        x1, y1 = allr.max(axis=0)
        near = np.flatnonzero((lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1))
        within = near[_feature_mask(f, lon[near], lat[near])]
        largest = int(population[within].max()) if len(within) else 0
        shown, strong, rest = _spellings(f)
        x, y = representative_point(f)
        out.append(Province(shown, f.country, round(y, 5), round(x, 5), strong + rest, strong, largest))
    return out
