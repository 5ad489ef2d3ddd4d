"""`sijill restore PROJECT UID [--to CHANGE | --before CHANGE] [--dry-run] [--json]`: the command
line's undo, one record at a time (no Qt).

The window's History tab has "Restore this version" and "Restore the version before"; this is the
same, by the same rules (`sijill.db.history.versions.restoration`): an event, group, period, source
or annotation is put back as it was just after (`--to`) or just before (`--before`) one change set
of its history, named by the uid `sijill history PROJECT UID` prints (or a prefix of it, as git
takes a commit's). With neither, the record goes back to before its latest change in this file: undo
of the last thing done to it, whoever did it and whenever (what a merge brought in is undone by
restoring the version before the merge; the other copy's change sets it copied were never this
file's versions, and are refused). The restore is one change set, labelled as the
window labels it ("Restore “Tower 22 attack” to 2026-12-06 21:50:03 UTC", kind "restore"), so it
can itself be restored away. What cannot be put back (a link to a group deleted since, a
passage's offsets in a replaced text) is listed.

The uid of a deleted record (`sijill history PROJECT --deleted` lists them) brings it back from its
last delete, in any later session (`sijill.db.history.undelete`): same uid, fields and links, a
source with the passages deleted with it, one change set "Restore deleted event “Tower 22 attack”"
(kind "restore"); the links it could not re-attach are listed. --to/--before do not apply to it.
A record a merge removed is refused, naming the record kept and the `--before` that takes the merge
back; --dry-run refuses what the run would.
"""
from __future__ import annotations

from sijill.db.history.describe import Names, describe, when_text
from sijill.db.history.labels import restore_version_label
from sijill.db.history.undelete import check, find_deleted, restore_label, undelete
from sijill.db.history.versions import apply, find_record, restoration
from sijill.db.store.basics import ProjectError
from sijill.db.store.project import Project
from sijill.desktop.cli.history import record_kind, record_lines
from sijill.desktop.undo_text import quoted

TITLE = {"event": "title", "group": "name", "period": "title", "source": "title", "annotation": "quote",
         "place": "name"}
MIN_PREFIX = 4


def _change_index(history, ref: str, uid: str) -> int:
    """Where the change set `ref` (its uid or a unique prefix) is in the record's history."""
    ref = ref.strip().lower()
    if len(ref) < MIN_PREFIX:
        raise ProjectError(f"give at least {MIN_PREFIX} characters of the change's uid, not {ref!r}")
    found = [i for i, (cs, _c) in enumerate(history) if cs.uid and cs.uid.lower().startswith(ref)]
    if not found:
        raise ProjectError(f"no change {ref!r} in the history of {uid} (sijill history PROJECT {uid} lists them)")
    if len(found) > 1:
        raise ProjectError(f"{ref!r} names {len(found)} changes of {uid}: give more of its uid")
    return found[0]


def _latest_here(history) -> int:
    """The record's latest change made in this file (a change set a merge copied in was made in another copy:
    taking it back means restoring the version before the merge)."""
    return next((i for i, (cs, _c) in enumerate(history) if cs.merged_by is None), 0)


def cmd_restore(args, emit) -> None:
    with Project.open(args.project, read_only=args.dry_run) as project:
        uid = args.uid.strip()
        kind = record_kind(project, uid)
        if kind is None:
            _undelete(args, project, uid, emit)
            return
        history = project.history(uid)
        if not history:
            raise ProjectError(f"no recorded change to the {kind} {uid}: nothing to restore")
        if args.to:
            index, side = _change_index(history, args.to, uid), "after"
        else:
            index = _change_index(history, args.before, uid) if args.before else _latest_here(history)
            side = "before"
        plan = restoration(project, kind, uid, history, history[index][0].id, side)
        title = getattr(find_record(project, kind, uid), TITLE[kind])
        label = restore_version_label(title, history, index, side)
        data = {"kind": kind, "uid": uid, "label": label, "fields": sorted(plan.fields),
                "skipped": list(plan.skipped), "written": False, "change": None}
        lines = []
        if not plan.fields:
            lines.append(f"the {kind} {quoted(title)} is already as it was then: nothing to restore")
        elif args.dry_run:
            lines.append(f"would {label[0].lower()}{label[1:]}: {', '.join(sorted(plan.fields))}")
        else:
            with project.labelled(label, kind="restore"):
                apply(project, kind, plan.record_id, plan.fields)
            change_set, changes = project.history(uid)[0]
            data.update(written=True, change=change_set.uid)
            lines.append(f"{label} (change {change_set.uid[:8]})")
            for record in describe([c for c in changes if c.uid == uid], Names(project)):
                lines += record_lines(record)
        lines += [f"  not restored: {what}" for what in plan.skipped]
    emit(args, data, "\n".join(lines))


def _deleted_text(deleted) -> str:
    """"deleted 2026-12-06 21:50:03 UTC by Samira (Delete event)": when, by whom and in which change."""
    return ("deleted" + (f" {when_text(deleted.at)}" if deleted.at else "")
            + (f" by {deleted.analyst}" if deleted.analyst else "")
            + (f" ({deleted.change_label})" if deleted.change_label else " (outside Sijill)"))


def _undelete(args, project: Project, uid: str, emit) -> None:
    """Bring the deleted record `uid` back (refused, naming why, when it was never deleted here)."""
    if args.to or args.before:
        find_deleted(project, uid)  # a uid never seen is said so first
        raise ProjectError(f"{uid} is a deleted record: it comes back as it was deleted (sijill restore "
                           f"{args.project} {uid}), not to a version (--to/--before)")
    if args.dry_run:
        deleted = find_deleted(project, uid)
        check(project, deleted)  # what the real run would refuse
        label = restore_label(deleted.kind, deleted.title)
        data = {"kind": deleted.kind, "uid": uid, "label": label, "deleted": True, "restored": [],
                "skipped": [], "written": False, "change": None}
        emit(args, data, f"would {label[0].lower()}{label[1:]}, {_deleted_text(deleted)}")
        return
    done = undelete(project, uid)
    change_set = project.history(uid)[0][0]
    data = {"kind": done.kind, "uid": uid, "label": done.label, "deleted": True, "restored": list(done.restored),
            "skipped": list(done.skipped), "written": True, "change": change_set.uid}
    lines = [f"{done.label} (change {change_set.uid[:8]})"]
    lines += [f"  with {what}" for what in done.restored]
    lines += [f"  not re-attached: {what}" for what in done.skipped]
    emit(args, data, "\n".join(lines))


def add_parsers(sub, emit) -> None:
    """Add `restore` to `sub` (desktop.cli's subparsers)."""
    help = ("put a record back as it was before its latest change (the command line's undo), or as it was "
            "just after (--to) or just before (--before) a change sijill history lists; bring a deleted record "
            "back (sijill history PROJECT --deleted lists them)")
    p = sub.add_parser("restore", help=help, description=help + "; one change set, itself restorable")
    p.add_argument("project", help="the project file (.sijill)")
    p.add_argument("uid", help="the event, group, period, source, annotation or place (its uid), or a deleted "
                   "one's")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--to", metavar="CHANGE", help="the version just after this change (its uid, or the "
                       "first characters of it, as sijill history PROJECT UID prints)")
    which.add_argument("--before", metavar="CHANGE", help="the version just before this change")
    p.add_argument("--dry-run", action="store_true", help="say which fields would change, writing nothing")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=lambda args: cmd_restore(args, emit))
