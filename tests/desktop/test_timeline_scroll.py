"""Vertical scrolling of the timeline's lanes: more lanes than fit, scrolled with the scroll bar,
Alt+wheel, PageUp/PageDown and keyboard navigation; every gesture after a scroll lands in the
lane that is on screen, checked in what the FILE holds."""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QUndoStack, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from sijill.db.store.project import Project
from sijill.desktop.hub import ProjectHub
from sijill.desktop.timeline.canvas import MIN_LANE_H
from sijill.db.timeline.frame import AXIS_H, LANE_PAD, ROW_H
from sijill.desktop.timeline.state import META_KEY
from sijill.desktop.timeline.view import TimelineView
from tests.desktop.timeline_helpers import many_lanes, ts

N = 30
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def many(project):
    """30 top-level groups G00..G29, one event E<i> on 2020-01-<i+1> in each."""
    return many_lanes(project, N)


def make_view(qtbot, project, size=(1400, 600)):
    view = TimelineView(ProjectHub(project), QUndoStack())
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    view.set_window(ts(2019, 12, 20), ts(2020, 2, 10))
    return view


@pytest.fixture
def setup(qtbot, many):
    view = make_view(qtbot, many)
    return view, view.hub, view.undo_stack, many


def reopen(project):
    return Project.open(project.path)


def gid(project, name):
    return project.group_by_name(name).id


def ev(project, title):
    return next(e for e in project.events() if e.title == title)


def geom(view, key):
    return next(g for g in view.canvas.geoms if g.key == key)


def on_screen(view, key) -> bool:
    g = geom(view, key)
    return g.y >= AXIS_H and g.y + g.h <= view.canvas.height()


def item_pos(view, event_id) -> QPoint:
    for dl in view.canvas.ensure_frame().lanes:
        hits = (dl.ids == event_id).nonzero()[0]
        if len(hits):
            k = hits[0]
            return QPoint(int((dl.x0[k] + dl.x1[k]) / 2), int(dl.y0[k] + (ROW_H - 4) / 2))
    raise AssertionError(f"event {event_id} not drawn")


def wheel(widget, pos: QPoint, angle: int, mods=Qt.KeyboardModifier.NoModifier, horizontal=False):
    delta = QPoint(angle, 0) if horizontal else QPoint(0, angle)
    e = QWheelEvent(QPointF(pos), QPointF(widget.mapToGlobal(pos)), QPoint(0, 0), delta,
                    Qt.MouseButton.NoButton, mods, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, e)


def drag(qtbot, widget, a: QPoint, b: QPoint, mods=Qt.KeyboardModifier.NoModifier):
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, mods, a)
    for i in range(1, 7):
        qtbot.mouseMove(widget, a + (b - a) * i / 6)
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, mods, b)


def test_lanes_keep_their_height_and_a_scroll_bar_appears(setup):
    view, hub, stack, project = setup
    c = view.canvas
    assert len(c.geoms) == N
    assert all(g.h >= MIN_LANE_H for g in c.geoms)
    assert c.max_scroll() > 0 and view.vscroll.isVisible()
    assert view.vscroll.maximum() == c.max_scroll() and view.vscroll.pageStep() == c.lanes_view_h()
    assert not on_screen(view, gid(project, "G29"))
    # only the lanes on screen are laid out and painted
    drawn = [dl.geom.key for dl in c.ensure_frame().lanes]
    assert 0 < len(drawn) < N and gid(project, "G00") in drawn and gid(project, "G29") not in drawn
    # tall enough: no scroll bar, nothing scrolled
    view.resize(1400, 1200)
    QApplication.processEvents()
    assert c.max_scroll() == 0 and c.scroll_y == 0 and not view.vscroll.isVisible()


