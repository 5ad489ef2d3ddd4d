"""Write the selected events as CSV: one row per event, for Excel, LibreOffice and pandas.

UTF-8 with a byte-order mark (Excel then reads Arabic and accents right), comma-separated, every
line ending CRLF as RFC 4180 says. Columns: the uid; the date as written and, beside it, the ISO
bounds (earliest/latest instant, UTC) and precision of the start and of the end, with the
approximate/uncertain flags; the groups in each role (semicolon lists); tags; type; location and
coordinates; fatalities; the evidence: how many citations, their grades ("B2; A1"), whether any
contradicts, and the sources' URLs; the description; then one column per attribute any selected
event carries (ACLED's admin1, sub_event_type, …). `db.formats.csv_import` reads this layout back
exactly (its column names are among the ones it recognises).

Formula injection: a text cell that a spreadsheet would run as a formula (it starts with =, +, -,
@, a tab or a carriage return) is written with a leading apostrophe, which spreadsheets show as
text and the importer removes. Numbers we write ourselves (coordinates, fatalities) are numbers.
"""
from __future__ import annotations

import csv
import os
from collections.abc import Callable
from pathlib import Path

from db.formats.records import ExportCancelled
from db.formats.registry import ExportResult
from db.formats.selection import EventSelection, ExportEvent, export_events, select_event_ids

ROLES = ("actor", "target", "associated", "mentioned")
COLUMNS = ("uid", "title", "start", "end", "start_earliest", "start_latest", "precision", "end_earliest",
           "end_latest", "end_precision", "approximate", "uncertain", *ROLES, "tags", "event_type",
           "location", "latitude", "longitude", "fatalities", "evidence_count", "grades", "contradicted",
           "source_urls", "description")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str | None) -> str:
    """Text a spreadsheet shows as text, never runs."""
    if not value:
        return ""
    return "'" + value if value.startswith(_FORMULA) else value


def _iso(d) -> str:
    return d.isoformat().replace("+00:00", "Z") if d is not None else ""


def _number(value) -> str:
    if value is None:
        return ""
    return repr(value) if isinstance(value, float) else str(value)


def event_row(e: ExportEvent, attribute_keys: list[str]) -> list[str]:
    s = safe_cell
    grades = [c.grade for c in e.citations if c.grade]
    urls = list(dict.fromkeys(c.url for c in e.citations if c.url))
    row = [e.uid, s(e.title), s(e.start.text), s(e.end.text if e.end else ""), _iso(e.start.lo), _iso(e.start.hi),
           e.start.precision, _iso(e.end.lo if e.end else None), _iso(e.end.hi if e.end else None),
           e.end.precision if e.end else "", "yes" if e.start.approximate else "",
           "yes" if e.start.uncertain else ""]
    row += [s("; ".join(e.groups_in(role))) for role in ROLES]
    row += [s("; ".join(e.tags)), s(e.event_type), s(e.location), _number(e.latitude), _number(e.longitude),
            _number(e.fatalities), str(len(e.citations)), "; ".join(grades), "yes" if e.contradicted else "",
            s("; ".join(urls)), s(e.description)]
    row += [s(str(e.attributes.get(k, "")) if e.attributes.get(k) is not None else "") for k in attribute_keys]
    return row


def attribute_keys(project, ids: list[int]) -> list[str]:
    """The attribute names the selected events carry, in a stable order (one query)."""
    if not ids:
        return []
    rows = project.db.execute(
        "SELECT DISTINCT j.key FROM events e, json_each(e.attributes) j "
        "WHERE e.attributes IS NOT NULL AND json_valid(e.attributes) ORDER BY j.key").fetchall()
    return [k for (k,) in rows if k not in COLUMNS]


def export_csv(project, path: str | os.PathLike, selection: EventSelection | None = None,
               progress: Callable[[float], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """Write the selected events (all when `selection` is None) to `path`; atomically."""
    path = Path(path)
    ids = select_event_ids(project, selection)
    keys = attribute_keys(project, ids)
    tmp = path.with_name(path.name + ".part")
    try:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow([*COLUMNS, *keys])
            for n, event in enumerate(export_events(project, ids), start=1):
                writer.writerow(event_row(event, keys))
                if n % 2000 == 0:
                    if cancelled is not None and cancelled():
                        raise ExportCancelled()
                    if progress is not None:
                        progress(n / len(ids))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return ExportResult(path, {"events": len(ids)})
