"""Starting the desktop app, and rendering it offscreen to a PNG (for docs and tests)."""
from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from sijill.db.store.basics import ProjectError
from sijill.db.store.project import Project
from sijill.desktop.shell.app_icon import app_icon
from sijill.desktop.paths import APP_NAME, default_project_path, identify_application
from sijill.desktop import settings as opt
from sijill.desktop.settings import Settings

if TYPE_CHECKING:
    from sijill.desktop.timeline.export_image import ImageExport

def application() -> QApplication:
    """The running QApplication, created (and named) when there is none yet."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    identify_application()
    QApplication.setApplicationDisplayName(APP_NAME)
    QApplication.setDesktopFileName("sijill")  # resources/sijill.desktop: the desktop's icon and name
    if app.windowIcon().isNull():
        app.setWindowIcon(app_icon())
    return app


def ensure_default_project(path: Path | None = None) -> Path:
    """The default project, created from the demo the first time (an empty project when the
    demo or its importer is missing)."""
    path = path or default_project_path()
    if path.exists():
        return path
    project = Project.create(path, title="Sijill demo")
    try:
        from sijill.db.formats.native import import_native
        from sijill.db.resources import demo_path

        demo = demo_path()
        if demo.exists():
            import_native(project, demo)
    finally:
        project.close()
    return path


def run_gui(project_path: Path | None) -> int:
    """Open `project_path` (or the default project) in a main window and run the event loop."""
    from sijill.desktop.shell.system_libraries import display_problem

    problem = display_problem()   # said plainly, instead of Qt's abort when its display plugin cannot load
    if problem:
        print(problem, file=sys.stderr)
        return 1
    app = application()
    path = Path(project_path) if project_path else ensure_default_project()
    try:
        window = _open_window(path)
    except ProjectError as exc:
        QMessageBox.critical(None, APP_NAME, f"Cannot open the project:\n{exc}")
        return 1
    if window is None:
        return 1
    from sijill.desktop.shell.data_safety import daily_backup

    daily_backup(window.project, window.settings)
    window.show()
    return app.exec()


def _open_window(path: Path):
    """The main window on `path`; a damaged file shows what is wrong and offers the repair, whose
    new file opens instead (None when the analyst closes the dialog)."""
    from sijill.db.store.check import DamagedProjectError
    from sijill.desktop.shell.data_safety import offer_repair
    from sijill.desktop.shell.main_window import MainWindow

    try:
        return MainWindow(path, Settings())
    except DamagedProjectError as exc:
        repaired = offer_repair(None, exc.report)
        return MainWindow(repaired, Settings()) if repaired is not None else None


def _seconds(value: datetime | int | float | None) -> float | None:
    return value.timestamp() if isinstance(value, datetime) else value


def render_screenshot(project_path: Path, out_png: Path, size: tuple[int, int] = (1600, 1000),
                      lo: datetime | int | None = None, hi: datetime | int | None = None,
                      reader: bool = False, source_id: int | None = None, theme: str = "light") -> None:
    """Render the main window offscreen to `out_png`.

    By default the event with the most evidence is selected, the reader folded away so that the
    timeline has the width. With `reader=True` the reader shows the most annotated
    source published in [lo, hi] (or `source_id`), its first passage selected and the event it
    supports selected. `lo`/`hi` (datetimes or seconds) set the timeline's visible window. `theme`
    is "light", "dark" or "system". Settings are kept in a throw-away ini file, never the user's."""
    from sijill.desktop.shell.main_window import MainWindow

    app = application()
    scratch = Path(out_png).with_suffix(".settings.ini")
    settings = Settings(QSettings(str(scratch), QSettings.Format.IniFormat))
    settings.set(opt.THEME, theme)
    project = Project.open(project_path)
    try:
        window = MainWindow(project, settings)
    except BaseException:
        project.close()
        raise
    try:
        window.resize(*size)
        window.show()
        QCoreApplication.processEvents()
        if lo is not None or hi is not None:
            t0, t1 = window.timeline.window()
            window.timeline.set_window(_seconds(lo) if lo is not None else t0, _seconds(hi) if hi is not None else t1)
        if reader:
            _show_annotated_source(window, source_id, _seconds(lo), _seconds(hi))
        else:
            event_id = interesting_event(window.project)
            if event_id is not None:
                window.hub.set_selection([event_id])
            # The window as an analyst meets it: the timeline at full width over the table, the
            # reader folded away (F9); `reader=True` shows it.
            window.action_set.view_sources.setChecked(False)
        for _ in range(3):
            QCoreApplication.processEvents()
        Path(out_png).parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(out_png)):
            raise OSError(f"cannot write {out_png}")
    finally:
        window.close()
        scratch.unlink(missing_ok=True)
    del app


