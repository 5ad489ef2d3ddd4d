"""One import: a file, its format and the analyst's choices, previewed, dry-run or written.

Qt-free. Formats come from `sijill.db.formats.registry.IMPORTS`: a reader class (ACLED, CSV, TimelineJS,
Timeline XML) is written by `run_import`, which has a dry run, progress and cancel of its own; a
whole-document function (Sijill JSON, W3C annotations) is dry-run inside a rolled-back
transaction (`sijill.db.store.snapshots.rolled_back`). Either way the result is an `Outcome`.

The analyst's choices are written in the same transaction as the import: the actors whose group
they changed (`remember_map`) and, for CSV, the column mapping (`remember_mapping`), so that a
cancelled or failed import remembers nothing and an undone one forgets them with the rest.
"""
from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from sijill.db.formats.actors import remember_map
from sijill.db.formats.apply import actor_preview, run_import, stored_digests
from sijill.db.formats.records import EventRecord, ExchangeError, ImportResult, RowError
from sijill.db.formats.registry import IMPORTS, Format, import_format_for
from sijill.db.store.snapshots import rolled_back
from sijill.desktop.undo_text import quoted

PREVIEW_ROWS = 20
SHORT_NAMES = {"acled": "ACLED", "csv": "CSV", "timelinejs": "TimelineJS", "timeline-xml": "Timeline",
               "native": "Sijill JSON", "w3c-annotations": "W3C annotations"}


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


@dataclass
class Outcome:
    """What an import did, or for a dry run would do: events added, updated and unchanged, the
    groups it creates, and per kind of record (events, groups, sources…) [added, updated, unchanged]."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    new_groups: list[str] = field(default_factory=list)
    kinds: dict[str, list[int]] = field(default_factory=dict)
    dry_run: bool = False

    @classmethod
    def of_result(cls, result: ImportResult) -> "Outcome":
        kinds = {"events": [result.added, result.updated, result.unchanged]}
        for kind, n in (("groups", len(result.groups_created)), ("sources", result.sources_added),
                        ("periods", result.periods_added)):
            if n:
                kinds[kind] = [n, 0, 0]
        return cls(result.added, result.updated, result.unchanged, list(result.groups_created), kinds,
                   result.dry_run)

    @classmethod
    def of_report(cls, report, dry_run: bool) -> "Outcome":
        """From a whole-document import's report (added/updated/unchanged dicts per kind)."""
        kinds: dict[str, list[int]] = {}
        for i, status in enumerate(("added", "updated", "unchanged")):
            for kind, n in (getattr(report, status, None) or {}).items():
                kinds.setdefault(kind, [0, 0, 0])[i] = n
        events = kinds.get("events", [0, 0, 0])
        return cls(*events, [], kinds, dry_run)

    def summary(self) -> str:
        """"Adds 300 events; updates 2; 5 unchanged; 4 new groups" (or "Added …" once done)."""
        verbs = ("Would add", "would update") if self.dry_run else ("Added", "updated")
        if set(self.kinds) - {"events", "groups", "sources", "periods"} or not self.kinds.get("events"):
            parts = [f"{kind}: {a:,} new, {u:,} updated, {s:,} unchanged" for kind, (a, u, s) in self.kinds.items()]
            return ("Would write " if self.dry_run else "Wrote ") + ("; ".join(parts) or "nothing")
        parts = [f"{verbs[0]} {_plural(self.added, 'event')}", f"{verbs[1]} {self.updated:,}",
                 f"{self.unchanged:,} unchanged"]
        if self.new_groups:
            parts.append(_plural(len(self.new_groups), "new group"))
        for kind in ("sources", "periods"):
            if kind in self.kinds:
                n = self.kinds[kind][0]
                parts.append(f"{n:,} new {kind if n != 1 else kind[:-1]}")
        return "; ".join(parts)


