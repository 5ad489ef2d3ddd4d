"""Plain records the Project API hands out. They are snapshots: change the file through Project."""
from __future__ import annotations

from dataclasses import dataclass, field

from sijill.db.dates import FuzzyDate


@dataclass(frozen=True)
class Alias:
    alias: str
    lang: str | None = None


@dataclass(frozen=True)
class Group:
    """An armed group, state or coalition; `parent_id` nests it (Kataib Hezbollah in the PMF)."""

    id: int
    uid: str
    name: str
    kind: str | None
    parent_id: int | None
    color: str | None
    description: str | None
    position: int
    aliases: tuple[Alias, ...] = ()


@dataclass(frozen=True)
class Link:
    """An event's tie to a group, in a role (actor, target, associated, mentioned)."""

    group_id: int
    role: str


@dataclass(frozen=True)
class Event:
    """What happened and when, with the groups involved."""

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
    created_at: str
    updated_at: str
    groups: tuple[Link, ...] = ()
    tags: tuple[str, ...] = ()
    key_event: bool = False   # a turning point marked by hand: its label wins on the timeline

    @property
    def lo(self) -> int:
        return self.start.lo_ts

    @property
    def hi(self) -> int:
        return (self.end or self.start).hi_ts


@dataclass(frozen=True)
class EventBrief:
    """An event's id, title and start: what a list that shows no more needs (the annotation's picker)."""

    id: int
    title: str
    start: FuzzyDate


@dataclass(frozen=True)
class Source:
    """A document an analyst reads: its metadata, its full text and a reliability grade (A–F)."""

    id: int
    uid: str
    title: str
    outlet: str | None
    author: str | None
    url: str | None
    published: FuzzyDate | None
    language: str | None
    reliability: str | None
    kind: str | None
    body: str
    added_at: str
    summary: bool = False  # the body is a summary someone wrote, not the document's own text


@dataclass(frozen=True)
class Annotation:
    """A passage of a source, anchored by code-point offsets and by its quote with context."""

    id: int
    uid: str
    source_id: int
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    note: str | None
    credibility: int | None
    orphaned: bool
    created_at: str
    updated_at: str
    group_ids: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    """A source (pinned to an annotated passage where there is one) bearing on an event."""

    id: int
    event_id: int
    source_id: int
    annotation_id: int | None
    stance: str
    note: str | None


@dataclass(frozen=True)
class Period:
    """A background band on the timeline ("ISIS holds Mosul")."""

    id: int
    uid: str
    title: str
    start: FuzzyDate
    end: FuzzyDate | None
    color: str | None
    description: str | None


@dataclass(frozen=True)
class TagUsage:
    """A tag and how many events and annotated passages carry it."""

    name: str
    events: int
    annotations: int


@dataclass(frozen=True)
class SearchHit:
    """One full-text match; `snippet` marks the matched words with the markers asked for."""

    kind: str  # "event", "source" or "annotation"
    id: int
    uid: str
    title: str
    snippet: str
    rank: float


@dataclass
class Stats:
    events: int = 0
    groups: int = 0
    sources: int = 0
    annotations: int = 0
    periods: int = 0
    events_without_evidence: int = 0
    first: str | None = None
    last: str | None = None
    extra: dict = field(default_factory=dict)
