"""Per-lane sorted arrays of event bounds: the timeline's index, built once and patched on edit.

A lane is one group (or "Ungrouped"); an event linked to several groups sits in each of their
lanes, with the role it has there. Each lane keeps parallel numpy arrays sorted by `lo`, so a
frame finds what it must draw by bisection (`sijill.db.timeline.window`) instead of asking SQLite.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

PRECISIONS = ("year", "month", "day", "hour", "minute")
PRECISION_CODE = {p: i for i, p in enumerate(PRECISIONS)}
ROLES = ("actor", "target", "associated", "mentioned")
ROLE_CODE = {r: i for i, r in enumerate(ROLES)}
FLAG_APPROXIMATE = 1
FLAG_UNCERTAIN = 2
FLAG_SPAN = 4
FLAG_KEY = 8         # a key event, marked by hand
UNGROUPED = 0  # lane key of events without any group (group ids start at 1)

_CODES_DTYPE = np.dtype([("eid", np.int64), ("key", np.int64), ("lo", np.int64), ("shi", np.int64),
                         ("elo", np.int64), ("hi", np.int64), ("packed", np.int64)])
_FIELDS = ("lo", "start_hi", "end_lo", "hi", "ids", "prec", "role", "flags")
_DTYPES = (np.int64, np.int64, np.int64, np.int64, np.int64, np.int8, np.int8, np.uint8)
# an event's rank where labels compete (`Lane.prio`): key event, then a period's start, then evidence count
PRIO_KEY = 0x80
PRIO_PERIOD_START = 0x40
PRIO_EVIDENCE_MAX = 0x3F
PRIO_PROMOTED = PRIO_PERIOD_START   # at or above: drawn one by one even where its stretch is crowded
_EMPTY_POS = np.empty(0, np.int64)


@dataclass(frozen=True)
class Ranking:
    """What ranks events beyond their own key flag: evidence counts (`ids` sorted, `counts`) and
    the start dates of the periods (`starts`, rows of [lo, hi]). An event is a period's start when
    its start date is the period's (same bounds), or lies within it for a period that starts on a
    given day or hour."""

    ids: np.ndarray
    counts: np.ndarray
    starts: np.ndarray

    @classmethod
    def build(cls, evidence: dict[int, tuple[int, int]], period_starts: Iterable[tuple[int, int]]) -> "Ranking":
        ids = np.fromiter(evidence.keys(), np.int64, len(evidence))
        counts = np.fromiter((n for n, _c in evidence.values()), np.int64, len(evidence))
        order = np.argsort(ids)
        starts = np.array([(int(a), int(b)) for a, b in period_starts], np.int64).reshape(-1, 2)
        return cls(ids[order], np.minimum(counts[order], PRIO_EVIDENCE_MAX), starts)

    def priorities(self, ids: np.ndarray, lo: np.ndarray, start_hi: np.ndarray, flags: np.ndarray) -> np.ndarray:
        """Per event, PRIO_KEY | PRIO_PERIOD_START | evidence count (capped), as uint8."""
        prio = np.where((flags & FLAG_KEY) > 0, PRIO_KEY, 0)
        if len(self.ids) and len(ids):
            at = np.minimum(np.searchsorted(self.ids, ids), len(self.ids) - 1)
            prio = prio | np.where(self.ids[at] == ids, self.counts[at], 0)
        if len(ids):
            for a, b in self.starts.tolist():
                within = (lo >= a) & (start_hi <= b)
                same = within if b - a < 86400 else within & (lo == a) & (start_hi == b)
                prio = prio | np.where(same, PRIO_PERIOD_START, 0)
        return prio.astype(np.uint8)


@dataclass
class Lane:
    """The events of one lane as parallel arrays sorted by `lo` (earliest start).

    `lo..start_hi` is the start date's uncertainty, `end_lo..hi` the end's (a span); for an
    instant `end_lo == start_hi` and `hi == start_hi`. `max_dur` is the longest `hi - lo`, which
    bounds how far left of a window an overlapping event can begin.
    """

    key: int
    lo: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    start_hi: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    end_lo: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    hi: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    ids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    prec: np.ndarray = field(default_factory=lambda: np.empty(0, np.int8))
    role: np.ndarray = field(default_factory=lambda: np.empty(0, np.int8))
    flags: np.ndarray = field(default_factory=lambda: np.empty(0, np.uint8))
    max_dur: int = 0
    mid: np.ndarray = field(default_factory=lambda: np.empty(0, np.float64))  # likely start, float
    prio: np.ndarray = field(default_factory=lambda: np.empty(0, np.uint8))   # rank where labels compete
    top: np.ndarray = field(default_factory=lambda: _EMPTY_POS)   # positions of prio >= PRIO_PROMOTED
    _index: object = field(default=None, repr=False)

    def index(self):
        """The lane's `sijill.db.timeline.counting.LaneIndex`, built when first asked for after a change."""
        if self._index is None:
            from sijill.db.timeline.counting import build_index
            self._index = build_index(self.lo, self.start_hi, self.hi, self.flags)
        return self._index

    def __len__(self) -> int:
        return len(self.ids)

    def _set(self, columns: Sequence[np.ndarray]) -> None:
        order = np.argsort(columns[0], kind="stable")
        for name, col, dtype in zip(_FIELDS, columns, _DTYPES):
            setattr(self, name, np.ascontiguousarray(col[order], dtype=dtype))
        self.max_dur = int((self.hi - self.lo).max()) if len(self.lo) else 0
        self.mid = ((self.lo + self.start_hi) // 2).astype(np.float64)
        self._index = None
        self.rank(None)

    def rank(self, ranking: "Ranking | None") -> None:
        """Set `prio` (and `top`) from the key flags and, when given, the ranking."""
        if ranking is None:
            prio = np.where((self.flags & FLAG_KEY) > 0, PRIO_KEY, 0).astype(np.uint8)
        else:
            prio = ranking.priorities(self.ids, self.lo, self.start_hi, self.flags)
        self.prio = prio
        self.top = (prio >= PRIO_PROMOTED).nonzero()[0]

    def subset(self, keep: np.ndarray) -> "Lane":
        """A lane of the events where `keep` is true (still sorted: no re-sort), index unbuilt."""
        sub = Lane(self.key)
        for name in _FIELDS:
            setattr(sub, name, getattr(self, name)[keep])
        sub.mid = self.mid[keep]
        sub.prio = self.prio[keep]
        sub.top = (sub.prio >= PRIO_PROMOTED).nonzero()[0]
        sub.max_dur = int((sub.hi - sub.lo).max()) if len(sub.lo) else 0
        return sub

    def columns(self) -> list[np.ndarray]:
        return [getattr(self, name) for name in _FIELDS]

    def index_of(self, event_id: int) -> int | None:
        where = np.flatnonzero(self.ids == event_id)
        return int(where[0]) if len(where) else None


@dataclass(frozen=True)
class LaneInfo:
    """How a lane is shown: its group, nesting depth and colour."""

    key: int
    name: str
    color: str | None
    depth: int
    parent: int | None
    has_children: bool


def lane_tree(groups: Sequence, include_ungrouped: bool = True) -> list[LaneInfo]:
    """Lanes in display order from `Project.groups()` (parents before children, siblings by
    position), then "Ungrouped"."""
    ids = {g.id for g in groups}
    parents = {g.parent_id for g in groups if g.parent_id in ids}
    depth: dict[int, int] = {}
    out = []
    for g in groups:
        parent = g.parent_id if g.parent_id in ids else None
        depth[g.id] = depth.get(parent, -1) + 1 if parent is not None else 0
        out.append(LaneInfo(g.id, g.name, g.color, depth[g.id], parent, g.id in parents))
    if include_ungrouped:
        out.append(LaneInfo(UNGROUPED, "Ungrouped", "#888888", 0, None, False))
    return out


def _codes(values: Sequence, table: dict, default: int) -> np.ndarray:
    """Small-vocabulary strings to int8 codes, looked up once per distinct value."""
    lookup = {v: table.get(v, default) for v in set(values)}
    return np.fromiter(map(lookup.__getitem__, values), np.int8, len(values))


def _columns(rows: Sequence[tuple]) -> tuple[np.ndarray, list[np.ndarray], list[str], list]:
    """Turn timeline rows into (lane keys, lane columns, titles, event ids); a row's twelfth
    value, when there is one, is its key-event flag."""
    (eids, gids, roles, start_lo, start_hi, end_lo, end_hi, precs, approx, uncertain, titles, *key) = zip(*rows)
    keys = np.nan_to_num(np.array(gids, dtype=np.float64), nan=UNGROUPED).astype(np.int64)
    lo = np.array(start_lo, dtype=np.int64)
    shi = np.array(start_hi, dtype=np.int64)
    elo_f = np.array(end_lo, dtype=np.float64)
    ehi_f = np.array(end_hi, dtype=np.float64)
    span = ~np.isnan(elo_f)
    elo = np.where(span, np.nan_to_num(elo_f), shi).astype(np.int64)
    hi = np.where(span, np.nan_to_num(ehi_f), shi).astype(np.int64)
    hi = np.maximum(hi, shi)
    prec = _codes(precs, PRECISION_CODE, 2)
    role = _codes(roles, ROLE_CODE, 0)
    flags = (np.array(approx, dtype=np.uint8) * FLAG_APPROXIMATE
             | np.array(uncertain, dtype=np.uint8) * FLAG_UNCERTAIN
             | span.astype(np.uint8) * FLAG_SPAN)
    if key:
        flags |= (np.array(key[0], dtype=np.int64) != 0).astype(np.uint8) * FLAG_KEY
    ids = np.array(eids, dtype=np.int64)
    return keys, [lo, shi, elo, hi, ids, prec, role, flags], list(titles), list(eids)


class LaneSet:
    """Every lane of a project, with the titles and lane membership of each event."""

    def __init__(self) -> None:
        self.lanes: dict[int, Lane] = {}
        self.titles: dict[int, str] = {}
        self._event_lanes: dict[int, list[tuple[int, int]]] | None = {}
        self.ranking: Ranking | None = None

    def set_ranking(self, ranking: Ranking | None) -> None:
        """Rank every lane's events by `ranking` (kept: lanes rebuilt by an edit are ranked by it too)."""
        self.ranking = ranking
        for lane in self.lanes.values():
            lane.rank(ranking)

    @property
    def event_lanes(self) -> dict[int, list[tuple[int, int]]]:
        """Event id -> [(lane key, role code)]; built from the lane arrays when first asked for
        (opening a large project does not pay for it)."""
        if self._event_lanes is None:
            out: dict[int, list[tuple[int, int]]] = {}
            for key, lane in self.lanes.items():
                for eid, role in zip(lane.ids.tolist(), lane.role.tolist()):
                    out.setdefault(eid, []).append((key, role))
            self._event_lanes = out
        return self._event_lanes

    @classmethod
    def build(cls, rows: Sequence[tuple], lane_keys: Iterable[int] = ()) -> "LaneSet":
        """Build from `Project.timeline_rows()`; `lane_keys` makes empty lanes exist too."""
        self = cls()
        for key in lane_keys:
            self.lanes[key] = Lane(key)
        if rows:
            self._add(rows)
        return self

    @classmethod
    def from_codes(cls, rows: Iterable[tuple], titles: dict[int, str], lane_keys: Iterable[int] = ()) -> "LaneSet":
        """Build from `Project.timeline_codes(PRECISIONS, ROLES)` (integer rows read straight into
        one structured array, no per-row Python objects kept) and titles (all of them, or none:
        the timeline reads a title when it first draws it)."""
        self = cls()
        for key in lane_keys:
            self.lanes[key] = Lane(key)
        t = np.fromiter(rows, dtype=_CODES_DTYPE)
        if len(t):
            packed = t["packed"]
            role = (packed & 7).astype(np.int8)
            span = ((packed >> 3) & 1).astype(bool)
            prec = ((packed >> 4) & 7).astype(np.int8)
            flags = (((packed >> 7) & 1) * FLAG_APPROXIMATE | ((packed >> 8) & 1) * FLAG_UNCERTAIN
                     | span * FLAG_SPAN | ((packed >> 9) & 1) * FLAG_KEY).astype(np.uint8)
            cols = [t["lo"], t["shi"], t["elo"], np.maximum(t["hi"], t["shi"]), t["eid"], prec, role, flags]
            self._event_lanes = None
            self._add_columns(t["key"], cols)
        self.titles = titles
        return self

    def _add(self, rows: Sequence[tuple]) -> set[int]:
        keys, cols, titles, eids = _columns(rows)
        self.titles.update(zip(eids, titles))
        if self._event_lanes is not None and len(eids) > 1000:
            self._event_lanes = None          # bulk load: rebuilt lazily from the arrays
        elif self._event_lanes is not None:
            for eid, key, role in zip(eids, keys.tolist(), cols[6].tolist()):
                self._event_lanes.setdefault(eid, []).append((key, role))
        return self._add_columns(keys, cols)

    def _add_columns(self, keys: np.ndarray, cols: list[np.ndarray]) -> set[int]:
        order = np.argsort(keys, kind="stable")
        keys_sorted = keys[order]
        bounds = np.flatnonzero(np.diff(keys_sorted)) + 1
        touched = set()
        for chunk in np.split(order, bounds):
            key = int(keys[chunk[0]])
            lane = self.lanes.setdefault(key, Lane(key))
            new = [c[chunk] for c in cols]
            if len(lane):
                new = [np.concatenate([old, n]) for old, n in zip(lane.columns(), new)]
            lane._set(new)
            if self.ranking is not None:
                lane.rank(self.ranking)
            touched.add(key)
        return touched

    def remove(self, event_ids: Iterable[int]) -> set[int]:
        """Drop events from every lane holding them; returns the lane keys touched."""
        by_lane: dict[int, list[int]] = {}
        event_lanes = self.event_lanes
        for eid in event_ids:
            for key, _role in event_lanes.pop(eid, ()):
                by_lane.setdefault(key, []).append(eid)
            self.titles.pop(eid, None)
        for key, eids in by_lane.items():
            lane = self.lanes[key]
            keep = ~np.isin(lane.ids, np.array(eids, dtype=np.int64))
            lane._set([c[keep] for c in lane.columns()])
            if self.ranking is not None:
                lane.rank(self.ranking)
        return set(by_lane)

    def patch(self, event_ids: Iterable[int], rows: Sequence[tuple]) -> set[int]:
        """Replace the given events by their fresh rows (`Project.timeline_rows(event_ids)`);
        events absent from `rows` are removed. Only the lanes involved are rebuilt."""
        touched = self.remove(event_ids)
        if rows:
            touched |= self._add(rows)
        return touched

    def bounds(self) -> tuple[int, int] | None:
        """Earliest start and latest end over all lanes."""
        los = [int(l.lo[0]) for l in self.lanes.values() if len(l)]
        his = [int(l.hi.max()) for l in self.lanes.values() if len(l)]
        return (min(los), max(his)) if los else None

    def __len__(self) -> int:
        """How many events the lanes hold (each once, whatever its number of lanes)."""
        return len(self.event_lanes)
