"""W3C Web Annotation export: an AnnotationCollection whose items carry quote and position
selectors (code points), bodies for notes, tags, groups, event links and grades."""
from __future__ import annotations

import json
import re
import shutil
import uuid
from pathlib import Path

import pytest

from sijill.db.formats.w3c import CONTEXT, export_w3c, note_language
from sijill.db.store.project import Project

FLAG_BODY = ("Statement \U0001F1EE\U0001F1F6 posted at 09:12 \U0001F6A8: the base at Tower 22 was attacked "
             "by a one-way drone before dawn.")


@pytest.fixture
def annotated(small_project: Project):
    p = small_project
    kh = p.group_by_name("Kataib Hezbollah")
    tower = next(e for e in p.events() if e.title == "Tower 22 attack")
    en = p.create_source("Ministry statement", FLAG_BODY, outlet="Ministry", url="https://example.org/statement",
                         language="en", reliability="B", published="2024-01-28")
    ar = p.create_source("بيان", "قالت المقاومة الإسلامية في العراق إنها استهدفت قاعدة أمريكية بطائرة مسيّرة.",
                         language="ar", reliability="D")
    start, end = p.find_quote(en.id, "the base at Tower 22 was attacked")
    graded = p.create_annotation(en.id, start, end, note="earliest official account", credibility=2,
                                 groups=[kh.id], tags=["drone", "claim"])
    p.add_evidence(tower.id, annotation_id=graded.id, stance="supports")
    start, end = p.find_quote(ar.id, "استهدفت قاعدة أمريكية")
    arabic = p.create_annotation(ar.id, start, end, note="تبنٍّ صريح")
    start, end = p.find_quote(en.id, "before dawn")
    orphan = p.create_annotation(en.id, start, end)
    assert p.replace_source_text(en.id, FLAG_BODY.replace("before dawn", "at night"))["orphaned"] == 1
    plain = p.create_annotation(en.id, *p.find_quote(en.id, "Statement"))
    return p, {"graded": graded, "arabic": arabic, "orphan": p.annotation(orphan.id), "plain": plain,
               "tower": tower, "en": p.source(en.id), "ar": ar}


def _items(doc: dict) -> dict[str, dict]:
    return {item["id"]: item for item in doc["first"]["items"]}


def _selector(item: dict, kind: str) -> dict | None:
    return next((s for s in item["target"]["selector"] if s["type"] == kind), None)


def test_collection_shape_and_round_trip(annotated, tmp_path):
    project, a = annotated
    out = tmp_path / "annotations.jsonld"
    doc = export_w3c(project, out)
    text = out.read_text("utf-8")
    assert json.loads(text) == doc  # valid JSON, and what was returned is what was written
    assert json.loads(json.dumps(doc)) == doc
    assert not (tmp_path / "annotations.jsonld.part").exists()
    assert "\\u" not in text  # Arabic and emoji written as UTF-8, not escaped

    assert doc["@context"] == CONTEXT == "http://www.w3.org/ns/anno.jsonld"  # one context: a string
    assert doc["type"] == "AnnotationCollection"
    assert doc["label"] == project.title
    assert doc["id"] == f"urn:uuid:{project.uid}"
    assert doc["total"] == 4 == len(doc["first"]["items"])
    page = doc["first"]
    assert page["type"] == "AnnotationPage" and page["startIndex"] == 0 and page["id"].startswith("urn:uuid:")
    assert doc["last"] == page["id"]
    expected_ids = {f"urn:uuid:{ann.uid}" for ann in project.annotations()}
    assert set(_items(doc)) == expected_ids  # every annotation appears, once
    for item in page["items"]:
        assert item["type"] == "Annotation"
        assert item["created"].endswith("Z") and item["modified"].endswith("Z")
    assert export_w3c(project)["id"] == doc["id"]  # a stable collection id


