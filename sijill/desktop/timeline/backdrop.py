"""The timeline's backdrop, drawn before its events: the axis with its ticks and context labels,
the lanes' alternating base with the periods' washes, and the periods' titles in their own band
under the axis. A part of `TimelinePainter` (which supplies the theme, fonts and text caches).
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPainter, QPen

from sijill.db.timeline.axis import ticks
from sijill.db.timeline.window import Viewport


class BackdropPainting:
    """Axis, lane backdrop and periods, for `TimelinePainter`."""

    def _axis(self, qp: QPainter, vp: Viewport, rect: QRectF, lanes_rect: QRectF) -> None:
        th = self.theme
        qp.fillRect(rect, th.color("axis"))
        t = ticks(vp.t0, vp.t1, vp.width)
        grid = QPen(th.color("grid"), 1)
        qp.setFont(self.font)
        for ts, label in t.major:
            x = float(vp.x(ts))
            qp.setPen(grid)
            qp.drawLine(QPointF(x, lanes_rect.top()), QPointF(x, lanes_rect.bottom()))
            qp.setPen(th.color("muted") if th.dark else QColor("#444444"))
            qp.drawLine(QPointF(x, rect.bottom() - 6), QPointF(x, rect.bottom()))
            qp.drawText(QPointF(x + 3, rect.bottom() - 6), label)
        qp.setFont(self.bold)
        for n, (ts, label) in enumerate(t.context):
            x = float(vp.x(ts))
            nxt = float(vp.x(t.context[n + 1][0])) if n + 1 < len(t.context) else rect.right()
            lx = max(x, rect.left()) + 3
            w = self._advance(self.fm_bold, label)
            if lx + w > nxt - 3 and x < rect.left():
                lx = nxt - w - 3
            qp.setPen(th.color("text"))
            qp.drawText(QPointF(lx, rect.top() + 14), label)
            if x >= rect.left():
                qp.setPen(QPen(th.color("muted"), 1))
                qp.drawLine(QPointF(x, rect.top()), QPointF(x, rect.top() + 18))
        qp.setPen(QPen(th.color("border") if th.dark else QColor("#b8bec7"), 1))
        qp.drawLine(QPointF(rect.left(), rect.bottom() - 0.5), QPointF(rect.right(), rect.bottom() - 0.5))

    @staticmethod
    def _period_spans(vp: Viewport, rect: QRectF, periods) -> list[tuple[float, float, QColor]]:
        """(x0, x1, colour, title) of each period in the window, in drawing order."""
        out = []
        for n, p in enumerate(periods):
            lo = p.start.lo_ts
            hi = (p.end or p.start).hi_ts
            if hi < vp.t0 or lo > vp.t1:
                continue
            x0, x1 = max(float(vp.x(lo)), rect.left()), min(float(vp.x(hi)), rect.right())
            c = QColor(p.color) if p.color else QColor(("#8da0cb", "#e5c494", "#a6d854", "#fc8d62")[n % 4])
            out.append((x0, x1, c, p.title))
        return out

    def _backdrop(self, qp: QPainter, vp: Viewport, rect: QRectF, lanes_rect: QRectF, geoms, periods) -> None:
        """The theme's base (white), every other lane its alternate (light grey), periods as faint
        washes (alpha `theme.wash` over the lanes), each pixel written once: per stretch between
        period edges, one opaque fill per run of base or alternate lanes, in the colour the washes
        blend to."""
        if lanes_rect.top() > rect.top():
            qp.fillRect(QRectF(rect.left(), rect.top(), rect.width(), lanes_rect.top() - rect.top()),
                        self.theme.color("base"))
        top, bottom = lanes_rect.top(), lanes_rect.bottom()
        runs, y = [], top                                  # (y, height, grey) from top to bottom
        for i, g in enumerate(geoms):
            if i % 2 and g.y + g.h > top and g.y < bottom:
                a, b = max(g.y, top), min(g.y + g.h, bottom)
                if a > y:
                    runs.append((y, a - y, False))
                runs.append((a, b - a, True))
                y = b
        if bottom > y:
            runs.append((y, bottom - y, False))
        spans = self._period_spans(vp, lanes_rect, periods)
        cuts = sorted({lanes_rect.left(), lanes_rect.right(), *(x for a, b, _c, _t in spans for x in (a, b))})
        alpha = self.theme.wash / 255
        for a, b in zip(cuts[:-1], cuts[1:]):
            if b <= a:
                continue
            over = [c for x0, x1, c, _t in spans if x0 <= a and x1 >= b]
            colors = []
            for base in (self.theme.color("base"), self.theme.color("alt_base")):
                r, g_, bl = base.red(), base.green(), base.blue()
                for c in over:
                    r = r + (c.red() - r) * alpha
                    g_ = g_ + (c.green() - g_) * alpha
                    bl = bl + (c.blue() - bl) * alpha
                colors.append(QColor(round(r), round(g_), round(bl)))
            for y, h, grey in runs:
                qp.fillRect(QRectF(a, y, b - a, h), colors[grey])

    def _periods(self, qp: QPainter, vp: Viewport, band: QRectF, periods) -> list[QRectF]:
        """Period titles in their own band under the axis, so that they never cover an event's
        label (their washes over the lanes are part of `_backdrop`): each period's stretch of the
        band tinted, its title from the period's left edge, or slid right within the period past
        the title before it; left out when no readable part of it fits. Returns the titles' rects."""
        fm = self.fm_small
        qp.setFont(self.small)
        spans = sorted(self._period_spans(vp, band, periods), key=lambda sp: sp[0])
        for x0, x1, c, _title in spans:
            tint = QColor(c)
            tint.setAlpha(70)
            qp.fillRect(QRectF(x0, band.top(), max(x1 - x0, 1.0), band.height() - 1), tint)
        base = band.top() + (band.height() - 1 + fm.ascent() - fm.descent()) / 2
        edge = band.left() - 8                  # right edge of the last title written
        out = []
        for x0, x1, c, title in spans:
            left = max(x0 + 3, edge + 8)
            text = self._elide(fm, title, x1 - 3 - left)
            if not text or text == "…":
                continue
            right = left + self._advance(fm, text)
            c = QColor(c)
            qp.setPen(c.lighter(150) if self.theme.dark else c.darker(150))
            qp.drawText(QPointF(left, base), text)
            r = QRectF(left, base - fm.ascent(), right - left, fm.height())
            out.append(r)
            edge = right
            if self.record is not None and text != title:
                self.record.setdefault("shortened", []).append((r, title))
        return out

