"""Stacking rows for the visible events of one lane, and the room each has for its label.

Only the events in the visible window (and not drawn as density) are laid out, so the cost
follows what is on screen. Short items (points, narrow bands) are placed first, left to right,
in the first row where they do not touch another; wide items (long spans, year-wide uncertainty
bands) then fill what is left. Items that find no row are counted as "+N more".
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

import numpy as np


MAX_SPREAD = 1 << 16   # pixels: beyond this the pre-filter below is skipped
PREFILTER_MIN = 48     # fewer wide items than this: the plain loop is cheaper than the pre-filter


def _maybe_placeable(x0: np.ndarray, x1: np.ndarray, wide: np.ndarray, members: list[list[int]],
                     rows: int) -> np.ndarray:
    """The wide items that are not surely blocked in every row by the narrow items already placed,
    found with numpy: a row blocks [a, b] for sure when a placed item covers a whole pixel inside
    it. Placing more only blocks more, so the others could never find a row; skipping them leaves
    the layout unchanged and bounds the Python loop by what can be placed."""
    if len(wide) < PREFILTER_MIN or not any(members):
        return wide
    lo = int(np.floor(min(x0.min(), 0.0))) - 1
    hi = int(np.ceil(x1.max())) + 2
    if hi - lo > MAX_SPREAD:
        return wide
    free = np.zeros(len(wide), bool)
    a = np.ceil(x0[wide]).astype(np.int64) - lo
    b = np.floor(x1[wide]).astype(np.int64) - lo          # pixels p in [a, b) lie inside [x0, x1]
    for r in range(rows):
        m = np.asarray(members[r], np.int64)
        size = hi - lo + 2
        s = np.ceil(x0[m]).astype(np.int64) - lo              # pixels wholly inside a placed item
        e = np.floor(x1[m]).astype(np.int64) - lo
        ok = e > s
        diff = np.bincount(s[ok], minlength=size) - np.bincount(e[ok], minlength=size)
        covered = np.concatenate(([0], np.cumsum(np.cumsum(diff[:size - 1]) > 0)))
        free |= (covered[np.maximum(b, a)] - covered[a]) == 0
    return wide[free]


@dataclass
class RowLayout:
    row: np.ndarray        # row per item, -1 when it did not fit
    label_room: np.ndarray  # pixels free to the right of each item's mark, before the next item
    overflow: int          # items that found no row


def assign_rows(x0: np.ndarray, x1: np.ndarray, rows: int, gap: float = 2.0,
                wide: float = 200.0, right_edge: float = 1e9) -> RowLayout:
    """Place items [x0, x1] (pixels, `x0` ascending) in at most `rows` rows without overlaps."""
    n = len(x0)
    row = np.full(n, -1, np.int64)
    room = np.zeros(n, np.float64)
    if n == 0 or rows <= 0:
        return RowLayout(row, room, n)
    x0l = x0.tolist()
    x1l = x1.tolist()
    is_wide = (x1 - x0) > wide
    starts: list[list[float]] = [[] for _ in range(rows)]   # sorted interval starts per row
    ends: list[list[float]] = [[] for _ in range(rows)]
    members: list[list[int]] = [[] for _ in range(rows)]
    last_end = [-1e18] * rows
    floor = -1e18                                           # min(last_end): below it no row is free
    for i in (~is_wide).nonzero()[0].tolist():             # narrow items, left to right
        a, b = x0l[i], x1l[i]
        if floor + gap > a:                                 # every row still busy at a: overflow
            continue
        for r in range(rows):
            if last_end[r] + gap <= a:
                last_end[r] = b
                starts[r].append(a)
                ends[r].append(b)
                members[r].append(i)
                row[i] = r
                floor = min(last_end)
                break
    for i in _maybe_placeable(x0, x1, is_wide.nonzero()[0], members, rows).tolist():  # wide items, into the gaps
        a, b = x0l[i], x1l[i]
        for r in range(rows):
            k = bisect_left(starts[r], a)
            if k > 0 and ends[r][k - 1] + gap > a:
                continue
            if k < len(starts[r]) and starts[r][k] < b + gap:
                continue
            starts[r].insert(k, a)
            ends[r].insert(k, b)
            members[r].insert(k, i)
            row[i] = r
            break
    for r in range(rows):
        ms, ss = members[r], starts[r]
        for k, i in enumerate(ms):
            nxt = ss[k + 1] if k + 1 < len(ss) else right_edge
            room[i] = nxt - x1l[i] - gap
    return RowLayout(row, room, int((row < 0).sum()))
