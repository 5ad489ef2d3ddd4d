"""MapEvents: the events the map shows, as arrays, kept in step with the timeline and the hub.

An event is shown when it has coordinates, overlaps the time window the map follows (the
timeline's, or the one given to a screenshot), passes the hub's filters (`TimelineData.allowed`,
which includes an area drawn on the map) and belongs to a lane the group filter keeps. It is drawn
in the colour of its lane, the first it is an actor of (else its first link), and in that role.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor

from sijill.db.geo.map_data import EventPoints, read_event_points
from sijill.db.geo.projection import mercator
from sijill.db.timeline.lanes import ROLES
from sijill.desktop import theme
from sijill.desktop.timeline.frame import lane_color
from sijill.desktop.timeline.model import TimelineData


@dataclass(frozen=True)
class ShownEvents:
    """What one frame draws: ids, world coordinates, a colour index into `colors` and a role code
    (a position in ROLES: actor, target, associated, mentioned)."""

    ids: np.ndarray
    x: np.ndarray
    y: np.ndarray
    color: np.ndarray
    role: np.ndarray
    colors: list[QColor]
    names: list[str]      # the lane name of each colour

    def __len__(self) -> int:
        return len(self.ids)


class MapEvents(QObject):
    """The events with coordinates of one project; `changed` when what is shown changes."""

    changed = Signal()

    def __init__(self, data: TimelineData, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data = data
        self.hub = data.hub
        self.window: tuple[float, float] | None = None
        self.points: EventPoints = read_event_points(self.hub.project)
        self._world = mercator(self.points.lon, self.points.lat)
        self.hub.events_changed.connect(self.reload)
        self.hub.events_removed.connect(self.reload)
        self.hub.project_reset.connect(self.reload)
        data.changed.connect(self.changed)
        data.lanes_changed.connect(self.changed)

    def reload(self, *_args) -> None:
        self.points = read_event_points(self.hub.project)
        self._world = mercator(self.points.lon, self.points.lat)
        self.changed.emit()

    def set_window(self, t0: float, t1: float) -> None:
        if self.window != (t0, t1):
            self.window = (t0, t1)
            self.changed.emit()

    def shown(self) -> ShownEvents:
        """The events to draw now (see the module's docstring for which)."""
        pts = self.points
        keep = np.ones(len(pts), bool) if self.window is None else pts.in_window(*self.window)
        if self.data.allowed is not None:
            keep &= np.isin(pts.ids, self.data.allowed)
        infos = self.data.visible_infos()
        colors = theme.current()
        lane_index = {info.key: n for n, info in enumerate(infos)}
        palette = [colors.lane(lane_color(info, n)) for n, info in enumerate(infos)]
        links = self.data.lanes.event_lanes
        idx = np.flatnonzero(keep)
        color = np.full(len(idx), -1, np.int64)
        role = np.zeros(len(idx), np.int64)
        for j, eid in enumerate(pts.ids[idx].tolist()):
            best = None
            for key, r in links.get(eid, ()):
                if key in lane_index and (best is None or r < best[1]):
                    best = (key, r)
            if best is not None:
                color[j], role[j] = lane_index[best[0]], min(best[1], len(ROLES) - 1)
        ok = color >= 0
        idx = idx[ok]
        return ShownEvents(pts.ids[idx], self._world[0][idx], self._world[1][idx], color[ok], role[ok], palette,
                           [info.name for info in infos])

    def bounds(self) -> tuple[float, float, float, float] | None:
        """lon0, lat0, lon1, lat1 of every event with coordinates, None when there are none."""
        if not len(self.points):
            return None
        p = self.points
        return float(p.lon.min()), float(p.lat.min()), float(p.lon.max()), float(p.lat.max())
