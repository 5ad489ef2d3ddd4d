"""Counts over time (db.timeline.bins) against a table counted by hand, on a real project file.

The events (UTC), with the bin of their likely point (midpoint of the start's bounds):

| event | start            | bounds                | likely point     | ISO week of | groups           |
|-------|------------------|-----------------------|------------------|-------------|------------------|
| e1    | 2023-10-16 (Mon) | that day              | 16 Oct 12:00     | 16 Oct      | KH actor         |
| e2    | 2023-10-22 (Sun) | that day              | 22 Oct 12:00     | 16 Oct      | KH actor, US tgt |
| e3    | 2023-10-23 (Mon) | that day              | 23 Oct 12:00     | 23 Oct      | US actor         |
| e4    | mid-October 2023 | 11–20 Oct (10 days)   | 15 Oct 23:59:59  | 9 Oct       | PMF actor        |
| e5    | October 2023     | 1–31 Oct (31 days)    | 16 Oct 11:59:59  | 16 Oct      | KH associated    |
| e6    | 2023-11-01       | that day              | 1 Nov 12:00      | 30 Oct      | none             |
| e7    | 2024-01-28       | that day              | 28 Jan 12:00     | 22 Jan      | KH actor, PMF as.|

e4 is uncertain by day and week (10 days), not by month; e5 by day and week, not by month.
"""
from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pytest

from sijill.db.store.project import Project
from sijill.db.timeline.bins import (WindowCounter, auto_unit, bin_edges, count_bins, floor_to, ids_in_bin, rolled_up,
                                     series_of, stacks_by_lane, stacks_by_type, with_descendants)
from sijill.db.timeline.lanes import PRECISIONS, ROLES, UNGROUPED, LaneSet


def ts(*a) -> int:
    return int(datetime(*a, tzinfo=timezone.utc).timestamp())


@pytest.fixture
def story(tmp_path):
    with Project.create(tmp_path / "bins.sijill") as p:
        pmf = p.create_group("Popular Mobilization Forces")
        kh = p.create_group("Kataib Hezbollah", parent=pmf.id)
        us = p.create_group("United States")
        ids = {
            "e1": p.create_event("e1", "2023-10-16", groups=[(kh.id, "actor")], event_type="Drone").id,
            "e2": p.create_event("e2", "2023-10-22", groups=[(kh.id, "actor"), (us.id, "target")],
                                 event_type="Drone").id,
            "e3": p.create_event("e3", "2023-10-23", groups=[(us.id, "actor")], event_type="Airstrike").id,
            "e4": p.create_event("e4", "mid-October 2023", groups=[(pmf.id, "actor")]).id,
            "e5": p.create_event("e5", "October 2023", groups=[(kh.id, "associated")], event_type="Drone").id,
            "e6": p.create_event("e6", "2023-11-01").id,
            "e7": p.create_event("e7", "2024-01-28", groups=[(kh.id, "actor"), (pmf.id, "associated")]).id,
        }
        lanes = LaneSet.from_codes(p.timeline_codes(PRECISIONS, ROLES), {}).lanes
        parents = {g.id: g.parent_id for g in p.groups()}
        types = {t: np.array(sorted(p.event_ids_matching(event_types=[t])), np.int64) for t in p.event_types()}
    return lanes, ids, {"pmf": pmf.id, "kh": kh.id, "us": us.id}, parents, types


def names(series, ids, edges, i):
    back = {v: k for k, v in ids.items()}
    return sorted(back[int(e)] for e in ids_in_bin(series, edges, i))


def test_iso_weeks_start_on_monday_and_months_have_their_length():
    assert floor_to("week", ts(2023, 10, 22, 23, 59)) == ts(2023, 10, 16)   # a Sunday ends its week
    assert floor_to("week", ts(2023, 10, 23)) == ts(2023, 10, 23)
    assert floor_to("week", ts(2023, 1, 1, 12)) == ts(2022, 12, 26)         # ISO week 52 of 2022
    assert floor_to("week", ts(1969, 12, 31)) == ts(1969, 12, 29)           # before the epoch too
    assert bin_edges("month", ts(2024, 1, 15), ts(2024, 3, 1)).tolist() == [ts(2024, 1, 1), ts(2024, 2, 1),
                                                                           ts(2024, 3, 1)]
    assert np.diff(bin_edges("month", ts(2024, 2, 1), ts(2024, 2, 2))).tolist() == [29 * 86400]
    assert bin_edges("day", ts(2023, 10, 15, 6), ts(2023, 10, 16, 1)).tolist() == [
        ts(2023, 10, 15), ts(2023, 10, 16), ts(2023, 10, 17)]


def test_weekly_counts_by_hand(story):
    lanes, ids, g, _parents, _types = story
    total = series_of("all", lanes.values())
    c = count_bins([], total, "week", ts(2023, 10, 9), ts(2023, 11, 6))
    assert [int(e) for e in c.edges] == [ts(2023, 10, d) for d in (9, 16, 23, 30)] + [ts(2023, 11, 6)]
    assert c.total.tolist() == [1, 3, 1, 1]
    assert c.total_uncertain.tolist() == [1, 1, 0, 0]          # e4 (10 days), then e5 (a month)
    assert names(total, ids, c.edges, 0) == ["e4"]               # counted at its midpoint, 15 Oct
    assert names(total, ids, c.edges, 1) == ["e1", "e2", "e5"]  # e2 linked twice, counted once
    assert c.bins_json()["bins"][1] == {"start": "2023-10-16", "end": "2023-10-22", "count": 3, "uncertain": 1}


