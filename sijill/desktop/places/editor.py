"""The editor of one of the project's places (Edit ▸ Places… ▸ New place… or Edit…): name, coordinates,
country, first-level division, aliases (one a line) and notes.

As a new place's name is typed, the gazetteer's candidates are proposed (`PlaceCompleter`): choosing one fills
the coordinates, the country and the division, to be corrected. OK stays disabled until the fields can be
saved (a name not used by another place, both coordinates in range); what is wrong is said under the fields.
Renaming keeps the old name as an alias unless the analyst unchecks it. The dialog only returns the
fields: the manager turns them into one undo step, and gives a place's editor its History tab
(`sijill.desktop.history.history_view.add_history_tab`).
"""
from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLineEdit,
                               QPlainTextEdit, QVBoxLayout, QWidget)

from sijill.db.store.basics import ProjectError
from sijill.db.geo.places import Place, check_coordinates
from sijill.desktop.widgets.place_completer import PlaceCompleter, candidate_text
from sijill.desktop.widgets.dialog_parts import ok_cancel, error_label


def _number(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


class PlaceDialog(QDialog):
    """New place (`place` None) or edit `place`; `taken` holds the names of the project's other places."""

    def __init__(self, project, place: Place | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project, self.place = project, place
        self.setObjectName("place_dialog")
        self.setWindowTitle("New place" if place is None else f"Place “{place.name}”")
        self.taken = {p.name for p in project.places() if place is None or p.id != place.id}
        self.name = QLineEdit(self)
        self.name.setObjectName("place_name")
        self.name.setPlaceholderText("e.g. Tower 22, Ain al-Asad Air Base")
        self.latitude = QLineEdit(self)
        self.longitude = QLineEdit(self)
        for edit, hint in ((self.latitude, "latitude, e.g. 33.3219"), (self.longitude, "longitude, e.g. 38.7556")):
            edit.setPlaceholderText(hint)
        self.country = QLineEdit(self)
        self.admin1 = QLineEdit(self)
        self.admin1.setPlaceholderText("province, governorate, state")
        self.aliases = QPlainTextEdit(self)
        self.aliases.setObjectName("place_aliases")
        self.aliases.setPlaceholderText("Other spellings, one a line: Al Asad, عين الأسد")
        self.aliases.setFixedHeight(80)
        self.description = QPlainTextEdit(self)
        self.description.setPlaceholderText("Notes: what the place is, where its coordinates come from")
        self.description.setFixedHeight(70)
        self.completer = PlaceCompleter(self.name, self.latitude, self.longitude, project.places)
        self.completer.completer.activated[str].connect(self._candidate_chosen)
        self.message = error_label(self, "place_message")
        self.buttons = ok_cancel(self)
        form = QFormLayout()
        form.addRow("&Name", self.name)
        # renaming: the old name stays an alias unless unchecked, so that events and sources written with it
        # still find the place
        self.keep_old_name = QCheckBox(self)
        self.keep_old_name.setObjectName("place_keep_old_name")
        self.keep_old_name.setChecked(True)
        if place is not None:
            self.keep_old_name.setText(f"&Keep “{place.name}” as an alias")
            self.keep_old_name.setToolTip("Events and sources written with the old name still find the place")
        form.addRow("", self.keep_old_name)
        self.form = form
        coords = QHBoxLayout()
        coords.addWidget(self.latitude)
        coords.addWidget(self.longitude)
        form.addRow("Coordinates", coords)
        form.addRow("C&ountry", self.country)
        form.addRow("&Division", self.admin1)
        form.addRow("&Aliases", self.aliases)
        form.addRow("No&tes", self.description)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        if place is not None:
            self.name.setText(place.name)
            self.latitude.setText(_number(place.lat))
            self.longitude.setText(_number(place.lon))
            self.country.setText(place.country or "")
            self.admin1.setText(place.admin1 or "")
            self.aliases.setPlainText("\n".join(place.aliases))
            self.description.setPlainText(place.description or "")
        self.touched: set[str] = set()  # the fields the analyst typed in: only their problems are said
        for key, edit in (("name", self.name), ("coordinates", self.latitude), ("coordinates", self.longitude)):
            edit.textEdited.connect(lambda _text, key=key: self._typed(key))
            edit.textChanged.connect(self.validate)
        self.name.textChanged.connect(self._name_changed)
        self._name_changed()
        self.resize(480, self.sizeHint().height())
        self.validate()

    def _typed(self, key: str) -> None:
        self.touched.add(key)
        self.validate()

    def _name_changed(self) -> None:
        """Offer to keep the old name as an alias once the name differs from it."""
        renamed = self.place is not None and " ".join(self.name.text().split()) not in ("", self.place.name)
        self.form.setRowVisible(self.keep_old_name, renamed)

    def _candidate_chosen(self, text: str) -> None:
        """A gazetteer candidate was chosen: its country and division too (the completer fills the rest)."""
        chosen = next((c for c in self.completer.candidates if candidate_text(c) == text), None)
        if chosen is not None:
            self.country.setText(chosen.country or "")
            self.admin1.setText(chosen.admin1 or "")

    def problems(self) -> list[tuple[str, str]]:
        """(field, what is wrong with it) for every field that cannot be saved as it is."""
        out = []
        name = " ".join(self.name.text().split())
        if not name:
            out.append(("name", "the place needs a name"))
        elif name in self.taken:
            out.append(("name", f"a place named “{name}” already exists (Merge puts two places together)"))
        lat, lon = (e.text().strip().replace(",", ".") for e in (self.latitude, self.longitude))
        if not lat or not lon:
            out.append(("coordinates", "give the latitude and the longitude, in decimal degrees"))
        else:
            try:
                check_coordinates(lat, lon)
            except ProjectError as exc:
                out.append(("coordinates", str(exc)))
        return out

    def validate(self, *_args) -> bool:
        """Enable OK when the fields can be saved; say what is wrong with the fields typed in (a new dialog
        just opened says nothing); OK's tooltip says everything it waits for."""
        problems = self.problems()
        self.message.setText("; ".join(text for key, text in problems if key in self.touched))
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        button.setEnabled(not problems)
        button.setToolTip("Needed first: " + "; ".join(text for _key, text in problems) if problems else "")
        return not problems

    def fields(self) -> dict:
        """Every field, as Project.create_place and update_place take them."""
        lat, lon = check_coordinates(*(e.text().strip().replace(",", ".") for e in (self.latitude, self.longitude)))
        return {"name": " ".join(self.name.text().split()), "lat": lat, "lon": lon,
                "country": self.country.text().strip() or None, "admin1": self.admin1.text().strip() or None,
                "description": self.description.toPlainText().strip() or None,
                "aliases": [a.strip() for a in self.aliases.toPlainText().splitlines() if a.strip()]}

    def changed_fields(self) -> dict:
        """The fields that differ from the place edited (every field for a new place)."""
        fields = self.fields()
        if self.place is None:
            return fields
        old = {"name": self.place.name, "lat": self.place.lat, "lon": self.place.lon, "country": self.place.country,
               "admin1": self.place.admin1, "description": self.place.description,
               "aliases": list(self.place.aliases)}
        if (fields["name"] != old["name"] and self.keep_old_name.isChecked()
                and old["name"] not in fields["aliases"]):
            fields["aliases"].append(old["name"])
        return {k: v for k, v in fields.items() if v != old[k]}
