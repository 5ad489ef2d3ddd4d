"""`sijill history PROJECT --deleted` and `sijill restore PROJECT UID` on a deleted record: a record deleted
in an earlier session comes back from the command line, on real project files."""
from __future__ import annotations

import json

import pytest

from sijill.db.store.project import Project
from tests.cli_helpers import call, refused


@pytest.fixture
def deleted(tmp_path) -> dict:
    """An event with groups, tags and evidence, deleted in one session (and one of its groups after it)."""
    path = tmp_path / "p.sijill"
    with Project.create(path) as p:
        p.analyst = "samira"
        kh = p.create_group("Kataib Hezbollah")
        iri = p.create_group("Islamic Resistance in Iraq")
        report = p.create_source("CENTCOM statement", "Three US soldiers were killed at Tower 22.")
        passage = p.create_annotation(report.id, 0, 29)
        tower = p.create_event("Tower 22 attack", "2024-01-28", description="One-way drone", fatalities=3,
                               groups=[(kh.id, "actor"), (iri.id, "associated")], tags=["drone"])
        p.add_evidence(tower.id, annotation_id=passage.id, stance="supports", note="three killed")
        p.add_evidence(tower.id, source_id=report.id, stance="contradicts")
        p.delete_event(tower.id)
        p.delete_group(iri.id)
    return {"path": str(path), "tower": tower.uid, "iri": iri.uid, "passage": passage.uid}


def test_history_lists_the_deleted_records_with_their_uids(deleted, capsys):
    code, out, err = call(capsys, "history", deleted["path"], "--deleted")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].endswith(f"· samira · group “Islamic Resistance in Iraq” · {deleted['iri']}")
    assert lines[1].endswith(f"· samira · event “Tower 22 attack” · {deleted['tower']}")
    code, out, _ = call(capsys, "history", deleted["path"], "--deleted", "--json")
    assert [(d["kind"], d["uid"], d["change"]) for d in json.loads(out)] == [
        ("group", deleted["iri"], "Delete group"), ("event", deleted["tower"], "Delete event")]
    code, out, _ = call(capsys, "history", deleted["path"], "--deleted", "--analyst", "nobody")
    assert (code, out.strip()) == (0, "no deleted records match")


def test_restore_brings_the_event_back_with_its_links_and_names_the_group_deleted_since(deleted, capsys):
    path = deleted["path"]
    code, out, err = call(capsys, "restore", path, deleted["tower"])
    assert (code, err) == (0, "")
    assert out.startswith("Restore deleted event “Tower 22 attack” (change ")
    assert "  not re-attached: group “Islamic Resistance in Iraq” (deleted since)" in out
    with Project.open(path, read_only=True) as p:
        event = p.event_by_uid(deleted["tower"])
        assert (event.title, event.description, event.start.text, event.fatalities) == (
            "Tower 22 attack", "One-way drone", "2024-01-28", 3)
        assert [(p.group(link.group_id).name, link.role) for link in event.groups] == [("Kataib Hezbollah", "actor")]
        assert event.tags == ("drone",)
        assert sorted((e.stance, e.note, e.annotation_id and p.annotation(e.annotation_id).uid)
                      for e in p.evidence(event.id)) == [("contradicts", None, None),
                                                         ("supports", "three killed", deleted["passage"])]
        [restore] = p.change_sets(kind="restore")
        assert restore.label == "Restore deleted event “Tower 22 attack”"
    code, out, _ = call(capsys, "history", path, "--deleted")
    assert deleted["tower"] not in out and deleted["iri"] in out


def test_dry_run_and_json(deleted, capsys):
    path = deleted["path"]
    code, out, _ = call(capsys, "restore", path, deleted["tower"], "--dry-run")
    assert code == 0 and out.startswith("would restore deleted event “Tower 22 attack”, deleted ")
    assert "by samira (Delete event)" in out
    with Project.open(path, read_only=True) as p:
        assert p.event_by_uid(deleted["tower"]) is None
    code, out, _ = call(capsys, "restore", path, deleted["tower"], "--json")
    data = json.loads(out)
    assert (code, data["written"], data["kind"]) == (0, True, "event")
    assert data["skipped"] == ["group “Islamic Resistance in Iraq” (deleted since)"]


def test_refusals_say_what_and_change_nothing(deleted, capsys):
    path = deleted["path"]
    refused(capsys, path, "restore", path, "no-such-uid", match="no record with uid 'no-such-uid' was ever deleted")
    refused(capsys, path, "restore", path, deleted["tower"], "--before", "abcd", match="is a deleted record")
    refused(capsys, path, "history", path, deleted["tower"], "--deleted", match="give no UID with it")


def test_the_dry_run_refuses_what_the_run_refuses(deleted, capsys):
    path = deleted["path"]
    with Project.open(path) as p:
        p.create_group("Islamic Resistance in Iraq")  # the deleted group's name is taken now
    for extra in ((), ("--dry-run",)):
        refused(capsys, path, "restore", path, deleted["iri"], *extra, match="another group has that name now")


def test_a_source_merged_away_is_refused_naming_the_source_kept(tmp_path, capsys):
    path = tmp_path / "m.sijill"
    with Project.create(path) as p:
        body = "Three US soldiers were killed at Tower 22."
        first = p.create_source("CENTCOM statement", body)
        again = p.create_source("CENTCOM statement (copy)", body)
        passage = p.create_annotation(first.id, 0, 29)
        p.add_evidence(p.create_event("Tower 22 attack", "2024-01-28").id, annotation_id=passage.id,
                       stance="supports")
    code, _out, err = call(capsys, "source", "merge", str(path), first.uid, again.uid)
    assert code == 0, err
    for extra in ((), ("--dry-run",)):
        refused(capsys, path, "restore", str(path), first.uid, *extra,
                match="was merged into “CENTCOM statement (copy)” by change ")
