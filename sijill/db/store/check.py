"""Checking a project file: SQLite's own quick check, foreign keys, and Sijill's domain rules.

A project is documented as an ordinary SQLite file that other tools (sqlite-utils, Datasette, the
`sqlite3` shell) may read and write, so what is in it cannot be trusted blindly: a millisecond
timestamp in `start_lo`, text where an integer belongs, a precision "fortnight", an annotation
offset past its source's text, a dangling group id. `check_project` finds each of these by row,
with plain SQL (one scan per table: about 0.1 s for 100,000 events), and never writes.

`Report.ok` is False when anything is wrong; `Report.damaged` when SQLite itself finds the file
damaged (then nothing may be written to it). `Project.open` runs the check and refuses a file
that fails it (`DamagedProjectError`, with the report); `sijill check` prints it; `sijill.db.store.repair`
copies what can be kept into a new file.
"""
from __future__ import annotations

import os
import sqlite3
import stat
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sijill.db.store import schema
from sijill.db.store.basics import ProjectError
from sijill.db.dates import PRECISIONS

# ±10,000 years around 1970, in seconds: a millisecond timestamp (1.7e12 for 2023) is outside.
MAX_SECONDS = 10_000 * 31_556_952
CREDIBILITY = range(1, 7)
# Tables a Sijill file has whatever its version: with these and no marks, it lost its marks.
CORE_TABLES = ("events", "groups", "sources", "annotations", "event_groups")


@dataclass(frozen=True)
class Finding:
    """One thing wrong: where (table, rowid, uid, column), the value found, and why it is wrong.
    `kind` is "file" (the file as a whole), "integrity" (SQLite's quick check), "foreign_key"
    or "rule" (Sijill's own rules)."""

    kind: str
    reason: str
    table: str | None = None
    rowid: int | None = None
    uid: str | None = None
    column: str | None = None
    value: object = None

    def text(self) -> str:
        where = ""
        if self.table:
            where = self.table
            if self.rowid is not None:
                where += f" row {self.rowid}"
            if self.uid:
                where += f" (uid {self.uid})"
            if self.column:
                where += f", {self.column}"
            where += ": "
        value = "" if self.value is None else f" [{_short(self.value)}]"
        return f"{where}{self.reason}{value}"

    def to_json(self) -> dict:
        d = asdict(self)
        if isinstance(d["value"], bytes):
            d["value"] = f"<{len(d['value'])} bytes>"
        return d


@dataclass
class Report:
    """What `check_project` found in one file."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    damaged: bool = False  # SQLite's quick check failed, or the file cannot be read as a project
    lost_marks: bool = False  # a Sijill project without application_id/user_version (.dump restored)
    seconds: float = 0.0
    locked: bool = False  # held by another program: could not be checked

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def refused(self) -> bool:
        """Whether `Project.open` refuses the file with this report: damaged, hand-broken rows, or
        lost marks (a file that is not SQLite, not ours or too new gets its own message)."""
        return self.lost_marks or any(f.kind != "file" for f in self.findings)

    def summary(self) -> str:
        if self.locked and self.ok:
            return f"{self.path}: not checked, another program holds it locked"
        if self.ok:
            return f"{self.path}: ok"
        what = "damaged" if self.damaged else "has rows that break Sijill's rules"
        if self.lost_marks and len(self.findings) == 1:
            what = "lost its marks"
        n = len(self.findings)
        return f"{self.path}: {what} ({n} problem{'s' * (n != 1)})"

    def text(self, limit: int | None = None, advice: bool = True) -> str:
        """The report in lines; `advice` adds how to repair it on the command line (a window,
        which has its own Repair button, leaves it out)."""
        lines = [self.summary()]
        shown = self.findings if limit is None else self.findings[:limit]
        lines += [f"  {f.text()}" for f in shown]
        if len(shown) < len(self.findings):
            lines.append(f"  … and {len(self.findings) - len(shown)} more (sijill check lists them all)")
        if advice and not self.ok:
            lines.append(f"  {self.advice()}")
        return "\n".join(lines)

    def advice(self) -> str:
        import shlex

        command = f"`sijill repair {shlex.quote(self.path)} NEW.sijill`"
        if self.lost_marks:
            return f"{command} copies it into a new file with its marks restored"
        return (f"{command} writes a new file with what can be recovered; "
                "the rows that break the rules are set aside in its `quarantine` table")

    def to_json(self) -> dict:
        return {"path": self.path, "ok": self.ok, "damaged": self.damaged, "lost_marks": self.lost_marks,
                "findings": [f.to_json() for f in self.findings]}


class DamagedProjectError(ProjectError):
    """The file fails its check (`.report` says what and where): refused, left as it is."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.text(limit=20))
        self.report = report


