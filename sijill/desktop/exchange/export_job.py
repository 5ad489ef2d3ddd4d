"""Running any exporter of `sijill.db.formats.registry.EXPORTS`, and previewing what it would write.

Qt-free (the exporters that need Qt load it themselves). Two formats write the whole project and
take no selection: Sijill JSON (`export_native`) and W3C annotations (`export_w3c`); they return
their document, turned here into an `ExportResult` like the others'. A preview is a real export
of the same selection to a temporary file: its first lines for text formats, its size for PDF and
ODT, so that what the dialog shows is what Export will write.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sijill.db.formats.registry import EXPORTS, ExportResult, Format, check_output
from sijill.db.formats.selection import EventSelection, select_event_ids

WHOLE_PROJECT = ("native", "w3c-annotations")
BINARY_SUFFIXES = (".pdf", ".odt")
PREVIEW_LINES = 40
PREVIEW_LINE_CHARS = 400
DOCUMENT_KINDS = {".md": "Markdown (.md)", ".html": "Web page (.html)", ".odt": "Word processor (.odt)",
                  ".pdf": "PDF (.pdf)"}
NATIVE_KINDS = ("events", "groups", "periods", "sources", "annotations")
COUNTS_FORMATS = ("html", "report")  # the formats whose exporter takes `counts`
COUNTS_UNITS = ("auto", "day", "week", "month")


def whole_project(fmt: Format) -> bool:
    """Whether the format writes the whole project, whatever the selection."""
    return fmt.name in WHOLE_PROJECT


def export_format_for(path: str | Path) -> Format | None:
    """The format a file name asks for: .json is Sijill JSON (as File ▸ Export always wrote it),
    otherwise the first format with that suffix."""
    suffix = Path(path).suffix.lower()
    if suffix == ".json":
        return EXPORTS["native"]
    return next((fmt for fmt in EXPORTS.values() if suffix in fmt.suffixes), None)


def suggested_name(title: str, fmt: Format, suffix: str | None = None) -> str:
    """A file name from the project's title: "Iraq 2014-2024.csv", "Iraq annotations.jsonld"."""
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", title).strip(" .") or "export"
    if fmt.name == "w3c-annotations":
        stem += " annotations"
    elif fmt.name == "report":
        stem += " report"
    return stem + (suffix or fmt.suffixes[0])


def run_export(project, fmt: Format | str, path: str | os.PathLike, selection: EventSelection | None = None,
               progress: Callable[[float], None] | None = None,
               cancelled: Callable[[], bool] | None = None, counts: str | None = None) -> ExportResult:
    """Write `path` in `fmt`; `counts` (auto, day, week or month) adds the counts chart to the
    formats that hold one (COUNTS_FORMATS), as `sijill export --counts` does. Raises ExchangeError
    (ExportCancelled when `cancelled()` turned true), ProjectError, OSError, or ImportError when
    the format's module is missing."""
    fmt = EXPORTS[fmt] if isinstance(fmt, str) else fmt
    export = fmt.load()
    path = Path(path)
    check_output(project, path)
    if fmt.name == "native":
        doc = export(project, path)
        return ExportResult(path, {kind: len(doc.get(kind) or ()) for kind in NATIVE_KINDS if doc.get(kind)})
    if fmt.name == "w3c-annotations":
        doc = export(project, path)
        total = doc.get("total", len((doc.get("first") or {}).get("items", ()))) if isinstance(doc, dict) else 0
        return ExportResult(path, {"annotations": total})
    extra = {"counts": counts} if counts and fmt.name in COUNTS_FORMATS else {}
    return export(project, path, selection, progress=progress, cancelled=cancelled, **extra)


def holds_counts(fmt: Format, suffix: str) -> bool:
    """Whether a file of `fmt` ending in `suffix` can hold the counts chart: the web page, and
    the report as HTML (a chart) or Markdown (a table); not ODT or PDF."""
    return fmt.name == "html" or (fmt.name == "report" and suffix in (".html", ".md"))


def selected_count(project, fmt: Format, selection: EventSelection) -> int:
    """Events the export would consider (ExchangeError when the selection cannot be read)."""
    if whole_project(fmt):
        return project.event_count()
    return len(select_event_ids(project, selection))


@dataclass(frozen=True)
class ExportPreview:
    """What an export to a temporary file wrote: the result, the file's size, and its first
    lines (None for PDF and ODT); `more` says whether the file goes on past them."""

    result: ExportResult
    size: int
    lines: list[str] | None
    more: bool


def preview_export(project, fmt: Format, suffix: str, selection: EventSelection | None,
                   folder: str | os.PathLike, counts: str | None = None) -> ExportPreview:
    """Export to a file in `folder` (then removed) and read back its beginning."""
    path = Path(folder) / f"preview{suffix}"
    try:
        result = run_export(project, fmt, path, selection, counts=counts)
        size = path.stat().st_size
        lines, more = None, False
        if suffix not in BINARY_SUFFIXES:
            lines = []
            with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
                for line in fh:
                    if len(lines) == PREVIEW_LINES:
                        more = True
                        break
                    line = line.rstrip("\r\n")
                    lines.append(line if len(line) <= PREVIEW_LINE_CHARS else line[:PREVIEW_LINE_CHARS] + " …")
    finally:
        path.unlink(missing_ok=True)
    return ExportPreview(result, size, lines, more)


def file_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB"):
        if n < 1024 or unit == "MB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:,.1f} GB"
