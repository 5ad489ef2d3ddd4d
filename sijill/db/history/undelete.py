"""Bring back a record deleted in any earlier session, from the change log (Qt-free).

Undo brings a deletion back only within the session that made it. The log keeps more: a delete
records the whole row, foreign keys as uids, with its links (`sijill.db.store.changes`), and a
source's passages deleted with it whole, with theirs. `undelete` writes that row again under the
same uid (a new row id: ids are not logged, and no other record refers to it by id), in one
transaction and one change set of kind "restore" labelled as the window labels it ("Restore
deleted event “Tower 22 attack”").

Links are re-attached by uid where the other end still exists; the others are named in
`Undeleted.skipped` (a group deleted too, a passage cited as evidence that is gone), never dropped
silently. What the delete took from records that stay is put back as well, from the same change
set: a source's evidence links to events, a group's links to events and passages and its sub-groups
(moved up when it went), a passage's pin on evidence. An event's dataset origin is not logged: an
event brought back this way is updated by a later import of its dataset only if that import finds
it by other means. Tags are not records (no uid): deleting one is logged on the events it tagged.

A record a merge removed (`merge_sources`, `merge_events`, `merge_periods`) is refused, naming the
merge and the record kept (`merged_into`): its passages, evidence and links belong to that record
now, and taking the merge back is restoring the record kept to before it. Evidence is never
re-linked to a passage that is in another source now. The log leaves the bookkeeping stamps out: a
record brought back keeps the time of its logged insert as created_at/added_at.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from sijill.db.history.describe import TITLE_FIELD, Names
from sijill.db.history.labels import quoted
from sijill.db.store.basics import ProjectError, now_iso
from sijill.db.store.changes import LINK_FIELDS, RECORDS

KIND_NAME = {"event": "event", "group": "group", "period": "period", "source": "source",
             "annotation": "passage", "place": "place"}
# merge_text's label ("Merge event “X” into “Y”", "Merge 3 events into “Y”"): the title kept is group 1
_MERGE_LABEL = r"Merge (?:{kind} “.*”|\d+ {kind}s) into “(.*)”$"
_CREATED = ("created_at", "added_at")  # not logged (bookkeeping): the time of the record's logged insert


def restore_label(kind: str, title: str | None) -> str:
    """The change set's label, the same in the window and on the command line."""
    return f"Restore deleted {KIND_NAME[kind]} {quoted(title)}"


@dataclass(frozen=True)
class Deleted:
    """A record that is gone: its last delete in the log."""

    kind: str
    uid: str
    title: str
    at: str | None           # when (None: written outside Sijill with no time)
    analyst: str | None
    change_set: int | None   # the change set that deleted it (None: outside Sijill)
    change_label: str | None
    row: dict                # the row as the log holds it, links included


@dataclass(frozen=True)
class Undeleted:
    """What `undelete` wrote: the record now (`record_id`), the records brought back with it
    (`restored`, e.g. its passages) and the links it could not re-attach (`skipped`)."""

    kind: str
    uid: str
    record_id: int
    title: str
    label: str
    restored: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()


def _exists(project, kind: str, uid: str) -> bool:
    table = RECORDS[kind][0]
    return project.db.execute(f"SELECT 1 FROM {table} WHERE uid = ?", [uid]).fetchone() is not None


def _id(project, kind: str, uid: str | None) -> int | None:
    if uid is None:
        return None
    row = project.db.execute(f"SELECT id FROM {RECORDS[kind][0]} WHERE uid = ?", [uid]).fetchone()
    return row[0] if row else None


def _deletes(project, uid: str | None = None) -> list[tuple]:
    """The log's deletes, newest first: (change id, change set, kind, uid, before, at, analyst, label)."""
    columns = [r[1] for r in project.db.execute("PRAGMA table_info(changes)")]
    at = "coalesce(s.at, c.at)" if "at" in columns else "s.at"
    where, params = ("c.op = 'delete'", [])
    if uid is not None:
        where, params = where + " AND c.uid = ?", [uid]
    return project.db.execute(
        f"SELECT c.id, c.change_set, c.kind, c.uid, c.before, {at}, s.analyst, s.label FROM changes c "
        f"LEFT JOIN change_sets s ON s.id = c.change_set WHERE {where} ORDER BY c.id DESC", params).fetchall()


