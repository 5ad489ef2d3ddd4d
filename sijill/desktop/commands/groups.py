"""Undo commands for groups: create, edit, move, merge, delete, and the lane order.

Ids stay stable through undo and redo: a deleted group is put back from its snapshot with its own
id and uid, so the commands above it on the stack still find it.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from sijill.desktop.commands.base import Command
from sijill.desktop.hub import ProjectHub

GROUP_FIELDS = ("name", "kind", "parent", "color", "description", "aliases", "position")


def group_fields(project, group_id: int, names: Iterable[str] = GROUP_FIELDS) -> dict:
    """The values of `names` on a group, in the form Project.update_group accepts."""
    g = project.group(group_id)
    values = {"name": g.name, "kind": g.kind, "parent": g.parent_id, "color": g.color,
              "description": g.description, "aliases": list(g.aliases), "position": g.position}
    return {name: values[name] for name in names}


class CreateGroupCommand(Command):
    """Create a group (fields as Project.create_group takes them); redo after undo puts the same
    group (id, uid) back."""

    def __init__(self, hub: ProjectHub, fields: Mapping, text: str | None = None) -> None:
        super().__init__(hub, text or f"New group “{fields['name']}”")
        self.fields = dict(fields)
        self.group_id: int | None = None
        self.snapshot: dict | None = None

    def _do(self) -> None:
        if self.snapshot is None:
            self.group_id = self.project.create_group(**self.fields).id
        else:
            self.project.restore_group(self.snapshot)

    def _undo(self) -> None:
        self.snapshot = self.project.delete_group(self.group_id)


class EditGroupCommand(Command):
    """Change some of a group's fields (name, kind, parent, colour, description, aliases); the old
    values are read when the command is made."""

    def __init__(self, hub: ProjectHub, group_id: int, fields: Mapping, text: str | None = None) -> None:
        self.group_id = group_id
        self.new = dict(fields)
        self.old = group_fields(hub.project, group_id, self.new)
        super().__init__(hub, text or f"Edit group “{self.old.get('name') or hub.project.group(group_id).name}”")

    def _do(self) -> None:
        self.project.update_group(self.group_id, **self.new)

    def _undo(self) -> None:
        self.project.update_group(self.group_id, **self.old)


class MoveGroupCommand(EditGroupCommand):
    """Place a group under another (None: at the top level); a cycle is refused by the project."""

    def __init__(self, hub: ProjectHub, group_id: int, parent_id: int | None) -> None:
        project = hub.project
        name = project.group(group_id).name
        text = (f"Move “{name}” under “{project.group(parent_id).name}”" if parent_id is not None
                else f"Move “{name}” to the top level")
        super().__init__(hub, group_id, {"parent": parent_id}, text)


class ReorderGroupsCommand(Command):
    """Change the lane order in one step."""

    def __init__(self, hub: ProjectHub, order: list[int], text: str = "Reorder lanes") -> None:
        super().__init__(hub, text)
        self.new = list(order)
        self.old = [g.id for g in sorted(hub.project.groups(), key=lambda g: g.position)]

    def _do(self) -> None:
        self.project.set_group_order(self.new)

    def _undo(self) -> None:
        self.project.set_group_order(self.old)


class MergeGroupsCommand(Command):
    """Merge one group into another (events, roles, aliases, annotation tags, sub-groups)."""

    def __init__(self, hub: ProjectHub, from_id: int, into_id: int) -> None:
        project = hub.project
        super().__init__(hub, f"Merge “{project.group(from_id).name}” into “{project.group(into_id).name}”")
        self.from_id, self.into_id = from_id, into_id
        self.record: dict | None = None

    def _do(self) -> None:
        self.record = self.project.merge_groups(self.from_id, self.into_id)

    def _undo(self) -> None:
        self.project.unmerge_groups(self.record)


class DeleteGroupCommand(Command):
    """Delete a group: its events stay without it, its sub-groups move up; undo restores it all."""

    def __init__(self, hub: ProjectHub, group_id: int) -> None:
        super().__init__(hub, f"Delete group “{hub.project.group(group_id).name}”")
        self.group_id = group_id
        self.snapshot: dict | None = None

    def _do(self) -> None:
        self.snapshot = self.project.delete_group(self.group_id)

    def _undo(self) -> None:
        self.project.restore_group(self.snapshot)

