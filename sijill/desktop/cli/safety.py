"""`sijill check`, `sijill repair` and `sijill backup`: the data-safety commands (no Qt).

`check` prints what is wrong with a project file and where (exit 1 when anything is); `repair`
writes a new file with what can be recovered, the rows that break the rules set aside in its
`quarantine` table; `backup` writes an online copy.
"""
from __future__ import annotations

from pathlib import Path

from sijill.db.store.backup import backup_project
from sijill.db.store.check import check_project
from sijill.db.store.repair import repair_project


def cmd_check(args, emit) -> None:
    report = check_project(Path(args.project))
    emit(args, report.to_json(), report.text())
    if not report.ok:
        args.exit_code = 1


def cmd_repair(args, emit) -> None:
    result = repair_project(Path(args.project), Path(args.out))
    emit(args, result.to_json(), result.summary())
    if not (result.out_report and result.out_report.ok):
        args.exit_code = 1


def cmd_backup(args, emit) -> None:
    out = backup_project(Path(args.project), Path(args.out) if args.out else None)
    emit(args, {"path": str(out)}, f"wrote {out}")


def add_parsers(sub, emit) -> None:
    """Add `check`, `repair` and `backup` to `sub` (desktop.cli's subparsers)."""

    def add(name: str, func, help: str):
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("project", help="the project file (.sijill)")
        p.add_argument("--json", action="store_true", help="print JSON")
        p.set_defaults(func=lambda args: func(args, emit))
        return p

    add("check", cmd_check, "check a project file: SQLite's quick check, foreign keys and Sijill's rules "
        "(exit 1 when anything is wrong)")
    p = add("repair", cmd_repair, "copy what can be recovered of a damaged project into a new file, "
            "setting aside the rows that break the rules")
    p.add_argument("out", help="the new file to write")
    p = add("backup", cmd_backup, "write an online backup of a project (default: PROJECT-YYYYMMDD-HHMMSS.sijill "
            "beside it)")
    p.add_argument("out", nargs="?", help="the file to write")
