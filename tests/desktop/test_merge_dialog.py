"""File ▸ Merge from…: the dialog shows what merging another analyst's copy would do, a choice per
conflict, and writes it as one undo step; checked against what the project FILE holds."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from sijill.db.store.project import Project
from sijill.desktop.shell.main_window import MainWindow
from sijill.desktop.history.merge_dialog import MergeDialog

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()


@pytest.fixture
def copies(tmp_path, monkeypatch):
    """A's project (to open in the window), B's copy edited elsewhere, and the uids edited."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the undo step's copies of the file
    base = tmp_path / "base.sijill"
    with Project.create(base) as p:
        kh = p.create_group("Kataib Hezbollah")
        tower = p.create_event("Tower 22 attack", "2024-01-28", groups=[(kh.id, "actor")])
        quiet = p.create_event("Quiet week", "2024-03")
        gone = p.create_event("Duplicate entry", "2024-03-02")
    a, b = tmp_path / "a.sijill", tmp_path / "b.sijill"
    shutil.copy(base, a)
    shutil.copy(base, b)
    with Project.open(a) as p:
        p.update_event(p.event_by_uid(tower.uid).id, title="Drone strike on Tower 22")
    with Project.open(b) as p:
        p.update_event(p.event_by_uid(tower.uid).id, title="Attack on Tower 22, Jordan")
        p.update_event(p.event_by_uid(quiet.uid).id, location="Anbar")
        p.delete_event(p.event_by_uid(gone.uid).id)
        p.create_event("Nujaba threatens US forces", "2024-01-05")
    return a, b, {"tower": tower.uid, "quiet": quiet.uid, "gone": gone.uid}


@pytest.fixture
def window(qtbot, copies, settings, messages) -> MainWindow:
    w = MainWindow(Project.open(copies[0]), settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def titles(path: Path) -> dict[str, str]:
    with Project.open(path, read_only=True) as p:
        return {e.uid: e.title for e in p.events()}


def test_the_dialog_shows_the_plan_and_merges_with_the_analysts_choice_as_one_undo_step(qtbot, window, copies,
                                                                                       tmp_path):
    a, b, u = copies
    dialog = MergeDialog(window.hub, window.undo_stack, window, path=b)
    qtbot.addWidget(dialog)
    dialog.show()
    tops = [dialog.changes.topLevelItem(i).text(0) for i in range(dialog.changes.topLevelItemCount())]
    assert tops == ["Added (1)", "Changed (1)", "Deleted (1)"]
    changed = dialog.changes.topLevelItem(1).child(0)
    assert [changed.text(c) for c in range(4)] == ["event: Quiet week", "location", "—", "“Anbar”"]
    assert "Three-way merge" in dialog.mode_label.text()
    assert dialog.conflicts.rowCount() == 1
    assert [dialog.conflicts.item(0, c).text() for c in range(4)] == [
        "event: Drone strike on Tower 22", "title", "“Drone strike on Tower 22”", "“Attack on Tower 22, Jordan”"]
    dialog.grab().save(str(tmp_path / "merge_dialog.png"))
    dialog.conflicts.cellWidget(0, 4).setCurrentIndex(1)  # take B's title
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert dialog.result is not None and not dialog.result.plan.conflicts
    after = titles(a)
    assert after[u["tower"]] == "Attack on Tower 22, Jordan" and u["gone"] not in after
    assert "Nujaba threatens US forces" in after.values()
    assert window.undo_stack.undoText() == "Merge from b.sijill"
    window.undo_stack.undo()
    assert titles(a)[u["tower"]] == "Drone strike on Tower 22" and u["gone"] in titles(a)
    assert window.project.event_count() == 3
    window.undo_stack.redo()
    assert titles(a)[u["tower"]] == "Attack on Tower 22, Jordan"


def test_file_merge_from_runs_the_dialog_from_the_menu(qtbot, window, copies):
    a, b, u = copies
    action = window.action_set.file_merge
    assert action in window.menuBar().actions()[0].menu().actions() and action.isEnabled()

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, MergeDialog)
        dialog.load(b)
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)
    action.trigger()
    assert titles(a)[u["tower"]] == "Drone strike on Tower 22"  # the conflict kept this project's title
    assert "Merge from b.sijill: 1 added, 1 changed, 1 deleted; 1 conflicts" in window.statusBar().currentMessage()


def test_a_file_that_is_not_a_project_is_explained_and_nothing_can_be_merged(qtbot, window, tmp_path):
    junk = tmp_path / "notes.sijill"
    junk.write_text("a shopping list")
    dialog = MergeDialog(window.hub, window.undo_stack, window, path=junk)
    qtbot.addWidget(dialog)
    assert "not a Sijill project" in dialog.mode_label.text()
    assert not dialog.merge_button.isEnabled()
    assert not dialog.load(window.project.path) and "open in this window" in dialog.mode_label.text()


def test_keeping_every_conflict_of_a_two_way_import_leaves_no_undo_step(qtbot, window, copies, tmp_path):
    a, _b, u = copies
    other = tmp_path / "other.sijill"
    with Project.create(other) as p:
        p.create_event("Tower 22, as the other project has it", "2024-01-28", uid=u["tower"])
    dialog = MergeDialog(window.hub, window.undo_stack, window, path=other)
    qtbot.addWidget(dialog)
    assert "Two-way import" in dialog.mode_label.text() and dialog.conflicts.rowCount() == 2  # title, groups
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert dialog.result is not None and not dialog.result.applied
    assert window.undo_stack.count() == 0
    assert titles(a)[u["tower"]] == "Drone strike on Tower 22"


def test_merging_the_same_copy_again_has_nothing_to_do(qtbot, window, copies):
    _a, b, _u = copies
    first = MergeDialog(window.hub, window.undo_stack, window, path=b)
    qtbot.addWidget(first)
    qtbot.mouseClick(first.merge_button, Qt.MouseButton.LeftButton)
    again = MergeDialog(window.hub, window.undo_stack, window, path=b)
    qtbot.addWidget(again)
    assert again.changes_label.text().startswith("Nothing to merge")
    assert again.conflicts.rowCount() == 0 and not again.merge_button.isEnabled()
    again.reject()
    assert window.undo_stack.count() == 1
