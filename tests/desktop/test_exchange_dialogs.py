"""File ▸ Import and File ▸ Export, driven through the real dialogs of a real window and checked
against what the project FILE holds (a second connection), through undo and redo."""
from __future__ import annotations

import csv
import sqlite3
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from sijill.db.formats.acled import COLUMNS
from sijill.db.store.project import Project
from sijill.db.store.snapshots import discard, restore, snapshot
from sijill.desktop.commands.stack import READ_ONLY_TIP
from sijill.desktop.exchange.progress import Progress
from sijill.desktop.hub import ViewFilter
from sijill.desktop.shell.main_window import MainWindow
from tests.perf.acled_file import acled_rows, write_acled

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()
SCREEN = (1366, 768)


@pytest.fixture
def snapshots_dir(tmp_path, monkeypatch) -> Path:
    """Undo copies go to a folder of the test's own, to check that none is left behind."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def window(qtbot, small_project, settings, messages, snapshots_dir) -> MainWindow:
    w = MainWindow(small_project, settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def acled(tmp_path) -> Path:
    return write_acled(tmp_path / "acled.csv", 300)


def on_file(project: Project) -> Project:
    """A second connection to the same file: what was really written."""
    return Project.open(project.path)


def group_names(project: Project) -> set[str]:
    return {g.name for g in project.groups()}


def keys_naming(path: Path, actor: str) -> set[str]:
    """ACLED ids of the rows that name `actor` (as actor, target or associated)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return {row["event_id_cnty"] for row in csv.DictReader(fh)
                if actor in (row["actor1"], row["actor2"]) or actor in row["assoc_actor_1"].split("; ")}


def groups_of_keys(project: Project, keys: set[str]) -> dict[str, set[str]]:
    rows = project.db.execute(
        "SELECT o.key, g.name FROM event_origins o JOIN event_groups eg ON eg.event_id = o.event_id "
        "JOIN groups g ON g.id = eg.group_id WHERE o.origin = 'acled'").fetchall()
    out: dict[str, set[str]] = {}
    for key, name in rows:
        if key in keys:
            out.setdefault(key, set()).add(name)
    return out


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


# ---- import ------------------------------------------------------------------------------------------
def test_preview_shows_what_the_file_holds_and_the_counts_before_anything_is_written(window, small_project, acled):
    before = on_file(small_project)
    groups_before = group_names(before)
    dialog = window.import_dialog(acled)
    assert dialog.format_combo.currentData() == "acled"
    assert dialog.preview_table.rowCount() == 20
    first = next(acled_rows(1))
    assert dialog.preview_table.item(0, 1).text().endswith(f"{first[COLUMNS.index('actor1')]} v. "
                                                           f"{first[COLUMNS.index('actor2')]}")
    assert dialog.preview_table.item(0, 4).text() == first[COLUMNS.index("location")]
    summary = dialog.summary.text()
    assert "<b>300</b> new events" in summary and "<b>0</b> updated" in summary and "new groups" in summary
    assert dialog.import_button.isEnabled()
    after = on_file(small_project)
    assert after.event_count() == 5 and group_names(after) == groups_before
    assert after.get_meta("import.actor_map") is None
    assert window.undo_stack.count() == 0


def test_import_with_an_actor_mapped_by_hand_lands_there_and_is_remembered(qtbot, window, small_project, acled):
    dialog = window.import_dialog(acled)
    table = dialog.actor_table
    assert table.combo("Kataib Hezbollah (Iraq)").currentData() == "Kataib Hezbollah"  # matched automatically
    combo = table.combo("Asaib Ahl Al Haq")
    assert combo.currentData() == ""  # no such group in this project: a new one
    new_before = dialog.new_groups()
    assert "Asaib Ahl Al Haq" in new_before
    combo.setCurrentIndex(combo.findData("Popular Mobilization Forces"))
    assert table.item(table.row_of("Asaib Ahl Al Haq"), table.C_WHY).text() == "your choice"
    assert table.changes() == {"Asaib Ahl Al Haq": "Popular Mobilization Forces"}
    assert "Asaib Ahl Al Haq" not in dialog.new_groups() and len(dialog.new_groups()) == len(new_before) - 1
    assert on_file(small_project).event_count() == 5  # still nothing written
    with qtbot.waitSignal(window.hub.project_reset):
        click(qtbot, dialog.import_button)
    assert dialog.result() == dialog.DialogCode.Accepted
    stored = on_file(small_project)
    assert stored.event_count() == 305
    keys = keys_naming(acled, "Asaib Ahl Al Haq")
    landed = groups_of_keys(stored, keys)
    assert keys and set(landed) == keys
    assert all("Popular Mobilization Forces" in names for names in landed.values())
    assert "Asaib Ahl Al Haq" not in group_names(stored)
    assert window.undo_stack.undoText() == "Import ACLED file “acled.csv”"
    assert window.count_label.text() == "305 events"
    again = window.import_dialog(acled)  # the choice is remembered
    combo = again.actor_table.combo("Asaib Ahl Al Haq")
    assert combo.currentData() == "Popular Mobilization Forces"
    assert again.actor_table.item(again.actor_table.row_of("Asaib Ahl Al Haq"), 2).text() == "remembered choice"
    assert "<b>0</b> new events" in again.summary.text() and "<b>300</b> unchanged" in again.summary.text()


