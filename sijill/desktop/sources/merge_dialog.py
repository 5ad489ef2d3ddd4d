"""Sources ▸ Merge into…: the same document added twice (pasted once, imported once; two wire copies)
becomes one source. Choose the source kept, seeing what will move before anything does.

What merging does is `Project.merge_sources`: the kept source keeps its title and text and takes
what it leaves empty; the merged one's passages are found again in the kept text (those not found
stay, flagged orphaned, to re-attach in the reader) and its evidence links follow. One undo step
(`MergeSourcesCommand`); `sijill source merge` does the same.
"""
from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QWidget

from sijill.desktop.hub import ProjectHub
from sijill.desktop.widgets.merge_target import MergeTargetDialog
from sijill.desktop.widgets.record_list import plural


class MergeSourceDialog(MergeTargetDialog):
    """Pick the source another is merged into: every other source, with a filter box (on the title
    and the outlet)."""

    def __init__(self, hub: ProjectHub, source_id: int, parent: QWidget | None = None) -> None:
        project = hub.project
        source = project.source(source_id)
        passages = len(project.annotations(source_id))
        links = len(project.evidence_for_source(source_id))
        super().__init__(
            f"<b>{escape(source.title)}</b> will be merged into the source you choose: its "
            f"{plural(passages, 'passage')}, found again in that source's text (one not found is kept, flagged "
            f"orphaned, to re-attach in the reader), and its {plural(links, 'evidence link')} move over, and its "
            "details fill what that source leaves empty. That source keeps its own title and text. Undo puts "
            "everything back.", "sources", filter_columns=(0, 1), parent=parent)
        self.setObjectName("merge_source_dialog")
        self.setWindowTitle(f"Merge “{source.title}” into…")
        self.resize(640, 460)
        self.intro.setObjectName("merge_source_intro")
        self.tree.setObjectName("merge_source_targets")
        self.tree.setHeaderLabels(["Source", "Outlet", "Published", "Grade"])
        self.tree.setRootIsDecorated(False)
        for s in project.sources():
            if s.id != source_id:
                self.add_row(s.id, [s.title, s.outlet or "", s.published.display() if s.published else "",
                                    s.reliability or ""])
        self.tree.resizeColumnToContents(1)
        self.tree.setColumnWidth(0, 300)
        self.ready()
