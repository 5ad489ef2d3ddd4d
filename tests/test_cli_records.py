"""`sijill event|tag|source|annotation|evidence …` on real files: each sub-command checked against the
reopened project, each refusal on stderr with exit 1 and the whole database unchanged."""
from __future__ import annotations

import json
import os
import stat

import pytest

from sijill.db.formats.selection import EventSelection, select_event_ids
from sijill.db.store.project import Project
from tests.cli_helpers import call, refused


def ok(capsys, *args: str) -> str:
    code, out, err = call(capsys, *args)
    assert code == 0, err
    assert err == ""
    return out


@pytest.fixture
def built(tmp_path) -> str:
    """Groups, three events (two tagged drone), a source with two passages, evidence for Tower 22."""
    path = str(tmp_path / "p.sijill")
    with Project.create(path) as p:
        pmf = p.create_group("Popular Mobilization Forces")
        kh = p.create_group("Kataib Hezbollah", parent=pmf.id)
        us = p.create_group("United States")
        p.create_event("Drone attacks begin", "2023-10", groups=[(kh.id, "actor"), (us.id, "target")],
                       tags=["drone"])
        tower = p.create_event("Tower 22 attack", "2024-01-28", groups=[(kh.id, "actor"), (us.id, "target")],
                               tags=["drone", "claimed"], fatalities=3, location="Tower 22")
        p.create_event("Sistani's call to arms", "2014-06-13", groups=[(pmf.id, "associated")])
        source = p.create_source("Drone kills three US soldiers", "A drone struck Tower 22 in Jordan. "
                                 "Kataib Hezbollah was blamed by officials.", outlet="Reuters",
                                 published="2024-01-29", reliability="B")
        first = p.create_annotation(source.id, *p.find_quote(source.id, "A drone struck Tower 22 in Jordan"),
                                    note="the strike", credibility=2, tags=["drone"])
        second = p.create_annotation(source.id, *p.find_quote(source.id, "Kataib Hezbollah"), groups=[kh.id])
        p.add_evidence(tower.id, annotation_id=first.id, stance="supports")
        p.add_evidence(tower.id, source.id, stance="context", note="the outlet's account")
        p.create_source("Empty notes", "", reliability=None)
    return path


def uid_of(path, title: str) -> str:
    with Project.open(path, read_only=True) as p:
        return next(e.uid for e in p.events() if e.title == title)


def ids(path) -> dict[str, str]:
    with Project.open(path, read_only=True) as p:
        source = next(s for s in p.sources() if s.outlet == "Reuters")
        first, second = p.annotations(source.id)
        empty = next(s for s in p.sources() if s.title == "Empty notes")
        return {"tower": uid_of(path, "Tower 22 attack"), "drones": uid_of(path, "Drone attacks begin"),
                "sistani": uid_of(path, "Sistani's call to arms"), "source": source.uid, "empty": empty.uid,
                "first": first.uid, "second": second.uid}


# ---- events ------------------------------------------------------------------------------------
def test_event_add_with_every_option(built, capsys):
    out = ok(capsys, "event", "add", built, "Drone strike near Erbil", "--start", "mid-February 2024",
             "--end", "2024-02-20", "--group", "Kataib Hezbollah:target", "--group", "united states",
             "--tag", "drone, claimed", "--tag", "uav", "--type", "Explosions/Remote violence",
             "--location", "Erbil", "--lat", "36,19", "--lon", "43.99", "--fatalities", "2",
             "--description", "Reported by the KRG.", "--key-event")
    uid = out.strip()
    with Project.open(built, read_only=True) as p:
        e = p.event_by_uid(uid)
        names = {g.id: g.name for g in p.groups()}
        assert e.title == "Drone strike near Erbil"
        assert (e.start.text, e.end.text) == ("mid-February 2024", "2024-02-20")
        assert {(names[l.group_id], l.role) for l in e.groups} == {("Kataib Hezbollah", "target"),
                                                                   ("United States", "actor")}
        assert sorted(e.tags) == ["claimed", "drone", "uav"]
        assert (e.event_type, e.location, e.latitude, e.longitude, e.fatalities, e.description, e.key_event) == (
            "Explosions/Remote violence", "Erbil", 36.19, 43.99, 2, "Reported by the KRG.", True)
        assert p.tags().count("drone") == 1  # the existing tag, not a second one


