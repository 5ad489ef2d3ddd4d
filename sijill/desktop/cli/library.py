"""`sijill source list|edit|merge|delete`, `annotation list|edit|delete` and `evidence link|unlink`.

The library's rules: a source needs a title and is graded A–F (empty: not graded); a passage is
graded 1–6; deleting a source takes its annotations and evidence links with it, deleting a passage
leaves its evidence links citing the whole source (as the window's Delete does); merging a source
into another is Sources ▸ Merge into… (`Project.merge_sources`). Linking a passage
or a source to an event it already supports changes that link's stance (and note, if given), as
picking the event again does in the annotation editor: an event cites a passage once.
"""
from __future__ import annotations

from collections import Counter

from sijill.db.store import schema
from sijill.db.store.basics import ProjectError
from sijill.db.store.entities import Annotation, Source
from sijill.db.store.project import Project
from sijill.desktop.cli.records import (annotation_groups, credibility, date_json, find_annotation, find_event,
                                 find_source, optional_text, plural, read_date, reliability, tag_names)
from sijill.desktop.undo_text import merge_text

SOURCE_TEXT_FIELDS = ("outlet", "author", "url", "language", "kind")


# ---- sources -----------------------------------------------------------------------------------
def source_json(s: Source, annotations: int, evidence: int) -> dict:
    return {"uid": s.uid, "title": s.title, "outlet": s.outlet, "author": s.author, "url": s.url,
            "published": date_json(s.published), "language": s.language, "reliability": s.reliability,
            "kind": s.kind, "summary": s.summary, "characters": len(s.body), "annotations": annotations,
            "evidence": evidence, "added_at": s.added_at}


def source_line(row: dict) -> str:
    published = row["published"]["display"] if row["published"] else "undated"
    return (f"{row['uid']}  {row['reliability'] or '-'}  {published:<14} {row['title']}"
            + (f" — {row['outlet']}" if row["outlet"] else "")
            + f"  ({plural(row['annotations'], 'annotation')}, {plural(row['evidence'], 'evidence link')})")


def cmd_source(args, emit) -> None:
    action = args.action
    with Project.open(args.project, read_only=action == "list") as project:
        if action == "list":
            counts = project.annotation_counts()
            cited = Counter(ev.source_id for ev in project.all_evidence())
            rows = [source_json(s, counts.get(s.id, 0), cited[s.id]) for s in project.sources()]
            emit(args, rows, "\n".join(source_line(r) for r in rows) or "no sources")
            return
        source = find_source(project, args.uid)
        if action == "merge":
            into = find_source(project, args.into)
            if into.id == source.id:
                raise ProjectError(f"{source.title} ({source.uid}) is the source kept: it cannot be merged into itself")
            with project.batch(merge_text("source", [source.title], into.title)):
                record = project.merge_sources(source.id, into.id)
            moved = [project.annotation(i) for i in record["annotations"]]
            orphaned = [a.uid for a in moved if a.orphaned]
            links = len(record["evidence"]) - len(record["dropped"])
            emit(args, {"merged": source.uid, "into": into.uid, "annotations": [a.uid for a in moved],
                        "orphaned": orphaned, "evidence_links": links},
                 f"merged {source.title} into {into.title}: {plural(len(moved), 'passage')}"
                 + (f" ({len(orphaned)} orphaned: not found in its text)" if orphaned else "")
                 + f" and {plural(links, 'evidence link')} moved")
            return
        if action == "delete":
            annotations = len(project.annotations(source.id))
            links = len(project.evidence_for_source(source.id))
            project.delete_source(source.id)
            emit(args, {"deleted": source.uid, "title": source.title, "annotations": annotations,
                        "evidence_links": links},
                 f"deleted {source.title} ({plural(annotations, 'annotation')} and "
                 f"{plural(links, 'evidence link')} with it)")
            return
        fields: dict = {}
        if args.title is not None:
            fields["title"] = args.title.strip()
        for key in SOURCE_TEXT_FIELDS:
            if getattr(args, key) is not None:
                fields[key] = optional_text(getattr(args, key))
        if args.published is not None:
            fields["published"] = read_date(args.published, "--published")
        if args.reliability is not None:
            fields["reliability"] = reliability(args.reliability)
        if args.summary is not None:
            fields["summary"] = args.summary
        if not fields:
            raise ProjectError("nothing to change: give --title, --outlet, --author, --url, --published, "
                               "--language, --reliability, --kind, --summary or --no-summary")
        source = project.update_source(source.id, **fields)
        emit(args, source_json(source, len(project.annotations(source.id)),
                               len(project.evidence_for_source(source.id))), f"changed {source.title}")


