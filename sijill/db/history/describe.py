"""What the change log says to a person, record by record (Qt-free: `sijill history`, the window's
History tabs and its Project history share it).

The log (`sijill.db.store.changes`) keeps rows as JSON with foreign keys as uids and dates as their stored
columns. `describe` turns the changes of one change set into one `RecordChange` per record: each
changed field before and after as text (a date as written, "mid-October 2023", not its integer
bounds; a group's parent and an annotation's source by name), and the links as lines
("+ group Kataib Hezbollah (actor)", "− tag drone"). A write that replaces a record's links (an
event's groups, a group's aliases) unlinks and links again the ones it keeps: only the net
difference is shown. Names come from the project as it is now, else from the log itself (a
deleted record keeps the title it had).

A change a merge copied in from another copy that this file did not take (its conflict kept this file's
value: `changes.kept`) is described as it was made there, and marked: `kept` says what was kept instead
("kept ours: “Tower 22”"), so that no view shows it as the record's state here.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sijill.db.dates import FuzzyDate
from sijill.db.store.basics import stored_date

# A date is six columns in a row; shown (and restored) as one field. Flag columns per kind.
DATE_FIELDS = {
    "event": {"start": ("start_text", "start_lo", "start_hi", "start_precision", "approximate", "uncertain"),
              "end": ("end_text", "end_lo", "end_hi", "end_precision", "end_approximate", "end_uncertain")},
    "period": {"start": ("start_text", "start_lo", "start_hi", "start_precision", "start_approximate",
                         "start_uncertain"),
               "end": ("end_text", "end_lo", "end_hi", "end_precision", "end_approximate", "end_uncertain")},
    "source": {"published": ("published_text", "published_lo", "published_hi", "published_precision",
                             "published_approximate", "published_uncertain")},
}
YES_NO = ("key_event", "summary", "orphaned")
HIDDEN = ("uid",)  # never changes; the record's heading names it
TITLE_FIELD = {"event": "title", "period": "title", "source": "title", "group": "name", "annotation": "quote",
               "place": "name"}
KIND_PLURAL = {"event": "events", "group": "groups", "period": "periods", "source": "sources",
               "annotation": "annotations", "place": "places"}
MINUS = "−"


@dataclass(frozen=True)
class FieldChange:
    """One field of a record, before and after a change, as text ("—" for nothing)."""

    name: str
    before: str
    after: str
    kept: str | None = None  # not taken here (a merged-in change that lost its conflict): what was kept


@dataclass(frozen=True)
class RecordChange:
    """What one change set did to one record: created, changed or deleted it; which fields, which links."""

    kind: str
    uid: str
    title: str
    op: str  # insert | update | delete
    fields: tuple[FieldChange, ...] = ()
    links: tuple[str, ...] = ()
    kept: str | None = None  # the creation or deletion was not taken here: what was kept
    kept_links: tuple[tuple[str, str], ...] = ()  # link changes not taken here: (line, what was kept)

    def to_json(self) -> dict:
        out = {"kind": self.kind, "uid": self.uid, "title": self.title, "op": self.op,
               "fields": {f.name: {"before": f.before, "after": f.after, **({"kept": f.kept} if f.kept else {})}
                          for f in self.fields},
               "links": list(self.links)}
        if self.kept:
            out["kept"] = self.kept
        if self.kept_links:
            out["links_not_applied"] = [{"link": line, "kept": kept} for line, kept in self.kept_links]
        return out

    @property
    def applied(self) -> bool:
        """Whether anything of it was taken in this file (False: a merged-in change that lost throughout)."""
        return not self.kept and (bool(self.links) or any(f.kept is None for f in self.fields))


class Names:
    """Names for uids, read from the project once and kept for one listing."""

    def __init__(self, project) -> None:
        self.project = project
        self._groups: dict[str, str] | None = None
        self._cache: dict[tuple[str, str], str | None] = {}

    def group(self, uid: str | None) -> str:
        if uid is None:
            return "—"
        if self._groups is None:
            self._groups = {g.uid: g.name for g in self.project.groups()}
        return self._groups.get(uid) or self.logged("group", uid) or f"(deleted group {uid[:8]})"

    def record(self, kind: str, uid: str, *rows: dict | None) -> str:
        """The record's title now, else the one a row of the log gives, else its uid."""
        key = (kind, uid)
        if key not in self._cache:
            self._cache[key] = self._current(kind, uid)
        if self._cache[key]:
            return self._cache[key]
        for row in rows:
            if row and row.get(TITLE_FIELD[kind]):
                return str(row[TITLE_FIELD[kind]])
        return self.logged(kind, uid) or uid

    def _current(self, kind: str, uid: str) -> str | None:
        p = self.project
        if kind == "group":
            self.group(uid)
            return (self._groups or {}).get(uid)
        found = {"event": p.event_by_uid, "source": p.source_by_uid, "annotation": p.annotation_by_uid,
                 "period": lambda u: next((x for x in p.periods() if x.uid == u), None),
                 "place": lambda u: next((x for x in p.places() if x.uid == u), None)}[kind](uid)
        return None if found is None else getattr(found, TITLE_FIELD[kind])

    def logged(self, kind: str, uid: str) -> str | None:
        """The last title the log holds for a record that is gone."""
        for change_set, changes in self.project.history(uid)[:5]:
            for c in reversed(changes):
                for row in (c.before, c.after):
                    if c.op in ("insert", "update", "delete") and row and row.get(TITLE_FIELD[kind]):
                        return str(row[TITLE_FIELD[kind]])
        return None


