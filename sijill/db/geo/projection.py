"""Web Mercator, the map's projection, with its inverse, and a view of it on a screen.

World coordinates are Web Mercator normalised to the unit square: x = 0 at 180°W, 1 at 180°E;
y = 0 at the top (85.05°N), 1 at the bottom (85.05°S), so that y grows down as on a screen.
A `MapViewport` places that square on a screen: the world point at its centre and the pixels per
world unit (zoom). Every function takes numpy arrays (or floats) so that a frame projects all its
points in one call.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_LAT = 85.05112878   # where Web Mercator's square ends


def mercator(lon, lat):
    """(x, y) in the unit square of lon/lat in degrees; latitudes past ±85.05° are clamped."""
    lon = np.asarray(lon, dtype=np.float64)
    lat = np.clip(np.asarray(lat, dtype=np.float64), -MAX_LAT, MAX_LAT)
    x = (lon + 180.0) / 360.0
    y = 0.5 - np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) / (2 * np.pi)
    return x, y


def inverse_mercator(x, y):
    """(lon, lat) in degrees of unit-square world coordinates (the inverse of `mercator`)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    lon = x * 360.0 - 180.0
    lat = np.degrees(2 * np.arctan(np.exp((0.5 - y) * 2 * np.pi)) - np.pi / 2)
    return lon, lat


@dataclass(frozen=True)
class MapViewport:
    """A `width`×`height` screen showing the world around (`cx`, `cy`) at `scale` pixels per
    world unit (256 shows the whole world in a 256-pixel square, as tile zoom 0 does)."""

    cx: float
    cy: float
    scale: float
    width: int
    height: int

    def to_screen(self, x, y):
        """Screen pixels of world coordinates."""
        return ((np.asarray(x) - self.cx) * self.scale + self.width / 2,
                (np.asarray(y) - self.cy) * self.scale + self.height / 2)

    def to_world(self, sx, sy):
        """World coordinates of screen pixels (the inverse of `to_screen`)."""
        return ((np.asarray(sx) - self.width / 2) / self.scale + self.cx,
                (np.asarray(sy) - self.height / 2) / self.scale + self.cy)

    def lonlat_to_screen(self, lon, lat):
        return self.to_screen(*mercator(lon, lat))

    def screen_to_lonlat(self, sx, sy):
        return inverse_mercator(*self.to_world(sx, sy))

    def zoomed(self, factor: float, sx: float, sy: float, min_scale: float = 128.0,
               max_scale: float = 2.0 ** 22) -> "MapViewport":
        """The viewport zoomed by `factor` about screen point (sx, sy), which stays where it is."""
        scale = float(np.clip(self.scale * factor, min_scale, max_scale))
        wx, wy = self.to_world(sx, sy)
        return MapViewport(float(wx - (sx - self.width / 2) / scale), float(wy - (sy - self.height / 2) / scale),
                           scale, self.width, self.height)

    def panned(self, dx: float, dy: float) -> "MapViewport":
        """The viewport with the map dragged by (dx, dy) pixels."""
        return MapViewport(self.cx - dx / self.scale, self.cy - dy / self.scale, self.scale, self.width, self.height)

    def resized(self, width: int, height: int) -> "MapViewport":
        return MapViewport(self.cx, self.cy, self.scale, max(width, 1), max(height, 1))


def fit_bounds(lon0: float, lat0: float, lon1: float, lat1: float, width: int, height: int,
               margin: float = 0.05) -> MapViewport:
    """The viewport that shows the lon/lat box [lon0, lon1] × [lat0, lat1] whole, centred."""
    (x0, x1), (y1, y0) = mercator([lon0, lon1], [lat0, lat1])
    w, h = max(x1 - x0, 1e-9), max(y1 - y0, 1e-9)
    scale = min(width / w, height / h) * (1 - 2 * margin)
    return MapViewport(float((x0 + x1) / 2), float((y0 + y1) / 2), float(scale), max(width, 1), max(height, 1))


def points_in_polygon(x, y, px, py) -> np.ndarray:
    """Mask of the points (x, y) inside the polygon with vertices (px, py), by the even-odd rule
    (a ray cast to the right crosses its edges an odd number of times); any planar coordinates."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    px = np.asarray(px, dtype=np.float64)
    py = np.asarray(py, dtype=np.float64)
    inside = np.zeros(x.shape, bool)
    if len(px) < 3:
        return inside
    qx, qy = np.roll(px, -1), np.roll(py, -1)
    for ax, ay, bx, by in zip(px, py, qx, qy):
        if ay == by:
            continue
        crosses = (ay > y) != (by > y)
        at = ax + (y - ay) * (bx - ax) / (by - ay)
        inside ^= crosses & (x < at)
    return inside
