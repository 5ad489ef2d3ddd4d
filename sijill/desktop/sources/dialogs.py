"""What the source library, the reader and the passage editor share about their dialogs: at most
one open at a time (window-modal, never a nested event loop), and a document chosen and read."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from sijill.db.common import ProjectError

FILE_FILTER = "Documents (*.txt *.md *.markdown *.html *.htm *.pdf);;All files (*)"


class DialogSlot:
    """Holds the one dialog its owner has open: opening another closes the first."""

    def __init__(self) -> None:
        self.current: QDialog | None = None

    def open(self, dialog: QDialog, on_accept: Callable[[QDialog], None]) -> QDialog:
        """Show `dialog` with `open()`; `on_accept(dialog)` runs on OK; deleted once finished."""
        if self.current is not None:
            self.current.close()
        self.current = dialog
        dialog.accepted.connect(lambda: on_accept(dialog))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        dialog.open()
        return dialog

    def _closed(self, dialog: QDialog) -> None:
        if self.current is dialog:
            self.current = None
        dialog.deleteLater()


def read_chosen_document(parent: QWidget, title: str, path: str | None = None):
    """The document at `path` (asked for when None) as `sijill.db.textimport.read_document` reads it, or
    None when the analyst cancels or the file cannot be read as text (after saying why)."""
    if path is None:
        path, _ = QFileDialog.getOpenFileName(parent, title, "", FILE_FILTER)
        if not path:
            return None
    from sijill.db.textimport import read_document

    try:
        return read_document(path)
    except ProjectError as exc:
        QMessageBox.warning(parent, title, str(exc))
        return None
