"""`sijill restore`: the command line's undo, one record at a time, on real project files: back to
before the latest change, to the version after or before a change `sijill history` names, a dry
run, and refusals that change nothing."""
from __future__ import annotations

import json
import re

import pytest

from sijill.db.store.project import Project
from tests.cli_helpers import call, dump, refused


@pytest.fixture
def edited(tmp_path) -> tuple[str, str]:
    """A project where alice made an event, then bob moved it and then retitled it and changed its groups."""
    path = str(tmp_path / "p.sijill")
    with Project.create(path) as p:
        p.analyst = "alice"
        kh = p.create_group("Kataib Hezbollah")
        us = p.create_group("United States")
        tower = p.create_event("Tower 22 attack", "2024-01-28", groups=[(us.id, "target")])
        p.analyst = "bob"
        with p.labelled("Move event “Tower 22 attack”"):
            p.update_event(tower.id, start="mid-January 2024", fatalities=3)
        with p.labelled("Edit event “Tower 22 attack”"):
            p.update_event(tower.id, title="Drone strike on Tower 22", groups=[(us.id, "target"), (kh.id, "actor")])
    return path, tower.uid


def event(path, uid):
    with Project.open(path, read_only=True) as p:
        e = p.event_by_uid(uid)
        return e.title, e.start.text, e.fatalities, sorted(link.role for link in e.groups)


def change_refs(capsys, path, uid) -> list[str]:
    """The change references `sijill history PROJECT UID` prints, newest first."""
    code, out, _ = call(capsys, "history", path, uid)
    assert code == 0
    return re.findall(r"· change ([0-9a-f]{8})$", out, flags=re.M)


def test_without_a_change_it_undoes_the_latest_one_and_again_redoes_it(edited, capsys):
    path, uid = edited
    code, out, err = call(capsys, "restore", path, uid)
    assert (code, err) == (0, "")
    assert out.startswith("Restore “Drone strike on Tower 22” to ")
    assert "    title: Drone strike on Tower 22 → Tower 22 attack" in out
    assert "    − group Kataib Hezbollah (actor)" in out
    assert event(path, uid) == ("Tower 22 attack", "mid-January 2024", 3, ["target"])  # the move is kept
    with Project.open(path, read_only=True) as p:
        [restore] = p.change_sets(kind="restore")
    assert restore.label.startswith("Restore “Drone strike on Tower 22” to ")
    code, _out, _ = call(capsys, "restore", path, uid)  # the restore was the latest change: undone in turn
    assert code == 0 and event(path, uid) == ("Drone strike on Tower 22", "mid-January 2024", 3, ["actor", "target"])


def test_to_and_before_a_change_history_names(edited, capsys):
    path, uid = edited
    edit, move, create = change_refs(capsys, path, uid)
    code, out, _ = call(capsys, "restore", path, uid, "--before", move)
    assert code == 0 and "    start: mid-January 2024 → 2024-01-28" in out
    assert event(path, uid) == ("Tower 22 attack", "2024-01-28", None, ["target"])
    code, out, _ = call(capsys, "restore", path, uid, "--to", edit[:5], "--json")
    doc = json.loads(out)
    assert code == 0 and doc["written"] is True and doc["kind"] == "event"
    assert doc["fields"] == ["fatalities", "groups", "start", "title"]
    assert event(path, uid) == ("Drone strike on Tower 22", "mid-January 2024", 3, ["actor", "target"])
    assert change_refs(capsys, path, uid)[0] == doc["change"][:8]


def test_a_group_goes_back_to_its_old_name(tmp_path, capsys):
    path = tmp_path / "g.sijill"
    with Project.create(path) as p:
        g = p.create_group("Daesh")
    assert call(capsys, "group", "rename", path, "Daesh", "Islamic State")[0] == 0
    code, out, _ = call(capsys, "restore", path, g.uid)
    assert code == 0 and "name: Islamic State → Daesh" in out
    with Project.open(path, read_only=True) as p:
        assert [x.name for x in p.groups()] == ["Daesh"]


def test_dry_run_says_what_would_change_and_writes_nothing(edited, capsys):
    path, uid = edited
    before = dump(path)
    code, out, _ = call(capsys, "restore", path, uid, "--dry-run")
    assert code == 0 and out.startswith("would restore “Drone strike on Tower 22” to ")
    assert out.rstrip().endswith(": groups, title")
    assert dump(path) == before


def test_nothing_to_restore_is_said_and_nothing_written(edited, capsys):
    path, uid = edited
    edit, _move, _create = change_refs(capsys, path, uid)
    before = dump(path)
    code, out, _ = call(capsys, "restore", path, uid, "--to", edit)
    assert code == 0 and "already as it was then: nothing to restore" in out
    assert dump(path) == before


def test_refusals_say_what_and_where_and_change_nothing(edited, capsys, tmp_path):
    path, uid = edited
    _edit, _move, create = change_refs(capsys, path, uid)
    refused(capsys, path, "restore", path, "no-such-uid", match="no record with uid 'no-such-uid'")
    refused(capsys, path, "restore", path, uid, "--to", "ffffffff", match="no change 'ffffffff' in the history")
    refused(capsys, path, "restore", path, uid, "--to", "ab", match="at least 4 characters")
    refused(capsys, path, "restore", path, uid, "--before", create, match="the event did not exist before")
    with Project.open(path) as p:
        p.delete_event(p.event_by_uid(uid).id)
    refused(capsys, path, "restore", path, uid, "--to", create, match="is a deleted record: it comes back as it was")
    code, out, err = call(capsys, "restore", tmp_path / "missing.sijill", uid)
    assert code == 1 and out == "" and "missing.sijill" in err and "Traceback" not in err
