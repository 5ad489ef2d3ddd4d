"""The native JSON format: exact round trip, merge by uid, and all-or-nothing import."""
from __future__ import annotations

import copy
import json
import sqlite3

import pytest

from sijill.db.formats.native import NativeImportError, export_native, import_native, record_count
from sijill.db.store.project import Project
from sijill.db.resources import demo_path


@pytest.fixture
def rich_project(small_project):
    p = small_project
    body = "Three US soldiers were killed at Tower 22 on 28 January 2024 🇯🇴, officials said."
    src = p.create_source("Tower 22 attack", body, outlet="AP", published="2024-01-29", language="en",
                          reliability="B", kind="news", url="https://example.org/tower-22")
    start = body.index("Three US soldiers")
    ann = p.create_annotation(src.id, start, start + len("Three US soldiers were killed"), note="toll",
                              credibility=2, groups=["United States"], tags=["casualties"])
    tower = [e for e in p.events() if e.title == "Tower 22 attack"][0]
    p.add_evidence(tower.id, annotation_id=ann.id, note="first report")
    p.add_evidence(tower.id, source_id=src.id, stance="context")
    p.create_period("Campaign against US forces", "2023-10-17", "2024-02", color="#f4cccc")
    p.create_period("Talks on the coalition's future", "2024-01-27", "mid-2024?")
    p.create_source("Background", "Undated notes.", published="c. 2019")
    p.update_event(tower.id, end="2024-01-28T06:30", description="Drone attack on a logistics base")
    return p


def test_round_trip_is_exact(rich_project, tmp_path):
    out = tmp_path / "export.json"
    first = export_native(rich_project, out)
    assert json.loads(out.read_text(encoding="utf-8")) == first
    with Project.create(tmp_path / "copy.sijill") as copy_:
        import_native(copy_, out)
        second = export_native(copy_)
    assert second == first
    tower = [e for e in second["events"] if e["title"] == "Tower 22 attack"][0]
    assert tower["evidence"][0]["annotation"] == first["annotations"][0]["uid"]
    assert tower["end"]["precision"] == "minute"
    talks = [per for per in second["periods"] if per["title"].startswith("Talks")][0]
    assert (talks["end"]["approximate"], talks["end"]["uncertain"]) == (True, True)
    assert [s["published"]["approximate"] for s in second["sources"] if s["title"] == "Background"] == [True]


def test_import_merges_by_uid(rich_project, tmp_path):
    doc = export_native(rich_project)
    changed = copy.deepcopy(doc)
    changed["events"][0]["title"] = "ISIS captures Mosul"
    changed["groups"][0]["color"] = "#000000"
    report = import_native(rich_project, changed)
    assert report.added == {}
    assert report.updated == {"events": 1, "groups": 1}
    assert report.unchanged["events"] == len(doc["events"]) - 1
    assert report.unchanged["groups"] == len(doc["groups"]) - 1
    assert rich_project.event_by_uid(doc["events"][0]["uid"]).title == "ISIS captures Mosul"
    assert rich_project.stats().events == len(doc["events"])
    assert rich_project.group_by_name(doc["groups"][0]["name"]).color == "#000000"


def test_import_accepts_date_phrases(project):
    doc = {"format": "sijill", "version": 1,
           "groups": [{"name": "Islamic Resistance in Iraq"}],
           "events": [{"uid": "e1", "title": "First drone attacks", "start": "2023-10",
                       "groups": [{"group": "Islamic Resistance in Iraq", "role": "actor"}]}]}
    import_native(project, doc)
    [e] = project.events()
    assert (e.start.precision, e.start.lo.day, e.start.hi.day) == ("month", 1, 31)


def test_bounds_without_a_zone_are_utc(project, monkeypatch):
    """A date object whose bounds lost their offset (edited by hand) is not moved by the local zone."""
    import time

    doc = {"format": "sijill", "version": 1,
           "events": [{"uid": "e1", "title": "Raid", "start": {"text": "18 Oct 2023", "lo": "2023-10-18T00:00:00",
                                                                "hi": "2023-10-18T23:59:59", "precision": "day"}}]}
    monkeypatch.setenv("TZ", "Asia/Baghdad")
    time.tzset()
    try:
        import_native(project, doc)
    finally:
        monkeypatch.undo()
        time.tzset()
    [e] = project.events()
    assert (e.start.lo.isoformat(), e.start.hi.isoformat()) == ("2023-10-18T00:00:00+00:00",
                                                                "2023-10-18T23:59:59+00:00")


