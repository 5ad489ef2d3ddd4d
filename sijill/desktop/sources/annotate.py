"""The editing gestures on passages, shared by the reader, the annotations list and the panel:
annotate a selection, edit or delete an annotation, re-attach an orphan, create an event from a
passage. Each opens its dialog with `open()` (the open one is `editor.dialog`) and, when the
analyst accepts, pushes one undo step (a composite command where several things change together:
a refused part leaves nothing of the others, and the stack says what was not saved).
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from sijill.db.text.mentions import Mention
from sijill.desktop.commands.annotations import CreateAnnotationCommand, DeleteAnnotationCommand, EditAnnotationCommand
from sijill.desktop.commands.base import one_step
from sijill.desktop.commands.events import CreateEventCommand
from sijill.desktop.commands.evidence import EditEvidenceCommand, LinkEvidenceCommand, UnlinkEvidenceCommand
from sijill.desktop.commands.stack import refuse_read_only
from sijill.desktop.sources.annotation_dialog import AnnotationDialog
from sijill.desktop.hub import ProjectHub
from sijill.desktop.sources.passage_event import prefill_event_dialog, suggest_event
from sijill.desktop.widgets.dialog_slot import DialogSlot

EMPTY_SELECTION = "Select a passage of the text first (at least one character)."


class AnnotationEditor(QObject):
    """Opens the dialogs and pushes the commands for everything done to passages."""

    annotation_created = Signal(int)
    event_created = Signal(int)

    def __init__(self, hub: ProjectHub, undo_stack: QUndoStack, parent: QWidget) -> None:
        super().__init__(parent)
        self.hub = hub
        self.stack = undo_stack
        self.widget = parent
        self._slot = DialogSlot()

    @property
    def dialog(self) -> QDialog | None:
        """The passage dialog now open, if any."""
        return self._slot.current

    def refuse_empty(self) -> None:
        QMessageBox.information(self.widget, "Annotate", EMPTY_SELECTION)

    def refuse_read_only(self) -> bool:
        """True (after saying why) when the project cannot be changed: no dialog is opened then."""
        return refuse_read_only(self.hub.project, self.widget)

    def _push(self, text: str, commands: list) -> bool:
        """`commands` as one undo step; False (the stack says why) when refused or empty."""
        command = one_step(text, commands)
        return command is not None and self.stack.push(command)

    def _passage(self, span: tuple[int, int] | None) -> tuple[int, int] | None:
        """`span` when it holds a character and the project can be changed; else None, after saying why."""
        if self.refuse_read_only():
            return None
        if span is None or span[1] <= span[0]:
            self.refuse_empty()
            return None
        return span

    # ---- annotate ------------------------------------------------------------------------------
    def annotate(self, source_id: int, span: tuple[int, int] | None, mentions: list[Mention] = ()) -> QDialog | None:
        if self._passage(span) is None:
            return None
        start, end = span
        groups = list(dict.fromkeys(m.group_id for m in mentions
                                    if m.kind == "group" and m.group_id is not None and start <= m.start < end))
        dialog = AnnotationDialog(self.hub, source_id, start, end, suggested_groups=groups, parent=self.widget)
        return self._slot.open(dialog, lambda d: self._create(d, source_id, start, end))

    def _create(self, dialog: AnnotationDialog, source_id: int, start: int, end: int) -> None:
        values = dialog.values()
        create = CreateAnnotationCommand(self.hub, source_id, start, end, **values)
        links = [LinkEvidenceCommand(self.hub, create, event_id, stance, text="Link passage to event")
                 for event_id, stance in dialog.link_changes().added]
        if self._push("Annotate passage", [*dialog.group_commands(), create, *links]):
            self.annotation_created.emit(create.annotation_id)

    # ---- edit, delete, re-attach ---------------------------------------------------------------
    def edit(self, annotation_id: int) -> QDialog | None:
        if self.refuse_read_only():
            return None
        a = self.hub.project.annotation(annotation_id)
        dialog = AnnotationDialog(self.hub, a.source_id, a.start, a.end, annotation=a, parent=self.widget)
        from sijill.desktop.history.history_view import add_history_tab

        add_history_tab(dialog, self.hub, self.stack, "annotation", a.uid)
        return self._slot.open(dialog, lambda d: self._update(d, annotation_id))

    def _update(self, dialog: AnnotationDialog, annotation_id: int) -> None:
        a = self.hub.project.annotation(annotation_id)
        values = dialog.values()
        current = {"note": a.note, "credibility": a.credibility, "groups": sorted(a.group_ids, key=str),
                   "tags": sorted(a.tags)}
        changes = {k: v for k, v in values.items()           # groups: ids, and names of new ones
                   if (sorted(v, key=str) if k in ("groups", "tags") else v) != current[k]}
        commands = list(dialog.group_commands())
        if changes:
            commands.append(EditAnnotationCommand(self.hub, annotation_id, changes))
        links = dialog.link_changes()
        commands += [LinkEvidenceCommand(self.hub, annotation_id, eid, stance) for eid, stance in links.added]
        commands += [UnlinkEvidenceCommand(self.hub, evid) for evid in links.removed]
        commands += [EditEvidenceCommand(self.hub, evid, stance=stance) for evid, stance in links.restanced]
        self._push("Edit annotation", commands)

    def delete(self, annotation_id: int) -> bool:
        if self.refuse_read_only():
            return False
        return self.stack.push(DeleteAnnotationCommand(self.hub, annotation_id))

    def reattach(self, annotation_id: int, span: tuple[int, int] | None) -> bool:
        """Anchor an (orphaned) annotation to the passage now selected."""
        if self.refuse_read_only():
            return False
        if span is None or span[1] <= span[0]:
            QMessageBox.information(self.widget, "Re-attach", "Select in the text the passage this annotation "
                                    "belongs to, then choose Re-attach.")
            return False
        command = EditAnnotationCommand(self.hub, annotation_id, {"start": span[0], "end": span[1]},
                                        text="Re-attach annotation")
        return self.stack.push(command)

    # ---- event from passage --------------------------------------------------------------------
    def event_from_passage(self, source_id: int, span: tuple[int, int] | None,
                           mentions: list[Mention] = ()) -> QDialog | None:
        if self._passage(span) is None:
            return None
        start, end = span
        source = self.hub.project.source(source_id)
        inside = [m for m in mentions if start <= m.start and m.end <= end]
        suggestion = suggest_event(source.body[start:end], inside, source.published)
        from sijill.desktop.events.event_dialog import EventDialog

        dialog = EventDialog(self.hub, None, self.widget)
        prefill_event_dialog(dialog, suggestion, source)
        found_groups = [g for g, _role in suggestion.groups]
        return self._slot.open(dialog, lambda d: self._create_event(d, source_id, start, end, found_groups))

    def _create_event(self, dialog, source_id: int, start: int, end: int,
                      found_groups: list[int]) -> None:
        """One undo step: the annotation (unless the passage is already one), the event, the link."""
        existing = next((a for a in self.hub.project.annotations(source_id)
                         if (a.start, a.end) == (start, end) and not a.orphaned), None)
        commands = list(dialog.group_commands())   # groups typed in the dialog that are new
        if existing is None:
            annotation = CreateAnnotationCommand(self.hub, source_id, start, end, groups=found_groups)
            commands.append(annotation)
        else:
            annotation = existing.id
        create_event = CreateEventCommand(self.hub, dialog.fields(), text="Create event")
        commands += [create_event, LinkEvidenceCommand(self.hub, annotation, create_event, "supports")]
        if self._push("Create event from passage", commands):
            self.event_created.emit(create_event.event_id)
