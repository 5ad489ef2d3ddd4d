"""`sijill group …` and `sijill period …` on real files: each sub-command, each refusal, and
nothing changed by a refused command (the whole database compared before and after)."""
from __future__ import annotations

import json

import pytest

from sijill.db.store.project import Project
from sijill.desktop.cli.main import run
from tests.cli_helpers import call, refused


@pytest.fixture
def blank(tmp_path, capsys) -> str:
    path = str(tmp_path / "blank.sijill")
    assert call(capsys, "init", path)[0] == 0
    return path


@pytest.fixture
def built(blank, capsys) -> str:
    """A blank project given a small tree of groups, two events and a period by the command line."""
    for args in (("Popular Mobilization Forces", "--kind", "armed group", "--color", "#1B9E77",
                  "--alias", "al-Hashd al-Shaabi:en", "--alias", "الحشد الشعبي:ar"),
                 ("Kataib Hezbollah", "--parent", "Popular Mobilization Forces", "--alias", "KH"),
                 ("Harakat al-Nujaba", "--parent", "Popular Mobilization Forces", "--kind", "militia"),
                 ("Brigade 45", "--parent", "Kataib Hezbollah"),
                 ("United States", "--kind", "state", "--description", "US forces in Iraq and Syria")):
        code, _out, err = call(capsys, "group", "add", blank, *args)
        assert code == 0, err
    with Project.open(blank) as p:
        kh, nujaba, us = (p.group_by_name(n).id for n in ("Kataib Hezbollah", "Harakat al-Nujaba", "United States"))
        p.create_event("Tower 22 attack", "2024-01-28", groups=[(kh, "actor"), (us, "target"), (nujaba, "mentioned")])
        p.create_event("Nujaba claims drone", "2024-02-02", groups=[(nujaba, "actor")])
    assert call(capsys, "period", "add", blank, "Gaza war", "--from", "7 Oct 2023", "--to", "2025")[0] == 0
    return blank


def test_group_add_and_list_as_a_tree_with_counts(built, capsys):
    code, out, _ = call(capsys, "group", "list", built, "--json")
    rows = json.loads(out)
    assert code == 0
    assert [(r["name"], r["depth"], r["parent"]) for r in rows] == [
        ("Popular Mobilization Forces", 0, None), ("Kataib Hezbollah", 1, "Popular Mobilization Forces"),
        ("Brigade 45", 2, "Kataib Hezbollah"), ("Harakat al-Nujaba", 1, "Popular Mobilization Forces"),
        ("United States", 0, None)]
    pmf = rows[0]
    assert (pmf["kind"], pmf["color"]) == ("armed group", "#1b9e77")
    assert pmf["aliases"] == [{"alias": "al-Hashd al-Shaabi", "lang": "en"},
                              {"alias": "الحشد الشعبي", "lang": "ar"}]
    assert {r["name"]: r["events"] for r in rows}["Harakat al-Nujaba"] == 2
    assert rows[-1]["description"] == "US forces in Iraq and Syria"
    code, out, _ = call(capsys, "group", "list", built)
    assert out.splitlines()[1] == "  Kataib Hezbollah  1 event  aka KH"
    assert out.splitlines()[2].startswith("    Brigade 45  0 events")
    code, out, _ = call(capsys, "group", "add", built, "Saraya al-Salam", "--alias", "Peace Brigades: 313:en", "--json")
    assert json.loads(out)["aliases"] == [{"alias": "Peace Brigades: 313", "lang": "en"}]


def test_group_rename_edit_merge_delete(built, capsys):
    code, out, _ = call(capsys, "group", "rename", built, "Kataib Hezbollah", "Kata'ib Hizballah")
    assert (code, out) == (0, "renamed Kataib Hezbollah to Kata'ib Hizballah\n")
    code, out, _ = call(capsys, "group", "edit", built, "Harakat al-Nujaba", "--top", "--color", "#123ABC",
                        "--alias", "al-Nujaba:en", "--alias", "النجباء:ar", "--kind", "", "--json")
    data = json.loads(out)
    assert (data["parent"], data["color"], data["kind"]) == (None, "#123abc", None)
    assert [a["alias"] for a in data["aliases"]] == ["al-Nujaba", "النجباء"]
    code, out, _ = call(capsys, "group", "edit", built, "Harakat al-Nujaba", "--parent", "Kata'ib Hizballah",
                        "--alias", "al-Nujaba:en", "--json")
    assert json.loads(out)["parent"] == "Kata'ib Hizballah"
    assert [a["alias"] for a in json.loads(out)["aliases"]] == ["al-Nujaba"]     # --alias replaces
    code, out, _ = call(capsys, "group", "merge", built, "Harakat al-Nujaba", "Kata'ib Hizballah", "--json")
    merged = json.loads(out)
    assert code == 0 and merged["name"] == "Kata'ib Hizballah" and merged["events"] == 2
    assert {"alias": "Harakat al-Nujaba", "lang": None} in merged["aliases"]
    with Project.open(built) as p:
        tower = next(e for e in p.events() if e.title == "Tower 22 attack")
        kh = p.group_by_name("Kata'ib Hizballah").id
        assert {l.group_id: l.role for l in tower.groups}[kh] == "actor"      # actor beats mentioned
    code, out, _ = call(capsys, "group", "delete", built, "Kata'ib Hizballah")
    assert out == "deleted Kata'ib Hizballah (2 events lose the tag)\n"
    with Project.open(built) as p:
        assert p.group_by_name("Brigade 45").parent_id == p.group_by_name("Popular Mobilization Forces").id
        assert p.stats().events == 2


