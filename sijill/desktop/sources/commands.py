"""Undo commands for sources, annotated passages and evidence links.

Each command changes the file through `db.Project` and then tells the hub what changed. Sources
are referred to by uid, not id: undoing a deletion re-creates the source under a new row id, and
every later command must still find it. Annotations and evidence rows keep their ids on restore
(`put_annotation(annotation_id=...)`, `add_evidence(evidence_id=...)`).

`push(stack, cmd, parent)` runs the command once *before* it goes on the stack, so that an edit the
project refuses (read-only file, bad value) shows a message and leaves no broken step behind.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from sijill.db.common import ProjectError
from sijill.db.dates import DateParseError
from sijill.db.models import Annotation, Source
from sijill.desktop.hub import ProjectHub
from sijill.desktop.undo_text import quoted

SOURCE_FIELDS = ("title", "outlet", "author", "url", "published", "language", "reliability", "kind")


class SourceCommand(QUndoCommand):
    """Base: `_do`/`_undo` do the work; `apply()` runs `_do` once before the stack's first redo."""

    def __init__(self, hub: ProjectHub, text: str) -> None:
        super().__init__(text)
        self.hub = hub
        self._skip_redo = False

    @property
    def project(self):
        return self.hub.project

    def apply(self) -> None:
        """Do the edit now, raising ProjectError if refused; the stack's push will not redo it again."""
        self._do()
        self._skip_redo = True

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._do()

    def undo(self) -> None:
        self._undo()

    def _do(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _undo(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _sid(self, uid: str) -> int:
        source = self.project.source_by_uid(uid)
        if source is None:
            raise ProjectError("the source is no longer in the project")
        return source.id


def push(stack: QUndoStack, command: QUndoCommand, parent: QWidget | None = None) -> bool:
    """Run `command` and put it on the stack; on a refused edit show why and change nothing."""
    try:
        if isinstance(command, SourceCommand):
            command.apply()
        stack.push(command)
    except (ProjectError, DateParseError) as exc:
        QMessageBox.warning(parent, "Sijill", str(exc))
        return False
    return True


def push_macro(stack: QUndoStack, title: str, commands: Iterable[QUndoCommand],
               parent: QWidget | None = None) -> bool:
    """Push several commands as one undo step; if one is refused, take back those already done."""
    stack.beginMacro(title)
    ok = True
    for command in commands:
        if not push(stack, command, parent):
            ok = False
            break
    stack.endMacro()
    if not ok:
        stack.undo()
    return ok


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
    fields = dict(state)
    source = project.source_by_uid(fields.pop("source_uid"))
    if source is None:
        raise ProjectError("the annotation's source is no longer in the project")
    return project.put_annotation(source_id=source.id, **fields)


def source_fields(source: Source, names: Iterable[str] = SOURCE_FIELDS) -> dict:
    return {name: getattr(source, name) for name in names}


# ---- sources -----------------------------------------------------------------------------------
class AddSourceCommand(SourceCommand):
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
        self.hub.sources_changed.emit([source.id])

    def _undo(self) -> None:
        sid = self._sid(self.uid)
        self.project.delete_source(sid)
        self.hub.sources_changed.emit([sid])


class EditSourceCommand(SourceCommand):
    """Change a source's metadata (not its text: see ReplaceSourceTextCommand)."""

    def __init__(self, hub: ProjectHub, source_id: int, fields: Mapping, text: str | None = None) -> None:
        source = hub.project.source(source_id)
        super().__init__(hub, text or f"Edit source {quoted(source.title)}")
        self.uid = source.uid
        self.new = dict(fields)
        self.old = source_fields(source, self.new)

    def _set(self, values: Mapping) -> None:
        sid = self._sid(self.uid)
        self.project.update_source(sid, **values)
        self.hub.sources_changed.emit([sid])
        if "published" in values or "language" in values:
            self.hub.annotations_changed.emit(sid)  # mentions are read against these

    def _do(self) -> None:
        self._set(self.new)

    def _undo(self) -> None:
        self._set(self.old)


class DeleteSourceCommand(SourceCommand):
    """Delete a source with its annotations and evidence links; undo restores them all."""

    def __init__(self, hub: ProjectHub, source_id: int, text: str | None = None) -> None:
        source = hub.project.source(source_id)
        super().__init__(hub, text or f"Delete source {quoted(source.title)}")
        self.uid = source.uid
        self.snapshot: dict | None = None

    def _do(self) -> None:
        p = self.project
        sid = self._sid(self.uid)
        source = p.source(sid)
        self.snapshot = {
            "source": source,
            "annotations": [annotation_state(p, a) for a in p.annotations(sid)],
            "evidence": p.evidence_for_source(sid),
        }
        p.delete_source(sid)
        self.hub.sources_changed.emit([sid])
        self._announce_evidence()

    def _undo(self) -> None:
        p = self.project
        s: Source = self.snapshot["source"]
        with p.batch():
            new = p.create_source(s.title, s.body, outlet=s.outlet, author=s.author, url=s.url,
                                  published=s.published, language=s.language, reliability=s.reliability,
                                  kind=s.kind, uid=s.uid, added_at=s.added_at, summary=s.summary)
            for state in self.snapshot["annotations"]:
                restore_annotation(p, state)
            for ev in self.snapshot["evidence"]:
                p.add_evidence(ev.event_id, new.id, ev.annotation_id, ev.stance, ev.note, evidence_id=ev.id)
        self.hub.sources_changed.emit([new.id])
        self.hub.annotations_changed.emit(new.id)
        self._announce_evidence()

    def _announce_evidence(self) -> None:
        events = sorted({ev.event_id for ev in self.snapshot["evidence"]})
        if events:
            self.hub.evidence_changed.emit(events)


class ReplaceSourceTextCommand(SourceCommand):
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
        sid = self._sid(self.uid)
        self.result = self.project.replace_source_text(sid, self.new_body)
        self._announce(sid)

    def _undo(self) -> None:
        p = self.project
        sid = self._sid(self.uid)
        with p.batch():
            p.update_source(sid, body=self.old_body)
            for state in self.old_annotations:
                restore_annotation(p, state)
        self._announce(sid)

    def _announce(self, sid: int) -> None:
        self.hub.sources_changed.emit([sid])
        self.hub.annotations_changed.emit(sid)


# ---- annotations --------------------------------------------------------------------------------
class CreateAnnotationCommand(SourceCommand):
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
        p = self.project
        if self.state is None:
            args = dict(self.args)
            annotation = p.create_annotation(self._sid(self.source_uid), args.pop("start"),
                                             args.pop("end"), **args)
            self.annotation_id = annotation.id
            self.state = annotation_state(p, annotation)
        else:
            annotation = restore_annotation(p, self.state)
        self.hub.annotations_changed.emit(annotation.source_id)
        self.hub.sources_changed.emit([annotation.source_id])

    def _undo(self) -> None:
        sid = self.project.annotation(self.annotation_id).source_id
        self.project.delete_annotation(self.annotation_id)
        self.hub.annotations_changed.emit(sid)
        self.hub.sources_changed.emit([sid])


class EditAnnotationCommand(SourceCommand):
    """Change an annotation's note, grade, groups, tags or anchor (start/end re-attach an orphan)."""

    def __init__(self, hub: ProjectHub, annotation_id: int, changes: Mapping, text: str = "Edit annotation") -> None:
        super().__init__(hub, text)
        self.annotation_id = annotation_id
        self.changes = dict(changes)
        self.old = annotation_state(hub.project, hub.project.annotation(annotation_id))
        self.new: dict | None = None

    def _do(self) -> None:
        p = self.project
        if self.new is None:
            annotation = p.update_annotation(self.annotation_id, **self.changes)
            self.new = annotation_state(p, annotation)
        else:
            annotation = restore_annotation(p, self.new)
        self.hub.annotations_changed.emit(annotation.source_id)

    def _undo(self) -> None:
        annotation = restore_annotation(self.project, self.old)
        self.hub.annotations_changed.emit(annotation.source_id)


class DeleteAnnotationCommand(SourceCommand):
    """Delete an annotation. Its evidence links fall back to the whole source (the schema's
    ON DELETE SET NULL); undo pins them to the passage again."""

    def __init__(self, hub: ProjectHub, annotation_id: int, text: str = "Delete annotation") -> None:
        super().__init__(hub, text)
        self.annotation_id = annotation_id
        self.state: dict | None = None
        self.evidence: list = []

    def _do(self) -> None:
        p = self.project
        annotation = p.annotation(self.annotation_id)
        self.state = annotation_state(p, annotation)
        self.evidence = p.evidence_for_annotation(self.annotation_id)
        p.delete_annotation(self.annotation_id)
        self._announce(annotation.source_id)

    def _undo(self) -> None:
        p = self.project
        with p.batch():
            annotation = restore_annotation(p, self.state)
            for ev in self.evidence:
                p.remove_evidence(ev.id)
                p.add_evidence(ev.event_id, annotation.source_id, annotation.id, ev.stance, ev.note,
                               evidence_id=ev.id)
        self._announce(annotation.source_id)

    def _announce(self, source_id: int) -> None:
        self.hub.annotations_changed.emit(source_id)
        self.hub.sources_changed.emit([source_id])
        if self.evidence:
            self.hub.evidence_changed.emit(sorted({ev.event_id for ev in self.evidence}))


# ---- evidence -----------------------------------------------------------------------------------
def _resolve(ref, attribute: str) -> int:
    """An id given directly, or read from a command pushed earlier in the same macro."""
    value = getattr(ref, attribute, ref)
    if value is None:
        raise ProjectError(f"cannot link: the {attribute.split('_')[0]} was not created")
    return value


class LinkEvidenceCommand(SourceCommand):
    """Link an annotated passage to an event with a stance (supports, contradicts, context).

    `annotation` and `event` are ids, or commands of the same macro that create them
    (their `annotation_id` / `event_id` are read when the link is made)."""

    def __init__(self, hub: ProjectHub, annotation, event, stance: str = "supports", note: str | None = None,
                 text: str = "Link evidence") -> None:
        super().__init__(hub, text)
        self.annotation_ref, self.event_ref = annotation, event
        self.stance, self.note = stance, note
        self.evidence_id: int | None = None
        self.event_id: int | None = None
        self.annotation_id: int | None = None

    def _do(self) -> None:
        self.annotation_id = _resolve(self.annotation_ref, "annotation_id")
        self.event_id = _resolve(self.event_ref, "event_id")
        ev = self.project.add_evidence(self.event_id, annotation_id=self.annotation_id, stance=self.stance,
                                       note=self.note, evidence_id=self.evidence_id)
        self.evidence_id = ev.id
        self._announce(ev.source_id)

    def _undo(self) -> None:
        source_id = self.project.evidence_item(self.evidence_id).source_id
        self.project.remove_evidence(self.evidence_id)
        self._announce(source_id)

    def _announce(self, source_id: int) -> None:
        self.hub.evidence_changed.emit([self.event_id])
        self.hub.annotations_changed.emit(source_id)


class UnlinkEvidenceCommand(SourceCommand):
    """Remove one evidence link; undo puts the same row back."""

    def __init__(self, hub: ProjectHub, evidence_id: int, text: str = "Remove evidence link") -> None:
        super().__init__(hub, text)
        self.evidence = hub.project.evidence_item(evidence_id)

    def _do(self) -> None:
        self.project.remove_evidence(self.evidence.id)
        self._announce()

    def _undo(self) -> None:
        ev = self.evidence
        self.project.add_evidence(ev.event_id, ev.source_id, ev.annotation_id, ev.stance, ev.note, evidence_id=ev.id)
        self._announce()

    def _announce(self) -> None:
        self.hub.evidence_changed.emit([self.evidence.event_id])
        self.hub.annotations_changed.emit(self.evidence.source_id)


class EditEvidenceCommand(SourceCommand):
    """Change the stance and/or the note of an evidence link: `stance=`, `note=` (None: no note).
    Only the fields given change, and undo puts back exactly what they held (a NULL note stays NULL)."""

    def __init__(self, hub: ProjectHub, evidence_id: int, *, text: str | None = None, **changes) -> None:
        unknown = set(changes) - {"stance", "note"}
        if unknown:
            raise TypeError(f"EditEvidenceCommand cannot change {', '.join(sorted(unknown))}")
        super().__init__(hub, text or ("Change evidence note" if "note" in changes and "stance" not in changes
                                       else "Change evidence stance"))
        old = hub.project.evidence_item(evidence_id)
        self.evidence_id, self.event_id, self.source_id_ = evidence_id, old.event_id, old.source_id
        self.new = dict(changes)
        self.old = {key: getattr(old, key) for key in changes}

    def _set(self, values: Mapping) -> None:
        self.project.update_evidence(self.evidence_id, **values)
        self.hub.evidence_changed.emit([self.event_id])
        self.hub.annotations_changed.emit(self.source_id_)

    def _do(self) -> None:
        self._set(self.new)

    def _undo(self) -> None:
        self._set(self.old)
