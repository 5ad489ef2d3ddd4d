"""The one place the UI hears about changes to the project and to the shared selection.

`db.Project` is Qt-free and emits nothing; the code that edits (undo commands, imports) tells
the hub what changed, and every view listens here. Setters emit only on a real change.
"""
from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal

from db.project import Project


class ProjectHub(QObject):
    """Signals about one open project; also holds the selection shared by table, timeline and pane."""

    events_changed = Signal(list)      # ids created or updated
    events_removed = Signal(list)      # ids deleted
    groups_changed = Signal()
    periods_changed = Signal()
    sources_changed = Signal(list)     # source ids created, updated or removed
    annotations_changed = Signal(int)  # source id whose annotations changed
    evidence_changed = Signal(list)    # event ids whose evidence changed
    project_reset = Signal()           # a whole-project change (import): reload everything
    selection_changed = Signal(list)   # selected event ids, in selection order
    current_event_changed = Signal(object)  # id or None

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self._selection: list[int] = []

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
