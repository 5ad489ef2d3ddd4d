"""Hostile text is refused the same way however it comes in: Project methods (the window and the
command line use them), the exchange formats' shared writer, and native import (tests/hostile)."""
from __future__ import annotations

import pytest

from sijill.db.store.basics import ProjectError
from sijill.db.dates import parse_fuzzy
from sijill.db.formats.apply import text_error
from sijill.db.formats.records import EventRecord, GroupRecord, PeriodRecord, SourceRef
from sijill.db.text.rules import BODY_MAX, NAME_MAX, NOTE_MAX, text_problem


@pytest.mark.parametrize("text, words", [
    ("a\x00b", "U+0000 (NUL) at character 2"),
    ("\x1b[31mred", "U+001B (ESC) at character 1"),
    ("bell\x07", "U+0007"),
    ("del\x7f", "DEL"),
    ("page\x0cbreak", "form feed"),
    ("lone \ud800 surrogate", "lone surrogate (U+D800)"),
    ("x\ufffe", "non-character U+FFFE"),
    ("x" * (NAME_MAX + 1), f"{NAME_MAX + 1:,} characters (at most {NAME_MAX:,})"),
])
def test_a_forbidden_text_is_described(text, words):
    assert words in text_problem(text)


@pytest.mark.parametrize("text", ["tab\there", "lines\nand\r\nmore", "Kata'ib Hezbollah كتائب حزب الله 🇮🇶",
                                  "C1 \x85 and \u2028 are text", "x" * NAME_MAX])
def test_ordinary_text_passes(text):
    assert text_problem(text) is None


def test_limits_are_ordered():
    assert NAME_MAX < NOTE_MAX < BODY_MAX


def test_project_methods_refuse_hostile_text(project):
    g = project.create_group("PMF")
    with pytest.raises(ProjectError, match=r"field .title. holds the control character U\+001B"):
        project.create_event("Strike\x1b[2J", "2024-01-28")
    with pytest.raises(ProjectError, match="field 'title' is too long: 5,000 characters"):
        project.create_event("x" * 5000, "2024-01-28")
    with pytest.raises(ProjectError, match="field 'tags'"):
        project.create_event("Strike", "2024-01-28", tags=["ok", "bad\x00"])
    with pytest.raises(ProjectError, match="field 'description'"):
        project.create_event("Strike", "2024-01-28", description="x" * (NOTE_MAX + 1))
    with pytest.raises(ProjectError, match="field 'name'"):
        project.create_group("KH\x00")
    with pytest.raises(ProjectError, match="field 'aliases'"):
        project.create_group("KH", aliases=[("Kata'ib\x1b", "en")])
    with pytest.raises(ProjectError, match="field 'name'"):
        project.update_group(g.id, name="P\ud800MF")
    with pytest.raises(ProjectError, match="field 'body' holds a lone surrogate"):
        project.create_source("Report", "text \udc80 more")
    with pytest.raises(ProjectError, match="field 'title'"):
        project.create_period("ISIS holds Mosul\x07", "2014-06", "2017-07")
    e = project.create_event("Strike", "2024-01-28")
    with pytest.raises(ProjectError, match="field 'location'"):
        project.update_event(e.id, location="Erbil\x1b")
    s = project.create_source("Report", "a long text")
    with pytest.raises(ProjectError, match="field 'outlet'"):
        project.update_source(s.id, outlet="AP\x00")
    a = project.create_annotation(s.id, 0, 6)
    with pytest.raises(ProjectError, match="field 'note'"):
        project.update_annotation(a.id, note="\x1b]0;title\x07")
    assert [x.title for x in project.events()] == ["Strike"]
    assert [x.name for x in project.groups()] == ["PMF"]


def test_a_body_over_the_cap_is_refused_with_its_size(project):
    with pytest.raises(ProjectError, match=f"field 'body' is too long: {BODY_MAX + 1:,} characters"):
        project.create_source("Huge", "x" * (BODY_MAX + 1))


def test_the_exchange_formats_writer_names_row_and_field():
    day = parse_fuzzy("2023-10-18")
    assert text_error(EventRecord("ok", day, row=2)) is None
    error = text_error(EventRecord("Raid", day, location="Erbil\x1b[0m", row=7))
    assert (error.row, error.column) == (7, "location") and "U+001B" in error.message
    error = text_error(EventRecord("Raid", day, actors=[("KH\x00", "actor")], row=3))
    assert (error.row, error.column) == (3, "actors")
    error = text_error(EventRecord("Raid", day, sources=[SourceRef("AP\ud800")], row=4))
    assert error.column == "source" and "surrogate" in error.message
    assert text_error(EventRecord("x" * 5000, day, row=5)).column == "title"
    assert text_error(GroupRecord("G\x7f")).column == "name"
    assert text_error(PeriodRecord("Era", day, description="\x00")).column == "description"


def test_an_annotation_put_by_an_import_is_checked_too(project):
    s = project.create_source("Report", "Drones struck the base.")
    with pytest.raises(ProjectError, match="field 'note'"):
        project.put_annotation(uid="a-1", source_id=s.id, start=0, end=6, quote="Drones", prefix="", suffix=" struck",
                               note="\x1b[2J", credibility=None)
    with pytest.raises(ProjectError, match="field 'tags'"):
        project.create_annotation(s.id, 0, 6, tags=["ok", "\x00"])
    assert project.annotations() == []
