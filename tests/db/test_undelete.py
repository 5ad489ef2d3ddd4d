"""Bringing back a record deleted in an earlier session, from the change log (sijill.db.history.undelete),
on real project files closed and opened again between the delete and the restore."""
from __future__ import annotations

import pytest

from sijill.db.history.undelete import delete_again, deleted_records, undelete
from sijill.db.store.basics import ProjectError
from sijill.db.store.project import Project


@pytest.fixture
def deleted(tmp_path) -> dict:
    """A project where an event with groups, tags and evidence, a source with two passages (one cited by
    a surviving event) and a group were deleted in one session, then the file closed."""
    path = tmp_path / "p.sijill"
    with Project.create(path) as p:
        kh = p.create_group("Kataib Hezbollah", aliases=[("KH", "en")])
        iri = p.create_group("Islamic Resistance in Iraq")
        us = p.create_group("United States")
        report = p.create_source("CENTCOM statement", "Three US soldiers were killed at Tower 22 in Jordan.",
                                 outlet="CENTCOM")
        killed = p.create_annotation(report.id, 0, 27, note="casualties", groups=[us.id], tags=["casualties"])
        place = p.create_annotation(report.id, 31, 51)
        tower = p.create_event("Tower 22 attack", "2024-01-28", location="Tower 22", fatalities=3,
                               groups=[(kh.id, "actor"), (iri.id, "associated"), (us.id, "target")],
                               tags=["drone", "Jordan"])
        p.add_evidence(tower.id, annotation_id=killed.id, stance="supports", note="three killed")
        other = p.create_event("Strike on Kataib Hezbollah", "2024-02-02")
        p.add_evidence(other.id, annotation_id=place.id, stance="supports")
        p.add_evidence(other.id, source_id=report.id, stance="contradicts")
        p.delete_event(tower.id)
        p.delete_group(iri.id)
        p.delete_source(report.id)
    return {"path": path, "tower": tower.uid, "report": report.uid, "iri": iri.uid, "other": other.uid,
            "killed": killed.uid, "place": place.uid}


def test_deleted_records_are_listed_newest_first(deleted):
    with Project.open(deleted["path"], read_only=True) as p:
        found = [(d.kind, d.title) for d in deleted_records(p)]
    assert found[0] == ("source", "CENTCOM statement") and found[-1] == ("event", "Tower 22 attack")
    assert sorted(found[1:4]) == [("annotation", "Three US soldiers were kill"),
                                  ("annotation", "t Tower 22 in Jordan"), ("group", "Islamic Resistance in Iraq")]


def test_a_source_comes_back_with_its_passages_and_their_evidence(deleted):
    with Project.open(deleted["path"]) as p:
        done = undelete(p, deleted["report"])
        source = p.source_by_uid(deleted["report"])
        passages = {a.uid: a for a in p.annotations(source.id)}
        other = p.event_by_uid(deleted["other"])
        evidence = sorted((e.stance, e.annotation_id) for e in p.evidence(other.id))
        [restore] = p.change_sets(kind="restore")
    assert done.label == "Restore deleted source “CENTCOM statement”" == restore.label
    assert done.restored == ("2 passages",) and done.skipped == ()
    assert (source.title, source.outlet, source.id) == ("CENTCOM statement", "CENTCOM", done.record_id)
    assert set(passages) == {deleted["killed"], deleted["place"]}
    killed = passages[deleted["killed"]]
    assert (killed.quote, killed.note, killed.tags, len(killed.group_ids)) == (
        "Three US soldiers were kill", "casualties", ("casualties",), 1)
    assert evidence == [("contradicts", None), ("supports", passages[deleted["place"]].id)]


def test_an_event_comes_back_with_its_fields_and_links_and_names_what_it_could_not_reattach(deleted):
    with Project.open(deleted["path"]) as p:
        undelete(p, deleted["report"])  # the evidence's source first
        done = undelete(p, deleted["tower"])
        event = p.event_by_uid(deleted["tower"])
        groups = {p.group(link.group_id).name: link.role for link in event.groups}
        evidence = [(e.stance, e.note, p.annotation(e.annotation_id).uid) for e in p.evidence(event.id)]
        restores = [cs.label for cs in p.change_sets(kind="restore")]
    assert (event.title, event.start.text, event.location, event.fatalities) == (
        "Tower 22 attack", "2024-01-28", "Tower 22", 3)
    assert groups == {"Kataib Hezbollah": "actor", "United States": "target"}
    assert sorted(event.tags) == ["Jordan", "drone"]
    assert evidence == [("supports", "three killed", deleted["killed"])]
    assert done.skipped == ("group “Islamic Resistance in Iraq” (deleted since)",)
    assert restores[0] == "Restore deleted event “Tower 22 attack”"


