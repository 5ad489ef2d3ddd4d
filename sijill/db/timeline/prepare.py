"""What every lane of a frame draws, worked out for all the lanes at once.

Per lane, the choice is made by bisection on the lane's sorted arrays: a lane whose visible slice
is small (at most SLICE_MAX events) has every visible event looked at; a busier lane is read
through its index (`Lane.index()`), so its cost follows the pixels. With a filter active,
`data.lane()` gives lanes holding only the events it lets through, with indexes of their own. Then, for all lanes together on concatenated arrays: crowded buckets go to a density
strip, the rest are laid out in rows, and the haze of off-screen uncertain dates is counted.

Ranks (`Lane.prio`: key event, period start, evidence count) decide who wins where items compete:
a key event or a period's start is drawn one by one even in a crowded stretch (up to the lane's
rows per bucket, best first), and in the rows the more important keep their labels' room
(`sijill.db.timeline.layout`). Events that find no row are counted where they are: "+N more" markers
(`DrawnLane.more`) at the first hidden event of each cluster.

Doing the numpy work once per frame instead of once per lane matters: a frame shows a dozen
lanes of a few dozen items each, and numpy's cost per call dwarfs its cost per element there.
The result is one `DrawnLane` per lane, as the painter and hit-testing read it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sijill.db.timeline.counting import (counts_between, duration_class, haze_cover, long_spans, positions_between,
                                  positions_in_ranges)
from sijill.db.timeline.density import cap_buckets
from sijill.db.timeline.lanes import FLAG_SPAN, PRIO_PROMOTED
from sijill.db.timeline.layout import assign_rows
from sijill.db.timeline.window import Viewport
from sijill.db.timeline.frame import (BUCKET_PX, LANE_PAD, MARK_R, ROW_H, SLICE_MAX, DrawnLane, LaneGeom, _clip, _nz,
                                    coverage, lane_cap)

HAZE_STEP = 4        # the haze strip is a hint: one value per 4 columns
_FIELDS = ("lo", "start_hi", "end_lo", "hi", "ids", "role", "flags", "mid", "prio")
RESERVE_DEFAULT = 100.0   # label room kept for a ranked event when its title's width is not known
RESERVE_MAX = 160.0       # never more: a long title does not hide a whole stretch of the lane
MORE_GAP = 64.0           # hidden events closer than this share one "+N more" marker
_EMPTY_I = np.empty(0, np.int64)
_EMPTY_F = np.empty(0)


def _empty(g: LaneGeom, density=None) -> DrawnLane:
    return DrawnLane(g, _EMPTY_I, _EMPTY_I, _EMPTY_F, _EMPTY_F, _EMPTY_F, density, 0)


def _segments(n: np.ndarray) -> np.ndarray:
    """For consecutive runs of lengths `n`: each element's position within its run."""
    total = int(n.sum())
    starts = np.cumsum(n) - n
    return np.arange(total) - np.repeat(starts, n)


