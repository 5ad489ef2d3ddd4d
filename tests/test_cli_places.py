"""`sijill place add|list|edit|delete` and `sijill geocode` on real project files, and the places that
`sijill mentions` finds; refusals on stderr with exit 1, the project unchanged."""
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
def path(tmp_path) -> str:
    p = str(tmp_path / "p.sijill")
    Project.create(p).close()
    return p


def test_geocode_json_gives_candidates_best_first(capsys, path):
    data = json.loads(ok(capsys, "geocode", path, "Bagdad", "--json"))
    assert data["query"] == "Bagdad"
    first = data["candidates"][0]
    assert {k: first[k] for k in ("name", "country", "admin1", "source", "matched")} == {
        "name": "Baghdad", "country": "Iraq", "admin1": "Baghdad", "source": "geonames", "matched": "Bagdad"}
    assert first["lat"] == pytest.approx(33.34, abs=0.01) and first["lon"] == pytest.approx(44.40, abs=0.01)
    assert first["population"] > 5_000_000
    assert json.loads(ok(capsys, "geocode", path, "Téhéran", "--json"))["candidates"][0]["name"] == "Tehran"


def test_geocode_prints_the_kind_a_governorate_before_a_village(capsys, path):
    lines = ok(capsys, "geocode", path, "al-Anbar").splitlines()
    assert lines[0].startswith("Al Anbar (province) — Iraq  ") and "[Natural Earth]" in lines[0]
    assert lines[1].startswith("Ambar (place) — ") and "Turkey" in lines[1]
    first = json.loads(ok(capsys, "geocode", path, "Mosul", "--json"))["candidates"][0]
    assert (first["name"], first["kind"]) == ("Mosul", "place")


def test_geocode_finds_a_country_by_its_french_and_arabic_names(capsys, path):
    lines = ok(capsys, "geocode", path, "Syrie").splitlines()
    assert lines[0].startswith("Syria (country)  35.") and "[Natural Earth]  (as 'Syrie')" in lines[0]
    data = json.loads(ok(capsys, "geocode", path, "الكويت", "--json"))
    assert (data["candidates"][0]["name"], data["candidates"][0]["kind"]) == ("Kuwait", "country")
    with pytest.raises(SystemExit):
        call(capsys, "geocode", "--help")
    assert '"Austin" is Austin, Texas' in " ".join(capsys.readouterr().out.split())  # the ranking, explained


def test_a_place_added_is_geocoded_first_by_its_aliases(capsys, path):
    out = ok(capsys, "place", "add", path, "Ain al-Asad Air Base", "33.7856", "42.4412", "--country", "Iraq",
             "--admin1", "Al Anbar", "--alias", "Al Asad", "--alias", "عين الأسد")
    assert out.startswith("added Ain al-Asad Air Base  33.78560, 42.44120  Al Anbar, Iraq  aka Al Asad, عين الأسد")
    data = json.loads(ok(capsys, "geocode", path, "al-Asad", "--json"))
    assert data["candidates"][0]["name"] == "Ain al-Asad Air Base"
    assert data["candidates"][0]["source"] == "project" and data["candidates"][0]["population"] is None
    assert "[this project]" in ok(capsys, "geocode", path, "عين الاسد").splitlines()[0]
    listed = json.loads(ok(capsys, "place", "list", path, "--json"))
    assert [(p["name"], p["aliases"]) for p in listed] == [("Ain al-Asad Air Base", ["Al Asad", "عين الأسد"])]


def test_edit_and_delete(capsys, path):
    ok(capsys, "place", "add", path, "Tower 22", "33.3", "38.7")
    assert "33.32190, 38.75560  Jordan  aka Tower-22" in ok(
        capsys, "place", "edit", path, "Tower 22", "--lat", "33.3219", "--lon", "38.7556", "--country", "Jordan",
        "--alias", "Tower-22")
    assert ok(capsys, "place", "delete", path, "Tower-22") == "deleted Tower 22\n"
    assert ok(capsys, "place", "list", path) == "no places\n"


def test_refusals_change_nothing(capsys, path):
    ok(capsys, "place", "add", path, "Tower 22", "33.3", "38.7")
    refused(capsys, path, "place", "add", path, "Tower 22", "1", "2", match="already exists")
    refused(capsys, path, "place", "add", path, "Pole", "91", "0", match="latitude 91.0 is outside -90…90")
    refused(capsys, path, "place", "edit", path, "Tower 23", "--lat", "1", match="no place 'Tower 23'")
    refused(capsys, path, "place", "edit", path, "Tower 22", match="nothing to change")
    refused(capsys, path, "place", "delete", path, "Nowhere", match="no place 'Nowhere'")
    refused(capsys, path, "geocode", path, " ", match="give a place name")


def test_an_alias_two_places_share_is_refused_naming_both(capsys, path):
    ok(capsys, "place", "add", path, "Tower 22", "33.3219", "38.7556", "--alias", "T22")
    ok(capsys, "place", "add", path, "Tower 22 annex", "33.3", "38.7", "--alias", "T22")
    refused(capsys, path, "place", "edit", path, "T22", "--lat", "1",
            match="'T22' is an alias of several places (Tower 22, Tower 22 annex)")
    assert "33.32190" in ok(capsys, "place", "edit", path, "Tower 22", "--country", "Jordan")

def test_mentions_leaves_out_people_rivers_and_things_named_like_countries(capsys, path, tmp_path):
    text = tmp_path / "b.txt"
    text.write_text("Jordan Peterson said… Georgia Brown sang. Turkey and stuffing on China plates. The Diyala river "
                    "rose; rockets fell in Diyala province and near the Jordan border. La Jordanie condamne ; قصف في "
                    "ديالى.\n", encoding="utf-8")
    data = json.loads(ok(capsys, "mentions", path, str(text), "--json"))
    assert [(m["text"], m["place"]["kind"], m["place"]["name"]) for m in data if m["kind"] == "place"] == [
        ("Diyala province", "province", "Diyala"), ("Jordan", "country", "Jordan"),
        ("Jordanie", "country", "Jordan"), ("ديالى", "province", "Diyala")]


def test_mentions_lists_places_with_coordinates(capsys, path, tmp_path):
    ok(capsys, "place", "add", path, "Tower 22", "33.3219", "38.7556", "--country", "Jordan")
    text = tmp_path / "a.txt"
    text.write_text("Frappes à Bagdad et Téhéran; drone sur Erbil et Tower 22. قصف في بغداد\n", encoding="utf-8")
    data = json.loads(ok(capsys, "mentions", path, str(text), "--json"))
    places = [(m["text"], m["place"]["name"], m["place"]["source"]) for m in data if m["kind"] == "place"]
    assert places == [("Bagdad", "Baghdad", "geonames"), ("Téhéran", "Tehran", "geonames"),
                      ("Erbil", "Erbil", "geonames"), ("Tower 22", "Tower 22", "project"),
                      ("بغداد", "Baghdad", "geonames")]
    lines = ok(capsys, "mentions", path, str(text)).splitlines()
    assert lines[0].split() == ["10-16", "place", "'Bagdad'", "->", "Baghdad,", "Iraq", "(33.3406,", "44.4009)"]