def when_text(at: str) -> str:
    """"2026-12-06 21:50:03 UTC" for the log's "2026-12-06T21:50:03Z"."""
    return at.replace("T", " ").removesuffix("Z") + " UTC" if at.endswith("Z") else at


def merged_text(change_set) -> str:
    """"merged in by “Merge from b.sijill” (2026-12-06 21:50:03 UTC, Rana)" for a change set a merge
    copied in from another copy; "merged in by an earlier merge" where that merge's own change set is not
    in the file (`changes.EARLIER_MERGE`); "" for one made in this file."""
    m = change_set.merged_by
    if m is None:
        return ""
    if not m.recorded:
        return "merged in by an earlier merge"
    return f"merged in by “{m.label}” ({when_text(m.at)}" + (f", {m.analyst})" if m.analyst else ")")


def date_of(row: dict, columns: tuple[str, ...]) -> FuzzyDate | None:
    """The date six row columns hold (None: no date)."""
    text, lo, hi, precision, approximate, uncertain = (row.get(c) for c in columns)
    if lo is None or hi is None:
        return None
    return stored_date(text or "", int(lo), int(hi), precision or "day", approximate, uncertain)


def _date_text(d: FuzzyDate | None) -> str:
    return "—" if d is None else (d.text or d.display())


def value_text(kind: str, name: str, value, names: Names) -> str:
    """A field's value as a person reads it."""
    if value is None or value == "":
        return "—"
    if name == "parent":
        return names.group(value)
    if name == "source" and kind == "annotation":
        return names.record("source", value)
    if name in YES_NO:
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def field_changes(kind: str, before: dict, after: dict, names: Names) -> list[FieldChange]:
    """The fields that differ between two rows of a record, dates as one field each."""
    dates = DATE_FIELDS.get(kind, {})
    in_date = {col: name for name, cols in dates.items() for col in cols}
    out: list[FieldChange] = []
    done: set[str] = set()
    for col in dict.fromkeys([*before, *after]):
        if col in HIDDEN or col in done:
            continue
        if col in in_date:
            name = in_date[col]
            done.update(dates[name])
            old, new = date_of(before, dates[name]), date_of(after, dates[name])
            if old == new:
                continue
            old_text, new_text = _date_text(old), _date_text(new)
            if old_text == new_text:  # the same words read to other bounds (or flags): say how
                old_text += f" ({old.display()})" if old else ""
                new_text += f" ({new.display()})" if new else ""
            out.append(FieldChange(name, old_text, new_text))
            continue
        if before.get(col) != after.get(col):
            out.append(FieldChange(col, value_text(kind, col, before.get(col), names),
                                   value_text(kind, col, after.get(col), names)))
    return out


def link_text(kind: str, field_name: str | None, link: dict, names: Names) -> str:
    """"group Kataib Hezbollah (actor)", "tag drone", "alias Daesh (en)", "evidence Reuters … (supports)"."""
    if field_name == "groups":
        role = link.get("role")
        return f"group {names.group(link.get('group'))}" + (f" ({role})" if role else "")
    if field_name == "tags":
        return f"tag {link.get('tag')}"
    if field_name == "aliases":
        return f"alias {link.get('alias')}" + (f" ({link['lang']})" if link.get("lang") else "")
    if field_name == "evidence":
        source = names.record("source", link["source"]) if link.get("source") else "—"
        return f"evidence {source} ({link.get('stance')})"
    return f"{field_name} " + ", ".join(f"{k}={v}" for k, v in link.items())


