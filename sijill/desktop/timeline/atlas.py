"""Many small cached pictures drawn in one call: marks, evidence marks, "+N more" and event titles.

Drawing a frame's few hundred cached pixmaps one `drawPixmap` call at a time costs more in Python
than the pixels cost Qt. An `Atlas` keeps the pictures side by side in a few big pixmaps ("pages",
copied there pixel for pixel, in device pixels, once), and `Atlas.draw` hands Qt all the pieces of
a layer on a page at once through `QPainter.drawPixmapFragments`, whose array of fragments is a
numpy array (its memory seen as `PixmapFragment[]` through shiboken): no Python per piece drawn.
`draw_rects` does the same for `drawRects` (bands, bars). The pixels are those
`drawPixmap(x, y, pixmap)` and `drawRects([QRectF, ...])` give (the timeline's tests compare them).

When a picture no longer fits, the page least recently drawn from (not by the frame being drawn)
is emptied; when the frame's own pictures fill every page, all pages are emptied and refilled with
that frame's; what still does not fit is drawn one by one from a small cache of its own.
"""
from __future__ import annotations

import math
from typing import Callable, Hashable

import numpy as np
import shiboken6
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPixmap

ATLAS_SIDE = 2048          # device pixels per page side: 16 MB, ~1,700 titles of 150 px at a pixel ratio of 1 (~425 at 2)
ATLAS_PAGES = 2            # pages at most
SHELF_SLACK = 4            # a picture may go in a row up to this many pixels taller than itself
STRIDE = 1 << 24           # slot id = page × STRIDE + the slot's number on its page
SPARE_MAX = 256            # pictures kept for drawing one by one (when a frame needs more than the pages hold)


def draw_rects(qp: QPainter, x: np.ndarray, y: np.ndarray, w: np.ndarray, h) -> None:
    """`qp.drawRects` of the rectangles (x, y, w, h) in one call, from numpy (QRectF is four doubles)."""
    n = len(x)
    if not n:
        return
    r = np.empty((n, 4), np.float64)
    r[:, 0], r[:, 1], r[:, 2], r[:, 3] = x, y, w, h
    qp.drawRects(shiboken6.wrapInstance(r.ctypes.data, QRectF), n)


class _Page:
    """One pixmap of pictures in rows ("shelves"), with where each is."""

    def __init__(self, side: int) -> None:
        self.side = side
        self.pixmap: QPixmap | None = None
        self.slots = np.zeros((64, 4), np.float64)    # left, top, width, height (device px)
        self.keys: list = []                           # the key of each slot
        self.shelves: list[list[int]] = []             # [top, height, next free x]
        self.bottom = 0
        self.stamp = 0                                 # the last `resolve` that drew from it
        self.painter: QPainter | None = None

    def empty(self) -> None:
        self.end()
        self.keys.clear()
        self.shelves.clear()
        self.bottom = 0
        if self.pixmap is not None:
            self.pixmap.fill(Qt.GlobalColor.transparent)

    def put(self, pm: QPixmap) -> int | None:
        """Copy `pm` (its device pixels) into a free place; its number here, or None when full."""
        w, h = pm.width(), pm.height()
        side = self.side
        shelf = next((s for s in self.shelves if h <= s[1] <= h + SHELF_SLACK and s[2] + w <= side), None)
        if shelf is None:
            if self.bottom + h > side or w > side:
                return None
            shelf = [self.bottom, h, 0]
            self.shelves.append(shelf)
            self.bottom += h
        x, y = shelf[2], shelf[0]
        shelf[2] += w
        if self.pixmap is None:
            self.pixmap = QPixmap(side, side)
            self.pixmap.fill(Qt.GlobalColor.transparent)
        if self.painter is None:
            self.painter = QPainter(self.pixmap)
            self.painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        self.painter.drawPixmap(QRectF(x, y, w, h), pm, QRectF(0, 0, w, h))
        n = len(self.keys)
        if n == len(self.slots):
            self.slots = np.concatenate((self.slots, np.zeros_like(self.slots)))
        self.slots[n] = (x, y, w, h)
        return n

    def end(self) -> None:
        if self.painter is not None:
            self.painter.end()
            self.painter = None


