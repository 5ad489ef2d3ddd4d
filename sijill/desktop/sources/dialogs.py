"""A document chosen and read, for the source library and the reader (their dialogs are held one at
a time by `sijill.desktop.widgets.dialog_slot`)."""
from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from sijill.db.store.basics import ProjectError

FILE_FILTER = "Documents (*.txt *.md *.markdown *.html *.htm *.pdf);;All files (*)"


def read_chosen_document(parent: QWidget, title: str, path: str | None = None):
    """The document at `path` (asked for when None) as `sijill.db.text.documents.read_document` reads it, or
    None when the analyst cancels or the file cannot be read as text (after saying why)."""
    if path is None:
        path, _ = QFileDialog.getOpenFileName(parent, title, "", FILE_FILTER)
        if not path:
            return None
    from sijill.db.text.documents import read_document

    try:
        return read_document(path)
    except ProjectError as exc:
        QMessageBox.warning(parent, title, str(exc))
        return None
