"""“Restore this version”: put one record's fields back as they were at a point of its history, as
one undo step recorded as a restore (the History tab of an event, group, period, source, annotation or place).

What to write is worked out by `sijill.db.history.versions.restoration` when the command is made
(the fields that differ now, and their values now for undo); the command only writes them, under
its own label ("Restore “Tower 22 attack” to 2026-12-06 21:50:03 UTC", kind "restore"; its undo
and redo as kind "undo").
"""
from __future__ import annotations

from sijill.db.history.versions import Restoration, apply
from sijill.desktop.commands.base import Command
from sijill.desktop.hub import ProjectHub


class RestoreStep(Command):
    """A step whose first redo is recorded as a restore under its own label; undo and a later redo
    as every step's are ("Undo …", "Redo …", kind undo)."""

    def redo(self) -> None:
        if self._undone:
            super().redo()
            return
        with self.project.labelled(self.text(), kind="restore"):
            super().redo()


class RestoreVersionCommand(RestoreStep):
    """Write a Restoration; undo writes the values the fields had before it."""

    def __init__(self, hub: ProjectHub, restoration: Restoration, text: str) -> None:
        super().__init__(hub, text)
        self.restoration = restoration

    def _do(self) -> None:
        r = self.restoration
        apply(self.project, r.kind, r.record_id, r.fields)

    def _undo(self) -> None:
        r = self.restoration
        apply(self.project, r.kind, r.record_id, r.old)
