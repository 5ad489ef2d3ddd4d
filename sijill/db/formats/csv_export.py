"""Write the selected events as CSV: one row per event, for Excel, LibreOffice and pandas.

UTF-8 with a byte-order mark (Excel then reads Arabic and accents right), comma-separated, every
line ending CRLF as RFC 4180 says. Columns: the uid; the date as written and, beside it, the ISO
bounds (earliest/latest instant, UTC) and precision of the start and of the end, with the
approximate/uncertain flags; the groups in each role (semicolon lists); tags; type; location and
coordinates; fatalities; the evidence: how many citations, their grades ("B2; A1"), how many of
them cite a source whose text is a summary rather than the document's own words (`summaries`: a
quote from such a source is not the article's wording), whether any contradicts, and the sources' URLs; the description; then one column per attribute any selected
event carries (ACLED's admin1, sub_event_type, …). `sijill.db.formats.csv_import` reads this layout back
exactly (its column names are among the ones it recognises).

Formula injection: a text cell that a spreadsheet would run as a formula (it starts with =, +, -,
@, a tab or a carriage return) is written with a leading apostrophe, which spreadsheets show as
text and the importer removes. Numbers we write ourselves (coordinates, fatalities) are numbers.
"""
from __future__ import annotations
from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable
from pathlib import Path

from sijill.db.formats.records import export_step
from sijill.db.formats.registry import ExportResult
from sijill.db.formats.selection import EventSelection, select_event_ids

ROLES = ("actor", "target", "associated", "mentioned")
COLUMNS = ("uid", "title", "start", "end", "start_earliest", "start_latest", "precision", "end_earliest",
           "end_latest", "end_precision", "approximate", "uncertain", *ROLES, "tags", "event_type",
           "location", "latitude", "longitude", "fatalities", "evidence_count", "grades", "summaries", "contradicted",
           "source_urls", "description")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_APOSTROPHE = "''''"  # an SQL string literal holding one apostrophe
_FIRST = frozenset(_FORMULA)


def safe_cell(value: str | None) -> str:
    """Text a spreadsheet shows as text, never runs."""
    if not value:
        return ""
    return "'" + value if value.startswith(_FORMULA) else value


def _safe_sql(expr: str) -> str:
    """`safe_cell` in SQL: the rows come out of SQLite ready to write (a Python call per cell cost
    more than the rest of the export at 100,000 events)."""
    return (f"CASE WHEN substr({expr}, 1, 1) IN ('=', '+', '-', '@', char(9), char(13)) "
            f"THEN {_APOSTROPHE} || {expr} ELSE {expr} END")


def _iso_sql(column: str) -> str:
    return f"strftime('%Y-%m-%dT%H:%M:%SZ', {column}, 'unixepoch')"


_ROW_SQL = ", ".join([
    "e.id", _safe_sql("e.uid"), _safe_sql("e.title"), _safe_sql("e.start_text"), _safe_sql("e.end_text"),
    _iso_sql("e.start_lo"), _iso_sql("e.start_hi"), "e.start_precision", _iso_sql("e.end_lo"), _iso_sql("e.end_hi"),
    "e.end_precision", "CASE WHEN e.approximate THEN 'yes' ELSE '' END",
    "CASE WHEN e.uncertain THEN 'yes' ELSE '' END",
    _safe_sql("e.event_type"), _safe_sql("e.location"), "e.latitude", "e.longitude", "e.fatalities",
    _safe_sql("e.description"), "e.attributes",
])


_NO_LINKS = ("", "", "", "", "")
_NO_EVIDENCE = (0, "", 0, "", "")
_ROLE_INDEX = {role: i for i, role in enumerate(ROLES)}


