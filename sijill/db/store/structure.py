"""Groups and periods reshaped: merge two groups, delete one without orphaning its sub-groups,
and the snapshots that undo puts back exactly.

Part of Project (see sijill.db.store.project.Project). A group's snapshot holds everything deleting or merging
it would lose: its row (same id and uid, so later undo steps still find it), its aliases, its
events' links with their roles, the annotations tagged with it, and which groups were its
children. `restore_group` writes a snapshot back whether the group exists or not, so undoing a
merge is restoring both groups' snapshots in one transaction.

Merging keeps one link per event: when both groups were linked to an event, the stronger role
stays (actor > target > associated > mentioned, the order of `schema.ROLES`).
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from sijill.db.store import schema
from sijill.db.store.basics import ProjectError

_GROUP_ROW = ("id", "uid", "name", "kind", "parent_id", "color", "description", "position")
_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")


def check_color(text: str | None) -> str | None:
    """A lane colour as #RRGGBB (lower case), or None for none; anything else is refused."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    if not _COLOR.fullmatch(text):
        raise ProjectError(f"a colour is written #RRGGBB (six hexadecimal digits), not {text!r}")
    return text.lower()


def stronger_role(a: str, b: str) -> str:
    """The role that wins when one event was linked to both merged groups."""
    return a if schema.ROLES.index(a) <= schema.ROLES.index(b) else b


