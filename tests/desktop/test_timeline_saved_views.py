"""View ▸ Hide empty lanes and View ▸ Saved views, driven in the main window; both kept in the
project file (they travel with it)."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QInputDialog, QMenu

from sijill.db.store.project import Project
from sijill.desktop.hub import ViewFilter
from sijill.desktop.shell.main_window import MainWindow
from tests.desktop.timeline_helpers import gid, ts

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()


def open_window(qtbot, project, settings) -> MainWindow:
    w = MainWindow(project, settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def window(qtbot, small_project, settings, messages) -> MainWindow:
    return open_window(qtbot, small_project, settings)


def lane_names(w: MainWindow) -> list[str]:
    return [g.info.name for g in w.timeline.canvas.geoms]


def menu_action(menu, name: str):
    menu.rebuild()
    return next((a for a in menu.actions() if a.objectName() == name), None)


def test_hide_empty_lanes_at_a_one_month_window(window, small_project, settings, qtbot):
    action = window.action_set.view_hide_empty_lanes
    assert action in window.findChild(QMenu, "view_menu").actions()
    assert action.isCheckable() and not action.isChecked()
    every = lane_names(window)
    assert len(every) == 4
    window.timeline.set_window(ts(2023, 10, 1), ts(2023, 10, 31))
    action.trigger()
    # only the lanes of "Drone attacks on US forces begin" (Oct 2023): Kataib Hezbollah and the US,
    # not their parent (the PMF) nor ISIS
    assert lane_names(window) == ["Kataib Hezbollah", "United States"]
    assert [g.info.name for g in window.timeline.header.canvas.geoms] == lane_names(window)
    # the window moves: the lanes follow it (Mosul, June 2014: ISIS only)
    window.timeline.set_window(ts(2014, 6, 1), ts(2014, 6, 11))
    assert lane_names(window) == ["ISIS"]
    window.timeline.set_window(ts(2014, 6, 1), ts(2014, 6, 30))
    assert lane_names(window) == ["Popular Mobilization Forces", "ISIS"]
    # remembered with the project's view state
    window.close()
    again = open_window(qtbot, Project.open(small_project.path), settings)
    assert again.action_set.view_hide_empty_lanes.isChecked() and again.timeline.hide_empty
    assert lane_names(again) == ["Popular Mobilization Forces", "ISIS"]
    again.action_set.view_hide_empty_lanes.trigger()
    assert lane_names(again) == every
    again.close()


def test_save_a_view_change_everything_restore_it_and_find_it_after_reopening(window, small_project, settings,
                                                                             qtbot, monkeypatch):
    view, hub = window.timeline, window.hub
    us = gid(small_project, "United States")
    every = {g.id for g in small_project.groups()}
    hub.set_filter(hub.filter.with_(group_ids=frozenset(every - {us}), tags=frozenset({"drone"})))
    view.set_window(ts(2023, 9, 1), ts(2024, 3, 1))
    view.set_lane_collapsed(gid(small_project, "Popular Mobilization Forces"), True)
    saved_window, saved_filter = view.window(), hub.filter
    menu = window.saved_views_menu
    assert menu.menuAction() in window.findChild(QMenu, "view_menu").actions()
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Drone campaign", True)))
    menu_action(menu, "saved_view_save").trigger()
    # the analyst moves on: another window, other filters, nothing collapsed
    view.fit_all()
    hub.set_filter(ViewFilter(evidence="none"))
    view.set_lane_collapsed(gid(small_project, "Popular Mobilization Forces"), False)
    assert view.window() != saved_window and hub.filter != saved_filter
    menu_action(menu, "saved_view:Drone campaign").trigger()
    assert view.window() == pytest.approx(saved_window)
    assert hub.filter == saved_filter                      # the hidden lane (US) and the tag come back
    assert "United States" not in [g.info.name for g in view.canvas.geoms]
    assert view.canvas.collapsed == {gid(small_project, "Popular Mobilization Forces")}
    # rename, then reopen the file: the view is still listed, under its new name
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Drones, 2023–24", True)))
    rename = next(a.menu() for a in menu.actions() if a.menu() and a.text() == "&Rename")
    rename.actions()[0].trigger()
    window.close()
    again = open_window(qtbot, Project.open(small_project.path), settings)
    listed = [a.text() for a in (again.saved_views_menu.rebuild() or again.saved_views_menu.actions())
              if a.objectName().startswith("saved_view:")]
    assert listed == ["Drones, 2023–24"]
    again.hub.set_filter(ViewFilter())
    menu_action(again.saved_views_menu, "saved_view:Drones, 2023–24").trigger()
    assert again.timeline.window() == pytest.approx(saved_window) and again.hub.filter == saved_filter
    # delete (the question is answered Yes)
    delete = next(a.menu() for a in again.saved_views_menu.actions() if a.menu() and a.text() == "&Delete")
    delete.actions()[0].trigger()
    assert menu_action(again.saved_views_menu, "saved_view:Drones, 2023–24") is None
    again.close()