class _Links:
    """Groups by role, tags and evidence of the exported events: three flat queries aggregated by
    SQLite, each event's cells made once (one correlated sub-query per row and column cost twice
    as much at 100,000 events; building lists per link in Python, half as much again)."""

    def __init__(self, db, only: str = "") -> None:
        self.groups: dict[int, list[str]] = {}
        for eid, role, names in db.execute(
                "SELECT event_id, role, group_concat(name, '; ') FROM (SELECT eg.event_id, eg.role, g.name "
                f"FROM event_groups eg JOIN groups g ON g.id = eg.group_id {only.format('eg.event_id')} "
                "ORDER BY eg.event_id, eg.role, g.position, g.id) GROUP BY event_id, role"):
            cells = self.groups.get(eid)
            if cells is None:
                cells = self.groups[eid] = ["", "", "", "", ""]
            cells[_ROLE_INDEX.get(role, 3)] = safe_cell(names)
        for eid, names in db.execute(
                "SELECT event_id, group_concat(name, '; ') FROM (SELECT et.event_id, t.name FROM event_tags et "
                f"JOIN tags t ON t.id = et.tag_id {only.format('et.event_id')} ORDER BY et.event_id, t.name) "
                "GROUP BY event_id"):
            cells = self.groups.get(eid)
            if cells is None:
                cells = self.groups[eid] = ["", "", "", "", ""]
            cells[4] = safe_cell(names)
        self.evidence: dict[int, tuple] = {}
        for eid, count, grades, summaries, contradicted, urls in db.execute(
                "SELECT event_id, COUNT(*), group_concat(grade, '; '), SUM(summary), MAX(stance = 'contradicts'), "
                "group_concat(url, char(30)) FROM (SELECT ev.event_id, ev.stance, CASE WHEN s.reliability IS NOT NULL "
                "THEN s.reliability || COALESCE(a.credibility, '') WHEN a.credibility IS NOT NULL "
                "THEN '?' || a.credibility END AS grade, NULLIF(s.url, '') AS url, s.summary != 0 AS summary "
                "FROM event_evidence ev "
                "JOIN sources s ON s.id = ev.source_id LEFT JOIN annotations a ON a.id = ev.annotation_id "
                f"{only.format('ev.event_id')} ORDER BY ev.event_id, ev.id) GROUP BY event_id"):
            if urls:
                urls = safe_cell("; ".join(dict.fromkeys(urls.split("\x1e"))))
            self.evidence[eid] = (count, grades or "", summaries or 0, "yes" if contradicted else "", urls or "")

    def cells(self, row: tuple) -> list:
        """A row of _ROW_SQL as the CSV's cells, attributes left out."""
        eid = row[0]
        return [*row[1:13], *self.groups.get(eid, _NO_LINKS), *row[13:18],
                *self.evidence.get(eid, _NO_EVIDENCE), row[18]]


def attribute_keys(project, ids: list[int]) -> list[str]:
    """The attribute names the events carry, in a stable order (one query)."""
    if not ids:
        return []
    rows = project.db.execute(
        "SELECT DISTINCT j.key FROM events e, json_each(e.attributes) j "
        "WHERE e.attributes IS NOT NULL AND json_valid(e.attributes) ORDER BY j.key").fetchall()
    return [k for (k,) in rows if k not in COLUMNS]


def _rows(project, ids: list[int], everything: bool):
    """(links, rows) of the selected events, in chronological order, attributes still as JSON."""
    db = project.db
    if everything:
        yield _Links(db)
        yield from db.execute(f"SELECT {_ROW_SQL} FROM events e ORDER BY e.start_lo, e.id")
        return
    db.execute("CREATE TEMP TABLE IF NOT EXISTS sijill_export_ids (pos INTEGER PRIMARY KEY, id INTEGER NOT NULL)")
    try:
        db.execute("DELETE FROM temp.sijill_export_ids")
        db.conn.executemany("INSERT INTO temp.sijill_export_ids (id) VALUES (?)", ((i,) for i in ids))
        yield _Links(db, "WHERE {} IN (SELECT id FROM temp.sijill_export_ids)")
        yield from db.execute(f"SELECT {_ROW_SQL} FROM temp.sijill_export_ids x JOIN events e ON e.id = x.id "
                              "ORDER BY x.pos")
    finally:
        db.execute("DROP TABLE IF EXISTS temp.sijill_export_ids")


def export_csv(project, path: str | os.PathLike, selection: EventSelection | None = None,
               progress: Callable[[float], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """Write the selected events (all when `selection` is None) to `path`; atomically."""
    path = Path(path)
    selection = selection or EventSelection()
    ids = select_event_ids(project, selection)
    keys = attribute_keys(project, ids)
    tmp = path.with_name(path.name + ".part")
    loads = json.loads
    try:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow([*COLUMNS, *(safe_cell(k) for k in keys)])  # a dataset's column names, too
            n = 0
            rows = _rows(project, ids, selection.is_everything)
            links = next(rows)
            for row in rows:
                attributes = row[-1]
                row = links.cells(row)
                if keys:
                    try:
                        found = loads(attributes) if attributes else {}
                    except json.JSONDecodeError:
                        found = {}
                    if not isinstance(found, dict):
                        found = {}
                    values = [found.get(k, "") for k in keys]
                    if not all(type(v) is str and v[:1] not in _FIRST for v in values):  # rare: the careful way
                        values = [safe_cell(str(v)) if v is not None else "" for v in values]
                    row += values
                writer.writerow(row)
                n += 1
                export_step(n, len(ids), progress, cancelled)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return ExportResult(path, {"events": len(ids)})
