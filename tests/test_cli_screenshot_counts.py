"""`sijill screenshot --counts`: the counts chart alone, on the demo, as `make screenshots` draws it
for the README (October 2023 – February 2024, per week, 1400×450)."""
from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from tests.cli_helpers import call

WINDOW = ("--from", "2023-10-01", "--to", "2024-02-29")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sijill"
    from sijill.desktop.cli.main import run

    assert run(["init", str(path), "--demo"]) == 0
    return path


def coloured(path) -> set[int]:
    """The distinct saturated colours of a PNG (bars in the lanes' colours; text and grid are grey)."""
    from PySide6.QtGui import QImage

    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(image.constBits(), np.uint32, image.width() * image.height()).copy()
    rgb = np.stack([(pixels >> s) & 0xFF for s in (16, 8, 0)]).astype(np.int32)
    saturated = rgb.max(axis=0) - rgb.min(axis=0) > 60
    return set(np.unique(pixels[saturated]).tolist())


def test_counts_writes_the_chart_at_the_asked_size_in_the_lanes_colours(demo, tmp_path, capsys):
    from PySide6.QtGui import QImage

    out = tmp_path / "shots" / "counts.png"
    code, stdout, err = call(capsys, "screenshot", demo, out, "--counts", "--by", "week", *WINDOW,
                             "--size", "1400x450", "--json")
    assert code == 0, err
    assert json.loads(stdout) == {"path": str(out), "what": "counts", "bins": "week"}
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1400, 450)
    assert len(coloured(out)) >= 10        # a bar per group seen in the window, not a blank page


def test_counts_csv_says_what_the_chart_draws_and_sijill_counts_agrees(demo, tmp_path, capsys):
    out = tmp_path / "counts.csv"
    code, _stdout, err = call(capsys, "screenshot", demo, out, "--counts", "--by", "week", *WINDOW)
    assert code == 0, err
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    code, stdout, err = call(capsys, "counts", demo, "--by", "week", *WINDOW, "--json")
    assert code == 0, err
    weeks = json.loads(stdout)["bins"]
    assert [(r["start"], int(r["count"])) for r in rows] == [(b["start"], b["count"]) for b in weeks]
    assert sum(int(r["count"]) for r in rows) > 20
    assert {"Kataib Hezbollah", "United States"} <= set(rows[0])       # a column per stack drawn


def test_counts_bins_as_the_chart_picks_for_the_width(demo, tmp_path, capsys):
    """Five months are 152 days: at 8 px a bar, days fit in a 1400 px chart, not in 1200 px."""
    wide, narrow = tmp_path / "wide.png", tmp_path / "narrow.png"
    code, stdout, err = call(capsys, "screenshot", demo, wide, "--counts", *WINDOW, "--size", "1400x450")
    assert (code, stdout.strip(), err) == (0, f"wrote {wide} (per day)", "")
    code, stdout, err = call(capsys, "screenshot", demo, narrow, "--counts", *WINDOW, "--size", "1200x450")
    assert (code, stdout.strip(), err) == (0, f"wrote {narrow} (per week)", "")


def test_counts_refusals(demo, tmp_path, capsys):
    out = tmp_path / "counts.png"
    code, stdout, err = call(capsys, "screenshot", demo, out, "--counts", "--map")
    assert code == 1 and stdout == "" and "--counts renders the counts chart alone" in err
    code, stdout, err = call(capsys, "screenshot", demo, out, "--by", "week", *WINDOW)
    assert code == 1 and stdout == "" and "add --counts" in err
    assert not out.exists()
    notes = tmp_path / "notes.txt"
    notes.write_text("three weeks of notes", encoding="utf-8")
    code, stdout, err = call(capsys, "screenshot", demo, notes, "--counts")
    assert code == 1 and stdout == "" and ".txt" in err
    assert notes.read_text(encoding="utf-8") == "three weeks of notes"


def test_counts_without_size_is_a_wide_strip_of_the_whole_project(demo, tmp_path, capsys):
    from PySide6.QtGui import QImage

    out = tmp_path / "all.png"
    code, stdout, err = call(capsys, "screenshot", demo, out, "--counts")
    assert code == 0 and err == "" and stdout.strip() == f"wrote {out} (per month)"    # 2014–2024
    assert (QImage(str(out)).width(), QImage(str(out)).height()) == (1400, 450)
    assert len(coloured(out)) >= 10
