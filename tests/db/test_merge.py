"""Merging two analysts' copies of a project, and listing what differs (sijill.db.merge).

Each test makes a project through Project methods, copies the file twice (analyst A's and B's
copies), edits each copy through Project methods, then diffs or merges B into A and checks what A's
file holds afterwards."""
from __future__ import annotations

import shutil
import sqlite3

import pytest

from sijill.db.merge import MergeError, diff_files, merge_files, merge_projects, plan_merge
from sijill.db.merge.plan import BOTH, DELETED_IN_FROM, DELETED_IN_INTO, DIFFERS
from sijill.db.store.project import Project
from tests.cli_helpers import dump

BODY = ("Rockets struck the base at Ain al-Asad at dawn on Tuesday. The Islamic Resistance in Iraq "
        "claimed the attack in a statement on Telegram. US officials said no one was hurt.")


@pytest.fixture
def copies(tmp_path):
    """(path of A, path of B, uids): two copies of one small project."""
    base = tmp_path / "base.sijill"
    with Project.create(base) as p:
        pmf = p.create_group("Popular Mobilization Forces", aliases=["al-Hashd"])
        kh = p.create_group("Kataib Hezbollah", parent=pmf.id)
        us = p.create_group("United States")
        strike = p.create_event("US strikes on Kataib Hezbollah", "2019-12-29",
                                groups=[(us.id, "actor"), (kh.id, "target")], tags=["airstrike"])
        tower = p.create_event("Tower 22 attack", "2024-01-28", groups=[(kh.id, "actor")])
        quiet = p.create_event("Quiet week", "2024-03")
        period = p.create_period("Drone campaign", "2023-10", "2024-02")
        source = p.create_source("Base attacked", BODY, outlet="Reuters")
        start = BODY.index("claimed the attack")
        ann = p.create_annotation(source.id, start, start + len("claimed the attack"), note="claim")
        p.add_evidence(tower.id, annotation_id=ann.id)
        uids = {"pmf": pmf.uid, "kh": kh.uid, "us": us.uid, "strike": strike.uid, "tower": tower.uid,
                "quiet": quiet.uid, "period": period.uid, "source": source.uid, "ann": ann.uid}
    a, b = tmp_path / "a.sijill", tmp_path / "b.sijill"
    shutil.copy(base, a)
    shutil.copy(base, b)
    return a, b, uids


def edit(path, fn):
    with Project.open(path) as p:
        return fn(p)


def event(p: Project, uid: str):
    return p.event_by_uid(uid)


def read(path, fn):
    with Project.open(path, read_only=True) as p:
        return fn(p)


def test_edits_made_on_one_side_only_are_applied(copies):
    a, b, u = copies
    edit(a, lambda p: p.update_event(event(p, u["strike"]).id, title="US strikes KH sites"))
    edit(b, lambda p: (p.update_event(event(p, u["tower"]).id, location="Tower 22, Jordan", fatalities=3),
                       p.update_group(p.group_by_name("United States").id, color="#0000ff"),
                       p.update_period(p.periods()[0].id, title="Drone and rocket campaign")))
    result = merge_files(a, b)
    assert result.exit_code == 0 and not result.plan.conflicts
    assert {(c.uid, c.field) for c in result.plan.changed} == {
        (u["tower"], "location"), (u["tower"], "fatalities"), (u["us"], "color"), (u["period"], "title")}
    with Project.open(a) as p:
        assert event(p, u["strike"]).title == "US strikes KH sites"  # A's own edit stays
        tower = event(p, u["tower"])
        assert (tower.location, tower.fatalities) == ("Tower 22, Jordan", 3)
        assert p.group_by_name("United States").color == "#0000ff"
        assert p.periods()[0].title == "Drone and rocket campaign"
        merges = p.change_sets(kind="merge")
        assert [m.label for m in merges] == ["Merge from b.sijill"]
        in_a = {s.uid for s in p.change_sets()}
    b_own = read(b, lambda p: {s.uid for s in p.change_sets()}) - read(a.parent / "base.sijill", lambda p: {
        s.uid for s in p.change_sets()})
    assert len(b_own) == 3 and b_own <= in_a  # B's own history is now in A's


