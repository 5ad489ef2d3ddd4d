"""Write the selected events that have coordinates as a GeoJSON FeatureCollection (RFC 7946).

Each located event is a Point feature, coordinates `[longitude, latitude]` (the order RFC 7946
requires, the reverse of how people say them), `id` the event's uid, and as properties the same
fields as a CSV row (`sijill.db.formats.csv_export.COLUMNS` and the attributes) with numbers as numbers
and lists as lists. Events without coordinates are left out and counted in the result's note.
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from sijill.db.formats.csv_export import ROLES
from sijill.db.formats.records import export_step
from sijill.db.formats.registry import ExportResult
from sijill.db.formats.selection import EventSelection, ExportEvent, export_events, select_event_ids


def feature(e: ExportEvent) -> dict:
    """One located event as a GeoJSON Feature."""
    props = {
        "uid": e.uid, "title": e.title, "start": e.start.text, "end": e.end.text if e.end else None,
        "start_earliest": e.start.lo.isoformat(), "start_latest": e.start.hi.isoformat(),
        "precision": e.start.precision,
        "end_earliest": e.end.lo.isoformat() if e.end else None, "end_latest": e.end.hi.isoformat() if e.end else None,
        "approximate": e.start.approximate, "uncertain": e.start.uncertain,
        **{role: e.groups_in(role) for role in ROLES},
        "tags": list(e.tags), "event_type": e.event_type, "location": e.location, "fatalities": e.fatalities,
        "evidence_count": len(e.citations), "grades": [c.grade for c in e.citations if c.grade],
        "summaries": sum(1 for c in e.citations if c.summary),
        "contradicted": e.contradicted, "source_urls": list(dict.fromkeys(c.url for c in e.citations if c.url)),
        "description": e.description, "attributes": e.attributes,
    }
    return {"type": "Feature", "id": e.uid,
            "geometry": {"type": "Point", "coordinates": [e.longitude, e.latitude]}, "properties": props}


def export_geojson(project, path: str | os.PathLike, selection: EventSelection | None = None,
                   progress: Callable[[float], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> ExportResult:
    path = Path(path)
    ids = select_event_ids(project, selection)
    tmp = path.with_name(path.name + ".part")
    located = 0
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write('{"type": "FeatureCollection", "features": [\n')
            for n, e in enumerate(export_events(project, ids), start=1):
                if e.latitude is not None and e.longitude is not None:
                    fh.write((",\n" if located else "") + json.dumps(feature(e), ensure_ascii=False))
                    located += 1
                export_step(n, len(ids), progress, cancelled)
            fh.write("\n]}\n")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    skipped = len(ids) - located
    note = f"{skipped} selected event{'s' if skipped != 1 else ''} without coordinates left out" if skipped else None
    return ExportResult(path, {"events": located}, note)
