"""Undo commands for evidence: link a passage to an event with a stance, unlink, change the
stance or note. Evidence rows keep their ids through undo and redo (`add_evidence(evidence_id=...)`).
"""
from __future__ import annotations

from collections.abc import Mapping

from sijill.db.store.basics import ProjectError
from sijill.desktop.commands.base import Command
from sijill.desktop.hub import ProjectHub


def _resolve(ref, attribute: str) -> int:
    """An id given directly, or read from a command that ran before in the same composite."""
    value = getattr(ref, attribute, ref)
    if value is None:
        raise ProjectError(f"cannot link: the {attribute.split('_')[0]} was not created")
    return value


class LinkEvidenceCommand(Command):
    """Link an annotated passage to an event with a stance (supports, contradicts, context).

    `annotation` and `event` are ids, or commands earlier in the same composite that create them
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

    def _undo(self) -> None:
        self.project.remove_evidence(self.evidence_id)


class UnlinkEvidenceCommand(Command):
    """Remove one evidence link; undo puts the same row back."""

    def __init__(self, hub: ProjectHub, evidence_id: int, text: str = "Remove evidence link") -> None:
        super().__init__(hub, text)
        self.evidence = hub.project.evidence_item(evidence_id)

    def _do(self) -> None:
        self.project.remove_evidence(self.evidence.id)

    def _undo(self) -> None:
        ev = self.evidence
        self.project.add_evidence(ev.event_id, ev.source_id, ev.annotation_id, ev.stance, ev.note, evidence_id=ev.id)


class EditEvidenceCommand(Command):
    """Change the stance and/or the note of an evidence link: `stance=`, `note=` (None: no note).
    Only the fields given change, and undo puts back exactly what they held (a NULL note stays NULL)."""

    def __init__(self, hub: ProjectHub, evidence_id: int, *, text: str | None = None, **changes) -> None:
        unknown = set(changes) - {"stance", "note"}
        if unknown:
            raise TypeError(f"EditEvidenceCommand cannot change {', '.join(sorted(unknown))}")
        super().__init__(hub, text or ("Change evidence note" if "note" in changes and "stance" not in changes
                                       else "Change evidence stance"))
        old = hub.project.evidence_item(evidence_id)
        self.evidence_id = evidence_id
        self.new = dict(changes)
        self.old = {key: getattr(old, key) for key in changes}

    def _set(self, values: Mapping) -> None:
        self.project.update_evidence(self.evidence_id, **values)

    def _do(self) -> None:
        self._set(self.new)

    def _undo(self) -> None:
        self._set(self.old)
