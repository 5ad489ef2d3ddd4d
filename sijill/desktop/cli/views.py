"""`sijill view list|save|rename|delete`: the timeline's saved views (View ▸ Saved views) from a script.

A saved view is what the timeline shows under a name: its dates, the lanes shown (groups), the tag,
event-type, date-range, search and evidence filters, and whether empty lanes are hidden. They are
kept in the project file (`sijill.desktop.timeline.saved_views`, read and written through its
functions so that the window and the command line agree), so a script can prepare views that an
analyst then opens from the menu. As in the window they are not undoable and not recorded in the
history; a read-only file refuses them. Saving over an existing name needs `--replace` (the
window asks).

The store of saved views lives beside the timeline's view state and loads Qt's core module with
it: only this command loads Qt, and only when it runs (no window is made).
"""
from __future__ import annotations

from sijill.db.formats.selection import EVIDENCE_FILTERS
from sijill.db.store.basics import ProjectError
from sijill.db.store.project import Project
from sijill.db.timeline.bins import iso_day
from sijill.desktop.cli.groups import find_group
from sijill.desktop.cli.records import read_date


def view_json(project: Project, name: str, state) -> dict:
    f = state.filter
    names = {g.id: g.name for g in project.groups()}
    groups = None if f is None or f.group_ids is None else sorted(names[g] for g in f.group_ids if g in names)
    return {"name": name, "from": iso_day(state.window[0]) if state.window else None,
            "to": iso_day(state.window[1] - 1) if state.window else None, "groups": groups,
            "tags": sorted(f.tags) if f else [], "types": sorted(f.event_types) if f else [],
            "only_from": iso_day(f.lo) if f and f.lo is not None else None,
            "only_to": iso_day(f.hi) if f and f.hi is not None else None,
            "query": f.search if f else "", "evidence": f.evidence if f else None,
            "area": [[lon, lat] for lon, lat in f.area] if f and f.area else None,
            "hide_empty": state.hide_empty, "collapsed": sorted(names.get(k, str(k)) for k in state.collapsed)}


def view_line(row: dict) -> str:
    parts = [f"{row['from']} to {row['to']}" if row["from"] else "dates as they were"]
    if row["groups"] is not None:
        parts.append("groups: " + (", ".join(row["groups"]) or "none"))
    for key, label in (("tags", "tags"), ("types", "types")):
        if row[key]:
            parts.append(f"{label}: {', '.join(row[key])}")
    if row["only_from"] or row["only_to"]:
        parts.append(f"only {row['only_from'] or '…'} to {row['only_to'] or '…'}")
    if row["query"]:
        parts.append(f"search: {row['query']}")
    if row["evidence"]:
        parts.append(f"evidence: {row['evidence']}")
    if row["area"]:
        parts.append(f"an area drawn on the map ({len(row['area'])} points)")
    if row["hide_empty"]:
        parts.append("empty lanes hidden")
    return f"{row['name']}  ({'; '.join(parts)})"


def _find(views, name: str) -> str:
    if not any(n == name for n, _s in views):
        raise ProjectError(f"no saved view named {name!r} (sijill view list shows them)")
    return name


