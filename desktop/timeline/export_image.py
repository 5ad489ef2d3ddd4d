"""Export the timeline as PNG (any size), SVG or PDF, through the same painter as the screen.

`render_timeline_image(project, out_path, lo, hi, size)` is what `sijill screenshot --from
--to` calls: it needs no window, only a Qt GUI application (created here if there is none).

An export never drops a lane. The screen scrolls its lanes; an image cannot, so the lanes share
the height between the title and the legend, from six rows each down to one; when even one row
each does not fit, the image is made taller than asked and the export says so (`ImageExport.note`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPageSize, QPainter, QPdfWriter

from desktop.timeline.canvas import lane_geometry
from desktop.timeline.legend import draw_legend
from desktop.timeline.frame import AXIS_H, LaneGeom, lane_color
from desktop.timeline.painter import TimelinePainter

TITLE_H = 34
LEGEND_H = 62
NAMES_W = 200


@dataclass(frozen=True)
class ImageExport:
    """What an export wrote: the file, its size in pixels (taller than asked when the lanes needed
    it), every lane drawn (top to bottom, in image coordinates) and, when the image was made
    taller, a note that says so for the user."""

    path: Path
    size: tuple[int, int]
    asked: tuple[int, int]
    lanes: tuple[LaneGeom, ...]
    note: str | None = None


def _date(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%-d %b %Y")


def _font() -> QFont:
    font = QFont()
    font.setPointSizeF(9)
    return font


def export_layout(data, size: tuple[int, int], collapsed=frozenset(),
                  painter: TimelinePainter | None = None) -> tuple[list[LaneGeom], int]:
    """The lanes of an export of `size` and the height the image needs so that none is cut off:
    the height asked when they fit at one row or more each, else enough for all of them at one
    row, plus room under the last lane for the period titles (as the screen leaves when its lanes
    overflow)."""
    _w, h = size
    top = TITLE_H + AXIS_H
    geoms = lane_geometry(data.visible_infos(), set(collapsed), top, h - top - LEGEND_H)
    bottom = geoms[-1].y + geoms[-1].h if geoms else top
    if bottom <= h - LEGEND_H + 0.5:
        return geoms, h
    painter = painter or TimelinePainter(_font())
    room = 2 * painter.fm_small.height() + 6
    return geoms, int(math.ceil(bottom + room + LEGEND_H))


def fit_note(n_lanes: int, asked: tuple[int, int], height: int) -> str | None:
    """What to tell the user when an export had to grow taller than asked (None when it did not)."""
    if height <= asked[1]:
        return None
    w, h = asked
    return (f"The {n_lanes} lanes do not fit in {w}×{h} px even at one row each: the image is "
            f"{w}×{height} px so that none is cut off.")


def lanes_note(data, size: tuple[int, int], collapsed=frozenset()) -> str | None:
    """The note an export of `size` would carry (for the Export image dialog, before exporting)."""
    geoms, height = export_layout(data, size, collapsed)
    return fit_note(len(geoms), size, height)


def paint_export(qp: QPainter, w: float, h: float, data, t0: float, t1: float, title: str,
                 geoms: list[LaneGeom], painter: TimelinePainter) -> None:
    """Title, lane names, axis, lanes (laid out by `export_layout`) and legend of [t0, t1] in a
    w×h area."""
    font = _font()
    qp.fillRect(QRectF(0, 0, w, h), QColor("#ffffff"))
    big = QFont(font)
    big.setPointSizeF(13)
    big.setBold(True)
    qp.setFont(big)
    qp.setPen(QColor("#111111"))
    qp.drawText(QPointF(12, 23), title)
    qp.setFont(font)
    qp.setPen(QColor("#555555"))
    sub = f"{_date(t0)} – {_date(t1)}"
    qp.drawText(QPointF(w - QFontMetricsF(font).horizontalAdvance(sub) - 12, 23), sub)
    body = QRectF(NAMES_W, TITLE_H, w - NAMES_W, h - TITLE_H - LEGEND_H)
    painter.paint(qp, body, t0, t1, data, geoms)
    qp.fillRect(QRectF(0, TITLE_H, NAMES_W, AXIS_H), QColor("#eef1f5"))
    fm = QFontMetricsF(font)
    for n, g in enumerate(geoms):
        x = 8 + g.info.depth * 12
        cy = g.y + min(g.h / 2, 12)
        qp.fillRect(QRectF(x, cy - 5, 10, 10), lane_color(g.info, n))
        qp.setPen(QColor("#222222"))
        name = fm.elidedText(g.info.name, Qt.TextElideMode.ElideRight, NAMES_W - x - 20)
        qp.drawText(QPointF(x + 15, cy + fm.ascent() / 2 - 1), name)
        qp.setPen(QColor("#dde1e6"))
        qp.drawLine(QPointF(0, g.y + g.h - 0.5), QPointF(NAMES_W, g.y + g.h - 0.5))
    qp.setPen(QColor("#c8cdd4"))
    qp.drawLine(QPointF(NAMES_W - 0.5, TITLE_H), QPointF(NAMES_W - 0.5, h - LEGEND_H))
    qp.drawLine(QPointF(0, h - LEGEND_H + 0.5), QPointF(w, h - LEGEND_H + 0.5))
    small = QFont(font)
    small.setPointSizeF(8)
    draw_legend(qp, QRectF(0, h - LEGEND_H + 4, w, LEGEND_H - 4), small, columns=5)


def export_timeline(data, path: str | Path, t0: float, t1: float, size: tuple[int, int] = (1600, 900),
                    title: str = "", collapsed=frozenset()) -> ImageExport:
    """Write [t0, t1] to `path`: .png/.jpg raster at `size`, .svg or .pdf vector (`size` sets
    their proportions); taller than `size` when the lanes need it (see `export_layout`)."""
    path = Path(path)
    suffix = path.suffix.lower()
    vector = suffix in (".svg", ".pdf")
    painter = TimelinePainter(_font(), vector=vector)
    geoms, h = export_layout(data, size, collapsed, painter)
    w = size[0]
    if suffix == ".svg":
        from PySide6.QtSvg import QSvgGenerator
        gen = QSvgGenerator()
        gen.setFileName(str(path))
        gen.setSize(QSize(w, h))
        gen.setViewBox(QRectF(0, 0, w, h))
        gen.setTitle(title)
        qp = QPainter(gen)
        paint_export(qp, w, h, data, t0, t1, title, geoms, painter)
        qp.end()
    elif suffix == ".pdf":
        writer = QPdfWriter(str(path))
        writer.setTitle(title)
        writer.setPageSize(QPageSize(QSizeF(w * 0.75, h * 0.75), QPageSize.Unit.Point))
        writer.setPageMargins(QMarginsF(0, 0, 0, 0))
        writer.setResolution(96)
        qp = QPainter(writer)
        scale = writer.width() / w
        qp.scale(scale, scale)
        paint_export(qp, w, h, data, t0, t1, title, geoms, painter)
        qp.end()
    else:
        img = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
        if img.isNull():
            raise OSError(f"cannot make an image of {w}×{h} px")
        qp = QPainter(img)
        paint_export(qp, w, h, data, t0, t1, title, geoms, painter)
        qp.end()
        if not img.save(str(path)):
            raise OSError(f"cannot write {path}")
    return ImageExport(path, (w, h), (size[0], size[1]), tuple(geoms), fit_note(len(geoms), size, h))


def render_timeline_image(project, out_path: str | Path, lo: int | float | None = None,
                          hi: int | float | None = None, size: tuple[int, int] = (1600, 900),
                          title: str | None = None) -> ImageExport:
    """Render the timeline of `project` between `lo` and `hi` (seconds since the epoch; the whole
    project plus a margin when None) to PNG/SVG/PDF by the suffix of `out_path`."""
    from PySide6.QtGui import QGuiApplication

    from db.timeline.window import project_limits
    from desktop.hub import ProjectHub
    from desktop.timeline.model import TimelineData

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - keeps fonts usable
    hub = ProjectHub(project)
    data = TimelineData(hub)
    limits = project_limits(data.bounds())
    t0 = limits[0] if lo is None else float(lo)
    t1 = limits[1] if hi is None else float(hi)
    return export_timeline(data, out_path, t0, t1, size=size, title=title or project.title)
