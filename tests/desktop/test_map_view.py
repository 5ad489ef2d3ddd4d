"""The map (View ▸ Map) in the main window: its events follow the timeline's window and filters,
a click selects through the hub and the hub's selection is ringed on the map, a Shift+drag lasso
filters the timeline and the table, exports write PNG/SVG/PDF, and `sijill screenshot --map`
writes an image of the size asked."""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent
from PySide6.QtWidgets import QApplication

from sijill.db.store.project import Project
from sijill.desktop.cli.main import run
from sijill.desktop.shell.main_window import MainWindow
from sijill.desktop.map.painter import map_color
from tests.desktop.timeline_helpers import ts

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")  # offscreen: show(), tooltips

PLACES = {    # title: (date, lat, lon)
    "Strike in Baghdad": ("2024-01-04", 33.31, 44.37),
    "Rockets at the embassy": ("2023-12-08", 33.30, 44.39),
    "Drone on Erbil": ("2023-12-25", 36.19, 44.01),
    "Strikes near Albu Kamal": ("2023-10-26", 34.45, 40.92),
    "Mosul falls": ("2014-06-10", 36.34, 43.13),
}


@pytest.fixture
def mapped(project: Project) -> Project:
    kh = project.create_group("Kataib Hezbollah", color="#d95f02")
    us = project.create_group("United States", color="#7570b3")
    for title, (date, lat, lon) in PLACES.items():
        project.create_event(title, date, latitude=lat, longitude=lon, groups=[(kh.id, "actor"), (us.id, "target")])
    project.create_event("Talks without a place", "2024-01-27", groups=[(us.id, "actor")])
    return project


@pytest.fixture
def window(qtbot, mapped, settings, messages) -> MainWindow:
    w = MainWindow(mapped, settings)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    w.map_dock.toggleViewAction().trigger()              # View ▸ Map
    w.map_dock.view.canvas.resize(700, 500)
    return w


def ids(project: Project, *titles: str) -> list[int]:
    by_title = {e.title: e.id for e in project.events()}
    return [by_title[t] for t in titles]


def shown_titles(window: MainWindow) -> set[str]:
    events = window.map_dock.view.events
    titles = {e.id: e.title for e in window.project.events()}
    return {titles[i] for i in events.shown().ids.tolist()}


def test_view_map_is_a_dock_toggled_from_the_view_menu(qtbot, mapped, settings, messages):
    w = MainWindow(mapped, settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    action = w.map_dock.toggleViewAction()
    view_menu = next(m.menu() for m in w.menuBar().actions() if m.text().replace("&", "") == "View")
    assert action.text() == "Map" and action in view_menu.actions()
    assert w.map_dock.view is None                       # not built until shown
    action.trigger()
    assert w.map_dock.isVisible() and w.map_dock.view is not None
    assert w.details_dock in w.tabifiedDockWidgets(w.map_dock)     # a tab the right column's height
    assert w.map_dock.height() > 0.6 * w.height()


def test_the_map_follows_the_timelines_window(window):
    timeline = window.timeline
    timeline.set_window(ts(2023, 10, 1), ts(2024, 3, 1))
    assert shown_titles(window) == {"Strike in Baghdad", "Rockets at the embassy", "Drone on Erbil",
                                    "Strikes near Albu Kamal"}
    timeline.set_window(ts(2023, 12, 1), ts(2023, 12, 31))
    assert shown_titles(window) == {"Rockets at the embassy", "Drone on Erbil"}
    assert window.map_dock.view.status.text() == "2 of 5 events with coordinates"
    timeline.set_window(ts(2014, 1, 1), ts(2015, 1, 1))
    assert shown_titles(window) == {"Mosul falls"}


def test_the_map_applies_the_hubs_filters(window):
    window.timeline.set_window(ts(2013, 1, 1), ts(2025, 1, 1))
    hub = window.hub
    hub.set_filter(hub.filter.with_(lo=int(ts(2024, 1, 1))))
    assert shown_titles(window) == {"Strike in Baghdad"}
    hub.set_filter(hub.filter.with_(lo=None, group_ids=frozenset()))
    assert shown_titles(window) == set()


def test_a_click_on_the_map_selects_through_the_hub(qtbot, window, mapped):
    window.timeline.set_window(ts(2023, 12, 20), ts(2023, 12, 30))
    canvas = window.map_dock.view.canvas
    canvas.fit()
    canvas.repaint()
    erbil, = ids(mapped, "Drone on Erbil")
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=canvas.screen_of(44.01, 36.19).toPoint())
    assert window.hub.selection == [erbil]
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=canvas.screen_of(30.0, 10.0).toPoint())
    assert window.hub.selection == []                    # a click on no event clears it


