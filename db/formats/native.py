"""The native format: one JSON document holding a whole project, with uids, that round-trips.

Export writes every record with its uid and every date with its text, bounds and precision, in
an order that depends on the records' content only, never on row ids, so that a project exported,
imported into a new file and exported again gives the same bytes, and two analysts' exports diff
cleanly: groups in tree order (parents first, siblings by lane position, then name); periods by
start, then uid; sources by publication date (undated last), then uid; annotations by their
source's place in that list, then offsets, then uid; events by start, then uid. Inside a record,
links follow the group order and tags the alphabet; aliases and evidence keep the order they were
entered in (import writes them in document order, so that order survives too). An event carries
its dataset `attributes` and `origin` (format, key, digest) only when it has them.

Identity: `project_uid` is the exporting project's uid. Import adopts it, and the title, only
into an empty project (a new file: restoring an export is then the same as copying the file,
which keeps the uid too); a project that holds anything keeps its own uid and title.

Import merges: groups by uid, then name; events by uid, then by origin (the same ACLED row
imported by two analysts is one event); other records by uid. The whole document is read and
checked against the project before anything is written (pass one, `_Plan`); then only the
records that differ from what is stored are written, in one transaction (pass two), so a bad
file changes nothing and re-importing a project's own export writes nothing at all. Events are
written in bulk (staged, then copied in one statement each): 100,000 take seconds, not a minute.
An event's absent or null `attributes`/`origin` keep what is stored (exports leave them out when
empty); every other absent field means "none", as in the exported record. Errors name the file,
the record and the field.
"""
from __future__ import annotations

import gc
import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from db import schema
from db.bulk import EVENT_COLUMNS, chunks
from db.common import ProjectError, now_iso, write_json
from db.dates import PRECISIONS, DateParseError, FuzzyDate, parse_fuzzy
from db.library import quote_parts
from db.models import Annotation, Source
from db.project import Project

FORMAT = "sijill"
VERSION = 2  # 2 adds project_uid and events' attributes and origin; version 1 documents still read
KINDS = ("groups", "periods", "sources", "annotations", "events")
NEW = -1  # the id of a record that pass two will create: equal to nothing stored


class NativeImportError(ProjectError):
    """A native document cannot be imported; the message names the file, record and field."""


@dataclass
class ImportReport:
    """Records per kind ("events", "sources"...) added, updated and found unchanged (not written)."""

    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, status: str) -> None:
        counts = getattr(self, status)
        counts[kind] = counts.get(kind, 0) + 1


def record_count(doc: dict) -> int:
    """Records in a native document: groups, periods, sources, annotations and events (tags are
    names those records carry). Equals the sum of an import's added, updated and unchanged."""
    return sum(len(doc.get(kind) or ()) for kind in KINDS)


# ---- export -----------------------------------------------------------------------------------
def date_to_json(d: FuzzyDate | None) -> dict | None:
    if d is None:
        return None
    return {"text": d.text, "lo": d.lo.isoformat(), "hi": d.hi.isoformat(), "precision": d.precision,
            "approximate": d.approximate, "uncertain": d.uncertain}


