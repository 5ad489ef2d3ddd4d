"""Full-text search (the FTS5 query a user's words make, with the forms of Arabic words) and the
project's counts.

`fts_query` and `arabic_forms` are plain functions; `SearchMixin` holds the methods of Project that
search events, sources and annotations, list events briefly for pickers, and count what a project holds.
"""
from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from datetime import datetime, timezone

from sijill.db.store.basics import ProjectError, stored_date
from sijill.db.store.entities import EventBrief, SearchHit, Stats

def fts_query(text: str) -> str:
    """Turn what a user typed into a safe FTS5 query: every word must match, the last as a prefix.

    An Arabic word also matches its forms with the article and the clitics written joined to it
    (`arabic_forms`), which the unicode61 tokenizer keeps inside the token: "حشد" finds "والحشد".
    """
    words = text.replace('"', " ").split()
    if not words:
        return ""
    groups = [_fts_group(w, last=i == len(words) - 1) for i, w in enumerate(words)]
    if not any(len(g) > 1 for g in groups):
        return " ".join(g[0] for g in groups)
    return " AND ".join(g[0] if len(g) == 1 else "(" + " OR ".join(g) + ")" for g in groups)


def _fts_group(word: str, last: bool) -> list[str]:
    star = "*" if last else ""
    forms = arabic_forms(word)
    return [f'"{f}"{star}' for f in forms] if forms else [f'"{word}"{star}']


_AR_WORD = re.compile(r"[\u0621-\u063a\u0641-\u064a]+")
_AR_MARKS = re.compile(r"[\u0640\u064b-\u065f\u0670]")  # tatweel and tashkeel: the tokenizer splits at them
# "ال" with what may precede it: و/ف (and), then ب/ك (with, as); ل + ال is written "لل".
_AR_ARTICLE = re.compile(r"[وف]?(?:[بك]?ال|لل)")
_AR_CONJUNCTIONS, _AR_PREPOSITIONS = ("", "و", "ف"), ("", "ب", "ل", "ك")


def arabic_forms(word: str) -> list[str]:
    """The forms an Arabic search word may take in text, or [] when `word` is not an Arabic word.

    The stem is the word without an article and what precedes it ("والحشد" -> "حشد"). The forms are the
    word itself and the stem behind و/ف, then ب/ل/ك, then the article (ل + ال is written لل, or ل alone
    before a stem's own ل: "للجنة", "لله"), in each combination. A stem of one or two letters gets only
    the forms with the article: a bare letter before it makes other words ("رد" does not seek "برد", cold,
    nor "كرد", Kurds), and "الله" does not seek "له". Tashkeel and tatweel are dropped, since the
    tokenizer splits words at them; surrounding punctuation is ignored.
    """
    core = _AR_MARKS.sub("", word.strip("()[]{}«»‹›<>.,;:!?؟،؛'*^+-"))
    if not _AR_WORD.fullmatch(core):
        return []
    article = _AR_ARTICLE.match(core)
    stem = core[article.end():] if article else core
    long_stem = len(stem) >= 3
    forms = [core]
    for conj in _AR_CONJUNCTIONS:
        for prep in _AR_PREPOSITIONS:
            if long_stem or (not article and conj + prep == ""):
                forms.append(conj + prep + stem)
            forms.append(conj + _with_article(prep, stem))
    return list(dict.fromkeys(f for f in forms if f))


def _with_article(prep: str, stem: str) -> str:
    if prep != "ل":
        return prep + "ال" + stem
    return "ل" + stem if stem.startswith("ل") else "لل" + stem  # "للجنة", "لله"



