"""`sijill export --type --evidence --area`: the window's event types, evidence filter and map area
from a script, selecting as the timeline does; a malformed value is one line on stderr naming the
option and the point at fault, exit 1, and no file written."""
from __future__ import annotations

import csv

import pytest

from sijill.db.formats.records import ExchangeError
from sijill.db.formats.selection import EventSelection, parse_area, select_event_ids
from sijill.db.store.project import Project
from sijill.desktop.cli.main import run

NORTH_IRAQ = "43,37.5 45.5,37.5 45.5,32.5 43,32.5"   # Baghdad to Mosul and Erbil, not Albu Kamal
EVENTS = {  # title: (date, lat, lon, type)
    "Strike in Baghdad": ("2024-01-04", 33.31, 44.37, "Battles"),
    "Rockets at the embassy": ("2023-12-08", 33.30, 44.39, "Explosions/Remote violence"),
    "Drone on Erbil": ("2023-12-25", 36.19, 44.01, "Battles"),
    "Strikes near Albu Kamal": ("2023-10-26", 34.45, 40.92, "Battles"),
    "Talks without a place": ("2024-01-27", None, None, "Battles"),
}


@pytest.fixture
def iraq(project: Project) -> Project:
    for title, (date, lat, lon, kind) in EVENTS.items():
        project.create_event(title, date, latitude=lat, longitude=lon, event_type=kind)
    by_title = {e.title: e.id for e in project.events()}
    source = project.create_source("Wire report", "The drone on Erbil was shot down.")
    project.add_evidence(by_title["Drone on Erbil"], source.id, stance="contradicts")
    project.add_evidence(by_title["Strike in Baghdad"], source.id)
    return project


def call(capsys, *args):
    code = run([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def titles(path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [row["title"] for row in csv.DictReader(fh)]


def test_type_area_and_evidence_select_the_events(iraq, tmp_path, capsys):
    out = tmp_path / "out.csv"
    code, text, err = call(capsys, "export", iraq.path, out, "--format", "csv", "--type", "Battles",
                           "--area", NORTH_IRAQ)
    assert code == 0, err
    assert text.strip() == f"wrote {out} (2 events)"
    assert titles(out) == ["Drone on Erbil", "Strike in Baghdad"]                 # in date order
    code, _, err = call(capsys, "export", iraq.path, out, "--format", "csv", "--type", "Battles",
                        "--type", "Explosions/Remote violence", "--evidence", "none")
    assert code == 0, err
    assert titles(out) == ["Strikes near Albu Kamal", "Rockets at the embassy", "Talks without a place"]
    code, _, err = call(capsys, "export", iraq.path, out, "--format", "csv", "--evidence", "contradicted")
    assert code == 0 and titles(out) == ["Drone on Erbil"]


@pytest.mark.parametrize("area, said", [
    ("43,37.5 45.5,abc 45.5,32.5", "--area: point 2 of the area, '45.5,abc', is not LON,LAT in decimal degrees"),
    ("43;37.5 45.5,37.5 45.5,32.5", "--area: point 1 of the area, '43;37.5', is not LON,LAT"),
    ("43,37.5 45.5,37.5", "--area: an area needs at least three different points, not 2"),
    ("43,37.5 43,37.5 43,37.5", "--area: an area needs at least three different points, not 1"),
    ("43,37.5 45.5,97.5 45.5,32.5", "--area: point 2 of the area, '45.5,97.5', is off the globe"),
    ("43,37.5 nan,1 45.5,32.5", "--area: point 2 of the area, 'nan,1', is not LON,LAT"),
    ("", "--area: an area needs at least three different points, not 0"),
])
def test_a_malformed_area_is_refused_naming_the_point_and_writes_nothing(iraq, tmp_path, capsys, area, said):
    out = tmp_path / "out.csv"
    code, text, err = call(capsys, "export", iraq.path, out, "--format", "csv", "--area", area)
    assert code == 1 and text == "" and "Traceback" not in err
    assert err.startswith(f"sijill export: {said}")
    assert not out.exists()


def test_an_unknown_type_and_a_whole_project_format_are_refused(iraq, tmp_path, capsys):
    out = tmp_path / "out.csv"
    code, _, err = call(capsys, "export", iraq.path, out, "--format", "csv", "--type", "Batles")
    assert code == 1 and not out.exists()
    assert err.strip() == ("sijill export: --type 'Batles': no event has this type "
                           "(types: Battles, Explosions/Remote violence)")
    code, _, err = call(capsys, "export", iraq.path, tmp_path / "all.json", "--format", "native", "--area", NORTH_IRAQ)
    assert code == 1 and "--type, --evidence and --area do not apply to it" in err
    assert not (tmp_path / "all.json").exists()
    with pytest.raises(SystemExit) as exit_:                                     # argparse's usage error
        run(["export", str(iraq.path), str(out), "--format", "csv", "--evidence", "weak"])
    assert exit_.value.code == 2 and "invalid choice: 'weak'" in capsys.readouterr().err and not out.exists()


def test_the_selection_says_its_types_evidence_and_area(iraq):
    area = parse_area(NORTH_IRAQ)
    assert area == ((43.0, 37.5), (45.5, 37.5), (45.5, 32.5), (43.0, 32.5))
    selection = EventSelection(event_types=("Battles",), evidence="contradicted", area=area)
    assert selection.describe() == "type: Battles; contradicted events; map area: 4 points"
    assert not selection.is_everything and EventSelection().is_everything
    erbil = next(e.id for e in iraq.events() if e.title == "Drone on Erbil")
    assert select_event_ids(iraq, selection) == [erbil]
    assert select_event_ids(iraq, EventSelection(evidence="none", area=area)) == [
        next(e.id for e in iraq.events() if e.title == "Rockets at the embassy")]
    with pytest.raises(ExchangeError, match="no evidence filter 'weak'"):
        select_event_ids(iraq, EventSelection(evidence="weak"))
