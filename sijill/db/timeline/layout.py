"""Stacking rows for the visible events of one lane, and the room each has for its label.

Only the events in the visible window (and not drawn as density) are laid out, so the cost
follows what is on screen. Short items (points, narrow bands) are placed first, left to right,
in the first row where they do not touch another; wide items (long spans, year-wide uncertainty
bands) then fill what is left. Items that find no row are counted as "+N more".

When the items have ranks (`prio`: key event, period start, evidence count), the more important
win: rank by rank, from the highest, items are placed as above, but around what higher ranks
already hold, and each placed item then keeps the room its label needs (`reserve` px right of it)
from every lower rank. A lower-ranked event whose mark would sit on a better one's label goes to
another row, or is left out (counted in "+N more"); items of the same rank share room as before.
With one rank only, the layout is the plain one.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
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
                wide: float = 200.0, right_edge: float = 1e9, prio: np.ndarray | None = None,
                reserve: np.ndarray | float = 0.0) -> RowLayout:
    """Place items [x0, x1] (pixels, `x0` ascending) in at most `rows` rows without overlaps;
    with `prio` (higher first) and `reserve` (label room kept right of each item from lower
    ranks), ranked as the module says."""
    if prio is not None and len(prio) > 1 and rows > 0 and prio.min() != prio.max():
        return _assign_ranked(x0, x1, rows, gap, wide, right_edge, prio, reserve)
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


def _block(starts: list[float], ends: list[float], a: float, b: float) -> None:
    """Add [a, b] to the sorted, disjoint intervals (starts, ends), merged with those it meets."""
    i = bisect_left(ends, a)
    j = bisect_right(starts, b)
    if i < j:
        a, b = min(a, starts[i]), max(b, ends[j - 1])
    starts[i:j] = [a]
    ends[i:j] = [b]


def _assign_ranked(x0: np.ndarray, x1: np.ndarray, rows: int, gap: float, wide: float, right_edge: float,
                   prio: np.ndarray, reserve) -> RowLayout:
    """`assign_rows` with ranks: per row, the blocked stretches (marks, and the label room of
    the ranks above the one being placed) as sorted disjoint intervals; rank by rank, narrow
    items left to right then wide ones, each in the first row where it meets no blocked stretch.
    The lowest rank (most items, and no one below it to keep room from) goes as the plain layout
    goes: left to right against the stretches, one pointer per row."""
    n = len(x0)
    row = np.full(n, -1, np.int64)
    x0l, x1l = x0.tolist(), x1.tolist()
    ext = np.maximum(x1 + reserve, x1).tolist()
    is_wide = (x1 - x0) > wide
    bs: list[list[float]] = [[] for _ in range(rows)]     # blocked stretches per row
    be: list[list[float]] = [[] for _ in range(rows)]
    levels = np.unique(prio)[::-1].tolist()
    for level in levels:
        this = prio == level
        narrow = (this & ~is_wide).nonzero()[0].tolist()
        if level == levels[-1]:
            _place_lowest(narrow, x0l, x1l, rows, gap, bs, be, row)
            narrow = []
        placed = []
        for i in narrow + (this & is_wide).nonzero()[0].tolist():
            a, b = x0l[i], x1l[i]
            for r in range(rows):
                s, e = bs[r], be[r]
                k = bisect_left(s, a)
                if k > 0 and e[k - 1] + gap > a:
                    continue
                if k < len(s) and s[k] < b + gap:
                    continue
                s.insert(k, a)
                e.insert(k, b)
                row[i] = r
                placed.append(i)
                break
        if level != levels[-1]:
            for i in placed:                              # their labels' room, kept from lower ranks
                if ext[i] > x1l[i]:
                    r = int(row[i])
                    _block(bs[r], be[r], x1l[i], ext[i])
    # the label room: to the next mark in the row (numpy, all rows at once)
    room = np.zeros(n, np.float64)
    on = (row >= 0).nonzero()[0]
    if len(on):
        order = on[np.lexsort((x0[on], row[on]))]
        nxt = np.empty(len(order))
        nxt[:-1] = x0[order[1:]]
        same = np.empty(len(order), bool)
        same[:-1] = row[order[1:]] == row[order[:-1]]
        same[-1] = False
        nxt[~same] = right_edge
        room[order] = nxt - x1[order] - gap
    return RowLayout(row, room, int((row < 0).sum()))


def _place_lowest(items: list[int], x0l: list, x1l: list, rows: int, gap: float, bs: list, be: list,
                  row: np.ndarray) -> None:
    """Narrow items of the lowest rank, left to right, first fit against the stretches `bs`/`be`
    (not changed meanwhile: this rank keeps no room and its marks only follow one another); the
    marks placed are then merged into the stretches, for the wide items to come."""
    last = [-1e18] * rows
    at = [0] * rows                                     # per row: the first stretch not yet passed
    added: list[list[tuple[float, float]]] = [[] for _ in range(rows)]
    for i in items:
        a, b = x0l[i], x1l[i]
        for r in range(rows):
            if last[r] + gap > a:
                continue
            s, e = bs[r], be[r]
            k = at[r]
            while k < len(s) and e[k] + gap <= a:
                k += 1
            at[r] = k
            if k < len(s) and s[k] < b + gap:
                continue
            last[r] = b
            added[r].append((a, b))
            row[i] = r
            break
    for r in range(rows):
        if added[r]:
            merged = sorted(list(zip(bs[r], be[r])) + added[r])
            bs[r][:] = [a for a, _b in merged]
            be[r][:] = [b for _a, b in merged]
