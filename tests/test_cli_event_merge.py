"""`sijill event merge PROJECT FROM [FROM ...] INTO` on real project files: duplicates folded into the
event kept, in one change set, and refusals that change nothing."""
from __future__ import annotations

import json

import pytest

from sijill.db.store.project import Project
from tests.cli_helpers import call, refused


@pytest.fixture
def triplets(tmp_path):
    """The Tower 22 attack entered three times, each copy knowing something the others do not."""
    path = tmp_path / "p.sijill"
    with Project.create(path) as p:
        kh = p.create_group("Kataib Hezbollah")
        us = p.create_group("United States")
        source = p.create_source("Pentagon statement", "Three soldiers were killed.")
        kept = p.create_event("Tower 22 attack", "2024-01-28", groups=[(us.id, "target")])
        second = p.create_event("Drone attack, Jordan", "2024-01", groups=[(kh.id, "actor")], tags=["drone"],
                                fatalities=3)
        third = p.create_event("Tower 22", "2024", location="Tower 22, Jordan")
        p.add_evidence(third.id, source.id, stance="supports")
    return path, kept.uid, second.uid, third.uid


def test_duplicates_fold_into_the_event_kept(triplets, capsys):
    path, kept, second, third = triplets
    code, out, err = call(capsys, "event", "merge", path, second, third, kept)
    assert (code, err) == (0, "")
    assert out.startswith("merged 2 events into Tower 22 attack (1 evidence link moved)\nTower 22 attack\n")
    with Project.open(path, read_only=True) as p:
        assert [e.uid for e in p.events()] == [kept]
        e = p.event_by_uid(kept)
        assert (e.start.text, e.fatalities, e.location, list(e.tags)) == ("2024-01-28", 3, "Tower 22, Jordan",
                                                                         ["drone"])
        assert sorted(link.role for link in e.groups) == ["actor", "target"]
        assert [p.source(ev.source_id).title for ev in p.evidence(e.id)] == ["Pentagon statement"]
        [change] = p.change_sets(since=None)[:1]
        assert change.label == "Merge 2 events into “Tower 22 attack”"


def test_json_names_the_events_merged(triplets, capsys):
    path, kept, second, _third = triplets
    code, out, _ = call(capsys, "event", "merge", path, second, kept, "--json")
    doc = json.loads(out)
    assert code == 0 and doc["merged"] == [second] and doc["uid"] == kept and doc["fatalities"] == 3


def test_refusals_change_nothing(triplets, capsys):
    path, kept, second, _third = triplets
    refused(capsys, path, "event", "merge", path, kept, kept, match="is the event kept: it cannot be merged into itself")
    refused(capsys, path, "event", "merge", path, "nope", kept, match="no event with uid 'nope'")
    refused(capsys, path, "event", "merge", path, second, "nope", match="no event with uid 'nope'")
    path.chmod(0o444)
    try:
        refused(capsys, path, "event", "merge", path, second, kept, match="read-only")
    finally:
        path.chmod(0o644)
