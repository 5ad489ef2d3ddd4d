"""Online backups of a project file (SQLite's backup API: consistent while the file is in use).

`backup_project(path, out)` writes one copy. The app keeps automatic ones in a `backups` folder
beside the project, named `STEM-YYYYMMDD-HHMMSS.sijill`: one before every migration and one a
day while the project is used, the last `keep` (7 by default, a setting) kept.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sijill.db.store.check import connect_read_only, file_problem
from sijill.db.store.basics import ProjectError

KEEP = 7
FOLDER = "backups"
_STAMP = re.compile(r"-(\d{8}-\d{6})(?:-(\d+))?\.sijill$")


@dataclass(frozen=True)
class Backup:
    path: Path
    taken: datetime
    events: int | None  # None when the copy cannot be read
    n: int = 1  # the second, third... backup taken within the same second


def _stamp(now: datetime | None = None) -> str:
    return (now or datetime.now()).strftime("%Y%m%d-%H%M%S")


def _free(path: Path) -> Path:
    """`path`, or the same name with -2, -3... when it exists."""
    if not path.exists():
        return path
    for n in range(2, 1000):
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        if not candidate.exists():
            return candidate
    raise ProjectError(f"{path}: too many backups of that name")


def backup_project(source: str | Path, out: str | Path | None = None) -> Path:
    """Copy `source` to `out` (default: `STEM-YYYYMMDD-HHMMSS.sijill` beside it) with the online
    backup API; `out` must not exist. Returns the path written."""
    source = Path(source)
    problem = file_problem(source)
    if problem:
        raise ProjectError(f"{source}: {problem}")
    if out is None:
        out = _free(source.with_name(f"{source.stem}-{_stamp()}.sijill"))
    out = Path(out)
    if out.exists():
        raise ProjectError(f"{out}: a file of that name already exists")
    if not out.parent.is_dir():
        raise ProjectError(f"{out}: the folder {out.parent} does not exist")
    src = connect_read_only(source)
    dst = None
    try:
        dst = sqlite3.connect(str(out))
        src.backup(dst)
        dst.close()
        dst = None
    except sqlite3.Error as exc:
        if dst is not None:
            dst.close()
        out.unlink(missing_ok=True)
        raise ProjectError(f"{source}: cannot be backed up ({exc})") from exc
    finally:
        src.close()
    for leftover in (Path(f"{out}-wal"), Path(f"{out}-shm")):
        leftover.unlink(missing_ok=True)
    return out


def backup_folder(project_path: str | Path) -> Path:
    return Path(project_path).parent / FOLDER


def list_backups(project_path: str | Path) -> list[Backup]:
    """The automatic backups of a project, newest first, with their event counts."""
    project_path = Path(project_path)
    folder = backup_folder(project_path)
    if not folder.is_dir():
        return []
    out = []
    for p in folder.glob(f"{glob_escape(project_path.stem)}-*.sijill"):
        m = _STAMP.search(p.name)
        if not m or p.name[:m.start()] != project_path.stem:
            continue
        taken = datetime.strptime(m.group(1), "%Y%m%d-%H%M%S")
        out.append(Backup(p, taken, _event_count(p), int(m.group(2) or 1)))
    out.sort(key=lambda b: (b.taken, b.n), reverse=True)
    return out


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _event_count(path: Path) -> int | None:
    try:
        conn = connect_read_only(path)
        try:
            return conn.execute("SELECT count(*) FROM events").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def automatic_backup(project_path: str | Path, keep: int = KEEP, *, daily: bool = False) -> Path | None:
    """Back `project_path` up into its `backups` folder and keep the last `keep`. With `daily`,
    only when no backup was taken today. Returns the new backup, or None when none was needed."""
    project_path = Path(project_path)
    existing = list_backups(project_path)
    if daily and any(b.taken.date() == datetime.now().date() for b in existing):
        return None
    folder = backup_folder(project_path)
    folder.mkdir(exist_ok=True)
    stamp = _stamp()
    # A later backup in the same second gets a higher number (never a pruned one's name back).
    n = max((b.n for b in existing if b.taken.strftime("%Y%m%d-%H%M%S") == stamp), default=0) + 1
    name = f"{project_path.stem}-{stamp}" + (f"-{n}" if n > 1 else "") + ".sijill"
    made = backup_project(project_path, _free(folder / name))
    prune_backups(project_path, keep)
    return made


def prune_backups(project_path: str | Path, keep: int = KEEP) -> list[Path]:
    removed = []
    for b in list_backups(project_path)[max(keep, 1):]:
        b.path.unlink(missing_ok=True)
        removed.append(b.path)
    return removed


def restore_backup(backup: str | Path, project_path: str | Path) -> Path:
    """Copy a backup beside the project as a new file (`STEM-restored-YYYYMMDD-HHMMSS.sijill`),
    never over the project; returns the new file's path."""
    project_path = Path(project_path)
    out = _free(project_path.with_name(f"{project_path.stem}-restored-{_stamp()}.sijill"))
    return backup_project(backup, out)
