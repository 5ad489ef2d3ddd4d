"""Painting the counts chart (stacked bars per bin, the uncertain part hatched) on any QPainter,
and writing it to PNG, SVG or CSV.

The chart is drawn from a `ChartData` (the bins counted, and each stack's name and colour) into
a plot rectangle whose left and right edges are the window's t0 and t1, so that docked under the
timeline its bars line up with the canvas. Each stack's segment is drawn solid for the events
dated within the bin and hatched, on top of it, for those dated more coarsely than the bin.
"""
from __future__ import annotations

import csv
import math
from bisect import bisect_left
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontInfo, QFontMetrics, QImage, QPainter, QPen, QTransform

from sijill.db.timeline.axis import MONTHS, ticks
from sijill.db.timeline.bins import Counts
from sijill.desktop.widgets import theme
from sijill.desktop.widgets.picture_file import check_suffix, write_picture

AXIS_LABEL_H = 14     # the tick labels under the bars
TOP_PAD = 6
UNIT_WORD = {"day": "day", "week": "week", "month": "month"}


@dataclass(frozen=True)
class ChartData:
    """What is drawn: the counts over [t0, t1], each stack's name and colour (`colors[i]` for
    `counts.keys[i]`; with no stack, the total is drawn in `colors[0]`). On screen, `bars` holds
    the bars of a wider stretch of bins whose bin `first` is the window's first (see BarLayer)."""

    counts: Counts
    names: list[str]
    colors: list[QColor]
    t0: float
    t1: float
    bars: "BarLayer | None" = None
    first: int = 0

    def heights(self):
        """Per bin, the bar's height in events: the stacks' sum (an event linked to two stacks is
        in both), or the total when there is no stack."""
        return self.counts.count.sum(axis=0) if len(self.counts.keys) else self.counts.total


def day_text(t: int) -> str:
    d = datetime.fromtimestamp(int(t), timezone.utc)
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def bin_title(counts: Counts, i: int) -> str:
    a, b = int(counts.edges[i]), int(counts.edges[i + 1]) - 1
    if counts.unit == "day":
        return day_text(a)
    if counts.unit == "month":
        d = datetime.fromtimestamp(a, timezone.utc)
        return f"{MONTHS[d.month - 1]} {d.year}"
    return f"Week of {day_text(a)} (to {day_text(b)})"


def bin_text(chart: ChartData, i: int, html: bool = True) -> str:
    """What the tooltip says of bin `i`: its dates, how many events and how many dated more
    coarsely than the bin, then each stack's count."""
    c = chart.counts
    n, unsure = int(c.total[i]), int(c.total_uncertain[i])
    unit = UNIT_WORD[c.unit]
    lines = [f"{n} event{'s' if n != 1 else ''}"
             + (f", {unsure} dated more coarsely than a {unit} (hatched)" if unsure else "")]
    for s, name in enumerate(chart.names if len(c.keys) else []):
        k, u = int(c.count[s, i]), int(c.uncertain[s, i])
        if k:
            lines.append(f"{name}: {k}" + (f" ({u} uncertain)" if u else ""))
    if len(c.keys) and int(c.count[:, i].sum()) > n:
        lines.append("an event linked to several groups counts in each")
    if not html:
        return "\n".join([bin_title(c, i), *lines])
    from html import escape
    return f"<b>{escape(bin_title(c, i))}</b><br>" + "<br>".join(escape(line) for line in lines)


def nice_top(value: int) -> tuple[int, int]:
    """(top of the scale, step between grid lines) for a largest bar of `value` events."""
    value = max(int(value), 1)
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000):
        if value / step <= 4:
            return int(math.ceil(value / step) * step), step
    step = 10 ** int(math.log10(value))
    return int(math.ceil(value / step) * step), step


def hatch_brush(color: QColor) -> QBrush:
    return QBrush(color.darker(135), Qt.BrushStyle.BDiagPattern)


