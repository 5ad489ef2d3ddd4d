"""Match the actor names of a dataset to the project's groups.

ACLED writes "Kataib Hezbollah (Iraq)", "Harakat Hezbollah Al Nujaba", "Military Forces of the
United States (2021-)", "Military Forces of Iraq (2022-) Popular Mobilization Forces". A name is
reduced to a key before it is compared with every group's name and aliases reduced the same way:
- bracketed qualifiers holding a country or a year range ("(Iraq)", "(2021-)", "(2003-2011)")
  are dropped wherever they stand;
- accents, case, apostrophes and hyphens are folded, and the article "al"/"el" ("al-Nujaba",
  "Al Nujaba", "Nujaba") is dropped;
then, if the whole name matches nothing, two ACLED habits are tried in turn: the part after a
qualifier ("… (2022-) Popular Mobilization Forces" is that unit of the Iraqi forces) and the
country of "Military/Police Forces of X". A name that still matches nothing becomes a new group
(the importer keeps the name it came from as an alias).

The analyst's own choices (actor -> group, or "new group") are remembered in the project (meta
key `import.actor_map`, a JSON object) and win over the automatic match next time.
"""
from __future__ import annotations

import json
import re
import unicodedata

from sijill.db.store.entities import Group

_QUALIFIER = re.compile(r"\s*\((?:[^()]*\d{4}[^()]*|[A-Z][A-Za-z .'-]{1,40})\)\s*")
_INSTITUTION = re.compile(r"^(?:military|police|armed) forces of (?:the )?(.+)$")
_DROP = {"al", "el", "the"}
MAP_KEY = "import.actor_map"
NEW_GROUP = ""  # an actor the analyst chose to import as a group of its own


def actor_key(name: str) -> str:
    """The folded form two spellings of one group share."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['’ʼ‘`]", "", text)
    words = re.split(r"[^\w]+", text)
    return " ".join(w for w in words if w and w not in _DROP)


def strip_qualifiers(name: str) -> str:
    """The name without bracketed country or year-range qualifiers, spaces tidied."""
    return " ".join(_QUALIFIER.sub(" ", name).split())


def _candidates(name: str) -> list[str]:
    """Keys to try for an actor name, best first."""
    keys = [actor_key(strip_qualifiers(name))]
    match = re.search(r"\)\s*(\S.*)$", name)
    if match:
        keys.append(actor_key(strip_qualifiers(match.group(1))))
    bare = strip_qualifiers(name.split("(")[0])
    institution = _INSTITUTION.match(" ".join(bare.casefold().split()))
    if institution:
        keys.append(actor_key(institution.group(1)))
    return [k for k in dict.fromkeys(keys) if k]


class ActorMatcher:
    """Names and aliases of a project's groups, folded once; `match` finds an actor's group."""

    def __init__(self, groups: list[Group], remembered: dict[str, str] | None = None) -> None:
        self.by_key: dict[str, str] = {}
        for g in groups:  # a group's own name wins over another group's alias
            self.by_key.setdefault(actor_key(g.name), g.name)
        for g in groups:
            for a in g.aliases:
                self.by_key.setdefault(actor_key(a.alias), g.name)
        self.names = {g.name for g in groups}
        self.remembered = dict(remembered or {})

    def match(self, actor: str) -> str | None:
        """The name of the group `actor` belongs to, or None when it matches none."""
        chosen = self.remembered.get(actor)
        if chosen is not None:
            return chosen if chosen in self.names else None
        if actor in self.names:
            return actor
        for key in _candidates(actor):
            if key in self.by_key:
                return self.by_key[key]
        return None

    def mapping(self, actors) -> dict[str, str | None]:
        return {a: self.match(a) for a in actors}


def new_group_name(actor: str) -> str:
    """The name a group made for an unmatched actor gets: the actor without its qualifiers."""
    return strip_qualifiers(actor) or actor.strip()


def remembered_map(project) -> dict[str, str]:
    """The analyst's earlier choices, actor -> group name ("" for a new group of its own)."""
    text = project.get_meta(MAP_KEY)
    if not text:
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def remember_map(project, choices: dict[str, str]) -> None:
    """Keep the analyst's choices for the next import (merged with the earlier ones)."""
    merged = {**remembered_map(project), **choices}
    project.set_meta(MAP_KEY, json.dumps(merged, ensure_ascii=False, sort_keys=True))
