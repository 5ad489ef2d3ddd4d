"""Pass two of a native import (db.formats.native_import): writing what pass one decided, in the
caller's transaction. Groups, periods, sources and annotations go through Project; events, the bulk
of a large document, come back a chunk at a time from the temporary file pass one put them in
(`Spool`) and are written in a few statements per chunk: new ones inserted (indexed for full-text
search in one statement at the end), changed ones updated from a TEMP table, then their links, tags,
evidence and origins.
"""
from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sijill.db.formats.native import NativeImportError
from sijill.db.store.basics import ProjectError, now_iso
from sijill.db.store.bulk import EVENT_COLUMNS

if TYPE_CHECKING:
    from sijill.db.formats.native_import import Plan

EVENT_VALUES = EVENT_COLUMNS.split(", ")[2:21]  # title ... fatalities


def write(plan: Plan) -> None:
    """Pass two: write what pass one decided (in the caller's transaction), in the order records
    refer to each other: groups, periods, sources, annotations, then events."""
    for key, value in plan.meta.items():
        plan.p.set_meta(key, value)
    _tag_ids(plan, plan.new_tags)
    _write_groups(plan)
    for rec in plan.writes_of["periods"]:
        if rec.id is None:
            plan.p.create_period(uid=rec.uid, **rec.values)
        else:
            plan.p.update_period(rec.id, **rec.values)
    for rec in plan.writes_of["sources"]:
        if rec.id is None:
            rec.id = plan.p.create_source(uid=rec.uid, added_at=rec.added_at, **rec.values).id
        else:
            plan.p.update_source(rec.id, **rec.values)
            if rec.added_at:
                plan.db.execute("UPDATE sources SET added_at = ? WHERE id = ?", [rec.added_at, rec.id])
        plan.source_ids[rec.uid] = rec.id
    for rec in plan.writes_of["annotations"]:
        v = dict(rec.values, source_id=plan.source_ids[rec.values["source"]])
        del v["source"]
        try:
            rec.id = plan.p.put_annotation(uid=rec.uid, **v).id
        except ProjectError as exc:
            raise rec.r.fail("groups", str(exc)) from exc
        plan.annotation_ids[rec.uid] = rec.id
    _write_events(plan)


def _write_groups(plan: Plan) -> None:
    for g in plan.groups:
        v = g.values
        try:
            if g.id is None:
                g.id = plan.p.create_group(v["name"], kind=v["kind"], color=v["color"], aliases=v["aliases"],
                                           description=v["description"], uid=g.uid, position=v.get("position")).id
            elif g.changed:
                plan.p.update_group(g.id, **v)
        except ProjectError as exc:
            raise g.r.fail("name", str(exc)) from exc
    for g in plan.groups:
        if g.parent is not None:
            try:
                plan.p.update_group(g.id, parent=g.parent[0])
            except ProjectError as exc:
                raise g.r.fail("parent", str(exc)) from exc
    plan.group_ids = {}
    for gid, uid, name in plan.db.execute("SELECT id, uid, name FROM groups"):
        plan.group_ids[uid] = gid
    for gid, uid, name in plan.db.execute("SELECT id, uid, name FROM groups"):
        plan.group_ids[name] = gid  # a name wins over a uid, as Project._group_id reads them


def _tag_ids(plan: Plan, names: Any) -> dict[str, int]:
    plan.db.conn.executemany("INSERT OR IGNORE INTO tags (name) VALUES (?)", [(n,) for n in names])
    return dict(plan.db.execute("SELECT name, id FROM tags"))


