"""Undo commands for periods (the background bands: "ISIS holds Mosul"): create, edit, merge, delete.

A deleted period is put back from its snapshot with its own id and uid.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from sijill.desktop.commands.base import Command
from sijill.desktop.hub import ProjectHub
from sijill.desktop.undo_text import merge_text

PERIOD_FIELDS = ("title", "start", "end", "color", "description")


def period_fields(project, period_id: int, names: Iterable[str] = PERIOD_FIELDS) -> dict:
    """The values of `names` on a period, in the form Project.update_period accepts."""
    p = project.period(period_id)
    values = {"title": p.title, "start": p.start, "end": p.end, "color": p.color, "description": p.description}
    return {name: values[name] for name in names}


class CreatePeriodCommand(Command):
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


class EditPeriodCommand(Command):
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


class DeletePeriodCommand(Command):
    """Delete a period; undo puts it back."""

    def __init__(self, hub: ProjectHub, period_id: int) -> None:
        super().__init__(hub, f"Delete period “{hub.project.period(period_id).title}”")
        self.period_id = period_id
        self.snapshot: dict | None = None

    def _do(self) -> None:
        self.snapshot = self.project.delete_period(self.period_id)

    def _undo(self) -> None:
        self.project.restore_period(self.snapshot)


class MergePeriodsCommand(Command):
    """Merge a period into another (Project.merge_periods); undo puts both back."""

    def __init__(self, hub: ProjectHub, from_id: int, into_id: int) -> None:
        project = hub.project
        super().__init__(hub, merge_text("period", [project.period(from_id).title], project.period(into_id).title))
        self.from_id, self.into_id = from_id, into_id
        self.record: dict | None = None

    def _do(self) -> None:
        self.record = self.project.merge_periods(self.from_id, self.into_id)

    def _undo(self) -> None:
        self.project.unmerge_periods(self.record)
