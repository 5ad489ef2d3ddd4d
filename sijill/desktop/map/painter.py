"""MapPainter: one frame of the map on any QPainter (the widget, a PNG, an SVG, a PDF).

Boundaries are QPainterPaths in world (Web Mercator) coordinates, built once per feature and drawn
through the viewport's transform with cosmetic pens; a feature outside the view is skipped by
its bounding box. Labels: country names while a country is wide enough on screen for its name,
province names once the map is zoomed in past `ADMIN1_SCALE`; a label that would overlap one
already placed is left out. Events are clustered on a `CELL`-pixel grid: a lone event is a mark
in its lane's colour and role (actor filled, target hollow, associated pale, mentioned a dot),
a cluster a disc with its count, coloured by its most frequent lane.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen, QPolygonF, QTransform

from sijill.db.geo.clusters import Clusters, cluster_points
from sijill.db.geo.map_data import Boundaries, Feature
from sijill.db.geo.projection import MapViewport
from sijill.desktop.map.layer import ShownEvents

CELL = 26.0               # pixels: events closer than about this are drawn as one cluster
ADMIN1_SCALE = 5000.0     # pixels per world unit past which provinces are drawn and named
MARK_R = 5.0
HALO = ((-1, 0), (1, 0), (0, -1), (0, 1))

MAP_COLORS = {            # light, dark
    "sea": ("#dfe9f2", "#1a2430"),
    "land": ("#f7f5ef", "#2a2e34"),
    "border": ("#8c8f94", "#7b838d"),
    "admin1": ("#c3c6cb", "#4a515b"),
    "country_text": ("#55585d", "#b8c0c9"),
    "admin1_text": ("#7d8187", "#8d96a0"),
    "halo": ("#f7f5ef", "#2a2e34"),
    "selected": ("#1f3d66", "#ffd24a"),
    "lasso": ("#1f6fd1", "#6fb1ff"),
}


def map_color(name: str, dark: bool) -> QColor:
    return QColor(MAP_COLORS[name][1 if dark else 0])


def feature_path(feature: Feature) -> QPainterPath:
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for ring in feature.world:
        path.addPolygon(QPolygonF([QPointF(x, y) for x, y in ring.tolist()]))
        path.closeSubpath()
    return path


@dataclass
class Drawn:
    """What the last frame put on screen, for hit-testing: clusters in screen pixels and the ids
    of the events each holds."""

    clusters: Clusters
    ids: np.ndarray

    def members(self, k: int) -> list[int]:
        return self.ids[self.clusters.members(k)].tolist()


class MapPainter:
    """Paints boundaries, labels, events and the lasso; keeps the paths it built."""

    def __init__(self, boundaries: Boundaries) -> None:
        self.boundaries = boundaries
        self._countries = [(f, f.bbox, feature_path(f)) for f in boundaries.countries]
        self._admin1 = [(f, f.bbox, feature_path(f)) for f in boundaries.admin1]
        self._base: tuple | None = None     # (view, colours, font, ratio) -> image of the boundaries

    def paint(self, qp: QPainter, vp: MapViewport, events: ShownEvents | None, selected: set[int],
              dark: bool = False, lasso: QPolygonF | None = None, font: QFont | None = None,
              cached: bool = False) -> Drawn:
        """Paint a frame. `cached` (the screen): the boundaries and their labels are kept as an
        image until the view, the colours or the font change, so that a frame that only moves
        the time window (the timeline's pan, every frame) repaints only the events."""
        font = QFont(font) if font is not None else QFont()
        qp.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if cached:
            dpr = qp.device().devicePixelRatioF()
            key = (vp, dark, font.key(), dpr)
            if self._base is None or self._base[0] != key:
                img = QImage(int(vp.width * dpr), int(vp.height * dpr), QImage.Format.Format_ARGB32_Premultiplied)
                img.setDevicePixelRatio(dpr)
                base = QPainter(img)
                base.setRenderHint(QPainter.RenderHint.Antialiasing, True)
                self._paint_base(base, vp, dark, font)
                base.end()
                self._base = (key, img)
            qp.drawImage(0, 0, self._base[1])
        else:
            self._paint_base(qp, vp, dark, font)
        drawn = self._events(qp, vp, events, selected, dark, font)
        if lasso is not None and len(lasso) > 1:
            c = map_color("lasso", dark)
            fill = QColor(c)
            fill.setAlpha(40)
            qp.setPen(QPen(c, 1.5, Qt.PenStyle.DashLine))
            qp.setBrush(fill)
            qp.drawPolygon(lasso)
        if events is not None and len(drawn.ids):
            self._legend(qp, vp, events, dark, font)
        self._credit(qp, vp, dark, font)
        return drawn

    def _paint_base(self, qp: QPainter, vp: MapViewport, dark: bool, font: QFont) -> None:
        """Sea, land, province and country boundaries, and the names that fit."""
        qp.fillRect(QRectF(0, 0, vp.width, vp.height), map_color("sea", dark))
        view = self._view_box(vp)
        countries = [(f, p) for f, b, p in self._countries if _overlaps(b, view)]
        provinces = [(f, p) for f, b, p in self._admin1 if _overlaps(b, view)] if vp.scale >= ADMIN1_SCALE else []
        qp.save()
        qp.setTransform(QTransform(vp.scale, 0, 0, vp.scale, vp.width / 2 - vp.cx * vp.scale,
                                   vp.height / 2 - vp.cy * vp.scale), True)
        qp.setPen(Qt.PenStyle.NoPen)
        qp.setBrush(map_color("land", dark))
        for _f, path in countries:
            qp.drawPath(path)
        qp.setBrush(Qt.BrushStyle.NoBrush)
        pen = QPen(map_color("admin1", dark), 0.8)
        pen.setCosmetic(True)
        qp.setPen(pen)
        for _f, path in provinces:
            qp.drawPath(path)
        pen = QPen(map_color("border", dark), 1.1)
        pen.setCosmetic(True)
        qp.setPen(pen)
        for _f, path in countries:
            qp.drawPath(path)
        qp.restore()
        self._labels(qp, vp, countries, provinces, dark, font)

    @staticmethod
    def _view_box(vp: MapViewport) -> tuple[float, float, float, float]:
        x0, y0 = vp.to_world(0, 0)
        x1, y1 = vp.to_world(vp.width, vp.height)
        return float(x0), float(y0), float(x1), float(y1)

    # ---- labels ----------------------------------------------------------------------------
    def _labels(self, qp: QPainter, vp: MapViewport, countries, provinces, dark: bool, font: QFont) -> None:
        placed: list[QRectF] = []
        country_font = QFont(font)
        country_font.setPointSizeF(max(font.pointSizeF(), 8.0) * 1.05)
        country_font.setBold(True)
        country_font.setCapitalization(QFont.Capitalization.AllUppercase)
        country_font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
        province_font = QFont(font)
        province_font.setPointSizeF(max(font.pointSizeF(), 8.0) * 0.92)
        province_font.setItalic(True)
        by_width = sorted(countries, key=lambda fp: -(fp[0].bbox[2] - fp[0].bbox[0]))
        for feature, _p in by_width:
            self._label(qp, vp, feature, country_font, map_color("country_text", dark), dark, placed, 0.7)
        for feature, _p in sorted(provinces, key=lambda fp: -(fp[0].bbox[2] - fp[0].bbox[0])):
            self._label(qp, vp, feature, province_font, map_color("admin1_text", dark), dark, placed, 0.9)

    def _label(self, qp, vp, feature: Feature, font: QFont, color: QColor, dark: bool, placed: list,
               fit: float) -> None:
        """Write `feature`'s name at its label point when the feature is at least `fit` times as
        wide on screen as the name and the name overlaps no label already placed."""
        fm = QFontMetricsF(font)
        w = fm.horizontalAdvance(feature.name)
        if (feature.bbox[2] - feature.bbox[0]) * vp.scale < w * fit:
            return
        sx, sy = vp.lonlat_to_screen(*feature.label)
        rect = QRectF(float(sx) - w / 2, float(sy) - fm.height() / 2, w, fm.height())
        if not QRectF(0, 0, vp.width, vp.height).contains(rect) or any(rect.intersects(r) for r in placed):
            return
        placed.append(rect.adjusted(-4, -2, 4, 2))
        qp.setFont(font)
        base = QPointF(rect.left(), rect.top() + fm.ascent())
        qp.setPen(map_color("halo", dark))              # a halo of the land's colour: text over borders
        for dx, dy in HALO:
            qp.drawText(base + QPointF(dx, dy), feature.name)
        qp.setPen(color)
        qp.drawText(base, feature.name)

    # ---- events ----------------------------------------------------------------------------
    def _events(self, qp: QPainter, vp: MapViewport, events: ShownEvents | None, selected: set[int],
                dark: bool, font: QFont) -> Drawn:
        if events is None or not len(events):
            return Drawn(cluster_points([], [], CELL), np.empty(0, np.int64))
        sx, sy = vp.to_screen(events.x, events.y)
        on = (sx > -CELL) & (sx < vp.width + CELL) & (sy > -CELL) & (sy < vp.height + CELL)
        ids = events.ids[on]
        clusters = cluster_points(sx[on], sy[on], CELL, vp.to_screen(0.0, 0.0))
        color, role = events.color[on], events.role[on]
        chosen = np.isin(ids, np.fromiter(selected, np.int64, len(selected))) if selected else np.zeros(len(ids), bool)
        ring = QPen(map_color("selected", dark), 2.5)
        count_font = QFont(font)
        count_font.setBold(True)
        count_font.setPointSizeF(max(font.pointSizeF(), 8.0) * 0.9)
        qp.setFont(count_font)
        for k in range(len(clusters)):
            members = clusters.members(k)
            at = QPointF(float(clusters.x[k]), float(clusters.y[k]))
            hit = bool(chosen[members].any())
            if len(members) == 1:
                i = members[0]
                self._mark(qp, at, events.colors[color[i]], int(role[i]))
                if hit:
                    qp.setPen(ring)
                    qp.setBrush(Qt.BrushStyle.NoBrush)
                    qp.drawEllipse(at, MARK_R + 3.5, MARK_R + 3.5)
                continue
            main = np.bincount(color[members]).argmax()
            c = QColor(events.colors[main])
            r = min(8.0 + 2.2 * math.log2(len(members)), CELL * 0.65)
            qp.setPen(QPen(c.darker(140), 1.2))
            qp.setBrush(c)
            qp.drawEllipse(at, r, r)
            if hit:
                qp.setPen(ring)
                qp.setBrush(Qt.BrushStyle.NoBrush)
                qp.drawEllipse(at, r + 3, r + 3)
            qp.setPen(QColor("#ffffff") if c.lightnessF() < 0.62 else QColor("#111111"))
            qp.drawText(QRectF(at.x() - r, at.y() - r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter,
                        str(len(members)))
        return Drawn(clusters, ids)

    @staticmethod
    def _mark(qp: QPainter, at: QPointF, color: QColor, role: int) -> None:
        if role == 0:                              # actor: filled
            qp.setPen(QPen(color.darker(150), 1.2))
            qp.setBrush(color)
            qp.drawEllipse(at, MARK_R, MARK_R)
        elif role == 1:                            # target: hollow
            qp.setPen(QPen(color, 2.4))
            qp.setBrush(QColor(255, 255, 255, 200))
            qp.drawEllipse(at, MARK_R, MARK_R)
        elif role == 2:                            # associated: pale, striped
            pale = QColor(color)
            pale.setAlpha(90)
            qp.setPen(QPen(color, 1.2))
            qp.setBrush(pale)
            qp.drawEllipse(at, MARK_R, MARK_R)
            qp.setBrush(QBrush(color, Qt.BrushStyle.BDiagPattern))
            qp.drawEllipse(at, MARK_R, MARK_R)
        else:                                      # mentioned: a small dot
            qp.setPen(Qt.PenStyle.NoPen)
            qp.setBrush(color)
            qp.drawEllipse(at, 2.5, 2.5)

    def _legend(self, qp: QPainter, vp: MapViewport, events: ShownEvents, dark: bool, font: QFont) -> None:
        """The lanes of the events shown, with their colours, and the roles' marks: bottom left."""
        used = np.unique(events.color).tolist()[:12]
        small = QFont(font)
        small.setPointSizeF(max(font.pointSizeF(), 8.0) * 0.85)
        fm = QFontMetricsF(small)
        rows = [events.names[i] for i in used]
        roles = ("actor", "target", "associated", "mentioned")
        w = max([fm.horizontalAdvance(r) for r in rows] + [fm.horizontalAdvance("  ".join(roles)) + 60]) + 28
        line = fm.height() + 3
        h = line * (len(rows) + 1) + 10
        if h > vp.height * 0.4 or w > vp.width * 0.5:      # a small map keeps its room for the map
            return
        box = QRectF(8, vp.height - h - 8, w, h)
        veil = map_color("halo", dark)
        veil.setAlpha(225)
        qp.setPen(QPen(map_color("admin1", dark), 1))
        qp.setBrush(veil)
        qp.drawRoundedRect(box, 4, 4)
        qp.setFont(small)
        y = box.top() + 5
        for i, name in zip(used, rows):
            qp.setPen(QPen(events.colors[i].darker(150), 1))
            qp.setBrush(events.colors[i])
            qp.drawEllipse(QPointF(box.left() + 12, y + line / 2), 4.5, 4.5)
            qp.setPen(map_color("country_text", dark))
            qp.drawText(QRectF(box.left() + 22, y, w - 24, line), Qt.AlignmentFlag.AlignVCenter, name)
            y += line
        x = box.left() + 12
        grey = map_color("country_text", dark)
        for role, text in enumerate(roles):
            self._mark(qp, QPointF(x, y + line / 2), grey, role)
            qp.setPen(grey)
            qp.drawText(QRectF(x + 8, y, 200, line), Qt.AlignmentFlag.AlignVCenter, text)
            x += 16 + fm.horizontalAdvance(text) + 8

    def _credit(self, qp: QPainter, vp: MapViewport, dark: bool, font: QFont) -> None:
        small = QFont(font)
        small.setPointSizeF(max(font.pointSizeF(), 8.0) * 0.8)
        qp.setFont(small)
        qp.setPen(map_color("admin1_text", dark))
        qp.drawText(QRectF(0, 0, vp.width - 6, vp.height - 4),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, "Boundaries: Natural Earth")


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] <= b[2] and a[2] >= b[0] and a[1] <= b[3] and a[3] >= b[1]
