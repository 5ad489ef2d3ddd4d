"""Pixel-bounded counting (db.timeline.counting): every answer equals brute-force counting."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sijill.db.timeline.counting import (counts_between, duration_class, haze_cover, long_spans, positions_in_ranges)
from sijill.db.timeline.lanes import FLAG_SPAN, LaneSet


def row(eid, lo, hi, end=None):
    elo, ehi = end if end else (None, None)
    return (eid, 1, "actor", lo, hi, elo, ehi, "day", 0, 0, "t")


def _lane(items):
    rows = []
    for i, (lo, unc, dur, span) in enumerate(items):
        rows.append(row(i + 1, lo, lo + unc, end=(lo + unc + dur, lo + unc + dur)) if span else row(i + 1, lo, lo + unc))
    return LaneSet.build(rows).lanes[1] if rows else LaneSet.build([], [1]).lanes[1]


items = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 2_000), st.integers(0, 4_000), st.booleans()),
                 min_size=0, max_size=120)


@settings(max_examples=150, deadline=None)
@given(items, st.lists(st.integers(-500, 12_000), min_size=1, max_size=30))
def test_counts_and_positions_equal_brute_force(its, cuts):
    lane = _lane(its)
    ix = lane.index()
    edges = np.array(sorted(cuts), dtype=np.float64)
    mid = (lane.lo + lane.start_hi) // 2
    want = [int(((mid >= a) & (mid < b)).sum()) for a, b in zip(edges[:-1], edges[1:])]
    assert counts_between(ix.mid, edges).tolist() == want
    keep = np.array([i % 2 == 0 for i in range(len(edges) - 1)], bool)
    got = positions_in_ranges(ix, edges, keep)
    brute = [i for i in range(len(lane)) if any(k and a <= mid[i] < b for k, a, b in zip(keep, edges[:-1], edges[1:]))]
    assert got.tolist() == sorted(brute)


@settings(max_examples=150, deadline=None)
@given(items, st.integers(-1000, 12_000), st.integers(0, 5000), st.integers(0, 5000), st.integers(0, 60))
def test_long_spans_equal_brute_force(its, t0, length, min_dur, cap):
    lane = _lane(its)
    t1 = t0 + length
    got, floor = long_spans(lane.index(), lane.lo, lane.hi, t0, t1, min_dur)
    want = [i for i in range(len(lane)) if lane.flags[i] & FLAG_SPAN and lane.lo[i] <= t1 and lane.hi[i] >= t0
            and lane.hi[i] - lane.lo[i] > min_dur]
    assert got.tolist() == want
    capped, floor = long_spans(lane.index(), lane.lo, lane.hi, t0, t1, min_dur, cap)
    assert set(i for i in want if lane.hi[i] - lane.lo[i] >= floor) <= set(capped.tolist()) <= set(want)
    assert capped.tolist() == sorted(set(capped.tolist()))


@settings(max_examples=150, deadline=None)
@given(items, st.lists(st.integers(-500, 12_000), min_size=1, max_size=30), st.integers(0, 3000))
def test_haze_cover_equals_brute_force(its, times, min_width):
    lane = _lane(its)
    t = np.array(times, dtype=np.float64)
    got = haze_cover(lane.index(), t, min_width)
    inst = (lane.flags & FLAG_SPAN) == 0
    k = duration_class(lane.hi - lane.lo)
    kmin = duration_class(np.array([max(min_width, 1)]))[0]
    want = [int((inst & (k >= kmin) & (lane.lo <= x) & (lane.hi >= x)).sum()) for x in t]
    assert got.tolist() == want


def test_index_rebuilt_after_patch():
    lanes = LaneSet.build([row(1, 100, 100), row(2, 200, 200)])
    lane = lanes.lanes[1]
    assert lane.index().mid.tolist() == [100, 200]
    lanes.patch([1], [row(1, 300, 300)])
    assert lanes.lanes[1].index().mid.tolist() == [200, 300]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=60), st.integers(0, 8), st.integers(0, 300))
def test_cap_keeps_sparsest_buckets_within_cap(counts, rows, cap):
    from sijill.db.timeline.density import cap_buckets
    c = np.array(counts)
    crowded = cap_buckets(c, c > rows, cap)
    assert (crowded | ~(c > rows)).all()                       # crowded buckets stay crowded
    assert c[~crowded].sum() <= cap                           # the cap holds
    newly = crowded & ~(c > rows)
    if newly.any():                                            # what is kept is no busier than what is not
        assert c[~crowded].max(initial=0) <= c[newly].min()


def test_lane_cap_sends_a_busy_lane_to_density():
    import os
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from sijill.db.timeline.frame import MIN_ITEM_PX, LaneGeom, lane_cap
    from sijill.db.timeline.lanes import LaneInfo
    g = LaneGeom(LaneInfo(1, "L", None, 0, None, False), 0.0, 3 * 18 + 8)
    assert g.rows == 3 and lane_cap(g, 1600) == 3 * 1600 // MIN_ITEM_PX
