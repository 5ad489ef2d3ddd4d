"""The change log: every write to a project file is recorded, by SQLite itself, as it happens.

A *change set* is one user-level write (one transaction): a label ("Move event", "Import ACLED file
x.csv"), the analyst's name, the time (UTC), a kind (edit, import, merge, restore, undo) and a uid that
stays the same in every copy of the file, so that two copies of one project (the same `meta.uid`, their
lineage) know which change sets they share. Its *changes* are rows of `changes`, written by triggers on
the record tables inside the same transaction, so that no write can change data without its record:

- records (event, group, period, source, annotation) by uid: `insert` (the row is in its table),
  `update` (the whole row before and after, as JSON), `delete` (the whole row and its links, before);
- links (an event's groups, tags and evidence, a group's aliases, an annotation's groups and tags) as
  `link`/`unlink` of their owner, with `field` naming the link and the link itself as JSON; links made
  with their owner in one change set, or removed with it, are not recorded apart from it.

In the JSON, foreign keys are uids (a group's `parent`, an annotation's `source`, evidence's `source`
and `annotation`, a link's `group`), never row ids, so that a change means the same in every copy.
A write made by another program (sqlite-utils, Datasette) is recorded too, with no change set.
`Project` opens a change set around each write (`Project._write`) and hands it to its subscribers
after the commit (`Project.subscribe`).
"""
from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

# Record tables: kind, table, and the columns whose value is a foreign key shown as a uid.
RECORDS = {
    "event": ("events", {}),
    "group": ("groups", {"parent_id": ("parent", "groups")}),
    "period": ("periods", {}),
    "source": ("sources", {}),
    "annotation": ("annotations", {"source_id": ("source", "sources")}),
}
KIND_OF_TABLE = {table: kind for kind, (table, _) in RECORDS.items()}
# Columns that are bookkeeping, not content: never compared, never restored.
BOOKKEEPING = ("id", "created_at", "updated_at", "added_at")

# Link tables: owner kind, owner column, field name, and the link's JSON (SQL over the row alias X).
LINKS = {
    "event_groups": ("event", "event_id", "groups",
                     "json_object('group', (SELECT uid FROM groups WHERE id = X.group_id), 'role', X.role)"),
    "event_tags": ("event", "event_id", "tags", "json_object('tag', (SELECT name FROM tags WHERE id = X.tag_id))"),
    "event_evidence": ("event", "event_id", "evidence",
                       "json_object('source', (SELECT uid FROM sources WHERE id = X.source_id), "
                       "'annotation', (SELECT uid FROM annotations WHERE id = X.annotation_id), "
                       "'stance', X.stance, 'note', X.note)"),
    "group_aliases": ("group", "group_id", "aliases", "json_object('alias', X.alias, 'lang', X.lang)"),
    "annotation_groups": ("annotation", "annotation_id", "groups",
                          "json_object('group', (SELECT uid FROM groups WHERE id = X.group_id))"),
    "annotation_tags": ("annotation", "annotation_id", "tags",
                        "json_object('tag', (SELECT name FROM tags WHERE id = X.tag_id))"),
}
LINK_FIELDS = {kind: [(table, col, name) for table, (k, col, name, _) in LINKS.items() if k == kind]
               for kind in RECORDS}

CURRENT = "(SELECT id FROM change_sets WHERE open = 1)"

TABLES_SQL = (
    """CREATE TABLE change_sets (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        label TEXT NOT NULL,
        analyst TEXT,
        at TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'edit',
        origin TEXT,
        open INTEGER NOT NULL DEFAULT 0)""",
    "CREATE INDEX change_sets_open ON change_sets(id) WHERE open = 1",
    """CREATE TABLE changes (
        id INTEGER PRIMARY KEY,
        change_set INTEGER REFERENCES change_sets(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        uid TEXT NOT NULL,
        op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete', 'link', 'unlink')),
        field TEXT,
        before TEXT,
        after TEXT)""",
    "CREATE INDEX changes_uid ON changes(uid)",
    "CREATE INDEX changes_set ON changes(change_set)",
)