def test_scroll_bar_alt_wheel_and_page_keys(setup, qtbot):
    view, hub, stack, project = setup
    c = view.canvas
    window = (c.t0, c.t1)
    y0 = geom(view, gid(project, "G05")).y
    wheel(c, QPoint(600, 300), -120, Qt.KeyboardModifier.AltModifier)
    assert c.scroll_y == 3 * ROW_H and (c.t0, c.t1) == window          # lanes moved, time did not
    assert geom(view, gid(project, "G05")).y == y0 - 3 * ROW_H
    assert view.vscroll.value() == c.scroll_y
    wheel(c, QPoint(600, 300), 120, Qt.KeyboardModifier.AltModifier, horizontal=True)  # Alt turned horizontal
    assert c.scroll_y == 0
    wheel(view.header, QPoint(50, 300), -120)                          # the wheel over lane names
    assert c.scroll_y == 3 * ROW_H
    wheel(c, QPoint(600, 300), 120)                                    # plain wheel still zooms
    assert c.t1 - c.t0 < window[1] - window[0] and c.scroll_y == 3 * ROW_H
    w = (c.t0, c.t1)
    wheel(c, QPoint(600, 300), -120, Qt.KeyboardModifier.ShiftModifier)  # Shift+wheel still pans
    assert c.t0 != w[0] and c.t1 - c.t0 == pytest.approx(w[1] - w[0]) and c.scroll_y == 3 * ROW_H
    c.setFocus()
    QTest.keyClick(c, Qt.Key.Key_PageDown)
    assert c.scroll_y == c.max_scroll() or c.scroll_y == 3 * ROW_H + c.lanes_view_h() - ROW_H
    QTest.keyClick(c, Qt.Key.Key_PageDown)
    assert c.scroll_y == c.max_scroll() and on_screen(view, gid(project, "G29"))
    QTest.keyClick(c, Qt.Key.Key_PageUp)
    QTest.keyClick(c, Qt.Key.Key_PageUp)
    assert c.scroll_y == 0
    view.vscroll.setValue(view.vscroll.maximum())
    assert c.scroll_y == c.max_scroll()
    last = geom(view, gid(project, "G29"))
    assert last.y + last.h <= c.height()
    # header and canvas agree on where each lane is
    assert view.header.geom_at(last.y + 2).key == last.key
    assert view.header.geom_at(AXIS_H - 5) is None                     # the axis row never scrolls


def test_double_click_in_last_lane_after_scrolling_creates_event_there(setup, qtbot):
    view, hub, stack, project = setup
    c = view.canvas
    view.vscroll.setValue(view.vscroll.maximum())
    g29 = gid(project, "G29")
    g = geom(view, g29)
    pos = QPoint(int(c.viewport().x(ts(2020, 2, 5, 12))), int(g.y + g.h - LANE_PAD - 6))
    qtbot.mouseDClick(c, Qt.MouseButton.LeftButton, pos=pos)
    new = [e for e in reopen(project).events() if e.title == "New event"]
    assert len(new) == 1 and new[0].start.text == "2020-02-05"
    assert [(l.group_id, l.role) for l in new[0].groups] == [(g29, "actor")]


def test_click_and_drag_event_to_lane_only_visible_after_scrolling(setup, qtbot):
    view, hub, stack, project = setup
    c = view.canvas
    g12, g28 = gid(project, "G12"), gid(project, "G28")
    assert not on_screen(view, g28)
    e12 = ev(project, "E12")
    c.set_scroll(geom(view, g12).y - AXIS_H)          # G12 at the top, G28 now on screen
    assert on_screen(view, g12) and on_screen(view, g28)
    a = item_pos(view, e12.id)
    qtbot.mouseClick(c, Qt.MouseButton.LeftButton, pos=a)
    assert hub.selection == [e12.id]
    g = geom(view, g28)
    drag(qtbot, c, a, QPoint(a.x(), int(g.y + g.h / 2)))
    assert [(l.group_id, l.role) for l in reopen(project).event(e12.id).groups] == [(g28, "actor")]
    assert reopen(project).event(e12.id).start.text == "2020-01-13"
    stack.undo()
    assert [l.group_id for l in reopen(project).event(e12.id).groups] == [gid(project, "G12")]


def test_drag_to_the_bottom_edge_scrolls_the_lanes(setup, qtbot):
    view, hub, stack, project = setup
    c = view.canvas
    e0, g29 = ev(project, "E00"), gid(project, "G29")
    a = item_pos(view, e0.id)
    qtbot.mousePress(c, Qt.MouseButton.LeftButton, pos=a)
    edge = QPoint(a.x(), c.height() - 4)
    for i in range(60):
        qtbot.mouseMove(c, edge + QPoint(0, -(i % 2)))
        if c.scroll_y == c.max_scroll():
            break
    assert c.scroll_y == c.max_scroll()
    g = geom(view, g29)
    b = QPoint(a.x(), int(g.y + g.h / 2))
    qtbot.mouseMove(c, b)
    qtbot.mouseRelease(c, Qt.MouseButton.LeftButton, pos=b)
    assert [l.group_id for l in reopen(project).event(e0.id).groups] == [g29]