class Atlas:
    """Pictures under keys, in up to `pages` pages of `side`² device pixels (the module says how
    they are made room for)."""

    def __init__(self, side: int = ATLAS_SIDE, pages: int = ATLAS_PAGES) -> None:
        self.side = side
        self.max_pages = pages
        self.pages: list[_Page] = []
        self.index: dict[Hashable, int] = {}          # key -> slot id
        self.spare: dict[Hashable, QPixmap] = {}      # pictures drawn one by one, most recent last
        self.evictions = 0                            # pages emptied to make room (tests, tuning)
        self._tick = 0

    def clear(self) -> None:
        """Forget every picture."""
        for page in self.pages:
            page.empty()
        self.index.clear()
        self.spare.clear()

    def resolve(self, keys: list, make: Callable[[Hashable], QPixmap | None]) -> tuple[np.ndarray, dict]:
        """(the slot id of each key, {position: picture} of those drawn one by one). The missing
        pictures are made (`make(key)`, once) and copied in; a key whose picture is None gets -1
        and no picture (the caller draws it its own way)."""
        self._tick += 1
        made: dict = {}
        out = self._resolve(keys, make, made, last_try=False)
        if out is None:                               # this frame's pictures fill every page
            for page in self.pages:
                page.empty()
            self.index.clear()
            self.evictions += len(self.pages)
            out = self._resolve(keys, make, made, last_try=True)
        for page in self.pages:
            page.end()
        return out

    def _resolve(self, keys: list, make, made: dict, last_try: bool):
        out = np.empty(len(keys), np.int64)
        alone: dict[int, QPixmap] = {}
        index, pages, tick = self.index, self.pages, self._tick
        for k, key in enumerate(keys):
            slot = index.get(key)
            if slot is not None:
                pages[slot // STRIDE].stamp = tick
                out[k] = slot
                continue
            if key in made:
                pm = made[key]
            else:
                pm = self.spare.pop(key, None)
                if pm is None:
                    pm = make(key)
                made[key] = pm
            if pm is None:
                out[k] = -1
                continue
            slot = self._put(key, pm)
            if slot is None:
                if not last_try:
                    return None
                out[k] = -1
                alone[k] = self._keep_spare(key, pm)
                continue
            index[key] = slot
            out[k] = slot
        return out, alone

    def _put(self, key, pm: QPixmap) -> int | None:
        """A slot for `pm`: on a page with room, a new page, or the page least recently drawn from
        (not by this frame) emptied; None when every page is this frame's and full."""
        if pm.width() > self.side or pm.height() > self.side:
            return None
        for p, page in enumerate(self.pages):
            n = page.put(pm)
            if n is not None:
                return self._took(p, n, key)
        if len(self.pages) < self.max_pages:
            self.pages.append(_Page(self.side))
            p = len(self.pages) - 1
        else:
            idle = [p for p, page in enumerate(self.pages) if page.stamp < self._tick]
            if not idle:
                return None
            p = min(idle, key=lambda q: self.pages[q].stamp)
            for old in self.pages[p].keys:
                self.index.pop(old, None)
            self.pages[p].empty()
            self.evictions += 1
        n = self.pages[p].put(pm)
        return None if n is None else self._took(p, n, key)

    def _took(self, p: int, n: int, key) -> int:
        page = self.pages[p]
        page.keys.append(key)
        page.stamp = self._tick
        return p * STRIDE + n

    def _keep_spare(self, key, pm: QPixmap) -> QPixmap:
        self.spare[key] = pm
        while len(self.spare) > SPARE_MAX:
            self.spare.pop(next(iter(self.spare)))
        return pm

    def draw(self, qp: QPainter, x: np.ndarray, y: np.ndarray, slots: np.ndarray, dpr: float) -> None:
        """The pictures of `slots` with their top-left corners at (x, y) (logical pixels, where
        `drawPixmap(x, y, picture)` would put them on a target of pixel ratio `dpr`): one call per
        page drawn from."""
        if not len(slots):
            return
        # fragments are scaled by 1 / ratio: exact in binary floating point for a ratio of 1, 2
        # or 4 only; at 1.25 or 1.5 a picture would come out a rounding error narrower, sampled
        # a pixel off past its middle, so there each is drawn by itself, from the page
        exact = math.frexp(dpr)[0] == 0.5
        page_of = slots // STRIDE
        for p in np.unique(page_of).tolist():
            sel = page_of == p if len(self.pages) > 1 else slice(None)
            page = self.pages[p]
            s = page.slots[slots[sel] % STRIDE]
            if not exact:
                page.pixmap.setDevicePixelRatio(dpr)
                for px, py, (sl, st, sw, sh) in zip(x[sel].tolist(), y[sel].tolist(), s.tolist()):
                    qp.drawPixmap(QPointF(px, py), page.pixmap, QRectF(sl, st, sw, sh))
                page.pixmap.setDevicePixelRatio(1.0)     # it is written to in device pixels
                continue
            n = len(s)
            f = np.empty((n, 10), np.float64)   # PixmapFragment: x, y (centre), source l, t, w, h, scale x, y, rotation, opacity
            f[:, 2:6] = s
            # centres such that each picture's corner falls on the device pixel `drawPixmap`
            # picks (x · ratio rounded half up), whole: at a fractional ratio a centre of
            # x + width / 2 / ratio would leave it a rounding error from the half pixel
            f[:, 0] = (np.floor(x[sel] * dpr + 0.5) + s[:, 2] / 2) / dpr
            f[:, 1] = (np.floor(y[sel] * dpr + 0.5) + s[:, 3] / 2) / dpr
            f[:, 6] = f[:, 7] = 1.0 / dpr
            f[:, 8] = 0.0
            f[:, 9] = 1.0
            qp.drawPixmapFragments(shiboken6.wrapInstance(f.ctypes.data, QPainter.PixmapFragment), n, page.pixmap)