class Grid:
    """Per frame, shared by the lanes: column edges in time (the outer ones widened by a mark's
    half width), bucket edges, and the bucket of each column."""

    def __init__(self, vp: Viewport) -> None:
        W = int(vp.width)
        scale = vp.width / vp.span
        pad = MARK_R / scale
        cols = np.arange(W + 1, dtype=np.float64) / scale + vp.t0
        cols[0], cols[-1] = vp.t0 - pad, vp.t1 + pad
        nb = max(1, -(-W // BUCKET_PX))
        self.key = (vp.t0, vp.t1, vp.width)
        self.cols = cols
        self.edges = cols[np.minimum(np.arange(nb + 1) * BUCKET_PX, W)]
        self.bucket_of = np.minimum(np.arange(W) // BUCKET_PX, nb - 1)


class _Items:
    """Concatenated per-item arrays of several lanes: `slot` (which lane of the frame), `pos`
    (position in the lane's arrays) and the lane fields of `_FIELDS`.

    A subset (`take`) is lazy: it keeps the arrays it was taken from and the positions taken, and
    gathers a field when it is first read. A frame drops most of the events of a busy slice (off
    screen, then crowded into density) after reading only a few of their fields."""

    __slots__ = ("slot", "pos", *_FIELDS, "_src", "_at")
    _NAMES = ("slot", "pos", *_FIELDS)

    def __init__(self, **arrays) -> None:
        self._src = None
        for k, v in arrays.items():
            setattr(self, k, v)

    def __getattr__(self, name: str):
        """A field not read yet (only called when the slot is empty)."""
        if name in ("_src", "_at") or self._src is None:
            raise AttributeError(name)
        value = self._src[name][self._at]
        setattr(self, name, value)
        return value

    def take(self, which) -> "_Items":
        if which.dtype == bool:
            which = which.nonzero()[0]
        out = _Items()
        if self._src is None:
            out._src, out._at = {k: getattr(self, k) for k in self._NAMES}, which
        else:
            out._src, out._at = self._src, self._at[which]
        return out

    @staticmethod
    def join(parts: list["_Items"]) -> "_Items":
        if len(parts) == 1:
            return parts[0]
        return _Items(**{k: np.concatenate([getattr(p, k) for p in parts]) for k in _Items._NAMES})


@dataclass
class Batch:
    """Every item drawn in the frame, lane after lane (items of geom `s` are `cut[s]:cut[s + 1]`),
    with the same per-item arrays as the DrawnLanes (which are views into these)."""

    slot: np.ndarray
    ids: np.ndarray
    x0: np.ndarray
    x1: np.ndarray
    y0: np.ndarray
    px: np.ndarray
    b0: np.ndarray
    b1: np.ndarray
    e0: np.ndarray
    e1: np.ndarray
    span: np.ndarray
    role: np.ndarray
    room: np.ndarray
    cut: list[int]


def prepare_lanes(vp: Viewport, data, geoms: list[LaneGeom], grid: Grid,
                  label_need=None) -> tuple[list[DrawnLane], Batch]:
    """One DrawnLane per geom, in order, and the Batch of all their items. `label_need(ids)`
    gives the pixels each event's label wants right of its mark (the room a ranked event keeps)."""
    out: list[DrawnLane | None] = [None] * len(geoms)
    t0i, t1i = int(vp.t0), int(vp.t1) + 1
    direct: list[tuple[int, object, int, int]] = []       # (slot, lane, left, right): every visible event looked at
    chosen: list[tuple[int, object, np.ndarray]] = []     # (slot, lane, positions) chosen through the index
    density: dict[int, np.ndarray] = {}
    indexed: dict[int, object] = {}                         # slot -> lane index (its haze is read there)
    for s, g in enumerate(geoms):
        lane = data.lane(g.key)
        if lane is None or not len(lane):
            out[s] = _empty(g)
            continue
        left = int(np.searchsorted(lane.lo, t0i - lane.max_dur, side="left"))
        right = int(np.searchsorted(lane.lo, t1i, side="right"))
        if right - left <= SLICE_MAX:
            direct.append((s, lane, left, right))
            continue
        got = _choose_indexed(vp, g, lane, grid)
        if isinstance(got, DrawnLane):
            out[s] = got
            continue
        idx, dens = got
        chosen.append((s, lane, idx))
        indexed[s] = lane.index()
        if dens is not None:
            density[s] = dens
    parts = []
    haze_src = None
    if direct:
        part, haze_src = _choose_direct(vp, data, geoms, direct, density, out)
        if part is not None:
            parts.append(part)
    for s, lane, idx in chosen:
        parts.append(_Items(slot=np.full(len(idx), s, np.int64), pos=idx,
                            **{k: getattr(lane, k)[idx] for k in _FIELDS}))
    items = _Items.join(parts) if parts else None
    if items is not None and chosen and len(parts) > 1:
        order = np.argsort(items.slot * (1 << 40) + items.pos, kind="stable")
        items = items.take(order)
    slots = [s for s in range(len(geoms)) if out[s] is None]
    batch = _place(vp, geoms, slots, items, density, indexed, haze_src, out, label_need)
    return out, batch


def _best_per_bucket(cand: np.ndarray, prio: np.ndarray, bucket: np.ndarray, limit) -> np.ndarray:
    """Of the candidates `cand` (positions, ascending), per bucket the `limit` of highest `prio`
    (ties: the earlier), ascending. `bucket` and `prio` are per candidate; `limit` a number or one
    per candidate."""
    order = np.lexsort((cand, -prio.astype(np.int64), bucket))
    b = bucket[order]
    rank = np.arange(len(order)) - np.searchsorted(b, b, side="left")
    lim = limit if np.isscalar(limit) else np.asarray(limit)[order]
    return np.sort(cand[order[rank < lim]])


def _choose_indexed(vp: Viewport, g: LaneGeom, lane, grid: Grid):
    """A busy lane, through its index: counts per bucket and per column by bisection (O(columns ·
    log n)), events listed only where a bucket is not crowded, long spans from their own index.
    Returns (positions, density or None), or the DrawnLane of a collapsed lane."""
    ix = lane.index()
    width, t0, t1 = vp.width, vp.t0, vp.t1
    scale = width / vp.span
    W = int(width)
    pad = MARK_R / scale                       # a mark just off the edge still shows
    cols, edges, bucket_of = grid.cols, grid.edges, grid.bucket_of
    if g.collapsed:
        return _empty(g, counts_between(ix.mid, cols))
    per_bucket = counts_between(ix.mid, edges)
    crowded = cap_buckets(per_bucket, per_bucket > g.rows, lane_cap(g, W))
    wide_min = 2 * BUCKET_PX / scale           # spans longer than this are bars, never density
    idx = positions_in_ranges(ix, edges, ~crowded & (per_bucket > 0))
    # short spans starting just left of the window still show their visible end
    left = positions_between(ix, t0 - wide_min, t0 - pad)
    if 0 < len(left) <= 2 * g.rows:
        left = left[((lane.flags[left] & FLAG_SPAN) > 0) & (lane.hi[left] >= t0)]
        idx = np.sort(np.concatenate((idx, left)))      # disjoint: their likely points differ
    # long spans come from their own index (bounded: 4 × the cap candidates looked at)
    wide, floor = long_spans(ix, lane.lo, lane.hi, t0, t1, wide_min, 4 * lane_cap(g, W))
    if len(idx):
        dur = lane.hi[idx] - lane.lo[idx]
        idx = idx[~(((lane.flags[idx] & FLAG_SPAN) > 0) & (dur > wide_min) & (dur >= floor))]
    density = None
    if crowded.any():
        colmask = crowded[bucket_of]
        density = np.where(colmask, counts_between(ix.mid, cols), 0)
        if len(wide):                          # long spans are drawn as bars, not counted
            wx = (lane.mid[wide] - t0) * scale
            c = _clip(np.floor(wx), 0, W - 1).astype(np.int64)
            inside = (wx >= -MARK_R) & (wx < width + MARK_R)
            inside &= colmask[c]
            density -= np.bincount(c[inside], minlength=W)
    if len(wide):
        idx = np.union1d(idx, wide) if len(idx) else wide
    if density is not None and len(lane.top):
        # key events and period starts in crowded stretches: drawn one by one, taken out of the count
        top = lane.top
        tm = lane.mid[top]
        vis = (tm >= t0 - pad) & (tm < t1 + pad)
        if vis.any():
            top, tm = top[vis], tm[vis]
            b = np.clip(np.searchsorted(edges, tm, side="right") - 1, 0, len(crowded) - 1)
            inside = crowded[b]
            if inside.any():
                top, b, tm = top[inside], b[inside], tm[inside]
                got = _best_per_bucket(top, lane.prio[top], b, g.rows)
                if len(idx):                          # those not listed already (idx is sorted)
                    at = np.minimum(np.searchsorted(idx, got), len(idx) - 1)
                    got = got[idx[at] != got]
                if len(got):
                    c = _clip(np.floor((lane.mid[got] - t0) * scale), 0, W - 1).astype(np.int64)
                    density = density - np.bincount(c, minlength=W)[:W]
                    idx = np.sort(np.concatenate((idx, got)))
    return idx, density


def _choose_direct(vp: Viewport, data, geoms: list[LaneGeom], direct: list, density: dict, out: list):
    """The lanes whose every visible event is looked at, all at once: crowded buckets go to
    density, the rest are returned for placing, with the uncertain instants whose haze may show
    (`haze_src`)."""
    width, t0 = vp.width, vp.t0
    W = int(width)
    scale = width / vp.span
    t0i = int(vp.t0)
    slot_ids = np.array([d[0] for d in direct], np.int64)
    n = np.array([d[3] - d[2] for d in direct], np.int64)
    cols = {k: np.concatenate([getattr(lane, k)[a:b] for _s, lane, a, b in direct]) for k in _FIELDS}
    pos = _segments(n) + np.repeat(np.array([d[2] for d in direct], np.int64), n)
    slot = np.repeat(slot_ids, n)
    keep = cols["hi"] >= t0i
    items = _Items(slot=slot, pos=pos, **cols).take(keep)
    xp = (items.mid - t0) * scale
    collapsed = [s for s, *_ in direct if geoms[s].collapsed]
    if collapsed:                          # a collapsed lane shows all its visible events as density
        c = np.clip(xp, 0, W - 1).astype(np.int64)
        for s in collapsed:
            m = items.slot == s
            out[s] = _empty(geoms[s], np.bincount(c[m], minlength=W)[:W])
        live = ~np.isin(items.slot, collapsed)
        items, xp = items.take(live), xp[live]
    span = (items.flags & FLAG_SPAN) > 0
    # uncertain instants wider than a mark: the haze (those not drawn as marks)
    kmin = int(duration_class(np.array([max(2 * MARK_R / scale, 1)]))[0])
    hz = ~span & ((items.hi - items.lo) >= (1 << kmin))
    haze_src = (items.slot[hz], items.pos[hz], items.lo[hz], items.hi[hz])
    # an instant whose likely point is off screen only shows its uncertainty, as haze
    off = ~span & ((xp < -MARK_R) | (xp > width + MARK_R))
    if off.any():
        on = ~off
        items, xp, span = items.take(on), xp[on], span[on]
    if not len(xp):
        return None, haze_src
    x0 = np.minimum(_clip((items.lo - t0) * scale, -20, width + 20), xp - MARK_R)
    x1 = np.maximum(_clip((items.hi - t0) * scale, -20, width + 20), xp + MARK_R)
    narrow = ~span | ((x1 - x0) <= 2 * BUCKET_PX)
    # crowding, per lane holding more events than rows: buckets of BUCKET_PX columns
    nslots = len(geoms)
    per_lane = np.bincount(items.slot, minlength=nslots)
    rows = np.array([g.rows for g in geoms], np.int64)
    busy = per_lane > rows
    cand = narrow & busy[items.slot]
    if not cand.any():
        return items, haze_src
    b = np.maximum(np.floor(xp / BUCKET_PX), 0).astype(np.int64)
    nb = int(b[cand].max()) + 1
    flat = items.slot * nb + b
    per_bucket = np.bincount(flat[cand], minlength=nslots * nb)
    crowded = per_bucket > np.repeat(rows, nb)
    _cap_all(per_bucket, crowded, nb, np.array([lane_cap(g, W) for g in geoms], np.int64))
    crowd = cand & crowded[np.where(cand, flat, 0)]
    ranked = _nz(crowd & (items.prio >= PRIO_PROMOTED))
    if len(ranked):        # key events and period starts stay drawn, up to the lane's rows per bucket
        crowd[_best_per_bucket(ranked, items.prio[ranked], flat[ranked], rows[items.slot[ranked]])] = False
    if crowd.any():
        c = np.clip(xp[crowd], 0, W - 1).astype(np.int64)
        cs = items.slot[crowd]
        counts = np.bincount(cs * W + c, minlength=nslots * W).reshape(nslots, W)
        for s in np.unique(cs).tolist():
            density[s] = counts[s]
        items = items.take(~crowd)
    return items, haze_src


def _cap_all(per_bucket: np.ndarray, crowded: np.ndarray, nb: int, caps: np.ndarray) -> None:
    """`cap_buckets` for every lane at once, in place on the flat (lane × bucket) arrays: where a
    lane's uncrowded buckets hold more than its cap, its densest ones are crowded too until the
    events left number at most the cap (sparsest first, ties in bucket order, as there)."""
    free = ~crowded & (per_bucket > 0)
    lane_of = np.arange(len(per_bucket)) // nb
    over = np.bincount(lane_of, weights=per_bucket * free, minlength=len(caps)) > caps
    fi = _nz(free & over[lane_of])
    if not len(fi):
        return
    cnt, lanes = per_bucket[fi], lane_of[fi]
    order = np.lexsort((fi, cnt, lanes))             # per lane: sparsest first, then by bucket
    cnt, lanes, fi = cnt[order], lanes[order], fi[order]
    cum = np.cumsum(cnt)
    first = np.searchsorted(lanes, lanes, side="left")   # start of each one's lane run
    cum -= (cum - cnt)[first]
    crowded[fi[cum > caps[lanes]]] = True


def _place(vp: Viewport, geoms: list[LaneGeom], slots: list[int], items, density: dict, indexed: dict,
           haze_src, out: list, label_need=None) -> Batch:
    """Lay out the chosen events of every lane in rows, count the haze, and fill `out[slot]`.
    `items` is ordered by lane slot, then position. The haze counts, per column, the uncertain
    dates wider than a mark of instants not drawn as marks: read from the lane's index for the
    lanes chosen through it, or counted from `haze_src` for the others."""
    width, t0 = vp.width, vp.t0
    scale = width / vp.span
    nslots = len(geoms)
    if items is None:
        items = _Items(slot=_EMPTY_I, pos=_EMPTY_I, **{k: _EMPTY_I for k in _FIELDS})
    xp = (items.mid - t0) * scale
    span = (items.flags & FLAG_SPAN) > 0
    lo_x = (items.lo - t0) * scale
    hi_x = (items.hi - t0) * scale
    x0 = np.minimum(_clip(lo_x, -20, width + 20), xp - MARK_R)
    x1 = np.maximum(_clip(hi_x, -20, width + 20), xp + MARK_R)
    cut = np.searchsorted(items.slot, np.arange(nslots + 1)).tolist()
    row = np.full(len(xp), -1, np.int64)
    room = np.zeros(len(xp))
    overflow = [0] * nslots
    prio = items.prio
    for s in slots:             # row by row per lane (a batched first fit measured slower)
        p, q = cut[s], cut[s + 1]
        if q > p:
            pr = prio[p:q]
            reserve = 0.0
            if q - p > 1 and pr.min() != pr.max():
                reserve = _reserve(items.ids[p:q], pr, span[p:q], x0[p:q], x1[p:q], label_need)
            lay = assign_rows(x0[p:q], x1[p:q], geoms[s].rows, gap=2.0, wide=4 * BUCKET_PX, right_edge=width,
                              prio=pr, reserve=reserve)
            row[p:q], room[p:q], overflow[s] = lay.row, lay.label_room, lay.overflow
    placed = _nz(row >= 0)
    more: dict[int, list] = {}
    if len(placed) < len(row):
        more = _more_markers(row, cut, slots, x0 + vp.x0, items.ids, overflow)
        items = items.take(placed)
        xp, span, lo_x, hi_x, x0, x1, row, room = (a[placed] for a in (xp, span, lo_x, hi_x, x0, x1, row, room))
        cut = np.searchsorted(items.slot, np.arange(nslots + 1)).tolist()
    haze = _haze(vp, nslots, items, span, lo_x, hi_x, indexed, haze_src)
    ox = vp.x0
    ybase = np.array([g.y + LANE_PAD for g in geoms])
    y0 = ybase[items.slot] + row * ROW_H
    X0, X1, PX, B0, E1 = x0 + ox, x1 + ox, xp + ox, lo_x + ox, hi_x + ox
    B1 = (items.start_hi - t0) * scale + ox
    E0 = (items.end_lo - t0) * scale + ox
    for s in slots:
        p, q = cut[s], cut[s + 1]
        dens = density.get(s)
        h = None
        if haze is not None and s in haze[1]:
            h = haze[0][s]
            if dens is not None:                   # the density strip already speaks there
                h[dens > 0] = 0
            if not h.any():
                h = None
        dl = DrawnLane(geoms[s], items.ids[p:q], items.pos[p:q], X0[p:q], X1[p:q], y0[p:q], dens, overflow[s])
        dl.room = room[p:q]
        dl.haze = h
        dl.px, dl.span, dl.role = PX[p:q], span[p:q], items.role[p:q]
        dl.b0, dl.e1, dl.b1, dl.e0 = B0[p:q], E1[p:q], B1[p:q], E0[p:q]
        dl.more = more.get(s, [])
        out[s] = dl
    return Batch(items.slot, items.ids, X0, X1, y0, PX, B0, B1, E0, E1, span, items.role, room, cut)


def _reserve(ids: np.ndarray, prio: np.ndarray, span: np.ndarray, x0: np.ndarray, x1: np.ndarray,
             label_need) -> np.ndarray:
    """The label room each item of a ranked lane keeps from lower ranks: its title's width (or
    RESERVE_DEFAULT) plus the label's offset, at most RESERVE_MAX; none for the lowest rank (no one
    is below it) nor for long bars (their label is inside)."""
    out = np.zeros(len(ids))
    want = _nz((prio > prio.min()) & ~(span & ((x1 - x0) > 4 * BUCKET_PX)))
    if len(want):
        need = label_need(ids[want]) if label_need is not None else np.full(len(want), RESERVE_DEFAULT)
        out[want] = np.minimum(need + 16.0, RESERVE_MAX)
    return out


def _more_markers(row: np.ndarray, cut: list[int], slots: list[int], X0: np.ndarray, ids: np.ndarray,
                  overflow: list[int]) -> dict[int, list]:
    """Per lane with events left out, its "+N more" markers: (x of the first hidden event of a
    cluster, the cluster's event ids), hidden events less than MORE_GAP px apart sharing one."""
    out: dict[int, list] = {}
    for s in slots:
        if not overflow[s]:
            continue
        p, q = cut[s], cut[s + 1]
        hid = _nz(row[p:q] < 0) + p
        xs = X0[hid]
        order = np.argsort(xs, kind="stable")
        hid, xs = hid[order], xs[order]
        starts = np.concatenate(([0], _nz(np.diff(xs) >= MORE_GAP) + 1))
        ends = np.concatenate((starts[1:], [len(xs)]))
        out[s] = [(float(xs[a]), ids[hid[a:b]]) for a, b in zip(starts.tolist(), ends.tolist())]
    return out


def _haze(vp: Viewport, nslots: int, items, span, lo_x, hi_x, indexed: dict, haze_src):
    """(per-slot haze rows of W columns, slots that have one) or None."""
    width, t0 = vp.width, vp.t0
    scale = width / vp.span
    W = int(width)
    step = HAZE_STEP
    n_c = -(-W // step)
    grid = None
    have: set[int] = set()
    if haze_src is not None and len(haze_src[0]):
        # those not drawn as marks: membership by bisection on (slot, position) keys, both ascending
        s_slot, s_pos, s_lo, s_hi = haze_src
        key = s_slot * (1 << 40) + s_pos
        if len(items.pos):
            drawn = items.slot * (1 << 40) + items.pos
            at = np.minimum(np.searchsorted(drawn, key), len(drawn) - 1)
            m = drawn[at] != key
            s_slot, s_lo, s_hi = s_slot[m], s_lo[m], s_hi[m]
        if len(s_slot):
            a = _clip(np.ceil(((s_lo - t0) * scale - step / 2) / step), 0, n_c).astype(np.int64)
            b = _clip(np.floor(((s_hi - t0) * scale - step / 2) / step) + 1, 0, n_c).astype(np.int64)
            size = nslots * (n_c + 1)
            diff = (np.bincount(s_slot * (n_c + 1) + a, minlength=size)
                    - np.bincount(s_slot * (n_c + 1) + b, minlength=size))
            grid = np.cumsum(diff.reshape(nslots, n_c + 1), axis=1)[:, :n_c]
            have.update(np.unique(s_slot).tolist())
    if indexed:
        centres = t0 + (np.arange(0, W, step) + step / 2) / scale
        min_w = 2 * MARK_R / scale
        kmin = int(duration_class(np.array([max(min_w, 1)]))[0])
        for s, ix in indexed.items():
            if not ix.haze:
                continue
            h = haze_cover(ix, centres, min_w)
            m = items.slot == s
            drawn = _nz(m & ~span & ((items.hi - items.lo) >= (1 << kmin)))
            if len(drawn):                        # a drawn mark shows its own band
                a = np.ceil((lo_x[drawn] - step / 2) / step)
                b = np.floor((hi_x[drawn] - step / 2) / step) + 1
                h = h - coverage(a, b, n_c)
            if grid is None:
                grid = np.zeros((nslots, n_c), np.int64)
            grid[s] = h
            have.add(s)
    if grid is None:
        return None
    return np.repeat(np.maximum(grid, 0), step, axis=1)[:, :W], have