def test_the_same_field_changed_differently_is_a_conflict_and_keeps_into(copies):
    a, b, u = copies
    edit(a, lambda p: p.update_event(event(p, u["tower"]).id, title="Tower 22 drone attack", fatalities=3))
    edit(b, lambda p: p.update_event(event(p, u["tower"]).id, title="Attack on Tower 22", fatalities=3,
                                     description="Three US soldiers killed"))
    result = merge_files(a, b)
    assert result.exit_code == 3
    [conflict] = result.plan.conflicts
    assert (conflict.uid, conflict.field, conflict.into, conflict.from_, conflict.reason) == (
        u["tower"], "title", "Tower 22 drone attack", "Attack on Tower 22", BOTH)
    tower = read(a, lambda p: event(p, u["tower"]))
    assert tower.title == "Tower 22 drone attack"  # INTO's value kept
    assert tower.description == "Three US soldiers killed"  # the rest of FROM's edit applied
    assert "title: INTO “Tower 22 drone attack” | FROM “Attack on Tower 22”" in result.text()


def test_links_changed_on_both_sides_merge_link_by_link(copies):
    a, b, u = copies
    edit(a, lambda p: p.update_event(event(p, u["strike"]).id, tags=["airstrike", "retaliation"]))
    edit(b, lambda p: p.update_event(event(p, u["strike"]).id, tags=["airstrike", "claimed"],
                                     groups=[(p.group_by_name("United States").id, "actor")]))
    result = merge_files(a, b)
    assert result.exit_code == 0
    strike = read(a, lambda p: (event(p, u["strike"]), {g.id: g.name for g in p.groups()}))
    assert sorted(strike[0].tags) == ["airstrike", "claimed", "retaliation"]
    assert [strike[1][link.group_id] for link in strike[0].groups] == ["United States"]  # B removed KH


def test_edit_against_delete_is_a_conflict_either_way(copies):
    a, b, u = copies
    edit(a, lambda p: (p.delete_event(event(p, u["strike"]).id),
                       p.update_event(event(p, u["tower"]).id, title="Tower 22 (Jordan)")))
    edit(b, lambda p: (p.update_event(event(p, u["strike"]).id, description="edited in B"),
                       p.delete_event(event(p, u["tower"]).id),
                       p.delete_event(event(p, u["quiet"]).id)))
    result = merge_files(a, b)
    assert result.exit_code == 3
    assert {(c.uid, c.reason) for c in result.plan.conflicts} == {
        (u["strike"], DELETED_IN_INTO), (u["tower"], DELETED_IN_FROM)}
    after = read(a, lambda p: {e.uid: e.title for e in p.events()})
    assert u["strike"] not in after  # deleted in INTO: stays deleted
    assert after[u["tower"]] == "Tower 22 (Jordan)"  # edited in INTO: kept
    assert u["quiet"] not in after  # deleted in FROM, untouched in INTO: deleted


def test_new_records_on_both_sides_are_added_with_their_references(copies):
    a, b, u = copies
    mine = edit(a, lambda p: p.create_event("Erbil airport attack", "2024-01-02").uid)

    def add_in_b(p: Project):
        nujaba = p.create_group("Harakat al-Nujaba", parent=p.group_by_name("Popular Mobilization Forces").id,
                                aliases=[("Nujaba", "en")])
        src = p.create_source("Nujaba statement", "Nujaba says it will keep up the attacks on US forces.")
        ann = p.create_annotation(src.id, 0, 6, note="who", groups=[nujaba.id], tags=["statement"])
        ev = p.create_event("Nujaba threatens US forces", "2024-01-05", groups=[(nujaba.id, "actor")],
                            tags=["threat"])
        p.add_evidence(ev.id, annotation_id=ann.id, stance="supports", note="their words")
        return nujaba.uid, src.uid, ann.uid, ev.uid

    nujaba, src, ann, ev = edit(b, add_in_b)
    result = merge_files(a, b)
    assert result.exit_code == 0
    assert {r.uid for r in result.plan.added} == {nujaba, src, ann, ev}
    with Project.open(a, read_only=True) as p:
        assert event(p, mine) is not None  # A's own new event stays
        group = p.group_by_name("Harakat al-Nujaba")
        assert p.group(group.parent_id).name == "Popular Mobilization Forces"
        assert [x.alias for x in group.aliases] == ["Nujaba"]
        new_event = event(p, ev)
        assert [(link.group_id, link.role) for link in new_event.groups] == [(group.id, "actor")]
        assert new_event.tags == ("threat",)
        annotation = p.annotation_by_uid(ann)
        assert p.source(annotation.source_id).uid == src
        assert (annotation.quote, annotation.group_ids, annotation.tags) == ("Nujaba", (group.id,), ("statement",))
        [evidence] = p.evidence(new_event.id)
        assert (evidence.annotation_id, evidence.stance, evidence.note) == (annotation.id, "supports", "their words")


