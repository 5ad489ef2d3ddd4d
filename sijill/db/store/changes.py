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
A write made by another program (sqlite-utils, Datasette) is recorded too, with no change set and with
its time (`changes.at`). A merge copies the other copy's change sets in: `change_sets.merged_by` names
the merge that brought each, and `changes.kept` what of a copied change this file did not take.
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
    "place": ("places", {}),  # schema version 8
}
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
    "place_aliases": ("place", "place_id", "aliases", "json_object('alias', X.alias)"),
}
LINK_FIELDS = {kind: [(table, col, name) for table, (k, col, name, _) in LINKS.items() if k == kind]
               for kind in RECORDS}
# What a link points at, by uid or name (link table -> [(column, target table, ON DELETE)]). When a target
# row goes, the links to it are recorded by a trigger on the target, before it goes: by the time SQLite's
# foreign-key actions reach the link rows, the target's uid or name can no longer be read.
TARGETS = {
    "event_groups": [("group_id", "groups", "cascade")],
    "event_tags": [("tag_id", "tags", "cascade")],
    "event_evidence": [("source_id", "sources", "cascade"), ("annotation_id", "annotations", "set null")],
    "annotation_groups": [("group_id", "groups", "cascade")],
    "annotation_tags": [("tag_id", "tags", "cascade")],
}

CURRENT = "(SELECT id FROM change_sets WHERE open = 1)"
NO_SET = 1 << 62  # "no change set open": beyond any row id

