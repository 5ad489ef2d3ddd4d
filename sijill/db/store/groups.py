"""Groups one at a time: create, change, reorder, list and find them, with their aliases.

Part of Project (see db.store.project.Project). Deleting and merging groups, and the snapshots undo
puts back, are in `structure`; `_group_id` (a group by id, name or uid) serves every part of Project.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from sijill.db.store.basics import ProjectError, new_uid
from sijill.db.store.entities import Alias, Group
from sijill.db.text.rules import check_fields


class GroupsMixin:
    """Methods of Project for groups (see db.store.project.Project)."""

    def create_group(self, name: str, *, kind: str | None = None, parent: int | str | None = None,
                     color: str | None = None, description: str | None = None,
                     aliases: Iterable[Alias | str | tuple[str, str | None]] = (),
                     uid: str | None = None, position: int | None = None) -> Group:
        name = name.strip()
        if not name:
            raise ProjectError("a group needs a name")
        aliases = list(aliases)
        check_fields({"name": name, "kind": kind, "color": color, "description": description, "aliases": aliases},
                     ProjectError)
        with self._write() as db:
            if db.execute("SELECT 1 FROM groups WHERE name = ?", [name]).fetchone():
                raise ProjectError(f"a group named {name!r} already exists")
            parent_id = self._group_id(parent) if parent is not None else None
            if position is None:
                position = db.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM groups").fetchone()[0]
            cur = db.execute(
                "INSERT INTO groups (uid, name, kind, parent_id, color, description, position) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [uid or new_uid(), name, kind, parent_id, color, description, position],
            )
            self._set_aliases(cur.lastrowid, aliases)
        return self.group(cur.lastrowid)

    def update_group(self, group_id: int, **fields) -> Group:
        allowed = {"name", "kind", "parent", "color", "description", "aliases", "position"}
        unknown = set(fields) - allowed
        if unknown:
            raise ProjectError(f"unknown group field(s): {', '.join(sorted(unknown))}")
        if fields.get("aliases") is not None:
            fields["aliases"] = list(fields["aliases"])
        check_fields({k: v for k, v in fields.items() if k != "parent"}, ProjectError)
        with self._write() as db:
            self.group(group_id)
            if "parent" in fields:
                parent = fields.pop("parent")
                parent_id = self._group_id(parent) if parent is not None else None
                if parent_id is not None and group_id in self._ancestors(parent_id) | {parent_id}:
                    name, under = self.group(group_id).name, self.group(parent_id).name
                    raise ProjectError(f"{name!r} cannot be placed inside itself" if parent_id == group_id
                                       else f"{name!r} cannot be placed under {under!r}, which is part of it: "
                                            "a group cannot be inside itself")
                db.execute("UPDATE groups SET parent_id = ? WHERE id = ?", [parent_id, group_id])
            if "aliases" in fields:
                db.execute("DELETE FROM group_aliases WHERE group_id = ?", [group_id])
                self._set_aliases(group_id, fields.pop("aliases"))
            for key, value in fields.items():
                if key == "name":
                    value = (value or "").strip()
                    if not value:
                        raise ProjectError("a group needs a name")
                try:
                    db.execute(f"UPDATE groups SET {key} = ? WHERE id = ?", [value, group_id])
                except sqlite3.IntegrityError as exc:
                    raise ProjectError(f"a group named {value!r} already exists") from exc
        return self.group(group_id)

    def set_group_order(self, group_ids: Sequence[int]) -> None:
        """Store the lane order chosen by the analyst."""
        with self._write() as db:
            for position, gid in enumerate(group_ids, start=1):
                db.execute("UPDATE groups SET position = ? WHERE id = ?", [position, gid])

    def _set_aliases(self, group_id: int, aliases: Iterable) -> None:
        for item in aliases:
            if isinstance(item, Alias):
                alias, lang = item.alias, item.lang
            elif isinstance(item, str):
                alias, lang = item, None
            else:
                alias, lang = item
            alias = alias.strip()
            if alias:
                self.db.execute(
                    "INSERT OR IGNORE INTO group_aliases (group_id, alias, lang) VALUES (?, ?, ?)",
                    [group_id, alias, lang],
                )

    def _group_id(self, ref: int | str) -> int:
        if isinstance(ref, int):
            row = self.db.execute("SELECT id FROM groups WHERE id = ?", [ref]).fetchone()
        else:
            row = self.db.execute("SELECT id FROM groups WHERE name = ? OR uid = ?", [ref, ref]).fetchone()
        if not row:
            raise ProjectError(f"no group {ref!r}")
        return row[0]

    def _ancestors(self, group_id: int) -> set[int]:
        seen: set[int] = set()
        current = self.db.execute("SELECT parent_id FROM groups WHERE id = ?", [group_id]).fetchone()
        while current and current[0] is not None and current[0] not in seen:
            seen.add(current[0])
            current = self.db.execute("SELECT parent_id FROM groups WHERE id = ?", [current[0]]).fetchone()
        return seen

    def groups(self) -> list[Group]:
        """All groups, each parent before its children, siblings in lane order."""
        rows = self.db.execute(
            "SELECT id, uid, name, kind, parent_id, color, description, position FROM groups"
        ).fetchall()
        aliases: dict[int, list[Alias]] = {}
        for gid, alias, lang in self.db.execute(
            "SELECT group_id, alias, lang FROM group_aliases ORDER BY id"
        ):
            aliases.setdefault(gid, []).append(Alias(alias, lang))
        by_parent: dict[int | None, list] = {}
        ids = {r[0] for r in rows}
        for r in rows:
            parent = r[4] if r[4] in ids else None
            by_parent.setdefault(parent, []).append(r)
        out: list[Group] = []

        def walk(parent: int | None) -> None:
            for r in sorted(by_parent.get(parent, []), key=lambda r: (r[7], r[2].casefold())):
                out.append(Group(*r, aliases=tuple(aliases.get(r[0], ()))))
                walk(r[0])

        walk(None)
        return out

    def group(self, group_id: int) -> Group:
        row = self.db.execute(
            "SELECT id, uid, name, kind, parent_id, color, description, position FROM groups WHERE id = ?",
            [group_id],
        ).fetchone()
        if not row:
            raise ProjectError(f"no group with id {group_id}")
        aliases = tuple(Alias(a, l) for a, l in self.db.execute(
            "SELECT alias, lang FROM group_aliases WHERE group_id = ? ORDER BY id", [group_id]))
        return Group(*row, aliases=aliases)

    def group_by_name(self, name: str) -> Group | None:
        row = self.db.execute("SELECT id FROM groups WHERE name = ?", [name]).fetchone()
        return self.group(row[0]) if row else None
