"""The geometry of one painted timeline frame: lane placement, what was drawn where, hit-testing.

Shared by the frame's preparation (`prepare`), the painter (which fills a Frame while drawing) and the
canvas and interaction code (which ask the last Frame what lies under the mouse). No drawing and no Qt
here: a lane's colour is `sijill.desktop.groups.palette.lane_color`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sijill.db.timeline.lanes import LaneInfo
from sijill.db.timeline.window import Viewport

PERIOD_BAND_H = 15     # the strip under the axis where period titles are written (never over the lanes)
AXIS_H = 40 + PERIOD_BAND_H   # everything above the lanes: axis ticks, context labels, period titles
ROW_H = 18
LANE_PAD = 4
MARK_R = 5.0
SPRITE_C = 8
BUCKET_PX = 32
SLICE_MAX = 4096      # a lane's visible slice up to this size is handled directly, else via its index
MIN_ITEM_PX = 64      # the lane-wide cap: at most rows × width / MIN_ITEM_PX events drawn one by one


@dataclass
class LaneGeom:
    """Where a lane is drawn: its top, height and how many rows of events fit."""

    info: LaneInfo
    y: float
    h: float
    collapsed: bool = False

    @property
    def key(self) -> int:
        return self.info.key

    @property
    def rows(self) -> int:
        return 0 if self.collapsed else max(1, int((self.h - 2 * LANE_PAD) // ROW_H))


@dataclass
class DrawnLane:
    """What one frame drew in a lane, for hit-testing: items (by event id) and density counts."""

    geom: LaneGeom
    ids: np.ndarray
    idx: np.ndarray
    x0: np.ndarray
    x1: np.ndarray
    y0: np.ndarray
    density: np.ndarray | None = None
    overflow: int = 0
    room: np.ndarray | None = None
    haze: np.ndarray | None = None     # per column: how many off-screen uncertain dates cover it
    # pixel positions of each drawn item: likely point, start bounds (b0..b1), end bounds (e0..e1)
    px: np.ndarray | None = None
    b0: np.ndarray | None = None
    b1: np.ndarray | None = None
    e0: np.ndarray | None = None
    e1: np.ndarray | None = None
    span: np.ndarray | None = None
    role: np.ndarray | None = None
    # "+N more" markers: (x of the first event left out of a cluster, that cluster's event ids)
    more: list = field(default_factory=list)


@dataclass
class Frame:
    """The result of painting: the viewport and what was drawn where; `label_ids`/`label_rects`
    (rows of x, y, width, height: the room each was given) the event titles drawn, and
    `period_rects` the period titles."""

    viewport: Viewport
    lanes: list[DrawnLane] = field(default_factory=list)
    label_ids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    label_rects: np.ndarray = field(default_factory=lambda: np.empty((0, 4)))
    period_rects: list = field(default_factory=list)

    def lane_at(self, y: float) -> DrawnLane | None:
        for dl in self.lanes:
            if dl.geom.y <= y < dl.geom.y + dl.geom.h:
                return dl
        return None

    def hit(self, x: float, y: float, slop: float = 3.0) -> tuple[DrawnLane, int] | None:
        """The drawn item under (x, y): (lane, position in the lane's drawn arrays)."""
        dl = self.lane_at(y)
        if dl is None or not len(dl.ids):
            return None
        inside = ((dl.x0 - slop <= x) & (x <= dl.x1 + slop) & (dl.y0 <= y) & (y <= dl.y0 + ROW_H - 2))
        where = _nz(inside)
        if not len(where):
            return None
        best = where[np.argmin(dl.x1[where] - dl.x0[where])]   # the narrowest (most precise) wins
        return dl, int(best)

    def density_at(self, x: float, y: float, half: int = 4) -> int:
        dl = self.lane_at(y)
        if dl is None or dl.density is None:
            return 0
        c = int(x - self.viewport.x0)
        return int(dl.density[max(0, c - half):c + half + 1].sum())


@dataclass
class Preview:
    """A drag in progress: the event drawn at its new place, in its new lane."""

    event_id: int
    lane_key: int
    lo: int
    start_hi: int
    end_lo: int
    hi: int
    role: int
    span: bool


def _nz(a: np.ndarray) -> np.ndarray:
    """np.flatnonzero of a 1-D array without its wrapper overhead (many tiny arrays per frame)."""
    return a.nonzero()[0]


def _clip(a: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """np.clip for float arrays, cheaper on the small per-lane arrays of a frame."""
    return np.minimum(np.maximum(a, lo), hi)


def coverage(xa: np.ndarray, xb: np.ndarray, width: int) -> np.ndarray:
    """Per pixel column, how many of the intervals [xa, xb] cover it (difference array)."""
    a = _clip(xa, 0, width).astype(np.int64)
    b = _clip(xb, 0, width).astype(np.int64)
    return np.cumsum(np.bincount(a, minlength=width + 1) - np.bincount(b, minlength=width + 1))[:width]


def lane_cap(g: LaneGeom, width: int) -> int:
    """How many events a lane can show readably: one per MIN_ITEM_PX of each row. Beyond that the
    busiest stretches are drawn as density (hover counts them; zooming in resolves them)."""
    return g.rows * max(width, 0) // MIN_ITEM_PX
