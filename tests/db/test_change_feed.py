"""The change log and feed: every write through Project yields exactly the change set it made, recorded
in the same transaction, announced after the commit; writes by other programs are recorded too."""
from __future__ import annotations

import sqlite3

import pytest

from sijill.db.store.basics import ReadOnlyError
from sijill.db.store.entities import Link
from sijill.db.store.project import Project


@pytest.fixture
def project(tmp_path):
    p = Project.create(tmp_path / "p.sijill")
    p.analyst = "Rana"
    yield p
    p.close()


def _feed(project):
    heard = []
    project.subscribe(heard.append)
    return heard


def test_each_write_is_one_change_set_with_its_label_analyst_and_changes(project):
    heard = _feed(project)
    kh = project.create_group("Kataib Hezbollah")
    event = project.create_event("Tower 22 attack", "2024-01-28", groups=[Link(kh.id, "actor")])
    with project.labelled("Move event"):
        project.update_event(event.id, start="2024-01-27")
    assert [s.label for s in heard] == ["Create group", "Create event", "Move event"]
    assert all(s.analyst == "Rana" and s.at.endswith("Z") for s in heard)
    assert [(c.kind, c.uid, c.op) for c in heard[1].changes] == [("event", event.uid, "insert")]
    [move] = heard[2].changes
    assert move.op == "update" and move.fields()["start_text"] == ("2024-01-28", "2024-01-27")
    assert set(move.fields()) == {"start_text", "start_lo", "start_hi"}  # nothing else changed


def test_links_are_recorded_with_uids_and_a_delete_keeps_everything_it_removed(project):
    kh = project.create_group("Kataib Hezbollah")
    irq = project.create_group("Islamic Resistance in Iraq")
    event = project.create_event("Strike", "2024-01-28", groups=[Link(kh.id, "actor")], tags=["drone"])
    heard = _feed(project)
    project.update_event(event.id, groups=[Link(irq.id, "actor")])
    ops = {(c.op, c.field, str(c.before or c.after)) for c in heard[-1].changes}
    assert ("unlink", "groups", str({"group": kh.uid, "role": "actor"})) in ops
    assert ("link", "groups", str({"group": irq.uid, "role": "actor"})) in ops
    project.delete_event(event.id)
    [gone] = heard[-1].changes
    assert gone.op == "delete" and gone.before["title"] == "Strike"
    assert gone.before["groups"] == [{"group": irq.uid, "role": "actor"}] and gone.before["tags"] == [{"tag": "drone"}]


def test_a_batch_is_one_change_set_and_a_failed_write_leaves_no_record(project):
    heard = _feed(project)
    with project.batch("Import notes", kind="import"):
        a = project.create_event("One", "2024-01-01")
        project.create_event("Two", "2024-01-02")
    assert len(heard) == 1 and heard[0].kind == "import" and heard[0].counts == {("event", "insert"): 2}
    count = project.db.execute("SELECT count(*) FROM changes").fetchone()[0]
    with pytest.raises(RuntimeError):
        with project.batch("Doomed"):
            project.update_event(a.id, title="Changed")
            raise RuntimeError("cancelled")
    assert project.db.execute("SELECT count(*) FROM changes").fetchone()[0] == count
    assert [s.label for s in project.change_sets()] == ["Import notes"]
    assert project.event(a.id).title == "One"


def test_a_write_that_changes_no_record_leaves_no_change_set(project):
    heard = _feed(project)
    project.set_meta("view", "2014-2024")
    assert heard == [] and project.change_sets() == []


def test_history_of_one_record_lists_every_change_newest_first(project):
    event = project.create_event("Strike", "2024-01-28")
    project.update_event(event.id, title="Strike on Tower 22")
    with project.labelled("Move event"):
        project.update_event(event.id, start="2024-01-27")
    project.create_event("Other", "2024-02-02")
    history = project.history(event.uid)
    assert [s.label for s, _ in history] == ["Move event", "Update event", "Create event"]
    assert history[1][1][0].fields() == {"title": ("Strike", "Strike on Tower 22")}


def test_writes_by_another_program_are_recorded_without_a_change_set_and_polled(project, tmp_path):
    event = project.create_event("Strike", "2024-01-28")
    other = Project.open(project.path)
    other.analyst = "Karim"
    heard = _feed(project)
    other.update_event(event.id, title="Strike (corrected)")
    polled = project.poll_changes()
    assert [(s.label, s.analyst) for s in polled] == [("Update event", "Karim")] and heard == polled
    assert project.poll_changes() == []  # once only
    other.close()
    conn = sqlite3.connect(project.path)  # sqlite-utils, Datasette: outside Sijill
    conn.execute("UPDATE events SET title = 'edited by hand' WHERE id = ?", [event.id])
    conn.commit()
    conn.close()
    outside = project.history(event.uid)[0]  # the newest
    assert outside[0].kind == "outside" and outside[1][0].fields()["title"] == ("Strike (corrected)", "edited by hand")
    assert outside[0].at.endswith("Z") and outside[0].at >= project.history(event.uid)[1][0].at


