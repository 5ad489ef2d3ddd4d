"""The native format: one JSON document holding a whole project, with uids, that round-trips.

Export writes every record with its uid and every date with its text, bounds and precision, in
an order that depends on the records' content only, never on row ids, so that a project exported,
imported into a new file and exported again gives the same bytes, and two analysts' exports diff
cleanly: groups in tree order (parents first, siblings by lane position, then name); periods by
start, then uid; sources by publication date (undated last), then uid; annotations by their
source's place in that list, then offsets, then uid; events by start, then uid. Inside a record,
links follow the group order and tags the alphabet; aliases and evidence keep the order they were
entered in (import writes them in document order, so that order survives too). An event carries
its dataset `attributes` and `origin` (format, key, digest) only when it has them, and
`"key_event": true` only when it is one; a source `"summary": true` only when its body is a
summary rather than the document's own words (both added within version 2: a reader that does
not know them still reads the rest).

A file is written as it is read from the project: the header, then each record as
`json.dumps(record, indent=2)` indented to its depth, sources, annotations and events read in
chunks in the export's order, so that the bytes are those `json.dump(document, indent=2)` would
write and a 100,000-event export never holds its document (nor its events) whole. Import
(`sijill.db.formats.native_import`; the file is read by `native_read`) reads a file the same way,
member by member and record by record.

Identity: `project_uid` is the exporting project's uid. Import adopts it, and the title, only
into an empty project (a new file: restoring an export is then the same as copying the file,
which keeps the uid too); a project that holds anything keeps its own uid and title.
"""
from __future__ import annotations

import codecs
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

from sijill.db.store.bulk import EVENT_COLUMNS, chunks
from sijill.db.store.basics import ProjectError
from sijill.db.dates import FuzzyDate
from sijill.db.store.entities import Annotation, Source
from sijill.db.store.project import Project

FORMAT = "sijill"
VERSION = 2  # 2 adds project_uid and events' attributes and origin; version 1 documents still read
KINDS = ("groups", "periods", "sources", "annotations", "events")
LISTS = ("groups", "tags", "periods", "sources", "annotations", "events")  # a document's list members


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


def record_count(doc: Mapping) -> int:
    """Records in a native document: groups, periods, sources, annotations and events (tags are
    names those records carry). Equals the sum of an import's added, updated and unchanged."""
    return sum(len(doc.get(kind) or ()) for kind in KINDS)


def import_native(project: Project, source: str | os.PathLike | dict) -> ImportReport:
    """Merge a native document (a path or an already loaded dict) into `project`, all or nothing;
    see `sijill.db.formats.native_import`."""
    from sijill.db.formats.native_import import merge_document

    return merge_document(project, source)


# ---- export -----------------------------------------------------------------------------------
def date_to_json(d: FuzzyDate | None) -> dict | None:
    if d is None:
        return None
    return {"text": d.text, "lo": d.lo.isoformat(), "hi": d.hi.isoformat(), "precision": d.precision,
            "approximate": d.approximate, "uncertain": d.uncertain}


def export_native(project: Project, path: str | os.PathLike | None = None) -> dict | ExportedDocument:
    """The whole project as a native document. Without `path`, the document as a dict; with it,
    the document is written there (UTF-8) record by record and an `ExportedDocument` returned:
    the counts of what was written, the records read back from the file only if asked for."""
    members = _members(project)
    if path is None:
        return {key: list(value) if isinstance(value, Iterator) else value for key, value in members}
    header, counts = write_document(path, members)
    return ExportedDocument(Path(path), header, counts)


