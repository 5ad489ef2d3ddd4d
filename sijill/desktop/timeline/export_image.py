"""Export the timeline as PNG (any size), SVG or PDF, through the same painter as the screen.

`render_timeline_image(project, out_path, lo, hi, size)` is what `sijill screenshot --from
--to` calls: it needs no window, only a Qt GUI application (created here if there is none).

An export never drops a lane. The screen scrolls its lanes; an image cannot, so the lanes share
the height between the title and the legend, from six rows each down to one; when even one row
each does not fit, the image is made taller than asked and the export says so (`ImageExport.note`).
A PDF is one landscape page of the locale's paper (A4, or Letter in the US: `sijill.desktop.widgets.page_size`)
with the drawing, in the proportions asked, scaled to fit it.

An SVG is finished after QSvgGenerator writes it (`finish_svg`): its size in pixels rather than
millimetres, a CSS font stack rather than Qt's family name ("Sans Serif", which browsers draw
serif), and over every event drawn an invisible shape whose <title> (the tooltip of SVG viewers)
holds the full title and date, since labels are shortened to fit; over a density strip or a
"+N more" marker, the list of the events it stands for (`event_hotspots`); over a shortened lane
name or period title, the whole of it.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape, unescape

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontInfo, QFontMetricsF, QPainter

from sijill.db.dates import FuzzyDate
from sijill.db.timeline.lanes import FLAG_SPAN
from sijill.desktop.events.table_model import R_END_LO, R_END_TEXT, R_END_UNCERTAIN, R_ID, R_START_TEXT, R_TITLE, R_UNCERTAIN
from sijill.desktop.timeline.canvas import lane_geometry
from sijill.db.timeline.frame import AXIS_H, BUCKET_PX, MARK_R, ROW_H, Frame, LaneGeom, _nz
from sijill.desktop.groups.palette import lane_color
from sijill.desktop.widgets.picture_file import check_suffix, write_picture
from sijill.desktop.timeline.legend import draw_legend
from sijill.desktop.timeline.painter import TimelinePainter

TITLE_H = 34
LEGEND_H = 62
NAMES_W = 200
# after the family Qt measured the text with: fonts of the same proportions on most systems
FONT_STACK = ("DejaVu Sans", "Noto Sans", "Segoe UI", "Arial", "Helvetica")
GENERIC_FAMILIES = {"", "sans serif", "sans-serif", "sans", "serif", "monospace", "system-ui"}
DENSITY_PAD = 3     # columns added on each side of a density run's hotspot
LIST_MAX = 30       # events named in the tooltip of a density strip or "+N more" marker
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


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
    row (the period titles have their band under the axis)."""
    _w, h = size
    top = TITLE_H + AXIS_H
    geoms = lane_geometry(data.visible_infos(), set(collapsed), top, h - top - LEGEND_H)
    bottom = geoms[-1].y + geoms[-1].h if geoms else top
    if bottom <= h - LEGEND_H + 0.5:
        return geoms, h
    return geoms, int(math.ceil(bottom + LEGEND_H))


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
                 geoms: list[LaneGeom], painter: TimelinePainter) -> Frame:
    """Title, lane names, axis, lanes (laid out by `export_layout`) and legend of [t0, t1] in a
    w×h area; returns the painter's Frame (what was drawn where)."""
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
    frame = painter.paint(qp, body, t0, t1, data, geoms)
    qp.fillRect(QRectF(0, TITLE_H, NAMES_W, AXIS_H), QColor("#eef1f5"))
    fm = QFontMetricsF(font)
    for n, g in enumerate(geoms):
        x = 8 + g.info.depth * 12
        cy = g.y + min(g.h / 2, 12)
        qp.fillRect(QRectF(x, cy - 5, 10, 10), lane_color(g.info, n))
        qp.setPen(QColor("#222222"))
        name = fm.elidedText(g.info.name, Qt.TextElideMode.ElideRight, NAMES_W - x - 20)
        base = cy + fm.ascent() / 2 - 1
        qp.drawText(QPointF(x + 15, base), name)
        if painter.record is not None and name != g.info.name:
            painter.record.setdefault("shortened", []).append(
                (QRectF(x + 15, base - fm.ascent(), fm.horizontalAdvance(name), fm.height()), g.info.name))
        qp.setPen(QColor("#dde1e6"))
        qp.drawLine(QPointF(0, g.y + g.h - 0.5), QPointF(NAMES_W, g.y + g.h - 0.5))
    qp.setPen(QColor("#c8cdd4"))
    qp.drawLine(QPointF(NAMES_W - 0.5, TITLE_H), QPointF(NAMES_W - 0.5, h - LEGEND_H))
    qp.drawLine(QPointF(0, h - LEGEND_H + 0.5), QPointF(w, h - LEGEND_H + 0.5))
    small = QFont(font)
    small.setPointSizeF(8)
    draw_legend(qp, QRectF(0, h - LEGEND_H + 4, w, LEGEND_H - 4), small, columns=5)
    return frame


