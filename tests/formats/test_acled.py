"""ACLED CSV import: both date styles, the three precisions, actors into the project's groups,
outlets as evidence, re-import by event_id_cnty, and all-or-nothing on bad rows."""
from __future__ import annotations

import csv
import json
from pathlib import Path
from datetime import datetime, timezone

import pytest

from sijill.db.dates import parse_fuzzy
from sijill.db.formats.acled import COLUMNS, AcledReader
from sijill.db.formats.actors import remember_map
from sijill.db.formats.apply import run_import, stored_digests
from sijill.db.formats.records import ImportCancelled, ImportFailed

UTC = timezone.utc


def acled_row(**fields) -> dict:
    row = dict.fromkeys(COLUMNS, "")
    row.update({"event_id_cnty": "IRQ1", "event_date": "2023-10-18", "year": "2023", "time_precision": "1",
                "disorder_type": "Political violence", "event_type": "Explosions/Remote violence",
                "sub_event_type": "Air/drone strike", "actor1": "Kataib Hezbollah (Iraq)",
                "actor2": "Military Forces of the United States (2021-)", "iso": "368", "country": "Iraq",
                "admin1": "Anbar", "admin2": "Heet", "location": "Ain al-Asad Air Base", "latitude": "33.8000",
                "longitude": "42.4400", "geo_precision": "1", "source": "Shafaq News; Rudaw",
                "notes": "On 18 October 2023, two drones targeted Ain al-Asad.\nNo casualties reported.",
                "fatalities": "0", "tags": ""})
    row.update(fields)
    return row


def write(path, rows, header=COLUMNS):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for r in rows:
            w.writerow([r.get(c, "") for c in header])
    return path


def do_import(project, path, **kw):
    return run_import(project, AcledReader(path, stored=stored_digests(project, "acled")), **kw)


def test_actors_land_in_existing_groups_and_outlets_become_evidence(small_project, tmp_path):
    p = small_project
    p.create_group("Harakat Hezbollah al-Nujaba", aliases=[("al-Nujaba", "en")])
    before = {g.name for g in p.groups()}
    path = write(tmp_path / "a.csv", [
        acled_row(),
        acled_row(event_id_cnty="IRQ2", event_date="4 January 2024", actor1="Military Forces of the United States (2021-)",
                  actor2="Harakat Hezbollah Al Nujaba", assoc_actor_1="Islamic Resistance in Iraq; Kataib Hezbollah (Iraq)",
                  source="AP"),
    ])
    result = do_import(p, path)
    assert (result.added, result.updated, result.unchanged) == (2, 0, 0)
    # "Kataib Hezbollah (Iraq)" is the project's Kataib Hezbollah; "Military Forces of the United States
    # (2021-)" its United States; "Harakat Hezbollah Al Nujaba" matches "al-Nujaba" folded.
    assert result.groups_matched["Kataib Hezbollah (Iraq)"] == "Kataib Hezbollah"
    assert result.groups_matched["Military Forces of the United States (2021-)"] == "United States"
    assert result.groups_matched["Harakat Hezbollah Al Nujaba"] == "Harakat Hezbollah al-Nujaba"
    assert result.groups_created == ["Islamic Resistance in Iraq"]
    new = p.group_by_name("Islamic Resistance in Iraq")
    assert {g.name for g in p.groups()} == before | {"Islamic Resistance in Iraq"}
    assert new.aliases == ()  # the name had no qualifier to keep
    ev2 = [e for e in p.events() if e.start.text == "4 January 2024"][0]
    names = {p.group(link.group_id).name: link.role for link in ev2.groups}
    assert names == {"United States": "actor", "Harakat Hezbollah al-Nujaba": "target",
                     "Islamic Resistance in Iraq": "associated", "Kataib Hezbollah": "associated"}
    # every imported event has evidence: one source per outlet, shared between events
    for e in p.events():
        if e.start.text in ("2023-10-18", "4 January 2024"):
            evidence = p.evidence(e.id)
            assert evidence and all(ev.stance == "supports" for ev in evidence)
            assert all(ev.note.startswith("ACLED IRQ") for ev in evidence)
    outlets = sorted(s.outlet for s in p.sources() if s.kind == "outlet")
    assert outlets == ["AP", "Rudaw", "Shafaq News"]


