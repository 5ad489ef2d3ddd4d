"""Edit ▸ Merge events…: fold duplicate events (the same attack entered by hand and imported, or
imported from two datasets) into the one the analyst keeps, seeing them side by side first.

The selected events are listed with their dates, groups and evidence; the analyst picks the one
kept (preselected: the one with the most evidence, then the oldest). What merging does is
`Project.merge_events`: the kept event keeps its title and dates, takes the others' groups (the
stronger role where both name a group), tags and evidence, and what it leaves empty; the others are
deleted. One undo step (`MergeEventsCommand`); `sijill event merge` does the same. Where both the
kept event and a merged one came from datasets, the dialog says that importing the merged one's
row again will add it back (an event keeps one dataset origin: `Project.merge_warnings`).
"""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHeaderView, QLabel, QMessageBox, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from sijill.desktop.commands.events import MergeEventsCommand
from sijill.desktop.commands.stack import refuse_read_only
from sijill.desktop.hub import ProjectHub
from sijill.desktop.widgets.dialog_parts import ok_cancel

EVENT_ROLE = Qt.ItemDataRole.UserRole


class MergeEventsDialog(QDialog):
    """The events to merge, one row each; the current row is the event kept."""

    def __init__(self, hub: ProjectHub, event_ids: list[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("merge_events_dialog")
        project = hub.project
        events = [project.event(i) for i in dict.fromkeys(event_ids)]
        names = {g.id: g.name for g in project.groups()}
        evidence = {e.id: len(project.evidence(e.id)) for e in events}
        self.setWindowTitle(f"Merge {len(events)} events")
        self.resize(720, 320)
        others = "The other event" if len(events) == 2 else f"The other {len(events) - 1} events"
        intro = QLabel(f"Choose the event to keep. {others} will be merged into it: their groups (the stronger role where both name a group), tags and evidence "
                       "move over and fill what it leaves empty (place, coordinates, type, fatalities; a "
                       "different description is added under its own). It keeps its title and dates; "
                       f"{others[0].lower()}{others[1:]} {'is' if len(events) == 2 else 'are'} deleted. Undo "
                       "puts everything back.", self)
        intro.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("merge_events_list")
        self.tree.setHeaderLabels(["Event", "Dates", "Groups", "Evidence"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for e in events:
            dates = e.start.display() + (f" – {e.end.display()}" if e.end is not None else "")
            groups = ", ".join(f"{names.get(link.group_id, '?')} ({link.role})" for link in e.groups)
            item = QTreeWidgetItem([e.title, dates, groups, str(evidence[e.id])])
            item.setData(0, EVENT_ROLE, e.id)
            item.setToolTip(0, e.description or e.title)
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.tree.addTopLevelItem(item)
        self.kept_label = QLabel(self)
        self.kept_label.setObjectName("merge_events_kept")
        self.kept_label.setWordWrap(True)
        # A merged event whose dataset link cannot move over (the kept one has its own): importing it again adds it back.
        self.warning_label = QLabel(self)
        self.warning_label.setObjectName("merge_events_warning")
        self.warning_label.setWordWrap(True)
        self.project = project
        self.buttons = ok_cancel(self, "Merge")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.kept_label)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.buttons)
        self.tree.currentItemChanged.connect(lambda *_: self._show_kept())
        best = max(events, key=lambda e: (evidence[e.id], -e.id))
        self.keep(best.id)

    def event_ids(self) -> list[int]:
        return [self.tree.topLevelItem(i).data(0, EVENT_ROLE) for i in range(self.tree.topLevelItemCount())]

    def kept_id(self) -> int | None:
        item = self.tree.currentItem()
        return None if item is None else item.data(0, EVENT_ROLE)

    def keep(self, event_id: int) -> None:
        for i in range(self.tree.topLevelItemCount()):
            if self.tree.topLevelItem(i).data(0, EVENT_ROLE) == event_id:
                self.tree.setCurrentItem(self.tree.topLevelItem(i))

    def merged_ids(self) -> list[int]:
        return [i for i in self.event_ids() if i != self.kept_id()]

    def _show_kept(self) -> None:
        item = self.tree.currentItem()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(item is not None)
        self.kept_label.setText("" if item is None else f"Kept: <b>{escape(item.text(0))}</b> ({item.text(1)})")
        warnings = [] if item is None else self.project.merge_warnings(self.merged_ids(), self.kept_id())
        self.warning_label.setText(" ".join(warnings))
        self.warning_label.setVisible(bool(warnings))


def open_merge_events(parent: QWidget, hub: ProjectHub, stack: QUndoStack) -> MergeEventsDialog | None:
    """Edit ▸ Merge events… on the selected events; Merge pushes one undo step and selects the event kept."""
    if refuse_read_only(hub.project, parent):
        return None
    ids = list(dict.fromkeys(hub.selection))
    if len(ids) < 2:
        QMessageBox.information(parent, "Merge events", "Select the events to merge first: two or more "
                                "(Ctrl+click, or Shift+drag on the timeline).")
        return None
    dialog = MergeEventsDialog(hub, ids, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def merge() -> None:
        into = dialog.kept_id()
        if into is not None and stack.push(MergeEventsCommand(hub, dialog.merged_ids(), into)):
            hub.set_selection([into])

    dialog.accepted.connect(merge)
    dialog.open()
    return dialog
