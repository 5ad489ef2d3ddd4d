"""Qt item models over the project's events: the events table and its filter proxy.

The events model holds one plain row per event (see `Project.event_table_rows`), kept in the
order of the chosen sort column, so that a table of 100,000 events opens without sorting in
Qt: the proxy only filters, and asks the source model to sort itself. Edits announced by the
hub patch the rows they name (insert, move, change, remove); an import or a change of groups
reloads everything. The group tree is in `sijill.desktop.groups.tree_model`.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from operator import itemgetter

from PySide6.QtCore import (QAbstractItemModel, QAbstractTableModel, QModelIndex, QObject,
                            QPersistentModelIndex, QSortFilterProxyModel, Qt)
from PySide6.QtGui import QColor

from sijill.db.dates.styles import date_text
from sijill.db.dates import FuzzyDate
from sijill.desktop.widgets import theme
from sijill.desktop.hub import ProjectHub, ViewFilter
from sijill.db.dates.styles import bounds_text

EVENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
GROUP_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole

# Positions in a row of Project.event_table_rows().rows.
(R_ID, R_TITLE, R_START_TEXT, R_START_LO, R_START_HI, R_START_PREC, R_APPROX, R_UNCERTAIN,
 R_END_TEXT, R_END_LO, R_END_HI, R_END_PREC, R_END_APPROX, R_END_UNCERTAIN, R_TYPE, R_LOCATION,
 R_FATALITIES) = range(17)

COLUMNS = ("Start", "End", "Title", "Groups", "Type", "Location", "Fatalities", "Evidence", "Tags")
(C_START, C_END, C_TITLE, C_GROUPS, C_TYPE, C_LOCATION, C_FATALITIES, C_EVIDENCE, C_TAGS) = range(9)
RESET_THRESHOLD = 200  # an edit naming more events than this reloads the table

NO_COLOR = QColor("#9e9e9e")


def row_end_hi(row: tuple) -> int:
    return row[R_END_HI] if row[R_END_HI] is not None else row[R_START_HI]


def _text_key(value: str | None) -> tuple:
    return (value is None or value == "", (value or "").casefold())


class EventsTableModel(QAbstractTableModel):
    """Every event of the project as a table row; `Qt.UserRole` is the column's sort key
    (start bound in seconds for Start), `EVENT_ID_ROLE` the event id."""

    def __init__(self, hub: ProjectHub, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hub = hub
        self._rows: list[tuple] = []
        self.links: dict[int, list[tuple[int, str]]] = {}
        self.tags: dict[int, list[str]] = {}
        self._position: dict[int, tuple[int, int]] = {}
        self._row_of: dict[int, int] | None = None
        self._group_names: dict[int, str] = {}
        self._group_colors: dict[int, QColor] = {}
        self._evidence: dict[int, tuple[int, int]] = {}
        self._dates: dict[tuple, str] = {}
        self._sort_column = C_START
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._load()
        hub.events_changed.connect(self._on_events_changed)
        hub.events_removed.connect(self._on_events_removed)
        hub.evidence_changed.connect(self._on_evidence_changed)
        hub.groups_changed.connect(self.reload)
        hub.project_reset.connect(self.reload)
        hub.display_changed.connect(self._on_display_changed)

    # ---- loading ------------------------------------------------------------------------------
    def _load(self) -> None:
        project = self.hub.project
        groups = project.groups()
        self._group_names = {g.id: g.name for g in groups}
        self._group_colors = {g.id: QColor(g.color) if g.color else NO_COLOR for g in groups}
        self._evidence = project.evidence_summary()
        data = project.event_table_rows()
        self._rows = data.rows
        # updated in place: the proxy's predicates hold these dicts
        self.links.clear()
        self.links.update(data.links)
        self.tags.clear()
        self.tags.update(data.tags)
        self._position = {g.id: (g.position, g.id) for g in groups}
        self._rows.sort(key=self._key_func(self._sort_column), reverse=self._descending)
        self._row_of = None
        self._dates.clear()

    def reload(self) -> None:
        """Read everything again (an import, a change of groups)."""
        self.beginResetModel()
        self._load()
        self.endResetModel()

    # ---- lookups ------------------------------------------------------------------------------
    def row_of(self, event_id: int) -> int | None:
        if self._row_of is None:
            self._row_of = {r[R_ID]: i for i, r in enumerate(self._rows)}
        return self._row_of.get(event_id)

    def event_id(self, row: int) -> int:
        return self._rows[row][R_ID]

    def index_of(self, event_id: int, column: int = 0) -> QModelIndex:
        row = self.row_of(event_id)
        return QModelIndex() if row is None else self.index(row, column)

    def evidence_summary(self) -> dict[int, tuple[int, int]]:
        return self._evidence

    # ---- QAbstractTableModel ---------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == C_EVIDENCE:
                return "Number of sources linked to the event as evidence"
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == SORT_ROLE:
            return self._sort_value(row, col)
        if role == EVENT_ID_ROLE:
            return row[R_ID]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, col)
        if role == Qt.ItemDataRole.DecorationRole and col == C_GROUPS and row[R_ID] in self.links:
            return self._group_colors.get(self.links_of(row[R_ID])[0][0], NO_COLOR)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (C_FATALITIES, C_EVIDENCE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == C_EVIDENCE:
            n, contradicting = self._evidence.get(row[R_ID], (0, 0))
            if contradicting:
                return QColor(theme.current().negative)
        return None

    def _date(self, text, lo, hi, precision, approximate, uncertain) -> str:
        key = (text, lo, hi, precision, approximate, uncertain)
        shown = self._dates.get(key)
        if shown is None:
            shown = date_text(FuzzyDate.from_bounds(text or "", lo, hi, precision or "day", bool(approximate),
                                                    bool(uncertain)), self.hub.display.dates)
            self._dates[key] = shown
        return shown

    def _on_display_changed(self, _options) -> None:
        """Dates shown another way (Preferences): the Start and End columns say it at once."""
        self._dates.clear()
        if self._rows:
            self.dataChanged.emit(self.index(0, C_START), self.index(len(self._rows) - 1, C_END),
                                  [Qt.ItemDataRole.DisplayRole])

    def _display(self, row: tuple, col: int):
        if col == C_START:
            return self._date(*row[R_START_TEXT:R_UNCERTAIN + 1])
        if col == C_END:
            return "" if row[R_END_LO] is None else self._date(*row[R_END_TEXT:R_END_UNCERTAIN + 1])
        if col == C_TITLE:
            return row[R_TITLE]
        if col == C_GROUPS:
            return self.groups_text(row)
        if col == C_TYPE:
            return row[R_TYPE] or ""
        if col == C_LOCATION:
            return row[R_LOCATION] or ""
        if col == C_FATALITIES:
            return "" if row[R_FATALITIES] is None else str(row[R_FATALITIES])
        if col == C_EVIDENCE:
            n, contradicting = self._evidence.get(row[R_ID], (0, 0))
            return f"{n} ({contradicting} against)" if contradicting else str(n)
        if col == C_TAGS:
            return ", ".join(self.tags_of(row[R_ID]))
        return None

    def groups_text(self, row: tuple) -> str:
        names = self._group_names
        return ", ".join(f"{names.get(gid, '?')} ({role})" for gid, role in self.links_of(row[R_ID]))

    def links_of(self, event_id: int) -> list[tuple[int, str]]:
        """The event's (group id, role) pairs in lane order."""
        position = self._position
        return sorted(self.links.get(event_id, ()), key=lambda link: position.get(link[0], (0, link[0])))

    def tags_of(self, event_id: int) -> list[str]:
        return sorted(self.tags.get(event_id, ()), key=str.casefold)

    def _tooltip(self, row: tuple, col: int) -> str | None:
        if col in (C_START, C_END):
            base = R_START_TEXT if col == C_START else R_END_TEXT
            if row[base + 1] is None:
                return None
            return f"as written: {row[base]}\n{bounds_text(row[base + 1], row[base + 2])}"
        if col in (C_TITLE, C_GROUPS, C_TAGS, C_LOCATION):
            return self._display(row, col) or None
        return None

    # ---- sorting ------------------------------------------------------------------------------
    @property
    def _descending(self) -> bool:
        return self._sort_order == Qt.SortOrder.DescendingOrder

    def _sort_value(self, row: tuple, col: int):
        if col == C_START:
            return row[R_START_LO]
        if col == C_END:
            return row_end_hi(row)
        if col in (C_FATALITIES,):
            return -1 if row[R_FATALITIES] is None else row[R_FATALITIES]
        if col == C_EVIDENCE:
            return self._evidence.get(row[R_ID], (0, 0))[0]
        text = self._display(row, col)
        return text.casefold() if isinstance(text, str) else text

    def _key_func(self, col: int) -> Callable[[tuple], tuple]:
        """A total order for `col`: the column's value, then the start bounds, then the id."""
        dates = itemgetter(R_START_LO, R_START_HI, R_ID)
        if col == C_START:
            return dates
        if col == C_END:
            return lambda r: (row_end_hi(r), *dates(r))
        if col == C_TITLE:
            return lambda r: (r[R_TITLE].casefold(), *dates(r))
        if col == C_GROUPS:
            return lambda r: (_text_key(self.groups_text(r)), *dates(r))
        if col == C_TYPE:
            return lambda r: (_text_key(r[R_TYPE]), *dates(r))
        if col == C_LOCATION:
            return lambda r: (_text_key(r[R_LOCATION]), *dates(r))
        if col == C_FATALITIES:
            return lambda r: (-1 if r[R_FATALITIES] is None else r[R_FATALITIES], *dates(r))
        if col == C_EVIDENCE:
            ev = self._evidence
            return lambda r: (ev.get(r[R_ID], (0, 0)), *dates(r))
        return lambda r: (_text_key(", ".join(self.tags_of(r[R_ID]))), *dates(r))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            column = C_START
        if (column, order) == (self._sort_column, self._sort_order):
            return  # the rows are kept in this order already
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        keep = [(self._rows[i.row()][R_ID], i.column()) for i in persistent]
        self._sort_column, self._sort_order = column, order
        self._rows.sort(key=self._key_func(column), reverse=self._descending)
        self._row_of = None
        self.changePersistentIndexList(persistent, [self.index(self.row_of(eid), c) for eid, c in keep])
        self.layoutChanged.emit()

    def _position_for(self, row: tuple, rows: list[tuple]) -> int:
        """Where `row` goes in `rows` (sorted by the current column and order)."""
        key = self._key_func(self._sort_column)
        k = key(row)
        lo, hi = 0, len(rows)
        while lo < hi:
            mid = (lo + hi) // 2
            other = key(rows[mid])
            before = other > k if self._descending else other < k
            if before:
                lo = mid + 1
            else:
                hi = mid
        return lo

    # ---- incremental updates ------------------------------------------------------------------
    def _on_events_changed(self, ids: list) -> None:
        if len(ids) > RESET_THRESHOLD:
            self.reload()
            return
        data = self.hub.project.event_table_rows(ids)
        fresh = {r[R_ID]: r for r in data.rows}
        for eid in ids:
            self.links.pop(eid, None)
            self.tags.pop(eid, None)
        self.links.update(data.links)
        self.tags.update(data.tags)
        self._patch_evidence(ids)
        gone = [eid for eid in ids if eid not in fresh and self.row_of(eid) is not None]
        if gone:
            self._on_events_removed(gone)
        for eid, new in fresh.items():
            row = self.row_of(eid)
            if row is None:
                self._insert(new)
            else:
                self._replace(row, new)

    def _insert(self, new: tuple) -> None:
        pos = self._position_for(new, self._rows)
        self.beginInsertRows(QModelIndex(), pos, pos)
        self._rows.insert(pos, new)
        self._row_of = None
        self.endInsertRows()

    def _replace(self, row: int, new: tuple) -> None:
        others = self._rows[:row] + self._rows[row + 1:]
        pos = self._position_for(new, others)
        if pos == row:
            self._rows[row] = new
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            return
        dest = pos if pos < row else pos + 1
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), dest)
        others.insert(pos, new)
        self._rows = others
        self._row_of = None
        self.endMoveRows()
        self.dataChanged.emit(self.index(pos, 0), self.index(pos, len(COLUMNS) - 1))

    def _on_events_removed(self, ids: list) -> None:
        rows = sorted((r for r in (self.row_of(eid) for eid in ids) if r is not None), reverse=True)
        removed = set(ids)
        self._evidence = {k: v for k, v in self._evidence.items() if k not in removed}
        i = 0
        while i < len(rows):
            last = first = rows[i]
            while i + 1 < len(rows) and rows[i + 1] == first - 1:
                i += 1
                first = rows[i]
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._rows[first:last + 1]
            self._row_of = None
            self.endRemoveRows()
            i += 1
        for eid in removed:
            self.links.pop(eid, None)
            self.tags.pop(eid, None)

    def _patch_evidence(self, ids: list) -> None:
        """Read the evidence counts of these events only (the whole table is ~0.1 s at 100k)."""
        fresh = self.hub.project.evidence_summary(ids)
        for eid in ids:
            if eid in fresh:
                self._evidence[eid] = fresh[eid]
            else:
                self._evidence.pop(eid, None)

    def _on_evidence_changed(self, ids: list) -> None:
        self._patch_evidence(ids)
        for eid in ids:
            row = self.row_of(eid)
            if row is not None:
                idx = self.index(row, C_EVIDENCE)
                self.dataChanged.emit(idx, idx)


