"""The main window: one open project's hub and undo stack, and the parts around the timeline, wired
together.

Layout: the timeline with the source library and reader beside it (View ▸ Sources, F9), the events
table below both; the groups dock on the left; on the right the current event over its evidence,
and the search results while a query is typed. The window is put together from mixins, one job
each: desktop.shell.panes builds the panes and docks, desktop.shell.menus the toolbar, menus and
status bar, desktop.shell.window_state restores and saves their sizes, desktop.shell.file_actions
holds the File menu's operations. This module connects the actions and signals between them and
keeps the small steps that only move between parts (show an event, open a passage, open an editor).
What a part does lives in its feature folder (desktop.timeline, desktop.sources, desktop.events, …).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QWidget

from sijill.db.store.project import Project
from sijill.desktop import settings as opt
from sijill.desktop.commands.events import DeleteEventsCommand
from sijill.desktop.commands.stack import GuardedUndoStack, refuse_read_only
from sijill.desktop.events.event_dialog import open_event_editor
from sijill.desktop.groups.group_dialog import open_group_editor
from sijill.desktop.history.project_history import open_project_history, remember_opening
from sijill.desktop.hub import ProjectHub, ViewFilter
from sijill.desktop.paths import APP_NAME
from sijill.desktop.places.manager import open_place_manager
from sijill.desktop.settings import Settings
from sijill.desktop.shell.about import AboutDialog
from sijill.desktop.shell.actions import EVIDENCE_ACTIONS, PRESET_ACTIONS, Actions
from sijill.desktop.shell.app_icon import app_icon
from sijill.desktop.shell.file_actions import FileActions
from sijill.desktop.shell.menus import Bars
from sijill.desktop.shell.panes import Panes
from sijill.desktop.shell.preferences_dialog import Preferences, PreferencesDialog
from sijill.desktop.shell.project_lock import FileWatch, claim, release
from sijill.desktop.shell.window_state import WindowState
from sijill.desktop.widgets import theme


class MainWindow(FileActions, WindowState, Bars, Panes, QMainWindow):
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

    # ---- wiring -------------------------------------------------------------------------------
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
        a.edit_merge_events.triggered.connect(self.merge_selected)
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
        self.undo_stack.command_noted.connect(lambda message: QMessageBox.information(self, "Saved", message))
        timeline.edit_requested.connect(self.edit_event)
        proxy, source = self.table.proxy, self.table.source_model
        # the proxy says a row is gone before its model has dropped it: the total is counted again after
        for signal in (proxy.rowsInserted, proxy.rowsRemoved, proxy.layoutChanged, proxy.modelReset,
                       source.rowsRemoved):
            signal.connect(self._update_counts)

    # ---- closing ------------------------------------------------------------------------------
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

    def merge_selected(self):
        """Edit ▸ Merge events…: the selected events, one of them kept (desktop.events.merge_dialog)."""
        from sijill.desktop.events.merge_dialog import open_merge_events

        self.merge_events_dialog = open_merge_events(self, self.hub, self.undo_stack)
        return self.merge_events_dialog

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

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

