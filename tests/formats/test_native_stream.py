"""The native format read and written a record at a time: the same bytes as the whole document
dumped at once, the same imports whatever the buffer or the members' order, and memory that does
not grow with the document."""
from __future__ import annotations

import copy
import json
import sqlite3
import tracemalloc

import pytest

from sijill.db.formats import native, native_write
from sijill.db.formats.native import ExportedDocument, NativeImportError, export_native, import_native, record_count
from sijill.db.store.project import Project
from sijill.db.resources import demo_path
from tests.formats.test_native import rich_project  # noqa: F401 (a fixture)
from tests.perf.exchange_native import native_document

TRICKY = "line\u2028sep\u2029para\x85next \"quoted\" \\ back\ttab\nnew 🇯🇴 الحشد الشعبي \r end"  # C0 controls but these are refused (db.text_rules)


def reference_document(project: Project) -> dict:
    """The document as export_native built it before it streamed (through the typed Project API,
    every event loaded at once), with key events and summaries since marked: the oracle the
    streamed export must equal, byte for byte."""
    date = native.date_to_json
    groups = project.groups()
    by_id = {g.id: g for g in groups}
    rank = {g.id: i for i, g in enumerate(groups)}
    sources, annotations = native.ordered_annotations(project)
    source_uid = {s.id: s.uid for s in sources}
    annotation_uid = {a.id: a.uid for a in annotations}
    evidence: dict[int, list] = {}
    for ev in project.all_evidence():
        evidence.setdefault(ev.event_id, []).append(ev)
    extras: dict[int, dict] = {}
    for eid, attributes, origin, key, digest in project.db.execute(
            "SELECT e.id, e.attributes, o.origin, o.key, o.digest FROM events e LEFT JOIN event_origins o "
            "ON o.event_id = e.id WHERE e.attributes IS NOT NULL OR o.event_id IS NOT NULL"):
        extra = extras[eid] = {}
        if attributes is not None:
            extra["attributes"] = json.loads(attributes)
        if origin is not None:
            extra["origin"] = {"origin": origin, "key": key, **({"digest": digest} if digest is not None else {})}
    doc = {
        "format": "sijill", "version": 2, "title": project.title, "project_uid": project.uid,
        "groups": [{"uid": g.uid, "name": g.name, "kind": g.kind,
                    "parent": by_id[g.parent_id].name if g.parent_id in by_id else None,
                    "color": g.color, "description": g.description, "position": g.position,
                    "aliases": [{"alias": a.alias, "lang": a.lang} for a in g.aliases]} for g in groups],
        "tags": sorted(project.tags(), key=lambda t: (t.casefold(), t)),
        "periods": [{"uid": p.uid, "title": p.title, "start": date(p.start), "end": date(p.end), "color": p.color,
                     "description": p.description}
                    for p in sorted(project.periods(), key=lambda p: (p.start.lo_ts, p.uid))],
        "sources": [{"uid": s.uid, "title": s.title, "outlet": s.outlet, "author": s.author, "url": s.url,
                     "published": date(s.published), "language": s.language, "reliability": s.reliability,
                     "kind": s.kind, "body": s.body, "added_at": s.added_at, **({"summary": True} if s.summary else {})}
                    for s in sources],
        "annotations": [{"uid": a.uid, "source": source_uid[a.source_id], "start": a.start, "end": a.end,
                         "quote": a.quote, "prefix": a.prefix, "suffix": a.suffix, "note": a.note,
                         "credibility": a.credibility, "orphaned": a.orphaned,
                         "groups": [by_id[g].name for g in sorted(a.group_ids, key=rank.__getitem__)],
                         "tags": list(a.tags), "created_at": a.created_at, "updated_at": a.updated_at}
                        for a in annotations],
        "events": [],
    }
    for e in sorted(project.events(), key=lambda e: (e.start.lo_ts, e.uid)):
        record = {"uid": e.uid, "title": e.title, "description": e.description, "start": date(e.start),
                  "end": date(e.end), "location": e.location, "latitude": e.latitude, "longitude": e.longitude,
                  "event_type": e.event_type, "fatalities": e.fatalities,
                  **({"key_event": True} if e.key_event else {}),
                  "groups": [{"group": by_id[link.group_id].name, "role": link.role}
                             for link in sorted(e.groups, key=lambda link: rank[link.group_id])],
                  "tags": list(e.tags),
                  "evidence": [{"source": source_uid[ev.source_id],
                                "annotation": annotation_uid.get(ev.annotation_id) if ev.annotation_id else None,
                                "stance": ev.stance, "note": ev.note} for ev in evidence.get(e.id, ())]}
        record.update(extras.get(e.id, {}))
        record.update(created_at=e.created_at, updated_at=e.updated_at)
        doc["events"].append(record)
    return doc


