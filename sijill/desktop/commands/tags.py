"""Undo commands for tags as a whole: rename (onto a name in use: merge), merge, delete.

Each command changes the file through one `Project` method (one transaction) and undoes through
`Project.restore_tags`, which puts every tag it touched back with its own id, events and passages.
A tag's name is not a record the store follows (a rename records no change set), so, unlike the
other commands, these tell the hub themselves: `events_changed` for the events whose tags changed (the table's Tags
column, the detail pane, a timeline filtered by tag), `annotations_changed` for the sources whose
passages did, and `tags_renamed`, so that a filter on the old name follows it and every list of
tags is read again.
"""
from __future__ import annotations

from sijill.desktop.commands.base import Command
from sijill.desktop.hub import ProjectHub
from sijill.desktop.undo_text import quoted


class TagCommand(Command):
    """Base: `_change_tags` changes the file and returns the record `restore_tags` undoes."""

    def __init__(self, hub: ProjectHub, text: str) -> None:
        super().__init__(hub, text)
        self.record: dict | None = None

    def _do(self) -> None:
        self.record = self._change_tags()

    def _undo(self) -> None:
        self.project.restore_tags(self.record)

    def redo(self) -> None:
        super().redo()
        self._tell(self.forward_names())

    def undo(self) -> None:
        super().undo()
        self._tell(self.backward_names())

    def _change_tags(self) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def forward_names(self) -> dict[str, str | None]:
        """Old name -> the name it goes by after redo (None: gone)."""
        return {self.record["from"]: self.record["into"]}

    def backward_names(self) -> dict[str, str | None]:
        """After undo: a plain rename takes its old name back; a merged or deleted tag comes back
        beside the other, and a filter keeps the name it had."""
        return {} if self.record["merged"] else {self.record["into"]: self.record["from"]}

    def _tell(self, names: dict[str, str | None]) -> None:
        project = self.hub.project
        snapshots = self.record["tags"]
        events = sorted({e for s in snapshots for e in s["events"]})
        if events:
            self.hub.events_changed.emit(events)
        for source_id in project.group_sources(snapshots):  # the sources of the snapshots' passages
            self.hub.annotations_changed.emit(source_id)
        self.hub.tags_renamed(names)


class RenameTagCommand(TagCommand):
    """Rename a tag; to the name of another tag, merge it into that one."""

    def __init__(self, hub: ProjectHub, old: str, new: str) -> None:
        new = new.strip()
        merging = new != old and new in hub.project.tags()
        super().__init__(hub, f"Merge tag {quoted(old)} into {quoted(new)}" if merging
                         else f"Rename tag {quoted(old)} to {quoted(new)}")
        self.old, self.new = old, new

    def _change_tags(self) -> dict:
        return self.hub.project.rename_tag(self.old, self.new)


class MergeTagsCommand(TagCommand):
    """Put a tag's events and passages under another tag, and delete it."""

    def __init__(self, hub: ProjectHub, from_name: str, into_name: str) -> None:
        super().__init__(hub, f"Merge tag {quoted(from_name)} into {quoted(into_name)}")
        self.from_name, self.into_name = from_name, into_name

    def _change_tags(self) -> dict:
        return self.hub.project.merge_tags(self.from_name, self.into_name)


class DeleteTagCommand(TagCommand):
    """Take a tag off every event and passage, and delete it."""

    def __init__(self, hub: ProjectHub, name: str) -> None:
        super().__init__(hub, f"Delete tag {quoted(name)}")
        self.name = name

    def _change_tags(self) -> dict:
        return self.hub.project.delete_tag(self.name)

    def forward_names(self) -> dict[str, str | None]:
        return {self.name: None}

    def backward_names(self) -> dict[str, str | None]:
        return {}
