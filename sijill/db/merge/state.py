"""Records of a project by uid, as fields that two copies of a project can compare.

A record is read as its row (every column but `id`, foreign keys as the uids they point to: a
group's `parent`, an annotation's `source`, as the change log writes them) and its link sets. The
row is then seen as *fields*, each one or more columns that an analyst edits together: an event's
`start` is its text, bounds, precision and flags; an annotation's `passage` is its offsets, quote,
context and orphaned flag. Link sets are dicts from a key to a value, so that two sides' sets can
be merged element by element:

- event `groups`: group uid -> role; `tags`: name -> True; `evidence`: (source uid, annotation uid
  or None, stance) -> note;
- group `aliases`: alias -> language; place `aliases`: alias -> None;
- annotation `groups`: group uid -> True; `tags`: name -> True.

Timestamps (created_at, updated_at, added_at) are not fields: they differ between copies without
anyone disagreeing about the record.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from sijill.db.store.project import Project

KINDS = ("place", "group", "period", "source", "annotation", "event")  # the order that keeps references resolvable
TABLES = {"place": "places", "group": "groups", "period": "periods", "source": "sources",
          "annotation": "annotations", "event": "events"}
FOREIGN_KEYS = {"group": ("parent_id", "parent", "groups"), "annotation": ("source_id", "source", "sources")}


def _dates(prefix: str, flags: tuple[str, str]) -> tuple[str, ...]:
    return (f"{prefix}_text", f"{prefix}_lo", f"{prefix}_hi", f"{prefix}_precision", *flags)


def _plain(*names: str) -> dict[str, tuple[str, ...]]:
    return {n: (n,) for n in names}


FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "place": {"name": ("name",), "coordinates": ("lat", "lon"), **_plain("country", "admin1", "description")},
    "event": {**_plain("title", "description"),
              "start": _dates("start", ("approximate", "uncertain")),
              "end": _dates("end", ("end_approximate", "end_uncertain")),
              **_plain("location", "latitude", "longitude", "event_type", "fatalities", "key_event", "attributes")},
    "group": _plain("name", "kind", "parent", "color", "description", "position"),
    "period": {"title": ("title",),
               "start": _dates("start", ("start_approximate", "start_uncertain")),
               "end": _dates("end", ("end_approximate", "end_uncertain")),
               **_plain("color", "description")},
    "source": {**_plain("title", "outlet", "author", "url"),
               "published": _dates("published", ("published_approximate", "published_uncertain")),
               **_plain("language", "reliability", "kind", "body", "summary")},
    "annotation": {"source": ("source",), "passage": ("start", "end", "quote", "prefix", "suffix", "orphaned"),
                   **_plain("note", "credibility")},
}
LINKS: dict[str, tuple[str, ...]] = {"event": ("groups", "tags", "evidence"), "group": ("aliases",), "place": ("aliases",),
                                     "annotation": ("groups", "tags")}
FIELD_OF_COLUMN = {kind: {c: f for f, cols in fields.items() for c in cols} for kind, fields in FIELDS.items()}
CHUNK = 900


class Record:
    """One record of one side: its row (columns by name, foreign keys as uids) and link sets.

    The row is kept as the tuple read (a dict per row would double what a 100,000-event diff holds)
    and made a dict when first asked for; `same` compares two records' tuples whole."""

    def __init__(self, kind: str, uid: str, values: tuple, columns: tuple[str, ...],
                 links: dict[str, dict] | None = None) -> None:
        self.kind, self.uid = kind, uid
        self._values, self._columns = values, columns
        self._row: dict | None = None
        self.links: dict[str, dict] = links if links is not None else {}

    @property
    def row(self) -> dict:
        if self._row is None:
            self._row = dict(zip(self._columns, self._values))
        return self._row

    def same(self, other: "Record") -> bool:
        """Whether two versions of a record hold the same row (timestamps included) and links."""
        if self._row is None and other._row is None and self._columns == other._columns:
            equal = self._values == other._values
        else:
            equal = self.row == other.row
        return equal and self.links == other.links

    @property
    def title(self) -> str:
        return record_title(self.kind, self.row)

    def value(self, name: str):
        """The value of a field (a column's value, or a tuple of columns) or of a link set."""
        if name in LINKS.get(self.kind, ()):
            return self.links.get(name, {})
        return field_value(self.kind, name, self.row)


def record_title(kind: str, row: dict) -> str:
    """What an analyst calls the record: a title, a name, or an annotation's quote."""
    if kind in ("group", "place"):
        return row.get("name") or ""
    if kind == "annotation":
        quote = " ".join((row.get("quote") or "").split())
        return f"“{quote[:60]}…”" if len(quote) > 60 else f"“{quote}”"
    return row.get("title") or ""


def field_value(kind: str, name: str, row: dict):
    cols = FIELDS[kind][name]
    if len(cols) == 1:
        return row.get(cols[0])
    return tuple(row.get(c) for c in cols)


def field_names(kind: str) -> tuple[str, ...]:
    return (*FIELDS[kind], *LINKS.get(kind, ()))


