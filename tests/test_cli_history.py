"""`sijill history` on real project files: what each change did, field by field, newest first, filtered
by record, date and analyst; refusals on stderr with exit 1."""
from __future__ import annotations

import json

import pytest

from sijill.db.store.project import Project
from tests.cli_helpers import call, refused


def ok(capsys, *args) -> str:
    code, out, err = call(capsys, *args)
    assert code == 0, err
    assert err == ""
    return out


@pytest.fixture
def edited(tmp_path) -> tuple[str, dict]:
    """A project where alice made an event and a source, then bob moved the event, changed its groups
    and tags and put a group under another."""
    path = str(tmp_path / "p.sijill")
    with Project.create(path) as p:
        p.analyst = "alice"
        pmf = p.create_group("Popular Mobilization Forces")
        kh = p.create_group("Kataib Hezbollah")
        us = p.create_group("United States")
        with p.labelled("New event “Tower 22 attack”"):
            tower = p.create_event("Tower 22 attack", "2024-01-28", groups=[(us.id, "target")], tags=["drone", "x"])
        source = p.create_source("Drone kills three", "A drone struck Tower 22.", published="29 Jan 2024")
        p.analyst = "bob"
        with p.labelled("Move event “Tower 22 attack”"):
            p.update_event(tower.id, start="mid-January 2024", fatalities=3)
        with p.labelled("Edit event “Tower 22 attack”"):
            p.update_event(tower.id, groups=[(us.id, "target"), (kh.id, "actor")], tags=["drone"])
        p.update_group(kh.id, parent=pmf.id)
        p.update_source(source.id, published="January 2024")
        uids = {"tower": tower.uid, "kh": kh.uid, "source": source.uid}
    return path, uids


def test_one_record_newest_first_with_dates_as_written_and_links(edited, capsys):
    path, uids = edited
    out = ok(capsys, "history", path, uids["tower"])
    blocks = out.strip().split("\n\n")
    assert [b.splitlines()[0].split(" · ")[1:3] for b in blocks] == [
        ["bob", "Edit event “Tower 22 attack” [edit]"], ["bob", "Move event “Tower 22 attack” [edit]"],
        ["alice", "New event “Tower 22 attack” [edit]"]]
    with Project.open(path, read_only=True) as p:
        refs = [f"change {cs.uid[:8]}" for cs, _changes in p.history(uids["tower"])]
    assert [b.splitlines()[0].split(" · ")[3] for b in blocks] == refs  # what sijill restore --to takes
    assert blocks[0].splitlines()[1:] == ["  event “Tower 22 attack”", "    + group Kataib Hezbollah (actor)",
                                          "    − tag x"]
    assert "    start: 2024-01-28 → mid-January 2024" in blocks[1]
    assert "    fatalities: — → 3" in blocks[1]
    assert "1706" not in out  # the dates' integer bounds are never shown
    assert blocks[2].splitlines()[1] == "  event “Tower 22 attack”: created"


def test_whole_project_names_the_parent_and_the_published_date(edited, capsys):
    path, _ = edited
    out = ok(capsys, "history", path)
    first, second = out.split("\n\n")[:2]
    assert "source “Drone kills three”\n    published: 29 Jan 2024 → January 2024" in first
    assert "group “Kataib Hezbollah”\n    parent: — → Popular Mobilization Forces" in second
    assert out.count(" · ") // 3 == 9  # one block per change set: 3 groups, event, source, 4 edits


def test_since_takes_any_date_sijill_reads(edited, capsys):
    path, uids = edited
    assert ok(capsys, "history", path, "--since", "2999").strip() == "no recorded changes match"
    assert ok(capsys, "history", path, "--since", "January 2000") == ok(capsys, "history", path)
    assert ok(capsys, "history", path, uids["tower"], "--since", "next year").strip() == "no recorded changes match"


def test_analyst_filter(edited, capsys):
    path, uids = edited
    out = ok(capsys, "history", path, "--analyst", "alice")
    assert out.count("alice · ") == 5 and "bob" not in out
    out = ok(capsys, "history", path, uids["tower"], "--analyst", "bob")
    assert out.count("bob · ") == 2 and "alice" not in out


def test_json_gives_each_field_before_and_after(edited, capsys):
    path, uids = edited
    data = json.loads(ok(capsys, "history", path, uids["tower"], "--json"))
    assert [d["analyst"] for d in data] == ["bob", "bob", "alice"]
    move = data[1]
    assert move["label"] == "Move event “Tower 22 attack”" and move["kind"] == "edit"
    assert move["at"].endswith("Z")
    [record] = move["records"]
    assert record["uid"] == uids["tower"] and record["op"] == "update"
    assert record["fields"]["start"] == {"before": "2024-01-28", "after": "mid-January 2024"}
    assert data[0]["records"][0]["links"] == ["+ group Kataib Hezbollah (actor)", "− tag x"]


def test_an_import_is_summarised_by_its_counts_and_one_record_shown_whole(tmp_path, capsys):
    path = tmp_path / "demo.sijill"
    ok(capsys, "init", path, "--demo")
    out = ok(capsys, "history", path)
    assert len(out.strip().split("\n\n")) == 1
    assert "events: 136 created" in out and "UID shows one record" in out
    with Project.open(path, read_only=True) as p:
        event = next(e for e in p.events() if e.title.startswith("Tower 22"))
    ok(capsys, "event", "edit", path, event.uid, "--start", "27 Jan 2024")
    out = ok(capsys, "history", path, event.uid)
    assert "    start: 2024-01-28 → 27 Jan 2024" in out
    assert out.strip().endswith(f"  event “{event.title}”: created")


def test_unknown_uid_and_unreadable_date_are_refused(edited, capsys):
    path, _ = edited
    refused(capsys, path, "history", path, "no-such-uid", match="no record with uid 'no-such-uid'")
    refused(capsys, path, "history", path, "--since", "the day after never", match="cannot read")


def test_a_period_has_a_history_too(edited, capsys):
    path, _ = edited
    with Project.open(path) as p:
        period_uid = p.create_period("Siege", "2016").uid
    assert "created" in ok(capsys, "history", path, period_uid)
    assert ok(capsys, "history", path, period_uid, "--analyst", "nobody").strip() == "no recorded changes match"


def test_the_commands_writes_are_named_as_the_window_names_them(edited, capsys):
    """A batch the command wrote was labelled from its Python function ('Cmd annotate', 'Cmd event')."""
    path, uids = edited
    annotation = ok(capsys, "annotate", path, uids["source"], "--quote", "drone struck",
                    "--link", uids["tower"]).split()[0]
    ok(capsys, "evidence", "unlink", path, uids["tower"], "--annotation", annotation)
    ok(capsys, "event", "delete", path, uids["tower"])
    with Project.open(path, read_only=True) as p:
        labels = [s.label for s in p.change_sets(limit=3)]
    assert labels == ["Delete event “Tower 22 attack”", "Remove evidence link", "Annotate passage"]
    assert "Cmd" not in ok(capsys, "history", path)
