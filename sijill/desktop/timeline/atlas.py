"""Many small cached pictures drawn in one call: marks, evidence marks, "+N more" and event titles.

Drawing a frame's few hundred cached pixmaps one `drawPixmap` call at a time costs more in Python
than the pixels cost Qt. An `Atlas` keeps the pictures side by side in one big pixmap (copied
there pixel for pixel, in device pixels, once), and `Atlas.draw` hands Qt all the pieces of a
layer at once through `QPainter.drawPixmapFragments`, whose array of fragments is a numpy array
(its memory seen as `PixmapFragment[]` through shiboken): no Python per piece drawn. `draw_rects`
does the same for `drawRects` (bands, bars). The pixels are those `drawPixmap(x, y, pixmap)` and
`drawRects([QRectF, ...])` give (the timeline's tests compare them).
"""
from __future__ import annotations

from typing import Callable, Hashable

import numpy as np
import shiboken6
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPixmap

ATLAS_SIDE = 2048          # device pixels: 16 MB, about 1,700 titles of 150 px at a pixel ratio of 1
SHELF_SLACK = 4            # a picture may go in a row up to this many pixels taller than itself


def draw_rects(qp: QPainter, x: np.ndarray, y: np.ndarray, w: np.ndarray, h) -> None:
    """`qp.drawRects` of the rectangles (x, y, w, h) in one call, from numpy (QRectF is four doubles)."""
    n = len(x)
    if not n:
        return
    r = np.empty((n, 4), np.float64)
    r[:, 0], r[:, 1], r[:, 2], r[:, 3] = x, y, w, h
    qp.drawRects(shiboken6.wrapInstance(r.ctypes.data, QRectF), n)


class Atlas:
    """Pictures packed in rows ("shelves") of one transparent pixmap of ATLAS_SIDE² device
    pixels, each under a key; when a frame's pictures no longer fit, it is emptied and refilled
    with that frame's only."""

    def __init__(self, side: int = ATLAS_SIDE) -> None:
        self.side = side
        self.pixmap: QPixmap | None = None
        self.index: dict[Hashable, int] = {}          # key -> slot
        self._slots = np.zeros((0, 4), np.float64)     # per slot: left, top, width, height (device px)
        self._n = 0
        self._shelves: list[list[int]] = []           # [top, height, next free x]
        self._bottom = 0
        self._painter: QPainter | None = None
        self.resets = 0                               # how many times it was emptied (tests, tuning)

    def clear(self) -> None:
        """Forget every picture (the pixmap is cleared when next written)."""
        self._end()
        self.index.clear()
        self._n = 0
        self._shelves.clear()
        self._bottom = 0
        if self.pixmap is not None:
            self.pixmap.fill(Qt.GlobalColor.transparent)

    def resolve(self, keys: list, make: Callable[[Hashable], QPixmap | None]) -> np.ndarray:
        """The slot of each key, the missing ones made (`make(key)`) and copied in. When they do
        not all fit, the atlas is emptied and filled with these keys only. -1 for a key whose
        picture is None or is too big for the atlas: the caller draws it itself."""
        out = self._resolve(keys, make)
        if out is None:
            self.clear()
            self.resets += 1
            out = self._resolve(keys, make, give_up=True)
        self._end()
        return out

    def _resolve(self, keys: list, make, give_up: bool = False) -> np.ndarray | None:
        out = np.empty(len(keys), np.int64)
        index = self.index
        for k, key in enumerate(keys):
            slot = index.get(key)
            if slot is None:
                pm = make(key)
                slot = None if pm is None else self._put(pm)
                if slot is not None:
                    index[key] = slot
                elif pm is not None and not give_up:
                    return None                      # full: the caller empties it and tries again
                else:
                    slot = -1
            out[k] = slot
        return out

    def _put(self, pm: QPixmap) -> int | None:
        """Copy `pm` (its device pixels) into a free place; its slot, or None when full."""
        w, h = pm.width(), pm.height()
        if w > self.side or h > self.side:
            return None
        shelf = next((s for s in self._shelves if h <= s[1] <= h + SHELF_SLACK and s[2] + w <= self.side), None)
        if shelf is None:
            if self._bottom + h > self.side:
                return None
            shelf = [self._bottom, h, 0]
            self._shelves.append(shelf)
            self._bottom += h
        x, y = shelf[2], shelf[0]
        shelf[2] += w
        if self.pixmap is None:
            self.pixmap = QPixmap(self.side, self.side)
            self.pixmap.fill(Qt.GlobalColor.transparent)
        if self._painter is None:
            self._painter = QPainter(self.pixmap)
            self._painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        self._painter.drawPixmap(QRectF(x, y, w, h), pm, QRectF(0, 0, w, h))
        if self._n == len(self._slots):
            self._slots = np.concatenate((self._slots, np.zeros((max(64, self._n), 4))))
        self._slots[self._n] = (x, y, w, h)
        self._n += 1
        return self._n - 1

    def _end(self) -> None:
        if self._painter is not None:
            self._painter.end()
            self._painter = None

    def draw(self, qp: QPainter, x: np.ndarray, y: np.ndarray, slots: np.ndarray, dpr: float) -> None:
        """The pictures of `slots` with their top-left corners at (x, y) (logical pixels, where
        `drawPixmap(x, y, picture)` would put them on a target of pixel ratio `dpr`), in one call."""
        n = len(slots)
        if not n:
            return
        self._end()
        s = self._slots[slots]
        f = np.empty((n, 10), np.float64)   # PixmapFragment: x, y (centre), source l, t, w, h, scale x, y, rotation, opacity
        f[:, 2:6] = s
        f[:, 0] = x + s[:, 2] / (2 * dpr)
        f[:, 1] = y + s[:, 3] / (2 * dpr)
        f[:, 6] = f[:, 7] = 1.0 / dpr
        f[:, 8] = 0.0
        f[:, 9] = 1.0
        qp.drawPixmapFragments(shiboken6.wrapInstance(f.ctypes.data, QPainter.PixmapFragment), n, self.pixmap)