# ---- annotations -------------------------------------------------------------------------------
def annotation_json(a: Annotation, source: Source, names: dict[int, str], events: list[str]) -> dict:
    return {"uid": a.uid, "source": source.uid, "source_title": source.title, "start": a.start, "end": a.end,
            "quote": a.quote, "note": a.note, "credibility": a.credibility,
            "grade": f"{source.reliability or '?'}{a.credibility or ''}" if source.reliability or a.credibility
            else None, "groups": [names[g] for g in a.group_ids], "tags": list(a.tags), "orphaned": a.orphaned,
            "events": events}


def annotation_line(row: dict) -> str:
    quote = row["quote"] if len(row["quote"]) <= 60 else row["quote"][:59] + "…"
    bits = [row["uid"], f"{row['grade'] or '--':3}", f"“{quote}”", f"in {row['source_title']}"]
    if row["orphaned"]:
        bits.append("(orphaned)")
    if row["tags"]:
        bits.append("tags: " + ", ".join(row["tags"]))
    if row["events"]:
        bits.append(f"evidence for {plural(len(row['events']), 'event')}")
    return "  ".join(bits)


def cmd_annotation(args, emit) -> None:
    action = args.action
    with Project.open(args.project, read_only=action == "list") as project:
        names = {g.id: g.name for g in project.groups()}

        def row(a: Annotation, source: Source | None = None) -> dict:
            events = [project.event(ev.event_id).uid for ev in project.evidence_for_annotation(a.id)]
            return annotation_json(a, source or project.source(a.source_id), names, events)

        if action == "list":
            source = find_source(project, args.source) if args.source else None
            sources = {s.id: s for s in ([source] if source else project.sources())}
            event_uids = {e.id: e.uid for e in project.events()}
            linked: dict[int, list[str]] = {}
            for ev in project.all_evidence():
                if ev.annotation_id is not None:
                    linked.setdefault(ev.annotation_id, []).append(event_uids[ev.event_id])
            rows = [annotation_json(a, sources[a.source_id], names, linked.get(a.id, []))
                    for a in project.annotations(source.id if source else None)]
            emit(args, rows, "\n".join(annotation_line(r) for r in rows) or "no annotations")
            return
        annotation = find_annotation(project, args.uid)
        if action == "delete":
            links = len(project.evidence_for_annotation(annotation.id))
            project.delete_annotation(annotation.id)
            emit(args, {"deleted": annotation.uid, "quote": annotation.quote, "evidence_links": links},
                 f"deleted the annotation “{annotation.quote}”"
                 + (f" ({plural(links, 'evidence link')} now cite{'s' if links == 1 else ''} the whole source)"
                    if links else ""))
            return
        fields: dict = {}
        if args.note is not None:
            fields["note"] = optional_text(args.note)
        if args.credibility is not None:
            fields["credibility"] = credibility(args.credibility)
        if args.no_groups:
            fields["groups"] = []
        elif args.group is not None:
            fields["groups"] = annotation_groups(project, args.group)
        if args.no_tags:
            fields["tags"] = []
        elif args.tag is not None:
            fields["tags"] = tag_names(args.tag)
        if not fields:
            raise ProjectError("nothing to change: give --note, --credibility, --group, --no-groups, --tag "
                               "or --no-tags")
        annotation = project.update_annotation(annotation.id, **fields)
        emit(args, row(annotation), f"changed the annotation “{annotation.quote}”")


# ---- evidence ----------------------------------------------------------------------------------
def cmd_evidence_link(args, emit) -> None:
    with Project.open(args.project) as project:
        event = find_event(project, args.event_uid)
        if args.annotation:
            annotation = find_annotation(project, args.annotation)
            source, annotation_id = project.source(annotation.source_id), annotation.id
            what = f"the passage “{annotation.quote}”"
        else:
            source, annotation_id = find_source(project, args.source), None
            what = f"the source {source.title}"
        if args.action == "link" and args.stance is not None and args.stance not in schema.STANCES:
            raise ProjectError(f"unknown stance {args.stance!r} (one of {', '.join(schema.STANCES)})")
        existing = [ev for ev in project.evidence(event.id)
                    if ev.source_id == source.id and ev.annotation_id == annotation_id]
        if args.action == "link":
            if existing:
                changes = {"stance": args.stance or existing[0].stance}
                if args.note is not None:
                    changes["note"] = optional_text(args.note)
                ev = project.update_evidence(existing[0].id, **changes)
                verb = f"{what} already bore on {event.title}: now {ev.stance}"
            else:
                ev = project.add_evidence(event.id, source.id, annotation_id, stance=args.stance or "supports",
                                          note=optional_text(args.note or ""))
                verb = f"{what} {ev.stance} {event.title}"
            emit(args, {"event": event.uid, "source": source.uid,
                        "annotation": args.annotation and annotation.uid, "stance": ev.stance, "note": ev.note,
                        "changed": bool(existing)}, verb)
            return
        if not existing:
            pinned = [project.annotation(ev.annotation_id).uid for ev in project.evidence(event.id)
                      if ev.source_id == source.id and ev.annotation_id is not None]
            hint = (f"; it cites passages of it: --annotation {' or '.join(pinned)}"
                    if pinned and annotation_id is None else "")
            raise ProjectError(f"{what} is not evidence for {event.title}{hint}")
        with project.batch("Remove evidence link"):  # unlabelled, the history read 'Cmd evidence link'
            for ev in existing:
                project.remove_evidence(ev.id)
        emit(args, {"event": event.uid, "source": source.uid, "annotation": args.annotation and annotation.uid,
                    "removed": len(existing)}, f"{what} is no longer evidence for {event.title}")


