"""The main window: menus, toolbar, docks and status bar around the timeline and the events table.

Wiring only: what a part does lives in desktop.widgets, desktop.models and desktop.dialogs.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (QApplication, QDockWidget, QFileDialog, QLabel, QMainWindow, QMenu,
                               QMessageBox, QSplitter, QToolBar, QVBoxLayout, QWidget)

from db.common import ProjectError
from db.project import Project
from desktop import settings as opt
from desktop.actions import Actions
from desktop.commands import DeleteEventsCommand, GuardedUndoStack
from desktop.dialogs.event_dialog import open_event_editor
from desktop.dialogs.group_dialog import open_group_editor
from desktop.hub import ProjectHub
from desktop.paths import APP_NAME, PROJECT_FILTER, with_project_suffix
from desktop.settings import Settings
from desktop.widgets.detail_pane import DetailPane
from desktop.widgets.events_table import EventsTable
from desktop.widgets.filter_bar import FilterBar
from desktop.widgets.group_list import GroupList
from desktop.widgets.search_box import SearchBox
from desktop.widgets.undo_history import UndoHistory

JSON_FILTER = "Sijill JSON (*.json);;All files (*)"
TIMELINE_MODULE = "desktop.timeline.view"


class MainWindow(QMainWindow):
    """One open project: its hub, its undo stack, and the views on it.

    `project` is a Project or the path of one (opened here; ProjectError propagates). The
    timeline, when `desktop.timeline.view` exists, is built as `TimelineView(hub, undo_stack)` in
    `timeline_slot`; the zoom actions call its `fit_all`, `zoom_in` and `zoom_out`, and its
    `edit_requested(event_id)` opens this window's event editor."""

    def __init__(self, project: Project | str | Path, settings: Settings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project if isinstance(project, Project) else Project.open(project)
        self.settings = settings if settings is not None else Settings()
        self.successor: MainWindow | None = None
        self.hub = ProjectHub(self.project, self)
        self.undo_stack = GuardedUndoStack(self)
        self.action_set = Actions(self, self.undo_stack)
        self.setObjectName("main_window")
        self._build_central()
        self._build_docks()
        self._build_toolbar()
        self._build_menus()
        self._build_status()
        self._connect()
        self.action_set.set_read_only(self.project.read_only)
        self._restore_state()
        self.settings.add_recent_project(self.project.path)
        self.setWindowTitle(f"{self.project.title} — {APP_NAME}"
                            + (" (read-only)" if self.project.read_only else ""))
        self._update_counts()

    # ---- building -----------------------------------------------------------------------------
    def _build_central(self) -> None:
        self.timeline_slot = QWidget(self)
        self.timeline_slot.setObjectName("timeline_slot")
        slot_layout = QVBoxLayout(self.timeline_slot)
        slot_layout.setContentsMargins(0, 0, 0, 0)
        self.timeline = self._make_timeline()
        slot_layout.addWidget(self.timeline if self.timeline is not None else
                              QLabel("Timeline", alignment=Qt.AlignmentFlag.AlignCenter))
        self.table = EventsTable(self.hub, self)
        self.table.setObjectName("events_table")
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("central_splitter")
        self.splitter.addWidget(self.timeline_slot)
        self.splitter.addWidget(self.table)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.setCentralWidget(self.splitter)

    def _make_timeline(self) -> QWidget | None:
        """The timeline view when its module exists (errors inside it are not hidden)."""
        if importlib.util.find_spec(TIMELINE_MODULE) is None:
            return None
        from desktop.timeline.view import TimelineView

        view = TimelineView(self.hub, self.undo_stack)
        view.editor_factory = None  # the window opens the editor on edit_requested
        return view

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        self.group_list = GroupList(self.hub, self)
        self.detail_pane = DetailPane(self.hub, self)
        self.undo_view = UndoHistory(self.undo_stack, self)
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        self.groups_dock = self._dock("Groups", "groups_dock", self.group_list, left)
        self.details_dock = self._dock("Event", "details_dock", self.detail_pane, right)
        self.undo_dock = self._dock("Undo history", "undo_dock", self.undo_view, right)
        self.undo_dock.hide()
        self.resizeDocks([self.groups_dock, self.details_dock], [310, 380], Qt.Orientation.Horizontal)

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar("Main", self)
        self.toolbar.setObjectName("main_toolbar")
        self.toolbar.setMovable(False)
        a = self.action_set
        for action in (a.edit_new_event, a.edit_delete, None, a.edit_undo, a.edit_redo, None,
                       a.view_fit, a.view_zoom_in, a.view_zoom_out, None):
            self.toolbar.addSeparator() if action is None else self.toolbar.addAction(action)
        self.search_box = SearchBox(self.hub, self)
        self.toolbar.addWidget(self.search_box)
        self.filter_bar = FilterBar(self.hub, self)
        self.toolbar.addWidget(self.filter_bar)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

    def _build_menus(self) -> None:
        a, bar = self.action_set, self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([a.file_new, a.file_open])
        self.recent_menu = QMenu("Open &recent", self)
        self.recent_menu.setObjectName("recent_menu")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([a.file_import, a.file_export, a.file_export_image])
        file_menu.addSeparator()
        file_menu.addAction(a.file_quit)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([a.edit_undo, a.edit_redo])
        edit_menu.addSeparator()
        edit_menu.addActions([a.edit_new_event, a.edit_event, a.edit_delete])
        edit_menu.addSeparator()
        edit_menu.addAction(a.edit_find)
        view_menu = bar.addMenu("&View")
        view_menu.addActions([a.view_fit, a.view_zoom_in, a.view_zoom_out])
        view_menu.addSeparator()
        view_menu.addAction(a.view_undo_history)
        view_menu.addActions([self.groups_dock.toggleViewAction(), self.details_dock.toggleViewAction()])
        bar.addMenu("&Help").addAction(a.help_about)

    def _build_status(self) -> None:
        status = self.statusBar()
        self.file_label = QLabel(self.project.path.name, self)
        self.file_label.setToolTip(str(self.project.path))
        self.count_label = QLabel(self)
        self.read_only_label = QLabel("read-only", self)
        self.read_only_label.setObjectName("read_only_label")
        self.read_only_label.setStyleSheet("color: #b71c1c; font-weight: bold; padding: 0 6px;")
        self.read_only_label.setToolTip("The file cannot be written: edits are disabled")
        self.read_only_label.setVisible(self.project.read_only)
        for label in (self.file_label, self.count_label, self.read_only_label):
            status.addPermanentWidget(label)

    def _connect(self) -> None:
        a = self.action_set
        a.file_new.triggered.connect(self.new_project)
        a.file_open.triggered.connect(self.choose_project)
        a.file_import.triggered.connect(self.import_file)
        a.file_export.triggered.connect(self.export_file)
        a.file_export_image.triggered.connect(self.export_image)
        a.file_quit.triggered.connect(QApplication.closeAllWindows)
        a.edit_new_event.triggered.connect(lambda: self.edit_event(None))
        a.edit_event.triggered.connect(self.edit_current)
        a.edit_delete.triggered.connect(self.delete_selected)
        a.edit_find.triggered.connect(self.focus_search)
        a.view_undo_history.toggled.connect(self.undo_dock.setVisible)
        self.undo_dock.visibilityChanged.connect(a.view_undo_history.setChecked)
        a.help_about.triggered.connect(self.about)
        for name, method in (("view_fit", "fit_all"), ("view_zoom_in", "zoom_in"),
                             ("view_zoom_out", "zoom_out")):
            target = getattr(self.timeline, method, None)
            a[name].setEnabled(callable(target))
            if callable(target):
                a[name].triggered.connect(target)
        self.table.edit_requested.connect(self.edit_event)
        self.table.delete_requested.connect(self.delete_selected)
        self.group_list.edit_group_requested.connect(self.edit_group)
        self.search_box.next_match_requested.connect(self.table.select_next)
        self.undo_stack.command_failed.connect(self._command_failed)
        edit_requested = getattr(self.timeline, "edit_requested", None)
        if edit_requested is not None:
            edit_requested.connect(self.edit_event)
        proxy = self.table.proxy
        for signal in (proxy.rowsInserted, proxy.rowsRemoved, proxy.layoutChanged, proxy.modelReset):
            signal.connect(self._update_counts)

    # ---- state --------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        geometry = self.settings.get(opt.WINDOW_GEOMETRY)
        if geometry.isEmpty():
            self.resize(1500, 950)
        else:
            self.restoreGeometry(geometry)
        for option, restore in ((opt.WINDOW_STATE, self.restoreState),
                                (opt.SPLITTER_STATE, self.splitter.restoreState),
                                (opt.TABLE_HEADER_STATE, self.table.horizontalHeader().restoreState)):
            state = self.settings.get(option)
            if not state.isEmpty():
                restore(state)
        self.undo_dock.setVisible(False)

    def save_state(self) -> None:
        self.settings.set(opt.WINDOW_GEOMETRY, self.saveGeometry())
        self.settings.set(opt.WINDOW_STATE, self.saveState())
        self.settings.set(opt.SPLITTER_STATE, self.splitter.saveState())
        self.settings.set(opt.TABLE_HEADER_STATE, self.table.horizontalHeader().saveState())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        self.save_state()
        self.settings.sync()
        super().closeEvent(event)
        if event.isAccepted():
            self.search_box.cancel_pending()
            self.project.close()

    def _update_counts(self, *_args) -> None:
        total, shown = self.table.source_model.rowCount(), self.table.proxy.rowCount()
        text = f"{total} event{'s' if total != 1 else ''}"
        self.count_label.setText(text if shown == total else f"{text}, {shown} shown")

    # ---- editing ------------------------------------------------------------------------------
    def _read_only_message(self) -> None:
        QMessageBox.information(self, "Read-only project",
                                f"{self.project.path.name} is open read-only: it cannot be changed. "
                                "Copy it somewhere writable to edit it.")

    def _command_failed(self, message: str) -> None:
        QMessageBox.warning(self, "Not changed", f"The change could not be made:\n{message}")

    def edit_event(self, event_id: int | None) -> None:
        """Open the editor for an event (None: a new event); OK pushes an undoable command."""
        self.event_dialog = open_event_editor(self, self.hub, self.undo_stack, event_id)

    def edit_current(self) -> None:
        if self.hub.selection:
            self.edit_event(self.hub.selection[-1])

    def edit_group(self, group_id: int) -> None:
        self.group_dialog = open_group_editor(self, self.hub, self.undo_stack, group_id)

    def delete_selected(self) -> None:
        """Delete the selected events in one undoable step."""
        if self.project.read_only:
            self._read_only_message()
            return
        ids = self.hub.selection
        if ids:
            self.undo_stack.push(DeleteEventsCommand(self.hub, ids))

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    # ---- files --------------------------------------------------------------------------------
    def _folder(self) -> str:
        return self.settings.get(opt.LAST_FOLDER) or str(self.project.path.parent)

    def open_project(self, path: str | Path) -> MainWindow | None:
        """Open `path` in a new window that replaces this one; on error say why and keep this one."""
        try:
            project = Project.open(path)
        except ProjectError as exc:
            QMessageBox.warning(self, "Cannot open project", str(exc))
            if not Path(path).exists():
                self.settings.remove_recent_project(path)
            return None
        return self._replace_with(project)

    def _replace_with(self, project: Project) -> MainWindow:
        self.save_state()
        self.settings.set(opt.LAST_FOLDER, str(project.path.parent))
        window = MainWindow(project, self.settings)
        window.show()
        self.successor = window
        self.close()
        return window

    def choose_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", self._folder(), PROJECT_FILTER)
        if path:
            self.open_project(path)

    def new_project(self, path: str | Path | None = None) -> MainWindow | None:
        """Create an empty project (asking where when no path is given) and open it."""
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, "New project", self._folder(), PROJECT_FILTER)
            if not path:
                return None
        try:
            project = Project.create(with_project_suffix(path))
        except (ProjectError, OSError) as exc:
            QMessageBox.warning(self, "Cannot create project", str(exc))
            return None
        return self._replace_with(project)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = [p for p in self.settings.recent_projects() if p != self.project.path.resolve()]
        for path in recent:
            action = self.recent_menu.addAction(path.name, lambda p=path: self.open_project(p))
            action.setStatusTip(str(path))
        if not recent:
            self.recent_menu.addAction("(no other recent project)").setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear the list", self.settings.clear_recent_projects)

    def import_file(self, path: str | Path | None = None) -> bool:
        """Merge a Sijill JSON file into the project (by uid); not undoable, so the history is cleared."""
        if self.project.read_only:
            self._read_only_message()
            return False
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "Import", self._folder(), JSON_FILTER)
            if not path:
                return False
        from db.formats.native import import_native

        try:
            report = import_native(self.project, path)
        except (ProjectError, OSError) as exc:
            QMessageBox.warning(self, "Import failed", f"Nothing was imported from {Path(path).name}:\n{exc}")
            return False
        self.undo_stack.clear()
        self.hub.set_selection([])
        self.hub.project_reset.emit()
        self.statusBar().showMessage(f"Imported {Path(path).name}: added {report.added or 'nothing'}, "
                                     f"updated {report.updated or 'nothing'}", 8000)
        return True

    def export_file(self, path: str | Path | None = None) -> bool:
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, "Export", self._folder(), JSON_FILTER)
            if not path:
                return False
        from db.formats.native import export_native

        try:
            export_native(self.project, path)
        except (ProjectError, OSError) as exc:
            QMessageBox.warning(self, "Export failed", str(exc))
            return False
        self.statusBar().showMessage(f"Exported the project to {path}", 8000)
        return True

    def export_image(self, path: str | Path | None = None) -> bool:
        """Save the timeline as shown (the timeline's own `export_image(path)` when it has one)."""
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, "Export image", self._folder(),
                                                  "PNG image (*.png);;All files (*)")
            if not path:
                return False
        exporter = getattr(self.timeline, "export_image", None)
        try:
            ok = exporter(path) if callable(exporter) else self.timeline_slot.grab().save(str(path))
        except (ProjectError, OSError) as exc:
            ok, error = False, str(exc)
        else:
            error = f"could not write {path}"
        if ok is False:
            QMessageBox.warning(self, "Export failed", error)
            return False
        self.statusBar().showMessage(f"Saved the timeline to {path}", 8000)
        return True

    def about(self) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("sijill")
        except PackageNotFoundError:
            number = "(development)"
        QMessageBox.about(self, f"About {APP_NAME}",
                          f"<b>{APP_NAME}</b> {number}<p>An offline timeline and evidence register for "
                          "conflict analysts: events, armed groups and annotated sources in one file.</p>")

