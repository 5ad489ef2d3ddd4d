"""A project's change feed: opens the change set of each write, and announces it after the commit.

`Project._write` calls `open` after BEGIN IMMEDIATE (a `change_sets` row marked open, which the
triggers of `sijill.db.store.changes` attach every change to), `close` before COMMIT (unmarked; dropped if
the write changed no record, e.g. remembered view state in `meta`), and `committed` after COMMIT,
which hands the change set to the subscribers: plain callbacks, so that `sijill.db` stays Qt-free
(the window's `ProjectHub` subscribes once and turns change sets into Qt signals).

A change set's label is the innermost `labelled(...)` the caller gave (an undo command's text, "Import
ACLED file x.csv"), else one made from the `Project` method that wrote ("Create event").
"""
from __future__ import annotations

import getpass
import logging
import os
import sys
from bisect import bisect_right
from contextlib import contextmanager
from typing import Callable

from sijill.db.store.changes import (RECORDS, Change, ChangeSet, first_new_ids, has_provenance, load_changes,
                                     pause_insert_triggers, read_change_sets, record_inserts, resume_insert_triggers)
from sijill.db.store.basics import new_uid

KINDS = ("edit", "import", "merge", "restore", "undo")
OUTSIDE = "Changed outside Sijill"
log = logging.getLogger(__name__)
_PLUMBING = {"_write", "batch", "labelled", "__enter__", "__exit__", "helper", "_GeneratorContextManager"}


