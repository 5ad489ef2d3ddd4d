"""Density binning: how many events fall in each pixel column, counted with numpy.

Where a lane is too crowded to draw one mark per event, the timeline draws these counts as a
strip (darker = more) instead; counting 100,000 events this way takes about a millisecond.
"""
from __future__ import annotations

import numpy as np

from sijill.db.timeline.lanes import Lane


def likely_point(lane: Lane, idx: np.ndarray) -> np.ndarray:
    """The most likely instant of each event's start: the middle of its start bounds."""
    return (lane.lo[idx] + lane.start_hi[idx]) // 2


def density_bins(xs: np.ndarray, width: int) -> np.ndarray:
    """Counts per pixel column 0..width-1 of pixel positions `xs` (outside ones are clipped in)."""
    if width <= 0:
        return np.zeros(0, np.int64)
    cols = np.clip(np.asarray(xs, dtype=np.float64), 0, width - 1).astype(np.int64)
    return np.bincount(cols, minlength=width)[:width]


def lane_density(lane: Lane, idx: np.ndarray, t0: float, t1: float, width: int) -> np.ndarray:
    """Counts per pixel column of the events `idx` of `lane` in the window [t0, t1]."""
    if not len(idx):
        return np.zeros(width, np.int64)
    xs = (likely_point(lane, idx) - t0) * (width / (t1 - t0))
    return density_bins(xs, width)


def overview_counts(lanes, t0: float, t1: float, width: int) -> np.ndarray:
    """Counts per column over the whole project (each event once per lane it is in)."""
    total = np.zeros(max(width, 0), np.int64)
    scale = width / (t1 - t0) if t1 > t0 else 0.0
    for lane in lanes:
        if len(lane):
            total += density_bins(((lane.lo + lane.start_hi) // 2 - t0) * scale, width)
    return total


def cap_buckets(counts: np.ndarray, crowded: np.ndarray, cap: int) -> np.ndarray:
    """The lane-wide cap on individually drawn events: given events per bucket and the buckets
    already crowded, also mark crowded the densest remaining buckets until the events left in the
    others number at most `cap` (sparse stretches keep their marks, busy ones become density)."""
    crowded = np.asarray(crowded, bool).copy()
    free = np.flatnonzero(~crowded & (counts > 0))
    if counts[free].sum() <= cap:
        return crowded
    order = free[np.argsort(counts[free], kind="stable")]    # sparsest first
    keep = np.cumsum(counts[order]) <= cap
    crowded[order[~keep]] = True
    return crowded
