"""`sijill group …` and `sijill period …`: build a project's groups and periods from a script.

The rules are the window's, because both go through the same `Project` methods, one transaction
each: a name already taken, a parent that would make a cycle, an unknown group, a colour that is
not #RRGGBB or an end before the start is an error that changes nothing. Groups are named by
their name (or uid, or one of their aliases); periods by their title (or uid). No Qt is loaded here.
"""
from __future__ import annotations

import argparse
import difflib
import re

from sijill.db.store.basics import ProjectError
from sijill.db.store.entities import Alias, Group, Period
from sijill.db.store.project import Project
from sijill.db.store.structure import check_color
from sijill.desktop.undo_text import merge_text

_LANG = re.compile(r"[a-z]{2,3}")


class NotFound(ProjectError):
    """A group or period named on the command line is not in the project."""


def parse_alias(text: str) -> Alias:
    """'Kata'ib Hezbollah:en' -> Alias("Kata'ib Hezbollah", "en"); a colon not followed by a
    language code stays part of the alias."""
    alias, sep, lang = text.rpartition(":")
    if sep and alias.strip() and _LANG.fullmatch(lang.strip().lower()):
        return Alias(alias.strip(), lang.strip().lower())
    if not text.strip():
        raise ProjectError("an alias cannot be empty")
    return Alias(text.strip(), None)


