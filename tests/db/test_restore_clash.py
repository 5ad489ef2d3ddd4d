"""Putting back a deleted or merged event after the project changed under the undo stack (the same
dataset imported again, a new event given the deleted one's id): the event comes back all the same,
without what another event holds now, and a constraint of the file is never broken by a traceback."""
from __future__ import annotations

import pytest

from sijill.db.store.basics import ConstraintError, ProjectError
from tests.formats.test_acled import acled_row, do_import, write


@pytest.fixture
def acled(project, tmp_path):
    """A project with two events imported from an ACLED file (IRQ1, then IRQ2: the highest id)."""
    path = write(tmp_path / "acled.csv", [acled_row(), acled_row(event_id_cnty="IRQ2", event_date="2024-01-04",
                                                                   location="Baghdad")])
    do_import(project, path)
    return project, path


def origin_of(p, uid) -> tuple | None:
    return p.db.execute("SELECT o.origin, o.key FROM event_origins o JOIN events e ON e.id = o.event_id "
                        "WHERE e.uid = ?", [uid]).fetchone()


def test_a_deleted_event_imported_again_comes_back_without_its_origin(acled):
    p, path = acled
    gone = next(e for e in p.events() if e.location != "Baghdad")
    snapshot = p.delete_event(gone.id)
    assert p.restore_notes(snapshot) == []
    assert do_import(p, path).added == 1
    again = next(e for e in p.events() if e.location == gone.location)
    notes = p.restore_notes(snapshot)
    assert len(notes) == 1 and "acled row IRQ1" in notes[0] and f"“{again.title}”" in notes[0]
    back = p.restore_event(snapshot)
    assert (back.id, back.uid, back.title, back.groups) == (gone.id, gone.uid, gone.title, gone.groups)
    assert len(p.evidence(back.id)) == len(snapshot["evidence"]) > 0
    assert (origin_of(p, back.uid), origin_of(p, again.uid)) == (None, ("acled", "IRQ1"))
    assert do_import(p, path).added == 0


def test_an_event_whose_id_was_taken_comes_back_under_a_new_id(acled):
    p, _path = acled
    last = max(p.events(), key=lambda e: e.id)
    snapshot = p.delete_event(last.id)
    newcomer = p.create_event("Drone strike near Erbil", "2024-01-05")
    other = p.events()[0]
    cited = len(p.evidence(other.id))
    source = p.create_source("Report", "A drone struck near Erbil.")
    link = p.add_evidence(other.id, source.id)
    assert newcomer.id == last.id and link.id in {i for i, *_r in snapshot["evidence"]}  # both ids taken
    back = p.restore_event(snapshot)
    assert back.id != last.id and (back.uid, back.title, back.start) == (last.uid, last.title, last.start)
    assert p.event(newcomer.id).title == "Drone strike near Erbil"
    assert sorted(ev.source_id for ev in p.evidence(back.id)) == sorted(s for _i, s, *_r in snapshot["evidence"])
    assert len(p.evidence(other.id)) == cited + 1
    assert origin_of(p, back.uid) == ("acled", "IRQ2")


def test_an_event_back_in_the_project_is_not_restored_twice(acled):
    p, _path = acled
    snapshot = p.delete_event(p.events()[0].id)
    p.restore_event(snapshot)
    count = p.event_count()
    with pytest.raises(ProjectError, match="in the project already"):
        p.restore_event(snapshot)
    assert p.event_count() == count


def test_unmerging_after_the_merged_events_dataset_was_imported_again(acled):
    p, path = acled
    kept, dup = sorted(p.events(), key=lambda e: e.id)
    record = p.merge_events(dup.id, kept.id)
    assert do_import(p, path).added == 1  # IRQ2 left with the merged event: it comes back
    assert p.restore_notes(record["merged"])
    back = p.unmerge_events(record)
    assert (back.uid, back.title) == (dup.uid, dup.title)
    assert origin_of(p, kept.uid) == ("acled", "IRQ1") and origin_of(p, dup.uid) is None
    assert p.event_count() == 3


def test_a_broken_constraint_is_a_project_error_naming_it(project):
    project.create_event("Tower 22 attack", "2024-01-28", tags=["drone"])
    with pytest.raises(ConstraintError, match="UNIQUE constraint failed: tags.name") as caught:
        with project.batch("Two tags"):
            project.create_event("Attack on Tower 22", "2024-01-28")
            project.db.execute("INSERT INTO tags (name) VALUES ('drone')")
    assert caught.value.constraint == "UNIQUE constraint failed: tags.name"
    assert [e.title for e in project.events()] == ["Tower 22 attack"]  # nothing of the step was written
