"""The project file: creation, migrations, and refusing files that are not ours."""
from __future__ import annotations

import hashlib
import os
import sqlite3

import pytest
from sqlite_utils import Database

from sijill.db.store import schema
from sijill.db.store.backup import list_backups
from sijill.db.store.basics import ProjectError, ReadOnlyError
from sijill.db.store.project import Project


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_project_is_marked_versioned_and_in_wal(tmp_path):
    path = tmp_path / "p.sijill"
    Project.create(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"events", "groups", "group_aliases", "event_groups", "tags", "event_tags", "sources",
            "annotations", "event_evidence", "periods", "events_fts", "sources_fts", "annotations_fts"} <= tables


def test_create_refuses_to_overwrite(tmp_path):
    path = tmp_path / "p.sijill"
    path.write_text("precious")
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(path)
    assert path.read_text() == "precious"


def test_foreign_keys_are_enforced(project):
    with pytest.raises(sqlite3.IntegrityError):
        with project.db.atomic():
            project.db.execute("INSERT INTO event_groups (event_id, group_id, role) VALUES (99, 98, 'actor')")


def _v1_file(path):
    db = Database(sqlite3.connect(path))
    schema.migrate(db, target=1)
    db.execute("INSERT INTO groups (name, color) VALUES ('Popular Mobilization Forces', '#1b9e77')")
    db.execute("INSERT INTO groups (name, parent_id) VALUES ('Kataib Hezbollah', 1)")
    db.execute(
        "INSERT INTO events (uid, title, start_text, start_lo, start_hi, start_precision, created_at, updated_at) "
        "VALUES ('u-1', 'Camp Taji rocket attack', '2020-03-11', 1583884800, 1583971199, 'day', 'x', 'x')")
    db.execute("INSERT INTO event_groups VALUES (1, 2, 'actor')")
    db.execute("INSERT INTO periods (title, start_text, start_lo, start_hi, start_precision) "
               "VALUES ('Escalation', '2020', 1577836800, 1609459199, 'year')")
    db.conn.commit()
    db.close()


def test_a_v1_file_is_upgraded_keeping_its_data(tmp_path):
    path = tmp_path / "old.sijill"
    _v1_file(path)
    with Project.open(path) as p:
        assert schema.user_version(p.db) == schema.SCHEMA_VERSION
        kh = p.group_by_name("Kataib Hezbollah")
        assert kh.uid and kh.parent_id == p.group_by_name("Popular Mobilization Forces").id
        [event] = p.events()
        assert event.title == "Camp Taji rocket attack" and event.start.display() == "11 Mar 2020"
        assert [link.role for link in event.groups] == ["actor"]
        assert p.periods()[0].uid
        # new v2 features work on the upgraded file
        p.set_meta("title", "upgraded")
        assert p.search("Taji")[0].uid == "u-1"
    with Project.open(path) as again:
        assert again.get_meta("title") == "upgraded"


