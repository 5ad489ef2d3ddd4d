"""Import W3C Web Annotations (a collection, a page, one annotation, or a list) onto a project's sources.

What is read, per annotation (the form db.formats.w3c writes, and what other tools write of it):
- `target`: one SpecificResource whose `source` is `urn:uuid:<uid>` of a source of the project
  (or an object with that `id`), with a TextPositionSelector and/or a TextQuoteSelector.
- anchoring: the position is taken when its text is the quote (or there is no quote); else the
  quote is looked for, Hypothesis-like: where it occurs once in the text, there; else by
  db.text.anchoring (exact occurrences scored on prefix, suffix and nearness, then fuzzy), and what is
  not found becomes an orphan that keeps its quote (it can be re-attached in the reader). An
  annotation already stored as an orphan of the same quote stays one. A position outside the
  text is an error, not a guess.
- bodies: TextualBody commenting (or without purpose) and `bodyValue` → the note; tagging → a
  group when the value is a group's name, else a tag; assessing "B2" → credibility 2 (the letter
  grades the source, which the import leaves alone); SpecificResource linking to
  `urn:uuid:<event uid>` → evidence for that event pinned to the passage, with the stance its
  `label` begins with ("contradicts: ..."; supports when it says none). Bodies Sijill cannot hold
  (IRIs, other purposes, the orphan notice) are passed over.
- identity: an annotation whose id is `urn:uuid:X` is the annotation of uid X (or whose uid
  derives to X, see db.formats.w3c.urn); another id names one by a UUID derived from it, so a
  re-import updates instead of duplicating.

All or nothing: every item is read and checked first, errors are gathered (each naming the item,
its id and the field; up to 50, then a count) and, if there is any, nothing is written. Then only
the annotations that differ from what is stored are written, in one transaction: re-importing a
project's own export writes nothing. An annotation's links follow the document (doc wins, as in
the native import): a stored pinned link it lacks is removed; a missing one re-pins the event's
unpinned evidence from that source with the same stance when there is one (deleting an
annotation unpins its evidence, so a deleted annotation comes back whole), else is added.
"""
from __future__ import annotations

import json
import os
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sijill.db.store import schema
from sijill.db.text.anchoring import reanchor
from sijill.db.store.basics import ProjectError
from sijill.db.formats.native import NESTED_TOO_DEEPLY, ImportReport
from sijill.db.formats.w3c import UID_NAMESPACE, urn, utc_moment
from sijill.db.store.library import quote_parts
from sijill.db.store.entities import Annotation
from sijill.db.store.project import Project

MAX_LISTED_ERRORS = 50
_GRADE = re.compile(r"^([A-F?])([1-6?])$")


class W3CImportError(ProjectError):
    """W3C annotations cannot be imported; the message names the file, the items and fields."""


@dataclass
class W3CImportReport(ImportReport):
    """ImportReport (kind "annotations") and how the written annotations were anchored."""

    moved: int = 0  # found by their quote, not where their position said
    orphaned: int = 0  # quote not found in the source's text: stored as orphans
    links: dict[str, int] = field(default_factory=dict)  # evidence rows "added", "repinned", "updated", "removed"


@dataclass
class _Incoming:
    uid: str
    source_id: int
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    orphaned: bool
    note: str | None
    credibility: int | None
    groups: set[int]
    tags: list[str]
    links: dict[int, str]  # event id -> stance
    created_at: str | None
    updated_at: str | None
    moved: bool = False


class _Bad(Exception):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"field '{name}': {message}")


def import_w3c(project: Project, source: str | os.PathLike | dict | list) -> W3CImportReport:
    """Import W3C annotations from a file (or an already loaded document) into `project`."""
    name = "document" if isinstance(source, (dict, list)) else str(source)
    doc = source if isinstance(source, (dict, list)) else _load(Path(source))
    reader = _Reader(project)
    items = _items(doc, name)
    incoming: list[_Incoming] = []
    errors: list[str] = []
    seen: dict[str, str] = {}
    for where, item in items:
        ident = item.get("id") if isinstance(item, dict) else None
        label = f"{where} ({ident})" if isinstance(ident, str) else where
        try:
            inc = reader.item(item)
            if inc.uid in seen:
                raise _Bad("id", f"the same annotation as {seen[inc.uid]}")
            seen[inc.uid] = where
            incoming.append(inc)
        except _Bad as exc:
            errors.append(f"{label}, {exc}")
    if errors:
        listed = "\n".join(f"  {e}" for e in errors[:MAX_LISTED_ERRORS])
        more = f"\n  ... and {len(errors) - MAX_LISTED_ERRORS} more" if len(errors) > MAX_LISTED_ERRORS else ""
        raise W3CImportError(f"{name}: {len(errors)} annotation(s) cannot be imported; nothing was:\n{listed}{more}")
    report = W3CImportReport()
    todo = []
    for inc in incoming:
        stored = reader.stored.get(inc.uid)
        if stored is None or _differs(inc, stored, reader.pinned(stored.id)):
            report.count("annotations", "added" if stored is None else "updated")
            report.moved += inc.moved
            report.orphaned += inc.orphaned
            todo.append(inc)
        else:
            report.count("annotations", "unchanged")
    if todo:
        try:
            with project.batch("Import W3C annotations", kind="import"):
                for inc in todo:
                    _write(project, inc, report)
        except ProjectError as exc:
            raise W3CImportError(f"{name}: {exc}") from exc
    return report


