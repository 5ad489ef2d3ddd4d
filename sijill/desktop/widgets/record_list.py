"""The parts every "manage these records" dialog shares (Edit ▸ Tags…, Edit ▸ Places…): a find box, a flat
list of one record per row, filtering the rows as the analyst types, and counts written out in words."""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeWidget, QWidget


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 event', '2 events' ('2 passages'; `many` for irregular plurals)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def find_box(parent: QWidget, name: str, placeholder: str) -> QLineEdit:
    box = QLineEdit(parent)
    box.setObjectName(name)
    box.setPlaceholderText(placeholder)
    box.setClearButtonEnabled(True)
    return box


def record_list(parent: QWidget, name: str, columns: Sequence[str]) -> QTreeWidget:
    """A flat, single-selection list with these column headers."""
    tree = QTreeWidget(parent)
    tree.setObjectName(name)
    tree.setColumnCount(len(columns))
    tree.setHeaderLabels(list(columns))
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    return tree


def filter_rows(tree: QTreeWidget, text: str, columns: Sequence[int]) -> None:
    """Hide the rows whose `columns` do not contain `text` (case-insensitive); show all for no text."""
    needle = text.strip().casefold()
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        hay = " ".join(item.text(c) for c in columns).casefold()
        item.setHidden(bool(needle) and needle not in hay)