def _columns(conn, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def _row_json(conn, kind: str, alias: str, extra: str = "") -> str:
    """SQL for a record row as a JSON object, foreign keys as uids, bookkeeping columns left out (with
    `extra` members appended)."""
    table, fks = RECORDS[kind]
    parts = []
    for col in _columns(conn, table):
        if col in BOOKKEEPING:
            continue
        if col in fks:
            name, target = fks[col]
            parts.append(f"'{name}', (SELECT uid FROM {target} WHERE id = {alias}.{col})")
        else:
            parts.append(f"'{col}', {alias}.\"{col}\"")
    # json_object takes at most 127 pairs' worth of arguments; records have far fewer columns.
    if extra:
        parts.append(extra)
    return "json_object(" + ", ".join(parts) + ")"


def _links_json(kind: str, alias: str) -> str:
    """SQL for a record's links as JSON members, read before the record is deleted."""
    parts = []
    for table, col, name in LINK_FIELDS[kind]:
        link = LINKS[table][3].replace("X.", "L.")
        parts.append(f"'{name}', json((SELECT json_group_array(json({link})) FROM {table} L "
                     f"WHERE L.{col} = {alias}.id))")
    return ", ".join(parts)


def trigger_sql(conn) -> list[str]:
    """The triggers that record changes, written for the tables' current columns (a migration that adds
    a column installs them again)."""
    sql = []
    for kind, (table, _) in RECORDS.items():
        cols = [c for c in _columns(conn, table) if c not in BOOKKEEPING]
        changed = " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in cols)
        before = _row_json(conn, kind, "OLD", _links_json(kind, "OLD"))
        sql += [
            f"""CREATE TRIGGER sijill_log_{table}_insert AFTER INSERT ON {table} BEGIN
                INSERT INTO changes (change_set, kind, uid, op) VALUES ({CURRENT}, '{kind}', NEW.uid, 'insert');
            END""",
            f"""CREATE TRIGGER sijill_log_{table}_update AFTER UPDATE ON {table} WHEN {changed} BEGIN
                INSERT INTO changes (change_set, kind, uid, op, before, after)
                VALUES ({CURRENT}, '{kind}', NEW.uid, 'update', {_row_json(conn, kind, 'OLD')},
                        {_row_json(conn, kind, 'NEW')});
            END""",
            f"""CREATE TRIGGER sijill_log_{table}_delete BEFORE DELETE ON {table} BEGIN
                INSERT INTO changes (change_set, kind, uid, op, before)
                VALUES ({CURRENT}, '{kind}', OLD.uid, 'delete', {before});
            END""",
        ]
    for table, (kind, col, name, link) in LINKS.items():
        owner_table = RECORDS[kind][0]
        for event, op, row, column in (("INSERT", "link", "NEW", "after"), ("DELETE", "unlink", "OLD", "before")):
            owner = f"(SELECT uid FROM {owner_table} WHERE id = {row}.{col})"
            # Not recorded: links made with their owner in this change set, links removed with their owner.
            # (`+change_set`: look the owner up by uid; by change set it would scan a whole import's rows.)
            when = (f"{owner} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM changes WHERE uid = {owner} "
                    f"AND op = 'insert' AND +change_set IS {CURRENT})")
            sql.append(
                f"""CREATE TRIGGER sijill_log_{table}_{event.lower()} AFTER {event} ON {table} WHEN {when} BEGIN
                    INSERT INTO changes (change_set, kind, uid, op, field, {column})
                    VALUES ({CURRENT}, '{kind}', {owner}, '{op}', '{name}', {link.replace('X.', row + '.')});
                END""")
        sql.append(
            f"""CREATE TRIGGER sijill_log_{table}_update AFTER UPDATE ON {table}
                WHEN (SELECT uid FROM {owner_table} WHERE id = NEW.{col}) IS NOT NULL BEGIN
                INSERT INTO changes (change_set, kind, uid, op, field, before)
                VALUES ({CURRENT}, '{kind}', (SELECT uid FROM {owner_table} WHERE id = OLD.{col}), 'unlink', '{name}',
                        {link.replace('X.', 'OLD.')});
                INSERT INTO changes (change_set, kind, uid, op, field, after)
                VALUES ({CURRENT}, '{kind}', (SELECT uid FROM {owner_table} WHERE id = NEW.{col}), 'link', '{name}',
                        {link.replace('X.', 'NEW.')});
            END""")
    return sql


def install_triggers(conn) -> None:
    """(Re)create the recording triggers for the current columns."""
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                "AND name LIKE 'sijill_log_%'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    for statement in trigger_sql(conn):
        conn.execute(statement)


# ---- reading -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    """One recorded change to one record (or one of its links)."""

    kind: str
    uid: str
    op: str
    field: str | None
    before: dict | None
    after: dict | None

    def fields(self) -> dict[str, tuple]:
        """For an update, the fields that differ: name -> (before, after)."""
        if self.op != "update" or self.before is None or self.after is None:
            return {}
        return {k: (self.before.get(k), self.after.get(k)) for k in {**self.before, **self.after}
                if self.before.get(k) != self.after.get(k)}


@dataclass(frozen=True)
class ChangeSet:
    """One write: its label, analyst, time and kind; its changes are read from the file on demand."""

    id: int
    uid: str
    label: str
    analyst: str | None
    at: str
    kind: str
    origin: str | None
    counts: dict = field(default_factory=dict, compare=False)  # (kind, op) -> number of changes
    _load: Callable[[], list[Change]] | None = field(default=None, compare=False, repr=False)

    @property
    def changes(self) -> list[Change]:
        return self._load() if self._load else []

    @property
    def size(self) -> int:
        return sum(self.counts.values())

    def touches(self, kind: str) -> bool:
        return any(k == kind for k, _ in self.counts)

    def uids(self, kind: str) -> set[str]:
        return {c.uid for c in self.changes if c.kind == kind}


def _change(row) -> Change:
    kind, uid, op, name, before, after = row
    return Change(kind, uid, op, name, json.loads(before) if before else None, json.loads(after) if after else None)


def load_changes(conn: sqlite3.Connection, change_set_id: int | None, uid: str | None = None) -> list[Change]:
    where, params = ("change_set IS ?", [change_set_id])
    if uid is not None:
        where, params = where + " AND uid = ?", params + [uid]
    return [_change(r) for r in conn.execute(
        f"SELECT kind, uid, op, field, before, after FROM changes WHERE {where} ORDER BY id", params)]


def read_change_sets(conn: sqlite3.Connection, where: str = "1", params=(), limit: int | None = None
                     ) -> list[ChangeSet]:
    """Change sets matching a condition on `change_sets` (alias s), newest first, with their counts."""
    rows = conn.execute(f"SELECT s.id, s.uid, s.label, s.analyst, s.at, s.kind, s.origin FROM change_sets s "
                        f"WHERE {where} ORDER BY s.id DESC" + (f" LIMIT {int(limit)}" if limit else ""),
                        list(params)).fetchall()
    if not rows:
        return []
    ids = [r[0] for r in rows]
    counts: dict[int, Counter] = {i: Counter() for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for set_id, kind, op, n in conn.execute(
                f"SELECT change_set, kind, op, count(*) FROM changes WHERE change_set IN ({marks}) "
                "GROUP BY change_set, kind, op", chunk):
            counts[set_id][(kind, op)] = n
    return [ChangeSet(*r, counts=dict(counts[r[0]]), _load=(lambda i=r[0]: load_changes(conn, i)))
            for r in rows]
