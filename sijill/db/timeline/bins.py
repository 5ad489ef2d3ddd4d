"""Events counted per day, ISO week (Monday first) or month, from the timeline's lane arrays.

An event is counted in the bin holding the midpoint of its start's bounds ((lo + hi) // 2, the
"likely point" the lanes index), and is *uncertain* in that bin when its start's span (hi − lo)
does not fit in the bin: hi − lo ≥ the bin's length in seconds ("mid-October 2023", ten days, is
uncertain in a weekly chart and not in a monthly one; a day-precision date, 86 399 s, is never
uncertain). Bins are calendar units in UTC, as the stored bounds are.

A `Series` is one stack's events, each once, sorted by likely point: an event linked to a group
by several roles, or to a group and its sub-groups rolled into it, counts once in that stack;
linked to two stacks, it counts in both. Series are built once per data or filter change
(`series_of`, `subset`); re-binning on a zoom is then bisections of the bin edges into the sorted
likely points (`count_bins`), plus one look at the events wide enough to be uncertain, and a
`WindowCounter` does even that only when the window leaves the stretch of bins it counted.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import numpy as np

UNITS = ("day", "week", "month")
DAY = 86400
WEEK = 7 * DAY
SHORTEST = {"day": DAY, "week": WEEK, "month": 28 * DAY}   # the shortest bin of each unit
_EMPTY = np.empty(0, np.int64)


# ---- calendar edges -------------------------------------------------------------------------------
def floor_to(unit: str, t: float) -> int:
    """The start (UTC) of the day, ISO week or month holding `t`."""
    day = int(np.floor(t / DAY))
    if unit == "day":
        return day * DAY
    if unit == "week":                     # 1970-01-01 was a Thursday: (day + 3) % 7 is 0 on Mondays
        return (day - (day + 3) % 7) * DAY
    if unit == "month":
        return int(np.datetime64(day, "D").astype("datetime64[M]").astype("datetime64[s]").astype(np.int64))
    raise ValueError(f"unknown bin unit {unit!r} (one of {', '.join(UNITS)})")


def bin_edges(unit: str, t0: float, t1: float) -> np.ndarray:
    """Edges of the whole bins covering [t0, t1): edges[0] ≤ t0 < … and edges[-1] ≥ t1
    (at least one bin)."""
    start = floor_to(unit, t0)
    if unit == "month":
        m0 = np.datetime64(start, "s").astype("datetime64[M]")
        m1 = np.datetime64(int(np.ceil(t1)) - 1, "s").astype("datetime64[M]") + 1
        months = np.arange(m0, max(m1, m0 + 1) + 1)
        return months.astype("datetime64[s]").astype(np.int64)
    step = DAY if unit == "day" else WEEK
    n = max(int(np.ceil((t1 - start) / step)), 1)
    return start + step * np.arange(n + 1, dtype=np.int64)


def auto_unit(t0: float, t1: float, width_px: float, min_px: float = 8.0) -> str:
    """The finest of day, week, month whose bars in a window [t0, t1] drawn `width_px` wide are
    at least `min_px` wide (month when even months are narrower)."""
    most = max(width_px / min_px, 1.0)
    for unit in ("day", "week"):
        if (t1 - t0) / SHORTEST[unit] <= most:
            return unit
    return "month"


def iso_day(t: int) -> str:
    return (datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=int(t))).date().isoformat()


# ---- series ---------------------------------------------------------------------------------------------
@dataclass
class Series:
    """One stack's events, each once, sorted by likely point (`mid`), with the width of each
    start's bounds (hi − lo) and its id; `wide` caches, per unit, the positions of the events wide
    enough to be uncertain in some bin of that unit."""

    key: Hashable
    mid: np.ndarray = field(default_factory=lambda: _EMPTY)
    width: np.ndarray = field(default_factory=lambda: _EMPTY)
    ids: np.ndarray = field(default_factory=lambda: _EMPTY)
    wide: dict = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    def wide_positions(self, unit: str) -> np.ndarray:
        if unit not in self.wide:
            self.wide[unit] = np.flatnonzero(self.width >= SHORTEST[unit])
        return self.wide[unit]

    def subset(self, keep_ids: np.ndarray | None, key: Hashable | None = None) -> "Series":
        """The events whose id is in `keep_ids` (sorted ids; None keeps all), still sorted."""
        if keep_ids is None:
            return self if key is None else Series(key, self.mid, self.width, self.ids)
        keep = np.isin(self.ids, keep_ids, assume_unique=False)
        return Series(self.key if key is None else key, self.mid[keep], self.width[keep], self.ids[keep])


def series_of(key: Hashable, lanes: Iterable) -> Series:
    """The events of `lanes` (`sijill.db.timeline.lanes.Lane`s), each once."""
    lanes = [lane for lane in lanes if lane is not None and len(lane)]
    if not lanes:
        return Series(key)
    ids = np.concatenate([lane.ids for lane in lanes])
    lo = np.concatenate([lane.lo for lane in lanes])
    shi = np.concatenate([lane.start_hi for lane in lanes])
    if len(lanes) > 1 or len(np.unique(ids)) != len(ids):
        ids, first = np.unique(ids, return_index=True)     # an event in several lanes (or roles) once
        lo, shi = lo[first], shi[first]
    mid = (lo + shi) // 2
    order = np.argsort(mid, kind="stable")
    return Series(key, mid[order], (shi - lo)[order], ids[order])


def stacks_by_lane(lanes: Mapping[int, object], members: Mapping[Hashable, Sequence[int]]) -> list[Series]:
    """One series per stack of `members` (stack key -> the lane keys it gathers, in order): a
    stack is a group with, when rolled up, its sub-groups."""
    return [series_of(key, (lanes.get(k) for k in keys)) for key, keys in members.items()]


def stacks_by_type(total: Series, type_ids: Mapping[str, np.ndarray]) -> list[Series]:
    """One series per event type (`type_ids`: type -> sorted ids of that type), then "(no type)"
    for the events of `total` in none of them."""
    out = [total.subset(ids, key=name) for name, ids in type_ids.items()]
    typed = np.unique(np.concatenate([*type_ids.values(), _EMPTY])) if type_ids else _EMPTY
    rest = ~np.isin(total.ids, typed)
    if rest.any():
        out.append(Series("(no type)", total.mid[rest], total.width[rest], total.ids[rest]))
    return out


def with_descendants(parent_of: Mapping[int, int | None], roots: Iterable[int]) -> list[int]:
    """`roots` and every group below them (`parent_of`: group id -> parent id or None)."""
    children: dict[int | None, list[int]] = {}
    for gid, parent in parent_of.items():
        children.setdefault(parent, []).append(gid)
    out, todo = [], list(roots)
    while todo:
        gid = todo.pop()
        if gid not in out:
            out.append(gid)
            todo.extend(children.get(gid, ()))
    return out


def rolled_up(order: Sequence[int], parent_of: Mapping[int, int | None], into: Iterable[int]) -> dict[int, list[int]]:
    """Stacks for lanes in display `order`: each group of `into` gathers its sub-groups (to any
    depth); the other lanes stand alone, except those gathered."""
    into = [k for k in order if k in set(into)]
    gathered: dict[int, list[int]] = {}
    taken: set[int] = set()
    for key in into:
        if key in taken:
            continue
        members = [k for k in with_descendants(parent_of, [key]) if k not in taken]
        gathered[key] = members
        taken.update(members)
    return {k: gathered.get(k, [k]) for k in order if k in gathered or k not in taken}


# ---- counting ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Counts:
    """Per bin of `edges` (n + 1 instants, n bins): per stack (rows in `keys` order) how many
    events and how many of them uncertain, and the same for `total` (each event once)."""

    unit: str
    edges: np.ndarray
    keys: list
    count: np.ndarray        # (stacks, bins)
    uncertain: np.ndarray    # (stacks, bins)
    total: np.ndarray        # (bins,)
    total_uncertain: np.ndarray

    def __len__(self) -> int:
        return len(self.edges) - 1

    def sliced(self, a: int, b: int) -> "Counts":
        """Bins a to b − 1 (views of these arrays: a bin's counts do not depend on its neighbours)."""
        return Counts(self.unit, self.edges[a:b + 1], self.keys, self.count[:, a:b], self.uncertain[:, a:b],
                      self.total[a:b], self.total_uncertain[a:b])

    def bins_json(self, names: Mapping | None = None) -> dict:
        """{"bins": [{"start", "end" (last day, inclusive), "count", "uncertain"}, …]}; with
        `names` (stack key -> name), each bin also gives its stacks by name."""
        out = []
        for i in range(len(self)):
            row = {"start": iso_day(self.edges[i]), "end": iso_day(self.edges[i + 1] - 1),
                   "count": int(self.total[i]), "uncertain": int(self.total_uncertain[i])}
            if names is not None:
                row["stacks"] = {str(names.get(k, k)): int(self.count[s, i]) for s, k in enumerate(self.keys)}
            out.append(row)
        return {"bins": out}

    def csv_rows(self, names: Mapping | None = None) -> list[list]:
        """A header and one row per bin: start, end, count, uncertain, then each stack's count."""
        names = names or {}
        head = ["start", "end", "count", "uncertain", *(str(names.get(k, k)) for k in self.keys)]
        rows = [head]
        for i in range(len(self)):
            rows.append([iso_day(self.edges[i]), iso_day(self.edges[i + 1] - 1), int(self.total[i]),
                         int(self.total_uncertain[i]), *(int(c) for c in self.count[:, i])])
        return rows


def _count(series: Series, edges: np.ndarray, lengths: np.ndarray, unit: str) -> tuple[np.ndarray, np.ndarray]:
    count = np.diff(np.searchsorted(series.mid, edges, side="left"))
    wide = series.wide_positions(unit)
    uncertain = np.zeros(len(lengths), np.int64)
    if len(wide):
        mid = series.mid[wide]
        a, b = np.searchsorted(mid, (edges[0], edges[-1]), side="left")
        if b > a:
            at = np.searchsorted(edges, mid[a:b], side="right") - 1
            over = series.width[wide[a:b]] >= lengths[at]
            uncertain = np.bincount(at[over], minlength=len(lengths))
    return count, uncertain


def count_bins(stacks: Sequence[Series], total: Series, unit: str, t0: float, t1: float) -> Counts:
    """Count `stacks` and `total` in the `unit` bins covering [t0, t1)."""
    edges = bin_edges(unit, t0, t1)
    lengths = np.diff(edges)
    rows = [_count(s, edges, lengths, unit) for s in stacks]
    total_count, total_unc = _count(total, edges, lengths, unit)
    n = len(lengths)
    count = np.array([c for c, _u in rows], np.int64).reshape(len(rows), n)
    uncertain = np.array([u for _c, u in rows], np.int64).reshape(len(rows), n)
    return Counts(unit, edges, [s.key for s in stacks], count, uncertain, total_count, total_unc)


class WindowCounter:
    """Counts of fixed series over a stretch of bins wider than the window, kept per unit, so that
    a pan or zoom whose bins are inside it slices them (`Counts.sliced`) instead of counting again.

    Made for one set of series: built again when the series are (a data or filter change). The
    stretch is the window's bins with as much again on each side (at most MARGIN_BINS bins a side).
    """

    MARGIN_BINS = 256

    def __init__(self, stacks: Sequence[Series], total: Series) -> None:
        self.stacks, self.total = list(stacks), total
        self.stretch: dict[str, Counts] = {}

    def count(self, unit: str, t0: float, t1: float) -> tuple[Counts, int, int]:
        """(the counts of the unit's stretch, a, b): the window's bins are the stretch's bins a to
        b − 1, `stretch.sliced(a, b)` (counted again first when the window left the stretch)."""
        edges = bin_edges(unit, t0, t1)
        have = self.stretch.get(unit)
        if have is None or edges[0] < have.edges[0] or edges[-1] > have.edges[-1]:
            margin = min(t1 - t0, self.MARGIN_BINS * SHORTEST[unit])
            have = self.stretch[unit] = count_bins(self.stacks, self.total, unit, t0 - margin, t1 + margin)
        first = int(np.searchsorted(have.edges, edges[0]))
        return have, first, first + len(edges) - 1


def ids_in_bin(series: Series, edges: np.ndarray, i: int) -> np.ndarray:
    """Ids of the events of `series` counted in bin `i`, in time order."""
    a, b = np.searchsorted(series.mid, (edges[i], edges[i + 1]), side="left")
    return series.ids[a:b]