def pale(color: QColor) -> QColor:
    """The fill under the hatching of the events dated more coarsely than the bin."""
    out = QColor(color)
    out.setAlpha(90)
    return out


def stack_rows(counts: Counts, colors: list[QColor]) -> list[tuple[np.ndarray, np.ndarray, QColor]]:
    """(count, uncertain, colour) per stack from the bottom up; the total alone with no stack."""
    return [(counts.count[s], counts.uncertain[s], colors[s]) for s in range(len(counts.keys))] or [
        (counts.total, counts.total_uncertain, colors[0])]


class BarLayer:
    """The bars of a stretch of bins (`sijill.db.timeline.bins.WindowCounter`), as rectangles in
    (seconds, events), made once per stretch; a frame draws those of its window's bins through a
    transform (time → x, events → y) into an image, clears the 1 px gaps between bars there, and
    lays the image on the chart. The same pixels as one QRectF per segment and frame (1,600
    segments in a full-range frame at 100k, 1 ms of Python), for a few calls."""

    def __init__(self, counts: Counts, colors: list[QColor]) -> None:
        self.counts = counts
        self.rows: list[tuple] = []
        left = counts.edges[:-1].astype(np.float64)
        length = np.diff(counts.edges).astype(np.float64)
        bottom = np.zeros(len(counts))
        for count, uncertain, color in stack_rows(counts, colors):
            n, u = count.astype(np.float64), uncertain.astype(np.float64)
            solid, hatched = np.flatnonzero(n - u), np.flatnonzero(u)
            top = -bottom - n                     # y is minus the events below: both scales positive
            self.rows.append((color,
                              solid.tolist(), _rects(left[solid], (top + u)[solid], length[solid], (n - u)[solid]),
                              hatched.tolist(), _rects(left[hatched], top[hatched], length[hatched], u[hatched]),
                              pale(color), hatch_brush(color)))
            bottom += n
        self.image: QImage | None = None

    def draw(self, qp: QPainter, chart: ChartData, xs: np.ndarray, plot: QRectF, base_y: float,
             per_event: float) -> None:
        """Draw the bars of `chart`'s window (its bins `chart.first` on; `xs`: their edges on
        screen) in `plot`, from `base_y` up, `per_event` pixels an event."""
        a, b = chart.first, chart.first + len(xs) - 1
        ox, oy = math.floor(plot.left()), math.floor(plot.top())
        dpr = qp.device().devicePixelRatioF() if qp.device() is not None else 1.0
        w, h = math.ceil(plot.right()) - ox, math.ceil(base_y) + 1 - oy
        size = QSize(math.ceil(w * dpr), math.ceil(h * dpr))
        if self.image is None or self.image.size() != size or self.image.devicePixelRatioF() != dpr:
            self.image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
            self.image.setDevicePixelRatio(dpr)
        self.image.fill(Qt.GlobalColor.transparent)
        lp = QPainter(self.image)
        lp.setPen(Qt.PenStyle.NoPen)
        scale = (xs[-1] - xs[0]) / max(float(self.counts.edges[b] - self.counts.edges[a]), 1e-9)
        dx, dy = xs[0] - ox - self.counts.edges[a] * scale, base_y - oy
        lp.setTransform(QTransform(scale, 0, 0, per_event, dx, dy))
        # the hatching in step with the chart's pixels: a pattern is not scaled, but its phase moves
        # by the transform's shift over its scale, plus the brush origin (in device pixels)
        lp.setBrushOrigin(QPointF((-ox * dpr - dx / scale) % 8, (-oy * dpr - dy / per_event) % 8))
        for color, solid_bins, solid, hatched_bins, hatched, pale_color, hatching in self.rows:
            lp.setBrush(color)
            lp.drawRects(solid[bisect_left(solid_bins, a):bisect_left(solid_bins, b)])
            part = hatched[bisect_left(hatched_bins, a):bisect_left(hatched_bins, b)]
            if part:
                lp.setBrush(pale_color)
                lp.drawRects(part)
                lp.setBrush(hatching)
                lp.drawRects(part)
        lp.resetTransform()
        lp.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)   # the gaps made transparent
        lp.setBrush(Qt.GlobalColor.transparent)               # (Source is a plain fill, Clear a slow path)
        gap = np.where(np.diff(xs) >= 4, 1.0, 0.0)           # a bar 4 px wide or more: 1 px each side
        before, after = np.concatenate(([0.0], gap)), np.concatenate((gap, [0.0]))
        cut = np.flatnonzero(before + after)
        lp.drawRects(_rects(xs[cut] - before[cut] - ox, np.zeros(len(cut)), (before + after)[cut],
                            np.full(len(cut), float(h))))
        lp.end()
        qp.drawImage(QPointF(ox, oy), self.image)


