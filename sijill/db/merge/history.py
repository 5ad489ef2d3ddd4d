"""What each side of a merge changed since the state both copies share, read from its change log.

Change sets present in both files (the same `change_sets.uid`) are the shared history; the others,
and changes written outside Sijill (no change set), are that side's own, except the change sets of
earlier merges: what a merge wrote is what the change sets it copied beside it say (FROM's values), so
counting it again would make the side that merged seem to have changed what it only took in. From a
side's own changes, in the order they were made, `Touch` keeps per record what it was *before* the
first of them: whether the record existed, the value of each field changed, and the state of each
link changed. That is the common state, unless a shared change set touched the field later: then the
common state is what the last of those left (a merge copied the other side's edit beside one of this
side's own, and kept this side's value). A field counts as changed only when its value now differs
from the common one, so an edit made and undone, or links written again as they were, change nothing.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from sijill.db.merge.state import FIELD_OF_COLUMN, FIELDS, LINKS, Record, field_value, link_key, links_of_snapshot
from sijill.db.store.project import Project

MISSING = object()  # a link that is not there
REFERENCES = ("parent", "source")  # the fields that are another record's uid
CHUNK = 900


@dataclass
class Touch:
    """One record's state before a side's own changes, as far as they touched it."""

    inserted: bool = False  # absent before: the side created it
    whole: bool = False  # every field's earlier value is known (it was deleted once): links not listed were absent
    deleted: bool = False
    fields: dict[str, object] = field(default_factory=dict)
    links: dict[str, dict] = field(default_factory=dict)

    def changed(self, name: str, now: Record | None) -> bool:
        """Whether the side changed a field (or link set) of the record, given the record now."""
        if self.inserted:
            return True
        if now is None:
            return False
        if name in self.links or (self.whole and name in LINKS.get(now.kind, ())):
            current = now.links.get(name, {})
            return any(self.link_changed(name, key, current) for key in set(current) | set(self.links.get(name, {})))
        return name in self.fields and self.fields[name] != now.value(name)

    def link_changed(self, name: str, key, current: dict) -> bool:
        if self.inserted:
            return True
        before = self.links.get(name, {})
        if key in before:
            return before[key] != current.get(key, MISSING)
        return self.whole and key in current

    def link_base(self, name: str, key):
        """A link's state in the common state (its value, or MISSING), for a link `link_changed` says
        the side changed (not for a record the side created)."""
        return self.links.get(name, {}).get(key, MISSING)

    def differs(self, other: Record) -> bool:
        """Whether `other` (the other side's version) differs from the common state, which the side's
        deletion of the record made known in full."""
        if not self.whole:
            return True
        # A record deleted with what it points at (an annotation with its source) is logged pointing at
        # nothing: that reference is not compared.
        if any(other.value(f) != base for f, base in self.fields.items() if not (f in REFERENCES and base is None)):
            return True
        return any(self.link_base(n, k) != other.links.get(n, {}).get(k, MISSING)
                   for n in LINKS.get(other.kind, ()) for k in set(other.links.get(n, {})) | set(self.links.get(n, {})))

    def any_change(self, now: Record | None) -> bool:
        """Whether the side changed anything of a record that it still has."""
        if now is None:
            return False
        names = set(self.fields) | set(self.links) | (set(LINKS.get(now.kind, ())) if self.whole else set())
        return self.inserted or any(self.changed(n, now) for n in names)


def change_set_ids(project: Project) -> dict[str, tuple[int, str]]:
    """uid -> (id, kind) of every change set of a project."""
    return {uid: (i, kind) for uid, i, kind in project.db.execute("SELECT uid, id, kind FROM change_sets")}


def own_change_sets(mine: dict[str, tuple[int, str]], theirs: dict) -> list[int]:
    """Ids of the change sets of one side the other side does not have, but earlier merges (see above)."""
    return sorted(i for uid, (i, kind) in mine.items() if uid not in theirs and kind != "merge")


def read_touches(project: Project, own_ids: list[int], shared_ids: set[int]) -> dict[str, dict[str, Touch]]:
    """kind -> uid -> Touch of the changes in the change sets `own_ids` and those made outside Sijill,
    against the common state that they and the change sets `shared_ids` give."""
    out: dict[str, dict[str, Touch]] = {}
    rows = []
    cols = "id, kind, uid, op, field, before, after"
    rows += project.db.execute(f"SELECT {cols} FROM changes WHERE change_set IS NULL").fetchall()
    for i in range(0, len(own_ids), CHUNK):
        part = own_ids[i:i + CHUNK]
        rows += project.db.execute(f"SELECT {cols} FROM changes WHERE change_set IN ({', '.join('?' * len(part))})",
                                   part).fetchall()
    rows.sort(key=lambda r: r[0])
    for _id, kind, uid, op, name, before, after in rows:
        if kind not in FIELDS:
            continue
        touch = out.setdefault(kind, {}).get(uid)
        first = touch is None
        if first:
            touch = out[kind][uid] = Touch()
        _note(touch, kind, op, name, json.loads(before) if before else None, json.loads(after) if after else None,
              first)
    _common_values(project, out, shared_ids)
    return out


def _common_values(project: Project, touches: dict[str, dict[str, Touch]], shared_ids: set[int]) -> None:
    """Where a shared change set touched what a side's own changes did, the common value is what the
    last of them (in this file's order) left, not what the side's first own change found."""
    uids = sorted({uid for per_kind in touches.values() for uid in per_kind})
    rows = []
    for i in range(0, len(uids), CHUNK):
        part = uids[i:i + CHUNK]
        rows += project.db.execute(
            f"SELECT id, change_set, kind, uid, op, field, before, after FROM changes WHERE uid IN "
            f"({', '.join('?' * len(part))}) AND op IN ('update', 'link', 'unlink')", part).fetchall()
    rows.sort(key=lambda r: r[0])
    for _id, set_id, kind, uid, op, name, before, after in rows:
        touch = touches.get(kind, {}).get(uid)
        if set_id not in shared_ids or touch is None or touch.inserted:
            continue
        if op == "update" and before and after:
            before, after = json.loads(before), json.loads(after)
            for f in touch.fields:
                value = field_value(kind, f, after)
                if value != field_value(kind, f, before):
                    touch.fields[f] = value
        elif name in touch.links:
            item = json.loads(after if op == "link" else before)
            key, value = link_key(kind, name, item)
            if key in touch.links[name]:
                touch.links[name][key] = value if op == "link" else MISSING


def _note(touch: Touch, kind: str, op: str, name: str | None, before: dict | None, after: dict | None,
          first: bool) -> None:
    if op == "insert":
        if first:
            touch.inserted = True
        touch.deleted = False
    elif op == "delete":
        touch.deleted = True
        if not touch.inserted and not touch.whole and before:
            touch.whole = True
            for f in FIELDS[kind]:
                touch.fields.setdefault(f, field_value(kind, f, before))
            for lname, items in links_of_snapshot(kind, before).items():
                known = touch.links.setdefault(lname, {})
                for key, value in items.items():
                    known.setdefault(key, value)
    elif op == "update" and before and after:
        columns = FIELD_OF_COLUMN[kind]
        for col in before.keys() | after.keys():
            f = columns.get(col)
            if f and before.get(col) != after.get(col):
                touch.fields.setdefault(f, field_value(kind, f, before))
    elif op in ("link", "unlink") and name in LINKS.get(kind, ()):
        item = after if op == "link" else before
        if item is None:
            return
        key, value = link_key(kind, name, item)
        known = touch.links.setdefault(name, {})
        if key not in known and not touch.inserted:
            known[key] = MISSING if op == "link" else value
