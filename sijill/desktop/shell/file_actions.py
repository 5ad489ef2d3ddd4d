"""The File menu's operations for the main window: new, open and open recent (each replacing the
window with one on the other project), import, merge, export and export image.

A mixin of MainWindow, so that tests and the other parts keep calling `window.open_project(...)`,
`window.import_file(...)` and so on; it uses the window's `project`, `hub`, `undo_stack`,
`settings`, `timeline`, `recent_menu` and status bar. Each operation says what went wrong in a
message box and returns False (or None) instead of raising: no traceback reaches the analyst.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QMainWindow, QMessageBox

from sijill.db.formats.registry import EXPORTS
from sijill.db.store.basics import ProjectError
from sijill.db.store.check import DamagedProjectError
from sijill.db.store.project import Project
from sijill.desktop import settings as opt
from sijill.desktop.commands.stack import refuse_read_only
from sijill.desktop.exchange.export_dialog import ExportDialog
from sijill.desktop.exchange.export_job import export_format_for, run_export
from sijill.desktop.exchange.import_command import perform_import
from sijill.desktop.exchange.import_dialog import ImportDialog
from sijill.desktop.exchange.import_job import ImportJob
from sijill.desktop.exchange.progress import Progress
from sijill.desktop.history.merge_dialog import MergeDialog
from sijill.desktop.paths import PROJECT_FILTER, with_project_suffix
from sijill.desktop.shell.data_safety import daily_backup, offer_repair
from sijill.desktop.timeline.export_dialog import ExportImageDialog


class FileActions:
    """File ▸ New, Open, Open recent, Import, Merge from, Export and Export image (Restore from
    backup is desktop.shell.data_safety's)."""

    def _folder(self) -> str:
        return self.settings.get(opt.LAST_FOLDER) or str(self.project.path.parent)

    def open_project(self, path: str | Path) -> QMainWindow | None:
        """Open `path` in a new window that replaces this one; on error say why and keep this one."""
        try:
            project = Project.open(path)
        except DamagedProjectError as exc:  # what is wrong and where, and the offer to repair
            repaired = offer_repair(self, exc.report)
            return self.open_project(repaired) if repaired is not None else None
        except ProjectError as exc:
            QMessageBox.warning(self, "Cannot open project", str(exc))
            if not Path(path).exists():
                self.settings.remove_recent_project(path)
            return None
        daily_backup(project, self.settings)
        return self._replace_with(project)

    def _replace_with(self, project: Project) -> QMainWindow:
        """A window of this class on `project` takes this one's place (`successor`)."""
        self.save_state()
        self.settings.set(opt.LAST_FOLDER, str(project.path.parent))
        window = type(self)(project, self.settings)
        window.show()
        self.successor = window
        self.close()
        return window

    def choose_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", self._folder(), PROJECT_FILTER)
        if path:
            self.open_project(path)

    def new_project(self, path: str | Path | None = None) -> QMainWindow | None:
        """Create an empty project (asking where when no path is given) and open it."""
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, "New project", self._folder(), PROJECT_FILTER)
            if not path:
                return None
        try:
            project = Project.create(with_project_suffix(path))
        except (ProjectError, OSError) as exc:
            QMessageBox.warning(self, "Cannot create project", str(exc))
            return None
        return self._replace_with(project)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = [p for p in self.settings.recent_projects() if p != self.project.path.resolve()]
        for path in recent:
            action = self.recent_menu.addAction(path.name, lambda p=path: self.open_project(p))
            action.setStatusTip(str(path))
        if not recent:
            self.recent_menu.addAction("(no other recent project)").setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear the list", self.settings.clear_recent_projects)

    def _exchange_folder(self) -> str:
        return self.settings.get(opt.EXCHANGE_FOLDER) or self._folder()

    def _export_folder(self) -> str:
        """Where the Export and Export image dialogs start: the folder set in Preferences, else
        the Documents folder (not the hidden data folder the default project lives in)."""
        return str(self.settings.export_folder())

    def import_dialog(self, path: str | Path | None = None) -> ImportDialog:
        """The Import dialog over this project (showing `path` when given)."""
        return ImportDialog(self.hub, self.undo_stack, self, path=path, folder=self._exchange_folder())

    def import_file(self, path: str | Path | None = None) -> bool:
        """Without a path, the Import dialog: what the file holds and would do, the actors' groups
        and (CSV) the columns' fields, before anything is written. With a path, import it at once
        in the format it is in, with the remembered and automatic choices. Either way the import
        is one undo step."""
        if refuse_read_only(self.project, self):
            return False
        if not path:
            dialog = self.import_dialog()
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.outcome is None:
                return False
            path, outcome = dialog.job.path, dialog.outcome
        else:
            path = Path(path)
            try:
                job = ImportJob.for_path(self.project, path)
                with Progress(self, f"Importing {path.name}…", title="Import") as progress:
                    command, outcome = perform_import(self.hub, job.title, lambda: job.run(
                        progress=progress.update, cancelled=progress.cancelled))
            except (ProjectError, OSError, ImportError) as exc:
                QMessageBox.warning(self, "Import failed", f"Nothing was imported from {path.name}:\n{exc}")
                return False
            self.undo_stack.push(command)
        self.settings.set(opt.EXCHANGE_FOLDER, str(Path(path).parent))
        self.statusBar().showMessage(f"Imported {Path(path).name}: {outcome.summary()}", 10000)
        return True

    def merge_from(self, path: str | Path | None = None) -> bool:
        """File ▸ Merge from…: what merging another analyst's copy would do, with a choice per conflict,
        before anything is written; the merge is one undo step."""
        dialog = MergeDialog(self.hub, self.undo_stack, self, path=path, folder=self._exchange_folder())
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result is None:
            return False
        plan = dialog.result.plan
        self.statusBar().showMessage(f"{dialog.result.label}: {len(plan.added)} added, {len(plan.changed)} changed, "
                                     f"{len(plan.deleted)} deleted; {len(plan.conflicts)} conflicts kept as they were",
                                     10000)
        return True

    def export_dialog(self, format_name: str | None = None) -> ExportDialog:
        """The Export dialog, on `format_name` or the format exported last, with the counts chart
        asked for (or not) as last time."""
        return ExportDialog(self.hub, self, folder=self._export_folder(),
                            format_name=format_name or self.settings.get(opt.EXPORT_FORMAT),
                            counts=self.settings.get(opt.EXPORT_COUNTS),
                            counts_by=self.settings.get(opt.EXPORT_COUNTS_BY))

    def export_file(self, path: str | Path | None = None, format_name: str | None = None) -> bool:
        """Without a path, the Export dialog (format, file, which events, preview). With a path,
        write the whole project in `format_name`, else in the format its suffix names (.json:
        Sijill JSON)."""
        if not path:
            dialog = self.export_dialog(format_name)
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.written is None:
                return False
            result = dialog.written
            self.settings.set(opt.EXPORT_FORMAT, dialog.format.name)
            self.settings.set(opt.EXPORT_COUNTS, dialog.counts_box.isChecked())
            self.settings.set(opt.EXPORT_COUNTS_BY, dialog.counts_by.currentData())
        else:
            fmt = EXPORTS.get(format_name) if format_name else export_format_for(path)
            if fmt is None:
                QMessageBox.warning(self, "Export failed",
                                    f"No export format writes {Path(path).suffix or 'that'} files.")
                return False
            try:
                result = run_export(self.project, fmt, path)
            except (ProjectError, OSError, ImportError) as exc:
                QMessageBox.warning(self, "Export failed", str(exc))
                return False
        self.settings.set(opt.EXCHANGE_FOLDER, str(Path(result.path).parent))
        summary = result.summary()  # "wrote <path> (<counts>)"
        self.statusBar().showMessage(summary[:1].upper() + summary[1:], 10000)
        return True

    def export_w3c(self, path: str | Path | None = None) -> bool:
        """Write every annotation as a W3C Web Annotation collection (JSON-LD); without a path, the
        Export dialog on that format."""
        return self.export_file(path, "w3c-annotations")

    def image_dialog(self) -> ExportImageDialog:
        """The Export image dialog over this window's timeline."""
        from sijill.db.timeline.window import project_limits

        return ExportImageDialog(self._export_folder(), self.project.title, self.timeline.window(),
                                 project_limits(self.timeline.data.bounds()), self,
                                 lanes_note=self.timeline.export_note)

    def export_image(self, path: str | Path | None = None, size: tuple[int, int] = (1600, 900),
                     lo: float | None = None, hi: float | None = None, title: str | None = None) -> bool:
        """Save the timeline to PNG, SVG or PDF (by the suffix): the view, or [lo, hi] in seconds.
        Without a path, the Export image dialog asks for the file, size, dates and title."""
        if not path:
            dialog = self.image_dialog()
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            request = dialog.request()
            path, size, lo, hi, title = request.path, request.size, request.lo, request.hi, request.title or None
        try:
            note = self.timeline.export_image(str(path), size=size, lo=lo, hi=hi, title=title).note
        except (ProjectError, OSError, ValueError) as exc:
            QMessageBox.warning(self, "Export failed", str(exc))
            return False
        message = f"Saved the timeline to {path}"
        self.statusBar().showMessage(f"{message}. {note}" if note else message, 15000 if note else 8000)
        return True
