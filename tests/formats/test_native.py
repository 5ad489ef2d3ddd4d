"""The native JSON format: exact round trip, merge by uid, and all-or-nothing import."""
from __future__ import annotations

import copy
import json

import pytest

from db.formats.native import NativeImportError, export_native, import_native
from db.project import Project


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
    assert report.updated["events"] == len(doc["events"])
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
    from db.resources import demo_path

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
