"""A row of text buttons, one per action, as the library and the reader show above their views."""
from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QToolButton


def action_bar(actions: Iterable[QAction], margins: tuple[int, int, int, int] = (0, 0, 0, 0)) -> QHBoxLayout:
    """Buttons that follow their actions' text, enabled state and shortcut tips, left-aligned."""
    bar = QHBoxLayout()
    bar.setContentsMargins(*margins)
    for action in actions:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.addWidget(button)
    bar.addStretch(1)
    return bar
