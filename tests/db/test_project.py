"""The typed Project API: events, groups, periods, tags, sources, evidence, queries, stats."""
from __future__ import annotations

import sqlite3

import pytest

from sijill.db.store.basics import ProjectError
from sijill.db.dates import DateParseError
from sijill.db.store.entities import Link
from sijill.db.store.project import Project
from sijill.db.store.search import fts_query


def ts(iso: str) -> int:
    from datetime import datetime, timezone

    return int(datetime.fromisoformat(iso).replace(tzinfo=timezone.utc).timestamp())


def test_event_round_trips_through_the_file(project, tmp_path):
    pmf = project.create_group("Popular Mobilization Forces")
    e = project.create_event("Sistani's call to arms", "2014-06-13", description="Friday sermon in Karbala",
                             groups=[(pmf.id, "associated")], tags=["fatwa", "mobilisation"],
                             location="Karbala", latitude=32.6, longitude=44.02,
                             event_type="Strategic developments")
    project.close()
    with Project.open(tmp_path / "test.sijill") as again:
        got = again.event_by_uid(e.uid)
        assert got.title == "Sistani's call to arms"
        assert got.start.lo.isoformat() == "2014-06-13T00:00:00+00:00"
        assert got.start.hi.isoformat() == "2014-06-13T23:59:59+00:00"
        assert got.groups == (Link(pmf.id, "associated"),)
        assert got.tags == ("fatwa", "mobilisation")
        assert (got.location, got.latitude, got.event_type) == ("Karbala", 32.6, "Strategic developments")


def test_update_changes_only_what_is_given(small_project):
    p = small_project
    e = p.events()[-1]
    updated = p.update_event(e.id, title="Tower 22 drone attack", end="2024-01-29")
    assert updated.title == "Tower 22 drone attack"
    assert updated.fatalities == 3 and updated.tags == e.tags and updated.groups == e.groups
    assert updated.end.hi.isoformat() == "2024-01-29T23:59:59+00:00"
    assert p.update_event(e.id, end=None).end is None


def test_bad_edits_are_refused_and_change_nothing(small_project):
    p = small_project
    e = p.events()[0]
    with pytest.raises(ProjectError, match="before the start"):
        p.update_event(e.id, end="2010")
    with pytest.raises(ProjectError, match="title"):
        p.update_event(e.id, title="   ")
    with pytest.raises(ProjectError, match="role"):
        p.update_event(e.id, groups=[(p.groups()[0].id, "villain")])
    with pytest.raises(ProjectError, match="no group"):
        p.update_event(e.id, groups=[("Nobody", "actor")])
    with pytest.raises(DateParseError):
        p.update_event(e.id, start="the day after never")
    assert p.event(e.id) == e


def test_a_failed_write_rolls_back_its_transaction(small_project):
    p = small_project
    e = p.events()[0]
    # The link is refused after the row update ran: the title must not change either.
    with pytest.raises(ProjectError):
        p.update_event(e.id, title="Half-written", groups=[("No such group", "actor")])
    assert p.event(e.id).title == e.title
    assert p.event(e.id).groups == e.groups


def test_delete_and_restore_keep_identity_links_and_evidence(small_project):
    p = small_project
    e = p.events()[2]
    src = p.create_source("Statement", "US forces struck five facilities.", reliability="A")
    ann = p.create_annotation(src.id, 0, 9, credibility=1)
    p.add_evidence(e.id, annotation_id=ann.id, stance="supports")
    snap = p.delete_event(e.id)
    assert p.event_by_uid(e.uid) is None
    assert p.db.execute("SELECT COUNT(*) FROM event_evidence").fetchone()[0] == 0
    back = p.restore_event(snap)
    assert back == e
    assert [(ev.annotation_id, ev.stance) for ev in p.evidence(e.id)] == [(ann.id, "supports")]