def export_native(project: Project, path: str | os.PathLike | None = None) -> dict:
    """The whole project as a native document; written to `path` (UTF-8) when given."""
    groups = project.groups()
    by_id = {g.id: g for g in groups}
    rank = {g.id: i for i, g in enumerate(groups)}
    sources, annotations = ordered_annotations(project)
    source_uid = {s.id: s.uid for s in sources}
    annotation_uid = {a.id: a.uid for a in annotations}
    evidence: dict[int, list] = {}
    for ev in project.all_evidence():
        evidence.setdefault(ev.event_id, []).append(ev)
    extras = _event_extras(project)
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "title": project.title,
        "project_uid": project.uid,
        "groups": [{
            "uid": g.uid, "name": g.name, "kind": g.kind,
            "parent": by_id[g.parent_id].name if g.parent_id in by_id else None,
            "color": g.color, "description": g.description, "position": g.position,
            "aliases": [{"alias": a.alias, "lang": a.lang} for a in g.aliases],
        } for g in groups],
        "tags": sorted(project.tags(), key=lambda t: (t.casefold(), t)),
        "periods": [{
            "uid": p.uid, "title": p.title, "start": date_to_json(p.start), "end": date_to_json(p.end),
            "color": p.color, "description": p.description,
        } for p in sorted(project.periods(), key=lambda p: (p.start.lo_ts, p.uid))],
        "sources": [{
            "uid": s.uid, "title": s.title, "outlet": s.outlet, "author": s.author, "url": s.url,
            "published": date_to_json(s.published), "language": s.language, "reliability": s.reliability,
            "kind": s.kind, "body": s.body, "added_at": s.added_at,
        } for s in sources],
        "annotations": [{
            "uid": a.uid, "source": source_uid[a.source_id], "start": a.start, "end": a.end,
            "quote": a.quote, "prefix": a.prefix, "suffix": a.suffix, "note": a.note,
            "credibility": a.credibility, "orphaned": a.orphaned,
            "groups": [by_id[g].name for g in sorted(a.group_ids, key=rank.__getitem__)], "tags": list(a.tags),
            "created_at": a.created_at, "updated_at": a.updated_at,
        } for a in annotations],
        "events": [],
    }
    for e in sorted(project.events(), key=lambda e: (e.start.lo_ts, e.uid)):
        record = {
            "uid": e.uid, "title": e.title, "description": e.description,
            "start": date_to_json(e.start), "end": date_to_json(e.end),
            "location": e.location, "latitude": e.latitude, "longitude": e.longitude,
            "event_type": e.event_type, "fatalities": e.fatalities,
            "groups": [{"group": by_id[link.group_id].name, "role": link.role}
                       for link in sorted(e.groups, key=lambda link: rank[link.group_id])],
            "tags": list(e.tags),
            "evidence": [{
                "source": source_uid[ev.source_id],
                "annotation": annotation_uid.get(ev.annotation_id) if ev.annotation_id else None,
                "stance": ev.stance, "note": ev.note,
            } for ev in evidence.get(e.id, ())],
        }
        record.update(extras.get(e.id, {}))
        record.update(created_at=e.created_at, updated_at=e.updated_at)
        doc["events"].append(record)
    if path is not None:
        write_json(path, doc)
    return doc


def ordered_annotations(project: Project) -> tuple[list[Source], list[Annotation]]:
    """Sources by publication date (undated last), then uid; annotations by their source's place
    in that list, then offsets, then uid. The order of both exports, independent of row ids."""
    sources = sorted(project.sources(), key=lambda s: (s.published is None,
                                                       s.published.lo_ts if s.published else 0, s.uid))
    rank = {s.id: i for i, s in enumerate(sources)}
    return sources, sorted(project.annotations(), key=lambda a: (rank[a.source_id], a.start, a.end, a.uid))


def _event_extras(project: Project) -> dict[int, dict]:
    """event id -> {"attributes": {...}, "origin": {...}} for the events that have either."""
    out: dict[int, dict] = {}
    for eid, uid, attributes, origin, key, digest in project.db.execute(
            "SELECT e.id, e.uid, e.attributes, o.origin, o.key, o.digest FROM events e "
            "LEFT JOIN event_origins o ON o.event_id = e.id WHERE e.attributes IS NOT NULL OR o.event_id IS NOT NULL"):
        extra: dict[str, Any] = {}
        if attributes is not None:
            try:
                extra["attributes"] = json.loads(attributes)
            except ValueError as exc:
                raise ProjectError(f"event {uid}: its stored attributes are not JSON ({exc})") from exc
        if origin is not None:
            extra["origin"] = {"origin": origin, "key": key, **({"digest": digest} if digest is not None else {})}
        out[eid] = extra
    return out