def export_timeline(data, path: str | Path, t0: float, t1: float, size: tuple[int, int] = (1600, 900),
                    title: str = "", collapsed=frozenset()) -> ImageExport:
    """Write [t0, t1] to `path`: .png/.jpg raster at `size`, .svg or .pdf vector (`size` sets
    their proportions); taller than `size` when the lanes need it (see `export_layout`)."""
    path = Path(path)
    suffix = check_suffix(path)
    painter = TimelinePainter(_font(), vector=suffix in (".svg", ".pdf"))
    geoms, h = export_layout(data, size, collapsed, painter)
    w = size[0]
    painter.record = {}
    frame = write_picture(path, (w, h), title, lambda qp: paint_export(qp, w, h, data, t0, t1, title, geoms, painter))
    if suffix == ".svg":
        lanes_rect = QRectF(NAMES_W, TITLE_H + AXIS_H, w - NAMES_W, h - LEGEND_H - TITLE_H - AXIS_H)
        hotspots = painter.record.get("shortened", []) + event_hotspots(frame, data, painter.record, lanes_rect)
        finish_svg(path, (w, h), hotspots, QFontInfo(painter.font).family())
    return ImageExport(path, (w, h), (size[0], size[1]), tuple(geoms), fit_note(len(geoms), size, h))


def event_tooltips(project, event_ids) -> dict[int, str]:
    """The tooltip of each event: its full title and its dates as the events table shows them
    ("Title — c. Oct 2023", "Title — 10 Jun 2014 – Dec 2017"), read in one batch."""
    out = {}
    for row in project.event_table_rows(sorted(set(event_ids))).rows:
        when = FuzzyDate.from_bounds(*row[R_START_TEXT:R_UNCERTAIN + 1]).display()
        if row[R_END_LO] is not None:
            when += " – " + FuzzyDate.from_bounds(*row[R_END_TEXT:R_END_UNCERTAIN + 1]).display()
        out[row[R_ID]] = f"{row[R_TITLE]} — {when}"
    return out


def _density_runs(density: np.ndarray | None, pad: int = DENSITY_PAD) -> list[tuple[int, int]]:
    """[a, b) column ranges covering the density strip's non-zero columns, each widened by `pad`
    on both sides (a one-column run is too thin to point at), those that then touch merged, and
    cut into pieces of at most BUCKET_PX columns (a tooltip names the events of a stretch one
    can point at, not of the whole strip)."""
    if density is None:
        return []
    runs: list[tuple[int, int]] = []
    for c in _nz(density > 0).tolist():
        if runs and c - pad <= runs[-1][1]:
            runs[-1] = (runs[-1][0], c + 1 + pad)
        else:
            runs.append((c - pad, c + 1 + pad))
    return [(x, min(x + BUCKET_PX, b)) for a, b in runs for x in range(a, b, BUCKET_PX)]