# ---- parsers -----------------------------------------------------------------------------------
def add_parsers(sub, leaf, source_sub, evidence_listing) -> None:
    p = leaf(source_sub, "list", cmd_source, "list the sources with grade, date, and counts of annotations "
             "and evidence links")
    p = leaf(source_sub, "edit", cmd_source, "change a source's details (empty text clears a field)")
    p.add_argument("uid")
    for flag, help in (("--title", "its title"), ("--outlet", "who published it"), ("--author", "who wrote it"),
                       ("--url", "where it is online"), ("--published", "when it was published (a fuzzy date)"),
                       ("--language", "its language (en, fr, ar…)"),
                       ("--reliability", "the source's reliability, A (reliable) to F (cannot be judged)"),
                       ("--kind", "article, report, statement, …")):
        p.add_argument(flag, help=help)
    summary = p.add_mutually_exclusive_group()
    summary.add_argument("--summary", dest="summary", action="store_const", const=True,
                         help="its text is a summary written for the project, not the document's own words")
    summary.add_argument("--no-summary", dest="summary", action="store_const", const=False,
                         help="its text is the document's own words")
    p = leaf(source_sub, "delete", cmd_source, "delete a source with its annotations and evidence links")
    p.add_argument("uid")
    p = leaf(source_sub, "merge", cmd_source, "merge a source (the same document added twice) into the one kept: "
             "its passages, found again in INTO's text, and its evidence links move over; INTO keeps its title "
             "and text and takes what it leaves empty")
    p.add_argument("uid", metavar="FROM", help="the source merged (its uid)")
    p.add_argument("into", metavar="INTO", help="the source kept (its uid)")

    annotations = sub.add_parser("annotation", help="list, edit or delete annotated passages",
                                 description="List, edit or delete annotated passages (sijill annotate adds one).")
    asub = annotations.add_subparsers(dest="action", required=True)
    p = leaf(asub, "list", cmd_annotation, "list the annotations with their grade, tags and events")
    p.add_argument("--source", metavar="UID", help="only this source's annotations")
    p = leaf(asub, "edit", cmd_annotation, "change an annotation's note, credibility, groups or tags")
    p.add_argument("uid")
    p.add_argument("--note", metavar="T", help="the analyst's note (empty to clear)")
    p.add_argument("--credibility", metavar="1-6", help="the information's credibility, 1 (confirmed) to 6 "
                   "(cannot be judged); empty to clear")
    groups = p.add_mutually_exclusive_group()
    groups.add_argument("--group", action="append", metavar="NAME", help="a group the passage names; "
                        "repeatable; replaces every group")
    groups.add_argument("--no-groups", action="store_true", help="take every group off the passage")
    tags = p.add_mutually_exclusive_group()
    tags.add_argument("--tag", action="append", metavar="T", help="a tag (commas separate several); repeatable; "
                      "replaces every tag")
    tags.add_argument("--no-tags", action="store_true", help="take every tag off the passage")
    p = leaf(asub, "delete", cmd_annotation, "delete an annotation (its evidence links then cite the whole source)")
    p.add_argument("uid")

    evidence = sub.add_parser("evidence", help="list an event's evidence, or link or unlink a passage or source",
                              description="List an event's evidence (sijill evidence PROJECT EVENT_UID), or link "
                              "or unlink an annotated passage or a whole source.")
    vsub = evidence.add_subparsers(dest="action", required=True)
    p = vsub.add_parser("list", help="list an event's evidence with quotes and grades (the default)",
                        description="List an event's evidence with quotes and grades.")
    p.add_argument("project", help="the project file (.sijill)")
    p.add_argument("event_uid")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=evidence_listing)
    for name, help in (("link", "make a passage or a whole source evidence for an event"),
                       ("unlink", "remove a passage or a whole source from an event's evidence")):
        p = leaf(vsub, name, cmd_evidence_link, help)
        p.add_argument("event_uid")
        which = p.add_mutually_exclusive_group(required=True)
        which.add_argument("--annotation", metavar="UID", help="the annotated passage")
        which.add_argument("--source", metavar="UID", help="the whole source (no passage)")
        if name == "link":
            p.add_argument("--stance", metavar="STANCE", help="supports (the default), contradicts or context")
            p.add_argument("--note", metavar="T", help="why it bears on the event")
