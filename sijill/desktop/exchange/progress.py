"""The progress dialog an import, a dry run or an export runs under, on the main thread.

The work calls `update(fraction)` and `cancelled()` now and then (`run_import` every 500
records, the exporters every few thousand); both let Qt process events, so the dialog repaints
and its Cancel button is heard. The dialog is window-modal: while the work runs nothing else in
the window can change the project. It appears only when the work lasts (`minimumDuration`).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

STEPS = 1000


class Progress:
    """A QProgressDialog driven by fractions; `cancelled()` is True once Cancel was pressed."""

    def __init__(self, parent: QWidget | None, label: str, title: str = "Sijill", cancellable: bool = True,
                 minimum_duration: int = 400) -> None:
        self.dialog = QProgressDialog(label, "Cancel" if cancellable else None, 0, STEPS, parent)
        self.dialog.setObjectName("exchange_progress")
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(minimum_duration)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumWidth(380)
        self.dialog.setValue(0)

    def update(self, fraction: float) -> None:
        self.dialog.setValue(max(0, min(STEPS, int(fraction * STEPS))))
        QApplication.processEvents()

    def cancelled(self) -> bool:
        QApplication.processEvents()
        return self.dialog.wasCanceled()

    def close(self) -> None:
        self.dialog.reset()
        self.dialog.hide()
        self.dialog.deleteLater()

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
