"""The main window's bars: the toolbar (editing, undo, zoom, the reader, then the search box and the
filter bar), the menu bar (File, Edit, View, Sources, Help) and the status bar (file name, event
count, read-only mark).

A mixin of MainWindow: the menus list the actions of desktop.shell.actions and the docks' toggles,
so it runs after desktop.shell.panes has built the docks; what each action does is connected in
desktop.shell.main_window.
"""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QLabel, QMenu, QToolBar

from sijill.desktop.shell.actions import EVIDENCE_ACTIONS, PRESET_ACTIONS
from sijill.desktop.shell.data_safety import restore_from_backup
from sijill.desktop.timeline.saved_views import SavedViewsMenu
from sijill.desktop.widgets import theme
from sijill.desktop.widgets.filter_bar import FilterBar
from sijill.desktop.widgets.search_box import SearchBox


class Bars:
    """The toolbar, menu bar and status bar, built once when the window is."""

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
        edit_menu.addActions([a.edit_new_event, a.edit_event, a.edit_delete, a.edit_merge_events])
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

    def _update_counts(self, *_args) -> None:
        total, shown = self.table.source_model.rowCount(), self.table.proxy.rowCount()
        text = f"{total} event{'s' if total != 1 else ''}"
        self.count_label.setText(text if shown == total else f"{text}, {shown} shown")
