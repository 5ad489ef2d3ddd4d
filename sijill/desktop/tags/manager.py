"""Edit ▸ Tags…: the project's tags with how many events and passages carry each, to rename, merge
into another or delete, each one step on the window's undo stack.

Renaming to a name another tag has merges the two, after asking. The list follows the project
while the dialog is open (an undo, an event edited behind it) and keeps the tag chosen, by name.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit,
                               QMessageBox, QPushButton, QTreeWidgetItem, QVBoxLayout, QWidget)

from sijill.db.store.basics import ProjectError
from sijill.db.store.tags import check_tag_name
from sijill.desktop.hub import ProjectHub
from sijill.desktop.commands.tags import DeleteTagCommand, MergeTagsCommand, RenameTagCommand
from sijill.desktop.widgets.record_list import filter_rows, find_box, plural, record_list

COLUMNS = ("Tag", "Events", "Passages")


class TagManager(QDialog):
    """The tags of `hub.project` in a list; Rename…, Merge into… and Delete push undo commands."""

    def __init__(self, hub: ProjectHub, stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hub, self.stack = hub, stack
        self.setObjectName("tag_manager")
        self.setWindowTitle("Tags")
        self.find = find_box(self, "tag_find", "Find a tag…")
        self.find.textChanged.connect(self._filter)
        self.tree = record_list(self, "tag_list", COLUMNS)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.tree.itemDoubleClicked.connect(lambda *_: self.ask_rename())
        self.rename_button = QPushButton("&Rename…", self)
        self.merge_button = QPushButton("&Merge into…", self)
        self.delete_button = QPushButton("&Delete", self)
        for button, name, slot, tip in (
                (self.rename_button, "tag_rename", self.ask_rename,
                 "Give the tag another name everywhere (the name of another tag merges the two)"),
                (self.merge_button, "tag_merge", self.ask_merge,
                 "Put this tag's events and passages under another tag, and remove this one"),
                (self.delete_button, "tag_delete", self.ask_delete, "Take the tag off every event and passage")):
            button.setObjectName(name)
            button.setToolTip(tip)
            button.clicked.connect(slot)
        self.note = QLabel(self)
        self.note.setObjectName("tag_note")
        self.note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        side = QVBoxLayout()
        for button in (self.rename_button, self.merge_button, self.delete_button):
            side.addWidget(button)
        side.addStretch(1)
        middle = QHBoxLayout()
        middle.addWidget(self.tree, 1)
        middle.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addWidget(self.find)
        layout.addLayout(middle, 1)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.resize(460, 420)
        hub.tags_changed.connect(self.reload)
        hub.project_reset.connect(self.reload)
        hub.events_changed.connect(lambda _ids: self.reload())       # an edit may add or drop a tag
        hub.annotations_changed.connect(lambda _sid: self.reload())
        self.reload()

    # ---- the list -----------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the tags and their counts again, keeping the current tag (by name)."""
        current = self.current_tag()
        self.tree.clear()
        for usage in self.hub.project.tag_usage():
            item = QTreeWidgetItem([usage.name, str(usage.events), str(usage.annotations)])
            item.setData(0, Qt.ItemDataRole.UserRole, usage)
            for column in (1, 2):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.tree.addTopLevelItem(item)
            if usage.name == current:
                self.tree.setCurrentItem(item)
        self._filter(self.find.text())
        n = self.tree.topLevelItemCount()
        self.note.setText("No event or passage is tagged yet: tags are typed in the event and passage editors."
                          if n == 0 else f"{plural(n, 'tag')}. Every change here is one step of Edit ▸ Undo.")
        self._update_buttons()

    def _filter(self, text: str) -> None:
        filter_rows(self.tree, text, (0,))

    def tags(self) -> list[str]:
        return [self.tree.topLevelItem(i).text(0) for i in range(self.tree.topLevelItemCount())]

    def current_tag(self) -> str | None:
        item = self.tree.currentItem()
        return item.text(0) if item is not None else None

    def select(self, name: str) -> None:
        for i in range(self.tree.topLevelItemCount()):
            if self.tree.topLevelItem(i).text(0) == name:
                self.tree.setCurrentItem(self.tree.topLevelItem(i))

    def _usage(self, name: str):
        return next((self.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)
                     for i in range(self.tree.topLevelItemCount()) if self.tree.topLevelItem(i).text(0) == name), None)

    def _update_buttons(self) -> None:
        chosen = self.current_tag() is not None
        editable = not self.hub.project.read_only
        self.rename_button.setEnabled(chosen and editable)
        self.delete_button.setEnabled(chosen and editable)
        self.merge_button.setEnabled(chosen and editable and self.tree.topLevelItemCount() > 1)
        if not editable:
            for button in (self.rename_button, self.merge_button, self.delete_button):
                button.setToolTip("The project is open read-only: it cannot be changed")

    # ---- changes ------------------------------------------------------------------------------
    def rename(self, old: str, new: str) -> bool:
        """Rename `old` (onto another tag's name: merge it there); one undo step."""
        done = self.stack.push(RenameTagCommand(self.hub, old, new))
        if done:
            self.select(new.strip())
        return done

    def merge(self, from_name: str, into_name: str) -> bool:
        done = self.stack.push(MergeTagsCommand(self.hub, from_name, into_name))
        if done:
            self.select(into_name)
        return done

    def delete(self, name: str) -> bool:
        return self.stack.push(DeleteTagCommand(self.hub, name))

    # ---- asking -------------------------------------------------------------------------------
    def _usage_text(self, name: str) -> str:
        usage = self._usage(name)
        return f"{plural(usage.events, 'event')} and {plural(usage.annotations, 'passage')}" if usage else ""

    def ask_rename(self) -> bool:
        old = self.current_tag()
        if old is None or self.hub.project.read_only:
            return False
        new, accepted = QInputDialog.getText(self, "Rename tag", f"New name for “{old}” ({self._usage_text(old)}):",
                                             QLineEdit.EchoMode.Normal, old)
        if not accepted or new.strip() == old:
            return False
        try:
            new = check_tag_name(new)
        except ProjectError as exc:
            QMessageBox.warning(self, "Rename tag", f"The tag was not renamed: {exc}.")
            return False
        if new in self.tags():
            answer = QMessageBox.question(
                self, "Merge tags", f"“{new}” is already a tag. Merge “{old}” into it? The "
                f"{self._usage_text(old)} tagged “{old}” will carry “{new}”.")
            if answer != QMessageBox.StandardButton.Yes:
                return False
        return self.rename(old, new)

    def ask_merge(self) -> bool:
        name = self.current_tag()
        others = [t for t in self.tags() if t != name]
        if name is None or not others or self.hub.project.read_only:
            return False
        into, accepted = QInputDialog.getItem(self, "Merge tag", f"Put the {self._usage_text(name)} tagged "
                                              f"“{name}” under:", others, 0, False)
        if not accepted or not into:
            return False
        return self.merge(name, into)

    def ask_delete(self) -> bool:
        name = self.current_tag()
        if name is None or self.hub.project.read_only:
            return False
        answer = QMessageBox.question(self, "Delete tag", f"Delete the tag “{name}”? The {self._usage_text(name)} "
                                      "carrying it lose it (Edit ▸ Undo puts it back).")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        return self.delete(name)