def _load(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise W3CImportError(f"{path}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise W3CImportError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise W3CImportError(f"{path}: cannot be read ({exc.strerror})") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise W3CImportError(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from exc
    except RecursionError:
        raise W3CImportError(f"{path}: not JSON Sijill can read: {NESTED_TOO_DEEPLY}") from None


def _types(node: dict) -> list:
    value = node.get("type", node.get("@type"))
    return value if isinstance(value, list) else [value]


def _items(doc: Any, name: str) -> list[tuple[str, Any]]:
    """(where, item) for every annotation of a list, Annotation, AnnotationPage or collection."""
    if isinstance(doc, list):
        return [(f"[{i}]", item) for i, item in enumerate(doc)]
    if not isinstance(doc, dict):
        raise W3CImportError(f"{name}: expected a JSON object (an Annotation, AnnotationPage or "
                             f"AnnotationCollection), found {type(doc).__name__}")
    types = _types(doc)
    if "Annotation" in types:
        return [("annotation", doc)]
    if "AnnotationPage" in types:
        return _page(doc, name, "")
    if "AnnotationCollection" not in types:
        raise W3CImportError(f"{name}: 'type' is {doc.get('type')!r}; expected Annotation, AnnotationPage "
                             "or AnnotationCollection")
    out: list[tuple[str, Any]] = []
    page, path = doc.get("first"), "first"
    while page is not None:
        if not isinstance(page, dict):
            raise W3CImportError(f"{name}: '{path}' refers to a page ({page!r}) instead of holding it; "
                                 "Sijill reads embedded pages only (it fetches nothing)")
        out += _page(page, name, f"{path}.")
        page, path = page.get("next"), f"{path}.next"
    return out


def _page(page: dict, name: str, path: str) -> list[tuple[str, Any]]:
    items = page.get("items")
    if not isinstance(items, list):
        raise W3CImportError(f"{name}: '{path}items' must be a list of annotations")
    return [(f"{path}items[{i}]", item) for i, item in enumerate(items)]


class _Reader:
    """Reads one item at a time against the project (no writes); holds the lookups it needs."""

    def __init__(self, project: Project) -> None:
        self.p = project
        self.stored: dict[str, Annotation] = {a.uid: a for a in project.annotations()}
        self.annotation_by_urn = {urn(uid): uid for uid in self.stored}
        self.sources = {urn(s.uid): s for s in project.sources()}
        self.groups = {g.name: g.id for g in project.groups()}
        self._events: dict[str, int] | None = None
        self._pinned: dict[int, dict[int, tuple[int, str]]] | None = None

    def events(self) -> dict[str, int]:
        if self._events is None:
            self._events = {urn(uid): eid for eid, uid in self.p.db.execute("SELECT id, uid FROM events")}
        return self._events

    def pinned(self, annotation_id: int) -> dict[int, tuple[int, str]]:
        """event id -> (evidence id, stance) of the evidence pinned to an annotation."""
        if self._pinned is None:
            self._pinned = {}
            for ev in self.p.all_evidence():
                if ev.annotation_id is not None:
                    self._pinned.setdefault(ev.annotation_id, {}).setdefault(ev.event_id, (ev.id, ev.stance))
        return self._pinned.get(annotation_id, {})

    def item(self, item: Any) -> _Incoming:
        if not isinstance(item, dict):
            raise _Bad("type", f"expected an Annotation object, found {type(item).__name__}")
        if "Annotation" not in _types(item):
            raise _Bad("type", f"{item.get('type')!r} is not Annotation")
        ident = item.get("id")
        if not isinstance(ident, str) or not ident.strip():
            raise _Bad("id", "is missing (an Annotation must have an IRI)")
        uid = self._uid(ident)
        source, selectors = self._target(item.get("target"))
        stored = self.stored.get(uid)
        inc = self._anchor(uid, source, selectors, stored)
        self._bodies(item, inc)
        for key, name in (("created", "created_at"), ("modified", "updated_at")):
            if item.get(key) is not None:
                moment = utc_moment(item[key]) if isinstance(item[key], str) else None
                if moment is None:
                    raise _Bad(key, f"{item[key]!r} is not an xsd:dateTime")
                setattr(inc, name, moment.isoformat())
        return inc

    def _uid(self, ident: str) -> str:
        key = ident.lower() if ident.lower().startswith("urn:uuid:") else ident
        if key in self.annotation_by_urn:
            return self.annotation_by_urn[key]
        if key.startswith("urn:uuid:"):
            try:
                return str(uuid.UUID(ident[9:]))
            except ValueError as exc:
                raise _Bad("id", f"{ident!r} is not a valid urn:uuid") from exc
        return str(uuid.uuid5(UID_NAMESPACE, ident))

    def _target(self, target: Any) -> tuple[Any, list[dict]]:
        if target is None:
            raise _Bad("target", "is missing (an Annotation must have a target)")
        if isinstance(target, list):
            if len(target) != 1:
                raise _Bad("target", f"has {len(target)} targets; Sijill anchors an annotation in one source")
            target = target[0]
        if isinstance(target, str):
            raise _Bad("target", f"{target!r} names a whole resource; a passage needs a selector")
        if not isinstance(target, dict):
            raise _Bad("target", f"expected an object, found {type(target).__name__}")
        ref = target.get("source")
        ref = ref.get("id") if isinstance(ref, dict) else ref
        if not isinstance(ref, str):
            raise _Bad("target.source", "is missing (the urn:uuid of a source of the project)")
        key = ref.lower() if ref.lower().startswith("urn:uuid:") else ref
        if key not in self.sources:
            raise _Bad("target.source", f"unknown source {ref!r}: no source of the project has this uid")
        selectors = target.get("selector")
        if selectors is None:
            raise _Bad("target.selector", "is missing (a TextQuoteSelector or TextPositionSelector)")
        selectors = selectors if isinstance(selectors, list) else [selectors]
        if not all(isinstance(s, dict) for s in selectors):
            raise _Bad("target.selector", "expected selector objects")
        return self.sources[key], selectors

    def _anchor(self, uid: str, source: Any, selectors: list[dict], stored: Annotation | None) -> _Incoming:
        body, quote_sel, position = source.body, None, None
        for k, sel in enumerate(selectors):
            where = f"target.selector[{k}]"
            if "TextQuoteSelector" in _types(sel) and quote_sel is None:
                exact = sel.get("exact")
                if not isinstance(exact, str) or not exact:
                    raise _Bad(f"{where}.exact", "a TextQuoteSelector needs a non-empty text")
                for side in ("prefix", "suffix"):
                    if not isinstance(sel.get(side, ""), str):
                        raise _Bad(f"{where}.{side}", f"expected a text, found {sel[side]!r}")
                quote_sel = sel
            elif "TextPositionSelector" in _types(sel) and position is None:
                start, end = sel.get("start"), sel.get("end")
                for name, value in (("start", start), ("end", end)):
                    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                        raise _Bad(f"{where}.{name}", f"expected a non-negative integer, found {value!r}")
                if not start < end <= len(body):
                    raise _Bad(f"{where}.start", f"characters {start}–{end} are out of range: the source's text "
                                                 f"has {len(body)} characters (start < end <= length)")
                position = (start, end)
        if quote_sel is None and position is None:
            raise _Bad("target.selector", "has no TextQuoteSelector or TextPositionSelector")
        exact = quote_sel["exact"] if quote_sel else body[position[0]:position[1]]
        prefix = quote_sel.get("prefix") if quote_sel else None
        suffix = quote_sel.get("suffix") if quote_sel else None

        def passage(start: int, end: int, moved: bool, keep_context: bool) -> _Incoming:
            quote, pre, suf = quote_parts(body, start, end)
            if keep_context and prefix is not None and suffix is not None:
                pre, suf = prefix, suffix
            return _Incoming(uid, source.id, start, end, quote, pre, suf, False, None, None, set(), [], {},
                             None, None, moved)

        if position and body[position[0]:position[1]] == exact:
            return passage(*position, moved=False, keep_context=True)
        if stored and stored.orphaned and stored.source_id == source.id and stored.quote == exact:
            return _Incoming(uid, source.id, stored.start, stored.end, exact, stored.prefix, stored.suffix, True,
                             None, None, set(), [], {}, None, None)
        first = body.find(exact)
        if first >= 0 and body.find(exact, first + 1) < 0:
            return passage(first, first + len(exact), moved=position is not None, keep_context=False)
        hint = position or (0, len(exact))
        [found] = reanchor(None, body, [{"start": hint[0], "end": hint[1], "quote": exact,
                                         "prefix": prefix or "", "suffix": suffix or ""}])
        if found.status != "orphaned":
            return passage(found.start, found.end, moved=position is not None or found.method == "fuzzy",
                           keep_context=False)
        return _Incoming(uid, source.id, hint[0], hint[1], exact, prefix or "", suffix or "", True, None, None,
                         set(), [], {}, None, None)

    def _bodies(self, item: dict, inc: _Incoming) -> None:
        bodies = item.get("body", [])
        bodies = bodies if isinstance(bodies, list) else [bodies]
        notes = [item["bodyValue"]] if isinstance(item.get("bodyValue"), str) else []
        for k, body in enumerate(bodies):
            if not isinstance(body, dict):
                continue  # an IRI: a resource Sijill cannot hold
            purpose = body.get("purpose")
            purposes = purpose if isinstance(purpose, list) else [purpose]
            types = _types(body)
            if "SpecificResource" in types or ("source" in body and "value" not in body):
                ref = body.get("source")
                ref = ref.get("id") if isinstance(ref, dict) else ref
                if not isinstance(ref, str):
                    raise _Bad(f"body[{k}].source", "is missing (a SpecificResource must have a source)")
                if "linking" in purposes and ref.lower().startswith("urn:uuid:"):
                    event = self.events().get(ref.lower())
                    if event is None:
                        raise _Bad(f"body[{k}].source", f"unknown event {ref!r}: no event of the project has this uid")
                    label = body.get("label")
                    stance = label.split(":", 1)[0].strip() if isinstance(label, str) else ""
                    inc.links[event] = stance if stance in schema.STANCES else "supports"
                continue
            if "TextualBody" not in types and "value" not in body:
                continue
            value = body.get("value")
            if not isinstance(value, str):
                raise _Bad(f"body[{k}].value", "is missing (a TextualBody must have a text value)")
            if purposes == [None] or "commenting" in purposes:
                notes.append(value)
            elif "tagging" in purposes and value.strip():
                if value.strip() in self.groups:
                    inc.groups.add(self.groups[value.strip()])
                elif value.strip() not in inc.tags:
                    inc.tags.append(value.strip())
            elif "assessing" in purposes:
                grade = _GRADE.match(value.strip())
                if not grade:
                    raise _Bad(f"body[{k}].value", f"grade {value!r} is not a letter A–F and a figure 1–6 "
                                                   "('?' for either)")
                inc.credibility = None if grade[2] == "?" else int(grade[2])
        inc.note = "\n\n".join(n for n in notes if n.strip()) or None


def _differs(inc: _Incoming, a: Annotation, pinned: dict[int, tuple[int, str]]) -> bool:
    if (a.source_id, a.start, a.end, a.quote, a.prefix, a.suffix, a.orphaned, a.note, a.credibility) != (
            inc.source_id, inc.start, inc.end, inc.quote, inc.prefix, inc.suffix, inc.orphaned, inc.note,
            inc.credibility):
        return True
    if set(a.group_ids) != inc.groups or set(a.tags) != set(inc.tags):
        return True
    if {event: stance for event, (_, stance) in pinned.items()} != inc.links:
        return True
    return any(new and utc_moment(new) != utc_moment(old)
               for new, old in ((inc.created_at, a.created_at), (inc.updated_at, a.updated_at)))


def _write(project: Project, inc: _Incoming, report: W3CImportReport) -> None:
    ann = project.put_annotation(
        uid=inc.uid, source_id=inc.source_id, start=inc.start, end=inc.end, quote=inc.quote, prefix=inc.prefix,
        suffix=inc.suffix, note=inc.note, credibility=inc.credibility, orphaned=inc.orphaned,
        groups=sorted(inc.groups), tags=inc.tags, created_at=inc.created_at, updated_at=inc.updated_at)
    db = project.db

    def tally(what: str) -> None:
        report.links[what] = report.links.get(what, 0) + 1

    stored: dict[int, int] = {}
    for ev in project.evidence_for_annotation(ann.id):
        if ev.event_id not in inc.links or ev.event_id in stored:
            project.remove_evidence(ev.id)
            tally("removed")
            continue
        stored[ev.event_id] = ev.id
        if inc.links[ev.event_id] != ev.stance:
            project.update_evidence(ev.id, stance=inc.links[ev.event_id])
            tally("updated")
    for event, stance in inc.links.items():
        if event in stored:
            continue
        row = db.execute("SELECT id FROM event_evidence WHERE event_id = ? AND source_id = ? AND annotation_id IS NULL "
                         "AND stance = ? ORDER BY id LIMIT 1", [event, inc.source_id, stance]).fetchone()
        if row:
            db.execute("UPDATE event_evidence SET annotation_id = ? WHERE id = ?", [ann.id, row[0]])
            tally("repinned")
        else:
            project.add_evidence(event, annotation_id=ann.id, stance=stance)
            tally("added")