def test_reimport_with_an_actor_mapped_anew_moves_its_unchanged_events(qtbot, window, small_project, acled):
    """The file has not changed, the analyst's choice has: the events of that actor move to the
    group chosen (they were counted unchanged and kept in the group of the first import)."""
    with qtbot.waitSignal(window.hub.project_reset):
        assert window.import_file(acled)  # automatic choices: a new group "Asaib Ahl Al Haq"
    keys = keys_naming(acled, "Asaib Ahl Al Haq")
    assert all("Asaib Ahl Al Haq" in names for names in groups_of_keys(on_file(small_project), keys).values())
    dialog = window.import_dialog(acled)
    combo = dialog.actor_table.combo("Asaib Ahl Al Haq")
    combo.setCurrentIndex(combo.findData("Popular Mobilization Forces"))
    qtbot.waitUntil(lambda: dialog.checked is not None and dialog.import_button.isEnabled())
    with qtbot.waitSignal(window.hub.project_reset):
        click(qtbot, dialog.import_button)
    stored = on_file(small_project)
    assert stored.event_count() == 305
    landed = groups_of_keys(stored, keys)
    assert keys and set(landed) == keys
    assert all("Popular Mobilization Forces" in names and "Asaib Ahl Al Haq" not in names for names in landed.values())


def test_a_file_with_bad_rows_lists_them_and_imports_nothing(qtbot, window, small_project, tmp_path):
    rows = list(acled_rows(80))
    date, fatalities = COLUMNS.index("event_date"), COLUMNS.index("fatalities")
    rows[2][date] = "the day after"
    rows[6][fatalities] = "many"
    for row in rows[20:80]:
        row[date] = "31 February 2023"
    path = tmp_path / "bad.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    dialog = window.import_dialog(path)
    problems = dialog.problems_table
    assert dialog.tabs.currentWidget() is problems and dialog.tabs.isTabVisible(dialog.tab_problems)
    listed = [(problems.item(r, 0).text(), problems.item(r, 1).text(), problems.item(r, 2).text())
              for r in range(problems.rowCount() - 1)]
    assert listed[0] == ("4", "event_date", "'the day after' is not a date (expected 2023-10-18 or 18 October 2023)")
    assert listed[1][:2] == ("8", "fatalities") and "'many'" in listed[1][2]
    assert listed[2][:2] == ("22", "event_date") and "not a day of the calendar" in listed[2][2]
    assert len(listed) == 50 and problems.item(50, 2).text() == "… and 12 more"
    assert dialog.tabs.tabText(dialog.tab_problems) == "Problems (62)"
    assert "62 problems" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    dialog.accept()  # even forced, nothing happens
    assert dialog.result() != dialog.DialogCode.Accepted
    assert on_file(small_project).event_count() == 5 and window.undo_stack.count() == 0


def test_cancel_mid_import_leaves_the_project_unchanged(qtbot, window, small_project, tmp_path, snapshots_dir,
                                                        monkeypatch):
    path = write_acled(tmp_path / "big.csv", 3000)
    dialog = window.import_dialog(path)
    assert "<b>3,000</b> new events" in dialog.summary.text()
    update = Progress.update
    seen: list[float] = []

    def press_cancel(progress: Progress, fraction: float) -> None:
        """The analyst presses Cancel once the import is under way."""
        update(progress, fraction)
        seen.append(fraction)
        progress.dialog.cancel()

    monkeypatch.setattr(Progress, "update", press_cancel)
    click(qtbot, dialog.import_button)
    assert seen and 0 < seen[0] < 1
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.summary.text() == "The import was cancelled: nothing was imported."
    stored = on_file(small_project)
    assert stored.event_count() == 5 and len(stored.groups()) == 4 and stored.get_meta("import.actor_map") is None
    assert window.undo_stack.count() == 0 and window.count_label.text() == "5 events"
    assert list(snapshots_dir.iterdir()) == []  # the before-copy is gone too


