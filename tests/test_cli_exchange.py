"""`sijill import` and `sijill export` for every format, as scripts use them: exact option names,
JSON output, --dry-run, --map, and errors on stderr with a non-zero exit and nothing changed."""
from __future__ import annotations

import csv
import json

import pytest

from sijill.db.formats.records import ExchangeError
from sijill.db.formats.registry import EXPORTS, IMPORTS
from sijill.db.store.project import Project
from sijill.desktop.cli.main import run
from tests.perf.acled_file import write_acled


def call(capsys, *args):
    code = run([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def empty(tmp_path):
    path = tmp_path / "p.sijill"
    Project.create(path).close()
    return path


def test_acled_import_json_then_unchanged_then_dry_run(empty, tmp_path, capsys):
    data = write_acled(tmp_path / "acled.csv", 40)
    code, out, err = call(capsys, "import", empty, data, "--format", "acled", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert (report["added"], report["updated"], report["unchanged"]) == (40, 0, 0)
    assert "Kataib Hezbollah" in report["groups_created"]
    assert report["groups_matched"]["Kataib Hezbollah (Iraq)"] == "Kataib Hezbollah"
    code, out, _ = call(capsys, "import", empty, data, "--format", "acled", "--json")
    assert json.loads(out)["unchanged"] == 40 and json.loads(out)["added"] == 0
    more = write_acled(tmp_path / "more.csv", 45)
    code, out, _ = call(capsys, "import", empty, more, "--format", "acled", "--dry-run")
    assert code == 0 and out.startswith("would add 5 events")
    with Project.open(empty) as p:
        assert p.event_count() == 40


def test_import_error_goes_to_stderr_and_changes_nothing(empty, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("title,date\nRaid,2023-10-18\nSiege,someday soon\n", encoding="utf-8")
    code, out, err = call(capsys, "import", empty, bad, "--format", "csv")
    assert code == 1 and out == ""
    assert "bad.csv: 1 bad row, nothing was imported" in err and "row 3, column 'date'" in err
    with Project.open(empty) as p:
        assert p.event_count() == 0


def test_csv_import_with_map(empty, tmp_path, capsys):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Quand;Quoi;Qui\n18/10/2023;Attaque de drones;Kataib Hezbollah\n", encoding="utf-8")
    code, _, err = call(capsys, "import", empty, sheet, "--format", "csv")
    assert code == 1 and "no column is mapped to the title" in err
    code, out, err = call(capsys, "import", empty, sheet, "--format", "csv", "--map", "Quand=start",
                          "--map", "Quoi=title", "--map", "Qui=actor", "--json")
    assert code == 0, err
    assert json.loads(out)["groups_created"] == ["Kataib Hezbollah"]
    code, _, err = call(capsys, "import", empty, sheet, "--format", "csv", "--map", "Quoi=headline")
    assert code == 1 and "unknown field 'headline'" in err
    with Project.open(empty) as p:
        (event,) = p.events()
        assert (event.title, event.start.display()) == ("Attaque de drones", "18 Oct 2023")


def test_export_options_select_events(tmp_path, capsys, small_project):
    path = small_project.path
    out = tmp_path / "out.csv"
    code, text, err = call(capsys, "export", path, out, "--format", "csv", "--from", "2023-10",
                           "--group", "Kataib Hezbollah", "--json")
    assert code == 0, err
    assert json.loads(text)["count"] == 2
    with open(out, encoding="utf-8-sig", newline="") as fh:
        titles = [r["title"] for r in csv.DictReader(fh)]
    assert titles == ["Drone attacks on US forces begin", "Tower 22 attack"]
    code, _, err = call(capsys, "export", path, out, "--format", "csv", "--group", "Nobody")
    assert code == 1 and "no group named 'Nobody'" in err
    code, _, err = call(capsys, "export", path, out, "--format", "native", "--from", "2020")
    assert code == 1 and "whole project" in err


@pytest.mark.parametrize("fmt, suffix", [("csv", ".csv"), ("geojson", ".geojson"), ("ics", ".ics"),
                                         ("native", ".json"), ("w3c-annotations", ".jsonld")])
def test_every_qt_free_export_writes_a_file(tmp_path, capsys, small_project, fmt, suffix):
    out = tmp_path / f"out{suffix}"
    code, text, err = call(capsys, "export", small_project.path, out, "--format", fmt, "--json")
    assert code == 0, err
    assert out.stat().st_size > 0 and json.loads(text)["path"] == str(out)


def test_the_exact_format_names_scripts_rely_on():
    assert set(IMPORTS) == {"acled", "csv", "timelinejs", "timeline-xml", "native", "w3c-annotations"}
    assert set(EXPORTS) == {"csv", "timelinejs", "html", "report", "geojson", "ics", "native", "w3c-annotations"}


@pytest.mark.parametrize("fmt", ["csv", "timelinejs", "geojson", "ics", "native", "w3c-annotations"])
def test_an_export_onto_the_project_file_is_refused_and_the_project_kept(tmp_path, capsys, small_project, fmt):
    """`sijill export p.sijill p.sijill ...` (a slip of the shell's completion) would replace the
    project by its export."""
    from sijill.desktop.exchange.export_job import run_export

    path = small_project.path
    before = small_project.stats()
    code, out, err = call(capsys, "export", path, path, "--format", fmt)
    assert code == 1 and out == "" and "the project itself" in err
    with pytest.raises(ExchangeError, match="the project itself"):
        run_export(small_project, fmt, tmp_path / ".." / tmp_path.name / path.name)
    with Project.open(path) as again:
        assert again.stats() == before
