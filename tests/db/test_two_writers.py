"""Two writers on one project file: no failed writes, and a write that cannot be made says so.

Two processes (as two windows, or a window and `sijill source add`) write through Project for a
few seconds each: every write must land, with the file intact. A write that meets a lock held
longer than the patience allows raises LockedError and leaves nothing of itself behind."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from sijill.db.store.basics import LockedError
from sijill.db.store.project import Project

ROOT = Path(__file__).resolve().parents[2]

WRITER = textwrap.dedent("""
    import sys, time
    from sijill.db.store.project import Project
    path, name, count, start = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    while time.time() < start:
        time.sleep(0.005)
    failed = 0
    project = Project.open(path)
    for i in range(count):
        try:
            if i % 2:
                project.create_source(f"{name} source {i}", f"{name} body {i} " * 40, outlet=name)
            else:
                project.create_event(f"{name} event {i}", "2020-01-%02d" % (i % 28 + 1), description=f"{name} {i}")
        except Exception as exc:  # counted, and the test fails on any
            failed += 1
            print(f"{name} {i}: {exc!r}", file=sys.stderr)
    project.close()
    print(failed)
""")


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "shared.sijill"
    Project.create(path).close()
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    count = 150
    start = time.time() + 1.5  # both importing first, then writing at the same instant
    procs = [subprocess.Popen([sys.executable, str(script), str(path), name, str(count), str(start)],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for name in ("alpha", "beta")]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert out.strip() == "0", err  # zero failed writes
    with Project.open(path) as project:
        for name in ("alpha", "beta"):
            events = project.db.execute("SELECT COUNT(*) FROM events WHERE title LIKE ?", [f"{name} event %"]).fetchone()[0]
            sources = project.db.execute("SELECT COUNT(*) FROM sources WHERE outlet = ?", [name]).fetchone()[0]
            assert (events, sources) == (count // 2, count // 2)
        assert project.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert len(project.search("alpha")) > 0  # the full-text index took every write too


@pytest.fixture
def impatient(monkeypatch):
    """Short waits, so that a held lock fails a write in a fraction of a second."""
    monkeypatch.setattr(Project, "busy_timeout_ms", 100)
    monkeypatch.setattr(Project, "write_patience_s", 0.3)


def test_a_write_against_a_held_lock_fails_whole_and_says_why(tmp_path, impatient):
    path = tmp_path / "held.sijill"
    Project.create(path).close()
    project = Project.open(path)
    other = sqlite3.connect(str(path), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    began = time.monotonic()
    with pytest.raises(LockedError, match="locked by another program"):
        project.create_event("Tower 22 attack", "2024-01-28")
    assert time.monotonic() - began < 3
    assert not project.db.conn.in_transaction
    other.execute("ROLLBACK")
    other.close()
    assert project.stats().events == 0  # nothing half-written
    project.create_event("Tower 22 attack", "2024-01-28")  # and the next write, lock gone, lands
    assert project.stats().events == 1
    project.close()


def test_a_lock_released_within_the_patience_is_waited_for(tmp_path, monkeypatch):
    monkeypatch.setattr(Project, "busy_timeout_ms", 100)
    monkeypatch.setattr(Project, "write_patience_s", 5.0)
    path = tmp_path / "brief.sijill"
    Project.create(path).close()
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sqlite3, sys, time
        c = sqlite3.connect({str(path)!r}, isolation_level=None)
        c.execute("BEGIN IMMEDIATE")
        print("held", flush=True)
        time.sleep(0.8)
        c.execute("ROLLBACK")
    """)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    with Project.open(path) as project:
        project.create_source("Statement", "text")  # waits past several busy timeouts, then lands
        assert project.stats().sources == 1
    holder.wait(timeout=10)


def test_nested_writes_are_savepoints_inside_one_immediate_transaction(project):
    with project.batch():
        project.create_event("One", "2020")
        with pytest.raises(Exception):
            with project.batch():
                project.create_event("Two", "2021")
                raise RuntimeError("inner part undone")
    assert [e.title for e in project.events()] == ["One"]
