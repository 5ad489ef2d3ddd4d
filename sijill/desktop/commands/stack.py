"""The undo stack every edit goes through, and the one way the window refuses an edit of a
read-only project.

`GuardedUndoStack.push` runs a command's first redo; when the project refuses it (read-only,
locked by another program, a value it does not accept) the step's transaction rolled back, the
command is dropped from the stack and `command_failed` names what was not saved, for the window
to tell the analyst. Undo and redo keep the stack true the same way.
"""
from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from sijill.db.store.basics import ProjectError
from sijill.db.dates import DateParseError

REFUSED = (ProjectError, DateParseError)
_PYSIDE_PREFIX = re.compile(r"^Error calling Python override of \S+\(\): ")


def not_saved(text: str, reason: str) -> str:
    """What the window says when a step is refused: “The change ‘Delete event “X”’ was not saved: …”."""
    return f"The change ‘{text}’ was not saved: {reason}"


# The tooltip of an action or button that would change a read-only project.
READ_ONLY_TIP = "The project is open read-only: it cannot be changed"


def read_only_message(project) -> str:
    """Why a read-only project cannot be changed, and what to do about it."""
    reason = getattr(project, "read_only_reason", None)
    return (f"{project.path.name} is open read-only: it cannot be changed"
            + (f" ({reason})." if reason else ". Copy it somewhere writable to edit it."))


def refuse_read_only(project, parent: QWidget | None) -> bool:
    """True, after saying so in a message box, when `project` cannot be changed: the caller then
    opens no editor. The one read-only refusal of the window."""
    if not project.read_only:
        return False
    QMessageBox.information(parent, "Read-only project", read_only_message(project))
    return True


class GuardedUndoStack(QUndoStack):
    """An undo stack whose `push`, `undo` and `redo` never leave it saying what the file does not hold.

    QUndoStack.push runs the command's first redo(); when that raises a refusal (ProjectError, a
    date that cannot be read) nothing changed, so the command is dropped and `command_failed`
    carries “The change ‘…’ was not saved: why”. A refused undo or redo moves the index back.
    """

    command_failed = Signal(str)
    # A step saved, but not quite as asked: “‘Undo Delete event “X”’ was saved, but: …” (Command.notes).
    command_noted = Signal(str)

    def push(self, command: QUndoCommand) -> bool:  # type: ignore[override]
        text = command.text()  # the stack deletes a command it drops
        try:
            super().push(command)
        except REFUSED as exc:
            if self.command(self.index() - 1) is command:
                command.setObsolete(True)
                super().undo()  # an obsolete command is removed without running its undo()
            self._failed(exc, text)
            return False
        self._noted(command, text)
        return True

    def _noted(self, command: QUndoCommand, text: str) -> None:
        notes = getattr(command, "notes", None)
        if notes:
            self.command_noted.emit(f"‘{text}’ was saved, but: " + " ".join(notes))

    def _failed(self, exc: Exception, text: str) -> None:
        self.command_failed.emit(not_saved(text, _PYSIDE_PREFIX.sub("", str(exc))))

    # When a step's undo() or redo() fails (its transaction rolled back), QUndoStack has already
    # moved its index past the step; it is moved back without running the step again, so the
    # stack says what the file holds. The window's Undo/Redo actions call these (a QUndoStack's
    # own actions would call its C++ slots).
    def undo(self) -> None:  # type: ignore[override]
        self._step(backward=True)

    def redo(self) -> None:  # type: ignore[override]
        self._step(backward=False)

    def _step(self, backward: bool) -> None:
        index = self.index()
        command = self.command(index - 1 if backward else index)
        if command is None:
            return
        text = f"{'Undo' if backward else 'Redo'} {command.text()}"
        try:
            super().undo() if backward else super().redo()
            self._noted(command, text)
        except REFUSED as exc:
            if self.index() != index and not command.isObsolete():
                back = "redo" if backward else "undo"
                setattr(command, back, lambda: None)  # move the index back without running the step
                try:
                    super().redo() if backward else super().undo()
                finally:
                    delattr(command, back)
            self._failed(exc, text)

    def createUndoAction(self, parent, prefix: str = ""):  # noqa: N802 (Qt name)
        action = super().createUndoAction(parent, prefix)
        action.triggered.disconnect()
        action.triggered.connect(lambda: self.undo())
        return action

    def createRedoAction(self, parent, prefix: str = ""):  # noqa: N802 (Qt name)
        action = super().createRedoAction(parent, prefix)
        action.triggered.disconnect()
        action.triggered.connect(lambda: self.redo())
        return action
