"""The main window on a small screen, and the reader that appears only when a source is opened."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QMargins, QRect, Qt

from sijill.desktop.shell.main_window import MainWindow
from sijill.desktop.shell.screen_fit import FIRST_RUN_SIZE, fit_window
from sijill.desktop.commands.sources import DeleteSourceCommand

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()

LAPTOP = QRect(0, 0, 1280, 720)
NO_FRAME = QMargins()


@pytest.fixture
def source_id(small_project) -> int:
    return small_project.create_source("Tower 22: what the Pentagon said", "Three US soldiers were killed.",
                                       outlet="DoD", published="2024-01-29", reliability="A").id


def new_window(qtbot, project, settings, available: QRect = LAPTOP) -> MainWindow:
    window = MainWindow(project, settings)
    qtbot.addWidget(window)
    window.fit_to_screen(available)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts (F9) go to the active window
    return window


def inside(outer: QRect, widget) -> bool:
    """The widget's whole rectangle is within `outer` (window coordinates)."""
    top_left = widget.mapTo(widget.window(), widget.rect().topLeft())
    return outer.contains(QRect(top_left, widget.size()))


@pytest.mark.parametrize("screen", [QRect(0, 0, 1280, 720), QRect(0, 0, 1366, 768), QRect(1920, 0, 1440, 900),
                                    QRect(0, 27, 1024, 741)])
def test_the_first_window_fits_the_screen_with_its_frame(screen):
    frame = QMargins(5, 30, 5, 5)
    rect = fit_window(screen, None, frame)
    assert screen.contains(rect.marginsAdded(frame))
    assert rect.width() >= min(FIRST_RUN_SIZE.width(), screen.width() - 10)  # as large as fits
    assert rect.height() >= min(FIRST_RUN_SIZE.height(), screen.height() - 35)


def test_on_a_large_screen_the_first_window_is_its_usual_size_centred():
    rect = fit_window(QRect(0, 0, 2560, 1400), None, NO_FRAME)
    assert rect.size() == FIRST_RUN_SIZE and rect.center() == QRect(0, 0, 2560, 1400).center()


def test_a_remembered_geometry_is_shrunk_and_moved_onto_a_smaller_screen():
    rect = fit_window(LAPTOP, QRect(300, 200, 2400, 1500), QMargins(4, 30, 4, 4))
    assert LAPTOP.contains(rect.marginsAdded(QMargins(4, 30, 4, 4)))
    assert rect.size().toTuple() == (1272, 686)
    kept = fit_window(LAPTOP, QRect(100, 80, 900, 500), NO_FRAME)  # one that fits stays where it was
    assert kept == QRect(100, 80, 900, 500)


def test_first_run_on_a_1280x720_laptop_shows_every_pane_on_screen(qtbot, small_project, settings, messages):
    window = new_window(qtbot, small_project, settings)
    assert LAPTOP.contains(window.frameGeometry())
    assert window.width() > 1200 and window.height() > 620  # the screen is used, not a corner of it
    inner = window.rect()
    for widget in (window.table, window.details_dock, window.search_box, window.filter_bar, window.timeline_slot):
        assert widget.isVisible() and inside(inner, widget), widget.objectName()
    # the panes share the height and width in proportion, not in fixed pixels made for 1500×950
    assert window.timeline_slot.height() > window.bottom_tabs.height() > 150
    assert 300 <= window.details_dock.width() <= 0.3 * window.width()


def test_a_remembered_window_larger_than_the_screen_is_shrunk_to_fit(qtbot, small_project, settings, messages):
    first = new_window(qtbot, small_project, settings, QRect(0, 0, 2560, 1600))
    first.resize(2400, 1500)
    first.save_state()
    small = QRect(0, 0, 1200, 600)  # smaller than the offscreen screen Qt itself keeps windows on
    second = new_window(qtbot, small_project, settings, small)
    assert small.contains(second.frameGeometry())


def test_the_reader_is_folded_away_until_a_source_is_opened(qtbot, small_project, settings, messages, source_id):
    window = new_window(qtbot, small_project, settings)
    assert not window.sources_panel.isVisible() and not window.action_set.view_sources.isChecked()
    assert window.timeline_slot.width() == window.work_splitter.width()  # the timeline takes the width
    window.bottom_tabs.setCurrentWidget(window.library)
    table = window.library.table
    rect = table.visualRect(table.model().index(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.sources_panel.isVisible() and window.action_set.view_sources.isChecked()
    assert window.sources_panel.reader.source_id == source_id
    timeline, reader = window.work_splitter.sizes()
    assert 0.5 < timeline / (timeline + reader) < 0.7  # in proportion to the window, not fixed pixels
    qtbot.keyClick(window.library.table, Qt.Key.Key_F9)  # F9 still folds it away…
    assert not window.sources_panel.isVisible()
    qtbot.keyClick(window.library.table, Qt.Key.Key_F9)  # …and brings it back, at the same sizes
    assert window.sources_panel.isVisible()
    assert all(abs(a - b) <= 4 for a, b in zip(window.work_splitter.sizes(), (timeline, reader)))  # ± the handle
    window.undo_stack.push(DeleteSourceCommand(window.hub, source_id))  # no source left to read
    assert not window.sources_panel.isVisible() and not window.action_set.view_sources.isChecked()
    window.undo_stack.undo()
    window.open_passage(source_id)  # from evidence or search results
    assert window.sources_panel.isVisible() and window.sources_panel.reader.source_id == source_id


def test_a_new_window_starts_with_the_reader_folded_even_if_it_was_open(qtbot, small_project, settings, messages,
                                                                         source_id):
    first = new_window(qtbot, small_project, settings)
    first.open_passage(source_id)
    assert first.sources_panel.isVisible()
    first.save_state()
    second = new_window(qtbot, small_project, settings)
    assert not second.sources_panel.isVisible() and second.sources_panel.reader.source_id is None
