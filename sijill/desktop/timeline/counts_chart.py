"""CountsChart: events per day, week or month under the timeline, in step with its window and filters.

Follows a `TimelineView`: its window (the bars line up with the canvas above), its filters (the
lanes the group filter shows, the events the other filters and the search let through, via
`TimelineData`), collapsed lanes (a collapsed group's sub-groups count in it). Bars are stacked
by group in the lanes' colours, by top-level group, by event type, or not at all; the part of a
bar made of events dated more coarsely than the bin is hatched. Hover shows a bin's counts, a
click selects its events (the hub's shared selection: timeline and table), a drag sets the
timeline's window. The context menu chooses bins and stacks and exports PNG, SVG or CSV.

The stacks' series are built once per data or filter change; a zoom or pan only re-bins them, when
the chart is painted (it follows the window by `update()`): it cuts the window's bins from the
counts of a stretch three windows wide (`sijill.db.timeline.bins.WindowCounter`), counted again
when the window leaves it, and draws their bars from rectangles made once per stretch
(`counts_render.BarLayer`).
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QActionGroup, QColor, QPainter
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QSizePolicy, QToolTip, QWidget

from sijill.db.timeline.bins import (UNITS, Series, WindowCounter, auto_unit, ids_in_bin, rolled_up, series_of,
                                     stacks_by_lane, stacks_by_type)
from sijill.desktop.widgets import theme
from sijill.desktop.groups.palette import PALETTE
from sijill.desktop.timeline.counts_render import BarLayer, ChartData, bin_text, export_chart, paint_chart
from sijill.desktop.groups.palette import lane_color

STACKS = {"group": "By &group", "top": "By &top-level group", "type": "By event &type", "none": "&None (all events)"}
DRAG_PX = 4
PLOT_MIN_LEFT = 40    # room for the scale when the chart is not under a canvas


class CountsChart(QWidget):
    """The counts chart of one `TimelineView` (`unit`: "auto", "day", "week" or "month";
    `stack_by`: one of STACKS)."""

    def __init__(self, view, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.canvas = view.canvas
        self.data = view.data
        self.hub = view.hub
        self.unit = "auto"
        self.stack_by = "group"
        self.hover_bin: int | None = None
        self.hover_text = ""
        self.menu: QMenu | None = None          # the context menu last shown
        self._series: tuple[list[Series], Series, list[str], list[QColor]] | None = None
        self._made: tuple = ()
        self._chart: ChartData | None = None
        self._chart_key = None
        self._counter: WindowCounter | None = None     # counts of the series `_counted`, per unit
        self._counted: tuple | None = None
        self._bars: dict[str, BarLayer] = {}           # per unit, the bars of the counter's stretch
        self._type_ids: dict[str, np.ndarray] | None = None
        self._collapsed = frozenset(self.canvas.collapsed)
        self._press: tuple[float, float] | None = None    # x pressed, x now
        self.setMinimumHeight(90)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMouseTracking(True)
        self.canvas.window_changed.connect(lambda *_: self.update())
        self.data.changed.connect(self.invalidate)
        self.data.lanes_changed.connect(self.invalidate)
        self.canvas.geometry_changed.connect(self._on_geometry)
        self.hub.events_changed.connect(self._forget_types)
        self.hub.events_removed.connect(self._forget_types)
        self.hub.project_reset.connect(self._forget_types)

    def sizeHint(self) -> QSize:
        return QSize(600, 150)

    # ---- what is counted -----------------------------------------------------------------------
    def invalidate(self) -> None:
        """Something drawn may have changed: re-bin at the next paint (and rebuild the series if
        what they are made of changed)."""
        self._chart = None
        self.update()

    def _forget_types(self, *_args) -> None:
        self._type_ids = None
        self.invalidate()

    def _on_geometry(self) -> None:
        collapsed = frozenset(self.canvas.collapsed)
        if collapsed != self._collapsed:
            self._collapsed = collapsed
            self.invalidate()
        else:
            self.update()      # the canvas moved or resized: the bars follow it

    def set_unit(self, unit: str) -> None:
        """"auto" (from the zoom) or one of day, week, month."""
        if unit != self.unit:
            self.unit = unit
            self._chart = None
            self.update()

    def set_stack_by(self, how: str) -> None:
        if how != self.stack_by:
            self.stack_by = how
            self.invalidate()

    def series(self) -> tuple[list[Series], Series, list[str], list[QColor]]:
        """(stacks, all events, stack names, stack colours) as the timeline shows them now; built
        again only when what they are made of changed (the data also announces a new selection)."""
        made_of = self._made_of()
        if self._series is None or len(made_of) != len(self._made) or any(
                a is not b for a, b in zip(made_of, self._made)):
            self._series = self._build_series()
            self._made = self._made_of()          # after: the build may have read the types
            self._chart = None
        return self._series

    def _made_of(self) -> tuple:
        """The objects the series are built from: each shown lane's id array (replaced when the
        lane changes), the lane list, the search's matches, the stacking, collapsed lanes, theme."""
        arrays = tuple(getattr(self.data.lane(i.key), "ids", None) for i in self.data.visible_infos())
        return (*arrays, self.data.infos, self.data.matches, self.stack_by, self._collapsed,
                theme.current().name, self._type_ids)

    def _build_series(self):
        infos = self.data.visible_infos()
        lanes = {i.key: self.data.lane(i.key) for i in infos}
        matches = self.data.matches       # a search keeps only its matches, as the table does
        total = series_of("all", lanes.values()).subset(matches)
        if self.stack_by == "type":
            stacks = stacks_by_type(total, self._types())
            names = [str(s.key) for s in stacks]
            return stacks, total, names, [QColor(PALETTE[i % len(PALETTE)]) for i in range(len(stacks))]
        if self.stack_by == "none":
            return [], total, [], [theme.current().color("accent")]
        order = [i.key for i in infos]
        parent_of = {i.key: i.parent for i in infos}
        into = set(self.canvas.collapsed)
        if self.stack_by == "top":
            into |= {i.key for i in infos if i.parent not in parent_of}
        members = rolled_up(order, parent_of, into)
        stacks = [s.subset(matches) for s in stacks_by_lane(lanes, members)]
        by_key = {i.key: (n, i) for n, i in enumerate(infos)}
        names = [by_key[s.key][1].name for s in stacks]
        colors = [theme.current().lane(lane_color(by_key[s.key][1], by_key[s.key][0])) for s in stacks]
        return stacks, total, names, colors

    def _types(self) -> dict[str, np.ndarray]:
        if self._type_ids is None:
            project = self.hub.project
            self._type_ids = {t: np.array(sorted(project.event_ids_matching(event_types=[t])), np.int64)
                              for t in project.event_types()}
        return self._type_ids

    # ---- geometry --------------------------------------------------------------------------------
    def plot_span(self) -> tuple[float, float]:
        """(x of t0, width to t1) in this widget: under the canvas when both are in one window
        (the bars line up with the timeline), else the widget less room for the scale."""
        if self.canvas.isVisible() and self.canvas.window() is self.window():
            x0 = self.canvas.mapTo(self.window(), QPoint(0, 0)).x() - self.mapTo(self.window(), QPoint(0, 0)).x()
            w = self.canvas.width()
            if x0 >= 0 and x0 + w <= self.width() + 1:
                return float(x0), float(w)
        return float(PLOT_MIN_LEFT), float(max(self.width() - PLOT_MIN_LEFT - 8, 1))

    def current_unit(self) -> str:
        if self.unit != "auto":
            return self.unit
        return auto_unit(self.canvas.t0, self.canvas.t1, self.plot_span()[1])

    def chart(self) -> ChartData:
        """The bins of the window now (re-binned when the window, bin or data changed: cut from
        the counts of a wider stretch, counted again when the series change or the window leaves
        the stretch)."""
        t0, t1 = self.canvas.t0, self.canvas.t1
        unit = self.current_unit()
        key = (t0, t1, unit)
        if self._chart is None or self._chart_key != key:
            series = self.series()
            stacks, total, names, colors = series
            if self._counter is None or self._counted is not series:
                self._counter, self._counted, self._bars = WindowCounter(stacks, total), series, {}
            stretch, a, b = self._counter.count(unit, t0, t1)
            bars = self._bars.get(unit)
            if bars is None or bars.counts is not stretch:
                bars = self._bars[unit] = BarLayer(stretch, colors)
            self._chart = ChartData(stretch.sliced(a, b), names, colors, t0, t1, bars, a)
            self._chart_key = key
        return self._chart

    def bin_spans(self) -> list[tuple[float, float]]:
        """Each bin's (x0, x1) in this widget (beyond the plot for bins the window cuts)."""
        x0, w = self.plot_span()
        edges = self.chart().counts.edges
        t0, t1 = self.canvas.t0, self.canvas.t1
        xs = (x0 + (edges - t0) / max(t1 - t0, 1e-9) * w).tolist()
        return list(zip(xs[:-1], xs[1:]))

    def bin_at(self, x: float) -> int | None:
        x0, w = self.plot_span()
        if not (x0 <= x <= x0 + w):
            return None
        for i, (a, b) in enumerate(self.bin_spans()):
            if a <= x < b:
                return i
        return None

    def _time_at(self, x: float) -> float:
        x0, w = self.plot_span()
        return self.canvas.t0 + (x - x0) / max(w, 1) * (self.canvas.t1 - self.canvas.t0)

    # ---- painting ----------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        qp = QPainter(self)
        x0, w = self.plot_span()
        band = self._press if self._press and abs(self._press[1] - self._press[0]) >= DRAG_PX else None
        paint_chart(qp, QRectF(self.rect()), x0, w, self.chart(), self.hover_bin, band)
        qp.end()

    # ---- mouse -------------------------------------------------------------------------------------
    def mouseMoveEvent(self, e) -> None:
        x = e.position().x()
        if self._press is not None:
            self._press = (self._press[0], x)
            self.update()
            return
        i = self.bin_at(x)
        if i != self.hover_bin:
            self.hover_bin = i
            self.update()
        self.hover_text = bin_text(self.chart(), i) if i is not None else ""
        if not self.hover_text:
            QToolTip.hideText()

    def event(self, e) -> bool:
        if e.type() == QEvent.Type.ToolTip:       # the hovered bin's counts, where the mouse rests
            i = self.bin_at(e.pos().x())
            if i is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(e.globalPos(), bin_text(self.chart(), i), self)
            return True
        return super().event(e)

    def leaveEvent(self, e) -> None:
        self.hover_bin = None
        self.hover_text = ""
        self.update()

    def mousePressEvent(self, e) -> None:
        if e.button() == Qt.MouseButton.LeftButton:
            x = e.position().x()
            self._press = (x, x)

    def mouseReleaseEvent(self, e) -> None:
        if e.button() != Qt.MouseButton.LeftButton or self._press is None:
            return
        a, b = self._press[0], e.position().x()
        self._press = None
        self.update()
        if abs(b - a) >= DRAG_PX:        # a drag: the timeline shows the range dragged
            self.canvas.set_window(*sorted((self._time_at(a), self._time_at(b))))
            return
        i = self.bin_at(b)
        if i is not None:
            self.select_bin(i)

    def select_bin(self, i: int) -> list[int]:
        """Select the events counted in bin `i` (in the timeline and the table); returns them."""
        chart = self.chart()
        _stacks, total, _names, _colors = self.series()
        ids = ids_in_bin(total, chart.counts.edges, i).tolist()
        if ids:
            self.hub.set_selection(ids)
        return ids

    # ---- menu and export -----------------------------------------------------------------------------
    def contextMenuEvent(self, e) -> None:
        self.menu = self.build_menu()
        self.menu.popup(e.globalPos())

    def build_menu(self) -> QMenu:
        menu = QMenu(self)
        bins = menu.addMenu("&Bins")
        group = QActionGroup(bins)
        for unit in ("auto", *UNITS):
            label = "&Automatic (from the zoom)" if unit == "auto" else f"Per &{unit}"
            act = bins.addAction(label, lambda u=unit: self.set_unit(u))
            act.setCheckable(True)
            act.setChecked(self.unit == unit)
            group.addAction(act)
        stacks = menu.addMenu("&Stacks")
        group = QActionGroup(stacks)
        for how, label in STACKS.items():
            act = stacks.addAction(label, lambda h=how: self.set_stack_by(h))
            act.setCheckable(True)
            act.setChecked(self.stack_by == how)
            group.addAction(act)
        menu.addSeparator()
        menu.addAction("Export chart as &PNG…", lambda: self.export_dialog("png"))
        menu.addAction("Export chart as &SVG…", lambda: self.export_dialog("svg"))
        menu.addAction("Export counts as &CSV…", lambda: self.export_dialog("csv"))
        return menu

    def export(self, path: str, size: tuple[int, int] = (1400, 360)) -> None:
        """Write the chart as shown (window, bins, stacks) to PNG, SVG or CSV, by the suffix."""
        export_chart(self.chart(), path, size, title=self.hub.project.title)

    def export_dialog(self, kind: str) -> None:
        names = {"png": "PNG image (*.png)", "svg": "SVG image (*.svg)", "csv": "CSV table (*.csv)"}
        path, _ = QFileDialog.getSaveFileName(self, "Export the counts chart", f"counts.{kind}", names[kind])
        if not path:
            return
        if not path.lower().endswith(f".{kind}"):
            path += f".{kind}"
        try:
            self.export(path)
        except OSError as exc:
            QMessageBox.warning(self, "Export the counts chart", f"Could not write {path}: {exc}")
