"""Saved views: the analyst names what the timeline shows (window, filters with the hidden lanes and
an area drawn on the map, collapsed lanes, whether empty lanes are hidden) and comes back to it.

Stored as a JSON list of {"name", "view"} in the project's `meta` table under "timeline.saved_views",
so they travel with the file. Not undoable, like the remembered view state; refused on a read-only
project. `SavedViewsMenu` is View ▸ Saved views: save the current view, restore one, rename or
delete one.
"""
from __future__ import annotations

import json

from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox, QWidget

from sijill.desktop.timeline.state import ViewState, state_from_json, state_to_json

META_KEY = "timeline.saved_views"


def saved_views(project) -> list[tuple[str, ViewState]]:
    """The project's saved views, in the order they were saved (unreadable entries skipped)."""
    raw = project.get_meta(META_KEY)
    if not raw:
        return []
    try:
        entries = json.loads(raw)
    except ValueError:
        return []
    out = []
    for entry in entries if isinstance(entries, list) else ():
        try:
            out.append((str(entry["name"]), state_from_json(entry["view"])))
        except (ValueError, KeyError, TypeError):
            continue
    return out


def _write(project, views: list[tuple[str, ViewState]]) -> None:
    entries = [{"name": name, "view": state_to_json(state)} for name, state in views]
    project.set_meta(META_KEY, json.dumps(entries, sort_keys=True) if entries else None)


def save_view(project, name: str, state: ViewState) -> None:
    """Save `state` as `name` (replacing a view of that name)."""
    name = name.strip()
    if not name:
        raise ValueError("a saved view needs a name")
    views = saved_views(project)
    at = next((i for i, (n, _s) in enumerate(views) if n == name), None)
    if at is None:
        views.append((name, state))
    else:
        views[at] = (name, state)
    _write(project, views)


def rename_view(project, old: str, new: str) -> None:
    new = new.strip()
    if not new:
        raise ValueError("a saved view needs a name")
    views = saved_views(project)
    if new != old and any(n == new for n, _s in views):
        raise ValueError(f"there is already a saved view named “{new}”")
    _write(project, [(new if n == old else n, s) for n, s in views])


def delete_view(project, name: str) -> None:
    _write(project, [(n, s) for n, s in saved_views(project) if n != name])


class SavedViewsMenu(QMenu):
    """View ▸ Saved views for a TimelineView: rebuilt each time it opens."""

    def __init__(self, view, parent: QWidget | None = None) -> None:
        super().__init__("Saved &views", parent)
        self.setObjectName("saved_views_menu")
        self.view = view
        self.aboutToShow.connect(self.rebuild)
        self.rebuild()

    @property
    def project(self):
        return self.view.hub.project

    def rebuild(self) -> None:
        self.clear()
        writable = not self.project.read_only
        save = self.addAction("&Save current view…", self.ask_save)
        save.setObjectName("saved_view_save")
        save.setEnabled(writable)
        views = saved_views(self.project)
        if not views:
            self.addAction("(no saved view)").setEnabled(False)
            return
        self.addSeparator()
        for name, _state in views:
            action = self.addAction(name, lambda n=name: self.view.restore_view(n))
            action.setObjectName(f"saved_view:{name}")
            action.setStatusTip(f"Show the saved view “{name}”")
        self.addSeparator()
        rename = self.addMenu("&Rename")
        delete = self.addMenu("&Delete")
        for name, _state in views:
            rename.addAction(name, lambda n=name: self.ask_rename(n))
            delete.addAction(name, lambda n=name: self.ask_delete(n))
        rename.setEnabled(writable)
        delete.setEnabled(writable)

    def ask_save(self) -> None:
        name, ok = QInputDialog.getText(self.parentWidget(), "Save current view",
                                        "Name of the view (window, filters and map area, hidden and collapsed "
                                        "lanes):")
        if ok and name.strip():
            if any(n == name.strip() for n, _s in saved_views(self.project)) and QMessageBox.question(
                    self.parentWidget(), "Replace saved view", f"Replace the saved view “{name.strip()}”?") \
                    != QMessageBox.StandardButton.Yes:
                return
            self.view.save_view(name)

    def ask_rename(self, old: str) -> None:
        new, ok = QInputDialog.getText(self.parentWidget(), "Rename saved view", "New name:", text=old)
        if ok and new.strip() and new.strip() != old:
            try:
                rename_view(self.project, old, new)
            except ValueError as exc:
                QMessageBox.warning(self.parentWidget(), "Not renamed", str(exc))

    def ask_delete(self, name: str) -> None:
        if QMessageBox.question(self.parentWidget(), "Delete saved view",
                                f"Delete the saved view “{name}”?") == QMessageBox.StandardButton.Yes:
            delete_view(self.project, name)
