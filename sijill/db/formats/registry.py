"""Every format Sijill reads or writes, by the name the command line and the dialogs use.

An importer is a reader class: `Reader(path, stored=digests, **options)` with `records()`,
`fraction()` and, where the file names actors, `actors()`; `run_import` writes what it yields. An
exporter is a function `export(project, path, selection, progress=None, cancelled=None) ->
ExportResult`. Formats that need Qt (the self-contained HTML with the timeline drawn by the
painter, the report as ODT or PDF) name a module under `desktop`: the command line and the window
load it; `db` itself never imports it.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from sijill.db.formats.records import ExchangeError


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: the file, how many records of each kind, and a note for the user."""

    path: Path
    counts: dict
    note: str | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        parts = ", ".join(f"{n} {kind}" for kind, n in self.counts.items())
        return f"wrote {self.path} ({parts or 'nothing'})" + (f"; {self.note}" if self.note else "")


@dataclass(frozen=True)
class Format:
    """A format: its name, what it is called in menus, file suffixes, and where its code lives."""

    name: str
    label: str
    suffixes: tuple[str, ...]
    module: str
    attribute: str
    needs_qt: bool = False
    description: str = ""

    def load(self):
        return getattr(importlib.import_module(self.module), self.attribute)

    @property
    def file_filter(self) -> str:
        patterns = " ".join(f"*{s}" for s in self.suffixes)
        return f"{self.label} ({patterns})"


IMPORTS = {f.name: f for f in (
    Format("acled", "ACLED export (CSV)", (".csv",), "sijill.db.formats.acled", "AcledReader",
           description="ACLED's 31-column CSV: actors matched to groups, outlets as sources, re-import updates"),
    Format("csv", "Spreadsheet (CSV)", (".csv", ".tsv", ".txt"), "sijill.db.formats.csv_import", "CsvReader",
           description="any CSV layout, its columns mapped to event fields"),
    Format("timelinejs", "TimelineJS (JSON or sheet CSV)", (".json", ".csv"), "sijill.db.formats.timelinejs",
           "TimelineJSReader", description="TimelineJS 3 JSON, or its Google-Sheet template saved as CSV"),
    Format("timeline-xml", "Timeline (.timeline)", (".timeline", ".xml"), "sijill.db.formats.timeline_xml",
           "TimelineXmlReader", description="files of the Timeline application (thetimelineproj)"),
    Format("native", "Sijill JSON", (".json",), "sijill.db.formats.native", "import_native",
           description="a whole Sijill project, merged by uid"),
    Format("w3c-annotations", "W3C Web Annotations (JSON-LD)", (".jsonld", ".json"), "sijill.db.formats.w3c_import",
           "import_w3c", description="annotations of the project's sources, back from a W3C collection"),
)}

EXPORTS = {f.name: f for f in (
    Format("csv", "Spreadsheet (CSV)", (".csv",), "sijill.db.formats.csv_export", "export_csv",
           description="one row per event, UTF-8 for Excel, dates as written and as bounds"),
    Format("timelinejs", "TimelineJS (JSON)", (".json",), "sijill.db.formats.timelinejs", "export_timelinejs",
           description="for TimelineJS 3: events, eras and title"),
    Format("html", "Web page (HTML, self-contained)", (".html", ".htm"), "sijill.desktop.exports.html_page", "export_html",
           needs_qt=True, description="the timeline, the events table and the citations in one offline file"),
    Format("report", "Report (Markdown, HTML, ODT, PDF)", (".md", ".html", ".odt", ".pdf"),
           "sijill.desktop.exports.report_documents", "export_report", needs_qt=True,
           description="a chronology with footnoted, graded evidence"),
    Format("geojson", "GeoJSON", (".geojson", ".json"), "sijill.db.formats.geojson", "export_geojson",
           description="the located events as points"),
    Format("ics", "Calendar (iCalendar)", (".ics",), "sijill.db.formats.ics", "export_ics",
           description="one calendar entry per event"),
    Format("native", "Sijill JSON", (".json",), "sijill.db.formats.native", "export_native",
           description="the whole project, exactly"),
    Format("w3c-annotations", "W3C Web Annotations (JSON-LD)", (".jsonld",), "sijill.db.formats.w3c", "export_w3c",
           description="every annotation as a W3C collection"),
)}


def check_output(project, path: str | Path) -> None:
    """Refuse to export onto the project's own file (or its WAL files): the export, written beside
    it and renamed over it, would replace the project."""
    target = Path(path).resolve()
    own = Path(project.path).resolve()
    if target in (own, own.with_name(own.name + "-wal"), own.with_name(own.name + "-shm")):
        raise ExchangeError(f"{path} is the project itself: choose another file to export to")


def import_format_for(path: str | Path) -> Format | None:
    """The import format a file most likely holds, from its suffix and first bytes (None: unsure)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".timeline":
        return IMPORTS["timeline-xml"]
    if suffix == ".jsonld":
        return IMPORTS["w3c-annotations"]
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096).decode("utf-8-sig", errors="replace")
    except OSError:
        return None
    if suffix in (".json", ""):
        if '"format": "sijill"' in head or '"format":"sijill"' in head:
            return IMPORTS["native"]
        if "AnnotationCollection" in head or '"Annotation"' in head:
            return IMPORTS["w3c-annotations"]
        if '"events"' in head:
            return IMPORTS["timelinejs"]
    if suffix == ".xml" and "<timeline" in head:
        return IMPORTS["timeline-xml"]
    if suffix in (".csv", ".tsv", ".txt"):
        first = head.splitlines()[0].lower() if head.strip() else ""
        if "event_id_cnty" in first and "event_date" in first:
            return IMPORTS["acled"]
        if "headline" in first and "year" in first:
            return IMPORTS["timelinejs"]
        return IMPORTS["csv"]
    return None
