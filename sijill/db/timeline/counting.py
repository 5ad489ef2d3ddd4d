"""Counting a lane's events per pixel column in time bounded by the pixels, not by the events.

`Lane.index()` keeps, once per lane (rebuilt when the lane is patched):
- the likely points (middle of each start's bounds) sorted, with the lane position of each, so the
  count in any time range is two bisections: a frame's per-column counts cost O(columns · log n)
  and listing the events of a range costs only what is listed;
- spans grouped by duration (classes 2^k ≤ hi − lo < 2^(k+1) seconds, three to a group), each group
  sorted by start, so the spans long enough to be drawn as bars are found without touching the
  short ones, and bisecting a group's starts overshoots by at most its longest duration;
- instants by the width of their uncertainty: for each class, the sorted lows and highs of all
  instants at least that wide, so how many uncertain dates cover a time is `#(lo ≤ t) − #(hi < t)`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

FLAG_SPAN = 4
SPAN_STEP = 3      # spans are grouped by duration in classes a factor 2^3 wide


def duration_class(d: np.ndarray) -> np.ndarray:
    """floor(log2(d)) for d ≥ 1, and 0 for d < 1 (so class k holds 2^k ≤ d < 2^(k+1), k ≥ 1)."""
    d = np.maximum(np.asarray(d, dtype=np.int64), 1)
    return np.floor(np.log2(d.astype(np.float64))).astype(np.int64)


@dataclass
class LaneIndex:
    mid: np.ndarray                     # likely points, ascending
    mid_order: np.ndarray               # lane position of each sorted likely point
    spans: list[tuple[int, np.ndarray, np.ndarray]]  # (k: all shorter than 2^(k+1), positions by start, starts)
    haze: list[tuple[int, np.ndarray, np.ndarray]]   # (class k, lows and highs sorted of instants of class >= k)


def build_index(lo: np.ndarray, start_hi: np.ndarray, hi: np.ndarray, flags: np.ndarray) -> LaneIndex:
    """Index of a lane's arrays (`lo` ascending, as `Lane` keeps them)."""
    mid = (lo + start_hi) // 2
    order = np.argsort(mid, kind="stable")
    span = (flags & FLAG_SPAN) > 0
    spans = []
    sp = np.flatnonzero(span)
    if len(sp):
        k = duration_class(hi[sp] - lo[sp]) // SPAN_STEP * SPAN_STEP + SPAN_STEP - 1   # top class of its group
        for c in np.unique(k).tolist():
            pos = sp[k == c]                     # already ascending by lo
            spans.append((c, pos, lo[pos]))
    haze = []
    inst = np.flatnonzero(~span)
    if len(inst):
        k = duration_class(hi[inst] - lo[inst])
        # per populated class c: lows and highs of every instant of class >= c, so that one query
        # answers for any threshold with two bisections
        for c in np.unique(k).tolist():
            pos = inst[k >= c]
            haze.append((c, np.sort(lo[pos]), np.sort(hi[pos])))
    return LaneIndex(mid[order].astype(np.float64), order.astype(np.int64), spans, haze)


def _int_key(values: np.ndarray, key: float, rounding):
    """`key` rounded (math.ceil for side="left", math.floor for side="right") when `values` are
    integers: the same position, without numpy converting all of `values` to float per call."""
    return rounding(key) if values.dtype.kind in "iu" and math.isfinite(key) else key


def counts_between(sorted_values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """How many of `sorted_values` fall in each [edges[i], edges[i+1]) (edges ascending)."""
    return np.diff(np.searchsorted(sorted_values, edges, side="left"))


def positions_between(index: LaneIndex, a: float, b: float) -> np.ndarray:
    """Lane positions of the events whose likely point lies in [a, b)."""
    i, j = np.searchsorted(index.mid, (a, b), side="left")
    return index.mid_order[i:j]


def positions_in_ranges(index: LaneIndex, edges: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Lane positions (ascending) of the events whose likely point lies in one of the ranges
    [edges[i], edges[i+1]) with keep[i] true; costs the ranges plus what is listed."""
    cut = np.searchsorted(index.mid, edges, side="left")
    starts, stops = cut[:-1][keep], cut[1:][keep]
    n = stops - starts
    if not n.sum():
        return np.empty(0, np.int64)
    # concatenated aranges without a Python loop
    offs = np.repeat(starts - np.concatenate(([0], np.cumsum(n)[:-1])), n)
    return np.sort(index.mid_order[np.arange(n.sum()) + offs])


def long_spans(index: LaneIndex, lo: np.ndarray, hi: np.ndarray, t0: float, t1: float,
               min_dur: float, cap: int | None = None) -> tuple[np.ndarray, float]:
    """Spans longer than `min_dur` overlapping [t0, t1], longest groups first, each group bisected
    on its starts; groups too short to hold one are not looked at. With `cap`, a group is listed
    whole while the candidates looked at stay within it, and the group where it runs out only for
    its latest starts (so the work is bounded by the cap).

    Returns (lane positions ascending, `floor`): the spans listed include every one overlapping,
    longer than `min_dur` and at least `floor` long (`floor` is inf when no group was whole), and
    maybe some shorter; the caller treats the long spans not listed as ordinary items (drawn where
    sparse, density where busy).
    """
    out = []
    floor = float("inf")
    seen = 0
    for k, pos, starts in reversed(index.spans):
        if 2.0 ** (k + 1) <= min_dur:
            break
        a = np.searchsorted(starts, _int_key(starts, t0 - 2.0 ** (k + 1), math.ceil), side="left")
        b = np.searchsorted(starts, _int_key(starts, t1, math.floor), side="right")
        if cap is not None and seen + (b - a) > cap:
            a = b - (cap - seen)                  # the group in part: the latest starts, nearest the window
            p = pos[a:b]
            p = p[(hi[p] >= t0) & ((hi[p] - lo[p]) > min_dur)]
            if len(p):
                out.append(p)
            break
        seen += b - a
        floor = 2.0 ** (k - SPAN_STEP + 1)
        p = pos[a:b]
        p = p[(hi[p] >= t0) & ((hi[p] - lo[p]) > min_dur)]
        if len(p):
            out.append(p)
    return (np.sort(np.concatenate(out)) if out else np.empty(0, np.int64)), floor


def haze_cover(index: LaneIndex, times: np.ndarray, min_width: float) -> np.ndarray:
    """Per time in `times`: how many instants of uncertainty class ≥ that of `min_width` cover it
    (lo ≤ t ≤ hi), as #(lo ≤ t) − #(hi < t) per class."""
    kmin = int(duration_class(np.array([max(min_width, 1)]))[0])
    for k, los, his in index.haze:
        if k >= kmin:         # the first populated class at or above the threshold holds all above
            if los.dtype.kind in "iu" and his.dtype.kind in "iu" and times.dtype.kind == "f":
                # integer keys, same positions: spares numpy a float copy of both arrays per call
                return (np.searchsorted(los, np.floor(times).astype(los.dtype), side="right")
                        - np.searchsorted(his, np.ceil(times).astype(his.dtype), side="left"))
            return np.searchsorted(los, times, side="right") - np.searchsorted(his, times, side="left")
    return np.zeros(len(times), np.int64)
