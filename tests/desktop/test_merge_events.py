"""Edit ▸ Merge events… (Ctrl+M) in the main window: two copies of one attack selected in the table,
merged into the one kept, checked against the project file, then undone and redone."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from sijill.db.store.project import Project
from sijill.desktop.events.merge_dialog import MergeEventsDialog
from sijill.desktop.events.table_model import C_TITLE
from sijill.desktop.shell.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()


@pytest.fixture
def window(qtbot, small_project, settings, messages) -> MainWindow:
    """The small project with the Tower 22 attack entered a second time, with a source citing it."""
    us = small_project.group_by_name("United States").id
    dup = small_project.create_event("Attack on Tower 22, Jordan", "2024-01", groups=[(us, "target")],
                                     location="Tower 22", tags=["jordan"])
    source = small_project.create_source("Pentagon statement", "Three soldiers were killed at Tower 22.")
    small_project.add_evidence(dup.id, source.id, stance="supports")
    w = MainWindow(small_project, settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def titles(window: MainWindow) -> list[str]:
    proxy = window.table.proxy
    return [proxy.index(r, C_TITLE).data() for r in range(proxy.rowCount())]


def select_rows(qtbot, window: MainWindow, *wanted: str) -> None:
    """Click the first title, Ctrl+click the others, in the events table."""
    table = window.table
    for n, title in enumerate(wanted):
        rect = table.visualRect(table.proxy.index(titles(window).index(title), C_TITLE))
        modifier = Qt.KeyboardModifier.ControlModifier if n else Qt.KeyboardModifier.NoModifier
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def open_merge(qtbot, window: MainWindow) -> MergeEventsDialog:
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window.table, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    dialog = window.merge_events_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_ctrl_m_merges_the_selected_duplicate_into_the_event_kept_and_undo_puts_both_back(qtbot, window,
                                                                                          small_project, tmp_path):
    path = small_project.path
    select_rows(qtbot, window, "Tower 22 attack", "Attack on Tower 22, Jordan")
    dialog = open_merge(qtbot, window)
    rows = [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]
    assert sorted(rows) == ["Attack on Tower 22, Jordan", "Tower 22 attack"]
    assert dialog.tree.currentItem().text(0) == "Attack on Tower 22, Jordan"  # the one with evidence first
    dialog.grab().save(str(tmp_path / "merge_events.png"))
    kept = next(dialog.tree.topLevelItem(i) for i in range(2) if dialog.tree.topLevelItem(i).text(0) == "Tower 22 attack")
    qtbot.mouseClick(dialog.tree.viewport(), Qt.MouseButton.LeftButton, pos=dialog.tree.visualItemRect(kept).center())
    assert "Kept: <b>Tower 22 attack</b>" in dialog.kept_label.text()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert "Attack on Tower 22, Jordan" not in titles(window) and window.count_label.text() == "5 events"
    with Project.open(path, read_only=True) as second:
        assert [e.title for e in second.events() if "Tower 22" in e.title] == ["Tower 22 attack"]
        e = next(e for e in second.events() if e.title == "Tower 22 attack")
        assert (e.start.text, e.location, sorted(e.tags)) == ("2024-01-28", "Tower 22", ["drone", "jordan"])
        assert [second.source(ev.source_id).title for ev in second.evidence(e.id)] == ["Pentagon statement"]
    assert window.hub.selection == [e.id]
    assert window.undo_stack.undoText() == "Merge event “Attack on Tower 22, Jordan” into “Tower 22 attack”"
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Attack on Tower 22, Jordan" in titles(window) and window.count_label.text() == "6 events"
    with Project.open(path, read_only=True) as second:
        dup = next(x for x in second.events() if x.title == "Attack on Tower 22, Jordan")
        assert (dup.location, list(dup.tags)) == ("Tower 22", ["jordan"])
        assert len(second.evidence(dup.id)) == 1 and second.evidence(e.id) == []
        assert second.event(e.id).location is None
    window.undo_stack.redo()
    assert "Attack on Tower 22, Jordan" not in titles(window)


def test_with_fewer_than_two_events_selected_it_says_what_to_do(qtbot, window, messages):
    select_rows(qtbot, window, "Tower 22 attack")
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window.table, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert messages[-1][0] == "Merge events" and "two or more" in messages[-1][1]
    assert window.merge_events_dialog is None


def test_the_edit_menu_holds_it_beside_delete(window):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    names = [a.objectName() for a in menu.actions()]
    assert names[names.index("edit_delete") + 1] == "edit_merge_events"
    assert window.action_set.edit_merge_events.shortcut().toString() == "Ctrl+M"
    QApplication.processEvents()
