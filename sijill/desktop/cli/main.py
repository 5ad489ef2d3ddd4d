"""The `sijill` command line: subcommands for scripting and tests; no subcommand starts the app.

Every subcommand prints plain text, or JSON with `--json`; errors go to stderr with exit code 1
(2 for a malformed command line; `diff`, as diff(1), exits 1 when the files differ and 2 when it
fails). Only `screenshot`, `view` (the saved views' store, not a window) and the desktop app load
Qt.
"""
from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

from sijill.db.store.basics import ProjectError, StorageError
from sijill.db.dates import DateParseError, parse_fuzzy
from sijill.db.store.project import Project

COMMANDS = ("init", "parse-date", "mentions", "stats", "search", "export", "import", "screenshot",
            "source", "annotate", "evidence", "group", "period", "event", "tag", "annotation",
            "check", "repair", "backup", "history", "restore", "diff", "merge", "counts", "place",
            "geocode", "view")


class CliError(Exception):
    """A command could not do its work; the message is printed to stderr."""


def _reference(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=timezone.utc)
    except ValueError as exc:
        raise CliError(f"--reference must be YYYY-MM-DD, not {text!r}") from exc


def _date_json(d) -> dict:
    from sijill.db.formats.native import date_to_json

    return {**date_to_json(d), "display": d.display()}


def _print(args, data, text: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(text)


def _remove_project_file(path: Path) -> None:
    """Remove a project file this command created and could not finish, with its WAL files."""
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)


def _open(path: str, read_only: bool = False) -> Project:
    return Project.open(path, read_only=read_only)


# ---- commands ---------------------------------------------------------------------------------
def cmd_init(args) -> None:
    project = Project.create(args.project, title=args.title)
    try:
        if args.demo:
            from sijill.db.formats.native import import_native
            from sijill.db.resources import demo_path

            import_native(project, demo_path())
        stats = project.stats()
    except BaseException:
        project.close()
        _remove_project_file(Path(args.project))
        raise
    project.close()
    _print(args, {"path": str(args.project), "events": stats.events, "groups": stats.groups},
           f"created {args.project}" + (f" with the demo ({stats.events} events)" if args.demo else ""))


def cmd_parse_date(args) -> None:
    d = parse_fuzzy(args.text, reference=_reference(args.reference), lang=args.lang)
    data = _date_json(d)
    _print(args, data, f"{d.display()}\n  from {data['lo']}\n  to   {data['hi']}\n  precision {d.precision}"
           + ("  approximate" if d.approximate else "") + ("  uncertain" if d.uncertain else ""))


