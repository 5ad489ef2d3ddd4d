"""Benchmark: native JSON import of a large document, into a new project and again (nothing
changed), then the project's export.

    python -m tests.perf.exchange_native [N]

The document is built directly (not through a project) so that it carries everything an import
must check and link: N events over 2014–2024 among the 12 groups of tests.perf.generate, dates of
every precision, one or two groups and tags each, a third citing one of 200 sources (half of those
pinned to an annotated passage), half with ACLED-like `attributes` and an `origin`; it is written
on one line (json.dumps), as other tools write JSON. Each step runs in a fresh child process, so
that its peak RSS is its own; prints CPU and wall seconds and peak RSS, asserts only the counts.
At 100,000 events (78 MB), with the document held whole: import 5.0 s, 487 MB; again 3.2 s, 679 MB;
export 7.1 s, 432 MB. Streamed record by record: 4.2 s, 92 MB; 2.6 s, 127 MB; 4.5 s, 53 MB.
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np

from sijill.db.formats.native import FORMAT, VERSION, date_to_json, export_native, import_native
from sijill.db.store.project import Project
from tests.perf.generate import GROUPS, PLACES, T0, T1, VERBS, make_date

KINDS = ("day", "day", "day", "hour", "month", "year", "qualified")
TAGS = ["drone", "rocket", "claimed", "unclaimed", "airstrike", "ied", "protest", "arrest"]


def _uid(rng: np.random.Generator) -> str:
    return str(uuid.UUID(bytes=rng.bytes(16), version=4))


def native_document(n: int, seed: int = 1) -> dict:
    """A native document with `n` events (see the module docstring)."""
    rng = np.random.default_rng(seed)
    groups = [{"uid": _uid(rng), "name": name, "parent": parent, "color": color, "position": i + 1,
               "kind": None, "description": None, "aliases": []} for i, (name, parent, color) in enumerate(GROUPS)]
    sources, annotations = [], []
    for s in range(200):
        body = f"Report {s}: " + " ".join(f"{VERBS[(s + k) % len(VERBS)]} {PLACES[(s * 7 + k) % len(PLACES)]}."
                                           for k in range(30))
        sources.append({"uid": _uid(rng), "title": f"Report {s}", "outlet": "Wire", "body": body,
                        "published": date_to_json(make_date(T0 + (T1 - T0) * s / 200, "day")),
                        "language": "en", "reliability": "BCD"[s % 3], "added_at": "2024-03-01T00:00:00+00:00"})
        quote = body[len(f"Report {s}: "):].split(".")[0]
        start = body.index(quote)
        annotations.append({"uid": _uid(rng), "source": sources[-1]["uid"], "start": start,
                            "end": start + len(quote), "quote": quote, "note": "first account", "credibility": 2,
                            "created_at": "2024-03-01T00:00:00+00:00", "updated_at": "2024-03-01T00:00:00+00:00"})
    ts = rng.uniform(T0, T1, n)
    kinds = rng.integers(0, len(KINDS), n)
    lead = rng.integers(0, len(GROUPS), n)
    other = rng.integers(0, len(GROUPS), n)
    cite = rng.integers(0, 600, n)  # < 200: cites that source (a third of events)
    events = []
    for i in range(n):
        links = [{"group": GROUPS[lead[i]][0], "role": "actor"}]
        if other[i] != lead[i] and i % 3 == 0:
            links.append({"group": GROUPS[other[i]][0], "role": "target"})
        event = {"uid": _uid(rng), "title": f"{VERBS[i % len(VERBS)]} {PLACES[(i * 7) % len(PLACES)]}",
                 "description": f"Reported by local sources ({i}).", "start": date_to_json(make_date(float(ts[i]), KINDS[kinds[i]])),
                 "end": None, "location": PLACES[(i * 7) % len(PLACES)], "latitude": 33.3, "longitude": 44.4,
                 "event_type": "Explosions/Remote violence", "fatalities": int(i % 4), "groups": links,
                 "tags": sorted({TAGS[i % len(TAGS)], TAGS[(i // 3) % len(TAGS)]}), "evidence": []}
        if cite[i] < 200:
            pinned = cite[i] % 2 == 0
            event["evidence"].append({"source": sources[cite[i]]["uid"],
                                      "annotation": annotations[cite[i]]["uid"] if pinned else None,
                                      "stance": "supports", "note": None})
        if i % 2 == 0:
            event["attributes"] = {"admin1": "Baghdad", "sub_event_type": "Shelling/artillery/missile attack",
                                   "geo_precision": 1}
            event["origin"] = {"origin": "acled", "key": f"IRQ{i}", "digest": f"{i:08x}"}
        event.update(created_at="2024-03-01T00:00:00+00:00", updated_at="2024-03-01T00:00:00+00:00")
        events.append(event)
    return {"format": FORMAT, "version": VERSION, "title": f"Exchange benchmark ({n:,} events)",
            "groups": groups, "tags": TAGS, "periods": [], "sources": sources, "annotations": annotations,
            "events": events}


def _child(task: str, project: str, path: str) -> dict:
    """One step in this process: its figures and the counts it reports."""
    t0, c0 = time.perf_counter(), time.process_time()
    if task == "write":
        Path(path).write_text(json.dumps(native_document(int(project)), ensure_ascii=False), encoding="utf-8")
        out = {}
    elif task == "export":
        with Project.open(project, read_only=True) as p:
            out = {"events": len(export_native(p, path)["events"])}
    else:
        with (Project.open(project) if Path(project).exists() else Project.create(project)) as p:
            report = import_native(p, path)
        out = {"added": report.added.get("events", 0), "unchanged": report.unchanged.get("events", 0)}
    return {"cpu": time.process_time() - c0, "wall": time.perf_counter() - t0,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, **out}


def _step(task: str, project: Path | int, path: Path) -> dict:
    done = subprocess.run([sys.executable, "-m", "tests.perf.exchange_native", "--child", task, str(project),
                           str(path)], capture_output=True, text=True, timeout=1800, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def native_import_benchmark(n: int = 100_000) -> dict[str, dict]:
    """Import an `n`-event document from its file into a new project, then again into the same
    project (every record unchanged: nothing written), then export the project. Prints and
    returns the figures of each step."""
    with tempfile.TemporaryDirectory() as tmp:
        path, project = Path(tmp) / "doc.json", Path(tmp) / "bench.sijill"
        _step("write", n, path)  # in a child: a parent that built the document would lend it its peak RSS
        size = path.stat().st_size / 1e6
        figures = {"import": _step("import", project, path), "reimport_unchanged": _step("import", project, path),
                   "export": _step("export", project, Path(tmp) / "export.json")}
        exported = (Path(tmp) / "export.json").stat().st_size / 1e6
    assert figures["import"]["added"] == n and figures["reimport_unchanged"]["unchanged"] == n, figures
    assert figures["export"]["events"] == n, figures
    print(f"native JSON, {n:,} events (document {size:.0f} MB, export {exported:.0f} MB):")
    for name, f in figures.items():
        print(f"  {name:19} {f['cpu']:6.2f} s CPU {f['wall']:6.2f} s wall {f['rss_mb']:6.0f} MB peak RSS")
    return figures


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(_child(*sys.argv[2:5])))
    else:
        native_import_benchmark(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
