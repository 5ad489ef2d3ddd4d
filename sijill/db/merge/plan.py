"""What merging FROM into INTO would do, worked out before anything is written.

Three-way (the files share a lineage, meta 'uid'): by uid against the common state the change logs
give (`sijill.db.merge.history`). A field or link FROM changed and INTO did not takes FROM's value;
changed on both sides to different values, it is a conflict and keeps INTO's; a record FROM created
is added, one FROM deleted is deleted unless INTO changed it, one edited on one side and deleted on
the other is a conflict. Two-way (no common lineage): what INTO lacks is added, and every field that
differs is a conflict, INTO's value kept.

References are resolved by uid in INTO after the additions (a new group's parent, a new
annotation's source, an event's groups and evidence); one that points at a record INTO no longer
has is a conflict. Annotations whose source's text is not, after the merge, the text their passage
was found in are re-anchored (`sijill.db.text.anchoring`); a passage that cannot be found is kept as
it was and flagged orphaned, never dropped.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sijill.db.text.anchoring import reanchor
from sijill.db.store.library import quote_parts
from sijill.db.merge.history import MISSING, Touch, change_set_ids, own_change_sets, read_touches
from sijill.db.merge.state import KINDS, LINKS, TABLES, Record, field_names, read_all, read_records
from sijill.db.merge.values import Names, to_json
from sijill.db.store.project import Project

BOTH = "changed on both sides"
DELETED_IN_INTO = "deleted in INTO, changed in FROM"
DELETED_IN_FROM = "deleted in FROM, changed in INTO"
DIFFERS = "differs (the files share no history)"


@dataclass
class FieldChange:
    """A field (or link set) of a record in INTO set to FROM's value; for a link set, `elements`
    holds the links to set (key -> value) or remove (key -> MISSING)."""

    kind: str
    uid: str
    title: str
    field: str
    into: object
    from_: object
    elements: dict = field(default_factory=dict)
    reason: str = ""  # why the merge itself changed it (re-anchoring), when FROM did not


@dataclass
class Conflict:
    """A field (or a whole record) the merge leaves as INTO has it, with both sides' values and why."""

    kind: str
    uid: str
    title: str
    field: str | None  # None: the whole record (deleted on one side)
    into: object
    from_: object
    reason: str
    choosable: bool = True  # whether FROM's side can be taken instead (not for a reference INTO lacks)

    @property
    def key(self) -> tuple[str, str, str | None]:
        """What a choice to take FROM's side names: kind, uid and field (None: the whole record)."""
        return self.kind, self.uid, self.field


@dataclass
class MergePlan:
    """Everything a merge writes (records added, fields changed, records deleted, FROM's change sets to
    copy) and the conflicts it leaves; `apply_plan` writes exactly this."""

    into_path: str
    from_path: str
    three_way: bool
    why: str  # why the merge is three-way or two-way, for the analyst
    added: list[Record] = field(default_factory=list)
    changed: list[FieldChange] = field(default_factory=list)
    deleted: list[Record] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    copy_change_sets: list[int] = field(default_factory=list)  # FROM's own change sets (ids in FROM)
    take_from: frozenset = frozenset()  # Conflict.key of the conflicts to settle with FROM's side
    names: Names = field(default_factory=lambda: Names({}))
    aliases: dict[str, str] = field(default_factory=dict)  # FROM group uid -> INTO's group of that name

    @property
    def writes(self) -> bool:
        return bool(self.added or self.changed or self.deleted or self.copy_change_sets)

    def to_json(self) -> dict:
        def val(kind, name, value):
            return None if value is MISSING else to_json(kind, name, value) if name else value

        return {
            "into": self.into_path, "from": self.from_path,
            "mode": "three-way" if self.three_way else "two-way", "why": self.why,
            "added": [{"kind": r.kind, "uid": r.uid, "title": r.title} for r in self.added],
            "changed": [{"kind": c.kind, "uid": c.uid, "title": c.title, "field": c.field,
                         "into": val(c.kind, c.field, c.into), "from": val(c.kind, c.field, c.from_),
                         **({"reason": c.reason} if c.reason else {})} for c in self.changed],
            "deleted": [{"kind": r.kind, "uid": r.uid, "title": r.title} for r in self.deleted],
            "conflicts": [{"kind": c.kind, "uid": c.uid, "title": c.title, "field": c.field,
                           "into": val(c.kind, c.field, c.into), "from": val(c.kind, c.field, c.from_),
                           "reason": c.reason} for c in self.conflicts],
            "change_sets_copied": len(self.copy_change_sets),
        }


