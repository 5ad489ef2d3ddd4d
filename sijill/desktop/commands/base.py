"""The one undo protocol: a `Command` changes the project in one transaction each way, and a
`CompositeCommand` is a command made of child commands.

`redo()` runs `_do()` and `undo()` runs `_undo()` inside `Project.batch(label)`: a step is atomic
(a step that fails leaves the file as it was, and `GuardedUndoStack` drops it or puts its index
back) and is recorded as one change set named after the step ("Move event “X”", "Undo Move event
“X”"). Commands only change data: the store announces each change set, and `ProjectHub` turns it
into the signals the views follow.
"""
from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QUndoCommand

from sijill.desktop.hub import ProjectHub


class Command(QUndoCommand):
    """One undoable change: subclasses write `_do` and `_undo` with `Project` methods only."""

    def __init__(self, hub: ProjectHub, text: str) -> None:
        super().__init__(text)
        self.hub = hub
        self._undone = False
        # What the last run did not do as asked, for the window to tell (GuardedUndoStack.command_noted):
        # e.g. an undone delete whose dataset row was imported again meanwhile.
        self.notes: list[str] = []

    @property
    def project(self):
        return self.hub.project

    def redo(self) -> None:
        label, kind = (f"Redo {self.text()}", "undo") if self._undone else (self.text(), "edit")
        self.notes = []
        with self.project.batch(label, kind):
            self._do()
        self._undone = False

    def undo(self) -> None:
        self.notes = []
        with self.project.batch(f"Undo {self.text()}", "undo"):
            self._undo()
        self._undone = True

    def _do(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _undo(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class CompositeCommand(Command):
    """Several commands as one undo step ("Create event from passage": a new group, the passage,
    the event, the link). They run in order in one transaction and one change set, named after
    the composite, so a refused child leaves nothing of the others; undo takes them back in
    reverse order."""

    def __init__(self, text: str, commands: Iterable[Command]) -> None:
        self.commands = list(commands)
        if not self.commands:
            raise ValueError("a composite command needs at least one command")
        super().__init__(self.commands[0].hub, text)

    def _do(self) -> None:
        for command in self.commands:
            command.notes = []
            command._do()
            self.notes += command.notes

    def _undo(self) -> None:
        for command in reversed(self.commands):
            command.notes = []
            command._undo()
            self.notes += command.notes


def one_step(text: str, commands: Iterable[Command]) -> Command | None:
    """`commands` as one undo step: the command itself when there is one, a composite named `text`
    when there are several, None when there are none."""
    commands = list(commands)
    if len(commands) <= 1:
        return commands[0] if commands else None
    return CompositeCommand(text, commands)
