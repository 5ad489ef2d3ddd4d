"""Where the main window goes on a screen: the first run's size, and a remembered geometry kept on it.

A window on a 1280×720 laptop must not be 1500×950: the events table and the right-hand pane would
fall off the screen. `fit_window` is pure (a QRect in, a QRect out) so that a test can hand it any
screen. Before a window is first shown its frame (title bar, borders) is unknown, so
`FRAME_ALLOWANCE` stands for it; once shown, the real frame is used.
"""
from __future__ import annotations

from PySide6.QtCore import QMargins, QRect, QSize

FIRST_RUN_SIZE = QSize(1500, 950)
FRAME_ALLOWANCE = QMargins(8, 34, 8, 8)  # a typical title bar and borders


def fit_window(available: QRect, geometry: QRect | None = None,
               frame: QMargins = FRAME_ALLOWANCE) -> QRect:
    """The window's geometry (inside its frame) on a screen whose free area is `available`.

    Without `geometry` (first run): FIRST_RUN_SIZE, or less on a smaller screen, centred. With a
    remembered `geometry`: that one, shrunk to the screen and moved onto it. Either way the frame
    fits in `available`."""
    room = available.marginsRemoved(frame)
    if geometry is None or not geometry.isValid():
        rect = QRect(room.topLeft(), FIRST_RUN_SIZE.boundedTo(room.size()))
        rect.moveCenter(room.center())
    else:
        rect = QRect(geometry.topLeft(), geometry.size().boundedTo(room.size()))
    rect.moveLeft(max(room.left(), min(rect.left(), room.right() - rect.width() + 1)))
    rect.moveTop(max(room.top(), min(rect.top(), room.bottom() - rect.height() + 1)))
    return rect


def proportions(total: int, weights: tuple[float, ...]) -> list[int]:
    """`total` pixels split by `weights` (a splitter's sizes that follow the window's size)."""
    whole = sum(weights)
    return [round(total * w / whole) for w in weights]
