"""Periods (named spans of time shown behind the timeline): create, change, merge, delete, list them.

Part of Project (see db.store.project.Project); a period's snapshot and its restoring, for undo, are
in `structure`.
"""
from __future__ import annotations

from sijill.db.store.basics import DateLike, ProjectError, as_date, as_optional_date, new_uid, stored_date
from sijill.db.store.entities import Period
from sijill.db.text.rules import check_fields

_PERIOD_DATES = ("start_text, start_lo, start_hi, start_precision, start_approximate, start_uncertain, "
                 "end_text, end_lo, end_hi, end_precision, end_approximate, end_uncertain")


class PeriodsMixin:
    """Methods of Project for periods (see db.store.project.Project)."""

    def create_period(self, title: str, start: DateLike, end: DateLike | None = None, *,
                      color: str | None = None, description: str | None = None,
                      uid: str | None = None) -> Period:
        if not (title or "").strip():
            raise ProjectError("a period needs a title")
        check_fields({"title": title, "description": description, "color": color}, ProjectError)
        start_d = as_date(start)
        end_d = as_optional_date(end)
        self._check_span(start_d, end_d)
        with self._write() as db:
            cur = db.execute(
                f"INSERT INTO periods ({_PERIOD_DATES}, uid, title, color, description) "
                f"VALUES ({', '.join('?' * 16)})",
                [*self._date_cols(start_d), *self._date_cols(end_d), uid or new_uid(), title.strip(),
                 color, description],
            )
        return self.period(cur.lastrowid)

    def update_period(self, period_id: int, **fields) -> Period:
        """Change some fields of a period: any of title, start, end, color, description."""
        unknown = set(fields) - {"title", "start", "end", "color", "description"}
        if unknown:
            raise ProjectError(f"unknown period field(s): {', '.join(sorted(unknown))}")
        check_fields(fields, ProjectError)
        if "title" in fields:
            fields["title"] = (fields["title"] or "").strip()
            if not fields["title"]:
                raise ProjectError("a period needs a title")
        current = self.period(period_id)
        start_d = as_date(fields.pop("start")) if "start" in fields else current.start
        end = fields.pop("end", current.end)
        end_d = as_optional_date(end)
        self._check_span(start_d, end_d)
        with self._write() as db:
            assignments = ", ".join(f"{c.strip()} = ?" for c in _PERIOD_DATES.split(","))
            db.execute(f"UPDATE periods SET {assignments} WHERE id = ?",
                       [*self._date_cols(start_d), *self._date_cols(end_d), period_id])
            for key in ("title", "color", "description"):
                if key in fields:
                    db.execute(f"UPDATE periods SET {key} = ? WHERE id = ?", [fields[key], period_id])
        return self.period(period_id)

    def merge_periods(self, from_id: int, into_id: int) -> dict:
        """Merge period `from_id` (the same phase entered twice) into `into_id` and delete it: INTO
        keeps its title and dates, and takes FROM's colour and description where it has none.
        Returns what `unmerge_periods` needs."""
        if from_id == into_id:
            raise ProjectError("a period cannot be merged into itself")
        merged, into = self.period_snapshot(from_id), self.period_snapshot(into_id)
        fill = {c: merged[c] for c in ("color", "description") if not into[c] and merged[c]}
        with self._write() as db:
            for column, value in fill.items():
                db.execute(f"UPDATE periods SET {column} = ? WHERE id = ?", [value, into_id])
            db.execute("DELETE FROM periods WHERE id = ?", [from_id])
        return {"merged": merged, "into": into}

    def unmerge_periods(self, record: dict) -> None:
        """Undo `merge_periods` from what it returned: both periods as they were."""
        into = record["into"]
        with self._write() as db:
            db.execute("UPDATE periods SET color = ?, description = ? WHERE id = ?",
                       [into["color"], into["description"], into["id"]])
            self.restore_period(record["merged"])

    def delete_period(self, period_id: int) -> dict:
        """Delete a period; returns its snapshot, which `restore_period` puts back exactly."""
        snapshot = self.period_snapshot(period_id)
        with self._write() as db:
            db.execute("DELETE FROM periods WHERE id = ?", [period_id])
        return snapshot

    _PERIOD_COLUMNS = f"id, uid, title, {_PERIOD_DATES}, color, description"

    def periods(self) -> list[Period]:
        rows = self.db.execute(f"SELECT {self._PERIOD_COLUMNS} FROM periods ORDER BY start_lo, id")
        return [_period_from_row(r) for r in rows]

    def period(self, period_id: int) -> Period:
        row = self.db.execute(f"SELECT {self._PERIOD_COLUMNS} FROM periods WHERE id = ?",
                              [period_id]).fetchone()
        if not row:
            raise ProjectError(f"no period with id {period_id}")
        return _period_from_row(row)


def _period_from_row(r: tuple) -> Period:
    return Period(id=r[0], uid=r[1], title=r[2], start=stored_date(*r[3:9]), end=stored_date(*r[9:15]),
                  color=r[15], description=r[16])