def paint_chart(qp: QPainter, rect: QRectF, plot_x0: float, plot_w: float, chart: ChartData,
                hover: int | None = None, band: tuple[float, float] | None = None,
                hotspots: list | None = None) -> list[tuple[float, float]]:
    """Draw the chart in `rect`, its bars between x = plot_x0 and plot_x0 + plot_w (t0 to t1),
    scale labels left of the plot (or inside it when there is no room). Returns each bin's
    (x0, x1) on screen; with `hotspots` a list, appends (bar rect, tooltip text) per bar drawn."""
    colors = theme.current()
    qp.fillRect(rect, colors.color("base"))
    qp.setPen(QPen(colors.color("border"), 1))
    qp.drawLine(rect.topLeft(), rect.topRight())
    c = chart.counts
    span = max(chart.t1 - chart.t0, 1e-9)
    xs = [plot_x0 + (float(t) - chart.t0) / span * plot_w for t in c.edges.tolist()]
    top_y, base_y = rect.top() + TOP_PAD + 8, rect.bottom() - AXIS_LABEL_H
    heights = chart.heights()
    inside = [i for i in range(len(c)) if xs[i + 1] > plot_x0 and xs[i] < plot_x0 + plot_w]
    top, step = nice_top(max((int(heights[i]) for i in inside), default=1))
    per_event = (base_y - top_y) / top
    font = QFont(qp.font())
    font.setPointSizeF(max(font.pointSizeF() * 0.85, 7))
    qp.setFont(font)
    fm = QFontMetrics(font)
    # grid and scale
    qp.setPen(QPen(colors.color("line"), 1))
    for v in range(0, top + 1, step):
        y = base_y - v * per_event
        qp.drawLine(int(plot_x0), int(y), int(plot_x0 + plot_w), int(y))
    qp.setPen(colors.color("muted"))
    label_room = plot_x0 - rect.left() >= fm.horizontalAdvance(str(top)) + 8
    for v in range(step, top + 1, step):
        y = base_y - v * per_event
        if label_room:
            qp.drawText(QRectF(rect.left(), y - 8, plot_x0 - rect.left() - 4, 16),
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(v))
        else:
            qp.drawText(QRectF(plot_x0 + 2, y, 60, 14), Qt.AlignmentFlag.AlignLeft, str(v))
    if label_room:
        qp.drawText(QRectF(rect.left() + 4, base_y, plot_x0 - rect.left() - 8, AXIS_LABEL_H),
                    Qt.AlignmentFlag.AlignRight, f"per {UNIT_WORD[c.unit]}")
    # bars
    qp.save()
    qp.setClipRect(QRectF(plot_x0, rect.top(), plot_w, rect.height()))
    if hover is not None and 0 <= hover < len(c):
        veil = colors.color("accent")
        veil.setAlpha(40)
        qp.fillRect(QRectF(xs[hover], top_y - 8, xs[hover + 1] - xs[hover], base_y - top_y + 8), veil)
    qp.setPen(Qt.PenStyle.NoPen)
    if chart.bars is not None:
        chart.bars.draw(qp, chart, np.array(xs), QRectF(plot_x0, rect.top(), plot_w, rect.height()), base_y,
                        per_event)
    else:
        _draw_bars(qp, stack_rows(c, chart.colors), np.array(inside, np.int64), np.array(xs), base_y, per_event)
    if len(c.keys) and inside:                        # events linked to several stacks: mark the events
        over = [i for i in inside if heights[i] > c.total[i]]
        qp.setBrush(colors.color("text"))
        qp.drawRects([QRectF(xs[i], base_y - int(c.total[i]) * per_event - 1, xs[i + 1] - xs[i], 2) for i in over])
    if hotspots is not None:
        hotspots += [(QRectF(xs[i], base_y - heights[i] * per_event, xs[i + 1] - xs[i], heights[i] * per_event),
                      bin_text(chart, i, html=False)) for i in inside if heights[i]]
    if band is not None:
        veil = colors.color("accent")
        veil.setAlpha(60)
        a, b = sorted(band)
        qp.fillRect(QRectF(a, rect.top(), b - a, rect.height()), veil)
    qp.restore()
    # tick labels under the bars
    qp.setPen(colors.color("muted"))
    marks = ticks(chart.t0, chart.t1, max(plot_w, 1))
    labels = marks.context if marks.level in ("day", "week") and marks.context else marks.major
    for t, text in labels:
        x = plot_x0 + (t - chart.t0) / span * plot_w
        if plot_x0 <= x and x + 3 + fm.horizontalAdvance(text) <= plot_x0 + plot_w:
            qp.drawLine(int(x), int(base_y), int(x), int(base_y + 3))
            qp.drawText(QRectF(x + 3, base_y, 120, AXIS_LABEL_H), Qt.AlignmentFlag.AlignLeft, text)
    return list(zip(xs[:-1], xs[1:]))