def test_a_write_made_outside_sijill_has_its_time_and_is_listed_where_it_was_made(project):
    """Before: such a write had no time ("—") and was listed last, below the edits made after it."""
    event = project.create_event("Strike", "2024-01-28")
    with project.labelled("Retitle"):
        project.update_event(event.id, title="Strike on Tower 22")
    conn = sqlite3.connect(project.path)  # sqlite-utils, Datasette: outside Sijill
    with conn:
        conn.execute("UPDATE events SET fatalities = 3, location = 'Rukban' WHERE id = ?", [event.id])
    conn.close()
    with project.labelled("Move event"):
        project.update_event(event.id, start="2024-01-27")
    history = project.history(event.uid)
    assert [s.label for s, _ in history] == ["Move event", "Changed outside Sijill", "Retitle", "Create event"]
    outside, changes = history[1]
    assert outside.kind == "outside" and [c.fields() for c in changes] == [
        {"fatalities": (None, 3), "location": (None, "Rukban")}]
    assert history[2][0].at <= outside.at <= history[0][0].at and outside.at.endswith("Z")
    stamp = project.db.execute("SELECT at FROM changes WHERE change_set IS NULL LIMIT 1").fetchone()[0]
    assert len(stamp) == len(history[0][0].at) == len("2026-12-06T21:50:03Z")


def test_a_failing_subscriber_does_not_fail_the_write_nor_silence_the_others(project, caplog):
    """Before: the listener's exception reached the writer after the commit, so a saved write looked failed."""
    heard = []

    def broken(change_set):
        raise ValueError("subscriber bug")
    project.subscribe(broken)
    project.subscribe(heard.append)
    with caplog.at_level("ERROR", logger="sijill.db.store.feed"):
        event = project.create_event("Strike", "2024-01-28")  # returns normally
    assert event.title == "Strike" and len(heard) == 1 and heard[0].label == "Create event"
    assert "subscriber bug" in caplog.text and "Create event" in caplog.text and "saved" in caplog.text
    project.close()
    with Project.open(project.path, read_only=True) as again:
        assert [e.title for e in again.events()] == ["Strike"]


def test_a_read_only_project_records_nothing_and_refuses(project):
    project.create_event("Strike", "2024-01-28")
    project.close()
    with Project.open(project.path, read_only=True) as ro:
        with pytest.raises(ReadOnlyError):
            ro.create_event("Other", "2024-01-29")
        assert len(ro.change_sets()) == 1


def test_the_dated_views_show_iso_dates_beside_the_bounds(project):
    project.create_event("Tower 22 attack", "28 January 2024")
    row = project.db.execute("SELECT title, start_lo, start_from, start_until FROM events_dated").fetchone()
    assert row[0] == "Tower 22 attack" and row[2] == "2024-01-28T00:00:00Z" and row[3] == "2024-01-28T23:59:59Z"
    project.create_source("Report", "text", published="2024-01-29")
    assert project.db.execute("SELECT published_from FROM sources_dated").fetchone()[0] == "2024-01-29T00:00:00Z"


def test_the_analyst_defaults_to_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SIJILL_ANALYST", "Layla")
    with Project.create(tmp_path / "q.sijill") as p:
        p.create_event("Strike", "2024-01-28")
        assert p.change_sets()[0].analyst == "Layla"


def test_records_created_in_one_change_set_are_listed_once_and_a_restored_one_is_recorded(project):
    kh = project.create_group("Kataib Hezbollah")
    heard = _feed(project)
    with project.batch("Import notes", kind="import"):
        first = project.create_event("One", "2024-01-01", groups=[Link(kh.id, "actor")], tags=["drone"])
        project.update_event(first.id, title="One, corrected")  # an edit of a record made in the same set
        project.create_event("Two", "2024-01-02")
    assert heard[-1].counts == {("event", "insert"): 2}  # no separate link, tag or update records
    snapshot = project.delete_event(first.id)
    assert heard[-1].counts == {("event", "delete"): 1}
    project.restore_event(snapshot)  # undoing the delete puts the row back with its old id
    assert ("event", "insert") in heard[-1].counts
    assert [s.label for s, _ in project.history(first.uid)][:2] == ["Restore event", "Delete event"]


