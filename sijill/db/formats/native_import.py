"""Import of a native document (see db.formats.native): merged into a project, all or nothing.

Import merges: groups by uid, then name; events by uid, then by origin (the same ACLED row
imported by two analysts is one event); other records by uid. The whole document is read and
checked against the project before anything is written (pass one, `_Plan`); then only the
records that differ from what is stored are written, in one transaction (pass two), so a bad
file changes nothing and re-importing a project's own export writes nothing at all. An event's
absent or null `attributes`/`origin` keep what is stored (exports leave them out when empty);
every other absent field means "none", as in the exported record (an absent `key_event` or
`summary`: false). Errors name the file, the
record and the field.

Memory stays flat at any size: a file is read member by member and record by record
(`JsonStream`); pass one keeps of each record only what later records refer to (uids, names,
ids) and puts the events it will write into a temporary file (`_Spool`), a few thousand at a
time, from which pass two writes them a chunk at a time: 100,000 events take seconds, not a
minute, and about 100 MB (the whole document, parsed, took 1 GB). Each list is read where it
stands once the lists its records refer to are read (groups and sources before annotations, all
three before events), as exports write them; a document in another order is read again for the
lists it had to pass over.
"""
from __future__ import annotations

import gc
import json
import os
import pickle
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sijill.db.store import schema
from sijill.db.store.bulk import EVENT_COLUMNS
from sijill.db.store.basics import ProjectError, now_iso
from sijill.db.dates import PRECISIONS, DateParseError, FuzzyDate, parse_fuzzy
from sijill.db.formats.native import FORMAT, KINDS, LISTS, VERSION, ImportReport, JsonStream, NativeImportError
from sijill.db.store.library import quote_parts
from sijill.db.store.project import Project
from sijill.db.text.rules import NAME_MAX, NOTE_MAX, field_problem, text_problem

NEW = -1  # the id of a record that pass two will create: equal to nothing stored
HEADER = ("format", "version", "title", "project_uid", "tags")
INT64 = range(-(1 << 63), 1 << 63)  # what SQLite stores as an integer
MAX_DEPTH = 8  # lists and objects inside a record: the format needs 3 (an event's evidence items' fields)
NEEDS = {"groups": (), "periods": (), "sources": (), "annotations": ("groups", "sources"),
         "events": ("groups", "sources", "annotations")}  # lists whose names and uids a list's records use


def merge_document(project: Project, source: str | os.PathLike | dict) -> ImportReport:
    """Merge a native document (a path or an already loaded dict) into `project`, all or nothing.
    Records equal to what is stored are counted as unchanged and not written."""
    where = "" if isinstance(source, dict) else f"{source}: "
    with _Plan(project) as plan:
        try:
            with _gc_paused():
                if isinstance(source, dict):
                    plan.check_header(source)
                    for kind in KINDS:
                        plan.read(kind, source.get(kind))
                else:
                    _read_file(plan, Path(source))
                plan.finish()
            if plan.writes():
                label = "Import Sijill JSON" + ("" if isinstance(source, dict) else f" file {Path(source).name}")
                with project.batch(label, kind="import"):
                    plan.write()
        except ProjectError as exc:
            raise NativeImportError(f"{where}{exc}") from exc
        return plan.report


