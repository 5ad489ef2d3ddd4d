"""TimelineJS 3: export JSON that TimelineJS loads, read it back (and the sheet template as CSV),
refuse malformed files whole."""
from __future__ import annotations

import html
import json

import pytest

from sijill.db.dates import parse_fuzzy
from sijill.db.formats.apply import run_import, stored_digests
from sijill.db.formats.native import import_native
from sijill.db.formats.records import ImportFailed
from sijill.db.formats.selection import EventSelection
from sijill.db.formats.timelinejs import TimelineJSReader, export_timelinejs, plain_text
from sijill.db.store.project import Project
from sijill.db.resources import demo_path

SCRIPT_TITLE = "<script>alert('x')</script> & Tower 22"


@pytest.fixture
def demo(tmp_path) -> Project:
    p = Project.create(tmp_path / "demo.sijill")
    import_native(p, demo_path())
    p.set_meta("title", "Iraq's factions <2014–2024>")
    yield p
    p.close()


def _import(project: Project, path, *, stored: bool = False):
    reader = TimelineJSReader(path, stored=stored_digests(project, "timelinejs") if stored else None)
    return run_import(project, reader)


def _counts(project: Project) -> tuple:
    s = project.stats()
    tags = project.db.execute("SELECT COUNT(*) FROM event_tags").fetchone()[0]
    return s.events, s.groups, s.sources, s.periods, tags, project.db.execute(
        "SELECT COUNT(*) FROM event_evidence").fetchone()[0]


# ---- TimelineJS's loading rules (REFERENCE.md), as a checker -------------------------------------------

_FIELDS = ("year", "month", "day", "hour", "minute", "second", "millisecond")


def timelinejs_problems(doc) -> list[str]:
    """What TimelineJS 3's TimelineConfig would reject or silently change in `doc`, and what an
    export must not do (unescaped markup), as readable problems; [] when it loads cleanly."""
    problems = []
    if not isinstance(doc, dict) or not isinstance(doc.get("events"), list):
        return ["the top level must be an object with a list of events"]

    def check_date(where: str, d) -> None:
        if not isinstance(d, dict):
            problems.append(f"{where}: not a date object")
            return
        if not isinstance(d.get("year"), int) or isinstance(d.get("year"), bool):
            problems.append(f"{where}: year is required and must be a whole number")
        given = [f for f in _FIELDS if f in d]
        for coarse, fine in zip(_FIELDS, _FIELDS[1:]):  # only what the precision knows: no gaps
            if fine in given and coarse not in given:
                problems.append(f"{where}: has {fine} without {coarse}")
        for f in given:
            if not isinstance(d[f], int):
                problems.append(f"{where}.{f}: not a whole number")
        if "month" in d and not 1 <= d["month"] <= 12:
            problems.append(f"{where}.month out of range")

    def check_markup(where: str, text) -> None:
        if not isinstance(text, str):
            problems.append(f"{where}: not a string")
        elif "<script" in text.lower() or "<iframe" in text.lower():
            problems.append(f"{where}: unescaped markup")

    ids = []
    title = doc.get("title")
    if title is not None:
        check_markup("title.text.headline", title.get("text", {}).get("headline", ""))
        if "unique_id" in title:
            ids.append(title["unique_id"])
    for i, e in enumerate(doc["events"]):
        where = f"events[{i}]"
        if "start_date" not in e:
            problems.append(f"{where}: no start_date (TimelineJS skips it)")
        else:
            check_date(f"{where}.start_date", e["start_date"])
        if "end_date" in e:
            check_date(f"{where}.end_date", e["end_date"])
        text = e.get("text", {})
        check_markup(f"{where}.text.headline", text.get("headline", ""))
        check_markup(f"{where}.text.text", text.get("text", ""))
        if "unique_id" in e:
            ids.append(e["unique_id"])
    for i, era in enumerate(doc.get("eras", [])):
        where = f"eras[{i}]"
        for key in ("start_date", "end_date"):
            if key not in era:
                problems.append(f"{where}: {key} is required")
            else:
                check_date(f"{where}.{key}", era[key])
        headline = era.get("text", {}).get("headline")
        if not headline:
            problems.append(f"{where}: text.headline is required")
        else:
            check_markup(f"{where}.text.headline", headline)
    if len(ids) != len(set(ids)):
        problems.append("unique_ids are not unique (TimelineJS renames duplicates)")
    return problems


