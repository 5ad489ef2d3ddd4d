"""Project: one Sijill file, opened, migrated and written through typed methods.

Every user-level write is one transaction (`with self._write():`), so that an edit either
lands whole or not at all. Reads return frozen records from `sijill.db.store.entities`.

This module opens, creates and connects (locks, read-only files, older schemas), runs the write
transaction, hands on the change feed and keeps the meta values; the typed methods come from the
mixins Project is made of: groups, events, periods, search (and stats), library (sources,
annotations, evidence), bulk, structure, tags and db.geo.places.
"""
from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from sqlite_utils import Database

from sijill.db.store import schema
from sijill.db.store.bulk import BulkMixin
from sijill.db.store.basics import ConstraintError, LockedError, ProjectError, ReadOnlyError
from sijill.db.store.backup import automatic_backup
from sijill.db.store.changes import Change, ChangeSet
from sijill.db.store.check import DamagedProjectError, check_project, file_problem
from sijill.db.store.events import EventsMixin
from sijill.db.store.feed import ChangeFeed
from sijill.db.geo.places import PlacesMixin
from sijill.db.store.groups import GroupsMixin
from sijill.db.store.library import LibraryMixin
from sijill.db.store.periods import PeriodsMixin
from sijill.db.store.search import SearchMixin
from sijill.db.store.structure import StructureMixin
from sijill.db.store.tags import TagsMixin


