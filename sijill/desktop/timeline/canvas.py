"""The painted canvas: holds the time window, lays out lanes vertically and paints a frame.

It is one QWidget for the whole timeline; events are never widgets or graphics items. Mouse,
wheel, gesture and key handling live in `interaction.py`.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from sijill.db.timeline.window import Viewport, clamp_window, project_limits, zoom_about
from sijill.desktop.widgets import theme
from sijill.desktop.timeline.interaction import Interaction, iso_at, range_precision
from sijill.desktop.timeline.lanes_model import TimelineData
from sijill.db.timeline.frame import AXIS_H, LANE_PAD, ROW_H, Frame, LaneGeom, Preview
from sijill.desktop.timeline.painter import TimelinePainter

COLLAPSED_H = 18
MIN_LANE_H = 2 * 4 + 18
MAX_LANE_H = 4 * 2 + 18 * 6


def lane_geometry(infos, collapsed: set[int], top: float, height: float) -> list[LaneGeom]:
    """Stack the lanes under `top`: collapsed lanes thin (their sub-lanes hidden), the others
    sharing the height left, between one and six rows each. Lanes never shrink below one row:
    when they do not fit, the stack is taller than `height` (the canvas scrolls it)."""
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
    scroll_changed = Signal(int)

    def __init__(self, data: TimelineData, view, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = data
        self.view = view
        self.painter = TimelinePainter(self.font())
        self.collapsed: set[int] = set()
        self.frame: Frame | None = None
        self.hover: int | None = None
        self.preview: Preview | None = None      # the dragged event at its new place (drawn by the painter)
        self.ghosts: list[Preview] = []          # the other dragged events of a selection (outlines)
        self.rubber: QRectF | None = None
        self.range_band: tuple[float, float] | None = None   # x0, x1 of a period being dragged on the axis
        self.geoms: list[LaneGeom] = []
        self.keep_lanes = None       # callable(lane infos) -> those to show (the view's "Hide empty lanes")
        self.scroll_y = 0            # pixels of the lane stack scrolled up under the axis
        self.lanes_h = 0.0           # height of the whole lane stack
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
        """Lay the lanes out in canvas coordinates: the stack starts at AXIS_H - scroll_y, so
        geoms, frames, hit-tests and the header all work in what is on screen."""
        self.frame = None
        infos = self.data.visible_infos()
        if self.keep_lanes is not None:
            infos = self.keep_lanes(infos)
        geoms = lane_geometry(infos, self.collapsed, AXIS_H, self.lanes_view_h())
        self.lanes_h = (geoms[-1].y + geoms[-1].h - AXIS_H) if geoms else 0.0
        scroll = max(0, min(self.scroll_y, self.max_scroll()))
        if scroll:
            for g in geoms:
                g.y -= scroll
        self.geoms = geoms
        changed = scroll != self.scroll_y
        self.scroll_y = scroll
        self.geometry_changed.emit()
        if changed:
            self.scroll_changed.emit(scroll)
        self.update()

    # ---- vertical scrolling ----------------------------------------------------------------------
    def lanes_view_h(self) -> int:
        """The height below the axis where lanes are visible."""
        return max(self.height() - AXIS_H, 0)

    def max_scroll(self) -> int:
        return max(0, int(round(self.lanes_h - self.lanes_view_h())))

    def set_scroll(self, y: float) -> None:
        """Scroll the lane stack so that `y` pixels of it are above the visible area."""
        y = max(0, min(int(round(y)), self.max_scroll()))
        if y != self.scroll_y:
            self.scroll_y = y
            self.relayout()
            self.scroll_changed.emit(y)

    def scroll_by(self, dy: float) -> None:
        self.set_scroll(self.scroll_y + dy)

    def auto_scroll(self, y: float, edge: float = 16, step: float = 9) -> None:
        """While dragging: a pointer near the top or bottom edge of the lanes scrolls them."""
        if y > self.height() - edge:
            self.scroll_by(step)
        elif y < AXIS_H + edge:
            self.scroll_by(-step)

    def ensure_lane_visible(self, key: int) -> None:
        """Scroll (as little as possible) so that lane `key` is on screen."""
        g = next((g for g in self.geoms if g.key == key), None)
        if g is None:
            return
        bottom = self.height()
        if g.y < AXIS_H:
            self.scroll_by(g.y - AXIS_H)
        elif g.y + g.h > bottom:
            self.scroll_by(min(g.y + g.h - bottom, g.y - AXIS_H))

    def set_collapsed(self, key: int, collapsed: bool) -> None:
        (self.collapsed.add if collapsed else self.collapsed.discard)(key)
        self.relayout()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.relayout()

    # ---- painting ------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        self.painter.set_theme(theme.current())
        qp = QPainter(self)
        self.frame = self.painter.paint(qp, QRectF(self.rect()), self.t0, self.t1, self.data, self.geoms,
                                        hover=self.hover, preview=self.preview)
        if self.ghosts:
            self._paint_ghosts(qp)
        if self.range_band is not None:
            self._paint_range(qp)
        if self.rubber is not None:
            qp.setPen(self.painter.theme.color("accent"))
            qp.fillRect(self.rubber, Qt.GlobalColor.transparent)
            qp.drawRect(self.rubber.normalized())
        qp.end()

    def _paint_ghosts(self, qp: QPainter) -> None:
        """Dashed outlines of the other selected events where a drag would put them."""
        vp = self.viewport()
        tops = {g.key: g.y for g in self.geoms if not g.collapsed}
        qp.save()
        qp.setClipRect(QRectF(0, AXIS_H, self.width(), self.height() - AXIS_H))
        qp.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        colors = self.painter.theme
        qp.setPen(QPen(colors.color("outline"), 1.2, Qt.PenStyle.DashLine))
        shade, h, r = colors.color("shade"), ROW_H - 4, 4.5
        for p in self.ghosts:
            if p.lane_key not in tops or p.hi < self.t0 or p.lo > self.t1:
                continue
            y = tops[p.lane_key] + LANE_PAD
            x0, x1 = float(vp.x(p.lo)), float(vp.x(p.hi))
            qp.fillRect(QRectF(x0, y, max(x1 - x0, 2), h), shade)
            if p.span:
                a, b = float(vp.x(p.start_hi)), float(vp.x(p.end_lo))
                qp.drawRect(QRectF(a, y + 1, max(b - a, 3), h - 2))
            else:
                x = float(vp.x((p.lo + p.start_hi) // 2))
                qp.drawRect(QRectF(x - r, y + h / 2 - r, 2 * r, 2 * r))
        qp.restore()

    def _paint_range(self, qp: QPainter) -> None:
        """The range of a new period being dragged along the axis, with its dates at both ends."""
        a, b = sorted(self.range_band)
        vp = self.viewport()
        colors = self.painter.theme
        band = colors.color("accent")
        band.setAlpha(46)
        qp.fillRect(QRectF(a, 0, b - a, self.height()), band)
        qp.setPen(QPen(colors.color("accent"), 1))
        for x in (a, b):
            qp.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        prec = range_precision(self.t0, self.t1, self.width())
        text = f"{iso_at(vp.t(a), prec)} – {iso_at(vp.t(b), prec)}  ·  release for a new period"
        fm = self.painter.fm_small
        w = fm.horizontalAdvance(text) + 10
        x = min(max(a, 2.0), max(self.width() - w - 2, 2.0))
        box = QRectF(x, AXIS_H + 4, w, fm.height() + 6)
        qp.fillRect(box, colors.color("veil"))
        qp.drawRect(box)
        qp.setFont(self.painter.small)
        qp.setPen(colors.color("accent_text"))
        qp.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def ensure_frame(self) -> Frame:
        """The layout of the current window (worked out without drawing if the widget has not
        painted this window yet)."""
        if self.frame is None or self.frame.viewport != self.viewport():
            self.frame = self.painter.layout(QRectF(self.rect()), self.t0, self.t1, self.data, self.geoms)
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
