"""The main window: menus, toolbar, docks and status bar around the timeline, the sources and the
events table.

Layout: the timeline with the source library and reader beside it (View ▸ Sources, F9), the events
table below both; the groups dock on the left; on the right the current event over its evidence,
and the search results while a query is typed. Wiring only: what a part does lives in
desktop.widgets, desktop.sources, desktop.models and desktop.dialogs.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QMargins, QRect, QSize, Qt
from PySide6.QtGui import QActionGroup, QCloseEvent
from PySide6.QtWidgets import (QApplication, QDialog, QDockWidget, QFileDialog, QHeaderView, QLabel, QMainWindow, QMenu,
                               QMessageBox, QSplitter, QTabWidget, QToolBar, QVBoxLayout, QWidget)

from sijill.db.store.check import DamagedProjectError
from sijill.db.store.basics import ProjectError
from sijill.db.formats.registry import EXPORTS
from sijill.db.store.project import Project
from sijill.desktop import settings as opt
from sijill.desktop.widgets import theme
from sijill.desktop.shell.about import AboutDialog
from sijill.desktop.shell.app_icon import app_icon
from sijill.desktop.shell.actions import EVIDENCE_ACTIONS, PRESET_ACTIONS, Actions
from sijill.desktop.commands.events import DeleteEventsCommand
from sijill.desktop.commands.stack import GuardedUndoStack, refuse_read_only
from sijill.desktop.shell.data_safety import daily_backup, offer_repair, restore_from_backup
from sijill.desktop.events.event_dialog import open_event_editor
from sijill.desktop.groups.group_dialog import open_group_editor
from sijill.desktop.shell.preferences_dialog import Preferences, PreferencesDialog
from sijill.desktop.exchange.export_dialog import ExportDialog
from sijill.desktop.exchange.export_job import export_format_for, run_export
from sijill.desktop.exchange.import_command import perform_import
from sijill.desktop.exchange.import_dialog import ImportDialog
from sijill.desktop.exchange.import_job import ImportJob
from sijill.desktop.exchange.progress import Progress
from sijill.desktop.hub import ProjectHub, ViewFilter
from sijill.desktop.map.view import MapDock
from sijill.desktop.history.merge_dialog import MergeDialog
from sijill.desktop.history.project_history import open_project_history, remember_opening
from sijill.desktop.shell.project_lock import FileWatch, claim, release
from sijill.desktop.paths import APP_NAME, PROJECT_FILTER, with_project_suffix
from sijill.desktop.places.manager import open_place_manager
from sijill.desktop.settings import Settings
from sijill.desktop.shell.screen_fit import FRAME_ALLOWANCE, fit_window, proportions
from sijill.desktop.sources.panel import EvidencePanel, SearchResults, SourcesPanel
from sijill.desktop.timeline.counts_chart import CountsChart
from sijill.desktop.timeline.saved_views import SavedViewsMenu
from sijill.desktop.timeline.view import TimelineView
from sijill.desktop.events.detail_pane import DetailPane
from sijill.desktop.events.table import EventsTable
from sijill.desktop.timeline.export_dialog import ExportImageDialog
from sijill.desktop.widgets.filter_bar import FilterBar
from sijill.desktop.groups.periods_list import PeriodsList
from sijill.desktop.groups.group_list import GroupList, GroupsPanel
from sijill.desktop.widgets.search_box import SearchBox
from sijill.desktop.widgets.undo_history import UndoHistory


class MainWindow(QMainWindow):
    """One open project: its hub, its undo stack, and the views on it.

    `project` is a Project or the path of one (opened here; ProjectError propagates). The
    timeline is a `TimelineView(hub, undo_stack)` in `timeline_slot`; the zoom actions call its
    `fit_all`, `zoom_in`, `zoom_out`, `set_preset` and `zoom_to_selection`, and its
    `edit_requested(event_id)` opens this window's event editor.
    `sources_panel` (library, reader, annotations) sits beside it in `work_splitter`."""

    def __init__(self, project: Project | str | Path, settings: Settings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = claim(self, project)  # asks first when another Sijill holds the file
        self.settings = settings if settings is not None else Settings()
        self.successor: MainWindow | None = None
        self.hub = ProjectHub(self.project, self)
        self.file_watch = None
        if self.project.read_only:  # follow what another program writes to the file
            self.file_watch = FileWatch(self.project, self)
            self.file_watch.changed.connect(self.hub.project_reset.emit)
        self.setWindowIcon(app_icon())
        self.apply_preferences(Preferences.load(self.settings))
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
        self.last_opened = remember_opening(self.settings, self.project.path)  # "since I last opened"
        self.setWindowTitle(f"{self.project.title} — {APP_NAME}"
                            + (" (read-only)" if self.project.read_only else ""))
        self._update_counts()

    # ---- building -----------------------------------------------------------------------------
    def _build_central(self) -> None:
        self.timeline_slot = QWidget(self)
        self.timeline_slot.setObjectName("timeline_slot")
        slot_layout = QVBoxLayout(self.timeline_slot)
        slot_layout.setContentsMargins(0, 0, 0, 0)
        self.timeline = TimelineView(self.hub, self.undo_stack)
        slot_layout.addWidget(self.timeline)
        self.counts_chart = CountsChart(self.timeline, self.timeline_slot)   # View ▸ Counts over time
        self.counts_chart.hide()
        slot_layout.addWidget(self.counts_chart)
        self.sources_panel = SourcesPanel(self.hub, self.undo_stack, self)
        self.work_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.work_splitter.setObjectName("work_splitter")
        self.work_splitter.addWidget(self.timeline_slot)
        self.work_splitter.addWidget(self.sources_panel)
        self.work_splitter.setStretchFactor(0, 3)
        self.work_splitter.setStretchFactor(1, 2)
        self.work_splitter.setChildrenCollapsible(False)
        self.table = EventsTable(self.hub, self)
        self.table.setObjectName("events_table")
        self.library = self.sources_panel.detach_library()
        self.bottom_tabs = QTabWidget(self)
        self.bottom_tabs.setObjectName("bottom_tabs")
        self.bottom_tabs.setDocumentMode(True)
        self.bottom_tabs.addTab(self.table, "Events")
        self.bottom_tabs.addTab(self.library, "Sources")
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("central_splitter")
        self.splitter.addWidget(self.work_splitter)
        self.splitter.addWidget(self.bottom_tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.setCentralWidget(self.splitter)

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        self.group_list = GroupList(self.hub, self, undo_stack=self.undo_stack)
        self.groups_panel = GroupsPanel(self.group_list, self)
        self.periods_list = PeriodsList(self.hub, self.undo_stack, self)
        self.detail_pane = DetailPane(self.hub, self, show_evidence=False)
        self.evidence_panel = EvidencePanel(self.hub, self.undo_stack, self)
        self.detail_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.detail_splitter.setObjectName("detail_splitter")
        self.detail_splitter.addWidget(self.detail_pane)
        self.detail_splitter.addWidget(self.evidence_panel)
        self.detail_splitter.setStretchFactor(0, 1)
        self.detail_splitter.setStretchFactor(1, 1)
        self.detail_splitter.setChildrenCollapsible(False)
        self.search_results = SearchResults(self.hub, self)
        self.undo_view = UndoHistory(self.undo_stack, self)
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        self.groups_dock = self._dock("Groups", "groups_dock", self.groups_panel, left)
        self.periods_dock = self._dock("Periods", "periods_dock", self.periods_list, left)
        self.results_dock = self._dock("Search results", "results_dock", self.search_results, right)
        self.details_dock = self._dock("Event and evidence", "details_dock", self.detail_splitter, right)
        self.splitDockWidget(self.results_dock, self.details_dock, Qt.Orientation.Vertical)
        self.tabifyDockWidget(self.details_dock, self.groups_dock)  # the lanes name the groups already
        self.tabifyDockWidget(self.groups_dock, self.periods_dock)
        self.details_dock.raise_()
        self.undo_dock = self._dock("Undo history", "undo_dock", self.undo_view, right)
        self.undo_dock.hide()
        self.map_dock = MapDock(self.timeline, self, beside=self.details_dock)   # View ▸ Map: built when shown
        self.addDockWidget(right, self.map_dock)
        self.map_dock.hide()
        self.results_dock.hide()
        header = self.evidence_panel.tree.header()  # narrow dock: the reader's header shows outlet and date
        for column in (4, 5):
            self.evidence_panel.tree.setColumnHidden(column, True)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(3, 100)
        self.action_set.view_sources.setIconText("Reader")  # the toolbar's short name
        self.resizeDocks([self.details_dock], [380], Qt.Orientation.Horizontal)

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar("Main", self)
        self.toolbar.setObjectName("main_toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setIconSize(QSize(18, 18))  # icon buttons as tall as the text ones beside them
        a = self.action_set
        for action in (a.edit_new_event, a.edit_delete, None, a.edit_undo, a.edit_redo, None,
                       a.view_fit, a.view_zoom_in, a.view_zoom_out, a.view_sources, None):
            self.toolbar.addSeparator() if action is None else self.toolbar.addAction(action)
        self.search_box = SearchBox(self.hub, self)
        self.toolbar.addWidget(self.search_box)
        self.filter_bar = FilterBar(self.hub, self, manage_tags=self.action_set.edit_tags)
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
        file_menu.addActions([a.file_import, a.file_merge, a.file_export, a.file_export_image])
        file_menu.addSeparator()
        restore = file_menu.addAction("Restore from &backup…", lambda: restore_from_backup(self))
        restore.setObjectName("file_restore_backup")
        file_menu.addSeparator()
        file_menu.addAction(a.file_quit)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([a.edit_undo, a.edit_redo])
        edit_menu.addSeparator()
        edit_menu.addActions([a.edit_new_event, a.edit_event, a.edit_delete])
        edit_menu.addSeparator()
        edit_menu.addActions([a.edit_new_group, a.edit_new_period, a.edit_tags, a.edit_places])
        edit_menu.addSeparator()
        edit_menu.addAction(a.edit_find)
        edit_menu.addSeparator()
        edit_menu.addAction(a.edit_preferences)
        view_menu = bar.addMenu("&View")
        view_menu.setObjectName("view_menu")
        view_menu.addActions([a.view_fit, a.view_zoom_in, a.view_zoom_out, a.view_zoom_selection])
        preset_menu = view_menu.addMenu("Zoom &preset")
        preset_menu.addActions([a[name] for name in PRESET_ACTIONS.values()])
        view_menu.addSeparator()
        evidence_menu = view_menu.addMenu("&Evidence filter")
        self.evidence_group = QActionGroup(self)
        self.evidence_group.setExclusive(True)
        for name in EVIDENCE_ACTIONS.values():
            self.evidence_group.addAction(a[name])
            evidence_menu.addAction(a[name])
        view_menu.addActions([a.view_hide_empty_lanes, a.view_counts])
        self.saved_views_menu = SavedViewsMenu(self.timeline, self)
        view_menu.addMenu(self.saved_views_menu)
        view_menu.addSeparator()
        view_menu.addAction(a.view_sources)
        view_menu.addActions([self.groups_dock.toggleViewAction(), self.periods_dock.toggleViewAction(),
                              self.details_dock.toggleViewAction(),
                              self.results_dock.toggleViewAction()])
        view_menu.addAction(self.map_dock.toggleViewAction())
        view_menu.addActions([a.view_undo_history, a.view_project_history])
        self.sources_menu = bar.addMenu("&Sources")
        self.sources_menu.setObjectName("sources_menu")
        for action in self.sources_panel.actions_for_menu:
            self.sources_menu.addSeparator() if action is None else self.sources_menu.addAction(action)
        bar.addMenu("&Help").addAction(a.help_about)

    def _build_status(self) -> None:
        status = self.statusBar()
        self.file_label = QLabel(self.project.path.name, self)
        self.file_label.setToolTip(str(self.project.path))
        self.count_label = QLabel(self)
        self.read_only_label = QLabel("read-only", self)
        self.read_only_label.setObjectName("read_only_label")
        self.read_only_label.setStyleSheet(f"color: {theme.current().error}; font-weight: bold; padding: 0 6px;")
        reason = self.project.read_only_reason
        self.read_only_label.setToolTip(f"The file cannot be written ({reason}): edits are disabled" if reason
                                        else "The file cannot be written: edits are disabled")
        self.read_only_label.setVisible(self.project.read_only)
        for label in (self.file_label, self.count_label, self.read_only_label):
            status.addPermanentWidget(label)

    def _connect(self) -> None:
        a = self.action_set
        a.file_new.triggered.connect(self.new_project)
        a.file_open.triggered.connect(self.choose_project)
        a.file_import.triggered.connect(lambda: self.import_file())
        a.file_merge.triggered.connect(lambda: self.merge_from())
        a.file_export.triggered.connect(lambda: self.export_file())
        a.file_export_image.triggered.connect(lambda: self.export_image())
        a.file_quit.triggered.connect(QApplication.closeAllWindows)
        a.edit_new_event.triggered.connect(lambda: self.edit_event(None))
        a.edit_event.triggered.connect(self.edit_current)
        a.edit_delete.triggered.connect(self.delete_selected)
        a.edit_find.triggered.connect(self.focus_search)
        a.view_undo_history.toggled.connect(self.undo_dock.setVisible)
        self.undo_dock.visibilityChanged.connect(a.view_undo_history.setChecked)
        a.view_project_history.triggered.connect(lambda: open_project_history(self))
        a.help_about.triggered.connect(self.about)
        a.edit_preferences.triggered.connect(self.preferences)
        hints = QApplication.styleHints()
        if hints is not None:
            hints.colorSchemeChanged.connect(self._color_scheme_changed)
        timeline = self.timeline
        for action, zoom in ((a.view_fit, timeline.fit_all), (a.view_zoom_in, timeline.zoom_in),
                             (a.view_zoom_out, timeline.zoom_out),
                             (a.view_zoom_selection, timeline.zoom_to_selection)):
            action.triggered.connect(zoom)
        for preset, name in PRESET_ACTIONS.items():
            a[name].triggered.connect(lambda _checked=False, p=preset: timeline.set_preset(p))
        for value, name in EVIDENCE_ACTIONS.items():
            a[name].triggered.connect(lambda _checked=False, v=value: self.set_evidence_filter(v))
        a.view_sources.toggled.connect(self._show_sources)
        a.view_hide_empty_lanes.setChecked(timeline.hide_empty)
        a.view_hide_empty_lanes.toggled.connect(timeline.set_hide_empty)
        a.view_counts.toggled.connect(self.counts_chart.setVisible)
        timeline.hide_empty_changed.connect(a.view_hide_empty_lanes.setChecked)
        self._delete_only_where_events_are()
        self.table.edit_requested.connect(self.edit_event)
        self.table.delete_requested.connect(self.delete_selected)
        self.group_list.edit_group_requested.connect(self.edit_group)
        a.edit_new_group.triggered.connect(lambda: self.group_list.editing.new_group())
        a.edit_new_period.triggered.connect(lambda: self.periods_list.new_period())
        a.edit_tags.triggered.connect(lambda: self.manage_tags())
        a.edit_places.triggered.connect(lambda: open_place_manager(self))
        self.group_list.editing.group_created.connect(lambda _gid: self.groups_dock.raise_())
        self.periods_list.zoom_requested.connect(timeline.set_window)
        self.search_box.next_match_requested.connect(self.next_match)
        self.search_box.results_requested.connect(self.focus_results)
        self.search_results.open_event.connect(self.show_event)
        self.search_results.open_passage.connect(self.open_passage)
        self.evidence_panel.open_passage.connect(self.open_passage)
        self.hub.passage_requested.connect(self.open_passage)
        self.sources_panel.source_shown.connect(self._source_shown)
        self.sources_panel.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.sources_panel.event_created.connect(self.show_event)
        self.hub.filter_changed.connect(self._filter_changed)
        self._filter_changed(self.hub.filter)
        self.undo_stack.command_failed.connect(self._command_failed)
        timeline.edit_requested.connect(self.edit_event)
        proxy = self.table.proxy
        for signal in (proxy.rowsInserted, proxy.rowsRemoved, proxy.layoutChanged, proxy.modelReset):
            signal.connect(self._update_counts)

    # ---- state --------------------------------------------------------------------------------
    def fit_to_screen(self, available: QRect | None = None) -> None:
        """Size the window for a screen whose free area is `available` (by default the window's
        screen): the remembered geometry kept on it, or on first run as large as fits (at most
        1500×950), the panes in proportion to that size."""
        if available is None:
            screen = self.screen() or QApplication.primaryScreen()
            available = screen.availableGeometry()
        frame = FRAME_ALLOWANCE
        if self.isVisible() and self.frameGeometry() != self.geometry():
            outer, inner = self.frameGeometry(), self.geometry()
            frame = QMargins(inner.left() - outer.left(), inner.top() - outer.top(),
                             outer.right() - inner.right(), outer.bottom() - inner.bottom())
        saved = self.settings.get(opt.WINDOW_GEOMETRY)
        if saved.isEmpty():
            self.setGeometry(fit_window(available, None, frame))
        else:
            self.restoreGeometry(saved)
            if not self.windowState() & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
                self.setGeometry(fit_window(available, self.geometry(), frame))
        size = self.size()
        self.splitter.setSizes(proportions(size.height(), (3, 2)))        # timeline over the table
        self.detail_splitter.setSizes(proportions(size.height(), (9, 11)))  # event over its evidence
        self.resizeDocks([self.details_dock], [max(300, min(420, round(size.width() * 0.27)))],
                         Qt.Orientation.Horizontal)

    def _restore_state(self) -> None:
        self.fit_to_screen()
        for option, restore in ((opt.WINDOW_STATE, self.restoreState),
                                (opt.SPLITTER_STATE, self.splitter.restoreState),
                                (opt.SOURCES_SPLITTER_STATE, self.sources_panel.splitter.restoreState),
                                (opt.DETAIL_SPLITTER_STATE, self.detail_splitter.restoreState),
                                (opt.TABLE_HEADER_STATE, self.table.horizontalHeader().restoreState)):
            state = self.settings.get(option)
            if not state.isEmpty():
                restore(state)
        self.undo_dock.setVisible(False)
        self.results_dock.setVisible(bool(self.hub.filter.search))
        work = self.settings.get(opt.WORK_SPLITTER_STATE)
        self._hidden_work_state = None if work.isEmpty() else work  # sizes for when the reader shows
        self.sources_panel.hide()  # no source is open yet: the timeline takes the width
        self.action_set.view_sources.setChecked(False)

    def _show_sources(self, visible: bool) -> None:
        was_hidden = self.sources_panel.isHidden()
        if not visible and not was_hidden:
            self._hidden_work_state = self.work_splitter.saveState()  # the sizes to come back to
        self.sources_panel.setVisible(visible)
        if visible and was_hidden:
            if self._hidden_work_state is not None:
                self.work_splitter.restoreState(self._hidden_work_state)
            else:
                self.work_splitter.setSizes(proportions(self.work_splitter.width(), (3, 2)))

    def _source_shown(self, source_id: int | None) -> None:
        """The reader appears when a source is opened (from the library, evidence, search results
        or an event's editor) and folds away when the source it showed is gone."""
        self.action_set.view_sources.setChecked(source_id is not None)

    def _work_state(self) -> QByteArray:
        """The timeline | sources sizes, as they were before the sources were hidden."""
        if not self.sources_panel.isHidden():
            return self.work_splitter.saveState()
        return self._hidden_work_state if self._hidden_work_state is not None else QByteArray()

    def save_state(self) -> None:
        self.settings.set(opt.WINDOW_GEOMETRY, self.saveGeometry())
        self.settings.set(opt.WINDOW_STATE, self.saveState())
        self.settings.set(opt.SPLITTER_STATE, self.splitter.saveState())
        self.settings.set(opt.WORK_SPLITTER_STATE, self._work_state())
        self.settings.set(opt.SOURCES_SPLITTER_STATE, self.sources_panel.splitter.saveState())
        self.settings.set(opt.DETAIL_SPLITTER_STATE, self.detail_splitter.saveState())
        self.settings.set(opt.TABLE_HEADER_STATE, self.table.horizontalHeader().saveState())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        self.save_state()
        self.settings.sync()
        super().closeEvent(event)
        if event.isAccepted():
            self.search_box.cancel_pending()
            self.timeline.save_state()  # the view state, whatever its timer has not written yet
            self.undo_stack.clear()  # deletes the commands: an import's undo copies go with it
            if self.file_watch is not None:
                self.file_watch.timer.stop()
            self.project.close()
            release(self.project)

    def _update_counts(self, *_args) -> None:
        total, shown = self.table.source_model.rowCount(), self.table.proxy.rowCount()
        text = f"{total} event{'s' if total != 1 else ''}"
        self.count_label.setText(text if shown == total else f"{text}, {shown} shown")

    # ---- navigation ---------------------------------------------------------------------------
    def _delete_only_where_events_are(self) -> None:
        """Del deletes events from the timeline, the table and the event pane; in the source
        library it is the library's own Delete (one window-wide Del would make both ambiguous)."""
        delete = self.action_set.edit_delete
        self.removeAction(delete)
        delete.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        for widget in (self.timeline_slot, self.table, self.detail_splitter):
            widget.addAction(delete)

    def _filter_changed(self, view_filter: ViewFilter) -> None:
        """Keep the search results and the View ▸ Evidence choice in step with the hub's filter."""
        self.action_set[EVIDENCE_ACTIONS.get(view_filter.evidence, "view_evidence_all")].setChecked(True)
        if view_filter.search != self.search_results.query:
            self.search_results.set_query(view_filter.search)
            appearing = bool(view_filter.search.strip()) and self.results_dock.isHidden()
            self.results_dock.setVisible(bool(view_filter.search.strip()))
            if appearing:  # half the column: snippets need the room more than an unselected event
                self.resizeDocks([self.results_dock, self.details_dock],
                                 [self.height() // 2, self.height() // 2], Qt.Orientation.Vertical)

    def set_evidence_filter(self, evidence: str | None) -> None:
        """None (all events), "none" (without evidence) or "contradicted"."""
        self.hub.set_filter(self.hub.filter.with_(evidence=evidence))

    def next_match(self) -> None:
        """Enter in the search box: select the next match on the timeline."""
        self.timeline.next_match()

    def focus_results(self) -> None:
        tree = self.search_results.tree
        self.results_dock.show()
        tree.setFocus(Qt.FocusReason.ShortcutFocusReason)
        for i in range(tree.topLevelItemCount()):
            if tree.topLevelItem(i).childCount():
                tree.setCurrentItem(tree.topLevelItem(i).child(0))
                break

    def show_event(self, event_id: int) -> None:
        """Select an event everywhere and bring it into view on the timeline, keeping the zoom."""
        self.hub.set_selection([event_id])
        times = self.timeline.data.event_times(event_id)
        if times is None:
            return
        t0, t1 = self.timeline.window()
        mid = (times[0] + times[1]) / 2
        if not t0 <= mid <= t1:
            half = (t1 - t0) / 2
            self.timeline.set_window(mid - half, mid + half)

    def open_passage(self, source_id: int, annotation_id: int | None = None) -> None:
        """Show a source in the reader (showing the sources beside the timeline if hidden), scrolled
        to the passage, and give the reader the keyboard (so that Ctrl+E annotates)."""
        self.action_set.view_sources.setChecked(True)
        self.sources_panel.open_source(source_id, annotation_id)
        self.sources_panel.reader.view.setFocus(Qt.FocusReason.OtherFocusReason)

    # ---- editing ------------------------------------------------------------------------------
    def _command_failed(self, message: str) -> None:
        QMessageBox.warning(self, "Not saved", message)  # names the step and why

    def edit_event(self, event_id: int | None) -> None:
        """Open the editor for an event (None: a new event); OK pushes an undoable command."""
        self.event_dialog = open_event_editor(self, self.hub, self.undo_stack, event_id)

    def edit_current(self) -> None:
        if self.hub.selection:
            self.edit_event(self.hub.selection[-1])

    def manage_tags(self):
        """Edit ▸ Tags… (also at the end of the Tags filter's menu): rename, merge or delete tags,
        each an undo step. One dialog, raised again when asked again."""
        from sijill.desktop.tags.manager import TagManager

        if getattr(self, "tag_manager", None) is None:
            self.tag_manager = TagManager(self.hub, self.undo_stack, self)
        self.tag_manager.show()
        self.tag_manager.raise_()
        self.tag_manager.activateWindow()
        return self.tag_manager

    def edit_group(self, group_id: int) -> None:
        self.group_dialog = open_group_editor(self, self.hub, self.undo_stack, group_id)

    def delete_selected(self) -> None:
        """Delete the selected events in one undoable step."""
        if refuse_read_only(self.project, self):
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
        except DamagedProjectError as exc:  # what is wrong and where, and the offer to repair
            repaired = offer_repair(self, exc.report)
            return self.open_project(repaired) if repaired is not None else None
        except ProjectError as exc:
            QMessageBox.warning(self, "Cannot open project", str(exc))
            if not Path(path).exists():
                self.settings.remove_recent_project(path)
            return None
        daily_backup(project, self.settings)
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

    def _exchange_folder(self) -> str:
        return self.settings.get(opt.EXCHANGE_FOLDER) or self._folder()

    def _export_folder(self) -> str:
        """Where the Export and Export image dialogs start: the folder set in Preferences, else
        the Documents folder (not the hidden data folder the default project lives in)."""
        return str(self.settings.export_folder())

    def import_dialog(self, path: str | Path | None = None) -> ImportDialog:
        """The Import dialog over this project (showing `path` when given)."""
        return ImportDialog(self.hub, self.undo_stack, self, path=path, folder=self._exchange_folder())

    def import_file(self, path: str | Path | None = None) -> bool:
        """Without a path, the Import dialog: what the file holds and would do, the actors' groups
        and (CSV) the columns' fields, before anything is written. With a path, import it at once
        in the format it is in, with the remembered and automatic choices. Either way the import
        is one undo step."""
        if refuse_read_only(self.project, self):
            return False
        if not path:
            dialog = self.import_dialog()
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.outcome is None:
                return False
            path, outcome = dialog.job.path, dialog.outcome
        else:
            path = Path(path)
            try:
                job = ImportJob.for_path(self.project, path)
                with Progress(self, f"Importing {path.name}…", title="Import") as progress:
                    command, outcome = perform_import(self.hub, job.title, lambda: job.run(
                        progress=progress.update, cancelled=progress.cancelled))
            except (ProjectError, OSError, ImportError) as exc:
                QMessageBox.warning(self, "Import failed", f"Nothing was imported from {path.name}:\n{exc}")
                return False
            self.undo_stack.push(command)
        self.settings.set(opt.EXCHANGE_FOLDER, str(Path(path).parent))
        self.statusBar().showMessage(f"Imported {Path(path).name}: {outcome.summary()}", 10000)
        return True

    def merge_from(self, path: str | Path | None = None) -> bool:
        """File ▸ Merge from…: what merging another analyst's copy would do, with a choice per conflict,
        before anything is written; the merge is one undo step."""
        dialog = MergeDialog(self.hub, self.undo_stack, self, path=path, folder=self._exchange_folder())
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result is None:
            return False
        plan = dialog.result.plan
        self.statusBar().showMessage(f"{dialog.result.label}: {len(plan.added)} added, {len(plan.changed)} changed, "
                                     f"{len(plan.deleted)} deleted; {len(plan.conflicts)} conflicts kept as they were",
                                     10000)
        return True

    def export_dialog(self, format_name: str | None = None) -> ExportDialog:
        """The Export dialog, on `format_name` or the format exported last."""
        return ExportDialog(self.hub, self, folder=self._export_folder(),
                            format_name=format_name or self.settings.get(opt.EXPORT_FORMAT))

    def export_file(self, path: str | Path | None = None, format_name: str | None = None) -> bool:
        """Without a path, the Export dialog (format, file, which events, preview). With a path,
        write the whole project in `format_name`, else in the format its suffix names (.json:
        Sijill JSON)."""
        if not path:
            dialog = self.export_dialog(format_name)
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.written is None:
                return False
            result = dialog.written
            self.settings.set(opt.EXPORT_FORMAT, dialog.format.name)
        else:
            fmt = EXPORTS.get(format_name) if format_name else export_format_for(path)
            if fmt is None:
                QMessageBox.warning(self, "Export failed",
                                    f"No export format writes {Path(path).suffix or 'that'} files.")
                return False
            try:
                result = run_export(self.project, fmt, path)
            except (ProjectError, OSError, ImportError) as exc:
                QMessageBox.warning(self, "Export failed", str(exc))
                return False
        self.settings.set(opt.EXCHANGE_FOLDER, str(Path(result.path).parent))
        summary = result.summary()  # "wrote <path> (<counts>)"
        self.statusBar().showMessage(summary[:1].upper() + summary[1:], 10000)
        return True

    def export_w3c(self, path: str | Path | None = None) -> bool:
        """Write every annotation as a W3C Web Annotation collection (JSON-LD); without a path, the
        Export dialog on that format."""
        return self.export_file(path, "w3c-annotations")

    def image_dialog(self) -> ExportImageDialog:
        """The Export image dialog over this window's timeline."""
        from sijill.db.timeline.window import project_limits

        return ExportImageDialog(self._export_folder(), self.project.title, self.timeline.window(),
                                 project_limits(self.timeline.data.bounds()), self,
                                 lanes_note=self.timeline.export_note)

    def export_image(self, path: str | Path | None = None, size: tuple[int, int] = (1600, 900),
                     lo: float | None = None, hi: float | None = None, title: str | None = None) -> bool:
        """Save the timeline to PNG, SVG or PDF (by the suffix): the view, or [lo, hi] in seconds.
        Without a path, the Export image dialog asks for the file, size, dates and title."""
        if not path:
            dialog = self.image_dialog()
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            request = dialog.request()
            path, size, lo, hi, title = request.path, request.size, request.lo, request.hi, request.title or None
        try:
            note = self.timeline.export_image(str(path), size=size, lo=lo, hi=hi, title=title).note
        except (ProjectError, OSError, ValueError) as exc:
            QMessageBox.warning(self, "Export failed", str(exc))
            return False
        message = f"Saved the timeline to {path}"
        self.statusBar().showMessage(f"{message}. {note}" if note else message, 15000 if note else 8000)
        return True

    def about(self) -> AboutDialog:
        """Help ▸ About: version, licence, data credits (desktop.about)."""
        dialog = AboutDialog(self)
        dialog.setWindowIcon(self.windowIcon())
        dialog.open()
        return dialog

    # ---- preferences --------------------------------------------------------------------------
    def apply_preferences(self, preferences: Preferences) -> None:
        """Theme, date display, default reference date and analyst name, in force at once."""
        app = QApplication.instance()
        if app is not None:
            theme.apply_theme(app, preferences.theme)
        self.hub.set_display(preferences.display())
        if preferences.analyst:  # the name each change set records (else $SIJILL_ANALYST or the account's)
            self.project.analyst = preferences.analyst

    def preferences(self) -> PreferencesDialog:
        """Edit ▸ Preferences: a theme picked shows at once; OK stores and applies everything."""
        dialog = PreferencesDialog(Preferences.load(self.settings), self)
        app = QApplication.instance()
        dialog.theme_chosen.connect(lambda name: theme.apply_theme(app, name))

        def keep() -> None:
            chosen = dialog.preferences()
            chosen.save(self.settings)
            self.apply_preferences(chosen)

        dialog.accepted.connect(keep)
        self.preferences_dialog = dialog
        dialog.open()
        return dialog

    def _color_scheme_changed(self, _scheme) -> None:
        """The desktop went light or dark: follow it when the theme is "system"."""
        if self.settings.get(opt.THEME) == "system":
            theme.apply_theme(QApplication.instance(), "system")

