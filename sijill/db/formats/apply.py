"""Write a stream of imported records into a project: one transaction, all or nothing.

`run_import(project, reader, ...)` reads the records a format's reader yields (see
`sijill.db.formats.records`) and writes them as they come, in batches of `executemany`, inside one
transaction. A bad row does not stop the reading (every bad row is listed, up to 50, then a
count) but stops the writing, and at the end the transaction is rolled back: the project is as it
was. A dry run and a cancel roll back the same way. One pass over the file, so a 100,000-row
file is read once and never held whole.

Identity: an event with a dataset key (ACLED's event_id_cnty) is found again through
`event_origins` (format, key) and updated in place; an unchanged row (same digest) is skipped by
the reader before its dates are even read. Groups are found by name and alias through
`sijill.db.formats.actors`; sources by URL, else by outlet and title.
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Protocol

from sijill.db.store import schema
from sijill.db.store.bulk import EVENT_COLUMNS
from sijill.db.store.basics import ProjectError, new_uid, now_iso
from sijill.db.dates import FuzzyDate
from sijill.db.formats.actors import NEW_GROUP, ActorMatcher, new_group_name, remembered_map
from sijill.db.formats.records import (MAX_LISTED_ERRORS, EventRecord, GroupRecord, ImportCancelled, ImportFailed,
                                ImportResult, PeriodRecord, RowError, SourceRef, Unchanged)
from sijill.db.text.rules import NAME_MAX, NOTE_MAX, all_clean, field_problem, text_problem

FLUSH_EVERY = 2000
_LABELS = {"acled": "ACLED", "csv": "CSV", "timelinejs": "TimelineJS", "timeline-xml": "Timeline"}


class Reader(Protocol):
    """What a format's reader offers `run_import` and the import dialog."""

    format: str
    path: Path
    # Optional `keeps`: what the format cannot carry, so that an event it updates keeps its own —
    # "location", "coordinates", "event_type", "fatalities", "tags", "attributes" (the file's merged
    # in), "groups" (the file's added beside the event's links) and "evidence" (a source the event
    # cites already is not cited twice). Without it, a record is the whole event.

    def records(self) -> Iterator[EventRecord | GroupRecord | PeriodRecord | Unchanged | RowError]: ...

    def fraction(self) -> float: ...


def _fresh_uids() -> Iterator[str]:
    """Random (version 4) UUIDs as text, made from one read of the system's random source per 1,024
    of them: uuid.uuid4() per event was a twentieth of a 100,000-row import."""
    while True:
        raw = os.urandom(16 * 1024).hex()
        for i in range(0, len(raw), 32):
            h = raw[i:i + 32]
            yield f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def stored_digests(project, fmt: str) -> dict[str, str]:
    """key -> digest of every event imported from `fmt`, for readers to skip unchanged rows."""
    return dict(project.db.execute("SELECT key, digest FROM event_origins WHERE origin = ?", [fmt]).fetchall())