def _deleted(row: tuple) -> Deleted:
    _cid, set_id, kind, uid, before, at, analyst, label = row
    data = json.loads(before) if before else {}
    return Deleted(kind, uid, str(data.get(TITLE_FIELD[kind]) or uid), at, analyst, set_id, label, data)


def deleted_records(project) -> list[Deleted]:
    """Every record the log saw deleted that is not in the project now, newest deletion first."""
    if not project.feed.enabled:
        return []
    out, seen = [], set()
    for row in _deletes(project):
        kind, uid = row[2], row[3]
        if uid in seen or kind not in RECORDS:
            continue
        seen.add(uid)
        if not _exists(project, kind, uid):
            out.append(_deleted(row))
    return out


def find_deleted(project, uid: str) -> Deleted:
    """The last deletion of `uid`; refused when the record is in the project or the log never saw it."""
    uid = uid.strip()
    for kind in RECORDS:
        if _exists(project, kind, uid):
            raise ProjectError(f"the {KIND_NAME[kind]} {uid} is in the project (not deleted): nothing to bring back")
    rows = _deletes(project, uid) if project.feed.enabled else []
    if not rows or rows[0][2] not in RECORDS:
        raise ProjectError(f"no record with uid {uid!r} was ever deleted in {project.path.name} "
                           "(sijill history PROJECT --deleted lists those that were)")
    return _deleted(rows[0])


