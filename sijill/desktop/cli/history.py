"""`sijill history PROJECT [UID] [--since DATE] [--analyst NAME] [--deleted] [--json]`: who changed what,
when, and from what (no Qt).

Newest first, one block per change set (time in UTC, analyst, label, kind, and the first 8
characters of its uid, which `sijill restore --to/--before` takes), then each record it touched
with its fields before → after (dates as written) and its links ("+ group Kataib Hezbollah
(actor)"). With a UID, only that record's changes. A change set of more than `DETAIL_LIMIT`
changes (an import) is summarised by its counts unless a UID is given: `sijill history PROJECT UID`
shows any one of its records.

A change set a merge brought in from another copy says so ("merged in by “Merge from b.sijill” …"):
it was made there, by that analyst. A change of it this file did not take (its conflict kept this
file's value) is marked with what was kept ("[kept ours: “Tower 22”]"); in --json, `merged_by` and
each field's or record's `kept`. Writes made outside Sijill are listed where they were made, with
their time.

With --deleted, the records deleted and not in the project now, newest deletion first: kind, title,
uid (which `sijill restore PROJECT UID` takes to bring one back), when, by whom and in which change.
"""
from __future__ import annotations

from datetime import timezone

from sijill.db.store.basics import ProjectError
from sijill.db.dates import parse_fuzzy
from sijill.db.store.project import Project
from sijill.db.history.describe import Names, RecordChange, counts_text, describe, merged_text, when_text
from sijill.db.history.undelete import KIND_NAME, deleted_records
from sijill.db.history.versions import RESTORABLE, find_record

DETAIL_LIMIT = 200
SHORT = 100  # characters of a long value (a source's text) shown in the listing; --json has it whole


def since_iso(text: str | None) -> str | None:
    """The start of a date Sijill reads ("2026-12", "yesterday", "6 Dec 2026") as the log's ISO time."""
    if not text:
        return None
    return parse_fuzzy(text).lo.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def record_kind(project: Project, uid: str) -> str | None:
    """The kind of the record `uid` now in the project, if any."""
    return next((kind for kind in RESTORABLE if find_record(project, kind, uid) is not None), None)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHORT else text[:SHORT - 1].rstrip() + "…"


def _kept(text: str | None) -> str:
    return f"  [{text}]" if text else ""


def record_lines(record: RecordChange) -> list[str]:
    if record.op in ("insert", "delete"):
        return [f"  {record.kind} “{_short(record.title)}”: {'created' if record.op == 'insert' else 'deleted'}"
                + _kept(record.kept)]
    return [f"  {record.kind} “{_short(record.title)}”"] + [
        f"    {f.name}: {_short(f.before)} → {_short(f.after)}{_kept(f.kept)}" for f in record.fields] + [
        f"    {line}" for line in record.links] + [f"    {line}{_kept(kept)}" for line, kept in record.kept_links]


def _merged_json(change_set) -> dict | None:
    m = change_set.merged_by
    return None if m is None else {"uid": m.uid, "label": m.label, "analyst": m.analyst, "at": m.at,
                                   "recorded": m.recorded}


def _matches(change_set, since: str | None, analyst: str | None) -> bool:
    return (since is None or change_set.at >= since) and (analyst is None or change_set.analyst == analyst)


def _cmd_deleted(args, emit, since: str | None) -> None:
    with Project.open(args.project, read_only=True) as project:
        found = [d for d in deleted_records(project)
                 if (since is None or (d.at or "") >= since) and (args.analyst is None or d.analyst == args.analyst)]
        sources = {d.uid: d.title for d in found if d.kind == "source"}
    data = [{"kind": d.kind, "uid": d.uid, "title": d.title, "at": d.at, "analyst": d.analyst,
             "change": d.change_label} for d in found]
    lines = []
    for d in found:
        line = (f"{when_text(d.at) if d.at else 'time not recorded'} · {d.analyst or 'unknown analyst'} · "
                f"{KIND_NAME[d.kind]} “{_short(d.title)}” · {d.uid}")
        if d.kind == "annotation" and d.row.get("source") in sources:
            line += f" (with its source “{_short(sources[d.row['source']])}”)"
        lines.append(line)
    emit(args, data, "\n".join(lines) or "no deleted records" + (" match" if since or args.analyst else ""))


def cmd_history(args, emit) -> None:
    since = since_iso(args.since)
    if args.deleted:
        if args.uid:
            raise ProjectError("--deleted lists every deleted record: give no UID with it")
        _cmd_deleted(args, emit, since)
        return
    with Project.open(args.project, read_only=True) as project:
        names = Names(project)
        if args.uid:
            history = project.history(args.uid)
            if not history and record_kind(project, args.uid) is None:
                raise ProjectError(f"no record with uid {args.uid!r} in {args.project}")
            entries = [(cs, describe([c for c in changes if c.uid == args.uid], names))
                       for cs, changes in history if _matches(cs, since, args.analyst)]
        else:
            entries = [(cs, describe(cs.changes, names) if cs.size <= DETAIL_LIMIT else None)
                       for cs in project.change_sets(since=since, analyst=args.analyst, outside=True)]
    data = [{"uid": cs.uid, "at": cs.at, "analyst": cs.analyst, "label": cs.label, "kind": cs.kind,
             "origin": cs.origin, "merged_by": _merged_json(cs),
             "counts": {f"{kind}.{op}": n for (kind, op), n in sorted(cs.counts.items())},
             "records": None if records is None else [r.to_json() for r in records]}
            for cs, records in entries]
    blocks = []
    for cs, records in entries:
        lines = [f"{when_text(cs.at) if cs.at else 'time not recorded'} · {cs.analyst or 'unknown analyst'} · "
                 f"{cs.label} [{cs.kind}]" + (f" · change {cs.uid[:8]}" if cs.uid else "")]
        if cs.merged_by is not None:
            lines.append(f"  made in another copy, {merged_text(cs)}")
        if records is None:
            lines.append(f"  {counts_text(cs.counts)} (sijill history {args.project} UID shows one record)")
        else:
            for record in records:
                lines += record_lines(record)
        blocks.append("\n".join(lines))
    emit(args, data, "\n\n".join(blocks) or "no recorded changes" + (" match" if since or args.analyst else ""))


def add_parsers(sub, emit) -> None:
    """Add `history` to `sub` (desktop.cli's subparsers)."""
    help = "list who changed what and when, newest first (all change sets, or one record's)"
    p = sub.add_parser("history", help=help, description=help)
    p.add_argument("project", help="the project file (.sijill)")
    p.add_argument("uid", nargs="?", help="only the changes to this record (an event, group, period, source or "
                   "annotation uid)")
    p.add_argument("--since", metavar="DATE", help="changes made on or after this date (any date Sijill reads: "
                   "2026-12-06, Dec 2026, yesterday)")
    p.add_argument("--analyst", metavar="NAME", help="only the changes this analyst made")
    p.add_argument("--deleted", action="store_true", help="list the records deleted (and not brought back) with "
                   "their uids, which sijill restore PROJECT UID takes")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=lambda args: cmd_history(args, emit))