def test_annotations_on_a_source_retexted_in_from_are_reanchored_or_orphaned(copies):
    a, b, u = copies
    # A annotates two passages of the old text; B puts a new text in the source.
    def annotate(p: Project):
        src = p.source_by_uid(u["source"])
        kept = p.create_annotation(src.id, *p.find_quote(src.id, "US officials said no one was hurt"))
        lost = p.create_annotation(src.id, *p.find_quote(src.id, "at dawn on Tuesday"))
        return kept.uid, lost.uid

    kept, lost = edit(a, annotate)
    new_body = "UPDATE (14:00). " + BODY.replace("at dawn on Tuesday", "overnight")
    edit(b, lambda p: p.replace_source_text(p.source_by_uid(u["source"]).id, new_body))
    result = merge_files(a, b)
    assert result.exit_code == 0
    with Project.open(a, read_only=True) as p:
        assert p.source_by_uid(u["source"]).body == new_body
        moved = p.annotation_by_uid(kept)
        assert new_body[moved.start:moved.end] == "US officials said no one was hurt" and not moved.orphaned
        orphan = p.annotation_by_uid(lost)
        assert orphan.orphaned and orphan.quote == "at dawn on Tuesday"  # kept, flagged, never dropped
        shared = p.annotation_by_uid(u["ann"])  # re-anchored in B, taken from B
        assert new_body[shared.start:shared.end] == "claimed the attack"


def test_an_annotation_added_in_from_on_a_source_retexted_in_into_is_reanchored(copies):
    a, b, u = copies
    new_body = "Correction appended. " + BODY
    edit(a, lambda p: p.replace_source_text(p.source_by_uid(u["source"]).id, new_body))
    added = edit(b, lambda p: p.create_annotation(
        p.source_by_uid(u["source"]).id, *p.find_quote(p.source_by_uid(u["source"]).id, "on Telegram")).uid)
    merge_files(a, b)
    ann = read(a, lambda p: p.annotation_by_uid(added))
    assert new_body[ann.start:ann.end] == "on Telegram" and not ann.orphaned


def test_merging_the_same_file_again_applies_nothing(copies):
    a, b, u = copies
    edit(a, lambda p: p.update_event(event(p, u["tower"]).id, title="A's title"))
    edit(b, lambda p: (p.update_event(event(p, u["tower"]).id, title="B's title"),
                       p.create_event("New in B", "2024-02-02")))
    first = merge_files(a, b)
    assert first.plan.added and first.plan.conflicts
    before = dump(a)
    again = merge_files(a, b)
    assert not again.plan.writes and not again.plan.conflicts and again.exit_code == 0
    assert dump(a) == before
    assert "nothing to merge" in again.text()


def test_a_dry_run_writes_nothing_and_says_what_it_would_do(copies):
    a, b, u = copies
    edit(b, lambda p: p.update_event(event(p, u["tower"]).id, title="B's title"))
    before = dump(a)
    result = merge_files(a, b, dry_run=True)
    assert dump(a) == before
    assert not result.applied and [c.field for c in result.plan.changed] == ["title"]
    assert "would be written" in result.text() and "nothing was written" in result.text()
    assert merge_files(a, b).applied


def test_projects_of_different_lineage_are_merged_as_a_two_way_import(tmp_path):
    uid = "5a1d2c3e-0000-4000-8000-000000000001"
    with Project.create(tmp_path / "a.sijill") as p:
        p.create_event("Shared uid, A's title", "2024-01-01", uid=uid)
    with Project.create(tmp_path / "b.sijill") as p:
        p.create_event("Shared uid, B's title", "2024-01-01", uid=uid)
        only_b = p.create_event("Only in B", "2024-01-03").uid
    result = merge_files(tmp_path / "a.sijill", tmp_path / "b.sijill")
    assert not result.plan.three_way and "two-way import" in result.text()
    assert [r.uid for r in result.plan.added] == [only_b]
    assert [(c.uid, c.field, c.reason) for c in result.plan.conflicts] == [(uid, "title", DIFFERS)]
    titles = read(tmp_path / "a.sijill", lambda p: {e.uid: e.title for e in p.events()})
    assert titles == {uid: "Shared uid, A's title", only_b: "Only in B"}


