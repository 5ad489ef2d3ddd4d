"""Which events an export writes, and everything an exporter needs to know of each.

`EventSelection` is what `sijill export --from --to --group --tag --query --type --evidence --area`
and the Export dialog ask for (the dialog starts from the window's filter, so that an export holds
what the timeline shows); `select_event_ids` turns it into event ids in chronological order,
restricting by type, evidence and map area as the timeline does (`Project.event_ids_matching`,
`Project.evidence_summary`, `ids_in_area` on the events' coordinates), and `export_events`
reads those events in chunks (three queries per 900 events), each with its groups and roles, tags,
attributes and citations (evidence with the source, the annotated passage, the grade and whether the
source's text is a summary rather than the document's own words), so that
a 100,000-event export is never one query per event nor one list of records held whole.
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sijill.db.store.bulk import chunks
from sijill.db.dates import DateParseError, FuzzyDate, parse_fuzzy
from sijill.db.formats.records import ExchangeError
from sijill.db.store.search import fts_query
from sijill.db.store.basics import StorageError


# The evidence filter's names (ViewFilter.evidence, `sijill export --evidence`, `sijill view save --evidence`),
# each with its label in the filter bar and the export dialog, and the words that describe a selection by it.
# The one list of them: the window, the dialogs and the command line read it.
EVIDENCE_FILTERS = {"none": ("Without evidence", "events without evidence"),
                    "contradicted": ("Contradicted", "contradicted events")}


def parse_area(text: str) -> tuple[tuple[float, float], ...]:
    """An area as `sijill export --area` takes it: "lon,lat lon,lat lon,lat …" (decimal degrees,
    at least three points, the outline closed by itself); ExchangeError names the point at fault."""
    points = []
    for n, token in enumerate(text.split(), 1):
        parts = token.split(",")
        try:
            lon, lat = (float(v) for v in parts) if len(parts) == 2 else (math.nan, math.nan)
        except ValueError:
            lon = lat = math.nan
        if not (math.isfinite(lon) and math.isfinite(lat)):
            raise ExchangeError(f"point {n} of the area, {token!r}, is not LON,LAT in decimal degrees "
                                "(e.g. 44.36,33.31)")
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ExchangeError(f"point {n} of the area, {token!r}, is off the globe (longitude -180 to 180, "
                                "latitude -90 to 90)")
        points.append((lon, lat))
    if len(set(points)) < 3:
        raise ExchangeError(f"an area needs at least three different points, not {len(set(points))} "
                            "(\"lon,lat lon,lat lon,lat …\")")
    return tuple(points)


@dataclass(frozen=True)
class EventSelection:
    """Events whose bounds touch [date_from, date_to] (fuzzy dates: "2023-10" is the whole
    month), linked to one of `groups` or their sub-groups (any role), carrying one of `tags`,
    matching the full-text `query`, of one of `event_types`, with the `evidence` of EVIDENCE_FILTERS
    ("none": no evidence; "contradicted": a source contradicts them) and with coordinates inside
    `area` (lon/lat vertices, as drawn on the map); an empty condition does not restrict."""

    date_from: str | None = None
    date_to: str | None = None
    groups: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    query: str | None = None
    event_types: tuple[str, ...] = ()
    evidence: str | None = None
    area: tuple[tuple[float, float], ...] | None = None

    def bounds(self) -> tuple[int | None, int | None]:
        lo = hi = None
        try:
            if self.date_from:
                lo = parse_fuzzy(self.date_from).lo_ts
            if self.date_to:
                hi = parse_fuzzy(self.date_to).hi_ts
        except DateParseError as exc:
            raise ExchangeError(f"cannot read the date range: {exc}") from exc
        if lo is not None and hi is not None and hi < lo:
            raise ExchangeError(f"the range ends ({self.date_to}) before it starts ({self.date_from})")
        return lo, hi

    def describe(self) -> str:
        """The selection in words, for a report's title page ("all events" when unrestricted)."""
        parts = []
        if self.date_from or self.date_to:
            parts.append(f"from {self.date_from or 'the first event'} to {self.date_to or 'the last'}")
        if self.groups:
            parts.append("groups: " + ", ".join(self.groups) + " (with their sub-groups)")
        if self.tags:
            parts.append("tags: " + ", ".join(self.tags))
        if self.query:
            parts.append(f"matching “{self.query}”")
        if self.event_types:
            parts.append(("type: " if len(self.event_types) == 1 else "types: ") + ", ".join(self.event_types))
        if self.evidence:
            parts.append(EVIDENCE_FILTERS.get(self.evidence, ("", f"evidence: {self.evidence}"))[1])
        if self.area:
            parts.append(f"map area: {len(self.area)} points")
        return "; ".join(parts) or "all events"

    @property
    def is_everything(self) -> bool:
        return not (self.date_from or self.date_to or self.groups or self.tags or self.query or self.event_types
                    or self.evidence or self.area)