def test_checker_finds_what_timelinejs_refuses():
    bad = {"title": {"text": {"headline": "<script>x</script>"}}, "events": [
        {"start_date": {"month": 3}, "unique_id": "a", "text": {"headline": "no year"}},
        {"start_date": {"year": 2020, "day": 3}, "unique_id": "a", "text": {"headline": "gap"}},
        {"text": {"headline": "no date"}},
        {"start_date": {"year": "2020"}, "text": {"headline": "<iframe src=x>"}}],
        "eras": [{"start_date": {"year": 2020}, "text": {}}]}
    problems = timelinejs_problems(bad)
    for expected in ("title.text.headline: unescaped", "events[0].start_date: year is required",
                     "events[1].start_date: has day without month", "events[2]: no start_date",
                     "events[3].start_date: year is required", "events[3].text.headline: unescaped",
                     "eras[0]: end_date is required", "eras[0]: text.headline is required", "unique_ids"):
        assert any(p.startswith(expected) for p in problems), (expected, problems)


# ---- export -----------------------------------------------------------------------------------

def test_export_follows_the_loading_rules(demo, tmp_path):
    demo.create_event(SCRIPT_TITLE, "2024-01-28", description="First line\nsecond <b>line</b>\n\nA paragraph.")
    mid = demo.create_event("Drone attacks claimed", "mid-October 2023")
    out = tmp_path / "timeline.json"
    result = export_timelinejs(demo, out)
    assert result.counts == {"events": 138, "eras": 8}
    assert not (tmp_path / "timeline.json.part").exists()
    raw = out.read_text("utf-8")
    doc = json.loads(raw)
    assert timelinejs_problems(doc) == []
    assert "<script" not in raw
    assert doc["title"]["text"]["headline"] == "Iraq&#x27;s factions &lt;2014–2024&gt;"
    assert doc["title"]["text"]["text"] == "<p>all events</p>"

    slides = {s["unique_id"]: s for s in doc["events"]}
    assert len(slides) == 138
    tower = next(s for s in doc["events"] if "Tower 22" in s["text"]["headline"] and "script" in s["text"]["headline"])
    assert tower["text"]["headline"] == html.escape(SCRIPT_TITLE)
    assert tower["text"]["text"] == "<p>First line<br>second &lt;b&gt;line&lt;/b&gt;</p><p>A paragraph.</p>"
    assert plain_text(tower["text"]["text"]) == "First line\nsecond <b>line</b>\n\nA paragraph."

    commission = next(s for s in doc["events"]
                      if s["text"]["headline"] == "PMF directorate set up under the crisis committee")
    assert commission["start_date"] == {"year": 2014, "month": 6, "display_date": "2014-06"}  # no day
    assert "end_date" not in commission
    assert commission["group"] == "Iraqi government"
    assert commission["media"]["url"].startswith("https://")

    spanning = slides[mid.uid]  # one fuzzy date wider than a day: an end_date without text
    assert spanning["start_date"] == {"year": 2023, "month": 10, "day": 11, "display_date": "mid-October 2023"}
    assert spanning["end_date"] == {"year": 2023, "month": 10, "day": 20}
    assert spanning["display_date"] == "mid-October 2023"

    hawija = next(s for s in doc["events"] if s["text"]["headline"] == "Hawija offensive")
    assert hawija["end_date"] == {"year": 2017, "month": 10, "day": 5, "display_date": "2017-10-05"}
    assert hawija["display_date"] == "2017-09-21 – 2017-10-05"

    war = next(e for e in doc["eras"] if e["text"]["headline"] == "War against ISIS")
    assert war["start_date"] == {"year": 2014, "month": 6, "display_date": "2014-06"}
    assert war["end_date"]["day"] == 9


