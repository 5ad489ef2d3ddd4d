"""W3C Web Annotation import: our own export comes back exactly, re-import writes nothing, quotes
re-anchor or orphan, and every malformed input is refused whole with the item and field named."""
from __future__ import annotations

import copy
import json

import pytest

from sijill.db.formats.native import export_native, import_native
from sijill.db.formats.w3c import export_w3c, urn
from sijill.db.formats.w3c_import import W3CImportError, import_w3c
from sijill.db.store.project import Project
from sijill.db.resources import demo_path


@pytest.fixture
def demo(tmp_path) -> Project:
    p = Project.create(tmp_path / "demo.sijill")
    import_native(p, demo_path())
    yield p
    p.close()


def _without_identity(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k not in ("project_uid", "title")}


def test_deleted_annotations_come_back_whole(demo, tmp_path):
    out = tmp_path / "annotations.jsonld"
    export_w3c(demo, out)
    expected = export_native(demo)
    with Project.create(tmp_path / "copy.sijill") as copy_:
        # the demo's export, not the demo file: the file has no stamps, so each import stamps its own
        # second, and the two would differ whenever the imports straddled a second (a flaky test)
        import_native(copy_, expected)
        for a in copy_.annotations():
            copy_.delete_annotation(a.id)
        assert copy_.stats().annotations == 0
        report = import_w3c(copy_, out)
        assert report.added == {"annotations": 130} and report.moved == report.orphaned == 0
        # the unpinned evidence each deletion left is pinned again (its note kept), none duplicated
        assert report.links == {"repinned": sum(1 for e in expected["events"] for ev in e["evidence"]
                                                if ev["annotation"])}
        # same uids, quotes, offsets, context, notes, grades, groups, tags, stamps and event links
        assert _without_identity(export_native(copy_)) == _without_identity(expected)


def test_reimporting_an_own_export_changes_nothing(demo, tmp_path):
    out = tmp_path / "annotations.jsonld"
    export_w3c(demo, out)
    before = export_native(demo)
    changes = demo.db.conn.total_changes
    report = import_w3c(demo, out)
    assert report.unchanged == {"annotations": 130} and report.added == report.updated == {}
    assert demo.db.conn.total_changes == changes
    assert export_native(demo) == before


@pytest.fixture
def annotated(small_project):
    p = small_project
    body = "Officials said a drone struck Tower 22 before dawn. Later, officials said a drone struck again."
    src = p.create_source("Wire report", body, language="en", reliability="B")
    tower = next(e for e in p.events() if e.title == "Tower 22 attack")
    ann = p.create_annotation(src.id, *p.find_quote(src.id, "a drone struck Tower 22"), note="first account",
                              credibility=2, groups=["Kataib Hezbollah"], tags=["drone"])
    p.add_evidence(tower.id, annotation_id=ann.id, stance="contradicts", note="disputed")
    return p, src, ann, tower


def _item(doc: dict) -> dict:
    return doc["first"]["items"][0]


def test_an_edited_annotation_is_updated_and_its_links_follow(annotated):
    p, src, ann, tower = annotated
    doc = export_w3c(p)
    item = _item(doc)
    [note] = [b for b in item["body"] if b["purpose"] == "commenting"]
    note["value"] = "second reading"
    [link] = [b for b in item["body"] if b["purpose"] == "linking"]
    assert link["label"].startswith("contradicts: ")
    link["label"] = "supports: Tower 22 attack"
    report = import_w3c(p, doc)
    assert report.updated == {"annotations": 1} and report.links == {"updated": 1}
    stored = p.annotation(ann.id)
    assert (stored.note, stored.credibility, stored.tags) == ("second reading", 2, ("drone",))
    assert stored.group_ids == (p.group_by_name("Kataib Hezbollah").id,)
    [ev] = p.evidence_for_annotation(ann.id)
    assert (ev.event_id, ev.stance, ev.note) == (tower.id, "supports", "disputed")
    item["body"] = [b for b in item["body"] if b["purpose"] != "linking"]
    assert import_w3c(p, doc).links == {"removed": 1}
    assert p.evidence_for_annotation(ann.id) == []


def test_a_position_that_disagrees_with_the_quote_is_reanchored_by_it(annotated):
    p, src, ann, _ = annotated
    doc = export_w3c(p)
    item = _item(doc)
    item["id"] = "urn:uuid:00000000-0000-4000-8000-000000000001"  # a new annotation
    for sel in item["target"]["selector"]:
        if sel["type"] == "TextPositionSelector":
            sel["start"], sel["end"] = 0, 9  # "Officials", not the quote
    report = import_w3c(p, doc)
    assert report.added == {"annotations": 1} and report.moved == 1
    new = p.annotation_by_uid("00000000-0000-4000-8000-000000000001")
    assert (new.start, new.end, new.quote, new.orphaned) == (ann.start, ann.end, ann.quote, False)


def test_a_repeated_quote_is_told_apart_by_its_context_and_an_absent_one_orphaned(annotated):
    p, src, _, _ = annotated
    second = src.body.rindex("a drone struck")
    items = [
        {"id": "https://example.org/anno/1", "type": "Annotation", "body": {"type": "TextualBody", "value": "again"},
         "target": {"source": urn(src.uid), "selector": {
             "type": "TextQuoteSelector", "exact": "a drone struck", "prefix": "Later, officials said ",
             "suffix": " again."}}},
        {"id": "https://example.org/anno/2", "type": "Annotation",
         "target": {"source": {"id": urn(src.uid)}, "selector": [
             {"type": "TextQuoteSelector", "exact": "a missile struck the embassy", "prefix": "x", "suffix": "y"},
             {"type": "TextPositionSelector", "start": 4, "end": 10}]}},
    ]
    report = import_w3c(p, items)
    assert report.added == {"annotations": 2} and report.orphaned == 1
    by_note = {a.note: a for a in p.annotations(src.id)}
    assert (by_note["again"].start, by_note["again"].orphaned) == (second, False)
    orphan = by_note[None] if None in by_note else next(a for a in p.annotations(src.id) if a.orphaned)
    assert (orphan.orphaned, orphan.quote) == (True, "a missile struck the embassy")
    assert import_w3c(p, items).unchanged == {"annotations": 2}  # foreign ids name the same annotations