def test_group_errors_change_nothing(built, capsys):
    refused(capsys, built, "group", "add", built, "Kataib Hezbollah",
            match="a group named 'Kataib Hezbollah' already exists")
    refused(capsys, built, "group", "add", built, "  ", match="a group needs a name")
    refused(capsys, built, "group", "add", built, "New", "--parent", "Nobody", match="no group named 'Nobody'")
    refused(capsys, built, "group", "add", built, "New", "--color", "green", match="#RRGGBB")
    refused(capsys, built, "group", "add", built, "New", "--color", "#12345", match="#RRGGBB")
    refused(capsys, built, "group", "rename", built, "Kataib Hezbollah", "United States",
            match="a group named 'United States' already exists")
    refused(capsys, built, "group", "rename", built, "Katib Hezbollah", "KH",
            match="no group named 'Katib Hezbollah' (did you mean 'Kataib Hezbollah'?)")
    refused(capsys, built, "group", "edit", built, "Popular Mobilization Forces", "--parent", "Brigade 45",
            match="cannot be placed under 'Brigade 45'")
    refused(capsys, built, "group", "edit", built, "Kataib Hezbollah", "--parent", "Kataib Hezbollah",
            match="cannot be placed inside itself")
    refused(capsys, built, "group", "edit", built, "Kataib Hezbollah", match="nothing to change")
    refused(capsys, built, "group", "edit", built, "Kataib Hezbollah", "--color", "#zzzzzz", match="#RRGGBB")
    refused(capsys, built, "group", "merge", built, "Kataib Hezbollah", "Kataib Hezbollah", match="into itself")
    refused(capsys, built, "group", "merge", built, "Popular Mobilization Forces", "Brigade 45",
            match="'Brigade 45' is part of it")
    refused(capsys, built, "group", "merge", built, "Nobody", "Kataib Hezbollah", match="no group named 'Nobody'")
    refused(capsys, built, "group", "delete", built, "Nobody", match="no group named 'Nobody'")


def test_a_read_only_file_is_refused(built, capsys, tmp_path):
    import os
    import stat

    os.chmod(built, stat.S_IRUSR | stat.S_IRGRP)
    try:
        code, _out, err = call(capsys, "group", "add", built, "New")
        assert code == 1 and "read-only" in err
        assert call(capsys, "group", "list", built)[0] == 0
    finally:
        os.chmod(built, stat.S_IRUSR | stat.S_IWUSR)


def test_period_add_list_edit_delete(built, capsys):
    code, out, _ = call(capsys, "period", "add", built, "ISIS holds Mosul", "--from", "10 June 2014",
                        "--to", "July 2017", "--color", "#AA0000", "--description", "From the fall to the recapture",
                        "--json")
    data = json.loads(out)
    assert (data["from"], data["to"], data["color"]) == ("10 June 2014", "July 2017", "#aa0000")
    code, out, _ = call(capsys, "period", "list", built, "--json")
    assert [p["title"] for p in json.loads(out)] == ["ISIS holds Mosul", "Gaza war"]      # in time order
    code, out, _ = call(capsys, "period", "list", built)
    assert out.splitlines()[0] == "ISIS holds Mosul  10 Jun 2014 – Jul 2017  #aa0000"
    code, out, _ = call(capsys, "period", "edit", built, "ISIS holds Mosul", "--title", "Mosul under ISIS",
                        "--to", "c. 10 July 2017", "--json")
    data = json.loads(out)
    assert (data["title"], data["to"]) == ("Mosul under ISIS", "c. 10 July 2017")
    with Project.open(built) as p:
        period = next(x for x in p.periods() if x.title == "Mosul under ISIS")
        assert period.end.approximate and period.description == "From the fall to the recapture"
    assert call(capsys, "period", "delete", built, "Mosul under ISIS")[1] == "deleted Mosul under ISIS\n"
    assert call(capsys, "stats", built, "--json")[1].count('"periods": 1') == 1


def test_period_errors_change_nothing(built, capsys):
    refused(capsys, built, "period", "add", built, "Backwards", "--from", "2015", "--to", "2014",
            match="the end (2014) is before the start (2015)")
    refused(capsys, built, "period", "add", built, "Gaza war", "--from", "2015", "--to", "2016",
            match="a period titled 'Gaza war' already exists")
    refused(capsys, built, "period", "add", built, "Later", "--from", "blursday", "--to", "2016", match="blursday")
    refused(capsys, built, "period", "add", built, "Later", "--from", "2015", "--to", "2016", "--color", "red",
            match="#RRGGBB")
    refused(capsys, built, "period", "edit", built, "Gaza war", "--to", "2020", match="is before the start")
    refused(capsys, built, "period", "edit", built, "Gaza", "--to", "2026",
            match="no period titled 'Gaza' (did you mean 'Gaza war'?)")
    refused(capsys, built, "period", "edit", built, "Gaza war", match="nothing to change")
    refused(capsys, built, "period", "delete", built, "Nothing", match="no period titled 'Nothing'")
    with pytest.raises(SystemExit) as stop:                  # a malformed command line
        run(["period", "add", built, "No end", "--from", "2015"])
    assert stop.value.code == 2 and "--to" in capsys.readouterr().err


def test_subcommands_reach_the_cli_not_the_window(built):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "sijill.desktop.app", "group", "list", built, "--json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 5