class _Writer:
    """The SQL of one undeletion, inside its transaction."""

    def __init__(self, project, deleted: Deleted) -> None:
        self.project = project
        self.db = project.db
        self.deleted = deleted
        self.skipped: list[str] = []
        self.restored: list[str] = []
        self._names: Names | None = None
        self._siblings: list[tuple] | None = None

    @property
    def siblings(self) -> list[tuple]:
        """The other changes of the deleting change set that name the record (read once, when asked: an
        event's restore needs none): what the delete took from records that stay."""
        if self._siblings is None:
            deleted = self.deleted
            self._siblings = [] if deleted.change_set is None else [
                (kind, uid, op, field, json.loads(before) if before else None, json.loads(after) if after else None)
                for kind, uid, op, field, before, after in self.db.execute(
                    "SELECT kind, uid, op, field, before, after FROM changes WHERE change_set = ? AND uid != ? "
                    "AND instr(before, ?) ORDER BY id", [deleted.change_set, deleted.uid, deleted.uid])]
        return self._siblings

    def insert(self, kind: str, row: dict) -> int:
        """The row again under its uid, foreign keys looked up by uid (a new row id)."""
        table, fks = RECORDS[kind]
        columns = [r[1] for r in self.db.execute(f"PRAGMA table_info({table})")]
        values = {c: row[c] for c in columns if c in row and c != "id"}
        for col, (name, target) in fks.items():
            values[col] = _id(self.project, "group" if target == "groups" else "source", row.get(name))
        created = None
        for stamp in _CREATED:
            if stamp in columns:
                created = created or self.created(row["uid"])
                values[stamp] = created
        if "updated_at" in columns:
            values["updated_at"] = now_iso()
        cols = list(values)
        names = ", ".join(f'"{c}"' for c in cols)
        return self.db.execute(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(cols))})",
                               [values[c] for c in cols]).lastrowid

    def created(self, uid: str) -> str:
        """When the record was first made, from its logged insert (the log leaves created_at and added_at
        out): a restored source keeps its place by date added. Now when the insert is older than the log."""
        row = self.db.execute("SELECT coalesce(s.at, c.at) FROM changes c LEFT JOIN change_sets s "
                              "ON s.id = c.change_set WHERE c.uid = ? AND c.op = 'insert' ORDER BY c.id LIMIT 1",
                              [uid]).fetchone()
        if not row or not row[0]:
            return now_iso()
        return row[0].removesuffix("Z") + "+00:00" if row[0].endswith("Z") else row[0]

    # ---- links ----------------------------------------------------------------------------------
    def link(self, kind: str, owner: int, name: str, link: dict) -> str | None:
        """Re-attach one logged link of a record; what could not be re-attached, else None."""
        q = self.db.execute
        if name == "groups":
            gid = _id(self.project, "group", link.get("group"))
            if gid is None:
                return f"group {quoted(self.names.group(link.get('group')))} (deleted since)"
            if kind == "event":
                q("INSERT OR REPLACE INTO event_groups (event_id, group_id, role) VALUES (?, ?, ?)",
                  [owner, gid, link["role"]])
            else:
                q("INSERT OR IGNORE INTO annotation_groups (annotation_id, group_id) VALUES (?, ?)", [owner, gid])
        elif name == "tags":
            table, col = ("event_tags", "event_id") if kind == "event" else ("annotation_tags", "annotation_id")
            q("INSERT OR IGNORE INTO tags (name) VALUES (?)", [link["tag"]])
            q(f"INSERT OR IGNORE INTO {table} ({col}, tag_id) SELECT ?, id FROM tags WHERE name = ?",
              [owner, link["tag"]])
        elif name == "aliases" and kind == "place":
            q("INSERT OR IGNORE INTO place_aliases (place_id, alias) VALUES (?, ?)", [owner, link["alias"]])
        elif name == "aliases":
            q("INSERT OR IGNORE INTO group_aliases (group_id, alias, lang) VALUES (?, ?, ?)",
              [owner, link["alias"], link.get("lang")])
        elif name == "evidence":
            return self.evidence(owner, link)
        return None

    def evidence(self, event_id: int, link: dict) -> str | None:
        source_id = _id(self.project, "source", link.get("source"))
        annotation = link.get("annotation")
        annotation_id = _id(self.project, "annotation", annotation)
        if source_id is None:
            return (f"evidence ({link['stance']}) from the source "
                    f"{quoted(self.names.record('source', link.get('source')))} (deleted since)")
        if annotation is not None and annotation_id is None:
            return (f"evidence ({link['stance']}) from the passage "
                    f"{quoted(self.names.record('annotation', annotation))} (deleted since)")
        if annotation_id is not None:
            owner = self.db.execute("SELECT source_id FROM annotations WHERE id = ?", [annotation_id]).fetchone()[0]
            if owner != source_id:  # a merge moved the passage: citing it under this source would mix two
                owner_uid = self.db.execute("SELECT uid FROM sources WHERE id = ?", [owner]).fetchone()[0]
                return (f"evidence ({link['stance']}) from the passage "
                        f"{quoted(self.names.record('annotation', annotation))} (in the source "
                        f"{quoted(self.names.record('source', owner_uid))} now)")
        if not self.db.execute("SELECT 1 FROM event_evidence WHERE event_id = ? AND source_id = ? AND "
                               "annotation_id IS ? AND stance = ?",
                               [event_id, source_id, annotation_id, link["stance"]]).fetchone():
            self.db.execute("INSERT INTO event_evidence (event_id, source_id, annotation_id, stance, note) "
                            "VALUES (?, ?, ?, ?, ?)", [event_id, source_id, annotation_id, link["stance"],
                                                       link.get("note")])
        return None

    def own_links(self, kind: str, owner: int, row: dict, whose: str = "") -> None:
        for _table, _col, name in LINK_FIELDS[kind]:
            for link in row.get(name) or ():
                missing = self.link(kind, owner, name, link)
                if missing:
                    self.skipped.append(whose + missing)

    @property
    def names(self) -> Names:
        if self._names is None:
            self._names = Names(self.project)
        return self._names

    # ---- what the delete took from records that stay --------------------------------------------
    def taken(self, field: str, key: str, uid: str, op: str = "unlink") -> list[tuple[str, str, dict]]:
        """The links the deleting change set took from other records: (their kind, their uid, the link)."""
        return [(kind, owner, before) for kind, owner, o, f, before, _after in self.siblings
                if o == op and f == field and before and before.get(key) == uid]

    def relink(self, field: str, key: str, uid: str) -> None:
        for kind, owner_uid, link in self.taken(field, key, uid):
            owner = _id(self.project, kind, owner_uid)
            if owner is None:
                continue  # deleted since: its own restore brings its links back
            missing = self.link(kind, owner, field, link)
            if missing:
                self.skipped.append(f"{KIND_NAME[kind]} {quoted(self.names.record(kind, owner_uid))}: {missing}")