def test_groups_hierarchy_aliases_order_and_cycles(small_project):
    p = small_project
    names = [g.name for g in p.groups()]
    assert names.index("Kataib Hezbollah") == names.index("Popular Mobilization Forces") + 1
    pmf = p.group_by_name("Popular Mobilization Forces")
    kh = p.group_by_name("Kataib Hezbollah")
    assert {a.alias for a in pmf.aliases} == {"al-Hashd al-Shaabi", "Forces de mobilisation populaire",
                                              "الحشد الشعبي"}
    with pytest.raises(ProjectError, match="inside itself"):
        p.update_group(pmf.id, parent=kh.id)
    with pytest.raises(ProjectError, match="already exists"):
        p.create_group("ISIS")
    with pytest.raises(ProjectError, match="already exists"):
        p.update_group(kh.id, name="ISIS")
    order = [g.id for g in reversed(p.groups()) if g.parent_id is None]
    p.set_group_order(order)
    top = [g.name for g in p.groups() if g.parent_id is None]
    assert top == ["ISIS", "United States", "Popular Mobilization Forces"]


def test_deleting_a_group_unlinks_its_events_and_frees_children(small_project):
    p = small_project
    pmf = p.group_by_name("Popular Mobilization Forces")
    call = [e for e in p.events() if e.title.startswith("Sistani")][0]
    p.delete_group(pmf.id)
    assert p.event(call.id).groups == ()
    assert p.group_by_name("Kataib Hezbollah").parent_id is None


def test_events_in_window_overlap_and_group_filter(small_project):
    p = small_project
    in_2019 = p.events_in_window(ts("2019-01-01T00:00:00"), ts("2019-12-31T23:59:59"))
    assert [e.title for e in in_2019] == ["US strikes on Kataib Hezbollah"]
    # A month-precise event overlaps a window inside its month.
    mid_oct = p.events_in_window(ts("2023-10-15T00:00:00"), ts("2023-10-16T00:00:00"))
    assert [e.title for e in mid_oct] == ["Drone attacks on US forces begin"]
    us = p.group_by_name("United States")
    isis = p.group_by_name("ISIS")
    everything = (ts("2000-01-01T00:00:00"), ts("2030-01-01T00:00:00"))
    assert len(p.events_in_window(*everything, group_ids=[us.id])) == 3
    assert [e.title for e in p.events_in_window(*everything, group_ids=[isis.id])] == ["ISIS takes Mosul"]
    assert p.events_in_window(*everything, group_ids=[]) == []


def test_full_text_search_is_accent_insensitive_and_prefixed(small_project):
    p = small_project
    p.create_source("Frappes américaines", "Les frappes américaines ont visé le Hachd al-Chaabi à Qaïm.",
                    language="fr")
    hits = p.search("qaim")
    assert [h.kind for h in hits] == ["source"]
    assert "[Qaïm]" in hits[0].snippet
    assert {h.title for h in p.search("Kata")} == {"US strikes on Kataib Hezbollah"}
    assert [h.title for h in p.search('"unbalanced Mosul')] == []
    assert [h.title for h in p.search('takes "Mosul')] == ["ISIS takes Mosul"]
    assert p.search("   ") == []
    assert fts_query('drone "attack') == '"drone" "attack"*'


def test_search_index_follows_edits_and_deletes(small_project):
    p = small_project
    e = [e for e in p.events() if e.title == "Tower 22 attack"][0]
    p.update_event(e.id, title="Jordan base attack")
    assert p.search("Tower") == []
    assert [h.id for h in p.search("Jordan")] == [e.id]
    p.delete_event(e.id)
    assert p.search("Jordan") == []
    assert p.search_event_ids("Mosul") == {p.events()[0].id}


