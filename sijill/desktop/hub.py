"""The one place the UI hears about changes to the project and to the shared selection.

`db.Project` is Qt-free: it hands each committed change set to its subscribers. The hub subscribes
once and turns change sets into Qt signals (`sijill.desktop.hub_changes`), so that every view
follows every write (an undo command, an import, another window's edit polled from the file)
without the code that writes saying anything. Setters emit only on a real change.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
import sys
import weakref
from dataclasses import dataclass, field, replace
from datetime import datetime

from PySide6.QtCore import QObject, Signal

from sijill.db.geo.map_data import ids_in_area, read_event_points
from sijill.db.store.project import Project
from sijill.desktop.hub_changes import RecordIds, announce


@dataclass(frozen=True)
class ViewFilter:
    """What the analyst asked to see; shared by the events table and the timeline.

    `group_ids` None means every group; `tags`/`event_types` empty mean no restriction;
    `lo`/`hi` (seconds, inclusive) bound the date range; `search` is the text of the search box
    (the table keeps only matches, the timeline highlights them); `evidence` is one of
    None, "none" (events without evidence) or "contradicted"; `event_ids` None means no
    restriction, else only those events. `area` is an area drawn on the map (the lon/lat
    vertices of a lasso) and `event_ids` the events with coordinates inside it: given without
    them (a saved view), the hub works them out, and keeps them as events are edited, so that a
    saved area still means a place, not a list of events.
    """

    group_ids: frozenset[int] | None = None
    tags: frozenset[str] = field(default_factory=frozenset)
    event_types: frozenset[str] = field(default_factory=frozenset)
    lo: int | None = None
    hi: int | None = None
    search: str = ""
    evidence: str | None = None
    event_ids: frozenset[int] | None = None
    area: tuple[tuple[float, float], ...] | None = None

    def with_(self, **changes) -> "ViewFilter":
        return replace(self, **changes)

    def without_area(self) -> "ViewFilter":
        """The same filter with the map's area, and the events inside it, lifted."""
        return replace(self, area=None, event_ids=None)


@dataclass(frozen=True)
class DisplayOptions:
    """How the analyst wants things shown and read (Preferences), shared by every view.

    `dates` is a style of `sijill.db.dates.styles.STYLES`; `reference` the date relative phrases
    ("last Saturday") are read against when no source gives one (None: today); `analyst` the name
    changes are recorded under."""

    dates: str = "label"
    reference: datetime | None = None
    analyst: str = ""


class ProjectHub(QObject):
    """Signals about one open project; also holds the selection shared by table, timeline and pane."""

    events_changed = Signal(list)      # ids created or updated
    events_removed = Signal(list)      # ids deleted
    groups_changed = Signal()
    periods_changed = Signal()
    places_changed = Signal()          # the project's own places created, edited, merged or deleted
    sources_changed = Signal(list)     # source ids created, updated or removed
    annotations_changed = Signal(int)  # source id whose annotations changed
    evidence_changed = Signal(list)    # event ids whose evidence changed
    project_reset = Signal()           # a whole-project change (import): reload everything
    selection_changed = Signal(list)   # selected event ids, in selection order
    current_event_changed = Signal(object)  # id or None
    filter_changed = Signal(object)    # the new ViewFilter
    passage_requested = Signal(int, object)  # source id, annotation id or None: show it in the reader
    display_changed = Signal(object)   # the new DisplayOptions
    tags_changed = Signal()            # tags renamed, merged or deleted: lists of tag names are stale

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self._selection: list[int] = []
        self._filter = ViewFilter()
        self._display = DisplayOptions()
        self._record_ids = RecordIds(project)
        self.project_reset.connect(self._record_ids.reload)  # the file was put back from a copy
        hub = weakref.ref(self)  # the project must not keep a deleted hub alive, nor call it
        unsubscribe = project.subscribe(lambda change_set: (h := hub()) is not None and h._heard(change_set))
        self.destroyed.connect(unsubscribe)
        self.events_changed.connect(self._area_follows)
        self.events_removed.connect(self._area_loses)
        self.project_reset.connect(self._area_follows)

    def _heard(self, change_set) -> None:
        """Tell the views what a committed change set changed. The write is in the file whatever
        happens here: a failure to say what changed must not reach the writer (the undo stack
        would then report "not saved" and drop a step that was saved), so it is reported as an
        uncaught error and the views read the whole project again instead."""
        try:
            announce(self, self._record_ids, change_set)
        except Exception:  # noqa: BLE001 - reported through sys.excepthook, the views re-read
            sys.excepthook(*sys.exc_info())
            self.project_reset.emit()

    @property
    def filter(self) -> ViewFilter:
        return self._filter

    def set_filter(self, view_filter: ViewFilter) -> None:
        """Show what `view_filter` asks for; an `area` without `event_ids` (a saved view) brings the
        ids of the events inside it."""
        if view_filter.area is not None and view_filter.event_ids is None:
            view_filter = view_filter.with_(event_ids=self._inside(view_filter.area))
        if view_filter != self._filter:
            self._filter = view_filter
            self.filter_changed.emit(view_filter)

    def _inside(self, area, among: Iterable[int] | None = None) -> frozenset[int]:
        """Ids of the events (or of those `among` them) with coordinates inside the lon/lat `area`."""
        return frozenset(ids_in_area(read_event_points(self.project, among), area).tolist())

    def _area_loses(self, removed: list[int]) -> None:
        self._area_follows((), removed)

    def _area_follows(self, changed: Iterable[int] | None = None, removed: Iterable[int] = ()) -> None:
        """Events were edited or added (`changed`; None: the whole project was read again) or
        deleted: the map's area keeps the events inside it now, with their new coordinates."""
        f = self._filter
        if f.area is None or f.event_ids is None:
            return
        if changed is None:
            inside = self._inside(f.area)
        else:
            changed = set(changed)
            inside = (f.event_ids - changed - set(removed)) | (self._inside(f.area, changed) if changed else set())
        if inside != f.event_ids:
            self._filter = f.with_(event_ids=frozenset(inside))
            self.filter_changed.emit(self._filter)

    @property
    def display(self) -> DisplayOptions:
        return self._display

    def set_display(self, options: DisplayOptions) -> None:
        if options != self._display:
            self._display = options
            self.display_changed.emit(options)

    def tags_renamed(self, names: Mapping[str, str | None]) -> None:
        """Tags were renamed or merged (old name -> new) or deleted (old name -> None): a filter
        on an old name follows it, then `tags_changed` tells every list of tags to read them again."""
        if self._filter.tags & names.keys():
            kept = (names.get(t, t) for t in self._filter.tags)
            self.set_filter(self._filter.with_(tags=frozenset(t for t in kept if t is not None)))
        self.tags_changed.emit()

    @property
    def selection(self) -> list[int]:
        return list(self._selection)

    def set_selection(self, ids: Iterable[int]) -> None:
        ids = list(dict.fromkeys(ids))
        if ids == self._selection:
            return
        self._selection = ids
        self.selection_changed.emit(list(ids))
        self.current_event_changed.emit(ids[-1] if ids else None)

    def forget(self, ids: Iterable[int]) -> None:
        gone = set(ids)
        if gone & set(self._selection):
            self.set_selection([i for i in self._selection if i not in gone])
