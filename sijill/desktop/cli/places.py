"""`sijill place add|list|edit|merge|delete PROJECT ...` and `sijill geocode PROJECT NAME [--json]`.

A project's own places are sites the bundled gazetteer (GeoNames) does not list, a base or an outpost, with
other spellings as aliases; once added, `geocode`, the event dialog and the place mentions find them, before
GeoNames' entries. `geocode` prints a name's candidates, best first: name, kind ("place", "province", a
first-level division, or "country"), country, first-level division, latitude, longitude, population (the project's places
and provinces have none) and where the candidate comes from.
"""
from __future__ import annotations

from sijill.db.geo.gazetteer import Candidate, geocode
from sijill.db.store.project import Project


def candidate_line(c: Candidate) -> str:
    population = f"pop. {c.population:,}" if c.population else "no population"
    also = f"  (as {c.matched!r})" if c.matched and c.matched != c.name else ""
    where = ", ".join(p for p in ("" if c.kind == "province" else c.admin1, c.country) if p)
    where = "" if c.kind == "country" else f" — {where or 'unknown country'}"
    return f"{c.name} ({c.kind}){where}  {c.lat:.5f}, {c.lon:.5f}  {population}  [{c.origin}]{also}"


def place_line(p) -> str:
    where = ", ".join(x for x in (p.admin1, p.country) if x)
    aliases = f"  aka {', '.join(p.aliases)}" if p.aliases else ""
    return f"{p.name}  {p.lat:.5f}, {p.lon:.5f}" + (f"  {where}" if where else "") + aliases


GEOCODE_RANKING = (
    ". Towns, first-level divisions (provinces, governorates) and countries. Best first: an exact name before a "
    "name that only begins so; the project's own places first; then the larger population (a province ranks as "
    "its largest town, after a town of that name; a country as its largest town plus one, so \"Kuwait\" is the "
    "country, then Kuwait City). The region is not favoured: a bare name is the largest place of that name "
    "anywhere (\"Austin\" is Austin, Texas; \"Samara\" Russia's city, not Samarra); add your own place or "
    "alias (sijill place add) for the one you mean.")


def cmd_geocode(args, emit) -> None:
    if not args.name.strip():
        from sijill.desktop.cli.main import CliError

        raise CliError("give a place name to look up")
    with Project.open(args.project, read_only=True) as project:
        found = geocode(args.name, project.places(), limit=args.limit)
    emit(args, {"query": args.name, "candidates": [c.to_json() for c in found]},
         "\n".join(candidate_line(c) for c in found) or f"no place named {args.name!r} "
         "(sijill place add adds one of the project's own)")


def cmd_place(args, emit) -> None:
    action = args.action
    with Project.open(args.project, read_only=action == "list") as project:
        if action == "list":
            places = project.places()
            emit(args, [p.to_json() for p in places], "\n".join(place_line(p) for p in places) or "no places")
            return
        if action == "add":
            place = project.create_place(args.name, args.lat, args.lon, country=args.country, admin1=args.admin1,
                                         description=args.description, aliases=args.alias or ())
            emit(args, place.to_json(), f"added {place_line(place)}\n{place.uid}")
        elif action == "edit":
            fields = {k: getattr(args, k) for k in ("lat", "lon", "country", "admin1", "description")
                      if getattr(args, k) is not None}
            if args.rename is not None:
                fields["name"] = args.rename
            if args.alias is not None:
                fields["aliases"] = args.alias
            if args.no_aliases:
                fields["aliases"] = []
            if not fields:
                from sijill.desktop.cli.main import CliError

                raise CliError("nothing to change: give --rename, --lat, --lon, --country, --admin1, "
                               "--description, --alias or --no-aliases")
            place = project.update_place(args.name, **fields)
            emit(args, place.to_json(), f"changed {place_line(place)}")
        elif action == "merge":
            record = project.merge_places(args.name, args.into)
            place = project.place(record["into"].id)
            emit(args, {"merged": record["from"].uid, "into": place.to_json()},
                 f"merged {record['from'].name} into {place_line(place)}")
        else:  # delete
            place = project.delete_place(args.name)
            emit(args, {"deleted": place.uid, "name": place.name}, f"deleted {place.name}")


def _coordinate(text: str) -> float:
    import argparse

    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r} (decimal degrees, e.g. 33.7856)") from None


def add_parsers(sub, emit) -> None:
    """Add `place` and `geocode` to `sub` (desktop.cli's subparsers)."""
    help = "candidates for a place name, best first, from the offline gazetteer and the project's own places"
    p = sub.add_parser("geocode", help=help, description=help + GEOCODE_RANKING)
    p.add_argument("project", metavar="PROJECT", help="a project file (.sijill), only read")
    p.add_argument("name", metavar="NAME", help="a place name in any spelling: Bagdad, Téhéran, Hawler, بغداد")
    p.add_argument("--limit", type=int, default=10, help="at most this many candidates (default 10)")
    p.add_argument("--json", action="store_true", help='print {"query", "candidates": [{"name", "country", '
                   '"admin1", "lat", "lon", "population", "source", ...}]}')
    p.set_defaults(func=lambda args: cmd_geocode(args, emit))

    places = sub.add_parser("place", help="add, list, edit, merge or delete the project's own places",
                            description="The project's own places: sites the gazetteer does not list.")
    psub = places.add_subparsers(dest="action", required=True)

    def leaf(name: str, help: str):
        q = psub.add_parser(name, help=help, description=help)
        q.add_argument("project", metavar="PROJECT", help="the project file (.sijill)")
        q.add_argument("--json", action="store_true", help="print JSON")
        q.set_defaults(func=lambda args: cmd_place(args, emit))
        return q

    leaf("list", "list the project's places with their coordinates and aliases")
    q = leaf("add", "add a place: NAME LAT LON (decimal degrees)")
    q.add_argument("name", metavar="NAME")
    q.add_argument("lat", metavar="LAT", type=_coordinate)
    q.add_argument("lon", metavar="LON", type=_coordinate)
    q.add_argument("--alias", action="append", metavar="NAME", help="another spelling (repeatable)")
    for flag in ("--country", "--admin1", "--description"):
        q.add_argument(flag)
    q = leaf("edit", "change a place (named by its name, an alias or its uid)")
    q.add_argument("name", metavar="NAME")
    q.add_argument("--rename", metavar="NEW")
    q.add_argument("--lat", type=_coordinate)
    q.add_argument("--lon", type=_coordinate)
    q.add_argument("--alias", action="append", metavar="NAME", help="replaces the aliases (repeatable)")
    q.add_argument("--no-aliases", action="store_true", help="remove every alias")
    for flag in ("--country", "--admin1", "--description"):
        q.add_argument(flag)
    q = leaf("merge", "merge place FROM into INTO: INTO keeps its coordinates and takes FROM's name and aliases "
             "as aliases; FROM is deleted")
    q.add_argument("name", metavar="FROM")
    q.add_argument("into", metavar="INTO")
    q = leaf("delete", "delete a place (named by its name, an alias or its uid)")
    q.add_argument("name", metavar="NAME")