def test_daily_and_monthly_counts_by_hand(story):
    lanes, _ids, _g, _parents, _types = story
    total = series_of("all", lanes.values())
    day = count_bins([], total, "day", ts(2023, 10, 15), ts(2023, 10, 17))
    assert (day.total.tolist(), day.total_uncertain.tolist()) == ([1, 2], [1, 1])   # e4 | e1, e5
    month = count_bins([], total, "month", ts(2023, 10, 1), ts(2024, 2, 1))
    assert month.total.tolist() == [5, 1, 0, 1]
    assert month.total_uncertain.tolist() == [0, 0, 0, 0]      # nothing coarser than its month


def test_stacks_by_group_count_each_link_and_roll_sub_groups_up(story):
    lanes, ids, g, parents, _types = story
    order = [g["pmf"], g["kh"], g["us"], UNGROUPED]
    total = series_of("all", lanes.values())
    own = stacks_by_lane(lanes, {k: [k] for k in order})
    c = count_bins(own, total, "week", ts(2023, 10, 9), ts(2023, 10, 30))
    assert c.keys == order
    assert c.count.tolist() == [[1, 0, 0],     # PMF: e4
                                [0, 3, 0],     # KH: e1, e2, e5
                                [0, 1, 1],     # US: e2 (target), e3
                                [0, 0, 0]]
    assert c.uncertain.tolist() == [[1, 0, 0], [0, 1, 0], [0, 0, 0], [0, 0, 0]]
    members = rolled_up(order, parents, [g["pmf"]])
    assert members == {g["pmf"]: [g["pmf"], g["kh"]], g["us"]: [g["us"]], UNGROUPED: [UNGROUPED]}
    rolled = count_bins(stacks_by_lane(lanes, members), total, "month", ts(2023, 10, 1), ts(2024, 2, 1))
    assert rolled.count.tolist() == [[4, 0, 0, 1],   # e1 e2 e4 e5 | e7 (KH and PMF: once)
                                     [2, 0, 0, 0],   # e2 e3
                                     [0, 1, 0, 0]]   # e6
    assert rolled.total.tolist() == [5, 1, 0, 1]


def test_a_group_includes_its_sub_groups(story):
    lanes, ids, g, parents, _types = story
    assert sorted(with_descendants(parents, [g["pmf"]])) == sorted([g["pmf"], g["kh"]])
    pmf = series_of("pmf", (lanes[k] for k in with_descendants(parents, [g["pmf"]])))
    back = {v: k for k, v in ids.items()}
    assert sorted(back[int(e)] for e in pmf.ids) == ["e1", "e2", "e4", "e5", "e7"]


def test_stacks_by_type_partition_the_events(story):
    lanes, _ids, _g, _parents, types = story
    total = series_of("all", lanes.values())
    c = count_bins(stacks_by_type(total, types), total, "month", ts(2023, 10, 1), ts(2023, 12, 1))
    assert c.keys == ["Airstrike", "Drone", "(no type)"]
    assert c.count.tolist() == [[1, 0], [3, 0], [1, 1]]
    assert (c.count.sum(axis=0) == c.total).all()


def test_auto_unit_follows_the_zoom():
    assert auto_unit(ts(2023, 10, 1), ts(2023, 11, 1), 1000) == "day"
    assert auto_unit(ts(2023, 10, 1), ts(2024, 3, 1), 1000) == "week"
    assert auto_unit(ts(2014, 1, 1), ts(2024, 1, 1), 1000) == "month"


def test_a_window_cut_from_the_counted_stretch_is_counted_as_itself(story):
    """Panning and zooming inside the stretch a WindowCounter counted cuts the window's bins from it;
    each is what count_bins gives for that window, fuzzy dates and stacks included."""
    lanes, _ids, g, _parents, _types = story
    total = series_of("all", lanes.values())
    stacks = stacks_by_lane(lanes, {k: [k] for k in (g["pmf"], g["kh"], g["us"], UNGROUPED)})
    counter = WindowCounter(stacks, total)
    rng = np.random.default_rng(7)
    recounted = 0
    for unit, t0, span in (("week", ts(2023, 10, 9), 28 * 86400), ("day", ts(2023, 10, 14), 5 * 86400),
                           ("month", ts(2023, 9, 1), 150 * 86400)):
        for _ in range(40):
            t0 += float(rng.uniform(-0.1, 0.1)) * span            # pans and zooms of up to a tenth
            span *= float(rng.uniform(0.9, 1.1))
            before = counter.stretch.get(unit)
            stretch, a, b = counter.count(unit, t0, t0 + span)
            recounted += stretch is not before
            got, want = stretch.sliced(a, b), count_bins(stacks, total, unit, t0, t0 + span)
            assert got.edges.tolist() == want.edges.tolist() and got.keys == want.keys
            assert got.count.tolist() == want.count.tolist() and got.uncertain.tolist() == want.uncertain.tolist()
            assert (got.total.tolist(), got.total_uncertain.tolist()) == (want.total.tolist(),
                                                                          want.total_uncertain.tolist())
    assert 3 <= recounted < 40      # counted once per unit, again only when the window left the stretch

