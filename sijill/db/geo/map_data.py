"""The map's bundled boundaries (resources/map/naturalearth-boundaries.json.gz) and the events' coordinates.

The boundaries are Natural Earth's (public domain): the world's countries at 1:50m and the
first-level divisions (governorates, provinces) of Iraq and the region around it, built by
tools/build_map_data.py, which says how. Each ring is read once into lon/lat and Web Mercator
arrays; nothing is downloaded.
"""
from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from sijill.db.geo.projection import mercator, points_in_polygon
from sijill.db.resources import RESOURCES

BOUNDARIES = RESOURCES / "map" / "naturalearth-boundaries.json.gz"


@dataclass(frozen=True)
class Feature:
    """A country or a province: its rings (outer rings and holes, filled even-odd) as lon/lat and as
    world (Web Mercator) arrays of shape (n, 2), and where its name is written."""

    name: str
    label: tuple[float, float]              # lon, lat
    rings: tuple[np.ndarray, ...]           # lon/lat
    world: tuple[np.ndarray, ...]           # Web Mercator unit square
    bbox: tuple[float, float, float, float]  # world x0, y0, x1, y1
    country: str = ""
    alt: str = ""

    def contains(self, lon: float, lat: float) -> bool:
        """Whether the point lies inside (even-odd over every ring, so holes are outside)."""
        inside = False
        for ring in self.rings:
            if points_in_polygon([lon], [lat], ring[:, 0], ring[:, 1])[0]:
                inside = not inside
        return inside


@dataclass(frozen=True)
class Boundaries:
    """Every country and the region's provinces, with the data's source and licence."""

    countries: tuple[Feature, ...]
    admin1: tuple[Feature, ...]
    source: str
    license: str
    packages: dict = field(default_factory=dict)

    def country_at(self, lon: float, lat: float) -> Feature | None:
        return next((f for f in self.countries if f.contains(lon, lat)), None)

    def admin1_at(self, lon: float, lat: float) -> Feature | None:
        return next((f for f in self.admin1 if f.contains(lon, lat)), None)


def _decode(ring: list[int], scale: float) -> np.ndarray:
    pts = np.cumsum(np.asarray(ring, dtype=np.int64).reshape(-1, 2), axis=0)
    return pts / scale


def _feature(raw: dict, scale: float) -> Feature:
    rings = tuple(_decode(r, scale) for r in raw["rings"])
    world = tuple(np.column_stack(mercator(r[:, 0], r[:, 1])) for r in rings)
    allw = np.concatenate(world) if world else np.zeros((1, 2))
    bbox = (float(allw[:, 0].min()), float(allw[:, 1].min()), float(allw[:, 0].max()), float(allw[:, 1].max()))
    return Feature(raw["name"], (float(raw["label"][0]), float(raw["label"][1])), rings, world, bbox,
                   raw.get("country", ""), raw.get("alt", ""))


def read_boundaries(path: Path) -> Boundaries:
    """Read a boundaries file written by tools/build_map_data.py."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        raw = json.load(f)
    scale = float(raw["scale"])
    return Boundaries(tuple(_feature(c, scale) for c in raw["countries"]),
                      tuple(_feature(a, scale) for a in raw["admin1"]),
                      raw["source"], raw["license"], dict(raw.get("packages", {})))


@lru_cache(maxsize=1)
def load_boundaries() -> Boundaries:
    """The bundled boundaries, read once per process (about 0.4 MB compressed)."""
    return read_boundaries(BOUNDARIES)


@dataclass(frozen=True)
class EventPoints:
    """Events that have coordinates, as arrays: id, lon, lat and when they happened (the
    earliest start, the latest end, in seconds), so that a time window is one comparison."""

    ids: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    lo: np.ndarray
    hi: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    def in_window(self, t0: float, t1: float) -> np.ndarray:
        """Mask of the events overlapping [t0, t1]."""
        return (self.lo <= t1) & (self.hi >= t0)


def read_event_points(project, ids: Iterable[int] | None = None) -> EventPoints:
    """Every event with both a latitude and a longitude (or those of them among `ids`), in one query."""
    among, params = "", ()
    if ids is not None:
        among, params = " AND id IN (SELECT value FROM json_each(?))", (json.dumps(sorted(set(ids))),)
    rows = project.db.execute(
        "SELECT id, longitude, latitude, start_lo, COALESCE(end_hi, start_hi) FROM events "
        f"WHERE latitude IS NOT NULL AND longitude IS NOT NULL{among} ORDER BY id", params).fetchall()
    if not rows:
        empty = np.empty(0)
        return EventPoints(np.empty(0, np.int64), empty, empty, np.empty(0, np.int64), np.empty(0, np.int64))
    ids, lon, lat, lo, hi = zip(*rows)
    return EventPoints(np.array(ids, np.int64), np.array(lon, np.float64), np.array(lat, np.float64),
                       np.array(lo, np.int64), np.array(hi, np.int64))


def ids_in_area(points: EventPoints, area: Sequence[tuple[float, float]]) -> np.ndarray:
    """Ids of the events of `points` inside `area` (lon/lat vertices of a polygon drawn on the map),
    compared in Web Mercator, where the edges drawn on the screen are straight."""
    px, py = mercator([p[0] for p in area], [p[1] for p in area])
    x, y = mercator(points.lon, points.lat)
    return points.ids[points_in_polygon(x, y, px, py)]