def test_export_group_is_the_first_actor_and_a_selection_limits_events_and_eras(demo, tmp_path):
    us, kh = demo.group_by_name("United States"), demo.group_by_name("Kataib Hezbollah")
    e = demo.create_event("Strike", "2024-02-07", groups=[(us.id, "target"), (kh.id, "actor")])
    out = tmp_path / "sel.json"
    result = export_timelinejs(demo, out, EventSelection(date_from="2024-02", date_to="2024-02"))
    doc = json.loads(out.read_text("utf-8"))
    assert timelinejs_problems(doc) == []
    assert next(s for s in doc["events"] if s["unique_id"] == e.uid)["group"] == "Kataib Hezbollah"
    assert all(s["start_date"]["year"] == 2024 for s in doc["events"])
    assert {era["text"]["headline"] for era in doc["eras"]} == {"Coalition transition", "Campaign against US forces"}
    assert result.counts == {"events": len(doc["events"]), "eras": 2}
    assert doc["title"]["text"]["text"] == "<p>from 2024-02 to 2024-02</p>"


def test_an_open_period_becomes_an_era_ending_where_its_start_ends(project, tmp_path):
    project.create_period("Talks", "2024-01")
    project.create_event("Something", "2024-01-27")
    out = tmp_path / "t.json"
    export_timelinejs(project, out)
    doc = json.loads(out.read_text("utf-8"))
    assert doc["eras"] == [{"start_date": {"year": 2024, "month": 1, "display_date": "2024-01"},
                            "end_date": {"year": 2024, "month": 1},
                            "text": {"headline": "Talks", "text": ""}}]
    assert timelinejs_problems(doc) == []
    with Project.create(tmp_path / "back.sijill") as back:
        _import(back, out)
        (talks,) = back.periods()
        assert talks.end is None and talks.start.text == "2024-01" and talks.start.precision == "month"


# ---- round trip -------------------------------------------------------------------------------

def _dates(d):
    return None if d is None else (d.lo_ts, d.hi_ts, d.precision)


def test_round_trip_of_the_demo_keeps_titles_bounds_precisions_and_eras(demo, tmp_path):
    out = tmp_path / "demo.json"
    export_timelinejs(demo, out)
    with Project.create(tmp_path / "copy.sijill") as copy:
        result = _import(copy, out)
        assert (result.added, result.updated, result.periods_added) == (136, 0, 8)
        before = {e.title: e for e in demo.events()}
        after = {e.title: e for e in copy.events()}
        assert len(before) == len(after) == 136
        assert set(after) == set(before)
        for title, e in before.items():
            got = after[title]
            assert (_dates(got.start), _dates(got.end)) == (_dates(e.start), _dates(e.end)), title
            assert (got.start.text, got.end and got.end.text) == (e.start.text, e.end and e.end.text), title
            assert got.description == e.description, title
        # the one group TimelineJS carries comes back as an actor
        names = {g.id: g.name for g in copy.groups()}
        mosul = after["ISIS captures Mosul"]
        assert [(names[link.group_id], link.role) for link in mosul.groups] == [("ISIS", "actor")]
        # media: a cited source with a URL, linked as evidence
        cited = [e for e in copy.events() if copy.evidence(e.id)]
        assert cited and all(copy.source(copy.evidence(e.id)[0].source_id).url.startswith("http") for e in cited)
        assert {(p.title, _dates(p.start), _dates(p.end), p.description) for p in copy.periods()} == \
            {(p.title, _dates(p.start), _dates(p.end), p.description) for p in demo.periods()}


