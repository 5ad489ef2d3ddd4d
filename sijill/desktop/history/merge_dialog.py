"""File ▸ Merge from…: what merging another analyst's copy would do, before anything is written.

The analyst picks the other file and sees the plan of `sijill.db.merge`: whether it is a three-way
merge of two copies of this project or a two-way import of another one, and why; what would be
added, changed and deleted (record, field, this project's value → the other file's); and the
conflicts side by side, each with a choice: keep this project's value (the default, as the command
line does) or take the other file's. Merge plans again with those choices and writes it as one
undo step (whole copies of the file before and after, as an import is undone).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from sijill.db.store.basics import ProjectError
from sijill.db.merge import MergeError, MergePlan, MergeResult, merge_label, merge_projects, plan_merge
from sijill.db.merge.history import MISSING
from sijill.db.merge.values import display
from sijill.db.store.project import Project
from sijill.desktop.exchange.import_command import ImportCommand, perform_import
from sijill.desktop.hub import ProjectHub

NOTE_STYLE = "color: #555;"
ERROR_STYLE = "color: #b71c1c;"
TAKE = 1  # the choice of a conflict's combo box: 0 keeps this project's value
SHOWN = 500  # rows shown per list: a two-way import of a large project lists the rest by count


class MergeDialog(QDialog):
    """Shows what merging a file into the project would do, with a choice per conflict; Merge writes
    it as one undo step on `undo_stack`. After acceptance `result` says what was merged."""

    def __init__(self, hub: ProjectHub, undo_stack: QUndoStack, parent: QWidget | None = None, *,
                 path: str | Path | None = None, folder: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("merge_dialog")
        self.setWindowTitle("Merge from another copy")
        self.hub, self.project, self.undo_stack = hub, hub.project, undo_stack
        self.folder = folder
        self.other: Project | None = None
        self.plan: MergePlan | None = None
        self.result: MergeResult | None = None
        self.command: ImportCommand | None = None

        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("Choose another analyst's copy of this project (.sijill)")
        self.path_edit.editingFinished.connect(lambda: self.load(self.path_edit.text().strip()))
        browse = QPushButton("Choose…")
        browse.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(QLabel("Merge from"))
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.mode_label = QLabel()
        self.mode_label.setObjectName("merge_mode")
        self.mode_label.setWordWrap(True)
        self.changes = QTreeWidget()
        self.changes.setObjectName("merge_changes")
        self.changes.setRootIsDecorated(True)
        self.changes_label = QLabel("What the merge does")
        self.conflicts = QTableWidget(0, 5)
        self.conflicts.setObjectName("merge_conflicts")
        self.conflicts.verticalHeader().setVisible(False)
        self.conflicts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.conflicts.setWordWrap(True)
        self.conflicts_label = QLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = self.buttons.addButton("Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setObjectName("merge_button")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(path_row)
        layout.addWidget(self.mode_label)
        layout.addWidget(self.changes_label)
        layout.addWidget(self.changes, 3)
        layout.addWidget(self.conflicts_label)
        layout.addWidget(self.conflicts, 2)
        layout.addWidget(self.buttons)
        self.resize(980, 640)
        self._show(None, "")
        if path:
            self.load(path)

    # ---- loading --------------------------------------------------------------------------------
    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Merge from", self.folder, "Sijill projects (*.sijill);;All files (*)")
        if path:
            self.load(path)

    def load(self, path: str | Path) -> bool:
        """Read `path` and show what merging it would do; False (and why, in the dialog) if it cannot."""
        self._close_other()
        if not str(path):
            self._show(None, "")
            return False
        self.path_edit.setText(str(path))
        try:
            if Path(path).exists() and Path(path).resolve() == self.project.path.resolve():
                raise MergeError(f"{Path(path).name} is the project open in this window")
            self.other = Project.open(path, read_only=True)
            plan = plan_merge(self.project, self.other)
        except ProjectError as exc:
            self._close_other()
            self._show(None, str(exc))
            return False
        self._show(plan, "")
        return True

    def _close_other(self) -> None:
        if self.other is not None:
            self.other.close()
            self.other = None

    def done(self, code: int) -> None:
        self._close_other()
        super().done(code)

    # ---- showing the plan -----------------------------------------------------------------------
    def _show(self, plan: MergePlan | None, error: str) -> None:
        self.plan = plan
        self.changes.clear()
        self.conflicts.setRowCount(0)
        if plan is None:
            self.mode_label.setStyleSheet(ERROR_STYLE if error else NOTE_STYLE)
            self.mode_label.setText(error or "Choose the file to merge from: another analyst's copy of this "
                                    "project, or another project to import by uid.")
            self.conflicts_label.setText("Conflicts")
            self.merge_button.setEnabled(False)
            return
        other = Path(plan.from_path).name
        self.mode_label.setStyleSheet(NOTE_STYLE)
        self.mode_label.setText(
            (f"Three-way merge: {plan.why}. What {other} changed and this project did not is applied."
             if plan.three_way else
             f"Two-way import: {plan.why}. What this project lacks is added; fields that differ are conflicts."))
        self.changes.setHeaderLabels(["Record", "Field", "This project", other])
        self._fill_changes(plan)
        self.conflicts.setHorizontalHeaderLabels(["Record", "Field", "This project", other, "Keep"])
        self._fill_conflicts(plan, other)
        self.merge_button.setEnabled(plan.writes or bool(plan.conflicts))

    def _value(self, kind: str, name: str | None, value) -> str:
        if name is None or value is MISSING:
            return "—" if value is MISSING else str(value)
        return display(kind, name, value, self.plan.names)

    def _fill_changes(self, plan: MergePlan) -> None:
        groups = (("Added", [(r.kind, r.title, "", "", "new") for r in plan.added]),
                  ("Changed", [(c.kind, c.title, c.field, self._value(c.kind, c.field, c.into),
                                self._value(c.kind, c.field, c.from_)) for c in plan.changed]),
                  ("Deleted", [(r.kind, r.title, "", "", "deleted") for r in plan.deleted]))
        for heading, rows in groups:
            top = QTreeWidgetItem(self.changes, [f"{heading} ({len(rows)})"])
            for kind, title, name, mine, theirs in rows[:SHOWN]:
                item = QTreeWidgetItem(top, [f"{kind}: {title}", name, mine, theirs])
                for col in (2, 3):
                    item.setToolTip(col, item.text(col))
            if len(rows) > SHOWN:
                QTreeWidgetItem(top, [f"… and {len(rows) - SHOWN} more"])
            top.setExpanded(bool(rows))
        self.changes_label.setText("Nothing to merge: this project already has everything the other file changed"
                                   if not plan.writes else "What the merge does")
        header = self.changes.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.changes.setColumnWidth(0, 300)
        self.changes.setColumnWidth(1, 110)
        self.changes.setColumnWidth(2, 260)

    def _fill_conflicts(self, plan: MergePlan, other: str) -> None:
        self.conflicts.setRowCount(min(len(plan.conflicts), SHOWN))
        for row, c in enumerate(plan.conflicts[:SHOWN]):
            cells = [f"{c.kind}: {c.title}", c.field or "the record", self._value(c.kind, c.field, c.into),
                     self._value(c.kind, c.field, c.from_)]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(f"{c.reason}\n{text}")
                self.conflicts.setItem(row, col, item)
            choice = QComboBox()
            choice.addItems(["This project's", f"{other}'s"])
            choice.setEnabled(c.choosable)
            choice.setToolTip(c.reason if c.choosable else f"{c.reason}: this project's is kept")
            self.conflicts.setCellWidget(row, 4, choice)
        self.conflicts.resizeRowsToContents()
        header = self.conflicts.horizontalHeader()
        for col, width in enumerate((260, 100, 230, 230)):
            self.conflicts.setColumnWidth(col, width)
        header.setStretchLastSection(True)
        n = len(plan.conflicts)
        more = (f" The first {SHOWN} are shown; the others keep this project's values (sijill merge --dry-run "
                "lists them all)." if n > SHOWN else "")
        self.conflicts_label.setText(f"Conflicts ({n}): changed on both sides, or edited on one and deleted on the "
                                     f"other. Choose which side each keeps.{more}" if n else "No conflicts")

    def choices(self) -> list[tuple]:
        """The conflicts (`Conflict.key`) set to take the other file's side."""
        out = []
        for row, c in enumerate(self.plan.conflicts[:SHOWN] if self.plan else ()):
            if self.conflicts.cellWidget(row, 4).currentIndex() == TAKE:
                out.append(c.key)
        return out

    # ---- merging --------------------------------------------------------------------------------
    def accept(self) -> None:
        if self.plan is None or self.other is None:
            return
        other, take = self.other, self.choices()
        try:
            self.command, self.result = perform_import(self.hub, merge_label(other.path), lambda: merge_projects(
                self.project, other, take_from=take))
        except ProjectError as exc:
            self.mode_label.setStyleSheet(ERROR_STYLE)
            self.mode_label.setText(f"Nothing was merged: {exc}")
            return
        if self.result.applied:
            self.undo_stack.push(self.command)
        else:  # every conflict kept this project's side and nothing else was to be done: no undo step
            self.command.discard()
            self.command = None
        super().accept()
