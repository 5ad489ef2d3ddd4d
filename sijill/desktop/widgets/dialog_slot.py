"""At most one dialog open per owner, window-modal and never a nested event loop: the source library,
the reader's passage editor and the group gestures each hold a DialogSlot."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog


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
