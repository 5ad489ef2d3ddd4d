"""TimePlayer: plays the timeline's window forward, so that the map (which follows the window)
shows a campaign unfold. Each tick moves the window by STEP of its width, keeping its width;
playing stops at the end of the project, or when asked. Started at the end, it starts over from
the beginning.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

STEP = 1 / 12          # of the window's width per tick
TICK_MS = 200


class TimePlayer(QObject):
    """Moves `timeline`'s window (a TimelineView) forward on a timer; `playing_changed(bool)`."""

    playing_changed = Signal(bool)

    def __init__(self, timeline, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timeline = timeline
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.step)

    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def set_playing(self, on: bool) -> None:
        if on == self.playing:
            return
        if on:
            t0, t1 = self.timeline.window()
            start, end = self.timeline.canvas.limits
            if t1 >= end:                                   # at the end: from the beginning
                self.timeline.set_window(start, start + (t1 - t0))
            self.timer.start()
        else:
            self.timer.stop()
        self.playing_changed.emit(on)

    def step(self) -> None:
        """One tick: the window forward by STEP of its width, no further than the project's end."""
        t0, t1 = self.timeline.window()
        end = self.timeline.canvas.limits[1]
        shift = min((t1 - t0) * STEP, end - t1)
        if shift <= 0:
            self.set_playing(False)
            return
        self.timeline.set_window(t0 + shift, t1 + shift)
