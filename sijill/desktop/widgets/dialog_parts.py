"""What the record dialogs build alike: their OK/Cancel row (OK maybe renamed: "Create", "Merge")
and the line under a form that says in red why OK did nothing."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel

from sijill.desktop.widgets.date_field import ERROR_COLOR


def ok_cancel(dialog: QDialog, ok_text: str | None = None) -> QDialogButtonBox:
    """OK and Cancel wired to the dialog's accept and reject; OK says `ok_text` when given."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    if ok_text:
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def error_label(dialog: QDialog, name: str | None = None) -> QLabel:
    """An empty, wrapping, red line for what is wrong with the form (named `name` for tests)."""
    label = QLabel(dialog)
    if name:
        label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {ERROR_COLOR};")
    return label
