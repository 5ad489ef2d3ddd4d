"""Export a project's annotations as a W3C Web Annotation collection (JSON-LD).

Form chosen (Web Annotation Data Model, 2017, §5 Collections): one `AnnotationCollection` with
`label` (the project's title) and `total`, whose `first` page is *embedded*: an `AnnotationPage`
holding every annotation in `items` (a valid form: the model allows the first page to be given
inline instead of by reference, and a single page needs no `next`). Identifiers are `urn:uuid:`
IRIs built from Sijill's uids, so a re-export keeps identity. "@context" names the standard
context document; it is an identifier, nothing is fetched.

Each annotation (items[i]):
- `target`: a SpecificResource whose `source` is the Sijill source (`urn:uuid:<source uid>`,
  type Text, its language and, for Arabic, `textDirection` rtl; the URL the text came from, when
  known, as `via`), with two alternative selectors that pick the same passage: a TextQuoteSelector
  (exact, prefix, suffix) and a TextPositionSelector (start, end in Unicode code points, end
  excluded, counted in the source's stored text). Orphaned annotations (their passage is no longer
  in the text) carry only the TextQuoteSelector and a `describing` body saying so.
- bodies: the note (TextualBody, purpose commenting, language of the source); one TextualBody per
  tag and per linked group (purpose tagging); one SpecificResource per linked event (purpose
  linking, `source` = `urn:uuid:<event uid>`, `value` = "<stance>: <event title> (<date>)", the
  pattern Recogito uses for labelled links); the Admiralty grade as a TextualBody with purpose
  assessing, e.g. "B2" (source reliability, information credibility; "?" for an ungraded half).
- `motivation`: commenting when there is a note, else linking when linked to an event, else
  tagging when tagged, else highlighting.
"""
from __future__ import annotations

import os
import uuid
from datetime import datetime, timezone
from pathlib import Path

from db.common import write_json
from db.models import Annotation, Evidence, Source

# The JSON-LD context the W3C model requires: an identifier written into the file, never fetched.
CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ORPHAN_NOTE = ("Orphaned: this passage was not found in the source's current text; only the quote "
               "identifies it.")


def export_w3c(project, path: str | os.PathLike | None = None) -> dict:
    """Every annotation of the project as a W3C AnnotationCollection; written to `path` (UTF-8)
    when given. Returns the document."""
    sources = {s.id: s for s in project.sources()}
    group_names = {g.id: g.name for g in project.groups()}
    events: dict[int, object] = {}
    pinned: dict[int, list[Evidence]] = {}
    for ev in project.all_evidence():
        if ev.annotation_id is not None:
            pinned.setdefault(ev.annotation_id, []).append(ev)
    items = []
    for ann in project.annotations():
        links = []
        for ev in pinned.get(ann.id, ()):
            if ev.event_id not in events:
                events[ev.event_id] = project.event(ev.event_id)
            links.append((ev.stance, events[ev.event_id]))
        items.append(annotation_to_w3c(ann, sources[ann.source_id], group_names, links))
    collection_id = _collection_uuid(project)
    page_id = uuid.uuid5(collection_id, "page-1")
    doc = {
        "@context": [CONTEXT],
        "id": f"urn:uuid:{collection_id}",
        "type": "AnnotationCollection",
        "label": project.title,
        "total": len(items),
        "first": {
            "id": f"urn:uuid:{page_id}",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
        "last": f"urn:uuid:{page_id}",
    }
    if path is not None:
        write_json(path, doc)
    return doc


def annotation_to_w3c(ann: Annotation, source: Source, group_names: dict[int, str],
                      links: list[tuple[str, object]]) -> dict:
    """One annotation as a W3C Annotation (without @context: it sits inside the collection)."""
    bodies: list[dict] = []
    language = source.language or None
    if ann.note:
        bodies.append(_textual(ann.note, "commenting", language))
    for tag in ann.tags:
        bodies.append(_textual(tag, "tagging"))
    for gid in ann.group_ids:
        if gid in group_names:
            bodies.append(_textual(group_names[gid], "tagging"))
    for stance, event in links:
        bodies.append({"type": "SpecificResource", "purpose": "linking",
                       "source": f"urn:uuid:{event.uid}",
                       "value": f"{stance}: {event.title} ({event.start.display()})"})
    if source.reliability or ann.credibility:
        grade = f"{source.reliability or '?'}{ann.credibility or '?'}"
        bodies.append(_textual(grade, "assessing"))
    if ann.orphaned:
        bodies.append(_textual(ORPHAN_NOTE, "describing", "en"))

    selectors: list[dict] = [{"type": "TextQuoteSelector", "exact": ann.quote,
                              "prefix": ann.prefix, "suffix": ann.suffix}]
    if not ann.orphaned:
        selectors.append({"type": "TextPositionSelector", "start": ann.start, "end": ann.end})
    target_source: dict = {"id": f"urn:uuid:{source.uid}", "type": "Text", "format": "text/plain"}
    if language:
        target_source["language"] = language
        if language == "ar":
            target_source["textDirection"] = "rtl"
    if source.url:
        target_source["via"] = source.url

    if ann.note:
        motivation = "commenting"
    elif links:
        motivation = "linking"
    elif ann.tags or ann.group_ids:
        motivation = "tagging"
    else:
        motivation = "highlighting"
    out: dict = {"id": f"urn:uuid:{ann.uid}", "type": "Annotation", "motivation": motivation}
    for key, stamp in (("created", ann.created_at), ("modified", ann.updated_at)):
        iso = _utc(stamp)
        if iso:
            out[key] = iso
    if bodies:
        out["body"] = bodies
    out["target"] = {"type": "SpecificResource", "source": target_source, "selector": selectors}
    return out


def _textual(value: str, purpose: str, language: str | None = None) -> dict:
    body = {"type": "TextualBody", "value": value, "purpose": purpose, "format": "text/plain"}
    if language:
        body["language"] = language
    return body


def _utc(stamp: str | None) -> str | None:
    """xsd:dateTime in UTC with a "Z", as the model asks; None when the stored value is unreadable."""
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _collection_uuid(project) -> uuid.UUID:
    """A stable id for the collection: the project's uid if it records one, else one derived from
    the project file's location (the same file exports the same collection id)."""
    stored = project.get_meta("uid")
    if stored:
        try:
            return uuid.UUID(stored)
        except ValueError:
            pass
    return uuid.uuid5(uuid.NAMESPACE_URL, Path(project.path).resolve().as_uri())
