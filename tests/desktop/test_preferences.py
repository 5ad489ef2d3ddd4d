"""Edit ▸ Preferences (Ctrl+,): each choice changes what the analyst sees — the dates in the events
table and the event pane, the theme (at once, taken back on Cancel), the date relative phrases are
read against, the folder the export dialogs open in — and is kept in the settings."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from sijill.desktop import settings as opt
from sijill.desktop.events.event_dialog import EventDialog
from sijill.desktop.shell.main_window import MainWindow
from sijill.desktop.events.table_model import C_START, C_TITLE
from sijill.desktop.paths import data_dir, documents_dir
from sijill.desktop.widgets.theme import apply_theme

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def window(qtbot, small_project, settings, messages, qapp) -> MainWindow:
    small_project.create_event("Militia statement", "mi-octobre 2023")
    w = MainWindow(small_project, settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    apply_theme(qapp, "system", system_dark=False)


def start_text(window: MainWindow, title: str) -> str:
    proxy = window.table.proxy
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, C_TITLE).data() == title)
    return proxy.index(row, C_START).data()


def ok(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def is_dark() -> bool:
    return QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def test_preferences_is_in_the_edit_menu_on_ctrl_comma(window):
    action = window.action_set.edit_preferences
    assert action.shortcut() == QKeySequence("Ctrl+,")
    edit_menu = next(m.menu() for m in window.menuBar().actions() if m.text() == "&Edit")
    assert action in edit_menu.actions()
    action.trigger()
    assert window.preferences_dialog.isVisible()
    window.preferences_dialog.reject()


def test_date_display_switches_the_table_and_the_event_pane(qtbot, window, settings):
    assert start_text(window, "Militia statement") == "mid-Oct 2023"
    event = next(e for e in window.project.events() if e.title == "Militia statement")
    window.hub.set_selection([event.id])
    assert "mid-Oct 2023" in window.detail_pane.toPlainText()

    dialog = window.preferences()
    dialog.dates.setCurrentIndex(dialog.dates.findData("iso"))
    ok(qtbot, dialog)
    assert start_text(window, "Militia statement") == "2023-10-11~/2023-10-20~"
    assert start_text(window, "ISIS takes Mosul") == "2014-06-10"
    assert start_text(window, "Drone attacks on US forces begin") == "2023-10"
    assert "2023-10-11~/2023-10-20~" in window.detail_pane.toPlainText()
    assert settings.get(opt.DATE_DISPLAY) == "iso"

    dialog = window.preferences()
    dialog.dates.setCurrentIndex(dialog.dates.findData("written"))
    ok(qtbot, dialog)
    assert start_text(window, "Militia statement") == "mi-octobre 2023"


def test_a_new_window_shows_dates_as_last_chosen(qtbot, small_project, settings, messages):
    settings.set(opt.DATE_DISPLAY, "iso")
    w = MainWindow(small_project, settings)
    qtbot.addWidget(w)
    assert start_text(w, "Drone attacks on US forces begin") == "2023-10"


def test_theme_shows_at_once_cancel_takes_it_back_ok_keeps_it(qtbot, window, settings):
    assert not is_dark()
    dialog = window.preferences()
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    assert is_dark(), "the theme is shown while choosing"
    dialog.reject()
    assert not is_dark() and settings.get(opt.THEME) == "system"

    dialog = window.preferences()
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    ok(qtbot, dialog)
    assert is_dark() and settings.get(opt.THEME) == "dark"


def test_exports_open_in_documents_then_in_the_chosen_folder(qtbot, window, settings, tmp_path):
    assert window.export_dialog().folder == str(documents_dir())
    assert not window.export_dialog().folder.startswith(str(data_dir()))
    chosen = tmp_path / "exports"
    chosen.mkdir()
    dialog = window.preferences()
    dialog.folder.setText(str(tmp_path / "missing"))
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    dialog.folder.setText(str(chosen))
    ok(qtbot, dialog)
    assert window.export_dialog().folder == str(chosen)
    assert window.export_dialog().path_edit.text().startswith(str(chosen))
    assert window.image_dialog().path_edit.text().startswith(str(chosen))
    assert settings.get(opt.EXPORT_FOLDER) == str(chosen)


def test_relative_dates_are_read_against_the_default_date(qtbot, window, settings):
    dialog = window.preferences()
    dialog.reference.setText("someday")
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    dialog.reference.setText("31 January 2024")   # a Wednesday
    ok(qtbot, dialog)
    assert settings.get(opt.REFERENCE_DATE) == "2024-01-31"
    editor = EventDialog(window.hub, None, window)
    qtbot.addWidget(editor)
    assert "31 Jan 2024" in editor.reference.itemText(0)
    editor.start.edit.setText("samedi dernier")
    assert editor.start.value.display() == "27 Jan 2024"


def test_analyst_name_is_kept(qtbot, window, settings):
    dialog = window.preferences()
    dialog.analyst.setText("  Rana Haddad ")
    ok(qtbot, dialog)
    assert settings.get(opt.ANALYST_NAME) == "Rana Haddad"
    assert window.hub.display.analyst == "Rana Haddad"
    # and every later edit is recorded under that name in the project's history
    window.project.create_event("Strike", "2024-01-28")
    assert window.project.change_sets(limit=1)[0].analyst == "Rana Haddad"