def test_a_file_that_is_not_a_project_is_refused_by_name(copies, tmp_path):
    a, _b, _u = copies
    junk = tmp_path / "notes.sijill"
    junk.write_text("not a database")
    before = dump(a)
    with pytest.raises(MergeError, match="FROM: .*notes.sijill: not a Sijill project"):
        merge_files(a, junk)
    with pytest.raises(MergeError, match="no such file"):
        merge_files(a, tmp_path / "missing.sijill")
    with pytest.raises(MergeError, match="the same file"):
        merge_files(a, a)
    assert dump(a) == before


def test_diff_lists_records_and_fields_including_link_sets(copies):
    a, b, u = copies
    edit(a, lambda p: p.create_event("Only in A", "2024-01-02"))
    edit(b, lambda p: (p.update_event(event(p, u["strike"]).id, tags=["airstrike", "claimed"], start="2019-12-30"),
                       p.update_group(p.group_by_name("Kataib Hezbollah").id, parent=None, aliases=["KH"])))
    diff = diff_files(a, b)
    by_uid = {r.uid: r for r in diff.records}
    assert {r.status for r in diff.records} == {"only in A", "changed"}
    assert [f.name for f in by_uid[u["strike"]].fields] == ["start", "tags"]
    assert [f.name for f in by_uid[u["kh"]].fields] == ["parent", "aliases"]
    text = diff.text()
    assert "tags: airstrike → airstrike, claimed" in text
    assert "parent: Popular Mobilization Forces → —" in text
    assert "start: 2019-12-29 → 2019-12-30" in text
    doc = diff.to_json()
    assert doc["counts"]["event"] == {"only in A": 1, "only in B": 0, "changed": 1}
    assert diff_files(a, a).empty


def test_files_copied_before_the_change_log_are_merged_two_way(copies, tmp_path):
    """Copies of a file written before Sijill kept a change log: the state they started from is not
    known, so the merge adds and lists instead of guessing."""
    a, b, u = copies
    for path in (a, b):
        conn = sqlite3.connect(path)
        with conn:
            conn.execute("DELETE FROM change_sets")
            conn.execute("DELETE FROM changes")
        conn.close()
    edit(a, lambda p: p.update_event(event(p, u["tower"]).id, title="A's title"))
    edit(b, lambda p: p.create_event("New in B", "2024-02-02"))
    result = merge_files(a, b)
    assert not result.plan.three_way and "made before Sijill kept a change log" in result.text()
    assert [r.title for r in result.plan.added] == ["New in B"]
    assert [(c.uid, c.field) for c in result.plan.conflicts] == [(u["tower"], "title")]


def test_parents_changed_on_both_sides_never_put_a_group_inside_itself(copies):
    a, b, u = copies
    edit(a, lambda p: p.update_group(p.group_by_name("United States").id, parent="Kataib Hezbollah"))
    edit(b, lambda p: p.update_group(p.group_by_name("Popular Mobilization Forces").id, parent="United States"))
    result = merge_files(a, b)
    assert [(c.uid, c.field) for c in result.plan.conflicts] == [(u["pmf"], "parent")]
    assert read(a, lambda p: p.group_by_name("Popular Mobilization Forces").parent_id) is None


def test_conflicts_the_analyst_settles_with_from_take_froms_side(copies):
    """What the window's Merge dialog does with a choice per conflict: plan again taking FROM's side."""
    a, b, u = copies
    edit(a, lambda p: (p.update_event(event(p, u["tower"]).id, title="A's title", groups=[(u["kh"], "target")]),
                       p.delete_event(event(p, u["strike"]).id)))
    edit(b, lambda p: (p.update_event(event(p, u["tower"]).id, title="B's title", groups=[(u["kh"], "mentioned")]),
                       p.update_event(event(p, u["strike"]).id, title="Strike, edited in B")))
    with Project.open(a) as pa, Project.open(b, read_only=True) as pb:
        first = plan_merge(pa, pb)
        assert {c.key for c in first.conflicts} == {("event", u["tower"], "title"), ("event", u["tower"], "groups"),
                                                    ("event", u["strike"], None)}
        plan = plan_merge(pa, pb, take_from=[c.key for c in first.conflicts])
        assert not plan.conflicts
        result = merge_projects(pa, pb, take_from=[c.key for c in first.conflicts])
        assert result.exit_code == 0
        tower, strike = event(pa, u["tower"]), event(pa, u["strike"])
        assert (tower.title, [link.role for link in tower.groups]) == ("B's title", ["mentioned"])
        assert strike.title == "Strike, edited in B"  # deleted in A, brought back with B's edit


