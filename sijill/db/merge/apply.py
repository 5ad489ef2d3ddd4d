"""Write a merge plan into INTO: one transaction, recorded as one change set of kind 'merge'.

Records are written by uid, in the order that keeps every reference resolvable: groups (their
parents set once all exist), periods, sources, annotations, events with their links; then the
changed fields; then deletions, events first. FROM's own change sets, with their changes, are
copied as they are (uid, label, analyst, time, origin), so that INTO's history shows both sides and
the next merge of the same file finds them shared and applies nothing again. Each names the merge
that brought it (`merged_by`), and a change of it that a conflict kept out is marked (`kept`).
"""
from __future__ import annotations

from sijill.db.store.basics import now_iso
from sijill.db.merge.history import MISSING
from sijill.db.merge.kept import Kept
from sijill.db.merge.plan import FieldChange, MergePlan
from sijill.db.merge.state import FIELDS, KINDS, LINKS, TABLES, Record
from sijill.db.store.project import Project

_STAMPED = {"event": "updated_at", "annotation": "updated_at"}  # kinds whose rows say when they were edited


def _quoted(column: str) -> str:
    return f'"{column}"'


class _Writer:
    """SQL writes into INTO inside the merge's transaction, looking ids up by uid."""

    def __init__(self, project: Project, plan: MergePlan) -> None:
        self.project = project
        self.plan = plan
        self.db = project.db
        self._ids: dict[tuple[str, str], int] = {}
        self._columns = {t: [r[1] for r in self.db.execute(f"PRAGMA table_info({t})")] for t in TABLES.values()}

    def id(self, kind: str, uid: str | None) -> int | None:
        if uid is None:
            return None
        if kind == "group":
            uid = self.plan.aliases.get(uid, uid)
        key = (kind, uid)
        if key not in self._ids:
            row = self.db.execute(f"SELECT id FROM {TABLES[kind]} WHERE uid = ?", [uid]).fetchone()
            if row is None:
                return None
            self._ids[key] = row[0]
        return self._ids[key]

    # ---- new records ----------------------------------------------------------------------------
    def add(self, record: Record) -> None:
        table = TABLES[record.kind]
        row = dict(record.row)
        if record.kind == "group":
            row["parent_id"] = None  # set once every new group exists
        if record.kind == "annotation":
            row["source_id"] = self.id("source", row["source"])
        cols = [c for c in self._columns[table] if c != "id" and c in row]
        cur = self.db.execute(f"INSERT INTO {table} ({', '.join(map(_quoted, cols))}) "
                              f"VALUES ({', '.join('?' * len(cols))})", [row[c] for c in cols])
        self._ids[(record.kind, record.uid)] = cur.lastrowid
        for name, items in record.links.items():
            for key, value in items.items():
                self.link(record.kind, cur.lastrowid, name, key, value)

    def parents(self, groups: list[Record]) -> None:
        for g in groups:
            if g.row.get("parent"):
                self.db.execute("UPDATE groups SET parent_id = ? WHERE id = ?",
                                [self.id("group", g.row["parent"]), self.id("group", g.uid)])

    def origins(self, from_: Project, events: list[Record]) -> None:
        """Where FROM's new events were imported from, so that a later import updates them."""
        for e in events:
            row = from_.db.execute("SELECT o.origin, o.key, o.digest FROM event_origins o JOIN events e "
                                   "ON e.id = o.event_id WHERE e.uid = ?", [e.uid]).fetchone()
            if row:
                self.db.execute("INSERT OR IGNORE INTO event_origins (event_id, origin, key, digest) "
                                "VALUES (?, ?, ?, ?)", [self.id("event", e.uid), *row])

    # ---- fields and links -----------------------------------------------------------------------
    def set_field(self, c: FieldChange) -> None:
        owner = self.id(c.kind, c.uid)
        if owner is None:
            return
        if c.field in LINKS.get(c.kind, ()):
            for key, value in c.elements.items():
                self.link(c.kind, owner, c.field, key, value)
        else:
            cols = FIELDS[c.kind][c.field]
            values = list(c.from_) if len(cols) > 1 else [c.from_]
            if c.field in ("parent", "source"):
                cols, values = (f"{c.field}_id",), [self.id("group" if c.field == "parent" else "source", c.from_)]
            sets = dict(zip(cols, values))
            self.db.execute(f"UPDATE {TABLES[c.kind]} SET {', '.join(_quoted(k) + ' = ?' for k in sets)} WHERE id = ?",
                            [*sets.values(), owner])
        if c.kind in _STAMPED:
            self.db.execute(f"UPDATE {TABLES[c.kind]} SET updated_at = ? WHERE id = ?", [now_iso(), owner])

    def link(self, kind: str, owner: int, name: str, key, value) -> None:
        q = self.db.execute
        gone = value is MISSING
        if name == "groups":
            table, col = ("event_groups", "event_id") if kind == "event" else ("annotation_groups", "annotation_id")
            gid = self.id("group", key)
            if gone:
                q(f"DELETE FROM {table} WHERE {col} = ? AND group_id = ?", [owner, gid])
            elif kind == "event":
                q("INSERT OR REPLACE INTO event_groups (event_id, group_id, role) VALUES (?, ?, ?)", [owner, gid, value])
            else:
                q("INSERT OR IGNORE INTO annotation_groups (annotation_id, group_id) VALUES (?, ?)", [owner, gid])
        elif name == "tags":
            table, col = ("event_tags", "event_id") if kind == "event" else ("annotation_tags", "annotation_id")
            if gone:
                q(f"DELETE FROM {table} WHERE {col} = ? AND tag_id = (SELECT id FROM tags WHERE name = ?)", [owner, key])
            else:
                q("INSERT OR IGNORE INTO tags (name) VALUES (?)", [key])
                q(f"INSERT OR IGNORE INTO {table} ({col}, tag_id) SELECT ?, id FROM tags WHERE name = ?", [owner, key])
        elif name == "aliases" and kind == "place":
            if gone:
                q("DELETE FROM place_aliases WHERE place_id = ? AND alias = ?", [owner, key])
            else:
                q("INSERT OR IGNORE INTO place_aliases (place_id, alias) VALUES (?, ?)", [owner, key])
        elif name == "aliases":
            if gone:
                q("DELETE FROM group_aliases WHERE group_id = ? AND alias = ?", [owner, key])
            else:
                q("INSERT INTO group_aliases (group_id, alias, lang) VALUES (?, ?, ?) "
                  "ON CONFLICT (group_id, alias) DO UPDATE SET lang = excluded.lang", [owner, key, value])
        elif name == "evidence":
            source, annotation, stance = key
            match = ("event_id = ? AND source_id = ? AND annotation_id IS ? AND stance = ?",
                     [owner, self.id("source", source), self.id("annotation", annotation), stance])
            if gone:
                q(f"DELETE FROM event_evidence WHERE {match[0]}", match[1])
            elif not q(f"UPDATE event_evidence SET note = ? WHERE {match[0]}", [value, *match[1]]).rowcount:
                q("INSERT INTO event_evidence (event_id, source_id, annotation_id, stance, note) VALUES (?, ?, ?, ?, ?)",
                  [*match[1], value])

    def delete(self, record: Record) -> None:
        self.db.execute(f"DELETE FROM {TABLES[record.kind]} WHERE uid = ?", [record.uid])


