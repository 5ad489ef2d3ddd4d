"""View ▸ Project history: bring back a deleted record. The selected change set's row of a record it
deleted, while that record is still gone, offers "Restore deleted record" (a button under the changes
and the changes' context menu): one undo step (`UndeleteCommand`), after which the record is selected
in the window (an event on the timeline). "Deletions only" lists just the change sets that deleted
something. What the restore could not re-attach (a link to a group deleted since) is said under the
changes.
"""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton

from sijill.db.history.undelete import KIND_NAME, check, find_deleted, restore_label
from sijill.db.history.versions import find_record
from sijill.db.store.basics import ProjectError
from sijill.desktop.commands.stack import READ_ONLY_TIP
from sijill.desktop.commands.undelete import UndeleteCommand
from sijill.desktop.undo_text import quoted

DATA = Qt.ItemDataRole.UserRole


class RestoreDeleted:
    """The "Restore deleted record" action of a ProjectHistory dialog, pushing on `stack`."""

    def __init__(self, dialog, stack: QUndoStack) -> None:
        self.dialog, self.stack = dialog, stack
        self.button = QPushButton("Restore deleted record", dialog)
        self.button.setObjectName("history_restore_deleted")
        self.note = QLabel(dialog)
        self.note.setObjectName("history_restore_note")
        self.note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(self.button)
        layout = dialog.layout()
        layout.insertLayout(layout.indexOf(dialog.status), row)
        self.button.clicked.connect(self.restore)
        changes = dialog.changes
        changes.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        changes.customContextMenuRequested.connect(self._menu)
        changes.currentItemChanged.connect(self._update)
        dialog.sets.currentItemChanged.connect(lambda *_: QTimer.singleShot(0, self._update))
        self._update()

    def target(self) -> tuple[str, str] | None:
        """(kind, uid) of the selected record when the selected change set deleted it and it is still gone."""
        item = self.dialog.changes.currentItem()
        while item is not None and item.parent() is not None:
            item = item.parent()
        change_set = self.dialog.sets.currentItem().data(0, DATA) if self.dialog.sets.currentItem() else None
        if item is None or change_set is None or not item.data(0, DATA):
            return None
        kind, uid = item.data(0, DATA)
        if not any(c.uid == uid and c.op == "delete" for c in change_set.changes):
            return None
        if find_record(self.dialog.hub.project, kind, uid) is not None:
            return None
        return kind, uid

    def refusal(self) -> str:
        """Why the selected deleted record cannot come back (a merge took it into another record, another
        group has its name now), as `sijill restore` says it; "" when it can."""
        target = self.target()
        if target is None:
            return ""
        project = self.dialog.hub.project
        try:
            check(project, find_deleted(project, target[1]), command=False)
        except ProjectError as exc:
            return str(exc)[0].upper() + str(exc)[1:]
        return ""

    def _update(self, *_args) -> None:
        target = self.target()
        read_only = self.dialog.hub.project.read_only
        refusal = self.refusal()
        self.button.setEnabled(target is not None and not read_only and not refusal)
        self.button.setToolTip(READ_ONLY_TIP if read_only else refusal if refusal else
                               "Bring the selected deleted record back, with its links" if target else
                               "Select a record a change set deleted (and not brought back since)")
        if refusal:
            self.note.setText(f"Cannot restore: {refusal}")
        elif self.note.text().startswith("Cannot restore: "):
            self.note.clear()

    def _menu(self, pos: QPoint) -> None:
        item = self.dialog.changes.itemAt(pos)
        if item is None:
            return
        self.dialog.changes.setCurrentItem(item)
        menu = QMenu(self.dialog.changes)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        action = menu.addAction("Restore deleted record", self.restore)
        action.setEnabled(self.button.isEnabled())
        menu.addAction("Select in the window", lambda: self.dialog._activate(item))
        menu.popup(self.dialog.changes.viewport().mapToGlobal(pos))

    def restore(self) -> bool:
        """Push the restore of the selected deleted record; True when it was made. The record is then
        selected in the window."""
        target = self.target()
        if target is None or self.dialog.hub.project.read_only or self.refusal():
            return False
        kind, uid = target
        title = find_deleted(self.dialog.hub.project, uid).title
        command = UndeleteCommand(self.dialog.hub, uid, restore_label(kind, title))
        if not self.stack.push(command):
            return False
        skipped = command.done.skipped if command.done else ()
        restored = command.done.restored if command.done else ()
        self.note.setText(f"Brought back: {KIND_NAME[kind]} {quoted(title)}"
                          + (f", with {', '.join(restored)}" if restored else "") + "."
                          + (f" Not re-attached: {'; '.join(skipped)}" if skipped else ""))
        self.dialog.select_record(kind, uid)
        self._update()
        return True
