"""Benchmark of the exchange formats at ACLED scale: prints figures, asserts nothing.

    python -m tests.perf.exchange [--sizes 1000,10000,100000] [--runs 1]

For each size, a synthetic ACLED export (tests.perf.acled_file: 31 columns, mixed precisions,
semicolon lists) is imported into a new project, then imported again unchanged; the project is
then exported to CSV, native JSON and a Markdown report, and the native file imported into another
new project. Beside them, in the same run, the yardstick: `sqlite-utils insert --csv
--no-detect-types` of the same file (which reads no date, matches no actor and links no evidence).
Every step runs in a fresh child process, so that its peak RSS is its own; CPU is user + system
seconds of that process. The ratios are what to compare across machines.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _child(task: str, args: list[str]) -> dict:
    """Run one step in this process and return its figures."""
    from sijill.db.store.project import Project

    t0, c0 = time.perf_counter(), time.process_time()
    out: dict = {}
    if task == "acled":
        from sijill.db.formats.acled import AcledReader
        from sijill.db.formats.apply import run_import, stored_digests

        project = Project.open(args[0]) if Path(args[0]).exists() else Project.create(args[0])
        result = run_import(project, AcledReader(args[1], stored=stored_digests(project, "acled")))
        out = {"added": result.added, "unchanged": result.unchanged}
        project.close()
    elif task == "csv":
        from sijill.db.formats.csv_export import export_csv

        with Project.open(args[0], read_only=True) as project:
            out = export_csv(project, args[1]).counts
    elif task == "native-export":
        from sijill.db.formats.native import export_native

        with Project.open(args[0], read_only=True) as project:
            out = {"events": len(export_native(project, args[1])["events"])}
    elif task == "native-import":
        from sijill.db.formats.native import import_native

        with Project.create(args[0]) as project:
            report = import_native(project, args[1])
            out = {"added": report.added.get("events", 0)}
    elif task == "report":
        from sijill.db.formats.report import write_report

        with Project.open(args[0], read_only=True) as project:
            write_report(project, args[1])
            out = {}
    cpu = time.process_time() - c0
    wall = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"cpu": cpu, "wall": wall, "rss_mb": rss, **out}


def step(task: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "tests.perf.exchange", "--child", task, *map(str, args)],
                          capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def yardstick(csv_path: Path, folder: Path) -> dict:
    target = folder / "yardstick.db"
    target.unlink(missing_ok=True)
    tool = shutil.which("sqlite-utils", path=str(Path(sys.executable).parent)) or shutil.which("sqlite-utils")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([tool, "insert", str(target), "acled", str(csv_path), "--csv", "--no-detect-types"],
                   check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "wall": time.perf_counter() - t0, "rss_mb": after.ru_maxrss / 1024}


def measure(n: int, folder: Path) -> dict:
    from tests.perf.acled_file import write_acled

    csv_path = write_acled(folder / f"acled-{n}.csv", n)
    project = folder / f"p-{n}.sijill"
    figures = {"rows": n, "file_mb": csv_path.stat().st_size / 1e6}
    figures["yardstick"] = yardstick(csv_path, folder)
    figures["import"] = step("acled", project, csv_path)
    figures["reimport"] = step("acled", project, csv_path)
    figures["csv_export"] = step("csv", project, folder / f"out-{n}.csv")
    figures["native_export"] = step("native-export", project, folder / f"out-{n}.json")
    figures["native_import"] = step("native-import", folder / f"n-{n}.sijill", folder / f"out-{n}.json")
    figures["report_export"] = step("report", project, folder / f"report-{n}.md")
    return figures


def _fmt(step_figures: dict) -> str:
    if "error" in step_figures:
        return f"error: {step_figures['error']}"
    return f"{step_figures['cpu']:6.2f} s CPU {step_figures['wall']:6.2f} s wall {step_figures['rss_mb']:6.0f} MB"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child[0], args.child[1:])))
        return
    with tempfile.TemporaryDirectory(prefix="sijill-exchange-") as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            folder = Path(tmp) / str(n)
            folder.mkdir()
            f = measure(n, folder)
            print(f"\n{n} ACLED rows ({f['file_mb']:.1f} MB)")
            for name in ("yardstick", "import", "reimport", "csv_export", "native_export", "native_import",
                         "report_export"):
                print(f"  {name:14} {_fmt(f[name])}")
            imp, yard, re_ = f["import"], f["yardstick"], f["reimport"]
            if "error" not in imp:
                print(f"  ratios: import / sqlite-utils CPU {imp['cpu'] / yard['cpu']:.2f}x (target <= 1.5); "
                      f"re-import / import CPU {re_['cpu'] / imp['cpu']:.2f} (target <= 0.5)")
            print("  json: " + json.dumps(f))
            sys.stdout.flush()
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    main()
