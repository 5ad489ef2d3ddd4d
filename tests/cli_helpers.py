"""What the command-line tests share: run `sijill` in-process, dump a project's database, and a
refusal that must leave the database exactly as it was."""
from __future__ import annotations

import sqlite3

from sijill.desktop.cli.main import run


def call(capsys, *args) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `sijill ARGS` run in this process."""
    code = run([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def dump(path) -> list[str]:
    """Every table's rows as SQL, to compare a project before and after a command."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def refused(capsys, path, *args, match: str) -> None:
    """The command fails with `match` on stderr, prints nothing on stdout, and changes nothing."""
    before = dump(path)
    code, out, err = call(capsys, *args)
    assert code == 1, (out, err)
    assert out == ""
    assert match in err, err
    assert dump(path) == before
