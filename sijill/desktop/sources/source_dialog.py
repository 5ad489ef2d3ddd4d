"""Source metadata: title, outlet, author, URL, published date (fuzzy, previewed as typed),
language, kind, the Admiralty reliability grade with each grade's meaning shown, and whether the
text is a summary rather than the document's own words (the reader and the exports then say so).

Opened with `open()` (window-modal, not a nested event loop); the caller connects `accepted`
and reads `values()`. When adding by pasting, the dialog also holds the pasted text.
"""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QRadioButton, QVBoxLayout,
                               QWidget)

from sijill.db.store.basics import ProjectError
from sijill.db.dates import DateParseError, FuzzyDate, parse_fuzzy
from sijill.db.store.entities import Source
from sijill.desktop.sources.grades import RELIABILITY

LANGUAGE_CHOICES = (("", "—"), ("en", "English"), ("fr", "French"), ("ar", "Arabic"))
KIND_CHOICES = ("article", "statement", "report", "social media post", "transcript", "other")


def describe_date(date: FuzzyDate) -> str:
    """"Sat 27 Jan 2024 (day)": how a fuzzy date was read, for previews and tooltips."""
    if date.precision in ("day", "hour", "minute"):
        shown = date.lo.strftime("%a ") + date.display().removeprefix("c. ")
        shown = ("c. " if date.approximate else "") + shown
    else:
        shown = date.display()
    if date.lo.date() != date.hi.date() and date.precision not in ("day", "hour", "minute"):
        shown += f" ({date.lo:%-d %b %Y} – {date.hi:%-d %b %Y})"
    else:
        shown += f" ({date.precision})"
    return shown


