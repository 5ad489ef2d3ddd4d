"""W3C Web Annotation export: an AnnotationCollection whose items carry quote and position
selectors (code points), bodies for notes, tags, groups, event links and grades."""
from __future__ import annotations

import json

import pytest

from db.formats.w3c import CONTEXT, export_w3c
from db.project import Project

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

    assert doc["@context"] == [CONTEXT] == ["http://www.w3.org/ns/anno.jsonld"]
    assert doc["type"] == "AnnotationCollection"
    assert doc["label"] == project.title
    assert doc["id"].startswith("urn:uuid:")
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
    assert by_purpose["commenting"] == [{"type": "TextualBody", "value": "earliest official account",
                                         "purpose": "commenting", "format": "text/plain", "language": "en"}]
    assert sorted(b["value"] for b in by_purpose["tagging"]) == ["Kataib Hezbollah", "claim", "drone"]
    assert by_purpose["linking"] == [{"type": "SpecificResource", "purpose": "linking",
                                      "source": f"urn:uuid:{a['tower'].uid}",
                                      "value": "supports: Tower 22 attack (28 Jan 2024)"}]
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