class EventsFilterProxy(QSortFilterProxyModel):
    """The events the hub's ViewFilter lets through, in the source model's order.

    Groups: an event passes if any of its groups is visible; an event without groups passes only
    while every group is shown. Tags and types pass on any match; dates on overlap with [lo, hi];
    search keeps the ids of `Project.search_event_ids`; evidence keeps events with none
    ("none") or with a contradicting source ("contradicted"). Sorting is delegated to the source
    model (one Python sort instead of a million Python comparisons)."""

    def __init__(self, hub: ProjectHub, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hub = hub
        self.setDynamicSortFilter(True)
        self.setSortRole(SORT_ROLE)
        self._source: EventsTableModel | None = None
        self._search_text = ""
        self._search_ids: set[int] = set()
        self._accepts: Callable[[tuple], bool] = lambda row: True
        hub.filter_changed.connect(self._on_filter_changed)
        hub.events_changed.connect(self._on_events_edited)
        hub.evidence_changed.connect(self._on_evidence_edited)
        hub.groups_changed.connect(self._refresh)
        hub.project_reset.connect(self._refresh)

    def setSourceModel(self, model: QAbstractItemModel) -> None:  # noqa: N802 (Qt name)
        if not isinstance(model, EventsTableModel):
            raise TypeError("EventsFilterProxy filters an EventsTableModel")
        self._source = model  # read directly in filterAcceptsRow, called once per row
        super().setSourceModel(model)
        self._refresh()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        return self._accepts(self._source._rows[source_row])

    def event_id(self, proxy_row: int) -> int:
        return self.sourceModel().event_id(self.mapToSource(self.index(proxy_row, 0)).row())

    def proxy_row_of(self, event_id: int) -> int | None:
        source_index = self.sourceModel().index_of(event_id)
        if not source_index.isValid():
            return None
        index = self.mapFromSource(source_index)
        return index.row() if index.isValid() else None

    def event_ids(self) -> list[int]:
        """The ids shown, top to bottom."""
        return [self.event_id(r) for r in range(self.rowCount())]

    # ---- the predicate ------------------------------------------------------------------------
    def _refresh(self) -> None:
        if self.sourceModel() is None:
            return
        self._search_text = None  # type: ignore[assignment]  # forces a new search
        self._rebuild(self.hub.filter)

    def _on_filter_changed(self, view_filter: ViewFilter) -> None:
        self._rebuild(view_filter)

    def _on_events_edited(self, _ids: list) -> None:
        if self.hub.filter.search.strip():
            found = self.hub.project.search_event_ids(self.hub.filter.search)
            if found != self._search_ids:
                self._search_ids.clear()
                self._search_ids.update(found)  # in place: the predicate holds this set
                self.invalidate()

    def _on_evidence_edited(self, _ids: list) -> None:
        if self.hub.filter.evidence:
            self._rebuild(self.hub.filter)

    def _rebuild(self, f: ViewFilter) -> None:
        source = self.sourceModel()
        if source is None:
            return
        checks: list[Callable[[tuple], bool]] = []
        if f.group_ids is not None:
            visible = set(f.group_ids)
            every = {g.id for g in self.hub.project.groups()}
            if not every <= visible:
                links = source.links
                checks.append(lambda r: any(gid in visible for gid, _role in links.get(r[R_ID], ())))
        if f.tags:
            tags = set(f.tags)
            tag_map = source.tags
            checks.append(lambda r: not tags.isdisjoint(tag_map.get(r[R_ID], ())))
        if f.event_types:
            types = set(f.event_types)
            checks.append(lambda r: r[R_TYPE] in types)
        if f.lo is not None:
            lo = f.lo
            checks.append(lambda r: row_end_hi(r) >= lo)
        if f.hi is not None:
            hi = f.hi
            checks.append(lambda r: r[R_START_LO] <= hi)
        if f.search.strip():
            if f.search != self._search_text:
                self._search_ids = self.hub.project.search_event_ids(f.search)
            found = self._search_ids
            checks.append(lambda r: r[R_ID] in found)
        self._search_text = f.search
        if f.evidence in ("none", "contradicted"):
            summary = self.hub.project.evidence_summary()
            if f.evidence == "none":
                checks.append(lambda r: r[R_ID] not in summary)
            else:
                checks.append(lambda r: summary.get(r[R_ID], (0, 0))[1] > 0)
        if f.event_ids is not None:
            inside = f.event_ids
            checks.append(lambda r: r[R_ID] in inside)
        if not checks:
            self._accepts = lambda r: True
        elif len(checks) == 1:
            self._accepts = checks[0]
        else:
            self._accepts = lambda r: all(check(r) for check in checks)
        self.invalidate()