# ---- reading a document -------------------------------------------------------------------------
class _Reader:
    """Reads fields of one record, raising NativeImportError that names record and field."""

    def __init__(self, where: str, record: Any) -> None:
        if not isinstance(record, dict):
            raise NativeImportError(f"{where}: expected an object, found {type(record).__name__}")
        self.where = where
        self.record = record

    def fail(self, name: str, message: str) -> NativeImportError:
        return NativeImportError(f"{self.where}, field '{name}': {message}")

    def get(self, name: str, kind: type | tuple = str, required: bool = False, default: Any = None) -> Any:
        value = self.record.get(name)
        if value is None:
            if required:
                raise self.fail(name, "is missing")
            return default
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            raise self.fail(name, f"expected {names}, found {type(value).__name__} {value!r}")
        if required and kind is str and not value.strip():
            raise self.fail(name, "is empty")
        return value

    def strings(self, name: str) -> list[str]:
        """A list of texts (tags), stripped, empty ones left out; anything else in it is an error."""
        values = self.get(name, list, default=[])
        for j, value in enumerate(values):
            if not isinstance(value, str):
                raise self.fail(name, f"item {j} should be a text, found {type(value).__name__} {value!r}")
        return [v.strip() for v in values if v.strip()]

    def date(self, name: str, required: bool = False) -> FuzzyDate | None:
        value = self.record.get(name)
        if value in (None, ""):
            if required:
                raise self.fail(name, "is missing")
            return None
        try:
            if isinstance(value, str):
                return parse_fuzzy(value)
            if isinstance(value, dict):
                lo = datetime.fromisoformat(value["lo"]).astimezone(timezone.utc)
                hi = datetime.fromisoformat(value["hi"]).astimezone(timezone.utc)
                if value.get("precision") not in PRECISIONS:
                    raise ValueError(f"unknown precision {value.get('precision')!r}")
                if lo > hi:
                    raise ValueError("lo is after hi")
                return FuzzyDate(str(value.get("text") or ""), lo, hi, value["precision"],
                                 bool(value.get("approximate")), bool(value.get("uncertain")))
        except DateParseError as exc:
            raise self.fail(name, str(exc)) from exc
        except (KeyError, TypeError, ValueError) as exc:
            raise self.fail(name, f"not a date ({exc})") from exc
        raise self.fail(name, f"expected a date text or object, found {type(value).__name__}")


