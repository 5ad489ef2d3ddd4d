"""Counts chart benchmark: prints figures, it is not a timed test.

    python -m tests.perf.counts [--n 1000 100000] [--dir /tmp/sijill-perf] [--frames 60]

For each N (the synthetic project of `tests.perf.generate`, made if missing, shared with
`tests.perf.timeline`): a 1600×900 TimelineView with the CountsChart under it (offscreen). At full
range, one year, one month and one day (bins chosen from the zoom: month, week, day, day), over
`--frames` zooms of 3 % or pans of 5–40 px: the re-binning time (`CountsChart.chart()` after the
window moved: the window's bins cut from the counts of a stretch three windows wide, counted again,
by bisections of the bin edges in each stack's sorted likely points, when the window leaves it) and the chart's
whole paint (`chart.grab()`), median and p95 in ms, stacked by group; then the time to rebuild
the stacks when a filter changes (a three-year date range). The last line gives the 100k / 1k
ratio of the re-binning medians per window.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WINDOWS = (("full", None), ("1 y", 365.25 * 86400), ("1 m", 30.44 * 86400), ("1 d", 86400.0))


def _pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def measure(path: Path, frames: int) -> dict:
    import numpy as np
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

    app = QApplication.instance() or QApplication([])
    from sijill.db.store.project import Project
    from sijill.desktop.hub import ProjectHub
    from sijill.desktop.timeline.counts_chart import CountsChart
    from sijill.desktop.timeline.view import TimelineView

    project = Project.open(path, read_only=True)
    hub = ProjectHub(project)
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    view = TimelineView(hub, QUndoStack())
    chart = CountsChart(view)
    layout.addWidget(view, 4)
    layout.addWidget(chart, 1)
    box.resize(1600, 900)
    box.show()
    app.processEvents()
    canvas = view.canvas
    rng = np.random.default_rng(1)
    out = {"events": project.event_count()}
    chart.grab()                                   # stacks built once
    lo, hi = canvas.limits
    for name, span in WINDOWS:
        mid = lo + (hi - lo) * 0.62
        view.set_window(lo, hi) if span is None else view.set_window(mid - span / 2, mid + span / 2)
        rebin, paint = [], []
        for i in range(frames):
            if i % 2:
                canvas.zoom(1.03 if (i // 2) % 2 else 1 / 1.03, float(rng.uniform(100, canvas.width() - 100)))
            else:
                canvas.pan_pixels(float(rng.choice([-1, 1]) * rng.uniform(5, 40)))
            t = time.perf_counter()
            chart.chart()
            rebin.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            chart.grab()
            paint.append((time.perf_counter() - t) * 1000)
        out[name] = {"unit": chart.current_unit(), "rebin": (_pct(rebin, 0.5), _pct(rebin, 0.95)),
                     "paint": (_pct(paint, 0.5), _pct(paint, 0.95))}
    t = time.perf_counter()
    hub.set_filter(hub.filter.with_(lo=int(lo + (hi - lo) * 0.3), hi=int(lo + (hi - lo) * 0.6)))
    t_filter = time.perf_counter()
    chart.chart()
    out["filter_stacks_ms"] = (time.perf_counter() - t_filter) * 1000
    out["filter_total_ms"] = (time.perf_counter() - t) * 1000
    project.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.perf.counts")
    ap.add_argument("--n", type=int, nargs="*", default=[1000, 100000])
    ap.add_argument("--dir", default="/tmp/sijill-perf")
    ap.add_argument("--frames", type=int, default=60)
    ap.add_argument("--measure", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.measure:
        import json
        print(json.dumps(measure(Path(args.measure), args.frames)))
        return 0
    import json
    results = []
    for n in args.n:
        path = Path(args.dir) / f"synthetic-{n}.sijill"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            subprocess.run([sys.executable, "-m", "tests.perf.generate", str(n), str(path)], check=True)
        res = subprocess.run([sys.executable, "-m", "tests.perf.counts", "--measure", str(path), "--frames",
                              str(args.frames)], check=True, capture_output=True, text=True)
        results.append(json.loads(res.stdout.strip().splitlines()[-1]))
    print("| events | window (bins) | re-bin median / p95 ms | chart paint median / p95 ms |")
    print("|---:|---|---:|---:|")
    for r in results:
        for name, _span in WINDOWS:
            w = r[name]
            print(f"| {r['events']:,} | {name} ({w['unit']}) | {w['rebin'][0]:.2f} / {w['rebin'][1]:.2f} | "
                  f"{w['paint'][0]:.2f} / {w['paint'][1]:.2f} |")
    print("\nA filter change (3-year date range): stacks rebuilt and binned in "
          + "; ".join(f"{r['events']:,}: {r['filter_stacks_ms']:.1f} ms" for r in results))
    if len(results) >= 2:
        a, b = results[0], results[-1]
        print(f"Re-bin ratio {b['events']:,} / {a['events']:,}: " + ", ".join(
            f"{name} {b[name]['rebin'][0] / max(a[name]['rebin'][0], 1e-6):.2f}×" for name, _s in WINDOWS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
