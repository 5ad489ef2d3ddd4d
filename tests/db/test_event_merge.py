"""Project.merge_events / unmerge_events on real project files: a duplicate event folded into the one
kept (its groups, tags, evidence, empty fields and origin), and undone exactly."""
from __future__ import annotations

import sqlite3

import pytest

from sijill.db.store.basics import ProjectError
from sijill.db.store.project import Project


def rows(path) -> dict[str, list[tuple]]:
    """What an event merge touches, table by table, each table's rows sorted."""
    conn = sqlite3.connect(path)
    try:
        return {table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr) for table in
                ("events", "event_groups", "event_tags", "tags", "event_evidence", "event_origins")}
    finally:
        conn.close()


@pytest.fixture
def twins(tmp_path):
    """The Tower 22 attack entered twice: once by hand, once from a dataset with more details."""
    path = tmp_path / "p.sijill"
    with Project.create(path) as p:
        kh = p.create_group("Kataib Hezbollah")
        us = p.create_group("United States")
        source = p.create_source("Drone kills three", "A drone struck Tower 22 in Jordan.")
        other = p.create_source("Pentagon statement", "Three soldiers were killed.")
        passage = p.create_annotation(source.id, 0, 31)
        kept = p.create_event("Tower 22 attack", "2024-01-28", groups=[(us.id, "target"), (kh.id, "mentioned")],
                              tags=["drone"], description="Drone strike on a US base.")
        dup = p.create_event("Attack on Tower 22", "2024-01", groups=[(kh.id, "actor")], tags=["jordan", "drone"],
                             location="Tower 22", latitude=33.3, longitude=38.7, fatalities=3,
                             description="Three US soldiers killed.", key_event=True)
        p.add_evidence(kept.id, source.id, passage.id, stance="supports")
        p.add_evidence(dup.id, source.id, passage.id, stance="context")  # cited by both: the kept one's stance
        p.add_evidence(dup.id, other.id, stance="supports")
        p.db.execute("INSERT INTO event_origins (event_id, origin, key, digest) VALUES (?, 'acled', 'IRQ1', 'x')",
                     [dup.id])
        p.db.conn.commit()
    return path, kept.uid, dup.uid


def test_the_kept_event_takes_the_duplicates_links_and_empty_fields(twins):
    path, kept_uid, dup_uid = twins
    with Project.open(path) as p:
        kept, dup = p.event_by_uid(kept_uid), p.event_by_uid(dup_uid)
        p.merge_events(dup.id, kept.id)
        assert p.event_by_uid(dup_uid) is None
        e = p.event_by_uid(kept_uid)
        names = {g.id: g.name for g in p.groups()}
        assert (e.title, e.start.text) == ("Tower 22 attack", "2024-01-28")  # its own title and date
        assert sorted((names[link.group_id], link.role) for link in e.groups) == [
            ("Kataib Hezbollah", "actor"), ("United States", "target")]  # the stronger role kept
        assert sorted(e.tags) == ["drone", "jordan"]
        assert (e.location, e.latitude, e.longitude, e.fatalities, e.key_event) == ("Tower 22", 33.3, 38.7, 3, True)
        assert e.description == "Drone strike on a US base.\n\nThree US soldiers killed."
        evidence = sorted((p.source(ev.source_id).title, ev.annotation_id is not None, ev.stance)
                          for ev in p.evidence(e.id))
        assert evidence == [("Drone kills three", True, "supports"), ("Pentagon statement", False, "supports")]
        assert p.db.execute("SELECT event_id FROM event_origins").fetchall() == [(e.id,)]


def test_unmerge_puts_both_back_exactly(twins):
    path, kept_uid, dup_uid = twins
    before = rows(path)
    with Project.open(path) as p:
        record = p.merge_events(p.event_by_uid(dup_uid).id, p.event_by_uid(kept_uid).id)
        p.unmerge_events(record)
    assert rows(path) == before


def test_an_event_is_not_merged_into_itself(twins):
    path, kept_uid, _dup = twins
    with Project.open(path) as p:
        kept = p.event_by_uid(kept_uid)
        with pytest.raises(ProjectError, match="into itself"):
            p.merge_events(kept.id, kept.id)
        with pytest.raises(ProjectError, match="no event"):
            p.merge_events(9999, kept.id)