def test_a_group_of_another_project_with_a_name_into_uses_stands_for_into_s_group(tmp_path):
    with Project.create(tmp_path / "a.sijill") as p:
        isis_a = p.create_group("ISIS").uid
    with Project.create(tmp_path / "b.sijill") as p:
        isis_b = p.create_group("ISIS", aliases=["Daesh"])
        ev = p.create_event("ISIS takes Mosul", "2014-06-10", groups=[(isis_b.id, "actor")]).uid
    result = merge_files(tmp_path / "a.sijill", tmp_path / "b.sijill")
    [conflict] = result.plan.conflicts
    assert (conflict.uid, conflict.field, conflict.choosable) == (isis_b.uid, "name", False)
    with Project.open(tmp_path / "a.sijill", read_only=True) as p:
        assert [g.uid for g in p.groups()] == [isis_a]
        assert [p.group(link.group_id).uid for link in event(p, ev).groups] == [isis_a]


def test_what_refers_to_a_record_into_deleted_is_listed_not_written(copies):
    a, b, u = copies
    edit(a, lambda p: p.delete_source(p.source_by_uid(u["source"]).id))

    def annotate_in_b(p: Project):
        src = p.source_by_uid(u["source"])
        ann = p.create_annotation(src.id, *p.find_quote(src.id, "US officials"))
        p.add_evidence(event(p, u["strike"]).id, source_id=src.id, stance="context")
        return ann.uid

    ann = edit(b, annotate_in_b)
    result = merge_files(a, b)
    assert {(c.uid, c.field, c.reason) for c in result.plan.conflicts} == {
        (ann, "source", "refers to a source INTO does not have"),
        (u["strike"], "evidence", "refers to a record INTO does not have")}
    with Project.open(a, read_only=True) as p:
        assert p.annotation_by_uid(ann) is None and p.evidence(event(p, u["strike"]).id) == []


def test_an_edit_undone_on_one_side_changes_nothing(copies):
    a, b, u = copies

    def delete_and_undo(p: Project):
        snapshot = p.delete_event(event(p, u["tower"]).id)
        p.restore_event(snapshot)
        p.update_event(event(p, u["quiet"]).id, title="Busy week")
        p.update_event(event(p, u["quiet"]).id, title="Quiet week")

    edit(b, delete_and_undo)
    edit(a, lambda p: p.update_event(event(p, u["tower"]).id, title="A's title"))
    result = merge_files(a, b)
    assert not result.plan.changed and not result.plan.conflicts and not result.plan.deleted


def test_a_write_made_outside_sijill_counts_as_that_side_s_change(copies):
    a, b, u = copies
    conn = sqlite3.connect(b)
    with conn:
        conn.execute("UPDATE events SET location = 'Ain al-Asad' WHERE uid = ?", [u["tower"]])
    conn.close()
    result = merge_files(a, b)
    assert [(c.uid, c.field, c.from_) for c in result.plan.changed] == [(u["tower"], "location", "Ain al-Asad")]
    assert read(a, lambda p: event(p, u["tower"]).location) == "Ain al-Asad"


def test_evidence_changed_in_from_is_updated_in_into(copies):
    a, b, u = copies
    edit(b, lambda p: [p.update_evidence(ev.id, stance="contradicts", note="denied")
                       for ev in p.evidence(event(p, u["tower"]).id)])
    merge_files(a, b)
    [ev] = read(a, lambda p: p.evidence(event(p, u["tower"]).id))
    assert (ev.stance, ev.note, ev.annotation_id is not None) == ("contradicts", "denied", True)


