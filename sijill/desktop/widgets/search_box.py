"""The search box: what the analyst types becomes the hub filter's `search`, 200 ms after the
last key; Enter asks for the next match, Down moves to the results list."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from sijill.desktop.hub import ProjectHub, ViewFilter

DEBOUNCE_MS = 200


class SearchBox(QLineEdit):
    """A line edit with a clear button, debounced, in step with `hub.filter.search`."""

    next_match_requested = Signal()
    results_requested = Signal()  # Down arrow: go to the list of results

    def __init__(self, hub: ProjectHub, parent: QWidget | None = None, delay_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self.hub = hub
        self.setObjectName("search_box")
        self.setPlaceholderText("Search events, sources, passages…  (Ctrl+F)")
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(200)
        self.setMaximumWidth(320)  # in a toolbar a line edit would take all the room
        self.setText(hub.filter.search)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.apply)
        self.textChanged.connect(lambda _text: self._timer.start())
        self.returnPressed.connect(self._on_return)
        hub.filter_changed.connect(self._on_filter_changed)

    def apply(self) -> None:
        """Put the text in the hub's filter now (the timer does it 200 ms after the last key)."""
        self._timer.stop()
        self.hub.set_filter(self.hub.filter.with_(search=self.text().strip()))

    def cancel_pending(self) -> None:
        """Forget typing not yet applied (the window is closing its project)."""
        self._timer.stop()

    def _on_return(self) -> None:
        self.apply()
        self.next_match_requested.emit()

    def _on_filter_changed(self, view_filter: ViewFilter) -> None:
        if view_filter.search != self.text().strip() and not self._timer.isActive():
            self.blockSignals(True)
            self.setText(view_filter.search)
            self.blockSignals(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            self.apply()
            event.accept()
            return
        if event.key() == Qt.Key.Key_Down and self.text():
            self.apply()
            self.results_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)
