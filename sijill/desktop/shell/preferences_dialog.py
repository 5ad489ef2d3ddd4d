"""Edit ▸ Preferences…: the analyst's name, the theme, how dates are shown, the date relative
phrases are read against, and where exports go.

`Preferences` is what the dialog edits, read from and written to `Settings` (each option declared
in desktop.settings). A theme chosen in the dialog is shown at once (`theme_chosen`) and taken back
on Cancel; the rest applies on OK, through the window (`MainWindow.apply_preferences`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget)

from sijill.db.dates.styles import STYLE_LABELS, STYLES
from sijill.db.dates import DateParseError, parse_fuzzy
from sijill.desktop import settings as opt
from sijill.desktop.widgets import theme
from sijill.desktop.hub import DisplayOptions
from sijill.desktop.paths import documents_dir
from sijill.desktop.settings import Settings


def reference_from_text(text: str) -> datetime | None:
    """The default reference date typed ("2024-03-12", "12 March 2024"): its first day at noon UTC
    (as "today" is read); None for an empty text. DateParseError when it is not a date."""
    if not text.strip():
        return None
    lo = parse_fuzzy(text.strip()).lo.astimezone(timezone.utc)
    return lo.replace(hour=12, minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class Preferences:
    """The analyst's choices, as stored."""

    analyst: str = ""
    theme: str = "system"
    dates: str = "label"
    reference: str = ""          # YYYY-MM-DD, "" for today
    export_folder: str = ""      # "" for the Documents folder

    @classmethod
    def load(cls, settings: Settings) -> "Preferences":
        theme_name = settings.get(opt.THEME)
        dates = settings.get(opt.DATE_DISPLAY)
        return cls(analyst=settings.get(opt.ANALYST_NAME).strip(),
                   theme=theme_name if theme_name in theme.THEMES else "system",
                   dates=dates if dates in STYLES else "label",
                   reference=settings.get(opt.REFERENCE_DATE), export_folder=settings.get(opt.EXPORT_FOLDER))

    def save(self, settings: Settings) -> None:
        for option, value in ((opt.ANALYST_NAME, self.analyst), (opt.THEME, self.theme),
                              (opt.DATE_DISPLAY, self.dates), (opt.REFERENCE_DATE, self.reference),
                              (opt.EXPORT_FOLDER, self.export_folder)):
            settings.set(option, value)

    def display(self) -> DisplayOptions:
        """What the views share through the hub."""
        try:
            reference = reference_from_text(self.reference)
        except DateParseError:
            reference = None
        return DisplayOptions(dates=self.dates, reference=reference, analyst=self.analyst)


class PreferencesDialog(QDialog):
    """The five preferences in one form; `preferences()` is what OK keeps."""

    theme_chosen = Signal(str)     # a theme picked in the combo (shown at once)

    def __init__(self, current: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferences_dialog")
        self.setWindowTitle("Preferences")
        self.initial = current
        self.analyst = QLineEdit(current.analyst, self)
        self.analyst.setPlaceholderText("your name, recorded with the changes you make")
        self.theme = QComboBox(self)
        for key in theme.THEMES:
            self.theme.addItem(theme.THEME_LABELS[key], key)
        self.theme.setCurrentIndex(theme.THEMES.index(current.theme))
        self.dates = QComboBox(self)
        for key in STYLES:
            self.dates.addItem(STYLE_LABELS[key], key)
        self.dates.setCurrentIndex(STYLES.index(current.dates))
        self.dates.setToolTip("How the events table and the event pane show dates")
        self.reference = QLineEdit(current.reference, self)
        self.reference.setPlaceholderText("today")
        self.reference.setToolTip("What “yesterday”, “last Saturday”, “samedi dernier” are read against when "
                                  "no source gives a date (empty: the day you type them)")
        self.reference_note = QLabel(self)
        self.folder = QLineEdit(current.export_folder, self)
        self.folder.setPlaceholderText(str(documents_dir()))
        self.folder_button = QPushButton("Choose…", self)
        self.folder_button.clicked.connect(self.choose_folder)
        self.message = QLabel(self)
        self.message.setStyleSheet(f"color: {theme.current().error};")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Analyst &name", self.analyst)
        form.addRow("&Theme", self.theme)
        form.addRow("&Dates shown", self.dates)
        reference = QVBoxLayout()
        reference.setSpacing(2)
        reference.addWidget(self.reference)
        reference.addWidget(self.reference_note)
        form.addRow(self._label("Relative dates read &against", self.reference), reference)
        folder = QHBoxLayout()
        folder.addWidget(self.folder, 1)
        folder.addWidget(self.folder_button)
        form.addRow(self._label("&Export folder", self.folder), folder)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

        self.theme.currentIndexChanged.connect(lambda _i: self.theme_chosen.emit(self.theme.currentData()))
        self.reference.textChanged.connect(self.validate)
        self.folder.textChanged.connect(self.validate)
        self.validate()

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        """A row label whose &-key focuses `buddy` (a row holding a layout has none of its own)."""
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def choose_folder(self) -> None:
        start = self.folder.text() or str(documents_dir())
        chosen = QFileDialog.getExistingDirectory(self, "Export folder", start)
        if chosen:
            self.folder.setText(chosen)

    def problem(self) -> str | None:
        try:
            reference_from_text(self.reference.text())
        except DateParseError as exc:
            return f"Relative dates: {exc}"
        folder = self.folder.text().strip()
        if folder and not Path(folder).expanduser().is_dir():
            return f"The folder {folder} does not exist."
        return None

    def validate(self) -> bool:
        problem = self.problem()
        self.message.setText(problem or "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(problem is None)
        if problem is None:
            reference = reference_from_text(self.reference.text())
            self.reference_note.setText(f"read against {reference:%d %b %Y}" if reference
                                        else "read against the day they are typed")
        return problem is None

    def preferences(self) -> Preferences:
        reference = reference_from_text(self.reference.text()) if self.problem() is None else None
        folder = self.folder.text().strip()
        return Preferences(analyst=self.analyst.text().strip(), theme=self.theme.currentData(),
                           dates=self.dates.currentData(), reference=f"{reference:%Y-%m-%d}" if reference else "",
                           export_folder=str(Path(folder).expanduser()) if folder else "")

    def accept(self) -> None:
        if self.validate():
            super().accept()

    def reject(self) -> None:
        if self.theme.currentData() != self.initial.theme:
            self.theme_chosen.emit(self.initial.theme)   # the theme shown while choosing goes back
        super().reject()