def _state(project):
    return json.dumps(export_native(project), sort_keys=True)


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d["events"][2].pop("title"), r"events\[2\] \(.*\), field 'title': is missing"),
    (lambda d: d["events"][1]["groups"].append({"group": "Nobody", "role": "actor"}),
     r"events\[1\] \(.*\)\.groups\[\d\], field 'group': unknown group 'Nobody'"),
    (lambda d: d["events"][3].update(start="the twelfth of never"), r"events\[3\] \(.*\), field 'start'"),
    (lambda d: d["events"][0]["groups"][0].update(role="villain"), r"field 'role': unknown role 'villain'"),
    (lambda d: d["sources"][0].update(reliability="Z"), r"sources\[0\], field 'reliability'"),
    (lambda d: d["annotations"][0].update(credibility=9), r"annotations\[0\], field 'credibility'"),
    (lambda d: d["annotations"][0].update(source="missing-uid"), r"annotations\[0\], field 'source': unknown source"),
    (lambda d: d["events"][4]["evidence"][0].update(annotation="nope"), r"evidence\[0\], field 'annotation'"),
    (lambda d: d["groups"][1].update(parent="Nobody"), r"groups\[1\], field 'parent': unknown group"),
    (lambda d: d["events"][0].update(latitude=123.0), r"field 'latitude'"),
    (lambda d: d["events"][0].update(fatalities="many"), r"field 'fatalities': expected int"),
    (lambda d: d["annotations"][0].update(start=9, end=2, orphaned=True),
     r"annotations\[0\], field 'start': characters 9–2 are not a passage"),
    (lambda d: d["annotations"][0].update(start=-4, orphaned=True), r"annotations\[0\], field 'start'"),
    (lambda d: d["annotations"][0].update(tags=["ok", 3]), r"annotations\[0\], field 'tags': item 1"),
    (lambda d: d["events"][2].update(tags=[None]), r"events\[2\] \(.*\), field 'tags': item 0"),
    (lambda d: d.update(events={"not": "a list"}), r"'events' must be a list"),
    (lambda d: d.update(format="other"), r"not a Sijill native document"),
])
def test_a_bad_record_changes_nothing_and_is_named(rich_project, mutate, message):
    doc = export_native(rich_project)
    for e in doc["events"]:
        e["title"] += " (edited)"  # records before the bad one would change if the import were not atomic
    mutate(doc)
    before = _state(rich_project)
    with pytest.raises(NativeImportError, match=message):
        import_native(rich_project, doc)
    assert _state(rich_project) == before


def test_bad_json_file_is_reported_with_line_and_column(project, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"format": "sijill",\n "version": 1,\n "events": [,]}', encoding="utf-8")
    with pytest.raises(NativeImportError, match="line 3, column 13"):
        import_native(project, path)
    assert project.stats().events == 0
    path.write_bytes(b'{"format": "sijill", "title": "\xff"}')
    with pytest.raises(NativeImportError, match="not UTF-8"):
        import_native(project, path)


def test_demo_project_imports_whole(project):
    from sijill.db.resources import demo_path

    import_native(project, demo_path())
    s = project.stats()
    assert s.events >= 80 and s.groups >= 12 and s.periods >= 1
    assert s.events_without_evidence == 0
    pmf = project.group_by_name("Popular Mobilization Forces")
    aliases = {a.alias for a in pmf.aliases}
    assert {"al-Hashd al-Shaabi", "الحشد الشعبي"} <= aliases
    kh = project.group_by_name("Kataib Hezbollah")
    assert kh.parent_id == pmf.id
    titles = " ".join(e.title for e in project.events())
    for needle in ("Mosul", "Soleimani", "Tower 22"):
        assert needle in titles


# ---- exact, order-independent export; re-import writes nothing ----------------------------------
@pytest.fixture
def demo(tmp_path) -> Project:
    p = Project.create(tmp_path / "demo.sijill")
    import_native(p, demo_path())
    yield p
    p.close()


def test_demo_export_import_export_is_byte_identical(demo, tmp_path):
    first = tmp_path / "first.json"
    doc = export_native(demo, first)
    assert doc["project_uid"] == demo.uid
    with Project.create(tmp_path / "copy.sijill") as copy_:
        assert copy_.uid != demo.uid
        import_native(copy_, first)
        # an empty project takes the document's identity: restoring an export is copying the file
        assert (copy_.uid, copy_.title) == (demo.uid, demo.title)
        export_native(copy_, tmp_path / "second.json")
    assert (tmp_path / "second.json").read_bytes() == first.read_bytes()


