"""Create an event from a passage: what the passage suggests (a title from its first sentence,
its first date read against the source's published date, the groups it names as actors),
shown in a small dialog the analyst corrects before anything is written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPlainTextEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from db import schema
from db.dates import DateParseError, FuzzyDate, parse_fuzzy
from db.mentions import Mention
from desktop.dialogs.source_dialog import describe_date
from desktop.hub import ProjectHub

TITLE_LIMIT = 110
_SENTENCE_END = re.compile(r"[.!?؟。…](?=\s|$)|\n")


def first_sentence(text: str, limit: int = TITLE_LIMIT) -> str:
    """The passage's first sentence, whitespace tidied, cut at a word boundary if too long."""
    text = " ".join(text.split()) if "\n" not in text.strip() else text.strip()
    m = _SENTENCE_END.search(text)
    sentence = text[:m.start()] if m and m.start() > 0 else text
    sentence = " ".join(sentence.split()).strip(" ,;:-–—«»\"'“”")
    if len(sentence) > limit:
        cut = sentence[:limit].rsplit(" ", 1)[0]
        sentence = (cut or sentence[:limit]).rstrip(" ,;:") + "…"
    return sentence


@dataclass
class PassageSuggestion:
    """What a passage suggests for a new event."""

    title: str
    date: FuzzyDate | None
    date_note: str
    groups: list[tuple[int, str]] = field(default_factory=list)  # (group id, role)


def suggest_event(passage: str, mentions: list[Mention], published: FuzzyDate | None) -> PassageSuggestion:
    """`mentions` are those inside the passage (code points relative to anything; only order counts)."""
    dates = [m for m in mentions if m.kind == "date" and m.date is not None]
    if dates:
        date, note = dates[0].date, f"from “{dates[0].text}” in the passage"
    elif published is not None:
        date, note = published, "no date in the passage: the source's published date"
    else:
        date, note = None, "no date in the passage or the source: enter one"
    groups = list(dict.fromkeys(m.group_id for m in mentions if m.kind == "group" and m.group_id is not None))
    return PassageSuggestion(first_sentence(passage), date, note, [(g, "actor") for g in groups])


