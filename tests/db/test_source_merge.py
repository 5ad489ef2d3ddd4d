"""Project.merge_sources / unmerge_sources on real project files: one article added twice, folded into
the copy kept (its passages found again in the kept text, its evidence links, its empty details), and
undone exactly."""
from __future__ import annotations

import sqlite3

import pytest

from sijill.db.store.basics import ProjectError
from sijill.db.store.project import Project

KEPT = "Drone strike kills three US soldiers.\n\nA drone struck Tower 22 in Jordan on Sunday, the Pentagon said."
COPY = "A drone struck Tower 22 in Jordan on Sunday, the Pentagon said. Forty were wounded."


def rows(path) -> dict[str, list[tuple]]:
    """What a source merge touches, table by table, each table's rows sorted."""
    conn = sqlite3.connect(path)
    try:
        return {table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
                for table in ("sources", "annotations", "event_evidence", "annotation_tags")}
    finally:
        conn.close()


@pytest.fixture
def twins(tmp_path):
    path = tmp_path / "p.sijill"
    with Project.create(path) as p:
        kept = p.create_source("Drone strike kills three", KEPT, reliability="B")
        copy = p.create_source("Tower 22 (wire copy)", COPY, outlet="Reuters", url="https://example.org/t22",
                               published="2024-01-29")
        tower = p.create_event("Tower 22 attack", "2024-01-28")
        other = p.create_event("Wounded evacuated", "2024-01-29")
        found = p.create_annotation(copy.id, COPY.index("A drone"), COPY.index(" on Sunday"), note="where",
                                    credibility=2, tags=["drone"])
        lost = p.create_annotation(copy.id, COPY.index("Forty"), len(COPY) - 1)
        p.add_evidence(tower.id, kept.id, stance="supports")
        p.add_evidence(tower.id, copy.id, stance="context")      # INTO cites it already: dropped
        p.add_evidence(other.id, copy.id, stance="supports")     # moves
        p.add_evidence(tower.id, copy.id, found.id, stance="supports")  # pinned: moves with its passage
    return path, kept.uid, copy.uid, found.uid, lost.uid


def test_the_copy_kept_takes_the_passages_evidence_and_empty_details(twins):
    path, kept_uid, copy_uid, found_uid, lost_uid = twins
    with Project.open(path) as p:
        kept = p.source_by_uid(kept_uid)
        p.merge_sources(p.source_by_uid(copy_uid).id, kept.id)
        assert p.source_by_uid(copy_uid) is None
        s = p.source(kept.id)
        assert (s.title, s.body, s.reliability) == ("Drone strike kills three", KEPT, "B")
        assert (s.outlet, s.url, s.published.text) == ("Reuters", "https://example.org/t22", "2024-01-29")
        found, lost = p.annotation_by_uid(found_uid), p.annotation_by_uid(lost_uid)
        assert found.source_id == kept.id and KEPT[found.start:found.end] == found.quote == "A drone struck Tower 22 in Jordan"
        assert (found.note, found.credibility, list(found.tags), found.orphaned) == ("where", 2, ["drone"], False)
        assert lost.source_id == kept.id and lost.orphaned  # "Forty were wounded" is not in the text kept
        links = sorted((p.event(ev.event_id).title, ev.annotation_id is not None, ev.stance)
                       for ev in p.evidence_for_source(kept.id))
        assert links == [("Tower 22 attack", False, "supports"), ("Tower 22 attack", True, "supports"),
                         ("Wounded evacuated", False, "supports")]


def test_unmerge_puts_both_back_exactly(twins):
    path, kept_uid, copy_uid, _found, _lost = twins
    before = rows(path)
    with Project.open(path) as p:
        record = p.merge_sources(p.source_by_uid(copy_uid).id, p.source_by_uid(kept_uid).id)
        p.unmerge_sources(record)
    assert rows(path) == before


def test_a_source_is_not_merged_into_itself(twins):
    path, kept_uid, _copy, _found, _lost = twins
    with Project.open(path) as p:
        kept = p.source_by_uid(kept_uid)
        with pytest.raises(ProjectError, match="into itself"):
            p.merge_sources(kept.id, kept.id)
        with pytest.raises(ProjectError, match="no source"):
            p.merge_sources(9999, kept.id)
