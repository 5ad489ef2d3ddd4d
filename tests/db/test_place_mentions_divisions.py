"""Provinces and countries among the places a text names (`sijill mentions`, the reader): a realistic paragraph
in English, French and Arabic, each place found exactly once, with its kind and coordinates, and nothing else
taken for one ("Iran-backed", "Saudi forces", a division named like its capital, "Jordan Peterson", "China plates",
"The Diyala river")."""
from __future__ import annotations

import pytest

from sijill.db.geo.mentions import PlaceMatcher
from sijill.db.store.project import Project
from sijill.db.text.mentions import find_mentions

ENGLISH = ("On 28 January 2024 a drone launched by Iran-backed militias struck Tower 22 in Jordan, near the border "
           "with Syria. Days earlier, rockets hit Ain al-Asad in Anbar province, and Kataib Hezbollah fighters "
           "moved from Diyala toward Kirkuk. US-led coalition aircraft struck targets in Deir ez-Zor province. "
           "Defense Secretary Lloyd Austin said the United States would respond; officials in Kuwait agreed.")
FRENCH = ("Le 2 février 2024, les États-Unis ont frappé des cibles en Irak et en Syrie, notamment dans la province "
          "d'Anbar. Selon Téhéran, l'Iran n'était pas impliqué. Le gouvernorat de Ninive et Bagdad sont restés "
          "calmes ; la Jordanie a condamné l'attaque.")
ARABIC = ("شنت الولايات المتحدة غارات على مواقع في العراق وسوريا، في محافظة الأنبار. وقالت القوات السعودية إن "
          "الحدود آمنة، فيما أدانت الكويت الهجوم. وفي ديالى سقطت صواريخ، وأعلنت إيران أنها غير مسؤولة. وسافر "
          "الوزير إلى السعودية.")


@pytest.fixture
def places(project: Project):
    project.create_place("Tower 22", 33.3219, 38.7556, country="Jordan")
    project.create_place("Ain al-Asad Air Base", 33.7856, 42.4412, country="Iraq", aliases=["Ain al-Asad"])
    return project


def found(project: Project, text: str) -> list[tuple[str, str, str]]:
    mentions = find_mentions(text, project.groups(), places=PlaceMatcher(project.places()))
    return [(m.text, m.place.kind, m.place.name) for m in mentions if m.kind == "place"]


def test_an_english_paragraph(places):
    assert found(places, ENGLISH) == [
        ("Tower 22", "place", "Tower 22"), ("Jordan", "country", "Jordan"), ("Syria", "country", "Syria"),
        ("Ain al-Asad", "place", "Ain al-Asad Air Base"), ("Anbar province", "province", "Al Anbar"),
        ("Diyala", "province", "Diyala"), ("Kirkuk", "place", "Kirkuk"),  # the city: it is not said to be the province
        ("Deir ez-Zor province", "province", "Dayr Az Zawr"), ("United States", "country", "United States"),
        ("Kuwait", "country", "Kuwait")]  # not "Iran" of Iran-backed, "US" of US-led, nor Lloyd Austin's Texas


def test_a_french_paragraph(places):
    assert found(places, FRENCH) == [
        ("États-Unis", "country", "United States"), ("Irak", "country", "Iraq"), ("Syrie", "country", "Syria"),
        ("province d'Anbar", "province", "Al Anbar"), ("Téhéran", "place", "Tehran"), ("Iran", "country", "Iran"),
        ("gouvernorat de Ninive", "province", "Nineveh"), ("Bagdad", "place", "Baghdad"),
        ("Jordanie", "country", "Jordan")]


def test_an_arabic_paragraph(places):
    assert found(places, ARABIC) == [
        ("الولايات المتحدة", "country", "United States"), ("العراق", "country", "Iraq"), ("سوريا", "country", "Syria"),
        ("محافظة الأنبار", "province", "Al Anbar"), ("الكويت", "country", "Kuwait"), ("ديالى", "province", "Diyala"),
        ("إيران", "country", "Iran"), ("السعودية", "country", "Saudi Arabia")]  # "القوات السعودية" is Saudi forces


