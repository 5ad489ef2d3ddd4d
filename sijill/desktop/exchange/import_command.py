"""The undo step of an import: whole copies of the project file, before and after.

`perform_import` copies the file (`sijill.db.store.snapshots.snapshot`), runs the import, copies it again and
returns an `ImportCommand` holding both copies, ready to be pushed on the undo stack (its first
`redo` does nothing: the import has just been done, and the store announced its change set). Undo
puts the before-copy back into the open project, redo the after-copy; a copy put back is no change
set the store records, so both then tell every view to reload (`hub.project_reset`) and clear the
selection, whose events may be gone; what the project holds outside the undo stack
(saved views, the remembered view) is kept as it is, not taken back with the copy. The copies are
removed when the stack deletes the command (a new edit after an undo, the stack cleared when the
window closes) and at exit.

Why copies and not a record of the rows: an import writes events, links, tags, sources, new
groups, remembered choices and full-text rows in bulk; the copy undoes all of it exactly, in
one step, at the cost of the file's size on disk.
"""
from __future__ import annotations

import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtGui import QUndoCommand

from sijill.db.store.snapshots import discard, restore, snapshot
from sijill.desktop.hub import ProjectHub
from sijill.desktop.timeline.saved_views import META_KEY as SAVED_VIEWS
from sijill.desktop.timeline.state import META_KEY as VIEW_STATE

T = TypeVar("T")
# What the project holds outside the undo stack (saved views, the remembered view): a copy of the
# file taken before it was written must not take it back.
NOT_UNDONE = (SAVED_VIEWS, VIEW_STATE)


class ImportCommand(QUndoCommand):
    """Undo restores the project as it was before the import; redo as it was after."""

    def __init__(self, hub: ProjectHub, text: str, before: Path, after: Path) -> None:
        super().__init__(text)
        self.hub = hub
        self.before = before
        self.after = after
        self._done = True  # pushed right after the import: the first redo has nothing to do
        self._finalizer = weakref.finalize(self, discard, before, after)

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._restore(self.after)
        self._announce()

    def undo(self) -> None:
        self._restore(self.before)
        self._announce()

    def _restore(self, copy: Path) -> None:
        project = self.hub.project
        kept = {key: project.get_meta(key) for key in NOT_UNDONE}
        restore(project, copy)
        with project.batch():
            for key, value in kept.items():
                if project.get_meta(key) != value:
                    project.set_meta(key, value)

    def _announce(self) -> None:
        self.hub.set_selection([])
        self.hub.project_reset.emit()

    def discard(self) -> None:
        """Remove the copies now (the command can no longer be undone or redone)."""
        self._finalizer()


def perform_import(hub: ProjectHub, text: str, work: Callable[[], T]) -> tuple[ImportCommand, T]:
    """Run `work` (the import, one transaction) between two copies of the project file. When it
    raises, nothing was written and no copy is left; otherwise push the returned command."""
    project = hub.project
    before = snapshot(project)
    try:
        result = work()
    except BaseException:
        discard(before)
        raise
    try:
        after = snapshot(project)
    except BaseException:
        restore(project, before)  # no way to redo it: better not to have done it
        discard(before)
        raise
    return ImportCommand(hub, text, before, after), result
