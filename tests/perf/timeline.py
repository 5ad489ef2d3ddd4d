"""Timeline benchmark: prints figures, it is not a timed test.

    python -m tests.perf.timeline [--n 1000 10000 100000] [--runs 3] [--dir /tmp/sijill-perf] [--earlier]

`--runs` times, each N in turn, each in a fresh process (so that peak RSS is per N): generate the
synthetic project if missing, open it and time the first frame of a 1600×900 TimelineView (offscreen), then frame times
while zooming and panning at full range, 1 year, 1 month and 1 day windows (median and p95 over
60 frames each; a frame is `view.grab()`: header, canvas and overview, painted for real into a
pixmap), hit-test time, drag-to-repaint time of one event, full-range frames with a filter active, and
peak RSS. With `--earlier`, each project holds the events of the smallest N's project plus the
rest 30 years earlier (`tests.perf.generate --earlier`): every zoomed window then shows the same
events whatever N, so a frame's ratio to the smallest N's is what the project's size alone costs
(without it, a bigger N also draws more in each window). The table gives, per
figure, the median over the runs, and below it the range of each frame median over the runs
(this host's speed drifts by tens of percent from one minute to the next).

The counts chart is docked under the view as the main window docks it (desktop/shell/panes.py: both
in one widget's vertical layout, no margins, the chart at the height the window gives it, 150 px),
and shown. It follows the window by `update()` on the canvas's `window_changed`: it re-bins when it
is painted next, in the event loop. So each frame also grabs the chart after the view
(`chart.grab()`: its re-binning and its repaint, what the event loop would do), timed apart: the
timeline frame is the view's grab alone, as before; "with the counts chart" is both; "chart adds"
is the chart's part of the same frames.
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

FRAMES = 60
CHART_H = 150        # the counts chart's height in the main window (its size hint)
WINDOWS = (("full", None), ("1 y", 365.25 * 86400), ("1 m", 30.44 * 86400), ("1 d", 86400.0))


def _pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def _frames(view, chart, rng, n: int) -> dict[str, tuple[float, float]]:
    """(median, p95) ms of `n` frames, each after a 3 % zoom about a random x or a 5-40 px pan:
    "timeline" (the view's grab), "chart" (the chart's grab after it: re-binning and repaint)
    and "with" (both, frame by frame)."""
    canvas = view.canvas
    times: dict[str, list[float]] = {"timeline": [], "chart": [], "with": []}
    for i in range(n):
        if i % 2:
            canvas.zoom(1.03 if (i // 2) % 2 else 1 / 1.03, float(rng.uniform(100, canvas.width() - 100)))
        else:
            canvas.pan_pixels(float(rng.choice([-1, 1]) * rng.uniform(5, 40)))
        t = time.perf_counter()
        view.grab()
        t_view = time.perf_counter()
        chart.grab()
        t_chart = time.perf_counter()
        times["timeline"].append((t_view - t) * 1000)
        times["chart"].append((t_chart - t_view) * 1000)
        times["with"].append((t_chart - t) * 1000)
    return {k: (_pct(v, 0.5), _pct(v, 0.95)) for k, v in times.items()}


def _drawn(frame) -> list[int]:
    """What a frame draws: [events drawn one by one, titles, "+N more" markers, pixel columns of
    density strips] (the pictures a 1k and a 100k project draw in the same window differ)."""
    import numpy as np
    return [int(sum(len(dl.ids) for dl in frame.lanes)),
            0 if frame.label_ids is None else int(len(frame.label_ids)),
            int(sum(len(dl.more) for dl in frame.lanes)),
            int(sum(int(np.count_nonzero(dl.density)) for dl in frame.lanes if dl.density is not None))]


def measure(path: str) -> dict:
    import numpy as np
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QMouseEvent, QUndoStack
    from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

    app = QApplication.instance() or QApplication([])
    from sijill.db.store.project import Project
    from sijill.desktop.hub import ProjectHub
    from sijill.desktop.timeline.counts_chart import CountsChart
    from sijill.desktop.timeline.view import TimelineView

    out: dict = {}
    start = time.perf_counter()
    project = Project.open(path)
    hub = ProjectHub(project)
    slot = QWidget()                             # as desktop/shell/panes.py docks the chart
    slot_layout = QVBoxLayout(slot)
    slot_layout.setContentsMargins(0, 0, 0, 0)
    view = TimelineView(hub, QUndoStack())
    slot_layout.addWidget(view)
    chart = CountsChart(view, slot)
    slot_layout.addWidget(chart)
    slot.resize(1600, 900 + slot_layout.spacing() + CHART_H)
    slot.show()
    app.processEvents()                          # the layout gives each its height
    view.fit_all()
    view.grab()
    out["open_s"] = time.perf_counter() - start
    out["events"] = project.event_count()
    out["sizes"] = [view.width(), view.height(), chart.width(), chart.height()]
    chart.grab()                                 # the chart's stacks, built once (as when it is shown)
    canvas = view.canvas
    rng = np.random.default_rng(0)
    busy = (1697000000 + 1707000000) / 2        # Oct 2023 – Feb 2024, where the data is busy too
    for name, span in WINDOWS:
        if span is None:
            view.fit_all()
        else:
            view.set_window(busy - span / 2, busy + span / 2)
        frames = _frames(view, chart, rng, FRAMES)
        out[f"frame_{name}"] = frames["timeline"]
        out[f"with_{name}"] = frames["with"]
        out[f"chart_{name}"] = frames["chart"]
        out[f"unit_{name}"] = chart.current_unit()
        out[f"drawn_{name}"] = _drawn(canvas.ensure_frame())
    # hit-testing on the 1-month window
    view.set_window(busy - 15 * 86400, busy + 15 * 86400)
    frame = canvas.ensure_frame()
    xs = rng.uniform(0, canvas.width(), 2000)
    ys = rng.uniform(45, canvas.height(), 2000)
    t = time.perf_counter()
    for x, y in zip(xs, ys):
        frame.hit(float(x), float(y))
    out["hit_us"] = (time.perf_counter() - t) / len(xs) * 1e6
    # drag one event: press on a drawn item, then each move repaints with the preview
    dl = next(d for d in frame.lanes if len(d.ids))
    x0 = float((dl.x0[0] + dl.x1[0]) / 2)
    y0 = float(dl.y0[0] + 6)
    press = QMouseEvent(QMouseEvent.Type.MouseButtonPress, QPointF(x0, y0), QPointF(x0, y0),
                        Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    canvas.mousePressEvent(press)
    drags = []
    for k in range(1, 31):
        pos = QPointF(x0 + 3 * k, y0)
        ev = QMouseEvent(QMouseEvent.Type.MouseMove, pos, pos, Qt.MouseButton.NoButton,
                         Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
        t = time.perf_counter()
        canvas.mouseMoveEvent(ev)
        canvas.grab()
        drags.append((time.perf_counter() - t) * 1000)
    canvas.interaction.drag = None
    canvas.preview = None
    out["drag_ms"] = _pct(drags, 0.5)
    # with a filter active: a 3-year date range, then an event type about two thirds of the
    # synthetic events have ("Battles"); `*_set` is setting the filter until the view is drawn
    # again (the query, then the filtered lanes), the frames are at full range afterwards
    from dataclasses import replace
    for name, f in (("filter_range", replace(hub.filter, lo=int(busy - 3 * 365.25 * 86400), hi=int(busy))),
                    ("filter_type", replace(hub.filter, event_types=frozenset({"Battles"})))):
        view.fit_all()
        t = time.perf_counter()
        hub.set_filter(f)
        view.grab()
        t_view = time.perf_counter()
        chart.grab()
        out[name + "_set"] = (t_view - t) * 1000
        out[name + "_set_chart"] = (time.perf_counter() - t_view) * 1000
        out[name] = _frames(view, chart, rng, FRAMES // 2)["timeline"]
        hub.set_filter(replace(f, lo=None, hi=None, event_types=frozenset()))
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    project.close()
    return out


def run_one(n: int, folder: Path, base: int | None = None) -> dict:
    """Measure N in a fresh process; with `base`, the project of `base` events plus N − base earlier."""
    folder.mkdir(parents=True, exist_ok=True)
    extra = n - base if base is not None else 0
    path = folder / (f"synthetic-{base}+{extra}.sijill" if extra else f"synthetic-{n}.sijill")
    if not path.exists():
        subprocess.run([sys.executable, "-m", "tests.perf.generate", str(n - extra), str(path),
                        "--earlier", str(extra)], check=True)
    res = subprocess.run([sys.executable, "-m", "tests.perf.timeline", "--measure", str(path)],
                         check=True, capture_output=True, text=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


FRAME_KEYS = ("frame_full", "frame_1 y", "frame_1 m", "frame_1 d")
WITH_KEYS = ("with_full", "with_1 y", "with_1 m", "with_1 d")
CHART_KEYS = ("chart_full", "chart_1 y", "chart_1 m", "chart_1 d")
ZOOMS = ("full", "1 y", "1 m", "1 d")
FILTER_KEYS = ("filter_range", "filter_type")


def combine(runs: list[dict]) -> dict:
    """Per figure, the median over the runs (frame figures: median of the medians and of the p95s)."""
    import statistics
    out = dict(runs[0])
    for k in ("open_s", "hit_us", "drag_ms", "rss_mb"):
        out[k] = statistics.median(r[k] for r in runs)
    for k in (*FRAME_KEYS, *WITH_KEYS, *CHART_KEYS):
        out[k] = (statistics.median(r[k][0] for r in runs), statistics.median(r[k][1] for r in runs))
        out[k + "_range"] = (min(r[k][0] for r in runs), max(r[k][0] for r in runs))
    for k in FILTER_KEYS:
        out[k] = (statistics.median(r[k][0] for r in runs), statistics.median(r[k][1] for r in runs))
        out[k + "_set"] = statistics.median(r[k + "_set"] for r in runs)
        out[k + "_set_chart"] = statistics.median(r[k + "_set_chart"] for r in runs)
    out["runs"] = len(runs)
    return out


def chart_table(results: list[dict]) -> str:
    """The same frames with the counts chart docked: the whole frame, and the chart's part of it."""
    units = ", ".join(f"{name} per {results[0]['unit_' + name]}" for name in ZOOMS)
    head = ("| events | with the counts chart: full range | 1 year | 1 month | 1 day "
            "| chart adds: full range | 1 year | 1 month | 1 day |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    rows = [f"| {r['events']:,} | " + " | ".join(f"{r[k][0]:.1f} / {r[k][1]:.1f}" for k in WITH_KEYS) + " | "
            + " | ".join(f"{r[k][0]:.2f} / {r[k][1]:.2f}" for k in CHART_KEYS) + " |" for r in results]
    out = (head + "\n" + "\n".join(rows) + "\n"
           f"(the same frames as above, median / p95 in ms; the chart, {results[0]['sizes'][2]}×"
           f"{results[0]['sizes'][3]} under the view, bins {units}; \"chart adds\" is its `chart.grab()` after "
           "the view's in each frame: re-binning the window and repainting.)")
    if any(r.get("runs", 1) > 1 for r in results):
        out += ("\n\nChart part medians over the runs (min–max): " + "; ".join(
            f"{r['events']:,}: " + ", ".join(f"{name} {r[k + '_range'][0]:.2f}–{r[k + '_range'][1]:.2f}"
                                             for name, k in zip(ZOOMS, CHART_KEYS)) for r in results) + ".")
    base = results[0]
    if len(results) > 1:
        out += ("\n\nWith the counts chart, frame median / the same at " + f"{base['events']:,}: " + "; ".join(
            f"{r['events']:,}: " + ", ".join(f"{name} {r[k][0] / base[k][0]:.2f}×"
                                             for name, k in zip(ZOOMS, WITH_KEYS)) for r in results[1:]) + ".")
    return out


