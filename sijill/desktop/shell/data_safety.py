"""The window's side of data safety: the dialog that shows what is wrong with a damaged project
(and repairs it into a new file), the daily backup, and File ▸ Restore from backup…"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QLabel, QListWidget, QListWidgetItem,
                               QMessageBox, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget)

from sijill.db.store.backup import automatic_backup, list_backups, restore_backup
from sijill.db.store.check import Report
from sijill.db.store.basics import ProjectError
from sijill.db.store.repair import repair_project
from sijill.desktop.settings import Option

BACKUPS_KEEP = Option("files/backups_keep", int, 7)  # automatic backups kept beside a project


class DamagedDialog(QDialog):
    """What is wrong with a project file and where, with "Repair into a new file…". The file
    itself is never written; `repaired` is the new file's path once a repair was made."""

    def __init__(self, report: Report, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.repaired: Path | None = None
        self.setObjectName("damaged_dialog")
        self.setWindowTitle("Project needs repair")
        layout = QVBoxLayout(self)
        path = Path(report.path)
        intro = QLabel(f"<b>{path.name}</b> was not opened: " + (
            "it lost the marks that make it a Sijill project." if report.lost_marks and len(report.findings) == 1
            else "SQLite finds it damaged." if report.damaged
            else "some of its rows break Sijill's rules (written by another tool?).")
            + "<br>The file is left exactly as it is. A repair writes a new file with what can be "
              "recovered; the rows that break the rules are set aside in its <i>quarantine</i> table.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.details = QPlainTextEdit(report.text(limit=500, advice=False))
        self.details.setReadOnly(True)
        self.details.setObjectName("damage_details")
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.repair_button = QPushButton("Repair into a new file…")
        self.repair_button.setObjectName("repair_button")
        buttons.addButton(self.repair_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.repair_button.clicked.connect(lambda: self.repair())
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 420)

    def repair(self, out: Path | None = None) -> Path | None:
        source = Path(self.report.path)
        if out is None:
            suggested = _free(source.with_name(f"{source.stem}-repaired.sijill"))
            chosen, _ = QFileDialog.getSaveFileName(self, "Repair into a new file", str(suggested),
                                                    "Sijill projects (*.sijill)")
            if not chosen:
                return None
            out = Path(chosen)
        try:
            result = repair_project(source, out)
        except (ProjectError, OSError) as exc:
            QMessageBox.warning(self, "Cannot repair", str(exc))
            return None
        self.repaired = out
        self.summary = result.summary()
        self.accept()
        return out


def _free(path: Path) -> Path:
    n = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


def offer_repair(parent: QWidget | None, report: Report) -> Path | None:
    """Show the damage; return the repaired file to open, or None."""
    dialog = DamagedDialog(report, parent)
    dialog.exec()
    return dialog.repaired


def daily_backup(project, settings) -> Path | None:
    """Once a day while the project is used: a backup in the `backups` folder beside it, keeping
    the last BACKUPS_KEEP. Never stops the app: a failure is only returned as None."""
    if project.read_only:
        return None
    try:
        return automatic_backup(project.path, keep=int(settings.get(BACKUPS_KEEP) or 7), daily=True)
    except (ProjectError, OSError):
        return None


class RestoreDialog(QDialog):
    """File ▸ Restore from backup…: the project's backups, newest first, with date and event count."""

    def __init__(self, project_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restore_dialog")
        self.setWindowTitle("Restore from backup")
        self.project_path = Path(project_path)
        self.backups = list_backups(self.project_path)
        layout = QVBoxLayout(self)
        note = QLabel("The backup is copied beside the project as a new file and opened; "
                      "the project itself is not changed." if self.backups else
                      f"There is no backup of {self.project_path.name} yet (they are kept in the "
                      f"“backups” folder beside it).")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.list = QListWidget()
        for b in self.backups:
            events = "unreadable" if b.events is None else f"{b.events} events"
            item = QListWidgetItem(f"{b.taken:%Y-%m-%d %H:%M:%S}  —  {events}")
            item.setToolTip(str(b.path))
            self.list.addItem(item)
        if self.backups:
            self.list.setCurrentRow(0)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = buttons.addButton("Restore as a new file", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(bool(self.backups))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.restored: Path | None = None

    def restore(self) -> Path | None:
        row = self.list.currentRow()
        if row < 0:
            return None
        self.restored = restore_backup(self.backups[row].path, self.project_path)
        return self.restored


def restore_from_backup(window) -> None:
    """The File menu's entry: choose a backup, copy it beside the project, open the copy."""
    dialog = RestoreDialog(window.project.path, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    try:
        restored = dialog.restore()
    except (ProjectError, OSError) as exc:
        QMessageBox.warning(window, "Cannot restore", str(exc))
        return
    if restored is not None:
        window.open_project(restored)
