"""`sijill period merge PROJECT FROM INTO` on real project files, and Project.unmerge_periods."""
from __future__ import annotations

import sqlite3

import pytest

from sijill.db.store.project import Project
from tests.cli_helpers import call, refused


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "p.sijill"
    with Project.create(path) as p:
        p.create_period("ISIS holds Mosul", "2014-06-10", "2017-07-10")
        p.create_period("Mosul under ISIS", "2014-06", "2017-07", color="#d9d9d9",
                        description="From the fall of the city to its liberation.")
    return path


def periods(path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.execute("SELECT * FROM periods").fetchall())
    finally:
        conn.close()


def test_the_period_kept_takes_what_it_lacks(path, capsys):
    code, out, err = call(capsys, "period", "merge", path, "Mosul under ISIS", "ISIS holds Mosul")
    assert (code, err) == (0, "") and out.startswith("merged Mosul under ISIS into ISIS holds Mosul")
    with Project.open(path, read_only=True) as p:
        [kept] = p.periods()
        assert (kept.title, kept.start.text, kept.end.text, kept.color) == ("ISIS holds Mosul", "2014-06-10",
                                                                            "2017-07-10", "#d9d9d9")
        assert kept.description == "From the fall of the city to its liberation."
        assert p.change_sets()[0].label == "Merge period “Mosul under ISIS” into “ISIS holds Mosul”"


def test_unmerge_puts_both_back_exactly(path):
    before = periods(path)
    with Project.open(path) as p:
        ids = {x.title: x.id for x in p.periods()}
        record = p.merge_periods(ids["Mosul under ISIS"], ids["ISIS holds Mosul"])
        p.unmerge_periods(record)
    assert periods(path) == before


def test_refusals_change_nothing(path, capsys):
    refused(capsys, path, "period", "merge", path, "ISIS holds Mosul", "ISIS holds Mosul", match="into itself")
    refused(capsys, path, "period", "merge", path, "Nope", "ISIS holds Mosul", match="Nope")