def _read_file(plan: "_Plan", path: Path) -> None:
    """Read the document in `path` into `plan`: in one pass when each list comes after those its
    records refer to (as exports write them), passing over the others and reading them again."""
    header: dict[str, Any] = {}
    waiting: dict[str, Any] = {}  # lists read (small ones, or a value that is no list) before their turn
    in_file: set[str] = set()

    def settle() -> None:
        for kind in KINDS:
            if kind in waiting and plan.ready(kind):
                plan.read(kind, waiting.pop(kind))

    with JsonStream(path) as stream:
        if stream.peek() != "{":
            plan.check_header(stream.value())  # not an object: says it is no native document
        for key in stream.members():
            if key in header or key in in_file:
                raise NativeImportError(f"'{key}' appears twice in the document")
            if key in HEADER:
                header[key] = stream.value()
                if not plan.checked and "format" in header and "version" in header:
                    plan.check_header(header)
                    settle()
            elif key in KINDS:
                in_file.add(key)
                if stream.peek() != "[":
                    waiting[key] = stream.value()
                elif plan.ready(key):
                    plan.read(key, stream.items())
                elif key in ("groups", "periods"):
                    waiting[key] = list(stream.items())
                else:
                    stream.skip()
            else:
                stream.skip()
    if not plan.checked:
        plan.check_header(header)
    waiting.update((kind, None) for kind in KINDS if kind not in in_file)
    settle()
    while len(plan.done) < len(KINDS):
        done = len(plan.done)
        with JsonStream(path) as stream:
            for key in stream.members():
                if key in KINDS and key not in waiting and plan.ready(key):
                    plan.read(key, stream.items())
                else:
                    stream.skip()
        settle()
        if len(plan.done) == done:
            raise NativeImportError(f"cannot read {', '.join(k for k in KINDS if k not in plan.done)}")


# ---- reading a record ---------------------------------------------------------------------------
class _Reader:
    """Reads fields of one record, raising NativeImportError that names record and field."""

    def __init__(self, where: str, record: Any, inside: bool = False) -> None:
        """`inside`: a part of a record already read (its nesting checked with the record's)."""
        if not isinstance(record, dict):
            raise NativeImportError(f"{where}: expected an object, found {type(record).__name__}")
        self.where = where
        self.record = record
        for name, value in () if inside else record.items():
            if isinstance(value, (dict, list)) and not _shallow(value, MAX_DEPTH - 1):
                raise self.fail(name, f"is nested more than {MAX_DEPTH} levels deep (the format needs 3)")

    def fail(self, name: str, message: str) -> NativeImportError:
        return NativeImportError(f"{self.where}, field '{name}': {message}")

    def get(self, name: str, kind: type | tuple = str, required: bool = False, default: Any = None) -> Any:
        value = self.record.get(name)
        if type(value) is kind and not required:  # the usual case, first (millions of calls at 100k events)
            if kind is str and not (len(value) <= NAME_MAX and value.isprintable()):  # else surely clean
                problem = field_problem(name, value)
                if problem:
                    raise self.fail(name, problem)
            elif kind is int and value not in INT64:
                raise self.fail(name, _too_big(value))
            return value
        if value is None:
            if required:
                raise self.fail(name, "is missing")
            return default
        if isinstance(value, int) and not isinstance(value, bool) and value not in INT64:
            raise self.fail(name, _too_big(value))
        if isinstance(value, str):
            problem = field_problem(name, value)
            if problem:
                raise self.fail(name, problem)
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
            problem = text_problem(value, NAME_MAX)
            if problem:
                raise self.fail(name, f"item {j} {problem}")
        return [v.strip() for v in values if v.strip()]

    def date(self, name: str, required: bool = False) -> FuzzyDate | None:
        value = self.record.get(name)
        if value in (None, ""):
            if required:
                raise self.fail(name, "is missing")
            return None
        text = value.get("text") if isinstance(value, dict) else value
        if isinstance(text, str):
            problem = text_problem(text, NAME_MAX)
            if problem:
                raise self.fail(name, f"the date's text {problem}")
        try:
            if isinstance(value, str):
                return parse_fuzzy(value)
            if isinstance(value, dict):
                lo, hi = _utc(value["lo"]), _utc(value["hi"])
                if value.get("precision") not in PRECISIONS:
                    raise ValueError(f"unknown precision {value.get('precision')!r}")
                if lo > hi:
                    raise ValueError("lo is after hi")
                if text is not None and not isinstance(text, str):
                    raise ValueError(f"its text is {type(text).__name__} {text!r}, not a text")
                text = text or ""
                contradiction = _contradiction(text, lo, hi)
                if contradiction:
                    raise self.fail(name, contradiction)
                return FuzzyDate(text, lo, hi, value["precision"],
                                 bool(value.get("approximate")), bool(value.get("uncertain")))
        except DateParseError as exc:
            raise self.fail(name, str(exc)) from exc
        except (KeyError, TypeError, ValueError) as exc:
            raise self.fail(name, f"not a date ({exc})") from exc
        raise self.fail(name, f"expected a date text or object, found {type(value).__name__}")