def test_event_add_json_and_show(built, capsys):
    row = json.loads(ok(capsys, "event", "add", built, "Strike", "--start", "2024-02-02", "--json"))
    assert row["dates"] == "2 Feb 2024" and row["groups"] == [] and row["end"] is None
    shown = json.loads(ok(capsys, "event", "show", built, row["uid"], "--json"))
    assert shown == row
    tower = uid_of(built, "Tower 22 attack")
    text = ok(capsys, "event", "show", built, tower)
    assert text.splitlines()[0] == "Tower 22 attack"
    assert "  groups      Kataib Hezbollah (actor), United States (target)" in text
    assert "  evidence    2" in text and "  fatalities  3" in text


def test_event_edit_replaces_lists_and_clears_fields(built, capsys):
    tower = uid_of(built, "Tower 22 attack")
    ok(capsys, "event", "edit", built, tower, "--title", "Tower 22 drone attack", "--end", "2024-01-29",
       "--group", "Popular Mobilization Forces:associated", "--tag", "uav", "--location", "", "--key-event")
    with Project.open(built, read_only=True) as p:
        e = p.event_by_uid(tower)
        assert (e.title, e.end.text, e.location, e.key_event, e.fatalities) == (
            "Tower 22 drone attack", "2024-01-29", None, True, 3)
        assert [(p.group(l.group_id).name, l.role) for l in e.groups] == [("Popular Mobilization Forces",
                                                                            "associated")]
        assert e.tags == ("uav",)
        assert len(p.evidence(e.id)) == 2  # evidence is not an event field: kept
    ok(capsys, "event", "edit", built, tower, "--no-end", "--no-groups", "--no-tags", "--no-key-event",
       "--fatalities", "")
    with Project.open(built, read_only=True) as p:
        e = p.event_by_uid(tower)
        assert (e.end, e.groups, e.tags, e.key_event, e.fatalities) == (None, (), (), False, None)


def test_event_delete_several_in_one_step(built, capsys):
    tower, drones = uid_of(built, "Tower 22 attack"), uid_of(built, "Drone attacks begin")
    out = ok(capsys, "event", "delete", built, tower, drones, tower)
    assert out.strip() == "deleted 2 events (and 2 evidence links)"
    with Project.open(built, read_only=True) as p:
        assert [e.title for e in p.events()] == ["Sistani's call to arms"]
        assert p.all_evidence() == []
        assert len(p.sources()) == 2  # the sources stay


@pytest.mark.parametrize("options, selection", [
    ((), EventSelection()),
    (("--from", "2023", "--to", "2024-01"), EventSelection(date_from="2023", date_to="2024-01")),
    (("--group", "Popular Mobilization Forces"), EventSelection(groups=("Popular Mobilization Forces",))),
    (("--tag", "claimed", "--tag", "drone"), EventSelection(tags=("claimed", "drone"))),
    (("--query", "tower"), EventSelection(query="tower")),
])
def test_event_list_chooses_as_export_does(built, capsys, options, selection):
    rows = json.loads(ok(capsys, "event", "list", built, *options, "--json"))
    with Project.open(built, read_only=True) as p:
        expected = [p.event(i).uid for i in select_event_ids(p, selection)]
    assert [r["uid"] for r in rows] == expected
    assert expected  # each case chooses something


def test_event_list_text(built, capsys):
    lines = ok(capsys, "event", "list", built, "--tag", "drone").splitlines()
    assert len(lines) == 2
    assert lines[1].endswith("Tower 22 attack  (Kataib Hezbollah, United States)")
    assert ok(capsys, "event", "list", built, "--from", "2030") == "no events\n"