def test_event_briefs_by_words_by_date_or_first(small_project):
    p = small_project
    p.create_event("Drone attack on Erbil", "2024-01-20", end="2024-02-10")
    assert {b.title for b in p.event_briefs("drone att")} == {"Drone attack on Erbil",
                                                              "Drone attacks on US forces begin"}
    [tower] = p.event_briefs("tower")
    assert (tower.title, tower.start.display(), tower.start.precision) == (
        "Tower 22 attack", "28 Jan 2024", "day")
    assert p.event_briefs("nothing like it") == [] and p.event_briefs('"unbalanced') == []
    # nothing typed: events overlapping 31 Jan 2024 ± 5 days (the Erbil span reaches it), nearest start first
    jan31 = 1706659200  # 2024-01-31T00:00:00Z
    near = p.event_briefs("", near=(jan31, jan31 + 86399), within=5 * 86400)
    assert [b.title for b in near] == ["Tower 22 attack", "Drone attack on Erbil"]
    assert [b.title for b in p.event_briefs("  ", near=(jan31, jan31 + 86399))] == ["Drone attack on Erbil"]
    assert [b.title for b in p.event_briefs(limit=2)] == ["ISIS takes Mosul", "Sistani's call to arms"]


def test_update_evidence_changes_only_the_fields_given(small_project):
    p = small_project
    tower = next(e for e in p.events() if e.title == "Tower 22 attack")
    src = p.create_source("CENTCOM statement", "Three US service members were killed.")
    ev = p.add_evidence(tower.id, source_id=src.id, stance="supports", note="official figure")
    assert p.update_evidence(ev.id, stance="context").note == "official figure"
    assert p.update_evidence(ev.id, note=None).stance == "context"
    assert p.db.execute("SELECT note IS NULL FROM event_evidence WHERE id = ?", [ev.id]).fetchone()[0] == 1
    assert p.update_evidence(ev.id, note="").note == ""
    with pytest.raises(ProjectError, match="unknown stance"):
        p.update_evidence(ev.id, stance=None)
    with pytest.raises(ProjectError, match="unknown evidence field"):
        p.update_evidence(ev.id, annotation_id=3)
    with pytest.raises(ProjectError, match="no evidence"):
        p.update_evidence(ev.id + 100, note="x")


def test_periods_and_tags(project):
    per = project.create_period("ISIS holds Mosul", "2014-06-10", "2017-07-10", color="#dddddd")
    assert per.end.hi.isoformat() == "2017-07-10T23:59:59+00:00"
    project.update_period(per.id, title="ISIS rule in Mosul", end="2017-07")
    assert project.periods()[0].title == "ISIS rule in Mosul"
    assert project.periods()[0].end.precision == "month"
    with pytest.raises(ProjectError, match="before the start"):
        project.create_period("Backwards", "2020", "2019")
    project.create_event("A", "2020", tags=["drone", "Rocket"])
    assert project.tags() == ["drone", "Rocket"]


def test_sources_annotations_and_evidence(small_project):
    p = small_project
    body = "Le 28 janvier 2024, une frappe de drone a tué trois soldats américains à la Tour 22."
    src = p.create_source("Tour 22", body, outlet="RFI", published="2024-01-29", language="fr", reliability="B")
    assert src.published.precision == "day"
    start = body.index("trois soldats")
    ann = p.create_annotation(src.id, start, start + len("trois soldats américains"), note="toll",
                              credibility=2, groups=["United States"], tags=["casualties"])
    assert ann.quote == "trois soldats américains"
    assert ann.prefix.endswith("a tué ") and ann.suffix.startswith(" à la Tour")
    assert p.find_quote(src.id, "Tour 22") == (body.index("Tour 22"), body.index("Tour 22") + 7)
    with pytest.raises(ProjectError, match="non-empty"):
        p.create_annotation(src.id, 5, 5)
    with pytest.raises(ProjectError, match="credibility"):
        p.create_annotation(src.id, 0, 2, credibility=7)
    with pytest.raises(ProjectError, match="reliability"):
        p.create_source("x", reliability="G")
    tower = [e for e in p.events() if e.title == "Tower 22 attack"][0]
    p.add_evidence(tower.id, annotation_id=ann.id)
    p.add_evidence(tower.id, source_id=src.id, stance="contradicts")
    assert p.evidence_summary()[tower.id] == (2, 1)
    others = [e.id for e in p.events() if e.id != tower.id]
    assert p.evidence_summary([tower.id, *others]) == {tower.id: (2, 1)}
    assert p.evidence_summary(others) == {} and p.evidence_summary([]) == {}
    assert p.evidence_summary([*range(-2000, 0), tower.id]) == {tower.id: (2, 1)}  # in chunks of 900
    assert p.stats().events_without_evidence == 4
    p.delete_annotation(ann.id)
    assert [ev.annotation_id for ev in p.evidence(tower.id)] == [None, None]


