"""The read-only tables of the Import dialog: the first events of a file, and its bad rows.

`PreviewTable` shows the events as read (date, title, the groups the file names, type, place),
or, for formats read whole (Sijill JSON, W3C annotations), what a dry run found per kind of
record. `ProblemsTable` lists bad rows by row, column and reason: the first MAX_LISTED_ERRORS,
then how many more.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from sijill.db.formats.records import MAX_LISTED_ERRORS, EventRecord, RowError

EVENT_COLUMNS = ("Date", "Title", "Groups named in the file", "Type", "Location")
EVENT_WIDTHS = {0: 120, 2: 250, 3: 150, 4: 130}


def cell(text: str, tip: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if tip or len(text) > 40:
        item.setToolTip(tip or text)
    return item


class _ReadOnlyTable(QTableWidget):
    def __init__(self, headers: Sequence[str], name: str, parent: QWidget | None = None) -> None:
        super().__init__(0, len(headers), parent)
        self.setObjectName(name)
        self.setHorizontalHeaderLabels(list(headers))
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)


class PreviewTable(_ReadOnlyTable):
    """The first events of a file, or counts per kind of record."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(EVENT_COLUMNS, "import_preview", parent)
        self.clear_events()

    def clear_events(self) -> None:
        """No rows, the event columns."""
        self.setRowCount(0)
        self.setColumnCount(len(EVENT_COLUMNS))
        self.setHorizontalHeaderLabels(list(EVENT_COLUMNS))
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in EVENT_WIDTHS.items():
            header.resizeSection(col, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

    def show_records(self, records: Sequence[EventRecord]) -> None:
        self.clear_events()
        self.setRowCount(len(records))
        for row, rec in enumerate(records):
            groups = "; ".join(name if role == "actor" else f"{name} ({role})" for name, role in rec.actors)
            date = rec.start.display() + (f" – {rec.end.display()}" if rec.end else "")
            for col, text in enumerate((date, rec.title, groups, rec.event_type or "", rec.location or "")):
                self.setItem(row, col, cell(text))

    def show_kinds(self, kinds: Mapping[str, Sequence[int]]) -> None:
        """kind -> (new, updated, unchanged), from a dry run of a whole document."""
        self.setRowCount(0)
        self.setColumnCount(4)
        self.setHorizontalHeaderLabels(["Records", "New", "Updated", "Unchanged"])
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.resizeSection(col, 140)
        self.setRowCount(len(kinds))
        for row, (kind, counts) in enumerate(kinds.items()):
            self.setItem(row, 0, cell(kind.capitalize()))
            for col, n in enumerate(counts, start=1):
                item = cell(f"{n:,}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(row, col, item)


class ProblemsTable(_ReadOnlyTable):
    """Bad rows: row (the file's line, the header being 1), column, reason."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(("Row", "Column", "Problem"), "import_problems", parent)
        header = self.horizontalHeader()
        header.resizeSection(0, 70)
        header.resizeSection(1, 140)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

    def show_errors(self, errors: Sequence[RowError], total: int) -> None:
        listed = list(errors[:MAX_LISTED_ERRORS])
        more = total - len(listed)
        self.setRowCount(len(listed) + (1 if more > 0 else 0))
        for row, error in enumerate(listed):
            self.setItem(row, 0, cell("" if error.row is None else str(error.row)))
            self.setItem(row, 1, cell(error.column or ""))
            self.setItem(row, 2, cell(error.message))
        if more > 0:
            self.setItem(len(listed), 2, cell(f"… and {more:,} more"))
