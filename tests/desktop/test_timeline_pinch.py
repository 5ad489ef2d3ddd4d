"""Pinch zoom on the timeline: real QNativeGestureEvents (Begin, Zoom…, End) sent to the canvas.

The instant under the fingers stays under them (within a pixel), and the zoom stops at one hour
across the view and at the whole project plus its margin, whatever the gesture reports."""
from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QNativeGestureEvent, QPointingDevice
from PySide6.QtWidgets import QApplication

from sijill.db.timeline.window import MIN_SPAN
from tests.desktop.test_timeline_view import reopen, setup, ts  # noqa: F401

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
G = Qt.NativeGestureType


def gesture(widget, kind, pos: QPoint, value: float = 0.0) -> bool:
    """Send one native gesture event as a trackpad would (PySide6 6.11 signature: type, device,
    finger count, local, scene and global positions, value, delta); True when it was taken."""
    e = QNativeGestureEvent(kind, QPointingDevice.primaryPointingDevice(), 2, QPointF(pos), QPointF(pos),
                            QPointF(widget.mapToGlobal(pos)), value, QPointF(0, 0))
    return QApplication.sendEvent(widget, e) and e.isAccepted()


def pinch(widget, pos: QPoint, values) -> None:
    assert gesture(widget, G.BeginNativeGesture, pos)
    for v in values:
        assert gesture(widget, G.ZoomNativeGesture, pos, v)
    assert gesture(widget, G.EndNativeGesture, pos)


def test_pinch_zooms_about_the_fingers(setup):
    view, hub, stack, project = setup
    c = view.canvas
    view.set_window(ts(2019, 1, 1), ts(2021, 1, 1))
    for x in (300, 1100):
        pos = QPoint(x, 200)
        t = c.viewport().t(x)
        span = c.t1 - c.t0
        pinch(c, pos, [0.05] * 10)                          # spread the fingers: zoom in
        assert c.t1 - c.t0 == pytest.approx(span / 1.05 ** 10, rel=1e-6)
        assert abs(float(c.viewport().x(t)) - x) < 1
        span = c.t1 - c.t0
        pinch(c, pos, [-0.05] * 4)                          # pinch them: zoom out
        assert c.t1 - c.t0 == pytest.approx(span / 0.95 ** 4, rel=1e-6)
        assert abs(float(c.viewport().x(t)) - x) < 1
    t0, t1 = c.t0, c.t1
    assert gesture(c, G.ZoomNativeGesture, QPoint(600, 200), 0.0)      # no change, no harm
    assert (c.t0, c.t1) == (t0, t1)
    # other gestures do not zoom
    gesture(c, G.RotateNativeGesture, QPoint(600, 200), 15.0)
    assert (c.t0, c.t1) == (t0, t1)
    assert stack.count() == 0 and reopen(project).event_count() == 5     # viewing never edits


def test_pinch_stops_at_one_hour_and_at_the_project(setup):
    view, hub, stack, project = setup
    c = view.canvas
    view.set_window(ts(2023, 10, 1), ts(2023, 11, 1))
    pos = QPoint(700, 200)
    t = c.viewport().t(pos.x())
    pinch(c, pos, [0.5] * 40)                               # far past the limit
    assert c.t1 - c.t0 == MIN_SPAN
    assert abs(float(c.viewport().x(t)) - pos.x()) < 1
    pinch(c, pos, [0.5])
    assert c.t1 - c.t0 == MIN_SPAN
    # zooming out: the window grows, never past the project plus its margin
    pinch(c, pos, [-0.5] * 60)
    assert (c.t0, c.t1) == c.limits
    lo, hi = min(e.lo for e in project.events()), max(e.hi for e in project.events())
    assert c.t0 < lo and c.t1 > hi


@pytest.mark.parametrize("value", [-1.0, -1.5, -40.0, math.inf, -math.inf, math.nan])
def test_pinch_with_a_magnification_of_zero_or_less_or_not_finite_is_ignored(setup, value):
    """A delta of -1 or less (no platform should send one, a driver might) is a scale of nothing
    or below: it must not divide by zero (the app crashed) nor turn a pinch out into a zoom in to
    one hour; like an infinite or NaN delta, it changes nothing."""
    view, hub, stack, project = setup
    c = view.canvas
    view.set_window(ts(2019, 1, 1), ts(2021, 1, 1))
    before = (c.t0, c.t1)
    pinch(c, QPoint(500, 200), [value])
    assert (c.t0, c.t1) == before
    pinch(c, QPoint(500, 200), [value, 0.25])               # the gesture goes on working after it
    assert c.t1 - c.t0 == pytest.approx((before[1] - before[0]) / 1.25, rel=1e-6)