def test_event_refusals_change_nothing(built, capsys):
    tower = uid_of(built, "Tower 22 attack")
    cases = [
        (("event", "add", built, "X", "--start", "blursday"), "--start: cannot read 'blursday' as a date"),
        (("event", "add", built, "X", "--start", "2024", "--end", "2023"), "the end (2023) is before the start"),
        (("event", "add", built, "  ", "--start", "2024"), "an event needs a title"),
        (("event", "add", built, "X", "--start", "2024", "--group", "Kataib Hezbolah"),
         "no group named 'Kataib Hezbolah' (did you mean 'Kataib Hezbollah'?)"),
        (("event", "add", built, "X", "--start", "2024", "--group", "Kataib Hezbollah:actr"),
         "unknown role 'actr' for Kataib Hezbollah (one of actor, target, associated, mentioned)"),
        (("event", "add", built, "X", "--start", "2024", "--group", "Nobody:actor"), "no group named 'Nobody'"),
        (("event", "add", built, "X", "--start", "2024", "--group", "Kataib Hezbollah",
          "--group", "Kataib Hezbollah:target"), "Kataib Hezbollah is named twice (actor and target)"),
        (("event", "add", built, "X", "--start", "2024", "--lat", "36"), "give both --lat and --lon, or neither"),
        (("event", "add", built, "X", "--start", "2024", "--lat", "96", "--lon", "1"),
         "the latitude must be a number from -90 to 90, not '96'"),
        (("event", "add", built, "X", "--start", "2024", "--fatalities", "many"),
         "fatalities must be a whole number from 0 to 10000000, not 'many'"),
        (("event", "edit", built, "no-such-uid", "--title", "Y"), "no event with uid 'no-such-uid'"),
        (("event", "edit", built, tower, "--end", "2020"), "the end (2020) is before the start (28 Jan 2024)"),
        (("event", "edit", built, tower, "--start", ""), "an event needs a start"),
        (("event", "edit", built, tower, "--lon", "40"), "give both --lat and --lon, or neither"),
        (("event", "edit", built, tower), "nothing to change"),
        (("event", "delete", built, tower, "no-such-uid"), "no event with uid 'no-such-uid'"),
        (("event", "show", built, "no-such-uid"), "no event with uid 'no-such-uid'"),
        (("event", "list", built, "--from", "blursday"), "cannot read the date range"),
        (("event", "list", built, "--from", "2024", "--to", "2023"), "the range ends (2023) before it starts"),
        (("event", "list", built, "--tag", "nope"), "no tag named 'nope'"),
    ]
    for args, message in cases:
        refused(capsys, built, *args, match=message)


# ---- sources -----------------------------------------------------------------------------------
def test_source_list_edit_delete(built, capsys):
    u = ids(built)
    rows = json.loads(ok(capsys, "source", "list", built, "--json"))
    reuters = next(r for r in rows if r["uid"] == u["source"])
    assert (reuters["annotations"], reuters["evidence"], reuters["reliability"]) == (2, 2, "B")
    assert reuters["published"]["display"] == "29 Jan 2024"
    assert "Drone kills three US soldiers — Reuters  (2 annotations, 2 evidence links)" in ok(
        capsys, "source", "list", built)
    ok(capsys, "source", "edit", built, u["source"], "--title", "Three US soldiers killed", "--outlet", "",
       "--author", "A. Reporter", "--published", "28 Jan 2024", "--reliability", "c", "--summary",
       "--language", "en")
    with Project.open(built, read_only=True) as p:
        s = p.source_by_uid(u["source"])
        assert (s.title, s.outlet, s.author, s.published.text, s.reliability, s.summary, s.language) == (
            "Three US soldiers killed", None, "A. Reporter", "28 Jan 2024", "C", True, "en")
    ok(capsys, "source", "edit", built, u["source"], "--no-summary", "--reliability", "", "--published", "")
    with Project.open(built, read_only=True) as p:
        s = p.source_by_uid(u["source"])
        assert (s.summary, s.reliability, s.published) == (False, None, None)
    out = ok(capsys, "source", "delete", built, u["source"])
    assert out.strip() == "deleted Three US soldiers killed (2 annotations and 2 evidence links with it)"
    with Project.open(built, read_only=True) as p:
        assert [s.title for s in p.sources()] == ["Empty notes"]
        assert p.annotations() == [] and p.all_evidence() == []
        assert len(p.events()) == 3


def test_source_refusals_change_nothing(built, capsys):
    u = ids(built)
    for args, message in [
        (("source", "edit", built, "no-such-uid", "--title", "T"), "no source with uid 'no-such-uid'"),
        (("source", "edit", built, u["source"], "--reliability", "G"), "reliability must be one of A–F"),
        (("source", "edit", built, u["source"], "--published", "blursday"), "--published: cannot read"),
        (("source", "edit", built, u["source"], "--title", " "), "a source needs a title"),
        (("source", "edit", built, u["source"]), "nothing to change"),
        (("source", "delete", built, "no-such-uid"), "no source with uid 'no-such-uid'"),
    ]:
        refused(capsys, built, *args, match=message)


