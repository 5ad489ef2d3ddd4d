"""`sijill group edit NAME --before|--after SIBLING`: the lane order from a script, as dragging a lane
header to a sibling's edge sets it, on real project files."""
from __future__ import annotations

import json

import pytest

from sijill.db.store.project import Project
from tests.cli_helpers import call, refused


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "p.sijill"
    with Project.create(path) as p:
        pmf = p.create_group("Popular Mobilization Forces")
        for name in ("Kataib Hezbollah", "Asaib Ahl al-Haq", "Badr Organization"):
            p.create_group(name, parent=pmf.id)
        p.create_group("United States")
    return path


def lanes(capsys, path) -> list[str]:
    """The lanes as `group list` orders them, a sub-group indented under its parent."""
    code, out, _ = call(capsys, "group", "list", path, "--json")
    assert code == 0
    return ["  " * row["depth"] + row["name"] for row in json.loads(out)]


def test_before_and_after_a_sibling(path, capsys):
    assert call(capsys, "group", "edit", path, "Badr Organization", "--before", "Kataib Hezbollah")[0] == 0
    assert lanes(capsys, path) == ["Popular Mobilization Forces", "  Badr Organization", "  Kataib Hezbollah",
                                   "  Asaib Ahl al-Haq", "United States"]
    assert call(capsys, "group", "edit", path, "Popular Mobilization Forces", "--after", "United States")[0] == 0
    assert lanes(capsys, path) == ["United States", "Popular Mobilization Forces", "  Badr Organization",
                                   "  Kataib Hezbollah", "  Asaib Ahl al-Haq"]
    with Project.open(path, read_only=True) as p:
        assert p.change_sets()[0].label == "Move lane “Popular Mobilization Forces”"


def test_lanes_are_ordered_among_siblings_only(path, capsys):
    refused(capsys, path, "group", "edit", path, "Badr Organization", "--before", "United States",
            match="Badr Organization and United States are not under the same group")
    refused(capsys, path, "group", "edit", path, "Badr Organization", "--after", "Badr Organization",
            match="cannot be put beside itself")
    refused(capsys, path, "group", "edit", path, "Badr Organization", "--after", "Nobody", match="Nobody")
