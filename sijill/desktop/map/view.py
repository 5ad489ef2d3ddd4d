"""MapView: the map with its tool row (fit, clear the drawn area, play, export), following a timeline;
MapDock: the dock that holds it, built the first time it is shown (reading the boundaries and
building their paths takes most of a second, which a window that never shows the map should
not pay).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QDockWidget, QFileDialog, QHBoxLayout, QLabel, QMainWindow, QMessageBox, QSizePolicy,
                               QToolButton, QVBoxLayout, QWidget)

from sijill.db.geo.projection import MapViewport
from sijill.desktop.map.canvas import MapCanvas
from sijill.desktop.map.export import export_map
from sijill.desktop.map.layer import MapEvents
from sijill.desktop.map.player import TimePlayer
from sijill.desktop.timeline.lanes_model import TimelineData

EXPORT_FILTER = "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"


class MapView(QWidget):
    """Events with coordinates over country and province boundaries, in the window and filters of
    the timeline (`follow`), selection shared through the hub."""

    def __init__(self, data: TimelineData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.events = MapEvents(data, self)
        self.canvas = MapCanvas(self.events, self)
        self.canvas.setObjectName("map_canvas")
        self.fit_button = self._button("Fit", "Show every event on the map (the time window and filters applied)",
                                       self.canvas.fit)
        self.clear_button = self._button("Clear area", "Show the events outside the area drawn with Shift+drag "
                                         "again (Esc)", self.canvas.clear_area)
        self.export_button = self._button("Export…", "Save the map as PNG, SVG or PDF", lambda: self.export())
        self.play_button = self._button("Play", "Move the timeline's window forward step by step: the map follows",
                                        lambda on: self.player is not None and self.player.set_playing(on))
        self.play_button.setCheckable(True)
        self.play_button.setEnabled(False)
        self.player: TimePlayer | None = None
        self.status = QLabel(self)
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # a narrow dock cuts it
        row = QHBoxLayout()
        row.setContentsMargins(4, 2, 4, 2)
        for w in (self.fit_button, self.clear_button, self.play_button, self.export_button):
            row.addWidget(w)
        row.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(row)
        layout.addWidget(self.canvas, 1)
        self.events.changed.connect(self._update_status)
        data.hub.filter_changed.connect(lambda _f: self._update_status())
        self._update_status()

    def _button(self, text: str, tip: str, slot) -> QToolButton:
        b = QToolButton(self)
        b.setText(text)
        b.setToolTip(tip)
        b.setAutoRaise(True)
        b.clicked.connect(slot)
        return b

    def follow(self, timeline) -> None:
        """Show only the window of `timeline` (a TimelineView), now and as it moves."""
        self.events.set_window(*timeline.window())
        timeline.window_changed.connect(self.events.set_window)
        self.player = TimePlayer(timeline, self)
        self.player.playing_changed.connect(self._on_playing)
        self.play_button.setEnabled(True)

    def _on_playing(self, on: bool) -> None:
        self.play_button.setChecked(on)
        self.play_button.setText("Pause" if on else "Play")

    def _update_status(self) -> None:
        shown = len(self.events.shown())
        total = len(self.events.points)
        area = " inside the drawn area" if self.canvas.area else ""
        self.status.setText(f"{shown} of {total} events with coordinates{area}")
        self.status.setToolTip("Events without coordinates are not on the map. Shift+drag draws an area that "
                               "filters the timeline and the table; a click selects.")
        self.clear_button.setEnabled(self.canvas.area is not None)

    def export(self, path: str | Path | None = None, size: tuple[int, int] | None = None) -> Path | None:
        """Save the map as on screen; without a path, ask for one."""
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Export map", "map.png", EXPORT_FILTER)
            if not path:
                return None
        path = Path(path)
        if size is None:
            scale = 2 if path.suffix.lower() not in (".svg", ".pdf") else 1
            size = (self.canvas.width() * scale, self.canvas.height() * scale)
        vp = self.canvas.viewport()                   # the same area, at the size asked
        vp = MapViewport(vp.cx, vp.cy, vp.scale * size[0] / max(vp.width, 1), size[0], size[1])
        try:
            return export_map(self.events, path, size, vp=vp, title=self.events.hub.project.title,
                              painter=self.canvas.painter)
        except OSError as exc:
            QMessageBox.warning(self, "Export map", f"Could not write {path}: {exc}")
            return None


class MapDock(QDockWidget):
    """View ▸ Map: a dock whose MapView is made when first shown. The first time the analyst shows
    it, it becomes a tab of `beside` (the event pane: the right column's height, not a strip under
    it); tabbed before that, its hidden tab would unsettle the docks' first layout."""

    def __init__(self, timeline, parent: QWidget | None = None, beside: QDockWidget | None = None) -> None:
        super().__init__("Map", parent)
        self.setObjectName("map_dock")
        self.timeline = timeline
        self.beside = beside
        self.view: MapView | None = None
        self.setWidget(QLabel("", self))
        self.visibilityChanged.connect(self._on_visible)
        self.toggleViewAction().triggered.connect(self._on_toggled)

    def _on_visible(self, visible: bool) -> None:
        if visible and self.view is None:
            self.ensure_view()

    def _on_toggled(self, on: bool) -> None:
        if not on:
            return
        window = self.parentWidget()
        if (self.beside is not None and isinstance(window, QMainWindow) and not self.isFloating()
                and self.beside.isVisible() and not window.tabifiedDockWidgets(self)):
            window.tabifyDockWidget(self.beside, self)
        self.raise_()                                   # its tab to the front

    def ensure_view(self) -> MapView:
        if self.view is None:
            self.view = MapView(self.timeline.data, self)
            self.view.follow(self.timeline)
            self.setWidget(self.view)
        return self.view
