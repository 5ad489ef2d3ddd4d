"""The one undo protocol: a `Command` changes the project in one transaction each way, and a
`CompositeCommand` is a command made of child commands.

`redo()` runs `_do()` and `undo()` runs `_undo()` inside `Project.batch()`: a step is atomic, so
a step that fails leaves the file as it was, and `GuardedUndoStack` drops it or puts its index
back. Commands change data only; what changed reaches the views through the hub.
"""
from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager

from PySide6.QtGui import QUndoCommand

from sijill.desktop.hub import ProjectHub


class Command(QUndoCommand):
    """One undoable change: subclasses write `_do` and `_undo` with `Project` methods only."""

    def __init__(self, hub: ProjectHub, text: str) -> None:
        super().__init__(text)
        self.hub = hub

    @property
    def project(self):
        return self.hub.project

    @contextmanager
    def change(self):
        """The transaction one step runs in (nested: a composite's children join their parent's)."""
        with self.project.batch():
            yield

    def redo(self) -> None:
        with self.change():
            self._do()
        self.announce(undone=False)

    def undo(self) -> None:
        with self.change():
            self._undo()
        self.announce(undone=True)

    def announce(self, undone: bool) -> None:
        """Tell the hub what changed, once committed (until the store announces its own changes)."""

    def _do(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _undo(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class CompositeCommand(Command):
    """Several commands as one undo step ("Create event from passage": a new group, the passage,
    the event, the link). They run in order in one transaction, so a refused child leaves nothing
    of the others in the file; undo takes them back in reverse order. The children are told what
    changed once the whole step has been committed."""

    def __init__(self, text: str, commands: Iterable[Command]) -> None:
        self.commands = list(commands)
        if not self.commands:
            raise ValueError("a composite command needs at least one command")
        super().__init__(self.commands[0].hub, text)

    def _do(self) -> None:
        for command in self.commands:
            with command.change():
                command._do()

    def _undo(self) -> None:
        for command in reversed(self.commands):
            with command.change():
                command._undo()

    def announce(self, undone: bool) -> None:
        for command in self.commands:
            command.announce(undone)


def one_step(text: str, commands: Iterable[Command]) -> Command | None:
    """`commands` as one undo step: the command itself when there is one, a composite named `text`
    when there are several, None when there are none."""
    commands = list(commands)
    if len(commands) <= 1:
        return commands[0] if commands else None
    return CompositeCommand(text, commands)