def test_rubber_band_after_scrolling(setup, qtbot):
    view, hub, stack, project = setup
    c = view.canvas
    view.vscroll.setValue(view.vscroll.maximum())
    g27, g29 = geom(view, gid(project, "G27")), geom(view, gid(project, "G29"))
    vp = c.viewport()
    a = QPoint(int(vp.x(ts(2019, 12, 25))), int(g27.y + 3))
    b = QPoint(int(vp.x(ts(2020, 2, 8))), int(g29.y + g29.h - 3))
    drag(qtbot, c, a, b, Qt.KeyboardModifier.ShiftModifier)
    assert sorted(hub.selection) == sorted(ev(project, f"E{i}").id for i in (27, 28, 29))


def test_keyboard_and_hub_selection_scroll_the_lane_into_view(setup, qtbot):
    view, hub, stack, project = setup
    c = view.canvas
    e0 = ev(project, "E00")
    qtbot.mouseClick(c, Qt.MouseButton.LeftButton, pos=item_pos(view, e0.id))
    for _ in range(N - 1):
        QTest.keyClick(c, Qt.Key.Key_Down)
    assert hub.selection == [ev(project, "E29").id]
    assert c.scroll_y > 0 and on_screen(view, gid(project, "G29"))
    for _ in range(N - 1):
        QTest.keyClick(c, Qt.Key.Key_Up)
    assert hub.selection == [e0.id] and c.scroll_y == 0
    hub.set_selection([ev(project, "E25").id])          # e.g. picked in the events table
    assert on_screen(view, gid(project, "G25"))
    qtbot.mouseClick(c, Qt.MouseButton.LeftButton, pos=item_pos(view, ev(project, "E25").id))
    assert hub.selection == [ev(project, "E25").id]


def test_header_collapse_and_reorder_after_scrolling(setup, qtbot):
    view, hub, stack, project = setup
    c, h = view.canvas, view.header
    view.vscroll.setValue(view.vscroll.maximum())
    g28, g29 = gid(project, "G28"), gid(project, "G29")
    g = geom(view, g29)
    # drag the last lane's header above G28, then fold G28 by its triangle
    drag(qtbot, h, QPoint(120, int(g.y + g.h / 2)), QPoint(120, int(geom(view, g28).y + 3)))
    order = [x.name for x in sorted(reopen(project).groups(), key=lambda x: (x.position, x.id))]
    assert order.index("G29") == order.index("G28") - 1
    g = geom(view, g28)
    qtbot.mouseClick(h, Qt.MouseButton.LeftButton, pos=QPoint(4 + 4, int(g.y + min(g.h / 2, 12))))
    assert c.collapsed == {g28}
    view.save_state()
    assert json.loads(reopen(project).get_meta(META_KEY))["collapsed"] == [g28]


def test_scroll_position_remembered_in_file(setup, qtbot):
    view, hub, stack, project = setup
    view.vscroll.setValue(100)
    view.save_state()
    assert json.loads(reopen(project).get_meta(META_KEY))["scroll"] == 100
    other = make_view(qtbot, reopen(project))
    assert other.canvas.scroll_y == 100 and other.vscroll.value() == 100


def test_export_draws_every_lane_whatever_the_scroll(setup, tmp_path):
    view, hub, stack, project = setup
    first = view.export_image(str(tmp_path / "a.png"), size=(1200, 1100))
    assert [g.key for g in first.lanes] == [g.key for g in view.canvas.geoms]     # all 30 lanes
    assert all(g.y + g.h <= first.size[1] for g in first.lanes)                   # inside the image
    view.vscroll.setValue(view.vscroll.maximum())
    second = view.export_image(str(tmp_path / "b.png"), size=(1200, 1100))
    assert [(g.key, g.y) for g in second.lanes] == [(g.key, g.y) for g in first.lanes]
    assert QImage(str(tmp_path / "a.png")) == QImage(str(tmp_path / "b.png"))
