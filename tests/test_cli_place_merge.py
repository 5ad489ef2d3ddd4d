"""`sijill place merge PROJECT FROM INTO` on a real project file; refusals on stderr, the file unchanged."""
from __future__ import annotations

import json

from sijill.db.store.project import Project
from tests.cli_helpers import call, refused


def test_merge_keeps_into_and_its_coordinates(capsys, tmp_path):
    path = str(tmp_path / "p.sijill")
    with Project.create(path) as p:
        p.create_place("Ain al-Asad Air Base", 33.7856, 42.4412, aliases=["Al Asad"])
        p.create_place("Asad Airbase", 33.8, 42.4, aliases=["عين الأسد"])
    code, out, err = call(capsys, "place", "merge", path, "Asad Airbase", "Ain al-Asad Air Base")
    assert (code, err) == (0, "")
    assert out == "merged Asad Airbase into Ain al-Asad Air Base  33.78560, 42.44120  aka Al Asad, Asad Airbase, " \
                  "عين الأسد\n"
    with Project.open(path, read_only=True) as p:
        assert [(x.name, x.lat) for x in p.places()] == [("Ain al-Asad Air Base", 33.7856)]
    refused(capsys, path, "place", "merge", path, "Al Asad", "Ain al-Asad Air Base", match="into itself")
    refused(capsys, path, "place", "merge", path, "Nowhere", "Al Asad", match="no place 'Nowhere'")


def test_merge_json(capsys, tmp_path):
    path = str(tmp_path / "p.sijill")
    with Project.create(path) as p:
        gone = p.create_place("Tower-22", 33.3, 38.7)
        p.create_place("Tower 22", 33.3219, 38.7556)
    code, out, err = call(capsys, "place", "merge", path, "Tower-22", "Tower 22", "--json")
    data = json.loads(out)
    assert data["merged"] == gone.uid
    assert (data["into"]["name"], data["into"]["aliases"]) == ("Tower 22", ["Tower-22"])
