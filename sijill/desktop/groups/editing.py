"""The group gestures of the window, shared by the Groups tab and the lane headers so that both
offer the same: new group, new sub-group, edit, rename, colour, move, merge into, delete.

Each gesture opens what it needs (window-modal, not blocking, returned for tests) and pushes ONE
command on the undo stack. A read-only project says so instead; a move or merge the project would
refuse (a cycle) is explained before anything is pushed.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QColorDialog, QDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from sijill.desktop.groups.group_dialog import GroupDialog, open_group_editor, open_new_group
from sijill.desktop.commands.groups import DeleteGroupCommand, EditGroupCommand, MergeGroupsCommand, MoveGroupCommand
from sijill.desktop.commands.stack import refuse_read_only
from sijill.desktop.groups.merge_dialog import MergeDialog
from sijill.desktop.hub import ProjectHub
from sijill.desktop.widgets.dialog_slot import DialogSlot


def push(stack: QUndoStack, command: QUndoCommand) -> bool:
    """Push `command`; False when the stack refused it (GuardedUndoStack drops a failed command)."""
    result = stack.push(command)
    return result if isinstance(result, bool) else True


class GroupEditing(QObject):
    """Opens the group dialogs over `widget` and pushes their commands on `stack`."""

    group_created = Signal(int)   # a group made here (the Groups tab selects and shows it)

    def __init__(self, hub: ProjectHub, stack: QUndoStack, widget: QWidget) -> None:
        super().__init__(widget)
        self.hub = hub
        self.stack = stack
        self.widget = widget
        self._slot = DialogSlot()
        self.dialog: QDialog | None = None     # the dialog opened last (tests drive it)

    @property
    def project(self):
        return self.hub.project

    def refuse_read_only(self) -> bool:
        return refuse_read_only(self.project, self.widget)

    def _name(self, group_id: int) -> str:
        return self.project.group(group_id).name

    # ---- create and edit -----------------------------------------------------------------------
    def new_group(self, parent_id: int | None = None) -> GroupDialog | None:
        """The New group dialog (New sub-group when `parent_id` is given)."""
        self.dialog = open_new_group(self.widget, self.hub, self.stack, parent_id, created=self._created)
        return self.dialog

    def _created(self, group_id: int) -> None:
        """A new group is shown even when the lanes are filtered to others."""
        shown = self.hub.filter.group_ids
        if shown is not None:
            self.hub.set_filter(self.hub.filter.with_(group_ids=shown | {group_id}))
        self.group_created.emit(group_id)

    def edit(self, group_id: int) -> GroupDialog | None:
        self.dialog = open_group_editor(self.widget, self.hub, self.stack, group_id)
        return self.dialog

    def rename(self, group_id: int) -> QInputDialog | None:
        """A one-line dialog with the name selected; OK renames (a taken name is refused)."""
        if self.refuse_read_only():
            return None
        name = self._name(group_id)
        dialog = QInputDialog(self.widget)
        dialog.setObjectName("rename_group")
        dialog.setWindowTitle("Rename group")
        dialog.setLabelText(f"New name for “{name}”:")
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.setTextValue(name)
        dialog.resize(380, dialog.sizeHint().height())

        def done(d: QInputDialog) -> None:
            new = d.textValue().strip()
            if new and new != name:
                text = f"Rename “{name}” to “{new}”"
                push(self.stack, EditGroupCommand(self.hub, group_id, {"name": new}, text))

        self.dialog = self._slot.open(dialog, done)
        return dialog

    def recolour(self, group_id: int) -> QColorDialog | None:
        if self.refuse_read_only():
            return None
        group = self.project.group(group_id)
        dialog = QColorDialog(QColor(group.color) if group.color else QColor("#9e9e9e"), self.widget)
        dialog.setObjectName("group_colour")
        dialog.setWindowTitle(f"Colour of “{group.name}”")

        def done(d: QColorDialog) -> None:
            color = d.currentColor().name()
            if color != (group.color or "").lower():
                push(self.stack, EditGroupCommand(self.hub, group_id, {"color": color}, f"Recolour “{group.name}”"))

        self.dialog = self._slot.open(dialog, done)
        return dialog

    # ---- move, merge, delete ---------------------------------------------------------------------
    def cycle_problem(self, group_id: int, parent_id: int | None) -> str | None:
        """Why `group_id` cannot go under `parent_id`, or None when it can."""
        if parent_id is None:
            return None
        if parent_id == group_id:
            return f"“{self._name(group_id)}” cannot be placed inside itself."
        if parent_id in self.project.descendants(group_id):
            return (f"“{self._name(group_id)}” cannot be placed under “{self._name(parent_id)}”: "
                    f"“{self._name(parent_id)}” is part of it.")
        return None

    def move(self, group_id: int, parent_id: int | None) -> bool:
        """Place a group under another (None: top level), as one step; a cycle is refused with a
        message; a move to where it already is does nothing."""
        if self.refuse_read_only():
            return False
        if self.project.group(group_id).parent_id == parent_id:
            return False
        problem = self.cycle_problem(group_id, parent_id)
        if problem:
            QMessageBox.warning(self.widget, "Cannot move the group", problem)
            return False
        return push(self.stack, MoveGroupCommand(self.hub, group_id, parent_id))

    def merge(self, group_id: int, into: int | None = None) -> MergeDialog | None:
        """Ask which group to merge `group_id` into (`into` preselected), then merge as one step."""
        if self.refuse_read_only():
            return None
        dialog = MergeDialog(self.hub, group_id, self.widget)
        if into is not None:
            dialog.choose(into)
        self.dialog = self._slot.open(dialog, lambda d: self.merge_into(group_id, d.target_id()))
        return dialog

    def merge_into(self, group_id: int, into: int | None) -> bool:
        if into is None or self.refuse_read_only():
            return False
        return push(self.stack, MergeGroupsCommand(self.hub, group_id, into))

    def delete(self, group_id: int) -> bool:
        """Delete after a confirmation that says what goes: the tag on its events, and where its
        sub-groups move."""
        if self.refuse_read_only():
            return False
        group = self.project.group(group_id)
        snap = self.project.group_snapshot(group_id)
        n, kids = len(snap["links"]), len(snap["children"])
        lines = [f"{n} event{'s' if n != 1 else ''} will lose the tag “{group.name}” (the events stay)."
                 if n else "No event is tagged with it."]
        if kids:
            where = f"under “{self._name(group.parent_id)}”" if group.parent_id else "to the top level"
            lines.append(f"Its {kids} sub-group{'s' if kids != 1 else ''} move{'s' if kids == 1 else ''} {where}.")
        if snap["annotations"]:
            lines.append(f"{len(snap['annotations'])} annotated passage(s) lose the tag.")
        lines.append("You can undo this.")
        answer = QMessageBox.question(self.widget, "Delete group", f"Delete the group “{group.name}”?\n\n"
                                      + "\n".join(lines))
        if answer != QMessageBox.StandardButton.Yes:
            return False
        return push(self.stack, DeleteGroupCommand(self.hub, group_id))