def _key(link: dict | None) -> str:
    return json.dumps(link or {}, sort_keys=True, ensure_ascii=False)


def net_links(changes: Iterable) -> list[tuple[str, str | None, dict]]:
    """('+' or '−', field, link) for the links a series of changes added or removed in the end:
    a link removed and made again (a write that replaces all of a record's links) is no change."""
    count: Counter = Counter()
    seen: dict[tuple[str | None, str], dict] = {}
    for c in changes:
        if c.op not in ("link", "unlink"):
            continue
        link = c.after if c.op == "link" else c.before
        key = (c.field, _key(link))
        seen.setdefault(key, link or {})
        count[key] += 1 if c.op == "link" else -1
    return [("+" if n > 0 else MINUS, key[0], seen[key]) for key, n in count.items() for _ in range(abs(n))]


WHOLE = "*"  # `changes.kept`: the whole change was not taken


def _kept_field(kind: str, name: str, updates: list) -> str | None:
    """What was kept instead of a field's change, when a merged-in update of it was not taken."""
    columns = DATE_FIELDS.get(kind, {}).get(name, (name,))
    for c in updates:
        for key in (WHOLE, *columns):
            if c.kept and key in c.kept:
                return c.kept[key]
    return None


def describe(changes: Iterable, names: Names) -> list[RecordChange]:
    """One RecordChange per record the changes touch, in the order the log first names them."""
    by_record: dict[tuple[str, str], list] = {}
    for c in changes:
        by_record.setdefault((c.kind, c.uid), []).append(c)
    out = []
    for (kind, uid), items in by_record.items():
        ops = {c.op for c in items}
        rows = [c.after or c.before for c in items if c.op in ("insert", "update", "delete")]
        title = names.record(kind, uid, *reversed(rows))
        if "insert" in ops or "delete" in ops:
            whole = next((c.kept[WHOLE] for c in items if c.op in ("insert", "delete") and c.kept
                          and WHOLE in c.kept), None)
            out.append(RecordChange(kind, uid, title, "insert" if "insert" in ops else "delete", kept=whole))
            continue
        updates = [c for c in items if c.op == "update"]
        fields = field_changes(kind, updates[0].before or {}, updates[-1].after or {}, names) if updates else []
        fields = [FieldChange(f.name, f.before, f.after, _kept_field(kind, f.name, updates)) for f in fields]
        taken = [c for c in items if not (c.kept and WHOLE in c.kept)]
        links = [f"{sign} {link_text(kind, name, link, names)}" for sign, name, link in net_links(taken)]
        kept_links = [(f"{sign} {link_text(kind, name, link, names)}", c.kept[WHOLE])
                      for c in items if c.kept and WHOLE in c.kept for sign, name, link in net_links([c])]
        if fields or links or kept_links:
            out.append(RecordChange(kind, uid, title, "update", tuple(fields), tuple(links),
                                    kept_links=tuple(kept_links)))
    return out


def counts_text(counts: dict) -> str:
    """"events: 120 created, 3 updates, 4 link changes; groups: 1 deleted" from a change set's
    (kind, op) counts (an update is one write to a record's row, a link change one link made or
    removed)."""
    per_kind: dict[str, Counter] = {}
    for (kind, op), n in counts.items():
        per_kind.setdefault(kind, Counter())["links" if op in ("link", "unlink") else op] += n
    parts = []
    for kind, ops in sorted(per_kind.items(), key=lambda kv: -sum(kv[1].values())):
        words = [f"{ops['insert']} created"] if ops["insert"] else []
        if ops["update"]:
            words.append(f"{ops['update']} update{'s' if ops['update'] != 1 else ''}")
        if ops["delete"]:
            words.append(f"{ops['delete']} deleted")
        if ops["links"]:
            words.append(f"{ops['links']} link change{'s' if ops['links'] != 1 else ''}")
        parts.append(f"{KIND_PLURAL.get(kind, kind)}: " + ", ".join(words))
    return "; ".join(parts)
