"""Coordinates proposed as a location is typed: the gazetteer's candidates under a Location field.

As the analyst types ("Bagdad", "Hawler", "بغداد", a project's own "Tower 22"), a popup lists the candidates
`sijill.db.geo.gazetteer.Gazetteer.search` ranks best first, each with its division, country and coordinates;
choosing one puts its name in the field and its latitude and longitude in the coordinate fields. Only typing
asks (not a value set by the program), and nothing is written to the project: the event dialog's OK does that.
The bundled gazetteer is loaded in a background thread when the field is made, so the first keystroke
does not wait for it.
"""
from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QLineEdit

from sijill.db.geo.gazetteer import Candidate, Gazetteer

LIMIT = 8


def candidate_text(c: Candidate) -> str:
    """One popup line: "Baghdad, Iraq (33.3406, 44.4009) · GeoNames, pop. 7,216,000"; a first-level division
    or a country says so: "Al Anbar, Iraq (32.9680, 41.6221) · province, Natural Earth"."""
    origin = f"{c.kind}, {c.origin}" if c.kind in ("province", "country") else c.origin
    extra = f", pop. {c.population:,}" if c.population else ""
    also = f"  “{c.matched}”" if c.matched and c.matched != c.name else ""
    return f"{c.label()} · {origin}{extra}{also}"


def load_gazetteer_in_background() -> None:
    """Build the bundled gazetteer's index off the GUI thread (Gazetteer.default() is thread-safe)."""
    threading.Thread(target=Gazetteer.default, name="gazetteer", daemon=True).start()


class PlaceCompleter(QObject):
    """Attach to a location field and its latitude and longitude fields; `places` gives the project's own."""

    def __init__(self, location: QLineEdit, latitude: QLineEdit, longitude: QLineEdit,
                 places: Callable[[], list]) -> None:
        super().__init__(location)
        self.location, self.latitude, self.longitude = location, latitude, longitude
        self._places = places
        self.candidates: list[Candidate] = []
        self.model = QStringListModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(LIMIT)
        self.completer.setWidget(location)
        self.completer.activated[str].connect(self._chosen)
        location.textEdited.connect(self._typed)
        location.setToolTip("Type a place: Sijill proposes coordinates from its offline gazetteer (GeoNames) "
                            "and the project's own places (sijill place add)")
        load_gazetteer_in_background()

    def _typed(self, text: str) -> None:
        self.candidates = Gazetteer.default().search(text, self._places(), limit=LIMIT)
        self.model.setStringList([candidate_text(c) for c in self.candidates])
        if self.candidates:
            popup = self.completer.popup()
            # as wide as its longest line (within reason), not only as wide as the field
            popup.setMinimumWidth(min(popup.sizeHintForColumn(0) + 24, 720))
            self.completer.complete()
        else:
            self.completer.popup().hide()

    def _chosen(self, text: str) -> None:
        chosen = next((c for c in self.candidates if candidate_text(c) == text), None)
        if chosen is None:
            return
        self.location.setText(chosen.name)
        self.latitude.setText(f"{chosen.lat:.5f}".rstrip("0").rstrip("."))
        self.longitude.setText(f"{chosen.lon:.5f}".rstrip("0").rstrip("."))
