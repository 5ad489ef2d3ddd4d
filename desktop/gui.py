"""Starting the desktop app, and rendering it offscreen to a PNG (for docs and tests)."""
from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from db.common import ProjectError
from db.project import Project
from desktop.paths import APP_NAME, default_project_path, identify_application
from desktop.settings import Settings

STYLE = Path(__file__).resolve().parent.parent / "resources" / "style.qss"


def application() -> QApplication:
    """The running QApplication, created (and named) when there is none yet."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    identify_application()
    QApplication.setApplicationDisplayName(APP_NAME)
    if STYLE.exists() and not app.property("sijill_styled"):
        app.setStyleSheet(app.styleSheet() + STYLE.read_text(encoding="utf-8"))
        app.setProperty("sijill_styled", True)
    return app


def ensure_default_project(path: Path | None = None) -> Path:
    """The default project, created from the demo the first time (an empty project when the
    demo or its importer is missing)."""
    path = path or default_project_path()
    if path.exists():
        return path
    project = Project.create(path, title="Sijill demo")
    try:
        from db.formats.native import import_native
        from db.resources import demo_path

        demo = demo_path()
        if demo.exists():
            import_native(project, demo)
    finally:
        project.close()
    return path


def run_gui(project_path: Path | None) -> int:
    """Open `project_path` (or the default project) in a main window and run the event loop."""
    from desktop.main_window import MainWindow

    app = application()
    path = Path(project_path) if project_path else ensure_default_project()
    try:
        window = MainWindow(path, Settings())
    except ProjectError as exc:
        QMessageBox.critical(None, APP_NAME, f"Cannot open the project:\n{exc}")
        return 1
    window.show()
    return app.exec()


def render_screenshot(project_path: Path, out_png: Path, size: tuple[int, int] = (1600, 1000),
                      lo: datetime | int | None = None, hi: datetime | int | None = None) -> None:
    """Render the main window offscreen to `out_png`, with an interesting event selected.

    `lo`/`hi` (datetimes or seconds) set the timeline's visible window when it offers
    `set_window(lo, hi)`. Settings are kept in a throw-away ini file, never the user's."""
    from desktop.main_window import MainWindow

    app = application()
    scratch = Path(out_png).with_suffix(".settings.ini")
    settings = Settings(QSettings(str(scratch), QSettings.Format.IniFormat))
    window = MainWindow(Project.open(project_path), settings)
    try:
        window.resize(*size)
        window.show()
        QCoreApplication.processEvents()
        if lo is not None or hi is not None:
            set_window = getattr(window.timeline, "set_window", None)
            if callable(set_window):
                as_ts = lambda v: int(v.timestamp()) if isinstance(v, datetime) else v  # noqa: E731
                set_window(as_ts(lo), as_ts(hi))
        event_id = interesting_event(window.project)
        if event_id is not None:
            window.hub.set_selection([event_id])
        for _ in range(3):
            QCoreApplication.processEvents()
        Path(out_png).parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(out_png)):
            raise OSError(f"cannot write {out_png}")
    finally:
        window.close()
        scratch.unlink(missing_ok=True)
    del app


def interesting_event(project: Project) -> int | None:
    """The event with the most evidence (then the most groups), for screenshots."""
    summary = project.evidence_summary()
    data = project.event_table_rows()
    if not data.rows:
        return None
    return max(data.rows, key=lambda r: (summary.get(r[0], (0, 0))[0], len(data.links.get(r[0], ())), r[3]))[0]
