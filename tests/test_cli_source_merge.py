"""`sijill source merge PROJECT FROM INTO` on real project files: a copy of an article merged into the
source kept, its passages found again (or flagged orphaned) and its evidence links moved, in one change
set; refusals change nothing."""
from __future__ import annotations

import json

import pytest

from sijill.db.store.project import Project
from tests.cli_helpers import call, refused

KEPT = "Drone strike kills three US soldiers.\n\nA drone struck Tower 22 in Jordan on Sunday, the Pentagon said."
COPY = "A drone struck Tower 22 in Jordan on Sunday, the Pentagon said. Forty were wounded."


@pytest.fixture
def twins(tmp_path):
    path = tmp_path / "p.sijill"
    with Project.create(path) as p:
        kept = p.create_source("Drone strike kills three", KEPT)
        copy = p.create_source("Tower 22 (wire copy)", COPY, outlet="Reuters")
        event = p.create_event("Tower 22 attack", "2024-01-28")
        found = p.create_annotation(copy.id, 0, COPY.index(" on Sunday"))
        lost = p.create_annotation(copy.id, COPY.index("Forty"), len(COPY) - 1)
        p.add_evidence(event.id, copy.id, found.id, stance="supports")
    return path, kept.uid, copy.uid, found.uid, lost.uid


def test_the_copy_goes_into_the_source_kept(twins, capsys):
    path, kept, copy, found, lost = twins
    code, out, err = call(capsys, "source", "merge", path, copy, kept)
    assert (code, err) == (0, "")
    assert out.strip() == ("merged Tower 22 (wire copy) into Drone strike kills three: 2 passages (1 orphaned: not "
                           "found in its text) and 1 evidence link moved")
    with Project.open(path, read_only=True) as p:
        assert [s.uid for s in p.sources()] == [kept]
        assert p.source_by_uid(kept).outlet == "Reuters"
        a = p.annotation_by_uid(found)
        assert KEPT[a.start:a.end] == "A drone struck Tower 22 in Jordan" and p.annotation_by_uid(lost).orphaned
        [change] = p.change_sets()[:1]
        assert change.label == "Merge source “Tower 22 (wire copy)” into “Drone strike kills three”"


def test_json_lists_the_passages_and_the_orphans(twins, capsys):
    path, kept, copy, found, lost = twins
    code, out, _ = call(capsys, "source", "merge", path, copy, kept, "--json")
    doc = json.loads(out)
    assert code == 0 and (doc["into"], sorted(doc["annotations"]), doc["orphaned"]) == (kept, sorted([found, lost]),
                                                                                       [lost])


def test_refusals_change_nothing(twins, capsys):
    path, kept, copy, _found, _lost = twins
    refused(capsys, path, "source", "merge", path, kept, kept, match="is the source kept: it cannot be merged")
    refused(capsys, path, "source", "merge", path, "nope", kept, match="no source with uid 'nope'")
    refused(capsys, path, "source", "merge", path, copy, "nope", match="no source with uid 'nope'")
