"""Export a project's annotations as a W3C Web Annotation collection (JSON-LD); shared helpers.

Form chosen (Web Annotation Data Model, 2017, §5 Collections): one `AnnotationCollection` with
`label` (the project's title) and `total`, whose `first` page is *embedded*: an `AnnotationPage`
holding every annotation in `items` (a valid form: the model allows the first page to be given
inline instead of by reference, and a single page needs no `next`). "@context" is the standard
context, as a single string (the model: "if there is only one value, it MUST be a string"); it is
an identifier, nothing is fetched. No term outside that context is used, so a JSON-LD processor
drops nothing (tests/formats/test_w3c.py expands the export with pyld against a local copy).

Identifiers are `urn:uuid:` IRIs (RFC 4122): the collection's is the project's uid (Project.uid,
kept by copies of the file, never derived from its path), the page's derives from it, and each
annotation, source and event has its Sijill uid (`urn`), or a UUID derived from it when a uid is
not a UUID (hand-written native imports may use any text), so every id is a valid URN and stable.

Each annotation (items[i]), in the order of the native export (source, offsets, uid):
- `target`: a SpecificResource whose `source` is the Sijill source (`urn:uuid:<source uid>`,
  type Text, its language and, for Arabic, `textDirection` rtl; the URL the text came from, when
  known, as `via`), with two selectors that pick the same passage: a TextQuoteSelector (exact,
  prefix, suffix) and a TextPositionSelector (start, end in Unicode code points, end excluded,
  counted in the source's stored text). Orphaned annotations (their passage is no longer in the
  text) carry only the TextQuoteSelector and a `describing` body saying so.
- bodies: the note (TextualBody, purpose commenting, with the *note's* language when its text
  shows it: Arabic script, or clearly English or French words; left out when unsure, since
  analysts often comment in English on Arabic or French sources); one TextualBody per tag and
  per linked group (purpose tagging); one SpecificResource per linked event (purpose linking,
  `source` = `urn:uuid:<event uid>` and, as a SpecificResource has no `value`, a `label` (rdfs:label)
  "<stance>: <event title> (<date>)" whose first word is the stance, which import reads back);
  the Admiralty grade as a TextualBody with purpose assessing, e.g. "B2" (source reliability,
  information credibility; "?" for an ungraded half); when the source's stored text is a summary
  (Source.summary: the demo's are) rather than the document's own words, a TextualBody with purpose
  describing says so, so that the quoted passage is not read as the article's wording.
- `motivation`: commenting when there is a note, else linking when linked to an event, else
  tagging when tagged, else highlighting.
"""
from __future__ import annotations

import os
import re
import uuid
from datetime import datetime, timezone

from sijill.db.store.basics import ProjectError, write_json
from sijill.db.formats.native import ordered_annotations
from sijill.db.store.entities import Annotation, Event, Evidence, Source
from sijill.db.store.project import Project

# The JSON-LD context the W3C model requires: an identifier written into the file, never fetched.
CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ORPHAN_NOTE = ("Orphaned: this passage was not found in the source's current text; only the quote "
               "identifies it.")
SUMMARY_NOTE = ("Summary: the source's text is a summary written for this project, not the article's own words; "
                "the quoted passage is from that summary.")
# Seeds the UUIDs derived from uids that are not UUIDs themselves (version 5, so always the same).
UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://sijill.invalid/uid")


def urn(uid: str) -> str:
    """The `urn:uuid:` IRI of a Sijill uid (see the module's docstring)."""
    try:
        return f"urn:uuid:{uuid.UUID(uid)}"
    except (ValueError, TypeError, AttributeError):
        return f"urn:uuid:{uuid.uuid5(UID_NAMESPACE, str(uid))}"


# ---- the language of a note ------------------------------------------------------------------
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_ENGLISH = frozenset("the an and of to in on for with by from at as is was were are be been has have had that "
                     "this these which it its not no only after before says said but or than same first "
                     "their they he she we who".split())
_FRENCH = frozenset("le la les des du de un une et est sont dans pour par sur avec que qui au aux ce cette ces "
                    "il elle ils pas ne été selon après avant mais ou son sa ses leur en janvier février mars "
                    "avril mai juin juillet août septembre octobre novembre décembre".split())
_FRENCH_LETTERS = re.compile("[éèêàçùûôîïœ]")


