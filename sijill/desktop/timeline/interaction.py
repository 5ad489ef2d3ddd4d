"""Mouse, wheel, gesture and keys on the timeline canvas.

Gestures become window changes (zoom about the cursor, pan) or edits. An edit is recorded on
press, previewed while dragging, and pushed as ONE named undo command on release. Dragging one
of several selected events moves them all (`selection_drag.py`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtWidgets import QToolTip

from sijill.db.timeline.axis import zoom_precision
from sijill.db.timeline.density import likely_point
from sijill.db.timeline.lanes import FLAG_SPAN, PRECISIONS, ROLES, UNGROUPED
from sijill.db.timeline.snap import Shift, coarsest, drag_unit, move_bounds, snap_shift
from sijill.db.timeline.window import visible_slice
from sijill.desktop.commands.events import CreateEventCommand, UpdateEventCommand
from sijill.desktop.undo_text import quoted
from sijill.db.timeline.frame import AXIS_H, ROW_H, Preview
from sijill.desktop.timeline.selection_drag import SelectionDrag, date_fields, relink, shifted

DRAG_START_PX = 4
EDGE_PX = 5
WHEEL_STEP = 0.8   # window scale per wheel notch


@dataclass
class Drag:
    event_id: int
    lane_key: int
    mode: str           # "move", "start" or "end"
    x: float
    y: float
    lo: int
    start_hi: int
    end_lo: int
    hi: int
    role: int
    span: bool
    precision: int
    started: bool = False
    selection: SelectionDrag | None = None   # set when the pressed event is one of several selected
    shown: tuple | None = None               # (shift, lane) of the outlines drawn last
    unit: str | None = None                  # the step the drag snaps to (read once from the event)


def iso_at(ts: float, precision: str) -> str:
    from datetime import datetime, timezone
    d = datetime.fromtimestamp(ts, timezone.utc)
    return {"year": f"{d.year}", "month": d.strftime("%Y-%m"), "day": d.strftime("%Y-%m-%d"),
            "hour": d.strftime("%Y-%m-%dT%H:00")}[precision]


def range_precision(t0: float, t1: float, width: float) -> str:
    """The precision a range dragged along the axis is written at: finer than a click's
    (`zoom_precision`), since a drag is aimed: months once a month is 3 px wide, days once a day is."""
    px_per_day = width * 86400 / max(t1 - t0, 1)
    if px_per_day * 30 < 3:
        return "year"
    if px_per_day < 3:
        return "month"
    if px_per_day < 24 * 8:
        return "day"
    return "hour"


class Interaction:
    """Turns input on the canvas into window changes, selection and undoable edits."""

    def __init__(self, canvas) -> None:
        self.c = canvas
        self.drag: Drag | None = None
        self.pan_from: QPointF | None = None
        self.pan_moved = False
        self.rubber_from: QPointF | None = None
        self.range_from: float | None = None      # x where a Shift+drag along the axis began (a new period)
        self.current: tuple[int, int] | None = None   # (lane key, event id) for arrow keys
        self.pressing = False    # a click on the canvas selects what is already under the pointer

    @property
    def hub(self):
        return self.c.data.hub

    # ---- mouse -----------------------------------------------------------------------------
    def press(self, e) -> None:
        self.pressing = True
        try:
            self._press(e)
        finally:
            self.pressing = False

    def _press(self, e) -> None:
        self.c.setFocus()
        if e.button() != Qt.MouseButton.LeftButton:
            return
        pos = e.position()
        mods = e.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if pos.y() <= AXIS_H and mods & Qt.KeyboardModifier.ShiftModifier and not ctrl:
            self.range_from = pos.x()          # Shift+drag along the dates: the range of a new period
            self.c.range_band = (pos.x(), pos.x())
            return
        hit = self.c.ensure_frame().hit(pos.x(), pos.y()) if pos.y() > AXIS_H else None
        if hit is not None:
            dl, k = hit
            eid = int(dl.ids[k])
            sel = self.hub.selection
            if ctrl:
                self.hub.set_selection([i for i in sel if i != eid] if eid in sel else sel + [eid])
            elif eid not in sel:
                self.hub.set_selection([eid])
            self.current = (dl.geom.key, eid)
            if not ctrl:
                self._begin_drag(dl, k, pos)
        elif mods & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier):
            self.rubber_from = pos
        else:
            self.pan_from = pos
            self.pan_moved = False

    def _begin_drag(self, dl, k: int, pos: QPointF) -> None:
        lane = self.c.data.lane(dl.geom.key)
        i = int(dl.idx[k])
        span = bool(lane.flags[i] & FLAG_SPAN)
        vp = self.c.viewport()
        mode = "move"
        if span:
            if abs(pos.x() - float(vp.x(lane.end_lo[i]))) <= EDGE_PX:
                mode = "end"
            elif abs(pos.x() - float(vp.x(lane.start_hi[i]))) <= EDGE_PX:
                mode = "start"
        self.drag = Drag(int(lane.ids[i]), dl.geom.key, mode, pos.x(), pos.y(), int(lane.lo[i]),
                         int(lane.start_hi[i]), int(lane.end_lo[i]), int(lane.hi[i]), int(lane.role[i]),
                         span, int(lane.prec[i]))

    def move(self, e) -> None:
        pos = e.position()
        if self.drag is not None:
            d = self.drag
            if not d.started and abs(pos.x() - d.x) + abs(pos.y() - d.y) < DRAG_START_PX:
                return
            if not d.started:
                d.started = True
                self._begin_selection_drag(d)
            self.c.auto_scroll(pos.y())
            self.c.preview = self._preview(pos)
            if d.selection is not None:
                shift, lane_key = self._shift(pos)
                if (shift, lane_key) != d.shown:
                    d.shown = (shift, lane_key)
                    self.c.ghosts = d.selection.previews(shift, lane_key)
            self.c.update()
        elif self.pan_from is not None:
            dx = pos.x() - self.pan_from.x()
            if self.pan_moved or abs(dx) >= DRAG_START_PX:
                self.pan_moved = True
                self.c.pan_pixels(dx)
                self.pan_from = pos
        elif self.rubber_from is not None:
            self.c.rubber = QRectF(self.rubber_from, pos)
            self.c.update()
        elif self.range_from is not None:
            self.c.range_band = (self.range_from, min(max(pos.x(), 0.0), float(self.c.width())))
            self.c.update()
        else:
            self._hover(pos, e)

    def _begin_selection_drag(self, d: Drag) -> None:
        """Moving one of several selected events moves them all: read them once, now."""
        sel = self.hub.selection
        if d.mode == "move" and len(sel) > 1 and d.event_id in sel:
            d.selection = SelectionDrag.start(self.c.data, d.event_id, d.lane_key, sel,
                                              {g.key for g in self.c.geoms})

    def _shift(self, pos: QPointF) -> tuple[Shift, int]:
        """The snapped shift of the drag so far, and the lane the dragged event(s) would go to."""
        d = self.drag
        dt = (pos.x() - d.x) * (self.c.t1 - self.c.t0) / max(self.c.width(), 1)
        if d.selection is not None:
            unit = d.selection.precision
        else:
            if d.unit is None:
                d.unit = self._drag_unit(d)
            unit = d.unit
        shift = snap_shift(dt, unit)
        try:
            move_bounds(d.lo, d.hi, shift)
        except (ValueError, OverflowError):     # beyond year 9999 or before year 1: no move
            shift = Shift(unit, 0)
        lane_key = d.lane_key
        if d.mode == "move" and pos.y() > AXIS_H:
            dl = self.c.ensure_frame().lane_at(pos.y())
            if dl is not None:
                lane_key = dl.geom.key
        if d.selection is not None:
            lane_key = d.selection.target_lane(lane_key)
        return shift, lane_key

    def _drag_unit(self, d: Drag) -> str:
        """The step of this drag: the drag unit of the dates it moves (`sijill.db.timeline.snap.drag_unit`:
        a date moves by steps its words can follow, "mid-October 2023" by months)."""
        ev = self.hub.project.event(d.event_id)
        if ev is None:
            return PRECISIONS[d.precision]
        dates = {"move": (ev.start, ev.end), "start": (ev.start,), "end": (ev.end,)}[d.mode]
        return coarsest(drag_unit(date_fields(x)) for x in dates if x is not None)

    def _preview(self, pos: QPointF) -> Preview:
        d = self.drag
        shift, lane_key = self._shift(pos)
        lo, shi, elo, hi = d.lo, d.start_hi, d.end_lo, d.hi
        if d.mode in ("move", "start"):
            lo, shi = move_bounds(lo, shi, shift)
        if d.mode in ("move", "end"):
            elo, hi = move_bounds(elo, hi, shift)
        if not d.span:
            elo, hi = shi, shi
        return Preview(d.event_id, lane_key, lo, shi, max(elo, shi), max(hi, shi), d.role, d.span)

    def release(self, e) -> None:
        pos = e.position()
        if self.drag is not None:
            d, self.drag = self.drag, None
            self.c.preview, self.c.ghosts = None, []
            if d.started:
                self.drag = d
                shift, lane_key = self._shift(pos)
                self.drag = None
                if d.selection is not None:
                    self._commit_selection_drag(d.selection, shift, lane_key)
                else:
                    self._commit_drag(d, shift, lane_key)
            self.c.update()
        elif self.pan_from is not None:
            if not self.pan_moved and not (e.modifiers() & Qt.KeyboardModifier.ControlModifier):
                self.hub.set_selection([])
            self.pan_from = None
        elif self.range_from is not None:
            a, b = sorted((self.range_from, min(max(pos.x(), 0.0), float(self.c.width()))))
            self.range_from, self.c.range_band = None, None
            self.c.update()
            if b - a >= DRAG_START_PX:
                vp = self.c.viewport()
                self.c.view.new_period_from_range(vp.t(a), vp.t(b))
        elif self.rubber_from is not None:
            rect = QRectF(self.rubber_from, pos).normalized()
            self.rubber_from, self.c.rubber = None, None
            ids = self.ids_in_rect(rect)
            if e.modifiers() & Qt.KeyboardModifier.ControlModifier:
                ids = self.hub.selection + [i for i in ids if i not in self.hub.selection]
            self.hub.set_selection(ids)
            self.c.update()

    def ids_in_rect(self, rect: QRectF) -> list[int]:
        """Every shown event whose most likely point (or span) lies in the rectangle's time range,
        in the lanes it crosses, including those drawn as density."""
        vp = self.c.viewport()
        ta, tb = vp.t(rect.left()), vp.t(rect.right())
        top = max(rect.top(), AXIS_H)          # lanes scrolled under the axis are not in the band
        out: dict[int, None] = {}             # in order, each event once (it may sit in several lanes)
        for g in self.c.geoms:
            if g.y + g.h < top or g.y > rect.bottom():
                continue
            lane = self.c.data.lane(g.key)         # the events shown (a filter's lanes hold only those)
            if lane is None:
                continue
            idx = visible_slice(lane, int(ta), int(tb))
            pt = likely_point(lane, idx)
            span = (lane.flags[idx] & FLAG_SPAN) > 0
            inside = np.where(span, (lane.start_hi[idx] <= tb) & (lane.end_lo[idx] >= ta), (pt >= ta) & (pt <= tb))
            out.update(dict.fromkeys(lane.ids[idx[inside]].tolist()))
        return list(out)

    def _commit_drag(self, d: Drag, shift: Shift, lane_key: int) -> None:
        project = self.hub.project
        ev = project.event(d.event_id)
        fields: dict = {}
        if shift:
            try:
                if d.mode in ("move", "start"):
                    fields["start"] = shifted(ev.start, shift)
                if ev.end is not None and d.mode in ("move", "end"):
                    fields["end"] = shifted(ev.end, shift)
            except ValueError:                    # the move would leave years 1-9999
                return
            new_lo = fields.get("start", ev.start).lo_ts
            new_hi = fields["end"].hi_ts if "end" in fields else (ev.end or ev.start).hi_ts
            if ev.end is not None and new_hi < new_lo:
                return
        verb = {"move": "Move", "start": "Resize", "end": "Resize"}[d.mode]
        if d.mode == "move" and lane_key != d.lane_key:
            links = [(link.group_id, link.role) for link in ev.groups]
            fields["groups"] = relink(links, d.lane_key, lane_key, ROLES[d.role] if d.role < len(ROLES) else "actor")
        if not fields:
            return
        stack = self.c.view.undo_stack
        stack.push(UpdateEventCommand(self.hub, {d.event_id: fields}, text=f"{verb} event {quoted(ev.title)}"))

    def _commit_selection_drag(self, sd: SelectionDrag, shift: Shift, lane_key: int) -> None:
        changes = sd.changes(shift, lane_key)
        if not changes:
            return
        text = (f"Move {len(changes)} events" if len(changes) > 1
                else f"Move event {quoted(sd.events[next(iter(changes))].title)}")
        self.c.view.undo_stack.push(UpdateEventCommand(self.hub, changes, text=text))

    def double_click(self, e) -> None:
        pos = e.position()
        if pos.y() <= AXIS_H or e.button() != Qt.MouseButton.LeftButton:
            return
        self.drag = None
        frame = self.c.ensure_frame()
        hit = frame.hit(pos.x(), pos.y())
        if hit is not None:
            self.c.view.edit_event(int(hit[0].ids[hit[1]]))
            return
        dl = frame.lane_at(pos.y())
        if dl is None:
            return
        vp = self.c.viewport()
        prec = zoom_precision(self.c.t0, self.c.t1, self.c.width())
        fields = {"title": "New event", "start": iso_at(vp.t(pos.x()), prec)}
        if dl.geom.key != UNGROUPED:
            fields["groups"] = [(dl.geom.key, "actor")]
        cmd = CreateEventCommand(self.hub, fields, text="New event")
        self.c.view.undo_stack.push(cmd)
        if cmd.event_id is not None:
            self.hub.set_selection([cmd.event_id])
            self.current = (dl.geom.key, cmd.event_id)
            self.c.view.edit_event(cmd.event_id)

    # ---- hover -----------------------------------------------------------------------------
    def _hover(self, pos: QPointF, e) -> None:
        frame = self.c.ensure_frame()
        hit = frame.hit(pos.x(), pos.y()) if pos.y() > AXIS_H else None
        eid = int(hit[0].ids[hit[1]]) if hit else None
        if eid != self.c.hover:
            self.c.hover = eid
            self.c.update()
        gpos = e.globalPosition().toPoint()
        if eid is not None:
            QToolTip.showText(gpos, self.c.view.tooltip_text(eid), self.c)
            return
        n = frame.density_at(pos.x(), pos.y())
        if n:
            QToolTip.showText(gpos, f"{n} events here: zoom in to see them", self.c)
        else:
            QToolTip.hideText()

    # ---- wheel, gesture, keys --------------------------------------------------------------
    def wheel(self, e) -> None:
        ad, pd = e.angleDelta(), e.pixelDelta()
        mods = e.modifiers()
        if mods & Qt.KeyboardModifier.AltModifier:
            self.scroll_wheel(e)
            return
        if mods & Qt.KeyboardModifier.ShiftModifier:
            step = ad.y() or ad.x()
            self.c.pan_pixels(step / 120 * self.c.width() / 10)
        elif abs(pd.x()) > abs(pd.y()) or (abs(ad.x()) > abs(ad.y())):
            self.c.pan_pixels(pd.x() if pd.x() else ad.x() / 120 * self.c.width() / 10)
        elif ad.y():
            self.c.zoom(WHEEL_STEP ** (ad.y() / 120), e.position().x())
        e.accept()

    def scroll_wheel(self, e) -> None:
        """Scroll the lanes vertically (Alt+wheel on the canvas, any wheel over the lane names).
        Some platforms turn Alt+wheel into a horizontal wheel: either axis counts."""
        ad, pd = e.angleDelta(), e.pixelDelta()
        if pd.y() or pd.x():
            dy = -(pd.y() or pd.x())
        else:
            dy = -(ad.y() or ad.x()) / 120 * 3 * ROW_H
        self.c.scroll_by(dy)
        e.accept()

    def gesture(self, e) -> bool:
        """A trackpad pinch (macOS, Wayland, X11 with XInput 2.4) zooms about the fingers.

        Each ZoomNativeGesture's value() is the change of magnification since the previous one
        (0.05: the content 5 % larger), so the window shrinks by 1 + value. A value of -1 or less
        (a magnification of nothing or below) or not finite means nothing and is ignored: it must
        neither divide by zero nor turn a pinch out into a zoom in. The whole sequence (Begin,
        Zoom…, End) is accepted, so that it does not reach the widgets behind the canvas."""
        kind = e.gestureType()
        if kind == Qt.NativeGestureType.ZoomNativeGesture:
            magnification = 1.0 + e.value()
            if math.isfinite(magnification) and magnification > 0:
                self.c.zoom(1.0 / magnification, e.position().x())
        elif kind not in (Qt.NativeGestureType.BeginNativeGesture, Qt.NativeGestureType.EndNativeGesture):
            return False
        e.accept()
        return True

    def key(self, e) -> bool:
        k = e.key()
        view = self.c.view
        if k in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            view.zoom_in()
        elif k in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            view.zoom_out()
        elif k == Qt.Key.Key_F:
            view.fit_all()
        elif k in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.step(1 if k == Qt.Key.Key_Right else -1)
        elif k in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.step_lane(1 if k == Qt.Key.Key_Down else -1)
        elif k in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.hub.selection:
                view.edit_event(self.hub.selection[-1])
        elif k in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            view.delete_selected()
        elif k in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            page = max(self.c.lanes_view_h() - ROW_H, ROW_H)
            self.c.scroll_by(page if k == Qt.Key.Key_PageDown else -page)
        elif k == Qt.Key.Key_Escape:
            self.hub.set_selection([])
        else:
            return False
        return True

    def _current(self) -> tuple[int, int] | None:
        sel = self.hub.selection
        if not sel:
            return None
        eid = sel[-1]
        if self.current and self.current[1] == eid:
            return self.current
        lanes = [key for key, _role in self.c.data.lanes.event_lanes.get(eid, ())]
        on_screen = {g.key for g in self.c.geoms}          # lanes the group filter and folding leave
        key = next((k for k in lanes if k in on_screen), None)
        return (key, eid) if key is not None else None

    def step(self, direction: int) -> None:
        """Select the previous/next shown event in the current lane and bring it into view."""
        cur = self._current()
        if cur is None:
            return
        key, eid = cur
        lane = self.c.data.lane(key)            # the events shown (with a filter: only those it passes)
        if lane is None or not len(lane):
            return
        i = lane.index_of(eid)
        if i is None:                            # the selected event is hidden: step from where it lies
            times = self.c.data.event_times(eid)
            if times is None:
                return
            at = int(np.searchsorted(lane.lo, times[0], side="left"))
            j = at if direction > 0 else at - 1
        else:
            j = i + direction
        if 0 <= j < len(lane):
            self._go(key, int(lane.ids[j]), int((lane.lo[j] + lane.start_hi[j]) // 2))

    def step_lane(self, direction: int) -> None:
        """Select the event nearest in time in the lane above/below."""
        cur = self._current()
        if cur is None:
            return
        keys = [g.key for g in self.c.geoms]
        key, eid = cur
        times = self.c.data.event_times(eid)
        if key not in keys or times is None:
            return
        pos = keys.index(key) + direction
        while 0 <= pos < len(keys):
            lane = self.c.data.lane(keys[pos])  # the events shown
            if lane is not None and len(lane):
                mid = (times[0] + times[1]) / 2
                j = int(np.argmin(np.abs(lane.lo - mid)))
                self._go(keys[pos], int(lane.ids[j]), int((lane.lo[j] + lane.start_hi[j]) // 2))
                return
            pos += direction

    def _go(self, key: int, eid: int, t: int) -> None:
        self.current = (key, eid)
        self.hub.set_selection([eid])
        self.current = (key, eid)
        self.c.ensure_lane_visible(key)
        if not (self.c.t0 <= t <= self.c.t1):
            half = (self.c.t1 - self.c.t0) / 2
            self.c.set_window(t - half, t + half)
