"""Project: one Sijill file, opened, migrated and written through typed methods.

Every user-level write is one transaction (`with self._write():`), so that an edit either
lands whole or not at all. Reads return frozen records from `sijill.db.store.entities`.
"""
from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from datetime import datetime, timezone
from pathlib import Path

from sqlite_utils import Database

from sijill.db.store import schema
from sijill.db.store.bulk import EVENT_COLUMNS, BulkMixin, chunks
from sijill.db.store.basics import DateLike, LockedError, ProjectError, ReadOnlyError, as_date, as_optional_date, new_uid, now_iso
from sijill.db.store.backup import automatic_backup
from sijill.db.store.changes import Change, ChangeSet
from sijill.db.store.check import DamagedProjectError, check_project, file_problem
from sijill.db.store.feed import ChangeFeed
from sijill.db.geo.places import PlacesMixin
from sijill.db.dates import FuzzyDate
from sijill.db.store.library import LibraryMixin
from sijill.db.store.structure import StructureMixin
from sijill.db.store.tags import TagsMixin
from sijill.db.text.rules import check_fields
from sijill.db.store.entities import Alias, Event, EventBrief, Group, Link, Period, SearchHit, Stats

def fts_query(text: str) -> str:
    """Turn what a user typed into a safe FTS5 query: every word must match, the last as a prefix.

    An Arabic word also matches its forms with the article and the clitics written joined to it
    (`arabic_forms`), which the unicode61 tokenizer keeps inside the token: "حشد" finds "والحشد".
    """
    words = text.replace('"', " ").split()
    if not words:
        return ""
    groups = [_fts_group(w, last=i == len(words) - 1) for i, w in enumerate(words)]
    if not any(len(g) > 1 for g in groups):
        return " ".join(g[0] for g in groups)
    return " AND ".join(g[0] if len(g) == 1 else "(" + " OR ".join(g) + ")" for g in groups)


def _fts_group(word: str, last: bool) -> list[str]:
    star = "*" if last else ""
    forms = arabic_forms(word)
    return [f'"{f}"{star}' for f in forms] if forms else [f'"{word}"{star}']


_AR_WORD = re.compile(r"[\u0621-\u063a\u0641-\u064a]+")
_AR_MARKS = re.compile(r"[\u0640\u064b-\u065f\u0670]")  # tatweel and tashkeel: the tokenizer splits at them
# "ال" with what may precede it: و/ف (and), then ب/ك (with, as); ل + ال is written "لل".
_AR_ARTICLE = re.compile(r"[وف]?(?:[بك]?ال|لل)")
_AR_CONJUNCTIONS, _AR_PREPOSITIONS = ("", "و", "ف"), ("", "ب", "ل", "ك")


def arabic_forms(word: str) -> list[str]:
    """The forms an Arabic search word may take in text, or [] when `word` is not an Arabic word.

    The stem is the word without an article and what precedes it ("والحشد" -> "حشد"). The forms are the
    word itself and the stem behind و/ف, then ب/ل/ك, then the article (ل + ال is written لل, or ل alone
    before a stem's own ل: "للجنة", "لله"), in each combination. A stem of one or two letters gets only
    the forms with the article: a bare letter before it makes other words ("رد" does not seek "برد", cold,
    nor "كرد", Kurds), and "الله" does not seek "له". Tashkeel and tatweel are dropped, since the
    tokenizer splits words at them; surrounding punctuation is ignored.
    """
    core = _AR_MARKS.sub("", word.strip("()[]{}«»‹›<>.,;:!?؟،؛'*^+-"))
    if not _AR_WORD.fullmatch(core):
        return []
    article = _AR_ARTICLE.match(core)
    stem = core[article.end():] if article else core
    long_stem = len(stem) >= 3
    forms = [core]
    for conj in _AR_CONJUNCTIONS:
        for prep in _AR_PREPOSITIONS:
            if long_stem or (not article and conj + prep == ""):
                forms.append(conj + prep + stem)
            forms.append(conj + _with_article(prep, stem))
    return list(dict.fromkeys(f for f in forms if f))


def _with_article(prep: str, stem: str) -> str:
    if prep != "ل":
        return prep + "ال" + stem
    return "ل" + stem if stem.startswith("ل") else "لل" + stem  # "للجنة", "لله"


_PERIOD_DATES = ("start_text, start_lo, start_hi, start_precision, start_approximate, start_uncertain, "
                 "end_text, end_lo, end_hi, end_precision, end_approximate, end_uncertain")
