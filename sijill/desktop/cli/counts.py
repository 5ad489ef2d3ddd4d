"""`sijill counts PROJECT --by day|week|month`: events per bin, as the timeline's counts chart
counts them (no Qt).

An event counts in the bin holding the midpoint of its start's bounds, and is "uncertain" there
when its start's span is longer than the bin (see sijill.db.timeline.bins). `--group NAME`
(repeatable; a name or an alias) keeps the events linked to the group or to one of its
sub-groups, in any role, each once; `--type T` (repeatable) those of the type. `--from` and
`--to` choose the bins: every whole bin holding a moment of [from's earliest, to's latest]; by
default, from the first counted event to the last. Each bin's `end` is its last day (inclusive).
"""
from __future__ import annotations

import numpy as np

from sijill.db.dates import parse_fuzzy
from sijill.db.store.project import Project
from sijill.db.timeline.bins import UNITS, Series, count_bins, series_of, with_descendants
from sijill.db.timeline.lanes import PRECISIONS, ROLES, LaneSet


class CountsError(Exception):
    """What the user asked for cannot be counted (an unknown group or type, an empty range)."""


def _group_ids(project: Project, names: list[str]) -> list[int]:
    """The groups named (by name or alias, case-insensitively), with all their sub-groups."""
    groups = project.groups()
    by_name: dict[str, int] = {}
    for g in groups:
        for alias in g.aliases:
            by_name.setdefault(alias.alias.casefold(), g.id)
    for g in groups:
        by_name[g.name.casefold()] = g.id       # a name wins over another group's alias
    roots = []
    for name in names:
        gid = by_name.get(name.strip().casefold())
        if gid is None:
            known = ", ".join(sorted(g.name for g in groups)) or "none yet"
            raise CountsError(f"no group named {name!r} (groups: {known})")
        roots.append(gid)
    return with_descendants({g.id: g.parent_id for g in groups}, roots)


def _type_ids(project: Project, types: list[str]) -> np.ndarray:
    known = project.event_types()
    for t in types:
        if t not in known:
            raise CountsError(f"no event has the type {t!r} (types: {', '.join(known) or 'none yet'})")
    return np.array(sorted(project.event_ids_matching(event_types=types)), np.int64)


def counted(project: Project, groups: list[str] = (), types: list[str] = ()) -> Series:
    """The events `sijill counts` counts, from the timeline's lane arrays."""
    keys = _group_ids(project, list(groups)) if groups else None
    lanes = LaneSet.from_codes(project.timeline_codes(PRECISIONS, ROLES), {})
    chosen = lanes.lanes.values() if keys is None else (lanes.lanes.get(k) for k in keys)
    series = series_of("events", chosen)
    return series.subset(_type_ids(project, list(types))) if types else series


def _range(args, series: Series) -> tuple[int, int]:
    """[t0, t1) to bin: --from's earliest to --to's latest instant, else the counted events'."""
    t0 = parse_fuzzy(args.from_).lo_ts if args.from_ else (int(series.mid[0]) if len(series) else None)
    t1 = parse_fuzzy(args.to).hi_ts + 1 if args.to else (int(series.mid[-1]) + 1 if len(series) else None)
    if t0 is not None and t1 is not None and t1 <= t0:
        raise CountsError(f"--to ({args.to or 'the last event'}) is before --from ({args.from_ or 'the first event'})")
    return t0, t1


def _table(doc: dict, unit: str) -> str:
    bins = doc["bins"]
    if not bins:
        return "no events to count"
    width = max(len(str(b["count"])) for b in bins)
    lines = [f"{unit:10} {'to':10}  {'events':>{max(width, 6)}}  uncertain"]
    for b in bins:
        lines.append(f"{b['start']:10} {b['end']:10}  {b['count']:>{max(width, 6)}}  "
                     + (f"{b['uncertain']:>9}" if b["uncertain"] else f"{'':>9}"))
    total = sum(b["count"] for b in bins)
    unsure = sum(b["uncertain"] for b in bins)
    lines.append(f"{len(bins)} {unit}s, {total} events" + (f", {unsure} dated more coarsely than a {unit}"
                                                            if unsure else ""))
    return "\n".join(lines)


def cmd_counts(args, emit) -> None:
    with Project.open(args.project, read_only=True) as project:
        series = counted(project, args.group or [], args.type or [])
    t0, t1 = _range(args, series)
    if t0 is None or t1 is None:       # no events, and no range that would give empty bins
        doc = {"bins": []}
    else:
        doc = count_bins([], series, args.by, t0, t1).bins_json()
    emit(args, doc, _table(doc, args.by))


def add_parsers(sub, emit) -> None:
    """Add `counts` to `sub` (desktop.cli's subparsers)."""
    help = ("events per day, ISO week or month, as the counts chart counts them: each event in the bin of its "
            "start's midpoint, 'uncertain' when its date is coarser than the bin")
    p = sub.add_parser("counts", help=help, description=help)
    p.add_argument("project", metavar="PROJECT", help="a project file (.sijill), only read")
    p.add_argument("--by", choices=UNITS, required=True, help="the bin: day, week (ISO, Monday first) or month")
    p.add_argument("--group", action="append", metavar="NAME",
                   help="only events linked to this group or its sub-groups, any role (repeatable)")
    p.add_argument("--type", action="append", metavar="T", help="only events of this type (repeatable)")
    p.add_argument("--from", dest="from_", metavar="DATE", help="first bin: the one holding DATE's earliest moment")
    p.add_argument("--to", metavar="DATE", help="last bin: the one holding DATE's latest moment")
    p.add_argument("--json", action="store_true",
                   help='print {"bins": [{"start", "end" (last day), "count", "uncertain"}, ...]}')
    p.set_defaults(func=lambda args: _run(args, emit))


def _run(args, emit) -> None:
    from sijill.desktop.cli.main import CliError

    try:
        cmd_counts(args, emit)
    except CountsError as exc:
        raise CliError(str(exc)) from exc