def link_key(kind: str, name: str, item: dict):
    """(key, value) of one link as the change log writes it (e.g. {"group": uid, "role": r})."""
    if name == "groups":
        return item.get("group"), item.get("role", True) if kind == "event" else True
    if name == "tags":
        return item.get("tag", item.get("name")), True
    if name == "aliases":
        return item.get("alias"), item.get("lang")
    if name == "evidence":
        return (item.get("source"), item.get("annotation"), item.get("stance")), item.get("note")
    raise KeyError(name)


def links_of_snapshot(kind: str, snapshot: dict) -> dict[str, dict]:
    """The link sets a delete's `before` (row plus links, as lists of link dicts) carries."""
    out: dict[str, dict] = {}
    for name in LINKS.get(kind, ()):
        items = snapshot.get(name) or []
        out[name] = dict(link_key(kind, name, i if isinstance(i, dict) else {"tag": i}) for i in items)
    return out


# ---- reading a project --------------------------------------------------------------------------
def read_records(project: Project, kind: str, uids: Iterable[str] | None = None) -> dict[str, Record]:
    """Records of `kind` by uid: all of them, or those among `uids` that exist."""
    table = TABLES[kind]
    fk = FOREIGN_KEYS.get(kind)
    own = [c for c in _table_columns(project, table) if c != "id" and (not fk or c != fk[0])]
    select = ", ".join(f't."{c}"' for c in own)
    columns = tuple(own)
    if fk:
        select += ", r.uid"
        columns += (fk[1],)
    select = f"SELECT t.id, {select} FROM {table} t" + (f" LEFT JOIN {fk[2]} r ON r.id = t.{fk[0]}" if fk else "")
    at_uid = columns.index("uid")
    out: dict[str, Record] = {}
    ids: dict[int, str] = {}
    for where, params in _where("t.uid", uids):
        for values in project.db.execute(f"{select} {where}", params):
            uid = values[1 + at_uid]
            ids[values[0]] = uid
            out[uid] = Record(kind, uid, values[1:], columns)
    if out and kind in LINKS:
        _read_links(project, kind, out, ids)
    return out


def _table_columns(project: Project, table: str) -> list[str]:
    return [r[1] for r in project.db.execute(f"PRAGMA table_info({table})")]


def _where(column: str, uids: Iterable[str] | None) -> Iterator[tuple[str, list]]:
    if uids is None:
        yield "", []
        return
    items = sorted(set(uids))
    for i in range(0, len(items), CHUNK):
        part = items[i:i + CHUNK]
        yield f"WHERE {column} IN ({', '.join('?' * len(part))})", part


def _owner_ids(ids: dict[int, str], whole: bool) -> Iterator[tuple[str, list]]:
    if whole:
        yield "", []
        return
    items = sorted(ids)
    for i in range(0, len(items), CHUNK):
        part = items[i:i + CHUNK]
        yield f"IN ({', '.join('?' * len(part))})", part


def _read_links(project: Project, kind: str, records: dict[str, Record], ids: dict[int, str]) -> None:
    q = project.db.execute
    whole = len(ids) == q(f"SELECT COUNT(*) FROM {TABLES[kind]}").fetchone()[0]
    for cond, params in _owner_ids(ids, whole):
        def where(col: str) -> str:
            return f"WHERE {col} {cond}" if cond else ""

        def put(name: str, rows) -> None:
            for owner, key, value in rows:
                if owner in ids:
                    records[ids[owner]].links.setdefault(name, {})[key] = value

        if kind == "event":
            put("groups", q(f"SELECT x.event_id, g.uid, x.role FROM event_groups x JOIN groups g ON g.id = x.group_id "
                            f"{where('x.event_id')}", params))
            put("tags", ((o, n, True) for o, n in q(f"SELECT x.event_id, t.name FROM event_tags x JOIN tags t "
                                                   f"ON t.id = x.tag_id {where('x.event_id')}", params)))
            put("evidence", ((o, (s, a, st), note) for o, s, a, st, note in q(
                "SELECT x.event_id, s.uid, a.uid, x.stance, x.note FROM event_evidence x JOIN sources s "
                f"ON s.id = x.source_id LEFT JOIN annotations a ON a.id = x.annotation_id {where('x.event_id')}",
                params)))
        elif kind == "group":
            put("aliases", q(f"SELECT group_id, alias, lang FROM group_aliases {where('group_id')}", params))
        elif kind == "place":
            put("aliases", q(f"SELECT place_id, alias, NULL FROM place_aliases {where('place_id')}", params))
        elif kind == "annotation":
            put("groups", ((o, g, True) for o, g in q(
                "SELECT x.annotation_id, g.uid FROM annotation_groups x JOIN groups g ON g.id = x.group_id "
                f"{where('x.annotation_id')}", params)))
            put("tags", ((o, n, True) for o, n in q(
                "SELECT x.annotation_id, t.name FROM annotation_tags x JOIN tags t ON t.id = x.tag_id "
                f"{where('x.annotation_id')}", params)))


def read_all(project: Project, uids: dict[str, set[str]] | None = None) -> dict[str, dict[str, Record]]:
    """Every kind's records (or, given `uids` by kind, those records) of a project."""
    return {kind: read_records(project, kind, None if uids is None else uids.get(kind, set())) for kind in KINDS}
