"""The colours a group gets when it has none of its own: a new group's swatch, an uncoloured lane.

Twelve colours that stay apart on light and dark backgrounds (ColorBrewer's Dark2, then Paired).
"""
from __future__ import annotations

from PySide6.QtGui import QColor

from sijill.db.timeline.lanes import LaneInfo

PALETTE = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#1f78b4",
           "#b2df8a", "#fb9a99", "#cab2d6", "#666666")


def lane_color(info: LaneInfo, index: int = 0) -> QColor:
    """A lane's colour: its group's own, else the palette's `index`-th."""
    return QColor(info.color) if info.color else QColor(PALETTE[index % len(PALETTE)])
