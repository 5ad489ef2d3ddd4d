"""The project's own places: sites GeoNames does not list ("Ain al-Asad Air Base", "Tower 22"), with aliases.

Part of Project (see sijill.db.store.project.Project), stored in `places` and `place_aliases` (schema
version 8). A place has a uid (the change log and merges know it by it), a unique name, coordinates,
and optionally a country, a first-level division and a description; its aliases are other spellings
("Al Asad", "عين الأسد"), matched
as the gazetteer matches names (`sijill.db.geo.gazetteer.place_key`). The gazetteer's `search` and the
place mentions put a project's places before GeoNames' entries.

Merging two places keeps one: the other's name and aliases become its aliases (so text and the gazetteer
that named either still find it) and the other is deleted; `unmerge_places` and `restore_place` put a
place back with its own id and uid, for undo. Events keep their own location text and coordinates:
`place_usage` counts the events whose location is one of a place's spellings.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from sijill.db.store.basics import ProjectError, new_uid
from sijill.db.geo.gazetteer import place_key
from sijill.db.text.rules import check_fields

FIELDS = ("name", "lat", "lon", "country", "admin1", "description", "aliases")


@dataclass(frozen=True)
class Place:
    """One of the project's places."""

    id: int
    uid: str
    name: str
    lat: float
    lon: float
    country: str | None = None
    admin1: str | None = None
    description: str | None = None
    aliases: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"uid": self.uid, "name": self.name, "lat": self.lat, "lon": self.lon, "country": self.country,
                "admin1": self.admin1, "description": self.description, "aliases": list(self.aliases)}


def check_coordinates(lat, lon) -> tuple[float, float]:
    """Latitude and longitude as floats, refused outside [-90, 90] and [-180, 180]."""
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError) as exc:
        raise ProjectError(f"coordinates must be numbers (latitude {lat!r}, longitude {lon!r})") from exc
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        raise ProjectError(f"latitude {lat} is outside -90…90")
    if not (math.isfinite(lon) and -180 <= lon <= 180):
        raise ProjectError(f"longitude {lon} is outside -180…180")
    return lat, lon


def _clean_aliases(aliases: Iterable[str], name: str) -> list[str]:
    out: list[str] = []
    for a in aliases:
        a = " ".join((a or "").split())
        if a and a != name and a not in out:
            out.append(a)
    return out