def plan_merge(into: Project, from_: Project, take_from: Iterable[tuple] = ()) -> MergePlan:
    """Everything merging `from_` into `into` would do (nothing is written). The conflicts named in
    `take_from` (by `Conflict.key`: the analyst chose FROM's side) become changes instead."""
    ids_into, ids_from = change_set_ids(into), change_set_ids(from_)
    three_way, why = _common_history(into, from_, bool(ids_into.keys() & ids_from.keys()))
    plan = MergePlan(str(into.path), str(from_.path), three_way, why, take_from=frozenset(take_from))
    if three_way:
        own_from, own_into = own_change_sets(ids_from, ids_into), own_change_sets(ids_into, ids_from)
        shared_from = {i for uid, (i, _kind) in ids_from.items() if uid in ids_into}
        shared_into = {i for uid, (i, _kind) in ids_into.items() if uid in ids_from}
        touch_from = read_touches(from_, own_from, shared_from)
        touch_into = read_touches(into, own_into, shared_into)
        uids = {k: set(touch_from.get(k, {})) | set(touch_into.get(k, {})) for k in KINDS}
        state_into, state_from = read_all(into, uids), read_all(from_, uids)
        for kind in KINDS:
            for uid in sorted(uids[kind]):
                _three_way(plan, kind, uid, state_into[kind].get(uid), state_from[kind].get(uid),
                           touch_into.get(kind, {}).get(uid), touch_from.get(kind, {}).get(uid))
        _keep_what_into_refers_to(plan, state_into, touch_into)
        plan.copy_change_sets = sorted(i for uid, (i, _kind) in ids_from.items() if uid not in ids_into)
    else:
        state_into, state_from = read_all(into), read_all(from_)
        for kind in KINDS:
            for uid in sorted(state_from[kind]):
                _two_way(plan, kind, state_into[kind].get(uid), state_from[kind][uid])
    plan.names = Names.read(into, from_)
    _resolve_references(plan, into)
    _keep_groups_acyclic(plan, into)
    _reanchor(plan, into, from_, state_into, state_from)
    return plan


def _common_history(into: Project, from_: Project, shared: bool) -> tuple[bool, str]:
    """Whether the change logs describe both files since their common state, and why (not).

    Copies of one project share its lineage (meta 'uid'). A change set both files hold was made before
    the copy, so everything since is in their logs. Without one, the copy was made before any change
    set: the logs still reach back to it unless a file holds records no logged insert made (written
    by a Sijill that kept no log, before the copy)."""
    if into.uid is None or into.uid != from_.uid:
        return False, "the files are not copies of one project (different lineage)"
    if shared:
        return True, "both files are copies of one project and share its history"
    for project in (into, from_):
        for kind in KINDS:
            table = TABLES[kind]
            if project.db.execute(f"SELECT 1 FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM changes c "
                                  "WHERE c.uid = t.uid AND c.op = 'insert') LIMIT 1").fetchone():
                return False, (f"{project.path.name} holds records made before Sijill kept a change log, so the "
                               "state both copies started from is not known")
    return True, "both files are copies of one project, and their logs reach back to the copy"