def group_ids_with_descendants(project, names: Iterable[str]) -> set[int]:
    """Ids of the named groups (by name, alias-free) and of every group nested under them."""
    groups = project.groups()
    by_name = {g.name: g.id for g in groups}
    children: dict[int | None, list[int]] = {}
    for g in groups:
        children.setdefault(g.parent_id, []).append(g.id)
    out: set[int] = set()
    for name in names:
        if name not in by_name:
            known = ", ".join(sorted(by_name)[:12])
            raise ExchangeError(f"no group named {name!r} (groups: {known}{', …' if len(by_name) > 12 else ''})")
        stack = [by_name[name]]
        while stack:
            gid = stack.pop()
            if gid not in out:
                out.add(gid)
                stack.extend(children.get(gid, ()))
    return out


def select_event_ids(project, selection: EventSelection | None = None) -> list[int]:
    """Ids of the selected events, by start then id."""
    selection = selection or EventSelection()
    lo, hi = selection.bounds()
    where, params = ["1"], []
    if lo is not None:
        where.append("COALESCE(end_hi, start_hi) >= ?")
        params.append(lo)
    if hi is not None:
        where.append("start_lo <= ?")
        params.append(hi)
    if selection.groups:
        gids = sorted(group_ids_with_descendants(project, selection.groups))
        where.append(f"id IN (SELECT event_id FROM event_groups WHERE group_id IN ({', '.join('?' * len(gids))}))")
        params += gids
    if selection.tags:
        known = set(project.tags())
        unknown = [t for t in selection.tags if t not in known]
        if unknown:
            raise ExchangeError(f"no tag named {unknown[0]!r}")
        where.append("id IN (SELECT et.event_id FROM event_tags et JOIN tags t ON t.id = et.tag_id "
                     f"WHERE t.name IN ({', '.join('?' * len(selection.tags))}))")
        params += list(selection.tags)
    if selection.query and fts_query(selection.query):
        where.append("id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)")
        params.append(fts_query(selection.query))
    sql = f"SELECT id FROM events WHERE {' AND '.join(where)} ORDER BY start_lo, id"
    try:
        ids = [r for (r,) in project.db.execute(sql, params)]
    except StorageError as exc:  # an FTS syntax the query helper did not foresee
        raise ExchangeError(f"cannot search for {selection.query!r}: {exc}") from exc
    kept = _kept_by_type_evidence_area(project, selection)
    return ids if kept is None else [i for i in ids if i in kept]


def _kept_by_type_evidence_area(project, selection: EventSelection) -> set[int] | None:
    """The events the selection's types, evidence and area allow (None: all), worked out as the
    timeline works them out, so that an export holds the events the window shows."""
    if selection.evidence is not None and selection.evidence not in EVIDENCE_FILTERS:
        raise ExchangeError(f"no evidence filter {selection.evidence!r} (filters: {', '.join(EVIDENCE_FILTERS)})")
    kept = None
    if selection.event_types:
        kept = project.event_ids_matching(event_types=selection.event_types)
    if selection.evidence:
        summary = project.evidence_summary()
        if selection.evidence == "contradicted":
            contradicted = {e for e, (_n, contra) in summary.items() if contra}
            kept = contradicted if kept is None else kept & contradicted
        else:
            kept = (kept if kept is not None else project.event_ids_matching()) - summary.keys()
    if selection.area is not None:
        from sijill.db.geo.map_data import ids_in_area, read_event_points  # numpy: only when an area is asked

        if len(selection.area) < 3:
            raise ExchangeError(f"an area needs at least three points, not {len(selection.area)}")
        kept = set(ids_in_area(read_event_points(project, kept), selection.area).tolist())
    return kept


# How an export marks a citation whose source text is a summary (Citation.summary), next to the quote.
SUMMARY_MARK = "summary written for this project, not the article's text"


