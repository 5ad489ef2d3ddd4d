"""A view saved by `sijill view save` is in the window's View ▸ Saved views, and choosing it shows its
dates, lanes and filters."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from PySide6.QtWidgets import QApplication

from sijill.desktop.cli.main import run
from sijill.desktop.events.table_model import C_TITLE
from sijill.desktop.shell.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()


def test_the_window_opens_a_view_the_command_line_saved(qtbot, small_project, settings, messages, tmp_path):
    # messages: no message box may stay open
    path = small_project.path
    assert run(["view", "save", str(path), "Kataib Hezbollah drones", "--from", "2023-10", "--to", "2024-02",
                "--group", "Kataib Hezbollah", "--tag", "drone"]) == 0
    window = MainWindow(small_project, settings)
    qtbot.addWidget(window)
    window.resize(1400, 800)
    window.show()
    qtbot.waitExposed(window)
    window.saved_views_menu.rebuild()
    names = [a.objectName() for a in window.saved_views_menu.actions()]
    assert "saved_view:Kataib Hezbollah drones" in names
    next(a for a in window.saved_views_menu.actions() if a.objectName() == "saved_view:Kataib Hezbollah drones").trigger()
    t0, t1 = window.timeline.window()
    assert datetime.fromtimestamp(t0, timezone.utc).date().isoformat() == "2023-10-01"
    assert datetime.fromtimestamp(t1, timezone.utc).date().isoformat() == "2024-03-01"
    kh = small_project.group_by_name("Kataib Hezbollah").id
    assert window.hub.filter.group_ids == frozenset({kh}) and window.hub.filter.tags == frozenset({"drone"})
    proxy = window.table.proxy
    assert sorted(proxy.index(r, C_TITLE).data() for r in range(proxy.rowCount())) == [
        "Drone attacks on US forces begin", "Tower 22 attack"]
    assert window.count_label.text() == "5 events, 2 shown"
    QApplication.processEvents()  # the status bar lays its labels out again
    window.grab().save(str(tmp_path / "view_saved_by_cli.png"))
