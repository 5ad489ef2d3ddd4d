"""File ▸ Export image: where to write (PNG, SVG or PDF by the suffix), the size of a PNG, which dates
(the view, the whole project, or a range typed as fuzzy dates) and the title. When the lanes do not
fit in the height asked, it says so before exporting: the image will be taller (no lane is cut off)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (QButtonGroup, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QRadioButton, QSpinBox, QWidget)

from sijill.db.dates import DateParseError, parse_fuzzy

IMAGE_FILTER = "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"
RASTER_SUFFIXES = (".png", ".jpg", ".jpeg")


@dataclass(frozen=True)
class ImageRequest:
    """What the dialog asked for; `lo`/`hi` None mean the view's current window."""

    path: Path
    size: tuple[int, int]
    lo: int | None
    hi: int | None
    title: str


class ExportImageDialog(QDialog):
    """Asks for the file, the size (PNG only), the dates and the title; `request()` once accepted."""

    def __init__(self, folder: str, title: str, view_window: tuple[float, float],
                 project_window: tuple[float, float], parent: QWidget | None = None,
                 lanes_note: Callable[[tuple[int, int]], str | None] | None = None) -> None:
        """`lanes_note(size)`: what an export of that size would have to say about its lanes."""
        super().__init__(parent)
        self._lanes_note = lanes_note
        self.setObjectName("export_image_dialog")
        self.setWindowTitle("Export image")
        self._view_window = view_window
        self._project_window = project_window
        self.path_edit = QLineEdit(str(Path(folder) / "timeline.png"))
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.width_spin, self.height_spin = QSpinBox(), QSpinBox()
        for spin, value in ((self.width_spin, 1600), (self.height_spin, 900)):
            spin.setRange(320, 16000)
            spin.setValue(value)
            spin.setSuffix(" px")
        size_row = QHBoxLayout()
        size_row.addWidget(self.width_spin)
        size_row.addWidget(QLabel("×"))
        size_row.addWidget(self.height_spin)
        size_row.addStretch(1)
        self.size_note = QLabel("SVG and PDF are vector drawings: the size only sets their proportions.")
        self.size_note.setStyleSheet("color: #666;")
        self.fit_note = QLabel()
        self.fit_note.setObjectName("export_fit_note")
        self.fit_note.setWordWrap(True)
        self.fit_note.setStyleSheet("color: #8a5a00;")
        self.fit_note.setVisible(False)
        self.view_radio = QRadioButton("The timeline as shown")
        self.all_radio = QRadioButton("The whole project")
        self.range_radio = QRadioButton("From")
        self.view_radio.setChecked(True)
        self.ranges = QButtonGroup(self)
        for button in (self.view_radio, self.all_radio, self.range_radio):
            self.ranges.addButton(button)
        self.from_edit, self.to_edit = QLineEdit(), QLineEdit()
        self.from_edit.setPlaceholderText("e.g. Oct 2023")
        self.to_edit.setPlaceholderText("e.g. Feb 2024")
        for edit in (self.from_edit, self.to_edit):
            edit.textEdited.connect(lambda _t: self.range_radio.setChecked(True))
            edit.textChanged.connect(self._validate)
        range_row = QHBoxLayout()
        range_row.addWidget(self.range_radio)
        range_row.addWidget(self.from_edit)
        range_row.addWidget(QLabel("to"))
        range_row.addWidget(self.to_edit)
        self.title_edit = QLineEdit(title)
        self.message = QLabel()
        self.message.setStyleSheet("color: #c62828;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("File", path_row)
        form.addRow("Size", size_row)
        form.addRow("", self.size_note)
        form.addRow("", self.fit_note)
        form.addRow("Dates", self.view_radio)
        form.addRow("", self.all_radio)
        form.addRow("", range_row)
        form.addRow("Title", self.title_edit)
        form.addRow(self.message)
        form.addRow(self.buttons)
        self.path_edit.textChanged.connect(self._validate)
        for spin in (self.width_spin, self.height_spin):
            spin.valueChanged.connect(lambda _v: self._validate())
        self.ranges.buttonToggled.connect(lambda *_: self._validate())
        self._validate()

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export image", self.path_edit.text(), IMAGE_FILTER)
        if path:
            self.path_edit.setText(path)

    def _dates(self) -> tuple[int | None, int | None] | str:
        """(lo, hi) in seconds, or the reason they cannot be read."""
        if self.view_radio.isChecked():
            return int(self._view_window[0]), int(self._view_window[1])
        if self.all_radio.isChecked():
            return int(self._project_window[0]), int(self._project_window[1])
        try:
            lo = parse_fuzzy(self.from_edit.text()).lo_ts if self.from_edit.text().strip() else None
            hi = parse_fuzzy(self.to_edit.text()).hi_ts if self.to_edit.text().strip() else None
        except DateParseError as exc:
            return str(exc)
        lo = int(self._project_window[0]) if lo is None else lo
        hi = int(self._project_window[1]) if hi is None else hi
        return (lo, hi) if hi > lo else "the end of the range is before its start"

    def _validate(self) -> None:
        suffix = Path(self.path_edit.text()).suffix.lower()
        raster = suffix in RASTER_SUFFIXES
        self.size_note.setVisible(not raster)
        note = self._lanes_note((self.width_spin.value(), self.height_spin.value())) if self._lanes_note else None
        self.fit_note.setText(note or "")
        self.fit_note.setVisible(bool(note))
        dates = self._dates()
        error = dates if isinstance(dates, str) else ""
        if suffix not in (*RASTER_SUFFIXES, ".svg", ".pdf"):
            error = "the file name must end in .png, .svg or .pdf"
        self.message.setText(error)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not error)

    def request(self) -> ImageRequest:
        lo, hi = self._dates()  # type: ignore[misc]  # OK is disabled while the dates are wrong
        return ImageRequest(Path(self.path_edit.text()), (self.width_spin.value(), self.height_spin.value()),
                            lo, hi, self.title_edit.text().strip())
