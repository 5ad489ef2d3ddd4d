"""Repairing a project into a new file: what SQLite can still read, minus the rows that break the rules.

The damaged file is only read (mode=ro). A new project is created (fresh schema, full-text
indexes, and the marks `application_id`/`user_version`, which a `sqlite3 .dump` restore loses),
then each table is copied row by row: in chunks by rowid while the file reads, and rowid by
rowid past a damaged page. A row that the new schema refuses (NOT NULL, UNIQUE, CHECK), that
refers to a row that is gone, or that breaks a domain rule of `sijill.db.store.check` goes into the new file's
`quarantine` table (table, rowid, uid, reason and the row as JSON) and into `OUT.quarantine.json`.
The result passes `check_project`. A file from before schema version 10 gets the provenance its
migration would have given it (`changes.backfill_merged_by`): the change sets a merge copied in stay
merged in.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sijill.db.store.changes import backfill_merged_by, install_triggers
from sijill.db.store.check import check_connection, check_project, connect_read_only, file_problem, Report
from sijill.db.store.basics import ProjectError

CHUNK = 500
# Tables that are not data: the full-text indexes (rebuilt by triggers) and SQLite's own.
_SKIP_SUFFIXES = ("_fts", "_fts_data", "_fts_idx", "_fts_docsize", "_fts_config")


@dataclass
class RepairResult:
    out: Path
    copied: dict[str, int] = field(default_factory=dict)
    quarantined: list[dict] = field(default_factory=list)
    unreadable: dict[str, str] = field(default_factory=dict)  # table -> why rows may be missing
    cleared: list[dict] = field(default_factory=list)  # references to lost rows set to NULL
    source_report: Report | None = None
    out_report: Report | None = None

    def to_json(self) -> dict:
        return {"out": str(self.out), "copied": self.copied, "quarantined": self.quarantined,
                "unreadable": self.unreadable, "cleared": self.cleared,
                "source": self.source_report.to_json() if self.source_report else None,
                "ok": bool(self.out_report and self.out_report.ok)}

    def summary(self) -> str:
        lines = [f"wrote {self.out}: " + ", ".join(f"{n} {t}" for t, n in self.copied.items() if n)]
        for c in self.cleared:
            lines.append(f"  {c['table']} row {c['rowid']}: {c['column']} {c['value']} referred to a row that "
                         "is gone; cleared")
        for table, why in self.unreadable.items():
            lines.append(f"  {table}: some rows could not be read ({why})")
        if self.quarantined:
            lines.append(f"  {len(self.quarantined)} row(s) set aside in the `quarantine` table "
                         f"and {quarantine_json(self.out).name}:")
            for q in self.quarantined[:50]:
                uid = f" (uid {q['uid']})" if q.get("uid") else ""
                lines.append(f"    {q['table']} row {q['rowid']}{uid}: {q['reason']}")
            if len(self.quarantined) > 50:
                lines.append(f"    … and {len(self.quarantined) - 50} more")
        if self.out_report is not None:
            lines.append(f"  check of the new file: {'ok' if self.out_report.ok else self.out_report.summary()}")
        return "\n".join(lines)


def quarantine_json(out: Path) -> Path:
    return out.with_name(out.name + ".quarantine.json")


def _jsonable(v):
    if isinstance(v, bytes):
        return {"bytes": v.hex()}
    return v


def _read_rows(src: sqlite3.Connection, table: str, columns: list[str], result: RepairResult):
    """Yield (rowid, row) of `table`, skipping what cannot be read."""
    cols = ", ".join(f'"{c}"' for c in columns)
    last = None
    try:
        while True:
            where, params = ("WHERE rowid > ?", [last]) if last is not None else ("", [])
            rows = src.execute(f'SELECT rowid, {cols} FROM "{table}" {where} ORDER BY rowid LIMIT {CHUNK}',
                               params).fetchall()
            if not rows:
                return
            for row in rows:
                yield row[0], row[1:]
            last = rows[-1][0]
    except sqlite3.DatabaseError as exc:
        result.unreadable[table] = str(exc)
    # Past a damaged page: rowid by rowid up to the largest rowid we can learn.
    top = None
    try:
        top = src.execute(f'SELECT max(rowid) FROM "{table}"').fetchone()[0]
    except sqlite3.DatabaseError:
        pass
    start = (last or 0) + 1
    top = top if isinstance(top, int) and top >= start else start + 100_000
    for rowid in range(start, min(top, start + 2_000_000) + 1):
        try:
            row = src.execute(f'SELECT rowid, {cols} FROM "{table}" WHERE rowid = ?', [rowid]).fetchone()
        except sqlite3.DatabaseError:
            continue
        if row is not None:
            yield row[0], row[1:]


def repair_project(source: str | Path, out: str | Path) -> RepairResult:
    """Write the repaired copy of `source` to `out` (which must not exist) and return what happened."""
    from sijill.db.store.project import Project

    source, out = Path(source), Path(out)
    problem = file_problem(source)
    if problem:
        raise ProjectError(f"{source}: {problem}")
    if out.exists():
        raise ProjectError(f"{out}: a file of that name already exists")
    if out.resolve() == source.resolve():
        raise ProjectError("the repaired copy must be a new file, not the project itself")
    result = RepairResult(out)
    result.source_report = check_project(source)
    src = connect_read_only(source)
    try:
        try:
            src_tables = [r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        except sqlite3.DatabaseError as exc:
            raise ProjectError(f"{source}: nothing can be recovered, SQLite cannot read its schema ({exc})") from exc
        project = Project.create(out)
        try:
            _copy(src, project.db.conn, src_tables, result)
        finally:
            project.close()
    except BaseException:
        for leftover in (out, Path(f"{out}-wal"), Path(f"{out}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    quarantine_json(out).write_text(json.dumps(result.quarantined, ensure_ascii=False, indent=1), encoding="utf-8")
    result.out_report = check_project(out)
    return result


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    try:
        return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
    except sqlite3.DatabaseError:
        return []


def _on_delete(conn: sqlite3.Connection, table: str, column: str) -> str | None:
    for row in conn.execute(f'PRAGMA foreign_key_list("{table}")'):
        if row[3] == column:
            return row[6]
    return None


def _copy(src: sqlite3.Connection, dst: sqlite3.Connection, src_tables: list[str], result: RepairResult) -> None:
    dst.execute("PRAGMA foreign_keys = OFF")
    dst.execute("""CREATE TABLE IF NOT EXISTS quarantine (
        id INTEGER PRIMARY KEY, table_name TEXT NOT NULL, source_rowid INTEGER, uid TEXT,
        reason TEXT NOT NULL, row_json TEXT NOT NULL)""")
    dst_tables = [r[0] for r in dst.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND sql NOT LIKE 'CREATE VIRTUAL%'")]
    stored: dict[str, dict[int, dict]] = {}

    def quarantine(table: str, rowid, row: dict, reason: str) -> None:
        entry = {"table": table, "rowid": rowid, "uid": row.get("uid") if isinstance(row.get("uid"), str) else None,
                 "reason": reason, "row": {k: _jsonable(v) for k, v in row.items()}}
        result.quarantined.append(entry)
        dst.execute("INSERT INTO quarantine (table_name, source_rowid, uid, reason, row_json) VALUES (?, ?, ?, ?, ?)",
                    [table, rowid, entry["uid"], reason, json.dumps(entry["row"], ensure_ascii=False)])

    dst.execute("BEGIN")
    # The copy is not an edit: the source's own change log is copied, the triggers do not record it.
    for (trigger,) in dst.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                  "AND name LIKE 'sijill_log_%'").fetchall():
        dst.execute(f"DROP TRIGGER {trigger}")
    for table in dst_tables:
        if table == "quarantine" or table.startswith("sqlite_") or table.endswith(_SKIP_SUFFIXES):
            continue
        if table not in src_tables:
            continue
        try:
            src_cols = [r[1] for r in src.execute(f'PRAGMA table_info("{table}")')]
        except sqlite3.DatabaseError as exc:
            result.unreadable[table] = str(exc)
            continue
        dst_info = list(dst.execute(f'PRAGMA table_info("{table}")'))
        dst_cols = [r[1] for r in dst_info]
        columns = [c for c in src_cols if c in dst_cols]
        has_id = any(r[1] == "id" and r[5] == 1 for r in dst_info)  # id is the rowid
        if table == "meta":
            dst.execute("DELETE FROM meta")  # the source's title and uid, not the new file's
        placeholders = ", ".join("?" * len(columns))
        insert = f'INSERT INTO "{table}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) VALUES ({placeholders})'
        count = 0
        keep = stored.setdefault(table, {})
        for rowid, values in _read_rows(src, table, columns, result):
            row = dict(zip(columns, values))
            dst.execute("SAVEPOINT row")
            try:
                cur = dst.execute(insert, values)
            except sqlite3.DatabaseError as exc:
                dst.execute("ROLLBACK TO row")
                dst.execute("RELEASE row")
                quarantine(table, rowid, row, f"refused by the schema ({exc})")
                continue
            dst.execute("RELEASE row")
            keep[cur.lastrowid if not has_id else row.get("id", cur.lastrowid)] = (rowid, row)
            count += 1
        result.copied[table] = count
    # Rows that refer to rows that are gone, then rows that break the rules: set aside, repeatedly,
    # until the new file passes (removing a row can leave another dangling).
    for _ in range(5):
        report = Report("repaired")
        check_connection(dst, report)
        doomed = [(f.table, f.rowid, f.text()) for f in report.findings if f.table and f.rowid is not None]
        if not doomed:
            break
        seen = set()
        for f in report.findings:
            # A reference whose own rule is ON DELETE SET NULL (evidence pinned to a lost passage, a
            # group's lost parent) loses the reference, as a delete would have done, not the row.
            if f.kind == "foreign_key" and f.column and _on_delete(dst, f.table, f.column) == "SET NULL":
                dst.execute(f'UPDATE "{f.table}" SET "{f.column}" = NULL WHERE rowid = ?', [f.rowid])
                result.cleared.append({"table": f.table, "rowid": f.rowid, "column": f.column, "value": f.value})
                seen.add((f.table, f.rowid))
        for table, rowid, reason in doomed:
            if (table, rowid) in seen:
                continue
            seen.add((table, rowid))
            src_rowid, row = stored.get(table, {}).get(rowid, (rowid, {}))
            if not row:
                got = dst.execute(f'SELECT * FROM "{table}" WHERE rowid = ?', [rowid])
                names = [d[0] for d in got.description]
                values = got.fetchone()
                row = dict(zip(names, values)) if values else {}
            dst.execute(f'DELETE FROM "{table}" WHERE rowid = ?', [rowid])
            result.copied[table] = result.copied.get(table, 1) - 1
            quarantine(table, src_rowid, row, reason)
    if "change_sets" in src_tables and "merged_by" not in _columns(src, "change_sets"):
        backfill_merged_by(dst)  # a file from before schema version 10: what its migration would fill in
    install_triggers(dst)
    dst.execute("COMMIT")
    dst.execute("PRAGMA foreign_keys = ON")