def test_undo_and_redo_an_import_with_the_keyboard(qtbot, window, small_project, acled, snapshots_dir):
    groups_before = group_names(small_project)
    with qtbot.waitSignal(window.hub.project_reset):
        assert window.import_file(acled)  # a path: imported at once, automatic choices
    imported_groups = group_names(on_file(small_project))
    assert on_file(small_project).event_count() == 305 and imported_groups > groups_before
    assert len(list(snapshots_dir.iterdir())) == 2  # before and after
    window.activateWindow()
    qtbot.waitActive(window)
    with qtbot.waitSignal(window.hub.project_reset):
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    stored = on_file(small_project)
    assert stored.event_count() == 5 and group_names(stored) == groups_before
    assert stored.search("Tower 22")  # the full-text index came back with the rows
    assert window.count_label.text() == "5 events"
    with qtbot.waitSignal(window.hub.project_reset):
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    stored = on_file(small_project)
    assert stored.event_count() == 305 and group_names(stored) == imported_groups
    assert window.count_label.text() == "305 events"
    # the window's own connection still writes after the restores
    window.project.create_event("After redo", "2024-02-02")
    assert on_file(small_project).event_count() == 306
    window.close()
    assert list(snapshots_dir.iterdir()) == []  # the undo copies go with the window


def test_undoing_an_import_keeps_a_view_saved_since(qtbot, window, small_project, acled, snapshots_dir):
    """Saved views are not undoable: a view saved after an import outlives its undo and redo
    (the import's undo puts back a whole copy of the file, taken before the view existed)."""
    from sijill.desktop.timeline.saved_views import saved_views

    with qtbot.waitSignal(window.hub.project_reset):
        assert window.import_file(acled)
    window.timeline.save_view("The imported strikes")
    for step in (window.undo_stack.undo, window.undo_stack.redo, window.undo_stack.undo):
        with qtbot.waitSignal(window.hub.project_reset):
            step()
        assert [name for name, _state in saved_views(on_file(small_project))] == ["The imported strikes"]
    assert on_file(small_project).event_count() == 5
    window.close()


