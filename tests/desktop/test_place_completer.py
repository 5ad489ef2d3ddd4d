"""The event dialog proposes coordinates as a location is typed, from the offline gazetteer and the
project's own places; choosing a candidate fills the location and both coordinates."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from sijill.desktop.events.event_dialog import EventDialog
from sijill.desktop.hub import ProjectHub

# the offscreen platform: top-level show() and the completer's popup
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", r"support raise\(\)", "grabbing the keyboard")


@pytest.fixture
def dialog(qtbot, small_project):
    small_project.create_place("Ain al-Asad Air Base", 33.7856, 42.4412, country="Iraq", admin1="Al Anbar",
                               aliases=["Al Asad", "عين الأسد"])
    d = EventDialog(ProjectHub(small_project))
    qtbot.addWidget(d)
    d.show()
    return d


def type_text(widget, text: str) -> None:
    """Typed as one key press carrying the text, as an input method delivers Arabic (QTest types ASCII only)."""
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_unknown,
                                             Qt.KeyboardModifier.NoModifier, text))


def shown(dialog) -> list[str]:
    return dialog.places.model.stringList()


def test_typing_an_exonym_proposes_the_city_and_choosing_it_fills_the_coordinates(qtbot, dialog):
    qtbot.keyClicks(dialog.location, "Bagdad")
    assert shown(dialog)[0].startswith("Baghdad, Iraq (33.3406, 44.4009) · GeoNames, pop. 7,216,000  “Bagdad”")
    popup = dialog.places.completer.popup()
    assert popup.isVisible()
    popup.setCurrentIndex(popup.model().index(0, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert (dialog.location.text(), dialog.latitude.text(), dialog.longitude.text()) == (
        "Baghdad", "33.34058", "44.40088")
    assert dialog.fields()["latitude"] == pytest.approx(33.34058)


def test_the_projects_own_place_comes_first_by_an_arabic_alias(qtbot, dialog):
    type_text(dialog.location, "عين الاسد")
    assert shown(dialog)[0].startswith("Ain al-Asad Air Base, Al Anbar, Iraq (33.7856, 42.4412) · this project")


def test_a_governorate_is_proposed_before_a_village_and_says_it_is_a_province(qtbot, dialog):
    qtbot.keyClicks(dialog.location, "al-Anbar")
    assert shown(dialog)[0] == "Al Anbar, Iraq (32.9680, 41.6221) · province, Natural Earth"
    assert shown(dialog)[1].startswith("Ambar, ")


def test_a_country_typed_in_french_is_proposed_as_a_country_and_fills_a_point_inside_it(qtbot, dialog):
    qtbot.keyClicks(dialog.location, "Syrie")
    assert shown(dialog)[0] == "Syria (35.0254, 38.5079) · country, Natural Earth  “Syrie”"
    popup = dialog.places.completer.popup()
    popup.setCurrentIndex(popup.model().index(0, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert (dialog.location.text(), dialog.latitude.text(), dialog.longitude.text()) == ("Syria", "35.02538", "38.50787")


def test_nothing_known_hides_the_popup_and_keeps_what_was_typed(qtbot, dialog):
    qtbot.keyClicks(dialog.location, "Qqxzv")
    assert shown(dialog) == [] and not dialog.places.completer.popup().isVisible()
    assert dialog.location.text() == "Qqxzv" and dialog.latitude.text() == ""


def test_an_edited_event_s_location_asks_nothing(qtbot, small_project):
    event = small_project.events()[0]
    d = EventDialog(ProjectHub(small_project), event)
    qtbot.addWidget(d)
    assert d.places.model.stringList() == []
