"""The counts chart under the timeline, driven with the mouse: hover text, click selects, drag
sets the window, filters followed, exports; and View ▸ Counts over time in the main window.

The project is the hand-counted one of tests/db/test_timeline_bins.py: in the weeks of 9, 16, 23
and 30 October 2023, 1 | 3 | 1 | 1 events, of which 1 | 1 | 0 | 0 dated more coarsely than a week.
"""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QVBoxLayout, QWidget

from sijill.db.store.project import Project
from sijill.desktop.hub import ProjectHub
from sijill.desktop.shell.main_window import MainWindow
from sijill.desktop.timeline.counts_chart import CountsChart
from sijill.desktop.timeline.view import TimelineView

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")   # offscreen platform, top-level show()


def ts(*a) -> float:
    return datetime(*a, tzinfo=timezone.utc).timestamp()


def make_story(path) -> Project:
    p = Project.create(path, title="story")
    pmf = p.create_group("Popular Mobilization Forces", color="#1b9e77")
    kh = p.create_group("Kataib Hezbollah", parent=pmf.id, color="#d95f02")
    us = p.create_group("United States", color="#7570b3")
    p.create_event("e1", "2023-10-16", groups=[(kh.id, "actor")], event_type="Drone")
    p.create_event("e2", "2023-10-22", groups=[(kh.id, "actor"), (us.id, "target")], event_type="Drone")
    p.create_event("e3", "2023-10-23", groups=[(us.id, "actor")], event_type="Airstrike")
    p.create_event("e4", "mid-October 2023", groups=[(pmf.id, "actor")])
    p.create_event("e5", "October 2023", groups=[(kh.id, "associated")], event_type="Drone")
    p.create_event("e6", "2023-11-01")
    return p


@pytest.fixture
def story(tmp_path):
    project = make_story(tmp_path / "story.sijill")
    yield project
    project.close()


@pytest.fixture
def chart(qtbot, story):
    """A timeline with the chart under it, as the main window lays them out, on four weeks."""
    hub = ProjectHub(story)
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    view = TimelineView(hub, QUndoStack())
    chart = CountsChart(view)
    layout.addWidget(view, 3)
    layout.addWidget(chart, 1)
    qtbot.addWidget(box)
    box.resize(1200, 700)
    box.show()
    qtbot.waitExposed(box)
    view.set_window(ts(2023, 10, 9), ts(2023, 11, 6))
    chart.set_unit("week")
    chart.repaint()
    yield chart        # `box` stays alive (and with it the chart) until the test ends


def ids(project, *titles):
    by_title = {e.title: e.id for e in project.events()}
    return [by_title[t] for t in titles]


def bin_center(chart, i) -> QPoint:
    a, b = chart.bin_spans()[i]
    return QPoint(int((a + b) / 2), chart.height() - 30)


def test_bars_line_up_with_the_timeline_canvas(chart):
    x0, w = chart.plot_span()
    assert x0 == chart.view.header.width() and w == chart.canvas.width()
    assert [round(a) for a, _b in chart.bin_spans()] == [round(x0 + k * w / 4) for k in range(4)]


def test_hover_tells_the_bins_counts_and_how_many_are_uncertain(chart):
    QTest.mouseMove(chart, bin_center(chart, 1))
    assert chart.hover_bin == 1
    text = chart.hover_text
    assert "Week of 16 Oct 2023 (to 22 Oct 2023)" in text
    assert "3 events, 1 dated more coarsely than a week (hatched)" in text
    assert "Kataib Hezbollah: 3 (1 uncertain)" in text and "United States: 1" in text
    assert "an event linked to several groups counts in each" in text     # e2: KH and US


def test_click_selects_the_bins_events_and_drag_sets_the_window(chart, story):
    hub = chart.hub
    QTest.mouseClick(chart, Qt.MouseButton.LeftButton, pos=bin_center(chart, 1))
    assert sorted(hub.selection) == sorted(ids(story, "e1", "e2", "e5"))
    assert sorted(chart.data.selected.tolist()) == sorted(ids(story, "e1", "e2", "e5"))   # the timeline's
    a, _ = chart.bin_spans()[1]
    _, b = chart.bin_spans()[2]
    y = chart.height() // 2
    QTest.mousePress(chart, Qt.MouseButton.LeftButton, pos=QPoint(int(a), y))
    QTest.mouseMove(chart, QPoint(int((a + b) / 2), y))
    QTest.mouseMove(chart, QPoint(int(b), y))
    QTest.mouseRelease(chart, Qt.MouseButton.LeftButton, pos=QPoint(int(b), y))
    day = 86400
    assert abs(chart.canvas.t0 - ts(2023, 10, 16)) < day and abs(chart.canvas.t1 - ts(2023, 10, 30)) < day
    assert sorted(hub.selection) == sorted(ids(story, "e1", "e2", "e5"))   # a drag selects nothing


def test_follows_the_filters_search_and_stacking(chart, story):
    hub = chart.hub
    us = story.group_by_name("United States").id
    assert chart.chart().counts.total.tolist() == [1, 3, 1, 1]
    hub.set_filter(hub.filter.with_(group_ids=frozenset({us})))
    assert chart.chart().counts.total.tolist() == [0, 1, 1, 0]
    hub.set_filter(hub.filter.with_(group_ids=None, event_types=frozenset({"Drone"})))
    assert chart.chart().counts.total.tolist() == [0, 3, 0, 0]
    hub.set_filter(hub.filter.with_(event_types=frozenset(), search="e3"))
    assert chart.chart().counts.total.tolist() == [0, 0, 1, 0]
    hub.set_filter(hub.filter.with_(search=""))
    chart.set_stack_by("top")
    c = chart.chart().counts
    assert [chart.chart().names[s] for s in range(len(c.keys))] == ["Popular Mobilization Forces", "United States",
                                                                      "Ungrouped"]
    assert c.count.tolist() == [[1, 3, 0, 0], [0, 1, 1, 0], [0, 0, 0, 1]]
    chart.set_stack_by("type")
    assert chart.chart().names == ["Airstrike", "Drone", "(no type)"]


