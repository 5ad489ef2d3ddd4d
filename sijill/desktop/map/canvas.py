"""MapCanvas: the painted map widget, its pan, zoom, click selection and lasso.

Drag pans; the wheel and + / - zoom (about the cursor, or the centre for keys); a click selects
the event or cluster under it through the hub (Ctrl adds to the selection or removes); Shift+drag
draws a lasso that restricts the hub's filter, and so the timeline and the table, to the events
inside it (`area_drawn`); Escape or `clear_area` lifts that restriction. The area is the filter's
(`ViewFilter.area`, lon/lat): lifted from the filter bar or brought back by a saved view, it is
drawn or goes here too.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import QPainter, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from sijill.db.geo.map_data import ids_in_area, load_boundaries
from sijill.db.geo.projection import MapViewport
from sijill.desktop.widgets import theme
from sijill.desktop.map.export import fit_events
from sijill.desktop.map.layer import MapEvents
from sijill.desktop.map.painter import CELL, Drawn, MapPainter

KEY_ZOOM = 1.5
WHEEL_STEP = 1.0015       # zoom factor per eighth of a degree of wheel rotation
CLICK_SLOP = 4            # pixels a press may move and still be a click
TOOLTIP_MAX = 12          # event titles a tooltip lists
OWN_KEYS = (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Minus, Qt.Key.Key_Underscore, Qt.Key.Key_Escape)


class MapCanvas(QWidget):
    """Draws the map of `events`; the view (centre, scale) belongs to it alone."""

    area_drawn = Signal(list)       # lon/lat vertices of the lasso, after it filtered the hub

    def __init__(self, events: MapEvents, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.events = events
        self.hub = events.hub
        self.painter = MapPainter(load_boundaries())
        self.vp: MapViewport | None = None
        self.drawn: Drawn | None = None
        self._press: QPointF | None = None
        self._lasso: list[QPointF] | None = None
        self._panned = False
        self.setMinimumSize(200, 150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        events.changed.connect(self.update)
        self.hub.selection_changed.connect(lambda _ids: self.update())
        self.hub.filter_changed.connect(self._on_filter_changed)

    # ---- view ------------------------------------------------------------------------------
    def viewport(self) -> MapViewport:
        if self.vp is None:
            self.vp = fit_events(self.events.shown(), self.events, max(self.width(), 1), max(self.height(), 1))
        elif (self.vp.width, self.vp.height) != (self.width(), self.height()):
            self.vp = self.vp.resized(self.width(), self.height())
        return self.vp

    def fit(self) -> None:
        """Show every event the map shows now."""
        self.vp = None
        self.update()

    def zoom(self, factor: float, at: QPointF | None = None) -> None:
        at = at if at is not None else QPointF(self.width() / 2, self.height() / 2)
        self.vp = self.viewport().zoomed(factor, at.x(), at.y())
        self.update()

    def screen_of(self, lon: float, lat: float) -> QPointF:
        x, y = self.viewport().lonlat_to_screen(lon, lat)
        return QPointF(float(x), float(y))

    # ---- painting --------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        vp = self.viewport()
        qp = QPainter(self)
        lasso = None
        if self._lasso:
            lasso = QPolygonF(self._lasso)
        elif self.area:
            lasso = QPolygonF([self.screen_of(lon, lat) for lon, lat in self.area])
        self.drawn = self.painter.paint(qp, vp, self.events.shown(), set(self.hub.selection),
                                        dark=theme.current().dark, lasso=lasso, font=self.font(), cached=True)
        qp.end()

    # ---- hit-testing and selection ---------------------------------------------------------
    def cluster_at(self, pos: QPointF) -> list[int]:
        """Ids of the events of the mark or cluster under `pos` (nearest within a cell)."""
        if self.drawn is None:
            self.repaint()
        drawn = self.drawn
        if drawn is None or not len(drawn.clusters):
            return []
        d = np.hypot(drawn.clusters.x - pos.x(), drawn.clusters.y - pos.y())
        k = int(d.argmin())
        return drawn.members(k) if d[k] <= CELL * 0.75 else []

    def _click(self, pos: QPointF, modifiers) -> None:
        ids = self.cluster_at(pos)
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            current = self.hub.selection
            if ids and all(i in current for i in ids):
                self.hub.set_selection([i for i in current if i not in ids])
            else:
                self.hub.set_selection(current + ids)
        else:
            self.hub.set_selection(ids)

    # ---- the lasso -------------------------------------------------------------------------
    @property
    def area(self) -> list[tuple[float, float]] | None:
        """lon/lat of the lasso that filters (the hub's filter's), None when none does."""
        area = self.hub.filter.area
        return None if area is None else list(area)

    def apply_area(self, polygon: list[tuple[float, float]]) -> list[int]:
        """Restrict the hub's filter to the events (with coordinates) inside the lon/lat
        `polygon`; returns their ids. Found among the points the map holds (the hub would read
        them again: 0.1 s at 100k events)."""
        inside = ids_in_area(self.events.points, polygon).tolist()
        area = tuple((float(lon), float(lat)) for lon, lat in polygon)
        self.hub.set_filter(self.hub.filter.with_(area=area, event_ids=frozenset(inside)))
        self.area_drawn.emit(list(polygon))
        return inside

    def clear_area(self) -> None:
        self.hub.set_filter(self.hub.filter.without_area())

    def _on_filter_changed(self, _view_filter) -> None:
        self.update()       # the area drawn, lifted or brought back by a saved view

    # ---- mouse and keys --------------------------------------------------------------------
    def event(self, e) -> bool:
        """+ / - are the window's shortcuts for zooming the timeline: with the map focused, they
        zoom the map (the shortcut is overridden, the key comes to keyPressEvent)."""
        if (e.type() == QEvent.Type.ShortcutOverride and e.key() in OWN_KEYS
                and not e.modifiers() & Qt.KeyboardModifier.ControlModifier):
            e.accept()
            return True
        return super().event(e)

    def mousePressEvent(self, e) -> None:
        if e.button() != Qt.MouseButton.LeftButton:
            return
        self._press = e.position()
        self._panned = False
        if e.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self._lasso = [e.position()]

    def mouseMoveEvent(self, e) -> None:
        if self._press is None:
            self._hover(e)
            return
        pos = e.position()
        if self._lasso is not None:
            self._lasso.append(pos)
            self.update()
            return
        if self._panned or (pos - self._press).manhattanLength() > CLICK_SLOP:
            self.vp = self.viewport().panned(pos.x() - self._press.x(), pos.y() - self._press.y())
            self._press = pos
            self._panned = True
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
            self.update()

    def _hover(self, e) -> None:
        """The titles of the events under the pointer, as a tooltip (the first TOOLTIP_MAX)."""
        ids = self.cluster_at(e.position())
        if not ids:
            QToolTip.hideText()
            return
        titles = self.events.data.titles_for(ids[:TOOLTIP_MAX])
        lines = [titles.get(i, "") for i in ids[:TOOLTIP_MAX]]
        if len(ids) > TOOLTIP_MAX:
            lines.append(f"… and {len(ids) - TOOLTIP_MAX} more")
        head = f"{len(ids)} events here\n" if len(ids) > 1 else ""
        QToolTip.showText(e.globalPosition().toPoint(), head + "\n".join(lines), self)

    def mouseReleaseEvent(self, e) -> None:
        if self._press is None:
            return
        if self._lasso is not None:
            points, self._lasso = self._lasso + [e.position()], None
            if len(points) >= 3:
                vp = self.viewport()
                lon, lat = vp.screen_to_lonlat([p.x() for p in points], [p.y() for p in points])
                self.apply_area(list(zip(lon.tolist(), lat.tolist())))
            self.update()
        elif not self._panned:
            self._click(e.position(), e.modifiers())
        self._press = None
        self.unsetCursor()

    def wheelEvent(self, e) -> None:
        steps = e.angleDelta().y() or e.angleDelta().x()
        if steps:
            self.zoom(WHEEL_STEP ** steps, e.position())

    def keyPressEvent(self, e) -> None:
        key = e.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(KEY_ZOOM)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom(1 / KEY_ZOOM)
        elif key == Qt.Key.Key_Escape and self.area is not None:
            self.clear_area()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = 60
            dx = {Qt.Key.Key_Left: step, Qt.Key.Key_Right: -step}.get(key, 0)
            dy = {Qt.Key.Key_Up: step, Qt.Key.Key_Down: -step}.get(key, 0)
            self.vp = self.viewport().panned(dx, dy)
            self.update()
        else:
            super().keyPressEvent(e)