@dataclass(frozen=True)
class Citation:
    """One piece of evidence as a reader of an export sees it."""

    stance: str
    source_uid: str
    source_title: str
    outlet: str | None
    author: str | None
    url: str | None
    published: FuzzyDate | None
    reliability: str | None
    credibility: int | None
    quote: str | None
    annotation_uid: str | None
    orphaned: bool
    note: str | None
    summary: bool = False  # the source's body (and so the quote) is a summary, not the document's words

    @property
    def grade(self) -> str | None:
        """The Admiralty grade as an analyst writes it ("B2"; "B" or "?2" when half is unknown)."""
        if not self.reliability and not self.credibility:
            return None
        return f"{self.reliability or '?'}{self.credibility or ''}" if self.reliability else f"?{self.credibility}"


@dataclass(frozen=True)
class ExportEvent:
    """An event with everything an export writes of it."""

    id: int
    uid: str
    title: str
    description: str | None
    start: FuzzyDate
    end: FuzzyDate | None
    location: str | None
    latitude: float | None
    longitude: float | None
    event_type: str | None
    fatalities: int | None
    attributes: dict = field(default_factory=dict)
    groups: tuple[tuple[str, str], ...] = ()
    tags: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()

    @property
    def contradicted(self) -> bool:
        return any(c.stance == "contradicts" for c in self.citations)

    def groups_in(self, role: str) -> list[str]:
        return [name for name, r in self.groups if r == role]


def _fuzzy(text, lo, hi, precision, approximate, uncertain) -> FuzzyDate | None:
    if lo is None:
        return None
    return FuzzyDate.from_bounds(text or "", lo, hi, precision or "day", bool(approximate), bool(uncertain))


_COLUMNS = ("id, uid, title, description, start_text, start_lo, start_hi, start_precision, approximate, uncertain, "
            "end_text, end_lo, end_hi, end_precision, end_approximate, end_uncertain, location, latitude, "
            "longitude, event_type, fatalities, attributes")


def export_events(project, ids: list[int], chunk: int = 900, attributes: bool = True) -> Iterator[ExportEvent]:
    """The events `ids`, in that order, with groups (lane order), tags and citations; their
    attributes too unless `attributes` is false (reading them is a sixth of a report's time)."""
    db = project.db
    for part in chunks(list(ids), chunk):
        marks = ", ".join("?" * len(part))
        rows = {r[0]: r for r in db.execute(f"SELECT {_COLUMNS} FROM events WHERE id IN ({marks})", part)}
        groups: dict[int, list] = {}
        for eid, name, role in db.execute(
                "SELECT eg.event_id, g.name, eg.role FROM event_groups eg JOIN groups g ON g.id = eg.group_id "
                f"WHERE eg.event_id IN ({marks}) ORDER BY g.position, g.id", part):
            groups.setdefault(eid, []).append((name, role))
        tags: dict[int, list] = {}
        for eid, name in db.execute("SELECT et.event_id, t.name FROM event_tags et JOIN tags t ON t.id = et.tag_id "
                                    f"WHERE et.event_id IN ({marks}) ORDER BY t.name", part):
            tags.setdefault(eid, []).append(name)
        cites: dict[int, list] = {}
        for r in db.execute(
                "SELECT ev.event_id, ev.stance, s.uid, s.title, s.outlet, s.author, s.url, s.published_text, "
                "s.published_lo, s.published_hi, s.published_precision, s.published_approximate, "
                "s.published_uncertain, s.reliability, a.credibility, a.quote, a.uid, a.orphaned, ev.note, s.summary "
                "FROM event_evidence ev JOIN sources s ON s.id = ev.source_id "
                "LEFT JOIN annotations a ON a.id = ev.annotation_id "
                f"WHERE ev.event_id IN ({marks}) ORDER BY ev.id", part):
            cites.setdefault(r[0], []).append(Citation(
                r[1], r[2], r[3], r[4], r[5], r[6], _fuzzy(*r[7:13]), r[13], r[14], r[15], r[16], bool(r[17]), r[18],
                bool(r[19])))
        for eid in part:
            r = rows.get(eid)
            if r is None:
                continue
            try:
                extra = json.loads(r[21]) if attributes and r[21] else {}
            except json.JSONDecodeError:
                extra = {}
            yield ExportEvent(
                id=r[0], uid=r[1], title=r[2], description=r[3], start=_fuzzy(*r[4:10]), end=_fuzzy(*r[10:16]),
                location=r[16], latitude=r[17], longitude=r[18], event_type=r[19], fatalities=r[20],
                attributes=extra if isinstance(extra, dict) else {},
                groups=tuple(groups.get(eid, ())), tags=tuple(tags.get(eid, ())),
                citations=tuple(cites.get(eid, ())))
