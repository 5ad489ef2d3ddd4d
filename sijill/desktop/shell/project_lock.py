"""A window's claim on its project: the lock note beside the file, the question when another
instance holds it, and, read-only, following what that instance writes.

`claim` is called as a window opens a project: when another live instance's note is there, the
analyst is told who holds it and chooses Open read-only (the default) or Open anyway; a window
that may write leaves its own note, removed by `release` when the last window of this process on
that file closes. `FileWatch` polls the file's PRAGMA data_version once a second and says when
another connection has committed, so that a read-only window shows what the other one writes.
"""
from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from sijill.db.store import lock_note
from sijill.db.store.project import Project

_held: Counter[str] = Counter()  # resolved path -> windows of this process that wrote the note


def _key(path: Path) -> str:
    return os.path.realpath(path)


def holder_question(parent: QWidget | None, path: Path, note: lock_note.LockNote) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning, "Project in use",
                      f"{path.name} is open in another Sijill: {note.describe()}.\n\n"
                      "Open it read-only to look at it while the other keeps editing (the view follows "
                      "what it saves), or open it anyway to edit it too: both can write safely, but "
                      "each window shows its own changes only.", parent=parent)
    box.read_only_button = box.addButton("Open read-only", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Open anyway", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(box.read_only_button)
    box.setEscapeButton(box.read_only_button)
    return box


def claim(parent: QWidget | None, project: Project | str | Path) -> Project:
    """Open (or take) a project for a window, asking first when another instance holds it."""
    path = Path(project.path if isinstance(project, Project) else project)
    note = lock_note.holder(path)
    read_only = isinstance(project, Project) and project.read_only
    if note is not None and not read_only:
        box = holder_question(parent, path, note)
        box.exec()
        read_only = box.clickedButton() in (None, box.read_only_button)
        if read_only and isinstance(project, Project):
            project.close()
            project = path
    if not isinstance(project, Project):
        project = Project.open(path, read_only=read_only)
        if note is not None and read_only and not project.read_only_reason:
            project.read_only_reason = f"open in another Sijill: {note.describe()}"
    if not project.read_only and lock_note.write(path):
        _held[_key(path)] += 1
    return project


def release(project: Project) -> None:
    """The window on `project` closes: remove the note when it was the last of ours on the file."""
    key = _key(project.path)
    if _held[key] <= 0:
        return
    _held[key] -= 1
    if _held[key] == 0:
        del _held[key]
        lock_note.remove(project.path)


class FileWatch(QObject):
    """Says (`changed`) when another connection has committed to the project's file."""

    changed = Signal()

    def __init__(self, project: Project, parent: QObject | None = None, interval_ms: int = 1000) -> None:
        super().__init__(parent)
        self.project = project
        self._version = self._data_version()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def _data_version(self) -> int | None:
        try:
            return self.project.db.execute("PRAGMA data_version").fetchone()[0]
        except Exception:  # closed, or the file went away: nothing to follow
            return None

    def poll(self) -> None:
        version = self._data_version()
        if version is None:
            self.timer.stop()
            return
        if version != self._version:
            self._version = version
            self.changed.emit()
