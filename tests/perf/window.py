"""Main-window benchmark: prints figures, it is not a timed test.

    python -m tests.perf.window [--n 1000 10000 100000] [--dir /tmp/sijill-perf]

For each N (projects made by `tests.perf.generate`, reused if present), in a fresh process:
time from `MainWindow(path)` to its first painted frame (window.grab() of 1600×1000, offscreen:
events table, timeline, panes), sorting the events table by title and back by start, a search
set as the filter until the table and timeline have followed, selecting an event through the hub
until table, timeline and detail pane show it (the first selection builds the timeline's
event→lanes index once; the next one is the steady cost), and peak RSS.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def measure(path: str) -> dict:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from sijill.desktop.shell.main_window import MainWindow
    from sijill.desktop.events.table_model import C_TITLE

    out: dict = {}
    start = time.perf_counter()
    window = MainWindow(path)
    window.resize(1600, 1000)
    window.show()
    app.processEvents()
    window.grab()
    out["open_s"] = time.perf_counter() - start
    out["events"] = window.project.event_count()
    table = window.table
    start = time.perf_counter()
    table.sortByColumn(C_TITLE, Qt.SortOrder.AscendingOrder)
    app.processEvents()
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    app.processEvents()
    out["sort_twice_s"] = time.perf_counter() - start
    hub = window.hub
    start = time.perf_counter()
    hub.set_filter(hub.filter.with_(search="drone"))
    app.processEvents()
    window.grab()
    out["search_s"] = time.perf_counter() - start
    out["matches"] = table.proxy.rowCount()
    hub.set_filter(hub.filter.with_(search=""))
    app.processEvents()
    ids = table.proxy.event_ids()
    target = ids[len(ids) // 2]
    start = time.perf_counter()
    hub.set_selection([target])
    app.processEvents()
    window.grab()
    out["select_s"] = time.perf_counter() - start
    start = time.perf_counter()
    hub.set_selection([ids[len(ids) // 3]])
    app.processEvents()
    window.grab()
    out["select_again_s"] = time.perf_counter() - start
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    window.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--dir", default="/tmp/sijill-perf")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.child)))
        return 0
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    print("| events | open → first frame | sort twice | search 'drone' | select → shown (first / next) "
          "| peak RSS |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in args.n:
        path = folder / f"synthetic-{n}.sijill"
        if not path.exists():
            subprocess.run([sys.executable, "-m", "tests.perf.generate", str(n), str(path)], check=True,
                           stdout=subprocess.DEVNULL)
        done = subprocess.run([sys.executable, "-m", "tests.perf.window", "--child", str(path)],
                              capture_output=True, text=True, check=True)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"| {r['events']:,} | {r['open_s']:.2f} s | {r['sort_twice_s']:.2f} s | "
              f"{r['search_s']:.2f} s ({r['matches']:,} matches) | {r['select_s'] * 1000:.0f} / {r['select_again_s'] * 1000:.0f} ms | "
              f"{r['rss_mb']:.0f} MB |")
    print("\nOffscreen, 1600×1000, each N in its own process; a step ends when the window has been "
          "painted again (window.grab()).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