def test_a_failing_migration_leaves_the_file_at_its_old_version(tmp_path, monkeypatch):
    path = tmp_path / "old.sijill"
    _v1_file(path)

    def broken(db):
        db.execute("ALTER TABLE groups ADD COLUMN uid TEXT")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(schema, "MIGRATIONS", [schema.MIGRATIONS[0], broken])
    with pytest.raises(RuntimeError):
        Project.open(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert "uid" not in [r[1] for r in conn.execute("PRAGMA table_info(groups)")]


def test_not_sqlite_is_refused_and_untouched(tmp_path):
    path = tmp_path / "notes.sijill"
    path.write_bytes(b"These are my notes, not a database.\n" * 20)
    before = digest(path)
    with pytest.raises(ProjectError, match="not an SQLite database"):
        Project.open(path)
    assert digest(path) == before


def test_foreign_sqlite_is_refused_and_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE stuff (x)")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(ProjectError, match="not a Sijill project"):
        Project.open(path)
    assert digest(path) == before
    assert not os.path.exists(str(path) + "-wal")


def test_newer_schema_is_refused_and_untouched(tmp_path):
    path = tmp_path / "future.sijill"
    Project.create(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(ProjectError, match="newer Sijill"):
        Project.open(path)
    assert digest(path) == before


def test_truncated_file_is_refused(tmp_path):
    path = tmp_path / "broken.sijill"
    Project.create(path).close()
    data = path.read_bytes()
    path.write_bytes(data[:100])
    with pytest.raises(ProjectError):
        Project.open(path)
    assert path.read_bytes() == data[:100]


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ProjectError, match="no such file"):
        Project.open(tmp_path / "nope.sijill")
    with pytest.raises(ProjectError, match="folder"):
        Project.open(tmp_path)


def test_a_file_without_write_permission_opens_read_only(tmp_path):
    path = tmp_path / "ro.sijill"
    with Project.create(path) as p:
        p.create_event("Existing", "2024-01-28")
    path.chmod(0o444)
    before = digest(path)
    with Project.open(path) as p:
        assert p.read_only
        assert [e.title for e in p.events()] == ["Existing"]
        with pytest.raises(ReadOnlyError, match="read-only"):
            p.update_event(p.events()[0].id, title="Changed")
    assert digest(path) == before


def test_read_only_project_refuses_edits_and_changes_nothing(tmp_path):
    path = tmp_path / "ro.sijill"
    with Project.create(path) as p:
        p.create_event("Existing", "2024-01-28")
    before = digest(path)
    with Project.open(path, read_only=True) as p:
        assert p.read_only
        assert p.events()[0].title == "Existing"
        with pytest.raises(ReadOnlyError, match="read-only"):
            p.create_event("New", "2024-01-29")
        with pytest.raises(ReadOnlyError):
            p.delete_event(p.events()[0].id)
    assert digest(path) == before


def test_v3_keeps_the_flags_of_period_and_source_dates_and_fills_them_in_on_upgrade(tmp_path):
    path = tmp_path / "v2.sijill"
    db = Database(sqlite3.connect(str(path)))
    schema.migrate(db, target=2)
    db.execute("INSERT INTO periods (uid, title, start_text, start_lo, start_hi, start_precision, end_text, "
               "end_lo, end_hi, end_precision) VALUES ('p', 'Siege', 'c. 2014', 1388534400, 1420070399, 'year', "
               "'2015?', 1420070400, 1451606399, 'year')")
    db.execute("INSERT INTO sources (uid, title, published_text, published_lo, published_hi, published_precision, "
               "added_at) VALUES ('s', 'Report', 'c. 2014', 1388534400, 1420070399, 'year', 'x')")
    db.conn.commit()
    db.close()
    with Project.open(path) as p:
        [period] = p.periods()
        assert (period.start.display(), period.end.display()) == ("c. 2014", "2015?")
        assert p.source_by_uid("s").published.display() == "c. 2014"
        new = p.create_period("Truce", "early 2016", "late 2016?")
        src = p.create_source("Statement", "text", published="2016~")
    with Project.open(path) as again:
        got = again.period(new.id)
        assert (got.start.approximate, got.end.approximate, got.end.uncertain) == (True, True, True)
        assert again.source(src.id).published.display() == "c. 2016"


def test_v5_adds_the_key_event_flag_unset_on_upgrade(tmp_path):
    path = tmp_path / "v4.sijill"
    db = Database(sqlite3.connect(str(path)))
    schema.migrate(db, target=4)
    db.execute("INSERT INTO events (uid, title, start_text, start_lo, start_hi, start_precision, created_at, "
               "updated_at) VALUES ('e', 'Al-Sistani''s call to arms', '2014-06-13', 1402617600, 1402703999, 'day', "
               "'x', 'x')")
    db.conn.commit()
    db.close()
    with Project.open(path) as p:
        assert schema.user_version(p.db) == schema.SCHEMA_VERSION
        [event] = p.events()
        assert event.key_event is False
        assert p.update_event(event.id, key_event=True).key_event is True
        other = p.create_event("Fall of Mosul", "2014-06-10", key_event=True)
    with Project.open(path) as again:
        assert again.event_by_uid("e").key_event is True and again.event(other.id).key_event is True
        assert again.update_event(other.id, key_event=False).key_event is False


def test_v6_adds_the_summary_flag_of_sources_unset_on_upgrade(tmp_path):
    path = tmp_path / "v5.sijill"
    db = Database(sqlite3.connect(str(path)))
    schema.migrate(db, target=5)
    db.execute("INSERT INTO sources (uid, title, body, added_at) VALUES ('s', 'Reuters report', 'The text.', 'x')")
    db.conn.commit()
    db.close()
    with Project.open(path) as p:
        assert schema.user_version(p.db) == schema.SCHEMA_VERSION
        [source] = p.sources()
        assert source.summary is False and source.body == "The text."
        assert p.update_source(source.id, summary=True).summary is True
        other = p.create_source("Demo summary", "Written for the demo.", summary=True)
    with Project.open(path) as again:
        assert again.source_by_uid("s").summary is True and again.source(other.id).summary is True
        assert again.update_source(other.id, summary=False).summary is False


def test_v10_names_the_merge_that_copied_each_change_set_and_times_outside_writes(tmp_path):
    """A v9 file: an edit made here (its change set has `first_*` ids), a merge, and two change sets that
    merge copied in from the other copy (no `first_*` ids). Opening it backs it up first, then every
    copied change set names its merge, and a write made outside Sijill from then on has its time."""
    path = tmp_path / "v9.sijill"
    db = Database(sqlite3.connect(str(path)))
    schema.migrate(db, target=9)
    db.execute("INSERT INTO meta (key, value) VALUES ('title', 'v9')")
    db.execute("INSERT INTO events (uid, title, start_text, start_lo, start_hi, start_precision, created_at, "
               "updated_at) VALUES ('e', 'Tower 22 attack', '2024-01-28', 1706400000, 1706486399, 'day', 'x', 'x')")
    sets = [("local", "Create event", "edit", 1), ("merge", "Merge from b.sijill", "merge", 2),
            ("copied-1", "Retitle", "edit", None), ("copied-2", "Move event", "edit", None),
            ("later", "Update event", "edit", 2)]
    for uid, label, kind, first in sets:
        db.execute("INSERT INTO change_sets (uid, label, analyst, at, kind, first_event) "
                   "VALUES (?, ?, 'Rana', '2026-12-01T10:00:00Z', ?, ?)", [uid, label, kind, first])
        db.execute("INSERT INTO changes (change_set, kind, uid, op) VALUES (last_insert_rowid(), 'event', 'e', 'insert')")
    db.conn.commit()
    db.close()
    with Project.open(path) as p:
        assert schema.user_version(p.db) == schema.SCHEMA_VERSION
        by_label = {cs.label: cs for cs in p.change_sets()}
        assert by_label["Retitle"].merged_by.label == by_label["Move event"].merged_by.label == "Merge from b.sijill"
        assert [label for label, cs in by_label.items() if cs.merged_by is None] == [
            "Update event", "Merge from b.sijill", "Create event"]
    [backup] = list_backups(path)  # the file as it was, before the migration
    old = sqlite3.connect(backup.path)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 9 and old.execute(
        "SELECT count(*) FROM change_sets").fetchone()[0] == 5
    old.close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE events SET title = 'Tower 22' WHERE uid = 'e'")
    [(at,)] = conn.execute("SELECT at FROM changes WHERE change_set IS NULL AND op = 'update'").fetchall()
    conn.close()
    assert at.endswith("Z") and at > "2026-01-01"