def is_lock_error(exc: BaseException) -> bool:
    """SQLITE_BUSY or SQLITE_LOCKED: another connection holds a lock we need."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def _folder_takes_files(folder: Path) -> bool:
    """Whether a file can be made in `folder` (root passes os.access on any folder; a folder
    without write bits, or on a read-only mount, is still refused here)."""
    try:
        if not folder.stat().st_mode & 0o222:
            return False
    except OSError:
        return False
    return True


def _read_uri(path: Path) -> str:
    """The URI to read `path` without writing: in a folder nobody may write, with no -wal beside
    the file (so no connection has it open), read it as immutable, which needs no -shm or -wal
    (SQLite would otherwise create them, or, when it cannot, refuse with "attempt to write a
    readonly database")."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    folder_closed = not (os.access(path.parent, os.W_OK) and _folder_takes_files(path.parent))
    if folder_closed and not Path(f"{path}-wal").exists():
        uri += "&immutable=1"
    return uri


class Project(GroupsMixin, EventsMixin, PeriodsMixin, SearchMixin, LibraryMixin, BulkMixin, StructureMixin,
              TagsMixin, PlacesMixin):
    """A Sijill project file. Use `Project.open(path)` or `Project.create(path)`.

    Two writers (two windows, a window and the command line) share the file safely: every
    connection waits `busy_timeout_ms` for a lock; a user-level write takes the write lock first
    (BEGIN IMMEDIATE, retried with back-off for up to `write_patience_s`) so that nothing of its
    body runs before the lock is held, and the body is never re-run. A write that still cannot
    get the lock raises LockedError and leaves the file unchanged."""

    busy_timeout_ms = 5000
    write_patience_s = 10.0

    def __init__(self, path: Path, db: Database, read_only: bool, read_only_reason: str | None = None) -> None:
        self.path = path
        self.db = db
        self.read_only = read_only
        # Why the file cannot be written, when that is not simply because it was opened for reading.
        self.read_only_reason = read_only_reason
        self.closed = False
        self.feed = ChangeFeed(self)

    # ---- opening -------------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | os.PathLike, title: str | None = None) -> "Project":
        """Create a new, empty project file; refuses to overwrite an existing file."""
        path = Path(path)
        if path.exists():
            raise ProjectError(f"{path}: a file of that name already exists")
        if not path.parent.is_dir():
            raise ProjectError(f"{path}: the folder {path.parent} does not exist")
        conn = None
        try:
            conn = cls._connect(str(path))
            db = Database(conn)
            db.execute("PRAGMA foreign_keys = ON")
            with db.ensure_autocommit_on():
                db.execute("PRAGMA journal_mode = WAL")
            schema.migrate(db)
            project = cls(path, db, read_only=False)
            project.set_meta("title", title or path.stem)
        except BaseException as exc:
            # Leave nothing half-made behind.
            if conn is not None:
                conn.close()
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
            if isinstance(exc, sqlite3.Error):
                raise ProjectError(f"{path}: cannot create the project file ({exc})") from exc
            raise
        return project

    @classmethod
    def open(cls, path: str | os.PathLike, read_only: bool = False) -> "Project":
        """Open an existing project, upgrading an older schema. The file is checked before
        anything is written to it, so a file we refuse stays byte-identical."""
        path = Path(path)
        if not path.exists():
            raise ProjectError(f"{path}: no such file")
        if path.is_dir():
            raise ProjectError(f"{path}: is a folder, not a project file")
        special = file_problem(path)  # a FIFO or a device: reading it would hang or never end
        if special:
            raise ProjectError(f"{path}: {special}")
        try:
            with open(path, "rb") as fh:
                head = fh.read(16)
        except OSError as exc:
            raise ProjectError(f"{path}: cannot be read ({exc.strerror})") from exc
        if head != schema.SQLITE_MAGIC:
            raise ProjectError(f"{path}: not a Sijill project (not an SQLite database)")
        # Quick check, foreign keys and the domain rules, before anything is written (WAL,
        # migrations): a damaged or hand-broken file is refused with the report, byte-identical.
        report = check_project(path)
        if report.refused:
            raise DamagedProjectError(report)
        if cls._held_exclusively(path):  # another program keeps every reader out: read it as last saved
            return cls._open_held(path)
        version, app_id = cls._peek(path)
        if app_id != schema.APPLICATION_ID:
            raise ProjectError(f"{path}: an SQLite database, but not a Sijill project")
        if version > schema.SCHEMA_VERSION:
            raise ProjectError(
                f"{path}: written by a newer Sijill (schema version {version}; this version "
                f"reads up to {schema.SCHEMA_VERSION}). Update Sijill to open it."
            )
        # Root may write anything, so the file's own write bits decide as well.
        writable = (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
                    and bool(path.stat().st_mode & 0o222))
        reason = None if writable else cls._unwritable_reason(path)
        read_only = read_only or not writable
        if read_only:
            conn = cls._connect(_read_uri(path), uri=True)
            if version < schema.SCHEMA_VERSION:  # read through today's schema; the file stays as it is
                conn = cls._upgraded_in_memory(conn)
        else:
            conn = cls._connect(str(path))
        db = Database(conn)
        db.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            if version < schema.SCHEMA_VERSION:  # the file as it was, in backups/, before it is upgraded
                automatic_backup(path)
            with db.ensure_autocommit_on():
                db.execute("PRAGMA journal_mode = WAL")
            schema.migrate(db)
        return cls(path, db, read_only=read_only, read_only_reason=reason)

    # Reading a file that cannot be written, or not written yet. An older schema opened read-only
    # (by a reading command, or because the file cannot be written) is copied into memory with the
    # SQLite backup API and migrated there: every read method then sees today's columns, and the
    # file is neither migrated nor written. (Reading an old file as it is would make every query
    # depend on the version; the copy costs the file's size in memory, once, until it is upgraded.)
    @staticmethod
    def _upgraded_in_memory(conn: sqlite3.Connection) -> sqlite3.Connection:
        memory = sqlite3.connect(":memory:")
        try:
            conn.backup(memory)
        finally:
            conn.close()
        schema.migrate(Database(memory))
        return memory

    @staticmethod
    def _unwritable_reason(path: Path) -> str:
        if not (os.access(path.parent, os.W_OK) and _folder_takes_files(path.parent)):
            return f"the folder {path.parent} cannot be written"
        return "the file is write-protected (its permissions)"

    @classmethod
    def _held_exclusively(cls, path: Path) -> bool:
        """Whether another program keeps every other connection out (PRAGMA locking_mode =
        EXCLUSIVE): even a read is refused after the busy timeout. In WAL mode readers never wait
        for a writer, so a lock met by a plain read means exactly that."""
        try:
            conn = cls._connect(_read_uri(path), uri=True)
            try:
                conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
            finally:
                conn.close()
        except sqlite3.Error as exc:
            return is_lock_error(exc)
        return False

    @classmethod
    def _open_held(cls, path: Path) -> "Project":
        """A file another program holds exclusively, read as last written to the main file
        (immutable=1 takes no lock; what the holder keeps in its journal is not seen)."""
        conn = cls._connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise ProjectError(f"{path}: not a Sijill project ({exc})") from exc
        if app_id != schema.APPLICATION_ID or version > schema.SCHEMA_VERSION:
            conn.close()
            raise ProjectError(f"{path}: held exclusively by another program, and not a project this "
                               "Sijill can read")
        if version < schema.SCHEMA_VERSION:
            conn = cls._upgraded_in_memory(conn)
        db = Database(conn)
        return cls(path, db, read_only=True,
                   read_only_reason="another program holds it exclusively (SQLite locking_mode=EXCLUSIVE); "
                                    "what is shown is the file as last saved to disk")

    @classmethod
    def _connect(cls, target: str, uri: bool = False) -> sqlite3.Connection:
        """A connection that waits `busy_timeout_ms` for another connection's lock."""
        conn = sqlite3.connect(target, uri=uri, timeout=cls.busy_timeout_ms / 1000)
        conn.execute(f"PRAGMA busy_timeout = {int(cls.busy_timeout_ms)}")
        return conn

    @staticmethod
    def _peek(path: Path) -> tuple[int, int]:
        try:
            conn = Project._connect(_read_uri(path), uri=True)
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            raise ProjectError(f"{path}: not a Sijill project ({exc})") from exc
        return version, app_id

    def close(self) -> None:
        self.closed = True
        self.db.close()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[Database]:
        """One user-level write: refused on a read-only project, atomic otherwise.

        The outermost write begins with BEGIN IMMEDIATE, which takes the write lock before
        anything else runs (a deferred BEGIN would take it at the first write, and the first write
        to a full-text-indexed table then answered "database is locked" at once). Only that BEGIN,
        and the COMMIT, are retried: the body runs once. A nested write is a savepoint."""
        if self.read_only:
            if self.read_only_reason:
                raise ReadOnlyError(f"{self.path.name} is read-only here: {self.read_only_reason}")
            raise ReadOnlyError(f"{self.path.name} is open read-only: edits are not possible")
        conn = self.db.conn
        if conn.in_transaction:
            try:
                with self.db.atomic():
                    yield self.db
            except sqlite3.IntegrityError as exc:
                raise ConstraintError(str(exc)) from exc
            return
        self._retrying(lambda: conn.execute("BEGIN IMMEDIATE"))
        try:
            opened = self.feed.open(conn)
            yield self.db
            recorded = self.feed.close(conn, opened)
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if is_lock_error(exc):
                raise LockedError(self._locked_message()) from exc
            if isinstance(exc, sqlite3.IntegrityError):  # no constraint failure reaches a user as a traceback
                raise ConstraintError(str(exc)) from exc
            raise
        try:
            self._retrying(lambda: conn.execute("COMMIT"))
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        self.feed.committed(recorded)

    def _locked_message(self) -> str:
        return f"the project is locked by another program ({self.path.name} is being written elsewhere)"

    def _retrying(self, statement) -> None:
        """Run a statement that is safe to repeat (BEGIN IMMEDIATE, COMMIT) until it gets the
        lock: each attempt waits up to the busy timeout, then a growing pause, for at most
        `write_patience_s` in all."""
        deadline = time.monotonic() + self.write_patience_s
        pause = 0.05
        while True:
            try:
                statement()
                return
            except sqlite3.OperationalError as exc:
                if not is_lock_error(exc):
                    raise
                if time.monotonic() + pause >= deadline:
                    raise LockedError(self._locked_message()) from exc
            time.sleep(pause)
            pause = min(pause * 2, 1.0)

    @contextmanager
    def batch(self, label: str | None = None, kind: str = "edit") -> Iterator["Project"]:
        """Group several writes into one transaction and one change set (an import, an undo macro)."""
        with self.labelled(label, kind) if label else nullcontext(), self._write():
            yield self

    # ---- the change log (sijill.db.store.changes, sijill.db.store.feed) -----------------------------------------
    def labelled(self, label: str, kind: str = "edit"):
        """The writes inside are one change set with this label (e.g. an undo command's text)."""
        return self.feed.labelled(label, kind)

    @property
    def analyst(self) -> str:
        return self.feed.analyst

    @analyst.setter
    def analyst(self, name: str) -> None:
        self.feed.analyst = name

    def subscribe(self, callback) -> Callable[[], None]:
        """Call `callback(change_set)` after every commit that changed a record; returns the way to stop.
        The write is saved by then: a callback that fails is logged (logger `sijill.db.store.feed`), the
        others still called, and the writer is not told (its write did not fail)."""
        return self.feed.subscribe(callback)

    def change_sets(self, since: str | None = None, analyst: str | None = None, kind: str | None = None,
                    uid: str | None = None, limit: int | None = None, outside: bool = False) -> list[ChangeSet]:
        """Recorded change sets, newest first: made at or after `since` (ISO text), by `analyst`, of
        `kind`, or touching the record `uid`; with `outside`, the writes made outside Sijill where they
        were made among them (kind 'outside')."""
        return self.feed.change_sets(since=since, analyst=analyst, kind=kind, uid=uid, limit=limit, outside=outside)

    def history(self, uid: str) -> list[tuple[ChangeSet, list[Change]]]:
        """Every recorded change to one record (and its links), newest change set first."""
        return self.feed.history(uid)

    def poll_changes(self) -> list[ChangeSet]:
        """Change sets another program committed since the last call, also handed to subscribers."""
        return self.feed.poll()

    @property
    def title(self) -> str:
        return self.get_meta("title") or self.path.stem

    @property
    def uid(self) -> str | None:
        """The project's own identity (a UUID given at creation, kept by copies of the file)."""
        return self.get_meta("uid")

    # ---- meta (title, remembered view state) ---------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str | None) -> None:
        with self._write() as db:
            if value is None:
                db.execute("DELETE FROM meta WHERE key = ?", [key])
            else:
                db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])
