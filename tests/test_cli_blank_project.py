"""A project built from nothing with the command line alone, as a script would: groups with a
hierarchy and aliases, a period, events in those lanes, a merge, then the lists and an export read
back. Every step is a separate `sijill` call on the same file."""
from __future__ import annotations

import csv
import json

from sijill.desktop.cli.main import run


def sijill(capsys, *args) -> dict | list | str:
    code = run([str(a) for a in args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out) if "--json" in args else out.strip()


def test_a_blank_project_built_by_the_command_line(tmp_path, capsys):
    p = tmp_path / "mine.sijill"
    sijill(capsys, "init", p, "--title", "Hashd watch")
    sijill(capsys, "group", "add", p, "Popular Mobilization Forces", "--alias", "al-Hashd al-Shaabi:en",
           "--alias", "الحشد الشعبي:ar", "--color", "#1B9E77")
    sijill(capsys, "group", "add", p, "Kataib Hezbollah", "--parent", "Popular Mobilization Forces", "--alias", "KH")
    sijill(capsys, "group", "add", p, "Kata'ib Hizballah", "--parent", "Popular Mobilization Forces")
    sijill(capsys, "group", "add", p, "United States", "--kind", "state")
    sijill(capsys, "period", "add", p, "Campaign against US forces", "--from", "2023-10-17", "--to", "2024-02")
    tower = sijill(capsys, "event", "add", p, "Tower 22 drone attack", "--start", "2024-01-28",
                   "--group", "Kata'ib Hizballah:actor", "--group", "United States:target", "--fatalities", "3",
                   "--tag", "drone")
    strikes = sijill(capsys, "event", "add", p, "US strikes 85 targets", "--start", "2 February 2024",
                     "--group", "United States", "--group", "Kataib Hezbollah:target", "--key-event")
    sijill(capsys, "group", "merge", p, "Kata'ib Hizballah", "Kataib Hezbollah")

    groups = {g["name"]: g for g in sijill(capsys, "group", "list", p, "--json")}
    assert set(groups) == {"Popular Mobilization Forces", "Kataib Hezbollah", "United States"}
    assert groups["Kataib Hezbollah"]["parent"] == "Popular Mobilization Forces"
    assert groups["Kataib Hezbollah"]["events"] == 2
    kh_aliases = {a["alias"] if isinstance(a, dict) else a for a in groups["Kataib Hezbollah"]["aliases"]}
    assert {"KH", "Kata'ib Hizballah"} <= kh_aliases          # the merged name kept as an alias

    shown = sijill(capsys, "event", "show", p, tower, "--json")
    assert {g["name"]: g["role"] for g in shown["groups"]} == {"Kataib Hezbollah": "actor", "United States": "target"}
    assert (shown["fatalities"], shown["tags"]) == (3, ["drone"])
    assert sijill(capsys, "event", "show", p, strikes, "--json")["key_event"] is True

    listed = sijill(capsys, "event", "list", p, "--group", "Popular Mobilization Forces", "--json")
    assert [e["uid"] for e in listed] == [tower, strikes]      # the sub-group's events, by date

    out = tmp_path / "mine.csv"
    sijill(capsys, "export", p, out, "--format", "csv", "--from", "2024-02")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert (row["uid"], row["actor"], row["target"]) == (strikes, "United States", "Kataib Hezbollah")
    assert [x["title"] for x in sijill(capsys, "period", "list", p, "--json")] == ["Campaign against US forces"]
