"""The native format: one JSON document holding a whole project, with uids, that round-trips.

Export writes every record with its uid and every date with its text, bounds and precision.
Import merges by uid (groups also by name): a record whose uid exists is updated, a new one is
added. The whole document is checked before anything is written, and written in one
transaction, so a bad file changes nothing; the error names the first bad record and field.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from db import schema
from db.common import ProjectError, write_json
from db.dates import PRECISIONS, DateParseError, FuzzyDate, parse_fuzzy
from db.library import quote_parts
from db.project import Project

FORMAT = "sijill"
VERSION = 1


class NativeImportError(ProjectError):
    """A native document cannot be imported; the message names the record and field."""


@dataclass
class ImportReport:
    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, added: bool) -> None:
        target = self.added if added else self.updated
        target[kind] = target.get(kind, 0) + 1


# ---- export -----------------------------------------------------------------------------------
def _iso(ts: int | None) -> str | None:
    return None if ts is None else datetime.fromtimestamp(ts, timezone.utc).isoformat()


def date_to_json(d: FuzzyDate | None) -> dict | None:
    if d is None:
        return None
    return {"text": d.text, "lo": d.lo.isoformat(), "hi": d.hi.isoformat(), "precision": d.precision,
            "approximate": d.approximate, "uncertain": d.uncertain}


def export_native(project: Project, path: str | os.PathLike | None = None) -> dict:
    """The whole project as a native document; written to `path` (UTF-8) when given."""
    groups = project.groups()
    by_id = {g.id: g for g in groups}
    sources = project.sources()
    source_uid = {s.id: s.uid for s in sources}
    annotations = project.annotations()
    annotation_uid = {a.id: a.uid for a in annotations}
    evidence: dict[int, list] = {}
    for ev in project.all_evidence():
        evidence.setdefault(ev.event_id, []).append(ev)
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "title": project.title,
        "groups": [{
            "uid": g.uid, "name": g.name, "kind": g.kind,
            "parent": by_id[g.parent_id].name if g.parent_id in by_id else None,
            "color": g.color, "description": g.description, "position": g.position,
            "aliases": [{"alias": a.alias, "lang": a.lang} for a in g.aliases],
        } for g in groups],
        "tags": project.tags(),
        "periods": [{
            "uid": p.uid, "title": p.title, "start": date_to_json(p.start), "end": date_to_json(p.end),
            "color": p.color, "description": p.description,
        } for p in project.periods()],
        "sources": [{
            "uid": s.uid, "title": s.title, "outlet": s.outlet, "author": s.author, "url": s.url,
            "published": date_to_json(s.published), "language": s.language, "reliability": s.reliability,
            "kind": s.kind, "body": s.body, "added_at": s.added_at,
        } for s in sources],
        "annotations": [{
            "uid": a.uid, "source": source_uid[a.source_id], "start": a.start, "end": a.end,
            "quote": a.quote, "prefix": a.prefix, "suffix": a.suffix, "note": a.note,
            "credibility": a.credibility, "orphaned": a.orphaned,
            "groups": [by_id[g].name for g in a.group_ids], "tags": list(a.tags),
            "created_at": a.created_at, "updated_at": a.updated_at,
        } for a in annotations],
        "events": [],
    }
    for e in project.events():
        doc["events"].append({
            "uid": e.uid, "title": e.title, "description": e.description,
            "start": date_to_json(e.start), "end": date_to_json(e.end),
            "location": e.location, "latitude": e.latitude, "longitude": e.longitude,
            "event_type": e.event_type, "fatalities": e.fatalities,
            "groups": [{"group": by_id[link.group_id].name, "role": link.role} for link in e.groups],
            "tags": list(e.tags),
            "evidence": [{
                "source": source_uid[ev.source_id],
                "annotation": annotation_uid.get(ev.annotation_id) if ev.annotation_id else None,
                "stance": ev.stance, "note": ev.note,
            } for ev in evidence.get(e.id, ())],
            "created_at": e.created_at, "updated_at": e.updated_at,
        })
    if path is not None:
        write_json(path, doc)
    return doc


# ---- import -----------------------------------------------------------------------------------
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
        """A list of texts (tags); anything else in it is an error, not silently dropped."""
        values = self.get(name, list, default=[])
        for j, value in enumerate(values):
            if not isinstance(value, str):
                raise self.fail(name, f"item {j} should be a text, found {type(value).__name__} {value!r}")
        return values

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
    """Merge a native document (a path or an already loaded dict) into `project`, all or nothing."""
    doc = source if isinstance(source, dict) else load_document(source)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise NativeImportError("not a Sijill native document (its 'format' is not 'sijill')")
    if not isinstance(doc.get("version"), int) or doc["version"] > VERSION:
        raise NativeImportError(f"native document version {doc.get('version')!r} is not supported "
                                f"(this Sijill reads up to {VERSION})")
    for key in ("groups", "tags", "periods", "sources", "annotations", "events"):
        if not isinstance(doc.get(key, []), list):
            raise NativeImportError(f"'{key}' must be a list")
    report = ImportReport()
    try:
        with project.batch():
            _Importer(project, doc, report).run()
    except NativeImportError:
        raise
    except ProjectError as exc:
        raise NativeImportError(str(exc)) from exc
    return report


class _Importer:
    """Writes a checked document inside the caller's transaction."""

    def __init__(self, project: Project, doc: dict, report: ImportReport) -> None:
        self.p = project
        self.doc = doc
        self.report = report
        self.source_ids: dict[str, int] = {}
        self.annotation_ids: dict[str, int] = {}

    def run(self) -> None:
        if self.doc.get("title"):
            self.p.set_meta("title", str(self.doc["title"]))
        self._groups()
        for name in self.doc.get("tags", []):
            if isinstance(name, str) and name.strip():
                self.p._tag_id(name.strip())
        self._periods()
        self._sources()
        self._annotations()
        self._events()

    def _groups(self) -> None:
        records = [_Reader(f"groups[{i}]", g) for i, g in enumerate(self.doc.get("groups", []))]
        names = {r.get("name", required=True) for r in records}
        existing = {g.name for g in self.p.groups()}
        parents: list[tuple[int, str]] = []
        for r in records:
            name = r.get("name", required=True)
            uid = r.get("uid")
            aliases = []
            for j, a in enumerate(r.get("aliases", list, default=[])):
                ar = _Reader(f"{r.where}.aliases[{j}]", a)
                aliases.append((ar.get("alias", required=True), ar.get("lang")))
            parent = r.get("parent")
            if parent is not None and parent not in names and parent not in existing:
                raise r.fail("parent", f"unknown group {parent!r}")
            fields = dict(kind=r.get("kind"), color=r.get("color"), description=r.get("description"),
                          aliases=aliases)
            row = self.p.db.execute("SELECT id FROM groups WHERE uid = ?", [uid]).fetchone() if uid else None
            row = row or self.p.db.execute("SELECT id FROM groups WHERE name = ?", [name]).fetchone()
            position = r.get("position", int)
            if row:
                if position is not None:
                    fields["position"] = position
                self.p.update_group(row[0], name=name, **fields)
                gid = row[0]
            else:
                gid = self.p.create_group(name, uid=uid, position=position, **fields).id
            self.report.count("groups", row is None)
            if parent is not None:
                parents.append((gid, parent))
        for gid, parent in parents:
            self.p.update_group(gid, parent=parent)

    def _periods(self) -> None:
        for i, rec in enumerate(self.doc.get("periods", [])):
            r = _Reader(f"periods[{i}]", rec)
            fields = dict(title=r.get("title", required=True), start=r.date("start", required=True),
                          end=r.date("end"), color=r.get("color"), description=r.get("description"))
            uid = r.get("uid")
            row = self.p.db.execute("SELECT id FROM periods WHERE uid = ?", [uid]).fetchone() if uid else None
            if row:
                self.p.update_period(row[0], **fields)
            else:
                self.p.create_period(uid=uid, **fields)
            self.report.count("periods", row is None)

    def _sources(self) -> None:
        for i, rec in enumerate(self.doc.get("sources", [])):
            r = _Reader(f"sources[{i}]", rec)
            reliability = r.get("reliability")
            if reliability is not None and reliability not in schema.RELIABILITY:
                raise r.fail("reliability", f"must be one of A–F, not {reliability!r}")
            fields = dict(title=r.get("title", required=True), body=r.get("body", default=""),
                          outlet=r.get("outlet"), author=r.get("author"), url=r.get("url"),
                          published=r.date("published"), language=r.get("language"),
                          reliability=reliability, kind=r.get("kind"))
            uid = r.get("uid", required=True)
            existing = self.p.source_by_uid(uid)
            if existing:
                self.p.update_source(existing.id, **fields)
                sid = existing.id
            else:
                sid = self.p.create_source(uid=uid, added_at=r.get("added_at"), **fields).id
            self.source_ids[uid] = sid
            self.report.count("sources", existing is None)

    def _source_ref(self, r: _Reader, name: str) -> int:
        uid = r.get(name, required=True)
        if uid in self.source_ids:
            return self.source_ids[uid]
        existing = self.p.source_by_uid(uid)
        if not existing:
            raise r.fail(name, f"unknown source {uid!r}")
        return existing.id

    def _annotations(self) -> None:
        for i, rec in enumerate(self.doc.get("annotations", [])):
            r = _Reader(f"annotations[{i}]", rec)
            sid = self._source_ref(r, "source")
            body = self.p.source(sid).body
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
            groups = [self._group_ref(r, "groups", g) for g in r.get("groups", list, default=[])]
            tags = r.strings("tags")
            uid = r.get("uid", required=True)
            existing = self.p.annotation_by_uid(uid)
            prefix, suffix = r.get("prefix"), r.get("suffix")
            if prefix is None or suffix is None:
                _, prefix, suffix = quote_parts(body, start, end)
            aid = self.p.put_annotation(
                uid=uid, source_id=sid, start=start, end=end, quote=quote, prefix=prefix, suffix=suffix,
                note=r.get("note"), credibility=credibility, orphaned=orphaned, groups=groups, tags=tags,
                created_at=r.get("created_at"), updated_at=r.get("updated_at")).id
            self.annotation_ids[uid] = aid
            self.report.count("annotations", existing is None)

    def _group_ref(self, r: _Reader, name: str, ref: Any) -> int:
        if not isinstance(ref, str):
            raise r.fail(name, f"expected a group name, found {ref!r}")
        row = self.p.db.execute("SELECT id FROM groups WHERE name = ? OR uid = ?", [ref, ref]).fetchone()
        if not row:
            raise r.fail(name, f"unknown group {ref!r}")
        return row[0]

    def _events(self) -> None:
        for i, rec in enumerate(self.doc.get("events", [])):
            r = _Reader(f"events[{i}]", rec)
            uid = r.get("uid", required=True)
            where = f"events[{i}] ({uid})"
            r.where = where
            links = []
            for j, link in enumerate(r.get("groups", list, default=[])):
                lr = _Reader(f"{where}.groups[{j}]", link)
                role = lr.get("role", default="actor")
                if role not in schema.ROLES:
                    raise lr.fail("role", f"unknown role {role!r} (one of {', '.join(schema.ROLES)})")
                links.append((self._group_ref(lr, "group", lr.get("group", required=True)), role))
            evidence = []
            for j, ev in enumerate(r.get("evidence", list, default=[])):
                er = _Reader(f"{where}.evidence[{j}]", ev)
                stance = er.get("stance", default="supports")
                if stance not in schema.STANCES:
                    raise er.fail("stance", f"unknown stance {stance!r}")
                ann_uid = er.get("annotation")
                ann_id = None
                if ann_uid is not None:
                    ann_id = self.annotation_ids.get(ann_uid) or getattr(self.p.annotation_by_uid(ann_uid), "id", None)
                    if ann_id is None:
                        raise er.fail("annotation", f"unknown annotation {ann_uid!r}")
                evidence.append((self._source_ref(er, "source"), ann_id, stance, er.get("note")))
            fatalities = r.get("fatalities", int)
            latitude, longitude = r.get("latitude", float), r.get("longitude", float)
            if latitude is not None and not -90 <= latitude <= 90:
                raise r.fail("latitude", f"{latitude} is outside -90..90")
            if longitude is not None and not -180 <= longitude <= 180:
                raise r.fail("longitude", f"{longitude} is outside -180..180")
            start, end = r.date("start", required=True), r.date("end")
            if end is not None and end.hi < start.lo:
                raise r.fail("end", "is before the start")
            fields = dict(title=r.get("title", required=True), description=r.get("description"),
                          start=start, end=end, location=r.get("location"), latitude=latitude,
                          longitude=longitude, event_type=r.get("event_type"), fatalities=fatalities,
                          groups=links, tags=r.strings("tags"))
            existing = self.p.event_by_uid(uid)
            if existing:
                eid = self.p.update_event(existing.id, **fields).id
                self.p.db.execute("DELETE FROM event_evidence WHERE event_id = ?", [eid])
            else:
                eid = self.p.create_event(uid=uid, created_at=r.get("created_at"), **fields).id
            for sid, ann_id, stance, note in evidence:
                self.p.add_evidence(eid, sid, ann_id, stance, note)
            if r.get("updated_at"):
                self.p.db.execute("UPDATE events SET updated_at = ? WHERE id = ?", [r.get("updated_at"), eid])
            self.report.count("events", existing is None)