def test_positions_are_code_points_even_after_flags_and_emoji(annotated):
    project, a = annotated
    item = _items(export_w3c(project))[f"urn:uuid:{a['graded'].uid}"]
    quote = _selector(item, "TextQuoteSelector")
    pos = _selector(item, "TextPositionSelector")
    body = a["en"].body
    assert quote["exact"] == "the base at Tower 22 was attacked"
    assert body[pos["start"]:pos["end"]] == quote["exact"]
    # 3 characters outside the BMP precede the quote: 6 UTF-16 units, 3 code points
    assert pos["start"] == len("Statement ") + 2 + len(" posted at 09:12 ") + 1 + len(": ")
    assert pos["start"] == len(body[:pos["start"]].encode("utf-16-le")) // 2 - 3
    assert quote["prefix"] == body[max(0, pos["start"] - 32):pos["start"]]
    assert quote["suffix"] == body[pos["end"]:pos["end"] + 32]


def test_bodies_note_tags_groups_links_and_grade(annotated):
    project, a = annotated
    item = _items(export_w3c(project))[f"urn:uuid:{a['graded'].uid}"]
    assert item["motivation"] == "commenting"
    bodies = item["body"]
    by_purpose: dict[str, list[dict]] = {}
    for b in bodies:
        by_purpose.setdefault(b["purpose"], []).append(b)
    # three words that say no language: none is claimed (the source's "en" is not the note's)
    assert by_purpose["commenting"] == [{"type": "TextualBody", "value": "earliest official account",
                                         "purpose": "commenting", "format": "text/plain"}]
    assert sorted(b["value"] for b in by_purpose["tagging"]) == ["Kataib Hezbollah", "claim", "drone"]
    assert by_purpose["linking"] == [{"type": "SpecificResource", "purpose": "linking",
                                      "source": f"urn:uuid:{a['tower'].uid}",
                                      "label": "supports: Tower 22 attack (28 Jan 2024)"}]
    assert [b["value"] for b in by_purpose["assessing"]] == ["B2"]
    target = item["target"]
    assert target["source"] == {"id": f"urn:uuid:{a['en'].uid}", "type": "Text", "format": "text/plain",
                                "language": "en", "via": "https://example.org/statement"}


def test_arabic_annotation_is_right_to_left_and_graded_without_credibility(annotated):
    project, a = annotated
    item = _items(export_w3c(project))[f"urn:uuid:{a['arabic'].uid}"]
    assert item["target"]["source"]["language"] == "ar"
    assert item["target"]["source"]["textDirection"] == "rtl"
    note = next(b for b in item["body"] if b["purpose"] == "commenting")
    assert note["value"] == "تبنٍّ صريح" and note["language"] == "ar"
    assert next(b for b in item["body"] if b["purpose"] == "assessing")["value"] == "D?"
    pos = _selector(item, "TextPositionSelector")
    assert a["ar"].body[pos["start"]:pos["end"]] == "استهدفت قاعدة أمريكية"


def test_orphaned_annotation_has_only_the_quote_and_says_so(annotated):
    project, a = annotated
    item = _items(export_w3c(project))[f"urn:uuid:{a['orphan'].uid}"]
    assert [s["type"] for s in item["target"]["selector"]] == ["TextQuoteSelector"]
    assert item["target"]["selector"][0]["exact"] == "before dawn"
    describing = [b for b in item["body"] if b["purpose"] == "describing"]
    assert len(describing) == 1 and describing[0]["value"].startswith("Orphaned")


def test_plain_highlight(annotated):
    project, a = annotated
    item = _items(export_w3c(project))[f"urn:uuid:{a['plain'].uid}"]
    assert item["motivation"] == "highlighting"
    assert [b["purpose"] for b in item["body"]] == ["assessing"]  # the source's grade, "B?"


def test_empty_project_exports_an_empty_collection(project, tmp_path):
    doc = export_w3c(project, tmp_path / "empty.jsonld")
    assert doc["total"] == 0 and doc["first"]["items"] == []
    assert json.loads((tmp_path / "empty.jsonld").read_text("utf-8")) == doc


