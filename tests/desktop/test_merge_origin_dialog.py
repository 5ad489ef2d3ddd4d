"""Edit ▸ Merge events… on two events imported from ACLED: the dialog says that importing the merged
one's row again will add it back (the kept event keeps its own dataset link), for whichever is kept."""
from __future__ import annotations

import pytest

from sijill.desktop.shell.main_window import MainWindow
from tests.desktop.test_merge_events import select_rows
from tests.formats.test_acled import acled_row, do_import, write

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()


def test_the_merge_dialog_warns_that_the_merged_events_row_would_come_back(qtbot, project, settings, messages,
                                                                           tmp_path):
    do_import(project, write(tmp_path / "acled.csv", [acled_row(), acled_row(event_id_cnty="IRQ2",
                                                                             location="Al Asad")]))
    first, second = sorted(project.events(), key=lambda e: e.id)
    window = MainWindow(project, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    select_rows(qtbot, window, first.title, second.title)
    window.action_set.edit_merge_events.trigger()  # Edit ▸ Merge events…
    dialog = window.merge_events_dialog
    dialog.keep(first.id)
    assert dialog.warning_label.isVisible()
    assert dialog.warning_label.text().startswith(f"“{second.title}” came from acled row IRQ2")
    dialog.grab().save(str(tmp_path / "merge_warning.png"))
    dialog.keep(second.id)
    assert "acled row IRQ1" in dialog.warning_label.text()
    dialog.reject()


def test_undoing_a_merge_after_the_merged_events_row_was_imported_again(qtbot, project, settings, messages,
                                                                        tmp_path):
    """The merged event's row imported again (from the command line) before Undo: the merged event comes
    back without its dataset link, which the new event holds, and the window says so; Redo merges it
    again, not the new one."""
    csv_path = write(tmp_path / "acled.csv", [acled_row(), acled_row(event_id_cnty="IRQ2", location="Al Asad")])
    do_import(project, csv_path)
    first, second = sorted(project.events(), key=lambda e: e.id)
    window = MainWindow(project, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    select_rows(qtbot, window, first.title, second.title)
    window.action_set.edit_merge_events.trigger()
    window.merge_events_dialog.keep(first.id)
    window.merge_events_dialog.accept()
    assert project.event_by_uid(second.uid) is None
    assert do_import(project, csv_path).added == 1
    again = next(e for e in project.events() if e.location == "Al Asad")
    assert again.id == second.id  # the highest id, given again

    window.action_set.edit_undo.trigger()
    back = project.event_by_uid(second.uid)
    assert back is not None and back.id != second.id
    assert [title for title, _text in messages] == ["Saved"] and "acled row IRQ2" in messages[0][1]
    window.action_set.edit_redo.trigger()
    assert project.event_by_uid(second.uid) is None and project.event_by_uid(again.uid) is not None
    assert do_import(project, csv_path).added == 0
