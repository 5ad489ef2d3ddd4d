"""kill -9 in the middle of work: every edit that was committed is in the file, nothing half-made
is, and the file passes SQLite's integrity check. A child process edits (or imports) and reports
each commit on stdout; the test kills it with SIGKILL at a random moment and reopens the file."""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from sijill.db.store.project import Project

EDITS = textwrap.dedent(r"""
    import sys
    from sijill.db.store.project import Project
    p = Project.open(sys.argv[1])
    g = p.create_group("Kataib Hezbollah")
    print("ready", flush=True)
    for i in range(100000):
        with p.batch():                       # one user action: an event and its source, together
            e = p.create_event(f"Attack {i}", "2024-01-28", groups=[(g.id, "actor")], tags=["drone"])
            s = p.create_source(f"Report {i}", f"Report {i} on the attack.", outlet="AP")
            p.add_evidence(e.id, source_id=s.id)
        print(e.uid, flush=True)
""")

IMPORT = textwrap.dedent(r"""
    import sys
    from sijill.db.store.project import Project
    from sijill.db.formats.acled import AcledReader
    from sijill.db.formats.apply import run_import
    p = Project.open(sys.argv[1])
    print("ready", flush=True)
    run_import(p, AcledReader(sys.argv[2]))
    print("done", flush=True)
""")


def _child(script: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


def _integrity(path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kill_9_during_edits_loses_no_committed_edit(tmp_path, seed):
    path = tmp_path / "p.sijill"
    Project.create(path).close()
    child = _child(EDITS, str(path))
    assert child.stdout.readline().strip() == "ready"
    deadline = time.monotonic() + random.Random(seed).uniform(0.3, 1.5)
    output = ""
    os.set_blocking(child.stdout.fileno(), False)
    while time.monotonic() < deadline:
        # A non-blocking read may return part of a line: lines are split once the child is gone.
        chunk = child.stdout.readline()
        if chunk:
            output += chunk
        else:
            time.sleep(0.005)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    output += child.stdout.read()
    committed = [line.strip() for line in output.split("\n")[:-1] if line.strip()]  # complete lines only
    assert committed, "the child committed nothing before it was killed"
    assert _integrity(path) == "ok"
    with Project.open(path) as p:
        uids = {e.uid for e in p.events()}
        assert set(committed) <= uids                     # every reported commit is there
        assert len(uids) - len(committed) <= 1            # at most the one committed as it was killed
        # the change log is as whole as the data: no change set left open, one insert for every event
        assert p.db.execute("SELECT count(*) FROM change_sets WHERE open = 1").fetchone()[0] == 0
        logged = {r[0] for r in p.db.execute("SELECT uid FROM changes WHERE kind = 'event' AND op = 'insert' "
                                             "AND change_set IS NOT NULL")}
        assert logged == uids
        for e in p.events():                              # no event without its source: all or nothing
            assert len(p.evidence(e.id)) == 1
        assert p.stats().sources == len(uids)
        assert len(p.search_event_ids("Attack")) == len(uids)


def test_kill_9_during_a_large_import_leaves_the_project_as_it_was(tmp_path):
    from tests.perf.acled_file import write_acled

    path = tmp_path / "p.sijill"
    with Project.create(path) as p:
        p.create_event("Before the import", "2023-10-17")
    data = write_acled(tmp_path / "acled.csv", 60_000)
    child = _child(IMPORT, str(path), str(data))
    assert child.stdout.readline().strip() == "ready"
    time.sleep(1.0)                                        # well inside the import (several seconds)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert "done" not in child.stdout.read(), "the import finished before the kill: make the file larger"
    assert _integrity(path) == "ok"
    with Project.open(path) as p:
        assert [e.title for e in p.events()] == ["Before the import"]
        assert p.groups() == [] and p.sources() == []
        indexes = {n for (n,) in p.db.execute("SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger')")}
        assert {"events_start_lo", "event_evidence_event", "events_ai"} <= indexes
