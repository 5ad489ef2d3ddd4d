"""Merging two of the project's places, putting a deleted one back, and how many events name each place:
checked against the project file opened again."""
from __future__ import annotations

import pytest

from sijill.db.store.basics import ProjectError
from sijill.db.store.project import Project


def file_places(path) -> list[tuple]:
    with Project.open(path, read_only=True) as p:
        return [(x.id, x.uid, x.name, x.lat, x.lon, x.country, x.aliases) for x in p.places()]


def test_merge_keeps_into_with_the_other_names_as_aliases_and_unmerge_puts_both_back(project: Project):
    base = project.create_place("Ain al-Asad Air Base", 33.7856, 42.4412, country="Iraq", aliases=["Al Asad"])
    other = project.create_place("Al Asad Airbase", 33.79, 42.44, aliases=["عين الأسد", "Al Asad"])
    before = file_places(project.path)
    record = project.merge_places("Al Asad Airbase", base.uid)
    assert file_places(project.path) == [(base.id, base.uid, "Ain al-Asad Air Base", 33.7856, 42.4412, "Iraq",
                                          ("Al Asad", "Al Asad Airbase", "عين الأسد"))]
    assert project.place("Al Asad Airbase").id == base.id  # the old name now finds the place kept
    project.unmerge_places(record)
    assert file_places(project.path) == before
    assert project.place(other.uid).aliases == ("عين الأسد", "Al Asad")


def test_merge_refusals_change_nothing(project: Project):
    project.create_place("Tower 22", 33.3219, 38.7556)
    before = file_places(project.path)
    with pytest.raises(ProjectError, match="into itself"):
        project.merge_places("Tower 22", "Tower 22")
    with pytest.raises(ProjectError, match="no place 'Nowhere'"):
        project.merge_places("Nowhere", "Tower 22")
    assert file_places(project.path) == before


def test_a_deleted_place_comes_back_with_its_id_uid_and_aliases(project: Project):
    place = project.create_place("Tower 22", 33.3219, 38.7556, country="Jordan", aliases=["Tower-22", "T22"])
    before = file_places(project.path)
    gone = project.delete_place(place.id)
    project.restore_place(gone)
    assert file_places(project.path) == before
    with pytest.raises(ProjectError, match="is in use"):
        project.restore_place(gone)


def test_usage_counts_the_events_written_with_any_spelling_of_a_place(project: Project):
    base = project.create_place("Ain al-Asad Air Base", 33.7856, 42.4412, aliases=["Al Asad"])
    tower = project.create_place("Tower 22", 33.3219, 38.7556)
    for location in ("Ain al-Asad Air Base", "al-Asad", "Al Asad", "Baghdad", None):
        project.create_event("Strike", "2024-01-20", location=location)
    assert project.place_usage() == {base.id: 3, tower.id: 0}
