"""Undo commands for groups and periods: create, edit, move, merge, delete.

Each command changes the file through one `Project` method (one transaction), then tells the hub
(`groups_changed`, `periods_changed`, and `annotations_changed` for the sources whose passages a
merge or delete re-tags). Ids stay stable through undo and redo: a deleted group or period is put
back from its snapshot with its own id and uid, so the commands above it on the stack still find
it. A command whose first redo is refused raises ProjectError; `GuardedUndoStack` drops it.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtGui import QUndoCommand

from sijill.db.common import ProjectError
from sijill.desktop.hub import ProjectHub

GROUP_FIELDS = ("name", "kind", "parent", "color", "description", "aliases", "position")
PERIOD_FIELDS = ("title", "start", "end", "color", "description")


def group_fields(project, group_id: int, names: Iterable[str] = GROUP_FIELDS) -> dict:
    """The values of `names` on a group, in the form Project.update_group accepts."""
    g = project.group(group_id)
    values = {"name": g.name, "kind": g.kind, "parent": g.parent_id, "color": g.color,
              "description": g.description, "aliases": list(g.aliases), "position": g.position}
    return {name: values[name] for name in names}


def period_fields(project, period_id: int, names: Iterable[str] = PERIOD_FIELDS) -> dict:
    p = project.period(period_id)
    values = {"title": p.title, "start": p.start, "end": p.end, "color": p.color, "description": p.description}
    return {name: values[name] for name in names}


class StructureCommand(QUndoCommand):
    """Base: `_do`/`_undo` change the file, then `announce` tells the hub what changed."""

    def __init__(self, hub: ProjectHub, text: str) -> None:
        super().__init__(text)
        self.hub = hub

    @property
    def project(self):
        return self.hub.project

    def redo(self) -> None:
        self._do()
        self.announce()

    def undo(self) -> None:
        self._undo()
        self.announce()

    def announce(self) -> None:
        self.hub.groups_changed.emit()

    def _do(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _undo(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class CompositeCommand(QUndoCommand):
    """Several commands as one undo step (a new group and the event that uses it). If one is
    refused, those already done are undone before the error goes on: the file is as it was."""

    def __init__(self, text: str, commands: Iterable[QUndoCommand]) -> None:
        super().__init__(text)
        self.commands = list(commands)

    def redo(self) -> None:
        done: list[QUndoCommand] = []
        try:
            for command in self.commands:
                command.redo()
                done.append(command)
        except ProjectError:
            for command in reversed(done):
                command.undo()
            raise

    def undo(self) -> None:
        for command in reversed(self.commands):
            command.undo()


# ---- groups ------------------------------------------------------------------------------------
class CreateGroupCommand(StructureCommand):
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


class EditGroupCommand(StructureCommand):
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


class MergeGroupsCommand(StructureCommand):
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

    def announce(self) -> None:
        super().announce()
        if self.record is not None:
            for source_id in self.project.group_sources(self.record.values()):
                self.hub.annotations_changed.emit(source_id)


class DeleteGroupCommand(StructureCommand):
    """Delete a group: its events stay without it, its sub-groups move up; undo restores it all."""

    def __init__(self, hub: ProjectHub, group_id: int) -> None:
        super().__init__(hub, f"Delete group “{hub.project.group(group_id).name}”")
        self.group_id = group_id
        self.snapshot: dict | None = None

    def _do(self) -> None:
        self.snapshot = self.project.delete_group(self.group_id)

    def _undo(self) -> None:
        self.project.restore_group(self.snapshot)

    def announce(self) -> None:
        super().announce()
        if self.snapshot is not None:
            for source_id in self.project.group_sources([self.snapshot]):
                self.hub.annotations_changed.emit(source_id)


# ---- periods -----------------------------------------------------------------------------------
class PeriodCommand(StructureCommand):
    def announce(self) -> None:
        self.hub.periods_changed.emit()


class CreatePeriodCommand(PeriodCommand):
    """Create a period (title, start, end, color, description); redo after undo puts the same one back."""

    def __init__(self, hub: ProjectHub, fields: Mapping, text: str | None = None) -> None:
        super().__init__(hub, text or f"New period “{fields['title']}”")
        self.fields = dict(fields)
        self.period_id: int | None = None
        self.snapshot: dict | None = None

    def _do(self) -> None:
        if self.snapshot is None:
            self.period_id = self.project.create_period(**self.fields).id
        else:
            self.project.restore_period(self.snapshot)

    def _undo(self) -> None:
        self.snapshot = self.project.delete_period(self.period_id)


class EditPeriodCommand(PeriodCommand):
    """Change some fields of a period; dates are FuzzyDates (their text and flags kept)."""

    def __init__(self, hub: ProjectHub, period_id: int, fields: Mapping, text: str | None = None) -> None:
        self.period_id = period_id
        self.new = dict(fields)
        self.old = period_fields(hub.project, period_id, self.new)
        super().__init__(hub, text or f"Edit period “{hub.project.period(period_id).title}”")

    def _do(self) -> None:
        self.project.update_period(self.period_id, **self.new)

    def _undo(self) -> None:
        self.project.update_period(self.period_id, **self.old)


class DeletePeriodCommand(PeriodCommand):
    def __init__(self, hub: ProjectHub, period_id: int) -> None:
        super().__init__(hub, f"Delete period “{hub.project.period(period_id).title}”")
        self.period_id = period_id
        self.snapshot: dict | None = None

    def _do(self) -> None:
        self.snapshot = self.project.delete_period(self.period_id)

    def _undo(self) -> None:
        self.project.restore_period(self.snapshot)