def test_round_trip_keeps_fuzzy_texts_flags_and_clock_times(project, tmp_path):
    project.create_event("Claimed drone attacks", "mid-October 2023")
    project.create_event("About then", "c. 2014", "2015?")
    project.create_event("Raid", "2023-10-17T14:30", "2023-10-17T18")
    project.create_event("Week", "16–22 Oct 2023")
    out = tmp_path / "fuzzy.json"
    export_timelinejs(project, out)
    assert timelinejs_problems(json.loads(out.read_text("utf-8"))) == []
    with Project.create(tmp_path / "copy.sijill") as copy:
        _import(copy, out)
        got = {e.title: e for e in copy.events()}
        for e in project.events():
            g = got[e.title]
            assert (_dates(g.start), _dates(g.end)) == (_dates(e.start), _dates(e.end)), e.title
            assert (g.start.text, g.start.approximate, g.start.uncertain) == \
                (e.start.text, e.start.approximate, e.start.uncertain), e.title
        assert got["Claimed drone attacks"].end is None and got["Claimed drone attacks"].start.approximate
        assert got["About then"].end.uncertain and got["About then"].end.text == "2015?"
        assert got["Raid"].end.precision == "hour" and got["Raid"].start.precision == "minute"


def test_reimport_of_the_same_file_changes_nothing(demo, tmp_path):
    out = tmp_path / "demo.json"
    export_timelinejs(demo, out)
    with Project.create(tmp_path / "copy.sijill") as copy:
        _import(copy, out, stored=True)
        counts = _counts(copy)
        again = _import(copy, out, stored=True)
        assert (again.added, again.updated, again.unchanged, again.periods_added) == (0, 0, 136, 0)
        assert _counts(copy) == counts
        # an edited slide is updated in place, not added
        doc = json.loads(out.read_text("utf-8"))
        doc["events"][0]["text"]["headline"] = "Commission set up"
        out.write_text(json.dumps(doc), "utf-8")
        third = _import(copy, out, stored=True)
        assert (third.added, third.updated, third.unchanged) == (0, 1, 135)
        assert _counts(copy) == counts
        assert "Commission set up" in {e.title for e in copy.events()}


def test_own_export_edited_and_read_back_into_the_project_keeps_what_timelinejs_does_not_carry(demo, tmp_path):
    """Export, edit a headline in TimelineJS, import into the same project: the events are found by
    uid and take the file's titles, texts and dates; their places, coordinates, types, tolls,
    tags, attributes, roles and evidence, which TimelineJS cannot carry, are as they were."""
    def kept(p: Project) -> list:
        events = p.db.execute("SELECT uid, location, latitude, longitude, event_type, fatalities, attributes "
                              "FROM events ORDER BY uid").fetchall()
        links = p.db.execute("SELECT e.uid, eg.group_id, eg.role FROM event_groups eg JOIN events e "
                             "ON e.id = eg.event_id ORDER BY 1, 2").fetchall()
        tags = p.db.execute("SELECT event_id, tag_id FROM event_tags ORDER BY 1, 2").fetchall()
        evidence = p.db.execute("SELECT event_id, source_id, annotation_id, stance FROM event_evidence "
                                "ORDER BY 1, 2, 3").fetchall()
        return [events, links, tags, evidence]

    before = kept(demo)
    out = tmp_path / "demo.json"
    export_timelinejs(demo, out)
    doc = json.loads(out.read_text("utf-8"))
    slide = next(s for s in doc["events"] if s["text"]["headline"] == "ISIS captures Mosul")
    slide["text"]["headline"] = "ISIS takes Mosul"
    out.write_text(json.dumps(doc), "utf-8")
    result = _import(demo, out, stored=True)
    assert (result.added, result.updated) == (0, 136) and not result.groups_created
    assert "ISIS takes Mosul" in {e.title for e in demo.events()}
    assert kept(demo) == before
    again = _import(demo, out, stored=True)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 136) and kept(demo) == before


# ---- reading files from elsewhere ---------------------------------------------------------------

