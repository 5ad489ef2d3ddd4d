"""CSV, GeoJSON and iCalendar exports, read back with independent readers (csv, json, icalendar),
the CSV → CSV round trip, formula neutralising, and the selection (--from/--to/--group/--tag/--query)."""
from __future__ import annotations

import csv
import json
from datetime import date

import icalendar
import pytest

from sijill.db.formats.apply import run_import, stored_digests
from sijill.db.formats.csv_export import export_csv
from sijill.db.formats.csv_import import CsvReader, guess_mapping, remember_mapping, remembered_mapping
from sijill.db.formats.geojson import export_geojson
from sijill.db.formats.ics import export_ics
from sijill.db.formats.native import import_native
from sijill.db.formats.records import ExchangeError
from sijill.db.formats.selection import EventSelection, select_event_ids
from sijill.db.store.project import Project


def read_csv(path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark to read UTF-8"
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def located(small_project):
    p = small_project
    tower = [e for e in p.events() if e.title == "Tower 22 attack"][0]
    p.update_event(tower.id, location="Tower 22, Jordan", latitude=33.33, longitude=38.70,
                   description="=HYPERLINK(\"http://evil\")\nDrone hit the living quarters.")
    src = p.create_source("Pentagon statement", "Three US soldiers were killed at Tower 22.", outlet="DoD",
                          url="https://example.org/tower22", reliability="A", published="2024-01-29")
    ann = p.create_annotation(src.id, 0, len("Three US soldiers were killed"), credibility=1)
    p.add_evidence(tower.id, annotation_id=ann.id)
    p.create_event("Report disputes the toll", "mid-February 2024", groups=[("United States", "mentioned")],
                   tags=["-minus", "@at"])
    return p


def test_csv_has_one_row_per_event_with_dates_roles_and_evidence(located, tmp_path):
    out = tmp_path / "events.csv"
    result = export_csv(located, out)
    rows = read_csv(out)
    assert result.counts == {"events": located.event_count()} == {"events": len(rows)}
    tower = next(r for r in rows if r["title"] == "Tower 22 attack")
    assert (tower["start"], tower["start_earliest"], tower["start_latest"], tower["precision"]) == (
        "2024-01-28", "2024-01-28T00:00:00Z", "2024-01-28T23:59:59Z", "day")
    assert (tower["actor"], tower["target"]) == ("Kataib Hezbollah", "United States")
    assert (tower["latitude"], tower["longitude"], tower["fatalities"]) == ("33.33", "38.7", "3")
    assert (tower["evidence_count"], tower["grades"], tower["source_urls"]) == ("1", "A1", "https://example.org/tower22")
    assert tower["summaries"] == "0"
    assert tower["description"].startswith("'=HYPERLINK")  # neutralised, shown as text
    mid = next(r for r in rows if r["title"] == "Report disputes the toll")
    assert mid["start"] == "mid-February 2024" and mid["mentioned"] == "United States"
    assert mid["tags"] == "'-minus; @at"
    assert [r["start_earliest"] for r in rows] == sorted(r["start_earliest"] for r in rows)


def test_csv_round_trip_is_lossless_for_what_csv_carries(located, tmp_path):
    first = tmp_path / "first.csv"
    export_csv(located, first)
    with Project.create(tmp_path / "copy.sijill") as copy:
        for g in located.groups():
            copy.create_group(g.name)
        reader = CsvReader(first)
        assert reader.mapping["start_earliest"] == "start_lo" and reader.mapping["uid"] == "uid"
        result = run_import(copy, reader)
        assert result.added == located.event_count() and not result.groups_created
        second = tmp_path / "second.csv"
        export_csv(copy, second)
        again = run_import(copy, CsvReader(first, stored=stored_digests(copy, "csv")))
        assert (again.added, again.updated) == (0, 0) and again.unchanged == located.event_count()
    before, after = read_csv(first), read_csv(second)
    lossless = [c for c in before[0] if c not in ("evidence_count", "grades", "summaries", "contradicted")]
    assert [{c: r[c] for c in lossless} for r in before] == [{c: r[c] for c in lossless} for r in after]


def test_own_export_read_back_into_the_project_cites_no_source_twice_and_keeps_unmapped_fields(located, tmp_path):
    """The events are found by uid. A source the event cites already is not cited a second time
    (its URL came back as 'CSV <uid>' evidence beside the analyst's); a sheet of only uid, title
    and date retitles the events and leaves their places, types, groups and tags alone."""
    def state(p):
        return [p.db.execute(sql).fetchall() for sql in (
            "SELECT uid, location, latitude, longitude, event_type, fatalities, attributes FROM events ORDER BY uid",
            "SELECT event_id, group_id, role FROM event_groups ORDER BY 1, 2",
            "SELECT event_id, tag_id FROM event_tags ORDER BY 1, 2",
            "SELECT event_id, source_id, annotation_id, stance FROM event_evidence ORDER BY 1, 2, 3")]

    before = state(located)
    out = tmp_path / "own.csv"
    export_csv(located, out)
    result = run_import(located, CsvReader(out))
    assert (result.added, result.updated) == (0, located.event_count())
    assert state(located) == before
    rows = read_csv(out)
    thin = tmp_path / "thin.csv"
    with open(thin, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["uid", "title", "start"])
        w.writerows([r["uid"], r["title"].upper(), r["start"]] for r in rows)
    run_import(located, CsvReader(thin))
    assert all(e.title == e.title.upper() for e in located.events())
    assert state(located) == before


def test_an_end_written_with_its_flags_keeps_them_through_the_round_trip(project, tmp_path):
    """The sheet has flag columns for the start only; the end's text says "2015?" and reads to the
    same bounds: it comes back uncertain (it came back with its text and without its flag)."""
    project.create_event("About then", "c. 2014", "2015?")
    out = tmp_path / "flags.csv"
    export_csv(project, out)
    with Project.create(tmp_path / "copy.sijill") as copy:
        run_import(copy, CsvReader(out))
        (e,) = copy.events()
        assert (e.start.text, e.start.approximate, e.end.text, e.end.uncertain) == ("c. 2014", True, "2015?", True)


def test_attributes_become_columns_and_come_back(project, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("id,title,date,admin1,Notes\nK1,Rocket attack,2023-12-08,Baghdad,Five rockets\n", encoding="utf-8")
    reader = CsvReader(src)
    assert reader.mapping == {"id": "key", "title": "title", "date": "start", "admin1": "attribute",
                              "Notes": "description"}
    run_import(project, reader)
    out = tmp_path / "out.csv"
    export_csv(project, out)
    (row,) = read_csv(out)
    assert row["admin1"] == "Baghdad" and row["description"] == "Five rockets"


def test_an_attribute_named_like_a_formula_is_a_neutralised_column_and_comes_back(project, tmp_path):
    """A dataset's column becomes an attribute, and the attribute a column of the export: its name
    is a header cell, which a spreadsheet runs like any other."""
    src = tmp_path / "in.csv"
    src.write_text('title,date,"=HYPERLINK(""http://evil"",""x"")"\nRaid,2023-10-18,Baghdad\n', encoding="utf-8")
    run_import(project, CsvReader(src))
    out = tmp_path / "out.csv"
    export_csv(project, out)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    assert header[-1] == "'=HYPERLINK(\"http://evil\",\"x\")"
    with Project.create(tmp_path / "back.sijill") as back:
        run_import(back, CsvReader(out))
        (attributes,) = back.db.execute("SELECT attributes FROM events").fetchone()
    assert json.loads(attributes) == {'=HYPERLINK("http://evil","x")': "Baghdad"}


def test_bounds_without_a_zone_are_utc_as_the_export_writes_them(project, tmp_path, monkeypatch):
    """A spreadsheet that drops the Z of 2023-10-18T00:00:00Z must not move the date by the
    analyst's own time zone: bounds are UTC."""
    import time

    src = tmp_path / "bounds.csv"
    src.write_text("title,start,start_earliest,start_latest,precision\n"
                   "Raid,2023-10-18,2023-10-18T00:00:00,2023-10-18T23:59:59,day\n", encoding="utf-8")
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        run_import(project, CsvReader(src))
    finally:
        monkeypatch.undo()
        time.tzset()
    (event,) = project.events()
    assert (event.start.lo.isoformat(), event.start.hi.isoformat()) == (
        "2023-10-18T00:00:00+00:00", "2023-10-18T23:59:59+00:00")


def test_reimport_with_another_mapping_updates_the_events(project, tmp_path):
    """The analyst left a column out, then maps it: the same rows under the new mapping are
    changed events, not unchanged ones."""
    src = tmp_path / "keyed.csv"
    src.write_text("id,title,date,notes,who\nk1,Raid,2023-10-18,Details here,Kataib Hezbollah\n", encoding="utf-8")
    first = {"id": "key", "title": "title", "date": "start", "notes": "", "who": ""}
    run_import(project, CsvReader(src, mapping=first))
    again = run_import(project, CsvReader(src, stored=stored_digests(project, "csv"), mapping=first))
    assert (again.added, again.updated, again.unchanged) == (0, 0, 1)
    fixed = {**first, "notes": "description", "who": "actor"}
    result = run_import(project, CsvReader(src, stored=stored_digests(project, "csv"), mapping=fixed))
    assert (result.added, result.updated, result.unchanged) == (0, 1, 0)
    (event,) = project.events()
    assert event.description == "Details here" and [g.name for g in project.groups()] == ["Kataib Hezbollah"]


def test_approximate_and_uncertain_columns_flag_a_date_written_as_text(project, tmp_path):
    """The columns are mapped by their names; they were read only beside ISO bounds."""
    src = tmp_path / "flags.csv"
    src.write_text("title,date,approximate,uncertain\nRaid,2023-10-18,yes,\nSiege,2023-11,,yes\n"
                   "Strike,2023-12-01,no,no\n", encoding="utf-8")
    run_import(project, CsvReader(src))
    flags = {e.title: (e.start.approximate, e.start.uncertain) for e in project.events()}
    assert flags == {"Raid": (True, False), "Siege": (False, True), "Strike": (False, False)}


def test_mapping_is_remembered_per_header(project):
    header = ["Quand", "Quoi", "Où"]
    assert remembered_mapping(project, header) is None
    mapping = {"Quand": "start", "Quoi": "title", "Où": "location"}
    remember_mapping(project, header, mapping)
    assert remembered_mapping(project, header) == mapping
    assert remembered_mapping(project, ["Quand", "Quoi"]) is None
    assert guess_mapping(header) == {"Quand": "attribute", "Quoi": "attribute", "Où": "attribute"}


def test_selection_by_dates_groups_tags_and_query(small_project):
    p = small_project
    titles = lambda sel: [p.event(i).title for i in select_event_ids(p, sel)]  # noqa: E731
    assert titles(EventSelection(date_from="2023-10")) == ["Drone attacks on US forces begin", "Tower 22 attack"]
    assert titles(EventSelection(date_to="2014")) == ["ISIS takes Mosul", "Sistani's call to arms"]
    # the PMF's own event and those of Kataib Hezbollah, its sub-group
    assert titles(EventSelection(groups=("Popular Mobilization Forces",))) == [
        "Sistani's call to arms", "US strikes on Kataib Hezbollah", "Drone attacks on US forces begin",
        "Tower 22 attack"]
    assert titles(EventSelection(tags=("drone",), date_to="2023-12")) == ["Drone attacks on US forces begin"]
    assert titles(EventSelection(query="tower")) == ["Tower 22 attack"]
    with pytest.raises(ExchangeError, match="no group named 'Hamas'"):
        select_event_ids(p, EventSelection(groups=("Hamas",)))
    with pytest.raises(ExchangeError, match="before it starts"):
        select_event_ids(p, EventSelection(date_from="2024", date_to="2023"))


def test_geojson_points_are_lon_lat_with_csv_properties(located, tmp_path):
    out = tmp_path / "events.geojson"
    result = export_geojson(located, out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 1
    (feature,) = doc["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [38.70, 33.33]}
    assert feature["properties"]["actor"] == ["Kataib Hezbollah"] and feature["properties"]["grades"] == ["A1"]
    assert result.note == f"{located.event_count() - 1} selected events without coordinates left out"


def test_ics_day_month_and_span_dates(located, tmp_path):
    p = located
    p.create_event("Talks", "2024-01-27", "2024-02", groups=[("United States", "actor")])
    p.create_event("Raid at dawn", "2024-02-07T04:30")
    out = tmp_path / "events.ics"
    export_ics(p, out)
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    events = {str(c["SUMMARY"]): c for c in cal.walk("VEVENT")}
    assert len(events) == p.event_count()
    tower = events["Tower 22 attack"]
    assert tower["DTSTART"].dt == date(2024, 1, 28) and tower["DTEND"].dt == date(2024, 1, 29)
    assert str(tower["UID"]) == next(e.uid for e in p.events() if e.title == "Tower 22 attack")
    assert "Kataib Hezbollah (actor)" in str(tower["DESCRIPTION"])
    assert "Three US soldiers were killed" in str(tower["DESCRIPTION"])
    month = events["Drone attacks on US forces begin"]
    assert (month["DTSTART"].dt, month["DTEND"].dt) == (date(2023, 10, 1), date(2023, 11, 1))
    talks = events["Talks"]
    assert (talks["DTSTART"].dt, talks["DTEND"].dt) == (date(2024, 1, 27), date(2024, 3, 1))
    raid = events["Raid at dawn"]
    assert raid["DTSTART"].dt.hour == 4 and raid["DTSTART"].dt.minute == 30
    for line in out.read_bytes().split(b"\r\n"):
        assert len(line) <= 75


def test_ics_dates_before_the_year_1000_have_four_digits(project, tmp_path):
    """Karbala (680) on a timeline of Shia militias: RFC 5545 dates are eight digits."""
    from datetime import datetime

    project.create_event("Battle of Karbala", "10 October 0680")
    project.create_event("Council at noon", "0900-05-05T12:30")
    out = tmp_path / "old.ics"
    export_ics(project, out)
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    events = {str(c["SUMMARY"]): c for c in cal.walk("VEVENT")}
    karbala, council = events["Battle of Karbala"], events["Council at noon"]
    assert (karbala["DTSTART"].dt, karbala["DTEND"].dt) == (date(680, 10, 10), date(680, 10, 11))
    assert council["DTSTART"].dt.replace(tzinfo=None) == datetime(900, 5, 5, 12, 30)
    assert b"DTSTART;VALUE=DATE:06801010" in out.read_bytes()


def test_a_uid_from_elsewhere_is_escaped_in_the_calendar_and_the_sheet(project, tmp_path):
    """A Sijill JSON file may give an event any text as its uid: it must not add lines to the
    calendar (an alarm, another event) nor be a formula in the spreadsheet."""
    import_native(project, {"format": "sijill", "version": 2, "events": [
        {"uid": "e1\r\nBEGIN:VALARM\r\nACTION:AUDIO\r\nEND:VALARM", "title": "Raid", "start": "2023-10-18"},
        {"uid": "=HYPERLINK(\"http://evil\")", "title": "Strike", "start": "2023-10-19"}]})
    ics = tmp_path / "e.ics"
    export_ics(project, ics)
    cal = icalendar.Calendar.from_ical(ics.read_bytes())
    assert {str(c["UID"]) for c in cal.walk("VEVENT")} == {e.uid.replace("\r\n", "\n") for e in project.events()}
    assert not list(cal.walk("VALARM"))
    out = tmp_path / "e.csv"
    export_csv(project, out)
    assert {r["uid"] for r in read_csv(out)} == {"e1\r\nBEGIN:VALARM\r\nACTION:AUDIO\r\nEND:VALARM",
                                                 "\'=HYPERLINK(\"http://evil\")"}


def test_exports_write_nothing_when_cancelled(small_project, tmp_path):
    from sijill.db.formats.records import ExportCancelled

    for i in range(2100):
        small_project.create_event(f"Event {i}", "2020-01-01")
    out = tmp_path / "events.csv"
    out.write_text("an earlier export", encoding="utf-8")
    with pytest.raises(ExportCancelled):
        export_csv(small_project, out, cancelled=lambda: True)
    assert out.read_text(encoding="utf-8") == "an earlier export"
    assert not list(tmp_path.glob("*.part"))


def test_csv_counts_citations_of_sources_whose_text_is_a_summary(located, tmp_path):
    tower = next(e for e in located.events() if e.title == "Tower 22 attack")
    summary = located.create_source("[Report on the Tower 22 attack]", "Three soldiers died in a drone attack.",
                                    outlet="AP", reliability="B", summary=True)
    located.add_evidence(tower.id, summary.id)
    out = tmp_path / "events.csv"
    export_csv(located, out)
    rows = {r["title"]: r for r in read_csv(out)}
    assert (rows["Tower 22 attack"]["evidence_count"], rows["Tower 22 attack"]["summaries"]) == ("2", "1")
    assert rows["Report disputes the toll"]["summaries"] == "0"
    assert guess_mapping(list(rows["Tower 22 attack"]))["summaries"] == ""  # read back as nothing


def test_geojson_and_ics_mark_citations_of_summaries(located, tmp_path):
    from sijill.db.formats.selection import SUMMARY_MARK

    tower = next(e for e in located.events() if e.title == "Tower 22 attack")
    ann = located.create_annotation(located.create_source("[Report on the attack]", "Three soldiers died.",
                                                          summary=True).id, 0, len("Three soldiers died"))
    located.add_evidence(tower.id, annotation_id=ann.id)
    export_geojson(located, tmp_path / "e.geojson")
    (feature,) = json.loads((tmp_path / "e.geojson").read_text(encoding="utf-8"))["features"]
    assert (feature["properties"]["evidence_count"], feature["properties"]["summaries"]) == (2, 1)
    export_ics(located, tmp_path / "e.ics")
    cal = icalendar.Calendar.from_ical((tmp_path / "e.ics").read_bytes())
    text = str(next(c for c in cal.walk("VEVENT") if str(c["SUMMARY"]) == "Tower 22 attack")["DESCRIPTION"])
    assert f"“Three soldiers died” ({SUMMARY_MARK})" in text
    assert f"“Three US soldiers were killed” ({SUMMARY_MARK})" not in text and "Three US soldiers were killed" in text


def test_ics_on_the_calendars_last_day_is_written_not_an_error(project, tmp_path):
    project.create_event("Far future", "9999-12-31")
    project.create_event("Last minute", "9999-12-31T23:59")
    out = tmp_path / "far.ics"
    export_ics(project, out)
    events = {str(c["SUMMARY"]): c for c in icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")}
    assert events["Far future"]["DTSTART"].dt == date(9999, 12, 31)
    assert events["Last minute"]["DTSTART"].dt.year == 9999