def test_provinces_and_countries_carry_a_point_inside_them(places):
    from sijill.db.geo.map_data import load_boundaries

    boundaries = load_boundaries()
    mentions = PlaceMatcher(places.places()).find("Anbar province, Syria and الكويت")
    anbar, syria, kuwait = (c for _a, _b, c in mentions)
    assert boundaries.admin1_at(anbar.lon, anbar.lat).name == "Al-Anbar"
    assert boundaries.country_at(syria.lon, syria.lat).name == "Syria"
    assert boundaries.country_at(kuwait.lon, kuwait.lat).name == "Kuwait"


@pytest.mark.parametrize("text, expected", [
    ("Basra governorate", ("Basra governorate", "province")), ("Basra", ("Basra", "place")),
    ("province of Idlib", ("province of Idlib", "province")), ("Idlib", ("Idlib", "place")),
    ("Fars province", ("Fars province", "province")), ("the Fars news agency", None),
    ("the fars", None), ("Emir Tamim bin Hamad", None), ("Tamim bin Hamad said", None)])
def test_a_province_named_like_a_town_or_a_word_only_when_the_text_says_so(text, expected):
    got = [(text[a:b], c.kind) for a, b, c in PlaceMatcher().find(text)]
    assert got == ([expected] if expected else [])


def test_a_country_in_a_compound_or_as_an_arabic_adjective_is_no_place():
    text = "Iran-backed groups and US-led forces; القوات السعودية والحكومة السورية؛ Syria-Iraq border"
    assert [text[a:b] for a, b, _c in PlaceMatcher().find(text)] == ["Syria", "Iraq"]


def names(text: str) -> list[tuple[str, str, str]]:
    return [(text[a:b], c.kind, c.name) for a, b, c in PlaceMatcher().find(text)]


@pytest.mark.parametrize("text", [
    "Jordan Peterson said…", "Georgia Brown", "Israel Katz said", "Turkey and stuffing", "Turkey with gravy",
    "China plates", "The Diyala river", "the river Jordan", "Jordan Valley", "a turkey dinner on fine china",
    "Chad Johnson"])
def test_a_person_a_river_or_a_thing_named_like_a_country_or_a_province_is_no_place(text):
    # a person's first name before a surname, the river of that name, the dish and the porcelain; lower-case
    # "turkey" and "china" never count; Chad is not looked for in running text (outside the region's list)
    assert names(text) == []


@pytest.mark.parametrize("text, expected", [
    ("Jordan said on Thursday it had shot down drones over Jordan Thursday.",
     [("Jordan", "country", "Jordan"), ("Jordan", "country", "Jordan")]),
    ("Israel Defense Forces struck Lebanon.", [("Israel", "country", "Israel"), ("Lebanon", "country", "Lebanon")]),
    ("China and Russia vetoed it; Turkey and Iran abstained.",
     [("China", "country", "China"), ("Russia", "country", "Russia"), ("Turkey", "country", "Turkey"),
      ("Iran", "country", "Iran")]),
    ("Rockets fell in Diyala.", [("Diyala", "province", "Diyala")]),
    ("The Diyala province is calm.", [("Diyala province", "province", "Diyala")]),
    ("La Turquie a frappé des cibles dans la province de Diyala, près de la rivière Diyala ; la Jordanie a "
     "condamné.", [("Turquie", "country", "Turkey"), ("province de Diyala", "province", "Diyala"),
                   ("Jordanie", "country", "Jordan")]),
    ("سقطت صواريخ في ديالى قرب نهر ديالى، وأدانت تركيا والأردن الهجوم.",
     [("ديالى", "province", "Diyala"), ("تركيا", "country", "Turkey"), ("الأردن", "country", "Jordan")]),
])
def test_the_country_or_the_province_is_still_found_beside_those_rules(text, expected):
    # the river of "rivière Diyala" and "نهر ديالى" is no place, the province and the countries beside it are
    assert names(text) == expected
