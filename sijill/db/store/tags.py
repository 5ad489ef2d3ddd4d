"""Tags reshaped: count, rename, merge and delete them, and the snapshots that undo puts back exactly.

Part of Project (see sijill.db.store.project.Project). A tag is a name shared by events and annotated passages;
renaming it to a name another tag already has merges the two (the passages and events of both carry
the one name after). Every method names tags exactly as stored ("Drone" and "drone" are two tags).

A snapshot holds a tag's row (id and name) and the events and annotations it was on; a change
returns the snapshots of every tag it touched, before, so that `restore_tags` puts them back with
their own ids: undoing a merge brings the merged tag back on its events and passages, and takes
it off those of the other tag that only the merge had given it.
"""
from __future__ import annotations

import difflib
from collections.abc import Iterable

from sijill.db.store.basics import ProjectError
from sijill.db.store.entities import TagUsage
from sijill.db.text.rules import NAME_MAX, text_problem


def check_tag_name(text: str | None) -> str:
    """A tag's name as it will be stored (trimmed); empty names and commas are refused, since
    the event and passage editors read a comma as the end of a tag."""
    name = (text or "").strip()
    if not name:
        raise ProjectError("a tag needs a name")
    if "," in name:
        raise ProjectError(f"a tag's name cannot hold a comma ({name!r}): the editors separate tags with commas")
    problem = text_problem(name, NAME_MAX)
    if problem:
        raise ProjectError(f"the tag's new name {problem}")
    return name


class TagsMixin:
    """Methods of Project for tags as a whole (tags on one event or passage: update_event,
    update_annotation)."""

    def tag_usage(self) -> list[TagUsage]:
        """Every tag, by name (case aside), with how many events and passages carry it."""
        events = dict(self.db.execute("SELECT tag_id, COUNT(*) FROM event_tags GROUP BY tag_id"))
        passages = dict(self.db.execute("SELECT tag_id, COUNT(*) FROM annotation_tags GROUP BY tag_id"))
        return [TagUsage(name, events.get(tid, 0), passages.get(tid, 0)) for tid, name in self.db.execute(
            "SELECT id, name FROM tags ORDER BY name COLLATE NOCASE, name")]

    def _tag_row(self, name: str) -> int:
        row = self.db.execute("SELECT id FROM tags WHERE name = ?", [name]).fetchone()
        if row is None:
            names = self.tags()
            folded = [n for n in names if n.casefold() == (name or "").strip().casefold()]
            close = folded or difflib.get_close_matches(name or "", names, n=1)
            raise ProjectError(f"no tag named {name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        return row[0]

    def tag_snapshot(self, name: str) -> dict:
        """{"id", "name", "events": [event ids], "annotations": [annotation ids]} of a tag."""
        tag_id = self._tag_row(name)
        q = self.db.execute
        return {"id": tag_id, "name": name,
                "events": [e for (e,) in q("SELECT event_id FROM event_tags WHERE tag_id = ? ORDER BY event_id",
                                           [tag_id])],
                "annotations": [a for (a,) in q("SELECT annotation_id FROM annotation_tags WHERE tag_id = ? "
                                                "ORDER BY annotation_id", [tag_id])]}

    def rename_tag(self, old: str, new: str) -> dict:
        """Rename a tag; to the name of another tag, merge it into that one (`merge_tags`).
        Returns {"tags": [snapshots before], "merged": bool, "from": old, "into": new}."""
        new = check_tag_name(new)
        before = self.tag_snapshot(old)
        if new == old:
            raise ProjectError(f"the tag is already named {old!r}")
        if self.db.execute("SELECT 1 FROM tags WHERE name = ?", [new]).fetchone():
            return self.merge_tags(old, new)
        with self._write() as db:
            db.execute("UPDATE tags SET name = ? WHERE id = ?", [new, before["id"]])
        return {"tags": [before], "merged": False, "from": old, "into": new}

    def merge_tags(self, from_name: str, into_name: str) -> dict:
        """Put tag `into_name` on every event and passage that carries `from_name`, then delete
        `from_name`, in one transaction. Returns what `rename_tag` returns."""
        merged, into = self.tag_snapshot(from_name), self.tag_snapshot(into_name)
        if merged["id"] == into["id"]:
            raise ProjectError("a tag cannot be merged into itself")
        with self._write() as db:
            db.execute("INSERT OR IGNORE INTO event_tags (event_id, tag_id) SELECT event_id, ? FROM event_tags "
                       "WHERE tag_id = ?", [into["id"], merged["id"]])
            db.execute("INSERT OR IGNORE INTO annotation_tags (annotation_id, tag_id) SELECT annotation_id, ? "
                       "FROM annotation_tags WHERE tag_id = ?", [into["id"], merged["id"]])
            db.execute("DELETE FROM tags WHERE id = ?", [merged["id"]])
        return {"tags": [merged, into], "merged": True, "from": from_name, "into": into_name}

    def delete_tag(self, name: str) -> dict:
        """Take a tag off every event and passage and delete it. Returns {"tags": [snapshot]}."""
        snapshot = self.tag_snapshot(name)
        with self._write() as db:
            db.execute("DELETE FROM tags WHERE id = ?", [snapshot["id"]])
        return {"tags": [snapshot]}

    def restore_tags(self, record: dict) -> None:
        """Undo `rename_tag`, `merge_tags` or `delete_tag` from what it returned: each tag with its
        own id, name, events and passages, in one transaction. A tag made since under one of those
        names (by an edit that an undo stack has taken back) is folded into the one restored."""
        with self._write() as db:
            for snap in record["tags"]:
                tid = snap["id"]
                events, annotations = list(snap["events"]), list(snap["annotations"])
                other = db.execute("SELECT id FROM tags WHERE name = ? AND id != ?", [snap["name"], tid]).fetchone()
                if other is not None:
                    events += [e for (e,) in db.execute("SELECT event_id FROM event_tags WHERE tag_id = ?", other)]
                    annotations += [a for (a,) in db.execute("SELECT annotation_id FROM annotation_tags "
                                                             "WHERE tag_id = ?", other)]
                    db.execute("DELETE FROM tags WHERE id = ?", other)
                db.execute("INSERT INTO tags (id, name) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name",
                           [tid, snap["name"]])
                self._put_links(db, "event_tags", "event_id", "events", tid, events)
                self._put_links(db, "annotation_tags", "annotation_id", "annotations", tid, annotations)

    @staticmethod
    def _put_links(db, table: str, column: str, owners: str, tag_id: int, ids: Iterable[int]) -> None:
        """The tag on exactly `ids` (those of them still in the project)."""
        db.execute(f"DELETE FROM {table} WHERE tag_id = ?", [tag_id])
        db.conn.executemany(f"INSERT OR IGNORE INTO {table} ({column}, tag_id) SELECT ?, ? "
                            f"WHERE EXISTS (SELECT 1 FROM {owners} WHERE id = ?)", [(i, tag_id, i) for i in ids])
