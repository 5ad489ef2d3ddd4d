"""Undo commands for annotated passages: annotate, edit (note, grade, groups, tags, anchor), delete.

Annotations keep their ids through undo and redo (`put_annotation(annotation_id=...)`); their
source is referred to by uid, because undoing a source's deletion re-creates it under a new row id.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from sijill.db.store.basics import ProjectError
from sijill.db.store.entities import Annotation
from sijill.desktop.commands.base import Command
from sijill.desktop.hub import ProjectHub


def source_id(project, uid: str) -> int:
    """The row id the source `uid` has now (a deleted and restored source has a new one)."""
    source = project.source_by_uid(uid)
    if source is None:
        raise ProjectError("the source is no longer in the project")
    return source.id


def annotation_state(project, annotation: Annotation) -> dict:
    """Everything `put_annotation` needs to put an annotation back exactly, its source by uid."""
    return {
        "uid": annotation.uid, "source_uid": project.source(annotation.source_id).uid,
        "start": annotation.start, "end": annotation.end, "quote": annotation.quote,
        "prefix": annotation.prefix, "suffix": annotation.suffix, "note": annotation.note,
        "credibility": annotation.credibility, "orphaned": annotation.orphaned,
        "groups": list(annotation.group_ids), "tags": list(annotation.tags),
        "created_at": annotation.created_at, "updated_at": annotation.updated_at,
        "annotation_id": annotation.id,
    }


def restore_annotation(project, state: Mapping) -> Annotation:
    """Put an annotation back as `annotation_state` recorded it."""
    fields = dict(state)
    try:
        sid = source_id(project, fields.pop("source_uid"))
    except ProjectError:
        raise ProjectError("the annotation's source is no longer in the project") from None
    return project.put_annotation(source_id=sid, **fields)


class CreateAnnotationCommand(Command):
    """Annotate source.body[start:end] (code points); redo after undo restores the same row."""

    def __init__(self, hub: ProjectHub, source_id: int, start: int, end: int, *, note: str | None = None,
                 credibility: int | None = None, groups: Iterable[int] = (), tags: Iterable[str] = (),
                 text: str = "Annotate passage") -> None:
        super().__init__(hub, text)
        self.source_uid = hub.project.source(source_id).uid
        self.args = {"start": start, "end": end, "note": note, "credibility": credibility,
                     "groups": list(groups), "tags": list(tags)}
        self.annotation_id: int | None = None
        self.state: dict | None = None

    def _do(self) -> None:
        if self.state is None:
            args = dict(self.args)
            annotation = self.project.create_annotation(source_id(self.project, self.source_uid),
                                                        args.pop("start"), args.pop("end"), **args)
            self.annotation_id = annotation.id
            self.state = annotation_state(self.project, annotation)
        else:
            restore_annotation(self.project, self.state)

    def _undo(self) -> None:
        self.project.delete_annotation(self.annotation_id)


class EditAnnotationCommand(Command):
    """Change an annotation's note, grade, groups, tags or anchor (start/end re-attach an orphan)."""

    def __init__(self, hub: ProjectHub, annotation_id: int, changes: Mapping, text: str = "Edit annotation") -> None:
        super().__init__(hub, text)
        self.annotation_id = annotation_id
        self.changes = dict(changes)
        self.old = annotation_state(hub.project, hub.project.annotation(annotation_id))
        self.new: dict | None = None

    def _do(self) -> None:
        if self.new is None:
            annotation = self.project.update_annotation(self.annotation_id, **self.changes)
            self.new = annotation_state(self.project, annotation)
        else:
            restore_annotation(self.project, self.new)

    def _undo(self) -> None:
        restore_annotation(self.project, self.old)


class DeleteAnnotationCommand(Command):
    """Delete an annotation. Its evidence links fall back to the whole source (the schema's
    ON DELETE SET NULL); undo pins them to the passage again."""

    def __init__(self, hub: ProjectHub, annotation_id: int, text: str = "Delete annotation") -> None:
        super().__init__(hub, text)
        self.annotation_id = annotation_id
        self.state: dict | None = None
        self.evidence: list = []

    def _do(self) -> None:
        p = self.project
        self.state = annotation_state(p, p.annotation(self.annotation_id))
        self.evidence = p.evidence_for_annotation(self.annotation_id)
        p.delete_annotation(self.annotation_id)

    def _undo(self) -> None:
        p = self.project
        annotation = restore_annotation(p, self.state)
        for ev in self.evidence:
            p.remove_evidence(ev.id)
            p.add_evidence(ev.event_id, annotation.source_id, annotation.id, ev.stance, ev.note,
                           evidence_id=ev.id)