def _members(project: Project) -> Iterator[tuple[str, Any]]:
    """(key, value) of the document in order; the records of sources, annotations and events as
    iterators that read the project chunk by chunk as they are consumed, in this order."""
    groups = project.groups()
    yield "format", FORMAT
    yield "version", VERSION
    yield "title", project.title
    yield "project_uid", project.uid
    by_id = {g.id: g for g in groups}
    yield "groups", [{
        "uid": g.uid, "name": g.name, "kind": g.kind,
        "parent": by_id[g.parent_id].name if g.parent_id in by_id else None,
        "color": g.color, "description": g.description, "position": g.position,
        "aliases": [{"alias": a.alias, "lang": a.lang} for a in g.aliases],
    } for g in groups]
    yield "tags", sorted(project.tags(), key=lambda t: (t.casefold(), t))
    yield "periods", [{
        "uid": p.uid, "title": p.title, "start": date_to_json(p.start), "end": date_to_json(p.end),
        "color": p.color, "description": p.description,
    } for p in sorted(project.periods(), key=lambda p: (p.start.lo_ts, p.uid))]
    exporter = _RecordExporter(project, groups)
    yield "sources", exporter.sources()
    yield "annotations", exporter.annotations()
    yield "events", exporter.events()


class _RecordExporter:
    """Sources, annotations and events as export records, read in chunks of ids in export order
    (a few queries per chunk; never a list of every record)."""

    CHUNK = 900

    def __init__(self, project: Project, groups: list) -> None:
        self.db = project.db
        self.group_name = {g.id: g.name for g in groups}
        self.group_rank = {g.id: i for i, g in enumerate(groups)}
        self._iso = lru_cache(maxsize=512)(_iso)  # bounds repeat: in start order, an event's day, month...

    def _date(self, text: Any, lo: Any, hi: Any, precision: Any, approximate: Any, uncertain: Any) -> dict | None:
        """`date_to_json` of the date a row stores (as `FuzzyDate.from_bounds` reads it back)."""
        if lo is None:
            return None
        return {"text": text, "lo": self._iso(lo), "hi": self._iso(hi), "precision": precision,
                "approximate": bool(approximate), "uncertain": bool(uncertain)}


    def _chunks(self, ids: list[int], select: str) -> Iterator[tuple[list[int], str, dict[int, tuple]]]:
        """Per chunk of `ids`: the chunk, its "(?, ?...)" and its rows by id (`select` ... WHERE id IN)."""
        for part in chunks(ids, self.CHUNK):
            marks = f"({', '.join('?' * len(part))})"
            yield part, marks, {r[0]: r for r in self.db.execute(f"{select} WHERE id IN {marks}", part)}

    def sources(self) -> Iterator[dict]:
        order = sorted(self.db.execute("SELECT published_lo IS NULL, COALESCE(published_lo, 0), uid, id FROM sources"))
        self.source_rank = {row[3]: i for i, row in enumerate(order)}
        self.source_uid = {row[3]: row[2] for row in order}
        select = ("SELECT id, uid, title, outlet, author, url, published_text, published_lo, published_hi, "
                  "published_precision, published_approximate, published_uncertain, language, reliability, kind, "
                  "body, added_at, summary FROM sources")
        for part, _marks, rows in self._chunks([row[3] for row in order], select):
            for sid in part:
                r = rows[sid]
                published = self._date(r[6], r[7], r[8], r[9] or "day", r[10], r[11])
                record = {"uid": r[1], "title": r[2], "outlet": r[3], "author": r[4], "url": r[5],
                          "published": published, "language": r[12], "reliability": r[13], "kind": r[14],
                          "body": r[15], "added_at": r[16]}
                if r[17]:
                    record["summary"] = True
                yield record

    def annotations(self) -> Iterator[dict]:
        rank = self.source_rank
        order = sorted((rank[sid], start, end, uid, aid) for aid, sid, start, end, uid in
                       self.db.execute('SELECT id, source_id, start, "end", uid FROM annotations'))
        self.annotation_uid = {row[4]: row[3] for row in order}
        select = ('SELECT id, uid, source_id, start, "end", quote, prefix, suffix, note, credibility, orphaned, '
                  "created_at, updated_at FROM annotations")
        for part, marks, rows in self._chunks([row[4] for row in order], select):
            groups: dict[int, list[int]] = {}
            for aid, gid in self.db.execute(f"SELECT annotation_id, group_id FROM annotation_groups "
                                            f"WHERE annotation_id IN {marks}", part):
                groups.setdefault(aid, []).append(gid)
            tags: dict[int, list[str]] = {}
            for aid, name in self.db.execute("SELECT a.annotation_id, t.name FROM annotation_tags a JOIN tags t "
                                             f"ON t.id = a.tag_id WHERE a.annotation_id IN {marks} ORDER BY t.name",
                                             part):
                tags.setdefault(aid, []).append(name)
            for aid in part:
                r = rows[aid]
                names = [self.group_name[g] for g in sorted(groups.get(aid, ()), key=self.group_rank.__getitem__)]
                yield {"uid": r[1], "source": self.source_uid[r[2]], "start": r[3], "end": r[4], "quote": r[5],
                       "prefix": r[6], "suffix": r[7], "note": r[8], "credibility": r[9], "orphaned": bool(r[10]),
                       "groups": names, "tags": tags.get(aid, []), "created_at": r[11], "updated_at": r[12]}

    def events(self) -> Iterator[dict]:
        ids = [eid for (eid,) in self.db.execute("SELECT id FROM events ORDER BY start_lo, uid")]
        q = self.db.execute
        for part, marks, rows in self._chunks(ids, f"SELECT {EVENT_COLUMNS}, attributes, key_event FROM events"):
            links: dict[int, list] = {}
            for eid, gid, role in q(f"SELECT event_id, group_id, role FROM event_groups WHERE event_id IN {marks}",
                                    part):
                links.setdefault(eid, []).append((self.group_rank[gid], self.group_name[gid], role))
            tags: dict[int, list[str]] = {}
            for eid, name in q("SELECT et.event_id, t.name FROM event_tags et JOIN tags t ON t.id = et.tag_id "
                               f"WHERE et.event_id IN {marks} ORDER BY t.name", part):
                tags.setdefault(eid, []).append(name)
            evidence: dict[int, list[dict]] = {}
            for eid, sid, aid, stance, note in q("SELECT event_id, source_id, annotation_id, stance, note "
                                                 f"FROM event_evidence WHERE event_id IN {marks} ORDER BY id", part):
                evidence.setdefault(eid, []).append({
                    "source": self.source_uid[sid], "annotation": self.annotation_uid.get(aid) if aid else None,
                    "stance": stance, "note": note})
            origins = {eid: rest for eid, *rest in q("SELECT event_id, origin, key, digest FROM event_origins "
                                                     f"WHERE event_id IN {marks}", part)}
            for eid in part:
                r = rows[eid]
                record = {
                    "uid": r[1], "title": r[2], "description": r[3],
                    "start": self._date(*r[4:10]), "end": self._date(*r[10:16]),
                    "location": r[16], "latitude": r[17], "longitude": r[18],
                    "event_type": r[19], "fatalities": r[20],
                }
                if r[24]:
                    record["key_event"] = True
                record.update(
                    groups=[{"group": name, "role": role} for _, name, role in sorted(links.get(eid, ()))],
                    tags=tags.get(eid, []), evidence=evidence.get(eid, []))
                if r[23] is not None:
                    try:
                        record["attributes"] = json.loads(r[23])
                    except ValueError as exc:
                        raise ProjectError(f"event {r[1]}: its stored attributes are not JSON ({exc})") from exc
                if eid in origins:
                    origin, key, digest = origins[eid]
                    record["origin"] = {"origin": origin, "key": key}
                    if digest is not None:
                        record["origin"]["digest"] = digest
                record.update(created_at=r[21], updated_at=r[22])
                yield record


