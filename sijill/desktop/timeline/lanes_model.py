"""TimelineData: the timeline's arrays kept in step with the project through the hub.

Built once from one bulk query; an edit announced by the hub patches only the events it names.
Also holds what the filter and the search leave visible or highlighted, as sorted id arrays,
so that painting can test membership with numpy.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from sijill.db.timeline.lanes import PRECISIONS, ROLES, UNGROUPED, Lane, LaneInfo, LaneSet, Ranking, lane_tree
from sijill.desktop.hub import ProjectHub, ViewFilter


class TimelineData(QObject):
    """Lanes, lane order, periods, evidence and filter state of one project."""

    changed = Signal()        # something drawn changed: repaint
    lanes_changed = Signal()  # lane list/order changed: relayout header and canvas

    def __init__(self, hub: ProjectHub, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hub = hub
        self.lanes = LaneSet()
        self.infos: list[LaneInfo] = []
        self.periods = []
        self.evidence: dict[int, tuple[int, int]] = {}
        self.allowed: np.ndarray | None = None   # sorted ids the filter lets through, None = all
        self._shown: dict[int, Lane] | None = None  # the lanes with only those events (filter active)
        self._shown_cache: dict = {}                   # key -> (source ids array, kept mask, filtered lane)
        self.matches: np.ndarray | None = None   # sorted ids matching the search, None = no search
        self.match_list: list[int] = []
        self.selected = np.empty(0, np.int64)
        self._bounds: tuple[int, int] | None = None
        self.reload()
        hub.events_changed.connect(self._on_events_changed)
        hub.events_removed.connect(self._on_events_removed)
        hub.groups_changed.connect(self._on_groups_changed)
        hub.periods_changed.connect(self._on_periods_changed)
        hub.evidence_changed.connect(self._on_evidence_changed)
        hub.project_reset.connect(self.reload)
        hub.filter_changed.connect(self._on_filter_changed)
        hub.selection_changed.connect(self._on_selection_changed)

    @property
    def project(self):
        return self.hub.project

    # ---- loading -----------------------------------------------------------------------------
    def reload(self) -> None:
        groups = self.project.groups()
        self.infos = lane_tree(groups)
        self.colors = {g.id: g.color for g in groups}
        # titles are read when first drawn (`titles_for`): a million of them cost 0.6 s and 100 MB
        self.lanes = LaneSet.from_codes(self.project.timeline_codes(PRECISIONS, ROLES), {},
                                        [i.key for i in self.infos])
        self.periods = self.project.periods()
        self.evidence = self.project.evidence_summary()
        self._rank()
        self._bounds = self.lanes.bounds()
        self._apply_filter(self.hub.filter, emit=False)
        self._on_selection_changed(self.hub.selection, emit=False)
        self._had_ungrouped = self._ungrouped_shown()
        self.lanes_changed.emit()
        self.changed.emit()

    def bounds(self) -> tuple[int, int] | None:
        return self._bounds

    def _rank(self) -> None:
        """Rank every event where labels compete (`Lane.prio`): its key flag, whether it starts a
        period, its evidence count. Run when evidence or periods change (about 10 ms at 100k)."""
        self.lanes.set_ranking(Ranking.build(self.evidence, [(p.start.lo_ts, p.start.hi_ts) for p in self.periods]))

    def lane(self, key: int):
        """Lane `key` as the timeline shows it: with a filter active, only the events it lets
        through (sorted arrays and index of their own, so a filtered frame costs what an
        unfiltered one does)."""
        if self._shown is not None:
            return self._shown.get(key)
        return self.lanes.lanes.get(key)

    def _filtered_lanes(self, allowed: np.ndarray) -> dict[int, Lane]:
        """Each lane with only the `allowed` events. A lane whose events and filtered set did not
        change since the last call keeps its filtered Lane (and so its index): after an edit only
        the lanes it touched are rebuilt."""
        out, cache = {}, {}
        for key, lane in self.lanes.lanes.items():
            if not len(lane) or not len(allowed):
                out[key] = Lane(key)
                continue
            at = np.minimum(np.searchsorted(allowed, lane.ids), len(allowed) - 1)
            keep = allowed[at] == lane.ids
            old = self._shown_cache.get(key)
            if old is not None and old[0] is lane.ids and old[3] is lane.prio and np.array_equal(old[1], keep):
                out[key] = old[2]
            else:
                out[key] = lane if keep.all() else lane.subset(keep)
            cache[key] = (lane.ids, keep, out[key], lane.prio)
        self._shown_cache = cache
        return out

    def visible_infos(self) -> list[LaneInfo]:
        """Lanes the group filter keeps (Ungrouped only when it holds events)."""
        gids = self.hub.filter.group_ids
        out = []
        for info in self.infos:
            if info.key == UNGROUPED:
                lane = self.lanes.lanes.get(UNGROUPED)      # shown when it holds events, filter or not
                if lane is None or not len(lane) or (gids is not None and UNGROUPED not in gids):
                    continue
            elif gids is not None and info.key not in gids:
                continue
            out.append(info)
        return out

    # ---- hub signals ----------------------------------------------------------------------
    def _on_events_changed(self, ids: list) -> None:
        self.lanes.patch(ids, self.project.timeline_rows(ids))
        self._after_edit()

    def _on_events_removed(self, ids: list) -> None:
        self.lanes.remove(ids)
        self._after_edit()

    def _after_edit(self) -> None:
        self._bounds = self.lanes.bounds()
        evidence = self.project.evidence_summary()
        if evidence != self.evidence:          # an event added or removed with its evidence
            self.evidence = evidence
            self._rank()
        f = self.hub.filter
        if f.tags or f.event_types or f.lo is not None or f.hi is not None or f.evidence or f.search \
                or f.event_ids is not None:
            self._apply_filter(f, emit=False)
        if self._ungrouped_shown() != self._had_ungrouped:   # the Ungrouped lane comes or goes
            self._had_ungrouped = not self._had_ungrouped
            self.lanes_changed.emit()
        self.changed.emit()

    def _ungrouped_shown(self) -> bool:
        lane = self.lanes.lanes.get(UNGROUPED)
        return lane is not None and len(lane) > 0

    def _on_groups_changed(self) -> None:
        groups = self.project.groups()
        if {g.id for g in groups} != {i.key for i in self.infos if i.key != UNGROUPED}:
            self.reload()
            return
        self.infos = lane_tree(groups)
        self.colors = {g.id: g.color for g in groups}
        self.lanes_changed.emit()
        self.changed.emit()

    def _on_periods_changed(self) -> None:
        self.periods = self.project.periods()
        self._rank()
        if self._shown is not None:
            self._shown = self._filtered_lanes(self.allowed)
        self.changed.emit()

    def _on_evidence_changed(self, _ids: list) -> None:
        self.evidence = self.project.evidence_summary()
        self._rank()
        self._apply_filter(self.hub.filter, emit=False)
        self.changed.emit()

    def _on_filter_changed(self, view_filter: ViewFilter) -> None:
        self._apply_filter(view_filter)
        self.lanes_changed.emit()

    def _apply_filter(self, f: ViewFilter, emit: bool = True) -> None:
        allowed = None
        if f.tags or f.event_types or f.lo is not None or f.hi is not None:
            allowed = self.project.event_ids_matching(tags=f.tags, event_types=f.event_types, lo=f.lo, hi=f.hi)
        if f.evidence == "none":
            ids = set(self.lanes.event_lanes) - set(self.evidence)
            allowed = ids if allowed is None else allowed & ids
        elif f.evidence == "contradicted":
            ids = {e for e, (_n, c) in self.evidence.items() if c}
            allowed = ids if allowed is None else allowed & ids
        if f.event_ids is not None:
            allowed = set(f.event_ids) if allowed is None else allowed & f.event_ids
        self.allowed = None if allowed is None else np.array(sorted(allowed), dtype=np.int64)
        self._shown = None if self.allowed is None else self._filtered_lanes(self.allowed)
        if f.search.strip():
            try:
                found = self.project.search_event_ids(f.search)
            except Exception:  # a half-typed query FTS cannot read: highlight nothing
                found = set()
            self.matches = np.array(sorted(found), dtype=np.int64)
            self._order_matches(found)
        else:
            self.matches = None
            self.match_list = []
        if emit:
            self.changed.emit()

    def _order_matches(self, found: set[int]) -> None:
        """The matches the timeline shows (the filters applied, groups included), by start: Enter
        steps through them."""
        starts = {}
        for key in (info.key for info in self.visible_infos()):   # the group filter applied too
            lane = self.lane(key)
            if lane is None:
                continue
            hit = np.isin(lane.ids, self.matches)
            for eid, lo in zip(lane.ids[hit].tolist(), lane.lo[hit].tolist()):
                starts[eid] = lo
        self.match_list = sorted(starts, key=lambda e: (starts[e], e))

    def _on_selection_changed(self, ids: list, emit: bool = True) -> None:
        self.selected = np.array(sorted(ids), dtype=np.int64)
        if emit:
            self.changed.emit()

    # ---- queries ----------------------------------------------------------------------------
    def is_shown(self, ids: np.ndarray) -> np.ndarray:
        """Mask of ids the filter keeps."""
        if self.allowed is None:
            return np.ones(len(ids), bool)
        return np.isin(ids, self.allowed, assume_unique=False)

    def titles_for(self, event_ids: list[int]) -> dict[int, str]:
        """Titles by id, holding at least those of `event_ids` (the ones not read yet are read in
        one query; an edit refreshes the titles of the events it touched)."""
        titles = self.lanes.titles
        missing = [i for i in event_ids if i not in titles]
        if missing:
            titles.update(self.project.event_titles(missing))
        return titles

    def keys_with_events(self, keys, t0: float, t1: float) -> set[int]:
        """Of lanes `keys`, those holding an event (the filter applied) that overlaps [t0, t1]:
        by bisection on each lane's starts, then, when none starts inside, on the ends of those
        that may reach into it."""
        out = set()
        for key in keys:
            lane = self.lane(key)
            if lane is None or not len(lane):
                continue
            right = int(np.searchsorted(lane.lo, t1, side="right"))
            if not right:
                continue
            if lane.lo[right - 1] >= t0:                # one starts inside the window
                out.add(key)
                continue
            left = int(np.searchsorted(lane.lo, t0 - lane.max_dur, side="left"))
            if left < right and lane.hi[left:right].max() >= t0:
                out.add(key)
        return out

    def event_count(self, key: int) -> int:
        lane = self.lane(key)
        return 0 if lane is None else len(lane)

    def event_times(self, event_id: int) -> tuple[int, int] | None:
        """Where the event lies in time, shown or hidden by the filter."""
        for key, _role in self.lanes.event_lanes.get(event_id, ()):
            lane = self.lanes.lanes[key]
            i = lane.index_of(event_id)
            if i is not None:
                return int(lane.lo[i]), int(lane.hi[i])
        return None
