"""A record as it was just before or just after one change set of its history, as the fields its
`Project.update_<kind>` takes: what "Restore this version" writes (Qt-free).

The row then is the `before` of the first update the log holds from that point on (no later update:
the row is as it is now); its links then are the links it has now, with every later link change
taken back. Only what differs from the record now is returned, so that a restore records exactly
the fields it puts back. A source's text is not restored (changing it moves its annotations:
Sources ▸ Replace text does that), nor an event's imported attributes; links to a group deleted
since cannot be made again, nor a passage's offsets where its source's text no longer reads the
quote they had (the text was replaced since): both are named in `Restoration.skipped`.

Only versions this file had are offered. The change sets a merge copied in from another copy
(`ChangeSet.merged_by`) were made there: the states before and after them are the other copy's, and
what this file took of them is the merge's own change set. They are refused as a version, and left
out when the later changes are taken back.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sijill.db.store.basics import ProjectError
from sijill.db.dates import FuzzyDate
from sijill.db.history.describe import DATE_FIELDS, date_of, merged_text

RESTORABLE = {
    "event": ("title", "description", "start", "end", "location", "latitude", "longitude", "event_type",
              "fatalities", "key_event", "groups", "tags"),
    "group": ("name", "kind", "parent", "color", "description", "position", "aliases"),
    "source": ("title", "outlet", "author", "url", "published", "language", "reliability", "kind", "summary"),
    "annotation": ("note", "credibility", "start", "end", "groups", "tags"),
    "period": ("title", "start", "end", "color", "description"),
    "place": ("name", "lat", "lon", "country", "admin1", "description", "aliases"),
}
LINK_FIELDS = {"event": ("groups", "tags"), "group": ("aliases",), "annotation": ("groups", "tags"),
               "place": ("aliases",)}


@dataclass(frozen=True)
class Restoration:
    """What restoring a record writes: `fields` for Project.update_<kind>(record_id, ...), `old` the
    same fields as they are now (what undo writes back)."""

    kind: str
    record_id: int
    fields: dict
    old: dict
    skipped: tuple[str, ...] = ()


def find_record(project, kind: str, uid: str):
    """The record of `kind` with `uid` as it is now, or None."""
    if kind == "group":
        return next((g for g in project.groups() if g.uid == uid), None)
    if kind == "period":
        return next((p for p in project.periods() if p.uid == uid), None)
    if kind == "place":
        return next((p for p in project.places() if p.uid == uid), None)
    return {"event": project.event_by_uid, "source": project.source_by_uid,
            "annotation": project.annotation_by_uid}[kind](uid)


def _date_key(d: FuzzyDate | None):
    return None if d is None else (d.text, d.lo_ts, d.hi_ts, d.precision, d.approximate, d.uncertain)


def current_fields(project, kind: str, record) -> dict:
    """The restorable fields of a record as it is now, in the form Project.update_<kind> takes
    (groups and parents by uid, as the log names them)."""
    if kind == "event":
        group_uid = {g.id: g.uid for g in project.groups()}
        out = {name: getattr(record, name) for name in RESTORABLE["event"] if name not in ("groups", "tags")}
        out["groups"] = [(group_uid[link.group_id], link.role) for link in record.groups]
        out["tags"] = list(record.tags)
        return out
    if kind == "group":
        group_uid = {g.id: g.uid for g in project.groups()}
        out = {name: getattr(record, name) for name in ("name", "kind", "color", "description", "position")}
        out["parent"] = group_uid.get(record.parent_id)
        out["aliases"] = [(a.alias, a.lang) for a in record.aliases]
        return out
    if kind in ("source", "period"):
        return {name: getattr(record, name) for name in RESTORABLE[kind]}
    if kind == "place":
        return {name: getattr(record, name) for name in RESTORABLE[kind] if name != "aliases"} | {
            "aliases": list(record.aliases)}
    if kind == "annotation":
        group_uid = {g.id: g.uid for g in project.groups()}
        return {"note": record.note, "credibility": record.credibility, "start": record.start, "end": record.end,
                "groups": [group_uid[g] for g in record.group_ids if g in group_uid], "tags": list(record.tags)}
    raise ProjectError(f"a {kind} cannot be restored")


def _row_fields(kind: str, row: dict) -> dict:
    """The restorable fields a row of the log gives (links excepted)."""
    out: dict = {}
    for name, columns in DATE_FIELDS.get(kind, {}).items():
        if name in RESTORABLE[kind]:
            out[name] = date_of(row, columns)
    for name in RESTORABLE[kind]:
        if name in out or name in LINK_FIELDS.get(kind, ()):
            continue
        if name in row:
            value = row[name]
            out[name] = bool(value) if name in ("key_event", "summary") else value
    return out


def _link_key(link: dict) -> str:
    return json.dumps(link, sort_keys=True, ensure_ascii=False)


def _links_now(kind: str, fields: dict) -> dict[str, list[dict]]:
    """The current links as the log writes them."""
    if kind == "event":
        return {"groups": [{"group": g, "role": r} for g, r in fields["groups"]],
                "tags": [{"tag": t} for t in fields["tags"]]}
    if kind == "group":
        return {"aliases": [{"alias": a, "lang": lang} for a, lang in fields["aliases"]]}
    if kind == "place":
        return {"aliases": [{"alias": a} for a in fields["aliases"]]}
    if kind == "annotation":
        return {"groups": [{"group": g} for g in fields["groups"]], "tags": [{"tag": t} for t in fields["tags"]]}
    return {}


def _links_field(kind: str, name: str, links: list[dict]):
    if name == "tags":
        return [link["tag"] for link in links]
    if name == "aliases":
        if kind == "place":
            return [link["alias"] for link in links]
        return [(link["alias"], link.get("lang")) for link in links]
    if kind == "event":
        return [(link["group"], link["role"]) for link in links]
    return [link["group"] for link in links]


def _same(name: str, a, b) -> bool:
    if isinstance(a, FuzzyDate) or isinstance(b, FuzzyDate):
        return _date_key(a) == _date_key(b)
    if name in ("groups", "tags", "aliases"):
        return sorted(map(repr, a or ())) == sorted(map(repr, b or ()))
    return a == b


def restoration(project, kind: str, uid: str, history: Sequence, change_set_id: int,
                side: str = "before") -> Restoration:
    """What puts the record `uid` back as it was `side` ("before" or "after") the change set
    `change_set_id` of `history` (Project.history(uid): newest first)."""
    if kind not in RESTORABLE:
        raise ProjectError(f"a {kind} cannot be restored")
    record = find_record(project, kind, uid)
    if record is None:
        raise ProjectError(f"no {kind} with uid {uid!r} in the project (deleted?)")
    index = next((i for i, (cs, _) in enumerate(history) if cs.id == change_set_id), None)
    if index is None:
        raise ProjectError(f"change set {change_set_id} is not in the history of {uid!r}")
    if history[index][0].merged_by is not None:
        raise ProjectError(f"made in another copy and {merged_text(history[index][0])}: this file never had that "
                           "version (restore the version before or after the merge)")
    chosen = [c for c in history[index][1] if c.uid == uid]
    if side == "before" and any(c.op == "insert" for c in chosen):
        raise ProjectError(f"the {kind} did not exist before that change")
    later = [(cs, changes) for cs, changes in (history[:index] if side == "after" else history[:index + 1])
             if cs.merged_by is None]
    later_changes = [c for _, changes in reversed(later) for c in changes if c.uid == uid]  # oldest first
    now = current_fields(project, kind, record)
    target = dict(now)
    first_update = next((c for c in later_changes if c.op == "update" and c.before), None)
    if first_update is not None:
        target.update(_row_fields(kind, first_update.before))
    skipped: list[str] = []
    for name, links in _links_now(kind, now).items():
        count = Counter(_link_key(link) for link in links)
        seen = {_link_key(link): link for link in links}
        for c in later_changes:
            if c.field != name or c.op not in ("link", "unlink"):
                continue
            link = c.after if c.op == "link" else c.before
            seen.setdefault(_link_key(link), link)
            count[_link_key(link)] += -1 if c.op == "link" else 1
        kept = [seen[key] for key, n in count.items() for _ in range(max(n, 0))]
        if name == "groups":
            known = {g.uid for g in project.groups()}
            skipped += [f"group {link['group']}" for link in kept if link.get("group") not in known]
            kept = [link for link in kept if link.get("group") in known]
        target[name] = _links_field(kind, name, kept)
    if kind == "annotation" and (target["start"], target["end"]) != (now["start"], now["end"]):
        # Offsets point into the source's text as it is now: after Replace text they would mark
        # other words, so they are put back only where the text still reads the passage's quote then.
        then = first_update.before.get("quote") if first_update is not None else None
        body = project.source(record.source_id).body or ""
        if then is None or body[target["start"]:target["end"]] != then:
            skipped.append("its position (the source's text has changed since)")
            target["start"], target["end"] = now["start"], now["end"]
    if kind == "group" and target.get("parent") is not None and \
            target["parent"] not in {g.uid for g in project.groups()}:
        skipped.append(f"parent group {target['parent']}")
        target["parent"] = now["parent"]
    changed = {name: target[name] for name in RESTORABLE[kind] if not _same(name, now[name], target[name])}
    return Restoration(kind, record.id, changed, {name: now[name] for name in changed}, tuple(skipped))


def apply(project, kind: str, record_id: int, fields: dict) -> None:
    """Write restorable fields through Project (one transaction)."""
    if not fields:
        return
    update = {"event": project.update_event, "group": project.update_group, "source": project.update_source,
              "annotation": project.update_annotation, "period": project.update_period,
              "place": project.update_place}[kind]
    update(record_id, **fields)
