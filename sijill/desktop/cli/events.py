"""`sijill event add|edit|delete|merge|list|show`: events from a script, by the event editor's rules.

A title and a start are needed; the end may not be before the start; groups are named (or given
by uid), each once, with a role (actor unless `NAME:ROLE` says otherwise); tags are split at
commas as the editor splits them; latitude and longitude come together or not at all. `event list`
chooses events by the rules of `sijill export` (`sijill.db.formats.selection`). `event merge`
folds duplicates into the event kept as Edit ▸ Merge events… does (`Project.merge_events`), in one
change set labelled as the window labels it.
"""
from __future__ import annotations

from sijill.db.store.basics import ProjectError
from sijill.db.formats.selection import EventSelection, select_event_ids
from sijill.db.store.entities import Event
from sijill.db.store.project import Project
from sijill.desktop.cli.records import (date_json, find_event, group_links, number, optional_text, plural, read_date,
                                 span, tag_names)
from sijill.desktop.undo_text import merge_text

MAX_FATALITIES = 10_000_000  # the editor's limit


def event_json(e: Event, names: dict[int, str], evidence: int) -> dict:
    return {"uid": e.uid, "title": e.title, "start": date_json(e.start), "end": date_json(e.end),
            "dates": span(e.start, e.end), "groups": [{"name": names[l.group_id], "role": l.role} for l in e.groups],
            "tags": list(e.tags), "type": e.event_type, "location": e.location, "latitude": e.latitude,
            "longitude": e.longitude, "fatalities": e.fatalities, "description": e.description,
            "key_event": e.key_event, "evidence": evidence, "created_at": e.created_at, "updated_at": e.updated_at}


def event_line(row: dict) -> str:
    groups = ", ".join(g["name"] for g in row["groups"])
    return f"{row['uid']}  {row['dates']:<24} {'* ' if row['key_event'] else ''}{row['title']}" + (
        f"  ({groups})" if groups else "")


def event_text(row: dict) -> str:
    place = row["location"] or ""
    if row["latitude"] is not None:
        place = f"{place} ({row['latitude']}, {row['longitude']})".strip()
    fields = (("uid", row["uid"]), ("dates", row["dates"]),
              ("groups", ", ".join(f"{g['name']} ({g['role']})" for g in row["groups"])),
              ("tags", ", ".join(row["tags"])), ("type", row["type"]), ("location", place),
              ("fatalities", row["fatalities"]), ("key event", "yes" if row["key_event"] else None),
              ("evidence", row["evidence"]), ("description", row["description"]))
    return "\n".join([row["title"], *(f"  {k:12}{v}" for k, v in fields if v not in (None, ""))])


def _fields(project: Project, args, current: Event | None) -> dict:
    """What the options give, in the form Project.create_event / update_event take."""
    fields: dict = {}
    if current is not None and args.new_title is not None:
        fields["title"] = args.new_title
    if args.start is not None:
        fields["start"] = read_date(args.start, "--start")
        if fields["start"] is None:
            raise ProjectError("an event needs a start: --start DATE")
    if getattr(args, "no_end", False):
        fields["end"] = None
    elif args.end is not None:
        fields["end"] = read_date(args.end, "--end")
    if getattr(args, "no_groups", False):
        fields["groups"] = []
    elif args.group is not None:
        fields["groups"] = group_links(project, args.group)
    if getattr(args, "no_tags", False):
        fields["tags"] = []
    elif args.tag is not None:
        fields["tags"] = tag_names(args.tag)
    for option, key in (("type", "event_type"), ("location", "location"), ("description", "description")):
        if getattr(args, option) is not None:
            fields[key] = optional_text(getattr(args, option))
    if args.fatalities is not None:
        fields["fatalities"] = number(args.fatalities, "fatalities", 0, MAX_FATALITIES, whole=True)
    if args.lat is not None:
        fields["latitude"] = number(args.lat, "the latitude", -90, 90)
    if args.lon is not None:
        fields["longitude"] = number(args.lon, "the longitude", -180, 180)
    lat = fields.get("latitude", current.latitude if current else None)
    lon = fields.get("longitude", current.longitude if current else None)
    if (lat is None) != (lon is None):
        raise ProjectError("give both --lat and --lon, or neither" + ("" if current is None else
                                                                      " (--lat '' --lon '' clears them)"))
    if args.key_event:
        fields["key_event"] = True
    elif getattr(args, "no_key_event", False):
        fields["key_event"] = False
    return fields


