"""The undo history: every change of this session, clickable to go back to it."""
from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QUndoView, QWidget


class UndoHistory(QUndoView):
    """A QUndoView over the window's stack; the first line is the project as it was opened."""

    def __init__(self, stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(stack, parent)
        self.setObjectName("undo_history")
        self.setEmptyLabel("Project as opened")