# ---- annotations -------------------------------------------------------------------------------
def test_annotation_list_edit_delete(built, capsys):
    u = ids(built)
    rows = json.loads(ok(capsys, "annotation", "list", built, "--json"))
    assert [(r["uid"], r["grade"], r["events"], r["groups"], r["tags"]) for r in rows] == [
        (u["first"], "B2", [u["tower"]], [], ["drone"]), (u["second"], "B", [], ["Kataib Hezbollah"], [])]
    assert json.loads(ok(capsys, "annotation", "list", built, "--source", u["empty"], "--json")) == []
    assert ok(capsys, "annotation", "list", built, "--source", u["source"]).splitlines()[0].startswith(
        f"{u['first']}  B2   “A drone struck Tower 22 in Jordan”")
    ok(capsys, "annotation", "edit", built, u["second"], "--note", "blamed, not claimed", "--credibility", "3",
       "--group", "Kataib Hezbollah", "--group", "popular mobilization forces", "--tag", "attribution")
    with Project.open(built, read_only=True) as p:
        a = p.annotation_by_uid(u["second"])
        assert (a.note, a.credibility, a.tags) == ("blamed, not claimed", 3, ("attribution",))
        assert sorted(p.group(g).name for g in a.group_ids) == ["Kataib Hezbollah", "Popular Mobilization Forces"]
    ok(capsys, "annotation", "edit", built, u["second"], "--note", "", "--credibility", "", "--no-groups",
       "--no-tags")
    with Project.open(built, read_only=True) as p:
        a = p.annotation_by_uid(u["second"])
        assert (a.note, a.credibility, a.group_ids, a.tags) == (None, None, (), ())
    out = ok(capsys, "annotation", "delete", built, u["first"])
    assert out.strip() == ("deleted the annotation “A drone struck Tower 22 in Jordan” "
                           "(1 evidence link now cites the whole source)")
    with Project.open(built, read_only=True) as p:
        assert p.annotation_by_uid(u["first"]) is None
        assert [(e.annotation_id, e.stance) for e in p.all_evidence()] == [(None, "supports"), (None, "context")]


def test_annotation_refusals_change_nothing(built, capsys):
    u = ids(built)
    for args, message in [
        (("annotation", "edit", built, "no-such-uid", "--note", "n"), "no annotation with uid 'no-such-uid'"),
        (("annotation", "edit", built, u["first"], "--credibility", "7"),
         "credibility must be a whole number from 1 to 6, not '7'"),
        (("annotation", "edit", built, u["first"], "--credibility", "B"), "credibility must be a whole number"),
        (("annotation", "edit", built, u["first"], "--group", "Nobody"), "no group named 'Nobody'"),
        (("annotation", "edit", built, u["first"]), "nothing to change"),
        (("annotation", "delete", built, "no-such-uid"), "no annotation with uid 'no-such-uid'"),
        (("annotation", "list", built, "--source", "no-such-uid"), "no source with uid 'no-such-uid'"),
    ]:
        refused(capsys, built, *args, match=message)


# ---- evidence ----------------------------------------------------------------------------------
def test_evidence_link_relink_unlink(built, capsys):
    u = ids(built)
    out = ok(capsys, "evidence", "link", built, u["drones"], "--annotation", u["second"], "--stance",
             "contradicts", "--note", "names KH only")
    assert out.strip() == "the passage “Kataib Hezbollah” contradicts Drone attacks begin"
    row = json.loads(ok(capsys, "evidence", "link", built, u["drones"], "--annotation", u["second"],
                        "--stance", "context", "--json"))
    assert (row["stance"], row["note"], row["changed"]) == ("context", "names KH only", True)
    ok(capsys, "evidence", "link", built, u["drones"], "--source", u["empty"])
    with Project.open(built, read_only=True) as p:
        event = p.event_by_uid(u["drones"])
        assert [(p.source(e.source_id).title, e.annotation_id is not None, e.stance, e.note)
                for e in p.evidence(event.id)] == [("Drone kills three US soldiers", True, "context", "names KH only"),
                                                   ("Empty notes", False, "supports", None)]
    # the listing, in its old form and as `evidence list`
    listed = json.loads(ok(capsys, "evidence", built, u["drones"], "--json"))
    assert json.loads(ok(capsys, "evidence", "list", built, u["drones"], "--json")) == listed
    assert [r["stance"] for r in listed["evidence"]] == ["context", "supports"]
    ok(capsys, "evidence", "unlink", built, u["drones"], "--annotation", u["second"])
    ok(capsys, "evidence", "unlink", built, u["drones"], "--source", u["empty"])
    with Project.open(built, read_only=True) as p:
        assert p.evidence(p.event_by_uid(u["drones"]).id) == []


def test_evidence_refusals_change_nothing(built, capsys):
    u = ids(built)
    for args, message in [
        (("evidence", "link", built, "no-such-uid", "--source", u["source"]), "no event with uid 'no-such-uid'"),
        (("evidence", "link", built, u["tower"], "--annotation", "no-such-uid"),
         "no annotation with uid 'no-such-uid'"),
        (("evidence", "link", built, u["tower"], "--source", "no-such-uid"), "no source with uid 'no-such-uid'"),
        (("evidence", "link", built, u["tower"], "--source", u["source"], "--stance", "maybe"),
         "unknown stance 'maybe' (one of supports, contradicts, context)"),
        (("evidence", "unlink", built, u["tower"], "--annotation", u["second"]),
         "the passage “Kataib Hezbollah” is not evidence for Tower 22 attack"),
        (("evidence", "unlink", built, u["drones"], "--source", u["source"]),
         "the source Drone kills three US soldiers is not evidence for Drone attacks begin"),
        (("evidence", built, "no-such-uid"), "no event with uid 'no-such-uid'"),
    ]:
        refused(capsys, built, *args, match=message)


