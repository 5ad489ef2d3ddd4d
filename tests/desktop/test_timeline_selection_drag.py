"""Dragging one event of a multi-event selection moves them all: one snapped shift, one undo
step; a lane change only when every selected event is in the lane the drag started from.
Each test checks what the FILE holds."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from tests.desktop.timeline_helpers import drag, ev, gid, item_pos, reopen, setup, ts  # noqa: F401

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
MONTH = 30.44 * 86400


def select(qtbot, view, ids_lanes):
    """Click the first event, Ctrl+click the others: the selection is made with the mouse."""
    c = view.canvas
    for n, (eid, lane) in enumerate(ids_lanes):
        mods = Qt.KeyboardModifier.ControlModifier if n else Qt.KeyboardModifier.NoModifier
        qtbot.mouseClick(c, Qt.MouseButton.LeftButton, mods, item_pos(view, eid, lane))
    assert sorted(view.hub.selection) == sorted(eid for eid, _lane in ids_lanes)


def dates(project, *titles):
    p = reopen(project)
    return [(e.start.text, e.start.lo_ts, e.start.hi_ts, e.start.precision)
            for e in (ev(p, t) for t in titles)]


def test_drag_a_selection_moves_every_event_in_one_undo_step(setup, qtbot):
    view, hub, stack, project = setup
    c = view.canvas
    kh = gid(project, "Kataib Hezbollah")
    mid = project.create_event("Rockets on Ain al-Asad", "mid-October 2023", groups=[(kh, "actor")])
    view.set_window(ts(2023, 6, 1), ts(2024, 6, 1))
    titles = ("Drone attacks on US forces begin", "Rockets on Ain al-Asad", "Tower 22 attack")
    before = dates(project, *titles)
    drone, tower = ev(project, titles[0]), ev(project, titles[2])
    select(qtbot, view, [(drone.id, kh), (mid.id, kh), (tower.id, kh)])

    a = item_pos(view, drone.id, kh)
    b = a + QPoint(int(1.4 * MONTH * c.width() / (c.t1 - c.t0)), 0)
    qtbot.mousePress(c, Qt.MouseButton.LeftButton, pos=a)
    for i in range(1, 7):
        qtbot.mouseMove(c, a + (b - a) * i / 6)
    # while dragging: the pressed event and the other two are previewed one month later, in
    # their own lanes; nothing is written yet
    assert c.preview is not None and c.preview.event_id == drone.id and c.preview.lo == ts(2023, 11, 1)
    ghosts = {(p.event_id, p.lane_key): p.lo for p in c.ghosts}
    us = gid(project, "United States")
    assert ghosts[(tower.id, kh)] == ghosts[(tower.id, us)] == ts(2024, 2, 28)
    assert ghosts[(mid.id, kh)] == mid.start.lo_ts + 31 * 86400         # October has 31 days
    assert (drone.id, kh) not in ghosts and (drone.id, us) in ghosts
    shown = c.grab().toImage()                       # the outlines are painted
    kept, c.ghosts = c.ghosts, []
    assert c.grab().toImage() != shown
    c.ghosts = kept
    assert dates(project, *titles) == before and stack.count() == 0
    qtbot.mouseRelease(c, Qt.MouseButton.LeftButton, pos=b)

    assert c.preview is None and c.ghosts == []
    assert stack.count() == 1 and stack.text(0) == "Move 3 events"
    after = dates(project, *titles)
    # one month for all (the coarsest precision in the selection is the month), each keeping its own
    assert [d[0] for d in after] == ["2023-11", "mid-November 2023", "2024-02-28"]
    assert [d[3] for d in after] == ["month", "day", "day"]
    assert after[0][1:3] == (ts(2023, 11, 1), ts(2023, 12, 1) - 1)
    assert after[2][1:3] == (ts(2024, 2, 28), ts(2024, 2, 29) - 1)
    assert after[1][1] - before[1][1] == 31 * 86400
    assert hub.selection and sorted(hub.selection) == sorted([drone.id, mid.id, tower.id])
    p = reopen(project)
    assert {(l.group_id, l.role) for l in p.event(tower.id).groups} == {(kh, "actor"), (us, "target")}

    stack.undo()
    assert dates(project, *titles) == before
    stack.redo()
    assert dates(project, *titles) == after
    # the timeline's arrays follow the file: the events are drawn where the file says
    assert view.data.event_times(tower.id)[0] == ts(2024, 2, 28)


def test_selection_in_one_lane_changes_lane_together(setup, qtbot):
    view, hub, stack, project = setup
    c = view.canvas
    view.set_window(ts(2023, 6, 1), ts(2024, 6, 1))
    kh, us, isis = (gid(project, n) for n in ("Kataib Hezbollah", "United States", "ISIS"))
    drone, tower = ev(project, "Drone attacks on US forces begin"), ev(project, "Tower 22 attack")
    select(qtbot, view, [(drone.id, kh), (tower.id, kh)])
    a = item_pos(view, tower.id, kh)
    g = next(g for g in c.geoms if g.key == isis)
    drag(qtbot, c, a, QPoint(a.x(), int(g.y + g.h / 2)))
    assert stack.count() == 1 and stack.text(0) == "Move 2 events"
    p = reopen(project)
    for e in (drone, tower):
        assert {(l.group_id, l.role) for l in p.event(e.id).groups} == {(isis, "actor"), (us, "target")}
        assert p.event(e.id).start.text == e.start.text                # no time shift asked
    stack.undo()
    p = reopen(project)
    for e in (drone, tower):
        assert {(l.group_id, l.role) for l in p.event(e.id).groups} == {(kh, "actor"), (us, "target")}
    stack.redo()
    assert isis in {l.group_id for l in reopen(project).event(drone.id).groups}


def test_selection_across_lanes_moves_in_time_only_at_the_coarsest_precision(setup, qtbot):
    """A year-precise event in the selection: the shift is whole years (a month would make
    "2015" dishonest); its lane is not the one dragged from, so nobody changes group."""
    view, hub, stack, project = setup
    c = view.canvas
    kh, us, isis, pmf = (gid(project, n) for n in ("Kataib Hezbollah", "United States", "ISIS",
                                                    "Popular Mobilization Forces"))
    year = project.create_event("Campaign year", "2015", groups=[(isis, "actor")])
    view.fit_all()
    tower = ev(project, "Tower 22 attack")
    select(qtbot, view, [(year.id, isis), (tower.id, kh)])
    a = item_pos(view, tower.id, kh)
    g = next(g for g in c.geoms if g.key == pmf)
    b = QPoint(a.x() - int(1.3 * 365.25 * 86400 * c.width() / (c.t1 - c.t0)), int(g.y + g.h / 2))
    qtbot.mousePress(c, Qt.MouseButton.LeftButton, pos=a)
    for i in range(1, 7):
        qtbot.mouseMove(c, a + (b - a) * i / 6)
    assert c.preview.lane_key == kh                      # previewed in its own lane: no lane change
    assert {p.lane_key for p in c.ghosts if p.event_id == year.id} == {isis}
    qtbot.mouseRelease(c, Qt.MouseButton.LeftButton, pos=b)
    p = reopen(project)
    assert p.event(year.id).start.text == "2014" and p.event(year.id).start.lo_ts == ts(2014, 1, 1)
    assert p.event(year.id).start.precision == "year"
    assert p.event(tower.id).start.text == "2023-01-28"
    assert {(l.group_id, l.role) for l in p.event(tower.id).groups} == {(kh, "actor"), (us, "target")}
    assert [(l.group_id, l.role) for l in p.event(year.id).groups] == [(isis, "actor")]
    assert stack.text(0) == "Move 2 events"
    stack.undo()
    p = reopen(project)
    assert (p.event(year.id).start.text, p.event(tower.id).start.text) == ("2015", "2024-01-28")


def test_drag_of_an_unselected_event_moves_it_alone(setup, qtbot):
    """Pressing an event outside the selection selects it alone: only it moves."""
    view, hub, stack, project = setup
    c = view.canvas
    view.set_window(ts(2023, 6, 1), ts(2024, 6, 1))
    kh = gid(project, "Kataib Hezbollah")
    drone, tower = ev(project, "Drone attacks on US forces begin"), ev(project, "Tower 22 attack")
    strikes = ev(project, "US strikes on Kataib Hezbollah")
    hub.set_selection([strikes.id, tower.id])
    a = item_pos(view, drone.id, kh)
    drag(qtbot, c, a, a + QPoint(int(1.4 * MONTH * c.width() / (c.t1 - c.t0)), 0))
    p = reopen(project)
    assert p.event(drone.id).start.text == "2023-11"
    assert (p.event(tower.id).start.text, p.event(strikes.id).start.text) == ("2024-01-28", "2019-12-29")
    assert stack.text(0) == "Move event “Drone attacks on US forces begin”" and hub.selection == [drone.id]
