"""Files that cannot be written, or not yet: readable, and saying why, never migrated or written
by a reading command.

- a project in a read-only folder (the tests run as root, who may write anything: the folder's and
  the file's write bits are taken away, which Project.open reads as well as os.access);
- a project another program holds with PRAGMA locking_mode = EXCLUSIVE (read as last saved);
- an older-version project: reading commands read it through an upgraded copy in memory, the file
  keeps its version and its bytes, and nothing says it is read-only."""
from __future__ import annotations

import hashlib
import sqlite3

import pytest
from sqlite_utils import Database

from sijill.db.store import schema
from sijill.db.store.basics import ReadOnlyError
from sijill.db.store.project import Project
from sijill.desktop.cli.main import run


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def call(capsys, *args: str):
    code = run([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def read_only_folder(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    path = folder / "p.sijill"
    with Project.create(path) as p:
        p.create_event("Camp Taji rocket attack", "2020-03-11")
    path.chmod(0o444)
    folder.chmod(0o555)
    yield path
    folder.chmod(0o755)
    path.chmod(0o644)


def test_a_project_in_a_read_only_folder_opens_readable_and_says_why(read_only_folder, capsys):
    before = digest(read_only_folder)
    with Project.open(read_only_folder) as p:
        assert p.read_only and "folder" in p.read_only_reason
        assert [e.title for e in p.events()] == ["Camp Taji rocket attack"]
        with pytest.raises(ReadOnlyError, match=r"p.sijill is read-only here: the folder .*archive cannot be written"):
            p.create_event("New", "2024")
    code, out, err = call(capsys, "stats", read_only_folder)
    assert code == 0 and "events" in out and err == ""
    code, out, err = call(capsys, "period", "add", read_only_folder, "Escalation", "--from", "2020", "--to", "2021")
    assert code == 1 and "the folder" in err and "cannot be written" in err
    assert "not a Sijill project" not in err
    assert digest(read_only_folder) == before
    # read as immutable: nothing made beside it (as another user, nothing could be)
    assert sorted(f.name for f in read_only_folder.parent.iterdir()) == ["p.sijill"]


@pytest.fixture
def held(tmp_path, monkeypatch):
    """A project another program holds with locking_mode=EXCLUSIVE (and has written to)."""
    monkeypatch.setattr(Project, "busy_timeout_ms", 100)
    path = tmp_path / "held.sijill"
    with Project.create(path) as p:
        p.create_event("Tower 22 attack", "2024-01-28")
    other = sqlite3.connect(str(path), isolation_level=None)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("UPDATE meta SET value = value WHERE key = 'title'")  # takes and keeps the lock
    with pytest.raises(sqlite3.OperationalError, match="locked"):  # a plain reader is kept out
        sqlite3.connect(str(path), timeout=0.1).execute("SELECT COUNT(*) FROM events").fetchone()
    yield path
    other.close()


def test_a_project_held_exclusively_by_another_program_is_readable_and_says_why(held, capsys):
    with Project.open(held) as p:
        assert p.read_only and "another program holds it exclusively" in p.read_only_reason
        assert [e.title for e in p.events()] == ["Tower 22 attack"]
        assert p.search("Tower")
        with pytest.raises(ReadOnlyError, match="held.sijill is read-only here: another program holds it exclusively"):
            p.create_event("New", "2024")
    code, out, err = call(capsys, "search", held, "Tower")
    assert code == 0 and "Tower 22 attack" in out
    code, out, err = call(capsys, "period", "add", held, "Escalation", "--from", "2020", "--to", "2021")
    assert code == 1 and "holds it exclusively" in err and "not a Sijill project" not in err


@pytest.fixture
def v2_file(tmp_path):
    path = tmp_path / "v2.sijill"
    db = Database(sqlite3.connect(str(path)))
    schema.migrate(db, target=2)
    db.execute("INSERT INTO events (uid, title, start_text, start_lo, start_hi, start_precision, created_at, "
               "updated_at) VALUES ('u-1', 'Camp Taji rocket attack', '2020-03-11', 1583884800, 1583971199, "
               "'day', 'x', 'x')")
    db.execute("INSERT INTO sources (uid, title, body, added_at) VALUES ('s-1', 'Report', 'rockets on Taji', 'x')")
    db.conn.commit()
    db.close()
    return path


def test_reading_commands_read_an_older_file_without_migrating_or_calling_it_read_only(v2_file, tmp_path, capsys):
    before = digest(v2_file)
    for args in (("stats", v2_file), ("search", v2_file, "Taji"),
                 ("export", v2_file, tmp_path / "out.json", "--format", "native")):
        code, out, err = call(capsys, *args)
        assert code == 0, err
        assert "read-only" not in out + err and err == ""
    assert "Camp Taji rocket attack" in (tmp_path / "out.json").read_text()
    assert digest(v2_file) == before
    assert not (tmp_path / "v2.sijill-wal").exists()
    with sqlite3.connect(str(v2_file)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    with Project.open(v2_file, read_only=True) as p:  # today's columns, read through a copy in memory
        assert p.read_only and p.read_only_reason is None
        assert p.events()[0].key_event is False
        assert p.search("rockets")
    with Project.open(v2_file) as p:  # and a writable older file is simply upgraded by a writer
        assert not p.read_only
    with sqlite3.connect(str(v2_file)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION


def test_an_older_file_in_a_read_only_folder_is_readable(v2_file):
    v2_file.chmod(0o444)
    v2_file.parent.chmod(0o555)
    try:
        with Project.open(v2_file) as p:
            assert p.read_only and "folder" in p.read_only_reason
            assert [e.title for e in p.events()] == ["Camp Taji rocket attack"]
    finally:
        v2_file.parent.chmod(0o755)
        v2_file.chmod(0o644)
