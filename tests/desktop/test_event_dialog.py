"""The event editor on its own: live date readings, reference dates, what it hands to commands."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialogButtonBox

from sijill.db.dates import DateParseError, parse_fuzzy
from sijill.desktop.events.event_dialog import EventDialog, open_event_editor
from sijill.desktop.widgets.date_field import ERROR_COLOR, reading_of
from sijill.desktop.groups.group_dialog import GroupDialog, open_group_editor
from sijill.desktop.hub import ProjectHub

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()


@pytest.fixture
def hub(qapp, small_project):
    return ProjectHub(small_project)


def event_named(project, title):
    return next(e for e in project.events() if e.title == title)


def ok_button(dialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_reading_of_a_day(qapp):
    assert reading_of(parse_fuzzy("2023-10-18")) == (
        "18 Oct 2023 · bounds 2023-10-18 00:00 – 23:59 UTC · precision day")
    assert reading_of(parse_fuzzy("2014")).startswith("2014 · bounds 2014-01-01 00:00 – 2014-12-31 23:59 UTC")


def test_new_dialog_needs_a_title_and_a_start_but_shows_no_error_before_anything_is_typed(qtbot, hub):
    dialog = EventDialog(hub)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not ok_button(dialog).isEnabled()  # OK waits for a title and a start…
    assert dialog.message.text() == ""  # …but a blank form is not an error
    assert dialog.start.preview.text() == "required" and ERROR_COLOR not in dialog.start.preview.styleSheet()
    assert ok_button(dialog).toolTip() == "Needed first: the event needs a title; start: a date is needed"
    qtbot.keyClicks(dialog.title, "Camp Taji attack")
    assert not ok_button(dialog).isEnabled() and dialog.message.text() == ""  # the start is not typed yet
    qtbot.keyClicks(dialog.start.edit, "2020-03-11")
    assert ok_button(dialog).isEnabled() and ok_button(dialog).toolTip() == ""
    assert dialog.end.preview.text() == "no end: the event is a moment"
    dialog.title.selectAll()
    qtbot.keyClick(dialog.title, Qt.Key.Key_Delete)  # edited, then emptied: now it is said
    assert dialog.message.text() == "the event needs a title"
    dialog.start.edit.selectAll()
    qtbot.keyClick(dialog.start.edit, Qt.Key.Key_Delete)
    assert dialog.message.text() == "the event needs a title; start: a date is needed"
    assert dialog.start.preview.text() == "a date is needed" and ERROR_COLOR in dialog.start.preview.styleSheet()


def test_ok_on_a_blank_form_says_what_is_missing(qtbot, hub):
    dialog = EventDialog(hub)
    qtbot.addWidget(dialog)
    dialog.accept()  # Enter, or a caller that accepts
    assert dialog.result() == 0 and dialog.message.text() == "the event needs a title; start: a date is needed"


def test_stored_dates_are_kept_not_read_again(qtbot, hub, small_project):
    event = event_named(small_project, "Drone attacks on US forces begin")
    dialog = EventDialog(hub, event)
    qtbot.addWidget(dialog)
    assert dialog.start.edit.text() == "2023-10"
    assert dialog.start.preview.text().startswith("Oct 2023 · bounds 2023-10-01 00:00 – 2023-10-31 23:59 UTC")
    dialog.fatalities.setText("0")
    assert dialog.changed_fields() == {"fatalities": 0}


def test_relative_dates_are_read_against_the_chosen_source(qtbot, hub, small_project):
    try:
        parse_fuzzy("samedi dernier", reference=datetime(2024, 1, 31, tzinfo=timezone.utc))
    except DateParseError:
        pytest.skip("the fuzzy date parser in this tree does not read relative French dates yet")
    small_project.create_source("Communiqué", "…", published="2024-01-31", language="fr")
    dialog = EventDialog(hub)
    qtbot.addWidget(dialog)
    dialog.title.setText("Attack")
    qtbot.keyClicks(dialog.start.edit, "samedi dernier")
    dialog.reference.setCurrentIndex(dialog.reference.findText("Communiqué (31 Jan 2024)"))
    assert dialog.start.preview.text().startswith("27 Jan 2024 · bounds 2024-01-27 00:00 – 23:59 UTC")
    start = dialog.fields()["start"]
    assert start.text == "samedi dernier" and start.lo == datetime(2024, 1, 27, tzinfo=timezone.utc)


def test_changed_fields_hold_only_what_changed(qtbot, hub, small_project):
    event = event_named(small_project, "US strikes on Kataib Hezbollah")
    dialog = EventDialog(hub, event)
    qtbot.addWidget(dialog)
    assert dialog.changed_fields() == {}
    assert dialog.tags.text() == "airstrike"
    assert dialog.event_type.currentText() == "Explosions/Remote violence"
    assert [dialog.group_table.cellWidget(r, 1).currentText() for r in range(2)] == ["target", "actor"]
    dialog.tags.setText("airstrike, retaliation")
    dialog.latitude.setText("34.37")
    dialog.longitude.setText("41.1")
    dialog.group_table.setCurrentCell(0, 0)
    dialog.remove_group_row()
    dialog.start.edit.setText("2019-12-29")  # same text: nothing to change
    assert dialog.changed_fields() == {"tags": ["airstrike", "retaliation"], "latitude": 34.37, "longitude": 41.1,
                                       "groups": [(small_project.group_by_name("United States").id, "actor")]}


def test_coordinates_must_be_numbers_in_range_and_come_in_pairs(qtbot, hub, small_project):
    dialog = EventDialog(hub, event_named(small_project, "Tower 22 attack"))
    qtbot.addWidget(dialog)
    dialog.latitude.setText("95")
    assert not ok_button(dialog).isEnabled() and "latitude must be between -90 and 90" in dialog.message.text()
    dialog.latitude.setText("32.7")
    assert "give both latitude and longitude" in dialog.message.text()
    dialog.longitude.setText("38.9")
    assert ok_button(dialog).isEnabled()


def test_tag_completer_completes_the_last_tag(qtbot, hub):
    dialog = EventDialog(hub)
    qtbot.addWidget(dialog)
    completer = dialog.tags.completer()
    dialog.tags.setText("airstrike, dr")
    assert completer.splitPath(dialog.tags.text()) == ["dr"]
    completer.setCompletionPrefix("dr")
    assert completer.currentIndex().data() == "drone"
    assert completer.currentCompletion() == "airstrike, drone"  # what the line edit receives


def test_open_event_editor_pushes_one_update_with_the_changes(qtbot, hub, small_project):
    stack = QUndoStack()
    event = event_named(small_project, "Tower 22 attack")
    dialog = open_event_editor(None, hub, stack, event.id)
    qtbot.addWidget(dialog)
    dialog.title.setText("Tower 22 drone attack")
    with qtbot.waitSignal(hub.events_changed) as changed:
        qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)
    assert changed.args == [[event.id]]
    assert stack.count() == 1
    assert small_project.event(event.id).title == "Tower 22 drone attack"
    stack.undo()
    assert small_project.event(event.id).title == "Tower 22 attack"


def test_group_editor_renames_recolours_and_moves_a_group(qtbot, hub, small_project):
    stack = QUndoStack()
    kh = small_project.group_by_name("Kataib Hezbollah")
    dialog = open_group_editor(None, hub, stack, kh.id)
    qtbot.addWidget(dialog)
    assert dialog.parent_group.currentText() == "Popular Mobilization Forces"
    assert dialog.parent_group.findData(kh.id) == -1  # a group cannot be inside itself
    dialog.name.setText("ISIS")
    assert not ok_button(dialog).isEnabled() and "exists" in dialog.message.text()
    dialog.name.setText("Kata'ib Hizballah")
    from PySide6.QtGui import QColor

    dialog.set_color(QColor("#ff0000"))
    dialog.add_alias("KH", "en")
    dialog.parent_group.setCurrentIndex(0)
    with qtbot.waitSignal(hub.groups_changed):
        ok_button(dialog).click()
    group = small_project.group(kh.id)
    assert (group.name, group.color, group.parent_id) == ("Kata'ib Hizballah", "#ff0000", None)
    assert ("KH", "en") in [(a.alias, a.lang) for a in group.aliases]
    stack.undo()
    group = small_project.group(kh.id)
    assert (group.name, group.color) == ("Kataib Hezbollah", "#d95f02")
    assert group.parent_id == small_project.group_by_name("Popular Mobilization Forces").id


def test_group_dialog_lists_aliases_with_language(qtbot, hub, small_project):
    dialog = GroupDialog(hub, small_project.group_by_name("Popular Mobilization Forces"))
    qtbot.addWidget(dialog)
    rows = [(dialog.aliases.item(r, 0).text(), dialog.aliases.item(r, 1).text())
            for r in range(dialog.aliases.rowCount())]
    assert ("Forces de mobilisation populaire", "fr") in rows and ("الحشد الشعبي", "ar") in rows
    assert dialog.changed_fields() == {}


def test_editing_an_event_deleted_meanwhile_says_so(qtbot, small_project, monkeypatch):
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QMessageBox, QWidget

    from sijill.desktop.events.event_dialog import open_event_editor
    from sijill.desktop.hub import ProjectHub

    shown = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a, **k: shown.append(a[1])))
    parent = QWidget()
    qtbot.addWidget(parent)
    hub = ProjectHub(small_project)
    event_id = small_project.events()[0].id
    small_project.delete_event(event_id)
    assert open_event_editor(parent, hub, QUndoStack(), event_id) is None
    assert shown == ["Event not found"]
