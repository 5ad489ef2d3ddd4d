"""Find the project's groups, date expressions and places mentioned in a passage of text.

Group aliases match case- and accent-insensitively, as whole words, in Latin and Arabic script,
the longest alias winning ("Résistance islamique en Iraq" is one mention, not "Iraq"). Short
all-capital aliases (acronyms such as "KH", "PMF") match only in capitals, so that ordinary words
are not taken for groups. Spans are code-point offsets into the original text.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sijill.db.dates import FuzzyDate
from sijill.db.store.entities import Group

_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": None})
_ARABIC_PROCLITICS = "وفبلك"


@dataclass(frozen=True)
class Mention:
    """A group alias or a date expression found at text[start:end]."""

    start: int
    end: int
    kind: str  # "group", "date" or "place"
    text: str
    group_id: int | None = None
    group: str | None = None
    date: FuzzyDate | None = None
    place: object | None = None  # a place's best candidate (sijill.db.geo.gazetteer.Candidate)

    def to_json(self) -> dict:
        out = {"start": self.start, "end": self.end, "kind": self.kind, "text": self.text}
        if self.kind == "group":
            out["group"] = self.group
        elif self.kind == "place":
            out["place"] = self.place.to_json()
        else:
            out.update(lo=self.date.lo.isoformat(), hi=self.date.hi.isoformat(), precision=self.date.precision,
                       display=self.date.display())
        return out


def fold(text: str) -> tuple[str, list[int]]:
    """Text without accents, tashkeel or tatweel, Arabic letter variants unified, lower-cased;
    with, for each folded character, the index of the original character it came from."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        for part in unicodedata.normalize("NFD", ch):
            if unicodedata.combining(part):
                continue
            part = part.translate(_ARABIC_FOLD).casefold()
            out.append(part)
            index.extend([i] * len(part))
    return "".join(out), index


def _is_acronym(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return 0 < len(letters) <= 5 and all(c.isupper() for c in letters)


def _is_arabic(alias: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in alias)


class GroupMatcher:
    """Compiled alias patterns for a set of groups; build once, match many passages."""

    def __init__(self, groups: list[Group]) -> None:
        folded: dict[str, tuple[int, str]] = {}
        acronyms: dict[str, tuple[int, str]] = {}
        for g in groups:
            for alias in {g.name, *(a.alias for a in g.aliases)}:
                alias = " ".join(alias.split())
                if not alias:
                    continue
                if _is_acronym(alias):
                    acronyms.setdefault(alias, (g.id, g.name))
                else:
                    folded.setdefault(fold(alias)[0], (g.id, g.name))
        self._folded = folded
        self._acronyms = acronyms
        self._folded_re = self._compile(folded)
        self._acronym_re = self._compile(acronyms)

    @staticmethod
    def _compile(table: dict[str, tuple[int, str]]) -> re.Pattern | None:
        if not table:
            return None
        keys = sorted(table, key=len, reverse=True)
        alternatives = "|".join(r"\s+".join(re.escape(w) for w in k.split()) for k in keys)
        before = rf"(?:(?<!\w)|(?<=(?<!\w)[{_ARABIC_PROCLITICS}]))"
        return re.compile(rf"{before}({alternatives})(?!\w)")

    def find(self, text: str) -> list[Mention]:
        candidates: list[Mention] = []
        if self._folded_re is not None:
            folded, index = fold(text)
            for m in self._folded_re.finditer(folded):
                key = " ".join(m.group(1).split())
                start, end = index[m.start(1)], index[m.end(1) - 1] + 1
                if _is_arabic(key) is False and m.start(1) > 0 and folded[m.start(1) - 1] in _ARABIC_PROCLITICS:
                    continue
                gid, name = self._folded[key]
                candidates.append(Mention(start, end, "group", text[start:end], gid, name))
        if self._acronym_re is not None:
            for m in self._acronym_re.finditer(text):
                gid, name = self._acronyms[" ".join(m.group(1).split())]
                candidates.append(Mention(m.start(1), m.end(1), "group", m.group(1), gid, name))
        return _longest_first(candidates)


def _longest_first(candidates: list[Mention]) -> list[Mention]:
    """Keep non-overlapping mentions, preferring the longer where two overlap."""
    chosen: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for m in sorted(candidates, key=lambda m: (-(m.end - m.start), m.start)):
        if all(m.end <= a or m.start >= b for a, b in taken):
            chosen.append(m)
            taken.append((m.start, m.end))
    return sorted(chosen, key=lambda m: m.start)


def find_mentions(text: str, groups: list[Group], reference: datetime | None = None,
                  lang: str | None = None, places=None) -> list[Mention]:
    """Every group alias and date expression in `text`, in order of position; with `places` (a
    sijill.db.geo.mentions.PlaceMatcher), place names too (of a group alias and a place name that overlap, the
    longer is kept)."""
    from sijill.db.dates import scan_dates

    found = GroupMatcher(groups).find(text)
    if places is not None:
        found = _longest_first(found + [Mention(a, b, "place", text[a:b], place=c) for a, b, c in places.find(text)])
    for start, end, date in scan_dates(text, reference=reference, lang=lang):
        found.append(Mention(start, end, "date", text[start:end], date=date))
    return sorted(found, key=lambda m: (m.start, m.end))