def _write_events(plan: Plan) -> None:
    """The spooled events, a chunk at a time: new ones inserted (they enter the full-text index
    in one statement at the end: Project.indexing_new_events_at_end), changed ones updated in
    one statement per chunk (`_update_events`), then their links, tags, evidence (in document
    order, which their ids keep) and origins."""
    if not plan.spool.count:
        return
    conn = plan.db.conn
    tag_ids = _tag_ids(plan, plan.event_tags)
    stamp = now_iso()
    added = plan.report.added.get("events", 0)
    large = added >= 20_000 and added >= plan.db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    with plan.p.indexing_new_events_at_end(rebuild_indexes=large) as next_id:
        for part in plan.spool:
            inserts, updates, links, tags, evidence, origins, replaced = [], [], [], [], [], [], []
            for index, uid, eid, values, names, refs, cited, attributes, origin, created, updated, key in part:
                if eid is None:
                    eid, next_id = next_id, next_id + 1
                    inserts.append((eid, uid, *values, created or stamp, updated or created or stamp, attributes,
                                    key))
                    if origin is not None:
                        origins.append((eid, *origin))
                else:
                    updates.append((*values, created, updated or stamp, attributes is None, attributes, key, eid))
                    if origin is not None:
                        replaced.append((eid, *origin))
                try:
                    roles = {plan.group_ids[ref]: role for ref, role in refs}  # a group twice: the last role
                except KeyError as exc:
                    raise NativeImportError(
                        f"events[{index}] ({uid}), field 'groups': unknown group {exc}") from exc
                links += [(eid, gid, role) for gid, role in roles.items()]
                tags += [(eid, tag_ids[t]) for t in names]
                evidence += [(eid, plan.source_ids[s], plan.annotation_ids[a] if a else None, st, note)
                             for s, a, st, note in cited]
            conn.executemany(f"INSERT INTO events ({EVENT_COLUMNS}, attributes, key_event) "
                             f"VALUES ({', '.join('?' * 25)})", inserts)
            if updates:
                _update_events(plan, updates)
            conn.executemany("INSERT INTO event_groups (event_id, group_id, role) VALUES (?, ?, ?)", links)
            conn.executemany("INSERT OR IGNORE INTO event_tags (event_id, tag_id) VALUES (?, ?)", tags)
            conn.executemany("INSERT INTO event_evidence (event_id, source_id, annotation_id, stance, note) "
                             "VALUES (?, ?, ?, ?, ?)", evidence)
            conn.executemany("INSERT INTO event_origins (event_id, origin, key, digest) VALUES (?, ?, ?, ?)",
                             origins)
            conn.executemany("INSERT OR REPLACE INTO event_origins (event_id, origin, key, digest) "
                             "VALUES (?, ?, ?, ?)", replaced)


def _update_events(plan: Plan, rows: list[tuple]) -> None:
    """Changed events updated from a TEMP table in one statement, and their links, tags and
    evidence cleared for the new ones. Row by row (`executemany`), each statement on a table
    with FTS5 triggers pays for a statement journal and an FTS flush: 100,000 events took
    3.6 s so, 1.1 s staged. TEMP tables live outside the project file."""
    db, n = plan.db, len(EVENT_VALUES)
    db.execute(f"CREATE TEMP TABLE sijill_staged ({', '.join(f'c{k}' for k in range(len(rows[0])))})")
    try:
        db.conn.executemany(f"INSERT INTO temp.sijill_staged VALUES ({', '.join('?' * len(rows[0]))})", rows)
        sets = ", ".join(f"{c} = s.c{k}" for k, c in enumerate(EVENT_VALUES))
        db.execute(f"UPDATE main.events SET {sets}, created_at = COALESCE(s.c{n}, events.created_at), "
                   f"updated_at = s.c{n + 1}, attributes = CASE WHEN s.c{n + 2} THEN events.attributes "
                   f"ELSE s.c{n + 3} END, key_event = s.c{n + 4} FROM temp.sijill_staged AS s "
                   f"WHERE events.id = s.c{n + 5}")
        for table in ("event_groups", "event_tags", "event_evidence"):
            db.execute(f"DELETE FROM main.{table} WHERE event_id IN (SELECT c{n + 5} FROM temp.sijill_staged)")
    finally:
        db.execute("DROP TABLE IF EXISTS temp.sijill_staged")


class Spool:
    """Rows kept in order in a temporary file, pickled a few thousand at a time, and read back a
    chunk at a time: what pass one decided to write, without holding it in memory."""

    SIZE = 2000

    def __init__(self) -> None:
        self.rows: list = []
        self.count = 0
        self.file: Any = None

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        self.count += 1
        if len(self.rows) == self.SIZE:
            self._flush()

    def _flush(self) -> None:
        if self.file is None:
            self.file = tempfile.TemporaryFile(prefix="sijill-import-")
        pickle.dump(self.rows, self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.rows = []

    def __iter__(self) -> Iterator[list]:
        if self.file is not None:
            if self.rows:
                self._flush()
            self.file.seek(0)
            while True:
                try:
                    yield pickle.load(self.file)
                except EOFError:
                    return
        elif self.rows:
            yield self.rows

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
        self.rows, self.file = [], None