def test_an_import_records_what_it_created_and_the_links_it_added_to_existing_records(project):
    kh = project.create_group("Kataib Hezbollah")
    old = project.create_event("Old", "2023-10-18")
    triggers = project.db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").fetchone()[0]
    heard = _feed(project)
    with project.batch("Import file x.csv", kind="import"):
        new = project.create_event("New", "2024-01-01", groups=[Link(kh.id, "actor")])
        project.update_event(old.id, groups=[Link(kh.id, "target")], tags=["drone"])
    changes = {(c.kind, c.uid, c.op, c.field) for c in heard[-1].changes}
    assert changes == {("event", new.uid, "insert", None), ("event", old.uid, "link", "groups"),
                       ("event", old.uid, "link", "tags")}
    assert project.db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").fetchone()[0] == triggers
    with pytest.raises(RuntimeError):  # a failed import leaves the triggers as they were
        with project.batch("Import file y.csv", kind="import"):
            project.create_event("Doomed", "2024-01-02")
            raise RuntimeError("bad row")
    assert project.db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").fetchone()[0] == triggers
    project.create_event("After", "2024-01-03")
    assert heard[-1].counts == {("event", "insert"): 1}


def test_deleting_what_links_point_at_records_the_links_by_name_and_uid(project):
    kh = project.create_group("Kataib Hezbollah")
    event = project.create_event("Strike", "2024-01-28", groups=[Link(kh.id, "actor")], tags=["drone"])
    source = project.create_source("Report", "The drone struck the base at dawn.")
    passage = project.create_annotation(source.id, 4, 9, groups=[kh.id])
    project.add_evidence(event.id, source_id=source.id, annotation_id=passage.id)
    heard = _feed(project)

    project.rename_tag("drone", "UAV")
    assert {(c.op, str(c.before or c.after)) for c in heard[-1].changes} == {
        ("unlink", str({"tag": "drone"})), ("link", str({"tag": "UAV"}))}

    project.delete_source(source.id)  # takes the passage and the evidence with it
    changes = heard[-1].changes
    [gone] = [c for c in changes if c.kind == "annotation"]
    assert gone.op == "delete" and gone.before["source"] == source.uid and gone.before["groups"] == [{"group": kh.uid}]
    [unlinked] = [c for c in changes if c.kind == "event"]
    assert unlinked.op == "unlink" and unlinked.before["source"] == source.uid
    assert unlinked.before["annotation"] == passage.uid
    assert all("null" not in str(c.before) or c.kind == "source" for c in changes)

    project.delete_group(kh.id)
    [unlinked] = [c for c in heard[-1].changes if c.kind == "event"]
    assert unlinked.op == "unlink" and unlinked.before == {"group": kh.uid, "role": "actor"}
    project.delete_tag("UAV")
    assert [(c.op, c.before) for c in heard[-1].changes] == [("unlink", {"tag": "UAV"})]


def test_a_deleted_passage_leaves_its_evidence_on_the_source_in_the_log(project):
    event = project.create_event("Strike", "2024-01-28")
    source = project.create_source("Report", "The drone struck the base at dawn.")
    passage = project.create_annotation(source.id, 4, 9)
    project.add_evidence(event.id, source_id=source.id, annotation_id=passage.id)
    heard = _feed(project)
    project.delete_annotation(passage.id)
    ops = [(c.kind, c.op, (c.before or c.after or {}).get("annotation")) for c in heard[-1].changes]
    assert ("event", "unlink", passage.uid) in ops and ("event", "link", None) in ops
    assert ("annotation", "delete", None) in ops
    assert len(ops) == 3


def test_the_project_s_change_sets_list_writes_made_outside_sijill_where_they_were_made(project):
    event = project.create_event("Strike", "2024-01-28")
    conn = sqlite3.connect(project.path)
    with conn:
        conn.execute("UPDATE events SET fatalities = 3 WHERE id = ?", [event.id])
    conn.close()
    with project.labelled("Move event"):
        project.update_event(event.id, start="2024-01-27")
    listed = project.change_sets(outside=True)
    assert [(s.label, s.kind) for s in listed] == [("Move event", "edit"), ("Changed outside Sijill", "outside"),
                                                   ("Create event", "edit")]
    assert listed[1].counts == {("event", "update"): 1} and listed[1].changes[0].fields() == {"fatalities": (None, 3)}
    assert [s.label for s in project.change_sets(outside=True, kind="outside")] == ["Changed outside Sijill"]
    assert [s.label for s in project.change_sets()] == ["Move event", "Create event"]  # without: as before
    assert project.change_sets(outside=True, since="2999-01-01") == []