_REFERENCES = (datetime(2001, 3, 7, tzinfo=timezone.utc), datetime(2037, 9, 21, tzinfo=timezone.utc))


def _contradiction(text: str, lo: datetime, hi: datetime) -> str | None:
    """Why a date's text contradicts its bounds (it reads as a time outside them), or None. A text
    the date reader cannot read is kept as written, and so is one that depends on the date it was
    read against ("last Saturday", "18 October": read against two far-apart references, it moves):
    neither can be checked. A text that reads as a wider or narrower time overlapping the bounds
    is no contradiction (ACLED's "the week around" a day, bounds moved by whole units)."""
    if not text.strip():
        return None
    try:
        read = parse_fuzzy(text, reference=_REFERENCES[0])
        if read.hi >= lo and read.lo <= hi:
            return None
        again = parse_fuzzy(text, reference=_REFERENCES[1])
    except (DateParseError, ValueError, OverflowError):
        return None
    if (again.lo, again.hi) != (read.lo, read.hi):
        return None
    return (f"its text {text!r} reads as {read.lo.isoformat()} – {read.hi.isoformat()}, outside its bounds "
            f"{lo.isoformat()} – {hi.isoformat()}")


def _too_big(value: int) -> str:
    digits = len(str(abs(value))) if abs(value) < 10 ** 4000 else "thousands of"
    return f"a whole number of {digits} digits does not fit in 64 bits"


def _texts_problem(value: object) -> str | None:
    """The first text (key or value) of free-form data (an event's attributes) that breaks the rules."""
    if type(value) is dict:  # the usual flat object of short printable texts is surely clean
        try:
            keys, values = "".join(value), "".join(value.values())
        except TypeError:  # a value that is not text: the walk below
            pass
        else:
            if len(keys) + len(values) <= NAME_MAX and keys.isprintable() and values.isprintable():
                return None
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item, NOTE_MAX)
            if problem:
                return f"a text {problem}"
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None  # numbers of any size are kept: attributes are stored as JSON text


def _shallow(value: dict | list, levels: int) -> bool:
    """Whether `value` holds lists and objects at most `levels` deep below it (recursion is
    bounded by `levels`; a value of scalars, the usual case, is one pass)."""
    nested = [c for c in (value.values() if type(value) is dict else value) if isinstance(c, (dict, list))]
    if not nested:
        return True
    return levels > 0 and all(_shallow(c, levels - 1) for c in nested)


def _utc(text: str) -> datetime:
    """A bound as written; one without an offset is UTC (as exports write it), not the local time."""
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


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


@dataclass(slots=True)
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
    key_event: bool = False
    changed: bool = True


_EVENT_VALUES = EVENT_COLUMNS.split(", ")[2:21]  # title ... fatalities
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


