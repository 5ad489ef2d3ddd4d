"""A corpus of damaged and hand-edited project files, built for the tests.

`make_base(path)` writes a small, healthy project; `CASES` maps a name to a hand-edit made with
plain sqlite3 (as sqlite-utils, Datasette or the sqlite3 shell would), with the (table, column)
the check must name. `overwrite_pages` writes garbage over the middle of a real project.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sijill.db.store.entities import Link
from sijill.db.store.project import Project

BODY = "Kataib Hezbollah claimed the strike on the base near Baghdad on 3 January."


def make_base(path: Path, events: int = 3) -> Path:
    with Project.create(path, title="base") as p:
        g = p.create_group("Kataib Hezbollah")
        ids = [p.create_event(f"Strike {i}", f"2020-01-0{i + 1}", groups=[Link(g.id, "actor")]).id
               for i in range(events)]
        p.create_event("Talks", "March 2021", "April 2021")
        s = p.create_source("Claim", BODY, published="2020-01-03", reliability="B")
        a = p.create_annotation(s.id, 0, 16, note="who", credibility=2)
        p.add_evidence(ids[0], annotation_id=a.id, stance="supports")
        p.create_period("Crisis", "2020", "2021")
        p.create_source("Denial", "Kataib Hezbollah denied any part in the strike.")
    return path


def _edit(sql: str, *params):
    def edit(path: Path) -> None:
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA ignore_check_constraints = ON")  # as a careless tool would
        conn.execute(sql, params)
        conn.commit()
        conn.close()
    return edit


# name -> (edit, table, column) the check must report
CASES = {
    "millisecond_start": (_edit("UPDATE events SET start_lo = start_lo * 1000, start_hi = start_hi * 1000 "
                                "WHERE id = 1"), "events", "start_lo"),
    "text_start": (_edit("UPDATE events SET start_lo = 'yesterday' WHERE id = 2"), "events", "start_lo"),
    "real_start": (_edit("UPDATE events SET start_lo = 1.5e9 + 0.5 WHERE id = 2"), "events", "start_lo"),
    "lo_after_hi": (_edit("UPDATE events SET start_lo = start_hi + 10 WHERE id = 1"), "events", "start_lo"),
    "end_before_start": (_edit("UPDATE events SET end_lo = 0, end_hi = 10 WHERE id = 4"), "events", "end_hi"),
    "fortnight": (_edit("UPDATE events SET start_precision = 'fortnight' WHERE id = 3"), "events",
                  "start_precision"),
    "null_end_precision": (_edit("UPDATE events SET end_precision = NULL WHERE id = 4"), "events",
                           "end_precision"),
    "source_published_text": (_edit("UPDATE sources SET published_hi = 'soon'"), "sources", "published_hi"),
    "period_fortnight": (_edit("UPDATE periods SET end_precision = 'fortnight'"), "periods", "end_precision"),
    "annotation_past_source": (_edit('UPDATE annotations SET "end" = 5000'), "annotations", "end"),
    "annotation_text_offset": (_edit("UPDATE annotations SET start = 'ten'"), "annotations", "start"),
    "annotation_empty": (_edit('UPDATE annotations SET start = 16, "end" = 16'), "annotations", "start"),
    "credibility_9": (_edit("UPDATE annotations SET credibility = 9"), "annotations", "credibility"),
    "reliability_z": (_edit("UPDATE sources SET reliability = 'Z'"), "sources", "reliability"),
    "role_unknown": (_edit("UPDATE event_groups SET role = 'boss' WHERE event_id = 1"), "event_groups", "role"),
    "dangling_group": (_edit("UPDATE event_groups SET group_id = 99 WHERE event_id = 2"), "event_groups",
                       "group_id"),
    "stance_unknown": (_edit("UPDATE event_evidence SET stance = 'maybe'"), "event_evidence", "stance"),
    "evidence_other_source": (_edit("UPDATE event_evidence SET source_id = 2"), "event_evidence", "source_id"),
}


def overwrite_pages(path: Path) -> None:
    """Garbage over the middle of the file (past the header and the schema, which since the change log
    triggers of v7 fills the first few dozen pages)."""
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.seek(max(4096 * 2, size // 2))
        fh.write(os.urandom(min(4096 * 3, size // 3)))


def make_big_base(path: Path, events: int = 400) -> Path:
    """Enough rows for a file of many pages, so that garbage hits table pages."""
    with Project.create(path, title="big") as p:
        g = p.create_group("Kataib Hezbollah")
        with p.batch():
            for i in range(events):
                p.create_event(f"Strike number {i} " + "x" * 200, f"2020-01-{i % 28 + 1:02d}",
                               groups=[Link(g.id, "actor")])
    return path
