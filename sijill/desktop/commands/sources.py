"""Undo commands for sources: add, edit metadata, replace the text (re-anchoring its passages),
delete (with its passages and evidence links), merge a copy into the source kept.

Sources are referred to by uid, not id: undoing a deletion re-creates the source under a new row
id, and every later command must still find it.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from sijill.db.store.entities import Source
from sijill.desktop.commands.annotations import annotation_state, restore_annotation, source_id
from sijill.desktop.commands.base import Command
from sijill.desktop.hub import ProjectHub
from sijill.desktop.undo_text import merge_text, quoted

SOURCE_FIELDS = ("title", "outlet", "author", "url", "published", "language", "reliability", "kind")


def source_fields(source: Source, names: Iterable[str] = SOURCE_FIELDS) -> dict:
    """The values of `names` on a source, in the form Project.update_source accepts."""
    return {name: getattr(source, name) for name in names}


class AddSourceCommand(Command):
    """Add a source; undo deletes it, redo puts it back with the same uid."""

    def __init__(self, hub: ProjectHub, fields: Mapping, text: str | None = None) -> None:
        super().__init__(hub, text or f"Add source {quoted(fields.get('title'))}")
        self.fields = dict(fields)
        self.uid: str | None = None
        self.added_at: str | None = None
        self.source_id: int | None = None

    def _do(self) -> None:
        source = self.project.create_source(uid=self.uid, added_at=self.added_at, **self.fields)
        self.uid, self.added_at, self.source_id = source.uid, source.added_at, source.id

    def _undo(self) -> None:
        self.project.delete_source(source_id(self.project, self.uid))


class EditSourceCommand(Command):
    """Change a source's metadata (not its text: see ReplaceSourceTextCommand)."""

    def __init__(self, hub: ProjectHub, source_id: int, fields: Mapping, text: str | None = None) -> None:
        source = hub.project.source(source_id)
        super().__init__(hub, text or f"Edit source {quoted(source.title)}")
        self.uid = source.uid
        self.new = dict(fields)
        self.old = source_fields(source, self.new)

    def _do(self) -> None:
        self.project.update_source(source_id(self.project, self.uid), **self.new)

    def _undo(self) -> None:
        self.project.update_source(source_id(self.project, self.uid), **self.old)


class DeleteSourceCommand(Command):
    """Delete a source with its annotations and evidence links; undo restores them all."""

    def __init__(self, hub: ProjectHub, source_id: int, text: str | None = None) -> None:
        source = hub.project.source(source_id)
        super().__init__(hub, text or f"Delete source {quoted(source.title)}")
        self.uid = source.uid
        self.snapshot: dict | None = None

    def _do(self) -> None:
        p = self.project
        sid = source_id(p, self.uid)
        self.snapshot = {
            "source": p.source(sid),
            "annotations": [annotation_state(p, a) for a in p.annotations(sid)],
            "evidence": p.evidence_for_source(sid),
        }
        p.delete_source(sid)

    def _undo(self) -> None:
        p = self.project
        s: Source = self.snapshot["source"]
        new = p.create_source(s.title, s.body, outlet=s.outlet, author=s.author, url=s.url,
                              published=s.published, language=s.language, reliability=s.reliability,
                              kind=s.kind, uid=s.uid, added_at=s.added_at, summary=s.summary)
        for state in self.snapshot["annotations"]:
            restore_annotation(p, state)
        for ev in self.snapshot["evidence"]:
            p.add_evidence(ev.event_id, new.id, ev.annotation_id, ev.stance, ev.note, evidence_id=ev.id)


class ReplaceSourceTextCommand(Command):
    """Put new text in a source and re-anchor its annotations; undo restores the old text and
    every annotation's old anchor (offsets, quote, context, orphaned flag) exactly."""

    def __init__(self, hub: ProjectHub, source_id: int, new_body: str, text: str | None = None) -> None:
        source = hub.project.source(source_id)
        super().__init__(hub, text or f"Replace the text of source {quoted(source.title)}")
        self.uid = source.uid
        self.new_body = new_body
        self.old_body = source.body
        self.old_annotations = [annotation_state(hub.project, a) for a in hub.project.annotations(source_id)]
        self.result: dict | None = None

    def _do(self) -> None:
        self.result = self.project.replace_source_text(source_id(self.project, self.uid), self.new_body)

    def _undo(self) -> None:
        p = self.project
        p.update_source(source_id(p, self.uid), body=self.old_body)
        for state in self.old_annotations:
            restore_annotation(p, state)



class MergeSourcesCommand(Command):
    """Merge a source (the same document added twice) into the one kept (Project.merge_sources):
    its passages, found again in the kept text, and its evidence links move over; undo puts both
    back as they were."""

    def __init__(self, hub: ProjectHub, from_id: int, into_id: int) -> None:
        project = hub.project
        merged, into = project.source(from_id), project.source(into_id)
        super().__init__(hub, merge_text("source", [merged.title], into.title))
        self.from_uid, self.into_uid = merged.uid, into.uid
        self.record: dict | None = None

    def _do(self) -> None:
        p = self.project
        self.record = p.merge_sources(source_id(p, self.from_uid), source_id(p, self.into_uid))

    def _undo(self) -> None:
        self.project.unmerge_sources(self.record)
