"""A window of the timeline draws what lies in it, whatever the project holds elsewhere: the same
events with many more outside the window give the same picture (what `tests.perf.timeline --earlier`
relies on to measure what a project's size alone costs a frame)."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoStack

from sijill.db.store.project import Project
from sijill.desktop.hub import ProjectHub
from sijill.desktop.timeline.view import TimelineView
from tests.perf.generate import generate

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")   # offscreen platform, top-level show()

DAY = 86400.0
BUSY = (1697000000 + 1707000000) / 2          # Oct 2023 – Feb 2024


def _frames(qtbot, path, windows) -> list:
    project = Project.open(path)
    view = TimelineView(ProjectHub(project), QUndoStack())
    qtbot.addWidget(view)
    view.resize(1400, 700)
    view.show()
    out = []
    for t0, t1 in windows:
        view.set_window(t0, t1)
        drawn = sum(len(dl.ids) for dl in view.canvas.ensure_frame().lanes)
        out.append((view.canvas.grab().toImage(), drawn))
    project.close()
    return out


def test_events_outside_the_window_change_nothing_in_it(qtbot, tmp_path):
    small = generate(400, tmp_path / "small.sijill")
    big = generate(400, tmp_path / "big.sijill", earlier=6000)      # the same 400, and 6,000 in 1984–1994
    windows = [(BUSY - span / 2, BUSY + span / 2) for span in (365.25 * DAY, 30.44 * DAY, 7 * DAY, DAY)]
    windows += [(1420070400.0, 1420070400.0 + 2 * 365.25 * DAY)]                # 2015–2016
    alone, among = _frames(qtbot, small, windows), _frames(qtbot, big, windows)
    for window, (a, _n), (b, _m) in zip(windows, alone, among):
        assert a == b, window
    assert alone[0][1] > 10 and alone[-1][1] > 10      # windows where there is something to draw