def test_json_from_elsewhere(project, tmp_path):
    doc = {"title": {"text": {"headline": "Title slide"}}, "events": [
        {"start_date": {"year": "2014"}, "text": {"headline": "<b>Year</b> &amp; more", "text": "<p>One</p><p>Two</p>"},
         "group": "ISIS", "unique_id": "slide-1"},
        {"start_date": {"year": 2023, "month": 10, "day": 17, "hour": 9}, "display_date": "Morning of the 17th",
         "text": {"text": "<p>A long text without any headline at all, more than ten words here.</p>"},
         "media": {"url": "https://example.org/a", "caption": "<i>Report</i>", "credit": "AP"}},
        {"start_date": {"year": 2024, "month": 1, "day": 28, "hour": 5, "minute": 30, "second": 10},
         "media": {"url": "<blockquote>tweet</blockquote>"}},
    ], "eras": [{"start_date": {"year": 2023, "month": 10}, "end_date": {"year": 2024},
                 "text": {"headline": "Campaign"}}]}
    path = tmp_path / "elsewhere.json"
    path.write_text(json.dumps(doc), "utf-8")
    reader = TimelineJSReader(path)
    assert reader.actors() == ["ISIS"]
    result = run_import(project, reader)
    assert (result.added, result.periods_added, result.sources_added) == (3, 1, 1)
    events = {e.start.precision: e for e in project.events()}
    year, hour, minute = events["year"], events["hour"], events["minute"]
    assert year.title == "Year & more" and year.description == "One\n\nTwo"
    assert (year.start.text, year.start.lo.isoformat()) == ("2014", "2014-01-01T00:00:00+00:00")
    assert [project.group(link.group_id).name for link in year.groups] == ["ISIS"]
    assert hour.title == "A long text without any headline at all, more than …"
    assert (hour.start.lo.hour, hour.start.hi.minute) == (9, 59)
    source = project.source(project.evidence(hour.id)[0].source_id)
    assert (source.title, source.url, source.outlet) == ("Report", "https://example.org/a", "AP")
    assert minute.title == "(untitled)" and minute.start.text == "2024-01-28T05:30"
    assert project.db.execute("SELECT attributes FROM events WHERE id = ?", [hour.id]).fetchone()[0] == \
        '{"display_date": "Morning of the 17th"}'
    (era,) = project.periods()
    assert (era.title, era.start.text, era.end.text) == ("Campaign", "2023-10", "2024")
    # a non-UUID id is only unique in its file: the key says which file
    keys = {k for (k,) in project.db.execute("SELECT key FROM event_origins")}
    assert "elsewhere.json#slide-1" in keys


SHEET = """Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,Background
,,,,,,,,,Iraq's factions,<p>An overview</p>,,,,,title,,
2023,10,17,,2024,2,7,,,Campaign against US forces,<p>Attacks and strikes</p>,,,,,era,,
2014,,,,,,,,,PMF formed,<p>After the <i>fatwa</i></p>,,,,,,Popular Mobilization Forces,
2023,October,17,,2023,10,18,,17–18 Oct 2023,First drone attacks,,https://example.org/claim,Reuters,Claim &amp; denial,,,Islamic Resistance in Iraq,
2024,1,28,5:30 AM,,,,,,Tower 22 attack,"Three US soldiers killed,
dozens wounded",,,,,,Kataib Hezbollah,#000000
"""


def test_sheet_saved_as_csv(project, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text(SHEET, "utf-8")
    reader = TimelineJSReader(path)
    assert reader.actors() == ["Popular Mobilization Forces", "Islamic Resistance in Iraq", "Kataib Hezbollah"]
    result = run_import(project, reader)
    assert (result.added, result.periods_added, result.sources_added) == (3, 1, 1)
    ev = {e.title: e for e in project.events()}
    assert set(ev) == {"PMF formed", "First drone attacks", "Tower 22 attack"}  # the title row is skipped
    assert (ev["PMF formed"].start.precision, ev["PMF formed"].description) == ("year", "After the fatwa")
    drones = ev["First drone attacks"]
    assert (drones.start.text, drones.end.text, drones.end.precision) == ("2023-10-17", "2023-10-18", "day")
    source = project.source(project.evidence(drones.id)[0].source_id)
    assert (source.title, source.outlet, source.url) == ("Claim & denial", "Reuters", "https://example.org/claim")
    tower = ev["Tower 22 attack"]
    assert (tower.start.text, tower.start.precision) == ("2024-01-28T05:30", "minute")
    assert tower.description == "Three US soldiers killed, dozens wounded"
    assert [project.group(link.group_id).name for link in tower.groups] == ["Kataib Hezbollah"]
    (period,) = project.periods()
    assert (period.title, period.start.text, period.end.text) == ("Campaign against US forces", "2023-10-17",
                                                                    "2024-02-07")
    again = run_import(project, TimelineJSReader(path, stored=stored_digests(project, "timelinejs")))
    assert (again.added, again.unchanged) == (0, 3)


def test_sheet_errors_name_the_line_and_the_sheet_column(project, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text("Year,Month,Day,Time,Headline\n2023,2,30,,Bad day\n2023,1,1,25:00,Bad hour\n-44,3,15,,Ides\n",
                    "utf-8")
    with pytest.raises(ImportFailed) as caught:
        run_import(project, TimelineJSReader(path))
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "Day"), (3, "Time"), (4, "Year")]
    assert "30 February 2023 is not a day" in caught.value.errors[0].message
    assert "before the Common Era" in caught.value.errors[2].message
    assert project.stats().events == 0


