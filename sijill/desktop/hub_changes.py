"""How a change set recorded by the store becomes the hub's Qt signals.

`Project` hands every committed change set to its subscribers (`sijill.db.store.feed`); `ProjectHub`
subscribes once and calls `announce`, which says what changed in the terms the views know: row ids.
The store names records by uid (a change means the same in every copy of the file), so `RecordIds`
keeps the row id of every event and source, read once when the hub is made and kept up to date
from each change set, so that a deleted record is still named by the id the views knew it by.
"""
from __future__ import annotations

from sijill.db.store.changes import Change, ChangeSet

# Change sets that rewrite the project wholesale: every view reads it again.
WHOLE_PROJECT = ("import", "merge")
# A source's columns the passages are read against (mentions, anchors).
READ_AGAINST = ("body", "language", "published_text", "published_lo", "published_hi")


class RecordIds:
    """Row id by uid of every event and source of one project."""

    def __init__(self, project) -> None:
        self.project = project
        self.events: dict[str, int] = {}
        self.sources: dict[str, int] = {}
        self.reload()

    def reload(self) -> None:
        self.events = self.project.ids_by_uid("event")
        self.sources = self.project.ids_by_uid("source")

    def learn(self, changes: list[Change]) -> None:
        """Read the ids of the events and sources a change set created (or put back)."""
        for kind, ids in (("event", self.events), ("source", self.sources)):
            new = [c.uid for c in changes if c.kind == kind and c.op == "insert"]
            if new:
                ids.update(self.project.ids_by_uid(kind, new))


class Announcement:
    """What one change set changed, gathered before anything is emitted."""

    def __init__(self) -> None:
        self.events: list[int] = []
        self.removed: list[int] = []
        self.evidence: list[int] = []
        self.sources: list[int] = []
        self.passages: list[int] = []      # sources whose annotations (or what they are read against) changed
        self.groups = self.periods = self.places = self.tags = False

    def add(self, ids: list, value: int | None) -> None:
        if value is not None and value not in ids:
            ids.append(value)


def announce(hub, record_ids: RecordIds, change_set: ChangeSet) -> None:
    """Emit the hub's signals for one committed change set."""
    if change_set.kind in WHOLE_PROJECT:  # (the hub reads the ids again on project_reset)
        hub.set_selection([])
        hub.project_reset.emit()
        return
    changes = change_set.changes
    record_ids.learn(changes)
    said = Announcement()
    for change in changes:
        _gather(said, hub.project, record_ids, change)
    _emit(hub, said)


def _gather(said: Announcement, project, record_ids: RecordIds, c: Change) -> None:
    if c.kind == "event":
        if c.op == "delete":
            said.add(said.removed, record_ids.events.pop(c.uid, None))
            return
        event_id = record_ids.events.get(c.uid)
        said.add(said.events, event_id)
        if c.op == "insert" or c.field == "evidence":  # an event put back comes back with its evidence
            said.add(said.evidence, event_id)
        if c.field == "evidence":
            link = c.after or c.before or {}
            said.add(said.passages, record_ids.sources.get(link.get("source")))
        said.tags |= c.field == "tags"
    elif c.kind == "source":
        source_id = (record_ids.sources.pop(c.uid, None) if c.op == "delete"
                     else record_ids.sources.get(c.uid))
        said.add(said.sources, source_id)
        if c.op == "insert" or set(c.fields()) & set(READ_AGAINST):
            said.add(said.passages, source_id)
    elif c.kind == "annotation":
        if c.op == "delete":
            source_id = record_ids.sources.get((c.before or {}).get("source"))
        else:
            annotation = project.annotation_by_uid(c.uid)
            source_id = annotation.source_id if annotation is not None else None
        said.add(said.passages, source_id)
        said.add(said.sources, source_id)
        said.tags |= c.field == "tags"
    elif c.kind == "group":
        said.groups = True
    elif c.kind == "period":
        said.periods = True
    elif c.kind == "place":
        said.places = True


def _emit(hub, said: Announcement) -> None:
    """Structure first (lanes, groups), then records, then what hangs on them."""
    if said.groups:
        hub.groups_changed.emit()
    if said.periods:
        hub.periods_changed.emit()
    if said.places:
        hub.places_changed.emit()
    if said.removed:
        hub.forget(said.removed)
        hub.events_removed.emit(said.removed)
    if said.events:
        hub.events_changed.emit(said.events)
    if said.sources:
        hub.sources_changed.emit(said.sources)
    for source_id in said.passages:
        hub.annotations_changed.emit(source_id)
    if said.evidence:
        hub.evidence_changed.emit(said.evidence)
    if said.tags:
        hub.tags_changed.emit()