def test_export_order_does_not_depend_on_row_ids(demo, tmp_path):
    """Rows inserted in the reverse order get other ids; the export is the same, byte for byte."""
    doc = export_native(demo)
    reversed_doc = copy.deepcopy(doc)
    for kind in ("groups", "tags", "periods", "sources", "annotations", "events"):
        reversed_doc[kind].reverse()
    with Project.create(tmp_path / "reversed.sijill") as other:
        import_native(other, reversed_doc)
        assert [a.uid for a in other.annotations()] != [a["uid"] for a in doc["annotations"]]  # ids differ
        export_native(other, tmp_path / "reversed.json")
    export_native(demo, tmp_path / "demo.json")
    assert (tmp_path / "reversed.json").read_bytes() == (tmp_path / "demo.json").read_bytes()


def test_project_identity_is_kept_by_a_project_that_holds_anything(rich_project, demo, tmp_path):
    uid, title = rich_project.uid, rich_project.title
    import_native(rich_project, export_native(demo))
    assert (rich_project.uid, rich_project.title) == (uid, title)


def _files(path):
    return {p.name: p.read_bytes() for p in path.parent.glob(path.name + "*")}


def test_reimporting_an_own_export_reports_unchanged_and_writes_nothing(demo, tmp_path):
    out = tmp_path / "demo.json"
    doc = export_native(demo, out)
    demo.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    watcher = sqlite3.connect(demo.path)  # another connection sees every commit as a new data_version
    version = watcher.execute("PRAGMA data_version").fetchone()[0]
    changes = demo.db.conn.total_changes
    files = _files(demo.path)
    report = import_native(demo, out)
    assert report.added == {} and report.updated == {}
    assert report.unchanged == {"groups": 27, "periods": 8, "sources": 164, "annotations": 130, "events": 136}
    assert sum(report.unchanged.values()) == record_count(doc) == 465
    assert demo.db.conn.total_changes == changes
    assert watcher.execute("PRAGMA data_version").fetchone()[0] == version
    assert _files(demo.path) == files
    watcher.close()


def test_one_changed_record_is_the_one_written(demo):
    doc = export_native(demo)
    doc["events"][7]["tags"] = ["edited"]
    doc["tags"] = sorted([*doc["tags"], "edited"], key=lambda t: (t.casefold(), t))
    doc["annotations"][3]["note"] = "another reading"
    changes = demo.db.conn.total_changes
    report = import_native(demo, doc)
    assert report.updated == {"events": 1, "annotations": 1}
    assert report.unchanged["events"] == 135 and report.unchanged["annotations"] == 129
    assert demo.db.conn.total_changes - changes < 60
    # the change log names exactly the two records that changed
    [change_set] = demo.change_sets(limit=1)
    assert {(c.kind, c.uid) for c in change_set.changes} == {("event", doc["events"][7]["uid"]),
                                                             ("annotation", doc["annotations"][3]["uid"])}
    assert demo.event_by_uid(doc["events"][7]["uid"]).tags == ("edited",)
    assert export_native(demo) == doc


def test_record_count_counts_every_kind_of_record(rich_project):
    doc = export_native(rich_project)
    s = rich_project.stats()
    assert record_count(doc) == s.groups + s.periods + s.sources + s.annotations + s.events == 4 + 2 + 2 + 1 + 5


# ---- dataset attributes and origins ------------------------------------------------------------
ATTRIBUTES = {"sub_event_type": "Air/drone strike", "admin1": "Anbar", "geo_precision": 2, "actor2": None}


def _as_acled(project, event, key):
    project.db.execute("UPDATE events SET attributes = ? WHERE id = ?", [json.dumps(ATTRIBUTES), event.id])
    project.db.execute("INSERT INTO event_origins (event_id, origin, key, digest) VALUES (?, 'acled', ?, 'd1')",
                       [event.id, key])
    project.db.conn.commit()


def test_attributes_and_origin_round_trip_and_are_left_out_when_absent(rich_project, tmp_path):
    tower = next(e for e in rich_project.events() if e.title == "Tower 22 attack")
    _as_acled(rich_project, tower, "JOR1234")
    first = tmp_path / "first.json"
    doc = export_native(rich_project, first)
    [acled] = [e for e in doc["events"] if "origin" in e]
    assert acled["attributes"] == ATTRIBUTES
    assert acled["origin"] == {"origin": "acled", "key": "JOR1234", "digest": "d1"}
    assert all("attributes" not in e for e in doc["events"] if e is not acled)
    with Project.create(tmp_path / "copy.sijill") as copy_:
        import_native(copy_, first)
        export_native(copy_, tmp_path / "second.json")
        row = copy_.db.execute("SELECT o.origin, o.key, o.digest FROM event_origins o JOIN events e "
                               "ON e.id = o.event_id WHERE e.uid = ?", [tower.uid]).fetchone()
    assert row == ("acled", "JOR1234", "d1")
    assert (tmp_path / "second.json").read_bytes() == first.read_bytes()