class PassageEventDialog(QDialog):
    """Title, start (and optional end) date, groups with roles, description of a new event."""

    def __init__(self, hub: ProjectHub, suggestion: PassageSuggestion, *, reference: datetime | None = None,
                 language: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PassageEventDialog")
        self.setWindowTitle("Create event from passage")
        self.resize(560, 480)
        self.hub = hub
        self.reference = reference
        self.language = language
        self._start = suggestion.date
        self._end: FuzzyDate | None = None

        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.title_edit = QLineEdit(suggestion.title)
        form.addRow("&Title", self.title_edit)
        self.start_edit = QLineEdit(suggestion.date.text if suggestion.date else "")
        self.start_preview = QLabel()
        self.start_preview.setObjectName("startPreview")
        form.addRow("&Date", self.start_edit)
        form.addRow("", self.start_preview)
        self._start_note = suggestion.date_note
        self.end_edit = QLineEdit()
        self.end_edit.setPlaceholderText("optional")
        self.end_preview = QLabel()
        form.addRow("&End", self.end_edit)
        form.addRow("", self.end_preview)
        self.description_edit = QPlainTextEdit()
        self.description_edit.setMaximumHeight(80)
        form.addRow("De&scription", self.description_edit)
        layout.addLayout(form)

        layout.addWidget(QLabel("Groups (found in the passage; change a role or remove a row)"))
        self.groups_table = QTableWidget(0, 2)
        self.groups_table.setObjectName("eventGroups")
        self.groups_table.setHorizontalHeaderLabels(["Group", "Role"])
        self.groups_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.groups_table.verticalHeader().setVisible(False)
        layout.addWidget(self.groups_table, 1)
        row = QHBoxLayout()
        self.add_group_combo = QComboBox()
        for g in hub.project.groups():
            self.add_group_combo.addItem(g.name, g.id)
        add = QPushButton("Add group")
        add.clicked.connect(lambda: self.add_group(self.add_group_combo.currentData(), "actor"))
        remove = QPushButton("Remove group")
        remove.clicked.connect(lambda: self.groups_table.removeRow(self.groups_table.currentRow()))
        row.addWidget(self.add_group_combo, 1)
        row.addWidget(add)
        row.addWidget(remove)
        layout.addLayout(row)
        for gid, role in suggestion.groups:
            self.add_group(gid, role)

        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020")
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.start_edit.textChanged.connect(self._check)
        self.end_edit.textChanged.connect(self._check)
        self.title_edit.textChanged.connect(self._check)
        self._check()

    def add_group(self, group_id: int | None, role: str = "actor") -> None:
        if group_id is None:
            return
        for r in range(self.groups_table.rowCount()):
            if self.groups_table.item(r, 0).data(Qt.ItemDataRole.UserRole) == group_id:
                return
        r = self.groups_table.rowCount()
        self.groups_table.insertRow(r)
        item = QTableWidgetItem(self.hub.project.group(group_id).name)
        item.setData(Qt.ItemDataRole.UserRole, group_id)
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.groups_table.setItem(r, 0, item)
        combo = QComboBox()
        combo.addItems(list(schema.ROLES))
        combo.setCurrentText(role)
        self.groups_table.setCellWidget(r, 1, combo)

    def set_role(self, group_id: int, role: str) -> None:
        for r in range(self.groups_table.rowCount()):
            if self.groups_table.item(r, 0).data(Qt.ItemDataRole.UserRole) == group_id:
                self.groups_table.cellWidget(r, 1).setCurrentText(role)

    def groups(self) -> list[tuple[int, str]]:
        return [(self.groups_table.item(r, 0).data(Qt.ItemDataRole.UserRole),
                 self.groups_table.cellWidget(r, 1).currentText()) for r in range(self.groups_table.rowCount())]

    def _read(self, text: str, keep: FuzzyDate | None) -> FuzzyDate | None:
        text = text.strip()
        if not text:
            return None
        if keep is not None and text == keep.text:
            return keep
        return parse_fuzzy(text, reference=self.reference, lang=self.language)

    def _check(self) -> None:
        problem = ""
        try:
            self._start = self._read(self.start_edit.text(), self._start)
            if self._start is None:
                self.start_preview.setText("<i>an event needs a date</i>")
                problem = "Enter the date of the event."
            else:
                note = self._start_note if self._start.text == self.start_edit.text().strip() else ""
                self.start_preview.setText("→ " + describe_date(self._start) + (f" — {note}" if note else ""))
        except (DateParseError, ValueError) as exc:
            self._start = None
            self.start_preview.setText(f"<span style='color:#b00020'>{exc}</span>")
            problem = "The date cannot be read."
        try:
            self._end = self._read(self.end_edit.text(), self._end)
            self.end_preview.setText("→ " + describe_date(self._end) if self._end else "")
        except (DateParseError, ValueError) as exc:
            self._end = None
            self.end_preview.setText(f"<span style='color:#b00020'>{exc}</span>")
            problem = problem or "The end date cannot be read."
        if not problem and self._end is not None and self._start is not None and self._end.hi < self._start.lo:
            problem = "The end is before the start."
        if not self.title_edit.text().strip():
            problem = problem or "An event needs a title."
        self.error_label.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    def accept(self) -> None:
        self._check()
        if self.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled():
            super().accept()

    def values(self) -> dict:
        """Fields for Project.create_event (the lead's CreateEventCommand)."""
        out = {"title": self.title_edit.text().strip(), "start": self._start, "groups": self.groups()}
        if self._end is not None:
            out["end"] = self._end
        description = self.description_edit.toPlainText().strip()
        if description:
            out["description"] = description
        return out
