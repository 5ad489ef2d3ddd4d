"""The painted canvas: holds the time window, lays out lanes vertically and paints a frame.

It is one QWidget for the whole timeline; events are never widgets or graphics items. Mouse,
wheel, gesture and key handling live in `interaction.py`.
"""
from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from db.timeline.window import Viewport, clamp_window, project_limits, zoom_about
from desktop.timeline.interaction import Interaction
from desktop.timeline.model import TimelineData
from desktop.timeline.painter import AXIS_H, Frame, LaneGeom, Preview, TimelinePainter

COLLAPSED_H = 18
MIN_LANE_H = 2 * 4 + 18
MAX_LANE_H = 4 * 2 + 18 * 6


def lane_geometry(infos, collapsed: set[int], top: float, height: float) -> list[LaneGeom]:
    """Stack the lanes under `top`: collapsed lanes thin (their sub-lanes hidden), the others
    sharing the height left, between one and six rows each."""
    shown, hidden_under = [], set()
    for info in infos:
        if info.parent is not None and info.parent in hidden_under:
            hidden_under.add(info.key)
            continue
        shown.append(info)
        if info.key in collapsed:
            hidden_under.add(info.key)
    n_open = sum(1 for i in shown if i.key not in collapsed)
    n_shut = len(shown) - n_open
    free = height - n_shut * COLLAPSED_H
    each = min(max(free / n_open if n_open else 0, MIN_LANE_H), MAX_LANE_H)
    out, y = [], top
    for info in shown:
        shut = info.key in collapsed
        h = COLLAPSED_H if shut else each
        out.append(LaneGeom(info, y, h, shut))
        y += h
    return out


class TimelineCanvas(QWidget):
    """Draws the window [t0, t1] of every visible lane; one paint per frame from arrays."""

    window_changed = Signal(float, float)
    geometry_changed = Signal()

    def __init__(self, data: TimelineData, view, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = data
        self.view = view
        self.painter = TimelinePainter(self.font())
        self.collapsed: set[int] = set()
        self.frame: Frame | None = None
        self.hover: int | None = None
        self.preview: Preview | None = None
        self.rubber: QRectF | None = None
        self.last_paint_ms = 0.0
        self.geoms: list[LaneGeom] = []
        self.limits = project_limits(data.bounds())
        self.t0, self.t1 = self.limits
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 120)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.interaction = Interaction(self)
        data.changed.connect(self._data_changed)
        data.lanes_changed.connect(self.relayout)

    # ---- window ------------------------------------------------------------------------------
    def viewport(self) -> Viewport:
        return Viewport(self.t0, self.t1, max(self.width(), 1), 0.0)

    def refresh_limits(self) -> None:
        self.limits = project_limits(self.data.bounds())

    def set_window(self, t0: float, t1: float) -> None:
        t0, t1 = clamp_window(t0, t1, self.limits)
        if (t0, t1) != (self.t0, self.t1):
            self.t0, self.t1 = t0, t1
            self.window_changed.emit(t0, t1)
            self.update()

    def zoom(self, factor: float, anchor_x: float | None = None) -> None:
        vp = self.viewport()
        anchor = vp.t(anchor_x if anchor_x is not None else self.width() / 2)
        self.set_window(*zoom_about(self.t0, self.t1, anchor, factor, self.limits))

    def pan_pixels(self, dx: float) -> None:
        dt = dx * (self.t1 - self.t0) / max(self.width(), 1)
        self.set_window(self.t0 - dt, self.t1 - dt)

    # ---- lanes -------------------------------------------------------------------------------
    def _data_changed(self) -> None:
        self.frame = None
        self.update()

    def relayout(self) -> None:
        self.frame = None
        self.geoms = lane_geometry(self.data.visible_infos(), self.collapsed, AXIS_H, self.height() - AXIS_H)
        self.geometry_changed.emit()
        self.update()

    def set_collapsed(self, key: int, collapsed: bool) -> None:
        (self.collapsed.add if collapsed else self.collapsed.discard)(key)
        self.relayout()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.relayout()

    # ---- painting ------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        start = time.perf_counter()
        qp = QPainter(self)
        self.frame = self.painter.paint(qp, QRectF(self.rect()), self.t0, self.t1, self.data, self.geoms,
                                        hover=self.hover, preview=self.preview)
        if self.rubber is not None:
            qp.setPen(Qt.GlobalColor.darkBlue)
            qp.fillRect(self.rubber, Qt.GlobalColor.transparent)
            qp.drawRect(self.rubber.normalized())
        qp.end()
        self.last_paint_ms = (time.perf_counter() - start) * 1000

    def ensure_frame(self) -> Frame:
        """The layout of the current window (painting offscreen if the widget has not painted yet)."""
        if self.frame is None or self.frame.viewport != self.viewport():
            from PySide6.QtGui import QImage
            img = QImage(max(self.width(), 1), max(self.height(), 1), QImage.Format.Format_ARGB32_Premultiplied)
            qp = QPainter(img)
            self.frame = self.painter.paint(qp, QRectF(self.rect()), self.t0, self.t1, self.data, self.geoms,
                                            hover=self.hover, preview=self.preview)
            qp.end()
        return self.frame

    # ---- events: handed to the interaction controller -------------------------------------
    def mousePressEvent(self, e) -> None:
        self.interaction.press(e)

    def mouseMoveEvent(self, e) -> None:
        self.interaction.move(e)

    def mouseReleaseEvent(self, e) -> None:
        self.interaction.release(e)

    def mouseDoubleClickEvent(self, e) -> None:
        self.interaction.double_click(e)

    def wheelEvent(self, e) -> None:
        self.interaction.wheel(e)

    def keyPressEvent(self, e) -> None:
        if not self.interaction.key(e):
            super().keyPressEvent(e)

    def leaveEvent(self, e) -> None:
        if self.hover is not None:
            self.hover = None
            self.update()
        QToolTip.hideText()

    def event(self, e) -> bool:
        if e.type() == QEvent.Type.NativeGesture:
            return self.interaction.gesture(e)
        return super().event(e)
