"""What every importer produces and every import reports: the shared interface of `sijill.db.formats`.

A reader (ACLED, CSV, TimelineJS, Timeline XML) turns a file into a stream of records: `GroupRecord`s
and `PeriodRecord`s first when the format has them, then `EventRecord`s, and a `RowError` for each
bad row instead of a record. The stream is written by `sijill.db.formats.apply.run_import` in one
transaction; any `RowError` rolls everything back and is reported with the others (file, row,
column, reason).

Records name groups by the name a file uses (an ACLED actor string, a TimelineJS group, a Timeline
category); `run_import` resolves them through the project's groups and aliases (`sijill.db.formats.actors`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sijill.db.store.basics import ProjectError
from sijill.db.dates import FuzzyDate

MAX_LISTED_ERRORS = 50


@dataclass(frozen=True, slots=True)
class RowError:
    """One bad row: `row` is the line of the file (the header is line 1) or the record's number,
    `column` the column or field at fault (None when the whole row is)."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ExchangeError(ProjectError):
    """An import or export cannot be done; the message says what and where."""


class ImportFailed(ExchangeError):
    """The file has bad rows: nothing was imported. `errors` lists up to MAX_LISTED_ERRORS of
    them; `total` counts all."""

    def __init__(self, path: str | Path, errors: list[RowError], total: int | None = None) -> None:
        self.path = Path(path)
        self.errors = list(errors[:MAX_LISTED_ERRORS])
        self.total = total if total is not None else len(errors)
        rows = all(e.row is not None and e.row > 1 for e in self.errors)
        what = "bad row" if rows else "problem"
        lines = [f"{self.path.name}: {self.total} {what}{'s' if self.total != 1 else ''}, nothing was imported"]
        lines += [f"  {e}" for e in self.errors]
        if self.total > len(self.errors):
            lines.append(f"  … and {self.total - len(self.errors)} more")
        super().__init__("\n".join(lines))


class ImportCancelled(ExchangeError):
    """The analyst cancelled an import: the project is as it was."""

    def __init__(self) -> None:
        super().__init__("the import was cancelled: nothing was imported")


class ExportCancelled(ExchangeError):
    """The analyst cancelled an export: no file was written (an earlier one is left as it was)."""

    def __init__(self) -> None:
        super().__init__("the export was cancelled: nothing was written")


def existing_file(path) -> Path:
    """`path` as a Path, or an ExchangeError saying it is missing or a folder."""
    path = Path(path)
    if not path.exists():
        raise ExchangeError(f"{path}: no such file")
    if path.is_dir():
        raise ExchangeError(f"{path}: is a folder, not a file")
    return path


def export_step(n: int, total: int, progress, cancelled, every: int = 1000) -> None:
    """Every `every` records of an export: stop when the analyst cancelled, else report progress."""
    if n % every == 0:
        if cancelled is not None and cancelled():
            raise ExportCancelled()
        if progress is not None:
            progress(n / max(total, 1))


@dataclass(slots=True)
class SourceRef:
    """A source an imported event cites: found again by its URL, else by outlet and title."""

    title: str
    outlet: str | None = None
    url: str | None = None
    published: FuzzyDate | None = None
    kind: str | None = None
    stance: str = "supports"
    note: str | None = None


@dataclass(slots=True)
class GroupRecord:
    """A group a file defines (a Timeline category): created unless one of that name exists."""

    name: str
    parent: str | None = None
    color: str | None = None
    kind: str | None = None
    description: str | None = None
    aliases: tuple[tuple[str, str | None], ...] = ()


@dataclass(slots=True)
class PeriodRecord:
    """A period a file defines (a TimelineJS era, a Timeline era): matched by title and start."""

    title: str
    start: FuzzyDate
    end: FuzzyDate | None = None
    color: str | None = None
    description: str | None = None


@dataclass(slots=True)
class EventRecord:
    """One event read from a file. `actors` are (name as the file writes it, role); `key` is the
    dataset's own id (ACLED's event_id_cnty) when it has one, `digest` a hash of the row as read:
    together they make a re-import update instead of duplicating, and skip unchanged rows."""

    title: str
    start: FuzzyDate
    end: FuzzyDate | None = None
    description: str | None = None
    actors: list[tuple[str, str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    event_type: str | None = None
    fatalities: int | None = None
    attributes: dict | str | None = None  # a dict, or the same already written as a JSON object
    sources: list[SourceRef] = field(default_factory=list)
    key: str | None = None
    digest: str | None = None
    uid: str | None = None
    row: int | None = None
    checked: bool = False  # the reader found every text of its row clean (db.text_rules.cells_clean)


@dataclass(slots=True)
class Unchanged:
    """A keyed row whose digest equals the one stored at its last import: nothing to write."""

    key: str
    row: int | None = None


@dataclass
class ImportResult:
    """What an import did (or, for a dry run, would do)."""

    format: str
    path: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    groups_created: list[str] = field(default_factory=list)
    groups_matched: dict[str, str] = field(default_factory=dict)
    periods_added: int = 0
    sources_added: int = 0
    dry_run: bool = False

    def to_json(self) -> dict:
        return {"format": self.format, "file": self.path, "dry_run": self.dry_run,
                "added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "groups_created": self.groups_created, "groups_matched": self.groups_matched,
                "periods_added": self.periods_added, "sources_added": self.sources_added}

    def summary(self) -> str:
        verb = "would add" if self.dry_run else "added"
        parts = [f"{verb} {self.added} event{'s' if self.added != 1 else ''}",
                 f"updated {self.updated}", f"unchanged {self.unchanged}"]
        if self.groups_created:
            parts.append(f"new groups: {', '.join(self.groups_created)}")
        if self.periods_added:
            parts.append(f"{self.periods_added} period{'s' if self.periods_added != 1 else ''}")
        if self.sources_added:
            parts.append(f"{self.sources_added} source{'s' if self.sources_added != 1 else ''}")
        return "; ".join(parts)