def copy_change_sets(into: Project, from_: Project, ids: list[int], kept: Kept) -> None:
    """FROM's change sets `ids`, and their changes, added to INTO's log as they are, each naming the merge
    (the change set open in INTO) that brought it, its changes marked with what INTO `kept` of its own."""
    def columns(project: Project, table: str) -> list[str]:
        return [r[1] for r in project.db.execute(f"PRAGMA table_info({table})")]

    # Not `open` nor the `first_*` ids a change set uses while it is open: they mean nothing in INTO; nor
    # FROM's own provenance, which is FROM's: here the merge brought them, and INTO kept what it kept.
    set_cols = [c for c in columns(from_, "change_sets") if c in columns(into, "change_sets")
                and c not in ("id", "open", "merged_by") and not c.startswith("first_")]
    change_cols = [c for c in columns(from_, "changes") if c in columns(into, "changes")
                   and c not in ("id", "change_set", "kept")]
    marked = ("kind", "uid", "op", "field", "before", "after")
    inherited = "kept" if "kept" in columns(from_, "changes") else "NULL"
    [(merge_id,)] = into.db.execute("SELECT id FROM change_sets WHERE open = 1").fetchall()
    for set_id in ids:
        values = from_.db.execute(f"SELECT {', '.join(set_cols)} FROM change_sets WHERE id = ?", [set_id]).fetchone()
        new_id = into.db.execute(f"INSERT INTO change_sets ({', '.join(set_cols)}, merged_by) VALUES "
                                 f"({', '.join('?' * len(set_cols))}, ?)", [*values, merge_id]).lastrowid
        rows = from_.db.execute(f"SELECT {', '.join((*change_cols, *marked))}, {inherited} FROM changes "
                                "WHERE change_set = ? ORDER BY id", [set_id])
        n = len(change_cols)
        into.db.conn.executemany(f"INSERT INTO changes (change_set, {', '.join(change_cols)}, kept) VALUES "
                                 f"(?, {', '.join('?' * n)}, ?)",
                                 ([new_id, *r[:n], kept.mark(*r[n:])] for r in rows))


def apply_plan(into: Project, from_: Project, plan: MergePlan, label: str) -> None:
    """Write `plan` into `into` as one change set labelled `label` (kind 'merge'), all or nothing."""
    with into.labelled(label, kind="merge"), into.batch():
        writer = _Writer(into, plan)
        by_kind = {k: [r for r in plan.added if r.kind == k] for k in KINDS}
        for kind in KINDS:
            for record in by_kind[kind]:
                writer.add(record)
        writer.parents(by_kind["group"])
        writer.origins(from_, by_kind["event"])
        for change in sorted(plan.changed, key=lambda c: KINDS.index(c.kind)):
            writer.set_field(change)
        for record in sorted(plan.deleted, key=lambda r: -KINDS.index(r.kind)):
            writer.delete(record)
        copy_change_sets(into, from_, plan.copy_change_sets,
                         Kept(plan, from_.path.name, lambda kind, uid: into.db.execute(
                             f"SELECT 1 FROM {TABLES[kind]} WHERE uid = ?", [uid]).fetchone() is not None))
