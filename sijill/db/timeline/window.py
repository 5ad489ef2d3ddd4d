"""The visible window: which events of a lane overlap [t0, t1], and how time maps to pixels.

The slice is found by bisection on the lane's sorted starts: an event overlapping the window
starts no later than t1 and no earlier than t0 minus the lane's longest duration.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sijill.db.timeline.lanes import Lane

HOUR = 3600
DAY = 86400
YEAR = int(365.2425 * DAY)
MIN_SPAN = HOUR                     # zoom limit: one hour across the view
PRESETS = {                         # name -> window length in seconds
    "5 y": 5 * YEAR, "1 y": YEAR, "3 m": YEAR // 4, "1 m": YEAR // 12, "1 w": 7 * DAY, "1 d": DAY,
}


def visible_slice(lane: Lane, t0: int, t1: int) -> np.ndarray:
    """Indices (ascending) of the lane's events whose [lo, hi] overlaps [t0, t1]."""
    if not len(lane):
        return np.empty(0, np.int64)
    left = int(np.searchsorted(lane.lo, t0 - lane.max_dur, side="left"))
    right = int(np.searchsorted(lane.lo, t1, side="right"))
    if right <= left:
        return np.empty(0, np.int64)
    idx = np.arange(left, right)
    return idx[lane.hi[left:right] >= t0]


@dataclass(frozen=True)
class Viewport:
    """A time window drawn across `width` pixels starting at pixel `x0`."""

    t0: float
    t1: float
    width: float
    x0: float = 0.0

    @property
    def span(self) -> float:
        return self.t1 - self.t0

    @property
    def px_per_s(self) -> float:
        return self.width / self.span if self.span > 0 else 0.0

    def x(self, t):
        """Pixel x of time(s) `t` (works on numpy arrays)."""
        return self.x0 + (np.asarray(t, dtype=np.float64) - self.t0) * (self.width / self.span)

    def t(self, x: float) -> float:
        return self.t0 + (x - self.x0) * self.span / self.width


def clamp_window(t0: float, t1: float, limits: tuple[float, float]) -> tuple[float, float]:
    """Keep a window within `limits` (the project plus margin) and no shorter than an hour."""
    lo, hi = limits
    span = min(max(t1 - t0, MIN_SPAN), hi - lo)
    if t0 < lo:
        t0 = lo
    if t0 + span > hi:
        t0 = hi - span
    return t0, t0 + span


def zoom_about(t0: float, t1: float, anchor: float, factor: float,
               limits: tuple[float, float]) -> tuple[float, float]:
    """Scale the window by `factor` (< 1 zooms in) keeping time `anchor` at the same pixel."""
    span = t1 - t0
    new_span = min(max(span * factor, MIN_SPAN), limits[1] - limits[0])
    frac = (anchor - t0) / span if span else 0.5
    n0 = anchor - frac * new_span
    return clamp_window(n0, n0 + new_span, limits)


def project_limits(bounds: tuple[int, int] | None, margin: float = 0.05) -> tuple[float, float]:
    """The zoom-out limit: the project's extent plus a margin (a year either side when empty)."""
    if bounds is None:
        import time
        now = time.time()
        return now - YEAR, now + YEAR
    lo, hi = bounds
    pad = max((hi - lo) * margin, 7 * DAY)
    return lo - pad, hi + pad


def preset_window(name: str, center: float, limits: tuple[float, float]) -> tuple[float, float]:
    """A preset window ("1 y", "1 m"…) centred on `center`; "All" is the whole project."""
    if name == "All":
        return limits
    span = PRESETS[name]
    return clamp_window(center - span / 2, center + span / 2, limits)