def reference_bytes(project: Project) -> bytes:
    return (json.dumps(reference_document(project), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@pytest.fixture(scope="module")
def big_file(tmp_path_factory):
    """A 3,000-event document (groups, sources, annotated evidence, attributes and origins, every
    precision) with a few records whose texts and attributes are hard to write, as a file."""
    doc = native_document(3000)
    doc["events"][5]["title"] = TRICKY
    doc["events"][6]["description"] = TRICKY
    doc["events"][7]["attributes"] = {"nested": {"list": [1, 2.5, -0.0, 1e-07, 10**20, None, True, [], {}]},
                                      "empty": {}, "none": [], TRICKY: TRICKY}
    doc["events"][8]["evidence"] = [{"source": doc["sources"][3]["uid"], "annotation": None, "stance": "contradicts",
                                     "note": TRICKY}, *doc["events"][8]["evidence"]]
    doc["sources"][0]["body"] += " " + TRICKY
    doc["groups"][2]["aliases"] = [{"alias": "الحشد", "lang": "ar"}, {"alias": "PMF", "lang": None}]
    doc["periods"] = [{"uid": "p-1", "title": TRICKY, "start": "2016", "end": "mid-2017?", "color": "#ffeeaa"}]
    doc["events"][10]["key_event"] = doc["events"][2000]["key_event"] = True
    doc["sources"][5]["summary"] = True
    path = tmp_path_factory.mktemp("native") / "big.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def big(big_file, tmp_path):
    with Project.create(tmp_path / "big.sijill") as p:
        import_native(p, big_file)
        yield p


def test_streamed_export_is_the_document_dumped_whole(big, tmp_path):
    out = tmp_path / "out.json"
    written = export_native(big, out)
    assert out.read_bytes() == reference_bytes(big)
    assert export_native(big) == reference_document(big)
    assert written.counts == {"groups": 12, "tags": 8, "periods": 1, "sources": 200, "annotations": 200,
                              "events": 3000}


def test_demo_export_is_the_document_dumped_whole(tmp_path):
    with Project.create(tmp_path / "demo.sijill") as demo:
        import_native(demo, demo_path())
        export_native(demo, tmp_path / "demo.json")
        assert (tmp_path / "demo.json").read_bytes() == reference_bytes(demo)


def test_3000_events_with_evidence_round_trip_to_the_same_bytes(big, tmp_path):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    export_native(big, first)
    with Project.create(tmp_path / "copy.sijill") as copy_:
        report = import_native(copy_, first)
        assert report.added == {"groups": 12, "periods": 1, "sources": 200, "annotations": 200, "events": 3000}
        export_native(copy_, second)
        assert second.read_bytes() == first.read_bytes()
        changes = copy_.db.conn.total_changes
        watcher = sqlite3.connect(copy_.path)
        version = watcher.execute("PRAGMA data_version").fetchone()[0]
        again = import_native(copy_, second)
        assert again.added == {} and again.updated == {}
        assert again.unchanged == report.added
        assert copy_.db.conn.total_changes == changes
        assert watcher.execute("PRAGMA data_version").fetchone()[0] == version
        watcher.close()


def test_new_and_changed_events_written_chunk_by_chunk(big, tmp_path, monkeypatch):
    """Events to add and to update, mixed, over several spool pieces: the project then exports
    what the document says (an absent `attributes` keeps the stored ones)."""
    monkeypatch.setattr(native_write.Spool, "SIZE", 333)
    doc = export_native(big)
    kept = {}
    for i, e in enumerate(doc["events"]):
        if i % 3 == 0:
            e["uid"] = f"new-{i}"
            e.pop("origin", None)  # another event of the same dataset row would merge into it
        elif i % 3 == 1:
            e["title"] += " (revised)"
            e["groups"] = [{"group": "ISIS", "role": "target"}, {"group": "Kataib Hezbollah", "role": "actor"}]
            e["evidence"] = [*reversed(e["evidence"]), {"source": doc["sources"][9]["uid"], "stance": "context",
                                                        "annotation": None, "note": "seen again"}]
            e["tags"] = ["revised"]
            if "attributes" in e:
                kept[e["uid"]] = e.pop("attributes")
    doc["tags"] = sorted({*doc["tags"], "revised"}, key=lambda t: (t.casefold(), t))
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    report = import_native(big, path)
    assert report.added["events"] == 1000 and report.updated["events"] == 1000
    assert report.unchanged["events"] == 1000
    after = export_native(big)
    by_uid = {e["uid"]: e for e in after["events"]}
    for e in doc["events"]:
        expected = {**e, "attributes": kept[e["uid"]]} if e["uid"] in kept else e
        got = dict(by_uid[e["uid"]])
        if e["uid"].startswith("new-"):
            got.pop("origin", None)
        assert {**got, "groups": sorted(got["groups"], key=str)} == \
            {**expected, "groups": sorted(expected["groups"], key=str)}
    assert len(after["events"]) == 4000


def test_key_events_and_summaries_round_trip_and_merge(big, tmp_path):
    doc = export_native(big)
    assert [e["title"] for e in doc["events"] if e.get("key_event")] and \
        [s["uid"] for s in doc["sources"] if s.get("summary")]
    key = next(e for e in doc["events"] if e.get("key_event"))
    summary = next(s for s in doc["sources"] if s.get("summary"))
    assert list(key)[list(key).index("fatalities") + 1] == "key_event" and list(summary)[-1] == "summary"
    assert all(e.get("key_event", True) is True for e in doc["events"])  # written only when true
    del key["key_event"], summary["summary"]  # absent: not a key event, not a summary
    doc["events"][0]["key_event"] = True
    report = import_native(big, doc)
    assert report.updated == {"sources": 1, "events": 2}
    assert not big.event_by_uid(key["uid"]).key_event and big.event_by_uid(doc["events"][0]["uid"]).key_event
    assert not big.source_by_uid(summary["uid"]).summary
    assert export_native(big) == doc


def test_an_exported_document_counts_without_reading_its_file(rich_project, tmp_path):
    out = tmp_path / "out.json"
    written = export_native(rich_project, out)
    expected = export_native(rich_project)
    text = out.read_text(encoding="utf-8")
    out.unlink()  # counting must not read it
    assert isinstance(written, ExportedDocument)
    assert record_count(written) == record_count(expected) == 14
    assert {k: len(written.get(k) or ()) for k in native.KINDS} == {k: len(expected[k]) for k in native.KINDS}
    assert written["format"] == "sijill" and written["project_uid"] == rich_project.uid
    out.write_text(text, encoding="utf-8")
    assert written["events"][0] == expected["events"][0]  # records are read back on demand
    assert written == expected and json.loads(text) == written


# ---- reading: buffers, orders, errors -----------------------------------------------------------
def _export_of(path, tmp_path, name):
    with Project.create(tmp_path / f"{name}.sijill") as p:
        report = import_native(p, path)
        return report, export_native(p)


def test_a_tiny_buffer_reads_the_same_document(big_file, tmp_path, monkeypatch):
    doc = json.loads(big_file.read_text(encoding="utf-8"))
    doc["events"] = doc["events"][:300]
    doc["project_uid"] = "4f3b4c1e-8f0a-4d8e-9a51-6d1f2f9b7c10"
    small = tmp_path / "small.json"
    small.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    expected = _export_of(small, tmp_path, "normal")
    monkeypatch.setattr(native.JsonStream, "CHUNK", 61)
    monkeypatch.setattr(native_write.Spool, "SIZE", 7)
    assert _export_of(small, tmp_path, "tiny") == expected


@pytest.mark.parametrize("arrange", ["sorted", "reversed", "events first", "no annotations key"])
def test_members_in_any_order_import_the_same(rich_project, tmp_path, arrange):
    doc = export_native(rich_project)
    if arrange == "sorted":
        text = json.dumps(doc, sort_keys=True)
    elif arrange == "reversed":
        text = json.dumps(dict(reversed(doc.items())))
    elif arrange == "events first":
        text = json.dumps({"events": doc["events"], **{k: v for k, v in doc.items() if k != "events"}})
    else:
        doc = {**doc, "events": [{**e, "evidence": [v for v in e["evidence"] if not v["annotation"]]}
                                 for e in doc["events"]]}
        del doc["annotations"]
        text = json.dumps(doc)
    (tmp_path / "in order.json").write_text(json.dumps(doc), encoding="utf-8")
    (tmp_path / "arranged.json").write_text(text, encoding="utf-8")
    assert _export_of(tmp_path / "arranged.json", tmp_path, "arranged") == \
        _export_of(tmp_path / "in order.json", tmp_path, "in order")


def test_a_version_1_file_still_imports(project, tmp_path):
    path = tmp_path / "v1.json"
    path.write_text(json.dumps({
        "format": "sijill", "version": 1, "title": "Old file",
        "groups": [{"name": "Kataib Hezbollah"}],
        "sources": [{"uid": "s1", "title": "Statement", "body": "We claim the attack.", "published": "2020-01-03"}],
        "events": [{"uid": "e1", "title": "Strike", "start": "3 January 2020",
                    "groups": [{"group": "Kataib Hezbollah", "role": "target"}],
                    "evidence": [{"source": "s1", "stance": "supports"}]}]}), encoding="utf-8")
    report = import_native(project, path)
    assert report.added == {"groups": 1, "sources": 1, "events": 1}
    [e] = project.events()
    assert (e.title, e.start.precision, project.title) == ("Strike", "day", "Old file")


BROKEN = [
    '{"format": "sijill",\n "version": 1,\n "events": [,]}',
    '{"format": "sijill", "version": 2, "events": [{"uid": "a"} {"uid": "b"}]}',
    '{"format": "sijill", "version": 2,\n\n "events": [{"uid": "a", "title": "cut short',
    '{"format": "sijill", "version": 2, "events": []} trailing',
    '{"format": "sijill", "version" 2}',
    '{"format": "sijill", "version": 2,}',
    '{"format": "sijill", "version": 2, "title": "\\x"}',
    '\n\n   ',
    '{"format": "sijill", "version": 2, "events": [1, 2, tru]}',
    '\ufeff{"format": "sijill"}',
]


@pytest.mark.parametrize("chunk", [2, 3, 1 << 20])
@pytest.mark.parametrize("text", BROKEN)
def test_bad_json_is_reported_where_json_loads_reports_it(project, tmp_path, monkeypatch, text, chunk):
    monkeypatch.setattr(native.JsonStream, "CHUNK", chunk)
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NativeImportError) as caught:
        import_native(project, path)
    e = expected.value
    assert str(caught.value) == f"{path}: not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}"
    assert project.stats().events == 0


@pytest.mark.parametrize("chunk", [5, 1 << 20])
def test_bad_utf8_names_its_byte(project, tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(native.JsonStream, "CHUNK", chunk)
    data = '{"format": "sijill", "title": "é الحشد'.encode() + b"\xff" + b'"}'
    path = tmp_path / "bad.json"
    path.write_bytes(data)
    byte = data.index(b"\xff")
    with pytest.raises(NativeImportError, match=rf"not UTF-8 text \(byte {byte}\)"):
        import_native(project, path)


def test_a_list_given_twice_is_refused(rich_project, tmp_path):
    doc = export_native(rich_project)
    text = json.dumps(doc)[:-1] + ', "events": []}'
    path = tmp_path / "twice.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NativeImportError, match="'events' appears twice"):
        import_native(rich_project, path)


def test_a_bad_record_after_many_good_ones_changes_nothing(big, big_file, tmp_path):
    doc = json.loads(big_file.read_text(encoding="utf-8"))
    for e in doc["events"]:
        e["title"] += " (edited)"
    doc["events"][2999]["groups"] = [{"group": "Nobody"}]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    before = big.db.conn.total_changes
    with pytest.raises(NativeImportError, match=r"events\[2999\] \(.*\)\.groups\[0\], field 'group': unknown group"):
        import_native(big, path)
    assert big.db.conn.total_changes == before
    assert not any(e.title.endswith("(edited)") for e in big.events(limit=50))


# ---- memory ------------------------------------------------------------------------------------
def _peak(action) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_export_and_import_hold_neither_the_text_nor_the_document(tmp_path, monkeypatch):
    """With small buffers, chunks and spool pieces, the peak of Python's allocations stays a part
    of the file's size, for events described as ACLED describes them. Held whole, the document
    cost about 3 times the file's size to export and 3.5 times to import (measured at 12.6 and
    14.9 MB for this 4.3 MB file); streamed, 0.85 and 2.5 MB (the sources and annotations to
    write, the dates already read, a chunk of events)."""
    doc = native_document(3000)
    for e in doc["events"]:
        e["description"] = (f"On {e['start']['text']}, {e['groups'][0]['group']} carried out an attack near "
                            f"{e['location']}. {e['fatalities']} reported killed. " * 3)
    with Project.create(tmp_path / "big.sijill") as big:
        import_native(big, doc)
        del doc
        monkeypatch.setattr(native.JsonStream, "CHUNK", 1 << 14)
        monkeypatch.setattr(native._RecordExporter, "CHUNK", 100)
        monkeypatch.setattr(native_write.Spool, "SIZE", 50)
        out = tmp_path / "out.json"
        exported = _peak(lambda: export_native(big, out))
    size = out.stat().st_size
    with Project.create(tmp_path / "again.sijill") as p:
        imported = _peak(lambda: import_native(p, out))
        assert p.event_count() == 3000
    assert size > 4_000_000
    assert exported < size / 3 and imported < size, (exported, imported, size)


def test_a_document_nested_too_deeply_is_refused(project, tmp_path):
    """json's decoder recurses per level: 100,000 brackets are a hostile file, not a traceback."""
    path = tmp_path / "deep.json"
    path.write_text('{"format": "sijill", "version": 2, "tags": ' + "[" * 100_000 + "]" * 100_000 + "}",
                    encoding="utf-8")
    with pytest.raises(NativeImportError, match="nested too deeply"):
        import_native(project, path)
    assert project.stats().events == 0