def test_a_csv_file_maps_its_columns_and_the_mapping_is_remembered(qtbot, window, small_project, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text("When,What happened,Perpetrator,Comment\n"
                    "2023-10-18,Drone attack on Ain al-Asad,Kataib Hezbollah,two drones\n"
                    "2023-10-20,Rocket attack on Baghdad airport,Harakat al-Nujaba,\n", encoding="utf-8")
    dialog = window.import_dialog(path)
    assert dialog.format_combo.currentData() == "csv"
    columns = dialog.column_table
    assert columns.combo("When").currentData() == "start"
    title = columns.combo("What happened")
    if title.currentData() != "title":  # not guessed: the analyst says so, and the file is read again
        assert not dialog.import_button.isEnabled()
        title.setCurrentIndex(title.findData("title"))
        qtbot.waitUntil(lambda: dialog.import_button.isEnabled())
    perpetrator = columns.combo("Perpetrator")
    perpetrator.setCurrentIndex(perpetrator.findData("actor"))
    qtbot.waitUntil(lambda: dialog.actor_table.rowCount() == 2)
    assert dialog.actor_table.combo("Kataib Hezbollah").currentData() == "Kataib Hezbollah"
    assert "<b>2</b> new events" in dialog.summary.text()
    click(qtbot, dialog.import_button)
    stored = on_file(small_project)
    event = next(e for e in stored.events() if e.title == "Drone attack on Ain al-Asad")
    assert stored.group_by_name("Kataib Hezbollah").id in {link.group_id for link in event.groups}
    again = window.import_dialog(path)
    assert again.column_table.mapping()["What happened"] == "title"
    assert again.column_table.mapping()["Perpetrator"] == "actor"


def test_a_sijill_json_file_previews_its_records_per_kind(qtbot, window, small_project, tmp_path, settings):
    out = tmp_path / "out.json"
    assert window.export_file(out)
    other = MainWindow(Project.create(tmp_path / "other.sijill"), settings)
    qtbot.addWidget(other)
    dialog = other.import_dialog(out)
    assert dialog.format_combo.currentData() == "native"
    kinds = {dialog.preview_table.item(r, 0).text().lower(): dialog.preview_table.item(r, 1).text()
             for r in range(dialog.preview_table.rowCount())}
    assert kinds["events"] == "5" and kinds["groups"] == "4"
    assert other.project.event_count() == 0  # the dry run was rolled back
    click(qtbot, dialog.import_button)
    assert other.project.event_count() == 5 and other.undo_stack.undoText() == "Import Sijill JSON file “out.json”"


def test_import_is_disabled_on_a_read_only_project(qtbot, small_project, settings, messages):
    path = small_project.path
    small_project.close()
    path.chmod(0o444)
    try:
        w = MainWindow(Project.open(path), settings)
        qtbot.addWidget(w)
        action = w.action_set.file_import
        assert not action.isEnabled() and action.statusTip() == READ_ONLY_TIP
        assert w.action_set.file_export.isEnabled()
        assert not w.import_file(path) and messages[-1][0] == "Read-only project"
    finally:
        path.chmod(0o644)


# ---- export ------------------------------------------------------------------------------------------
def test_export_writes_only_the_selected_group_and_previews_it(qtbot, window, small_project, tmp_path):
    us = small_project.group_by_name("United States").id
    window.hub.set_filter(ViewFilter(group_ids=frozenset({us})))
    dialog = window.export_dialog("csv")
    dialog.show()
    assert dialog.format.name == "csv" and dialog.path_edit.text().endswith("test.csv")
    assert dialog.selection_box.checked_groups() == ["United States"]
    assert dialog.count_label.text() == "<b>3</b> events will be written."
    qtbot.waitUntil(lambda: dialog.preview.toPlainText() != "")
    preview = dialog.preview.toPlainText().splitlines()
    assert preview[0].lstrip("\ufeff").startswith("uid,title")
    assert len(preview) == 4 and "Tower 22 attack" in preview[3]
    assert "the whole file" in dialog.preview_title.text()
    qtbot.keyClicks(dialog.selection_box.from_edit, "not a date")
    assert not dialog.export_button.isEnabled() and "Cannot read the date range" in dialog.selection_note.text()
    dialog.selection_box.from_edit.clear()
    qtbot.keyClicks(dialog.selection_box.from_edit, "2020")
    assert dialog.count_label.text() == "<b>2</b> events will be written."
    out = tmp_path / "us.csv"
    dialog.path_edit.setText(str(out))
    click(qtbot, dialog.export_button)
    assert dialog.result() == dialog.DialogCode.Accepted
    with open(out, encoding="utf-8-sig", newline="") as fh:
        titles = [row["title"] for row in csv.DictReader(fh)]
    assert titles == ["Drone attacks on US forces begin", "Tower 22 attack"]
    assert dialog.written.counts == {"events": 2}


def test_whole_project_formats_take_no_selection(qtbot, window, tmp_path):
    dialog = window.export_dialog("native")
    assert not dialog.selection_box.isEnabled()
    assert dialog.path_edit.text().endswith(".json")
    dialog.set_format("w3c-annotations")
    assert dialog.path_edit.text().endswith("test annotations.jsonld")
    assert "annotations will be written" in dialog.count_label.text()
    dialog.set_format("report", ".md")
    assert dialog.kind_combo.isVisible() or not dialog.isVisible()
    assert dialog.path_edit.text().endswith("test report.md") and dialog.selection_box.isEnabled()
    dialog.path_edit.setText(str(tmp_path / "report.txt"))
    assert not dialog.export_button.isEnabled() and ".md" in dialog.count_label.text()


def test_every_registered_format_is_offered(window, acled):
    from sijill.db.formats.registry import EXPORTS, IMPORTS

    dialog = window.import_dialog(acled)
    assert [dialog.format_combo.itemData(i) for i in range(dialog.format_combo.count())] == list(IMPORTS)
    export = window.export_dialog()
    assert [export.format_list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(export.format_list.count())] == list(EXPORTS)


def test_dialogs_fit_a_1366_by_768_screen(window, acled):
    for dialog in (window.import_dialog(acled), window.export_dialog("report")):
        dialog.show()
        QApplication.processEvents()
        for size in (dialog.sizeHint(), dialog.size(), dialog.frameGeometry().size()):
            assert size.width() <= SCREEN[0] and size.height() <= SCREEN[1] - 40, (dialog.objectName(), size)
        dialog.close()


# ---- snapshots (Qt-free) ------------------------------------------------------------------------------
def test_a_snapshot_restored_into_the_open_project_keeps_it_usable(small_project, tmp_path):
    copy = snapshot(small_project, tmp_path)
    small_project.create_event("Added after the copy", "2024-03-01")
    restore(small_project, copy)
    assert small_project.event_count() == 5 and not small_project.search("copy")
    assert small_project.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    small_project.create_event("Written after the restore", "2024-03-02")
    with sqlite3.connect(small_project.path) as other:
        assert other.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 6
    discard(copy)
    assert list(tmp_path.glob("*.sijill-snapshot*")) == []
