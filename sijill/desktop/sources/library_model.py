"""Qt item models over the project's sources, for the source library table."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from sijill.db.store.entities import Source
from sijill.desktop.hub import ProjectHub
from sijill.desktop.sources.grades import RELIABILITY, reliability_label

SORT_ROLE = Qt.ItemDataRole.UserRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1

LANGUAGES = {"ar": "Arabic", "en": "English", "fr": "French"}


@dataclass(frozen=True)
class SourceRow:
    """What one table row shows; the body stays in the file."""

    id: int
    title: str
    outlet: str
    published: str
    published_lo: int | None
    language: str
    kind: str
    reliability: str
    annotations: int

    @classmethod
    def of(cls, source: Source, annotations: int) -> "SourceRow":
        return cls(source.id, source.title, source.outlet or "",
                   source.published.display() if source.published else "",
                   source.published.lo_ts if source.published else None,
                   source.language or "", source.kind or "", source.reliability or "", annotations)


class SourcesModel(QAbstractTableModel):
    """Every source of the project, one row each; reloads when the hub says sources changed."""

    COLUMNS = ("Title", "Outlet", "Published", "Lang.", "Kind", "Grade", "Notes")
    TIPS = ("Title", "Outlet", "Published date", "Language", "Kind of source",
            "Source reliability (Admiralty A–F)", "Number of annotated passages")

    def __init__(self, hub: ProjectHub, parent=None) -> None:
        super().__init__(parent)
        self.hub = hub
        self._rows: list[SourceRow] = []
        self.reload()
        hub.sources_changed.connect(self.reload)
        hub.annotations_changed.connect(self.reload)
        hub.project_reset.connect(self.reload)

    def reload(self, *_args) -> None:
        project = self.hub.project
        counts = project.annotation_counts()
        rows = [SourceRow.of(s, counts.get(s.id, 0)) for s in project.sources()]
        if [r.id for r in rows] == [r.id for r in self._rows]:
            changed = [i for i, (a, b) in enumerate(zip(rows, self._rows)) if a != b]
            self._rows = rows
            if changed:
                self.dataChanged.emit(self.index(min(changed), 0),
                                      self.index(max(changed), len(self.COLUMNS) - 1))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return self.TIPS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.title, row.outlet, row.published, row.language,
                    row.kind, row.reliability, str(row.annotations) if row.annotations else "")[col]
        if role == SORT_ROLE:
            if col == 2:
                return row.published_lo if row.published_lo is not None else -(2 ** 62)
            if col == 6:
                return row.annotations
            return self.data(index, Qt.ItemDataRole.DisplayRole).casefold()
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 5 and row.reliability in RELIABILITY:
                name, meaning = RELIABILITY[row.reliability]
                return f"{reliability_label(row.reliability)}: {meaning}"
            if col == 0:
                return row.title
            if col == 3:
                return LANGUAGES.get(row.language, row.language)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (3, 5, 6):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def row_of(self, source_id: int) -> int:
        for i, row in enumerate(self._rows):
            if row.id == source_id:
                return i
        return -1

    def source_id(self, row: int) -> int:
        return self._rows[row].id


class SourcesFilterModel(QSortFilterProxyModel):
    """Sorts on raw values (dates by their bounds, counts as numbers) and keeps rows whose
    title, outlet, language, kind or grade contains every word typed in the filter box."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._words: list[str] = []

    def set_filter_text(self, text: str) -> None:
        words = text.casefold().split()
        if words != self._words:
            self.beginFilterChange()
            self._words = words
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        if not self._words:
            return True
        model = self.sourceModel()
        haystack = " ".join(str(model.data(model.index(source_row, c, source_parent)) or "")
                            for c in range(model.columnCount())).casefold()
        return all(w in haystack for w in self._words)