def find_group(project: Project, ref: str) -> Group:
    """The group named `ref` (exactly, else by uid, else the one name equal but for case, else the
    one group having it as an alias, exactly or but for case: "Daesh" is ISIS)."""
    group = project.group_by_name(ref)
    if group is not None:
        return group
    groups = project.groups()
    by_uid = [g for g in groups if g.uid == ref]
    folded = [g for g in groups if g.name.casefold() == ref.strip().casefold()]
    if by_uid or len(folded) == 1:
        return (by_uid or folded)[0]
    for same in (lambda a: a == ref.strip(), lambda a: a.casefold() == ref.strip().casefold()):
        known_as = [g for g in groups if any(same(a.alias) for a in g.aliases)]
        if len(known_as) == 1:
            return known_as[0]
        if known_as:
            raise ProjectError(f"{ref!r} is an alias of {len(known_as)} groups "
                               f"({', '.join(g.name for g in known_as)}): name one by its name")
    close = difflib.get_close_matches(ref, [g.name for g in groups], n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise NotFound(f"no group named {ref!r}{hint}")


def changed_aliases(group: Group, added, removed) -> list[Alias]:
    """The group's aliases less `removed` (by text, a :LANG suffix ignored, else but for case),
    plus `added` (TEXT[:LANG]); removing an alias the group does not have is an error."""
    aliases = list(group.aliases)
    for text in removed:
        wanted = parse_alias(text).alias
        match = [a for a in aliases if a.alias == wanted] or [a for a in aliases
                                                              if a.alias.casefold() == wanted.casefold()]
        if not match:
            have = ", ".join(a.alias for a in aliases) or "none"
            raise ProjectError(f"{group.name} has no alias {wanted!r} (its aliases: {have})")
        aliases.remove(match[0])
    for text in added:
        alias = parse_alias(text)
        aliases = [a for a in aliases if a.alias != alias.alias] + [alias]
    return aliases


def find_period(project: Project, ref: str) -> Period:
    periods = project.periods()
    found = [p for p in periods if p.title == ref] or [p for p in periods if p.uid == ref]
    if len(found) > 1:
        raise ProjectError(f"{len(found)} periods are titled {ref!r}: name one by its uid "
                           f"({', '.join(p.uid for p in found)})")
    if not found:
        close = difflib.get_close_matches(ref, [p.title for p in periods], n=1)
        raise NotFound(f"no period titled {ref!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return found[0]


def _check_period_title(project: Project, title: str, keep: int | None = None) -> str:
    title = (title or "").strip()
    if not title:
        raise ProjectError("a period needs a title")
    if any(p.title == title and p.id != keep for p in project.periods()):
        raise ProjectError(f"a period titled {title!r} already exists")
    return title


# ---- output ------------------------------------------------------------------------------------
def group_json(project: Project, group: Group, counts: dict[int, int], names: dict[int, str]) -> dict:
    return {"id": group.id, "uid": group.uid, "name": group.name, "kind": group.kind,
            "parent": names.get(group.parent_id), "color": group.color, "description": group.description,
            "aliases": [{"alias": a.alias, "lang": a.lang} for a in group.aliases],
            "events": counts.get(group.id, 0)}


def lane_order(project: Project, group: Group, sibling: Group, after: bool) -> list[int]:
    """Every group's id in lane order, `group` moved just before (or after) `sibling`, as dragging a
    lane header to its sibling's edge orders it; lanes are ordered among the groups of one parent."""
    group, sibling = project.group(group.id), project.group(sibling.id)  # the parent as it is now
    if sibling.id == group.id:
        raise ProjectError(f"{group.name} cannot be put beside itself")
    if sibling.parent_id != group.parent_id:
        raise ProjectError(f"{group.name} and {sibling.name} are not under the same group: lanes are ordered "
                           "among their siblings (--parent moves a group under another)")
    order = [g.id for g in sorted(project.groups(), key=lambda g: (g.position, g.id))]
    order.remove(group.id)
    order.insert(order.index(sibling.id) + (1 if after else 0), group.id)
    return order


def group_tree(project: Project) -> list[dict]:
    """Every group, parents before their children, each with its depth and event count."""
    groups = project.groups()
    counts = project.group_event_counts()
    names = {g.id: g.name for g in groups}
    depth: dict[int, int] = {}
    out = []
    for g in groups:
        depth[g.id] = depth[g.parent_id] + 1 if g.parent_id in depth else 0
        out.append({**group_json(project, g, counts, names), "depth": depth[g.id]})
    return out


def group_line(row: dict) -> str:
    bits = [("  " * row["depth"]) + row["name"]]
    if row["kind"]:
        bits.append(f"[{row['kind']}]")
    if row["color"]:
        bits.append(row["color"])
    bits.append(f"{row['events']} event{'s' if row['events'] != 1 else ''}")
    if row["aliases"]:
        bits.append("aka " + ", ".join(a["alias"] + (f" ({a['lang']})" if a["lang"] else "") for a in row["aliases"]))
    return "  ".join(bits)


def period_json(p: Period) -> dict:
    return {"id": p.id, "uid": p.uid, "title": p.title, "from": p.start.text, "to": p.end.text if p.end else None,
            "display": p.start.display() + (f" – {p.end.display()}" if p.end else ""),
            "color": p.color, "description": p.description}


def period_line(p: Period) -> str:
    return "  ".join(x for x in (p.title, period_json(p)["display"], p.color or "") if x)


# ---- commands ----------------------------------------------------------------------------------
def cmd_group(args, emit) -> None:
    """`emit(args, data, text)` prints JSON or text (desktop.cli's _print)."""
    action = args.action
    read_only = action == "list"
    with Project.open(args.project, read_only=read_only) as project:
        if action == "list":
            rows = group_tree(project)
            emit(args, rows, "\n".join(group_line(r) for r in rows) or "no groups")
            return
        if action == "add":
            parent = find_group(project, args.parent).id if args.parent else None
            group = project.create_group(args.name, kind=args.kind, parent=parent, color=check_color(args.color),
                                         description=args.description,
                                         aliases=[parse_alias(a) for a in args.alias or ()])
            verb = f"added {group.name}"
        elif action == "rename":
            group = project.update_group(find_group(project, args.name).id, name=args.new)
            verb = f"renamed {args.name} to {group.name}"
        elif action == "edit":
            group = find_group(project, args.name)
            fields: dict = {}
            if args.top:
                fields["parent"] = None
            elif args.parent:
                fields["parent"] = find_group(project, args.parent).id
            if args.kind is not None:
                fields["kind"] = args.kind.strip() or None
            if args.color is not None:
                fields["color"] = check_color(args.color)
            if args.description is not None:
                fields["description"] = args.description.strip() or None
            if args.alias is not None:
                fields["aliases"] = [parse_alias(a) for a in args.alias if a.strip()]
            if args.add_alias or args.remove_alias:
                if args.alias is not None:
                    raise ProjectError("--alias replaces every alias: give it alone, or --add-alias and "
                                       "--remove-alias to change one at a time")
                fields["aliases"] = changed_aliases(group, args.add_alias or (), args.remove_alias or ())
            beside = args.before or args.after
            if not fields and beside is None:
                raise ProjectError("nothing to change: give --parent, --top, --kind, --color, --description, "
                                   "--alias, --add-alias, --remove-alias, --before or --after")
            with project.batch(f"Move lane “{group.name}”" if not fields else f"Edit group “{group.name}”"):
                group = project.update_group(group.id, **fields) if fields else group
                if beside is not None:
                    project.set_group_order(lane_order(project, group, find_group(project, beside),
                                                       after=args.after is not None))
            verb = f"changed {group.name}"
        elif action == "merge":
            source, target = find_group(project, args.source), find_group(project, args.target)
            moved = project.group_snapshot(source.id)
            project.merge_groups(source.id, target.id)
            group = project.group(target.id)
            verb = (f"merged {source.name} into {target.name} ({len(moved['links'])} event links, "
                    f"{len(moved['children'])} sub-groups moved)")
        else:  # delete
            group = find_group(project, args.name)
            snapshot = project.delete_group(group.id)
            n = len(snapshot["links"])
            data = {"deleted": group.name, "events_unlinked": n, "subgroups_moved": len(snapshot["children"])}
            emit(args, data, f"deleted {group.name} ({n} event{'s' if n != 1 else ''} lose the tag)")
            return
        names = {g.id: g.name for g in project.groups()}
        emit(args, group_json(project, group, project.group_event_counts(), names), verb)


def cmd_period(args, emit) -> None:
    action = args.action
    with Project.open(args.project, read_only=action == "list") as project:
        if action == "list":
            periods = project.periods()
            emit(args, [period_json(p) for p in periods], "\n".join(period_line(p) for p in periods) or "no periods")
            return
        if action == "add":
            period = project.create_period(_check_period_title(project, args.title), args.date_from, args.date_to,
                                           color=check_color(args.color), description=args.description)
            verb = f"added {period_line(period)}"
        elif action == "edit":
            period = find_period(project, args.title)
            fields: dict = {}
            if args.new_title is not None:
                fields["title"] = _check_period_title(project, args.new_title, keep=period.id)
            if args.date_from is not None:
                fields["start"] = args.date_from
            if args.date_to is not None:
                fields["end"] = args.date_to
            if args.color is not None:
                fields["color"] = check_color(args.color)
            if args.description is not None:
                fields["description"] = args.description.strip() or None
            if not fields:
                raise ProjectError("nothing to change: give --title, --from, --to, --color or --description")
            period = project.update_period(period.id, **fields)
            verb = f"changed {period_line(period)}"
        elif action == "merge":
            merged, period = find_period(project, args.title), find_period(project, args.into)
            with project.batch(merge_text("period", [merged.title], period.title)):
                project.merge_periods(merged.id, period.id)
            period = project.period(period.id)
            verb = f"merged {merged.title} into {period_line(period)}"
        else:  # delete
            period = find_period(project, args.title)
            project.delete_period(period.id)
            emit(args, {"deleted": period.title}, f"deleted {period.title}")
            return
        emit(args, period_json(period), verb)


# ---- parsers -----------------------------------------------------------------------------------
def add_parsers(sub, emit) -> None:
    """Add `group` and `period` with their sub-commands to `sub` (desktop.cli's subparsers)."""

    def leaf(parent_sub, name: str, func, help: str) -> argparse.ArgumentParser:
        p = parent_sub.add_parser(name, help=help, description=help)
        p.add_argument("project", help="the project file (.sijill)")
        p.add_argument("--json", action="store_true", help="print JSON")
        p.set_defaults(func=lambda args: func(args, emit))
        return p

    def group_options(p: argparse.ArgumentParser, edit: bool) -> None:
        p.add_argument("--kind", help="armed group, militia, state, coalition, … (empty to clear)" if edit else
                       "armed group, militia, state, coalition, …")
        p.add_argument("--color", metavar="#RRGGBB", help="the lane's colour")
        p.add_argument("--description", help="a note on the group")
        p.add_argument("--alias", action="append", metavar="TEXT[:LANG]",
                       help=("another name, with its language (en, fr, ar…); repeatable; replaces every alias"
                             if edit else "another name, with its language (en, fr, ar…); repeatable"))

    groups = sub.add_parser("group", help="add, rename, edit, merge, delete or list groups",
                            description="Add, rename, edit, merge, delete or list the project's groups.")
    gsub = groups.add_subparsers(dest="action", required=True)
    p = leaf(gsub, "add", cmd_group, "add a group")
    p.add_argument("name")
    p.add_argument("--parent", metavar="NAME", help="the group it is part of")
    group_options(p, edit=False)
    p = leaf(gsub, "rename", cmd_group, "rename a group")
    p.add_argument("name")
    p.add_argument("new")
    p = leaf(gsub, "edit", cmd_group, "change a group's parent, kind, colour, description, aliases or lane order")
    p.add_argument("name")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--parent", metavar="NAME", help="place it under this group")
    where.add_argument("--top", action="store_true", help="make it a top-level group")
    beside = p.add_mutually_exclusive_group()
    beside.add_argument("--before", metavar="NAME", help="put its lane just before this sibling's (the same "
                        "parent), as dragging the lane header does")
    beside.add_argument("--after", metavar="NAME", help="put its lane just after this sibling's")
    group_options(p, edit=True)
    p.add_argument("--add-alias", action="append", metavar="TEXT[:LANG]", help="add one alias, keeping the "
                   "others (one it has already takes the language given); repeatable")
    p.add_argument("--remove-alias", action="append", metavar="TEXT", help="remove one alias, keeping the "
                   "others; repeatable")
    p = leaf(gsub, "merge", cmd_group, "merge a group into another: its events, roles, aliases, annotation "
             "tags and sub-groups move over, then it is deleted")
    p.add_argument("source", metavar="FROM")
    p.add_argument("target", metavar="INTO")
    p = leaf(gsub, "delete", cmd_group, "delete a group: its events stay, losing the tag; its sub-groups move up")
    p.add_argument("name")
    leaf(gsub, "list", cmd_group, "list the groups as a tree, with kind, colour, aliases and event counts")

    periods = sub.add_parser("period", help="add, edit, merge, delete or list periods (background bands)",
                             description="Add, edit, merge, delete or list the project's periods.")
    psub = periods.add_subparsers(dest="action", required=True)
    p = leaf(psub, "add", cmd_period, "add a period")
    p.add_argument("title")
    p.add_argument("--from", dest="date_from", metavar="DATE", required=True, help="its start (a fuzzy date)")
    p.add_argument("--to", dest="date_to", metavar="DATE", required=True, help="its end (a fuzzy date)")
    p.add_argument("--color", metavar="#RRGGBB")
    p.add_argument("--description")
    p = leaf(psub, "edit", cmd_period, "change a period's title, dates, colour or description")
    p.add_argument("title")
    p.add_argument("--title", dest="new_title", metavar="NEW")
    p.add_argument("--from", dest="date_from", metavar="DATE")
    p.add_argument("--to", dest="date_to", metavar="DATE")
    p.add_argument("--color", metavar="#RRGGBB")
    p.add_argument("--description")
    p = leaf(psub, "merge", cmd_period, "merge a period (the same phase entered twice) into another: INTO keeps "
             "its title and dates and takes FROM's colour and description where it has none; FROM is deleted")
    p.add_argument("title", metavar="FROM")
    p.add_argument("into", metavar="INTO")
    p = leaf(psub, "delete", cmd_period, "delete a period")
    p.add_argument("title")
    leaf(psub, "list", cmd_period, "list the periods in time order")
