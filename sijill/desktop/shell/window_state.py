"""The main window's size and layout from one session to the next: fitting the window to the
screen, restoring and saving the geometry, the docks and every splitter, and the timeline | sources
split kept while the reader is folded away.

A mixin of MainWindow; it uses the window's `settings`, `hub`, `action_set`, `splitter`,
`work_splitter`, `detail_splitter`, `sources_panel`, `table`, `details_dock`, `results_dock` and
`undo_dock`.
"""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QMargins, QRect, Qt
from PySide6.QtWidgets import QApplication

from sijill.desktop import settings as opt
from sijill.desktop.shell.screen_fit import FRAME_ALLOWANCE, fit_window, proportions


class WindowState:
    """Geometry, dock and splitter state: restored when the window is built, saved when it closes."""

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
