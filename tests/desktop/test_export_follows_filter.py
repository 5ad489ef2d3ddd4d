"""File ▸ Export writes what the timeline shows: the window's event types, evidence filter and the
area drawn on the map come into the dialog's selection (named there, and clearable), its count is
the timeline's, the CSV and TimelineJS files hold exactly the events the timeline shows, and
`sijill export --type --evidence --area` selects the same."""
from __future__ import annotations

import csv
import json

import pytest
from PySide6.QtCore import Qt

from sijill.db.store.project import Project
from sijill.desktop.cli.main import run
from tests.desktop.test_map_area_filter import lasso
from tests.desktop.test_map_view import ids, mapped, window  # noqa: F401 - the map's fixtures

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")  # offscreen: show()
TYPES = {"Strike in Baghdad": "Battles", "Rockets at the embassy": "Explosions/Remote violence",
         "Drone on Erbil": "Battles", "Strikes near Albu Kamal": "Battles", "Mosul falls": "Battles",
         "Talks without a place": "Battles"}


@pytest.fixture
def typed(mapped: Project) -> Project:
    """The map's project with event types, and a source that contradicts the Erbil drone and
    supports the Baghdad strike."""
    by_title = {e.title: e.id for e in mapped.events()}
    for title, kind in TYPES.items():
        mapped.update_event(by_title[title], event_type=kind)
    source = mapped.create_source("Wire report", "The drone on Erbil was shot down.")
    mapped.add_evidence(by_title["Drone on Erbil"], source.id, stance="contradicts")
    mapped.add_evidence(by_title["Strike in Baghdad"], source.id)
    return mapped


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def timeline_ids(window) -> set[int]:
    allowed = window.timeline.data.allowed
    return {e.id for e in window.project.events()} if allowed is None else set(allowed.tolist())


def csv_ids(project: Project, path) -> set[int]:
    by_uid = {e.uid: e.id for e in project.events()}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return {by_uid[row["uid"]] for row in csv.DictReader(fh)}


def timelinejs_ids(project: Project, path) -> set[int]:
    by_uid = {e.uid: e.id for e in project.events()}
    return {by_uid[slide["unique_id"]] for slide in json.loads(path.read_text(encoding="utf-8"))["events"]}


def export(qtbot, window, fmt: str, path):
    """File ▸ Export as it opens on the window's filter, straight to `path`."""
    dialog = window.export_dialog(fmt)
    dialog.show()
    dialog.path_edit.setText(str(path))
    click(qtbot, dialog.export_button)
    assert dialog.result() == dialog.DialogCode.Accepted
    return path


def area_text(area) -> str:
    return " ".join(f"{lon!r},{lat!r}" for lon, lat in area)


def test_a_type_and_a_lasso_export_exactly_the_events_the_timeline_shows(qtbot, typed, window, tmp_path, capsys):
    lasso(window)
    window.hub.set_filter(window.hub.filter.with_(event_types=frozenset({"Battles"})))
    shown = timeline_ids(window)
    assert shown == set(ids(typed, "Strike in Baghdad", "Drone on Erbil", "Mosul falls"))  # not the rockets
    points = len(window.hub.filter.area)

    dialog = window.export_dialog("csv")
    dialog.show()
    form = dialog.selection_box
    assert form.selection().event_types == ("Battles",) and form.area == window.hub.filter.area
    assert [form.types_list.item(i).text() for i in range(form.types_list.count())
            if form.types_list.item(i).checkState() == Qt.CheckState.Checked] == ["Battles"]
    assert form.area_label.text() == f"{points} points drawn on the map" and form.area_clear.isEnabled()
    assert dialog.selection_note.text() == f"Type: Battles; map area: {points} points."
    assert dialog.count_label.text() == f"<b>{len(shown)}</b> events will be written."
    dialog.reject()

    assert csv_ids(typed, export(qtbot, window, "csv", tmp_path / "shown.csv")) == shown
    assert timelinejs_ids(typed, export(qtbot, window, "timelinejs", tmp_path / "shown.json")) == shown

    out = tmp_path / "cli.csv"
    code = run(["export", str(typed.path), str(out), "--format", "csv", "--type", "Battles",
                "--area", area_text(window.hub.filter.area)])
    assert code == 0, capsys.readouterr().err
    assert csv_ids(typed, out) == shown


def test_the_dialog_clears_the_area_and_the_types_the_window_had(qtbot, typed, window, tmp_path):
    lasso(window)
    window.hub.set_filter(window.hub.filter.with_(event_types=frozenset({"Battles"})))
    dialog = window.export_dialog("csv")
    dialog.show()
    click(qtbot, dialog.selection_box.area_clear)
    assert dialog.selection_box.area_label.text() == "None: every place"
    assert not dialog.selection_box.area_clear.isEnabled()
    assert dialog.selection_note.text() == "Type: Battles."
    assert dialog.count_label.text() == "<b>5</b> events will be written."       # every battle, the talks too
    battles = dialog.selection_box.types_list.findItems("Battles", Qt.MatchFlag.MatchExactly)[0]
    battles.setCheckState(Qt.CheckState.Unchecked)
    assert dialog.selection_note.text() == "All events."
    assert dialog.count_label.text() == "<b>6</b> events will be written."
    out = tmp_path / "all.csv"
    dialog.path_edit.setText(str(out))
    click(qtbot, dialog.export_button)
    assert csv_ids(typed, out) == {e.id for e in typed.events()}
    assert window.hub.filter.area is not None       # the window keeps its filter: only the export changed


@pytest.mark.parametrize("evidence, titles", [
    ("contradicted", {"Drone on Erbil"}),
    ("none", {"Rockets at the embassy", "Strikes near Albu Kamal", "Mosul falls", "Talks without a place"}),
])
def test_the_evidence_filter_exports_what_the_timeline_shows(qtbot, typed, window, tmp_path, capsys, evidence,
                                                             titles):
    window.set_evidence_filter(evidence)
    shown = timeline_ids(window)
    assert shown == set(ids(typed, *titles))
    dialog = window.export_dialog("csv")
    dialog.show()
    assert dialog.selection_box.evidence_combo.currentData() == evidence
    assert dialog.count_label.text() == f"<b>{len(shown)}</b> event{'s' if len(shown) != 1 else ''} will be written."
    dialog.reject()
    assert csv_ids(typed, export(qtbot, window, "csv", tmp_path / "shown.csv")) == shown
    out = tmp_path / "cli.csv"
    assert run(["export", str(typed.path), str(out), "--format", "csv", "--evidence", evidence]) == 0
    assert csv_ids(typed, out) == shown
