"""Import of a native document (see db.formats.native): merged into a project, all or nothing.

Import merges: groups by uid, then name; events by uid, then by origin (the same ACLED row
imported by two analysts is one event); other records by uid. The whole document is read and
checked against the project before anything is written (pass one, `Plan`, this module); then only
the records that differ from what is stored are written, in one transaction (pass two,
db.formats.native_write), so a bad file changes nothing and re-importing a project's own export
writes nothing at all. An event's absent or null `attributes`/`origin` keep what is stored (exports
leave them out when empty); every other absent field means "none", as in the exported record (an
absent `key_event` or `summary`: false). Errors name the file, the record and the field.

Memory stays flat at any size: a file is read member by member and record by record, each list once
the lists its records refer to are read (db.formats.native_read); each record's fields are checked
as they are read (db.formats.native_checks); pass one keeps of each record only what later records
refer to (uids, names, ids) and puts the events it will write into a temporary file (`Spool`), a
few thousand at a time, from which pass two writes them a chunk at a time: 100,000 events take
seconds, not a minute, and about 100 MB (the whole document, parsed, took 1 GB).
"""
from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sijill.db.dates import FuzzyDate
from sijill.db.formats.native import FORMAT, KINDS, LISTS, VERSION, ImportReport, NativeImportError
from sijill.db.formats.native_checks import Reader, texts_problem
from sijill.db.formats.native_read import NEEDS, gc_paused, read_file
from sijill.db.formats.native_write import EVENT_VALUES, Spool, write
from sijill.db.store import schema
from sijill.db.store.basics import ProjectError
from sijill.db.store.library import quote_parts
from sijill.db.store.project import Project
from sijill.db.text.rules import NAME_MAX, text_problem

NEW = -1  # the id of a record that pass two will create: equal to nothing stored


def merge_document(project: Project, source: str | os.PathLike | dict) -> ImportReport:
    """Merge a native document (a path or an already loaded dict) into `project`, all or nothing.
    Records equal to what is stored are counted as unchanged and not written."""
    where = "" if isinstance(source, dict) else f"{source}: "
    with Plan(project) as plan:
        try:
            with gc_paused():
                if isinstance(source, dict):
                    plan.check_header(source)
                    for kind in KINDS:
                        plan.read(kind, source.get(kind))
                else:
                    read_file(plan, Path(source))
                plan.finish()
            if plan.writes():
                label = "Import Sijill JSON" + ("" if isinstance(source, dict) else f" file {Path(source).name}")
                with project.batch(label, kind="import"):
                    write(plan)
        except ProjectError as exc:
            raise NativeImportError(f"{where}{exc}") from exc
        return plan.report


@dataclass
class _Rec:
    """A group, period, source or annotation of the document, checked: `id` is the stored record
    it merges into (None: a new one), `values` what it should hold, `changed` whether it differs."""

    r: Reader
    uid: str | None
    id: int | None
    values: dict
    changed: bool = True
    parent: Any = None  # groups: (name or None) when the parent is to be set
    added_at: str | None = None


@dataclass(slots=True)
class _EventIn:
    """An event of the document, checked (kept lean: there may be 100,000)."""

    index: int
    uid: str
    id: int | None
    values: tuple  # title ... fatalities, in the column order of EVENT_VALUES
    tags: list[str]
    links: list[tuple[str, str]]  # (group name or uid, role)
    evidence: list[tuple[str, str | None, str, str | None]]  # (source uid, annotation uid, stance, note)
    attributes: dict | None  # None: keep what is stored
    origin: tuple | None  # (origin, key, digest); None: keep what is stored
    created: str | None
    updated: str | None
    key_event: bool = False
    changed: bool = True


_PERIOD_COLUMNS = ("id, uid, title, start_text, start_lo, start_hi, start_precision, start_approximate, "
                   "start_uncertain, end_text, end_lo, end_hi, end_precision, end_approximate, end_uncertain, "
                   "color, description")
_SOURCE_COLUMNS = ("id, uid, title, outlet, author, url, published_text, published_lo, published_hi, "
                   "published_precision, published_approximate, published_uncertain, language, reliability, "
                   "kind, body, added_at, summary")
_ATTRIBUTES = json.JSONEncoder(ensure_ascii=False)  # how events' attributes are stored (json.dumps, once built)