def test_unmatched_actor_keeps_its_acled_name_as_alias(project, tmp_path):
    result = do_import(project, write(tmp_path / "a.csv", [acled_row(actor2="")]))
    assert "Kataib Hezbollah" in result.groups_created
    kh = project.group_by_name("Kataib Hezbollah")
    assert [a.alias for a in kh.aliases] == ["Kataib Hezbollah (Iraq)"]


@pytest.mark.parametrize("written", ["2023-10-18", "18 October 2023"])
@pytest.mark.parametrize("precision, lo, hi, shown", [
    ("1", "2023-10-18T00:00:00", "2023-10-18T23:59:59", "18 Oct 2023"),
    ("2", "2023-10-15T00:00:00", "2023-10-21T23:59:59", "15–21 Oct 2023"),
    ("3", "2023-10-01T00:00:00", "2023-10-31T23:59:59", "Oct 2023"),
])
def test_both_date_styles_and_three_precisions(project, tmp_path, written, precision, lo, hi, shown):
    do_import(project, write(tmp_path / "a.csv", [acled_row(event_date=written, time_precision=precision)]))
    (event,) = project.events()
    assert event.start.lo == datetime.fromisoformat(lo).replace(tzinfo=UTC)
    assert event.start.hi == datetime.fromisoformat(hi).replace(tzinfo=UTC)
    assert event.start.display() == shown


def test_fields_and_attributes_are_kept(project, tmp_path):
    do_import(project, write(tmp_path / "a.csv", [acled_row(tags="crowd size=no report; local administrators",
                                                            fatalities="3")]))
    (event,) = project.events()
    assert event.description == "On 18 October 2023, two drones targeted Ain al-Asad.\nNo casualties reported."
    assert (event.location, event.latitude, event.longitude) == ("Ain al-Asad Air Base", 33.8, 42.44)
    assert (event.event_type, event.fatalities) == ("Explosions/Remote violence", 3)
    assert set(event.tags) == {"crowd size=no report", "local administrators"}
    stored = json.loads(project.db.execute("SELECT attributes FROM events").fetchone()[0])
    assert stored["sub_event_type"] == "Air/drone strike"
    assert (stored["admin1"], stored["admin2"], stored["geo_precision"]) == ("Anbar", "Heet", "1")
    assert "Air/drone strike" in event.title and "Ain al-Asad Air Base" in event.title


def test_reimport_updates_by_event_id_and_skips_unchanged_rows(project, tmp_path):
    rows = [acled_row(event_id_cnty=f"IRQ{i}", fatalities=str(i)) for i in range(1, 6)]
    path = write(tmp_path / "a.csv", rows)
    assert do_import(project, path).added == 5
    again = do_import(project, path)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 5)
    rows[2] = acled_row(event_id_cnty="IRQ3", fatalities="30", notes="Revised toll.", source="Reuters")
    rows.append(acled_row(event_id_cnty="IRQ6"))
    result = do_import(project, write(tmp_path / "b.csv", rows))
    assert (result.added, result.updated, result.unchanged) == (1, 1, 4)
    assert project.event_count() == 6
    revised = [e for e in project.events() if e.fatalities == 30]
    assert len(revised) == 1 and revised[0].description == "Revised toll."
    outlets = {project.source(ev.source_id).outlet for ev in project.evidence(revised[0].id)}
    assert outlets == {"Reuters"}  # the old outlets' evidence was replaced, not added to