def _not_drawn(dl, lane, vp) -> list[tuple[QRectF, str, np.ndarray]]:
    """The lane's events in the window that `dl` did not draw one by one, as (area, "here" or
    "more", event ids): per run of its density strip, the events whose likely point falls in
    it; for its "+N more" markers (area None here), the others. Events counted in no run (long
    spans) go to the markers, else to the nearest run."""
    xp = (lane.mid - vp.t0) * vp.px_per_s
    span = (lane.flags & FLAG_SPAN) > 0
    inside = ((xp >= -MARK_R) & (xp <= vp.width + MARK_R)) | (span & (lane.hi >= vp.t0) & (lane.lo <= vp.t1))
    inside[dl.idx] = False
    rest = _nz(inside)
    if not len(rest):
        return []
    col = np.floor(xp[rest])
    g = dl.geom
    out = []
    which = np.full(len(rest), -1, np.int64)
    runs = _density_runs(dl.density)
    if runs:
        starts = np.array([a for a, _b in runs])
        ends = np.array([b for _a, b in runs])
        r = np.searchsorted(starts, col, side="right") - 1
        ok = (r >= 0) & (col < ends[np.maximum(r, 0)])
        which[ok] = r[ok]
        if not dl.overflow and not ok.all():
            mids, c = (starts + ends) / 2, col[~ok]
            near = np.zeros(len(c), np.int64)
            if len(mids) > 1:
                j = np.clip(np.searchsorted(mids, c), 1, len(mids) - 1)
                near = np.where(c - mids[j - 1] <= mids[j] - c, j - 1, j)
            which[~ok] = near
        order = np.argsort(which, kind="stable")
        bounds = np.searchsorted(which[order], np.arange(len(runs) + 1))
        for n, (a, b) in enumerate(runs):
            out.append((QRectF(vp.x0 + a, g.y + 2, b - a, g.h - 4), "here",
                        lane.ids[rest[order[bounds[n]:bounds[n + 1]]]]))
    if dl.overflow:
        out.append((None, "more", lane.ids[rest[which < 0]]))
    return out


def event_hotspots(frame: Frame, data, record: dict, lanes_rect: QRectF) -> list[tuple[QRectF, str]]:
    """(area, tooltip) over what `frame` drew in `lanes_rect`: per event drawn, its mark (or bar)
    and its label, with "full title — date"; per run of a density strip and per "+N more"
    marker (`record`, as the painter filled it), the events they stand for, by date. Events
    whose likely point lies outside the window (shown only by their haze) get none."""
    vp = frame.viewport
    labels, overflow = record.get("labels", {}), record.get("overflow", {})
    drawn: list[tuple[QRectF, int]] = []
    groups: list[tuple[QRectF, str, list[int]]] = []
    for dl in frame.lanes:
        lane = data.lane(dl.geom.key)
        if lane is None or not len(lane):
            continue
        for eid, x0, x1, y0 in zip(dl.ids.tolist(), dl.x0.tolist(), dl.x1.tolist(), dl.y0.tolist()):
            area = QRectF(x0, y0, x1 - x0, ROW_H - 4)
            label = labels.get((eid, y0))
            drawn.append((area if label is None else area.united(label), eid))
        for area, kind, ids in _not_drawn(dl, lane, vp):
            if area is None:              # left out for lack of room: each marker names its own
                markers = overflow.get(dl.geom.key, [])
                for r, mine in markers:
                    groups.append((r, kind, np.asarray(mine).tolist()))
                if markers:               # and the first names those it counts nowhere else
                    counted = np.concatenate([np.asarray(m) for _r, m in markers])
                    extra = ids[~np.isin(ids, counted)]
                    if len(extra):
                        r, mine = markers[0]
                        groups[-len(markers)] = (r, kind, np.asarray(mine).tolist() + extra.tolist())
            elif len(ids):
                groups.append((area, kind, ids.tolist()))
    tips = event_tooltips(data.project, [e for _a, e in drawn] + [e for *_x, ids in groups for e in ids[:LIST_MAX]])
    out = []
    for area, kind, ids in groups:
        n = len(ids)
        if kind == "here":
            head = f"{n} events here: zoom in to see them" if n > 1 else "1 event here: zoom in to see it"
        else:
            head = f"{n} more event{'s' if n > 1 else ''} in this lane, not drawn for lack of room"
        lines = [tips.get(e, "") for e in ids[:LIST_MAX]]
        if n > LIST_MAX:
            lines.append(f"… and {n - LIST_MAX} more")
        out.append((area.intersected(lanes_rect), "\n".join([head, *lines])))
    # events drawn one by one come last, over the strips their labels may cross
    out += [(area.intersected(lanes_rect), tips.get(eid, "")) for area, eid in drawn]
    return [(area, tip) for area, tip in out if not area.isEmpty()]