# ---- malformed files: refused whole, project unchanged ------------------------------------------

GOOD_SLIDE = {"start_date": {"year": 2020, "month": 1, "day": 3}, "text": {"headline": "Soleimani killed"},
              "group": "United States", "media": {"url": "https://example.org/new"}}
GOOD_ERA = {"start_date": {"year": 2019}, "end_date": {"year": 2020}, "text": {"headline": "Escalation"}}


def _doc(*bad) -> str:
    return json.dumps({"eras": [GOOD_ERA], "events": [GOOD_SLIDE, *bad]})


@pytest.mark.parametrize("text, row, column, words", [
    ('{"events": [{"start_date": {"year": 2020}', None, None, "not JSON"),
    ("[1, 2]", None, None, "top level is a list"),
    (json.dumps({"events": {"start_date": {"year": 2020}}}), None, "events", "must be a list"),
    (json.dumps({"title": {}}), None, "events", "is missing"),
    (_doc({"text": {"headline": "no date"}}), 2, "events[1].start_date", "is missing"),
    (_doc({"start_date": {"year": "twenty twenty"}}), 2, "events[1].start_date.year", "not a whole number"),
    (_doc({"start_date": {"year": 2020, "month": 13}}), 2, "events[1].start_date.month", "13 is not a month"),
    (_doc({"start_date": {"year": 2023, "month": 2, "day": 31}}), 2, "events[1].start_date.day",
     "February 2023 has 28 days"),
    (_doc({"start_date": {"year": 2024, "month": 1, "day": 28}, "end_date": {"year": 2023}}), 2,
     "events[1].end_date", "before the start"),
    (_doc({"start_date": {"year": -44, "month": 3, "day": 15}}), 2, "events[1].start_date.year",
     "before the Common Era"),
    (_doc({"start_date": {"year": 2020, "day": 3}}), 2, "events[1].start_date.day", "without a month"),
    (_doc("a string"), 2, "events[1]", "must be an object"),
    (_doc({**GOOD_SLIDE, "unique_id": "x"}, {**GOOD_SLIDE, "unique_id": "x"}), 3, "events[2].unique_id",
     "also the id of slide 2"),
    (_doc({**GOOD_SLIDE, "unique_id": "0b1c2d3e-0000-4000-8000-00000000000a"},
          {**GOOD_SLIDE, "unique_id": "0B1C2D3E-0000-4000-8000-00000000000A"}), 3, "events[2].unique_id",
     "also the id of slide 2"),
    (json.dumps({"events": [GOOD_SLIDE], "eras": [{"start_date": {"year": 2020, "month": 0},
                                                    "text": {"headline": "E"}}]}), 1,
     "eras[0].start_date.month", "is not a month"),
])
def test_malformed_files_are_refused_whole(small_project, tmp_path, text, row, column, words):
    path = tmp_path / "bad.json"
    path.write_text(text, "utf-8")
    before = _counts(small_project)
    with pytest.raises(ImportFailed) as caught:
        run_import(small_project, TimelineJSReader(path))
    assert "bad.json" in str(caught.value)
    (error,) = caught.value.errors
    assert (error.row, error.column) == (row, column), error
    assert words in error.message
    assert _counts(small_project) == before
    assert small_project.event_count() == 5