def test_collection_id_is_the_projects_uid_not_its_path(annotated, tmp_path):
    project, _ = annotated
    doc = export_w3c(project)
    project.close()
    moved = tmp_path / "elsewhere.sijill"
    shutil.copy(project.path, moved)
    with Project.open(moved) as copied:
        assert export_w3c(copied)["id"] == doc["id"] == f"urn:uuid:{copied.uid}"
    with Project.create(tmp_path / "other.sijill") as other:
        assert export_w3c(other)["id"] != doc["id"]


@pytest.mark.parametrize("text, language", [
    ("تبنٍّ صريح", "ar"),
    ("Claimed by the group on its Telegram channel.", "en"),
    ("Iraqi government toll for the strikes near Hilla.", "en"),
    ("Annonce du 26 juin 2016.", "fr"),
    ("Le bilan a été revu à la hausse selon la police.", "fr"),
    ("PMF denial.", None),
    ("B2", None),
])
def test_note_language_is_the_notes_own(text, language):
    assert note_language(text) == language


def test_english_notes_on_arabic_sources_are_not_tagged_arabic(small_project):
    p = small_project
    src = p.create_source("بيان", "قالت المقاومة الإسلامية في العراق إنها استهدفت قاعدة أمريكية بطائرة مسيّرة.",
                          language="ar")
    notes = ["IRI claim naming the target; not independently confirmed.", "Iraqi command says the strike hit a base.",
             "Non-binding on the government in practice."]
    for note, word in zip(notes, ("استهدفت", "قاعدة", "أمريكية")):
        p.create_annotation(src.id, *p.find_quote(src.id, word), note=note)
    items = export_w3c(p)["first"]["items"]
    languages = [b.get("language") for item in items for b in item["body"] if b["purpose"] == "commenting"]
    assert languages == ["en", "en", "en"]
    assert all(item["target"]["source"]["language"] == "ar" for item in items)  # the source's stays


def test_every_id_is_a_valid_urn_even_for_uids_that_are_not_uuids(project):
    from sijill.db.formats.native import import_native

    import_native(project, {"format": "sijill", "version": 2, "groups": [],
                            "sources": [{"uid": "src-1", "title": "S", "body": "A drone hit the base."}],
                            "annotations": [{"uid": "ann 1", "source": "src-1", "quote": "drone"}],
                            "events": [{"uid": "e1", "title": "Strike", "start": "2024-01-28",
                                        "evidence": [{"source": "src-1", "annotation": "ann 1"}]}]})
    [item] = export_w3c(project)["first"]["items"]
    ids = [item["id"], item["target"]["source"]["id"], next(b["source"] for b in item["body"] if "source" in b)]
    for ident in ids:
        assert ident.startswith("urn:uuid:") and str(uuid.UUID(ident[9:])) == ident[9:]
    assert len(set(ids)) == 3
    assert export_w3c(project)["first"]["items"][0]["id"] == item["id"]  # derived ids are stable


# ---- JSON-LD: the export read by a JSON-LD processor against the W3C context ---------------------
ANNO_CONTEXT = json.loads((Path(__file__).parent / "data" / "anno.jsonld").read_text("utf-8"))
OA = "http://www.w3.org/ns/oa#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_VALUE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def local_loader(url: str, options: dict | None = None) -> dict:
    """pyld document loader serving the bundled copy of the W3C context (tests/formats/data/
    anno.jsonld, the context of the Web Annotation Data Model Recommendation, W3C Document
    License) and refusing everything else: tests never fetch."""
    if url.split("://", 1)[-1] == "www.w3.org/ns/anno.jsonld":
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": ANNO_CONTEXT}
    raise AssertionError(f"the export made a JSON-LD processor fetch {url}")


def _nodes(value):
    """Every node object of an expanded JSON-LD document."""
    if isinstance(value, list):
        for v in value:
            yield from _nodes(v)
    elif isinstance(value, dict):
        if "@list" in value:
            yield from _nodes(value["@list"])
        elif "@value" not in value:
            yield value
            for key, v in value.items():
                if not key.startswith("@"):
                    yield from _nodes(v)


def _keys(value):
    if isinstance(value, list):
        for v in value:
            yield from _keys(v)
    elif isinstance(value, dict):
        for key, v in value.items():
            yield key
            yield from _keys(v)


