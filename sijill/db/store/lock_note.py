"""The note an open window leaves beside its project: who holds it (host, user, pid, time).

`PROJECT.sijill.lock` is a small JSON file beside the project, never a row in it: writing to the
project to say that it is in use would itself be a write, and a read-only copy could not say so.
A second instance that finds a live note (a pid alive on this host, or another host's note less
than a day old) offers to open the project read-only. A note whose pid is dead, or another host's
older than a day, is stale: ignored and replaced. The note is advisory: SQLite's own locks still
keep two writers safe (see Project._write); the note says *who*, so that the analyst can choose.
"""
from __future__ import annotations

import getpass
import json
import os
import platform
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

SUFFIX = ".lock"
STALE_ELSEWHERE = timedelta(days=1)


@dataclass(frozen=True)
class LockNote:
    host: str
    user: str
    pid: int
    time: str  # ISO 8601, UTC

    def describe(self) -> str:
        when = self.time.replace("T", " ")[:16]
        return f"{self.user} on {self.host} (process {self.pid}, since {when} UTC)"


def note_path(project_path: str | os.PathLike) -> Path:
    return Path(f"{project_path}{SUFFIX}")


def _host() -> str:
    """This machine's name, from uname (no socket call: the app proves it opens none)."""
    return platform.node() or "unknown"


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return str(os.getuid()) if hasattr(os, "getuid") else "unknown"


def ours() -> LockNote:
    return LockNote(_host(), _user(), os.getpid(), datetime.now(timezone.utc).isoformat(timespec="seconds"))


def read(project_path: str | os.PathLike) -> LockNote | None:
    """The note beside the project, or None when there is none or it cannot be read as one."""
    try:
        data = json.loads(note_path(project_path).read_text(encoding="utf-8"))
        return LockNote(str(data["host"]), str(data["user"]), int(data["pid"]), str(data["time"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    except OSError:
        return False
    return True


def is_live(note: LockNote, now: datetime | None = None) -> bool:
    """Whether the note still means someone holds the project."""
    if note.host == _host():
        return _pid_alive(note.pid)
    try:
        written = datetime.fromisoformat(note.time)
    except ValueError:
        return False
    if written.tzinfo is None:
        written = written.replace(tzinfo=timezone.utc)
    return (now or datetime.now(timezone.utc)) - written < STALE_ELSEWHERE


def holder(project_path: str | os.PathLike) -> LockNote | None:
    """Another instance holding the project (a live note that is not this process's), or None."""
    note = read(project_path)
    if note is None or (note.host == _host() and note.pid == os.getpid()) or not is_live(note):
        return None
    return note


def write(project_path: str | os.PathLike) -> bool:
    """Leave this process's note beside the project (replacing a stale one); False when the
    folder cannot be written (the project is then read-only anyway)."""
    path = note_path(project_path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(asdict(ours())), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        return False
    return True


def remove(project_path: str | os.PathLike) -> None:
    """Remove the note if it is this process's (another instance's note, written since, stays)."""
    note = read(project_path)
    if note is not None and note.host == _host() and note.pid == os.getpid():
        try:
            note_path(project_path).unlink()
        except OSError:
            pass
