"""Countries as gazetteer candidates (kind "country"), from the bundled map's Natural Earth boundaries.

`sijill geocode PROJECT Syria` found nothing: GeoNames' extract lists towns, and the map's provinces cover
only the region. Every country of the map (Natural Earth's 1:50m admin-0, 241 features) becomes a candidate
at a point inside it (`sijill.db.geo.provinces.representative_point`: its main land's centroid when that lies
inside, so Iraq's point is west of Baghdad, not on it), named by GeoNames' name and Natural Earth's, matched
through the ISO code ("Democratic Republic of the Congo" is also Natural Earth's "Dem. Rep. Congo"). The
region's countries, and the others the demo's sources name, also carry the names an analyst reads in English,
French and Arabic sources (`COUNTRY_NAMES`: "Syrie"/"سوريا", "Koweït"/"الكويت", "États-Unis"/"الولايات
المتحدة"); only those are looked for in running text (sijill.db.geo.mentions), the rest are found by
`sijill geocode` and the completers.

Ranking (`Country.rank_population`): a country ranks as if it had the population of its largest town plus
one, so it comes before every town of its own that bears its name, and before the smaller towns elsewhere
that do ("Armenia" is the country, then the Colombian city; "Georgia" the country), but after a larger
city of that name elsewhere ("Salvador", Brazil's city of 2.7 million, before El Salvador, whose key drops
the article "El"). "Kuwait" is both the state and the alternate name of its capital (GeoNames' "Kuwait
City"): the state comes first. In the region's reporting "Kuwait" alone names the country ("a drone was
launched at Kuwait", "US forces in Kuwait"); the capital is written "Kuwait City" (or "مدينة الكويت") and
comes second in the list, one choice away. The same holds for "Djibouti", "Mexico" or "Singapore".
"""
from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from sijill.db.geo.provinces import representative_point

# Natural Earth's name -> (the name shown, ISO 3166 code, the spellings of English, French and Arabic
# sources). Iraq's neighbours and the region first, then the countries the demo's sources name and the
# region's other usual actors. Sources: the countries' names in the English, French and Arabic Wikipedia
# (December 2026) and the forms the demo's sources use.
COUNTRY_NAMES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "Iraq": ("Iraq", "IQ", ("Republic of Iraq", "Irak", "République d'Irak", "العراق", "جمهورية العراق")),
    "Syria": ("Syria", "SY", ("Syrian Arab Republic", "Syrie", "سوريا", "سورية", "الجمهورية العربية السورية")),
    "Iran": ("Iran", "IR", ("Islamic Republic of Iran", "République islamique d'Iran", "إيران", "ايران",
                            "جمهورية إيران الإسلامية")),
    "Turkey": ("Turkey", "TR", ("Türkiye", "Turkiye", "Turquie", "تركيا")),
    "Jordan": ("Jordan", "JO", ("Hashemite Kingdom of Jordan", "Jordanie", "الأردن", "المملكة الأردنية الهاشمية")),
    "Kuwait": ("Kuwait", "KW", ("State of Kuwait", "Koweït", "الكويت", "دولة الكويت")),
    "Saudi Arabia": ("Saudi Arabia", "SA", ("Kingdom of Saudi Arabia", "Arabie saoudite", "السعودية",
                                            "المملكة العربية السعودية")),
    "Lebanon": ("Lebanon", "LB", ("Liban", "لبنان")),
    "Israel": ("Israel", "IL", ("Israël", "إسرائيل", "اسرائيل")),
    "Palestine": ("Palestine", "PS", ("State of Palestine", "Palestinian Territories", "État de Palestine",
                                      "فلسطين", "دولة فلسطين")),
    "Yemen": ("Yemen", "YE", ("Yémen", "اليمن")),
    "United Arab Emirates": ("United Arab Emirates", "AE", ("UAE", "Émirats arabes unis", "الإمارات",
                                                            "الإمارات العربية المتحدة")),
    "Qatar": ("Qatar", "QA", ("قطر",)),
    "Bahrain": ("Bahrain", "BH", ("Bahreïn", "البحرين")),
    "Oman": ("Oman", "OM", ("Sultanate of Oman", "سلطنة عمان")),  # "عمان" alone is also Amman
    "Egypt": ("Egypt", "EG", ("Égypte", "مصر")),
    "Libya": ("Libya", "LY", ("Libye", "ليبيا")),
    "Cyprus": ("Cyprus", "CY", ("Chypre", "قبرص")),
    "Armenia": ("Armenia", "AM", ("Arménie", "أرمينيا")),
    "Azerbaijan": ("Azerbaijan", "AZ", ("Azerbaïdjan", "أذربيجان")),
    "Georgia": ("Georgia", "GE", ("Géorgie", "جورجيا")),
    "Afghanistan": ("Afghanistan", "AF", ("أفغانستان",)),
    "Pakistan": ("Pakistan", "PK", ("باكستان",)),
    "United States of America": ("United States", "US", (
        "United States of America", "USA", "U.S.A.", "US", "U.S.", "America", "États-Unis", "Etats-Unis",
        "États-Unis d'Amérique", "الولايات المتحدة", "الولايات المتحدة الأمريكية", "أمريكا", "أميركا")),
    "United Kingdom": ("United Kingdom", "GB", ("UK", "U.K.", "Britain", "Great Britain", "Royaume-Uni",
                                                "Grande-Bretagne", "المملكة المتحدة", "بريطانيا")),
    "France": ("France", "FR", ("فرنسا",)),
    "Germany": ("Germany", "DE", ("Allemagne", "ألمانيا")),
    "Russia": ("Russia", "RU", ("Russian Federation", "Russie", "روسيا")),
    "China": ("China", "CN", ("People's Republic of China", "Chine", "الصين")),
}
# Natural Earth's names GeoNames spells otherwise (the rest share GeoNames' name, or are territories
# GeoNames gives no code of its own: "N. Cyprus", "Somaliland").
ISO_CODES = {"Netherlands": "NL", "Macedonia": "MK", "Dem. Rep. Congo": "CD", "Congo": "CG", "Côte d'Ivoire": "CI",
             "Dominican Rep.": "DO", "Central African Rep.": "CF", "Bosnia and Herz.": "BA", "S. Sudan": "SS",
             "eSwatini": "SZ", "Timor-Leste": "TL", "Eq. Guinea": "GQ", "W. Sahara": "EH",
             "São Tomé and Principe": "ST", "Antigua and Barb.": "AG", "St. Kitts and Nevis": "KN",
             "St. Vin. and Gren.": "VC", "Solomon Is.": "SB", "Marshall Is.": "MH"}


