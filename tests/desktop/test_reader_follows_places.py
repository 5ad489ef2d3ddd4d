"""The reader underlines a place the moment it is added, renamed or merged from Edit ▸ Places…, and stops
when the step is undone: its place mentions follow the hub's places_changed."""
from __future__ import annotations

import pytest

from sijill.desktop.commands.places import CreatePlaceCommand, EditPlaceCommand
from tests.desktop.sources_helpers import groups, hub, panel, sources, stack  # noqa: F401

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()

TEXT = "Une frappe de drone a visé la Tour 22 près de la frontière."


def places_named(panel) -> list[tuple[str, str]]:
    return [(m.text, m.place.name) for m in panel.reader.mentions() if m.kind == "place"]


def test_a_place_added_renamed_and_undone_is_followed_by_the_open_source(panel, project, hub, stack):
    source = project.create_source("Frappe", TEXT, published="2024-01-29", language="fr").id
    panel.open_source(source)
    assert places_named(panel) == []
    stack.push(CreatePlaceCommand(hub, {"name": "Tower 22", "lat": 33.3219, "lon": 38.7556}))
    assert places_named(panel) == []
    place = project.place("Tower 22")
    stack.push(EditPlaceCommand(hub, place.id, {"aliases": ["Tour 22"]}))
    assert places_named(panel) == [("Tour 22", "Tower 22")]
    stack.undo()
    assert places_named(panel) == []
    stack.redo()
    assert places_named(panel) == [("Tour 22", "Tower 22")]
