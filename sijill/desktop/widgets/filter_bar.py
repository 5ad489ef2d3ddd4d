"""The filter bar: tags, event types, a date range typed as fuzzy dates, evidence, and the area drawn
on the map while one filters (a chip that names how many events it holds and lifts it when clicked)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QMenu, QStyle, QToolButton,
                               QWidget)

from sijill.db.dates import DateParseError, parse_fuzzy
from sijill.desktop.hub import ProjectHub, ViewFilter
from sijill.db.formats.acled import ACLED_EVENT_TYPES
from sijill.db.formats.selection import EVIDENCE_FILTERS

EVIDENCE_CHOICES = (("Any evidence", None), *((label, name) for name, (label, _words) in EVIDENCE_FILTERS.items()))
ERROR_STYLE = "QLineEdit { border: 1px solid #c62828; }"
# translucent blue: a chip that reads on a light or a dark bar
CHIP_STYLE = ("QToolButton { border: 1px solid #2f6db5; border-radius: 10px; padding: 1px 4px 1px 8px;"
              " background: rgba(47, 109, 181, 30); }"
              "QToolButton:hover { background: rgba(47, 109, 181, 60); }")
AREA_TIP = ("Only the events with coordinates inside the area drawn on the map (Shift+drag on the map). "
            "Click to show every event again.")


class ChoiceButton(QToolButton):
    """A button with a menu of check boxes; `chosen()` is the set of checked names.

    The names come from `read_options`, read again only once `invalidate()` was called and the
    menu (or `options()`) is next wanted: an edit costs nothing until then (reading the event
    types takes ~35 ms at 100k events). `extra` actions (not check boxes) follow the names."""

    def __init__(self, label: str, read_options: Callable[[], list[str]],
                 parent: QWidget | None = None, extra: tuple[QAction, ...] = ()) -> None:
        super().__init__(parent)
        self.label = label
        self.read_options = read_options
        self.extra = extra
        self._stale = True
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setMenu(QMenu(self))
        self.menu().aboutToShow.connect(self._ensure_options)
        self._chosen: set[str] = set()
        self._ensure_options()

    def invalidate(self) -> None:
        self._stale = True

    def _ensure_options(self) -> None:
        if self._stale:
            self.set_options(self.read_options())

    def set_options(self, names: list[str]) -> None:
        menu = self.menu()
        menu.clear()
        for name in names:
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(name in self._chosen)
        if not names:
            menu.addAction("(none in this project)").setEnabled(False)
        if self.extra:
            menu.addSeparator()
            menu.addActions(list(self.extra))
        self._stale = False
        self._show_label()

    def options(self) -> list[str]:
        self._ensure_options()
        return [a.text() for a in self.menu().actions() if a.isCheckable()]

    def chosen(self) -> set[str]:
        return set(self._chosen)

    def set_chosen(self, names: set[str]) -> None:
        self._chosen = set(names)
        for action in self.menu().actions():
            if action.isCheckable():
                action.setChecked(action.text() in self._chosen)
        self._show_label()

    def _show_label(self) -> None:
        n = len(self._chosen)
        self.setText(f"{self.label} ({n})" if n else self.label)
        self.setToolTip(", ".join(sorted(self._chosen)) if n else f"Show events of any {self.label.lower()}")


class FilterBar(QWidget):
    """Edits `hub.filter`'s tags, event types, lo/hi and evidence; shows what it holds, the map's
    area among it (lifted from here). `manage_tags` (Edit ▸ Tags…) ends the Tags menu."""

    def __init__(self, hub: ProjectHub, parent: QWidget | None = None, manage_tags: QAction | None = None) -> None:
        super().__init__(parent)
        self.hub = hub
        self.setObjectName("filter_bar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(6)
        self.tags_button = ChoiceButton("Tags", hub.project.tags, self,
                                        extra=(manage_tags,) if manage_tags is not None else ())
        self.types_button = ChoiceButton("Types", self._event_types, self)
        self.tags_button.menu().triggered.connect(
            lambda a: a.isCheckable() and self._toggle(self.tags_button, a.text(), "tags"))
        self.types_button.menu().triggered.connect(
            lambda a: self._toggle(self.types_button, a.text(), "event_types"))
        self.date_from = QLineEdit(self)
        self.date_to = QLineEdit(self)
        for edit, hint in ((self.date_from, "from (e.g. 2019)"), (self.date_to, "to (e.g. Feb 2024)")):
            edit.setPlaceholderText(hint)
            edit.setClearButtonEnabled(True)
            edit.setFixedWidth(130)
            edit.editingFinished.connect(self.apply_dates)
            edit.textChanged.connect(self._check_dates)
        self.message = QLabel(self)
        self.message.setObjectName("filter_message")
        self.message.setStyleSheet("color: #c62828;")
        self.evidence = QComboBox(self)
        for text, value in EVIDENCE_CHOICES:
            self.evidence.addItem(text, value)
        self.evidence.currentIndexChanged.connect(self._on_evidence)
        self.area_chip = QToolButton(self)
        self.area_chip.setObjectName("filter_area")
        self.area_chip.setStyleSheet(CHIP_STYLE)
        self.area_chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.area_chip.setLayoutDirection(Qt.LayoutDirection.RightToLeft)   # the cross after the words
        self.area_chip.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_LineEditClearButton))
        self.area_chip.setToolTip(AREA_TIP)
        self.area_chip.clicked.connect(self.clear_area)
        layout.addWidget(self.tags_button)
        layout.addWidget(self.types_button)
        layout.addWidget(QLabel("Dates", self))
        layout.addWidget(self.date_from)
        layout.addWidget(QLabel("–", self))
        layout.addWidget(self.date_to)
        layout.addWidget(self.evidence)
        layout.addWidget(self.area_chip)
        layout.addWidget(self.message)
        layout.addStretch(1)
        hub.project_reset.connect(self.reload_options)
        hub.tags_changed.connect(self.reload_options)
        for signal in (hub.events_changed, hub.events_removed):  # a type can come or go with its last event
            signal.connect(lambda _ids: self.reload_options())
        hub.filter_changed.connect(self._show_filter)
        self._show_filter(hub.filter)

    def reload_options(self) -> None:
        """The project's tags and types may have changed: read them when next shown."""
        self.tags_button.invalidate()
        self.types_button.invalidate()

    def _event_types(self) -> list[str]:
        return list(ACLED_EVENT_TYPES) + [t for t in self.hub.project.event_types() if t not in ACLED_EVENT_TYPES]

    def _toggle(self, button: ChoiceButton, name: str, field: str) -> None:
        chosen = button.chosen() ^ {name}
        button.set_chosen(chosen)
        self.hub.set_filter(self.hub.filter.with_(**{field: frozenset(chosen)}))

    def _read(self, edit: QLineEdit):
        text = edit.text().strip()
        if not text:
            return None, None
        try:
            return parse_fuzzy(text), None
        except DateParseError as exc:
            return None, str(exc)

    def _check_dates(self) -> tuple[int | None, int | None] | None:
        """Validate both fields; returns (lo, hi) or None, showing the message when one is wrong."""
        start, start_error = self._read(self.date_from)
        end, end_error = self._read(self.date_to)
        self.date_from.setStyleSheet(ERROR_STYLE if start_error else "")
        self.date_to.setStyleSheet(ERROR_STYLE if end_error else "")
        error = start_error or end_error
        if not error and start and end and end.hi < start.lo:
            error = "the end of the range is before its start"
        self.message.setText(error or "")
        if error:
            return None
        return (start.lo_ts if start else None, end.hi_ts if end else None)

    def apply_dates(self) -> None:
        bounds = self._check_dates()
        if bounds is not None:
            lo, hi = bounds
            self.hub.set_filter(self.hub.filter.with_(lo=lo, hi=hi))

    def clear_area(self) -> None:
        """Lift the area drawn on the map: every event it kept out comes back."""
        self.hub.set_filter(self.hub.filter.without_area())

    def _on_evidence(self, _index: int) -> None:
        self.hub.set_filter(self.hub.filter.with_(evidence=self.evidence.currentData()))

    def _show_filter(self, f: ViewFilter) -> None:
        if f.area is not None:
            n = len(f.event_ids or ())
            self.area_chip.setText(f"Map area: {n:,} event{'s' if n != 1 else ''}")
        self.area_chip.setVisible(f.area is not None)
        self.tags_button.set_chosen(set(f.tags))
        self.types_button.set_chosen(set(f.event_types))
        index = next((i for i, (_t, v) in enumerate(EVIDENCE_CHOICES) if v == f.evidence), 0)
        if index != self.evidence.currentIndex():
            self.evidence.blockSignals(True)
            self.evidence.setCurrentIndex(index)
            self.evidence.blockSignals(False)
        if f.lo is None and f.hi is None and not self.message.text():
            for edit in (self.date_from, self.date_to):
                if edit.text():
                    edit.blockSignals(True)
                    edit.clear()
                    edit.blockSignals(False)