def _links_moved(project, deleted: Deleted) -> str | None:
    """The uid of the record the deleting change set moved the deleted record's passages or links onto
    (what `merge_sources` and `merge_events` do), else None."""
    q, set_id, uid = project.db.execute, deleted.change_set, deleted.uid
    if deleted.kind == "source":
        for (after,) in q("SELECT after FROM changes WHERE change_set = ? AND kind = 'annotation' AND op = 'update' "
                          "AND instr(before, ?)", [set_id, uid]):
            source = json.loads(after).get("source") if after else None
            if source and source != uid:
                return source
        gone = {(owner, link.get("annotation"), link.get("stance")) for owner, link in (
            (owner, json.loads(before)) for owner, before in q(
                "SELECT uid, before FROM changes WHERE change_set = ? AND op = 'unlink' AND field = 'evidence' "
                "AND instr(before, ?)", [set_id, uid])) if link.get("source") == uid}
        if gone:
            for owner, after in q("SELECT uid, after FROM changes WHERE change_set = ? AND op = 'link' "
                                  "AND field = 'evidence'", [set_id]):
                link = json.loads(after)
                if (owner, link.get("annotation"), link.get("stance")) in gone and link.get("source") != uid:
                    return link.get("source")
    elif deleted.kind == "event":
        had = {(name, json.dumps(link, sort_keys=True)) for _t, _c, name in LINK_FIELDS["event"]
               for link in deleted.row.get(name) or ()}
        had |= {(field, json.dumps(json.loads(before), sort_keys=True)) for field, before in q(
            "SELECT field, before FROM changes WHERE change_set = ? AND uid = ? AND op = 'unlink'", [set_id, uid])}
        if had:
            for owner, field, after in q("SELECT uid, field, after FROM changes WHERE change_set = ? AND kind = "
                                         "'event' AND op = 'link' AND uid != ?", [set_id, uid]):
                if (field, json.dumps(json.loads(after), sort_keys=True)) in had:
                    return owner
    return None


def merged_into(project, deleted: Deleted, command: bool = True) -> str | None:
    """Why `deleted` cannot come back when a merge removed it, else None: its passages, evidence and links
    belong to the record kept now, so bringing it back would leave it empty or make it cite another
    source's passages. Seen by what the deleting change set did (moved its passages or links onto another
    record) or by its label (`merge_text`: a period's merge moves nothing). `command`: end with the
    `sijill restore` that brings the record kept to before the merge."""
    if deleted.change_set is None or deleted.kind not in ("event", "source", "period"):
        return None
    set_uid, label, set_kind = project.db.execute("SELECT uid, label, kind FROM change_sets WHERE id = ?",
                                                  [deleted.change_set]).fetchone()
    name = KIND_NAME[deleted.kind]
    by_label = re.search(_MERGE_LABEL.format(kind=name), label or "")  # also "Redo Merge …"
    kept_uid = None if set_kind == "merge" else _links_moved(project, deleted)
    if kept_uid is None and by_label is None:
        return None
    if kept_uid is not None:
        kept = quoted(Names(project).record(deleted.kind, kept_uid))
    else:
        kept = f"“{by_label.group(1)}”"
        table = RECORDS[deleted.kind][0]
        found = project.db.execute(f"SELECT uid FROM {table} WHERE {TITLE_FIELD[deleted.kind]} = ?",
                                   [by_label.group(1)]).fetchall()
        kept_uid = found[0][0] if len(found) == 1 else None
    how = f" (sijill restore PROJECT {kept_uid} --before {set_uid[:8]})" if kept_uid and command else ""
    return (f"the {name} {quoted(deleted.title)} was merged into {kept} by change {set_uid[:8]}: restore "
            f"{kept} to before that change instead{how}")