def test_stats_counts_and_range(small_project):
    s = small_project.stats()
    assert (s.events, s.groups, s.sources, s.annotations, s.periods) == (5, 4, 0, 0, 0)
    assert s.events_without_evidence == 5
    assert s.first == "2014-06-10T00:00:00+00:00"
    assert s.last == "2024-01-28T23:59:59+00:00"


def test_meta_is_persistent(project, tmp_path):
    project.set_meta("timeline.view", '{"lo": 1}')
    project.close()
    with Project.open(tmp_path / "test.sijill") as p:
        assert p.get_meta("timeline.view") == '{"lo": 1}'


def test_check_constraints_guard_the_file_itself(project):
    with pytest.raises(sqlite3.IntegrityError):
        with project.db.atomic():
            project.db.execute("INSERT INTO sources (uid, title, reliability, added_at) VALUES ('u', 't', 'Z', 'x')")


def test_annotations_carry_their_own_groups_and_tags(small_project):
    p = small_project
    src = p.create_source("Statement", "US forces struck five facilities of Kataib Hezbollah.")
    us, kh = p.group_by_name("United States"), p.group_by_name("Kataib Hezbollah")
    a = p.create_annotation(src.id, 0, 9, groups=[kh.id, us.id], tags=["strike", "claim"])
    b = p.create_annotation(src.id, 10, 16, tags=["verb"])
    c = p.create_annotation(src.id, 36, 52, groups=[kh.id])
    got = {ann.id: (ann.group_ids, ann.tags) for ann in p.annotations(src.id)}
    assert got == {a.id: (tuple(sorted((kh.id, us.id))), ("claim", "strike")),
                   b.id: ((), ("verb",)), c.id: ((kh.id,), ())}
    assert p.annotation(b.id).tags == ("verb",) and p.annotation_by_uid(c.uid).group_ids == (kh.id,)
    assert p.annotations() == p.annotations(src.id)


def test_malformed_edits_are_refused_with_a_message_and_change_nothing(small_project):
    p = small_project
    per = p.create_period("ISIS holds Mosul", "2014-06-10", "2017-07-10")
    with pytest.raises(ProjectError, match="unknown period field"):
        p.update_period(per.id, titel="typo")
    with pytest.raises(ProjectError, match="needs a title"):
        p.update_period(per.id, title="  ")
    assert p.period(per.id) == per
    assert p.update_period(per.id, title=" ISIS rule ").title == "ISIS rule"
    kh = p.group_by_name("Kataib Hezbollah")
    assert p.update_group(kh.id, name="  Kata'ib Hizballah ").name == "Kata'ib Hizballah"
    with pytest.raises(ProjectError, match="kinds are"):
        p.search("Mosul", kinds=("evnt",))
    src = p.create_source("S", "a b a b a")
    with pytest.raises(ProjectError, match="counted from 1"):
        p.find_quote(src.id, "a", 0)
    assert p.find_quote(src.id, "a", 3) == (8, 9)
    count = p.event_count()
    with pytest.raises(ProjectError, match="no group with id 999"):
        p.bulk_insert_events([{"title": "ok", "start": "2020"}, {"title": "x", "start": "2020",
                                                                 "groups": [(999, "actor")]}])
    with pytest.raises(ProjectError, match="event 1 of the batch has no title"):
        p.bulk_insert_events([{"title": " ", "start": "2020"}])
    assert p.event_count() == count


def test_restore_refuses_a_snapshot_with_unknown_columns(small_project):
    p = small_project
    snap = p.delete_event(p.events()[0].id)
    snap["event"]["title) VALUES (1); DROP TABLE events; --"] = "x"
    with pytest.raises(ProjectError, match="unknown column"):
        p.restore_event(snap)
    assert p.event_count() == 4
