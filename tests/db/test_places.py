"""The project's own places: stored with aliases in the project file (schema version 8), found by the
gazetteer and in text afterwards, recorded in the change log like every record."""
from __future__ import annotations

import pytest

from sijill.db.store.basics import ProjectError
from sijill.db.geo.gazetteer import geocode
from sijill.db.geo.mentions import PlaceMatcher
from sijill.db.text.mentions import find_mentions
from sijill.db.store.project import Project


def test_a_place_added_is_found_by_its_name_and_aliases_after_reopening(tmp_path):
    path = tmp_path / "p.sijill"
    with Project.create(path) as p:
        p.create_place("Ain al-Asad Air Base", 33.7856, 42.4412, country="Iraq", admin1="Al Anbar",
                       aliases=["Al Asad", "عين الأسد"])
        p.create_place("Tower 22", 33.3219, 38.7556, country="Jordan")
    with Project.open(path, read_only=True) as p:
        places = p.places()
    assert [x.name for x in places] == ["Ain al-Asad Air Base", "Tower 22"]
    for typed in ("Al Asad", "al-Asad", "عين الاسد", "Ain al Asad Air Base"):
        c = geocode(typed, places)[0]
        assert (c.name, c.source, c.lat, c.lon) == ("Ain al-Asad Air Base", "project", 33.7856, 42.4412)
    assert geocode("Tower 22", places)[0].country == "Jordan"


def test_edit_and_delete_by_alias_and_refusals(project: Project):
    project.create_place("Tower 22", 33.3219, 38.7556, aliases=["Tower-22"])
    moved = project.update_place("Tower-22", lat=33.32, aliases=["T22 outpost"])
    assert (moved.lat, moved.aliases) == (33.32, ("T22 outpost",))
    with pytest.raises(ProjectError, match="already exists"):
        project.create_place("Tower 22", 0, 0)
    with pytest.raises(ProjectError, match="outside -90"):
        project.create_place("Nowhere", 91, 0)
    with pytest.raises(ProjectError, match="needs a name"):
        project.create_place("  ", 0, 0)
    project.delete_place("T22 outpost")
    assert project.places() == []
    with pytest.raises(ProjectError, match="no place"):
        project.place("Tower 22")


def test_places_are_recorded_in_the_change_log(project: Project):
    place = project.create_place("Tower 22", 33.3219, 38.7556)
    project.update_place(place.uid, aliases=["Tower-22"], country="Jordan")
    project.delete_place(place.uid)
    changes = [c for _, cs in reversed(project.history(place.uid)) for c in cs]
    assert [(c.op, c.field) for c in changes] == [("insert", None), ("link", "aliases"), ("update", None),
                                                  ("delete", None)]
    assert changes[-1].before["aliases"] == [{"alias": "Tower-22"}]
    assert changes[2].fields() == {"country": (None, "Jordan")}


def test_mentions_find_places_and_resolve_them(project: Project):
    project.create_group("Kataib Hezbollah", aliases=["KH"])
    project.create_place("Tower 22", 33.3219, 38.7556, country="Jordan")
    text = ("Le 28 janvier 2024, une frappe de drone sur la Tower 22. KH a frappé Bagdad et Téhéran a démenti. "
            "Drone attack on Erbil. قصف في بغداد وأربيل.")
    found = find_mentions(text, project.groups(), places=PlaceMatcher(project.places()))
    places = [(m.text, m.place.name, m.place.source) for m in found if m.kind == "place"]
    assert places == [("Tower 22", "Tower 22", "project"), ("Bagdad", "Baghdad", "geonames"),
                      ("Téhéran", "Tehran", "geonames"), ("Erbil", "Erbil", "geonames"),
                      ("بغداد", "Baghdad", "geonames"), ("أربيل", "Erbil", "geonames")]
    assert {m.kind for m in found} == {"group", "date", "place"}
    baghdad = next(m for m in found if m.text == "Bagdad").to_json()
    assert baghdad["kind"] == "place" and baghdad["place"]["lat"] == pytest.approx(33.34, abs=0.01)


def test_ordinary_words_and_people_are_not_places():
    text = ("The tower was hit at the base camp; said police. It will march on. Nothing here is a place. "
            "Defence Secretary Lloyd Austin said Moqtada al-Sadr and Qasem Soleimani met. كيف وأن البيان")
    assert PlaceMatcher().find(text) == []


def test_a_place_after_a_word_of_place_or_at_a_sentence_start_stands():
    text = "Yazidis fled onto Mount Sinjar. Austin is in Texas. Selon Bagdad, rien."
    assert [text[a:b] for a, b, _ in PlaceMatcher().find(text)] == ["Sinjar", "Austin", "Bagdad"]


def test_v8_adds_places_to_a_v7_file_keeping_its_change_log(tmp_path):
    import sqlite3

    from sqlite_utils import Database

    from sijill.db.store import schema

    path = tmp_path / "v7.sijill"
    db = Database(sqlite3.connect(str(path)))
    schema.migrate(db, target=7)
    db.close()
    with Project.open(path, read_only=True) as old:
        assert old.places() == []  # not migrated: no places table, no error
    with Project.open(path) as p:
        assert schema.user_version(p.db) == schema.SCHEMA_VERSION
        group = p.create_group("Kataib Hezbollah")
        place = p.create_place("Tower 22", 33.3219, 38.7556)
        assert [c.op for _, cs in p.history(place.uid) for c in cs] == ["insert"]
        assert [c.op for _, cs in p.history(group.uid) for c in cs] == ["insert"]