def _three_way(plan: MergePlan, kind: str, uid: str, mine: Record | None, theirs: Record | None,
               t_into: Touch | None, t_from: Touch | None) -> None:
    """One record touched by either side's own changes. FROM's changes give the common state of what
    they touched, so INTO changed a field when its value is no longer that one."""
    if t_from is None or (mine is None and theirs is None):
        return  # only INTO changed it: INTO has it as it should be
    if mine is None:
        if t_from.inserted and not (t_into and t_into.deleted):
            plan.added.append(theirs)
        elif t_from.any_change(theirs):  # it was in the common state: INTO deleted it
            _conflict(plan, Conflict(kind, uid, theirs.title, None, "deleted", "changed", DELETED_IN_INTO),
                      lambda: plan.added.append(theirs))
        return
    if theirs is None:
        if t_from.inserted or not t_from.deleted:
            return
        if t_from.differs(mine):
            _conflict(plan, Conflict(kind, uid, mine.title, None, "changed", "deleted", DELETED_IN_FROM),
                      lambda: plan.deleted.append(mine))
        else:
            plan.deleted.append(mine)
        return
    for name in field_names(kind):
        if not t_from.changed(name, theirs):
            continue
        ours, new = mine.value(name), theirs.value(name)
        if ours == new:
            continue
        if name in LINKS.get(kind, ()):
            _merge_links(plan, kind, name, mine, theirs, t_from)
        elif t_from.inserted or ours != t_from.fields[name]:
            _conflict(plan, Conflict(kind, uid, mine.title, name, ours, new, BOTH), _taking(plan, mine, name, new))
        else:
            plan.changed.append(FieldChange(kind, uid, mine.title, name, ours, new))


def _keep_what_into_refers_to(plan: MergePlan, state_into: dict, touch_into: dict) -> None:
    """A record FROM deleted that INTO's own changes made something refer to (a passage annotated in a
    source, an event linked to a group, evidence citing it) is a conflict, not a deletion that would take
    those with it."""
    refs: set[tuple[str, str]] = set()
    for kind, touches in touch_into.items():
        for uid, touch in touches.items():
            r = state_into[kind].get(uid)
            if r is None or not touch.any_change(r):
                continue
            refs |= {("group", g) for g in r.links.get("groups", {})}
            if kind == "annotation":
                refs.add(("source", r.row["source"]))
            elif kind == "group" and r.row.get("parent"):
                refs.add(("group", r.row["parent"]))
            for source, annotation, _stance in r.links.get("evidence", {}):
                refs |= {("source", source), ("annotation", annotation)}
    for r in [r for r in plan.deleted if (r.kind, r.uid) in refs]:
        plan.deleted.remove(r)
        _conflict(plan, Conflict(r.kind, r.uid, r.title, None, "referred to", "deleted",
                                 f"{DELETED_IN_FROM}: INTO's own changes refer to it"),
                  lambda r=r: plan.deleted.append(r))


def _merge_links(plan: MergePlan, kind: str, name: str, mine: Record, theirs: Record, t_from: Touch) -> None:
    """Link by link: those FROM changed take FROM's state where INTO's is still the common one;
    where INTO's differs from both, the set is a conflict (INTO's links kept, FROM's others applied)."""
    ours, new = mine.value(name), theirs.value(name)
    elements, clashes = {}, []
    for key in set(ours) | set(new):
        a, b = ours.get(key, MISSING), new.get(key, MISSING)
        if a == b or not t_from.link_changed(name, key, new):
            continue
        if t_from.inserted or a != t_from.link_base(name, key):
            clashes.append(key)
            if (kind, mine.uid, name) not in plan.take_from:
                continue
        elements[key] = b
    if elements:
        result = {k: v for k, v in {**ours, **elements}.items() if v is not MISSING}
        plan.changed.append(FieldChange(kind, mine.uid, mine.title, name, ours, result, elements))
    if clashes:  # listed with the clashing links only; taken, FROM's side of them is among `elements`
        _conflict(plan, Conflict(kind, mine.uid, mine.title, name, {k: ours[k] for k in clashes if k in ours},
                                 {k: new[k] for k in clashes if k in new}, BOTH), lambda: None)


def _two_way(plan: MergePlan, kind: str, mine: Record | None, theirs: Record) -> None:
    if mine is None:
        plan.added.append(theirs)
        return
    for name in field_names(kind):
        if mine.value(name) != theirs.value(name):
            _conflict(plan, Conflict(kind, mine.uid, mine.title, name, mine.value(name), theirs.value(name), DIFFERS),
                      _taking(plan, mine, name, theirs.value(name)))