def test_a_cluster_click_selects_its_events_and_the_hubs_selection_is_ringed(qtbot, window, mapped):
    window.timeline.set_window(ts(2023, 10, 1), ts(2024, 3, 1))
    canvas = window.map_dock.view.canvas
    canvas.fit()
    canvas.repaint()
    baghdad = ids(mapped, "Rockets at the embassy", "Strike in Baghdad")
    at = canvas.screen_of(44.38, 33.305)
    assert len(canvas.cluster_at(at)) == 2              # two events a kilometre apart: one cluster
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=at.toPoint())
    assert sorted(window.hub.selection) == sorted(baghdad)
    # selected elsewhere (the table, the timeline): ringed on the map
    erbil, = ids(mapped, "Drone on Erbil")
    ring = map_color("selected", False)

    def ringed(image: QImage, p: QPointF) -> bool:
        return any(_close(QColor(image.pixel(int(p.x()) + dx, int(p.y()) + dy)), ring)
                   for dx in range(-12, 13) for dy in range(-12, 13))

    point = canvas.screen_of(44.01, 36.19)
    assert not ringed(canvas.grab().toImage(), point)
    window.hub.set_selection([erbil])
    assert ringed(canvas.grab().toImage(), point)


def _close(a: QColor, b: QColor) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < 40


def _drag(widget, points: list[QPointF], modifiers=Qt.KeyboardModifier.ShiftModifier) -> None:
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    first, *rest = points
    QApplication.sendEvent(widget, QMouseEvent(QEvent.Type.MouseButtonPress, first, first, left, left, modifiers))
    for p in rest:
        QApplication.sendEvent(widget, QMouseEvent(QEvent.Type.MouseMove, p, p, none, left, modifiers))
    QApplication.sendEvent(widget, QMouseEvent(QEvent.Type.MouseButtonRelease, rest[-1], rest[-1], left, none,
                                               modifiers))


def test_a_lasso_filters_the_timeline_and_the_table_to_the_events_inside(qtbot, window, mapped):
    window.timeline.set_window(ts(2013, 1, 1), ts(2025, 1, 1))
    view = window.map_dock.view
    canvas = view.canvas
    canvas.fit()
    corners = [(43.0, 37.5), (45.5, 37.5), (45.5, 32.5), (43.0, 32.5)]   # Baghdad to Erbil and Mosul
    _drag(canvas, [canvas.screen_of(lon, lat) for lon, lat in corners])
    inside = set(ids(mapped, "Strike in Baghdad", "Rockets at the embassy", "Drone on Erbil", "Mosul falls"))
    assert window.hub.filter.event_ids == inside
    proxy = window.table.proxy
    assert {proxy.event_id(r) for r in range(proxy.rowCount())} == inside
    assert set(window.timeline.data.allowed.tolist()) == inside
    assert "inside the drawn area" in view.status.text() and view.clear_button.isEnabled()
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    assert window.hub.filter.event_ids is None
    assert proxy.rowCount() == 6 and window.timeline.data.allowed is None


def test_drag_pans_and_wheel_and_keys_zoom(qtbot, window):
    canvas = window.map_dock.view.canvas
    canvas.fit()
    before = canvas.viewport()
    _drag(canvas, [QPointF(300, 300), QPointF(320, 310), QPointF(350, 330)], Qt.KeyboardModifier.NoModifier)
    moved = canvas.viewport()
    assert moved.scale == before.scale
    assert moved.to_screen(*before.to_world(300, 300)) == pytest.approx((350, 330))
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Plus)
    assert canvas.viewport().scale == pytest.approx(moved.scale * 1.5)
    qtbot.keyClick(canvas, Qt.Key.Key_Minus)
    assert canvas.viewport().scale == pytest.approx(moved.scale)