def render_timeline(project_path: Path, out_path: Path, size: tuple[int, int] = (1600, 900),
                    lo: datetime | int | None = None, hi: datetime | int | None = None,
                    title: str | None = None) -> ImageExport:
    """The timeline alone (title, axis, lanes, legend) of [lo, hi] (the whole project when None),
    as PNG, SVG or PDF by the suffix: what `sijill screenshot --from --to` writes. Returns the
    `ImageExport`, whose `note` says when the image had to be taller than `size`."""
    from sijill.desktop.timeline.export_image import render_timeline_image

    app = application()  # noqa: F841 - fonts and pixmaps need a GUI application
    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    project = Project.open(project_path)  # read-write: an older file is upgraded first
    try:
        return render_timeline_image(project, out_path, lo=_seconds(lo), hi=_seconds(hi), size=size, title=title)
    finally:
        project.close()


def render_map(project_path: Path, out_path: Path, size: tuple[int, int] = (1600, 1000),
               lo: datetime | int | None = None, hi: datetime | int | None = None) -> Path:
    """The map alone of the events in [lo, hi] (every date when None), fitted to them, as PNG, SVG
    or PDF by the suffix: what `sijill screenshot --map` writes."""
    from sijill.desktop.map.export import render_map_image

    app = application()  # noqa: F841 - fonts need a GUI application
    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    project = Project.open(project_path)
    try:
        return render_map_image(project, out_path, lo=_seconds(lo), hi=_seconds(hi), size=size)
    finally:
        project.close()


def render_counts(project_path: Path, out_path: Path, size: tuple[int, int] = (1400, 450),
                  lo: datetime | int | None = None, hi: datetime | int | None = None,
                  unit: str = "auto") -> str:
    """The counts chart alone of [lo, hi] (the whole project when None), stacked by group in the
    lanes' colours, as PNG, SVG or CSV by the suffix: what `sijill screenshot --counts` writes.
    `unit` "auto" bins as the chart does for a plot that wide (day, week or month); returns the unit."""
    from PySide6.QtGui import QUndoStack

    from sijill.db.timeline.bins import auto_unit
    from sijill.db.timeline.window import project_limits
    from sijill.desktop.hub import ProjectHub
    from sijill.desktop.timeline.counts_chart import CountsChart
    from sijill.desktop.timeline.counts_render import MARGIN_L, MARGIN_R, export_chart
    from sijill.desktop.timeline.view import TimelineView

    app = application()  # noqa: F841 - the chart is a widget
    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    project = Project.open(project_path)
    try:
        view = TimelineView(ProjectHub(project), QUndoStack())
        chart = CountsChart(view)
        limits = project_limits(view.data.bounds())
        view.set_window(limits[0] if lo is None else _seconds(lo), limits[1] if hi is None else _seconds(hi))
        t0, t1 = view.canvas.t0, view.canvas.t1
        chart.set_unit(auto_unit(t0, t1, size[0] - MARGIN_L - MARGIN_R) if unit == "auto" else unit)
        export_chart(chart.chart(), out_path, size, title=project.title)
        return chart.unit
    finally:
        project.close()


def annotated_source(project: Project, lo: float | None = None, hi: float | None = None) -> int | None:
    """The source with the most annotations (then links to events), among those published in
    [lo, hi] when any is; for screenshots."""
    counts: dict[int, int] = {}
    for a in project.annotations():
        if not a.orphaned:
            counts[a.source_id] = counts.get(a.source_id, 0) + 1
    if not counts:
        return None
    sources = {s.id: s for s in project.sources()}

    def inside(sid: int) -> bool:
        published = sources[sid].published
        return (published is not None and (lo is None or published.hi_ts >= lo)
                and (hi is None or published.lo_ts <= hi))

    candidates = [sid for sid in counts if inside(sid)] or list(counts)
    return max(candidates, key=lambda sid: (counts[sid], len(sources[sid].body), -sid))


def _show_annotated_source(window, source_id: int | None, lo: float | None, hi: float | None) -> None:
    project = window.project
    source_id = source_id if source_id is not None else annotated_source(project, lo, hi)
    if source_id is None:
        return
    annotations = [a for a in project.annotations(source_id) if not a.orphaned]
    linked = [(a, ev) for a in annotations for ev in project.evidence_for_annotation(a.id)]
    if linked:
        window.hub.set_selection([linked[0][1].event_id])
    window.open_passage(source_id, linked[0][0].id if linked else (annotations[0].id if annotations else None))


def interesting_event(project: Project) -> int | None:
    """The event with the most evidence (then the most groups), for screenshots."""
    summary = project.evidence_summary()
    data = project.event_table_rows()
    if not data.rows:
        return None
    return max(data.rows, key=lambda r: (summary.get(r[0], (0, 0))[0], len(data.links.get(r[0], ())), r[3]))[0]