def _cols(d: FuzzyDate | None) -> tuple:
    return (None, None, None, None, 0, 0) if d is None else (
        d.text, d.lo_ts, d.hi_ts, d.precision, int(d.approximate), int(d.uncertain))



class Plan:
    """Pass one (`check_header`, then `read` for each list in turn, then `finish`) reads the
    document and the records it touches, checks every field and decides for each record: added,
    updated or unchanged. It writes nothing, so a bad record changes nothing. Pass two
    (db.formats.native_write, in the caller's transaction) writes the added and updated records; ids
    of records still to be created are NEW until then. Of unchanged records only their ids are kept."""

    def __init__(self, project: Project) -> None:
        self.p, self.db = project, project.db
        self.report = ImportReport()
        self.header: dict = {}
        self.checked = False
        self.done: set[str] = set()
        self.dates: dict = {}
        self.meta: dict[str, str] = {}
        self.new_tags: list[str] = []
        self.groups: list[_Rec] = []
        self.writes_of: dict[str, list[_Rec]] = {"periods": [], "sources": [], "annotations": []}
        self.spool = Spool()
        self.event_tags: set[str] = set()

    def __enter__(self) -> "Plan":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.spool.close()

    def check_header(self, header: Any) -> None:
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise NativeImportError("not a Sijill native document (its 'format' is not 'sijill')")
        version = header.get("version")
        if type(version) is not int or not 1 <= version <= VERSION:
            raise NativeImportError(f"native document version {header.get('version')!r} is not supported "
                                    f"(this Sijill reads up to {VERSION})")
        for key in LISTS:
            if not isinstance(header.get(key) or [], list):
                raise NativeImportError(f"'{key}' must be a list")
        self.header, self.checked = header, True

    def ready(self, kind: str) -> bool:
        """Whether the records of `kind` can be read now: the header is checked and the lists they
        refer to are read."""
        return self.checked and kind not in self.done and all(k in self.done for k in NEEDS[kind])

    def read(self, kind: str, records: Any) -> None:
        """Read, check and compare the records of one list (an iterable, or the document's value)."""
        if not isinstance(records, (list, Iterator)):
            if records:
                raise NativeImportError(f"'{kind}' must be a list")
            records = []
        getattr(self, f"_{kind}")(records)
        self.done.add(kind)

    def _count(self, kind: str, rec: Any) -> None:
        self.report.count(kind, "added" if rec.id is None else "updated" if rec.changed else "unchanged")

    def finish(self) -> None:
        if not isinstance(self.header.get("tags") or [], list):  # a file's tags may follow the format
            raise NativeImportError("'tags' must be a list")
        self.meta = self._meta()
        stored_tags = {n for (n,) in self.db.execute("SELECT name FROM tags")}
        names = self.header.get("tags") or []
        for j, name in enumerate(names):
            problem = text_problem(name, NAME_MAX) if isinstance(name, str) else None
            if problem:
                raise NativeImportError(f"tags[{j}]: {problem}")
        self.new_tags = sorted({n.strip() for n in names if isinstance(n, str)} - stored_tags - {""})

    def writes(self) -> bool:
        return bool(self.meta or self.new_tags or self.report.added or self.report.updated)

    def _meta(self) -> dict[str, str]:
        """Title and project uid, adopted only by an empty project (see db.formats.native)."""
        uid = self.header.get("project_uid")
        if uid is not None:
            try:
                uid = str(uuid.UUID(uid))
            except (ValueError, TypeError, AttributeError) as exc:
                raise NativeImportError(f"field 'project_uid': {uid!r} is not a UUID") from exc
        title = self.header.get("title")
        problem = text_problem(title, NAME_MAX) if isinstance(title, str) else None
        if problem:
            raise NativeImportError(f"field 'title': {problem}")
        tables = ("groups", "events", "sources", "periods", "annotations", "tags")
        if any(self.db.execute(f"SELECT EXISTS (SELECT 1 FROM {t})").fetchone()[0] for t in tables):
            return {}
        wanted = {"title": title.strip() if isinstance(title, str) else None, "uid": uid}
        return {k: v for k, v in wanted.items() if v and v != self.p.get_meta(k)}

    @staticmethod
    def _once(seen: dict, key: Any, r: Reader, name: str, kind: str, i: int) -> None:
        if key is not None:
            if key in seen:
                raise r.fail(name, f"{key!r} is also that of {kind}[{seen[key]}]")
            seen[key] = i

    # ---- groups --------------------------------------------------------------------------------
    def _groups(self, records: Iterable) -> None:
        rows = {r[0]: r for r in self.db.execute(
            "SELECT id, uid, name, kind, parent_id, color, description, position FROM groups")}
        aliases: dict[int, list] = {}
        for gid, alias, lang in self.db.execute("SELECT group_id, alias, lang FROM group_aliases ORDER BY id"):
            aliases.setdefault(gid, []).append((alias, lang))
        by_uid = {r[1]: r[0] for r in rows.values()}
        by_name = {r[2]: r[0] for r in rows.values()}
        out: list[_Rec] = []
        names: dict = {}
        uids: dict = {}
        claimed: dict = {}
        for i, rec in enumerate(records):
            r = Reader(f"groups[{i}]", rec)
            name, uid = r.get("name", required=True).strip(), r.get("uid")
            self._once(names, name, r, "name", "groups", i)
            self._once(uids, uid, r, "uid", "groups", i)
            alias_list: dict[str, str | None] = {}
            for j, a in enumerate(r.get("aliases", list, default=[])):
                ar = Reader(f"{r.where}.aliases[{j}]", a, inside=True)
                alias_list.setdefault(ar.get("alias", required=True).strip(), ar.get("lang"))
            values = {"name": name, "kind": r.get("kind"), "color": r.get("color"),
                      "description": r.get("description"), "aliases": list(alias_list.items())}
            position = r.get("position", int)
            if position is not None:
                values["position"] = position
            gid = (by_uid.get(uid) if uid else None) or by_name.get(name)
            self._once(claimed, gid, r, "name", "groups", i)
            g = _Rec(r, uid, gid, values)
            if gid is not None:
                row = rows[gid]
                stored = {"name": row[2], "kind": row[3], "color": row[5], "description": row[6],
                          "aliases": aliases.get(gid, []), "position": row[7]}
                g.changed = any(stored[k] != v for k, v in values.items())
            out.append(g)
        keys: dict[str, Any] = {}  # name or uid -> stored id, or ("new", i) for a group pass two creates
        for i, g in enumerate(out):
            for ref in (g.values["name"], g.uid):
                if ref:
                    keys[ref] = ("new", i) if g.id is None else g.id
        for gid, row in rows.items():
            keys.setdefault(row[2], gid)
            keys.setdefault(row[1], gid)
        self.group_ids = {ref: key if isinstance(key, int) else NEW for ref, key in keys.items()}
        parents = {gid: row[4] for gid, row in rows.items()}
        for i, g in enumerate(out):
            if "parent" not in g.r.record:
                continue  # an absent parent keeps the stored one
            parent = g.r.get("parent")
            target = None if parent is None else keys[self._group_ref(g.r, "parent", parent)]
            if target != parents.get(g.id):
                g.parent, g.changed = (parent,), True
            parents[("new", i) if g.id is None else g.id] = target
        for i, g in enumerate(out):
            key, seen = ("new", i) if g.id is None else g.id, set()
            while key is not None and key not in seen:
                seen.add(key)
                key = parents.get(key)
            if key is not None and g.parent is not None:
                raise g.r.fail("parent", f"{g.parent[0]!r} would place the group inside itself")
            self._count("groups", g)
        self.groups = out

    def _group_ref(self, r: Reader, name: str, ref: Any) -> str:
        if not isinstance(ref, str):
            raise r.fail(name, f"expected a group name, found {ref!r}")
        if ref not in self.group_ids:
            raise r.fail(name, f"unknown group {ref!r}")
        return ref

    def _group_id(self, r: Reader, name: str, ref: Any) -> int:
        return self.group_ids[self._group_ref(r, name, ref)]

    # ---- periods, sources, annotations -----------------------------------------------------------
    def _keep(self, kind: str, rec: _Rec) -> None:
        """Count a record, and keep it for pass two if it is to be written."""
        self._count(kind, rec)
        if rec.id is None or rec.changed:
            rec.r.record = {}  # read: pass two needs only its name, for errors
            self.writes_of[kind].append(rec)

    def _periods(self, records: Iterable) -> None:
        rows = {r[1]: r for r in self.db.execute(f"SELECT {_PERIOD_COLUMNS} FROM periods")}
        uids: dict = {}
        for i, rec in enumerate(records):
            r = Reader(f"periods[{i}]", rec)
            values = {"title": r.get("title", required=True).strip(), "start": r.date("start", required=True),
                      "end": r.date("end"), "color": r.get("color"), "description": r.get("description")}
            if values["end"] is not None and values["end"].hi < values["start"].lo:
                raise r.fail("end", "is before the start")
            uid = r.get("uid")
            self._once(uids, uid, r, "uid", "periods", i)
            row = rows.get(uid) if uid else None
            flat = (values["title"], *_cols(values["start"]), *_cols(values["end"]), values["color"],
                    values["description"])
            self._keep("periods", _Rec(r, uid, row and row[0], values, row is None or tuple(row[2:]) != flat))

    def _sources(self, records: Iterable) -> None:
        self.source_ids = {uid: sid for sid, uid in self.db.execute("SELECT id, uid FROM sources")}
        self.bodies: dict[str, str] = {}  # uid -> text, of the sources pass two writes
        self.stored_bodies: dict[str, str] = {}  # a few read for annotations (which come source by source)
        uids: dict = {}
        for i, rec in enumerate(records):
            r = Reader(f"sources[{i}]", rec)
            reliability = r.get("reliability")
            if reliability is not None and reliability not in schema.RELIABILITY:
                raise r.fail("reliability", f"must be one of A–F, not {reliability!r}")
            values = {"title": r.get("title", required=True).strip(), "outlet": r.get("outlet"),
                      "author": r.get("author"), "url": r.get("url"), "published": r.date("published"),
                      "language": r.get("language"), "reliability": reliability, "kind": r.get("kind"),
                      "body": r.get("body", default=""), "summary": r.get("summary", bool, default=False)}
            uid = r.get("uid", required=True)
            self._once(uids, uid, r, "uid", "sources", i)
            added_at = r.get("added_at")
            row = self.db.execute(f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE uid = ?", [uid]).fetchone()
            flat = (values["title"], values["outlet"], values["author"], values["url"], *_cols(values["published"]),
                    values["language"], reliability, values["kind"], values["body"])
            changed = (row is None or tuple(row[2:16]) != flat or bool(added_at and added_at != row[16])
                       or bool(row[17]) != values["summary"])
            self._keep("sources", _Rec(r, uid, row and row[0], values, changed, added_at=added_at))
            self.source_ids[uid] = NEW if row is None else row[0]
            if row is None or changed:
                self.bodies[uid] = values["body"]

    def _body(self, uid: str) -> str:
        if uid in self.bodies:
            return self.bodies[uid]
        if uid not in self.stored_bodies:
            if len(self.stored_bodies) >= 8:
                self.stored_bodies.pop(next(iter(self.stored_bodies)))
            self.stored_bodies[uid] = self.db.execute("SELECT body FROM sources WHERE uid = ?", [uid]).fetchone()[0]
        return self.stored_bodies[uid]

    def _source_uid(self, r: Reader, name: str) -> str:
        uid = r.get(name, required=True)
        if uid not in self.source_ids:
            raise r.fail(name, f"unknown source {uid!r}")
        return uid

    def _annotations(self, records: Iterable) -> None:
        stored = {a.uid: a for a in self.p.annotations()}
        source_uid = {sid: uid for uid, sid in self.source_ids.items() if sid != NEW}
        self.annotation_ids = {uid: a.id for uid, a in stored.items()}
        self.annotation_source = {uid: source_uid.get(a.source_id) for uid, a in stored.items()}
        uids: dict = {}
        for i, rec in enumerate(records):
            r = Reader(f"annotations[{i}]", rec)
            src = self._source_uid(r, "source")
            body = self._body(src)
            quote = r.get("quote", required=True)
            start, end = r.get("start", int), r.get("end", int)
            if start is None or end is None:
                pos = body.find(quote)
                if pos < 0:
                    raise r.fail("quote", f"{quote[:60]!r} is not in the source's text")
                start, end = pos, pos + len(quote)
            if not 0 <= start < end:
                raise r.fail("start", f"characters {start}–{end} are not a passage (0 <= start < end)")
            orphaned = bool(r.get("orphaned", bool, default=False))
            if not orphaned and body[start:end] != quote:
                raise r.fail("start", f"characters {start}–{end} of the source do not hold the quote")
            credibility = r.get("credibility", int)
            if credibility is not None and not 1 <= credibility <= 6:
                raise r.fail("credibility", f"must be 1–6, not {credibility}")
            groups = r.get("groups", list, default=[])
            group_ids = {self._group_id(r, "groups", g) for g in groups}
            prefix, suffix = r.get("prefix"), r.get("suffix")
            if prefix is None or suffix is None:
                _, prefix, suffix = quote_parts(body, start, end)
            uid = r.get("uid", required=True)
            self._once(uids, uid, r, "uid", "annotations", i)
            values = {"source": src, "start": start, "end": end, "quote": quote, "prefix": prefix, "suffix": suffix,
                      "note": r.get("note"), "credibility": credibility, "orphaned": orphaned, "groups": groups,
                      "tags": r.strings("tags"), "created_at": r.get("created_at"), "updated_at": r.get("updated_at")}
            a = stored.get(uid)
            changed = a is None or (
                (a.source_id, a.start, a.end, a.quote, a.prefix, a.suffix, a.note, a.credibility, a.orphaned)
                != (self.source_ids[src], start, end, quote, prefix, suffix, values["note"], credibility, orphaned)
                or set(a.group_ids) != group_ids or set(a.tags) != set(values["tags"])
                or any(values[k] and values[k] != getattr(a, k) for k in ("created_at", "updated_at")))
            self._keep("annotations", _Rec(r, uid, a and a.id, values, changed))
            self.annotation_ids[uid] = NEW if a is None else a.id
            self.annotation_source[uid] = src

    # ---- events: the bulk of a large document, checked one by one and compared in chunks ----------
    def _date(self, r: Reader, name: str, required: bool = False) -> tuple:
        """A date's six column values; dates repeat a lot in large documents, so they are cached."""
        value = r.record.get(name)
        try:
            key = tuple(value.values()) if isinstance(value, dict) else value
            return self.dates[key]
        except (KeyError, TypeError):
            pass
        cols = _cols(r.date(name, required))
        if len(self.dates) > 20_000:
            self.dates.clear()
        try:
            self.dates[key] = cols
        except TypeError:  # an unhashable part: not cached
            pass
        return cols

    def _events(self, records: Iterable) -> None:
        self.stored_events = dict(self.db.execute("SELECT uid, id FROM events"))
        self.by_origin = {(o, k): eid for eid, o, k in
                          self.db.execute("SELECT event_id, origin, key FROM event_origins")}
        self.seen: dict = {}  # uid -> index, origin -> index, stored id -> index: each taken once
        self.origins: dict = {}
        self.claimed: dict = {}
        matched: list[_EventIn] = []
        for i, rec in enumerate(records):
            e = self._event(i, rec)
            if e.id is None:
                self._keep_event(e)
            else:
                matched.append(e)
                if len(matched) == 900:
                    self._compare_events(matched)
                    matched = []
        self._compare_events(matched)
        del self.stored_events, self.by_origin, self.seen, self.origins, self.claimed

    def _event(self, i: int, rec: Any) -> _EventIn:
        r = Reader(f"events[{i}]", rec)
        uid = r.get("uid", required=True)
        r.where = f"events[{i}] ({uid})"
        self._once(self.seen, uid, r, "uid", "events", i)
        links = []
        for j, link in enumerate(r.get("groups", list, default=[])):
            lr = Reader(f"{r.where}.groups[{j}]", link, inside=True)
            role = lr.get("role", default="actor")
            if role not in schema.ROLES:
                raise lr.fail("role", f"unknown role {role!r} (one of {', '.join(schema.ROLES)})")
            ref = lr.get("group", required=True)
            self._group_id(lr, "group", ref)
            links.append((ref, role))
        evidence = []
        for j, ev in enumerate(r.get("evidence", list, default=[])):
            er = Reader(f"{r.where}.evidence[{j}]", ev, inside=True)
            stance = er.get("stance", default="supports")
            if stance not in schema.STANCES:
                raise er.fail("stance", f"unknown stance {stance!r}")
            ann = er.get("annotation")
            if ann is not None and ann not in self.annotation_ids:
                raise er.fail("annotation", f"unknown annotation {ann!r}")
            src = self._source_uid(er, "source")
            if ann is not None and self.annotation_source[ann] != src:
                raise er.fail("annotation", f"{ann!r} is a passage of another source than {src!r}")
            evidence.append((src, ann, stance, er.get("note")))
        fatalities = r.get("fatalities", int)
        latitude, longitude = r.get("latitude", float), r.get("longitude", float)
        if latitude is not None and not -90 <= latitude <= 90:
            raise r.fail("latitude", f"{latitude} is outside -90..90")
        if longitude is not None and not -180 <= longitude <= 180:
            raise r.fail("longitude", f"{longitude} is outside -180..180")
        start, end = self._date(r, "start", required=True), self._date(r, "end")
        if end[2] is not None and end[2] < start[1]:
            raise r.fail("end", "is before the start")
        values = (r.get("title", required=True).strip(), r.get("description"), *start, *end, r.get("location"),
                  latitude, longitude, r.get("event_type"), fatalities)
        origin = None
        if r.record.get("origin") is not None:
            o = Reader(f"{r.where}.origin", r.record["origin"], inside=True)
            origin = (o.get("origin", required=True), o.get("key", required=True), o.get("digest"))
            self._once(self.origins, origin[:2], r, "origin", "events", i)
        eid = self.stored_events.get(uid)
        owner = self.by_origin.get(origin[:2]) if origin else None
        if eid is None:
            eid = owner
        elif owner is not None and owner != eid:
            raise r.fail("origin", f"{origin[0]} {origin[1]!r} is the origin of another event of the project")
        self._once(self.claimed, eid, r, "uid", "events", i)
        attributes = r.get("attributes", dict)
        problem = attributes and texts_problem(attributes)
        if problem:
            raise r.fail("attributes", problem)
        return _EventIn(i, uid, eid, values, r.strings("tags"), links, evidence, attributes,
                        origin, r.get("created_at"), r.get("updated_at"), r.get("key_event", bool, default=False))

    def _keep_event(self, e: _EventIn) -> None:
        """Count an event, and spool it for pass two if it is to be written."""
        self._count("events", e)
        if e.id is None or e.changed:
            attributes = None if e.attributes is None else _ATTRIBUTES.encode(e.attributes)
            self.spool.add((e.index, e.uid, e.id, e.values, e.tags, e.links, e.evidence, attributes, e.origin,
                            e.created, e.updated, int(e.key_event)))
            self.event_tags.update(e.tags)

    def _compare_events(self, matched: list[_EventIn]) -> None:
        """Mark each event that merges into a stored one changed or not, reading the stored rows,
        links, tags, evidence and origins in a few queries; then count and spool them."""
        if not matched:
            return
        rows, links, tags, evidence, origins = {}, {}, {}, {}, {}
        q = self.db.execute
        ids = [e.id for e in matched]
        marks = f"({', '.join('?' * len(ids))})"
        for row in q(f"SELECT id, {', '.join(EVENT_VALUES)}, created_at, updated_at, attributes, key_event "
                     f"FROM events WHERE id IN {marks}", ids):
            rows[row[0]] = row[1:]
        for eid, gid, role in q(f"SELECT event_id, group_id, role FROM event_groups WHERE event_id IN {marks}", ids):
            links.setdefault(eid, {})[gid] = role
        for eid, name in q("SELECT et.event_id, t.name FROM event_tags et JOIN tags t ON t.id = et.tag_id "
                           f"WHERE et.event_id IN {marks}", ids):
            tags.setdefault(eid, set()).add(name)
        for eid, *ev in q("SELECT event_id, source_id, annotation_id, stance, note FROM event_evidence "
                          f"WHERE event_id IN {marks} ORDER BY id", ids):
            evidence.setdefault(eid, []).append(tuple(ev))
        for eid, *origin in q(f"SELECT event_id, origin, key, digest FROM event_origins WHERE event_id IN {marks}",
                              ids):
            origins[eid] = tuple(origin)
        n = len(EVENT_VALUES)
        for e in matched:
            row = rows[e.id]
            e.changed = (
                row[:n] != e.values
                or bool(e.created and e.created != row[n]) or bool(e.updated and e.updated != row[n + 1])
                or (e.attributes is not None and (row[n + 2] is None or json.loads(row[n + 2]) != e.attributes))
                or bool(row[n + 3]) != e.key_event
                or (e.origin is not None and origins.get(e.id) != e.origin)
                or set(e.tags) != tags.get(e.id, set())
                or {self.group_ids[ref]: role for ref, role in e.links} != links.get(e.id, {})
                or [(self.source_ids[s], self.annotation_ids[a] if a else None, st, note)
                    for s, a, st, note in e.evidence] != evidence.get(e.id, []))
            self._keep_event(e)
