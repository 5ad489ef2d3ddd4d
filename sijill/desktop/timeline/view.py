"""TimelineView: lane headers, the painted canvas (with its axis) and the overview strip.

The main window creates one per open project: `TimelineView(hub, undo_stack)`, and connects its
actions to the public slots (zoom_in, zoom_out, fit_all, set_preset, zoom_to_selection,
next_match, export_image, set_hide_empty, save_view, restore_view). Every edit goes through
`undo_stack`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QScrollBar, QVBoxLayout, QWidget

from sijill.db.timeline.window import PRESETS, preset_window
from sijill.desktop.commands.events import DeleteEventsCommand
from sijill.desktop.hub import ProjectHub, ViewFilter
from sijill.desktop.timeline.canvas import TimelineCanvas
from sijill.desktop.timeline.event_menu import show_event_menu
from sijill.desktop.timeline.lanes_header import LanesHeader
from sijill.desktop.timeline.lanes_model import TimelineData
from sijill.desktop.timeline.overview import Overview
from sijill.db.timeline.frame import AXIS_H, ROW_H
from sijill.desktop.timeline.saved_views import save_view, saved_views
from sijill.desktop.timeline.state import ViewState, load_state, save_state

if TYPE_CHECKING:
    from sijill.desktop.timeline.export_image import ImageExport

ZOOM_STEP = 0.7
PRESET_NAMES = ("All", *PRESETS)


def default_period_editor(view: "TimelineView", start: str, end: str):
    """Open the new-period dialog prefilled with a range dragged on the axis; OK pushes its command."""
    from sijill.desktop.groups.period_dialog import open_period_editor

    return open_period_editor(view, view.hub, view.undo_stack, None, start=start, end=end)


class TimelineView(QWidget):
    """The timeline of one project. Signals: `window_changed(t0, t1)`, `edit_requested(id)`,
    `hide_empty_changed(on)`."""

    window_changed = Signal(float, float)
    hide_empty_changed = Signal(bool)
    edit_requested = Signal(int)
    period_requested = Signal(float, float)   # a range dragged along the axis (seconds)

    def __init__(self, hub: ProjectHub, undo_stack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hub = hub
        self.undo_stack = undo_stack
        self.period_factory = default_period_editor   # callable(view, start text, end text); None to only emit
        self.period_dialog = None
        self.event_menu = None                  # the event's context menu last shown
        self.hide_empty = False                 # lanes without an event in the window are not shown
        self._shown_keys: set[int] | None = None
        self.data = TimelineData(hub, self)
        self.canvas = TimelineCanvas(self.data, self, self)
        self.header = LanesHeader(self.canvas, self)
        self.overview = Overview(self.canvas, self)
        # the vertical scroll bar of the lanes, beside them (below the axis row, which stays put)
        self.vscroll = QScrollBar(Qt.Orientation.Vertical)
        self.vscroll.setSingleStep(ROW_H)
        self._vbox = QWidget(self)
        box = QVBoxLayout(self._vbox)
        box.setContentsMargins(0, AXIS_H, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.vscroll)
        self._vbox.setVisible(False)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(0)
        grid.addWidget(self.header, 0, 0)
        grid.addWidget(self.canvas, 0, 1)
        grid.addWidget(self._vbox, 0, 2)
        grid.addWidget(self.overview, 1, 1)
        self._save_timer = QTimer(self, singleShot=True, interval=800)
        self._save_timer.timeout.connect(self.save_state)
        self._match_pos = -1
        self._restore()
        self.canvas.geometry_changed.connect(self._sync_scrollbar)
        self.canvas.scroll_changed.connect(self._on_scroll)
        self.vscroll.valueChanged.connect(self.canvas.set_scroll)
        self._sync_scrollbar()
        self.canvas.window_changed.connect(self._on_window_changed)
        self.data.changed.connect(self.canvas.refresh_limits)
        self.data.changed.connect(self._check_empty_lanes)
        hub.filter_changed.connect(lambda *_: self._save_timer.start())
        self.canvas.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.canvas.customContextMenuRequested.connect(lambda pos: show_event_menu(self, pos))
        hub.current_event_changed.connect(self._reveal)

    # ---- state ---------------------------------------------------------------------------------
    def _restore(self) -> None:
        state = load_state(self.hub.project)
        self.canvas.collapsed = set(state.collapsed)
        self._set_hide_empty(state.hide_empty)
        if state.filter is not None and self.hub.filter == type(self.hub.filter)():
            self.hub.set_filter(state.filter)
        if state.window:
            self.canvas.set_window(*state.window)
        self.canvas.scroll_y = max(0, int(state.scroll))
        self.canvas.relayout()

    def current_view(self) -> ViewState:
        """What the timeline shows: window, collapsed lanes, filter (hidden lanes included),
        scroll, and whether empty lanes are hidden."""
        return ViewState((self.canvas.t0, self.canvas.t1), sorted(self.canvas.collapsed), self.hub.filter,
                         self.canvas.scroll_y, self.hide_empty)

    def save_state(self) -> None:
        """Write window, collapsed lanes and filter into the project (also done on a timer)."""
        if not self.hub.project.closed:   # else the project was closed before the timer fired
            save_state(self.hub.project, self.current_view())

    def apply_view(self, state: ViewState) -> None:
        """Show `state`: its filter, collapsed lanes, empty lanes hidden or not, and window."""
        self.hub.set_filter(state.filter if state.filter is not None else ViewFilter())
        self.canvas.collapsed = set(state.collapsed)
        self._set_hide_empty(state.hide_empty)
        if state.window:
            self.canvas.set_window(*state.window)
        self.canvas.relayout()
        self._save_timer.start()

    def save_view(self, name: str) -> None:
        """Save what the timeline shows as `name`, in the project (View ▸ Saved views)."""
        self.save_state()
        save_view(self.hub.project, name, self.current_view())

    def restore_view(self, name: str) -> bool:
        """Show the saved view `name`; False when there is none of that name."""
        state = dict(saved_views(self.hub.project)).get(name)
        if state is None:
            return False
        self.apply_view(state)
        return True

    def closeEvent(self, event) -> None:
        if self._save_timer.isActive():
            self._save_timer.stop()
            self.save_state()
        super().closeEvent(event)

    def _on_window_changed(self, t0: float, t1: float) -> None:
        self._save_timer.start()
        self._check_empty_lanes()
        self.window_changed.emit(t0, t1)

    # ---- empty lanes -------------------------------------------------------------------------
    def set_hide_empty(self, on: bool) -> None:
        """Show only the lanes holding an event (the filter applied) in the window, or all."""
        if bool(on) != self.hide_empty:
            self._set_hide_empty(on)
            self.canvas.relayout()
            self.save_state()

    def _set_hide_empty(self, on: bool) -> None:
        changed = bool(on) != self.hide_empty
        self.hide_empty = bool(on)
        self._shown_keys = None
        self.canvas.keep_lanes = self._lanes_with_events if self.hide_empty else None
        if changed:
            self.hide_empty_changed.emit(self.hide_empty)

    def _lanes_with_events(self, infos: list) -> list:
        keys = self.data.keys_with_events([i.key for i in infos], self.canvas.t0, self.canvas.t1)
        self._shown_keys = keys
        return [i for i in infos if i.key in keys]

    def _check_empty_lanes(self) -> None:
        """With empty lanes hidden: lay the lanes out again when the window or an edit changed
        which lanes hold events (a few bisections per lane, no relayout otherwise)."""
        if not self.hide_empty:
            return
        keys = self.data.keys_with_events([i.key for i in self.data.visible_infos()], self.canvas.t0, self.canvas.t1)
        if keys != self._shown_keys:
            self.canvas.relayout()

    # ---- vertical scroll -----------------------------------------------------------------------
    def _sync_scrollbar(self) -> None:
        """Range and page of the scroll bar from the lane stack; shown only when lanes overflow."""
        c = self.canvas
        top = c.max_scroll()
        self.vscroll.blockSignals(True)
        self.vscroll.setRange(0, top)
        self.vscroll.setPageStep(max(c.lanes_view_h(), 1))
        self.vscroll.setValue(c.scroll_y)
        self.vscroll.blockSignals(False)
        if self._vbox.isVisibleTo(self) != (top > 0):
            self._vbox.setVisible(top > 0)

    def _on_scroll(self, y: int) -> None:
        self._sync_scrollbar()
        self._save_timer.start()

    def scroll_lanes(self, y: int) -> None:
        """Scroll the lanes so that `y` pixels of their stack are above the visible area."""
        self.canvas.set_scroll(y)

    # ---- window --------------------------------------------------------------------------------
    def window(self) -> tuple[float, float]:
        return self.canvas.t0, self.canvas.t1

    def set_window(self, t0: float, t1: float) -> None:
        self.canvas.set_window(t0, t1)

    def zoom_in(self) -> None:
        self.canvas.zoom(ZOOM_STEP)

    def zoom_out(self) -> None:
        self.canvas.zoom(1 / ZOOM_STEP)

    def fit_all(self) -> None:
        self.canvas.refresh_limits()
        self.canvas.set_window(*self.canvas.limits)

    def set_preset(self, name: str) -> None:
        """One of PRESET_NAMES: "All", "5 y", "1 y", "3 m", "1 m", "1 w", "1 d" (centred on the view)."""
        center = (self.canvas.t0 + self.canvas.t1) / 2
        self.canvas.set_window(*preset_window(name, center, self.canvas.limits))

    def zoom_to_selection(self) -> None:
        spans = [self.data.event_times(e) for e in self.hub.selection]
        spans = [s for s in spans if s]
        if not spans:
            return
        lo, hi = min(s[0] for s in spans), max(s[1] for s in spans)
        pad = max((hi - lo) * 0.1, 12 * 3600)
        self.canvas.set_window(lo - pad, hi + pad)

    def _reveal(self, event_id) -> None:
        """Bring an event selected elsewhere (table, detail pane) into view, keeping the zoom."""
        times = self.data.event_times(event_id) if event_id is not None else None
        if times is None:
            return
        shown = {g.key for g in self.canvas.geoms}
        lanes = [k for k, *_rest in self.data.lanes.event_lanes.get(event_id, ()) if k in shown]
        cur = self.canvas.interaction.current
        key = cur[0] if cur and cur[1] == event_id and cur[0] in shown else (lanes[0] if lanes else None)
        if key is not None and not self.canvas.interaction.pressing:
            self.canvas.ensure_lane_visible(key)
        mid = (times[0] + times[1]) / 2
        if not (self.canvas.t0 <= mid <= self.canvas.t1):
            half = (self.canvas.t1 - self.canvas.t0) / 2
            self.canvas.set_window(mid - half, mid + half)

    # ---- lanes -------------------------------------------------------------------------------
    def set_lane_collapsed(self, key: int, collapsed: bool) -> None:
        self.canvas.set_collapsed(key, collapsed)
        self._save_timer.start()

    # ---- search, edit, delete -----------------------------------------------------------------
    def next_match(self) -> int | None:
        """Select the next event matching the search box (in time order, wrapping) and show it."""
        matches = self.data.match_list
        if not matches:
            return None
        self._match_pos = (self._match_pos + 1) % len(matches)
        eid = matches[self._match_pos]
        self.hub.set_selection([eid])
        times = self.data.event_times(eid)
        if times and not (self.canvas.t0 <= times[0] <= self.canvas.t1):
            half = (self.canvas.t1 - self.canvas.t0) / 2
            mid = (times[0] + times[1]) / 2
            self.canvas.set_window(mid - half, mid + half)
        return eid

    def edit_event(self, event_id: int) -> None:
        self.edit_requested.emit(event_id)  # the window opens the event editor

    def new_period_from_range(self, lo: float, hi: float) -> None:
        """A range dragged along the axis: the new-period dialog, its dates written at the precision
        the zoom allows (years when the view spans decades, days when it spans weeks)."""
        from sijill.desktop.timeline.interaction import iso_at, range_precision

        self.period_requested.emit(lo, hi)
        if self.period_factory is not None:
            prec = range_precision(self.canvas.t0, self.canvas.t1, self.canvas.width())
            self.period_dialog = self.period_factory(self, iso_at(lo, prec), iso_at(hi, prec))

    def delete_selected(self) -> None:
        ids = self.hub.selection
        if ids:
            self.undo_stack.push(DeleteEventsCommand(self.hub, ids))

    def tooltip_text(self, event_id: int) -> str:
        from html import escape
        project = self.hub.project
        ev = project.event(event_id)
        when = escape(ev.start.text) + (f" – {escape(ev.end.text)}" if ev.end else "")
        names = {g.id: g.name for g in project.groups()}
        groups = ", ".join(f"{escape(names.get(l.group_id, '?'))} ({l.role})" for l in ev.groups) or "no group"
        n, contra = self.data.evidence.get(event_id, (0, 0))
        evidence = "no sources" if n == 0 else f"{n} source{'s' if n > 1 else ''}"
        if contra:
            evidence += f", <span style='color:#d62728'>{contra} contradicting</span>"
        return f"<b>{escape(ev.title)}</b><br>{when}<br>{groups}<br>{evidence}"

    # ---- export -------------------------------------------------------------------------------
    def export_note(self, size: tuple[int, int]) -> str | None:
        """What an export of `size` would have to tell the user (lanes that do not fit), or None."""
        from sijill.desktop.timeline.export_image import lanes_note
        return lanes_note(self.data, size, self.canvas.collapsed)

    def export_image(self, path: str, size: tuple[int, int] = (1600, 900), lo: float | None = None,
                     hi: float | None = None, title: str | None = None) -> ImageExport:
        """Write the current view (or [lo, hi]) to PNG/JPEG, SVG or PDF, by the file's suffix;
        returns the `ImageExport` (its `note` says when the image had to be taller than `size`)."""
        from sijill.desktop.timeline.export_image import export_timeline
        return export_timeline(self.data, path, lo if lo is not None else self.canvas.t0,
                        hi if hi is not None else self.canvas.t1, size=size,
                        title=title or self.hub.project.title, collapsed=self.canvas.collapsed)