def _is_lock(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def _short(value, width: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= width else text[:width - 1] + "…"


def connect_read_only(path: Path, untouched: bool = False) -> sqlite3.Connection:
    """A read-only connection. With `untouched`, a file without a -wal beside it is read as
    immutable, so that a header that says WAL creates no -wal/-shm beside a file we refuse."""
    uri = f"{Path(path).resolve().as_uri()}?mode=ro"
    if untouched and not Path(f"{path}-wal").exists():
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, timeout=5)


def integrity_problems(path: Path) -> list[str]:
    """What SQLite's full integrity_check and foreign_key_check find in the file (slower than the
    quick_check done at every opening; for a self-test or a check on demand). Empty when sound."""
    conn = connect_read_only(path)
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
        dangling = conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()
    if dangling:
        problems.append(f"{len(dangling)} dangling references (first: {dangling[0]})")
    return problems


def check_project(path_or_project, *, rules: bool = True) -> Report:
    """Check a project file (a path, or an open `Project`) and return the `Report`; never writes."""
    t0 = time.perf_counter()
    conn = getattr(getattr(path_or_project, "db", None), "conn", None)
    path = Path(getattr(path_or_project, "path", path_or_project))
    report = Report(str(path))
    own = conn is None
    if own:
        problem = file_problem(path)
        if problem:
            report.damaged = True
            report.findings.append(Finding("file", problem))
            return report
        try:
            conn = connect_read_only(path, untouched=True)
        except sqlite3.Error as exc:
            report.damaged = True
            report.findings.append(Finding("file", f"cannot be opened ({exc})"))
            return report
    try:
        check_connection(conn, report, rules=rules)
    except sqlite3.OperationalError as exc:
        if not _is_lock(exc):
            raise
        report.locked = True  # another program holds it: not checked, not damaged
    finally:
        if own:
            conn.close()
    report.seconds = time.perf_counter() - t0
    return report


def file_problem(path: Path) -> str | None:
    """Why `path` cannot be a project file before SQLite reads it (missing, a folder, a FIFO or a
    device: those would hang or read without end; not SQLite), or None."""
    try:
        st = os.stat(path)  # follows links: a link to /dev/zero is a device
    except FileNotFoundError:
        return "no such file"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if stat.S_ISDIR(st.st_mode):
        return "is a folder, not a project file"
    if not stat.S_ISREG(st.st_mode):
        return "is not a regular file (a pipe, a device or a socket): refused"
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if head != schema.SQLITE_MAGIC:
        return "not a Sijill project (not an SQLite database)"
    return None


def check_connection(conn: sqlite3.Connection, report: Report, *, rules: bool = True) -> Report:
    """Fill `report` from an open connection: marks, quick_check, foreign keys, then the rules."""
    add = report.findings.append
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        if _is_lock(exc):
            raise  # held by another program: not damage
        report.damaged = True
        add(Finding("integrity", f"SQLite cannot read it ({exc})"))
        return report
    if app_id != schema.APPLICATION_ID:
        if app_id == 0 and version == 0 and all(t in tables for t in CORE_TABLES):
            report.lost_marks = True
            add(Finding("file", "a Sijill project that lost its marks (application_id and user_version are 0, "
                                "as after a restore from `sqlite3 .dump`)"))
        else:
            report.damaged = True
            add(Finding("file", "an SQLite database, but not a Sijill project"))
            return report
    elif version > schema.SCHEMA_VERSION:
        report.damaged = True
        add(Finding("file", f"written by a newer Sijill (schema version {version})"))
        return report
    try:
        for (message,) in conn.execute("PRAGMA quick_check(100)"):
            if message != "ok":
                report.damaged = True
                add(Finding("integrity", message))
    except sqlite3.DatabaseError as exc:
        if _is_lock(exc):
            raise
        report.damaged = True
        add(Finding("integrity", f"SQLite cannot read it ({exc})"))
    if report.damaged:
        return report  # the rows of a damaged file cannot be trusted to read at all
    try:
        _foreign_keys(conn, report)
        if rules:
            _rules(conn, report, tables)
    except sqlite3.DatabaseError as exc:
        if _is_lock(exc):
            raise
        report.damaged = True
        add(Finding("integrity", f"SQLite cannot read it ({exc})"))
    return report


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}