class StructureMixin:
    """Methods of Project for merging, deleting and restoring groups and periods."""

    # ---- groups: snapshots -------------------------------------------------------------------
    def group_snapshot(self, group_id: int) -> dict:
        """Everything deleting or merging a group would lose (see the module's docstring)."""
        row = self.db.execute(f"SELECT {', '.join(_GROUP_ROW)} FROM groups WHERE id = ?", [group_id]).fetchone()
        if not row:
            raise ProjectError(f"no group with id {group_id}")
        q = self.db.execute
        return {
            "group": dict(zip(_GROUP_ROW, row)),
            "aliases": q("SELECT alias, lang FROM group_aliases WHERE group_id = ? ORDER BY id",
                         [group_id]).fetchall(),
            "links": q("SELECT event_id, role FROM event_groups WHERE group_id = ? ORDER BY event_id",
                       [group_id]).fetchall(),
            "annotations": [a for (a,) in q("SELECT annotation_id FROM annotation_groups WHERE group_id = ? "
                                            "ORDER BY annotation_id", [group_id])],
            "children": [c for (c,) in q("SELECT id FROM groups WHERE parent_id = ? ORDER BY id", [group_id])],
        }

    def restore_group(self, snapshot: dict) -> None:
        """Put a group back as its snapshot holds it (same id, uid, aliases, links, annotation
        tags), its children under it again; a group that exists is overwritten."""
        self.restore_groups([snapshot])

    def restore_groups(self, snapshots: Iterable[dict]) -> None:
        """`restore_group` for several snapshots, in one transaction, in the order given."""
        snapshots = list(snapshots)
        with self._write() as db:
            # the rows first, without parents, so that a parent restored later can be referred to
            for snap in snapshots:
                row = dict(snap["group"])
                gid = row["id"]
                if db.execute("SELECT 1 FROM groups WHERE name = ? AND id != ?", [row["name"], gid]).fetchone():
                    raise ProjectError(f"cannot put back the group {row['name']!r}: another group has that name")
                cols = [c for c in _GROUP_ROW if c != "parent_id"]
                db.execute(f"INSERT INTO groups ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
                           f"ON CONFLICT(id) DO UPDATE SET "
                           + ", ".join(f"{c} = excluded.{c}" for c in cols if c != "id"),
                           [row[c] for c in cols])
            for snap in snapshots:
                gid = snap["group"]["id"]
                db.execute("UPDATE groups SET parent_id = ? WHERE id = ?", [snap["group"]["parent_id"], gid])
                db.execute("DELETE FROM group_aliases WHERE group_id = ?", [gid])
                db.conn.executemany("INSERT INTO group_aliases (group_id, alias, lang) VALUES (?, ?, ?)",
                               [(gid, alias, lang) for alias, lang in snap["aliases"]])
                db.execute("DELETE FROM event_groups WHERE group_id = ?", [gid])
                db.conn.executemany("INSERT OR REPLACE INTO event_groups (event_id, group_id, role) VALUES (?, ?, ?)",
                               [(eid, gid, role) for eid, role in snap["links"]])
                db.execute("DELETE FROM annotation_groups WHERE group_id = ?", [gid])
                db.conn.executemany("INSERT INTO annotation_groups (annotation_id, group_id) VALUES (?, ?)",
                               [(aid, gid) for aid in snap["annotations"]])
                db.conn.executemany("UPDATE groups SET parent_id = ? WHERE id = ?",
                               [(gid, child) for child in snap["children"]])

    # ---- groups: delete and merge ---------------------------------------------------------------
    def delete_group(self, group_id: int) -> dict:
        """Delete a group: its events stay, losing that link; its sub-groups move up to its own
        parent (top level if it had none). Returns the snapshot `restore_group` puts back."""
        snapshot = self.group_snapshot(group_id)
        with self._write() as db:
            db.execute("UPDATE groups SET parent_id = ? WHERE parent_id = ?",
                       [snapshot["group"]["parent_id"], group_id])
            db.execute("DELETE FROM groups WHERE id = ?", [group_id])
        return snapshot

    def descendants(self, group_id: int) -> set[int]:
        """Every group nested under `group_id`, at any depth (not the group itself)."""
        out: set[int] = set()
        todo = [group_id]
        while todo:
            gid = todo.pop()
            for (child,) in self.db.execute("SELECT id FROM groups WHERE parent_id = ?", [gid]):
                if child not in out:
                    out.add(child)
                    todo.append(child)
        return out

    def merge_groups(self, from_id: int, into_id: int) -> dict:
        """Merge group `from_id` into `into_id` and delete it, in one transaction: its events'
        links (the stronger role kept where both were linked), its aliases and its name as an
        alias, its annotation tags and its sub-groups move to `into_id`. Returns
        {"merged": snapshot, "into": snapshot} of both groups before, for `restore_groups`."""
        if from_id == into_id:
            raise ProjectError("a group cannot be merged into itself")
        merged = self.group_snapshot(from_id)
        into = self.group_snapshot(into_id)
        if into_id in self.descendants(from_id):
            raise ProjectError(f"cannot merge {merged['group']['name']!r} into {into['group']['name']!r}: "
                               f"{into['group']['name']!r} is part of it")
        into_name = into["group"]["name"]
        with self._write() as db:
            roles = dict(into["links"])
            for eid, role in merged["links"]:
                new = stronger_role(role, roles[eid]) if eid in roles else role
                db.execute("INSERT OR REPLACE INTO event_groups (event_id, group_id, role) VALUES (?, ?, ?)",
                           [eid, into_id, new])
            own = {alias for alias, _lang in into["aliases"]}
            for alias, lang in [*merged["aliases"], (merged["group"]["name"], None)]:
                if alias != into_name and alias not in own:
                    own.add(alias)
                    db.execute("INSERT INTO group_aliases (group_id, alias, lang) VALUES (?, ?, ?)",
                               [into_id, alias, lang])
            db.conn.executemany("INSERT OR IGNORE INTO annotation_groups (annotation_id, group_id) VALUES (?, ?)",
                           [(aid, into_id) for aid in merged["annotations"]])
            db.execute("UPDATE groups SET parent_id = ? WHERE parent_id = ?", [into_id, from_id])
            db.execute("DELETE FROM groups WHERE id = ?", [from_id])
        return {"merged": merged, "into": into}

    def unmerge_groups(self, record: dict) -> None:
        """Undo `merge_groups` from what it returned: both groups as they were."""
        self.restore_groups([record["merged"], record["into"]])

    def group_sources(self, snapshots: Iterable[dict]) -> list[int]:
        """Ids of the sources whose annotations the snapshots' groups tag (their lists to refresh)."""
        ids = sorted({a for s in snapshots for a in s["annotations"]})
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        return [s for (s,) in self.db.execute(
            f"SELECT DISTINCT source_id FROM annotations WHERE id IN ({marks}) ORDER BY source_id", ids)]

    # ---- periods -------------------------------------------------------------------------------
    def period_snapshot(self, period_id: int) -> dict:
        """A period's whole row, for `restore_period`."""
        cur = self.db.execute("SELECT * FROM periods WHERE id = ?", [period_id])
        row = cur.fetchone()
        if not row:
            raise ProjectError(f"no period with id {period_id}")
        return dict(zip([d[0] for d in cur.description], row))

    def restore_period(self, snapshot: dict) -> None:
        """Put back a period deleted by `delete_period`, with the same id and uid."""
        known = {d[0] for d in self.db.execute("SELECT * FROM periods LIMIT 0").description}
        if not snapshot.keys() <= known:
            raise ProjectError("not a period snapshot: unknown column(s) "
                               + ", ".join(sorted(set(snapshot) - known)))
        with self._write() as db:
            cols = ", ".join(f'"{c}"' for c in snapshot)
            db.execute(f"INSERT INTO periods ({cols}) VALUES ({', '.join('?' * len(snapshot))})",
                       list(snapshot.values()))