def test_export_is_valid_json_ld_and_meets_the_models_musts(annotated):
    from pyld import jsonld
    project, _ = annotated
    doc = export_w3c(project)
    terms = set(ANNO_CONTEXT["@context"]) | {"@context"}
    assert set(_keys(doc)) <= terms  # no term outside the W3C context: nothing is dropped on expansion
    expanded = jsonld.expand(doc, {"documentLoader": local_loader})
    nodes = list(_nodes(expanded))
    annotations = [n for n in nodes if f"{OA}Annotation" in n.get("@type", ())]
    assert len(annotations) == doc["total"] == 4
    checked = {"TextualBody": 0, "SpecificResource": 0, "TextPositionSelector": 0, "TextQuoteSelector": 0}
    for n in annotations:
        assert str(uuid.UUID(n["@id"].removeprefix("urn:uuid:"))) == n["@id"][9:]  # id: a urn:uuid IRI
        assert len(n[f"{OA}hasTarget"]) == 1
        for key in ("http://purl.org/dc/terms/created", "http://purl.org/dc/terms/modified"):
            [stamp] = n[key]
            assert stamp["@type"] == f"{XSD}dateTime" and DATETIME.match(stamp["@value"])
        for purpose in n.get(f"{OA}hasBody", []):
            assert purpose[f"{OA}hasPurpose"][0]["@id"].startswith(OA)  # a W3C motivation, not a relative IRI
        assert n[f"{OA}motivatedBy"][0]["@id"].startswith(OA)
    for n in nodes:
        types = n.get("@type", ())
        if f"{OA}TextualBody" in types:
            checked["TextualBody"] += 1
            assert isinstance(n[RDF_VALUE][0]["@value"], str)
        if f"{OA}SpecificResource" in types:
            checked["SpecificResource"] += 1
            assert len(n[f"{OA}hasSource"]) == 1 and RDF_VALUE not in n  # a source, and no value
        if f"{OA}TextPositionSelector" in types:
            checked["TextPositionSelector"] += 1
            for key in ("start", "end"):
                [v] = n[f"{OA}{key}"]
                assert v["@type"] == f"{XSD}nonNegativeInteger"
                assert isinstance(v["@value"], int) and v["@value"] >= 0
            assert n[f"{OA}start"][0]["@value"] < n[f"{OA}end"][0]["@value"]
        if f"{OA}TextQuoteSelector" in types:
            checked["TextQuoteSelector"] += 1
            assert n[f"{OA}exact"][0]["@value"]
        if f"{OA}hasSelector" in n:
            for selector in n[f"{OA}hasSelector"]:
                assert selector["@type"][0] in (f"{OA}TextQuoteSelector", f"{OA}TextPositionSelector")
    # every kind was seen: bodies of both kinds (linking is a SpecificResource), targets, selectors
    assert checked["TextualBody"] >= 6 and checked["SpecificResource"] >= 5
    assert checked["TextQuoteSelector"] == 4 and checked["TextPositionSelector"] == 3  # the orphan has none


def test_a_passage_of_a_summary_says_its_text_is_not_the_articles(annotated):
    project, a = annotated
    assert all(b["purpose"] != "describing" for b in _items(export_w3c(project))[f"urn:uuid:{a['graded'].uid}"]["body"])
    project.update_source(a["en"].id, summary=True)
    items = _items(export_w3c(project))
    graded = [b for b in items[f"urn:uuid:{a['graded'].uid}"]["body"] if b["purpose"] == "describing"]
    assert len(graded) == 1 and graded[0]["value"].startswith("Summary") and graded[0]["language"] == "en"
    assert "not the article's own words" in graded[0]["value"]
    orphan = [b["value"] for b in items[f"urn:uuid:{a['orphan'].uid}"]["body"] if b["purpose"] == "describing"]
    assert [v.split(":")[0] for v in orphan] == ["Orphaned", "Summary"]
    arabic = items[f"urn:uuid:{a['arabic'].uid}"]  # another source, not flagged
    assert all(b["purpose"] != "describing" for b in arabic["body"])