def default_analyst() -> str:
    """The analyst's name when no one set it: $SIJILL_ANALYST, else the account's name."""
    name = os.environ.get("SIJILL_ANALYST", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (containers)
        return "unknown"


def _utc_now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _label_from_caller() -> str:
    """'Create event' for a write made by Project.create_event, found on the call stack."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_name
        if name not in _PLUMBING and not frame.f_code.co_filename.endswith(("contextlib.py", "feed.py")):
            return name.strip("_").replace("_", " ").capitalize() or "Edit"
        frame = frame.f_back
    return "Edit"


class ChangeFeed:
    def __init__(self, project) -> None:
        self.project = project
        self.analyst = default_analyst()
        self._labels: list[tuple[str, str]] = []
        self._subscribers: list[Callable[[ChangeSet], None]] = []
        self._own: set[int] = set()
        conn = project.db.conn
        self.enabled = bool(conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'change_sets'").fetchone())
        self._polled = (conn.execute("SELECT coalesce(max(id), 0) FROM change_sets").fetchone()[0]
                        if self.enabled else 0)
        self._origin: str | None = None
        self._paused = None  # an import's insert triggers, dropped until it closes (changes.pause_insert_triggers)

    # ---- writing -------------------------------------------------------------------------------
    @contextmanager
    def labelled(self, label: str, kind: str = "edit"):
        if kind not in KINDS:
            raise ValueError(f"unknown kind of change set {kind!r}")
        self._labels.append((label, kind))
        try:
            yield
        finally:
            self._labels.pop()

    def open(self, conn) -> int | None:
        if not self.enabled:
            return None
        label, kind = self._labels[0] if self._labels else (_label_from_caller(), "edit")
        if self._origin is None:
            row = conn.execute("SELECT value FROM meta WHERE key = 'uid'").fetchone()
            self._origin = row[0] if row else ""
        firsts = ", ".join(f"first_{kind}" for kind in RECORDS)
        cur = conn.execute(f"INSERT INTO change_sets (uid, label, analyst, at, kind, origin, open, {firsts}) "
                           f"VALUES (?, ?, ?, ?, ?, ?, 1{', ?' * len(RECORDS)})",
                           [new_uid(), label, self.analyst, _utc_now(), kind, self._origin or None,
                            *first_new_ids(conn)])
        # (A rolled-back import's triggers came back with the rollback: nothing of it is kept.)
        self._paused = pause_insert_triggers(conn) if kind == "import" else None
        return cur.lastrowid

    def close(self, conn, set_id: int | None) -> int | None:
        """Unmark the change set; drop it when nothing was recorded. Returns its id if it stays."""
        if set_id is None:
            return None
        record_inserts(conn, set_id)
        if self._paused is not None:
            paused, self._paused = self._paused, None
            resume_insert_triggers(conn, set_id, paused)
        conn.execute("UPDATE change_sets SET open = 0 WHERE id = ?", [set_id])
        if conn.execute("SELECT 1 FROM changes WHERE change_set = ? LIMIT 1", [set_id]).fetchone():
            return set_id
        # A merge that only brought the other copy's history in (every change of it was a conflict this file
        # kept, or changed nothing in the end) stays: the change sets it copied name it.
        if has_provenance(conn) and conn.execute("SELECT 1 FROM change_sets WHERE merged_by = ? LIMIT 1",
                                                 [set_id]).fetchone():
            return set_id
        conn.execute("DELETE FROM change_sets WHERE id = ?", [set_id])
        return None

    def committed(self, set_id: int | None) -> None:
        if set_id is None:
            return
        self._own.add(set_id)
        if self._subscribers:
            found = read_change_sets(self.project.db.conn, "s.id = ?", [set_id])
            if found:
                self._announce(found)

    # ---- subscribers ---------------------------------------------------------------------------
    def subscribe(self, callback: Callable[[ChangeSet], None]) -> Callable[[], None]:
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)
        return unsubscribe

    def _announce(self, change_sets: list[ChangeSet]) -> None:
        """Every subscriber hears every change set, oldest first. The write is committed by then: a
        subscriber's failure (a view that could not read it) is logged, never raised to the writer, who
        would take a saved write for a failed one (the undo stack would drop a step that is in the file),
        and the other subscribers still hear of it."""
        for change_set in change_sets:
            for callback in list(self._subscribers):
                try:
                    callback(change_set)
                except Exception:  # noqa: BLE001 - the commit stands; the others must still hear of it
                    log.exception("a listener of %s failed on change set %r (%s); the change is saved",
                                  self.project.path.name, change_set.label, change_set.uid)

    def poll(self) -> list[ChangeSet]:
        """Change sets committed by other connections since the last poll, oldest first."""
        if not self.enabled:
            return []
        found = [s for s in read_change_sets(self.project.db.conn, "s.id > ? AND s.open = 0", [self._polled])
                 if s.id not in self._own]
        top = self.project.db.conn.execute("SELECT coalesce(max(id), 0) FROM change_sets").fetchone()[0]
        self._polled = max(self._polled, top)
        self._own = {i for i in self._own if i > self._polled}
        found.reverse()
        if found:
            self._announce(found)
        return found

    # ---- reading -------------------------------------------------------------------------------
    def change_sets(self, since=None, analyst=None, kind=None, uid=None, limit=None,
                    outside: bool = False) -> list[ChangeSet]:
        """Change sets, newest first; with `outside`, the writes made outside Sijill among them (kind
        'outside': `outside_runs`), unless an analyst is asked for (they have none)."""
        if not self.enabled:
            return []
        if outside and not analyst and not uid and kind in (None, "outside"):
            runs = self._outside_runs(since)
            sets = [] if kind == "outside" else self.change_sets(since, analyst, kind, uid, limit)
            return _interleave(self.project.db.conn, sets, runs)[:limit]
        where, params = ["s.open = 0"], []
        if since:
            where.append("s.at >= ?")
            params.append(since)
        if analyst:
            where.append("s.analyst = ?")
            params.append(analyst)
        if kind:
            where.append("s.kind = ?")
            params.append(kind)
        if uid:
            where.append("s.id IN (SELECT change_set FROM changes WHERE uid = ?)")
            params.append(uid)
        return read_change_sets(self.project.db.conn, " AND ".join(where), params, limit)

    def _outside_runs(self, since: str | None) -> list[ChangeSet]:
        """The writes made outside Sijill, newest first: each run of them (`outside_runs`) is one change
        set of kind 'outside' (id: minus its first change's id)."""
        conn = self.project.db.conn
        return [ChangeSet(-first, "", OUTSIDE, None, when or "", "outside", None, counts=counts,
                          _load=lambda a=first, b=last: load_changes(conn, None, between=(a, b)))
                for first, last, when, counts in reversed(outside_runs(conn))
                if not since or (when and when >= since)]

    def history(self, uid: str) -> list[tuple[ChangeSet, list[Change]]]:
        """The record's change sets, newest first, with the writes made outside Sijill where they were made
        among them: the record's changes of each run of such writes (`outside_runs`, the same runs as in
        the project's history) are a change set of kind 'outside' (id: minus the run's first change's
        id), placed by the order of the changes themselves (a time has only seconds)."""
        conn = self.project.db.conn
        if not self.enabled:
            return []
        sets = [(s, load_changes(conn, s.id, uid)) for s in self.change_sets(uid=uid)]
        rows = conn.execute("SELECT id, change_set FROM changes WHERE uid = ? ORDER BY id", [uid]).fetchall()
        last = {set_id: change_id for change_id, set_id in rows if set_id is not None}
        mine = [change_id for change_id, set_id in rows if set_id is None]
        outside = load_changes(conn, None, uid)  # the same changes as `mine`, in the same order
        runs = outside_runs(conn) if mine else []
        firsts = [run[0] for run in runs]
        by_run: dict[int, list[Change]] = {}
        for change_id, change in zip(mine, outside):
            by_run.setdefault(bisect_right(firsts, change_id) - 1, []).append(change)
        out: list[tuple[ChangeSet, list[Change]]] = []
        for index in sorted(by_run, reverse=True):  # newest first, each above the change sets made before it
            first, _last, when, _counts = runs[index]
            while sets and last.get(sets[0][0].id, 0) > first:
                out.append(sets.pop(0))
            out.append((ChangeSet(-first, "", OUTSIDE, None, when or "", "outside", None, counts={}),
                        by_run[index]))
        return out + sets


def outside_runs(conn) -> list[list]:
    """The writes made outside Sijill as runs, oldest first: [first change id, last change id, time, counts
    by (kind, op)]. A run is the changes with no change set written one after the other (no change of a
    change set between them) with one time: one rule for the project's history and a record's, so that
    one outside write is one entry in both."""
    at = "at" if has_provenance(conn) else "NULL"
    runs: list[list] = []
    for change_id, when, kind, op in conn.execute(
            f"SELECT id, {at}, kind, op FROM changes WHERE change_set IS NULL ORDER BY id").fetchall():
        if not runs or runs[-1][2] != when or (runs[-1][1] != change_id - 1 and conn.execute(
                "SELECT 1 FROM changes WHERE id > ? AND id < ? AND change_set IS NOT NULL LIMIT 1",
                [runs[-1][1], change_id]).fetchone()):
            runs.append([change_id, change_id, when, {}])
        run = runs[-1]
        run[1] = change_id
        run[3][(kind, op)] = run[3].get((kind, op), 0) + 1
    return runs


def _interleave(conn, sets: list[ChangeSet], runs: list[ChangeSet]) -> list[ChangeSet]:
    """Change sets and runs of outside writes (both newest first) in the order they were written: a run is
    above every change set whose changes were all written before its first (-run.id)."""
    last: dict[int, int] = {}
    ids = [s.id for s in sets]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        last.update(conn.execute(f"SELECT change_set, max(id) FROM changes WHERE change_set IN "
                                 f"({','.join('?' * len(chunk))}) GROUP BY change_set", chunk).fetchall())
    out: list[ChangeSet] = []
    for run in runs:
        while sets and last.get(sets[0].id, 0) > -run.id:
            out.append(sets.pop(0))
        out.append(run)
    return out + sets