def test_the_map_exports_to_png_svg_and_pdf(window, tmp_path):
    view = window.map_dock.view
    png = view.export(tmp_path / "map.png", size=(640, 400))
    image = QImage(str(png))
    assert (image.width(), image.height()) == (640, 400)
    colours = {image.pixel(x, y) for x in range(0, 640, 8) for y in range(0, 400, 8)}
    assert len(colours) > 20  # land, sea, borders, labels and events, not a blank image
    svg_text = view.export(tmp_path / "map-check.svg").read_text(encoding="utf-8")
    assert svg_text.count("<path") > 50  # the boundaries drawn as vectors
    svg = view.export(tmp_path / "map.svg")
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    pdf = view.export(tmp_path / "map.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_sijill_screenshot_map_writes_a_png_of_the_asked_size(mapped, tmp_path, capsys):
    path = mapped.path
    mapped.close()
    out = tmp_path / "shots" / "map.png"
    code = run(["screenshot", str(path), str(out), "--map", "--from", "2023-10-01", "--to", "2024-02-29",
                "--size", "640x480", "--json"])
    stdout, err = capsys.readouterr()
    assert code == 0, err
    assert json.loads(stdout) == {"path": str(out), "what": "map"}
    image = QImage(str(out))
    assert (image.width(), image.height()) == (640, 480)
    code = run(["screenshot", str(path), str(out), "--map", "--timeline"])
    assert code != 0 and "--map" in capsys.readouterr().err


def _hover(widget, p: QPointF) -> None:
    none = Qt.MouseButton.NoButton
    QApplication.sendEvent(widget, QMouseEvent(QEvent.Type.MouseMove, p, widget.mapToGlobal(p), none, none,
                                               Qt.KeyboardModifier.NoModifier))


def test_hovering_a_mark_names_its_events(qtbot, window):
    from PySide6.QtWidgets import QToolTip

    window.timeline.set_window(ts(2023, 10, 1), ts(2024, 3, 1))
    canvas = window.map_dock.view.canvas
    canvas.fit()
    canvas.repaint()
    _hover(canvas, canvas.screen_of(44.01, 36.19))
    assert QToolTip.text() == "Drone on Erbil"
    _hover(canvas, canvas.screen_of(44.38, 33.305))
    assert QToolTip.text().splitlines() == ["2 events here", "Strike in Baghdad", "Rockets at the embassy"]


def test_an_event_added_with_coordinates_appears_on_the_map_and_undo_removes_it(window):
    from sijill.desktop.commands.events import CreateEventCommand

    window.timeline.set_window(ts(2023, 10, 1), ts(2024, 3, 1))
    before = shown_titles(window)
    window.undo_stack.push(CreateEventCommand(window.hub, {"title": "Strike in Basra", "start": "2024-02-10",
                                                           "latitude": 30.51, "longitude": 47.78}))
    assert shown_titles(window) == before | {"Strike in Basra"}
    window.undo_stack.undo()
    assert shown_titles(window) == before


def test_play_moves_the_timelines_window_forward_and_the_map_follows(window):
    view, timeline = window.map_dock.view, window.timeline
    timeline.set_window(ts(2023, 9, 1), ts(2023, 11, 1))             # two months: Albu Kamal only
    assert shown_titles(window) == {"Strikes near Albu Kamal"}
    view.play_button.click()
    assert view.player.playing and view.play_button.text() == "Pause"
    for _ in range(12):                                               # one window's width forward
        view.player.timer.timeout.emit()
    t0, t1 = timeline.window()
    assert (t0, t1) == pytest.approx((ts(2023, 11, 1), ts(2024, 1, 1)), abs=86400)
    assert shown_titles(window) == {"Rockets at the embassy", "Drone on Erbil"}
    for _ in range(200):                                              # to the project's end, then it stops
        view.player.timer.timeout.emit()
    assert not view.player.playing and view.play_button.text() == "Play"
    assert timeline.window()[1] == pytest.approx(timeline.canvas.limits[1])