def load_document(path: str | os.PathLike) -> dict:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise NativeImportError(f"{path}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise NativeImportError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NativeImportError(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from exc
    return doc


def import_native(project: Project, source: str | os.PathLike | dict) -> ImportReport:
    """Merge a native document (a path or an already loaded dict) into `project`, all or nothing.
    Records equal to what is stored are counted as unchanged and not written."""
    where = "" if isinstance(source, dict) else f"{source}: "
    with _gc_paused():
        doc = source if isinstance(source, dict) else load_document(source)
        plan = _plan(project, doc, where)
    try:
        if plan.writes():
            with project.batch():
                plan.write()
    except ProjectError as exc:
        raise NativeImportError(f"{where}{exc}") from exc
    return plan.report


def _plan(project: Project, doc: Any, where: str) -> "_Plan":
    try:
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise NativeImportError("not a Sijill native document (its 'format' is not 'sijill')")
        if not isinstance(doc.get("version"), int) or doc["version"] > VERSION:
            raise NativeImportError(f"native document version {doc.get('version')!r} is not supported "
                                    f"(this Sijill reads up to {VERSION})")
        for key in ("groups", "tags", "periods", "sources", "annotations", "events"):
            if not isinstance(doc.get(key) or [], list):
                raise NativeImportError(f"'{key}' must be a list")
        return _Plan(project, doc)
    except ProjectError as exc:
        raise NativeImportError(f"{where}{exc}") from exc


# ---- import, pass one: read, check and compare; pass two: write what differs ---------------------
@dataclass
class _Rec:
    """A group, period, source or annotation of the document, checked: `id` is the stored record
    it merges into (None: a new one), `values` what it should hold, `changed` whether it differs."""

    r: _Reader
    uid: str | None
    id: int | None
    values: dict
    changed: bool = True
    parent: Any = None  # groups: (name or None) when the parent is to be set
    added_at: str | None = None


@dataclass
class _EventIn:
    """An event of the document, checked (kept lean: there may be 100,000)."""

    index: int
    uid: str
    id: int | None
    values: tuple  # title ... fatalities, in the column order of _EVENT_VALUES
    tags: list[str]
    links: list[tuple[str, str]]  # (group name or uid, role)
    evidence: list[tuple[str, str | None, str, str | None]]  # (source uid, annotation uid, stance, note)
    attributes: dict | None  # None: keep what is stored
    origin: tuple | None  # (origin, key, digest); None: keep what is stored
    created: str | None
    updated: str | None
    changed: bool = True


_EVENT_VALUES = EVENT_COLUMNS.split(", ")[2:21]  # title ... fatalities
_UPDATE_EVENT = (f"UPDATE events SET {', '.join(f'{c} = ?' for c in _EVENT_VALUES)}, "
                 "created_at = COALESCE(?, created_at), updated_at = ?, "
                 "attributes = CASE WHEN ? THEN attributes ELSE ? END WHERE id = ?")
_PERIOD_COLUMNS = ("id, uid, title, start_text, start_lo, start_hi, start_precision, start_approximate, "
                   "start_uncertain, end_text, end_lo, end_hi, end_precision, end_approximate, end_uncertain, "
                   "color, description")
_SOURCE_COLUMNS = ("id, uid, title, outlet, author, url, published_text, published_lo, published_hi, "
                   "published_precision, published_approximate, published_uncertain, language, reliability, "
                   "kind, body, added_at")


def _cols(d: FuzzyDate | None) -> tuple:
    return (None, None, None, None, 0, 0) if d is None else (
        d.text, d.lo_ts, d.hi_ts, d.precision, int(d.approximate), int(d.uncertain))


class _Plan:
    """Pass one (the constructor) reads the whole document and the records it touches, checks
    every field and decides for each record: added, updated or unchanged. It writes nothing, so a
    bad record changes nothing. Pass two (`write`, in the caller's transaction) writes the added
    and updated records; ids of records still to be created are NEW until then."""

    def __init__(self, project: Project, doc: dict) -> None:
        self.p, self.db, self.doc = project, project.db, doc
        self.report = ImportReport()
        self.dates: dict = {}
        self.meta = self._meta()
        stored_tags = {n for (n,) in self.db.execute("SELECT name FROM tags")}
        self.new_tags = sorted({n.strip() for n in doc.get("tags") or [] if isinstance(n, str)} - stored_tags - {""})
        self.groups = self._groups()
        self.periods = self._periods()
        self.sources = self._sources()
        self.annotations = self._annotations()
        self.events = self._events()
        for kind in KINDS:
            for rec in getattr(self, kind):
                self.report.count(kind, "added" if rec.id is None else "updated" if rec.changed else "unchanged")

    def writes(self) -> bool:
        return bool(self.meta or self.new_tags or self.report.added or self.report.updated)

    def _meta(self) -> dict[str, str]:
        """Title and project uid, adopted only by an empty project (see the module's docstring)."""
        uid = self.doc.get("project_uid")
        if uid is not None:
            try:
                uid = str(uuid.UUID(uid))
            except (ValueError, TypeError, AttributeError) as exc:
                raise NativeImportError(f"field 'project_uid': {uid!r} is not a UUID") from exc
        tables = ("groups", "events", "sources", "periods", "annotations", "tags")
        if any(self.db.execute(f"SELECT EXISTS (SELECT 1 FROM {t})").fetchone()[0] for t in tables):
            return {}
        title = self.doc.get("title")
        wanted = {"title": title.strip() if isinstance(title, str) else None, "uid": uid}
        return {k: v for k, v in wanted.items() if v and v != self.p.get_meta(k)}

    @staticmethod
    def _once(seen: dict, key: Any, r: _Reader, name: str, kind: str, i: int) -> None:
        if key is not None:
            if key in seen:
                raise r.fail(name, f"{key!r} is also that of {kind}[{seen[key]}]")
            seen[key] = i

    # ---- groups --------------------------------------------------------------------------------
    def _groups(self) -> list[_Rec]:
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
        for i, rec in enumerate(self.doc.get("groups") or []):
            r = _Reader(f"groups[{i}]", rec)
            name, uid = r.get("name", required=True).strip(), r.get("uid")
            self._once(names, name, r, "name", "groups", i)
            self._once(uids, uid, r, "uid", "groups", i)
            alias_list: dict[str, str | None] = {}
            for j, a in enumerate(r.get("aliases", list, default=[])):
                ar = _Reader(f"{r.where}.aliases[{j}]", a)
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
        return out

    def _group_ref(self, r: _Reader, name: str, ref: Any) -> str:
        if not isinstance(ref, str):
            raise r.fail(name, f"expected a group name, found {ref!r}")
        if ref not in self.group_ids:
            raise r.fail(name, f"unknown group {ref!r}")
        return ref

    def _group_id(self, r: _Reader, name: str, ref: Any) -> int:
        return self.group_ids[self._group_ref(r, name, ref)]

    # ---- periods, sources, annotations -----------------------------------------------------------
    def _periods(self) -> list[_Rec]:
        rows = {r[1]: r for r in self.db.execute(f"SELECT {_PERIOD_COLUMNS} FROM periods")}
        out, uids = [], {}
        for i, rec in enumerate(self.doc.get("periods") or []):
            r = _Reader(f"periods[{i}]", rec)
            values = {"title": r.get("title", required=True).strip(), "start": r.date("start", required=True),
                      "end": r.date("end"), "color": r.get("color"), "description": r.get("description")}
            if values["end"] is not None and values["end"].hi < values["start"].lo:
                raise r.fail("end", "is before the start")
            uid = r.get("uid")
            self._once(uids, uid, r, "uid", "periods", i)
            row = rows.get(uid) if uid else None
            flat = (values["title"], *_cols(values["start"]), *_cols(values["end"]), values["color"],
                    values["description"])
            out.append(_Rec(r, uid, row and row[0], values, row is None or tuple(row[2:]) != flat))
        return out

    def _sources(self) -> list[_Rec]:
        rows = {r[1]: r for r in self.db.execute(f"SELECT {_SOURCE_COLUMNS} FROM sources")}
        self.source_ids = {uid: row[0] for uid, row in rows.items()}
        self.bodies: dict[str, str] = {}
        out, uids = [], {}
        for i, rec in enumerate(self.doc.get("sources") or []):
            r = _Reader(f"sources[{i}]", rec)
            reliability = r.get("reliability")
            if reliability is not None and reliability not in schema.RELIABILITY:
                raise r.fail("reliability", f"must be one of A–F, not {reliability!r}")
            values = {"title": r.get("title", required=True).strip(), "outlet": r.get("outlet"),
                      "author": r.get("author"), "url": r.get("url"), "published": r.date("published"),
                      "language": r.get("language"), "reliability": reliability, "kind": r.get("kind"),
                      "body": r.get("body", default="")}
            uid = r.get("uid", required=True)
            self._once(uids, uid, r, "uid", "sources", i)
            row, added_at = rows.get(uid), r.get("added_at")
            flat = (values["title"], values["outlet"], values["author"], values["url"], *_cols(values["published"]),
                    values["language"], reliability, values["kind"], values["body"])
            changed = row is None or tuple(row[2:16]) != flat or bool(added_at and added_at != row[16])
            out.append(_Rec(r, uid, row and row[0], values, changed, added_at=added_at))
            self.source_ids[uid] = NEW if row is None else row[0]
            self.bodies[uid] = values["body"]
        return out

    def _body(self, uid: str) -> str:
        if uid not in self.bodies:
            self.bodies[uid] = self.db.execute("SELECT body FROM sources WHERE uid = ?", [uid]).fetchone()[0]
        return self.bodies[uid]

    def _source_uid(self, r: _Reader, name: str) -> str:
        uid = r.get(name, required=True)
        if uid not in self.source_ids:
            raise r.fail(name, f"unknown source {uid!r}")
        return uid

    def _annotations(self) -> list[_Rec]:
        stored = {a.uid: a for a in self.p.annotations()}
        source_uid = {sid: uid for uid, sid in self.source_ids.items() if sid != NEW}
        self.annotation_ids = {uid: a.id for uid, a in stored.items()}
        self.annotation_source = {uid: source_uid.get(a.source_id) for uid, a in stored.items()}
        out, uids = [], {}
        for i, rec in enumerate(self.doc.get("annotations") or []):
            r = _Reader(f"annotations[{i}]", rec)
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
            out.append(_Rec(r, uid, a and a.id, values, changed))
            self.annotation_ids[uid] = NEW if a is None else a.id
            self.annotation_source[uid] = src
        return out

    # ---- events: the bulk of a large document, checked in one pass and compared in bulk ------------
    def _date(self, r: _Reader, name: str, required: bool = False) -> tuple:
        """A date's six column values; dates repeat a lot in large documents, so they are cached."""
        value = r.record.get(name)
        try:
            key = tuple(value.values()) if isinstance(value, dict) else value
            return self.dates[key]
        except (KeyError, TypeError):
            pass
        cols = _cols(r.date(name, required))
        try:
            self.dates[key] = cols
        except TypeError:  # an unhashable part: not cached
            pass
        return cols

    def _events(self) -> list[_EventIn]:
        uids = dict(self.db.execute("SELECT uid, id FROM events"))
        by_origin = {(o, k): eid for eid, o, k in self.db.execute("SELECT event_id, origin, key FROM event_origins")}
        out: list[_EventIn] = []
        seen: dict = {}
        claimed: dict = {}
        origins: dict = {}
        for i, rec in enumerate(self.doc.get("events") or []):
            r = _Reader(f"events[{i}]", rec)
            uid = r.get("uid", required=True)
            r.where = f"events[{i}] ({uid})"
            self._once(seen, uid, r, "uid", "events", i)
            links = []
            for j, link in enumerate(r.get("groups", list, default=[])):
                lr = _Reader(f"{r.where}.groups[{j}]", link)
                role = lr.get("role", default="actor")
                if role not in schema.ROLES:
                    raise lr.fail("role", f"unknown role {role!r} (one of {', '.join(schema.ROLES)})")
                ref = lr.get("group", required=True)
                self._group_id(lr, "group", ref)
                links.append((ref, role))
            evidence = []
            for j, ev in enumerate(r.get("evidence", list, default=[])):
                er = _Reader(f"{r.where}.evidence[{j}]", ev)
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
                o = _Reader(f"{r.where}.origin", r.record["origin"])
                origin = (o.get("origin", required=True), o.get("key", required=True), o.get("digest"))
                self._once(origins, origin[:2], r, "origin", "events", i)
            eid = uids.get(uid)
            owner = by_origin.get(origin[:2]) if origin else None
            if eid is None:
                eid = owner
            elif owner is not None and owner != eid:
                raise r.fail("origin", f"{origin[0]} {origin[1]!r} is the origin of another event of the project")
            self._once(claimed, eid, r, "uid", "events", i)
            out.append(_EventIn(i, uid, eid, values, r.strings("tags"), links, evidence, r.get("attributes", dict),
                                origin, r.get("created_at"), r.get("updated_at")))
        self._compare_events([e for e in out if e.id is not None])
        return out

    def _compare_events(self, matched: list[_EventIn]) -> None:
        """Mark each event that merges into a stored one changed or not, reading the stored rows,
        links, tags, evidence and origins in a few chunked queries."""
        rows, links, tags, evidence, origins = {}, {}, {}, {}, {}
        q = self.db.execute
        for chunk in chunks([e.id for e in matched], 900):
            ids = f"({', '.join('?' * len(chunk))})"
            for row in q(f"SELECT id, {', '.join(_EVENT_VALUES)}, created_at, updated_at, attributes "
                         f"FROM events WHERE id IN {ids}", chunk):
                rows[row[0]] = row[1:]
            for eid, gid, role in q(f"SELECT event_id, group_id, role FROM event_groups WHERE event_id IN {ids}", chunk):
                links.setdefault(eid, {})[gid] = role
            for eid, name in q("SELECT et.event_id, t.name FROM event_tags et JOIN tags t ON t.id = et.tag_id "
                               f"WHERE et.event_id IN {ids}", chunk):
                tags.setdefault(eid, set()).add(name)
            for eid, *ev in q("SELECT event_id, source_id, annotation_id, stance, note FROM event_evidence "
                              f"WHERE event_id IN {ids} ORDER BY id", chunk):
                evidence.setdefault(eid, []).append(tuple(ev))
            for eid, *origin in q(f"SELECT event_id, origin, key, digest FROM event_origins WHERE event_id IN {ids}",
                                  chunk):
                origins[eid] = tuple(origin)
        n = len(_EVENT_VALUES)
        for e in matched:
            row = rows[e.id]
            e.changed = (
                row[:n] != e.values
                or bool(e.created and e.created != row[n]) or bool(e.updated and e.updated != row[n + 1])
                or (e.attributes is not None and (row[n + 2] is None or json.loads(row[n + 2]) != e.attributes))
                or (e.origin is not None and origins.get(e.id) != e.origin)
                or set(e.tags) != tags.get(e.id, set())
                or {self.group_ids[ref]: role for ref, role in e.links} != links.get(e.id, {})
                or [(self.source_ids[s], self.annotation_ids[a] if a else None, st, note)
                    for s, a, st, note in e.evidence] != evidence.get(e.id, []))

    # ---- pass two --------------------------------------------------------------------------------
    def write(self) -> None:
        for key, value in self.meta.items():
            self.p.set_meta(key, value)
        self._tag_ids(self.new_tags)
        self._write_groups()
        for rec in self.periods:
            if rec.id is None:
                self.p.create_period(uid=rec.uid, **rec.values)
            elif rec.changed:
                self.p.update_period(rec.id, **rec.values)
        for rec in self.sources:
            if rec.id is None:
                rec.id = self.p.create_source(uid=rec.uid, added_at=rec.added_at, **rec.values).id
            elif rec.changed:
                self.p.update_source(rec.id, **rec.values)
                if rec.added_at:
                    self.db.execute("UPDATE sources SET added_at = ? WHERE id = ?", [rec.added_at, rec.id])
            self.source_ids[rec.uid] = rec.id
        for rec in self.annotations:
            if rec.id is None or rec.changed:
                v = dict(rec.values, source_id=self.source_ids[rec.values["source"]])
                del v["source"]
                try:
                    rec.id = self.p.put_annotation(uid=rec.uid, **v).id
                except ProjectError as exc:
                    raise rec.r.fail("groups", str(exc)) from exc
            self.annotation_ids[rec.uid] = rec.id
        self._write_events()

    def _write_groups(self) -> None:
        for g in self.groups:
            v = g.values
            try:
                if g.id is None:
                    g.id = self.p.create_group(v["name"], kind=v["kind"], color=v["color"], aliases=v["aliases"],
                                               description=v["description"], uid=g.uid, position=v.get("position")).id
                elif g.changed:
                    self.p.update_group(g.id, **v)
            except ProjectError as exc:
                raise g.r.fail("name", str(exc)) from exc
        for g in self.groups:
            if g.parent is not None:
                try:
                    self.p.update_group(g.id, parent=g.parent[0])
                except ProjectError as exc:
                    raise g.r.fail("parent", str(exc)) from exc
        self.group_ids = {}
        for gid, uid, name in self.db.execute("SELECT id, uid, name FROM groups"):
            self.group_ids[uid] = gid
        for gid, uid, name in self.db.execute("SELECT id, uid, name FROM groups"):
            self.group_ids[name] = gid  # a name wins over a uid, as Project._group_id reads them

    def _tag_ids(self, names: Any) -> dict[str, int]:
        self.db.conn.executemany("INSERT OR IGNORE INTO tags (name) VALUES (?)", [(n,) for n in names])
        return dict(self.db.execute("SELECT name, id FROM tags"))

    def _write_events(self) -> None:
        todo = [e for e in self.events if e.id is None or e.changed]
        if not todo:
            return
        tag_ids = self._tag_ids({t for e in todo for t in e.tags})
        stamp = now_iso()
        next_id = self.db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM events").fetchone()[0]
        inserts, updates, cleared, links, tags, evidence, origins = [], [], [], [], [], [], []
        for e in todo:
            attributes = None if e.attributes is None else json.dumps(e.attributes, ensure_ascii=False)
            if e.id is None:
                e.id, next_id = next_id, next_id + 1
                inserts.append((e.id, e.uid, *e.values, e.created or stamp, e.updated or e.created or stamp, attributes))
            else:
                updates.append((*e.values, e.created, e.updated or stamp, e.attributes is None, attributes, e.id))
                cleared.append((e.id,))
            try:
                links += [(e.id, self.group_ids[ref], role) for ref, role in e.links]
            except KeyError as exc:
                raise NativeImportError(f"events[{e.index}] ({e.uid}), field 'groups': unknown group {exc}") from exc
            tags += [(e.id, tag_ids[t]) for t in e.tags]
            evidence += [(e.id, self.source_ids[s], self.annotation_ids[a] if a else None, st, note)
                         for s, a, st, note in e.evidence]
            if e.origin is not None:
                origins.append((e.id, *e.origin))
        db = self.db
        _insert(db, "INSERT", "events", [*EVENT_COLUMNS.split(", "), "attributes"], inserts)
        if updates:
            with _staged(db, updates) as staged:
                n = len(_EVENT_VALUES)
                sets = ", ".join(f"{c} = s.c{k}" for k, c in enumerate(_EVENT_VALUES))
                db.execute(f"UPDATE main.events SET {sets}, created_at = COALESCE(s.c{n}, events.created_at), "
                           f"updated_at = s.c{n + 1}, attributes = CASE WHEN s.c{n + 2} THEN events.attributes "
                           f"ELSE s.c{n + 3} END FROM {staged} AS s WHERE events.id = s.c{n + 4}")
                for table in ("event_groups", "event_tags", "event_evidence"):
                    db.execute(f"DELETE FROM main.{table} WHERE event_id IN (SELECT c{n + 4} FROM {staged})")
        _insert(db, "INSERT OR REPLACE", "event_groups", ["event_id", "group_id", "role"], links)
        _insert(db, "INSERT OR IGNORE", "event_tags", ["event_id", "tag_id"], tags)
        _insert(db, "INSERT", "event_evidence", ["event_id", "source_id", "annotation_id", "stance", "note"], evidence)
        _insert(db, "INSERT OR REPLACE", "event_origins", ["event_id", "origin", "key", "digest"], origins)


@contextmanager
def _staged(db: Any, rows: list[tuple]) -> Iterator[str]:
    """A TEMP table (columns c0, c1... without affinity: values stay as bound) holding `rows`,
    for one set-based statement. Row by row (`executemany`), every statement on a table with FTS5
    triggers or an OR REPLACE clause pays for a statement journal and an FTS flush: 100,000
    events took 3.6 s so, 1.1 s staged. TEMP tables live outside the project file."""
    db.execute(f"CREATE TEMP TABLE sijill_staged ({', '.join(f'c{k}' for k in range(len(rows[0])))})")
    try:
        db.conn.executemany(f"INSERT INTO temp.sijill_staged VALUES ({', '.join('?' * len(rows[0]))})", rows)
        yield "temp.sijill_staged"
    finally:
        db.execute("DROP TABLE IF EXISTS temp.sijill_staged")


def _insert(db: Any, verb: str, table: str, columns: list[str], rows: list[tuple]) -> None:
    """`verb` INTO `table` every row, in order (evidence ids keep the document's order)."""
    if rows:
        with _staged(db, rows) as staged:
            db.execute(f"{verb} INTO main.{table} ({', '.join(columns)}) "
                       f"SELECT {', '.join(f'c{k}' for k in range(len(columns)))} FROM {staged} ORDER BY rowid")


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large document is read and checked: it holds
    no cycles, but its millions of new objects set off full collections over the whole heap
    (about 1 s of the 2.5 s it takes to check 100,000 events)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