def note_language(text: str) -> str | None:
    """The language of a note, when its text shows it: "ar" when Arabic script makes up most of
    its letters; "en" or "fr" when that language's common words (and, for French, its accented
    letters) outnumber the other's at least two to one, counting two at least, or when a note of
    three words or more has one and the other none; else None (the note is too short to tell)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return None
    if sum(1 for c in letters if _ARABIC.match(c)) * 2 > len(letters):
        return "ar"
    words = [w.lower() for w in _WORD.findall(text)]
    en = sum(w in _ENGLISH for w in words)
    fr = sum(w in _FRENCH or bool(_FRENCH_LETTERS.search(w)) for w in words)
    for lang, score, other in (("en", en, fr), ("fr", fr, en)):
        if (score >= 2 and score >= 2 * other) or (score == 1 and other == 0 and len(words) >= 3):
            return lang
    return None


# ---- export -----------------------------------------------------------------------------------
def export_w3c(project: Project, path: str | os.PathLike | None = None) -> dict:
    """Every annotation of the project as a W3C AnnotationCollection; written to `path` (UTF-8)
    when given. Returns the document."""
    if not project.uid:
        raise ProjectError(f"{project.path.name}: the project has no uid to name its annotation collection")
    sources, annotations = ordered_annotations(project)
    by_id = {s.id: s for s in sources}
    groups = project.groups()
    group_rank = {g.id: i for i, g in enumerate(groups)}
    group_names = {g.id: g.name for g in groups}
    events: dict[int, Event] = {}
    pinned: dict[int, list[Evidence]] = {}
    for ev in project.all_evidence():
        if ev.annotation_id is not None:
            pinned.setdefault(ev.annotation_id, []).append(ev)
    items = []
    for ann in annotations:
        links = []
        for ev in pinned.get(ann.id, ()):
            if ev.event_id not in events:
                events[ev.event_id] = project.event(ev.event_id)
            links.append((ev.stance, events[ev.event_id]))
        links.sort(key=lambda link: (link[1].start.lo_ts, link[1].uid, link[0]))
        group_ids = sorted((g for g in ann.group_ids if g in group_rank), key=group_rank.__getitem__)
        items.append(annotation_to_w3c(ann, by_id[ann.source_id], [group_names[g] for g in group_ids], links))
    collection = urn(project.uid)
    page = f"urn:uuid:{uuid.uuid5(uuid.UUID(collection[9:]), 'page-1')}"
    doc = {
        "@context": CONTEXT,
        "id": collection,
        "type": "AnnotationCollection",
        "label": project.title,
        "total": len(items),
        "first": {"id": page, "type": "AnnotationPage", "startIndex": 0, "items": items},
        "last": page,
    }
    if path is not None:
        write_json(path, doc)
    return doc


def annotation_to_w3c(ann: Annotation, source: Source, groups: list[str], links: list[tuple[str, Event]]) -> dict:
    """One annotation as a W3C Annotation (without @context: it sits inside the collection)."""
    bodies: list[dict] = []
    if ann.note:
        bodies.append(_textual(ann.note, "commenting", note_language(ann.note)))
    for name in [*sorted(ann.tags), *groups]:
        bodies.append(_textual(name, "tagging"))
    for stance, event in links:
        bodies.append({"type": "SpecificResource", "purpose": "linking", "source": urn(event.uid),
                       "label": f"{stance}: {event.title} ({event.start.display()})"})
    if source.reliability or ann.credibility:
        bodies.append(_textual(f"{source.reliability or '?'}{ann.credibility or '?'}", "assessing"))
    if ann.orphaned:
        bodies.append(_textual(ORPHAN_NOTE, "describing", "en"))
    if source.summary:
        bodies.append(_textual(SUMMARY_NOTE, "describing", "en"))

    selectors: list[dict] = [{"type": "TextQuoteSelector", "exact": ann.quote,
                              "prefix": ann.prefix, "suffix": ann.suffix}]
    if not ann.orphaned:
        selectors.append({"type": "TextPositionSelector", "start": ann.start, "end": ann.end})
    target_source: dict = {"id": urn(source.uid), "type": "Text", "format": "text/plain"}
    if source.language:
        target_source["language"] = source.language
        if source.language == "ar":
            target_source["textDirection"] = "rtl"
    if source.url:
        target_source["via"] = source.url

    if ann.note:
        motivation = "commenting"
    elif links:
        motivation = "linking"
    elif ann.tags or groups:
        motivation = "tagging"
    else:
        motivation = "highlighting"
    out: dict = {"id": urn(ann.uid), "type": "Annotation", "motivation": motivation}
    for key, stamp in (("created", ann.created_at), ("modified", ann.updated_at)):
        iso = utc_text(stamp)
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
        if language == "ar":
            body["textDirection"] = "rtl"
    return body


def utc_moment(stamp: str | None) -> datetime | None:
    """A stored or imported timestamp as an aware UTC datetime to the second; None if unreadable."""
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp)
    except (ValueError, TypeError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).replace(microsecond=0)


def utc_text(stamp: str | None) -> str | None:
    """xsd:dateTime in UTC with a "Z", as the model asks; None when the stored value is unreadable."""
    moment = utc_moment(stamp)
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")