def _iso(ts: Any) -> str:
    """A stored bound as `FuzzyDate.from_bounds(...).lo.isoformat()` writes it."""
    return datetime.fromtimestamp(ts, timezone.utc).isoformat()


def ordered_annotations(project: Project) -> tuple[list[Source], list[Annotation]]:
    """Sources by publication date (undated last), then uid; annotations by their source's place
    in that list, then offsets, then uid. The order of both exports, independent of row ids."""
    sources = sorted(project.sources(), key=lambda s: (s.published is None,
                                                       s.published.lo_ts if s.published else 0, s.uid))
    rank = {s.id: i for i, s in enumerate(sources)}
    return sources, sorted(project.annotations(), key=lambda a: (rank[a.source_id], a.start, a.end, a.uid))


# ---- the document's text, written and read a record at a time ----------------------------------
def _dumps(value: Any, indent: str) -> str:
    """`value` as json.dump(..., indent=2) writes it at a depth of `indent`. JSON text escapes
    every newline inside strings, so each "\\n" is a line break of the layout (which textwrap.indent
    would not give: it also breaks at U+2028, U+0085 and others, which JSON leaves as they are)."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + indent)


def write_document(path: str | os.PathLike, members: Iterable[tuple[str, Any]]) -> tuple[dict, dict[str, int]]:
    """Write the members of a document to `path` as `json.dump(dict(members), indent=2)` and a
    newline would, record by record for members whose value is an iterator; written next to it
    then renamed, so that a failed export leaves no half file (nor a truncated earlier export).
    Returns the members that are not lists, and the number of records of each list."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    header: dict[str, Any] = {}
    counts: dict[str, int] = {}
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            opening = "{\n  "
            for key, value in members:
                fh.write(f"{opening}{json.dumps(key, ensure_ascii=False)}: ")
                opening = ",\n  "
                if isinstance(value, (Iterator, list)):
                    n = 0
                    for record in value:
                        fh.write(("[\n    " if n == 0 else ",\n    ") + _dumps(record, "    "))
                        n += 1
                    fh.write("\n  ]" if n else "[]")
                    counts[key] = n
                else:
                    fh.write(_dumps(value, "  "))
                    header[key] = value
            fh.write("\n}\n" if opening != "{\n  " else "{}\n")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return header, counts


