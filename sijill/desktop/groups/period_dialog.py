"""The period editor: title, start and end as fuzzy dates read as they are typed, colour, description.

New (`period` None, optionally prefilled with a range dragged on the timeline's axis) or edit.
`fields()` is what CreatePeriodCommand takes; `changed_fields()` what EditPeriodCommand takes.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QUndoStack
from PySide6.QtWidgets import (QColorDialog, QDialog, QDialogButtonBox, QFormLayout, QLineEdit,
                               QPlainTextEdit, QPushButton, QVBoxLayout, QWidget)

from sijill.db.store.entities import Period
from sijill.desktop.commands.periods import CreatePeriodCommand, EditPeriodCommand
from sijill.desktop.commands.stack import refuse_read_only
from sijill.desktop.hub import ProjectHub
from sijill.desktop.widgets.date_field import DateField, same_date
from sijill.desktop.widgets.dialog_parts import ok_cancel, error_label

PERIOD_COLORS = ("#8da0cb", "#e5c494", "#a6d854", "#fc8d62", "#66c2a5", "#e78ac3", "#ffd92f", "#b3b3b3")


class PeriodDialog(QDialog):
    """Create or edit one period (a background band on the timeline)."""

    def __init__(self, hub: ProjectHub, period: Period | None = None, parent: QWidget | None = None,
                 start: str = "", end: str = "") -> None:
        super().__init__(parent)
        self.hub = hub
        self.period = period
        self.setObjectName("period_dialog")
        self.setWindowTitle(f"Edit period — {period.title}" if period else "New period")
        self.setMinimumWidth(560)
        periods = hub.project.periods()
        self.title = QLineEdit(period.title if period else "", self)
        self.title.setPlaceholderText("e.g. ISIS holds Mosul")
        self.start = DateField(optional=False, parent=self)
        self.end = DateField(optional=False, parent=self)
        for field in (self.start, self.end):
            field.edit.setPlaceholderText("e.g. 10 June 2014, mid-2016, c. July 2017")
        if period is not None:
            self.start.set_stored(period.start)
            self.end.set_stored(period.end)
            color = period.color or PERIOD_COLORS[0]
        else:
            self.start.set_stored(None)
            self.end.set_stored(None)
            self.start.edit.setText(start)
            self.end.edit.setText(end)
            used = {(p.color or "").lower() for p in periods}
            color = next((c for c in PERIOD_COLORS if c not in used), PERIOD_COLORS[len(periods) % len(PERIOD_COLORS)])
        self.color = QColor(color)
        self.color_button = QPushButton(self)
        self.color_button.setObjectName("period_colour")
        self.color_button.clicked.connect(self.choose_color)
        self._show_color()
        self.description = QPlainTextEdit((period.description or "") if period else "", self)
        self.description.setPlaceholderText("What holds during this period, and on whose account")
        self.description.setMaximumHeight(100)
        self.message = error_label(self)
        self.buttons = ok_cancel(self, "Create" if period is None else None)
        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("&From", self.start)
        form.addRow("&To", self.end)
        form.addRow("&Colour", self.color_button)
        form.addRow("&Description", self.description)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._touched = period is not None or bool(start or end)
        self.title.textChanged.connect(self._typed)
        self.start.changed.connect(self._typed)
        self.end.changed.connect(self._typed)
        self.validate()
        for field in (self.start, self.end):
            if not field.edit.text().strip():
                field.preview.setText("")      # nothing typed yet: no error to show
        (self.title if period is None else self.start.edit).setFocus()

    def choose_color(self) -> None:
        color = QColorDialog.getColor(self.color, self, "Colour of the period's band")
        if color.isValid():
            self.set_color(color)

    def set_color(self, color: QColor) -> None:
        self.color = QColor(color)
        self._show_color()

    def _show_color(self) -> None:
        name = self.color.name()
        text = "#000000" if self.color.lightness() > 140 else "#ffffff"
        self.color_button.setText(name)
        self.color_button.setStyleSheet(f"background: {name}; color: {text}; padding: 4px 12px;")

    def _typed(self) -> None:
        self._touched = True
        self.validate()

    def problems(self) -> list[str]:
        out = []
        title = self.title.text().strip()
        if not title:
            out.append("the period needs a title")
        elif any(p.title == title and (self.period is None or p.id != self.period.id)
                 for p in self.hub.project.periods()):
            out.append(f"a period titled “{title}” exists")
        for name, field in (("from", self.start), ("to", self.end)):
            if field.error:
                out.append(f"{name}: {field.error}")
        if self.start.value and self.end.value and self.end.value.hi < self.start.value.lo:
            out.append("the end is before the start")
        return out

    def validate(self) -> bool:
        """Enable OK only when the period can be saved; say why not once something is typed."""
        problems = self.problems()
        self.message.setText("; ".join(problems) if self._touched else "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problems)
        return not problems

    def fields(self) -> dict:
        return {"title": self.title.text().strip(), "start": self.start.value, "end": self.end.value,
                "color": self.color.name(), "description": self.description.toPlainText().strip() or None}

    def changed_fields(self) -> dict:
        new, p = self.fields(), self.period
        changed = {k: new[k] for k in ("title", "description") if new[k] != getattr(p, k)}
        if new["color"] != (p.color or "").lower():
            changed["color"] = new["color"]
        if not same_date(new["start"], p.start):
            changed["start"] = new["start"]
        if not same_date(new["end"], p.end):
            changed["end"] = new["end"]
        return changed

    def accept(self) -> None:
        if self.validate():
            super().accept()


def open_period_editor(parent: QWidget, hub: ProjectHub, stack: QUndoStack, period_id: int | None = None,
                       start: str = "", end: str = "") -> PeriodDialog | None:
    """Show the period dialog (a new period, prefilled with `start`/`end`, when `period_id` is None);
    OK pushes one command on `stack`."""
    if refuse_read_only(hub.project, parent):
        return None
    period = hub.project.period(period_id) if period_id is not None else None
    dialog = PeriodDialog(hub, period, parent, start=start, end=end)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if period is not None:
        from sijill.desktop.history.history_view import add_history_tab

        add_history_tab(dialog, hub, stack, "period", period.uid)

    def push() -> None:
        if period is None:
            stack.push(CreatePeriodCommand(hub, dialog.fields()))
        else:
            changes = dialog.changed_fields()
            if changes:
                stack.push(EditPeriodCommand(hub, period.id, changes))

    dialog.accepted.connect(push)
    dialog.open()
    return dialog