def _uid(conn, table: str, rowid, cache: dict) -> str | None:
    if table not in cache:
        cache[table] = "uid" in _columns(conn, table)
    if not cache[table] or rowid is None:
        return None
    row = conn.execute(f'SELECT uid FROM "{table}" WHERE rowid = ?', [rowid]).fetchone()
    return row[0] if row else None


def _foreign_keys(conn: sqlite3.Connection, report: Report) -> None:
    uid_cache: dict = {}
    fk_cache: dict = {}
    for table, rowid, parent, fkid in conn.execute("PRAGMA foreign_key_check").fetchall():
        if table not in fk_cache:
            fk_cache[table] = {r[0]: r[3] for r in conn.execute(f'PRAGMA foreign_key_list("{table}")')}
        column = fk_cache[table].get(fkid)
        value = None
        if column and rowid is not None:
            row = conn.execute(f'SELECT "{column}" FROM "{table}" WHERE rowid = ?', [rowid]).fetchone()
            value = row[0] if row else None
        report.findings.append(Finding("foreign_key", f"refers to no row of {parent}", table, rowid,
                                       _uid(conn, table, rowid, uid_cache), column, value))


def date_problems(prefix: str, lo, hi, precision, required: bool) -> list[tuple[str, str, object]]:
    """What is wrong with one stored date: [(column, reason, value)]; [] when it is right."""
    if not required and lo is None and hi is None and precision is None:
        return []
    out = []
    bounds_ok = True
    for name, v in (("lo", lo), ("hi", hi)):
        column = f"{prefix}_{name}"
        if v is None:
            out.append((column, "is missing", None))
            bounds_ok = False
        elif type(v) is not int:
            out.append((column, f"is not an integer (a {type(v).__name__})", v))
            bounds_ok = False
        elif not -MAX_SECONDS <= v <= MAX_SECONDS:
            hint = "; a timestamp in milliseconds?" if abs(v) < MAX_SECONDS * 1000 else ""
            out.append((column, f"is out of range (more than 10,000 years from 1970 in seconds{hint})", v))
            bounds_ok = False
    if bounds_ok and lo > hi:
        out.append((f"{prefix}_lo", f"is after {prefix}_hi ({hi})", lo))
    if precision not in PRECISIONS:
        out.append((f"{prefix}_precision", f"is not a known precision ({', '.join(PRECISIONS)})", precision))
    return out


def _bad_date_sql(prefix: str, required: bool, precision: bool = True) -> str:
    lo, hi, p = f"{prefix}_lo", f"{prefix}_hi", f"{prefix}_precision"
    precs = ", ".join(f"'{x}'" for x in PRECISIONS)
    bad = (f"typeof({lo}) != 'integer' OR typeof({hi}) != 'integer' OR {lo} > {hi} "
           f"OR {lo} NOT BETWEEN -{MAX_SECONDS} AND {MAX_SECONDS} "
           f"OR {hi} NOT BETWEEN -{MAX_SECONDS} AND {MAX_SECONDS}")
    if precision:
        bad += f" OR {p} IS NULL OR {p} NOT IN ({precs})"
    if required:
        return f"({bad})"
    present = f"{lo} IS NOT NULL OR {hi} IS NOT NULL" + (f" OR {p} IS NOT NULL" if precision else "")
    return f"(({present}) AND ({bad}))"


def _date_rules(conn, report: Report, table: str, columns: set[str], dates: tuple[tuple[str, bool], ...],
                span: bool) -> None:
    dates = tuple((p, req) for p, req in dates if f"{p}_lo" in columns)
    if not dates:
        return
    has_prec = {p: f"{p}_precision" in columns for p, _ in dates}
    where = [_bad_date_sql(p, req, has_prec[p]) for p, req in dates]
    if span:
        where.append("(typeof(end_hi) = 'integer' AND typeof(start_lo) = 'integer' AND end_hi < start_lo)")
    select = ["rowid", "uid" if "uid" in columns else "NULL"]
    for p, _ in dates:
        select += [f"{p}_lo", f"{p}_hi", f"{p}_precision" if has_prec[p] else "NULL"]
    sql = f'SELECT {", ".join(select)} FROM "{table}" WHERE {" OR ".join(where)} ORDER BY rowid'
    for row in conn.execute(sql).fetchall():
        rowid, uid, values = row[0], row[1], row[2:]
        problems = []
        for i, (p, req) in enumerate(dates):
            lo, hi, prec = values[3 * i:3 * i + 3]
            if not has_prec[p] and (lo is not None or hi is not None):
                prec = PRECISIONS[0]
            problems += date_problems(p, lo, hi, prec, req)
        if span and not problems:
            problems.append(("end_hi", f"the end is before the start (start_lo {values[0]})", values[4]))
        for column, reason, value in problems:
            report.findings.append(Finding("rule", reason, table, rowid, uid, column, value))


