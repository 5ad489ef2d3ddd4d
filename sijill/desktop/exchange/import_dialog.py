"""File ▸ Import: what a file holds and what importing it would do, before anything is written.

The analyst picks a file (the format is guessed by `import_format_for` and can be changed) and
sees, in tabs: the first events as read; for files that name actors (ACLED, CSV) each actor with
the group it will land in, to change; for CSV each column with the field it fills, to change; and
the bad rows, if any (row, column, reason; up to 50, then how many more). Under the tabs, the
counts of a dry run over the whole file (added, updated, unchanged, new groups), updated as the
choices change. Import runs the real thing under a progress dialog with Cancel, as one undo step.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QFrame, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QTabWidget, QVBoxLayout, QWidget)

from sijill.db.store.basics import ProjectError
from sijill.db.formats.actors import remembered_map
from sijill.db.formats.records import MAX_LISTED_ERRORS, EventRecord, ImportCancelled, ImportFailed, RowError
from sijill.db.formats.registry import IMPORTS, import_format_for
from sijill.desktop.exchange.import_command import ImportCommand, perform_import
from sijill.desktop.exchange.import_job import PREVIEW_ROWS, ImportJob, Outcome
from sijill.desktop.exchange.import_preview import PreviewTable, ProblemsTable
from sijill.desktop.exchange.import_tables import ActorTable, ColumnTable
from sijill.desktop.exchange.progress import Progress
from sijill.desktop.hub import ProjectHub

NOTE_STYLE = "color: #555;"
ERROR_STYLE = "color: #b71c1c;"
SUMMARY_STYLE = "QFrame#import_summary_box { background: #f3f6fa; border: 1px solid #cfd8e3; border-radius: 4px; }"
RECHECK_MS = 400


def file_filter() -> str:
    patterns = sorted({f"*{s}" for fmt in IMPORTS.values() for s in fmt.suffixes})
    return ";;".join([f"Files Sijill can import ({' '.join(patterns)})",
                      *(fmt.file_filter for fmt in IMPORTS.values()), "All files (*)"])


class ImportDialog(QDialog):
    """Shows what importing a file would do; Import writes it (one undo step on `undo_stack`).
    After acceptance `outcome` says what was imported."""

    def __init__(self, hub: ProjectHub, undo_stack: QUndoStack, parent: QWidget | None = None, *,
                 path: str | Path | None = None, folder: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("import_dialog")
        self.setWindowTitle("Import")
        self.hub, self.project, self.undo_stack = hub, hub.project, undo_stack
        self.folder = folder
        self.job: ImportJob | None = None
        self.checked: Outcome | None = None  # the dry run of the current choices
        self.outcome: Outcome | None = None  # what Import did
        self.command: ImportCommand | None = None
        self._new_at_check: set[str] = set()

        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("Choose a file: ACLED or other CSV, TimelineJS, Timeline, Sijill JSON…")
        self.path_edit.editingFinished.connect(self._path_edited)
        browse = QPushButton("Choose…")
        browse.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.format_combo = QComboBox()
        self.format_combo.setObjectName("import_format")
        for fmt in IMPORTS.values():
            self.format_combo.addItem(fmt.label, fmt.name)
        self.format_combo.activated.connect(lambda _i: self.reload())
        self.format_note = QLabel()
        self.format_note.setStyleSheet(NOTE_STYLE)
        format_row = QHBoxLayout()
        format_row.addWidget(self.format_combo)
        format_row.addWidget(self.format_note, 1)
        form = QFormLayout()
        form.addRow("File", path_row)
        form.addRow("Format", format_row)

        self.preview_table = PreviewTable()
        self.actor_table = ActorTable()
        self.actor_table.changed.connect(self._show_summary)
        self.column_table = ColumnTable()
        self.column_table.changed.connect(lambda: self._recheck.start())
        self.problems_table = ProblemsTable()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("import_tabs")
        self.tab_preview = self.tabs.addTab(self.preview_table, "Preview")
        self.tab_actors = self.tabs.addTab(self.actor_table, "Actors → groups")
        self.tab_columns = self.tabs.addTab(self.column_table, "Columns → fields")
        self.tab_problems = self.tabs.addTab(self.problems_table, "Problems")

        self.summary = QLabel()
        self.summary.setObjectName("import_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary_note = QLabel("Nothing is written until you press Import; Edit ▸ Undo takes an import back.")
        self.summary_note.setStyleSheet(NOTE_STYLE)
        box = QFrame()
        box.setObjectName("import_summary_box")
        box.setStyleSheet(SUMMARY_STYLE)
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(10, 8, 10, 8)
        box_layout.addWidget(self.summary)
        box_layout.addWidget(self.summary_note)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(box)
        layout.addWidget(self.buttons)

        self._recheck = QTimer(self)
        self._recheck.setSingleShot(True)
        self._recheck.setInterval(RECHECK_MS)
        self._recheck.timeout.connect(self.check)
        self.resize(1020, 640)
        if path:
            self.set_path(path)
        else:
            self._clear()
            self._set_summary("Choose the file to import.")

    # ---- the file and its format ----------------------------------------------------------------
    def browse(self) -> None:
        start = self.path_edit.text() or self.folder
        path, _ = QFileDialog.getOpenFileName(self, "Import", start, file_filter())
        if path:
            self.set_path(path)

    def set_path(self, path: str | Path) -> None:
        """Show `path`, guess its format, and read it."""
        self.path_edit.setText(str(path))
        fmt = import_format_for(path)
        if fmt is not None:
            self.format_combo.setCurrentIndex(self.format_combo.findData(fmt.name))
        self.reload()

    def set_format(self, name: str) -> None:
        self.format_combo.setCurrentIndex(self.format_combo.findData(name))
        self.reload()

    def _path_edited(self) -> None:
        if self.job is None or Path(self.path_edit.text().strip()) != self.job.path:
            self.set_path(self.path_edit.text().strip())

    def reload(self) -> None:
        """Read the file afresh in the chosen format: column mapping, then `check`."""
        self._recheck.stop()
        self._clear()
        fmt = IMPORTS[self.format_combo.currentData()]
        self.format_note.setText(fmt.description)
        text = self.path_edit.text().strip()
        path = Path(text)
        if not text:
            self._set_summary("Choose the file to import.")
            return
        if not path.is_file():
            self._problem(f"{path}: no such file")
            return
        try:
            job = ImportJob(self.project, fmt, path)
        except ImportError as exc:
            self._problem(f"{fmt.label} files cannot be read by this version of Sijill ({exc})")
            return
        if job.maps_columns:
            from sijill.db.formats.csv_import import FIELD_LABELS, FIELDS

            try:
                header, job.mapping, samples = job.columns()
            except (ProjectError, OSError) as exc:
                self._failed(exc)
                return
            self.column_table.set_columns(header, job.mapping, samples, FIELDS, FIELD_LABELS)
            self.tabs.setTabVisible(self.tab_columns, True)
            self.tabs.setTabText(self.tab_columns, f"Columns → fields ({len(header)})")
        self.job = job
        self.check()

    # ---- what it holds and would do -------------------------------------------------------------
    def check(self) -> None:
        """Preview the first events, list the actors, and dry-run the whole file."""
        job = self.job
        if job is None:
            return
        self.checked = None
        self.import_button.setEnabled(False)
        self.tabs.setTabVisible(self.tab_problems, False)
        if job.maps_columns:
            job.mapping = self.column_table.mapping()
        try:
            if job.is_reader:
                reader = job.reader()
                actors = job.actors(reader)
                self.actor_table.set_actors(actors, self.project.groups(), remembered_map(self.project),
                                            keep=self.actor_table.changes())
                self.tabs.setTabVisible(self.tab_actors, bool(actors))
                self.tabs.setTabText(self.tab_actors, f"Actors → groups ({len(actors)})")
                self._show_records(job.preview())
            job.actor_map = self.actor_table.changes()
            self._new_at_check = set(self.actor_table.new_groups())
            with Progress(self, f"Checking {job.path.name}…", title="Import") as progress:
                outcome = job.run(dry_run=True, progress=progress.update, cancelled=progress.cancelled)
        except ImportCancelled:
            self._set_summary("The check was cancelled: the counts are unknown. Change a choice or reopen "
                              "the file to check again.", error=True)
            return
        except (ProjectError, OSError) as exc:
            self._failed(exc)
            return
        if not job.is_reader:
            self.preview_table.show_kinds(outcome.kinds)
        self.checked = outcome
        self.import_button.setEnabled(True)
        self._show_summary()

    def _show_records(self, records: list[EventRecord]) -> None:
        self.preview_table.show_records(records)
        self.tabs.setTabText(self.tab_preview, f"Preview (first {len(records)})" if len(records) == PREVIEW_ROWS
                             else f"Preview ({len(records)})")

    def new_groups(self) -> list[str]:
        """The groups Import would create: the dry run's, as changed since in the actor table."""
        if self.checked is None:
            return []
        existing = {g.name for g in self.project.groups()}
        kept = [g for g in self.checked.new_groups if g not in self._new_at_check]
        return list(dict.fromkeys(kept + [g for g in self.actor_table.new_groups() if g not in existing]))

    def _show_summary(self) -> None:
        o = self.checked
        if o is None:
            return
        if self.job is not None and not self.job.is_reader:  # a whole document: totals, the kinds under Preview
            added, updated, same = (sum(c[i] for c in o.kinds.values()) for i in range(3))
            self._set_summary(f"Import will write <b>{added:,}</b> new record{'s' if added != 1 else ''} and update "
                              f"<b>{updated:,}</b>; <b>{same:,}</b> unchanged (each kind under Preview).")
            return
        groups = self.new_groups()
        parts = [f"<b>{o.added:,}</b> new event{'s' if o.added != 1 else ''}",
                 f"<b>{o.updated:,}</b> updated", f"<b>{o.unchanged:,}</b> unchanged"]
        line = "Import will write " + ", ".join(parts)
        if groups:
            shown = ", ".join(groups[:6]) + (f" and {len(groups) - 6} more" if len(groups) > 6 else "")
            line += f"; <b>{len(groups)}</b> new group{'s' if len(groups) != 1 else ''}: {_html(shown)}"
        else:
            line += "; no new group"
        if "sources" in o.kinds:
            line += f"; {o.kinds['sources'][0]:,} new source{'s' if o.kinds['sources'][0] != 1 else ''}"
        self._set_summary(line + ".")

    # ---- problems -------------------------------------------------------------------------------
    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, ImportFailed):
            self._show_errors(exc.errors, exc.total)
        else:
            self._problem(str(exc))

    def _problem(self, message: str) -> None:
        self._show_errors([RowError(None, None, message)], 1)

    def _show_errors(self, errors: list[RowError], total: int) -> None:
        self.checked = None
        self.import_button.setEnabled(False)
        listed = errors[:MAX_LISTED_ERRORS]
        self.problems_table.show_errors(listed, total)
        self.tabs.setTabVisible(self.tab_problems, True)
        self.tabs.setTabText(self.tab_problems, f"Problems ({total:,})")
        mapping = self.job is not None and self.job.maps_columns and all(e.row == 1 and not e.column for e in listed)
        self.tabs.setCurrentIndex(self.tab_columns if mapping else self.tab_problems)
        if mapping:  # the header is fine, the mapping is not: the Columns tab is where to fix it
            text = _html("; ".join(e.message[:1].upper() + e.message[1:] for e in listed)) + \
                ": choose the field of each column under Columns → fields."
        elif any(e.row is not None for e in listed):
            text = (f"{total:,} problem{'s' if total != 1 else ''} in the file: nothing can be imported until "
                    f"{'they are' if total != 1 else 'it is'} fixed (see Problems).")
        else:
            text = "This file cannot be imported: " + _html(listed[0].message if listed else "")
        self._set_summary(text, error=True)

    # ---- import ---------------------------------------------------------------------------------
    def accept(self) -> None:
        """Import under a progress dialog; on success push the undo step and close."""
        if self._recheck.isActive():  # a column was changed a moment ago: check that first
            self.check()
        job = self.job
        if job is None or self.checked is None:
            return
        job.actor_map = self.actor_table.changes()
        if job.maps_columns:
            job.mapping = self.column_table.mapping()
        progress = Progress(self, f"Importing {job.path.name}…", title="Import")
        try:
            command, outcome = perform_import(
                self.hub, job.title, lambda: job.run(progress=progress.update, cancelled=progress.cancelled))
        except ImportCancelled:
            self._set_summary("The import was cancelled: nothing was imported.", error=True)
            return
        except (ProjectError, OSError) as exc:
            self._failed(exc)
            return
        finally:
            progress.close()
        self.undo_stack.push(command)
        self.command, self.outcome = command, outcome
        super().accept()

    # ---- helpers --------------------------------------------------------------------------------
    def _clear(self) -> None:
        self.job = self.checked = None
        self.import_button.setEnabled(False)
        for table in (self.preview_table, self.actor_table, self.column_table, self.problems_table):
            table.setRowCount(0)
        self.actor_table.automatic = {}
        for tab in (self.tab_actors, self.tab_columns, self.tab_problems):
            self.tabs.setTabVisible(tab, False)
        self.tabs.setTabText(self.tab_preview, "Preview")
        self.tabs.setCurrentIndex(self.tab_preview)
        self.preview_table.clear_events()

    def _set_summary(self, text: str, error: bool = False) -> None:
        self.summary.setText(text)
        self.summary.setStyleSheet(ERROR_STYLE if error else "")


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
