"""Undo commands for events: create, edit (one or many, a drag, a key-event mark), delete, merge.

Ids stay stable through undo and redo: a deleted event is put back from its snapshot with its own
id and uid, so the commands above it on the stack still find it. Only where another program (an
import from the command line) gave its id to a new event meanwhile does it come back under a new
id, which the command keeps for its redo. What a restore cannot put back as it was (a dataset row
imported again since) goes into the command's notes, which the window shows.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from sijill.db.store.basics import ProjectError
from sijill.db.store.entities import Event
from sijill.desktop.commands.base import Command
from sijill.desktop.hub import ProjectHub
from sijill.desktop.undo_text import merge_text, quoted

EVENT_FIELDS = ("title", "description", "start", "end", "location", "latitude", "longitude",
                "event_type", "fatalities", "groups", "tags")


def event_fields(event: Event, names: Iterable[str] = EVENT_FIELDS) -> dict:
    """The values of `names` on an event, in the form Project.update_event accepts."""
    return {name: list(getattr(event, name)) if name in ("groups", "tags") else getattr(event, name)
            for name in names}


class CreateEventCommand(Command):
    """Create one event; undo deletes it, redo puts the very same event (id, uid) back."""

    def __init__(self, hub: ProjectHub, fields: Mapping, text: str = "Create event") -> None:
        super().__init__(hub, text)
        self.fields = dict(fields)
        self.snapshot: dict | None = None
        self.event_id: int | None = None

    def _do(self) -> None:
        if self.snapshot is None:
            self.event_id = self.project.create_event(**self.fields).id
        else:
            self.notes += self.project.restore_notes(self.snapshot)
            self.event_id = self.project.restore_event(self.snapshot).id  # its id, unless taken since

    def _undo(self) -> None:
        self.snapshot = self.project.delete_event(self.event_id)


class UpdateEventCommand(Command):
    """Change fields of one or more events; the old values are read before the change."""

    def __init__(self, hub: ProjectHub, changes: Mapping[int, Mapping], text: str = "Edit event") -> None:
        super().__init__(hub, text)
        self.new = {eid: dict(f) for eid, f in changes.items()}
        self.old = {eid: event_fields(hub.project.event(eid), f.keys()) for eid, f in self.new.items()}

    def _set(self, values: Mapping[int, Mapping]) -> None:
        for eid, fields in values.items():
            self.project.update_event(eid, **fields)

    def _do(self) -> None:
        self._set(self.new)

    def _undo(self) -> None:
        self._set(self.old)


class KeyEventCommand(UpdateEventCommand):
    """Mark an event as a key event (its label wins where labels compete), or unmark it."""

    def __init__(self, hub: ProjectHub, event_id: int, on: bool) -> None:
        title = quoted(hub.project.event(event_id).title)
        super().__init__(hub, {event_id: {"key_event": on}},
                         f"Mark key event {title}" if on else f"Unmark key event {title}")


def _delete_one(hub: ProjectHub, event_id: int) -> str:
    try:
        return f"Delete event {quoted(hub.project.event(event_id).title)}"
    except ProjectError:  # already gone: the command will say so when it runs
        return "Delete event"


class DeleteEventsCommand(Command):
    """Delete events with their links and evidence; undo restores them exactly."""

    def __init__(self, hub: ProjectHub, event_ids: Iterable[int], text: str | None = None) -> None:
        ids = list(event_ids)
        super().__init__(hub, text or (f"Delete {len(ids)} events" if len(ids) != 1 else _delete_one(hub, ids[0])))
        self.ids = ids
        self.snapshots: list[dict] = []

    def _do(self) -> None:
        self.snapshots = [self.project.delete_event(eid) for eid in self.ids]

    def _undo(self) -> None:
        ids = []
        for snap in self.snapshots:
            self.notes += self.project.restore_notes(snap)
            ids.append(self.project.restore_event(snap).id)  # its id, unless an import took it since
        self.ids = ids


class MergeEventsCommand(Command):
    """Merge duplicate events into the one kept (Project.merge_events, one after the other), as one
    undo step; undo puts every one of them back as it was."""

    def __init__(self, hub: ProjectHub, merged_ids: Iterable[int], into_id: int) -> None:
        self.merged_ids = [i for i in dict.fromkeys(merged_ids) if i != into_id]
        if not self.merged_ids:
            raise ValueError("nothing to merge: the events merged must differ from the one kept")
        project = hub.project
        super().__init__(hub, merge_text("event", [project.event(i).title for i in self.merged_ids],
                                                project.event(into_id).title))
        self.into_id = into_id
        self.records: list[dict] = []

    def _do(self) -> None:
        self.records = [self.project.merge_events(i, self.into_id) for i in self.merged_ids]

    def _undo(self) -> None:
        ids = {}
        for record in reversed(self.records):
            self.notes += self.project.restore_notes(record["merged"])
            ids[record["merged"]["event"]["id"]] = self.project.unmerge_events(record).id
        self.merged_ids = [ids.get(i, i) for i in self.merged_ids]
