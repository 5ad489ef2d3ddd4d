"""Undo commands for the project's own places: create, edit (rename, coordinates, aliases…), merge, delete.

Ids stay stable through undo and redo: a deleted or merged place is put back by `Project.restore_place`
with its own id and uid, so the commands above it on the stack still find it. Commands only change data:
the change log records kind `place`, and the hub announces `places_changed` from the change feed.
"""
from __future__ import annotations

from collections.abc import Mapping

from sijill.desktop.commands.base import Command
from sijill.desktop.hub import ProjectHub
from sijill.desktop.undo_text import quoted

PLACE_FIELDS = ("name", "lat", "lon", "country", "admin1", "description", "aliases")


def place_fields(project, place_id: int, names=PLACE_FIELDS) -> dict:
    """The values of `names` on a place, in the form Project.update_place accepts."""
    p = project.place(place_id)
    values = {"name": p.name, "lat": p.lat, "lon": p.lon, "country": p.country, "admin1": p.admin1,
              "description": p.description, "aliases": list(p.aliases)}
    return {name: values[name] for name in names}


class CreatePlaceCommand(Command):
    """Add a place (fields as Project.create_place takes them); redo after undo puts the same place
    (id, uid) back."""

    def __init__(self, hub: ProjectHub, fields: Mapping) -> None:
        super().__init__(hub, f"New place {quoted(fields['name'])}")
        self.fields = dict(fields)
        self.place_id: int | None = None
        self.snapshot = None

    def _do(self) -> None:
        if self.snapshot is None:
            self.place_id = self.project.create_place(**self.fields).id
        else:
            self.project.restore_place(self.snapshot)

    def _undo(self) -> None:
        self.snapshot = self.project.delete_place(self.place_id)


class EditPlaceCommand(Command):
    """Change some of a place's fields; the old values are read when the command is made. A change of
    the name (and of the aliases, where the old name goes) is called a rename."""

    def __init__(self, hub: ProjectHub, place_id: int, fields: Mapping) -> None:
        self.place_id = place_id
        self.new = dict(fields)
        self.old = place_fields(hub.project, place_id, self.new)
        name = hub.project.place(place_id).name
        renamed = "name" in self.new and set(self.new) <= {"name", "aliases"}  # (the old name kept as an alias)
        text = (f"Rename place {quoted(name)} to {quoted(self.new['name'])}" if renamed
                else f"Edit place {quoted(name)}")
        super().__init__(hub, text)

    def _do(self) -> None:
        self.project.update_place(self.place_id, **self.new)

    def _undo(self) -> None:
        self.project.update_place(self.place_id, **self.old)


class MergePlacesCommand(Command):
    """Merge one place into another: the kept place takes the other's name and aliases as aliases."""

    def __init__(self, hub: ProjectHub, from_id: int, into_id: int) -> None:
        project = hub.project
        super().__init__(hub, f"Merge place {quoted(project.place(from_id).name)} into "
                              f"{quoted(project.place(into_id).name)}")
        self.from_id, self.into_id = from_id, into_id
        self.record: dict | None = None

    def _do(self) -> None:
        self.record = self.project.merge_places(self.from_id, self.into_id)

    def _undo(self) -> None:
        self.project.unmerge_places(self.record)


class DeletePlaceCommand(Command):
    """Delete a place and its aliases; events written with its name keep their location and coordinates."""

    def __init__(self, hub: ProjectHub, place_id: int) -> None:
        super().__init__(hub, f"Delete place {quoted(hub.project.place(place_id).name)}")
        self.place_id = place_id
        self.snapshot = None

    def _do(self) -> None:
        self.snapshot = self.project.delete_place(self.place_id)

    def _undo(self) -> None:
        self.project.restore_place(self.snapshot)