def table(results: list[dict]) -> str:
    head = ("| events | open→first frame | full range | 1 year | 1 month | 1 day | hit-test | drag→repaint | peak RSS |\n"
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    rows = []
    for r in results:
        f = lambda k: f"{r[k][0]:.1f} / {r[k][1]:.1f}"  # noqa: E731
        rows.append(f"| {r['events']:,} | {r['open_s']:.2f} s | {f('frame_full')} | {f('frame_1 y')} | "
                    f"{f('frame_1 m')} | {f('frame_1 d')} | {r['hit_us']:.0f} µs | {r['drag_ms']:.1f} ms | "
                    f"{r['rss_mb']:.0f} MB |")
    ranges = [f"{r['events']:,}: " + ", ".join(
        f"{name} {r[k + '_range'][0]:.1f}–{r[k + '_range'][1]:.1f}"
        for name, k in zip(("full", "1 y", "1 m", "1 d"), FRAME_KEYS)) for r in results if r.get("runs", 1) > 1]
    spread = ("\n\nFrame medians over the runs (min–max): " + "; ".join(ranges) + ".") if ranges else ""
    base = results[0]
    if len(results) > 1:                 # what a bigger project costs per frame, beside the absolute figures
        spread += ("\n\nFrame median / the same at " + f"{base['events']:,}: " + "; ".join(
            f"{r['events']:,}: " + ", ".join(f"{name} {r[k][0] / base[k][0]:.2f}×"
                                             for name, k in zip(("full", "1 y", "1 m", "1 d"), FRAME_KEYS))
            for r in results[1:]) + ".")
    spread += ("\n\nWhat each window draws at its last frame (events drawn one by one / titles / \"+N more\" / "
               "columns of density strips): " + "; ".join(
                   f"{r['events']:,}: " + ", ".join(f"{name} " + "/".join(str(v) for v in r[f"drawn_{name}"])
                                                    for name in ZOOMS) for r in results) + ".")
    spread += "\n\n" + chart_table(results)
    spread += ("\n\nWith a filter active (setting it until drawn, in ms; then full-range frames, median / p95 ms "
               "over 30 frames): " + "; ".join(
                   f"{r['events']:,}: 3-year date range {r['filter_range_set']:.0f}, "
                   f"{r['filter_range'][0]:.1f} / {r['filter_range'][1]:.1f}; event type 'Battles' (2/3 of events) "
                   f"{r['filter_type_set']:.0f}, {r['filter_type'][0]:.1f} / {r['filter_type'][1]:.1f}"
                   for r in results) + "; the counts chart's part of setting them (its stacks rebuilt, "
               "binned, drawn): " + "; ".join(f"{r['events']:,}: {r['filter_range_set_chart']:.1f} and "
                                             f"{r['filter_type_set_chart']:.1f} ms" for r in results) + ".")
    return (head + "\n" + "\n".join(rows) + "\n"
            f"(frames: median / p95 in ms over {FRAMES} frames; one frame = `view.grab()` of the whole "
            "TimelineView, i.e. lane header, canvas and overview painted for real into a 1600×900 pixmap "
            "on the offscreen platform; before each frame the window is zoomed by 3 % about a random x or "
            "panned by 5-40 px, so every frame lays out and draws a new window. open→first frame: "
            "Project.open + TimelineView + first grab. drag→repaint: one mouse move of a dragged event "
            "plus canvas.grab(). hit-test: Frame.hit() per call."
            + (f" Each figure is the median over {results[0]['runs']} runs, each in a fresh process." if ranges else "")
            + ")" + spread)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.perf.timeline")
    ap.add_argument("--n", type=int, nargs="*", default=[1000, 10000, 100000])
    ap.add_argument("--runs", type=int, default=3, help="fresh processes per N (figures: median over runs)")
    ap.add_argument("--dir", default="/tmp/sijill-perf")
    ap.add_argument("--earlier", action="store_true",
                    help="the smallest N's events in every project, the rest 30 years earlier")
    ap.add_argument("--measure", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return 0
    base = min(args.n) if args.earlier else None
    runs: dict[int, list[dict]] = {n: [] for n in args.n}
    for k in range(max(1, args.runs)):       # the sizes in turn, run after run: the host's drift hits them alike
        for n in args.n:
            runs[n].append(run_one(n, Path(args.dir), base))
            print(f"N={n:,}: run {k + 1} done", file=sys.stderr, flush=True)
    print(table([combine(runs[n]) for n in args.n]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
