"""Export the map as PNG (any size), SVG or PDF through the same painter as the screen, and render
a project's map with no window for `sijill screenshot --map`.

Exports are printed on white paper: they are always drawn in light colours. A caption in the top
left corner says what is shown (the project, the time window, how many events).
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen

from sijill.db.geo.map_data import load_boundaries
from sijill.db.geo.projection import MapViewport, fit_bounds, inverse_mercator
from sijill.desktop.map.layer import MapEvents, ShownEvents
from sijill.desktop.map.painter import MapPainter
from sijill.desktop.widgets.picture_file import check_suffix, write_picture

REGION = (34.5, 28.5, 50.0, 38.5)     # lon0, lat0, lon1, lat1: Iraq and its neighbours' edges
MIN_SPAN = 12.0                       # degrees: a fit never zooms closer than this


def fit_events(shown: ShownEvents, events: MapEvents, width: int, height: int) -> MapViewport:
    """A viewport over the events shown (at least MIN_SPAN degrees across), else over every event
    with coordinates, else over Iraq and its neighbours."""
    if len(shown):
        lon, lat = inverse_mercator(shown.x, shown.y)
        box = (float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))
    else:
        box = events.bounds() or REGION
    lon0, lat0, lon1, lat1 = box
    if lon1 - lon0 < MIN_SPAN:
        mid = (lon0 + lon1) / 2
        lon0, lon1 = mid - MIN_SPAN / 2, mid + MIN_SPAN / 2
    if lat1 - lat0 < MIN_SPAN * 0.75:
        mid = (lat0 + lat1) / 2
        lat0, lat1 = mid - MIN_SPAN * 0.375, mid + MIN_SPAN * 0.375
    return fit_bounds(lon0, lat0, lon1, lat1, width, height, margin=0.08)


def _date(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%-d %b %Y")


def caption(title: str, window: tuple[float, float] | None, n: int) -> str:
    when = f"{_date(window[0])} – {_date(window[1])}" if window else "all dates"
    return f"{title} · {when} · {n} event{'s' if n != 1 else ''} on the map" if title else \
        f"{when} · {n} event{'s' if n != 1 else ''} on the map"


def paint_map(qp: QPainter, painter: MapPainter, vp: MapViewport, shown: ShownEvents, text: str) -> None:
    font = QFont()
    font.setPointSizeF(9)
    painter.paint(qp, vp, shown, set(), dark=False, font=font)
    if text:
        font.setBold(True)
        font.setPointSizeF(10)
        veil = QColor("#ffffff")
        veil.setAlpha(200)
        qp.fillRect(QRectF(0, 0, vp.width, 28), veil)
        path = QPainterPath()
        path.addText(10, 19, font, text)
        qp.strokePath(path, QPen(QColor("#ffffff"), 4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                                 Qt.PenJoinStyle.RoundJoin))
        qp.fillPath(path, QColor("#222222"))


def export_map(events: MapEvents, path: str | Path, size: tuple[int, int], vp: MapViewport | None = None,
               title: str = "", painter: MapPainter | None = None) -> Path:
    """Write the map to `path`: .png/.jpg raster at `size`, .svg or .pdf vector; `vp` (the screen's
    view, resized to `size`) or a fit of the events shown."""
    path = Path(path)
    check_suffix(path)
    w, h = size
    shown = events.shown()
    vp = vp.resized(w, h) if vp is not None else fit_events(shown, events, w, h)
    painter = painter or MapPainter(load_boundaries())
    text = caption(title, events.window, len(shown))
    write_picture(path, (w, h), text, lambda qp: paint_map(qp, painter, vp, shown, text))
    return path


def render_map_image(project, out_path: str | Path, lo: float | None = None, hi: float | None = None,
                     size: tuple[int, int] = (1600, 1000)) -> Path:
    """The map of `project`'s events between `lo` and `hi` (seconds; every date when both are
    None), fitted to them, to PNG/SVG/PDF by the suffix of `out_path`: `sijill screenshot --map`."""
    from PySide6.QtGui import QGuiApplication

    from sijill.db.timeline.window import project_limits
    from sijill.desktop.hub import ProjectHub
    from sijill.desktop.timeline.lanes_model import TimelineData

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - fonts need a GUI application
    data = TimelineData(ProjectHub(project))
    events = MapEvents(data)
    if lo is not None or hi is not None:
        limits = project_limits(data.bounds())
        events.set_window(limits[0] if lo is None else float(lo), limits[1] if hi is None else float(hi))
    return export_map(events, out_path, size, title=project.title)
