"""Events one at a time: create, change, delete, restore and merge them (a duplicate into the event
kept), read them as typed records, with their links to groups and their tags.

Part of Project (see db.store.project.Project). Periods, sources and the bulk writes use the helpers
here too: a date's columns and the check that an end is not before its start (`_date_cols`,
`_check_span`), and writing tags (`_tag_id`, `_set_tags`). Views of many events read them in `bulk`.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sijill.db.store import schema
from sijill.db.store.bulk import EVENT_COLUMNS, chunks
from sijill.db.store.basics import (DateLike, ProjectError, as_date, as_optional_date, new_uid, now_iso,
                                    stored_date)
from sijill.db.dates import FuzzyDate
from sijill.db.store.entities import Event, Link
from sijill.db.store.structure import stronger_role
from sijill.db.text.rules import check_fields

_EVENT_FIELDS = ("title", "description", "start", "end", "location", "latitude", "longitude",
                 "event_type", "fatalities", "groups", "tags", "key_event")


class EventsMixin:
    """Methods of Project for events, their group links and their tags (see db.store.project.Project)."""

    def create_event(self, title: str, start: DateLike, end: DateLike | None = None, *,
                     description: str | None = None, groups: Iterable = (), tags: Iterable[str] = (),
                     location: str | None = None, latitude: float | None = None,
                     longitude: float | None = None, event_type: str | None = None,
                     fatalities: int | None = None, uid: str | None = None,
                     created_at: str | None = None, updated_at: str | None = None,
                     event_id: int | None = None, key_event: bool = False) -> Event:
        """Create an event; `groups` holds (group id or name, role) pairs or `Link`s; `key_event`
        marks a turning point (its label wins where labels compete on the timeline)."""
        title = (title or "").strip()
        if not title:
            raise ProjectError("an event needs a title")
        tags = list(tags)
        check_fields({"title": title, "description": description, "location": location, "event_type": event_type,
                      "tags": tags, "start": start if isinstance(start, str) else None,
                      "end": end if isinstance(end, str) else None}, ProjectError)
        start_d = as_date(start)
        end_d = as_optional_date(end)
        self._check_span(start_d, end_d)
        stamp = now_iso()
        with self._write() as db:
            cur = db.execute(
                f"INSERT INTO events ({EVENT_COLUMNS}) VALUES ({', '.join('?' * 23)})",
                [event_id, uid or new_uid(), title, description, *self._date_cols(start_d),
                 *self._date_cols(end_d), location, latitude, longitude, event_type,
                 fatalities, created_at or stamp, updated_at or created_at or stamp],
            )
            eid = cur.lastrowid
            if key_event:
                db.execute("UPDATE events SET key_event = 1 WHERE id = ?", [eid])
            self._set_links(eid, groups)
            self._set_tags("event", eid, tags)
        return self.event(eid)

    def update_event(self, event_id: int, **fields) -> Event:
        """Change some fields of an event: any of title, description, start, end, location,
        latitude, longitude, event_type, fatalities, groups (replaces all links), tags, key_event."""
        unknown = set(fields) - set(_EVENT_FIELDS)
        if unknown:
            raise ProjectError(f"unknown event field(s): {', '.join(sorted(unknown))}")
        if fields.get("tags") is not None:
            fields["tags"] = list(fields["tags"])
        check_fields({k: v for k, v in fields.items() if k != "groups"}, ProjectError)
        current = self.event(event_id)
        start_d = as_date(fields["start"]) if "start" in fields else current.start
        end_d = as_optional_date(fields["end"]) if "end" in fields else current.end
        self._check_span(start_d, end_d)
        if "title" in fields and not (fields["title"] or "").strip():
            raise ProjectError("an event needs a title")
        with self._write() as db:
            sets: dict[str, object] = {}
            if "start" in fields:
                sets.update(zip(("start_text", "start_lo", "start_hi", "start_precision",
                                 "approximate", "uncertain"), self._date_cols(start_d)))
            if "end" in fields:
                sets.update(zip(("end_text", "end_lo", "end_hi", "end_precision",
                                 "end_approximate", "end_uncertain"), self._date_cols(end_d)))
            for key in ("title", "description", "location", "latitude", "longitude",
                        "event_type", "fatalities"):
                if key in fields:
                    sets[key] = fields[key].strip() if key == "title" else fields[key]
            if "key_event" in fields:
                sets["key_event"] = int(bool(fields["key_event"]))
            sets["updated_at"] = now_iso()
            assignments = ", ".join(f"{k} = ?" for k in sets)
            db.execute(f"UPDATE events SET {assignments} WHERE id = ?", [*sets.values(), event_id])
            if "groups" in fields:
                db.execute("DELETE FROM event_groups WHERE event_id = ?", [event_id])
                self._set_links(event_id, fields["groups"])
            if "tags" in fields:
                db.execute("DELETE FROM event_tags WHERE event_id = ?", [event_id])
                self._set_tags("event", event_id, fields["tags"])
        return self.event(event_id)

    def delete_event(self, event_id: int) -> dict:
        """Delete an event; returns its snapshot, which `restore_event` puts back exactly."""
        snapshot = self.event_snapshot(event_id)
        with self._write() as db:
            db.execute("DELETE FROM events WHERE id = ?", [event_id])
        return snapshot

    def merge_events(self, from_id: int, into_id: int) -> dict:
        """Merge event `from_id` (a duplicate) into `into_id` and delete it, in one transaction.
        INTO keeps its title and dates; what it leaves empty (location, coordinates, type,
        fatalities) FROM fills; FROM's description, when it says something else, is added under
        INTO's; FROM's groups (the stronger role where both name a group), tags and evidence (a
        passage or source INTO already cites keeps INTO's stance) move over; INTO is a key event if
        either was; where FROM came from a dataset and INTO did not, INTO takes its origin, so that
        importing the dataset again updates INTO (where both did, FROM's goes with FROM: an event
        has one origin; `merge_warnings` says so beforehand). Returns what `unmerge_events` needs."""
        if from_id == into_id:
            raise ProjectError("an event cannot be merged into itself")
        merged, into = self.event_snapshot(from_id), self.event_snapshot(into_id)
        origins = {eid: row for eid, *row in self.db.execute(
            "SELECT event_id, origin, key, digest FROM event_origins WHERE event_id IN (?, ?)", [from_id, into_id])}
        a, b = into["event"], merged["event"]
        sets = {key: b[key] for key in ("location", "event_type", "fatalities")
                if a[key] is None and b[key] is not None}
        if a["latitude"] is None and b["latitude"] is not None:
            sets.update(latitude=b["latitude"], longitude=b["longitude"])
        if b["description"] and b["description"].strip() != (a["description"] or "").strip():
            sets["description"] = f"{a['description'].rstrip()}\n\n{b['description']}" if a["description"] \
                else b["description"]
        if b["key_event"] and not a["key_event"]:
            sets["key_event"] = 1
        cited = {(source, annotation) for _id, source, annotation, _stance, _note in into["evidence"]}
        moved = [ev_id for ev_id, source, annotation, _stance, _note in merged["evidence"]
                 if (source, annotation) not in cited]
        with self._write() as db:
            sets["updated_at"] = now_iso()
            db.execute(f"UPDATE events SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
                       [*sets.values(), into_id])
            roles = dict(into["groups"])
            for gid, role in merged["groups"]:
                db.execute("INSERT OR REPLACE INTO event_groups (event_id, group_id, role) VALUES (?, ?, ?)",
                           [into_id, gid, stronger_role(role, roles[gid]) if gid in roles else role])
            self._set_tags("event", into_id, merged["tags"])
            db.conn.executemany("UPDATE event_evidence SET event_id = ? WHERE id = ?", [(into_id, i) for i in moved])
            if from_id in origins and into_id not in origins:
                db.execute("UPDATE event_origins SET event_id = ? WHERE event_id = ?", [into_id, from_id])
            db.execute("DELETE FROM events WHERE id = ?", [from_id])
        return {"merged": merged, "into": into, "moved": moved, "origins": origins}

    def merge_warnings(self, from_ids: Sequence[int], into_id: int) -> list[str]:
        """What merging `from_ids` into `into_id` (in this order) will not keep: an event has one
        dataset origin, so where the kept event has one already (its own, or a merged event's
        taken before), a merged event's origin goes with it, and importing that row again adds the
        event back. One sentence per such event, for the merge dialog and `sijill event merge`."""
        marks = ", ".join("?" * (len(from_ids) + 1))
        origins = {eid: (origin, key) for eid, origin, key in self.db.execute(
            f"SELECT event_id, origin, key FROM event_origins WHERE event_id IN ({marks})", [*from_ids, into_id])}
        warnings, held = [], into_id in origins
        for from_id in from_ids:
            if from_id in origins and held:
                origin, key = origins[from_id]
                warnings.append(f"“{self.event(from_id).title}” came from {origin} row {key}: the event kept has "
                                "a dataset link of its own, so importing that row again will add it back.")
            held = held or from_id in origins
        return warnings

    def unmerge_events(self, record: dict) -> Event:
        """Undo `merge_events` from what it returned: both events as they were, with their links,
        tags, evidence and origins (as `restore_event` puts the merged one back: its origin only
        where no event imported since holds it, see `restore_notes`). Returns the merged event."""
        into = record["into"]
        row, into_id = into["event"], into["event"]["id"]
        with self._write() as db:
            marks = ", ".join("?" * len(record["moved"]))
            db.execute(f"DELETE FROM event_evidence WHERE id IN ({marks})", record["moved"])
            db.execute("DELETE FROM event_origins WHERE event_id = ?", [into_id])
            db.execute(f"UPDATE events SET {', '.join(f'{k} = ?' for k in row if k != 'id')} WHERE id = ?",
                       [*(v for k, v in row.items() if k != "id"), into_id])
            db.execute("DELETE FROM event_groups WHERE event_id = ?", [into_id])
            self._set_links(into_id, into["groups"])
            db.execute("DELETE FROM event_tags WHERE event_id = ?", [into_id])
            self._set_tags("event", into_id, into["tags"])
            restored = self.restore_event(record["merged"])  # with its own origin, if it had one
            if into_id in record["origins"]:
                db.execute("INSERT INTO event_origins (event_id, origin, key, digest) VALUES (?, ?, ?, ?)",
                           [into_id, *record["origins"][into_id]])
        return restored

    def event_snapshot(self, event_id: int) -> dict:
        """Everything that deleting an event would lose: its row, links, tags, evidence and, for an
        imported event, its origin (format, dataset key, digest), without which importing the dataset
        again would add the restored event a second time instead of updating it."""
        row = self.db.execute("SELECT * FROM events WHERE id = ?", [event_id]).fetchone()
        if not row:
            raise ProjectError(f"no event with id {event_id}")
        cols = [d[0] for d in self.db.execute("SELECT * FROM events LIMIT 0").description]
        q = self.db.execute
        return {
            "event": dict(zip(cols, row)),
            "groups": q("SELECT group_id, role FROM event_groups WHERE event_id = ?", [event_id]).fetchall(),
            "tags": [t for (t,) in q("SELECT t.name FROM event_tags et JOIN tags t ON t.id = et.tag_id "
                                    "WHERE et.event_id = ?", [event_id])],
            "evidence": q("SELECT id, source_id, annotation_id, stance, note FROM event_evidence "
                          "WHERE event_id = ?", [event_id]).fetchall(),
            "origin": q("SELECT origin, key, digest FROM event_origins WHERE event_id = ?", [event_id]).fetchone(),
        }

    def restore_event(self, snapshot: dict) -> Event:
        """Put back an event removed by `delete_event`, with the same uid, links and origin, and its
        id where no other event took it since (an import may have: SQLite gives the highest id
        again), a new one otherwise: callers holding the id take it from the event returned. Where
        its dataset row was imported again since, the other event keeps the origin and this one
        comes back without it (`restore_notes` says so). Refused when an event with its uid is in
        the project already."""
        row = dict(snapshot["event"])
        known = {d[0] for d in self.db.execute("SELECT * FROM events LIMIT 0").description}
        if not row.keys() <= known:
            raise ProjectError(f"not an event snapshot: unknown column(s) {', '.join(sorted(set(row) - known))}")
        if self.event_by_uid(row["uid"]) is not None:
            raise ProjectError(f"“{row['title']}” is in the project already (restored or imported since): "
                               "it is not put back a second time")
        origin = None if self._origin_holder(snapshot) else snapshot.get("origin")
        if self.db.execute("SELECT 1 FROM events WHERE id = ?", [row["id"]]).fetchone():
            row["id"] = None
        with self._write() as db:
            cols = ", ".join(f'"{c}"' for c in row)
            eid = db.execute(f"INSERT INTO events ({cols}) VALUES ({', '.join('?' * len(row))})",
                             list(row.values())).lastrowid
            self._set_links(eid, snapshot["groups"])
            self._set_tags("event", eid, snapshot["tags"])
            for ev_id, source_id, annotation_id, stance, note in snapshot["evidence"]:
                taken = db.execute("SELECT 1 FROM event_evidence WHERE id = ?", [ev_id]).fetchone()
                db.execute("INSERT INTO event_evidence (id, event_id, source_id, annotation_id, stance, note) "
                           "VALUES (?, ?, ?, ?, ?, ?)", [None if taken else ev_id, eid, source_id, annotation_id,
                                                         stance, note])
            if origin:
                db.execute("INSERT INTO event_origins (event_id, origin, key, digest) VALUES (?, ?, ?, ?)",
                           [eid, *origin])
        return self.event(eid)

    def restore_notes(self, snapshot: dict) -> list[str]:
        """What `restore_event` will not put back as it was, in the analyst's words: the dataset
        row the event came from, where another event holds it now (the row imported again)."""
        holder = self._origin_holder(snapshot)
        if holder is None:
            return []
        origin, key, _digest = snapshot["origin"]
        return [f"“{snapshot['event']['title']}” comes back without its link to {origin} row {key}: that row "
                f"was imported again meanwhile as “{holder}”, which later imports will update. Delete one of "
                "the two if they are the same event."]

    def _origin_holder(self, snapshot: dict) -> str | None:
        """The title of the event that holds the snapshot's (origin, key) now, if one does."""
        if not snapshot.get("origin"):
            return None
        origin, key, _digest = snapshot["origin"]
        found = self.db.execute("SELECT e.title FROM event_origins o JOIN events e ON e.id = o.event_id "
                                "WHERE o.origin = ? AND o.key = ?", [origin, key]).fetchone()
        return found[0] if found else None

    @staticmethod
    def _check_span(start: FuzzyDate, end: FuzzyDate | None) -> None:
        if end is not None and end.hi < start.lo:
            raise ProjectError(f"the end ({end.display()}) is before the start ({start.display()})")

    @staticmethod
    def _date_cols(d: FuzzyDate | None) -> list:
        if d is None:
            return [None, None, None, None, 0, 0]
        return [d.text, d.lo_ts, d.hi_ts, d.precision, int(d.approximate), int(d.uncertain)]

    def _set_links(self, event_id: int, links: Iterable) -> None:
        for item in links:
            if isinstance(item, Link):
                ref, role = item.group_id, item.role
            else:
                ref, role = item
            if role not in schema.ROLES:
                raise ProjectError(f"unknown role {role!r} (one of {', '.join(schema.ROLES)})")
            self.db.execute(
                "INSERT OR REPLACE INTO event_groups (event_id, group_id, role) VALUES (?, ?, ?)",
                [event_id, self._group_id(ref), role],
            )

    def _tag_id(self, name: str) -> int:
        self.db.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", [name])
        return self.db.execute("SELECT id FROM tags WHERE name = ?", [name]).fetchone()[0]

    def _set_tags(self, kind: str, owner_id: int, tags: Iterable[str]) -> None:
        table, column = ("event_tags", "event_id") if kind == "event" else ("annotation_tags", "annotation_id")
        for name in tags:
            name = name.strip()
            if name:
                self.db.execute(f"INSERT OR IGNORE INTO {table} ({column}, tag_id) VALUES (?, ?)",
                                [owner_id, self._tag_id(name)])

    def tags(self) -> list[str]:
        return [n for (n,) in self.db.execute("SELECT name FROM tags ORDER BY name COLLATE NOCASE")]

    def event_types(self) -> list[str]:
        return [t for (t,) in self.db.execute(
            "SELECT DISTINCT event_type FROM events WHERE event_type IS NOT NULL ORDER BY event_type")]

    def _events_where(self, where: str = "1", params: Sequence = (), order: str = "start_lo, id",
                      limit: int | None = None) -> list[Event]:
        sql = f"SELECT {EVENT_COLUMNS}, key_event FROM events WHERE {where} ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        rows = self.db.execute(sql, list(params)).fetchall()
        if not rows:
            return []
        ids = [r[0] for r in rows]
        links: dict[int, list[Link]] = {}
        tags: dict[int, list[str]] = {}
        for chunk in chunks(ids, 900):
            marks = ", ".join("?" * len(chunk))
            for eid, gid, role in self.db.execute(
                f"SELECT eg.event_id, eg.group_id, eg.role FROM event_groups eg JOIN groups g "
                f"ON g.id = eg.group_id WHERE eg.event_id IN ({marks}) ORDER BY g.position, g.id", chunk
            ):
                links.setdefault(eid, []).append(Link(gid, role))
            for eid, name in self.db.execute(
                f"SELECT et.event_id, t.name FROM event_tags et JOIN tags t ON t.id = et.tag_id "
                f"WHERE et.event_id IN ({marks}) ORDER BY t.name", chunk
            ):
                tags.setdefault(eid, []).append(name)
        return [_event_from_row(r, links.get(r[0], ()), tags.get(r[0], ())) for r in rows]

    def event(self, event_id: int) -> Event:
        found = self._events_where("id = ?", [event_id])
        if not found:
            raise ProjectError(f"no event with id {event_id}")
        return found[0]

    def event_by_uid(self, uid: str) -> Event | None:
        found = self._events_where("uid = ?", [uid])
        return found[0] if found else None

    def events(self, limit: int | None = None) -> list[Event]:
        return self._events_where(limit=limit)

    def events_in_window(self, lo: int | datetime, hi: int | datetime,
                         group_ids: Iterable[int] | None = None) -> list[Event]:
        """Events whose bounds overlap [lo, hi] (seconds or datetimes), optionally only those
        linked to one of `group_ids`."""
        lo_ts = int(lo.timestamp()) if isinstance(lo, datetime) else int(lo)
        hi_ts = int(hi.timestamp()) if isinstance(hi, datetime) else int(hi)
        where = "start_lo <= ? AND COALESCE(end_hi, start_hi) >= ?"
        params: list = [hi_ts, lo_ts]
        if group_ids is not None:
            gids = list(group_ids)
            if not gids:
                return []
            where += (f" AND id IN (SELECT event_id FROM event_groups WHERE group_id IN "
                      f"({', '.join('?' * len(gids))}))")
            params += gids
        return self._events_where(where, params)

    def event_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM events").fetchone()[0]


def _event_from_row(r: tuple, links, tags) -> Event:
    return Event(
        id=r[0], uid=r[1], title=r[2], description=r[3],
        start=stored_date(*r[4:10]), end=stored_date(*r[10:16]),
        location=r[16], latitude=r[17], longitude=r[18], event_type=r[19], fatalities=r[20],
        created_at=r[21], updated_at=r[22], groups=tuple(links), tags=tuple(tags), key_event=bool(r[23]),
    )