def test_reimport_keeps_evidence_the_analyst_added(project, tmp_path):
    path = write(tmp_path / "a.csv", [acled_row()])
    do_import(project, path)
    (event,) = project.events()
    src = project.create_source("Pentagon briefing", "Two drones targeted Ain al-Asad on 18 October.")
    ann = project.create_annotation(src.id, 0, 10, credibility=2)
    project.add_evidence(event.id, annotation_id=ann.id)
    do_import(project, write(tmp_path / "b.csv", [acled_row(fatalities="1")]))
    assert any(ev.annotation_id == ann.id for ev in project.evidence(event.id))


def test_an_own_export_read_back_leaves_the_events_acled_identity(project, tmp_path):
    """An event has one origin. Reading the project's CSV or TimelineJS export back (matched by
    uid) took it over, and the next ACLED update no longer knew the events: it added them all again."""
    from sijill.db.formats.csv_export import export_csv
    from sijill.db.formats.csv_import import CsvReader
    from sijill.db.formats.timelinejs import TimelineJSReader, export_timelinejs

    rows = [acled_row(event_id_cnty=f"IRQ{i}", fatalities=str(i)) for i in range(1, 6)]
    path = write(tmp_path / "a.csv", rows)
    do_import(project, path)
    export_csv(project, tmp_path / "own.csv")
    run_import(project, CsvReader(tmp_path / "own.csv"))
    export_timelinejs(project, tmp_path / "own.json")
    run_import(project, TimelineJSReader(tmp_path / "own.json"))
    rows[2] = acled_row(event_id_cnty="IRQ3", fatalities="30")
    result = do_import(project, write(tmp_path / "b.csv", rows))
    assert (result.added, result.updated, result.unchanged) == (0, 1, 4)
    assert project.event_count() == 5


def test_remembered_actor_choice_wins(small_project, tmp_path):
    remember_map(small_project, {"Unidentified Armed Group (Iraq)": "Kataib Hezbollah"})
    result = do_import(small_project, write(tmp_path / "a.csv", [acled_row(actor1="Unidentified Armed Group (Iraq)")]))
    assert result.groups_matched["Unidentified Armed Group (Iraq)"] == "Kataib Hezbollah"
    assert "Unidentified Armed Group" not in result.groups_created


def test_actor_map_can_ask_for_a_new_group(small_project, tmp_path):
    result = do_import(small_project, write(tmp_path / "a.csv", [acled_row()]),
                       actor_map={"Kataib Hezbollah (Iraq)": ""})
    # "" = a group of its own: named after the actor, even though an alias matched
    assert "Kataib Hezbollah (Iraq)" not in small_project.group_by_name("Kataib Hezbollah").aliases
    assert result.groups_matched["Kataib Hezbollah (Iraq)"] == "Kataib Hezbollah"


def test_dry_run_reports_and_writes_nothing(project, tmp_path):
    path = write(tmp_path / "a.csv", [acled_row(event_id_cnty=f"IRQ{i}") for i in range(3)])
    result = do_import(project, path, dry_run=True)
    assert result.dry_run and result.added == 3 and result.groups_created
    assert project.event_count() == 0 and project.groups() == [] and project.sources() == []


def test_bad_rows_import_nothing_and_are_all_listed(small_project, tmp_path):
    before = small_project.stats()
    rows = [acled_row(event_id_cnty=f"IRQ{i}") for i in range(1, 8)]
    rows[1]["event_date"] = "2023-02-30"
    rows[3]["time_precision"] = "4"
    rows[5]["latitude"] = "north"
    path = write(tmp_path / "a.csv", rows)
    with pytest.raises(ImportFailed) as caught:
        do_import(small_project, path)
    errors = [(e.row, e.column) for e in caught.value.errors]
    assert errors == [(3, "event_date"), (5, "time_precision"), (7, "latitude")]
    assert "a.csv: 3 bad rows" in str(caught.value) and "row 3, column 'event_date'" in str(caught.value)
    assert small_project.stats() == before


def test_more_than_fifty_errors_are_counted(project, tmp_path):
    rows = [acled_row(event_id_cnty=f"IRQ{i}", fatalities="many") for i in range(120)]
    with pytest.raises(ImportFailed) as caught:
        do_import(project, write(tmp_path / "a.csv", rows))
    assert len(caught.value.errors) == 50 and caught.value.total == 120
    assert "… and 70 more" in str(caught.value)