class PlacesMixin:
    """Methods of Project for the project's own places."""

    def _has_places(self) -> bool:
        """False for a file of schema version 7 or older opened read-only (not migrated): it has no places."""
        return bool(self.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'places'")
                    .fetchone())

    def places(self) -> list[Place]:
        """Every place of the project, by name."""
        if not self._has_places():
            return []
        aliases: dict[int, list[str]] = {}
        for pid, alias in self.db.execute("SELECT place_id, alias FROM place_aliases ORDER BY id"):
            aliases.setdefault(pid, []).append(alias)
        rows = self.db.execute("SELECT id, uid, name, lat, lon, country, admin1, description FROM places "
                               "ORDER BY name COLLATE NOCASE, name").fetchall()
        return [Place(*r, aliases=tuple(aliases.get(r[0], ()))) for r in rows]

    def place(self, ref: int | str) -> Place:
        """A place by id, uid or name (or one of its aliases, when that names a single place)."""
        if self._has_places():
            if isinstance(ref, int):
                row = self.db.execute("SELECT id FROM places WHERE id = ?", [ref]).fetchone()
            else:
                row = (self.db.execute("SELECT id FROM places WHERE uid = ? OR name = ?", [ref, ref]).fetchone()
                       or self._place_by_alias(ref))
            if row:
                return next(p for p in self.places() if p.id == row[0])
        raise ProjectError(f"no place {ref!r}" + ("" if isinstance(ref, int) else " (sijill place list shows them)"))

    def _place_by_alias(self, alias: str):
        """The place an alias names; an alias several places share is refused naming them (it
        was answered "no place", as if none had it)."""
        rows = self.db.execute("SELECT DISTINCT p.id, p.name FROM place_aliases a JOIN places p ON p.id = a.place_id "
                               "WHERE a.alias = ? ORDER BY p.name", [alias]).fetchall()
        if len(rows) > 1:
            raise ProjectError(f"{alias!r} is an alias of several places ({', '.join(name for _id, name in rows)}): "
                               "name the place by its name or uid")
        return rows[0] if rows else None

    def create_place(self, name: str, lat: float, lon: float, *, country: str | None = None,
                     admin1: str | None = None, description: str | None = None, aliases: Iterable[str] = (),
                     uid: str | None = None) -> Place:
        """Add a place; its name must be new to the project."""
        name = " ".join((name or "").split())
        if not name:
            raise ProjectError("a place needs a name")
        lat, lon = check_coordinates(lat, lon)
        aliases = _clean_aliases(aliases, name)
        check_fields({"name": name, "country": country, "admin1": admin1, "description": description,
                      "aliases": aliases}, ProjectError)
        with self._write() as db:
            if db.execute("SELECT 1 FROM places WHERE name = ?", [name]).fetchone():
                raise ProjectError(f"a place named {name!r} already exists")
            cur = db.execute("INSERT INTO places (uid, name, lat, lon, country, admin1, description) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)", [uid or new_uid(), name, lat, lon, country or None,
                                                              admin1 or None, description or None])
            self._set_place_aliases(cur.lastrowid, aliases)
        return self.place(cur.lastrowid)

    def update_place(self, ref: int | str, **fields) -> Place:
        """Change some of a place's fields (FIELDS); `aliases` replaces the whole list."""
        unknown = set(fields) - set(FIELDS)
        if unknown:
            raise ProjectError(f"unknown place field(s): {', '.join(sorted(unknown))}")
        place = self.place(ref)
        if "name" in fields:
            fields["name"] = " ".join((fields["name"] or "").split())
            if not fields["name"]:
                raise ProjectError("a place needs a name")
        if "lat" in fields or "lon" in fields:
            fields["lat"], fields["lon"] = check_coordinates(fields.get("lat", place.lat), fields.get("lon", place.lon))
        if "aliases" in fields:
            fields["aliases"] = _clean_aliases(fields["aliases"] or (), fields.get("name", place.name))
        check_fields({k: v for k, v in fields.items() if k not in ("lat", "lon")}, ProjectError)
        with self._write() as db:
            if "aliases" in fields:
                db.execute("DELETE FROM place_aliases WHERE place_id = ?", [place.id])
                self._set_place_aliases(place.id, fields.pop("aliases"))
            if "name" in fields and db.execute("SELECT 1 FROM places WHERE name = ? AND id != ?",
                                               [fields["name"], place.id]).fetchone():
                raise ProjectError(f"a place named {fields['name']!r} already exists")
            for key, value in fields.items():
                db.execute(f"UPDATE places SET {key} = ? WHERE id = ?", [value if value != "" else None, place.id])
        return self.place(place.id)

    def delete_place(self, ref: int | str) -> Place:
        """Remove a place and its aliases; returns it as it was."""
        place = self.place(ref)
        with self._write() as db:
            db.execute("DELETE FROM places WHERE id = ?", [place.id])
        return place

    def place_usage(self) -> dict[int, int]:
        """Place id -> how many events have a location written as the place's name or one of its aliases
        (in any spelling `place_key` folds together: "Al Asad", "al-Asad")."""
        places = self.places()
        if not places:
            return {}
        by_key: dict[str, int] = {}
        for location, n in self.db.execute("SELECT location, COUNT(*) FROM events WHERE location IS NOT NULL "
                                           "AND location != '' GROUP BY location"):
            key = place_key(location)
            by_key[key] = by_key.get(key, 0) + n
        return {p.id: sum(by_key.get(k, 0) for k in {place_key(s) for s in (p.name, *p.aliases)} - {""})
                for p in places}

    def merge_places(self, from_ref: int | str, into_ref: int | str) -> dict:
        """Keep `into`, give it `from`'s name and aliases as aliases, delete `from`; one transaction.
        Returns the record `unmerge_places` takes back: {"from": Place, "into": Place}, both as they were."""
        source, target = self.place(from_ref), self.place(into_ref)
        if source.id == target.id:
            raise ProjectError(f"cannot merge the place {source.name!r} into itself")
        aliases = _clean_aliases([*target.aliases, source.name, *source.aliases], target.name)
        check_fields({"aliases": aliases}, ProjectError)
        with self._write() as db:
            db.execute("DELETE FROM places WHERE id = ?", [source.id])
            db.execute("DELETE FROM place_aliases WHERE place_id = ?", [target.id])
            self._set_place_aliases(target.id, aliases)
        return {"from": source, "into": target}

    def unmerge_places(self, record: dict) -> None:
        """Undo `merge_places`: the kept place gets its own aliases back, the other comes back as it was."""
        target: Place = record["into"]
        with self._write() as db:
            db.execute("DELETE FROM place_aliases WHERE place_id = ?", [target.id])
            self._set_place_aliases(target.id, target.aliases)
            self.restore_place(record["from"])

    def restore_place(self, place: Place) -> Place:
        """Put a deleted place back as it was: same id, uid, fields and aliases (undo of a delete)."""
        with self._write() as db:
            if db.execute("SELECT 1 FROM places WHERE id = ? OR uid = ? OR name = ?",
                          [place.id, place.uid, place.name]).fetchone():
                raise ProjectError(f"cannot put the place {place.name!r} back: its id, uid or name is in use")
            db.execute("INSERT INTO places (id, uid, name, lat, lon, country, admin1, description) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [place.id, place.uid, place.name, place.lat, place.lon,
                                                           place.country, place.admin1, place.description])
            self._set_place_aliases(place.id, place.aliases)
        return self.place(place.id)

    def _set_place_aliases(self, place_id: int, aliases: Iterable[str]) -> None:
        self.db.conn.executemany("INSERT OR IGNORE INTO place_aliases (place_id, alias) VALUES (?, ?)",
                                 [(place_id, a) for a in aliases])