def cmd_event(args, emit) -> None:
    action = args.action
    with Project.open(args.project, read_only=action in ("list", "show")) as project:
        names = {g.id: g.name for g in project.groups()}
        if action == "list":
            ids = select_event_ids(project, EventSelection(date_from=args.date_from, date_to=args.date_to,
                                                           groups=tuple(args.group or ()),
                                                           tags=tuple(args.tag or ()), query=args.query))
            wanted = set(ids)
            evidence = project.evidence_summary()
            by_id = {e.id: e for e in project.events() if e.id in wanted}
            rows = [event_json(by_id[i], names, evidence.get(i, (0, 0))[0]) for i in ids]
            emit(args, rows, "\n".join(event_line(r) for r in rows) or "no events")
            return
        if action == "delete":
            events = list({e.uid: e for e in (find_event(project, uid) for uid in args.uids)}.values())
            label = f"Delete event “{events[0].title}”" if len(events) == 1 else f"Delete {len(events)} events"
            with project.batch(label):  # unlabelled, the history read 'Cmd event'
                snapshots = [project.delete_event(e.id) for e in events]
            links = sum(len(s["evidence"]) for s in snapshots)
            emit(args, {"deleted": [e.uid for e in events], "evidence_links": links},
                 f"deleted {plural(len(events), 'event')}" + (f" (and {plural(links, 'evidence link')})"
                                                              if links else ""))
            return
        if action == "merge":
            into = find_event(project, args.into)
            merged = list({e.uid: e for e in (find_event(project, uid) for uid in args.uids)}.values())
            if any(e.id == into.id for e in merged):
                raise ProjectError(f"{into.title} ({into.uid}) is the event kept: it cannot be merged into itself")
            warnings = project.merge_warnings([e.id for e in merged], into.id)
            with project.batch(merge_text("event", [e.title for e in merged], into.title)):
                records = [project.merge_events(e.id, into.id) for e in merged]
            event = project.event(into.id)
            moved = sum(len(r["moved"]) for r in records)
            row = event_json(event, names, len(project.evidence(event.id)))
            row["merged"] = [e.uid for e in merged]
            row["warnings"] = warnings
            emit(args, row, f"merged {plural(len(merged), 'event')} into {event.title}"
                 + (f" ({plural(moved, 'evidence link')} moved)" if moved else "") + "\n" + event_text(row)
                 + "".join(f"\nnote: {w}" for w in warnings))
            return
        if action == "add":
            fields = _fields(project, args, None)
            event = project.create_event(args.title, fields.pop("start"), fields.pop("end", None), **fields)
            text = event.uid
        elif action == "edit":
            event = find_event(project, args.uid)
            fields = _fields(project, args, event)
            if not fields:
                raise ProjectError("nothing to change: give --title, --start, --end, --no-end, --group, --tag, "
                                   "--type, --location, --lat/--lon, --fatalities, --description or --key-event")
            event = project.update_event(event.id, **fields)
            text = f"changed {event.title}"
        else:  # show
            event = find_event(project, args.uid)
            text = None
        row = event_json(event, names, len(project.evidence(event.id)))
        emit(args, row, text or event_text(row))


def add_parsers(sub, leaf) -> None:
    events = sub.add_parser("event", help="add, edit, delete, merge, list or show events",
                            description="Add, edit, delete, merge, list or show the project's events.")
    esub = events.add_subparsers(dest="action", required=True)

    def options(p, edit: bool) -> None:
        clears = " (empty to clear)" if edit else ""
        if edit:
            p.add_argument("--title", dest="new_title", metavar="TITLE", help="a new title")
        p.add_argument("--start", metavar="DATE", required=not edit, help="when it began (a fuzzy date: "
                       "'2023-10', 'mid-October 2023', 'c. 2014')")
        end = p.add_mutually_exclusive_group()
        end.add_argument("--end", metavar="DATE", help="when it ended, if it lasted")
        if edit:
            end.add_argument("--no-end", action="store_true", help="remove the end date")
        links = p.add_mutually_exclusive_group()
        links.add_argument("--group", action="append", metavar="NAME[:ROLE]",
                           help="a group taking part, with its role (actor, target, associated, mentioned; "
                           "actor if not given); repeatable" + ("; replaces every group" if edit else ""))
        tags = p.add_mutually_exclusive_group()
        tags.add_argument("--tag", action="append", metavar="T", help="a tag (commas separate several); "
                          "repeatable" + ("; replaces every tag" if edit else ""))
        if edit:
            links.add_argument("--no-groups", action="store_true", help="take every group off the event")
            tags.add_argument("--no-tags", action="store_true", help="take every tag off the event")
        p.add_argument("--type", metavar="T", help="the event type (ACLED's or your own)" + clears)
        p.add_argument("--location", metavar="L", help="where it happened" + clears)
        p.add_argument("--lat", metavar="N", help="latitude, -90 to 90 (with --lon)" + clears)
        p.add_argument("--lon", metavar="N", help="longitude, -180 to 180 (with --lat)" + clears)
        p.add_argument("--fatalities", metavar="N", help="people killed" + clears)
        p.add_argument("--description", metavar="T", help="what happened, at more length" + clears)
        key = p.add_mutually_exclusive_group()
        key.add_argument("--key-event", action="store_true", help="mark it a turning point (its label wins "
                         "on the timeline)")
        if edit:
            key.add_argument("--no-key-event", action="store_true", help="unmark it as a turning point")

    p = leaf(esub, "add", cmd_event, "add an event; prints its uid")
    p.add_argument("title")
    options(p, edit=False)
    p = leaf(esub, "edit", cmd_event, "change an event's title, dates, groups, tags or details")
    p.add_argument("uid")
    options(p, edit=True)
    p = leaf(esub, "delete", cmd_event, "delete events, with their group links, tags and evidence links")
    p.add_argument("uids", nargs="+", metavar="UID")
    p = leaf(esub, "merge", cmd_event, "merge duplicate events into the one kept: INTO keeps its title and dates, "
             "takes their groups (the stronger role), tags and evidence, and what it leaves empty; they are deleted")
    p.add_argument("uids", nargs="+", metavar="FROM", help="an event to merge (its uid); several may be given")
    p.add_argument("into", metavar="INTO", help="the event kept (its uid)")
    p = leaf(esub, "list", cmd_event, "list the events chosen by --from/--to/--group/--tag/--query "
             "(as sijill export chooses them), in date order")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="events whose dates touch this date or later")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="events whose dates touch this date or earlier")
    p.add_argument("--group", action="append", metavar="NAME", help="events of this group or its sub-groups, "
                   "in any role (repeatable)")
    p.add_argument("--tag", action="append", metavar="T", help="events carrying this tag (repeatable)")
    p.add_argument("--query", metavar="TEXT", help="events matching this full-text search")
    p = leaf(esub, "show", cmd_event, "show one event in full")
    p.add_argument("uid")
