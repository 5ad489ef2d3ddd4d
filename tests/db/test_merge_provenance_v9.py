"""Merge provenance of files from before schema version 10: the change sets an earlier merge copied in stay
"merged in" after the migration and after `sijill repair`, also where a version 9 merge that took nothing
dropped its own change set (they are credited to "an earlier merge", never read as made here); and the
writes made outside Sijill are grouped by one rule in the project's history and in a record's."""
from __future__ import annotations

import shutil
import sqlite3

from sqlite_utils import Database

from sijill.db.history.describe import merged_text
from sijill.db.history.versions import restoration
from sijill.db.merge import merge_files
from sijill.db.store import schema
from sijill.db.store.changes import EARLIER_MERGE
from sijill.db.store.project import Project
from sijill.db.store.repair import repair_project


def as_v9(path, took_nothing: bool) -> None:
    """The file as schema version 9 left it: no provenance columns, and (`took_nothing`) no change set of
    a merge that changed no record here (v9's ChangeFeed.close dropped it; the sets it copied stayed)."""
    conn = sqlite3.connect(path)
    with conn:
        if took_nothing:
            [(gone,)] = conn.execute("DELETE FROM change_sets WHERE kind = 'merge' AND first_event IS NOT NULL "
                                     "AND id NOT IN (SELECT change_set FROM changes WHERE change_set IS NOT NULL) "
                                     "RETURNING id").fetchall()
        for (trigger,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND "
                                       "tbl_name IN ('changes', 'change_sets') OR name LIKE 'sijill_log_%'"
                                       ).fetchall():
            conn.execute(f'DROP TRIGGER "{trigger}"')
        conn.execute("ALTER TABLE change_sets DROP COLUMN merged_by")
        conn.execute("ALTER TABLE changes DROP COLUMN kept")
        conn.execute("ALTER TABLE changes DROP COLUMN at")
        conn.execute("PRAGMA user_version = 9")
    conn.close()


def merged_v9(tmp_path, took_nothing: bool):
    """A's file, in version 9, after merging B's: both retitled the event and A's title was kept; unless
    `took_nothing`, B also gave it a place, which A took."""
    base = tmp_path / "base.sijill"
    with Project.create(base) as p:
        uid = p.create_event("Tower 22 attack", "2024-01-28").uid
    a, b = tmp_path / "a.sijill", tmp_path / "b.sijill"
    shutil.copy(base, a)
    shutil.copy(base, b)
    with Project.open(a) as p:
        p.update_event(p.event_by_uid(uid).id, title="A title")
    with Project.open(b) as p:
        p.update_event(p.event_by_uid(uid).id, title="B title", **({} if took_nothing else {"location": "Rukban"}))
    assert merge_files(a, b).exit_code == 3
    as_v9(a, took_nothing)
    return a, uid


def test_a_v9_merge_that_took_nothing_leaves_its_copies_merged_in_by_an_earlier_merge(tmp_path):
    a, uid = merged_v9(tmp_path, took_nothing=True)
    with Project.open(a) as p:
        assert schema.user_version(p.db) == schema.SCHEMA_VERSION
        history = p.history(uid)
        assert [(cs.label, merged_text(cs)) for cs, _ in history] == [
            ("Update event", "merged in by an earlier merge"), ("Update event", ""), ("Create event", "")]
        assert history[0][0].merged_by.id == EARLIER_MERGE and history[0][1][0].after["title"] == "B title"
        # Restoring takes back the edit made here (A's retitle), never the other copy's.
        back = restoration(p, "event", uid, history, history[1][0].id)
        assert back.fields["title"] == "Tower 22 attack"


def test_the_migration_credits_a_copy_to_the_merge_just_before_its_run_of_copies(tmp_path):
    """Hand-made v9 log: a merge and its copies; an edit here and a copy after it; a gap (a dropped merge's
    change set) and a copy after it."""
    path = tmp_path / "v9.sijill"
    db = Database(sqlite3.connect(str(path)))
    schema.migrate(db, target=9)
    sets = [(1, "Create event", "edit", 1), (2, "Merge from b.sijill", "merge", 2),
            (3, "Retitle", "edit", None), (4, "Move event", "edit", None),
            (5, "Update event", "edit", 2), (6, "After an edit", "edit", None),
            (8, "After a gap", "edit", None),
            (9, "Merge from c.sijill", "merge", 2), (11, "After a merge's gap", "edit", None)]
    for set_id, label, kind, first in sets:
        db.execute("INSERT INTO change_sets (id, uid, label, analyst, at, kind, first_event) "
                   "VALUES (?, ?, ?, 'Rana', '2026-12-01T10:00:00Z', ?, ?)", [set_id, f"u{set_id}", label, kind, first])
    db.conn.commit()
    db.close()
    with Project.open(path) as p:
        merged_by = dict(p.db.execute("SELECT label, merged_by FROM change_sets").fetchall())
    assert merged_by == {"Create event": None, "Merge from b.sijill": None, "Retitle": 2, "Move event": 2,
                         "Update event": None, "After an edit": EARLIER_MERGE, "After a gap": EARLIER_MERGE,
                         "Merge from c.sijill": None, "After a merge's gap": EARLIER_MERGE}


def test_repairing_a_v9_file_keeps_what_a_merge_brought_in(tmp_path):
    a, uid = merged_v9(tmp_path, took_nothing=False)
    out = tmp_path / "repaired.sijill"
    assert repair_project(a, out).out_report.ok
    with Project.open(out, read_only=True) as p:
        [(copied, changes)] = [(cs, ch) for cs, ch in p.history(uid) if cs.merged_by is not None]
        assert merged_text(copied).startswith("merged in by “Merge from b.sijill”")
        assert changes[0].after["title"] == "B title"

    (tmp_path / "nothing").mkdir()
    a, uid = merged_v9(tmp_path / "nothing", took_nothing=True)
    out = tmp_path / "repaired-nothing.sijill"
    assert repair_project(a, out).out_report.ok
    with Project.open(out, read_only=True) as p:
        assert merged_text(p.history(uid)[0][0]) == "merged in by an earlier merge"


def test_a_write_outside_sijill_is_one_entry_in_the_project_s_history_and_the_record_s(project):
    """Two outside writes in the same second on one record, with a Sijill write of another record
    between them: two writes in both views (they were split the same way nowhere before)."""
    tower = project.create_event("Tower 22 attack", "2024-01-28")
    other = project.create_event("Camp Taji rocket attack", "2020-03-11")
    conn = sqlite3.connect(project.path)
    conn.execute("CREATE TEMP TRIGGER same_second AFTER INSERT ON changes WHEN new.change_set IS NULL "
                 "BEGIN UPDATE changes SET at = '2026-12-01T10:00:00Z' WHERE id = new.id; END")
    with conn:
        conn.execute("UPDATE events SET title = 'Tower 22 (1)' WHERE uid = ?", [tower.uid])
        conn.execute("UPDATE events SET title = 'Camp Taji (by hand)' WHERE uid = ?", [other.uid])
    project.update_event(other.id, location="Taji")
    with conn:
        conn.execute("UPDATE events SET title = 'Tower 22 (2)' WHERE uid = ?", [tower.uid])
    conn.close()
    listed = [cs for cs in project.change_sets(outside=True) if cs.kind == "outside"]
    mine = [cs for cs, _ in project.history(tower.uid) if cs.kind == "outside"]
    assert [cs.id for cs in mine] == [cs.id for cs in listed] and len(listed) == 2
    assert [cs.size for cs in listed] == [1, 2]