def _state(project: Project) -> str:
    return json.dumps(export_native(project), sort_keys=True)


def _bad_items(p, src, tower):
    good = {"id": "urn:uuid:00000000-0000-4000-8000-0000000000aa", "type": "Annotation",
            "target": {"source": urn(src.uid), "selector": {"type": "TextPositionSelector", "start": 0, "end": 9}}}

    def variant(**changes):
        item = copy.deepcopy(good)
        for path, value in changes.items():
            node, *keys = path.split("__")
            target = item
            for key in [node, *keys][:-1]:
                target = target[key]
            if value is ...:
                del target[[node, *keys][-1]]
            else:
                target[[node, *keys][-1]] = value
        return item

    return [
        (variant(target=...), r"items\[0\] \(urn:uuid:.*\), field 'target': is missing"),
        (variant(type="Person"), r"field 'type': 'Person' is not Annotation"),
        (variant(id=...), r"items\[0\], field 'id': is missing"),
        (variant(target__source="urn:uuid:11111111-1111-4111-8111-111111111111"),
         r"field 'target.source': unknown source 'urn:uuid:1111"),
        (variant(target__selector__end=10_000), r"field 'target.selector\[0\].start': characters 0–10000 are out "
                                                r"of range: the source's text has \d+ characters"),
        (variant(target__selector__start=-1), r"field 'target.selector\[0\].start': expected a non-negative integer"),
        (variant(target__selector={"type": "FragmentSelector", "value": "char=0,9"}),
         r"field 'target.selector': has no TextQuoteSelector or TextPositionSelector"),
        (variant(body={"type": "TextualBody", "purpose": "commenting"}), r"field 'body\[0\].value': is missing"),
        (variant(body=[{"type": "TextualBody", "purpose": "assessing", "value": "excellent"}]),
         r"field 'body\[0\].value': grade 'excellent'"),
        (variant(body=[{"type": "SpecificResource", "purpose": "linking",
                        "source": "urn:uuid:22222222-2222-4222-8222-222222222222"}]),
         r"field 'body\[0\].source': unknown event"),
        (variant(created="yesterday"), r"field 'created': 'yesterday' is not an xsd:dateTime"),
        (variant(target=[good["target"], good["target"]]), r"field 'target': has 2 targets"),
    ]


def test_malformed_items_are_refused_whole_with_item_and_field_named(annotated, tmp_path):
    p, src, _, tower = annotated
    before, changes = _state(p), p.db.conn.total_changes
    ok = _item(export_w3c(p))
    ok["body"][0]["value"] = "this change must not land"
    for bad, message in _bad_items(p, src, tower):
        path = tmp_path / "bad.jsonld"
        path.write_text(json.dumps({"type": "AnnotationPage", "items": [bad, ok]}), encoding="utf-8")
        with pytest.raises(W3CImportError, match=message) as caught:
            import_w3c(p, path)
        assert str(caught.value).startswith(f"{path}: 1 annotation(s) cannot be imported; nothing was")
        assert _state(p) == before and p.db.conn.total_changes == changes


@pytest.mark.parametrize("text, message", [
    ("not json at all", r"not valid JSON: .* line 1, column 1"),
    ('["a", 3]', r"\[0\], field 'type': expected an Annotation object, found str"),
    ('{"type": "Person"}', r"'type' is 'Person'; expected Annotation, AnnotationPage or AnnotationCollection"),
    ('{"type": "AnnotationCollection", "first": "https://example.org/page1"}', r"Sijill reads embedded pages only"),
    ('{"type": "AnnotationPage", "items": {}}', r"'items' must be a list"),
])
def test_documents_that_are_not_annotations_are_refused(annotated, tmp_path, text, message):
    p = annotated[0]
    path = tmp_path / "in.jsonld"
    path.write_text(text, encoding="utf-8")
    before = _state(p)
    with pytest.raises(W3CImportError, match=message):
        import_w3c(p, path)
    assert _state(p) == before


def test_errors_are_listed_up_to_fifty_then_counted(annotated):
    p, src, _, _ = annotated
    items = [{"id": f"urn:uuid:00000000-0000-4000-8000-{i:012d}", "type": "Annotation"} for i in range(60)]
    with pytest.raises(W3CImportError) as caught:
        import_w3c(p, items)
    lines = str(caught.value).splitlines()
    assert lines[0] == "document: 60 annotation(s) cannot be imported; nothing was:"
    assert len(lines) == 1 + 50 + 1 and lines[-1] == "  ... and 10 more"
    assert "[49] (urn:uuid:00000000-0000-4000-8000-000000000049), field 'target'" in lines[50]


def test_a_duplicate_id_is_an_error(annotated):
    p = annotated[0]
    item = _item(export_w3c(p))
    with pytest.raises(W3CImportError, match=r"\[1\] \(urn:uuid:.*\), field 'id': the same annotation as \[0\]"):
        import_w3c(p, [item, item])


def test_a_document_nested_too_deeply_is_refused(annotated, tmp_path):
    p = annotated[0]
    path = tmp_path / "deep.jsonld"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    before = _state(p)
    with pytest.raises(W3CImportError, match="nested too deeply"):
        import_w3c(p, path)
    assert _state(p) == before