def test_cancel_leaves_the_project_unchanged(small_project, tmp_path):
    before = small_project.stats()
    path = write(tmp_path / "a.csv", [acled_row(event_id_cnty=f"IRQ{i}") for i in range(3000)])
    seen = []

    def cancelled() -> bool:
        seen.append(1)
        return len(seen) >= 3  # after 1,500 rows were written

    with pytest.raises(ImportCancelled):
        do_import(small_project, path, cancelled=cancelled)
    assert small_project.stats() == before
    assert small_project.search("drones")  == []


def test_imported_events_are_searchable(project, tmp_path):
    do_import(project, write(tmp_path / "a.csv", [acled_row()]))
    hits = project.search("drones targeted")
    assert [h.kind for h in hits] == ["event"]


def _indexes(project) -> set[str]:
    return {n for (n,) in project.db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}


def test_a_large_import_rebuilds_the_indexes_it_dropped_and_a_failed_one_keeps_them(project, tmp_path):
    from tests.perf.acled_file import write_acled

    before = _indexes(project)
    assert {"events_start_lo", "event_groups_group", "event_evidence_event"} <= before
    bad = write_acled(tmp_path / "bad.csv", 25_000)
    with open(bad, "a", encoding="utf-8") as fh:
        fh.write("IRQ999999,someday" + "," * (len(COLUMNS) - 2) + "\n")
    with pytest.raises(ImportFailed):
        do_import(project, bad)
    assert _indexes(project) == before and project.event_count() == 0
    result = do_import(project, write_acled(tmp_path / "good.csv", 25_000))
    assert result.added == 25_000 and _indexes(project) == before
    plan = project.db.execute("EXPLAIN QUERY PLAN SELECT id FROM events WHERE start_lo > 0").fetchall()
    assert "events_start_lo" in str(plan)
    assert project.search("carried out") and len(project.search_event_ids("Kataib")) > 1000


def test_a_large_import_that_updates_events_finds_their_evidence_by_index(project, monkeypatch):
    """An import as large as the project drops secondary indexes and builds them again at its end;
    one that updates events deletes each one's dataset evidence by event: without the index that
    was a scan of all the evidence per event (an updated 100,000-row ACLED file: 343 s, not 13)."""
    from sijill.db.formats.records import EventRecord, SourceRef

    project.create_event("Raid", "2023-10-18")
    (event,) = project.events()
    plans = []

    class Reader:
        format, path = "csv", Path("big.csv")

        def estimated_rows(self):
            return 20_000

        def fraction(self):
            return 0.0

        def records(self):
            yield EventRecord(title="Raid, revised", start=parse_fuzzy("2023-10-18"), uid=event.uid, key="k1",
                              sources=[SourceRef("Rudaw", "Rudaw", kind="outlet")])
            plans.append(project.db.execute("EXPLAIN QUERY PLAN DELETE FROM event_evidence WHERE event_id = 1 "
                                            "AND annotation_id IS NULL AND note = 'x'").fetchall())

    run_import(project, Reader())
    assert "event_evidence_event" in str(plans) and project.event(event.id).title == "Raid, revised"


@pytest.mark.parametrize("bad", ["\x1f", "\x1b[31m", "\x7f"])  # NUL: the file is refused whole (tested in test_import_errors)
def test_a_control_character_in_any_cell_is_refused(project, tmp_path, bad):
    rows = [acled_row(event_id_cnty="IRQ1"), acled_row(event_id_cnty="IRQ2", notes=f"Two drones{bad} hit.")]
    with pytest.raises(ImportFailed) as caught:
        do_import(project, write(tmp_path / "a.csv", rows))
    (error,) = caught.value.errors
    assert error.row == 3 and error.column == "description" and "control character" in error.message
    assert project.event_count() == 0
