"""What each side of a merge changed since the state both copies share, read from its change log.

Change sets present in both files (the same `change_sets.uid`) are the shared history; the others,
and changes written outside Sijill (no change set), are that side's own. From a side's own changes,
in the order they were made, `Touch` keeps per record what it was *before* the first of them (the
common state): whether the record existed, the value of each field changed, and the state of
each link changed. A field counts as changed only when its value now differs from that value, so
an edit made and undone, or links written again as they were, change nothing.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from sijill.db.merge.state import FIELD_OF_COLUMN, FIELDS, LINKS, Record, field_value, link_key, links_of_snapshot
from sijill.db.project import Project

MISSING = object()  # a link that is not there
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

    def any_change(self, now: Record | None) -> bool:
        """Whether the side changed anything of a record that it still has."""
        if now is None:
            return False
        names = set(self.fields) | set(self.links) | (set(LINKS.get(now.kind, ())) if self.whole else set())
        return self.inserted or any(self.changed(n, now) for n in names)


def change_set_ids(project: Project) -> dict[str, int]:
    """uid -> id of every change set of a project."""
    return dict(project.db.execute("SELECT uid, id FROM change_sets"))


def read_touches(project: Project, own_ids: list[int]) -> dict[str, dict[str, Touch]]:
    """kind -> uid -> Touch of the changes in the change sets `own_ids` and those made outside Sijill."""
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
    return out


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
