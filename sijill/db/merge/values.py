"""Field values of `sijill.db.merge.state` as an analyst reads them, and as JSON for scripts."""
from __future__ import annotations

from dataclasses import dataclass

from sijill.db.merge.state import FIELDS, LINKS, record_title

_DATES = {"start", "end", "published"}
LONG = 80


@dataclass
class Names:
    """What a uid is called, for showing links: group names, source titles, annotation quotes."""

    by_uid: dict[str, str]

    @classmethod
    def read(cls, *projects) -> "Names":
        """The names of every group, source and passage of the projects (first project first)."""
        out: dict[str, str] = {}
        for project in projects:
            for table, column in (("groups", "name"), ("sources", "title"), ("annotations", "quote")):
                for uid, name in project.db.execute(f"SELECT uid, {column} FROM {table}"):
                    out.setdefault(uid, record_title("annotation", {"quote": name}) if table == "annotations"
                                   else name)
        return cls(out)

    def __call__(self, uid: str | None) -> str:
        return "—" if uid is None else self.by_uid.get(uid, uid)


def _text(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        flat = " ".join(value.split())
        if len(flat) > LONG:
            return f"“{flat[:LONG]}…” ({len(value)} characters)"
        return f"“{flat}”"
    return str(value)


def display(kind: str, name: str, value, names: Names) -> str:
    """One line for a field's value: a date's text, a group's name, a passage's quote, a set's items."""
    if name in LINKS.get(kind, ()):
        return _display_links(kind, name, value or {}, names) or "none"
    if name in _DATES:
        if value is None or value[0] is None and value[1] is None:
            return "—"
        text = value[0] or str(value[1])
        flags = [f for f, on in (("approximate", value[4]), ("uncertain", value[5])) if on]
        return text + (f" ({', '.join(flags)})" if flags else "")
    if name == "passage":
        start, end, quote, _prefix, _suffix, orphaned = value
        return f"{_text(quote)} at {start}–{end}" + (" (orphaned)" if orphaned else "")
    if name in ("parent", "source"):
        return names(value)
    if name == "coordinates":
        return "—" if value is None or value[0] is None else f"{value[0]:.5f}, {value[1]:.5f}"
    if name in ("key_event", "summary"):
        return "yes" if value else "no"
    return _text(value)


def _display_links(kind: str, name: str, value: dict, names: Names) -> str:
    if name == "groups":
        if kind == "event":
            return ", ".join(sorted(f"{names(g)} ({role})" for g, role in value.items()))
        return ", ".join(sorted(names(g) for g in value))
    if name == "tags":
        return ", ".join(sorted(value))
    if name == "aliases":
        return ", ".join(sorted(a + (f" ({lang})" if lang else "") for a, lang in value.items()))
    items = []
    for (source, annotation, stance), note in value.items():
        item = f"{stance}: {names(source)}" + (f" {names(annotation)}" if annotation else "")
        items.append(item + (f" — {note}" if note else ""))
    return "; ".join(sorted(items))


def to_json(kind: str, name: str, value):
    """A field's value for JSON: columns by name for a multi-column field, a sorted list for a set."""
    if name in LINKS.get(kind, ()):
        return links_json(kind, name, value or {})
    cols = FIELDS[kind][name]
    if len(cols) > 1:
        return None if value is None else dict(zip(cols, value))
    return value


def links_json(kind: str, name: str, value: dict) -> list:
    if name == "groups":
        if kind == "event":
            return [{"group": g, "role": r} for g, r in sorted(value.items())]
        return sorted(value)
    if name == "tags":
        return sorted(value)
    if name == "aliases":
        return [{"alias": a, "lang": lang} for a, lang in sorted(value.items())]
    return [{"source": s, "annotation": a, "stance": st, "note": note}
            for (s, a, st), note in sorted(value.items(), key=lambda kv: tuple(x or "" for x in kv[0]))]