def test_a_record_from_deleted_stays_when_into_s_own_changes_refer_to_it(copies):
    a, b, u = copies
    new_passage = edit(a, lambda p: p.create_annotation(
        p.source_by_uid(u["source"]).id, *p.find_quote(p.source_by_uid(u["source"]).id, "US officials")).uid)
    edit(a, lambda p: p.update_event(event(p, u["quiet"]).id, groups=[(u["us"], "mentioned")]))
    edit(b, lambda p: (p.delete_source(p.source_by_uid(u["source"]).id),
                       p.delete_group(p.group_by_name("United States").id)))
    result = merge_files(a, b)
    assert {(c.uid, c.reason) for c in result.plan.conflicts} == {
        (u["source"], f"{DELETED_IN_FROM}: INTO's own changes refer to it"),
        (u["us"], f"{DELETED_IN_FROM}: INTO's own changes refer to it")}
    with Project.open(a, read_only=True) as p:
        assert p.annotation_by_uid(new_passage) is not None
        assert [p.group(link.group_id).name for link in event(p, u["quiet"]).groups] == ["United States"]


def test_places_are_merged_by_uid_with_their_aliases(copies):
    a, b, u = copies
    edit(a, lambda p: p.create_place("Tower 22", 33.32, 38.70, country="JO"))
    same_name = edit(b, lambda p: p.create_place("Tower 22", 33.3, 38.7).uid)
    asad = edit(b, lambda p: p.create_place("Ain al-Asad Air Base", 33.8, 42.44, aliases=["Al Asad"]).uid)
    edit(b, lambda p: p.update_place(asad, lat=33.79, aliases=["Al Asad", "عين الأسد"]))
    diff = diff_files(a, b)
    assert {(r.kind, r.title, r.status) for r in diff.records if r.kind == "place"} == {
        ("place", "Tower 22", "only in A"), ("place", "Tower 22", "only in B"),
        ("place", "Ain al-Asad Air Base", "only in B")}
    result = merge_files(a, b)
    assert [(c.uid, c.reason) for c in result.plan.conflicts] == [(same_name, "INTO has another place of that name")]
    with Project.open(a, read_only=True) as p:
        place = p.place(asad)
        assert (place.lat, sorted(place.aliases)) == (33.79, ["Al Asad", "عين الأسد"])
        assert p.place("Tower 22").country == "JO"  # A's own place, kept
    edit(b, lambda p: p.update_place(asad, lon=42.45, aliases=["Al Asad"]))
    merge_files(a, b)
    place = read(a, lambda p: p.place(asad))
    assert (place.lon, place.aliases) == (42.45, ("Al Asad",))


def test_merging_week_after_week_in_both_directions_brings_only_what_is_new(copies):
    """What the earlier merges took in counts as common: FROM's later edits of it apply, and a
    conflict settled before comes back only when FROM changes that field again."""
    a, b, u = copies
    retitle = lambda uid, title: lambda p: p.update_event(event(p, uid).id, title=title)  # noqa: E731
    edit(a, retitle(u["strike"], "A's strike"))
    edit(b, retitle(u["strike"], "B's strike"))
    edit(b, retitle(u["tower"], "Tower 22, week 1"))
    new = edit(b, lambda p: p.create_event("New in B", "2024-02-02").uid)
    assert [c.uid for c in merge_files(a, b).plan.conflicts] == [u["strike"]]
    # week 2: B edits what A took in last week, and the event it added; B merges A back
    edit(b, retitle(u["tower"], "Tower 22, week 2"))
    edit(b, lambda p: p.update_event(event(p, new).id, location="Anbar"))
    week2 = merge_files(a, b)
    assert not week2.plan.conflicts
    assert {(c.uid, c.field) for c in week2.plan.changed} == {(u["tower"], "title"), (new, "location")}
    back = merge_files(b, a)
    assert not back.plan.conflicts
    assert [(c.uid, c.field, c.from_) for c in back.plan.changed] == [(u["strike"], "title", "A's strike")]
    assert diff_files(a, b).empty
    # week 3: B deletes its event, and retitles the strike (A kept its title at week 1: both now agree)
    edit(b, lambda p: p.delete_event(event(p, new).id))
    edit(b, retitle(u["strike"], "Strike, B's week 3"))
    week3 = merge_files(a, b)
    assert not week3.plan.conflicts and [r.uid for r in week3.plan.deleted] == [new]
    assert read(a, lambda p: event(p, u["strike"]).title) == "Strike, B's week 3"
    assert not merge_files(a, b).plan.writes and not merge_files(b, a).plan.conflicts
