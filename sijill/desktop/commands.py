"""Undo commands: every edit the user makes is one QUndoCommand whose redo/undo call Project.

A command changes the file through `db.Project` (one transaction each way) and then tells the
hub what changed. A drag is recorded on press and pushed once on release: one drag, one step.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from sijill.db.common import LockedError, ProjectError
from sijill.db.models import Event
from sijill.desktop.hub import ProjectHub
from sijill.desktop.undo_text import quoted

EVENT_FIELDS = ("title", "description", "start", "end", "location", "latitude", "longitude",
                "event_type", "fatalities", "groups", "tags")


def announce_restored(hub: ProjectHub, snapshots: Iterable[dict]) -> None:
    """Events put back from snapshots: they are back, and so is whatever evidence they had."""
    snapshots = list(snapshots)
    hub.events_changed.emit([s["event"]["id"] for s in snapshots])
    with_evidence = [s["event"]["id"] for s in snapshots if s["evidence"]]
    if with_evidence:
        hub.evidence_changed.emit(with_evidence)


def event_fields(event: Event, names: Iterable[str] = EVENT_FIELDS) -> dict:
    """The values of `names` on an event, in the form Project.update_event accepts."""
    return {name: list(getattr(event, name)) if name in ("groups", "tags") else getattr(event, name)
            for name in names}


class CreateEventCommand(QUndoCommand):
    """Create one event; undo deletes it, redo puts the very same event (id, uid) back."""

    def __init__(self, hub: ProjectHub, fields: Mapping, text: str = "Create event") -> None:
        super().__init__(text)
        self.hub = hub
        self.fields = dict(fields)
        self.snapshot: dict | None = None
        self.event_id: int | None = None

    def redo(self) -> None:
        project = self.hub.project
        if self.snapshot is None:
            self.event_id = project.create_event(**self.fields).id
            self.hub.events_changed.emit([self.event_id])
        else:
            project.restore_event(self.snapshot)
            announce_restored(self.hub, [self.snapshot])

    def undo(self) -> None:
        self.snapshot = self.hub.project.delete_event(self.event_id)
        self.hub.forget([self.event_id])
        self.hub.events_removed.emit([self.event_id])


class UpdateEventCommand(QUndoCommand):
    """Change fields of one or more events; the old values are read before the change."""

    def __init__(self, hub: ProjectHub, changes: Mapping[int, Mapping], text: str = "Edit event") -> None:
        super().__init__(text)
        self.hub = hub
        self.new = {eid: dict(f) for eid, f in changes.items()}
        self.old = {eid: event_fields(hub.project.event(eid), f.keys()) for eid, f in self.new.items()}

    def _apply(self, values: Mapping[int, Mapping]) -> None:
        with self.hub.project.batch():
            for eid, fields in values.items():
                self.hub.project.update_event(eid, **fields)
        self.hub.events_changed.emit(list(values))

    def redo(self) -> None:
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)


def _delete_one(hub: ProjectHub, event_id: int) -> str:
    try:
        return f"Delete event {quoted(hub.project.event(event_id).title)}"
    except ProjectError:  # already gone: the command will say so when it runs
        return "Delete event"


class DeleteEventsCommand(QUndoCommand):
    """Delete events with their links and evidence; undo restores them exactly."""

    def __init__(self, hub: ProjectHub, event_ids: Iterable[int], text: str | None = None) -> None:
        ids = list(event_ids)
        super().__init__(text or (f"Delete {len(ids)} events" if len(ids) != 1 else _delete_one(hub, ids[0])))
        self.hub = hub
        self.ids = ids
        self.snapshots: list[dict] = []

    def redo(self) -> None:
        with self.hub.project.batch():
            self.snapshots = [self.hub.project.delete_event(eid) for eid in self.ids]
        self.hub.forget(self.ids)
        self.hub.events_removed.emit(list(self.ids))

    def undo(self) -> None:
        with self.hub.project.batch():
            for snap in self.snapshots:
                self.hub.project.restore_event(snap)
        announce_restored(self.hub, self.snapshots)


class UpdateGroupCommand(QUndoCommand):
    """Change a group's name, colour, parent, aliases or description."""

    def __init__(self, hub: ProjectHub, group_id: int, fields: Mapping, text: str = "Edit group") -> None:
        super().__init__(text)
        self.hub = hub
        self.group_id = group_id
        self.new = dict(fields)
        group = hub.project.group(group_id)
        old = {"name": group.name, "kind": group.kind, "color": group.color,
               "description": group.description, "aliases": list(group.aliases),
               "parent": group.parent_id, "position": group.position}
        self.old = {k: old[k] for k in self.new}

    def redo(self) -> None:
        self.hub.project.update_group(self.group_id, **self.new)
        self.hub.groups_changed.emit()

    def undo(self) -> None:
        self.hub.project.update_group(self.group_id, **self.old)
        self.hub.groups_changed.emit()


class ReorderGroupsCommand(QUndoCommand):
    """Change the lane order (and, optionally, a group's parent) in one step."""

    def __init__(self, hub: ProjectHub, order: list[int], text: str = "Reorder lanes") -> None:
        super().__init__(text)
        self.hub = hub
        self.new = list(order)
        self.old = [g.id for g in sorted(hub.project.groups(), key=lambda g: g.position)]

    def redo(self) -> None:
        self.hub.project.set_group_order(self.new)
        self.hub.groups_changed.emit()

    def undo(self) -> None:
        self.hub.project.set_group_order(self.old)
        self.hub.groups_changed.emit()


NOT_SAVED = "The change "
_PYSIDE_PREFIX = re.compile(r"^Error calling Python override of \S+\(\): ")


class GuardedUndoStack(QUndoStack):
    """An undo stack whose `push` never keeps a command that failed.

    QUndoStack.push runs the command's first redo(); when that raises a ProjectError (the file is
    read-only, a value is refused) the transaction rolled back and nothing changed, so the command
    is dropped from the stack and `command_failed` carries the message for the window to show.
    A write another program's lock kept out (LockedError, after the waits and retries) is named:
    "The change ‘New event “X”’ was not saved: the project is locked by another program …".
    """

    command_failed = Signal(str)

    def push(self, command: QUndoCommand) -> bool:  # type: ignore[override]
        text = command.text()  # the stack deletes a command it drops
        try:
            super().push(command)
        except ProjectError as exc:
            if self.command(self.index() - 1) is command:
                command.setObsolete(True)
                self.undo()  # an obsolete command is removed without running its undo()
            self._failed(exc, text)
            return False
        return True

    def _failed(self, exc: ProjectError, text: str) -> None:
        message = _PYSIDE_PREFIX.sub("", str(exc))
        if isinstance(exc, LockedError):
            message = f"{NOT_SAVED}‘{text}’ was not saved: {message}"
        self.command_failed.emit(message)

    # Undo and redo keep the stack true as well: when a step's undo() or redo() fails (its
    # transaction rolled back), QUndoStack has already moved its index past the step; it is moved
    # back without running the step again, so the stack says what the file holds. The window's
    # Undo/Redo actions call these (a QUndoStack's own actions would call its C++ slots).
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
        except ProjectError as exc:
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
