"""Comparing and merging two analysts' copies of a project (Qt-free).

- `diff_files(a, b)`: every record that differs, by uid, field by field (`sijill.db.merge.diff`);
- `merge_files(into, from_)`: a three-way merge by uid against the state both copies share, read
  from their change logs (`plan`), written into INTO as one change set of kind 'merge' with
  FROM's own change sets copied beside it (`apply`); files of different lineage are merged as a
  two-way import. `dry_run` works out the same plan and writes nothing.

Records are compared as fields (`state`); values are shown to the analyst by `values`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sijill.db.store.basics import ProjectError
from sijill.db.merge.apply import apply_plan
from sijill.db.merge.diff import ProjectDiff, diff_projects
from sijill.db.merge.plan import Conflict, FieldChange, MergePlan, plan_merge
from sijill.db.merge.report import plan_text
from sijill.db.store.project import Project

__all__ = ["Conflict", "FieldChange", "MergeError", "MergePlan", "MergeResult", "ProjectDiff", "diff_files",
           "diff_projects", "merge_files", "merge_label", "merge_projects", "plan_merge"]


class MergeError(ProjectError):
    """Two files cannot be compared or merged (the same file, not a project...); the message says why."""


@dataclass
class MergeResult:
    """A merge's plan and whether it was written (`applied`), with its change set's label."""

    plan: MergePlan
    applied: bool
    dry_run: bool
    label: str

    @property
    def exit_code(self) -> int:
        return 3 if self.plan.conflicts else 0

    def to_json(self) -> dict:
        return {**self.plan.to_json(), "applied": self.applied, "dry_run": self.dry_run, "label": self.label}

    def text(self) -> str:
        return plan_text(self.plan, dry_run=self.dry_run)


def merge_label(from_path: str | os.PathLike) -> str:
    return f"Merge from {Path(from_path).name}"


def _open(path: str | os.PathLike, role: str, read_only: bool) -> Project:
    try:
        return Project.open(path, read_only=read_only)
    except ProjectError as exc:
        raise MergeError(f"{role} {exc}") from exc


def _check_paths(a: str | os.PathLike, b: str | os.PathLike) -> None:
    try:
        same = Path(a).exists() and Path(b).exists() and Path(a).samefile(b)
    except OSError:
        same = False
    if same:
        raise MergeError(f"{a} and {b} are the same file")


def diff_files(a: str | os.PathLike, b: str | os.PathLike) -> ProjectDiff:
    """What differs between the project files `a` and `b` (both opened read-only)."""
    with _open(a, "A:", True) as pa, _open(b, "B:", True) as pb:
        return diff_projects(pa, pb)


def merge_projects(into: Project, from_: Project, dry_run: bool = False, take_from=()) -> MergeResult:
    """Merge the open project `from_` into `into` (see the module's docstring); the conflicts named
    in `take_from` (`Conflict.key`s) are settled with FROM's side."""
    plan = plan_merge(into, from_, take_from)
    label = merge_label(from_.path)
    if not dry_run and plan.writes:
        apply_plan(into, from_, plan, label)
    return MergeResult(plan, applied=not dry_run and plan.writes, dry_run=dry_run, label=label)


def merge_files(into: str | os.PathLike, from_: str | os.PathLike, dry_run: bool = False,
                analyst: str | None = None) -> MergeResult:
    """Merge the project file `from_` into the project file `into`; `dry_run` writes nothing;
    `analyst` names who merged (the project's default otherwise)."""
    _check_paths(into, from_)
    with _open(from_, "FROM:", True) as source, _open(into, "INTO:", dry_run) as target:
        if analyst:
            target.analyst = analyst
        return merge_projects(target, source, dry_run=dry_run)
