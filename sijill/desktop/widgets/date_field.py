"""A fuzzy date typed in a dialog: the line edit, and beneath it how the date reads (or, in red, why
it does not). The event and period dialogs each have two."""
from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from sijill.db.dates import DateParseError, FuzzyDate, parse_fuzzy
from sijill.desktop.widgets import theme
from sijill.db.dates.styles import bounds_text

ERROR_COLOR = "#c62828"


def reading_of(d: FuzzyDate) -> str:
    """'18 Oct 2023 · bounds 2023-10-18 00:00 – 23:59 UTC · precision day' (+ flags)."""
    flags = [name for name, on in (("approximate", d.approximate), ("uncertain", d.uncertain)) if on]
    return " · ".join([d.display(), bounds_text(d.lo_ts, d.hi_ts), f"precision {d.precision}", *flags])


def same_date(a: FuzzyDate | None, b: FuzzyDate | None) -> bool:
    key = lambda d: None if d is None else (d.text, d.lo_ts, d.hi_ts, d.precision,  # noqa: E731
                                            d.approximate, d.uncertain)
    return key(a) == key(b)



class DateField(QWidget):
    """A line edit for a fuzzy date with its reading (or the parse error, in red) beneath."""

    changed = Signal()

    def __init__(self, optional: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.optional = optional
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("e.g. 18 Oct 2023, mid-October 2023, 2014, samedi dernier"
                                     + (" (empty: no end)" if optional else ""))
        self.preview = QLabel(self)
        self.preview.setWordWrap(True)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.preview)
        self.stored: FuzzyDate | None = None
        self.reference: datetime | None = None
        self.lang: str | None = None
        self.reference_touched = False
        self.value: FuzzyDate | None = None
        self.error: str | None = None
        self.shows_error = False  # an error is said once the text was edited (or `reveal_error()`)
        self._filling = False
        self.edit.textChanged.connect(self._edited)
        self.edit.textChanged.connect(self.read)

    def _edited(self) -> None:
        if not self._filling:
            self.shows_error = True

    def reveal_error(self) -> None:
        """Say what is wrong even though nothing was typed (the user pressed OK)."""
        self.shows_error = True
        self.read()

    def set_stored(self, d: FuzzyDate | None) -> None:
        self.stored = d
        self._filling = True
        try:
            self.edit.setText(d.text if d else "")
        finally:
            self._filling = False
        self.read()

    def set_reference(self, reference: datetime | None, lang: str | None, touched: bool) -> None:
        self.reference, self.lang, self.reference_touched = reference, lang, touched
        self.read()

    @property
    def touched(self) -> bool:
        """The user changed the text, or the reference it is read against."""
        original = self.stored.text if self.stored else ""
        return self.edit.text().strip() != original.strip() or self.reference_touched

    def read(self) -> None:
        text = self.edit.text().strip()
        self.error = None
        if not self.touched and self.stored is not None:
            self.value = self.stored  # as stored: not read again against today
        elif not text:
            self.value = None
            if not self.optional:
                self.error = "a date is needed"
        else:
            try:
                self.value = parse_fuzzy(text, reference=self.reference, lang=self.lang)
            except DateParseError as exc:
                self.value, self.error = None, str(exc)
        if self.error and self.shows_error:
            self.preview.setStyleSheet(f"color: {ERROR_COLOR};")
            self.preview.setText(self.error)
        elif self.error:  # nothing typed yet: a hint, not an error
            self.preview.setStyleSheet(f"color: {theme.current().secondary};")
            self.preview.setText("required")
        else:
            self.preview.setStyleSheet(f"color: {theme.current().secondary};")
            self.preview.setText(reading_of(self.value) if self.value else "no end: the event is a moment")
        self.changed.emit()
