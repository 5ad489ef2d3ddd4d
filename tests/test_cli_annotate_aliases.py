"""`sijill annotate --group/--tag` (a passage created with its groups and tags, a group named by its
name or an alias) and `sijill group edit --add-alias/--remove-alias` (one alias at a time), on real
files; each refusal on stderr with exit 1 and the whole database unchanged."""
from __future__ import annotations

import json

import pytest

from sijill.db.store.project import Project
from tests.cli_helpers import call, refused


def ok(capsys, *args: str) -> str:
    code, out, err = call(capsys, *args)
    assert code == 0, err
    assert err == ""
    return out


@pytest.fixture
def built(tmp_path) -> tuple[str, str]:
    """ISIS (aka Daesh, Daech) and Kataib Hezbollah (aka KH), and a source naming both."""
    path = str(tmp_path / "p.sijill")
    with Project.create(path) as p:
        p.create_group("ISIS", aliases=[("Daesh", "en"), ("Daech", "fr")])
        p.create_group("Kataib Hezbollah", aliases=[("KH", "en")])
        source = p.create_source("Clashes near Hit", "Daesh fighters attacked Hit; KH units moved in.")
    return path, source.uid


def aliases(path, name: str) -> list[tuple[str, str | None]]:
    with Project.open(path, read_only=True) as p:
        return [(a.alias, a.lang) for a in p.group_by_name(name).aliases]


def test_annotate_sets_groups_by_name_or_alias_and_tags(built, capsys):
    path, source = built
    uid = ok(capsys, "annotate", path, source, "--quote", "Daesh fighters attacked Hit", "--group", "daesh",
             "--group", "Kataib Hezbollah", "--group", "ISIS", "--tag", "attack, Hit", "--tag", "ground").split()[0]
    with Project.open(path, read_only=True) as p:
        a = p.annotation_by_uid(uid)
        assert sorted(p.group(g).name for g in a.group_ids) == ["ISIS", "Kataib Hezbollah"]
        assert sorted(a.tags) == ["Hit", "attack", "ground"]
    rows = json.loads(ok(capsys, "annotation", "list", path, "--json"))
    assert [(r["quote"], sorted(r["groups"])) for r in rows] == [("Daesh fighters attacked Hit",
                                                                  ["ISIS", "Kataib Hezbollah"])]


def test_annotate_with_an_unknown_group_writes_nothing(built, capsys):
    path, source = built
    refused(capsys, path, "annotate", path, source, "--quote", "KH units", "--group", "KH", "--group", "Nujaba",
            "--tag", "reinforcement", match="sijill annotate: no group named 'Nujaba'")


def test_group_edit_adds_and_removes_one_alias_keeping_the_others(built, capsys):
    path, _source = built
    ok(capsys, "group", "edit", path, "ISIS", "--add-alias", "داعش:ar", "--remove-alias", "daech")
    assert aliases(path, "ISIS") == [("Daesh", "en"), ("داعش", "ar")]
    ok(capsys, "group", "edit", path, "Daesh", "--add-alias", "Islamic State", "--add-alias", "Daesh:fr")
    assert aliases(path, "ISIS") == [("داعش", "ar"), ("Islamic State", None), ("Daesh", "fr")]
    ok(capsys, "group", "edit", path, "ISIS", "--alias", "IS")  # --alias still replaces them all
    assert aliases(path, "ISIS") == [("IS", None)]
    assert aliases(path, "Kataib Hezbollah") == [("KH", "en")]


def test_group_edit_refuses_an_alias_it_does_not_have(built, capsys):
    path, _source = built
    refused(capsys, path, "group", "edit", path, "ISIS", "--add-alias", "IS", "--remove-alias", "KH",
            match="ISIS has no alias 'KH' (its aliases: Daesh, Daech)")
    refused(capsys, path, "group", "edit", path, "ISIS", "--alias", "IS", "--add-alias", "Daesh",
            match="--alias replaces every alias")