def test_the_same_dataset_row_under_another_uid_merges_by_origin(rich_project, tmp_path):
    tower = next(e for e in rich_project.events() if e.title == "Tower 22 attack")
    _as_acled(rich_project, tower, "JOR1234")
    doc = export_native(rich_project)
    [acled] = [e for e in doc["events"] if "origin" in e]
    acled["uid"] = "another-analysts-uid"  # the same ACLED row, imported by someone else
    acled["fatalities"] = 4
    report = import_native(rich_project, doc)
    assert report.updated == {"events": 1} and "events" not in report.added
    assert rich_project.event(tower.id).fatalities == 4
    assert rich_project.event_count() == len(doc["events"])
    twice = copy.deepcopy(acled)
    twice["uid"] = "a-third-uid"
    doc["events"].append(twice)
    with pytest.raises(NativeImportError, match=r"events\[5\] \(a-third-uid\), field 'origin': .* also that of events"):
        import_native(rich_project, doc)


def test_bulk_import_matches_the_document_and_merges_changes(project):
    from tests.perf.exchange_native import native_document

    doc = native_document(600)
    report = import_native(project, doc)
    assert report.added["events"] == 600 and report.added["annotations"] == 200

    def by_uid(d):
        return {e["uid"]: {**e, "groups": sorted(e["groups"], key=lambda g: g["group"])} for e in d["events"]}

    assert by_uid(export_native(project)) == by_uid(doc)
    changed = copy.deepcopy(doc)
    for e in changed["events"][::10]:
        e["title"] += " (revised)"
        e["groups"] = [{"group": "ISIS", "role": "target"}]
        e["evidence"] = []
        e["tags"] = ["revised"]
        e.pop("attributes", None)  # absent: the stored attributes stay
    changed["events"][1]["attributes"] = {"admin1": "Nineveh"}
    report = import_native(project, changed)
    assert report.updated == {"events": 61} and report.unchanged["events"] == 539
    expected = by_uid(changed)
    for e in doc["events"][::10]:
        if "attributes" in e:
            expected[e["uid"]]["attributes"] = e["attributes"]
    assert by_uid(export_native(project)) == expected


# ---- errors ------------------------------------------------------------------------------------
@pytest.mark.parametrize("mutate, message", [
    (lambda d: d["events"].append(dict(d["events"][0])), r"events\[5\] \(.*\), field 'uid': .* also that of events\[0\]"),
    (lambda d: d["sources"].append(dict(d["sources"][1])), r"sources\[2\], field 'uid': .* also that of sources\[1\]"),
    (lambda d: d.update(project_uid="not-a-uuid"), r"field 'project_uid': 'not-a-uuid' is not a UUID"),
    (lambda d: d["events"][0].update(attributes=["a", "list"]), r"field 'attributes': expected dict"),
    (lambda d: d["events"][0].update(origin={"origin": "acled"}), r"\.origin, field 'key': is missing"),
    (lambda d: d["events"][0]["evidence"].append({
        "source": next(s["uid"] for s in d["sources"] if s["uid"] != d["annotations"][0]["source"]),
        "annotation": d["annotations"][0]["uid"]}),
     r"evidence\[0\], field 'annotation': .* a passage of another source"),
    (lambda d: d["groups"][0].update(parent=d["groups"][1]["name"]), r"groups\[0\], field 'parent': .*inside itself"),
])
def test_more_bad_records_change_nothing(rich_project, mutate, message, tmp_path):
    doc = export_native(rich_project)
    doc["title"] = "Renamed"
    for e in doc["events"]:
        e["title"] += " (edited)"
    mutate(doc)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    before = _state(rich_project)
    changes = rich_project.db.conn.total_changes
    with pytest.raises(NativeImportError, match=message) as caught:
        import_native(rich_project, path)
    assert str(caught.value).startswith(f"{path}: ")  # the message names the file
    assert _state(rich_project) == before
    assert rich_project.db.conn.total_changes == changes
