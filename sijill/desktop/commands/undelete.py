"""“Restore deleted record”: bring back a record deleted in any earlier session, from the change log, as
one undo step (View ▸ Project history).

`sijill.db.history.undelete` does the work; the command's first redo is recorded as a restore under
its own label ("Restore deleted event “Tower 22 attack”", kind "restore"); undo deletes the record
again as the window deletes it (a source with its passages), and a later redo brings it back from
that deletion, so that undo and redo are recorded as every step's are ("Undo …", "Redo …", kind undo).
"""
from __future__ import annotations

from sijill.db.history.undelete import Undeleted, delete_again, undelete
from sijill.desktop.commands.restore import RestoreStep
from sijill.desktop.hub import ProjectHub


class UndeleteCommand(RestoreStep):
    """Re-create the deleted record `uid`; undo deletes it again."""

    def __init__(self, hub: ProjectHub, uid: str, text: str) -> None:
        super().__init__(hub, text)
        self.uid = uid
        self.done: Undeleted | None = None

    def _do(self) -> None:
        self.done = undelete(self.project, self.uid)

    def _undo(self) -> None:
        if self.done is not None:
            delete_again(self.project, self.done)