def _conflict(plan: MergePlan, conflict: Conflict, take: Callable[[], None]) -> None:
    """List a conflict, or settle it with FROM's side (`take`) when the analyst chose so."""
    if conflict.key in plan.take_from:
        take()
    else:
        plan.conflicts.append(conflict)


def _taking(plan: MergePlan, mine: Record, name: str, new) -> Callable[[], None]:
    """How to take FROM's value of a field (for a link set: every link that differs)."""
    ours = mine.value(name)

    def take() -> None:
        elements = {}
        if name in LINKS.get(mine.kind, ()):
            elements = {k: new.get(k, MISSING) for k in set(ours) | set(new) if ours.get(k, MISSING) != new.get(k, MISSING)}
        plan.changed.append(FieldChange(mine.kind, mine.uid, mine.title, name, ours, new, elements))
    return take


# ---- references ---------------------------------------------------------------------------------
def _resolve_references(plan: MergePlan, into: Project) -> None:
    """Check that what the merge writes points at records INTO will have; a group FROM adds under
    a name INTO already gives another group stands for that group instead (a conflict)."""
    adding = {(r.kind, r.uid) for r in plan.added}
    deleting = {(r.kind, r.uid) for r in plan.deleted}
    names = {kind: {name: uid for uid, name in into.db.execute(f"SELECT uid, name FROM {TABLES[kind]}")}
             for kind in ("group", "place")}  # the kinds whose names are unique
    kept = []
    for r in plan.added:
        taken = names.get(r.kind, {}).get(r.row.get("name"))
        if taken is not None and taken != r.uid:
            if r.kind == "group":
                plan.aliases[r.uid] = taken
            plan.conflicts.append(Conflict(r.kind, r.uid, r.title, "name", r.title, r.title,
                                           f"INTO has another {r.kind} of that name"
                                           + (": FROM's links use it" if r.kind == "group" else ""), False))
            continue
        kept.append(r)
    plan.added = kept
    for c in [c for c in plan.changed if c.kind in names and c.field == "name"]:
        if names[c.kind].get(c.from_, c.uid) != c.uid:
            plan.changed.remove(c)
            plan.conflicts.append(Conflict(c.kind, c.uid, c.title, "name", c.into, c.from_,
                                           f"INTO has another {c.kind} of that name", False))

    def exists(kind: str, uid: str | None) -> bool:
        if uid is None:
            return True
        if kind == "group" and uid in plan.aliases:
            return True
        if (kind, uid) in deleting:
            return False
        if (kind, uid) in adding:
            return True
        table = {"group": "groups", "source": "sources", "annotation": "annotations"}[kind]
        return into.db.execute(f"SELECT 1 FROM {table} WHERE uid = ?", [uid]).fetchone() is not None

    def missing(kind: str, uid: str, title: str, name: str, value, what: str) -> None:
        plan.conflicts.append(Conflict(kind, uid, title, name, None, value, f"refers to {what} INTO does not have",
                                       False))

    kept = []
    for r in plan.added:
        if r.kind == "annotation" and not exists("source", r.row.get("source")):
            missing("annotation", r.uid, r.title, "source", r.row.get("source"), "a source")
            continue
        if r.kind == "group" and not exists("group", r.row.get("parent")):
            missing("group", r.uid, r.title, "parent", r.row.get("parent"), "a group")
            r.row["parent"] = None
        for name, items in r.links.items():
            for key in list(items):
                if not _link_resolves(name, key, exists):
                    missing(r.kind, r.uid, r.title, name, {key: items.pop(key)}, "a record")
        kept.append(r)
    plan.added = kept
    for c in list(plan.changed):
        if c.field in ("parent", "source") and not exists("group" if c.field == "parent" else "source", c.from_):
            plan.changed.remove(c)
            missing(c.kind, c.uid, c.title, c.field, c.from_, "a record")
        for key in [k for k, v in c.elements.items() if v is not MISSING and not _link_resolves(c.field, k, exists)]:
            missing(c.kind, c.uid, c.title, c.field, {key: c.elements.pop(key)}, "a record")
            c.from_ = {k: v for k, v in c.from_.items() if k != key}
            if not c.elements:
                plan.changed.remove(c)


