"""Ranks where labels compete: key events (set by hand), period starts, evidence counts, carried in
the lanes as a numpy array; the ranked row layout gives the better event its label's room."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sijill.db.timeline.lanes import (FLAG_KEY, PRECISIONS, PRIO_KEY, PRIO_PERIOD_START, PRIO_PROMOTED, ROLES, LaneSet,
                               Ranking)
from sijill.db.timeline.layout import assign_rows


def test_key_flag_is_read_alike_from_rows_and_packed_codes(project):
    g = project.create_group("PMF")
    key = project.create_event("Al-Sistani's call to arms", "2014-06-13", groups=[(g.id, "associated")],
                               key_event=True)
    plain = project.create_event("Commission established", "2014-06", groups=[(g.id, "associated")])
    for lanes in (LaneSet.build(project.timeline_rows()),
                  LaneSet.from_codes(project.timeline_codes(PRECISIONS, ROLES), {})):
        lane = lanes.lanes[g.id]
        flags = dict(zip(lane.ids.tolist(), lane.flags.tolist()))
        assert flags[key.id] & FLAG_KEY and not flags[plain.id] & FLAG_KEY
        prio = dict(zip(lane.ids.tolist(), lane.prio.tolist()))      # ranked by the flag alone
        assert prio == {key.id: PRIO_KEY, plain.id: 0}


def test_ranking_key_then_period_start_then_evidence_and_patches_keep_it(project):
    g = project.create_group("G")
    ids = {t: project.create_event(t, d, groups=[(g.id, "actor")]).id for t, d in (
        ("key", "2014-06-13"), ("start", "2014-06"), ("same day", "2016-11-26"), ("sourced", "2015-03-02"),
        ("plain", "2015-05-17"))}
    project.update_event(ids["key"], key_event=True)
    war = project.create_period("War against ISIS", "2014-06", "2017-12-09")          # month: same bounds only
    law = project.create_period("PMF institutionalisation", "2016-11-26", "2019-07-31")  # a day: within it
    lanes = LaneSet.build(project.timeline_rows())
    lanes.set_ranking(Ranking.build({ids["sourced"]: (3, 0), ids["key"]: (1, 0), ids["start"]: (200, 0)},
                                    [(p.start.lo_ts, p.start.hi_ts) for p in (war, law)]))
    prio = dict(zip(lanes.lanes[g.id].ids.tolist(), lanes.lanes[g.id].prio.tolist()))
    assert prio[ids["key"]] == PRIO_KEY | 1                      # 13 June is inside June, not June itself
    assert prio[ids["start"]] == PRIO_PERIOD_START | 63          # evidence counts are capped
    assert prio[ids["same day"]] == PRIO_PERIOD_START
    assert prio[ids["sourced"]] == 3 and prio[ids["plain"]] == 0
    order = sorted(prio, key=prio.get, reverse=True)
    assert order[:3] == [ids["key"], ids["start"], ids["same day"]]
    assert set(lanes.lanes[g.id].ids[lanes.lanes[g.id].top].tolist()) == {ids["key"], ids["start"], ids["same day"]}
    assert all(prio[i] >= PRIO_PROMOTED for i in order[:3])
    # an edit patches the lane: the stored ranking ranks its new arrays
    project.update_event(ids["plain"], key_event=True)
    lanes.patch([ids["plain"]], project.timeline_rows([ids["plain"]]))
    lane = lanes.lanes[g.id]
    assert dict(zip(lane.ids.tolist(), lane.prio.tolist()))[ids["plain"]] == PRIO_KEY
    sub = lane.subset(lane.ids != ids["key"])
    assert dict(zip(sub.ids.tolist(), sub.prio.tolist())) == {i: p for i, p in zip(lane.ids.tolist(), lane.prio.tolist())
                                                               if i != ids["key"]}


def test_a_better_event_keeps_its_label_room_in_a_single_row():
    # A (low) at 100, B (high) at 130, C (low) at 160: B's label wants 120 px
    x0 = np.array([95.0, 125.0, 155.0, 400.0])
    x1 = x0 + 10
    plain = assign_rows(x0, x1, 1, gap=2.0, right_edge=1000)
    assert plain.row.tolist() == [0, 0, 0, 0] and plain.label_room[1] < 30      # C cuts B's label short
    ranked = assign_rows(x0, x1, 1, gap=2.0, right_edge=1000, prio=np.array([0, 5, 0, 0], np.uint8),
                         reserve=np.array([0.0, 120.0, 0.0, 0.0]))
    assert ranked.row.tolist() == [0, 0, -1, 0] and ranked.overflow == 1           # C gives way, counted
    assert ranked.label_room[1] >= 120 - 2
    # with two rows C moves down instead of disappearing
    two = assign_rows(x0, x1, 2, gap=2.0, right_edge=1000, prio=np.array([0, 5, 0, 0], np.uint8),
                      reserve=np.array([0.0, 120.0, 0.0, 0.0]))
    assert two.row.tolist() == [0, 0, 1, 0] and two.overflow == 0


items = st.lists(st.tuples(st.floats(0, 800), st.floats(6, 60), st.integers(0, 3), st.floats(0, 150)),
                 min_size=1, max_size=60)


@settings(max_examples=200, deadline=None)
@given(items, st.integers(1, 4))
def test_ranked_rows_never_overlap_and_no_lower_mark_sits_in_a_better_label(its, rows):
    its.sort(key=lambda t: t[0])
    x0 = np.array([a for a, *_ in its])
    x1 = x0 + np.array([w for _a, w, *_ in its])
    prio = np.array([p for _a, _w, p, _r in its], np.uint8)
    reserve = np.array([r for *_x, r in its])
    gap = 2.0
    lay = assign_rows(x0, x1, rows, gap=gap, wide=40.0, prio=prio, reserve=reserve)
    for r in range(rows):
        m = np.flatnonzero(lay.row == r)
        for i in m:
            for j in m:
                if i < j:                                         # marks never touch
                    assert x1[i] + gap <= x0[j] or x1[j] + gap <= x0[i]
                if prio[j] < prio[i] and i != j:                  # a lower mark stays out of a better label's room
                    assert x0[j] >= x1[i] + reserve[i] + gap or x1[j] + gap <= x0[i]
    assert lay.overflow == int((lay.row < 0).sum())
    if len(set(prio.tolist())) == 1:                              # one rank: the plain layout
        plain = assign_rows(x0, x1, rows, gap=gap, wide=40.0)
        assert np.array_equal(plain.row, lay.row) and np.allclose(plain.label_room, lay.label_room)