class ExportedDocument(Mapping):
    """What `export_native` wrote to a file, as a read-only mapping: its header members and, for
    each list, its length, at no cost; the records themselves are read back from the file the
    first time one is asked for (so that counting what an export wrote never loads it)."""

    def __init__(self, path: Path, header: dict, counts: dict[str, int]) -> None:
        self.path = path
        self.counts = dict(counts)
        self._header = dict(header)
        self._document: dict | None = None

    def document(self) -> dict:
        """The whole document, read back from the file (once)."""
        if self._document is None:
            self._document = json.loads(self.path.read_text(encoding="utf-8"))
        return self._document

    def __getitem__(self, key: str) -> Any:
        if self._document is not None:
            return self._document[key]
        if key in self.counts:
            return _Records(self, key)
        return self._header[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.document() if self._document is not None else [*self._header, *self.counts])

    def __len__(self) -> int:
        return len(self._header) + len(self.counts)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ExportedDocument):
            other = other.document()
        return isinstance(other, Mapping) and self.document() == dict(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ExportedDocument({str(self.path)!r}, {self.counts})"


class _Records(Sequence):
    """One list of an ExportedDocument: its length known, its items read from the file on demand."""

    def __init__(self, owner: ExportedDocument, key: str) -> None:
        self.owner, self.key = owner, key

    def __len__(self) -> int:
        return self.owner.counts[self.key]

    def __getitem__(self, index: Any) -> Any:
        return self.owner.document()[self.key][index]

    def __eq__(self, other: object) -> bool:
        return list(self) == (list(other) if isinstance(other, _Records) else other)

    __hash__ = None  # type: ignore[assignment]


NESTED_TOO_DEEPLY = "nested too deeply (lists or objects inside each other more than a thousand levels down)"


class JsonStream:
    """A JSON file read in pieces of about a megabyte: the members of its top-level object one at
    a time (`members`), then each member's value whole (`value`) or, for a list, item by item
    (`items`), so that a large document is never held as text nor as parsed objects. Errors are
    NativeImportError with the line and column in the whole file, as json.loads gives them (the
    caller adds the file's name)."""

    CHUNK = 1 << 20
    _SPACE = re.compile(r"[ \t\n\r]*")

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.fh = open(path, "rb")
        except FileNotFoundError as exc:
            raise NativeImportError("no such file") from exc
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.scan = json.JSONDecoder().raw_decode
        self.buf, self.pos, self.eof = "", 0, False
        self.started = False  # whether any text was read
        self.bytes_read = 0
        self.lines = 0  # line breaks in the text already dropped from the buffer
        self.column = 0  # characters after the last of them

    def close(self) -> None:
        self.fh.close()

    def __enter__(self) -> "JsonStream":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _read(self, at_least: int = 0) -> None:
        """Drop the parsed text, then read at least `at_least` more characters (or to the end)."""
        buf, pos = self.buf, self.pos
        if pos:
            breaks = buf.count("\n", 0, pos)
            self.lines += breaks
            self.column = pos - buf.rfind("\n", 0, pos) - 1 if breaks else self.column + pos
            self.buf, self.pos = buf[pos:], 0
        data = self.fh.read(max(self.CHUNK, at_least))
        pending = len(self.decoder.getstate()[0])
        try:
            text = self.decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            raise NativeImportError(f"not UTF-8 text (byte {self.bytes_read - pending + exc.start})") from exc
        self.bytes_read += len(data)
        self.eof = not data
        if text and not self.started:
            self.started = True
            if text[0] == "\ufeff":  # as json.loads: a BOM is no JSON
                raise self.error("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0)
        self.buf += text

    def error(self, message: str, pos: int | None = None) -> NativeImportError:
        pos = self.pos if pos is None else pos
        breaks = self.buf.count("\n", 0, pos)
        column = pos - self.buf.rfind("\n", 0, pos) if breaks else self.column + pos + 1
        return NativeImportError(f"not valid JSON: {message} at line {self.lines + breaks + 1}, column {column}")

    def peek(self) -> str:
        """The next character that is not white space ("" at the end), moving to it."""
        while True:
            self.pos = self._SPACE.match(self.buf, self.pos).end()
            if self.pos < len(self.buf) or self.eof:
                return self.buf[self.pos:self.pos + 1]
            self._read()

    def value(self) -> Any:
        """The JSON value that starts here (after `peek`), parsed whole."""
        while True:
            try:
                value, end = self.scan(self.buf, self.pos)
            except RecursionError:  # json's decoder recurses per level: a hostile file, not a traceback
                raise self.error(NESTED_TOO_DEEPLY) from None
            except json.JSONDecodeError as exc:
                if self.eof:
                    raise self.error(exc.msg, exc.pos) from None
                self._read(2 * (len(self.buf) - self.pos))  # a value cut by the buffer's end: read on
                continue
            except ValueError as exc:  # a number of more than 4,300 digits (int's guard against slow parsing)
                raise self.error(f"a number too long to read ({exc})".split(";")[0]) from None
            if end == len(self.buf) and not self.eof:  # a number may go on past the buffer: "12" of "125"
                self._read()
                continue
            self.pos = end
            return value

    def _expect(self, ch: str, message: str) -> None:
        if self.peek() != ch:
            raise self.error(message)
        self.pos += 1

    def members(self) -> Iterator[str]:
        """The keys of the top-level object; after each, the caller reads its value (`value`,
        `items` or `skip`) before asking for the next one."""
        self._expect("{", "Expecting '{'")
        if self.peek() == "}":
            self.pos += 1
        else:
            while True:
                if self.peek() != '"':
                    raise self.error("Expecting property name enclosed in double quotes")
                key = self.value()
                self._expect(":", "Expecting ':' delimiter")
                self.peek()
                yield key
                if self.peek() == "}":
                    self.pos += 1
                    break
                self._expect(",", "Expecting ',' delimiter")
        if self.peek():
            raise self.error("Extra data")

    def items(self) -> Iterator[Any]:
        """The items of the list that starts here, one at a time."""
        self._expect("[", "Expecting '['")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            self.peek()
            yield self.value()
            if self.peek() == "]":
                self.pos += 1
                return
            self._expect(",", "Expecting ',' delimiter")

    def skip(self) -> None:
        """Read past the value that starts here without keeping it."""
        if self.peek() == "[":
            for _ in self.items():
                pass
        else:
            self.value()