def check(project, deleted: Deleted, command: bool = True) -> None:
    """Refuse, before writing, what cannot be brought back (the dry run and the window ask the same;
    `command` as for `merged_into`)."""
    row, kind = deleted.row, deleted.kind
    merged = merged_into(project, deleted, command)
    if merged:
        raise ProjectError(merged)
    if kind in ("group", "place"):
        table = RECORDS[kind][0]
        if project.db.execute(f"SELECT 1 FROM {table} WHERE name = ?", [row.get("name")]).fetchone():
            raise ProjectError(f"cannot bring back the {kind} {quoted(row.get('name'))}: another {kind} has "
                               "that name now (rename it first)")
    if kind == "annotation" and _id(project, "source", row.get("source")) is None:
        source = Names(project).record("source", row.get("source") or "")
        raise ProjectError(f"the passage's source {quoted(source)} is deleted too: bring the source back "
                           f"(sijill restore PROJECT {row.get('source')}) and its passages come back with it")


def undelete(project, uid: str) -> Undeleted:
    """Re-create the deleted record `uid` from its last delete (see the module's docstring), in one
    transaction and one change set of kind "restore"."""
    deleted = find_deleted(project, uid)
    check(project, deleted)
    kind, row = deleted.kind, dict(deleted.row)
    label = restore_label(kind, deleted.title)
    with project.labelled(label, kind="restore"), project.batch():
        w = _Writer(project, deleted)
        if kind == "annotation":
            source = project.source(_id(project, "source", row["source"]))
            if (source.body or "")[row["start"]:row["end"]] != row.get("quote"):
                row["orphaned"] = 1
                w.skipped.append("its position (the source's text has changed since): the passage is marked orphaned")
        record_id = w.insert(kind, row)
        if kind == "group" and row.get("parent") and _id(project, "group", row["parent"]) is None:
            w.skipped.append(f"parent group {quoted(w.names.group(row['parent']))} (deleted since)")
        w.own_links(kind, record_id, row)
        if kind == "source":
            passages = [before for k, _u, op, _f, before, _a in w.siblings
                        if k == "annotation" and op == "delete" and before and before.get("source") == uid]
            for passage in passages:
                passage_id = w.insert("annotation", passage)
                w.own_links("annotation", passage_id, passage, f"passage {quoted(passage.get('quote'))}: ")
            if passages:
                w.restored.append(f"{len(passages)} passage{'s' if len(passages) != 1 else ''}")
            w.relink("evidence", "source", uid)
        elif kind == "group":
            w.relink("groups", "group", uid)
            _children_back(w, uid, record_id)
        elif kind == "annotation":
            _pins_back(w, uid, record_id)
    return Undeleted(kind, uid, record_id, deleted.title, label, tuple(w.restored), tuple(w.skipped))


def _children_back(w: _Writer, uid: str, group_id: int) -> None:
    """The sub-groups the deleted group's removal moved up, under it again (if they are still where it put them)."""
    for kind, child, op, _f, before, after in w.siblings:
        if kind == "group" and op == "update" and before and before.get("parent") == uid and after:
            w.db.execute("UPDATE groups SET parent_id = ? WHERE uid = ? AND parent_id IS ?",
                         [group_id, child, _id(w.project, "group", after.get("parent"))])


def _pins_back(w: _Writer, uid: str, annotation_id: int) -> None:
    """Evidence that cited the passage kept its source when the passage went: pin it to the passage again."""
    for kind, event_uid, link in w.taken("evidence", "annotation", uid):
        event_id = _id(w.project, "event", event_uid)
        if event_id is None:
            continue
        w.db.execute("UPDATE event_evidence SET annotation_id = ? WHERE id = (SELECT id FROM event_evidence "
                     "WHERE event_id = ? AND source_id = ? AND annotation_id IS NULL AND stance = ? LIMIT 1)",
                     [annotation_id, event_id, _id(w.project, "source", link.get("source")), link["stance"]])


def delete_again(project, undeleted: Undeleted) -> None:
    """Take an undeletion back (its undo): the record deleted as the window deletes it."""
    delete = {"event": project.delete_event, "group": project.delete_group, "period": project.delete_period,
              "source": project.delete_source, "annotation": project.delete_annotation,
              "place": project.delete_place}[undeleted.kind]
    delete(undeleted.record_id)