class SearchMixin:
    """Methods of Project for search and stats (see db.store.project.Project)."""

    def search(self, text: str, *, kinds: Sequence[str] = ("event", "source", "annotation"),
               limit: int = 50, marks: tuple[str, str] = ("[", "]")) -> list[SearchHit]:
        """Full-text search over events, sources and annotations; best matches first per kind."""
        query = fts_query(text)
        if not query:
            return []
        open_m, close_m = marks
        specs = {
            "event": ("events", "title", "uid", -1),
            "source": ("sources", "title", "uid", -1),
            "annotation": ("annotations", "quote", "uid", -1),
        }
        unknown = set(kinds) - set(specs)
        if unknown:
            raise ProjectError(f"cannot search {', '.join(sorted(unknown))}: kinds are {', '.join(specs)}")
        hits: list[SearchHit] = []
        for kind in kinds:
            table, title_col, uid_col, col = specs[kind]
            sql = (
                f"SELECT t.id, t.{uid_col}, t.{title_col}, "
                f"snippet({table}_fts, {col}, ?, ?, '…', 12), {table}_fts.rank "
                f"FROM {table}_fts JOIN {table} t ON t.rowid = {table}_fts.rowid "
                f"WHERE {table}_fts MATCH ? ORDER BY {table}_fts.rank LIMIT ?"
            )
            try:
                rows = self.db.execute(sql, [open_m, close_m, query, limit]).fetchall()
            except sqlite3.OperationalError as exc:
                raise ProjectError(f"cannot search for {text!r}: {exc}") from exc
            hits += [SearchHit(kind, r[0], r[1], r[2], r[3], r[4]) for r in rows]
        return hits

    _BRIEF_COLUMNS = ("e.id, e.title, e.start_text, e.start_lo, e.start_hi, e.start_precision, e.approximate, "
                      "e.uncertain")

    def event_briefs(self, text: str = "", *, near: tuple[int, int] | None = None,
                     within: int = 0, limit: int = 200) -> list[EventBrief]:
        """Up to `limit` events' ids, titles and starts, in one query whatever their number: those
        matching `text` (full-text, as `search`), best first; with no text, those overlapping
        `near` (lo, hi seconds) widened by `within` seconds, the nearest start to `near`'s lo first;
        with neither, the first by date."""
        sql, params = f"SELECT {self._BRIEF_COLUMNS} FROM events e", []
        if text.strip():
            query = fts_query(text)
            if not query:
                return []
            sql += (" JOIN events_fts ON events_fts.rowid = e.rowid WHERE events_fts MATCH ? "
                    "ORDER BY events_fts.rank")
            params = [query]
        elif near is not None:
            lo, hi = near
            sql += (" WHERE e.start_lo <= ? AND COALESCE(e.end_hi, e.start_hi) >= ? "
                    "ORDER BY ABS(e.start_lo - ?), e.start_lo, e.id")
            params = [hi + within, lo - within, lo]
        else:
            sql += " ORDER BY e.start_lo, e.id"
        try:
            rows = self.db.execute(f"{sql} LIMIT ?", [*params, int(limit)]).fetchall()
        except sqlite3.OperationalError as exc:
            raise ProjectError(f"cannot search for {text!r}: {exc}") from exc
        return [EventBrief(r[0], r[1], stored_date(*r[2:8])) for r in rows]

    def search_event_ids(self, text: str) -> set[int]:
        """Ids of every event matching `text` (for highlighting on the timeline)."""
        query = fts_query(text)
        if not query:
            return set()
        return {r for (r,) in self.db.execute(
            "SELECT rowid FROM events_fts WHERE events_fts MATCH ?", [query])}

    def stats(self) -> Stats:
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        first, last = self.db.execute("SELECT MIN(start_lo), MAX(COALESCE(end_hi, start_hi)) FROM events").fetchone()
        iso = lambda ts: None if ts is None else datetime.fromtimestamp(ts, timezone.utc).isoformat()  # noqa: E731
        return Stats(
            events=one("SELECT COUNT(*) FROM events"),
            groups=one("SELECT COUNT(*) FROM groups"),
            sources=one("SELECT COUNT(*) FROM sources"),
            annotations=one("SELECT COUNT(*) FROM annotations"),
            periods=one("SELECT COUNT(*) FROM periods"),
            events_without_evidence=one(
                "SELECT COUNT(*) FROM events WHERE id NOT IN (SELECT event_id FROM event_evidence)"),
            first=iso(first),
            last=iso(last),
        )
