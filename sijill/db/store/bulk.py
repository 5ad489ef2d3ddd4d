"""Bulk reads and writes for views of any size (the events table, the timeline, generators).

Part of Project (see sijill.db.store.project.Project): these methods read a whole project in a handful of
queries into plain tuples, or insert many events in one transaction, where the typed records of
Project would cost too much at 100,000 events.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import NamedTuple

from sijill.db.store import schema
from sijill.db.store.basics import ProjectError, as_date, as_optional_date, new_uid, now_iso

EVENT_COLUMNS = (
    "id, uid, title, description, start_text, start_lo, start_hi, start_precision, approximate, "
    "uncertain, end_text, end_lo, end_hi, end_precision, end_approximate, end_uncertain, location, "
    "latitude, longitude, event_type, fatalities, created_at, updated_at"
)


def chunks(items: list, size: int) -> Iterator[list]:
    """`items` in slices of at most `size` (SQLite limits the parameters of one statement)."""
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class EventTableRows(NamedTuple):
    """What `Project.event_table_rows` returns (see there)."""

    rows: list[tuple]
    links: dict[int, list[tuple[int, str]]]
    tags: dict[int, list[str]]


class BulkMixin:
    """Methods of Project for reading and writing many events at once."""

    # Secondary indexes a large import rebuilds once instead of updating row by row. Not evidence by
    # event: an import that updates events deletes their dataset evidence by event, one by one.
    _IMPORT_INDEXES = ("events_start_lo", "events_end_hi", "events_title", "event_groups_group",
                       "event_evidence_annotation")

    @contextmanager
    def indexing_new_events_at_end(self, rebuild_indexes: bool = False) -> Iterator[int]:
        """Inside a write transaction: events inserted in the block are added to the full-text
        index in one statement at its end instead of one trigger call per row (measured at 100,000
        imported events: 0.3 s instead of 4 s). Yields the first id a new event can get; new
        events must take ids from there up. With `rebuild_indexes` (an import as large as the
        project or larger), the secondary indexes of events, links and evidence are dropped and
        built again at the end (0.6 s saved at 100,000 events; a rebuild costs what the whole
        table holds, so not for a small import into a large project). The trigger and indexes are
        dropped and re-created inside the caller's transaction: a rollback leaves them as they were."""
        if not self.db.conn.in_transaction:
            raise ProjectError("indexing_new_events_at_end needs an open write transaction")
        row = self.db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'events_ai'").fetchone()
        first = self.db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM events").fetchone()[0]
        indexes = []
        if rebuild_indexes:
            marks = ", ".join("?" * len(self._IMPORT_INDEXES))
            indexes = self.db.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN ({marks}) "
                                      "AND sql IS NOT NULL", list(self._IMPORT_INDEXES)).fetchall()
            for name, _sql in indexes:
                self.db.execute(f'DROP INDEX "{name}"')
        if row is not None:
            self.db.execute('DROP TRIGGER "events_ai"')
        yield first
        if row is not None:
            self.db.execute('INSERT INTO "events_fts" (rowid, "title", "description") '
                            "SELECT id, title, description FROM events WHERE id >= ?", [first])
            self.db.execute(row[0])
        for _name, sql in indexes:
            self.db.execute(sql)

    # ---- bulk access for the events table ---------------------------------
    _TABLE_COLUMNS = ("id, title, start_text, start_lo, start_hi, start_precision, approximate, uncertain, "
                      "end_text, end_lo, end_hi, end_precision, end_approximate, end_uncertain, "
                      "event_type, location, fatalities")

    def event_table_rows(self, event_ids: Iterable[int] | None = None) -> "EventTableRows":
        """Everything an events table shows, for projects of any size: `rows`, one plain tuple
        per event (the 17 columns of `_TABLE_COLUMNS`, in no order); `links`, event id ->
        [(group id, role)]; `tags`, event id -> [name] (both unsorted, only for events that have
        any). Three queries for the whole project, or for `event_ids` only (after an edit)."""
        if event_ids is None:
            rows = self.db.execute(f"SELECT {self._TABLE_COLUMNS} FROM events").fetchall()
            link_rows = self.db.execute("SELECT event_id, group_id, role FROM event_groups").fetchall()
            tag_rows = self.db.execute("SELECT et.event_id, t.name FROM event_tags et "
                                       "JOIN tags t ON t.id = et.tag_id").fetchall()
        else:
            rows, link_rows, tag_rows = [], [], []
            for chunk in chunks(list(event_ids), 900):
                marks = ", ".join("?" * len(chunk))
                rows += self.db.execute(f"SELECT {self._TABLE_COLUMNS} FROM events WHERE id IN ({marks})",
                                        chunk).fetchall()
                link_rows += self.db.execute("SELECT event_id, group_id, role FROM event_groups "
                                             f"WHERE event_id IN ({marks})", chunk).fetchall()
                tag_rows += self.db.execute("SELECT et.event_id, t.name FROM event_tags et JOIN tags t "
                                            f"ON t.id = et.tag_id WHERE et.event_id IN ({marks})", chunk).fetchall()
        links: dict[int, list] = {}
        for eid, gid, role in link_rows:
            if eid in links:
                links[eid].append((gid, role))
            else:
                links[eid] = [(gid, role)]
        tags: dict[int, list] = {}
        for eid, name in tag_rows:
            if eid in tags:
                tags[eid].append(name)
            else:
                tags[eid] = [name]
        return EventTableRows(rows, links, tags)

    def group_event_counts(self) -> dict[int, int]:
        """group id -> number of events linked to it (in any role), for groups that have any."""
        return dict(self.db.execute("SELECT group_id, COUNT(*) FROM event_groups GROUP BY group_id").fetchall())

    # ---- bulk access for the timeline -------------------------------------
    def timeline_rows(self, event_ids: Iterable[int] | None = None) -> list[tuple]:
        """One row per event–group link, plus one row (group None) per event without groups:
        (event_id, group_id, role, start_lo, start_hi, end_lo, end_hi, precision, approximate,
        uncertain, title, key_event). One query for the whole project; `event_ids` limits it (edits)."""
        sql = ("SELECT e.id, eg.group_id, eg.role, e.start_lo, e.start_hi, e.end_lo, e.end_hi, "
               "e.start_precision, e.approximate, e.uncertain, e.title, e.key_event "
               "FROM events e LEFT JOIN event_groups eg ON eg.event_id = e.id")
        if event_ids is None:
            return self.db.execute(sql).fetchall()
        rows: list[tuple] = []
        for chunk in chunks(list(event_ids), 900):
            rows += self.db.execute(f"{sql} WHERE e.id IN ({', '.join('?' * len(chunk))})", chunk).fetchall()
        return rows

    def timeline_codes(self, precisions: Sequence[str], roles: Sequence[str]) -> Iterator[tuple]:
        """`timeline_rows` for the whole project as all-integer rows, for `np.fromiter`:
        (event_id, group_id or 0, start_lo, start_hi, end_lo, end_hi, packed), where `packed`
        holds role code | is_span << 3 | precision code << 4 | approximate << 7 | uncertain << 8
        | key_event << 9;
        codes are positions in `roles` / `precisions` (unknown role 0, unknown precision: that of
        "day"); an instant's end bounds are its start_hi. (Seven columns rather than eleven: at a
        million rows the conversion of each value to Python is most of the cost.)"""
        def case(column: str, names: Sequence[str], default: int) -> str:
            whens = " ".join(f"WHEN {_sql_str(n)} THEN {i}" for i, n in enumerate(names))
            return f"CASE {column} {whens} ELSE {default} END"
        day = list(precisions).index("day") if "day" in precisions else 0
        sql = ("SELECT e.id, COALESCE(eg.group_id, 0), e.start_lo, e.start_hi, COALESCE(e.end_lo, e.start_hi), "
               f"COALESCE(e.end_hi, e.start_hi), {case('eg.role', roles, 0)} | ((e.end_lo IS NOT NULL) << 3) "
               f"| ({case('e.start_precision', precisions, day)} << 4) | ((COALESCE(e.approximate, 0) != 0) << 7) "
               "| ((COALESCE(e.uncertain, 0) != 0) << 8) | ((e.key_event != 0) << 9) "
               "FROM events e LEFT JOIN event_groups eg ON eg.event_id = e.id")
        return self.db.execute(sql)

    def event_titles(self, event_ids: Iterable[int] | None = None) -> dict[int, str]:
        """Titles by id: of every event in one query, or of `event_ids` (chunked)."""
        if event_ids is None:
            return dict(self.db.execute("SELECT id, title FROM events"))
        out: dict[int, str] = {}
        for chunk in chunks(list(event_ids), 900):
            out.update(self.db.execute(f"SELECT id, title FROM events WHERE id IN ({', '.join('?' * len(chunk))})",
                                       chunk))
        return out

    _UID_TABLES = {"event": "events", "source": "sources", "annotation": "annotations"}

    def ids_by_uid(self, kind: str, uids: Iterable[str] | None = None) -> dict[str, int]:
        """Row ids by uid of every event, source or annotation (`kind`), or of `uids` only (chunked):
        change sets name records by uid, the window's views by row id."""
        table = self._UID_TABLES[kind]
        if uids is None:
            return dict(self.db.execute(f"SELECT uid, id FROM {table}"))
        out: dict[str, int] = {}
        for chunk in chunks(list(uids), 900):
            out.update(self.db.execute(f"SELECT uid, id FROM {table} WHERE uid IN ({', '.join('?' * len(chunk))})",
                                       chunk))
        return out

    def event_ids_matching(self, *, tags: Iterable[str] = (), event_types: Iterable[str] = (),
                           lo: int | None = None, hi: int | None = None) -> set[int]:
        """Ids of events carrying one of `tags`, of one of `event_types`, overlapping [lo, hi]
        (each condition ignored when empty/None)."""
        where, params = ["1"], []
        tags, event_types = list(tags), list(event_types)
        if tags:
            where.append(f"id IN (SELECT et.event_id FROM event_tags et JOIN tags t ON t.id = et.tag_id "
                         f"WHERE t.name IN ({', '.join('?' * len(tags))}))")
            params += tags
        if event_types:
            where.append(f"event_type IN ({', '.join('?' * len(event_types))})")
            params += event_types
        if lo is not None:
            where.append("COALESCE(end_hi, start_hi) >= ?")
            params.append(int(lo))
        if hi is not None:
            where.append("start_lo <= ?")
            params.append(int(hi))
        return {r for (r,) in self.db.execute(f"SELECT id FROM events WHERE {' AND '.join(where)}", params)}

    def bulk_insert_events(self, rows: Iterable[Mapping]) -> list[int]:
        """Insert many events in one transaction (generators, imports). Each row is a mapping with
        `title`, `start` (FuzzyDate or text) and optionally `end`, `description`, `event_type`,
        `fatalities`, `location`, `groups` [(group id, role)], `tags`. Returns the new ids."""
        stamp = now_iso()
        with self._write() as db:
            group_ids = {gid for (gid,) in db.execute("SELECT id FROM groups")}
            next_id = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM events").fetchone()[0]
            ev_rows, link_rows, tag_rows, ids = [], [], [], []
            tag_ids: dict[str, int] = {}
            for i, row in enumerate(rows):
                eid = next_id + i
                start_d = as_date(row["start"])
                end = row.get("end")
                end_d = as_optional_date(end)
                self._check_span(start_d, end_d)
                title = (row.get("title") or "").strip()
                if not title:
                    raise ProjectError(f"event {i + 1} of the batch has no title")
                ev_rows.append([eid, new_uid(), title, row.get("description"),
                                *self._date_cols(start_d), *self._date_cols(end_d),
                                row.get("location"), row.get("latitude"), row.get("longitude"),
                                row.get("event_type"), row.get("fatalities"), stamp, stamp])
                for gid, role in row.get("groups", ()):
                    if role not in schema.ROLES:
                        raise ProjectError(f"unknown role {role!r}")
                    if gid not in group_ids:
                        raise ProjectError(f"event {i + 1} of the batch: no group with id {gid!r}")
                    link_rows.append((eid, gid, role))
                for name in row.get("tags", ()):
                    if name not in tag_ids:
                        tag_ids[name] = self._tag_id(name)
                    tag_rows.append((eid, tag_ids[name]))
                ids.append(eid)
            db.conn.executemany(f"INSERT INTO events ({EVENT_COLUMNS}) VALUES ({', '.join('?' * 23)})",
                                ev_rows)
            db.conn.executemany("INSERT OR REPLACE INTO event_groups (event_id, group_id, role) "
                                "VALUES (?, ?, ?)", link_rows)
            db.conn.executemany("INSERT OR IGNORE INTO event_tags (event_id, tag_id) VALUES (?, ?)", tag_rows)
        return ids