def _rules(conn: sqlite3.Connection, report: Report, tables: set[str]) -> None:
    add = report.findings.append
    cols = {t: _columns(conn, t) for t in ("events", "periods", "sources", "annotations", "event_groups",
                                           "event_evidence") if t in tables}
    if "events" in cols:
        _date_rules(conn, report, "events", cols["events"], (("start", True), ("end", False)), span=True)
    if "periods" in cols:
        _date_rules(conn, report, "periods", cols["periods"], (("start", True), ("end", False)), span=True)
    if "sources" in cols:
        _date_rules(conn, report, "sources", cols["sources"], (("published", False),), span=False)
        grades = ", ".join(f"'{g}'" for g in schema.RELIABILITY)
        for rowid, uid, value in conn.execute(
                f"SELECT rowid, uid, reliability FROM sources WHERE reliability IS NOT NULL "
                f"AND reliability NOT IN ({grades}) ORDER BY rowid").fetchall():
            add(Finding("rule", "is not a reliability grade (A to F)", "sources", rowid, uid, "reliability", value))
    if "annotations" in cols and "sources" in tables:
        orphaned = "a.orphaned" if "orphaned" in cols["annotations"] else "0"
        rows = conn.execute(
            f"""SELECT a.rowid, a.uid, a.start, a."end", {orphaned}, length(s.body), a.credibility
                FROM annotations a LEFT JOIN sources s ON s.id = a.source_id
                WHERE typeof(a.start) != 'integer' OR typeof(a."end") != 'integer' OR a.start < 0
                   OR a.start > a."end"
                   OR ({orphaned} = 0 AND s.id IS NOT NULL AND (a.start >= a."end" OR a."end" > length(s.body)))
                   OR (a.credibility IS NOT NULL AND (typeof(a.credibility) != 'integer'
                                                      OR a.credibility NOT BETWEEN 1 AND 6))
                ORDER BY a.rowid""").fetchall()
        for rowid, uid, start, end, orph, length, cred in rows:
            found = []
            ints = True
            for column, v in (("start", start), ("end", end)):
                if type(v) is not int:
                    found.append((column, f"is not an integer (a {type(v).__name__})", v))
                    ints = False
            if ints:
                if start < 0:
                    found.append(("start", "is negative", start))
                if start > end or (not orph and start == end):
                    found.append(("start", f"is not before end ({end})", start))
                elif not orph and length is not None and end > length:
                    found.append(("end", f"is past the end of its source's text ({length} characters)", end))
            if cred is not None and (type(cred) is not int or cred not in CREDIBILITY):
                found.append(("credibility", "is not a credibility grade (1 to 6)", cred))
            for column, reason, value in found:
                add(Finding("rule", reason, "annotations", rowid, uid, column, value))
    if "event_groups" in cols:
        roles = ", ".join(f"'{r}'" for r in schema.ROLES)
        for rowid, event_id, role in conn.execute(
                f"SELECT rowid, event_id, role FROM event_groups WHERE role IS NULL OR role NOT IN ({roles}) "
                "ORDER BY rowid").fetchall():
            add(Finding("rule", f"is not a role ({', '.join(schema.ROLES)}) (event {event_id})", "event_groups",
                        rowid, None, "role", role))
    if "event_evidence" in cols:
        stances = ", ".join(f"'{s}'" for s in schema.STANCES)
        for rowid, value in conn.execute(
                f"SELECT rowid, stance FROM event_evidence WHERE stance IS NULL OR stance NOT IN ({stances}) "
                "ORDER BY rowid").fetchall():
            add(Finding("rule", f"is not a stance ({', '.join(schema.STANCES)})", "event_evidence", rowid, None,
                        "stance", value))
        if "annotations" in tables:
            # Evidence names its source and, pinned, one of its passages: a passage of another source
            # would be quoted under the wrong source's name (and counted for it).
            for rowid, event_id, source_id, annotation_id, owner in conn.execute(
                    "SELECT e.rowid, e.event_id, e.source_id, e.annotation_id, a.source_id FROM event_evidence e "
                    "JOIN annotations a ON a.id = e.annotation_id WHERE a.source_id IS NOT e.source_id "
                    "ORDER BY e.rowid").fetchall():
                add(Finding("rule", f"is not the source of its passage {annotation_id} (source {owner}; "
                            f"event {event_id})", "event_evidence", rowid, None, "source_id", source_id))
