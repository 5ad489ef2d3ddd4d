"""Bringing back a record that a merge removed is refused, naming the merge and the record kept (its
passages, evidence and links belong to that record now); evidence is never re-linked to a passage of
another source; a restored record keeps the time it was first made. Real project files, closed and
opened again between the change and the restore."""
from __future__ import annotations

import sqlite3
import time

import pytest

from sijill.db.history.labels import merge_text
from sijill.db.history.undelete import undelete
from sijill.db.store.basics import ProjectError
from sijill.db.store.check import check_project
from sijill.db.store.project import Project

MIXED = ("SELECT count(*) FROM event_evidence e JOIN annotations a ON a.id = e.annotation_id "
         "WHERE a.source_id != e.source_id")


@pytest.fixture
def merged(tmp_path) -> dict:
    """A source added twice and an event entered twice, each merged into the other copy (as the window and
    `sijill source merge` / `sijill event merge` label it), and a period merged likewise."""
    path = tmp_path / "p.sijill"
    with Project.create(path) as p:
        body = "Three US soldiers were killed at Tower 22 in Jordan."
        first = p.create_source("CENTCOM statement", body)
        again = p.create_source("CENTCOM statement (copy)", body)
        passage = p.create_annotation(first.id, 0, 29)
        tower = p.create_event("Tower 22 attack", "2024-01-28")
        twice = p.create_event("Attack on Tower 22", "2024-01-28")
        p.add_evidence(tower.id, annotation_id=passage.id, stance="supports")
        p.add_evidence(twice.id, source_id=first.id, stance="supports")
        phase = p.create_period("Escalation", "Oct 2023", "Feb 2024")
        dup = p.create_period("Escalation (2)", "Oct 2023", "Feb 2024")
        with p.batch(merge_text("source", [first.title], again.title)):
            p.merge_sources(first.id, again.id)
        with p.labelled("Merge"):  # not merge_text's label: the moved evidence says it was a merge
            p.merge_events(twice.id, tower.id)
        with p.batch(merge_text("period", [dup.title], phase.title)):
            p.merge_periods(dup.id, phase.id)
    return {"path": path, "first": first.uid, "again": again.uid, "twice": twice.uid, "tower": tower.uid,
            "dup": dup.uid, "phase": phase.uid}


@pytest.mark.parametrize("which, kept, kept_uid", [
    ("first", "CENTCOM statement (copy)", "again"),
    ("twice", "Tower 22 attack", "tower"),
    ("dup", "Escalation", "phase")])
def test_a_record_merged_away_is_refused_naming_the_merge_and_the_record_kept(merged, which, kept, kept_uid):
    with Project.open(merged["path"]) as p:
        change = p.history(merged[which])[0][0].uid[:8]  # the change set that deleted it
        before = len(p.change_sets())
        evidence = p.db.execute("SELECT count(*) FROM event_evidence").fetchone()[0]
        with pytest.raises(ProjectError) as refused:
            undelete(p, merged[which])
        assert f"merged into “{kept}” by change {change}: restore “{kept}” to before that change" in str(refused.value)
        assert f"sijill restore PROJECT {merged[kept_uid]} --before {change}" in str(refused.value)
        assert len(p.change_sets()) == before
        assert p.db.execute("SELECT count(*) FROM event_evidence").fetchone()[0] == evidence
        assert p.db.execute(MIXED).fetchone()[0] == 0
    assert check_project(merged["path"]).ok


def test_evidence_is_never_linked_to_a_passage_of_another_source(tmp_path):
    """An event deleted while citing a passage that another tool has since moved to another source comes back
    without that citation, and says so."""
    path = tmp_path / "p.sijill"
    with Project.create(path) as p:
        statement = p.create_source("CENTCOM statement", "Three US soldiers were killed at Tower 22.")
        claim = p.create_source("IRI claim", "Three US soldiers were killed at Tower 22.")
        passage = p.create_annotation(statement.id, 0, 29)
        tower = p.create_event("Tower 22 attack", "2024-01-28")
        p.add_evidence(tower.id, annotation_id=passage.id, stance="supports")
        p.delete_event(tower.id)
    conn = sqlite3.connect(path)  # as sqlite-utils or the sqlite3 shell would
    conn.execute("UPDATE annotations SET source_id = ? WHERE id = ?", [claim.id, passage.id])
    conn.commit()
    conn.close()
    with Project.open(path) as p:
        done = undelete(p, tower.uid)
        assert p.evidence(done.record_id) == []
        assert done.skipped == ("evidence (supports) from the passage “Three US soldiers were killed” "
                                "(in the source “IRI claim” now)",)
        assert p.db.execute(MIXED).fetchone()[0] == 0


def test_a_restored_source_keeps_its_date_added_and_its_event_its_creation_time(tmp_path):
    path = tmp_path / "p.sijill"
    with Project.create(path) as p:
        source = p.create_source("CENTCOM statement", "Three US soldiers were killed at Tower 22.")
        event = p.create_event("Tower 22 attack", "2024-01-28")
        created = p.db.execute("SELECT created_at FROM events WHERE id = ?", [event.id]).fetchone()[0]
        time.sleep(1.1)  # a restore a second later: a new stamp would differ
        later = p.create_source("IRI claim", "We struck Tower 22.")
        p.delete_source(source.id)
        p.delete_event(event.id)
    with Project.open(path) as p:
        undelete(p, source.uid)
        done = undelete(p, event.uid)
        back = p.source_by_uid(source.uid)
        assert back.added_at == source.added_at < later.added_at
        assert sorted(p.sources(), key=lambda s: s.added_at)[0].uid == source.uid  # first in the order added
        stamps = p.db.execute("SELECT created_at, updated_at FROM events WHERE id = ?", [done.record_id]).fetchone()
        assert stamps[0] == created < stamps[1]