def _rects(x: np.ndarray, y: np.ndarray, w: np.ndarray, h: np.ndarray) -> list[QRectF]:
    return list(map(QRectF, x.tolist(), y.tolist(), w.tolist(), h.tolist()))


def _draw_bars(qp: QPainter, rows, inside: np.ndarray, xs: np.ndarray, base_y: float, per_event: float) -> None:
    """Each stack's segments of the bins `inside`, stacked from `base_y` up: the events dated
    within the bin solid, then those dated more coarsely hatched; one drawRects per stack and
    kind (a frame of 130 months × 12 stacks costs a few dozen calls, not thousands)."""
    if not len(inside):
        return
    x0, x1 = xs[inside], xs[inside + 1]
    gap = np.where(x1 - x0 >= 4, 1.0, 0.0)
    left, width = x0 + gap, x1 - x0 - 2 * gap
    y = np.full(len(inside), float(base_y))
    for count, uncertain, color in rows:
        n = count[inside].astype(np.float64)
        u = uncertain[inside].astype(np.float64)
        solid_h, hatched_h = (n - u) * per_event, u * per_event
        solid = np.flatnonzero(solid_h)
        qp.setBrush(color)
        qp.drawRects(_rects(left[solid], y[solid] - solid_h[solid], width[solid], solid_h[solid]))
        hatched = np.flatnonzero(hatched_h)
        if len(hatched):
            k = hatched
            rects = _rects(left[k], y[k] - solid_h[k] - hatched_h[k], width[k], hatched_h[k])
            qp.setBrush(pale(color))
            qp.drawRects(rects)
            qp.setBrush(hatch_brush(color))
            qp.drawRects(rects)
        y -= solid_h + hatched_h


# ---- export ------------------------------------------------------------------------------------------
TITLE_H = 26
LEGEND_H = 22
MARGIN_L = 56
MARGIN_R = 16


def _export_font() -> QFont:
    font = QFont()
    font.setPixelSize(12)
    return font


def chart_title(chart: ChartData, title: str = "") -> str:
    return (f"{title + ' — ' if title else ''}Events per {UNIT_WORD[chart.counts.unit]}, "
            f"{day_text(int(chart.t0))} – {day_text(math.ceil(chart.t1) - 1)}")