def font_stack(*first: str) -> str:
    """A CSS font-family list: `first` (real families, not Qt's generic aliases), then
    FONT_STACK, then sans-serif."""
    names: list[str] = []
    for name in (*first, *FONT_STACK):
        if name.strip().lower() not in GENERIC_FAMILIES and name not in names:
            names.append(name)
    quoted = ["'" + n.replace("\\", "\\\\").replace("'", "\\'") + "'" for n in names]
    return ", ".join([*quoted, "sans-serif"])


def finish_svg(path: Path, size: tuple[int, int], hotspots: list[tuple[QRectF, str]], family: str) -> None:
    """Rewrite the SVG QSvgGenerator wrote at `path`: width and height in px with the matching
    viewBox, font-family as a CSS stack starting with `family` (the one Qt measured with), and
    `hotspots` as invisible rectangles, each in a group with its <title>, above the drawing;
    characters XML does not allow (control characters in a title) left out."""
    text = _NOT_XML.sub("", path.read_text(encoding="utf-8"))   # Qt writes control characters as they are
    w, h = size
    start = text.index("<svg")
    end = text.index(">", start)
    head = text[start:end]
    for name, value in (("width", f"{w}px"), ("height", f"{h}px"), ("viewBox", f"0 0 {w} {h}")):
        head, n = re.subn(rf'\b{name}="[^"]*"', f'{name}="{value}"', head, count=1)
        if not n:
            head += f' {name}="{value}"'

    def stack(m: re.Match) -> str:
        return 'font-family="' + escape(font_stack(family, unescape(m.group(1), {"&quot;": '"'})),
                                        {'"': "&quot;"}) + '"'

    def tag(m: re.Match) -> str:
        return re.sub(r'font-family="([^"]*)"', stack, m.group(0))

    body = re.sub(r"<[^>]*font-family=[^>]*>", tag, text[end:])
    shapes = ['<g id="event-titles">']
    for r, tip in hotspots:
        shapes.append(f'<g><title>{escape(_NOT_XML.sub("", tip))}</title>'
                      f'<rect x="{r.x():.1f}" y="{r.y():.1f}" width="{r.width():.1f}" height="{r.height():.1f}" '
                      f'fill="#ffffff" fill-opacity="0" stroke="none"/></g>')
    shapes.append("</g>\n")
    close = body.rindex("</svg>")
    body = body[:close] + "\n".join(shapes) + body[close:]
    path.write_text(text[:start] + head + body, encoding="utf-8")


def render_timeline_image(project, out_path: str | Path, lo: int | float | None = None,
                          hi: int | float | None = None, size: tuple[int, int] = (1600, 900),
                          title: str | None = None) -> ImageExport:
    """Render the timeline of `project` between `lo` and `hi` (seconds since the epoch; the whole
    project plus a margin when None) to PNG/SVG/PDF by the suffix of `out_path`."""
    from PySide6.QtGui import QGuiApplication

    from sijill.db.timeline.window import project_limits
    from sijill.desktop.hub import ProjectHub
    from sijill.desktop.timeline.lanes_model import TimelineData

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - keeps fonts usable
    hub = ProjectHub(project)
    data = TimelineData(hub)
    limits = project_limits(data.bounds())
    t0 = limits[0] if lo is None else float(lo)
    t1 = limits[1] if hi is None else float(hi)
    return export_timeline(data, out_path, t0, t1, size=size, title=title or project.title)
