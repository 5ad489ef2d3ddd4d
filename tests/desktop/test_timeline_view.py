"""The timeline widget driven with the mouse and keys; each test checks what the FILE holds.
(Filters and search: test_timeline_filter.py; what frames draw: test_timeline_paint.py.)"""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QTest

from sijill.db.timeline.lanes import FLAG_SPAN
from sijill.desktop.hub import ProjectHub
from sijill.desktop.timeline.view import TimelineView
from tests.desktop.timeline_helpers import (drag, ev, gid, item_pos, lane_point, reopen,  # noqa: F401 (setup: a fixture)
                                            setup, ts, wheel)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")   # offscreen platform, top-level show()


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
    assert stack.count() == 1 and stack.text(0) == "Move event “Drone attacks on US forces begin”"
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
    assert stack.text(0) == "Resize event “Battle of Mosul”"
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
    from sijill.desktop.timeline.export_image import render_timeline_image
    out = render_timeline_image(project, tmp_path / "shot.png", ts(2023, 9, 1), ts(2024, 3, 1), size=(800, 500))
    from PySide6.QtGui import QImage
    assert QImage(str(out.path)).size().toTuple() == (800, 500) and out.note is None
