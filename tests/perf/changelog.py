"""Benchmark: what recording every change costs (issue 11: at most 15 % on the 100k native import and
on a timeline drag).

    python -m tests.perf.changelog [N] [--runs R]

Each measurement runs twice in one run of this script, on the same input: with the change log's
triggers (as Sijill works) and with them dropped (recording off), so that the ratio is measured on
one machine in one run. Steps run in fresh child processes; CPU is user + system seconds.
- import: the native JSON document of tests.perf.exchange_native (N events) into a new project;
- drag: 200 moves of one event's dates (Project.update_event under the label "Move event", what a
  timeline drag writes when the mouse is released) in the imported N-event project.
"""
from __future__ import annotations

import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _drop_triggers(project) -> None:
    names = [r[0] for r in project.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                              "AND name LIKE 'sijill_log_%'")]
    with project.db.atomic():
        for name in names:
            project.db.execute(f"DROP TRIGGER {name}")


def child(task: str, path: str, arg: str, record: str) -> None:
    from sijill.db.store.project import Project

    if task == "import":
        from sijill.db.formats.native import import_native

        project = Project.create(path)
        if record == "off":
            _drop_triggers(project)
        before = resource.getrusage(resource.RUSAGE_SELF)
        import_native(project, arg)
    else:
        project = Project.open(path)
        if record == "off":
            _drop_triggers(project)
        ids = [r[0] for r in project.db.execute("SELECT id FROM events ORDER BY id LIMIT 200")]
        before = resource.getrusage(resource.RUSAGE_SELF)
        times = []
        for i, event_id in enumerate(ids):
            t = time.perf_counter()
            with project.labelled("Move event"):
                project.update_event(event_id, start=f"2019-0{1 + i % 9}-1{i % 10}")
            times.append(time.perf_counter() - t)
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    out = {"cpu": cpu}
    if task == "drag":
        out["median_ms"] = statistics.median(times) * 1000
    log = project.db.execute("SELECT count(*) FROM changes").fetchone()[0]
    out["logged"] = log
    print(json.dumps(out))


def step(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "tests.perf.changelog", "--child", *args],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> None:
    if argv and argv[0] == "--child":
        child(*argv[1:])
        return
    runs = 1
    if "--runs" in argv:
        i = argv.index("--runs")
        runs = int(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    n = int(argv[0]) if argv else 100_000
    from tests.perf.exchange_native import native_document

    folder = Path(tempfile.mkdtemp(prefix="sijill-changelog-"))
    try:
        doc = folder / "doc.json"
        doc.write_text(json.dumps(native_document(n)), encoding="utf-8")
        print(f"change log cost at {n:,} events ({runs} run(s) each, CPU seconds, best of the runs)")
        results = {}
        for record in ("off", "on"):
            best = None
            for r in range(runs):
                target = folder / f"import-{record}-{r}.sijill"
                got = step("import", str(target), str(doc), record)
                best = got if best is None or got["cpu"] < best["cpu"] else best
            results[("import", record)] = best
        base = folder / f"import-on-0.sijill"
        for record in ("off", "on"):
            best = None
            for r in range(runs):
                copy = folder / f"drag-{record}-{r}.sijill"
                shutil.copy(base, copy)
                got = step("drag", str(copy), "", record)
                best = got if best is None or got["median_ms"] < best["median_ms"] else best
            results[("drag", record)] = best
        imp_off, imp_on = results[("import", "off")], results[("import", "on")]
        drag_off, drag_on = results[("drag", "off")], results[("drag", "on")]
        print(f"native import, recording off: {imp_off['cpu']:.2f} s")
        print(f"native import, recording on:  {imp_on['cpu']:.2f} s ({imp_on['logged']:,} changes logged)"
              f" -> {imp_on['cpu'] / imp_off['cpu']:.3f}x")
        print(f"drag (one move written), off: {drag_off['median_ms']:.2f} ms median")
        print(f"drag (one move written), on:  {drag_on['median_ms']:.2f} ms median"
              f" -> {drag_on['median_ms'] / drag_off['median_ms']:.3f}x")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