TABLES_SQL = (
    """CREATE TABLE change_sets (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        label TEXT NOT NULL,
        analyst TEXT,
        at TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'edit',
        origin TEXT,
        open INTEGER NOT NULL DEFAULT 0,
        -- the first id a record created in this change set can have, per kind (see record_inserts)
        first_event INTEGER, first_group INTEGER, first_period INTEGER, first_source INTEGER,
        first_annotation INTEGER)""",
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


def _first(kind: str) -> str:
    """SQL: the first id a record of `kind` created in the open change set can have (every row with an
    id from there up was created in it); with no change set open (another program writing), beyond any id."""
    return f"coalesce((SELECT first_{kind} FROM change_sets WHERE open = 1), {NO_SET})"


def trigger_sql(conn) -> list[str]:
    """The triggers that record changes, written for the tables' current columns (a migration that adds
    a column installs them again).

    Records created in a change set are not recorded one by one: `record_inserts` lists them in one
    statement when the change set closes (rows from the change set's first new id up), and their links,
    edits and removal within the same change set are not recorded apart (an import of 100,000 events
    would otherwise run a trigger body for each event, link and tag). A row put back with an id below
    that (undoing a delete) is recorded by its insert trigger."""
    sql = []
    # A kind added by a later migration (places, version 8) has no table yet while an older file is migrated.
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for kind, (table, _) in RECORDS.items():
        if table not in tables:
            continue
        cols = [c for c in _columns(conn, table) if c not in BOOKKEEPING]
        changed = " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in cols)
        before = _row_json(conn, kind, "OLD", _links_json(kind, "OLD"))
        sql += [
            f"""CREATE TRIGGER sijill_log_{table}_insert AFTER INSERT ON {table} WHEN NEW.id < {_first(kind)} BEGIN
                INSERT INTO changes (change_set, kind, uid, op) VALUES ({CURRENT}, '{kind}', NEW.uid, 'insert');
            END""",
            f"""CREATE TRIGGER sijill_log_{table}_update AFTER UPDATE ON {table}
                WHEN OLD.id < {_first(kind)} AND ({changed}) BEGIN
                INSERT INTO changes (change_set, kind, uid, op, before, after)
                VALUES ({CURRENT}, '{kind}', NEW.uid, 'update', {_row_json(conn, kind, 'OLD')},
                        {_row_json(conn, kind, 'NEW')});
            END""",
            f"""CREATE TRIGGER sijill_log_{table}_delete BEFORE DELETE ON {table} WHEN OLD.id < {_first(kind)}
                {_UNLESS_CASCADED.get(table, "").replace("WHEN", "AND")} BEGIN
                INSERT INTO changes (change_set, kind, uid, op, before)
                VALUES ({CURRENT}, '{kind}', OLD.uid, 'delete', {before});
            END""",
        ]
    for table, (kind, col, name, link) in LINKS.items():
        owner_table = RECORDS[kind][0]
        if table not in tables:
            continue
        for event, op, row, column in (("INSERT", "link", "NEW", "after"), ("DELETE", "unlink", "OLD", "before")):
            owner = f"(SELECT uid FROM {owner_table} WHERE id = {row}.{col})"
            # Not recorded: links of an owner created in this change set, links removed with their owner,
            # and links removed with what they point at (recorded by the target's own trigger, `_target_sql`).
            when = f"{row}.{col} < {_first(kind)} AND {owner} IS NOT NULL"
            if event == "DELETE":
                when += "".join(f" AND (OLD.{c} IS NULL OR EXISTS (SELECT 1 FROM {target} WHERE id = OLD.{c}))"
                                for c, target, _ in TARGETS.get(table, ()))
            sql.append(
                f"""CREATE TRIGGER sijill_log_{table}_{event.lower()} AFTER {event} ON {table} WHEN {when} BEGIN
                    INSERT INTO changes (change_set, kind, uid, op, field, {column})
                    VALUES ({CURRENT}, '{kind}', {owner}, '{op}', '{name}', {link.replace('X.', row + '.')});
                END""")
        sql.append(
            f"""CREATE TRIGGER sijill_log_{table}_update AFTER UPDATE ON {table}
                WHEN NEW.{col} < {_first(kind)} AND (SELECT uid FROM {owner_table} WHERE id = NEW.{col}) IS NOT NULL
                {"".join(f" AND NOT (OLD.{c} IS NOT NULL AND NEW.{c} IS NULL AND NOT EXISTS "
                         f"(SELECT 1 FROM {target} WHERE id = OLD.{c}))"
                         for c, target, _ in TARGETS.get(table, ()) if _ == "set null")}
                BEGIN
                INSERT INTO changes (change_set, kind, uid, op, field, before)
                VALUES ({CURRENT}, '{kind}', (SELECT uid FROM {owner_table} WHERE id = OLD.{col}), 'unlink', '{name}',
                        {link.replace('X.', 'OLD.')});
                INSERT INTO changes (change_set, kind, uid, op, field, after)
                VALUES ({CURRENT}, '{kind}', (SELECT uid FROM {owner_table} WHERE id = NEW.{col}), 'link', '{name}',
                        {link.replace('X.', 'NEW.')});
            END""")
    return sql + _target_sql(conn, tables) + _outside_time_sql(conn)


# The time of a change written outside Sijill, as change sets write theirs (feed._utc_now): with no change
# set open, nothing else says when it was made (schema version 10 adds `changes.at`).
OUTSIDE_TIME = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"


def _outside_time_sql(conn) -> list[str]:
    if "at" not in _columns(conn, "changes"):
        return []
    return [f"""CREATE TRIGGER sijill_log_outside_time AFTER INSERT ON changes WHEN NEW.change_set IS NULL BEGIN
                UPDATE changes SET at = {OUTSIDE_TIME} WHERE id = NEW.id;
            END"""]


# Passages deleted with their source were recorded by the source's trigger: theirs stay silent.
_UNLESS_CASCADED = {"annotations": "WHEN EXISTS (SELECT 1 FROM sources WHERE id = OLD.source_id)"}


def _target_sql(conn, tables: set[str]) -> list[str]:
    """Triggers on what links point at: a group, tag, source or passage deleted, a tag renamed. They record
    the links it takes with it (unlink; for evidence pinned to a deleted passage, unlink and link again
    without the passage), and a source's passages deleted with it (whole, with their links), while the
    names and uids can still be read."""
    by_target: dict[str, list[str]] = {}
    for table, targets in TARGETS.items():
        kind, col, name, link = LINKS[table]
        if table not in tables:
            continue
        owner_table = RECORDS[kind][0]
        json_l = link.replace("X.", "L.")
        for c, target, action in targets:
            rows = (f"FROM {table} L JOIN {owner_table} o ON o.id = L.{col} "
                    f"WHERE L.{c} = OLD.id AND L.{col} < {_first(kind)}")
            body = [f"INSERT INTO changes (change_set, kind, uid, op, field, before) "
                    f"SELECT {CURRENT}, '{kind}', o.uid, 'unlink', '{name}', {json_l} {rows};"]
            if action == "set null":
                body.append(f"INSERT INTO changes (change_set, kind, uid, op, field, after) "
                            f"SELECT {CURRENT}, '{kind}', o.uid, 'link', '{name}', "
                            f"json_set({json_l}, '$.{target[:-1]}', NULL) {rows};")
            by_target.setdefault(target, []).extend(body)
    # A source's passages, deleted with it: recorded whole while the source's uid can be read; their own
    # delete trigger then finds the source gone and records nothing more.
    annotation = _row_json(conn, "annotation", "A", _links_json("annotation", "A"))
    by_target.setdefault("sources", []).append(
        f"INSERT INTO changes (change_set, kind, uid, op, before) SELECT {CURRENT}, 'annotation', A.uid, 'delete', "
        f"{annotation} FROM annotations A WHERE A.source_id = OLD.id AND A.id < {_first('annotation')};")
    sql = [f"""CREATE TRIGGER sijill_log_{target}_links_delete BEFORE DELETE ON {target} {_UNLESS_CASCADED.get(target, "")}
            BEGIN
                {chr(10).join(body)}
            END""" for target, body in by_target.items()]
    for table in ("event_tags", "annotation_tags"):
        kind, col, name, _ = LINKS[table]
        owner_table = RECORDS[kind][0]
        sql.append(f"""CREATE TRIGGER sijill_log_tags_rename_{table} AFTER UPDATE OF name ON tags
            WHEN OLD.name IS NOT NEW.name BEGIN
            INSERT INTO changes (change_set, kind, uid, op, field, before)
            SELECT {CURRENT}, '{kind}', o.uid, 'unlink', '{name}', json_object('tag', OLD.name)
            FROM {table} L JOIN {owner_table} o ON o.id = L.{col} WHERE L.tag_id = NEW.id;
            INSERT INTO changes (change_set, kind, uid, op, field, after)
            SELECT {CURRENT}, '{kind}', o.uid, 'link', '{name}', json_object('tag', NEW.name)
            FROM {table} L JOIN {owner_table} o ON o.id = L.{col} WHERE L.tag_id = NEW.id;
        END""")
    return sql


def first_new_ids(conn) -> list[int]:
    """For each record kind (in RECORDS order), the id its next new row gets."""
    return [conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]
            for table, _ in RECORDS.values()]


