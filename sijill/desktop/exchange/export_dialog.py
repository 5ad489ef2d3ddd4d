"""File ▸ Export: a format, a file, which events, how many, and what the file will look like.

Left, the formats of `EXPORTS` with what each writes. Middle, the file (a name from the project's
title with the format's suffix; a report chooses Markdown, HTML, ODT or PDF) and the selection:
dates typed as fuzzy dates ("Oct 2023", checked as typed), groups (with their sub-groups), tags,
a full-text query, event types, evidence and the area drawn on the map, prefilled from the window's
filter (so that the file holds what the timeline shows); a live count of the events it holds.
For the web page and the HTML and Markdown reports, "Include the counts chart" adds the selected
events per day, week or month (or the finest that fits), as `sijill export --counts` does.
Right, a preview: the same export run on a temporary file, its first lines (text formats) or its
size (PDF, ODT); made on demand past PREVIEW_AUTO events. Sijill JSON and W3C annotations
always write the whole project. Export runs under a progress dialog with Cancel.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QMessageBox, QPlainTextEdit, QPushButton, QVBoxLayout,
                               QWidget)

from sijill.db.store.basics import ProjectError
from sijill.db.formats.registry import EXPORTS, ExportResult, Format
from sijill.db.formats.selection import EventSelection
from sijill.desktop.exchange.export_job import (COUNTS_UNITS, DOCUMENT_KINDS, PREVIEW_LINES, file_size, holds_counts,
                                                preview_export, run_export, selected_count, suggested_name,
                                                whole_project)
from sijill.desktop.exchange.export_selection import SelectionForm
from sijill.desktop.exchange.progress import Progress
from sijill.desktop.hub import ProjectHub

PREVIEW_AUTO = 5000
PREVIEW_DELAY_MS = 300
NOTE_STYLE = "color: #555;"
ERROR_STYLE = "color: #b71c1c;"
# translucent blues: over a light base the pale blue they were, over a dark one a tint the text reads on
COUNTS_LABELS = {"auto": "Automatic (from the dates)", "day": "Per day", "week": "Per ISO week (Monday first)",
                 "month": "Per month"}
FORMAT_LIST_STYLE = ("QListWidget::item:selected { background: rgba(47, 109, 181, 40); color: palette(text);"
                     " border-left: 3px solid #2f6db5; }"
                     "QListWidget::item:hover:!selected { background: rgba(47, 109, 181, 14); }")


def _counts(result: ExportResult) -> str:
    text = ", ".join(f"{n:,} {kind}" for kind, n in result.counts.items()) or "nothing"
    return text + (f" ({result.note})" if result.note else "")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


class ExportDialog(QDialog):
    """Asks what to export and where; Export writes it. `written` says what was written."""

    def __init__(self, hub: ProjectHub, parent: QWidget | None = None, *, folder: str = "",
                 format_name: str | None = None, counts: bool = False, counts_by: str = "auto") -> None:
        """`counts`, `counts_by`: the counts chart's box and bins as last exported."""
        super().__init__(parent)
        self.setObjectName("export_dialog")
        self.setWindowTitle("Export")
        self.hub, self.project = hub, hub.project
        self.folder = folder or str(self.project.path.parent)
        self.written: ExportResult | None = None
        self._tmp = tempfile.TemporaryDirectory(prefix="sijill-export-preview-")
        self._count: int | None = None
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.refresh_preview)

        self.format_list = QListWidget()
        self.format_list.setObjectName("export_formats")
        self.format_list.setFixedWidth(250)
        self.format_list.setSpacing(1)
        self.format_list.setStyleSheet(FORMAT_LIST_STYLE)
        for fmt in EXPORTS.values():
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, fmt.name)
            item.setToolTip(fmt.description)
            label = QLabel(f"<b>{fmt.label}</b><br><span style='color:#555'>{fmt.description}</span>")
            label.setWordWrap(True)
            label.setContentsMargins(6, 3, 6, 3)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            label.setFixedWidth(self.format_list.width() - 24)
            item.setSizeHint(label.sizeHint())
            self.format_list.addItem(item)
            self.format_list.setItemWidget(item, label)
        left = QVBoxLayout()
        left.addWidget(QLabel("<b>Format</b>"))
        left.addWidget(self.format_list, 1)

        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("export_path")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self.browse)
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("export_document_kind")
        for suffix, label in DOCUMENT_KINDS.items():
            self.kind_combo.addItem(label, suffix)
        self.kind_label = QLabel("Document")
        file_row = QHBoxLayout()
        file_row.addWidget(QLabel("<b>File</b>"))
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(browse)
        file_row.addSpacing(12)
        file_row.addWidget(self.kind_label)
        file_row.addWidget(self.kind_combo)

        self.selection_box = SelectionForm(self.project)
        self.selection_note = QLabel()
        self.selection_note.setWordWrap(True)
        self.count_label = QLabel()
        self.count_label.setObjectName("export_count")
        self.count_label.setWordWrap(True)
        self.counts_row = self._counts_row(counts, counts_by)
        middle = QVBoxLayout()
        middle.addWidget(QLabel("<b>Which events</b>"))
        middle.addWidget(self.selection_box, 1)
        middle.addWidget(self.selection_note)
        middle.addWidget(self.counts_row)
        middle.addWidget(self.count_label)

        self.preview_title = QLabel("<b>Preview</b>")
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("export_preview")
        self.preview.setReadOnly(True)
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.preview.setPlaceholderText("The beginning of the file appears here.")
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.preview_button = QPushButton("Show preview")
        self.preview_button.clicked.connect(self.refresh_preview)
        preview_head = QHBoxLayout()
        preview_head.addWidget(self.preview_title, 1)
        preview_head.addWidget(self.preview_button)
        right = QVBoxLayout()
        right.addLayout(preview_head)
        right.addWidget(self.preview, 1)

        columns = QHBoxLayout()
        columns.addLayout(left)
        columns.addLayout(middle, 4)
        columns.addLayout(right, 5)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.export_button.setText("Export")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addLayout(columns, 1)
        layout.addWidget(self.buttons)

        self.selection_box.prefill(self.hub.filter)
        names = list(EXPORTS)
        self.format_list.setCurrentRow(names.index(format_name) if format_name in EXPORTS else 0)
        self.format_list.currentRowChanged.connect(lambda _r: self._format_changed())
        self.kind_combo.activated.connect(lambda _i: self._format_changed())
        self.path_edit.textChanged.connect(lambda _t: self.update_state())
        self.selection_box.changed.connect(self.update_state)
        self.counts_box.toggled.connect(lambda _on: self.update_state())
        self.counts_by.activated.connect(lambda _i: self.update_state())
        self._format_changed()
        self.resize(1180, 660)

    def _counts_row(self, on: bool, unit: str) -> QWidget:
        """The counts chart's box, its bins and a line saying what it adds (shown for the formats
        that can hold it)."""
        row = QWidget(self)
        self.counts_box = QCheckBox("Include the counts chart", row)
        self.counts_box.setObjectName("export_counts")
        self.counts_box.setChecked(on)
        self.counts_by = QComboBox(row)
        self.counts_by.setObjectName("export_counts_by")
        for value in COUNTS_UNITS:
            self.counts_by.addItem(COUNTS_LABELS[value], value)
        self.counts_by.setCurrentIndex(max(self.counts_by.findData(unit), 0))
        self.counts_note = QLabel(row)
        self.counts_note.setWordWrap(True)
        self.counts_note.setStyleSheet(NOTE_STYLE)
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.counts_box)
        line.addWidget(self.counts_by)
        line.addStretch(1)
        layout = QVBoxLayout(row)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addLayout(line)
        layout.addWidget(self.counts_note)
        return row

    # ---- state ----------------------------------------------------------------------------------
    @property
    def format(self) -> Format:
        return EXPORTS[self.format_list.currentItem().data(Qt.ItemDataRole.UserRole)]

    def suffix(self) -> str:
        fmt = self.format
        return self.kind_combo.currentData() if fmt.name == "report" else fmt.suffixes[0]

    def selection(self) -> EventSelection:
        return self.selection_box.selection()

    def counts(self) -> str | None:
        """The counts chart's bins (auto, day, week or month) when it is asked for and the file can
        hold it; else None."""
        if self.counts_box.isChecked() and holds_counts(self.format, self.suffix()):
            return self.counts_by.currentData()
        return None

    def _show_counts(self) -> None:
        fmt, suffix = self.format, self.suffix()
        self.counts_row.setVisible(fmt.name in ("html", "report"))
        holds = holds_counts(fmt, suffix)
        self.counts_box.setEnabled(holds)
        self.counts_by.setEnabled(holds and self.counts_box.isChecked())
        if not holds:
            note = f"The counts chart goes in HTML and Markdown reports, not in {suffix[1:].upper()}."
        elif suffix == ".md":
            note = "The selected events per bin, as a table after the title page."
        else:
            note = ("The selected events per bin, stacked by group, as a chart " +
                    ("under the timeline." if fmt.name == "html" else "after the title page."))
        self.counts_note.setText(note)

    def set_format(self, name: str, suffix: str | None = None) -> None:
        if suffix is not None:
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(suffix))
        self.format_list.setCurrentRow(list(EXPORTS).index(name))
        self._format_changed()

    def _format_changed(self) -> None:
        fmt = self.format
        is_report = fmt.name == "report"
        self.kind_label.setVisible(is_report)
        self.kind_combo.setVisible(is_report)
        suffix = self.suffix()
        text = self.path_edit.text().strip()
        if text:
            path = Path(text)
            self.path_edit.setText(str(path.with_name(suggested_name(self.project.title, fmt, suffix))
                                       if path.stem.startswith(self.project.title) else path.with_suffix(suffix)))
        else:
            self.path_edit.setText(str(Path(self.folder) / suggested_name(self.project.title, fmt, suffix)))
        whole = whole_project(fmt)
        self.selection_box.setEnabled(not whole)
        self.update_state()

    def _problem(self) -> str:
        """Why Export cannot run now ("" when it can)."""
        text = self.path_edit.text().strip()
        if not text:
            return "Choose where to write the file."
        path = Path(text)
        if path.suffix.lower() not in self.format.suffixes:
            return f"The file name must end in {' or '.join(self.format.suffixes)}."
        if self.format.name == "report" and path.suffix.lower() != self.suffix():
            return f"A {DOCUMENT_KINDS[self.suffix()]} report ends in {self.suffix()}."
        if not path.parent.is_dir():
            return f"The folder {path.parent} does not exist."
        return ""

    def update_state(self) -> None:
        """Count the selected events, say what is wrong if anything, and schedule the preview."""
        fmt = self.format
        self._count = None
        try:
            self._count = selected_count(self.project, fmt, self.selection())
        except ProjectError as exc:
            self.selection_note.setText(_sentence(str(exc)))
            self.selection_note.setStyleSheet(ERROR_STYLE)
        else:
            self.selection_note.setText("This format always writes the whole project." if whole_project(fmt)
                                        else _sentence(self.selection().describe()))
            self.selection_note.setStyleSheet(NOTE_STYLE)
        self._show_counts()
        problem = self._problem()
        if self._count is None:
            self.count_label.setText("")
        elif fmt.name == "w3c-annotations":
            n = self.project.stats().annotations
            self.count_label.setText(f"<b>{n:,}</b> annotation{'s' if n != 1 else ''} will be written.")
        elif whole_project(fmt):
            s = self.project.stats()
            parts = [f"<b>{n:,}</b> {kind}" for kind, n in (("events", s.events), ("groups", s.groups),
                     ("sources", s.sources), ("annotations", s.annotations), ("periods", s.periods)) if n]
            self.count_label.setText("The whole project will be written: " + (", ".join(parts) or "it is empty") + ".")
        else:
            self.count_label.setText(f"<b>{self._count:,}</b> event{'s' if self._count != 1 else ''} "
                                     "will be written.")
        if problem:
            self.count_label.setText(f"<span style='color:#b71c1c'>{problem}</span>")
        self.export_button.setEnabled(self._count is not None and not problem)
        self.preview_button.setVisible(self._count is not None and self._count > PREVIEW_AUTO)
        if self._count is None:
            self._preview_timer.stop()
            self.preview.setPlainText("")
        elif self._count > PREVIEW_AUTO:
            self._preview_timer.stop()
            self.preview_title.setText("<b>Preview</b>")
            self.preview.setPlainText(f"{self._count:,} events: press Show preview to see the beginning of "
                                      "the file (it exports them all to a temporary file).")
        elif self.isVisible():  # shown: a preview runs the exporter, not worth it for a hidden dialog
            self._preview_timer.start()

    def refresh_preview(self) -> None:
        """Export the selection to a temporary file and show its beginning (or its size)."""
        self._preview_timer.stop()
        fmt, suffix = self.format, self.suffix()
        try:
            shown = preview_export(self.project, fmt, suffix, None if whole_project(fmt) else self.selection(),
                                   self._tmp.name, counts=self.counts())
        except (ProjectError, OSError, ImportError, ValueError) as exc:
            self.preview_title.setText("<b>Preview</b>")
            self.preview.setPlainText(f"This export cannot be made:\n{exc}")
            if isinstance(exc, ImportError):
                self.export_button.setEnabled(False)
            return
        size = file_size(shown.size)
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth if shown.lines is None
                                     else QPlainTextEdit.LineWrapMode.NoWrap)
        if shown.lines is None:
            self.preview_title.setText(f"<b>Preview</b> — {suffix[1:].upper()} document, {size}")
            self.preview.setPlainText(f"A {suffix[1:].upper()} document of {size}, holding "
                                      f"{_counts(shown.result)}.\n\nOpen it after the export to read it.")
            return
        heading = f"first {PREVIEW_LINES} lines of {size}" if shown.more else f"the whole file, {size}"
        self.preview_title.setText(f"<b>Preview</b> — {heading}")
        note = f"\n\nNote: {shown.result.note}" if shown.result.note else ""
        self.preview.setPlainText("\n".join(shown.lines) + ("\n…" if shown.more else "") + note)

    # ---- export ---------------------------------------------------------------------------------
    def browse(self) -> None:
        fmt = self.format
        suffix = self.suffix()
        label = DOCUMENT_KINDS[suffix] if fmt.name == "report" else fmt.file_filter
        path, _ = QFileDialog.getSaveFileName(self, "Export", self.path_edit.text(),
                                              f"{label.split(' (')[0]} (*{suffix})")
        if path:
            self.path_edit.setText(path if Path(path).suffix else path + suffix)

    def accept(self) -> None:
        if self._problem() or self._count is None:
            return
        path = Path(self.path_edit.text().strip())
        if path.exists() and QMessageBox.question(
                self, "Export", f"{path.name} already exists. Replace it?") != QMessageBox.StandardButton.Yes:
            return
        fmt = self.format
        progress = Progress(self, f"Writing {path.name}…", title="Export")
        try:
            result = run_export(self.project, fmt, path, None if whole_project(fmt) else self.selection(),
                                progress=progress.update, cancelled=progress.cancelled, counts=self.counts())
        except (ProjectError, OSError, ImportError, ValueError) as exc:
            cancelled = progress.dialog.wasCanceled()
            progress.close()
            if cancelled:
                self.count_label.setText("The export was cancelled: nothing was written.")
            else:
                QMessageBox.warning(self, "Export failed", f"{path.name} was not written:\n{exc}")
            return
        progress.close()
        self.written = result
        super().accept()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        self.update_state()

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt name)
        self._preview_timer.stop()
        super().hideEvent(event)

    def done(self, code: int) -> None:  # noqa: D102 (Qt name)
        self._preview_timer.stop()
        self._tmp.cleanup()
        super().done(code)
