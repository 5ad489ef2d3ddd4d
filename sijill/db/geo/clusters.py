"""Clustering of map points by screen distance: a grid of `cell`-pixel squares, one cluster per
occupied square, placed at the mean of its points; then clusters whose centres are closer than
`cell` (a group split by a grid line) are merged, the largest absorbing its neighbours.

A grid rather than a distance-based method (k-means, DBSCAN) because it is one numpy sort and
stable while panning (tile-aligned in screen space keeps counts steady), which is what a map of a
few thousand visible events needs (Leaflet.markercluster's grid does the same per zoom level).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Clusters:
    """Clusters of the points given to `cluster_points`: cluster k sits at (x[k], y[k]) and holds
    `count[k]` points, whose indices are `members(k)`."""

    x: np.ndarray
    y: np.ndarray
    count: np.ndarray
    order: np.ndarray     # point indices grouped by cluster
    starts: np.ndarray    # cluster k's indices are order[starts[k]:starts[k + 1]]

    def __len__(self) -> int:
        return len(self.count)

    def members(self, k: int) -> np.ndarray:
        return self.order[self.starts[k]:self.starts[k + 1]]


def cluster_points(x, y, cell: float, origin: tuple[float, float] = (0.0, 0.0)) -> Clusters:
    """Group screen points (x, y) by the `cell`-pixel square of a grid anchored at `origin`
    (pass the screen position of a fixed world point, so that panning does not regroup them)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if not len(x):
        empty = np.empty(0)
        return Clusters(empty, empty, np.empty(0, np.int64), np.empty(0, np.int64), np.zeros(1, np.int64))
    gx = np.floor((x - origin[0]) / cell).astype(np.int64)
    gy = np.floor((y - origin[1]) / cell).astype(np.int64)
    keys = (gx - gx.min()) * (int(gy.max() - gy.min()) + 1) + (gy - gy.min())
    keys = _merge_close(keys, x, y, cell)
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    first = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    starts = np.r_[first, len(order)].astype(np.int64)
    count = np.diff(starts)
    cx = np.add.reduceat(x[order], first) / count
    cy = np.add.reduceat(y[order], first) / count
    return Clusters(cx, cy, count, order, starts)


def _merge_close(keys: np.ndarray, x: np.ndarray, y: np.ndarray, cell: float) -> np.ndarray:
    """Relabel the grid cells `keys` so that cells whose centroids lie within `cell` of a larger
    one's share its label (one greedy pass, largest first: O(k²) in the occupied cells)."""
    labels, inverse, count = np.unique(keys, return_inverse=True, return_counts=True)
    if len(labels) < 2:
        return keys
    cx = np.bincount(inverse, weights=x) / count
    cy = np.bincount(inverse, weights=y) / count
    owner = np.arange(len(labels))
    done = np.zeros(len(labels), bool)
    for k in np.argsort(-count, kind="stable"):
        if done[k]:
            continue
        near = ~done & (np.hypot(cx - cx[k], cy - cy[k]) < cell)
        owner[near] = k
        done |= near
    return owner[inverse]