def _state(project: Project, args):
    """The ViewState the options describe."""
    from sijill.desktop.hub import ViewFilter
    from sijill.desktop.timeline.state import ViewState

    window = None
    if (args.date_from is None) != (args.date_to is None):
        raise ProjectError("give both --from and --to (the dates the view shows), or neither")
    if args.date_from is not None:
        lo, hi = read_date(args.date_from, "--from"), read_date(args.date_to, "--to")
        if lo is None or hi is None or hi.hi < lo.lo:
            raise ProjectError("--to must be a date after --from")
        window = (float(lo.lo_ts), float(hi.hi_ts + 1))
    group_ids = None
    if args.group:
        group_ids = set()
        for name in args.group:
            gid = find_group(project, name).id
            group_ids |= {gid} | project.descendants(gid)
    only_from, only_to = read_date(args.only_from, "--only-from"), read_date(args.only_to, "--only-to")
    if args.evidence is not None and args.evidence not in EVIDENCE_FILTERS:
        raise ProjectError(f"--evidence is one of {', '.join(EVIDENCE_FILTERS)}, not {args.evidence!r}")
    f = ViewFilter(group_ids=frozenset(group_ids) if group_ids is not None else None,
                   tags=frozenset(t.strip() for t in args.tag or () if t.strip()),
                   event_types=frozenset(args.type or ()), lo=only_from.lo_ts if only_from else None,
                   hi=only_to.hi_ts if only_to else None, search=args.query or "", evidence=args.evidence)
    return ViewState(window=window, filter=f, hide_empty=args.hide_empty)


def cmd_view(args, emit) -> None:
    from sijill.desktop.timeline.saved_views import delete_view, rename_view, save_view, saved_views

    with Project.open(args.project, read_only=args.action == "list") as project:
        views = saved_views(project)
        if args.action == "list":
            rows = [view_json(project, name, state) for name, state in views]
            emit(args, rows, "\n".join(view_line(r) for r in rows) or "no saved views")
            return
        if args.action == "delete":
            name = _find(views, args.name)
            delete_view(project, name)
            emit(args, {"deleted": name}, f"deleted the view {name!r}")
            return
        try:  # the store refuses an empty name, or a rename onto another view's name, with ValueError
            if args.action == "save":
                name = args.name.strip()
                if any(n == name for n, _s in views) and not args.replace:
                    raise ProjectError(f"there is already a saved view named {name!r} (--replace saves over it)")
                save_view(project, name, _state(project, args))
                text = f"saved the view {name!r}"
            else:
                name = args.new.strip()
                rename_view(project, _find(views, args.name), name)
                text = f"renamed the view {args.name!r} to {name!r}"
        except ValueError as exc:
            raise ProjectError(str(exc)) from None
        row = next(view_json(project, n, s) for n, s in saved_views(project) if n == name)
    emit(args, row, f"{text}: {view_line(row)}")


def add_parsers(sub, leaf) -> None:
    views = sub.add_parser("view", help="list, save, rename or delete the timeline's saved views",
                           description="List, save, rename or delete the timeline's saved views (View ▸ Saved "
                           "views): dates, lanes and filters under a name, kept in the project file.")
    vsub = views.add_subparsers(dest="action", required=True)
    leaf(vsub, "list", cmd_view, "list the saved views with their dates and filters")
    p = leaf(vsub, "save", cmd_view, "save a view: the dates it shows, the lanes (groups) and filters")
    p.add_argument("name")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="the first date it shows (a fuzzy date)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="the last date it shows")
    p.add_argument("--group", action="append", metavar="NAME", help="show this group's lane and its "
                   "sub-groups' (repeatable; without it, every lane)")
    p.add_argument("--tag", action="append", metavar="T", help="only events with this tag (repeatable)")
    p.add_argument("--type", action="append", metavar="T", help="only events of this type (repeatable)")
    p.add_argument("--only-from", metavar="DATE", help="the date filter: only events on or after this date")
    p.add_argument("--only-to", metavar="DATE", help="the date filter: only events on or before this date")
    p.add_argument("--query", metavar="TEXT", help="the search box's text")
    p.add_argument("--evidence", metavar="WHICH", help="only events without evidence (none) or contradicted")
    p.add_argument("--hide-empty", action="store_true", help="hide the lanes without an event in its dates")
    p.add_argument("--replace", action="store_true", help="save over a view of that name")
    p = leaf(vsub, "rename", cmd_view, "rename a saved view")
    p.add_argument("name")
    p.add_argument("new")
    p = leaf(vsub, "delete", cmd_view, "delete a saved view")
    p.add_argument("name")
