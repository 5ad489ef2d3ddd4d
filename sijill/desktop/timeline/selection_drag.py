"""Dragging a selection of several events: one time shift for all, one undo step.

When the pressed event is one of several selected, the drag moves every selected event by the
same calendar shift, snapped to the COARSEST drag unit among their dates (a date's precision,
or coarser when its words need it: "late 2019" moves by years): a year-precise date cannot move
by a month and stay honest ("2014" moved a month is no longer "2014"), whereas a month or a year
moves any finer date exactly ("18 Oct 2023" → "18 Nov 2023"). Each date keeps
its own precision and wording (`sijill.db.timeline.snap.shift_date`).

A change of lane applies only when it means the same thing for every event: when each of them
sits in the lane the drag started from (each loses that group for the new one, keeping its
role). Otherwise the events keep their groups and move in time only.
"""
from __future__ import annotations

from dataclasses import dataclass

from sijill.db.dates import FuzzyDate
from sijill.db.store.entities import Event
from sijill.db.timeline.lanes import FLAG_SPAN, ROLES, UNGROUPED
from sijill.db.timeline.snap import DateFields, Shift, coarsest, drag_unit, move_bounds, shift_date
from sijill.db.timeline.frame import Preview

GHOST_LIMIT = 400   # outlines drawn while dragging; beyond that only the pressed event is previewed


def date_fields(d: FuzzyDate) -> DateFields:
    return DateFields(d.text, d.lo_ts, d.hi_ts, d.precision, d.approximate, d.uncertain)


def shifted(d: FuzzyDate, shift: Shift) -> FuzzyDate:
    """A date moved by a whole number of calendar units, its text rewritten to match."""
    f = shift_date(date_fields(d), shift)
    return FuzzyDate.from_bounds(f.text, f.lo, f.hi, f.precision, f.approximate, f.uncertain)


def relink(links: list[tuple[int, str]], from_key: int, to_key: int, role: str) -> list[tuple[int, str]]:
    """An event's (group, role) links after it is dragged from lane `from_key` to `to_key`:
    the group of the old lane is replaced by the new one with the same role (dropped when the
    event is already in the new lane); from Ungrouped it gains the new group as `role`; to
    Ungrouped it loses the old one."""
    if from_key == UNGROUPED:
        return links + [(to_key, role)]
    if to_key == UNGROUPED or any(g == to_key for g, _r in links):
        return [link for link in links if link[0] != from_key]
    return [(to_key if g == from_key else g, r) for g, r in links]


def coarsest_unit(events: list[Event]) -> str:
    """The coarsest drag unit among the start and end dates of `events` ("year" before
    "month"…; a date's unit is the step its words can follow, `sijill.db.timeline.snap.drag_unit`)."""
    return coarsest(drag_unit(date_fields(d)) for ev in events for d in (ev.start, ev.end) if d is not None)


@dataclass
class SelectionDrag:
    """What a drag of several selected events needs, read once when the drag starts."""

    events: dict[int, Event]
    precision: str          # the unit of the shift
    from_key: int           # the lane where the drag started
    lanes_follow: bool      # every event sits in `from_key`: a lane change applies to all
    ghosts: list[Preview]   # where the dragged events are drawn now (but for the pressed item)

    @classmethod
    def start(cls, data, pressed_id: int, from_key: int, selection: list[int],
              lanes_on_screen: set[int]) -> "SelectionDrag":
        project = data.project
        events = {eid: project.event(eid) for eid in selection}
        placed = data.lanes.event_lanes
        follow = all(any(key == from_key for key, _role in placed.get(eid, ())) for eid in events)
        ghosts: list[Preview] = []
        for eid in events:
            for key, role in placed.get(eid, ()):
                if (eid, key) == (pressed_id, from_key):   # the painter previews that one
                    continue
                lane = data.lane(key)
                i = lane.index_of(eid) if lane is not None and key in lanes_on_screen else None
                if i is None or len(ghosts) >= GHOST_LIMIT:
                    continue
                ghosts.append(Preview(eid, key, int(lane.lo[i]), int(lane.start_hi[i]), int(lane.end_lo[i]),
                                      int(lane.hi[i]), int(role), bool(lane.flags[i] & FLAG_SPAN)))
        return cls(events, coarsest_unit(list(events.values())), from_key, follow, ghosts)

    def target_lane(self, lane_under_cursor: int) -> int:
        return lane_under_cursor if self.lanes_follow else self.from_key

    def previews(self, shift: Shift, to_key: int) -> list[Preview]:
        """The other events' outlines at their new place (and lane) for a shift so far."""
        out = []
        for g in self.ghosts:
            try:
                lo, shi = move_bounds(g.lo, g.start_hi, shift)
                elo, hi = move_bounds(g.end_lo, g.hi, shift) if g.span else (shi, shi)
            except (ValueError, OverflowError):
                continue
            key = to_key if g.lane_key == self.from_key else g.lane_key
            out.append(Preview(g.event_id, key, lo, shi, max(elo, shi), max(hi, shi), g.role, g.span))
        return out

    def changes(self, shift: Shift, to_key: int) -> dict[int, dict]:
        """The fields to write for each event (only those that change); empty when nothing does
        or when a shifted span would end before it starts."""
        to_key = self.target_lane(to_key)
        out: dict[int, dict] = {}
        for eid, ev in self.events.items():
            fields: dict = {}
            if shift:
                try:
                    fields["start"] = shifted(ev.start, shift)
                    if ev.end is not None:
                        fields["end"] = shifted(ev.end, shift)
                except ValueError:                # some date would leave years 1-9999: none moves
                    return {}
                if ev.end is not None and fields["end"].hi_ts < fields["start"].lo_ts:
                    return {}
            if to_key != self.from_key:
                links = [(link.group_id, link.role) for link in ev.groups]
                role = next((r for g, r in links if g == self.from_key), "actor")
                fields["groups"] = relink(links, self.from_key, to_key, role if role in ROLES else "actor")
            if fields:
                out[eid] = fields
        return out

