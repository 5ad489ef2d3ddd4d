"""The sijill command line, run as a user would: real files, JSON output, exit codes."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sijill.db.store.project import Project
from sijill.desktop.cli.main import run


def sijill(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sijill.desktop.app", *args], capture_output=True, text=True,
                          timeout=120)


def call(capsys, *args: str):
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_parse_date_json_as_a_subprocess():
    done = sijill("parse-date", "2023-10", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["lo"] == "2023-10-01T00:00:00+00:00"
    assert data["hi"] == "2023-10-31T23:59:59+00:00"
    assert data["precision"] == "month"
    assert set(data) >= {"text", "lo", "hi", "precision", "approximate", "uncertain", "display"}


def test_parse_date_error_goes_to_stderr_with_nonzero_exit(capsys):
    code, out, err = call(capsys, "parse-date", "blursday", "--json")
    assert code == 1 and out == ""
    assert "blursday" in err


def test_init_stats_search_export_import(tmp_path, capsys):
    path = tmp_path / "p.sijill"
    assert call(capsys, "init", str(path))[0] == 0
    with Project.open(path) as p:
        g = p.create_group("Kataib Hezbollah")
        p.create_event("Tower 22 drone attack", "2024-01-28", groups=[(g.id, "actor")])
    code, out, _ = call(capsys, "stats", str(path), "--json")
    stats = json.loads(out)
    assert code == 0
    assert (stats["events"], stats["groups"], stats["events_without_evidence"]) == (1, 1, 1)
    assert stats["first"] == "2024-01-28T00:00:00+00:00" and stats["last"] == "2024-01-28T23:59:59+00:00"
    code, out, _ = call(capsys, "search", str(path), "drone", "--json")
    assert [h["title"] for h in json.loads(out)] == ["Tower 22 drone attack"]
    assert "[drone]" in json.loads(out)[0]["snippet"]
    out_json = tmp_path / "out.json"
    assert call(capsys, "export", str(path), str(out_json), "--format", "native")[0] == 0
    other = tmp_path / "other.sijill"
    call(capsys, "init", str(other))
    code, out, _ = call(capsys, "import", str(other), str(out_json), "--format", "native", "--json")
    assert code == 0 and json.loads(out)["added"]["events"] == 1
    with Project.open(other) as p:
        assert [e.title for e in p.events()] == ["Tower 22 drone attack"]


def test_errors_name_the_problem(tmp_path, capsys):
    bad = tmp_path / "bad.sijill"
    bad.write_text("not a database")
    code, _, err = call(capsys, "stats", str(bad))
    assert code == 1 and "not a Sijill project" in err
    code, _, err = call(capsys, "init", str(bad))
    assert code == 1 and "already exists" in err
    assert bad.read_text() == "not a database"


def test_mentions_of_groups_and_dates(tmp_path, capsys):
    path = tmp_path / "p.sijill"
    with Project.create(path) as p:
        p.create_group("Islamic Resistance in Iraq", aliases=[("Résistance islamique en Irak", "fr"),
                                                             ("المقاومة الإسلامية في العراق", "ar")])
        p.create_group("Iraq", aliases=[("Irak", "fr")])
    text = "Samedi dernier, la Résistance islamique en Irak a revendiqué une attaque ; l'Irak dément."
    article = tmp_path / "article.txt"
    article.write_text(text, encoding="utf-8")
    code, out, err = call(capsys, "mentions", str(path), str(article), "--reference", "2024-01-31", "--json")
    assert code == 0, err
    found = json.loads(out)
    groups = [(m["text"], m["group"]) for m in found if m["kind"] == "group"]
    assert groups == [("Résistance islamique en Irak", "Islamic Resistance in Iraq"), ("Irak", "Iraq")]
    first = [m for m in found if m["kind"] == "group"][0]
    assert text[first["start"]:first["end"]] == "Résistance islamique en Irak"
    dates = [m for m in found if m["kind"] == "date"]
    assert dates and dates[0]["text"] == "Samedi dernier"
    assert dates[0]["lo"] == "2024-01-27T00:00:00+00:00"


def _demo(tmp_path, capsys):
    path = tmp_path / "demo.sijill"
    code, _out, err = call(capsys, "init", str(path), "--demo")
    assert code == 0, err
    return path


def test_screenshot_from_to_renders_the_timeline_alone_at_the_asked_size(tmp_path, capsys):
    from PySide6.QtGui import QImage

    path = _demo(tmp_path, capsys)
    out = tmp_path / "shots" / "timeline.png"
    code, stdout, err = call(capsys, "screenshot", str(path), str(out), "--from", "2023-10-01", "--to",
                             "2024-02-29", "--size", "900x900", "--json")
    assert code == 0, err
    assert json.loads(stdout) == {"path": str(out), "what": "timeline"} and err == ""
    image = QImage(str(out))
    assert (image.width(), image.height()) == (900, 900)
    # the demo's 27 lanes do not fit in 500 px even at one row each: taller, with a note on stderr
    code, stdout, err = call(capsys, "screenshot", str(path), str(out), "--from", "2023-10-01", "--to",
                             "2024-02-29", "--size", "900x500")
    assert code == 0 and stdout.strip() == f"wrote {out}"
    image = QImage(str(out))
    assert image.width() == 900 and image.height() > 500
    assert err.startswith("note: The 27 lanes do not fit in 900×500 px")
    assert f"900×{image.height()} px" in err
    svg = tmp_path / "timeline.svg"
    code, _stdout, err = call(capsys, "screenshot", str(path), str(svg), "--timeline")
    assert code == 0, err
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()
def test_screenshot_with_the_reader_and_bad_ranges(tmp_path, capsys):
    from PySide6.QtGui import QImage

    path = _demo(tmp_path, capsys)
    out = tmp_path / "reader.png"
    code, stdout, err = call(capsys, "screenshot", str(path), str(out), "--reader", "--from", "Oct 2023",
                             "--to", "Feb 2024", "--size", "1200x800", "--json")
    assert code == 0, err
    assert json.loads(stdout)["what"] == "reader"
    assert (QImage(str(out)).width(), QImage(str(out)).height()) == (1200, 800)
    code, _stdout, err = call(capsys, "screenshot", str(path), str(out), "--from", "2024", "--to", "2023")
    assert code == 1 and "--to must be after --from" in err
    code, _stdout, err = call(capsys, "screenshot", str(tmp_path / "none.sijill"), str(out), "--timeline")
    assert code == 1 and "no project" in err


def test_screenshot_onto_the_project_file_is_refused_and_the_project_kept(tmp_path, capsys):
    """`sijill screenshot p.sijill p.sijill` wrote over the project, then said it could not."""
    path = _demo(tmp_path, capsys)
    with Project.open(path) as p:
        before = p.stats()
    code, stdout, err = call(capsys, "screenshot", str(path), str(tmp_path / ".." / tmp_path.name / path.name),
                             "--timeline")
    assert code == 1 and stdout == "" and "the project itself" in err
    with Project.open(path) as p:
        assert p.stats() == before


def test_screenshot_to_a_suffix_no_image_has_leaves_the_file_as_it_was(tmp_path, capsys):
    """`sijill screenshot p.sijill notes.txt` emptied notes.txt, then could not write it."""
    path = _demo(tmp_path, capsys)
    notes = tmp_path / "notes.txt"
    notes.write_text("three weeks of notes", encoding="utf-8")
    code, stdout, err = call(capsys, "screenshot", str(path), str(notes), "--timeline")
    assert code == 1 and stdout == "" and ".txt" in err
    assert notes.read_text(encoding="utf-8") == "three weeks of notes"


def test_init_that_fails_leaves_no_half_made_file(tmp_path, capsys, monkeypatch):
    import sijill.db.resources as db_resources

    broken = tmp_path / "demo.json"
    broken.write_text('{"format": "sijill", "version": 1, "events": [{"uid": "x"}]}', encoding="utf-8")
    monkeypatch.setattr(db_resources, "demo_path", lambda: broken)
    path = tmp_path / "p.sijill"
    code, _, err = call(capsys, "init", str(path), "--demo")
    assert code == 1 and "events[0] (x), field 'start': is missing" in err
    assert list(tmp_path.iterdir()) == [broken]
    code, _, err = call(capsys, "init", str(tmp_path / "no" / "such" / "folder.sijill"))
    assert code == 1 and "does not exist" in err


def test_screenshot_needs_no_display(tmp_path):
    import os

    from PySide6.QtGui import QImage

    path = tmp_path / "p.sijill"
    with Project.create(path) as p:
        p.create_event("Tower 22 drone attack", "2024-01-28")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    out = tmp_path / "shot.png"
    done = subprocess.run([sys.executable, "-m", "sijill.desktop.app", "screenshot", str(path), str(out),
                           "--size", "1400x900"], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert (QImage(str(out)).width(), QImage(str(out)).height()) == (1400, 900)
