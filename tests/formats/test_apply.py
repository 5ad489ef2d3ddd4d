"""What the shared import writer guarantees whatever the format: identity across re-imports, groups
found by alias, and formula-like dataset values neutralised on the way out."""
from __future__ import annotations

import csv

from sijill.db.formats.apply import run_import, stored_digests
from sijill.db.formats.csv_export import export_csv
from sijill.db.formats.csv_import import CsvReader
from sijill.db.formats.timeline_xml import TimelineXmlReader
from sijill.db.formats.timelinejs import TimelineJSReader, export_timelinejs


def test_our_timelinejs_export_comes_back_into_the_same_events(small_project, tmp_path):
    out = tmp_path / "timeline.json"
    export_timelinejs(small_project, out)
    count = small_project.event_count()
    result = run_import(small_project, TimelineJSReader(out, stored=stored_digests(small_project, "timelinejs")))
    assert result.added == 0 and result.updated == count
    assert small_project.event_count() == count
    again = run_import(small_project, TimelineJSReader(out, stored=stored_digests(small_project, "timelinejs")))
    assert (again.added, again.updated, again.unchanged) == (0, 0, count)


def test_a_category_named_by_an_alias_lands_in_that_group(small_project, tmp_path):
    path = tmp_path / "t.timeline"
    path.write_text(
        "<?xml version='1.0' encoding='utf-8'?><timeline><version>2.9.0</version><timetype>gregoriantime</timetype>"
        "<categories><category><name>Daesh</name><color>10,10,10</color></category></categories>"
        "<events><event><start>2014-06-10 00:00:00</start><end>2014-06-10 00:00:00</end><text>Mosul falls</text>"
        "<category>Daesh</category></event></events></timeline>", encoding="utf-8")
    groups = len(small_project.groups())
    result = run_import(small_project, TimelineXmlReader(path))
    assert result.groups_created == [] and len(small_project.groups()) == groups
    event = next(e for e in small_project.events() if e.title == "Mosul falls")
    assert [small_project.group(link.group_id).name for link in event.groups] == ["ISIS"]


def test_dataset_values_that_look_like_formulas_are_neutralised(project, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text('title,date,admin1,admin2\nRaid,2023-10-18,"=cmd|\' /C calc\'!A0",Karkh\n', encoding="utf-8")
    run_import(project, CsvReader(src))
    out = tmp_path / "out.csv"
    export_csv(project, out)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["admin1"] == "'=cmd|' /C calc'!A0" and row["admin2"] == "Karkh"
    # and it reads back as it was written in the first file
    with_copy = run_import(project, CsvReader(out))
    assert with_copy.updated == 1
    assert '"=cmd|' in project.db.execute("SELECT attributes FROM events").fetchone()[0]
