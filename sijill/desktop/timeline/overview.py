"""The overview strip: the whole project's density, with the visible window as a rectangle
that can be dragged (pan) or resized by its edges (zoom)."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QWidget

from sijill.db.timeline.density import overview_counts
from sijill.desktop.widgets import theme

EDGE = 6


class Overview(QWidget):
    """A thin strip under the canvas; its density image is cached until the data changes."""

    def __init__(self, canvas, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.setFixedHeight(44)
        self.setMouseTracking(True)
        self._image: QImage | None = None
        self._theme = ""                  # the theme the density image was made in
        self._mode: str | None = None
        self._press = (0.0, 0.0, 0.0)
        canvas.window_changed.connect(lambda *_: self.update())
        canvas.data.changed.connect(self.invalidate)

    def invalidate(self) -> None:
        self._image = None
        self.update()

    def _x(self, t: float) -> float:
        lo, hi = self.canvas.limits
        return (t - lo) / (hi - lo) * self.width()

    def _t(self, x: float) -> float:
        lo, hi = self.canvas.limits
        return lo + x / max(self.width(), 1) * (hi - lo)

    def _density_image(self) -> QImage:
        w = max(self.width(), 1)
        lo, hi = self.canvas.limits
        counts = overview_counts(self.canvas.data.lanes.lanes.values(), lo, hi, w).astype(np.float64)
        level = np.log1p(counts) / np.log1p(max(counts.max(), 1.0))
        h = self.height() - 4
        rows = np.arange(h)[::-1, None]
        filled = rows < (level[None, :] * h)
        colors = theme.current()
        base, accent = colors.color("base"), colors.color("accent")
        buf = np.empty((h, w, 4), np.uint8)
        buf[...] = (base.blue(), base.green(), base.red(), 255)
        buf[filled] = (accent.blue(), accent.green(), accent.red(), 255)   # BGRA
        self._buf = np.ascontiguousarray(buf)
        return QImage(self._buf.data, w, h, 4 * w, QImage.Format.Format_ARGB32).copy()

    def window_rect(self) -> QRectF:
        x0, x1 = self._x(self.canvas.t0), self._x(self.canvas.t1)
        if x1 - x0 < 4:
            mid = (x0 + x1) / 2
            x0, x1 = mid - 2, mid + 2
        return QRectF(x0, 1, x1 - x0, self.height() - 2)

    def paintEvent(self, event) -> None:
        colors = theme.current()
        if self._image is None or self._image.width() != max(self.width(), 1) or self._theme != colors.name:
            self._image = self._density_image()
            self._theme = colors.name
        qp = QPainter(self)
        qp.fillRect(self.rect(), colors.color("base"))
        qp.drawImage(2, 2, self._image)
        r = self.window_rect()
        veil = colors.color("accent")
        veil.setAlpha(50)
        qp.fillRect(r, veil)
        qp.setPen(QPen(colors.color("accent_text") if colors.dark else QColor("#1f3d66"), 1.5))
        qp.drawRect(r)
        qp.setPen(QPen(colors.color("border"), 1))
        qp.drawLine(0, 0, self.width(), 0)
        qp.end()

    def mousePressEvent(self, e) -> None:
        x = e.position().x()
        r = self.window_rect()
        if abs(x - r.left()) <= EDGE:
            self._mode = "left"
        elif abs(x - r.right()) <= EDGE:
            self._mode = "right"
        elif r.left() <= x <= r.right():
            self._mode = "move"
        else:                                   # jump: centre the window there
            half = (self.canvas.t1 - self.canvas.t0) / 2
            t = self._t(x)
            self.canvas.set_window(t - half, t + half)
            self._mode = "move"
        self._press = (x, self.canvas.t0, self.canvas.t1)

    def mouseMoveEvent(self, e) -> None:
        x = e.position().x()
        if self._mode is None:
            r = self.window_rect()
            near = abs(x - r.left()) <= EDGE or abs(x - r.right()) <= EDGE
            self.setCursor(Qt.CursorShape.SizeHorCursor if near else Qt.CursorShape.ArrowCursor)
            return
        x_press, t0, t1 = self._press
        dt = self._t(x) - self._t(x_press)
        if self._mode == "move":
            self.canvas.set_window(t0 + dt, t1 + dt)
        elif self._mode == "left":
            self.canvas.set_window(min(t0 + dt, t1 - 3600), t1)
        else:
            self.canvas.set_window(t0, max(t1 + dt, t0 + 3600))

    def mouseReleaseEvent(self, e) -> None:
        self._mode = None
