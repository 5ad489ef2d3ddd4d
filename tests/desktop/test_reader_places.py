"""Places in the reader: names from the gazetteer and the project's own places underlined (dashed) with
their coordinates in the tooltip, and an event created from a passage located at the first place named."""
from __future__ import annotations

import pytest

from sijill.db.store.project import Project
from tests.desktop.sources_helpers import click_ok, groups, hub, panel, select, sources, stack  # noqa: F401

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()

TEXT = ("Selon Bagdad, une frappe de drone a visé la Tower 22 samedi dernier; Téhéran dément.\n"
        "قصف في بغداد وأربيل.")


@pytest.fixture
def source(project, groups):
    project.create_place("Tower 22", 33.3219, 38.7556, country="Jordan", aliases=["Tower-22"])
    return project.create_source("Frappe à la frontière", TEXT, published="2024-01-29", language="fr").id


def test_places_are_underlined_with_their_coordinates(panel, source):
    panel.open_source(source)
    view = panel.reader.view
    places = [(m.text, m.place.name, m.place.source) for m in panel.reader.mentions() if m.kind == "place"]
    assert places == [("Bagdad", "Baghdad", "geonames"), ("Tower 22", "Tower 22", "project"),
                      ("Téhéran", "Tehran", "geonames"), ("بغداد", "Baghdad", "geonames"),
                      ("أربيل", "Erbil", "geonames")]
    dashed = {(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in view.extraSelections()
              if s.format.underlineStyle() == s.format.UnderlineStyle.DashUnderline}
    start = TEXT.index("Tower 22")
    assert (start, start + len("Tower 22")) in dashed
    assert view.tooltip_at(view.point_of(TEXT.index("Bagdad") + 2)) == (
        "Bagdad → place: Baghdad, Iraq (33.3406, 44.4009)")


def test_an_event_from_a_passage_is_located_at_its_first_place(qtbot, panel, project, source):
    panel.open_source(source)
    quote = "une frappe de drone a visé la Tower 22 samedi dernier"
    start = TEXT.index(quote)
    select(panel.reader, start, start + len(quote))
    dialog = panel.reader.event_from_selection()
    assert (dialog.location.text(), dialog.latitude.text(), dialog.longitude.text()) == (
        "Tower 22", "33.3219", "38.7556")
    click_ok(qtbot, dialog)
    with Project.open(project.path, read_only=True) as disk:
        [event] = [e for e in disk.events() if e.title.startswith("une frappe de drone")]
        assert (event.location, event.latitude, event.longitude) == ("Tower 22", 33.3219, 38.7556)


def test_an_event_from_a_passage_is_located_at_its_most_precise_place(qtbot, panel, project, groups):
    text = "En Irak, dans la province d'Anbar, une roquette a frappé Ramadi samedi."
    panel.open_source(project.create_source("Roquette", text, published="2024-01-29", language="fr").id)
    kinds = [(m.text, m.place.kind) for m in panel.reader.mentions() if m.kind == "place"]
    assert kinds == [("Irak", "country"), ("province d'Anbar", "province"), ("Ramadi", "place")]
    view = panel.reader.view
    assert view.tooltip_at(view.point_of(text.index("Anbar"))) == (
        "province d'Anbar → province: Al Anbar, Iraq (32.9680, 41.6221)")
    assert view.tooltip_at(view.point_of(text.index("Irak") + 1)).startswith("Irak → country: Iraq (33.")
    select(panel.reader, 0, len(text))
    dialog = panel.reader.event_from_selection()
    assert (dialog.location.text(), dialog.latitude.text()[:5], dialog.longitude.text()[:5]) == (
        "Ramadi", "33.42", "43.30")
    select(panel.reader, 0, text.index(" une"))  # a country and a province: the province
    assert panel.reader.event_from_selection().location.text() == "Al Anbar"
