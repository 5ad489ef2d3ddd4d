"""A merge plan as an analyst reads it: what is added, changed and deleted, and what conflicts."""
from __future__ import annotations

from sijill.db.merge.history import MISSING
from sijill.db.merge.plan import MergePlan
from sijill.db.merge.values import display


def plan_text(plan: MergePlan, dry_run: bool) -> str:
    lines = [f"INTO = {plan.into_path}", f"FROM = {plan.from_path}"]
    if plan.three_way:
        lines.append(f"three-way merge ({plan.why}): what FROM changed and INTO did not is applied")
    else:
        lines.append(f"two-way import ({plan.why}): what INTO lacks is added, and fields that differ are listed "
                     "as conflicts, INTO's value kept")

    def value(kind, name, v) -> str:
        if name is None or v is MISSING:
            return str(v) if v is not MISSING else "—"
        return display(kind, name, v, plan.names)

    verb = "would be" if dry_run else "were"
    if not plan.writes:
        lines.append("nothing to merge: INTO already has everything FROM changed")
    for r in plan.added:
        lines.append(f"added    {r.kind} {r.title}  [{r.uid}]")
    first: dict[tuple[str, str], int] = {}
    for i, c in enumerate(plan.changed):
        first.setdefault((c.kind, c.uid), i)
    shown = None
    for c in sorted(plan.changed, key=lambda c: first[(c.kind, c.uid)]):
        if (c.kind, c.uid) != shown:  # a record's fields under one heading
            shown = (c.kind, c.uid)
            lines.append(f"changed  {c.kind} {c.title}  [{c.uid}]")
        lines.append(f"    {c.field}: {value(c.kind, c.field, c.into)} → {value(c.kind, c.field, c.from_)}"
                     + (f"  ({c.reason})" if c.reason else ""))
    for r in plan.deleted:
        lines.append(f"deleted  {r.kind} {r.title}  [{r.uid}]")
    for c in plan.conflicts:
        lines.append(f"CONFLICT {c.kind} {c.title}  [{c.uid}]: {c.reason}")
        if c.field:
            lines.append(f"    {c.field}: INTO {value(c.kind, c.field, c.into)} | FROM {value(c.kind, c.field, c.from_)}")
    conflicts = f"{len(plan.conflicts)} conflict{'s' if len(plan.conflicts) != 1 else ''} (INTO's value kept)"
    if plan.writes:
        summary = (f"{len(plan.added)} records added, {len(plan.changed)} fields changed, {len(plan.deleted)} records "
                   f"deleted {verb} written; {conflicts}")
        if plan.copy_change_sets:
            summary += f"; FROM's {len(plan.copy_change_sets)} own change set(s) {verb} copied into INTO's history"
        lines.append(summary)
    elif plan.conflicts:
        lines.append(conflicts)
    if dry_run:
        lines.append("dry run: nothing was written")
    return "\n".join(lines)
