"""`sijill diff A B` and `sijill merge INTO FROM`: comparing and merging two analysts' copies (no Qt).

`diff` lists what differs, record by record and field by field, and exits as diff(1) does: 0 when
the files hold the same records, 1 when they differ, 2 when one cannot be read (so that a script
can tell "differ" from "failed"). `merge` merges FROM into INTO (see sijill.db.merge) and exits 0
when nothing conflicts, 3 when conflicts remain (INTO's value kept for each, all listed);
`--dry-run` writes nothing and prints what would be done. A file that cannot be read as a project
is an error naming it (exit 1; diff: 2).
"""
from __future__ import annotations

from sijill.db.merge import diff_files, merge_files

CONFLICTS_EXIT = 3
DIFFER_EXIT, DIFF_TROUBLE_EXIT = 1, 2


def cmd_diff(args, emit) -> None:
    diff = diff_files(args.a, args.b)
    emit(args, diff.to_json(), diff.text())
    if not diff.empty:
        args.exit_code = DIFFER_EXIT


def cmd_merge(args, emit) -> None:
    result = merge_files(args.into, args.from_, dry_run=args.dry_run, analyst=args.analyst)
    emit(args, result.to_json(), result.text())
    if result.plan.conflicts:
        args.exit_code = CONFLICTS_EXIT


def add_parsers(sub, emit) -> None:
    """Add `diff` and `merge` to `sub` (desktop.cli's subparsers)."""
    help = ("list what differs between two project files, record by record and field by field; exit 0 when "
            "they hold the same records, 1 when they differ, 2 when one cannot be read (as diff(1))")
    p = sub.add_parser("diff", help=help, description=help)
    p.set_defaults(error_exit_code=DIFF_TROUBLE_EXIT)
    p.add_argument("a", metavar="A", help="a project file (.sijill)")
    p.add_argument("b", metavar="B", help="another project file, usually a copy of A edited elsewhere")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=lambda args: cmd_diff(args, emit))
    help = ("merge FROM into INTO: changes made in FROM only are applied in one step; fields changed on both sides, "
            "or edited on one and deleted on the other, keep INTO's value and are listed (exit 3)")
    p = sub.add_parser("merge", help=help, description=help)
    p.add_argument("into", metavar="INTO", help="the project file to merge into (written)")
    p.add_argument("from_", metavar="FROM", help="the project file to merge from (only read)")
    p.add_argument("--dry-run", action="store_true", help="print what would be done, writing nothing")
    p.add_argument("--analyst", help="the name the merge is recorded under (default: SIJILL_ANALYST or the "
                   "user name)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=lambda args: cmd_merge(args, emit))