class ImportJob:
    """A file read in one format. `actor_map` holds the actors whose group the analyst changed
    (actor -> group name, "" for a new group of its own); `mapping` the CSV column -> field
    mapping (None: the reader's guess). Raises ImportError when the format's module is missing."""

    def __init__(self, project, fmt: Format | str, path: str | Path) -> None:
        self.project = project
        self.format = IMPORTS[fmt] if isinstance(fmt, str) else fmt
        self.path = Path(path)
        self.entry = self.format.load()
        self.is_reader = inspect.isclass(self.entry)
        self.actor_map: dict[str, str] = {}
        self.mapping: dict[str, str] | None = None
        self.header: list[str] | None = None

    @classmethod
    def for_path(cls, project, path: str | Path) -> "ImportJob":
        fmt = import_format_for(path)
        if fmt is None:
            raise ExchangeError(f"{Path(path).name}: cannot tell which format this file is in")
        return cls(project, fmt, path)

    @property
    def title(self) -> str:
        """The undo step's name: 'Import ACLED file “acled.csv”'."""
        return f"Import {SHORT_NAMES.get(self.format.name, self.format.label)} file {quoted(self.path.name)}"

    @property
    def maps_columns(self) -> bool:
        return self.format.name == "csv"

    def reader(self):
        """A fresh reader over the file (each pass needs its own)."""
        if not self.is_reader:
            raise ExchangeError(f"{self.format.label} is read whole, not record by record")
        options = {"mapping": self.mapping} if self.maps_columns and self.mapping is not None else {}
        # A row is skipped as unchanged by its digest, which knows nothing of the analyst's choices:
        # with actors mapped anew, every row is read again so that their events move to the groups chosen.
        stored = {} if self.actor_map else stored_digests(self.project, self.format.name)
        reader = self.entry(self.path, stored=stored, **options)
        self.header = getattr(reader, "header", None)
        return reader

    def columns(self, samples: int = 3) -> tuple[list[str], dict[str, str], list[list[str]]]:
        """A CSV file's header, the mapping to start from (the one remembered for this header,
        else the guess) and its first rows; read without a reader, which refuses a mapping
        without a title or a date."""
        from sijill.db.formats.csv_import import guess_mapping, remembered_mapping
        from sijill.db.formats.tabular import DelimitedFile

        file = DelimitedFile(self.path)
        rows, first = file.rows(), []
        try:
            for item in rows:
                if isinstance(item, RowError) or len(first) == samples:
                    break
                first.append(item[1])
        finally:
            rows.close()
        self.header = file.header
        return file.header, dict(remembered_mapping(self.project, file.header) or guess_mapping(file.header)), first

    def actors(self, reader) -> dict[str, str | None]:
        """Every actor the file names -> the group it lands in without the analyst's changes
        (None: a new group); empty for formats without actors."""
        if not callable(getattr(reader, "actors", None)):
            return {}
        return actor_preview(self.project, reader.actors())

    def preview(self, n: int = PREVIEW_ROWS) -> list[EventRecord]:
        """The first `n` events the file holds, as read (bad rows and unchanged rows skipped)."""
        records = (r for r in self.reader().records() if isinstance(r, EventRecord))
        return list(islice(records, n))

    def run(self, *, dry_run: bool = False, progress: Callable[[float], None] | None = None,
            cancelled: Callable[[], bool] | None = None) -> Outcome:
        """Import (or dry-run) the whole file in one transaction. Raises ImportFailed (bad rows,
        nothing written), ImportCancelled, or another ProjectError."""
        if not self.is_reader:
            if dry_run:
                with rolled_back(self.project):
                    report = self.entry(self.project, self.path)
            else:
                with self.project.batch(self.title, kind="import"):  # one change set, named as the undo step
                    report = self.entry(self.project, self.path)
            return Outcome.of_report(report, dry_run)
        reader = self.reader()
        if dry_run:
            return Outcome.of_result(run_import(self.project, reader, actor_map=self.actor_map, dry_run=True,
                                                progress=progress, cancelled=cancelled))
        with self.project.batch(self.title, kind="import"):
            result = run_import(self.project, reader, actor_map=self.actor_map, progress=progress,
                                cancelled=cancelled)
            if self.actor_map:
                remember_map(self.project, self.actor_map)
            if self.maps_columns and self.mapping is not None and self.header is not None:
                from sijill.db.formats.csv_import import remember_mapping

                remember_mapping(self.project, self.header, self.mapping)
        return Outcome.of_result(result)