def bar_height(chart, i) -> int:
    """The drawn bar of bin `i` in pixels: rows of the chart's picture, down its middle, that are
    not the background or the grid."""
    image = chart.grab().toImage()
    x = int(sum(chart.bin_spans()[i]) / 2)
    plain = {image.pixelColor(x, 2).name(), image.pixelColor(x, chart.height() - 16).name()}
    return sum(image.pixelColor(x, y).name() not in plain for y in range(8, chart.height() - 15))


def test_an_edit_is_counted_at_once(chart, story):
    canvas = chart.canvas
    for step in (40, -80, 40):                          # pans: the counts are cut from a wider stretch
        canvas.pan_pixels(step)
        chart.grab()
    chart.view.set_window(ts(2023, 10, 9), ts(2023, 11, 6))
    before = bar_height(chart, 2)
    story.create_event("e7", "2023-10-24")              # the hub hears it from the project's change feed
    assert chart.chart().counts.total.tolist() == [1, 3, 2, 1]
    assert bar_height(chart, 2) > before                 # and draws it: the week of 23 October is taller


def test_a_moved_event_leaves_its_bin_at_once(chart, story):
    chart.canvas.pan_pixels(60)                          # the stretch counted, then the window back inside it
    chart.grab()
    chart.view.set_window(ts(2023, 10, 9), ts(2023, 11, 6))
    chart.grab()
    story.update_event(ids(story, "e3")[0], start="2023-10-10")
    assert chart.chart().counts.total.tolist() == [2, 3, 0, 1]


def test_bars_drawn_through_their_layer_are_the_plain_drawing(chart, story):
    """On screen the bars come from rectangles made once per stretch, drawn through a transform
    with the gaps cleared (counts_render.BarLayer): the same pixels as drawing each segment."""
    from dataclasses import replace

    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter

    from sijill.desktop.timeline.counts_render import paint_chart

    story.create_event("e8", "mid-October 2023", groups=[(story.group_by_name("United States").id, "actor")])

    def picture(data, hover=None, ratio=1) -> QImage:
        image = QImage(chart.size() * ratio, QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(ratio)            # 2: a high-density screen
        qp = QPainter(image)
        paint_chart(qp, QRectF(chart.rect()), *chart.plot_span(), data, hover)
        qp.end()
        return image

    for unit, stack in (("week", "group"), ("day", "group"), ("day", "type"), ("week", "none")):
        chart.set_unit(unit)
        chart.set_stack_by(stack)
        data = chart.chart()
        assert data.bars is not None and data.counts.total_uncertain.any()      # hatched parts too
        for ratio in (1, 2):
            assert picture(data, 1, ratio) == picture(replace(data, bars=None), 1, ratio)


def test_exports_png_svg_and_csv(chart, tmp_path):
    chart.export(str(tmp_path / "c.png"))
    chart.export(str(tmp_path / "c.svg"))
    chart.export(str(tmp_path / "c.csv"))
    assert (tmp_path / "c.png").stat().st_size > 1000
    svg = (tmp_path / "c.svg").read_text(encoding="utf-8")
    assert "<title>Week of 16 Oct 2023 (to 22 Oct 2023)\n3 events, 1 dated more coarsely" in svg
    rows = (tmp_path / "c.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == ("start,end,count,uncertain,Popular Mobilization Forces,Kataib Hezbollah,United States,"
                       "Ungrouped")
    assert rows[2] == "2023-10-16,2023-10-22,3,1,0,3,1,0"


def test_view_menu_shows_the_chart_and_a_click_selects_in_the_table(qtbot, story, settings, messages):
    window = MainWindow(story, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    chart = window.counts_chart
    assert not chart.isVisible()
    window.action_set.view_counts.trigger()
    assert chart.isVisible()
    assert chart.geometry().top() >= window.timeline.geometry().bottom()       # under the timeline
    window.timeline.set_window(ts(2023, 10, 9), ts(2023, 11, 6))
    chart.set_unit("week")
    QTest.mouseClick(chart, Qt.MouseButton.LeftButton, pos=bin_center(chart, 1))
    assert sorted(window.table.selected_ids()) == sorted(ids(story, "e1", "e2", "e5"))
    window.action_set.view_counts.trigger()
    assert not chart.isVisible()


def test_menu_chooses_bins_and_stacks_and_a_lasso_filter_is_followed(chart, story):
    menu = chart.build_menu()
    bins = next(a.menu() for a in menu.actions() if a.text() == "&Bins")
    next(a for a in bins.actions() if a.text() == "Per &month").trigger()
    assert chart.unit == "month" and chart.chart().counts.total.tolist() == [5, 1]
    next(a for a in bins.actions() if a.text() == "&Automatic (from the zoom)").trigger()
    assert chart.current_unit() == "day"                 # four weeks across the canvas: days are wide enough
    stacks = next(a.menu() for a in chart.build_menu().actions() if a.text() == "&Stacks")
    next(a for a in stacks.actions() if a.text() == "&None (all events)").trigger()
    assert chart.stack_by == "none" and chart.chart().counts.keys == []
    chart.set_unit("week")
    chart.hub.set_filter(chart.hub.filter.with_(event_ids=frozenset(ids(story, "e3", "e6"))))   # the map's lasso
    assert chart.chart().counts.total.tolist() == [0, 0, 1, 1]