def _keep_groups_acyclic(plan: MergePlan, into: Project) -> None:
    """A new parent that, with the other side's, would put a group inside itself is a conflict."""
    parent = dict(into.db.execute("SELECT g.uid, p.uid FROM groups g LEFT JOIN groups p ON p.id = g.parent_id"))
    parent.update((r.uid, r.row.get("parent")) for r in plan.added if r.kind == "group")
    for c in [c for c in plan.changed if c.kind == "group" and c.field == "parent"]:
        seen, up = {c.uid}, c.from_
        while up is not None and up not in seen:
            seen.add(up)
            up = parent.get(up)
        if up is None:
            parent[c.uid] = c.from_
            continue
        plan.changed.remove(c)
        plan.conflicts.append(Conflict("group", c.uid, c.title, "parent", c.into, c.from_,
                                       "with INTO's own changes this would place the group inside itself", False))


def _link_resolves(name: str, key, exists) -> bool:
    if name == "groups":
        return exists("group", key)
    if name == "evidence":
        source, annotation, _stance = key
        return exists("source", source) and exists("annotation", annotation)
    return True


# ---- re-anchoring -------------------------------------------------------------------------------
def _reanchor(plan: MergePlan, into: Project, from_: Project, state_into: dict, state_from: dict) -> None:
    """Find again the passages whose source text, after the merge, is not the text they were found in."""
    new_body = {c.uid: c.from_ for c in plan.changed if c.kind == "source" and c.field == "body"}
    written = {c.uid: c for c in plan.changed if c.kind == "annotation" and c.field == "passage"}
    added = {r.uid: r for r in plan.added if r.kind == "annotation"}
    added_sources = {r.uid: r.row["body"] for r in plan.added if r.kind == "source"}
    from_sources = {r.row["source"] for r in [*added.values()]} | {
        state_from["annotation"][u].row["source"] for u in written if u in state_from["annotation"]}
    from_body = {u: r.row["body"] for u, r in read_records(from_, "source", from_sources).items()}
    into_sources = read_records(into, "source", from_sources | set(new_body))
    final = {u: r.row["body"] for u, r in into_sources.items()} | added_sources | new_body

    def place(source: str, passage: tuple, old_body: str | None) -> tuple | None:
        """The passage found in the source's text after the merge, or None when that text is the old one."""
        body = final.get(source)
        if body is None or body == old_body:
            return None
        start, end, quote, prefix, suffix, _orphaned = passage
        res = reanchor(old_body, body, [{"start": start, "end": end, "quote": quote, "prefix": prefix,
                                        "suffix": suffix}])[0]
        if res.status == "orphaned":
            return (start, end, quote, prefix, suffix, 1)
        return (res.start, res.end, *quote_parts(body, res.start, res.end), 0)

    for r in added.values():
        source = r.row["source"]
        moved = place(source, _passage(r.row), from_body.get(source))
        if moved:
            r.row.update(zip(("start", "end", "quote", "prefix", "suffix", "orphaned"), moved))
    for uid, c in written.items():
        source = state_from["annotation"][uid].row["source"]
        moved = place(source, c.from_, from_body.get(source))
        if moved:
            c.from_ = moved
    if not new_body:
        return
    marks = ", ".join("?" * len(new_body))
    mine = [u for (u,) in into.db.execute(
        f"SELECT a.uid FROM annotations a JOIN sources s ON s.id = a.source_id WHERE s.uid IN ({marks})",
        list(new_body))]
    for uid, r in read_records(into, "annotation", [u for u in mine if u not in written]).items():
        moved = place(r.row["source"], _passage(r.row), into_sources[r.row["source"]].row["body"])
        if moved and moved != _passage(r.row):
            plan.changed.append(FieldChange("annotation", uid, r.title, "passage", _passage(r.row), moved,
                                            reason="re-anchored in the merged text"))


def _passage(row: dict) -> tuple:
    return tuple(row[c] for c in ("start", "end", "quote", "prefix", "suffix", "orphaned"))