INSERT_TRIGGERS = [f"sijill_log_{t}_insert" for t in (*[table for table, _ in RECORDS.values()], *LINKS)]


def pause_insert_triggers(conn) -> tuple[list[str], dict[str, int]]:
    """For an import (inside its transaction): drop the insert triggers, whose per-row cost was a quarter
    of a 100,000-event import, and return their SQL with each link table's first new rowid, for
    `resume_insert_triggers` at the end. An import puts no record back with an old id, so the records
    and links it creates are all found from the first new ids up."""
    marks = ", ".join("?" * len(INSERT_TRIGGERS))
    saved = [sql for (sql,) in conn.execute(f"SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                                            f"AND name IN ({marks})", INSERT_TRIGGERS)]
    for name in INSERT_TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    firsts = {table: conn.execute(f"SELECT coalesce(max(rowid), 0) + 1 FROM {table}").fetchone()[0]
              for table in LINKS}
    return saved, firsts


def resume_insert_triggers(conn, set_id: int, paused: tuple[list[str], dict[str, int]]) -> None:
    """Record the links an import added to records that existed before it, then put the triggers back."""
    saved, firsts = paused
    owners_first = dict(zip(RECORDS, conn.execute(
        f"SELECT {', '.join('first_' + k for k in RECORDS)} FROM change_sets WHERE id = ?", [set_id]).fetchone()))
    for table, (kind, col, name, link) in LINKS.items():
        owner_table = RECORDS[kind][0]
        conn.execute(f"INSERT INTO changes (change_set, kind, uid, op, field, after) "
                     f"SELECT ?, '{kind}', o.uid, 'link', '{name}', {link.replace('X.', 'L.')} "
                     f"FROM {table} L JOIN {owner_table} o ON o.id = L.{col} "
                     f"WHERE L.rowid >= ? AND L.{col} < ? ORDER BY L.rowid",
                     [set_id, firsts[table], owners_first[kind]])
    for sql in saved:
        conn.execute(sql)


def record_inserts(conn, set_id: int) -> None:
    """Record the records created in change set `set_id` (from its first new ids up), in one statement each."""
    firsts = conn.execute(f"SELECT {', '.join('first_' + k for k in RECORDS)} FROM change_sets WHERE id = ?",
                          [set_id]).fetchone()
    for (kind, (table, _)), first in zip(RECORDS.items(), firsts):
        conn.execute(f"INSERT INTO changes (change_set, kind, uid, op) SELECT ?, '{kind}', uid, 'insert' "
                     f"FROM {table} WHERE id >= ? ORDER BY id", [set_id, first])


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
    # A change a merge copied in that this file did not take: column (or "*", the whole change) -> the value
    # kept, as text (schema version 10; `sijill.db.merge.apply.copy_change_sets`).
    kept: dict | None = None

    def fields(self) -> dict[str, tuple]:
        """For an update, the fields that differ: name -> (before, after)."""
        if self.op != "update" or self.before is None or self.after is None:
            return {}
        return {k: (self.before.get(k), self.after.get(k)) for k in {**self.before, **self.after}
                if self.before.get(k) != self.after.get(k)}


# `change_sets.merged_by` of a change set copied in by a merge whose own change set is not in the file: a
# merge of schema version 9 that took nothing dropped its change set (see `backfill_merged_by`).
EARLIER_MERGE = 0


@dataclass(frozen=True)
class MergedBy:
    """The merge that copied a change set into this file from another copy: its own change set here
    (id EARLIER_MERGE, no uid, label or time: an earlier merge whose change set is not recorded)."""

    id: int
    uid: str | None
    label: str | None
    analyst: str | None
    at: str | None

    @property
    def recorded(self) -> bool:
        return self.id != EARLIER_MERGE


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
    merged_by: MergedBy | None = None  # made in another copy of the file, brought in by this merge

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
    kind, uid, op, name, before, after, kept = row
    return Change(kind, uid, op, name, json.loads(before) if before else None, json.loads(after) if after else None,
                  json.loads(kept) if kept else None)


def has_provenance(conn: sqlite3.Connection) -> bool:
    """Whether the file has schema version 10's columns (an older file read as it is has not)."""
    return "kept" in _columns(conn, "changes")


def load_changes(conn: sqlite3.Connection, change_set_id: int | None, uid: str | None = None,
                 between: tuple[int, int] | None = None) -> list[Change]:
    """The changes of a change set (None: written outside Sijill), of one record or all, or with ids `between`."""
    where, params = ("change_set IS ?", [change_set_id])
    if uid is not None:
        where, params = where + " AND uid = ?", params + [uid]
    if between is not None:
        where, params = where + " AND id BETWEEN ? AND ?", params + list(between)
    kept = "kept" if has_provenance(conn) else "NULL"
    return [_change(r) for r in conn.execute(
        f"SELECT kind, uid, op, field, before, after, {kept} FROM changes WHERE {where} ORDER BY id", params)]


def read_change_sets(conn: sqlite3.Connection, where: str = "1", params=(), limit: int | None = None
                     ) -> list[ChangeSet]:
    """Change sets matching a condition on `change_sets` (alias s), newest first, with their counts."""
    merge = ("s.merged_by, m.uid, m.label, m.analyst, m.at FROM change_sets s "
             "LEFT JOIN change_sets m ON m.id = s.merged_by"
             if has_provenance(conn) else "NULL, NULL, NULL, NULL, NULL FROM change_sets s")
    rows = conn.execute(f"SELECT s.id, s.uid, s.label, s.analyst, s.at, s.kind, s.origin, {merge} "
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
    return [ChangeSet(*r[:7], counts=dict(counts[r[0]]), _load=(lambda i=r[0]: load_changes(conn, i)),
                      merged_by=_merged_by(r[7:]))
            for r in rows]


def _merged_by(row) -> MergedBy | None:
    """Merged in when `merged_by` is set, whether or not the merge's own change set is in the file."""
    merge_id, uid, label, analyst, at = row
    if merge_id is None:
        return None
    return MergedBy(merge_id, uid, label, analyst, at) if uid is not None else MergedBy(EARLIER_MERGE, None, None,
                                                                                        None, None)


def backfill_merged_by(conn: sqlite3.Connection) -> None:
    """Fill `change_sets.merged_by` of a file from before schema version 10 (the migration, and `sijill
    repair` of such a file). A change set Sijill opens here has its `first_*` ids; one a merge copied in
    has none, and follows that merge's own change set with consecutive ids (one transaction). So a copied
    change set is credited to the merge just before its run of copies; where there is none (a version 9
    merge that took nothing dropped its own change set, leaving a gap, or the run follows an edit made
    here), it gets EARLIER_MERGE: merged in, by a merge not recorded, never read as made here."""
    merge, previous, found = EARLIER_MERGE, None, []
    for set_id, kind, copied, merged_by in conn.execute(
            "SELECT id, kind, first_event IS NULL, merged_by FROM change_sets ORDER BY id").fetchall():
        if not copied:
            merge = set_id if kind == "merge" else EARLIER_MERGE
        elif previous is None or set_id != previous + 1:
            merge = EARLIER_MERGE
        if copied and merged_by is None:
            found.append((merge, set_id))
        previous = set_id
    conn.executemany("UPDATE change_sets SET merged_by = ? WHERE id = ?", found)