def test_not_json_names_line_and_column(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "events": [\n    {"start_date": {"year": 2020},}\n  ]\n}', "utf-8")
    with pytest.raises(ImportFailed) as caught:
        TimelineJSReader(path)
    assert "line 3, column" in str(caught.value)


def test_every_bad_slide_is_listed(small_project, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(_doc({"start_date": {"year": 2020, "month": 13}}, GOOD_SLIDE, {"start_date": {"year": 0}}), "utf-8")
    with pytest.raises(ImportFailed) as caught:
        run_import(small_project, TimelineJSReader(path))
    assert [e.row for e in caught.value.errors] == [2, 4]
    assert caught.value.total == 2


def test_a_display_date_that_says_something_else_is_not_the_date(project, tmp_path):
    """A display text is taken as the date as written only when it reads to the same bounds."""
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"events": [
        {"start_date": {"year": 2023, "month": 10, "display_date": "18 October 2023"}, "text": {"headline": "A"}},
        {"start_date": {"year": 2023, "month": 10, "day": 18, "display_date": "c. 18 Oct 2023"},
         "text": {"headline": "B"}}]}), "utf-8")
    run_import(project, TimelineJSReader(path))
    got = {e.title: e.start for e in project.events()}
    assert (got["A"].text, got["A"].precision) == ("2023-10", "month")
    assert (got["B"].text, got["B"].approximate) == ("c. 18 Oct 2023", True)
    assert _dates(got["B"]) == _dates(parse_fuzzy("2023-10-18"))


def test_a_document_nested_too_deeply_is_refused(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"events": ' + "[" * 100_000 + "]" * 100_000 + "}", "utf-8")
    with pytest.raises(ImportFailed, match="nested too deeply"):
        TimelineJSReader(path)


def test_export_escapes_every_string_timelinejs_sets_as_html_and_links_only_web_urls(project, tmp_path):
    """TimelineJS sets a group's label, a date's display text and an "iframe" media URL as
    innerHTML: they must not carry markup, and only http(s) sources become media."""
    from datetime import datetime, timezone

    from sijill.db.dates import FuzzyDate

    group = project.create_group("<img src=x onerror=alert(1)> & Co")
    lo, hi = datetime(2023, 1, 1, tzinfo=timezone.utc), datetime(2023, 12, 31, 23, 59, 59, tzinfo=timezone.utc)
    event = project.create_event("Raid", FuzzyDate("<i>2023</i> & after", lo, hi, "year"),
                                 groups=[(group.id, "actor")])
    for url in ('<iframe src="javascript:alert(2)"></iframe>', "javascript:alert(3)"):
        src = project.create_source(url, "text", url=url)
        project.add_evidence(event.id, source_id=src.id)
    web = project.create_event("Strike", "2023-10-18")
    project.add_evidence(web.id, source_id=project.create_source("Report", "text", url="https://example.org/r").id)
    out = tmp_path / "t.json"
    export_timelinejs(project, out)
    raw = out.read_text("utf-8")
    assert "<img" not in raw and "<iframe" not in raw and "<i>" not in raw and "javascript:" not in raw
    slides = {s["text"]["headline"]: s for s in json.loads(raw)["events"]}
    assert slides["Raid"]["group"] == html.escape(group.name) and "media" not in slides["Raid"]
    assert slides["Raid"]["display_date"] == html.escape("<i>2023</i> & after")
    assert slides["Strike"]["media"]["url"] == "https://example.org/r"
    with Project.create(tmp_path / "back.sijill") as back:  # read back as TimelineJS means it
        run_import(back, TimelineJSReader(out))
        assert [g.name for g in back.groups()] == [group.name]
        raid = next(e for e in back.events() if e.title == "Raid")
        stored = back.db.execute("SELECT attributes FROM events WHERE id = ?", [raid.id]).fetchone()[0]
        assert json.loads(stored)["display_date"] == "<i>2023</i> & after"
