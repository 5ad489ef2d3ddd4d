"""A row of text buttons, one per action, as the library and the reader show above their views."""
from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QToolBar


def action_bar(actions: Iterable[QAction], margins: tuple[int, int, int, int] = (0, 0, 0, 0)) -> QHBoxLayout:
    """Buttons that follow their actions' text, enabled state and shortcut tips, left-aligned.

    A toolbar, not a row of buttons: when the pane is narrower than the buttons (the reader beside
    the timeline on a laptop screen), the last ones fold into its » menu instead of setting a
    minimum width that pushes the rest of the window off the screen."""
    bar = QHBoxLayout()
    bar.setContentsMargins(*margins)
    toolbar = QToolBar()
    toolbar.setObjectName("action_bar")
    toolbar.setMovable(False)
    toolbar.setFloatable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    for action in actions:
        toolbar.addAction(action)
    bar.addWidget(toolbar, 1)
    return bar