def test_unlinking_a_source_cited_only_by_passage_names_them(built, capsys):
    u = ids(built)
    ok(capsys, "evidence", "unlink", built, u["tower"], "--source", u["source"])  # the whole-source link
    refused(capsys, built, "evidence", "unlink", built, u["tower"], "--source", u["source"],
            match=f"it cites passages of it: --annotation {u['first']}")


# ---- tags --------------------------------------------------------------------------------------
def test_tag_list_rename_merge_delete(built, capsys):
    rows = json.loads(ok(capsys, "tag", "list", built, "--json"))
    assert rows == [{"name": "claimed", "events": 1, "annotations": 0},
                    {"name": "drone", "events": 2, "annotations": 1}]
    assert ok(capsys, "tag", "list", built) == "claimed  1 event, 0 passages\ndrone    2 events, 1 passage\n"
    assert ok(capsys, "tag", "rename", built, "drone", "UAV").strip() == "renamed drone to UAV (now on 2 events, 1 passage)"
    assert ok(capsys, "tag", "rename", built, "claimed", "UAV").strip() == (
        "merged claimed into UAV (now on 2 events, 1 passage)")
    with Project.open(built, read_only=True) as p:
        assert p.tags() == ["UAV"]
        assert p.event_by_uid(uid_of(built, "Tower 22 attack")).tags == ("UAV",)
    ok(capsys, "event", "edit", built, uid_of(built, "Sistani's call to arms"), "--tag", "fatwa")
    row = json.loads(ok(capsys, "tag", "merge", built, "fatwa", "UAV", "--json"))
    assert (row["merged"], row["events"]) == (True, 3)
    assert ok(capsys, "tag", "delete", built, "UAV").strip() == "deleted UAV (3 events, 1 passage lose it)"
    with Project.open(built, read_only=True) as p:
        assert p.tags() == [] and all(not e.tags for e in p.events()) and all(not a.tags for a in p.annotations())
    assert ok(capsys, "tag", "list", built) == "no tags\n"


def test_tag_refusals_change_nothing(built, capsys):
    for args, message in [
        (("tag", "rename", built, "drones", "x"), "no tag named 'drones' (did you mean 'drone'?)"),
        (("tag", "rename", built, "drone", ""), "a tag needs a name"),
        (("tag", "rename", built, "drone", "a, b"), "cannot hold a comma"),
        (("tag", "rename", built, "drone", "drone"), "the tag is already named 'drone'"),
        (("tag", "merge", built, "drone", "Drone"), "no tag named 'Drone' (did you mean 'drone'?)"),
        (("tag", "merge", built, "drone", "drone"), "a tag cannot be merged into itself"),
        (("tag", "delete", built, "nope"), "no tag named 'nope'"),
    ]:
        refused(capsys, built, *args, match=message)


# ---- a read-only file --------------------------------------------------------------------------
def test_a_read_only_file_refuses_every_change_and_still_lists(built, capsys):
    u = ids(built)
    os.chmod(built, stat.S_IRUSR | stat.S_IRGRP)
    try:
        for args in [("event", "add", built, "X", "--start", "2024"),
                     ("event", "edit", built, u["tower"], "--title", "Y"),
                     ("event", "delete", built, u["tower"]),
                     ("source", "edit", built, u["source"], "--title", "T"),
                     ("source", "delete", built, u["source"]),
                     ("annotation", "edit", built, u["first"], "--note", "n"),
                     ("annotation", "delete", built, u["first"]),
                     ("evidence", "link", built, u["drones"], "--source", u["source"]),
                     ("evidence", "unlink", built, u["tower"], "--source", u["source"]),
                     ("tag", "rename", built, "drone", "UAV"),
                     ("tag", "merge", built, "claimed", "drone"),
                     ("tag", "delete", built, "drone")]:
            refused(capsys, built, *args, match="read-only")
        for args in [("event", "list", built), ("event", "show", built, u["tower"]), ("source", "list", built),
                     ("annotation", "list", built), ("evidence", built, u["tower"]), ("tag", "list", built)]:
            ok(capsys, *args, "--json")
    finally:
        os.chmod(built, stat.S_IRUSR | stat.S_IWUSR)
