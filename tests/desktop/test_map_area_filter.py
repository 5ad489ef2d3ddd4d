"""The area drawn on the map (Shift+drag) as a filter like the others: the filter bar shows it as a
chip that names its events and lifts it when clicked, a saved view keeps it as lon/lat vertices and
applies it again (the events inside it worked out anew, so that it still means a place after
edits), and views saved before areas were still load."""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from sijill.db.geo.map_data import ids_in_area, read_event_points
from sijill.db.store.project import Project
from sijill.desktop.hub import ViewFilter
from sijill.desktop.shell.main_window import MainWindow
from sijill.desktop.timeline.saved_views import META_KEY, saved_views
from tests.desktop.test_map_view import _drag, ids, mapped, window  # noqa: F401 - the map's fixtures
from tests.desktop.timeline_helpers import ts

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")  # offscreen: show()
NORTH_AND_BAGHDAD = [(43.0, 37.5), (45.5, 37.5), (45.5, 32.5), (43.0, 32.5)]   # Baghdad to Erbil and Mosul
INSIDE = ("Strike in Baghdad", "Rockets at the embassy", "Drone on Erbil", "Mosul falls")


def lasso(window: MainWindow, corners=NORTH_AND_BAGHDAD) -> None:
    """Shift+drag round `corners` (lon, lat) on the map, over the whole project's time."""
    window.timeline.set_window(ts(2013, 1, 1), ts(2025, 1, 1))
    canvas = window.map_dock.view.canvas
    canvas.fit()
    _drag(canvas, [canvas.screen_of(lon, lat) for lon, lat in corners])


def table_ids(window: MainWindow) -> set[int]:
    proxy = window.table.proxy
    return {proxy.event_id(r) for r in range(proxy.rowCount())}


def test_the_filter_bar_shows_the_area_and_lifting_it_there_brings_every_event_back(qtbot, window, mapped):
    chip = window.filter_bar.area_chip
    assert not chip.isVisible()
    lasso(window)
    inside = set(ids(mapped, *INSIDE))
    assert chip.isVisible() and chip.text() == "Map area: 4 events"
    assert "inside the area drawn on the map" in chip.toolTip()
    assert table_ids(window) == inside and set(window.timeline.data.allowed.tolist()) == inside
    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    assert window.hub.filter == ViewFilter() and not chip.isVisible()
    assert window.table.proxy.rowCount() == 6 and window.timeline.data.allowed is None
    view = window.map_dock.view
    assert view.canvas.area is None and "inside" not in view.status.text() and not view.clear_button.isEnabled()


def test_the_area_keeps_the_events_inside_it_as_they_are_edited(window, mapped):
    lasso(window)
    chip = window.filter_bar.area_chip
    albu_kamal, = ids(mapped, "Strikes near Albu Kamal")
    mapped.update_event(albu_kamal, latitude=35.0, longitude=44.0)          # moved into the area (Kirkuk)
    assert albu_kamal in table_ids(window) and chip.text() == "Map area: 5 events"
    erbil, = ids(mapped, "Drone on Erbil")
    mapped.delete_event(erbil)
    assert chip.text() == "Map area: 4 events" and erbil not in window.hub.filter.event_ids
    mapped.create_event("Rocket at Balad", "2024-01-20", latitude=34.0, longitude=44.15)
    mapped.create_event("Strike in Damascus", "2024-01-20", latitude=33.5, longitude=36.3)
    titles = {e.id: e.title for e in mapped.events()}
    assert {titles[i] for i in table_ids(window)} == {"Strike in Baghdad", "Rockets at the embassy", "Mosul falls",
                                                       "Strikes near Albu Kamal", "Rocket at Balad"}


def test_a_saved_view_keeps_the_area_as_a_place_and_applies_it_again(window, mapped, monkeypatch):
    lasso(window)
    inside = set(ids(mapped, *INSIDE))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Northern Iraq", True)))
    window.saved_views_menu.rebuild()
    next(a for a in window.saved_views_menu.actions() if a.objectName() == "saved_view_save").trigger()
    stored = json.loads(mapped.get_meta(META_KEY))[0]["view"]["filter"]
    assert "event_ids" not in stored                                        # a place, not a list of events
    assert stored["area"][0] == pytest.approx(list(NORTH_AND_BAGHDAD[0]), abs=0.05)
    window.filter_bar.clear_area()
    assert window.table.proxy.rowCount() == 6
    mapped.create_event("Drone at Kirkuk", "2024-01-21", latitude=35.47, longitude=44.39)   # added since
    window.saved_views_menu.rebuild()
    next(a for a in window.saved_views_menu.actions() if a.objectName() == "saved_view:Northern Iraq").trigger()
    kirkuk, = ids(mapped, "Drone at Kirkuk")
    assert window.hub.filter.event_ids == inside | {kirkuk} and table_ids(window) == inside | {kirkuk}
    assert set(window.timeline.data.allowed.tolist()) == inside | {kirkuk}
    assert window.filter_bar.area_chip.text() == "Map area: 5 events"
    assert [list(v) for v in window.map_dock.view.canvas.area] == stored["area"]    # drawn on the map again


def test_the_area_is_remembered_with_the_view_when_the_project_is_reopened(qtbot, window, mapped, settings):
    lasso(window)
    inside = set(ids(mapped, *INSIDE))
    window.close()                                  # the view is written as the window closes
    again = MainWindow(Project.open(mapped.path), settings)
    qtbot.addWidget(again)
    assert again.hub.filter.event_ids == inside
    assert again.filter_bar.area_chip.text() == "Map area: 4 events"
    again.close()


def test_views_saved_before_areas_were_still_load(window, mapped):
    old = {"window": [ts(2023, 10, 1), ts(2024, 3, 1)], "collapsed": [], "scroll": 0, "hide_empty": False,
           "filter": {"group_ids": None, "tags": [], "event_types": [], "lo": None, "hi": None, "search": "",
                      "evidence": None}}
    mapped.set_meta(META_KEY, json.dumps([{"name": "Before areas", "view": old}]))
    (name, state), = saved_views(mapped)
    assert name == "Before areas" and state.filter == ViewFilter()
    lasso(window)
    assert window.timeline.restore_view("Before areas")
    assert window.hub.filter == ViewFilter() and not window.filter_bar.area_chip.isVisible()
    assert window.table.proxy.rowCount() == 6


def test_ids_in_area_compares_in_web_mercator(mapped):
    points = read_event_points(mapped)
    assert set(ids_in_area(points, NORTH_AND_BAGHDAD).tolist()) == set(ids(mapped, *INSIDE))
    baghdad = ids(mapped, "Strike in Baghdad", "Rockets at the embassy")
    assert read_event_points(mapped, baghdad).ids.tolist() == sorted(baghdad)
    talks, = ids(mapped, "Talks without a place")
    assert not len(read_event_points(mapped, [talks]))                      # no coordinates: never inside