def cmd_mentions(args) -> None:
    from sijill.db.text.mentions import find_mentions

    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise CliError(f"{path}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise CliError(f"{path}: not valid UTF-8 at byte {exc.start}") from exc
    from sijill.db.geo.mentions import PlaceMatcher

    with _open(args.project, read_only=True) as project:
        found = find_mentions(text, project.groups(), reference=_reference(args.reference), lang=args.lang,
                              places=PlaceMatcher(project.places()))
    data = [m.to_json() for m in found]
    lines = [f"{m.start:>6}-{m.end:<6} {m.kind:5} {m.text!r} -> " + _mention_meaning(m) for m in found]
    _print(args, data, "\n".join(lines) or "no mentions")


def _mention_meaning(m) -> str:
    if m.kind == "group":
        return m.group
    if m.kind == "place":
        return m.place.label()
    return m.date.display()


def cmd_stats(args) -> None:
    with _open(args.project, read_only=True) as project:
        s = project.stats()
    data = {k: getattr(s, k) for k in ("events", "groups", "sources", "annotations", "periods",
                                      "events_without_evidence", "first", "last")}
    _print(args, data, "\n".join(f"{k:24} {v}" for k, v in data.items()))


def cmd_search(args) -> None:
    with _open(args.project, read_only=True) as project:
        hits = project.search(args.query, limit=args.limit)
    data = [{"kind": h.kind, "uid": h.uid, "title": h.title, "snippet": h.snippet} for h in hits]
    _print(args, data, "\n".join(f"{h.kind:10} {h.title}\n           {h.snippet}" for h in hits) or "no matches")


def _selection(args):
    """The events `sijill export` writes: what the window's filter would show (--type, --evidence
    and --area as the filter bar's types, evidence and the area drawn on the map)."""
    from sijill.db.formats.selection import EventSelection, parse_area
    from sijill.db.formats.records import ExchangeError

    try:
        area = parse_area(args.area) if args.area is not None else None
    except ExchangeError as exc:
        raise CliError(f"--area: {exc}") from exc
    return EventSelection(date_from=args.date_from, date_to=args.date_to, groups=tuple(args.group or ()),
                          tags=tuple(args.tag or ()), query=args.query, event_types=tuple(args.type or ()),
                          evidence=args.evidence, area=area)


def _check_types(project, names) -> None:
    """Refuse a --type no event has (a typo would otherwise export nothing, silently)."""
    known = project.event_types()
    for name in names:
        if name not in known:
            raise CliError(f"--type {name!r}: no event has this type (types: {', '.join(known) or 'none'})")


def cmd_export(args) -> None:
    from sijill.db.formats.registry import EXPORTS, check_output

    fmt = EXPORTS[args.format]
    selection = _selection(args)
    if fmt.needs_qt and "PySide6.QtWidgets" not in sys.modules:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # drawn offscreen: no display needed
    with _open(args.project, read_only=True) as project:
        check_output(project, args.out)
        if args.format in ("native", "w3c-annotations"):
            if not selection.is_everything:
                raise CliError(f"--format {args.format} writes the whole project: --from, --to, --group, --tag, "
                               "--query, --type, --evidence and --area do not apply to it")
            if args.format == "native":
                from sijill.db.formats.native import KINDS, export_native

                doc = export_native(project, args.out)
                counts = {kind: len(doc.get(kind) or ()) for kind in KINDS}
            else:
                from sijill.db.formats.w3c import export_w3c

                doc = export_w3c(project, args.out)
                counts = {"annotations": doc.get("total", 0)}
            total = sum(counts.values())
            text = f"wrote {args.out} ({total} records: " + ", ".join(f"{n} {k}" for k, n in counts.items()) + ")"
            _print(args, {"path": str(args.out), "format": args.format, "count": total, "counts": counts}, text)
            return
        if args.counts and args.format not in ("html", "report"):
            raise CliError(f"--counts adds a chart to the html page or the report, not to --format {args.format}")
        _check_types(project, selection.event_types)
        result = fmt.load()(project, args.out, selection, **({"counts": args.counts} if args.counts else {}))
    _print(args, {"path": str(result.path), "format": args.format, "count": result.total, "counts": result.counts,
                  "note": result.note}, result.summary())


def cmd_import(args) -> None:
    from sijill.db.formats.registry import IMPORTS

    if args.format in ("native", "w3c-annotations"):
        if args.map:
            raise CliError(f"--map applies to csv imports, not to {args.format}")
        if args.format == "native":
            from sijill.db.formats.native import import_native as run
        else:
            from sijill.db.formats.w3c_import import import_w3c as run
        with _open(args.project) as project:
            if args.dry_run:
                from sijill.db.formats.apply import dry_run

                report = dry_run(project, lambda p: run(p, args.file))
            else:
                report = run(project, args.file)
        data = {"format": args.format, "file": str(args.file), "dry_run": args.dry_run, "added": report.added,
                "updated": report.updated, "unchanged": getattr(report, "unchanged", {})}
        _print(args, data, f"{'would add' if args.dry_run else 'added'} {report.added or 'nothing'}; "
                           f"updated {report.updated or 'nothing'}; unchanged {data['unchanged'] or 'nothing'}")
        return
    from sijill.db.formats.apply import run_import, stored_digests

    reader_class = IMPORTS[args.format].load()
    with _open(args.project) as project:
        options = {}
        if args.format == "csv":
            from sijill.db.formats.csv_import import parse_mapping_options, remembered_mapping
            from sijill.db.formats.tabular import DelimitedFile

            header = DelimitedFile(args.file).header
            mapping = remembered_mapping(project, header) if not args.map else None
            options["mapping"] = mapping or parse_mapping_options(args.map or [], header)
        elif args.map:
            raise CliError(f"--map applies to csv imports, not to {args.format}")
        reader = reader_class(args.file, stored=stored_digests(project, args.format), **options)
        result = run_import(project, reader, dry_run=args.dry_run)
    _print(args, result.to_json(), result.summary())


def cmd_screenshot(args) -> None:
    # Screenshots are rendered offscreen: they need no display (CI, an SSH session, a cron job).
    if "PySide6.QtWidgets" not in sys.modules:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    size = args.size or ("1400x450" if args.counts else "1600x1000")
    try:
        width, height = (int(v) for v in size.lower().split("x"))
    except ValueError as exc:
        raise CliError(f"--size must be WIDTHxHEIGHT, not {size!r}") from exc
    lo = parse_fuzzy(args.date_from).lo if args.date_from else None
    hi = parse_fuzzy(args.date_to).hi if args.date_to else None
    if lo is not None and hi is not None and hi <= lo:
        raise CliError("--to must be after --from")
    if not Path(args.project).exists():
        raise CliError(f"no project at {args.project}")
    if Path(args.out).resolve() == Path(args.project).resolve():
        raise CliError(f"{args.out} is the project itself: choose another file to write the image to")
    if args.by and not args.counts:
        raise CliError("--by chooses the counts chart's bins: add --counts")
    if args.counts:
        if args.reader or args.timeline or args.map:
            raise CliError("--counts renders the counts chart alone: leave out --reader, --timeline and --map")
        from sijill.desktop.shell.startup import render_counts

        unit = render_counts(Path(args.project), Path(args.out), size=(width, height), lo=lo, hi=hi,
                             unit=args.by or "auto")
        _print(args, {"path": str(args.out), "what": "counts", "bins": unit}, f"wrote {args.out} (per {unit})")
        return
    if args.map:
        if args.reader or args.timeline:
            raise CliError("--map renders the map alone: leave out --reader and --timeline")
        from sijill.desktop.shell.startup import render_map

        render_map(Path(args.project), Path(args.out), size=(width, height), lo=lo, hi=hi)
        _print(args, {"path": str(args.out), "what": "map"}, f"wrote {args.out}")
        return
    timeline_alone = args.timeline or ((lo is not None or hi is not None) and not args.reader)
    if args.reader and args.timeline:
        raise CliError("--reader shows the window; --timeline the timeline alone: choose one")
    from sijill.desktop.shell.startup import render_screenshot, render_timeline

    if timeline_alone:
        written = render_timeline(Path(args.project), Path(args.out), size=(width, height), lo=lo, hi=hi,
                                  title=args.title)
        if written.note:
            print(f"note: {written.note}", file=sys.stderr)
    else:
        render_screenshot(Path(args.project), Path(args.out), size=(width, height), lo=lo, hi=hi,
                          reader=args.reader, theme=args.theme)
    _print(args, {"path": str(args.out), "what": "timeline" if timeline_alone else
                  "reader" if args.reader else "window"}, f"wrote {args.out}")


def _source(project: Project, uid: str):
    source = project.source_by_uid(uid)
    if source is None:
        raise CliError(f"no source with uid {uid!r}")
    return source


def _stdin_text() -> str:
    """The text piped in (FILE given as -), normalised as the window's Add by pasting normalises it."""
    from sijill.db.text.documents import MAX_BYTES, text_from_paste

    raw = sys.stdin.buffer.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise CliError(f"standard input: too large (the limit is {MAX_BYTES // (1024 * 1024)} MB)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CliError(f"standard input: not UTF-8 text (byte {exc.start})") from None
    return text_from_paste(text)


def cmd_source(args) -> None:
    from sijill.db.text.documents import ImportedText, guess_language, read_document

    if args.file == "-" and args.action == "add" and not (args.title or "").strip():
        raise CliError("a source read from standard input needs --title")
    with _open(args.project) as project:
        text = _stdin_text() if args.file == "-" else None
        doc = ImportedText(text, "", guess_language(text), None) if text is not None else None
        if args.action == "add":
            doc = doc or read_document(Path(args.file))
            source = project.create_source(
                args.title or doc.title, doc.text, outlet=args.outlet, url=args.url, author=args.author,
                published=args.published, language=args.language or doc.language,
                reliability=args.reliability, kind=args.kind or doc.kind)
            _print(args, {"uid": source.uid, "title": source.title, "characters": len(source.body)}, source.uid)
        else:
            source = _source(project, args.uid)
            doc = doc or read_document(Path(args.file))
            result = project.replace_source_text(source.id, doc.text)
            counts = {k: result[k] for k in ("kept", "moved", "orphaned")}
            _print(args, counts, "  ".join(f"{k} {v}" for k, v in counts.items()))


def cmd_annotate(args) -> None:
    with _open(args.project) as project:
        source = _source(project, args.source_uid)
        start, end = project.find_quote(source.id, args.quote, args.occurrence)
        event = None
        if args.link:
            event = project.event_by_uid(args.link)
            if event is None:
                raise CliError(f"no event with uid {args.link!r}")
        from sijill.desktop.cli.records import annotation_groups, tag_names

        groups, tags = annotation_groups(project, args.group or ()), tag_names(args.tag)  # before any write
        with project.batch("Annotate passage"):  # unlabelled, the history read 'Cmd annotate'
            ann = project.create_annotation(source.id, start, end, note=args.note, credibility=args.credibility,
                                            groups=groups, tags=tags)
            if event is not None:
                project.add_evidence(event.id, annotation_id=ann.id, stance=args.stance)
    _print(args, {"uid": ann.uid, "start": ann.start, "end": ann.end}, f"{ann.uid} {ann.start} {ann.end}")


def cmd_evidence(args) -> None:
    with _open(args.project, read_only=True) as project:
        event = project.event_by_uid(args.event_uid)
        if event is None:
            raise CliError(f"no event with uid {args.event_uid!r}")
        rows = []
        for ev in project.evidence(event.id):
            src = project.source(ev.source_id)
            ann = project.annotation(ev.annotation_id) if ev.annotation_id else None
            grade = (src.reliability or "") + (str(ann.credibility) if ann and ann.credibility else "")
            rows.append({"stance": ev.stance, "source": src.uid, "title": src.title, "outlet": src.outlet,
                         "published": src.published.display() if src.published else None,
                         "grade": grade or None, "annotation": ann.uid if ann else None,
                         "quote": ann.quote if ann else None, "orphaned": bool(ann and ann.orphaned),
                         "note": ev.note})
    text = "\n".join(f"{r['stance']:11} {r['grade'] or '--':3} {r['outlet'] or ''}, {r['title']} "
                     f"({r['published'] or 'undated'})" + (f"\n            “{r['quote']}”" if r["quote"] else "")
                     for r in rows)
    _print(args, {"event": event.uid, "title": event.title, "evidence": rows},
           f"{event.title}\n{text or 'no evidence'}")


# ---- parser -----------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sijill", description="Sijill: events, sources and evidence "
                                     "on a timeline. Without a command, starts the desktop app.",
                                     epilog="sijill --self-test checks this installation offscreen, in a "
                                     "temporary folder, and exits 0 when everything works.")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, func, help: str, project: bool = True, json_flag: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        if project:
            p.add_argument("project", help="the project file (.sijill)")
        if json_flag:
            p.add_argument("--json", action="store_true", help="print JSON")
        p.set_defaults(func=func)
        return p

    p = add("init", cmd_init, "create a new project file")
    p.add_argument("--demo", action="store_true", help="fill it with the demo project")
    p.add_argument("--title")
    p = add("parse-date", cmd_parse_date, "show how a date phrase is read", project=False)
    p.add_argument("text")
    p.add_argument("--reference", help="date for relative phrases (YYYY-MM-DD)")
    p.add_argument("--lang", choices=("en", "fr", "ar"))
    p = add("mentions", cmd_mentions, "list the groups, dates and places mentioned in a text file")
    p.add_argument("file")
    p.add_argument("--reference", help="date for relative phrases (YYYY-MM-DD)")
    p.add_argument("--lang", choices=("en", "fr", "ar"))
    add("stats", cmd_stats, "count what a project holds")
    p = add("search", cmd_search, "full-text search over events, sources and annotations")
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=20)
    from sijill.db.formats.registry import EXPORTS, IMPORTS

    p = add("export", cmd_export, "export the project, or the events chosen by --from/--to/--group/--tag/--query/"
            "--type/--evidence/--area (the window's filter)")
    p.add_argument("out", help="the file to write (report: .md, .html, .odt or .pdf)")
    p.add_argument("--format", required=True, choices=tuple(EXPORTS))
    p.add_argument("--from", dest="date_from", metavar="DATE", help="events whose dates touch this date or later "
                   "(a fuzzy date: 2023-10 is the whole month)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="events whose dates touch this date or earlier")
    p.add_argument("--group", action="append", metavar="NAME", help="events of this group or its sub-groups, "
                   "in any role (repeatable)")
    p.add_argument("--tag", action="append", metavar="T", help="events carrying this tag (repeatable)")
    p.add_argument("--query", metavar="TEXT", help="events matching this full-text search")
    p.add_argument("--type", action="append", metavar="T", help="events of this type, e.g. Battles (repeatable)")
    p.add_argument("--evidence", choices=("none", "contradicted"), help="none: events no source supports yet; "
                   "contradicted: events a source contradicts")
    p.add_argument("--area", metavar="'LON,LAT LON,LAT ...'", help="events with coordinates inside this polygon "
                   "(at least three points in decimal degrees, as drawn on the map: e.g. "
                   "'43,37.5 45.5,37.5 45.5,32.5 43,32.5'; write --area='-5,…' when it starts with a minus)")
    p.add_argument("--counts", choices=("auto", "day", "week", "month"), help="html, and report as .html or .md: "
                   "add the selected events per day, ISO week or month (auto: the finest whose bars fit the chart; "
                   "an inline chart, a table in Markdown)")
    p = add("import", cmd_import, "import a file into a project, all or nothing")
    p.add_argument("file")
    p.add_argument("--format", required=True, choices=tuple(IMPORTS))
    p.add_argument("--map", action="append", metavar="COLUMN=FIELD", help="csv: which field a column fills "
                   "(repeatable; FIELD empty to ignore the column)")
    p.add_argument("--dry-run", action="store_true", help="check the file and report what would change, "
                   "writing nothing")
    p = add("screenshot", cmd_screenshot,
            "render the main window, or the timeline, map or counts chart alone, to an image")
    p.add_argument("out", help="PNG for the window; PNG, SVG or PDF for the timeline alone")
    p.add_argument("--size", help="WIDTHxHEIGHT in pixels (default 1600x1000; 1400x450 with --counts)")
    p.add_argument("--from", dest="date_from", help="start of the timeline's window; alone with --to, "
                   "renders the timeline alone")
    p.add_argument("--to", dest="date_to", help="end of the timeline's window")
    p.add_argument("--timeline", action="store_true", help="the timeline alone (the whole project "
                   "unless --from/--to)")
    p.add_argument("--reader", action="store_true", help="the window with an annotated source open in the "
                   "reader beside the timeline (--from/--to zoom the timeline and choose the source)")
    p.add_argument("--map", action="store_true", help="the map alone: the events with coordinates (between "
                   "--from and --to) over country and province boundaries; PNG, SVG or PDF")
    p.add_argument("--counts", action="store_true", help="the counts chart alone: events per day, week or "
                   "month (between --from and --to), stacked by group; PNG, SVG or CSV")
    p.add_argument("--by", choices=("day", "week", "month"), help="--counts: the bins (default: as the chart "
                   "picks for the window and --size)")
    p.add_argument("--title", help="title above the timeline alone (default: the project's)")
    p.add_argument("--theme", choices=("light", "dark"), default="light",
                   help="the window in light or dark colours (the timeline alone is always light, as printed)")
    p = sub.add_parser("source", help="add, list, edit, merge or delete sources, or replace a source's text")
    source_sub = p.add_subparsers(dest="action", required=True)
    p_add = source_sub.add_parser("add", help="add a source from a .txt, .md, .html or .pdf file (- : the text "
                                  "piped in, with --title); prints its uid")
    p_add.add_argument("project")
    p_add.add_argument("file", help="the document, or - to read UTF-8 text from standard input (needs --title)")
    for flag in ("--title", "--outlet", "--url", "--author", "--published", "--language", "--kind"):
        p_add.add_argument(flag)
    p_add.add_argument("--reliability", choices=("A", "B", "C", "D", "E", "F"))
    p_upd = source_sub.add_parser("update", help="replace a source's text and re-anchor its annotations")
    p_upd.add_argument("project")
    p_upd.add_argument("uid")
    p_upd.add_argument("file", help="the document, or - to read UTF-8 text from standard input")
    for sp in (p_add, p_upd):
        sp.add_argument("--json", action="store_true", help="print JSON")
        sp.set_defaults(func=cmd_source)
    p = add("annotate", cmd_annotate, "annotate a quoted passage of a source; prints uid, start, end")
    p.add_argument("source_uid")
    p.add_argument("--quote", required=True)
    p.add_argument("--occurrence", type=int, default=1)
    p.add_argument("--note")
    p.add_argument("--credibility", type=int, choices=range(1, 7), metavar="1-6")
    p.add_argument("--group", action="append", metavar="NAME", help="a group the passage names (its name "
                   "or an alias); repeatable")
    p.add_argument("--tag", action="append", metavar="T", help="a tag (commas separate several); repeatable")
    p.add_argument("--link", metavar="EVENT_UID")
    p.add_argument("--stance", choices=("supports", "contradicts", "context"), default="supports")
    from sijill.desktop.cli.groups import add_parsers

    add_parsers(sub, _print)
    from sijill.desktop.cli.safety import add_parsers as add_safety_parsers

    add_safety_parsers(sub, _print)
    from sijill.desktop.cli.merge import add_parsers as add_merge_parsers

    add_merge_parsers(sub, _print)
    from sijill.desktop.cli.counts import add_parsers as add_counts_parsers

    add_counts_parsers(sub, _print)
    from sijill.desktop.cli.history import add_parsers as add_history_parsers

    add_history_parsers(sub, _print)
    from sijill.desktop.cli.restore import add_parsers as add_restore_parsers

    add_restore_parsers(sub, _print)
    from sijill.desktop.cli.places import add_parsers as add_places_parsers

    add_places_parsers(sub, _print)
    from sijill.desktop.cli import records as cli_records  # event, tag, annotation; source list/edit/delete; evidence (list)/link/unlink

    cli_records.add_parsers(sub, _print, source_sub, evidence_listing=cmd_evidence)
    return parser


def _not_a_project(word: str) -> int:
    """`sijill WORD` where WORD is neither a command nor an existing file: say so, open no window."""
    if Path(word).suffix or os.sep in word or "/" in word:  # meant as a file: no command has a dot
        print(f"sijill: no such project {word!r} (sijill init PATH creates one)", file=sys.stderr)
        return 1
    close = difflib.get_close_matches(word, COMMANDS, n=1)
    hint = (f"did you mean {close[0]!r}?" if close
            else f"commands: {', '.join(COMMANDS)}; sijill PATH opens a project")
    print(f"sijill: unknown command {word!r} — {hint}", file=sys.stderr)
    return 2


def run(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        build_parser().print_help()
        return 0
    if argv and argv[0] == "--self-test":  # an option, not a command: no project, no window shown
        from sijill.desktop.shell.self_test import main as self_test

        return self_test(argv[1:])
    if not argv or argv[0] not in COMMANDS:
        if argv and argv[0].startswith("-"):
            print(f"sijill: unknown option {argv[0]!r} (try sijill --help)", file=sys.stderr)
            return 2
        if argv and not Path(argv[0]).exists():
            return _not_a_project(argv[0])
        from sijill.desktop.shell.startup import run_gui

        return run_gui(Path(argv[0]) if argv else None)
    from sijill.desktop.cli.records import with_default_action

    try:
        args = build_parser().parse_args(with_default_action(argv))
    except KeyboardInterrupt:
        return _interrupted()
    return _run_command(args)


def _run_command(args) -> int:
    """Run a parsed command. Every error a user can cause ends as one line on stderr and exit 1
    (or the command's own `error_exit_code`: diff's 2, as diff(1)),
    never a traceback: the documented errors (CliError, ProjectError, DateParseError, OSError,
    StorageError), and what parsing hostile input raises (ValueError, with JSON and
    Unicode errors, RecursionError, OverflowError, MemoryError). Ctrl+C exits 130 and a reader
    that stops reading (`sijill stats p.sijill | head -1`) 141, without a word. Anything else is
    a bug: one line naming it (SIJILL_TRACEBACK=1 shows the traceback)."""
    failed = getattr(args, "error_exit_code", 1)
    try:
        args.func(args)
        sys.stdout.flush()  # a closed pipe is found here, not at exit (where Python prints a warning)
    except BrokenPipeError:
        return _pipe_closed()
    except KeyboardInterrupt:
        return _interrupted()
    except (CliError, ProjectError, DateParseError, OSError) as exc:
        print(f"sijill {args.command}: {exc}", file=sys.stderr)
        return failed
    except StorageError as exc:
        print(f"sijill {args.command}: the project file could not be read or written: {exc}", file=sys.stderr)
        return failed
    except (ValueError, RecursionError, OverflowError, MemoryError) as exc:
        what = "too deeply nested" if isinstance(exc, RecursionError) else "too large" if isinstance(
            exc, (OverflowError, MemoryError)) else "not valid"
        print(f"sijill {args.command}: the input is {what} ({type(exc).__name__}: {exc})", file=sys.stderr)
        return failed
    except Exception as exc:  # noqa: BLE001 - a bug, said in one line instead of a traceback
        if os.environ.get("SIJILL_TRACEBACK"):
            raise
        print(f"sijill {args.command}: unexpected error ({type(exc).__name__}: {exc}); "
              "SIJILL_TRACEBACK=1 shows where", file=sys.stderr)
        return failed
    return getattr(args, "exit_code", 0)


def _pipe_closed() -> int:
    """The reader of our output went away: send what is left to /dev/null (so that Python's own
    flush at exit finds nothing to complain about) and exit as a process killed by SIGPIPE would."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # stdout is no real file (a test's capture)
        pass
    return 141


def _interrupted() -> int:
    """Ctrl+C: no traceback; a write in progress was rolled back by its transaction."""
    try:
        print(file=sys.stderr)
    except (OSError, ValueError):
        pass
    return 130
