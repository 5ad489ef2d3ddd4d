"""What of the other copy's changes a merge did not take, marked on the change sets it copies in.

A merge copies FROM's own change sets into INTO's log as they were made (`apply.copy_change_sets`), so
that the next merge knows them shared. Where a conflict kept INTO's value, a copied change still says
FROM's new value: read as this file's history it would claim a value the record never had here. Each
copied change that lost is marked (`changes.kept`, JSON): for an update, the columns of each field INTO
kept, with what it kept, as text; for a whole change (a record not added, a delete not made, a link
not changed), "*". A change FROM itself had not taken (copied into FROM by an earlier merge, and lost
there) did not reach INTO either: its mark comes along, naming the file that kept its own value.
"""
from __future__ import annotations

import json

from sijill.db.merge.plan import Conflict, MergePlan
from sijill.db.merge.state import FIELDS, link_key
from sijill.db.merge.values import display

WHOLE = "*"


def _text(plan: MergePlan, c: Conflict) -> str:
    if not c.choosable:
        return f"not applied: {c.reason}"
    if c.field is None:
        return f"kept ours: {c.into} ({c.reason})"
    return f"kept ours: {display(c.kind, c.field, c.into, plan.names)}"


class Kept:
    """The conflicts of one merge plan, by record, to mark the changes it copies."""

    def __init__(self, plan: MergePlan, from_name: str, exists_in_into) -> None:
        """`exists_in_into(kind, uid)`: whether INTO has the record once the merge is written (one FROM
        made that a conflict kept out, a group of a name INTO uses, was not added: none of it was taken)."""
        self.plan, self.from_name = plan, from_name
        self.by_record: dict[tuple[str, str], list[Conflict]] = {}
        for c in plan.conflicts:
            self.by_record.setdefault((c.kind, c.uid), []).append(c)
        self.absent = {key for key, found in self.by_record.items()
                       if not any(c.field is None for c in found) and not exists_in_into(*key)}

    def mark(self, kind: str, uid: str, op: str, field: str | None, before: str | None, after: str | None,
             inherited: str | None) -> str | None:
        """`changes.kept` for one copied change (its columns as FROM's log holds them), or None: taken."""
        out: dict[str, str] = {}
        if inherited:
            out.update({k: f"not applied in {self.from_name} ({v})" for k, v in json.loads(inherited).items()})
        for c in self.by_record.get((kind, uid), ()):
            text = _text(self.plan, c)
            if c.field is None or (kind, uid) in self.absent:
                out[WHOLE] = text  # the record as a whole: deleted, kept, or not added
            elif op in ("link", "unlink") and c.field == field:
                item = json.loads(after if op == "link" else before or "{}") or {}
                if link_key(kind, field, item)[0] in set(c.into or {}) | set(c.from_ or {}):
                    out[WHOLE] = text
            elif op == "update" and c.field in FIELDS.get(kind, {}) and before and after:
                old, new = json.loads(before), json.loads(after)
                for column in FIELDS[kind][c.field]:
                    if old.get(column) != new.get(column):
                        out[column] = text
        return json.dumps(out, ensure_ascii=False, sort_keys=True) if out else None