def run_import(project, reader: Reader, *, actor_map: dict[str, str] | None = None, dry_run: bool = False,
               progress: Callable[[float], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> ImportResult:
    """Import what `reader` yields. `actor_map` (actor -> group name, or "" for a new group of
    its own) overrides the automatic and remembered matches. Raises ImportFailed (nothing
    written) listing the bad rows, ImportCancelled when `cancelled()` turns true."""
    result = ImportResult(format=reader.format, path=str(reader.path), dry_run=dry_run)
    errors: list[RowError] = []
    total_errors = 0
    # A large import rewrites index pages again and again: a bigger page cache for its duration
    # (128 MB at most, given back after) takes the events' insert from 1.4 s to 0.8 s at 100,000.
    cache = project.db.execute("PRAGMA cache_size").fetchone()[0]
    project.db.execute("PRAGMA cache_size = -131072")
    try:
        return _run(project, reader, result, errors, actor_map, dry_run, progress, cancelled)
    finally:
        project.db.execute(f"PRAGMA cache_size = {int(cache)}")


def _run(project, reader, result, errors, actor_map, dry_run, progress, cancelled) -> ImportResult:
    total_errors = 0
    try:
        estimate = getattr(reader, "estimated_rows", None)
        expected = estimate() if callable(estimate) else 0
        large = expected >= 20_000 and expected >= project.event_count()
        label = f"Import {reader.format} file {Path(str(reader.path)).name}"
        with project.batch(label, kind="import"), project.indexing_new_events_at_end(rebuild_indexes=large) as first_id:
            writer = _Writer(project, reader.format, result, actor_map, first_id, getattr(reader, "keeps", ()))
            for n, record in enumerate(reader.records(), start=1):
                if not isinstance(record, (RowError, Unchanged)) and not getattr(record, "checked", False):
                    record = text_error(record) or record
                if isinstance(record, RowError):
                    total_errors += 1
                    if len(errors) < MAX_LISTED_ERRORS:
                        errors.append(record)
                elif not total_errors:
                    writer.write(record)
                if n % 500 == 0:
                    if cancelled is not None and cancelled():
                        raise ImportCancelled()
                    if progress is not None:
                        progress(reader.fraction())
            if total_errors:
                raise ImportFailed(reader.path, errors, total_errors)
            writer.flush()
            if cancelled is not None and cancelled():
                raise ImportCancelled()
            if dry_run:
                raise _DryRun()
    except _DryRun:
        pass
    if progress is not None:
        progress(1.0)
    return result


def text_error(record: EventRecord | GroupRecord | PeriodRecord) -> RowError | None:
    """The RowError of a record holding a text that cannot be stored (see db.text_rules: control
    characters, lone surrogates, sizes), naming its row and field; None when all is well. The one
    check every exchange format's records pass through before they are written."""
    row = getattr(record, "row", None)
    texts: list[tuple[str, object, int | None]] = []  # (field, value, limit or None: by the field's name)
    if isinstance(record, EventRecord):
        texts += [("title", record.title, None), ("description", record.description, None),
                  ("location", record.location, None), ("event_type", record.event_type, None),
                  ("key", record.key, None)]
        texts += [("start", record.start.text, NAME_MAX)]
        if record.end is not None:
            texts.append(("end", record.end.text, NAME_MAX))
        texts += [("actors", actor, NAME_MAX) for actor, _role in record.actors]
        texts += [("tags", tag, NAME_MAX) for tag in record.tags]
        for ref in record.sources:
            texts += [("source", ref.title, NAME_MAX), ("source", ref.outlet, NAME_MAX),
                      ("source", ref.url, NAME_MAX), ("source", ref.note, NOTE_MAX)]
        attributes = record.attributes
        if isinstance(attributes, dict):
            for key, value in attributes.items():
                texts += [("attributes", key, NAME_MAX), ("attributes", value, NOTE_MAX)]
        elif isinstance(attributes, str):
            texts.append(("attributes", attributes, NOTE_MAX))
    elif isinstance(record, GroupRecord):
        texts += [("name", record.name, None), ("parent", record.parent, None), ("kind", record.kind, None),
                  ("description", record.description, None)]
        texts += [("aliases", alias, NAME_MAX) for alias, _lang in record.aliases]
    elif isinstance(record, PeriodRecord):
        texts += [("title", record.title, None), ("description", record.description, None),
                  ("start", record.start.text, NAME_MAX)]
        if record.end is not None:
            texts.append(("end", record.end.text, NAME_MAX))
    if all_clean([value for _field, value, _limit in texts if value.__class__ is str]):
        return None  # one search for the whole record (a search per text was an eighth of an import)
    for field, value, limit in texts:
        if isinstance(value, str):
            problem = field_problem(field, value) if limit is None else text_problem(value, limit)
            if problem:
                return RowError(row, field, problem)
    return None


class _Writer:
    """Buffers rows of one import and writes them with executemany (caller's transaction)."""

    def __init__(self, project, fmt: str, result: ImportResult, actor_map: dict[str, str] | None,
                 first_id: int, keeps: Iterable[str] = ()) -> None:
        self.p = project
        self.db = project.db
        self.fmt = fmt
        self.keeps = frozenset(keeps)  # what an updated event keeps of its own (see Reader.keeps)
        self.result = result
        self.stamp = now_iso()
        groups = project.groups()
        self.group_ids = {g.name: g.id for g in groups}
        self.matcher = ActorMatcher(groups, {**remembered_map(project), **(actor_map or {})})
        self.actor_ids: dict[str, int] = {}
        self.next_id = first_id
        self.origins = {k: (eid, d) for k, eid, d in self.db.execute(
            "SELECT key, event_id, digest FROM event_origins WHERE origin = ?", [fmt])}
        self.sources: dict[tuple, int] = {}
        for sid, title, outlet, url, kind in self.db.execute("SELECT id, title, outlet, url, kind FROM sources"):
            self.sources.setdefault(self._source_key(title, outlet, url, kind), sid)
        self.tag_ids = dict(self.db.execute("SELECT name, id FROM tags").fetchall())
        self.date_cols: dict[int, tuple[FuzzyDate, list]] = {}
        self.uids = _fresh_uids()
        self.events: list[list] = []
        self.links: list[tuple] = []
        self.tags: list[tuple] = []
        self.evidence: list[tuple] = []
        self.origin_rows: list[tuple] = []

    # ---- records ---------------------------------------------------------------------------
    def write(self, record) -> None:
        if isinstance(record, EventRecord):
            self._event(record)
        elif isinstance(record, Unchanged):
            self.result.unchanged += 1
        elif isinstance(record, GroupRecord):
            self._group(record)
        elif isinstance(record, PeriodRecord):
            self._period(record)
        if len(self.events) >= FLUSH_EVERY:
            self.flush()

    def _group(self, rec: GroupRecord) -> None:
        existing = rec.name if rec.name in self.group_ids else self.matcher.match(rec.name)
        if existing is not None and existing in self.group_ids:  # by name or by alias
            self.result.groups_matched[rec.name] = existing
            self.group_ids.setdefault(rec.name, self.group_ids[existing])
            return
        parent = self.group_ids.get(rec.parent) if rec.parent else None
        group = self.p.create_group(rec.name, kind=rec.kind, parent=parent, color=rec.color,
                                    description=rec.description, aliases=rec.aliases)
        self._new_group(group)

    def _new_group(self, group) -> None:
        self.group_ids[group.name] = group.id
        self.matcher.names.add(group.name)
        self.result.groups_created.append(group.name)

    def _period(self, rec: PeriodRecord) -> None:
        row = self.db.execute("SELECT id FROM periods WHERE title = ? AND start_lo = ?",
                              [rec.title, rec.start.lo_ts]).fetchone()
        if row:
            self.p.update_period(row[0], title=rec.title, start=rec.start, end=rec.end,
                                 color=rec.color, description=rec.description)
        else:
            self.p.create_period(rec.title, rec.start, rec.end, color=rec.color, description=rec.description)
            self.result.periods_added += 1

    def group_id(self, actor: str) -> int:
        """The group an actor name lands in, creating it (with the name as an alias) if none."""
        gid = self.actor_ids.get(actor)
        if gid is not None:
            return gid
        chosen = self.matcher.remembered.get(actor)
        name = None if chosen == NEW_GROUP else self.matcher.match(actor)
        if name is not None and name in self.group_ids:
            gid = self.group_ids[name]
            self.result.groups_matched[actor] = name
        else:
            name = new_group_name(actor)
            if name in self.group_ids:
                gid = self.group_ids[name]
            else:
                aliases = [(actor, None)] if actor != name else []
                group = self.p.create_group(name, aliases=aliases)
                self._new_group(group)
                gid = group.id
            self.result.groups_matched[actor] = name
        self.actor_ids[actor] = gid
        return gid

    @staticmethod
    def _source_key(title, outlet, url, kind) -> tuple:
        return ("url", url) if url else ("outlet", kind or "", outlet or "", title)

    def source_id(self, ref: SourceRef) -> int:
        key = self._source_key(ref.title, ref.outlet, ref.url, ref.kind)
        sid = self.sources.get(key)
        if sid is None:
            pub = self._cols(ref.published)
            sid = self.db.execute(
                "INSERT INTO sources (uid, title, outlet, url, published_text, published_lo, published_hi, "
                "published_precision, published_approximate, published_uncertain, kind, body, added_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?)",
                [new_uid(), ref.title, ref.outlet, ref.url, *pub, ref.kind, self.stamp]).lastrowid
            self.sources[key] = sid
            self.result.sources_added += 1
        return sid

    def _cols(self, d: FuzzyDate | None) -> list:
        if d is None:
            return [None, None, None, None, 0, 0]
        # Readers hand the same FuzzyDate object for the same text: key by identity (hashing a
        # date's six fields per row cost more than the lookup saves); the date is kept alive here.
        found = self.date_cols.get(id(d))
        if found is None or found[0] is not d:
            found = self.date_cols[id(d)] = (d, [d.text, d.lo_ts, d.hi_ts, d.precision, int(d.approximate),
                                                 int(d.uncertain)])
        return found[1]

    def _event(self, rec: EventRecord) -> None:
        start, end = self._cols(rec.start), self._cols(rec.end)
        if rec.end is not None and end[2] < start[1]:
            raise ProjectError(f"row {rec.row}: the end is before the start")  # readers check this first
        attributes = rec.attributes
        if isinstance(attributes, dict):
            attributes = json.dumps(attributes, ensure_ascii=False, sort_keys=True) if attributes else None
        known = self.origins.get(rec.key) if rec.key is not None else None
        if known is None and rec.uid is not None:  # an event this project already has (a round trip)
            row = self.db.execute("SELECT id FROM events WHERE uid = ?", [rec.uid]).fetchone()
            if row is not None:
                known = (row[0], None)
        own: dict[str, set[int]] = {}  # what an updated event keeps: its links, tags and cited sources
        if known is not None:
            eid = known[0]
            fields = [rec.location, rec.latitude, rec.longitude, rec.event_type, rec.fatalities, attributes]
            if self.keeps:
                fields, own = self._kept(eid, fields, rec)
            self.db.execute(
                "UPDATE events SET title = ?, description = ?, start_text = ?, start_lo = ?, start_hi = ?, "
                "start_precision = ?, approximate = ?, uncertain = ?, end_text = ?, end_lo = ?, end_hi = ?, "
                "end_precision = ?, end_approximate = ?, end_uncertain = ?, location = ?, latitude = ?, "
                "longitude = ?, event_type = ?, fatalities = ?, attributes = ?, updated_at = ? WHERE id = ?",
                [rec.title, rec.description, *start, *end, *fields, self.stamp, eid])
            if "groups" not in self.keeps:
                self.db.execute("DELETE FROM event_groups WHERE event_id = ?", [eid])
            if "tags" not in self.keeps:
                self.db.execute("DELETE FROM event_tags WHERE event_id = ?", [eid])
            self.db.execute("DELETE FROM event_evidence WHERE event_id = ? AND annotation_id IS NULL AND note = ?",
                            [eid, self._evidence_note(rec)])
            if "evidence" in self.keeps:
                own["sources"] = {sid for (sid,) in self.db.execute(
                    "SELECT source_id FROM event_evidence WHERE event_id = ?", [eid])}
            origin = self.db.execute("SELECT origin FROM event_origins WHERE event_id = ?", [eid]).fetchone()
            # An event has one origin: one found by its uid keeps the dataset it came from (an ACLED
            # event read back from our own CSV export stays ACLED's, for ACLED's next update).
            if rec.key is not None and (origin is None or origin[0] == self.fmt):
                self.db.execute("INSERT OR REPLACE INTO event_origins (event_id, origin, key, digest) "
                                "VALUES (?, ?, ?, ?)", [eid, self.fmt, rec.key, rec.digest])
                self.origins[rec.key] = (eid, rec.digest)
            self.result.updated += 1
        else:
            eid = self.next_id
            self.next_id += 1
            self.events.append([eid, rec.uid or next(self.uids), rec.title, rec.description, *start, *end,
                                rec.location, rec.latitude, rec.longitude, rec.event_type, rec.fatalities,
                                self.stamp, self.stamp, attributes])
            if rec.key is not None:
                self.origin_rows.append((eid, self.fmt, rec.key, rec.digest))
                self.origins[rec.key] = (eid, rec.digest)
            self.result.added += 1
        seen: set[int] = set(own.get("groups", ()))
        for actor, role in rec.actors:
            if role not in schema.ROLES:
                raise ProjectError(f"row {rec.row}: unknown role {role!r}")
            gid = self.group_id(actor)
            if gid not in seen:  # the first role given wins (actor before associated)
                seen.add(gid)
                self.links.append((eid, gid, role))
        if rec.tags:
            for name in dict.fromkeys(rec.tags):
                tid = self.tag_ids.get(name)
                if tid is None:
                    tid = self.tag_ids[name] = self.db.execute("INSERT INTO tags (name) VALUES (?)",
                                                               [name]).lastrowid
                if tid not in own.get("tags", ()):
                    self.tags.append((eid, tid))
        if rec.sources:
            note = self._evidence_note(rec)
            for sid, stance in {self.source_id(ref): ref.stance for ref in rec.sources}.items():
                if sid not in own.get("sources", ()):
                    self.evidence.append((eid, sid, stance, note))

    def _kept(self, eid: int, fields: list, rec: EventRecord) -> tuple[list, dict[str, set[int]]]:
        """The place, coordinates, type, toll and attributes an updated event keeps where the format
        does not carry them (`keeps`), and the links and tags it keeps."""
        stored = self.db.execute("SELECT location, latitude, longitude, event_type, fatalities, attributes "
                                 "FROM events WHERE id = ?", [eid]).fetchone() or (None,) * 6
        fields = list(fields)
        for name, at in (("location", (0,)), ("coordinates", (1, 2)), ("event_type", (3,)), ("fatalities", (4,))):
            if name in self.keeps:
                for i in at:
                    fields[i] = stored[i]
        if "attributes" in self.keeps and stored[5]:
            try:
                merged = json.loads(stored[5])
            except json.JSONDecodeError:
                merged = None
            if isinstance(merged, dict):
                extra = rec.attributes if isinstance(rec.attributes, dict) else (
                    json.loads(rec.attributes) if rec.attributes else {})
                merged.update(extra)
                fields[5] = json.dumps(merged, ensure_ascii=False, sort_keys=True)
            else:
                fields[5] = stored[5] if fields[5] is None else fields[5]
        own: dict[str, set[int]] = {}
        if "groups" in self.keeps:
            own["groups"] = {gid for (gid,) in self.db.execute("SELECT group_id FROM event_groups WHERE event_id = ?",
                                                               [eid])}
        if "tags" in self.keeps:
            own["tags"] = {tid for (tid,) in self.db.execute("SELECT tag_id FROM event_tags WHERE event_id = ?",
                                                             [eid])}
        return fields, own

    def _evidence_note(self, rec: EventRecord) -> str | None:
        """"ACLED IRQ12345": where an imported event's evidence came from, and what a re-import
        replaces (evidence the analyst pinned to a passage is never touched)."""
        return f"{_LABELS.get(self.fmt, self.fmt)} {rec.key}" if rec.key else None

    def flush(self) -> None:
        c = self.db.conn
        if self.events:
            c.executemany(f"INSERT INTO events ({EVENT_COLUMNS}, attributes) VALUES ({', '.join('?' * 24)})",
                          self.events)
        if self.origin_rows:
            c.executemany("INSERT INTO event_origins (event_id, origin, key, digest) VALUES (?, ?, ?, ?)",
                          self.origin_rows)
        if self.links:
            c.executemany("INSERT INTO event_groups (event_id, group_id, role) VALUES (?, ?, ?)", self.links)
        if self.tags:
            c.executemany("INSERT INTO event_tags (event_id, tag_id) VALUES (?, ?)", self.tags)
        if self.evidence:
            c.executemany("INSERT INTO event_evidence (event_id, source_id, stance, note) VALUES (?, ?, ?, ?)",
                          self.evidence)
        for buffer in (self.events, self.origin_rows, self.links, self.tags, self.evidence):
            buffer.clear()


def dry_run(project, action: Callable):
    """`action(project)`'s result, with everything it wrote rolled back (a check of a file by the
    importer that would import it: same validation, nothing kept)."""
    outcome = []
    try:
        with project.batch():
            outcome.append(action(project))
            raise _DryRun()
    except _DryRun:
        pass
    return outcome[0]


def actor_preview(project, actors: Iterable[str], actor_map: dict[str, str] | None = None) -> dict[str, str | None]:
    """actor -> the group it would land in (None: a new group named after it), for the dialog."""
    matcher = ActorMatcher(project.groups(), {**remembered_map(project), **(actor_map or {})})
    out = {}
    for actor in actors:
        chosen = matcher.remembered.get(actor)
        out[actor] = None if chosen == NEW_GROUP else matcher.match(actor)
    return out
