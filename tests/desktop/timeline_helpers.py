"""Shared by the timeline widget tests: a view over the small project, and mouse helpers."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QUndoStack, QWheelEvent
from PySide6.QtWidgets import QApplication

from sijill.db.store.project import Project
from sijill.desktop.hub import ProjectHub
from sijill.db.timeline.frame import LANE_PAD, ROW_H
from sijill.desktop.timeline.view import TimelineView

UTC = timezone.utc


def ts(*a) -> float:
    return datetime(*a, tzinfo=UTC).timestamp()


@pytest.fixture
def setup(qtbot, small_project):
    hub = ProjectHub(small_project)
    stack = QUndoStack()
    view = TimelineView(hub, stack)
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


def many_lanes(project, n: int, name: str = "G{:02d}", colored: bool = False):
    """`n` top-level groups named `name`.format(i), one event E<i> on 2020-01-<i+1> in each
    (distinct colours if `colored`)."""
    for i in range(n):
        color = f"#{(i * 37) % 256:02x}{(i * 91) % 256:02x}{(200 - i * 5):02x}" if colored else None
        g = project.create_group(name.format(i), color=color)
        project.create_event(f"E{i:02d}", f"2020-01-{i + 1:02d}", groups=[(g.id, "actor")])
    return project