def test_evidence_whose_source_is_still_deleted_is_reported(deleted):
    with Project.open(deleted["path"]) as p:
        done = undelete(p, deleted["tower"])
        assert p.evidence(done.record_id) == []
    assert "evidence (supports) from the source “CENTCOM statement” (deleted since)" in done.skipped


def test_a_group_comes_back_with_its_links_and_sub_groups(tmp_path):
    path = tmp_path / "p.sijill"
    with Project.create(path) as p:
        axis = p.create_group("Axis of Resistance")
        iri = p.create_group("Islamic Resistance in Iraq", parent=axis.id, aliases=[("IRI", "en")])
        kh = p.create_group("Kataib Hezbollah", parent=iri.id)
        tower = p.create_event("Tower 22 attack", "2024-01-28", groups=[(iri.id, "actor")])
        p.delete_group(iri.id)
    with Project.open(path) as p:
        undelete(p, iri.uid)
        group = next(g for g in p.groups() if g.uid == iri.uid)
        assert (p.group(group.parent_id).name, [(a.alias, a.lang) for a in group.aliases]) == (
            "Axis of Resistance", [("IRI", "en")])
        assert p.group(kh.id).parent_id == group.id
        assert [(link.group_id, link.role) for link in p.event_by_uid(tower.uid).groups] == [(group.id, "actor")]


def test_a_passage_comes_back_pinned_to_the_evidence_again(tmp_path):
    path = tmp_path / "p.sijill"
    with Project.create(path) as p:
        source = p.create_source("Report", "Drones hit Tower 22.")
        passage = p.create_annotation(source.id, 0, 6)
        event = p.create_event("Tower 22 attack", "2024-01-28")
        p.add_evidence(event.id, annotation_id=passage.id, stance="supports")
        p.delete_annotation(passage.id)
    with Project.open(path) as p:
        done = undelete(p, passage.uid)
        assert done.label == "Restore deleted passage “Drones”"
        assert [e.annotation_id for e in p.evidence(event.id)] == [done.record_id]


def test_refusals_write_nothing(deleted):
    with Project.open(deleted["path"]) as p:
        before = len(p.change_sets())
        with pytest.raises(ProjectError, match="is in the project \\(not deleted\\)"):
            undelete(p, deleted["other"])
        with pytest.raises(ProjectError, match="no record with uid 'nope' was ever deleted"):
            undelete(p, "nope")
        with pytest.raises(ProjectError, match="source “CENTCOM statement” is deleted too: bring the source back"):
            undelete(p, deleted["killed"])
        p.create_group("Islamic Resistance in Iraq")
        with pytest.raises(ProjectError, match="another group has that name now"):
            undelete(p, deleted["iri"])
        assert len(p.change_sets()) == before + 1  # the group just made


def test_a_period_and_a_place_come_back_and_undo_deletes_them_again(tmp_path):
    path = tmp_path / "p.sijill"
    with Project.create(path) as p:
        period = p.create_period("Escalation", "Oct 2023", "Feb 2024", color="#aa3300", description="after 7 Oct")
        place = p.create_place("Tower 22", 33.32, 38.69, country="Jordan", aliases=["T22", "Tower Twenty-Two"])
        p.delete_period(period.id)
        p.delete_place(place.id)
    with Project.open(path) as p:
        back = undelete(p, period.uid)
        [restored] = p.periods()
        assert (restored.uid, restored.title, restored.start.text, restored.end.text, restored.color,
                restored.description) == (period.uid, "Escalation", "Oct 2023", "Feb 2024", "#aa3300", "after 7 Oct")
        assert back.label == "Restore deleted period “Escalation”"
        undelete(p, place.uid)
        [tower] = p.places()
        assert (tower.uid, tower.lat, tower.lon, tower.country, sorted(tower.aliases)) == (
            place.uid, 33.32, 38.69, "Jordan", ["T22", "Tower Twenty-Two"])
        delete_again(p, back)
        assert p.periods() == []
        assert [d.uid for d in deleted_records(p)] == [period.uid]
