"""Sources ▸ Merge into…: the same document added twice (pasted once, imported once; two wire copies)
becomes one source. Choose the source kept, seeing what will move before anything does.

What merging does is `Project.merge_sources`: the kept source keeps its title and text and takes
what it leaves empty; the merged one's passages are found again in the kept text (those not found
stay, flagged orphaned, to re-attach in the reader) and its evidence links follow. One undo step
(`MergeSourcesCommand`); `sijill source merge` does the same.
"""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QLineEdit, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from sijill.desktop.hub import ProjectHub
from sijill.desktop.widgets.record_list import plural

SOURCE_ROLE = Qt.ItemDataRole.UserRole


class MergeSourceDialog(QDialog):
    """Pick the source another is merged into: every other source, with a filter box."""

    def __init__(self, hub: ProjectHub, source_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("merge_source_dialog")
        project = hub.project
        source = project.source(source_id)
        self.setWindowTitle(f"Merge “{source.title}” into…")
        self.resize(640, 460)
        passages = len(project.annotations(source_id))
        links = len(project.evidence_for_source(source_id))
        self.intro = intro = QLabel(
            f"<b>{escape(source.title)}</b> will be merged into the source you choose: its "
            f"{plural(passages, 'passage')}, found again in that source's text (one not found is kept, flagged "
            f"orphaned, to re-attach in the reader), and its {plural(links, 'evidence link')} move over, and its "
            "details fill what that source leaves empty. That source keeps its own title and text. Undo puts "
            "everything back.", self)
        intro.setObjectName("merge_source_intro")
        intro.setWordWrap(True)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter sources…")
        self.filter.setClearButtonEnabled(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("merge_source_targets")
        self.tree.setHeaderLabels(["Source", "Outlet", "Published", "Grade"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        for s in project.sources():
            if s.id == source_id:
                continue
            item = QTreeWidgetItem([s.title, s.outlet or "", s.published.display() if s.published else "",
                                    s.reliability or ""])
            item.setData(0, SOURCE_ROLE, s.id)
            self.tree.addTopLevelItem(item)
        self.tree.resizeColumnToContents(1)
        self.tree.setColumnWidth(0, 300)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Merge")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.buttons)
        self.filter.textChanged.connect(self._filter)
        self.tree.currentItemChanged.connect(lambda *_: self._update_ok())
        self.tree.itemDoubleClicked.connect(lambda *_: self.accept())
        self._update_ok()
        self.filter.setFocus()

    def target_id(self) -> int | None:
        item = self.tree.currentItem()
        return item.data(0, SOURCE_ROLE) if item is not None and not item.isHidden() else None

    def choose(self, source_id: int) -> None:
        for i in range(self.tree.topLevelItemCount()):
            if self.tree.topLevelItem(i).data(0, SOURCE_ROLE) == source_id:
                self.tree.setCurrentItem(self.tree.topLevelItem(i))

    def _filter(self, text: str) -> None:
        """Keep the sources whose title or outlet holds the text; the first one left is chosen."""
        text = text.strip().casefold()
        first = None
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            shown = not text or text in item.text(0).casefold() or text in item.text(1).casefold()
            item.setHidden(not shown)
            first = first or (item if shown else None)
        if text and first is not None:
            self.tree.setCurrentItem(first)
        self._update_ok()

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.target_id() is not None)

    def accept(self) -> None:
        if self.target_id() is not None:
            super().accept()