# ---- pass one: read, check and compare; pass two: write what differs ------------------------------
class _Plan:
    """Pass one (`check_header`, then `read` for each list in turn, then `finish`) reads the
    document and the records it touches, checks every field and decides for each record: added,
    updated or unchanged. It writes nothing, so a bad record changes nothing. Pass two (`write`,
    in the caller's transaction) writes the added and updated records; ids of records still to be
    created are NEW until then. Of unchanged records only their ids are kept."""

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
        self.spool = _Spool()
        self.event_tags: set[str] = set()

    def __enter__(self) -> "_Plan":
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
    def _once(seen: dict, key: Any, r: _Reader, name: str, kind: str, i: int) -> None:
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
            r = _Reader(f"groups[{i}]", rec)
            name, uid = r.get("name", required=True).strip(), r.get("uid")
            self._once(names, name, r, "name", "groups", i)
            self._once(uids, uid, r, "uid", "groups", i)
            alias_list: dict[str, str | None] = {}
            for j, a in enumerate(r.get("aliases", list, default=[])):
                ar = _Reader(f"{r.where}.aliases[{j}]", a, inside=True)
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

    def _group_ref(self, r: _Reader, name: str, ref: Any) -> str:
        if not isinstance(ref, str):
            raise r.fail(name, f"expected a group name, found {ref!r}")
        if ref not in self.group_ids:
            raise r.fail(name, f"unknown group {ref!r}")
        return ref

    def _group_id(self, r: _Reader, name: str, ref: Any) -> int:
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
            self._keep("periods", _Rec(r, uid, row and row[0], values, row is None or tuple(row[2:]) != flat))

    def _sources(self, records: Iterable) -> None:
        self.source_ids = {uid: sid for sid, uid in self.db.execute("SELECT id, uid FROM sources")}
        self.bodies: dict[str, str] = {}  # uid -> text, of the sources pass two writes
        self.stored_bodies: dict[str, str] = {}  # a few read for annotations (which come source by source)
        uids: dict = {}
        for i, rec in enumerate(records):
            r = _Reader(f"sources[{i}]", rec)
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

    def _source_uid(self, r: _Reader, name: str) -> str:
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
            self._keep("annotations", _Rec(r, uid, a and a.id, values, changed))
            self.annotation_ids[uid] = NEW if a is None else a.id
            self.annotation_source[uid] = src

    # ---- events: the bulk of a large document, checked one by one and compared in chunks ----------
    def _date(self, r: _Reader, name: str, required: bool = False) -> tuple:
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
        r = _Reader(f"events[{i}]", rec)
        uid = r.get("uid", required=True)
        r.where = f"events[{i}] ({uid})"
        self._once(self.seen, uid, r, "uid", "events", i)
        links = []
        for j, link in enumerate(r.get("groups", list, default=[])):
            lr = _Reader(f"{r.where}.groups[{j}]", link, inside=True)
            role = lr.get("role", default="actor")
            if role not in schema.ROLES:
                raise lr.fail("role", f"unknown role {role!r} (one of {', '.join(schema.ROLES)})")
            ref = lr.get("group", required=True)
            self._group_id(lr, "group", ref)
            links.append((ref, role))
        evidence = []
        for j, ev in enumerate(r.get("evidence", list, default=[])):
            er = _Reader(f"{r.where}.evidence[{j}]", ev, inside=True)
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
            o = _Reader(f"{r.where}.origin", r.record["origin"], inside=True)
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
        problem = attributes and _texts_problem(attributes)
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
        for row in q(f"SELECT id, {', '.join(_EVENT_VALUES)}, created_at, updated_at, attributes, key_event "
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
        n = len(_EVENT_VALUES)
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

    # ---- pass two --------------------------------------------------------------------------------
    def write(self) -> None:
        for key, value in self.meta.items():
            self.p.set_meta(key, value)
        self._tag_ids(self.new_tags)
        self._write_groups()
        for rec in self.writes_of["periods"]:
            if rec.id is None:
                self.p.create_period(uid=rec.uid, **rec.values)
            else:
                self.p.update_period(rec.id, **rec.values)
        for rec in self.writes_of["sources"]:
            if rec.id is None:
                rec.id = self.p.create_source(uid=rec.uid, added_at=rec.added_at, **rec.values).id
            else:
                self.p.update_source(rec.id, **rec.values)
                if rec.added_at:
                    self.db.execute("UPDATE sources SET added_at = ? WHERE id = ?", [rec.added_at, rec.id])
            self.source_ids[rec.uid] = rec.id
        for rec in self.writes_of["annotations"]:
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
        """The spooled events, a chunk at a time: new ones inserted (they enter the full-text index
        in one statement at the end: Project.indexing_new_events_at_end), changed ones updated in
        one statement per chunk (`_update_events`), then their links, tags, evidence (in document
        order, which their ids keep) and origins."""
        if not self.spool.count:
            return
        conn = self.db.conn
        tag_ids = self._tag_ids(self.event_tags)
        stamp = now_iso()
        added = self.report.added.get("events", 0)
        large = added >= 20_000 and added >= self.db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        with self.p.indexing_new_events_at_end(rebuild_indexes=large) as next_id:
            for part in self.spool:
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
                        roles = {self.group_ids[ref]: role for ref, role in refs}  # a group twice: the last role
                    except KeyError as exc:
                        raise NativeImportError(
                            f"events[{index}] ({uid}), field 'groups': unknown group {exc}") from exc
                    links += [(eid, gid, role) for gid, role in roles.items()]
                    tags += [(eid, tag_ids[t]) for t in names]
                    evidence += [(eid, self.source_ids[s], self.annotation_ids[a] if a else None, st, note)
                                 for s, a, st, note in cited]
                conn.executemany(f"INSERT INTO events ({EVENT_COLUMNS}, attributes, key_event) "
                                 f"VALUES ({', '.join('?' * 25)})", inserts)
                if updates:
                    self._update_events(updates)
                conn.executemany("INSERT INTO event_groups (event_id, group_id, role) VALUES (?, ?, ?)", links)
                conn.executemany("INSERT OR IGNORE INTO event_tags (event_id, tag_id) VALUES (?, ?)", tags)
                conn.executemany("INSERT INTO event_evidence (event_id, source_id, annotation_id, stance, note) "
                                 "VALUES (?, ?, ?, ?, ?)", evidence)
                conn.executemany("INSERT INTO event_origins (event_id, origin, key, digest) VALUES (?, ?, ?, ?)",
                                 origins)
                conn.executemany("INSERT OR REPLACE INTO event_origins (event_id, origin, key, digest) "
                                 "VALUES (?, ?, ?, ?)", replaced)

    def _update_events(self, rows: list[tuple]) -> None:
        """Changed events updated from a TEMP table in one statement, and their links, tags and
        evidence cleared for the new ones. Row by row (`executemany`), each statement on a table
        with FTS5 triggers pays for a statement journal and an FTS flush: 100,000 events took
        3.6 s so, 1.1 s staged. TEMP tables live outside the project file."""
        db, n = self.db, len(_EVENT_VALUES)
        db.execute(f"CREATE TEMP TABLE sijill_staged ({', '.join(f'c{k}' for k in range(len(rows[0])))})")
        try:
            db.conn.executemany(f"INSERT INTO temp.sijill_staged VALUES ({', '.join('?' * len(rows[0]))})", rows)
            sets = ", ".join(f"{c} = s.c{k}" for k, c in enumerate(_EVENT_VALUES))
            db.execute(f"UPDATE main.events SET {sets}, created_at = COALESCE(s.c{n}, events.created_at), "
                       f"updated_at = s.c{n + 1}, attributes = CASE WHEN s.c{n + 2} THEN events.attributes "
                       f"ELSE s.c{n + 3} END, key_event = s.c{n + 4} FROM temp.sijill_staged AS s "
                       f"WHERE events.id = s.c{n + 5}")
            for table in ("event_groups", "event_tags", "event_evidence"):
                db.execute(f"DELETE FROM main.{table} WHERE event_id IN (SELECT c{n + 5} FROM temp.sijill_staged)")
        finally:
            db.execute("DROP TABLE IF EXISTS temp.sijill_staged")


class _Spool:
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


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large document is read and checked: it holds
    no cycles, but its millions of new objects set off full collections over the whole heap."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
