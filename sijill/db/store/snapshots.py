"""Whole-project states: copies of a project file taken and put back through SQLite's backup API,
and trial runs that are always rolled back.

An import may write 100,000 events, create groups and sources, and remember the analyst's
choices in the project's meta table; undoing it row by row would mean recording all of that.
Instead the import's undo command keeps two copies of the file, before and after
(`snapshot`), and `restore` copies one back page by page into the project's open connection
(`sqlite3.Connection.backup`): the Project object, its connection and WAL mode stay as they were
and only the content changes, in one step that other readers see whole. A copy costs what the
file weighs (about 1 KB per event) and a fraction of a second per 100 MB.

`rolled_back(project)` runs a block inside a transaction that is rolled back at its end: a dry run
of any writer (`import_native`, `import_w3c`) that has no dry run of its own.
"""
from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sijill.db.store.basics import ProjectError

SUFFIX = ".sijill-snapshot"


def snapshot(project, folder: str | os.PathLike | None = None) -> Path:
    """Copy the project as it is now into a new temporary file (in `folder`, else the system's
    temporary folder) and return its path; the caller removes it (`discard`)."""
    if project.db.conn.in_transaction:
        raise ProjectError("cannot take a snapshot inside a transaction")
    fd, name = tempfile.mkstemp(prefix="sijill-", suffix=SUFFIX, dir=folder)
    os.close(fd)
    path = Path(name)
    try:
        target = sqlite3.connect(str(path))
        try:
            project.db.conn.backup(target)
            # A plain file, whatever the project's journal mode: restoring it reads it immutable.
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
    except BaseException as exc:
        discard(path)
        if isinstance(exc, sqlite3.Error):
            raise ProjectError(f"cannot copy {project.path.name} for undo ({exc})") from exc
        raise
    return path


def restore(project, path: str | os.PathLike) -> None:
    """Make the open project hold exactly what the snapshot at `path` holds. The project stays
    open and valid (same connection, same journal mode); every row, index and trigger is the
    snapshot's."""
    if project.read_only:
        raise ProjectError(f"{project.path.name} is open read-only: it cannot be restored")
    if project.db.conn.in_transaction:
        raise ProjectError("cannot restore a snapshot inside a transaction")
    path = Path(path)
    if not path.is_file():
        raise ProjectError(f"the undo copy {path} is gone: the change cannot be undone")
    source = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
    try:
        source.backup(project.db.conn)
    except sqlite3.Error as exc:
        raise ProjectError(f"cannot restore {project.path.name} from {path.name} ({exc})") from exc
    finally:
        source.close()


def discard(*paths: str | os.PathLike | None) -> None:
    """Remove snapshot files (missing ones are fine: a finaliser may run twice)."""
    for path in paths:
        if path is not None:
            Path(path).unlink(missing_ok=True)


class _RollBack(Exception):
    """Raised at the end of a `rolled_back` block to undo what it wrote."""


@contextmanager
def rolled_back(project) -> Iterator[None]:
    """Run the block in one transaction that is always rolled back (nested writes become
    savepoints inside it): the project is left exactly as it was, errors propagate."""
    try:
        with project.batch():
            yield
            raise _RollBack()
    except _RollBack:
        pass
