"""Deleting an imported event and undoing it keeps the event's dataset origin: importing the same
ACLED file again then updates the event instead of adding it a second time."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from sijill.db.store.project import Project
from sijill.desktop.shell.main_window import MainWindow
from tests.desktop.test_main_window import click_row, table_titles
from tests.formats.test_acled import acled_row, do_import, write

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()


def test_undone_delete_of_an_imported_event_is_updated_by_the_next_import(qtbot, project, settings, messages,
                                                                          tmp_path):
    csv_path = write(tmp_path / "acled.csv", [acled_row(), acled_row(event_id_cnty="IRQ2", event_date="2024-01-04",
                                                                       location="Baghdad")])
    do_import(project, csv_path)
    window = MainWindow(project, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    title = next(e.title for e in project.events() if e.location == "Ain al-Asad Air Base")
    uid = next(e.uid for e in project.events() if e.title == title)

    click_row(qtbot, window, title)
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    assert title not in table_titles(window)
    window.action_set.edit_undo.trigger()
    assert title in table_titles(window)

    again = do_import(project, csv_path)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    write(csv_path, [acled_row(fatalities="2"), acled_row(event_id_cnty="IRQ2", event_date="2024-01-04",
                                                          location="Baghdad")])
    updated = do_import(project, csv_path)
    assert (updated.added, updated.updated) == (0, 1)
    with Project.open(project.path) as second:
        assert len(second.events()) == 2
        assert second.event_by_uid(uid).fatalities == 2

    window.action_set.edit_redo.trigger()  # the delete again: the origin goes with the event
    with Project.open(project.path) as second:
        assert second.event_by_uid(uid) is None
        assert second.db.execute("SELECT count(*) FROM event_origins").fetchone() == (1,)


def _window(qtbot, project, settings) -> MainWindow:
    window = MainWindow(project, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _delete(qtbot, window, title) -> None:
    click_row(qtbot, window, title)
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    assert title not in table_titles(window)


@pytest.mark.parametrize(("location", "key"), [("Ain al-Asad Air Base", "IRQ1"),  # the lower id
                                                ("Baghdad", "IRQ2")])  # the highest id: the new event takes it
def test_undoing_a_delete_after_the_file_was_imported_again_brings_the_event_back(qtbot, project, settings,
                                                                                  messages, tmp_path, location, key):
    """The same ACLED file imported again (from the command line) while the delete is on the undo stack: the
    row comes back as a new event, and may take the deleted event's id. Undo still brings the deleted
    event back, without its dataset link, which the new event holds, and says so; redo deletes it again,
    not the new one."""
    csv_path = write(tmp_path / "acled.csv", [acled_row(), acled_row(event_id_cnty="IRQ2", event_date="2024-01-04",
                                                                       location="Baghdad")])
    do_import(project, csv_path)
    window = _window(qtbot, project, settings)
    deleted = next(e for e in project.events() if e.location == location)
    assert (location == "Baghdad") == (deleted.id == max(e.id for e in project.events()))
    _delete(qtbot, window, deleted.title)
    assert do_import(project, csv_path).added == 1
    again = next(e for e in project.events() if e.location == location)
    assert (again.id == deleted.id) == (key == "IRQ2")

    window.action_set.edit_undo.trigger()
    assert table_titles(window).count(deleted.title) == 2
    back = project.event_by_uid(deleted.uid)
    assert (back.title, back.location, back.start) == (deleted.title, deleted.location, deleted.start)
    assert [title for title, _text in messages] == ["Saved"]
    assert "imported again" in messages[0][1] and deleted.title in messages[0][1]
    assert project.db.execute("SELECT event_id FROM event_origins WHERE key = ?", [key]).fetchone() == (again.id,)
    assert do_import(project, csv_path).added == 0  # the new event is the one the dataset updates

    window.action_set.edit_redo.trigger()
    assert project.event_by_uid(deleted.uid) is None
    assert project.event_by_uid(again.uid) is not None
    assert table_titles(window).count(deleted.title) == 1
    assert len(messages) == 1
