"""Tables, indexes, full-text search and migrations of a Sijill project file.

A project is an ordinary SQLite file marked with `PRAGMA application_id` and versioned with
`PRAGMA user_version`. Each migration runs in one transaction; a file written by a newer
Sijill (a higher user_version than we know) is refused rather than guessed at.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlite_utils import Database

APPLICATION_ID = 0x534A4C31  # "SJL1"
SQLITE_MAGIC = b"SQLite format 3\x00"

ROLES = ("actor", "target", "associated", "mentioned")
STANCES = ("supports", "contradicts", "context")
RELIABILITY = ("A", "B", "C", "D", "E", "F")


class SchemaError(Exception):
    """The file cannot be used as a Sijill project (not SQLite, not ours, or too new)."""


def _v1(db: Database) -> None:
    """The first version, as DESIGN.md lays it out."""
    db.execute(
        """CREATE TABLE groups (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            kind TEXT,
            parent_id INTEGER REFERENCES groups(id) ON DELETE SET NULL,
            color TEXT,
            description TEXT)"""
    )
    db.execute(
        """CREATE TABLE group_aliases (
            id INTEGER PRIMARY KEY,
            group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
            alias TEXT NOT NULL,
            lang TEXT,
            UNIQUE (group_id, alias))"""
    )
    db.execute(
        f"""CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            description TEXT,
            start_text TEXT NOT NULL,
            start_lo INTEGER NOT NULL,
            start_hi INTEGER NOT NULL,
            start_precision TEXT NOT NULL,
            end_text TEXT,
            end_lo INTEGER,
            end_hi INTEGER,
            end_precision TEXT,
            approximate INTEGER NOT NULL DEFAULT 0,
            uncertain INTEGER NOT NULL DEFAULT 0,
            location TEXT,
            latitude REAL,
            longitude REAL,
            event_type TEXT,
            fatalities INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (start_lo <= start_hi),
            CHECK (end_lo IS NULL OR end_lo <= end_hi))"""
    )
    db.execute("CREATE INDEX events_start_lo ON events(start_lo)")
    db.execute("CREATE INDEX events_end_hi ON events(end_hi)")
    roles = ", ".join(f"'{r}'" for r in ROLES)
    db.execute(
        f"""CREATE TABLE event_groups (
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ({roles})),
            PRIMARY KEY (event_id, group_id))"""
    )
    db.execute("CREATE INDEX event_groups_group ON event_groups(group_id)")
    db.execute("CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)")
    db.execute(
        """CREATE TABLE event_tags (
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
            PRIMARY KEY (event_id, tag_id))"""
    )
    grades = ", ".join(f"'{g}'" for g in RELIABILITY)
    db.execute(
        f"""CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            outlet TEXT,
            author TEXT,
            url TEXT,
            published_text TEXT,
            published_lo INTEGER,
            published_hi INTEGER,
            language TEXT,
            reliability TEXT CHECK (reliability IS NULL OR reliability IN ({grades})),
            kind TEXT,
            body TEXT NOT NULL DEFAULT '',
            added_at TEXT NOT NULL)"""
    )
    db.execute(
        """CREATE TABLE annotations (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            quote TEXT NOT NULL,
            prefix TEXT NOT NULL DEFAULT '',
            suffix TEXT NOT NULL DEFAULT '',
            note TEXT,
            credibility INTEGER CHECK (credibility IS NULL OR credibility BETWEEN 1 AND 6),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (start <= "end"))"""
    )
    db.execute("CREATE INDEX annotations_source ON annotations(source_id)")
    stances = ", ".join(f"'{s}'" for s in STANCES)
    db.execute(
        f"""CREATE TABLE event_evidence (
            id INTEGER PRIMARY KEY,
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            annotation_id INTEGER REFERENCES annotations(id) ON DELETE SET NULL,
            stance TEXT NOT NULL DEFAULT 'supports' CHECK (stance IN ({stances})),
            note TEXT)"""
    )
    db.execute("CREATE INDEX event_evidence_event ON event_evidence(event_id)")
    db.execute("CREATE INDEX event_evidence_annotation ON event_evidence(annotation_id)")
    db.execute(
        """CREATE TABLE periods (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            start_text TEXT NOT NULL,
            start_lo INTEGER NOT NULL,
            start_hi INTEGER NOT NULL,
            start_precision TEXT NOT NULL,
            end_text TEXT,
            end_lo INTEGER,
            end_hi INTEGER,
            end_precision TEXT,
            color TEXT)"""
    )
    tokenize = "unicode61 remove_diacritics 2"
    db["events"].enable_fts(["title", "description"], create_triggers=True, tokenize=tokenize)
    db["sources"].enable_fts(["title", "body"], create_triggers=True, tokenize=tokenize)
    db["annotations"].enable_fts(["quote", "note"], create_triggers=True, tokenize=tokenize)


def _v2(db: Database) -> None:
    """Stable identity for groups and periods, lane order, per-date flags, annotation state.

    - groups and periods get `uid`s so that exports and merges keep identity (events had them);
    - `groups.position` keeps the lane order the analyst chose on the timeline;
    - the end date's approximate/uncertain flags are kept apart from the start's
      (v1's event-level flags stay, meaning the start date's);
    - sources keep the precision of their published date;
    - annotations can be orphaned by a text change, and carry groups and tags;
    - `meta` holds the project title and remembered view state.
    """
    for table in ("groups", "periods"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN uid TEXT")
        for (row_id,) in db.execute(f"SELECT id FROM {table}").fetchall():
            db.execute(f"UPDATE {table} SET uid = ? WHERE id = ?", [str(uuid.uuid4()), row_id])
        db.execute(f"CREATE UNIQUE INDEX {table}_uid ON {table}(uid)")
    db.execute("ALTER TABLE groups ADD COLUMN position INTEGER NOT NULL DEFAULT 0")
    db.execute("UPDATE groups SET position = id")
    db.execute("ALTER TABLE periods ADD COLUMN description TEXT")
    db.execute("ALTER TABLE events ADD COLUMN end_approximate INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE events ADD COLUMN end_uncertain INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE sources ADD COLUMN published_precision TEXT")
    db.execute("ALTER TABLE annotations ADD COLUMN orphaned INTEGER NOT NULL DEFAULT 0")
    db.execute(
        """CREATE TABLE annotation_groups (
            annotation_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
            PRIMARY KEY (annotation_id, group_id))"""
    )
    db.execute(
        """CREATE TABLE annotation_tags (
            annotation_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
            PRIMARY KEY (annotation_id, tag_id))"""
    )
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    db.execute("CREATE INDEX events_title ON events(title)")


def _v3(db: Database) -> None:
    """Approximate/uncertain flags for the dates of periods and sources, which v2 dropped
    ("c. 2014" read back as "2014"). Existing rows get them from their text where it still
    reads to the stored bounds."""
    from sijill.db.dates import DateParseError, parse_fuzzy

    columns = {"periods": (("start", "start_"), ("end", "end_")), "sources": (("published", "published_"),)}
    for table, dates in columns.items():
        for _, prefix in dates:
            for flag in ("approximate", "uncertain"):
                db.execute(f"ALTER TABLE {table} ADD COLUMN {prefix}{flag} INTEGER NOT NULL DEFAULT 0")
        for name, prefix in dates:
            rows = db.execute(f"SELECT id, {prefix}text, {prefix}lo, {prefix}hi FROM {table} "
                              f"WHERE {prefix}text IS NOT NULL AND {prefix}lo IS NOT NULL").fetchall()
            for row_id, text, lo, hi in rows:
                try:
                    d = parse_fuzzy(text)
                except DateParseError:
                    continue
                if (d.lo_ts, d.hi_ts) == (lo, hi) and (d.approximate or d.uncertain):
                    db.execute(f"UPDATE {table} SET {prefix}approximate = ?, {prefix}uncertain = ? "
                               "WHERE id = ?", [int(d.approximate), int(d.uncertain), row_id])


def _v4(db: Database) -> None:
    """Exchange with other tools and datasets.

    - `meta.uid`: the project's own identity (exports name their collections by it, not by the
      file's path); existing projects get one here, new ones at creation;
    - `events.attributes`: a JSON object of the fields a dataset carries beyond Sijill's own
      (ACLED's sub_event_type, admin1-3, geo_precision, ...), kept whole and exported again;
    - `event_origins`: where an imported event came from (a format and the dataset's own key,
      e.g. ACLED's event_id_cnty) and a digest of the row as imported, so that importing the same
      or an updated file updates instead of duplicating, and skips rows that did not change.
    """
    db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('uid', ?)", [str(uuid.uuid4())])
    db.execute("ALTER TABLE events ADD COLUMN attributes TEXT")
    db.execute(
        """CREATE TABLE event_origins (
            event_id INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
            origin TEXT NOT NULL,
            key TEXT NOT NULL,
            digest TEXT,
            UNIQUE (origin, key))"""
    )


def _v5(db: Database) -> None:
    """`events.key_event`: a turning point the analyst marks by hand; where labels compete on the
    timeline, a key event's wins (then a period's start, then the better-sourced event)."""
    db.execute("ALTER TABLE events ADD COLUMN key_event INTEGER NOT NULL DEFAULT 0")


def _v6(db: Database) -> None:
    """`sources.summary`: the body is a summary someone wrote (the demo's sources are), not the
    document's own text, so that the reader and every export that quotes it can say so; a quote
    from it must never pass for the article's words."""
    db.execute("ALTER TABLE sources ADD COLUMN summary INTEGER NOT NULL DEFAULT 0")


def _iso(column: str) -> str:
    return f"strftime('%Y-%m-%dT%H:%M:%SZ', {column}, 'unixepoch')"


DATED_VIEWS = {
    # view: (table, the prefixes of its dates: start_lo and start_hi give start_from and start_until)
    "events_dated": ("events", ["start", "end"]),
    "periods_dated": ("periods", ["start", "end"]),
    "sources_dated": ("sources", ["published"]),
}


def _v7(db: Database) -> None:
    """The change log (`sijill.db.store.changes`): `change_sets` and `changes`, filled by triggers inside each
    write's transaction, and views for other tools that read the file.

    - `meta.uid` is the lineage: copies of one project share it and compare their change sets' uids;
    - `events_dated`, `periods_dated`, `sources_dated`: each row of the table with its integer bounds
      also as ISO-8601 UTC text (`start_from`, `start_until`, ...), for sqlite-utils and Datasette users,
      who otherwise see seconds since 1970. A later migration that adds a column to a record table
      calls `changes.install_triggers` again (the triggers list the columns).
    """
    from sijill.db.store import changes

    for statement in changes.TABLES_SQL:
        db.execute(statement)
    changes.install_triggers(db.conn)
    for view, (table, dates) in DATED_VIEWS.items():
        extra = ", ".join(f"{_iso(f'{d}_lo')} AS {d}_from, {_iso(f'{d}_hi')} AS {d}_until" for d in dates)
        db.execute(f"CREATE VIEW {view} AS SELECT *, {extra} FROM {table}")


def _v8(db: Database) -> None:
    """The project's own places (`sijill.db.geo.places`): sites the gazetteer does not list ("Tower 22"),
    with coordinates and aliases. Places have uids and the change log records them (kind `place`, links
    `aliases`), so `change_sets` gets `first_place` and the triggers are installed again."""
    from sijill.db.store import changes

    db.execute(
        """CREATE TABLE places (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE,
            lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
            lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
            country TEXT,
            admin1 TEXT,
            description TEXT)"""
    )
    db.execute(
        """CREATE TABLE place_aliases (
            id INTEGER PRIMARY KEY,
            place_id INTEGER NOT NULL REFERENCES places(id) ON DELETE CASCADE,
            alias TEXT NOT NULL,
            UNIQUE (place_id, alias))"""
    )
    db.execute("ALTER TABLE change_sets ADD COLUMN first_place INTEGER")
    changes.install_triggers(db.conn)


def _v9(db: Database) -> None:
    """The change log's triggers again, now also on what links point at (`changes._target_sql`): a group,
    tag, source or passage deleted records the links it takes with it by name and uid (they were logged
    with a null target), a source's passages are logged whole, and a tag's rename is logged on every event
    and passage that carries it (it was not logged at all)."""
    from sijill.db.store import changes

    changes.install_triggers(db.conn)


def _v10(db: Database) -> None:
    """Provenance in the change log, so that history tells what happened in this file from what a merge
    brought in (`sijill.db.merge.apply.copy_change_sets`), and when a write outside Sijill was made.

    - `change_sets.merged_by`: for a change set copied from another copy by a merge, the id of that
      merge's own change set here (NULL: made in this file). Change sets copied by earlier merges are
      found by what they lack (`changes.backfill_merged_by`): a change set Sijill opens here has its
      `first_*` ids, a copied one has none and follows its merge's change set; 0 where that merge's
      change set is gone (a version 9 merge that took nothing dropped it);
    - `changes.kept`: for a change in a copied change set that this file did not take (its conflict
      kept this file's value), JSON of what was kept: column -> the value kept as text, or "*" for
      the whole change (a record not added, a delete not made, a link not changed). Not known for
      merges made before this version;
    - `changes.at`: the time (UTC) of a change written outside Sijill (no change set to carry it),
      set by a trigger (`changes.trigger_sql`); NULL for earlier ones."""
    from sijill.db.store import changes

    db.execute("ALTER TABLE change_sets ADD COLUMN merged_by INTEGER")
    db.execute("ALTER TABLE changes ADD COLUMN kept TEXT")
    db.execute("ALTER TABLE changes ADD COLUMN at TEXT")
    changes.backfill_merged_by(db.conn)
    changes.install_triggers(db.conn)


MIGRATIONS: list[Callable[[Database], None]] = [_v1, _v2, _v3, _v4, _v5, _v6, _v7, _v8, _v9, _v10]
SCHEMA_VERSION = len(MIGRATIONS)


def user_version(db: Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def application_id(db: Database) -> int:
    return db.execute("PRAGMA application_id").fetchone()[0]


def migrate(db: Database, target: int = SCHEMA_VERSION) -> list[int]:
    """Bring the file up to `target`, one transaction per version; return the versions applied."""
    current = user_version(db)
    if current > SCHEMA_VERSION:
        raise SchemaError(
            f"this project was written by a newer Sijill (schema version {current}; "
            f"this version reads up to {SCHEMA_VERSION}): update Sijill to open it"
        )
    applied = []
    for version in range(current + 1, target + 1):
        with db.atomic():
            if version == 1:
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            MIGRATIONS[version - 1](db)
            db.execute(f"PRAGMA user_version = {version}")
        applied.append(version)
    return applied
