"""The timeline widget driven with the mouse and keys; each test checks what the FILE holds."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QUndoStack, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from db.project import Project
from db.timeline.lanes import FLAG_SPAN
from desktop.hub import ProjectHub
from desktop.timeline.frame import LANE_PAD, ROW_H
from desktop.timeline.view import TimelineView

UTC = timezone.utc
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")   # offscreen platform, top-level show()


def ts(*a) -> float:
    return datetime(*a, tzinfo=UTC).timestamp()


@pytest.fixture
def setup(qtbot, small_project):
    hub = ProjectHub(small_project)
    stack = QUndoStack()
    view = TimelineView(hub, stack)
    view.editor_factory = None
    qtbot.addWidget(view)
    view.resize(1400, 700)
    view.show()
    qtbot.waitExposed(view)
    return view, hub, stack, small_project


def reopen(project):
    return Project.open(project.path)


def ev(project, title):
    return next(e for e in project.events() if e.title == title)


def gid(project, name):
    return project.group_by_name(name).id


def item_pos(view, event_id, lane_key=None) -> QPoint:
    frame = view.canvas.ensure_frame()
    for dl in frame.lanes:
        if lane_key is not None and dl.geom.key != lane_key:
            continue
        hits = (dl.ids == event_id).nonzero()[0]
        if len(hits):
            k = hits[0]
            return QPoint(int((dl.x0[k] + dl.x1[k]) / 2), int(dl.y0[k] + (ROW_H - 4) / 2))
    raise AssertionError(f"event {event_id} not drawn")


def lane_point(view, key, t) -> QPoint:
    g = next(g for g in view.canvas.geoms if g.key == key)
    return QPoint(int(view.canvas.viewport().x(t)), int(g.y + g.h - LANE_PAD - 6))


def wheel(widget, pos: QPoint, angle: int, mods=Qt.KeyboardModifier.NoModifier):
    e = QWheelEvent(QPointF(pos), QPointF(widget.mapToGlobal(pos)), QPoint(0, 0), QPoint(0, angle),
                    Qt.MouseButton.NoButton, mods, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, e)


def drag(qtbot, widget, a: QPoint, b: QPoint, mods=Qt.KeyboardModifier.NoModifier):
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, mods, a)
    steps = 6
    for i in range(1, steps + 1):
        qtbot.mouseMove(widget, a + (b - a) * i / steps)
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, mods, b)


# ---- zoom, pan, fit -----------------------------------------------------------------------------
def test_zoom_about_cursor_keeps_date_under_it(setup):
    view, *_ = setup
    c = view.canvas
    view.set_window(ts(2019, 1, 1), ts(2021, 1, 1))
    pos = QPoint(300, 200)
    before = c.viewport().t(pos.x())
    wheel(c, pos, 120)
    assert c.t1 - c.t0 < 2 * 365 * 86400 * 0.85
    assert abs(c.viewport().t(pos.x()) - before) < 60
    wheel(c, pos, -240, Qt.KeyboardModifier.ControlModifier)
    assert abs(c.viewport().t(pos.x()) - before) < 60


def test_pan_by_drag_and_shift_wheel_then_fit(setup, qtbot):
    view, hub, stack, project = setup
    c = view.canvas
    view.set_window(ts(2019, 1, 1), ts(2020, 1, 1))
    t0 = c.t0
    y = c.geoms[-1].y + c.geoms[-1].h - 6
    drag(qtbot, c, QPoint(700, int(y)), QPoint(500, int(y)))
    per_px = (c.t1 - c.t0) / c.width()
    assert abs((c.t0 - t0) - 200 * per_px) < 2 * per_px
    t0 = c.t0
    wheel(c, QPoint(600, int(y)), -120, Qt.KeyboardModifier.ShiftModifier)
    assert c.t0 != t0
    QTest.keyClick(c, Qt.Key.Key_F)
    assert (c.t0, c.t1) == c.limits
    lo, hi = project.events()[0].lo, max(e.hi for e in project.events())
    assert c.t0 < lo and c.t1 > hi
    QTest.keyClick(c, Qt.Key.Key_Plus)
    assert c.t1 - c.t0 < c.limits[1] - c.limits[0]
    view.set_preset("1 m")
    assert abs((c.t1 - c.t0) - 30.4 * 86400) < 86400
    assert project.event_count() == 5 and stack.count() == 0     # viewing never edits


# ---- selection --------------------------------------------------------------------------------------
def test_click_ctrl_click_and_rubber_band(setup, qtbot):
    view, hub, stack, project = setup
    c = view.canvas
    view.set_window(ts(2019, 11, 1), ts(2024, 6, 1))
    kh = gid(project, "Kataib Hezbollah")
    tower, strikes = ev(project, "Tower 22 attack"), ev(project, "US strikes on Kataib Hezbollah")
    qtbot.mouseClick(c, Qt.MouseButton.LeftButton, pos=item_pos(view, tower.id, kh))
    assert hub.selection == [tower.id]
    qtbot.mouseClick(c, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, item_pos(view, strikes.id, kh))
    assert set(hub.selection) == {tower.id, strikes.id}
    g = next(g for g in c.geoms if g.key == kh)
    a = QPoint(int(c.viewport().x(ts(2023, 9, 1))), int(g.y + 2))
    b = QPoint(int(c.viewport().x(ts(2024, 3, 1))), int(g.y + g.h - 2))
    drag(qtbot, c, a, b, Qt.KeyboardModifier.ShiftModifier)
    assert set(hub.selection) == {tower.id, ev(project, "Drone attacks on US forces begin").id}
    QTest.keyClick(c, Qt.Key.Key_Left)
    assert len(hub.selection) == 1
    view.zoom_to_selection()
    assert c.t1 - c.t0 < 40 * 86400


# ---- editing in place ---------------------------------------------------------------------------------
def test_drag_month_event_snaps_to_whole_month_and_undo(setup, qtbot):
    view, hub, stack, project = setup
    c = view.canvas
    view.set_window(ts(2023, 6, 1), ts(2024, 6, 1))
    kh = gid(project, "Kataib Hezbollah")
    drone = ev(project, "Drone attacks on US forces begin")
    a = item_pos(view, drone.id, kh)
    dx = 1.4 * 30.44 * 86400 * c.width() / (c.t1 - c.t0)
    drag(qtbot, c, a, a + QPoint(int(dx), 0))
    assert stack.count() == 1 and stack.text(0) == "Move 'Drone attacks on US forces begin'"
    moved = ev(reopen(project), "Drone attacks on US forces begin")
    assert moved.start.text == "2023-11" and moved.start.precision == "month"
    assert moved.lo == ts(2023, 11, 1) and moved.start.hi_ts == ts(2023, 12, 1) - 1
    stack.undo()
    assert ev(reopen(project), "Drone attacks on US forces begin").start.text == "2023-10"
    stack.redo()
    assert ev(reopen(project), "Drone attacks on US forces begin").lo == ts(2023, 11, 1)


def test_drag_of_a_qualified_date_moves_by_the_step_its_words_follow(setup, qtbot):
    """"mid-October 2023" (the 11th to the 20th) is stored to the day, but its words can only
    follow a move by whole months: a drag of ten days changes nothing, a drag of about a month
    makes it "mid-November 2023", bounds and text agreeing in the file."""
    view, hub, stack, project = setup
    c = view.canvas
    kh = gid(project, "Kataib Hezbollah")
    e = project.create_event("Talks in Baghdad", "mid-October 2023", groups=[(kh, "actor")])
    hub.events_changed.emit([e.id])
    view.set_window(ts(2023, 8, 1), ts(2024, 1, 1))
    px_per_day = c.width() / ((c.t1 - c.t0) / 86400)
    a = item_pos(view, e.id, kh)
    drag(qtbot, c, a, a + QPoint(int(10 * px_per_day), 0))
    assert stack.count() == 0 and reopen(project).event(e.id).start.text == "mid-October 2023"
    a = item_pos(view, e.id, kh)
    drag(qtbot, c, a, a + QPoint(int(33 * px_per_day), 0))
    moved = reopen(project).event(e.id).start
    assert moved.text == "mid-November 2023"
    assert (moved.lo_ts, moved.hi_ts) == (ts(2023, 11, 11), ts(2023, 11, 21) - 1)
    stack.undo()
    assert reopen(project).event(e.id).start.text == "mid-October 2023"


def test_resize_bar_end(setup, qtbot):
    view, hub, stack, project = setup
    c = view.canvas
    pmf = gid(project, "Popular Mobilization Forces")
    battle = project.create_event("Battle of Mosul", "2016-10-17", "2017-07-20", groups=[(pmf, "actor")])
    hub.events_changed.emit([battle.id])
    view.set_window(ts(2016, 9, 1), ts(2017, 9, 1))
    lane = view.data.lane(pmf)
    i = lane.index_of(battle.id)
    assert lane.flags[i] & FLAG_SPAN
    p = item_pos(view, battle.id, pmf)
    a = QPoint(int(c.viewport().x(lane.end_lo[i])) - 1, p.y())
    dx = 10.2 * 86400 * c.width() / (c.t1 - c.t0)
    drag(qtbot, c, a, a + QPoint(int(dx), 0))
    got = reopen(project).event(battle.id)
    assert got.end.text == "2017-07-30" and got.start.text == "2016-10-17"
    assert stack.text(0) == "Resize 'Battle of Mosul'"
    stack.undo()
    assert reopen(project).event(battle.id).end.text == "2017-07-20"


def test_drag_to_another_lane_changes_group_keeping_role(setup, qtbot):
    view, hub, stack, project = setup
    c = view.canvas
    view.set_window(ts(2023, 6, 1), ts(2024, 6, 1))
    kh, us, isis = (gid(project, n) for n in ("Kataib Hezbollah", "United States", "ISIS"))
    tower = ev(project, "Tower 22 attack")
    a = item_pos(view, tower.id, us)
    g = next(g for g in c.geoms if g.key == isis)
    drag(qtbot, c, a, QPoint(a.x(), int(g.y + g.h / 2)))
    links = {(l.group_id, l.role) for l in reopen(project).event(tower.id).groups}
    assert links == {(kh, "actor"), (isis, "target")}
    assert reopen(project).event(tower.id).start.text == "2024-01-28"
    stack.undo()
    assert {(l.group_id, l.role) for l in reopen(project).event(tower.id).groups} == {(kh, "actor"), (us, "target")}
    stack.redo()
    assert isis in {l.group_id for l in reopen(project).event(tower.id).groups}


def test_double_click_creates_event_in_lane(setup, qtbot):
    view, hub, stack, project = setup
    c = view.canvas
    view.set_window(ts(2021, 1, 1), ts(2021, 3, 1))
    isis = gid(project, "ISIS")
    opened = []
    view.edit_requested.connect(opened.append)
    qtbot.mouseDClick(c, Qt.MouseButton.LeftButton, pos=lane_point(view, isis, ts(2021, 2, 10, 12)))
    new = [e for e in reopen(project).events() if e.title == "New event"]
    assert len(new) == 1 and new[0].start.text == "2021-02-10" and new[0].start.precision == "day"
    assert [(l.group_id, l.role) for l in new[0].groups] == [(isis, "actor")]
    assert hub.selection == [new[0].id] and opened == [new[0].id]
    stack.undo()
    assert project.event_count() == 5
    stack.redo()
    assert reopen(project).event(new[0].id).title == "New event"


def test_delete_key_deletes_and_undo_restores(setup, qtbot):
    view, hub, stack, project = setup
    c = view.canvas
    view.set_window(ts(2023, 6, 1), ts(2024, 6, 1))
    tower = ev(project, "Tower 22 attack")
    qtbot.mouseClick(c, Qt.MouseButton.LeftButton, pos=item_pos(view, tower.id))
    QTest.keyClick(c, Qt.Key.Key_Delete)
    assert tower.id not in {e.id for e in reopen(project).events()}
    assert tower.id not in set(view.data.lanes.event_lanes)
    stack.undo()
    assert reopen(project).event(tower.id).title == "Tower 22 attack"
    item_pos(view, tower.id)          # drawn again
    stack.redo()
    assert reopen(project).event_count() == 4


# ---- filters and search ---------------------------------------------------------------------------------
def test_filter_hides_lanes_and_events(setup):
    view, hub, stack, project = setup
    c = view.canvas
    view.fit_all()
    us, kh = gid(project, "United States"), gid(project, "Kataib Hezbollah")
    hub.set_filter(hub.filter.with_(group_ids=frozenset({kh})))
    assert [g.key for g in c.geoms] == [kh]
    hub.set_filter(hub.filter.with_(group_ids=None, tags=frozenset({"drone"})))
    drawn = {int(i) for dl in c.ensure_frame().lanes for i in dl.ids}
    assert drawn == {ev(project, "Tower 22 attack").id, ev(project, "Drone attacks on US forces begin").id}
    assert project.event_count() == 5


def test_search_highlights_and_next_match(setup):
    view, hub, stack, project = setup
    hub.set_filter(hub.filter.with_(search="Tower"))
    tower = ev(project, "Tower 22 attack")
    assert view.data.matches.tolist() == [tower.id]
    view.set_window(ts(2014, 1, 1), ts(2015, 1, 1))
    assert view.next_match() == tower.id and hub.selection == [tower.id]
    assert view.canvas.t0 <= tower.lo <= view.canvas.t1


def test_arrow_keys_step_from_a_selected_event_the_filter_hides(setup, qtbot):
    """The selection survives a filter: stepping from a hidden event goes to the shown events on
    either side of where it lies, and up/down finds the nearest in the next lane."""
    view, hub, stack, project = setup
    c = view.canvas
    kh = gid(project, "Kataib Hezbollah")
    us_strikes = ev(project, "US strikes on Kataib Hezbollah")        # 2019, in KH and US
    drones = ev(project, "Drone attacks on US forces begin")          # 2023-10
    tower = ev(project, "Tower 22 attack")                            # 2024-01-28
    view.fit_all()
    qtbot.mouseClick(c, Qt.MouseButton.LeftButton, pos=item_pos(view, drones.id, kh))
    assert hub.selection == [drones.id]
    hub.set_filter(replace(hub.filter, lo=int(ts(2014, 1, 1)), hi=int(ts(2020, 1, 1))))
    assert drones.id not in set(view.data.lane(kh).ids.tolist())       # hidden now
    QTest.keyClick(c, Qt.Key.Key_Left)
    assert hub.selection == [us_strikes.id]
    QTest.keyClick(c, Qt.Key.Key_Right)                                 # nothing shown after it in KH
    assert hub.selection == [us_strikes.id]
    hub.set_filter(replace(hub.filter, lo=int(ts(2024, 1, 1)), hi=None))
    QTest.keyClick(c, Qt.Key.Key_Right)                                 # from the hidden 2019 strike
    assert hub.selection == [tower.id]


def test_filtered_lanes_follow_edits_and_undo(setup, qtbot):
    """With a filter on, an edit that takes an event out of the filtered range hides it, undo
    shows it again, and an ungrouped event brought into range shows in the Ungrouped lane."""
    from desktop.commands import CreateEventCommand, UpdateEventCommand
    from db.dates import parse_fuzzy
    view, hub, stack, project = setup
    c = view.canvas
    kh = gid(project, "Kataib Hezbollah")
    tower = ev(project, "Tower 22 attack")
    hub.set_filter(replace(hub.filter, lo=int(ts(2023, 1, 1)), hi=int(ts(2025, 1, 1))))
    view.fit_all()

    def drawn():
        return {int(i) for dl in c.ensure_frame().lanes for i in dl.ids}
    assert tower.id in drawn() and c.data.event_count(kh) == 2
    stack.push(UpdateEventCommand(hub, {tower.id: {"start": parse_fuzzy("2021-01-28")}}, text="Move"))
    assert reopen(project).event(tower.id).start.text == "2021-01-28"
    assert tower.id not in drawn() and c.data.event_count(kh) == 1
    stack.undo()
    assert tower.id in drawn() and c.data.event_count(kh) == 2
    stack.push(CreateEventCommand(hub, {"title": "Unclaimed rocket fire", "start": "2023-11-02"}))
    loose = ev(reopen(project), "Unclaimed rocket fire")
    assert 0 in [g.key for g in c.geoms]                                # the Ungrouped lane appears
    assert loose.id in drawn()


def test_next_match_skips_matches_the_filter_hides(setup):
    view, hub, stack, project = setup
    hub.set_filter(replace(hub.filter, search="US", lo=int(ts(2020, 1, 1))))
    hidden = ev(project, "US strikes on Kataib Hezbollah").id                 # 2019: matches, filtered out
    shown = {ev(project, "Drone attacks on US forces begin").id}
    assert hidden in set(view.data.matches.tolist())
    assert set(view.data.match_list) == shown
    for _ in range(3):
        eid = view.next_match()
        assert eid in shown and hub.selection == [eid]
        lo, _hi = view.data.event_times(eid)
        assert view.canvas.t0 <= lo <= view.canvas.t1


def test_next_match_and_arrow_keys_keep_to_the_lanes_shown(setup, qtbot):
    """With only some groups shown, Enter does not select a match in a hidden lane, and the arrow
    keys step in a lane that is on screen."""
    view, hub, stack, project = setup
    us, isis = gid(project, "United States"), gid(project, "ISIS")
    hub.set_filter(replace(hub.filter, group_ids=frozenset({us}), search="Mosul"))
    assert ev(project, "ISIS takes Mosul").id in set(view.data.matches.tolist())
    assert view.next_match() is None and hub.selection == []
    strikes = project.create_event("US strikes three sites", "2024-01-23", groups=[(us, "actor")])
    hub.events_changed.emit([strikes.id])
    hub.set_filter(replace(hub.filter, search=""))
    tower = ev(project, "Tower 22 attack")                  # in Kataib Hezbollah (hidden) and US
    hub.set_selection([tower.id])
    QTest.keyClick(view.canvas, Qt.Key.Key_Left)            # in the US lane, not Kataib Hezbollah's
    assert hub.selection == [strikes.id]
    assert isis not in [g.key for g in view.canvas.geoms]


def test_view_state_remembered_in_file(setup, qtbot):
    view, hub, stack, project = setup
    view.set_window(ts(2020, 1, 1), ts(2021, 1, 1))
    kh = gid(project, "Kataib Hezbollah")
    view.set_lane_collapsed(gid(project, "Popular Mobilization Forces"), True)
    assert kh not in [g.key for g in view.canvas.geoms]     # the child lane folds with its parent
    view.save_state()
    other = reopen(project)
    hub2 = ProjectHub(other)
    view2 = TimelineView(hub2, QUndoStack())
    qtbot.addWidget(view2)
    assert abs(view2.canvas.t0 - ts(2020, 1, 1)) < 1
    assert view2.canvas.collapsed == {gid(project, "Popular Mobilization Forces")}


def test_reorder_lanes_by_header(setup):
    view, hub, stack, project = setup
    us, isis = gid(project, "United States"), gid(project, "ISIS")
    view.header.move_lane(isis, us, after=False)
    order = [g.id for g in reopen(project).groups() if g.parent_id is None]
    assert order.index(isis) < order.index(us)
    stack.undo()
    order = [g.id for g in reopen(project).groups() if g.parent_id is None]
    assert order.index(isis) > order.index(us)


# ---- density ------------------------------------------------------------------------------------------
def test_density_strip_when_crowded_resolves_when_zoomed(qtbot, project):
    g = project.create_group("Busy")
    start = ts(2014, 1, 1)
    step = (ts(2024, 1, 1) - start) / 5000
    project.bulk_insert_events([{"title": f"e{i}", "groups": [(g.id, "actor")],
                                 "start": datetime.fromtimestamp(start + i * step, UTC).strftime("%Y-%m-%d")}
                                for i in range(5000)])
    hub = ProjectHub(project)
    view = TimelineView(hub, QUndoStack())
    qtbot.addWidget(view)
    view.resize(1400, 600)
    view.show()
    view.fit_all()
    lane = next(dl for dl in view.canvas.ensure_frame().lanes if dl.geom.key == g.id)
    assert lane.density is not None and lane.density.sum() + len(lane.ids) + lane.overflow == 5000
    assert len(lane.ids) < 200
    n = view.canvas.ensure_frame().density_at(700, lane.geom.y + 10)
    assert n > 0
    view.set_preset("1 d")
    view.set_window(ts(2019, 6, 1), ts(2019, 6, 2))
    lane = next(dl for dl in view.canvas.ensure_frame().lanes if dl.geom.key == g.id)
    assert lane.density is None and len(lane.ids) >= 1


def test_lane_cap_sends_a_busy_lane_to_density_and_zoom_resolves(qtbot, project):
    """No 32-px bucket is crowded, but the lane holds more events than rows × width / MIN_ITEM_PX:
    the busiest stretches go to density (hover counts them), and zooming in draws them again."""
    from desktop.timeline.frame import BUCKET_PX, lane_cap
    g = project.create_group("Busy")
    hub = ProjectHub(project)
    view = TimelineView(hub, QUndoStack())
    qtbot.addWidget(view)
    view.resize(1400, 600)
    view.show()
    start, end = ts(2014, 1, 1), ts(2024, 1, 1)
    view.set_window(start, end)
    geom = next(dl.geom for dl in view.canvas.ensure_frame().lanes if dl.geom.key == g.id)
    width = int(view.canvas.ensure_frame().viewport.width)
    cap = lane_cap(geom, width)
    n = int(cap * 1.8)
    assert n / (width / BUCKET_PX) <= geom.rows          # no bucket over `rows`: only the cap can bind
    step = (end - start) / n
    project.bulk_insert_events([{"title": f"e{i}", "groups": [(g.id, "actor")],
                                 "start": datetime.fromtimestamp(start + (i + 0.5) * step, UTC).strftime("%Y-%m-%d")}
                                for i in range(n)])
    hub2 = ProjectHub(project)
    view = TimelineView(hub2, QUndoStack())
    qtbot.addWidget(view)
    view.resize(1400, 600)
    view.show()
    view.set_window(start, end)
    lane = next(dl for dl in view.canvas.ensure_frame().lanes if dl.geom.key == g.id)
    assert lane.density is not None and lane.density.sum() + len(lane.ids) + lane.overflow == n
    assert len(lane.ids) <= cap
    x = float(view.canvas.ensure_frame().viewport.x0 + int(lane.density.argmax()))
    assert view.canvas.ensure_frame().density_at(x, lane.geom.y + 10) > 0
    view.set_window(ts(2019, 1, 1), ts(2019, 4, 1))
    lane = next(dl for dl in view.canvas.ensure_frame().lanes if dl.geom.key == g.id)
    assert lane.density is None and len(lane.ids) >= 1


def test_index_path_draws_what_the_slice_path_draws(qtbot, project, monkeypatch):
    """Above SLICE_MAX a lane is drawn from its index (cost bounded by pixels), below it from the
    visible slice: both show the same events, density and haze."""
    import desktop.timeline.prepare as prepare
    g = project.create_group("Busy")
    events = []
    for a, b in ((ts(2018, 2, 1), ts(2018, 3, 31)), (ts(2018, 6, 1), ts(2018, 7, 31))):   # two busy stretches
        step = (b - a) / 1500
        events += [{"title": f"e{len(events) + i}", "groups": [(g.id, ("actor", "target")[i % 2])],
                    "start": datetime.fromtimestamp(a + i * step, UTC).strftime("%Y-%m" if i % 3 == 0 else "%Y-%m-%d")}
                   for i in range(1500)]
    project.bulk_insert_events(events)
    view = TimelineView(ProjectHub(project), QUndoStack())
    qtbot.addWidget(view)
    view.resize(1400, 600)
    view.show()
    # (the window edges fall where there is nothing: at an edge the two may differ by a mark whose
    # likely point is a few pixels off screen)
    for window in (None, (ts(2017, 12, 1), ts(2019, 1, 1)), (ts(2018, 1, 10), ts(2018, 4, 20))):
        if window is None:
            view.fit_all()
        else:
            view.set_window(*window)
        seen = []
        for limit in (10 ** 9, 0):
            monkeypatch.setattr(prepare, "SLICE_MAX", limit)
            view.canvas.frame = None
            lane = next(dl for dl in view.canvas.ensure_frame().lanes if dl.geom.key == g.id)
            seen.append((sorted(lane.ids.tolist()), None if lane.density is None else lane.density.tolist(),
                         None if lane.haze is None else lane.haze.tolist()))
        assert seen[0][0] == seen[1][0], window
        assert seen[0][1] == seen[1][1], window
        assert seen[0][2] == seen[1][2], window



def test_lanes_drawn_together_look_as_each_lane_drawn_alone(setup):
    """Items are drawn layer by layer for the whole frame (all bands, then all bars, marks,
    outlines, evidence marks, labels): each lane must still look exactly as when it is drawn
    alone, with spans, a selection, a hovered item and search dimming."""
    import dataclasses
    import numpy as np
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter
    from desktop.timeline.painter import TimelinePainter
    view, hub, _stack, project = setup
    canvas = view.canvas
    pmf = gid(project, "Popular Mobilization Forces")
    spans = [project.create_event(title, a, b, groups=[(pmf, role)]).id
             for title, a, b, role in (("Battle of Mosul", "2016-10-17", "2017-07-20", "actor"),
                                       ("Siege", "2016-03", "2016-08", "target"))]
    hub.events_changed.emit(spans)
    view.fit_all()

    def render(geoms, hover=None):
        img = QImage(canvas.width(), canvas.height(), QImage.Format.Format_ARGB32_Premultiplied)
        qp = QPainter(img)
        frame = TimelinePainter(canvas.font()).paint(qp, QRectF(canvas.rect()), canvas.t0, canvas.t1,
                                                     canvas.data, geoms, hover=hover)
        qp.end()
        return img, frame

    img, frame = render(canvas.geoms)
    ids = np.concatenate([dl.ids for dl in frame.lanes])
    assert len(ids) > 3 and set(spans) <= set(ids.tolist())
    drawn = [g for g, dl in zip(canvas.geoms, frame.lanes) if len(dl.ids) and dl.density is None]
    assert len(drawn) >= 3
    canvas.data.selected = np.sort(ids[::2])
    for matches in (None, np.sort(ids[::3])):
        canvas.data.matches = matches
        together = render(canvas.geoms, int(ids[1]))[0]
        for g in drawn:
            # the other lanes moved far below the visible area: only `g` is laid out and drawn
            alone = render([g if o is g else dataclasses.replace(o, y=o.y + 10 ** 5) for o in canvas.geoms],
                           int(ids[1]))[0]
            box = (0, int(g.y), canvas.width(), int(g.h))
            assert together.copy(*box) == alone.copy(*box), g.info.name

# ---- export ------------------------------------------------------------------------------------------------
def test_export_png_svg_pdf(setup, tmp_path):
    view, hub, stack, project = setup
    for suffix in ("png", "svg", "pdf"):
        out = tmp_path / f"t.{suffix}"
        view.export_image(str(out), size=(1200, 700))
        assert out.stat().st_size > 1000
    svg = (tmp_path / "t.svg").read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "<svg" in svg
    # lane names, event labels and the legend stay text in the vector file
    assert ">Kataib Hezbollah</text>" in svg and ">ISIS takes Mosul</text>" in svg and ">target</text>" in svg
    from desktop.timeline.export_image import render_timeline_image
    out = render_timeline_image(project, tmp_path / "shot.png", ts(2023, 9, 1), ts(2024, 3, 1), size=(800, 500))
    from PySide6.QtGui import QImage
    assert QImage(str(out.path)).size().toTuple() == (800, 500) and out.note is None


def test_marks_and_labels_are_sharp_on_a_high_density_screen(setup):
    """At a device pixel ratio of 2 the cached marks and labels are drawn at full resolution,
    not blown up from 1x pixmaps (which would leave every 2×2 block of device pixels uniform)."""
    import numpy as np
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter
    from desktop.timeline.painter import TimelinePainter
    view, _hub, _stack, _project = setup
    canvas = view.canvas
    view.fit_all()
    img = QImage(canvas.width() * 2, canvas.height() * 2, QImage.Format.Format_ARGB32_Premultiplied)
    img.setDevicePixelRatio(2)
    qp = QPainter(img)
    frame = TimelinePainter(canvas.font()).paint(qp, QRectF(canvas.rect()), canvas.t0, canvas.t1, canvas.data,
                                                 canvas.geoms)
    qp.end()
    assert sum(len(dl.ids) for dl in frame.lanes) >= 2
    px = np.frombuffer(img.constBits(), np.uint32).reshape(img.height(), img.width())
    inked = 0
    uniform = 0
    for dl in frame.lanes:
        for x0, x1, y in zip(dl.x0.tolist(), dl.x1.tolist(), dl.y0.tolist()):
            # the mark and the start of its label: a row's height, from the mark's left
            box = px[int(y) * 2:int(y + ROW_H - 4) * 2, max(int(x0), 0) * 2:int(x1 + 60) * 2]
            h, w = box.shape[0] // 2 * 2, box.shape[1] // 2 * 2
            b = box[:h, :w].reshape(h // 2, 2, w // 2, 2)
            same = (b == b[:, :1, :, :1]).all(axis=(1, 3))
            ink = ~(b == b.reshape(-1)[0]).all(axis=(1, 3))
            inked += int(ink.sum())
            uniform += int((same & ink).sum())
    assert inked > 200
    assert uniform / inked < 0.6


def test_lane_bands_fill_whole_lanes_on_a_high_density_screen(setup):
    """At a device pixel ratio of 2 each grey lane band starts on the lane's first device row
    (no white line where a fractional lane top was rounded in logical pixels)."""
    import math
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter
    from desktop.timeline.painter import TimelinePainter
    view, hub, _stack, project = setup
    canvas = view.canvas
    for n in range(9):                           # enough lanes to share the height
        project.create_group(f"Group {n}")
    hub.groups_changed.emit()
    view.resize(1400, 777)                       # lanes of fractional height
    view.fit_all()
    # lanes whose top falls at .5 or more of a logical pixel: rounding there in logical pixels
    # (rather than device pixels) would start their band one device row late
    late = [i for i, g in enumerate(canvas.geoms) if i % 2 and g.y > 45 and g.y % 1 >= 0.5]
    assert late
    img = QImage(canvas.width() * 2, canvas.height() * 2, QImage.Format.Format_ARGB32_Premultiplied)
    img.setDevicePixelRatio(2)
    qp = QPainter(img)
    TimelinePainter(canvas.font()).paint(qp, QRectF(canvas.rect()), canvas.t0, canvas.t1, canvas.data, canvas.geoms)
    qp.end()
    for i in late:
        g = canvas.geoms[i]
        first, middle = math.floor(g.y * 2 + 0.5), int((g.y + g.h / 2) * 2)
        assert img.pixelColor(2, first) == img.pixelColor(2, middle), (g.info.name, first)