_EVENT_FIELDS = ("title", "description", "start", "end", "location", "latitude", "longitude",
                 "event_type", "fatalities", "groups", "tags", "key_event")


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


class Project(LibraryMixin, BulkMixin, StructureMixin, TagsMixin, PlacesMixin):
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
            with self.db.atomic():
                yield self.db
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
        """Call `callback(change_set)` after every commit that changed a record; returns the way to stop."""
        return self.feed.subscribe(callback)

    def change_sets(self, since: str | None = None, analyst: str | None = None, kind: str | None = None,
                    uid: str | None = None, limit: int | None = None) -> list[ChangeSet]:
        """Recorded change sets, newest first: made at or after `since` (ISO text), by `analyst`, of
        `kind`, or touching the record `uid`."""
        return self.feed.change_sets(since=since, analyst=analyst, kind=kind, uid=uid, limit=limit)

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

    # ---- groups --------------------------------------------------------------------------
    def create_group(self, name: str, *, kind: str | None = None, parent: int | str | None = None,
                     color: str | None = None, description: str | None = None,
                     aliases: Iterable[Alias | str | tuple[str, str | None]] = (),
                     uid: str | None = None, position: int | None = None) -> Group:
        name = name.strip()
        if not name:
            raise ProjectError("a group needs a name")
        aliases = list(aliases)
        check_fields({"name": name, "kind": kind, "color": color, "description": description, "aliases": aliases},
                     ProjectError)
        with self._write() as db:
            if db.execute("SELECT 1 FROM groups WHERE name = ?", [name]).fetchone():
                raise ProjectError(f"a group named {name!r} already exists")
            parent_id = self._group_id(parent) if parent is not None else None
            if position is None:
                position = db.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM groups").fetchone()[0]
            cur = db.execute(
                "INSERT INTO groups (uid, name, kind, parent_id, color, description, position) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [uid or new_uid(), name, kind, parent_id, color, description, position],
            )
            self._set_aliases(cur.lastrowid, aliases)
        return self.group(cur.lastrowid)

    def update_group(self, group_id: int, **fields) -> Group:
        allowed = {"name", "kind", "parent", "color", "description", "aliases", "position"}
        unknown = set(fields) - allowed
        if unknown:
            raise ProjectError(f"unknown group field(s): {', '.join(sorted(unknown))}")
        if fields.get("aliases") is not None:
            fields["aliases"] = list(fields["aliases"])
        check_fields({k: v for k, v in fields.items() if k != "parent"}, ProjectError)
        with self._write() as db:
            self.group(group_id)
            if "parent" in fields:
                parent = fields.pop("parent")
                parent_id = self._group_id(parent) if parent is not None else None
                if parent_id is not None and group_id in self._ancestors(parent_id) | {parent_id}:
                    name, under = self.group(group_id).name, self.group(parent_id).name
                    raise ProjectError(f"{name!r} cannot be placed inside itself" if parent_id == group_id
                                       else f"{name!r} cannot be placed under {under!r}, which is part of it: "
                                            "a group cannot be inside itself")
                db.execute("UPDATE groups SET parent_id = ? WHERE id = ?", [parent_id, group_id])
            if "aliases" in fields:
                db.execute("DELETE FROM group_aliases WHERE group_id = ?", [group_id])
                self._set_aliases(group_id, fields.pop("aliases"))
            for key, value in fields.items():
                if key == "name":
                    value = (value or "").strip()
                    if not value:
                        raise ProjectError("a group needs a name")
                try:
                    db.execute(f"UPDATE groups SET {key} = ? WHERE id = ?", [value, group_id])
                except sqlite3.IntegrityError as exc:
                    raise ProjectError(f"a group named {value!r} already exists") from exc
        return self.group(group_id)

    def set_group_order(self, group_ids: Sequence[int]) -> None:
        """Store the lane order chosen by the analyst."""
        with self._write() as db:
            for position, gid in enumerate(group_ids, start=1):
                db.execute("UPDATE groups SET position = ? WHERE id = ?", [position, gid])

    def _set_aliases(self, group_id: int, aliases: Iterable) -> None:
        for item in aliases:
            if isinstance(item, Alias):
                alias, lang = item.alias, item.lang
            elif isinstance(item, str):
                alias, lang = item, None
            else:
                alias, lang = item
            alias = alias.strip()
            if alias:
                self.db.execute(
                    "INSERT OR IGNORE INTO group_aliases (group_id, alias, lang) VALUES (?, ?, ?)",
                    [group_id, alias, lang],
                )

    def _group_id(self, ref: int | str) -> int:
        if isinstance(ref, int):
            row = self.db.execute("SELECT id FROM groups WHERE id = ?", [ref]).fetchone()
        else:
            row = self.db.execute("SELECT id FROM groups WHERE name = ? OR uid = ?", [ref, ref]).fetchone()
        if not row:
            raise ProjectError(f"no group {ref!r}")
        return row[0]

    def _ancestors(self, group_id: int) -> set[int]:
        seen: set[int] = set()
        current = self.db.execute("SELECT parent_id FROM groups WHERE id = ?", [group_id]).fetchone()
        while current and current[0] is not None and current[0] not in seen:
            seen.add(current[0])
            current = self.db.execute("SELECT parent_id FROM groups WHERE id = ?", [current[0]]).fetchone()
        return seen

    def groups(self) -> list[Group]:
        """All groups, each parent before its children, siblings in lane order."""
        rows = self.db.execute(
            "SELECT id, uid, name, kind, parent_id, color, description, position FROM groups"
        ).fetchall()
        aliases: dict[int, list[Alias]] = {}
        for gid, alias, lang in self.db.execute(
            "SELECT group_id, alias, lang FROM group_aliases ORDER BY id"
        ):
            aliases.setdefault(gid, []).append(Alias(alias, lang))
        by_parent: dict[int | None, list] = {}
        ids = {r[0] for r in rows}
        for r in rows:
            parent = r[4] if r[4] in ids else None
            by_parent.setdefault(parent, []).append(r)
        out: list[Group] = []

        def walk(parent: int | None) -> None:
            for r in sorted(by_parent.get(parent, []), key=lambda r: (r[7], r[2].casefold())):
                out.append(Group(*r, aliases=tuple(aliases.get(r[0], ()))))
                walk(r[0])

        walk(None)
        return out

    def group(self, group_id: int) -> Group:
        row = self.db.execute(
            "SELECT id, uid, name, kind, parent_id, color, description, position FROM groups WHERE id = ?",
            [group_id],
        ).fetchone()
        if not row:
            raise ProjectError(f"no group with id {group_id}")
        aliases = tuple(Alias(a, l) for a, l in self.db.execute(
            "SELECT alias, lang FROM group_aliases WHERE group_id = ? ORDER BY id", [group_id]))
        return Group(*row, aliases=aliases)

    def group_by_name(self, name: str) -> Group | None:
        row = self.db.execute("SELECT id FROM groups WHERE name = ?", [name]).fetchone()
        return self.group(row[0]) if row else None

    # ---- events --------------------------------------------------------------------------
    def create_event(self, title: str, start: DateLike, end: DateLike | None = None, *,
                     description: str | None = None, groups: Iterable = (), tags: Iterable[str] = (),
                     location: str | None = None, latitude: float | None = None,
                     longitude: float | None = None, event_type: str | None = None,
                     fatalities: int | None = None, uid: str | None = None,
                     created_at: str | None = None, updated_at: str | None = None,
                     event_id: int | None = None, key_event: bool = False) -> Event:
        """Create an event; `groups` holds (group id or name, role) pairs or `Link`s; `key_event`
        marks a turning point (its label wins where labels compete on the timeline)."""
        title = (title or "").strip()
        if not title:
            raise ProjectError("an event needs a title")
        tags = list(tags)
        check_fields({"title": title, "description": description, "location": location, "event_type": event_type,
                      "tags": tags, "start": start if isinstance(start, str) else None,
                      "end": end if isinstance(end, str) else None}, ProjectError)
        start_d = as_date(start)
        end_d = as_optional_date(end)
        self._check_span(start_d, end_d)
        stamp = now_iso()
        with self._write() as db:
            cur = db.execute(
                f"INSERT INTO events ({EVENT_COLUMNS}) VALUES ({', '.join('?' * 23)})",
                [event_id, uid or new_uid(), title, description, *self._date_cols(start_d),
                 *self._date_cols(end_d), location, latitude, longitude, event_type,
                 fatalities, created_at or stamp, updated_at or created_at or stamp],
            )
            eid = cur.lastrowid
            if key_event:
                db.execute("UPDATE events SET key_event = 1 WHERE id = ?", [eid])
            self._set_links(eid, groups)
            self._set_tags("event", eid, tags)
        return self.event(eid)

    def update_event(self, event_id: int, **fields) -> Event:
        """Change some fields of an event: any of title, description, start, end, location,
        latitude, longitude, event_type, fatalities, groups (replaces all links), tags, key_event."""
        unknown = set(fields) - set(_EVENT_FIELDS)
        if unknown:
            raise ProjectError(f"unknown event field(s): {', '.join(sorted(unknown))}")
        if fields.get("tags") is not None:
            fields["tags"] = list(fields["tags"])
        check_fields({k: v for k, v in fields.items() if k != "groups"}, ProjectError)
        current = self.event(event_id)
        start_d = as_date(fields["start"]) if "start" in fields else current.start
        end_d = as_optional_date(fields["end"]) if "end" in fields else current.end
        self._check_span(start_d, end_d)
        if "title" in fields and not (fields["title"] or "").strip():
            raise ProjectError("an event needs a title")
        with self._write() as db:
            sets: dict[str, object] = {}
            if "start" in fields:
                sets.update(zip(("start_text", "start_lo", "start_hi", "start_precision",
                                 "approximate", "uncertain"), self._date_cols(start_d)))
            if "end" in fields:
                sets.update(zip(("end_text", "end_lo", "end_hi", "end_precision",
                                 "end_approximate", "end_uncertain"), self._date_cols(end_d)))
            for key in ("title", "description", "location", "latitude", "longitude",
                        "event_type", "fatalities"):
                if key in fields:
                    sets[key] = fields[key].strip() if key == "title" else fields[key]
            if "key_event" in fields:
                sets["key_event"] = int(bool(fields["key_event"]))
            sets["updated_at"] = now_iso()
            assignments = ", ".join(f"{k} = ?" for k in sets)
            db.execute(f"UPDATE events SET {assignments} WHERE id = ?", [*sets.values(), event_id])
            if "groups" in fields:
                db.execute("DELETE FROM event_groups WHERE event_id = ?", [event_id])
                self._set_links(event_id, fields["groups"])
            if "tags" in fields:
                db.execute("DELETE FROM event_tags WHERE event_id = ?", [event_id])
                self._set_tags("event", event_id, fields["tags"])
        return self.event(event_id)

    def delete_event(self, event_id: int) -> dict:
        """Delete an event; returns its snapshot, which `restore_event` puts back exactly."""
        snapshot = self.event_snapshot(event_id)
        with self._write() as db:
            db.execute("DELETE FROM events WHERE id = ?", [event_id])
        return snapshot

    def event_snapshot(self, event_id: int) -> dict:
        """Everything that deleting an event would lose: its row, links, tags and evidence."""
        row = self.db.execute("SELECT * FROM events WHERE id = ?", [event_id]).fetchone()
        if not row:
            raise ProjectError(f"no event with id {event_id}")
        cols = [d[0] for d in self.db.execute("SELECT * FROM events LIMIT 0").description]
        q = self.db.execute
        return {
            "event": dict(zip(cols, row)),
            "groups": q("SELECT group_id, role FROM event_groups WHERE event_id = ?", [event_id]).fetchall(),
            "tags": [t for (t,) in q("SELECT t.name FROM event_tags et JOIN tags t ON t.id = et.tag_id "
                                    "WHERE et.event_id = ?", [event_id])],
            "evidence": q("SELECT id, source_id, annotation_id, stance, note FROM event_evidence "
                          "WHERE event_id = ?", [event_id]).fetchall(),
        }

    def restore_event(self, snapshot: dict) -> Event:
        """Put back an event removed by `delete_event`, with the same id, uid and links."""
        row = snapshot["event"]
        known = {d[0] for d in self.db.execute("SELECT * FROM events LIMIT 0").description}
        if not row.keys() <= known:
            raise ProjectError(f"not an event snapshot: unknown column(s) {', '.join(sorted(set(row) - known))}")
        with self._write() as db:
            cols = ", ".join(f'"{c}"' for c in row)
            db.execute(f"INSERT INTO events ({cols}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
            eid = row["id"]
            self._set_links(eid, snapshot["groups"])
            self._set_tags("event", eid, snapshot["tags"])
            for ev_id, source_id, annotation_id, stance, note in snapshot["evidence"]:
                db.execute("INSERT INTO event_evidence (id, event_id, source_id, annotation_id, stance, note) "
                           "VALUES (?, ?, ?, ?, ?, ?)", [ev_id, eid, source_id, annotation_id, stance, note])
        return self.event(eid)

    @staticmethod
    def _check_span(start: FuzzyDate, end: FuzzyDate | None) -> None:
        if end is not None and end.hi < start.lo:
            raise ProjectError(f"the end ({end.display()}) is before the start ({start.display()})")

    @staticmethod
    def _date_cols(d: FuzzyDate | None) -> list:
        if d is None:
            return [None, None, None, None, 0, 0]
        return [d.text, d.lo_ts, d.hi_ts, d.precision, int(d.approximate), int(d.uncertain)]

    def _set_links(self, event_id: int, links: Iterable) -> None:
        for item in links:
            if isinstance(item, Link):
                ref, role = item.group_id, item.role
            else:
                ref, role = item
            if role not in schema.ROLES:
                raise ProjectError(f"unknown role {role!r} (one of {', '.join(schema.ROLES)})")
            self.db.execute(
                "INSERT OR REPLACE INTO event_groups (event_id, group_id, role) VALUES (?, ?, ?)",
                [event_id, self._group_id(ref), role],
            )

    def _tag_id(self, name: str) -> int:
        self.db.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", [name])
        return self.db.execute("SELECT id FROM tags WHERE name = ?", [name]).fetchone()[0]

    def _set_tags(self, kind: str, owner_id: int, tags: Iterable[str]) -> None:
        table, column = ("event_tags", "event_id") if kind == "event" else ("annotation_tags", "annotation_id")
        for name in tags:
            name = name.strip()
            if name:
                self.db.execute(f"INSERT OR IGNORE INTO {table} ({column}, tag_id) VALUES (?, ?)",
                                [owner_id, self._tag_id(name)])

    def tags(self) -> list[str]:
        return [n for (n,) in self.db.execute("SELECT name FROM tags ORDER BY name COLLATE NOCASE")]

    def event_types(self) -> list[str]:
        return [t for (t,) in self.db.execute(
            "SELECT DISTINCT event_type FROM events WHERE event_type IS NOT NULL ORDER BY event_type")]

    def _events_where(self, where: str = "1", params: Sequence = (), order: str = "start_lo, id",
                      limit: int | None = None) -> list[Event]:
        sql = f"SELECT {EVENT_COLUMNS}, key_event FROM events WHERE {where} ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        rows = self.db.execute(sql, list(params)).fetchall()
        if not rows:
            return []
        ids = [r[0] for r in rows]
        links: dict[int, list[Link]] = {}
        tags: dict[int, list[str]] = {}
        for chunk in chunks(ids, 900):
            marks = ", ".join("?" * len(chunk))
            for eid, gid, role in self.db.execute(
                f"SELECT eg.event_id, eg.group_id, eg.role FROM event_groups eg JOIN groups g "
                f"ON g.id = eg.group_id WHERE eg.event_id IN ({marks}) ORDER BY g.position, g.id", chunk
            ):
                links.setdefault(eid, []).append(Link(gid, role))
            for eid, name in self.db.execute(
                f"SELECT et.event_id, t.name FROM event_tags et JOIN tags t ON t.id = et.tag_id "
                f"WHERE et.event_id IN ({marks}) ORDER BY t.name", chunk
            ):
                tags.setdefault(eid, []).append(name)
        return [_event_from_row(r, links.get(r[0], ()), tags.get(r[0], ())) for r in rows]

    def event(self, event_id: int) -> Event:
        found = self._events_where("id = ?", [event_id])
        if not found:
            raise ProjectError(f"no event with id {event_id}")
        return found[0]

    def event_by_uid(self, uid: str) -> Event | None:
        found = self._events_where("uid = ?", [uid])
        return found[0] if found else None

    def events(self, limit: int | None = None) -> list[Event]:
        return self._events_where(limit=limit)

    def events_in_window(self, lo: int | datetime, hi: int | datetime,
                         group_ids: Iterable[int] | None = None) -> list[Event]:
        """Events whose bounds overlap [lo, hi] (seconds or datetimes), optionally only those
        linked to one of `group_ids`."""
        lo_ts = int(lo.timestamp()) if isinstance(lo, datetime) else int(lo)
        hi_ts = int(hi.timestamp()) if isinstance(hi, datetime) else int(hi)
        where = "start_lo <= ? AND COALESCE(end_hi, start_hi) >= ?"
        params: list = [hi_ts, lo_ts]
        if group_ids is not None:
            gids = list(group_ids)
            if not gids:
                return []
            where += (f" AND id IN (SELECT event_id FROM event_groups WHERE group_id IN "
                      f"({', '.join('?' * len(gids))}))")
            params += gids
        return self._events_where(where, params)

    def event_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM events").fetchone()[0]

    # ---- periods -------------------------------------------------------------------------
    def create_period(self, title: str, start: DateLike, end: DateLike | None = None, *,
                      color: str | None = None, description: str | None = None,
                      uid: str | None = None) -> Period:
        if not (title or "").strip():
            raise ProjectError("a period needs a title")
        check_fields({"title": title, "description": description, "color": color}, ProjectError)
        start_d = as_date(start)
        end_d = as_optional_date(end)
        self._check_span(start_d, end_d)
        with self._write() as db:
            cur = db.execute(
                f"INSERT INTO periods ({_PERIOD_DATES}, uid, title, color, description) "
                f"VALUES ({', '.join('?' * 16)})",
                [*self._date_cols(start_d), *self._date_cols(end_d), uid or new_uid(), title.strip(),
                 color, description],
            )
        return self.period(cur.lastrowid)

    def update_period(self, period_id: int, **fields) -> Period:
        """Change some fields of a period: any of title, start, end, color, description."""
        unknown = set(fields) - {"title", "start", "end", "color", "description"}
        if unknown:
            raise ProjectError(f"unknown period field(s): {', '.join(sorted(unknown))}")
        check_fields(fields, ProjectError)
        if "title" in fields:
            fields["title"] = (fields["title"] or "").strip()
            if not fields["title"]:
                raise ProjectError("a period needs a title")
        current = self.period(period_id)
        start_d = as_date(fields.pop("start")) if "start" in fields else current.start
        end = fields.pop("end", current.end)
        end_d = as_optional_date(end)
        self._check_span(start_d, end_d)
        with self._write() as db:
            assignments = ", ".join(f"{c.strip()} = ?" for c in _PERIOD_DATES.split(","))
            db.execute(f"UPDATE periods SET {assignments} WHERE id = ?",
                       [*self._date_cols(start_d), *self._date_cols(end_d), period_id])
            for key in ("title", "color", "description"):
                if key in fields:
                    db.execute(f"UPDATE periods SET {key} = ? WHERE id = ?", [fields[key], period_id])
        return self.period(period_id)

    def delete_period(self, period_id: int) -> dict:
        """Delete a period; returns its snapshot, which `restore_period` puts back exactly."""
        snapshot = self.period_snapshot(period_id)
        with self._write() as db:
            db.execute("DELETE FROM periods WHERE id = ?", [period_id])
        return snapshot

    _PERIOD_COLUMNS = f"id, uid, title, {_PERIOD_DATES}, color, description"

    def periods(self) -> list[Period]:
        rows = self.db.execute(f"SELECT {self._PERIOD_COLUMNS} FROM periods ORDER BY start_lo, id")
        return [_period_from_row(r) for r in rows]

    def period(self, period_id: int) -> Period:
        row = self.db.execute(f"SELECT {self._PERIOD_COLUMNS} FROM periods WHERE id = ?",
                              [period_id]).fetchone()
        if not row:
            raise ProjectError(f"no period with id {period_id}")
        return _period_from_row(row)

    # ---- search and stats ----------------------------------------------------------------
    def search(self, text: str, *, kinds: Sequence[str] = ("event", "source", "annotation"),
               limit: int = 50, marks: tuple[str, str] = ("[", "]")) -> list[SearchHit]:
        """Full-text search over events, sources and annotations; best matches first per kind."""
        query = fts_query(text)
        if not query:
            return []
        open_m, close_m = marks
        specs = {
            "event": ("events", "title", "uid", -1),
            "source": ("sources", "title", "uid", -1),
            "annotation": ("annotations", "quote", "uid", -1),
        }
        unknown = set(kinds) - set(specs)
        if unknown:
            raise ProjectError(f"cannot search {', '.join(sorted(unknown))}: kinds are {', '.join(specs)}")
        hits: list[SearchHit] = []
        for kind in kinds:
            table, title_col, uid_col, col = specs[kind]
            sql = (
                f"SELECT t.id, t.{uid_col}, t.{title_col}, "
                f"snippet({table}_fts, {col}, ?, ?, '…', 12), {table}_fts.rank "
                f"FROM {table}_fts JOIN {table} t ON t.rowid = {table}_fts.rowid "
                f"WHERE {table}_fts MATCH ? ORDER BY {table}_fts.rank LIMIT ?"
            )
            try:
                rows = self.db.execute(sql, [open_m, close_m, query, limit]).fetchall()
            except sqlite3.OperationalError as exc:
                raise ProjectError(f"cannot search for {text!r}: {exc}") from exc
            hits += [SearchHit(kind, r[0], r[1], r[2], r[3], r[4]) for r in rows]
        return hits

    _BRIEF_COLUMNS = ("e.id, e.title, e.start_text, e.start_lo, e.start_hi, e.start_precision, e.approximate, "
                      "e.uncertain")

    def event_briefs(self, text: str = "", *, near: tuple[int, int] | None = None,
                     within: int = 0, limit: int = 200) -> list[EventBrief]:
        """Up to `limit` events' ids, titles and starts, in one query whatever their number: those
        matching `text` (full-text, as `search`), best first; with no text, those overlapping
        `near` (lo, hi seconds) widened by `within` seconds, the nearest start to `near`'s lo first;
        with neither, the first by date."""
        sql, params = f"SELECT {self._BRIEF_COLUMNS} FROM events e", []
        if text.strip():
            query = fts_query(text)
            if not query:
                return []
            sql += (" JOIN events_fts ON events_fts.rowid = e.rowid WHERE events_fts MATCH ? "
                    "ORDER BY events_fts.rank")
            params = [query]
        elif near is not None:
            lo, hi = near
            sql += (" WHERE e.start_lo <= ? AND COALESCE(e.end_hi, e.start_hi) >= ? "
                    "ORDER BY ABS(e.start_lo - ?), e.start_lo, e.id")
            params = [hi + within, lo - within, lo]
        else:
            sql += " ORDER BY e.start_lo, e.id"
        try:
            rows = self.db.execute(f"{sql} LIMIT ?", [*params, int(limit)]).fetchall()
        except sqlite3.OperationalError as exc:
            raise ProjectError(f"cannot search for {text!r}: {exc}") from exc
        return [EventBrief(r[0], r[1], _fuzzy(*r[2:8])) for r in rows]

    def search_event_ids(self, text: str) -> set[int]:
        """Ids of every event matching `text` (for highlighting on the timeline)."""
        query = fts_query(text)
        if not query:
            return set()
        return {r for (r,) in self.db.execute(
            "SELECT rowid FROM events_fts WHERE events_fts MATCH ?", [query])}

    def stats(self) -> Stats:
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        first, last = self.db.execute("SELECT MIN(start_lo), MAX(COALESCE(end_hi, start_hi)) FROM events").fetchone()
        iso = lambda ts: None if ts is None else datetime.fromtimestamp(ts, timezone.utc).isoformat()  # noqa: E731
        return Stats(
            events=one("SELECT COUNT(*) FROM events"),
            groups=one("SELECT COUNT(*) FROM groups"),
            sources=one("SELECT COUNT(*) FROM sources"),
            annotations=one("SELECT COUNT(*) FROM annotations"),
            periods=one("SELECT COUNT(*) FROM periods"),
            events_without_evidence=one(
                "SELECT COUNT(*) FROM events WHERE id NOT IN (SELECT event_id FROM event_evidence)"),
            first=iso(first),
            last=iso(last),
        )


def _fuzzy(text, lo, hi, precision, approximate=0, uncertain=0) -> FuzzyDate | None:
    if lo is None:
        return None
    return FuzzyDate.from_bounds(text, lo, hi, precision, bool(approximate), bool(uncertain))


def _event_from_row(r: tuple, links, tags) -> Event:
    return Event(
        id=r[0], uid=r[1], title=r[2], description=r[3],
        start=_fuzzy(*r[4:10]), end=_fuzzy(*r[10:16]),
        location=r[16], latitude=r[17], longitude=r[18], event_type=r[19], fatalities=r[20],
        created_at=r[21], updated_at=r[22], groups=tuple(links), tags=tuple(tags), key_event=bool(r[23]),
    )


def _period_from_row(r: tuple) -> Period:
    return Period(id=r[0], uid=r[1], title=r[2], start=_fuzzy(*r[3:9]), end=_fuzzy(*r[9:15]),
                  color=r[15], description=r[16])