class SourceDialog(QDialog):
    """Edit (or enter) one source's metadata; `paste=True` adds a box for the source's text."""

    def __init__(self, parent: QWidget | None = None, *, source: Source | None = None,
                 title: str = "", language: str | None = None, kind: str | None = None,
                 paste: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("SourceDialog")
        self.setWindowTitle("Source" if source else "New source")
        self.setMinimumWidth(560)
        self._published: FuzzyDate | None = source.published if source else None
        self._published_text = source.published.text if source and source.published else ""

        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.title_edit = QLineEdit(source.title if source else title)
        self.outlet_edit = QLineEdit((source.outlet or "") if source else "")
        self.author_edit = QLineEdit((source.author or "") if source else "")
        self.url_edit = QLineEdit((source.url or "") if source else "")
        self.published_edit = QLineEdit(self._published_text)
        self.published_edit.setPlaceholderText("e.g. 2024-01-31, 31 January 2024, janvier 2024")
        self.published_preview = QLabel()
        self.published_preview.setObjectName("publishedPreview")
        self.language_combo = QComboBox()
        for code, name in LANGUAGE_CHOICES:
            self.language_combo.addItem(name, code)
        lang = (source.language if source else language) or ""
        if self.language_combo.findData(lang) < 0:
            self.language_combo.addItem(lang, lang)
        self.language_combo.setCurrentIndex(self.language_combo.findData(lang))
        self.kind_combo = QComboBox()
        self.kind_combo.setEditable(True)
        self.kind_combo.addItems(["", *KIND_CHOICES])
        self.kind_combo.setCurrentText((source.kind if source else kind) or "")

        form.addRow("&Title", self.title_edit)
        form.addRow("&Outlet", self.outlet_edit)
        form.addRow("&Author", self.author_edit)
        form.addRow("&URL", self.url_edit)
        form.addRow("&Published", self.published_edit)
        form.addRow("", self.published_preview)
        form.addRow("&Language", self.language_combo)
        form.addRow("&Kind", self.kind_combo)
        self.summary_check = QCheckBox("The text is a &summary, not the document's own words")
        self.summary_check.setToolTip("Quotes from this source are then marked, in the reader and in every "
                                      "export, as coming from a summary rather than from the article itself.")
        self.summary_check.setChecked(bool(source and source.summary))
        form.addRow("", self.summary_check)
        fields = QVBoxLayout()
        fields.addLayout(form)

        box = QGroupBox("Source reliability (Admiralty scale)")
        box_layout = QVBoxLayout(box)
        box_layout.setSpacing(2)
        self.reliability_buttons = QButtonGroup(self)
        current = source.reliability if source else None
        for i, grade in enumerate([None, *RELIABILITY]):
            if grade is None:
                text = "Not graded"
            else:
                name, meaning = RELIABILITY[grade]
                text = f"{grade}  {name} — {meaning}"
            button = QRadioButton(text)
            button.setProperty("grade", grade or "")
            self.reliability_buttons.addButton(button, i)
            box_layout.addWidget(button)
            if grade == current:
                button.setChecked(True)
        fields.addWidget(box)
        fields.addStretch(1)

        self.body_edit: QPlainTextEdit | None = None
        if paste:  # the text beside the fields, as tall as they are: the dialog fits a 768 px screen
            self.body_edit = QPlainTextEdit()
            self.body_edit.setPlaceholderText("Paste the source's text here")
            self.body_edit.setMinimumSize(380, 160)
            text_label = QLabel("&Text")
            text_label.setBuddy(self.body_edit)
            text = QVBoxLayout()
            text.addWidget(text_label)
            text.addWidget(self.body_edit, 1)
            columns = QHBoxLayout()
            columns.addLayout(fields, 0)
            columns.addLayout(text, 1)
            layout.addLayout(columns, 1)
        else:
            layout.addLayout(fields)

        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020")
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.published_edit.textChanged.connect(self._update_preview)
        self.language_combo.currentIndexChanged.connect(self._update_preview)
        self.title_edit.textChanged.connect(self._validate)
        if self.body_edit is not None:
            self.body_edit.textChanged.connect(self._validate)
        self._update_preview()

    # ---- values ------------------------------------------------------------------------------
    def set_reliability(self, grade: str | None) -> None:
        for button in self.reliability_buttons.buttons():
            if button.property("grade") == (grade or ""):
                button.setChecked(True)

    def reliability(self) -> str | None:
        button = self.reliability_buttons.checkedButton()
        return (button.property("grade") or None) if button else None

    def published(self) -> FuzzyDate | None:
        return self._published

    def values(self) -> dict:
        """Fields for Project.create_source / update_source (plus `body` when pasting)."""
        out = {
            "title": self.title_edit.text().strip(),
            "outlet": self.outlet_edit.text().strip() or None,
            "author": self.author_edit.text().strip() or None,
            "url": self.url_edit.text().strip() or None,
            "published": self._published,
            "language": self.language_combo.currentData() or None,
            "kind": self.kind_combo.currentText().strip() or None,
            "reliability": self.reliability(),
            "summary": self.summary_check.isChecked(),
        }
        if self.body_edit is not None:
            out["body"] = self.pasted_text()
        return out

    def pasted_text(self) -> str:
        from sijill.db.text.documents import text_from_paste

        return text_from_paste(self.body_edit.toPlainText()) if self.body_edit is not None else ""

    # ---- checking ----------------------------------------------------------------------------
    def _update_preview(self) -> None:
        text = self.published_edit.text().strip()
        self._date_error = ""
        if not text:
            self._published = None
            self.published_preview.setText("<i>no date</i>")
        elif self._published is not None and text == self._published.text:
            self.published_preview.setText("→ " + describe_date(self._published))
        else:
            try:
                self._published = parse_fuzzy(text, lang=self.language_combo.currentData() or None)
            except (DateParseError, ValueError) as exc:
                self._published = None
                self._date_error = str(exc)
                self.published_preview.setText(f"<span style='color:#b00020'>{escape(str(exc), quote=False)}</span>")
            else:
                self.published_preview.setText("→ " + describe_date(self._published))
        self._validate()

    def _validate(self) -> None:
        problem = ""
        if not self.title_edit.text().strip():
            problem = "A source needs a title."
        elif self._date_error:
            problem = "The published date cannot be read: fix it or leave it empty."
        elif self.body_edit is not None:
            try:
                self.pasted_text()
            except ProjectError as exc:
                problem = str(exc)
        self.error_label.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    def accept(self) -> None:
        self._validate()
        if self.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled():
            super().accept()


def rtl_if_arabic(widget: QWidget, text: str) -> None:
    """Lay a text widget out right-to-left when its text is mostly Arabic."""
    arabic = sum("\u0600" <= c <= "\u06ff" for c in text)
    latin = sum(c.isascii() and c.isalpha() for c in text)
    widget.setLayoutDirection(Qt.LayoutDirection.RightToLeft if arabic > latin else Qt.LayoutDirection.LeftToRight)
