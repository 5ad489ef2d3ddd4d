"""`sijill event …`, `tag …`, `source list|edit|delete`, `annotation …` and `evidence link|unlink`:
the analyst's own records edited from a script, by the rules the window follows.

Each command opens the project, reads and checks everything it was given (uids, dates, groups and
roles, grades), then writes in one transaction through the same `Project` methods as the window's
undo commands: a refused command changes nothing. Records are named by uid (`event list`,
`source list` and `annotation list` print them); groups by name (or uid); tags by their exact name.
The commands live in `sijill.desktop.cli.events`, `sijill.desktop.cli.library`, `sijill.desktop.cli.tags`
and `sijill.desktop.cli.views` (saved views); this module holds what they share and builds their
parsers. No Qt is loaded (but by `view`, when it runs).
"""
from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable

from sijill.db.store import schema
from sijill.db.store.basics import ProjectError, as_optional_date
from sijill.db.dates import DateParseError, FuzzyDate
from sijill.db.formats.native import date_to_json
from sijill.db.store.project import Project
from sijill.desktop.cli.groups import NotFound, find_group

Emit = Callable[[argparse.Namespace, object, str], None]
# `sijill evidence PROJECT EVENT_UID` is `sijill evidence list …`: the form older scripts use.
EVIDENCE_ACTIONS = ("list", "link", "unlink")


def with_default_action(argv: list[str]) -> list[str]:
    """`evidence PROJECT EVENT_UID` read as `evidence list PROJECT EVENT_UID`."""
    if argv[:1] == ["evidence"] and len(argv) > 1 and argv[1] not in (*EVIDENCE_ACTIONS, "-h", "--help"):
        return ["evidence", "list", *argv[1:]]
    return argv


# ---- finding records ---------------------------------------------------------------------------
def find_event(project: Project, uid: str):
    event = project.event_by_uid(uid.strip())
    if event is None:
        raise NotFound(f"no event with uid {uid!r} (sijill event list shows them)")
    return event


def find_source(project: Project, uid: str):
    source = project.source_by_uid(uid.strip())
    if source is None:
        raise NotFound(f"no source with uid {uid!r} (sijill source list shows them)")
    return source


def find_annotation(project: Project, uid: str):
    annotation = project.annotation_by_uid(uid.strip())
    if annotation is None:
        raise NotFound(f"no annotation with uid {uid!r} (sijill annotation list shows them)")
    return annotation


# ---- reading values ----------------------------------------------------------------------------
def read_date(text: str | None, option: str) -> FuzzyDate | None:
    """A fuzzy date given to `option`; empty means none."""
    try:
        return as_optional_date(text.strip() if text is not None else None)
    except DateParseError as exc:
        raise ProjectError(f"{option}: {exc}") from exc


def tag_names(values: Iterable[str] | None) -> list[str]:
    """Tags as the editors read them: each value split at commas, trimmed, each name once."""
    return list(dict.fromkeys(t.strip() for v in values or () for t in v.split(",") if t.strip()))


def group_links(project: Project, values: Iterable[str]) -> list[tuple[int, str]]:
    """--group NAME[:ROLE] values as (group id, role); the role is actor unless given. A name
    holding a colon is read whole first."""
    links: dict[int, tuple[str, str]] = {}
    for text in values:
        try:
            group, role = find_group(project, text), "actor"
        except NotFound as whole:
            name, sep, role = text.rpartition(":")
            if not (sep and name.strip()):
                raise whole
            group, role = find_group(project, name.strip()), role.strip().lower()
            if role not in schema.ROLES:
                raise ProjectError(f"unknown role {role!r} for {group.name} (one of {', '.join(schema.ROLES)})")
        if group.id in links and links[group.id][1] != role:
            raise ProjectError(f"{group.name} is named twice ({links[group.id][1]} and {role}): an event "
                               "links a group once, in one role")
        links[group.id] = (group.name, role)
    return [(gid, role) for gid, (_name, role) in links.items()]


def annotation_groups(project: Project, values: Iterable[str]) -> list[int]:
    return list(dict.fromkeys(find_group(project, v).id for v in values))


def number(text: str, what: str, low: float, high: float, whole: bool = False) -> float | int | None:
    """`text` read as a number in [low, high] (a decimal comma allowed); empty means none."""
    text = text.strip().replace(",", ".") if not whole else text.strip()
    if not text:
        return None
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        kind = "a whole number" if whole else "a number"
        raise ProjectError(f"{what} must be {kind} from {_num(low)} to {_num(high)}, not {text!r}")
    return value


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def reliability(text: str) -> str | None:
    grade = text.strip().upper() or None
    if grade is not None and grade not in schema.RELIABILITY:
        raise ProjectError(f"reliability must be one of A–F (A reliable … F cannot be judged), not {text!r}")
    return grade


def credibility(text: str) -> int | None:
    return number(text, "credibility", 1, 6, whole=True)


def optional_text(text: str) -> str | None:
    """An option's text; empty clears the field."""
    return text.strip() or None


# ---- output ------------------------------------------------------------------------------------
def date_json(d: FuzzyDate | None) -> dict | None:
    return None if d is None else {**date_to_json(d), "display": d.display()}


def span(start: FuzzyDate, end: FuzzyDate | None) -> str:
    return start.display() + (f" – {end.display()}" if end else "")


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# ---- parsers -----------------------------------------------------------------------------------
def leaf_maker(emit: Emit):
    """`leaf(subparsers, name, func, help)`: a sub-command taking PROJECT and --json, run as
    `func(args, emit)`."""

    def leaf(parent_sub, name: str, func, help: str) -> argparse.ArgumentParser:
        p = parent_sub.add_parser(name, help=help, description=help)
        p.add_argument("project", help="the project file (.sijill)")
        p.add_argument("--json", action="store_true", help="print JSON")
        p.set_defaults(func=lambda args: func(args, emit))
        return p

    return leaf


def add_parsers(sub, emit: Emit, source_sub, evidence_listing) -> None:
    """Add `event`, `tag`, `annotation`, `evidence` and `view` to `sub` (desktop.cli's subparsers), and
    list/edit/delete to `source_sub` (its `source` sub-commands). `evidence_listing(args)` is
    desktop.cli's `evidence` listing, kept as `evidence list`."""
    from sijill.desktop.cli import events as cli_events, library as cli_library, tags as cli_tags, views as cli_views

    leaf = leaf_maker(emit)
    cli_events.add_parsers(sub, leaf)
    cli_library.add_parsers(sub, leaf, source_sub, evidence_listing)
    cli_tags.add_parsers(sub, leaf)
    cli_views.add_parsers(sub, leaf)
