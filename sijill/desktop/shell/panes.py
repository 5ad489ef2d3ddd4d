"""The main window's panes: the timeline (with its counts chart) beside the sources, the events and
the source library in tabs below them, and the docks around them: groups and periods on the left;
on the right the search results over the current event and its evidence, the undo history and the
map.

A mixin of MainWindow: it builds each part over the window's `hub` and `undo_stack` and keeps it as
an attribute of the window (`timeline`, `sources_panel`, `table`, `library`, `group_list`,
`detail_pane`, `evidence_panel`, `search_results`, the `*_dock`s, the splitters), which
desktop.shell.main_window then wires together.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QHeaderView, QSplitter, QTabWidget, QVBoxLayout, QWidget

from sijill.desktop.events.detail_pane import DetailPane
from sijill.desktop.events.table import EventsTable
from sijill.desktop.groups.group_list import GroupList, GroupsPanel
from sijill.desktop.groups.periods_list import PeriodsList
from sijill.desktop.map.view import MapDock
from sijill.desktop.sources.panel import EvidencePanel, SearchResults, SourcesPanel
from sijill.desktop.timeline.counts_chart import CountsChart
from sijill.desktop.timeline.view import TimelineView
from sijill.desktop.widgets.undo_history import UndoHistory


class Panes:
    """The central splitters and the docks, built once when the window is."""

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
