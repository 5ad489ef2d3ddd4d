"""`sijill diff A B` and `sijill merge INTO FROM`: exit codes, text and JSON, run in-process."""
from __future__ import annotations

import json
import shutil

import pytest

from sijill.db.store.project import Project
from tests.cli_helpers import call, dump, refused


@pytest.fixture
def copies(tmp_path):
    base = tmp_path / "base.sijill"
    with Project.create(base) as p:
        kh = p.create_group("Kataib Hezbollah")
        tower = p.create_event("Tower 22 attack", "2024-01-28", groups=[(kh.id, "actor")])
        quiet = p.create_event("Quiet week", "2024-03")
    a, b = tmp_path / "a.sijill", tmp_path / "b.sijill"
    shutil.copy(base, a)
    shutil.copy(base, b)
    return a, b, tower.uid, quiet.uid


def retitle(path, uid, title):
    with Project.open(path) as p:
        p.update_event(p.event_by_uid(uid).id, title=title)


def test_merge_without_conflicts_exits_0_and_again_applies_nothing(copies, capsys):
    a, b, tower, _quiet = copies
    retitle(b, tower, "Drone attack on Tower 22")
    code, out, err = call(capsys, "merge", a, b)
    assert (code, err) == (0, "")
    assert "changed  event Tower 22 attack" in out
    assert "title: “Tower 22 attack” → “Drone attack on Tower 22”" in out
    code, out, _ = call(capsys, "merge", a, b, "--json")
    doc = json.loads(out)
    assert code == 0 and (doc["applied"], doc["changed"], doc["conflicts"]) == (False, [], [])


def test_merge_with_conflicts_exits_3_and_lists_both_values_in_json(copies, capsys):
    a, b, tower, quiet = copies
    retitle(a, tower, "A's title")
    retitle(b, tower, "B's title")
    retitle(b, quiet, "Not so quiet")
    code, out, err = call(capsys, "merge", a, b, "--json", "--analyst", "Rana")
    assert code == 3, err
    doc = json.loads(out)
    assert doc["mode"] == "three-way" and doc["applied"] is True
    assert doc["conflicts"] == [{"kind": "event", "uid": tower, "title": "A's title", "field": "title",
                                 "into": "A's title", "from": "B's title", "reason": "changed on both sides"}]
    assert [(c["uid"], c["from"]) for c in doc["changed"]] == [(quiet, "Not so quiet")]
    with Project.open(a, read_only=True) as p:
        assert p.event_by_uid(tower).title == "A's title"
        [merge] = p.change_sets(kind="merge")
        assert (merge.label, merge.analyst) == ("Merge from b.sijill", "Rana")


def test_dry_run_prints_the_plan_and_writes_nothing(copies, capsys):
    a, b, tower, _quiet = copies
    retitle(b, tower, "B's title")
    before = dump(a)
    code, out, _ = call(capsys, "merge", a, b, "--dry-run")
    assert code == 0 and "would be written" in out and "dry run: nothing was written" in out
    assert dump(a) == before


def test_merge_from_a_file_that_is_not_a_project_fails_naming_it(copies, capsys, tmp_path):
    a, _b, _tower, _quiet = copies
    junk = tmp_path / "junk.sijill"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    refused(capsys, a, "merge", a, junk, match="sijill merge: FROM: ")
    refused(capsys, a, "merge", a, tmp_path / "missing.sijill", match="no such file")


def test_a_project_of_another_lineage_is_imported_two_way(copies, capsys, tmp_path):
    a, _b, _tower, _quiet = copies
    other = tmp_path / "other.sijill"
    with Project.create(other) as p:
        p.create_event("From another project", "2020-01-03")
    code, out, _ = call(capsys, "merge", a, other)
    assert code == 0
    assert "two-way import" in out and "added    event From another project" in out


def test_diff_text_and_json(copies, capsys):
    a, b, tower, _quiet = copies
    retitle(b, tower, "B's title")
    code, out, _ = call(capsys, "diff", a, b)
    assert code == 1  # as diff(1): the files differ
    assert "changed    event B's title" in out and "title: “Tower 22 attack” → “B's title”" in out
    code, out, _ = call(capsys, "diff", a, b, "--json")
    doc = json.loads(out)
    assert code == 1 and doc["same_lineage"] is True
    assert doc["records"] == [{"kind": "event", "uid": tower, "title": "B's title", "status": "changed",
                               "fields": [{"field": "title", "a": "Tower 22 attack", "b": "B's title"}]}]


def test_diff_of_files_holding_the_same_records_exits_0(copies, capsys):
    a, b, _tower, _quiet = copies
    code, out, err = call(capsys, "diff", a, a)
    assert (code, err) == (0, "") and "hold the same records" in out
    code, out, _ = call(capsys, "diff", a, b, "--json")
    assert code == 0 and json.loads(out)["records"] == []


def test_diff_that_cannot_read_a_file_exits_2_naming_it(copies, capsys, tmp_path):
    a, _b, _tower, _quiet = copies
    code, out, err = call(capsys, "diff", a, tmp_path / "missing.sijill")
    assert (code, out) == (2, "")
    assert err.startswith("sijill diff: ") and "missing.sijill" in err and "Traceback" not in err


def test_diff_help_says_what_its_exit_codes_mean(capsys):
    with pytest.raises(SystemExit):
        call(capsys, "diff", "--help")
    out = " ".join(capsys.readouterr().out.split())
    assert "exit 0 when they hold the same records, 1 when they differ, 2 when one cannot be read" in out


def test_links_to_records_the_merge_did_not_touch_are_shown_by_name(copies, capsys):
    a, b, tower, _quiet = copies
    with Project.open(b) as p:
        p.update_event(p.event_by_uid(tower).id, groups=[("Kataib Hezbollah", "target")])
    code, out, _ = call(capsys, "merge", a, b)
    assert code == 0 and "groups: Kataib Hezbollah (actor) → Kataib Hezbollah (target)" in out
