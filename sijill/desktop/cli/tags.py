"""`sijill tag list|rename|merge|delete`: the project's tags as a whole, as Edit ▸ Tags… shows them.

Renaming a tag to a name another tag has merges the two, as in the window; merging needs both tags
to exist; deleting takes the tag off every event and passage. Names are exact ("Drone" and "drone"
are two tags); a name that is not found is answered with the closest one.
"""
from __future__ import annotations

from sijill.db.store.project import Project
from sijill.desktop.cli.records import plural


def usage_text(events: int, annotations: int) -> str:
    return f"{plural(events, 'event')}, {plural(annotations, 'passage')}"


def cmd_tag(args, emit) -> None:
    action = args.action
    with Project.open(args.project, read_only=action == "list") as project:
        if action == "list":
            rows = [{"name": t.name, "events": t.events, "annotations": t.annotations} for t in project.tag_usage()]
            width = max((len(r["name"]) for r in rows), default=0)
            emit(args, rows, "\n".join(f"{r['name']:<{width}}  {usage_text(r['events'], r['annotations'])}"
                                       for r in rows) or "no tags")
            return
        if action == "delete":
            record = project.delete_tag(args.name)
            snap = record["tags"][0]
            n_events, n_passages = len(snap["events"]), len(snap["annotations"])
            emit(args, {"deleted": args.name, "events": n_events, "annotations": n_passages},
                 f"deleted {args.name} ({usage_text(n_events, n_passages)} lose it)")
            return
        if action == "rename":
            record = project.rename_tag(args.old, args.new)
        else:  # merge
            record = project.merge_tags(args.source, args.target)
        into = next(t for t in project.tag_usage() if t.name == record["into"])
        verb = "merged" if record["merged"] else "renamed"
        emit(args, {"from": record["from"], "into": into.name, "merged": record["merged"], "events": into.events,
                    "annotations": into.annotations},
             f"{verb} {record['from']} {'into' if record['merged'] else 'to'} {into.name} "
             f"(now on {usage_text(into.events, into.annotations)})")


def add_parsers(sub, leaf) -> None:
    tags = sub.add_parser("tag", help="list, rename, merge or delete tags",
                          description="List, rename, merge or delete the project's tags.")
    tsub = tags.add_subparsers(dest="action", required=True)
    leaf(tsub, "list", cmd_tag, "list the tags with how many events and passages carry each")
    p = leaf(tsub, "rename", cmd_tag, "rename a tag; to the name of another tag, merge it into that one")
    p.add_argument("old")
    p.add_argument("new")
    p = leaf(tsub, "merge", cmd_tag, "put a tag's events and passages under another tag, then delete it")
    p.add_argument("source", metavar="FROM")
    p.add_argument("target", metavar="INTO")
    p = leaf(tsub, "delete", cmd_tag, "take a tag off every event and passage, and delete it")
    p.add_argument("name")