@dataclass(frozen=True)
class Country:
    """One country as the gazetteer indexes it; every one of its names ranks high (`names` are all strong)."""

    name: str
    code: str  # ISO 3166 alpha-2, "" for a territory GeoNames has no code for
    lat: float
    lon: float
    names: tuple[str, ...]  # every spelling, the shown name first
    rank_population: int


def _wrap(lon: float) -> float:
    """A longitude in [-180, 180] (Natural Earth's Russia and Fiji run past the antimeridian)."""
    return (lon + 180.0) % 360.0 - 180.0


def _without_seam_rings(feature):
    """The feature without rings that run round the world (Fiji's data has one from -180 to 180, a seam of the
    antimeridian cut, whose centroid lies in the Atlantic); Antarctica, all such rings, keeps its own."""
    rings = tuple(r for r in feature.rings if np.ptp(r[:, 0]) <= 180) or feature.rings
    return SimpleNamespace(rings=rings)


def countries(boundaries, geonames_names: dict[str, str], codes: np.ndarray,
              population: np.ndarray) -> list[Country]:
    """Every named country of `boundaries` (map_data.Boundaries); `geonames_names` is GeoNames' ISO code -> name,
    `codes` and `population` the gazetteer's towns' country codes and populations (for each one's largest)."""
    by_name = {name: code for code, name in geonames_names.items()}
    largest: dict[str, int] = {}
    for code in np.unique(codes):
        largest[str(code)] = int(population[codes == code].max())
    out = []
    for f in (f for f in boundaries.countries if f.name):
        shown, code, extra = COUNTRY_NAMES.get(f.name, ("", "", ()))
        code = code or ISO_CODES.get(f.name) or by_name.get(f.name, "")
        shown = shown or geonames_names.get(code) or f.name  # GeoNames' "Ivory Coast", not "Côte d'Ivoire"
        names = [shown, f.name, geonames_names.get(code, ""), *extra]
        x, y = representative_point(_without_seam_rings(f))
        out.append(Country(shown, code, round(y, 5), round(_wrap(x), 5), tuple(dict.fromkeys(n for n in names if n)),
                           largest.get(code, 0) + 1))
    return out
