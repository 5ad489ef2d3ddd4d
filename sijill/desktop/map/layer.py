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
from sijill.desktop.widgets import theme
from sijill.desktop.groups.palette import lane_color
from sijill.desktop.timeline.lanes_model import TimelineData


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
        self._style: tuple | None = None
        self.hub.events_changed.connect(self.reload)
        self.hub.events_removed.connect(self.reload)
        self.hub.project_reset.connect(self.reload)
        data.changed.connect(self._restyle)
        data.lanes_changed.connect(self._restyle)

    def reload(self, *_args) -> None:
        self.points = read_event_points(self.hub.project)
        self._world = mercator(self.points.lon, self.points.lat)
        self._restyle()

    def set_window(self, t0: float, t1: float) -> None:
        if self.window != (t0, t1):
            self.window = (t0, t1)
            self.changed.emit()

    def _restyle(self) -> None:
        """The data, the filter or the lanes changed: colours and roles are computed again."""
        self._style = None
        self.changed.emit()

    def _styled(self) -> tuple:
        """(lane index, role code) of every event with coordinates (-1: in no lane shown), the
        lanes' colours and names; computed once per change of data, filter or theme (not per
        window: the timeline's pan moves the window every frame). Vectorised over the lanes'
        arrays: an event takes the lane it has the lowest role code in, then the first lane."""
        colors = theme.current()
        if self._style is not None and self._style[0] == colors.name:
            return self._style[1:]
        pts = self.points
        infos = self.data.visible_infos()
        big = len(infos) + 1
        score = np.full(len(pts), len(ROLES) * big, np.int64)
        for n, info in enumerate(infos):
            lane = self.data.lane(info.key)
            if lane is None or not len(lane) or not len(pts):
                continue
            at = np.minimum(np.searchsorted(pts.ids, lane.ids), len(pts) - 1)
            hit = pts.ids[at] == lane.ids
            np.minimum.at(score, at[hit], np.minimum(lane.role[hit].astype(np.int64), len(ROLES) - 1) * big + n)
        shown = score < len(ROLES) * big
        color = np.where(shown, score % big, -1)
        role = np.where(shown, score // big, 0)
        palette = [colors.lane(lane_color(info, n)) for n, info in enumerate(infos)]
        self._style = (colors.name, color, role, palette, [info.name for info in infos])
        return self._style[1:]

    def shown(self) -> ShownEvents:
        """The events to draw now (see the module's docstring for which)."""
        color, role, palette, names = self._styled()
        keep = color >= 0             # in a lane shown, the filter applied (`TimelineData.lane`)
        if self.window is not None:
            keep &= self.points.in_window(*self.window)
        idx = np.flatnonzero(keep)
        return ShownEvents(self.points.ids[idx], self._world[0][idx], self._world[1][idx], color[idx], role[idx],
                           palette, names)

    def bounds(self) -> tuple[float, float, float, float] | None:
        """lon0, lat0, lon1, lat1 of every event with coordinates, None when there are none."""
        if not len(self.points):
            return None
        p = self.points
        return float(p.lon.min()), float(p.lat.min()), float(p.lon.max()), float(p.lat.max())