def legend_entries(chart: ChartData) -> list[tuple[str, QColor | None]]:
    """The stacks with an event in the window, then the marks explained (None: hatched; "" the
    events line)."""
    c = chart.counts
    out: list = [(n, col) for s, (n, col) in enumerate(zip(chart.names, chart.colors)) if c.count[s].any()]
    if int(c.total_uncertain.sum()):
        out.append((f"dated more coarsely than a {UNIT_WORD[c.unit]}", None))
    if len(c.keys) and (c.count.sum(axis=0) > c.total).any():
        out.append(("events, each once (a bar counts an event once per group)", ""))
    return out


def _legend_rows(entries, fm: QFontMetrics, width: float) -> list[list]:
    rows, x = [[]], 0.0
    for name, color in entries:
        need = 14 + fm.horizontalAdvance(name) + 14
        if rows[-1] and x + need > width:
            rows.append([])
            x = 0.0
        rows[-1].append((name, color))
        x += need
    return rows


def paint_export(qp: QPainter, w: int, h: int, chart: ChartData, title: str, hotspots: list | None = None) -> None:
    """A self-contained picture: title, chart with scale and dates, legend of the stacks."""
    colors = theme.current()
    qp.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    qp.fillRect(QRectF(0, 0, w, h), colors.color("base"))
    qp.setPen(colors.color("text"))
    bold = _export_font()
    bold.setBold(True)
    qp.setFont(bold)
    qp.drawText(QRectF(MARGIN_L, 0, w - MARGIN_L - MARGIN_R, TITLE_H), Qt.AlignmentFlag.AlignVCenter,
                chart_title(chart, title))
    qp.setFont(_export_font())
    fm = QFontMetrics(qp.font())
    rows = _legend_rows(legend_entries(chart), fm, w - MARGIN_L - MARGIN_R)
    legend_h = LEGEND_H * len(rows)
    paint_chart(qp, QRectF(0, TITLE_H, w, h - TITLE_H - legend_h), MARGIN_L, w - MARGIN_L - MARGIN_R, chart,
                hotspots=hotspots)
    qp.setFont(_export_font())
    for r, row in enumerate(rows):
        x, y = float(MARGIN_L), h - legend_h + r * LEGEND_H + 4
        for name, color in row:
            box = QRectF(x, y + 3, 10, 10)
            if color is None:
                qp.fillRect(box, hatch_brush(colors.color("muted")))
            elif color == "":
                qp.fillRect(QRectF(x, y + 7, 10, 2), colors.color("text"))
            else:
                qp.fillRect(box, color)
            qp.setPen(colors.color("text"))
            qp.drawText(QRectF(x + 14, y, w, 16), Qt.AlignmentFlag.AlignLeft, name)
            x += 14 + fm.horizontalAdvance(name) + 14


def export_chart(chart: ChartData, path: str | Path, size: tuple[int, int] = (1400, 360), title: str = "") -> None:
    """Write the chart to `path`: .png (or another raster format Qt writes), .svg (each bar with
    its counts as a tooltip), or .csv (one row per bin: dates, count, uncertain, each stack)."""
    path = Path(path)
    suffix = path.suffix.lower()
    w, h = size
    if suffix == ".csv":
        with open(path, "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(chart.counts.csv_rows(dict(zip(chart.counts.keys, chart.names))))
        return
    check_suffix(path, vector=(".svg",), hint=".png, .jpg, .svg or .csv", what="chart")
    hotspots: list = []
    write_picture(path, (w, h), chart_title(chart, title),
                  lambda qp: paint_export(qp, w, h, chart, title, hotspots if suffix == ".svg" else None))
    if suffix == ".svg":
        from sijill.desktop.timeline.export_image import finish_svg

        finish_svg(path, (w, h), hotspots, QFontInfo(_export_font()).family())
