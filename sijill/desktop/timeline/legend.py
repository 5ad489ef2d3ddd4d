"""The legend: what the marks mean (roles, uncertainty, spans, evidence, density)."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen

from sijill.desktop.widgets.theme import LIGHT, Theme

ENTRIES = ("actor", "target", "associated", "mentioned", "uncertain date", "span",
           "no evidence", "contradicted", "sources", "density")


def _diamond(x: float, y: float, r: float = 5.0) -> QPainterPath:
    p = QPainterPath()
    p.moveTo(x, y - r)
    p.lineTo(x + r, y)
    p.lineTo(x, y + r)
    p.lineTo(x - r, y)
    p.closeSubpath()
    return p


def draw_legend(qp: QPainter, rect: QRectF, font: QFont, columns: int = 2, theme: Theme = LIGHT) -> float:
    """Draw the legend inside `rect` in `columns` columns, in `theme`'s colours; returns the
    height used."""
    qp.save()
    qp.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    qp.setFont(font)
    fm = QFontMetricsF(font)
    c = theme.color("accent")
    line_h = max(16.0, fm.height() + 4)
    col_w = rect.width() / columns
    for n, name in enumerate(ENTRIES):
        col, row = n % columns, n // columns
        x = rect.left() + col * col_w + 10
        y = rect.top() + row * line_h + line_h / 2
        if name == "actor":
            qp.fillPath(_diamond(x, y), c)
        elif name == "target":
            qp.strokePath(_diamond(x, y), QPen(c, 2))
        elif name == "associated":
            p = _diamond(x, y)
            light = QColor(c)
            light.setAlpha(80)
            qp.fillPath(p, light)
            qp.fillPath(p, QBrush(c, Qt.BrushStyle.BDiagPattern))
            qp.strokePath(p, QPen(c, 1))
        elif name == "mentioned":
            qp.fillRect(QRectF(x - 1, y - 2, 2, 7), c)
        elif name == "uncertain date":
            fade = QColor(c)
            fade.setAlpha(45)
            qp.fillRect(QRectF(x - 8, y - 4, 16, 8), fade)
            qp.fillPath(_diamond(x, y, 4), c)
        elif name == "span":
            qp.fillRect(QRectF(x - 8, y - 4, 16, 8), c)
        elif name == "no evidence":
            qp.setPen(QPen(theme.color("alert"), 1))
            qp.drawEllipse(QPointF(x, y), 2, 2)
        elif name == "contradicted":
            p = QPainterPath()
            p.moveTo(x - 3, y + 3)
            p.lineTo(x, y - 3)
            p.lineTo(x + 3, y + 3)
            p.closeSubpath()
            qp.fillPath(p, theme.color("alert"))
        elif name == "sources":
            for j in range(3):
                qp.setBrush(theme.color("dots"))
                qp.setPen(Qt.PenStyle.NoPen)
                qp.drawEllipse(QPointF(x - 3 + 3 * j, y), 1.1, 1.1)
        else:
            for j in range(8):
                col_c = QColor(c)
                col_c.setAlpha(40 + j * 26)
                qp.fillRect(QRectF(x - 8 + 2 * j, y - 4, 2, 8), col_c)
        qp.setPen(theme.color("quote"))
        qp.drawText(QPointF(x + 14, y + fm.ascent() / 2 - 1), name)
    qp.restore()
    return ((len(ENTRIES) + columns - 1) // columns) * line_h
