"""Edit ▸ Tags…: rename, merge and delete tags from the dialog, each one undo step, checked against
the project FILE; the table, the Tags filter and the dialog's own list follow through undo and redo."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QInputDialog

from sijill.db.store.project import Project
from sijill.desktop.commands.stack import GuardedUndoStack
from sijill.desktop.hub import ProjectHub
from sijill.desktop.shell.main_window import MainWindow
from sijill.desktop.events.table_model import C_TAGS, C_TITLE
from sijill.desktop.commands.tags import DeleteTagCommand, MergeTagsCommand, RenameTagCommand
from sijill.desktop.tags.manager import TagManager

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")  # offscreen, top-level show()


@pytest.fixture
def tagged(small_project: Project) -> Project:
    """small_project (offensive, airstrike, drone ×2) with a passage tagged drone and claimed."""
    source = small_project.create_source("Statement", "Drones struck the base at dawn.")
    small_project.create_annotation(source.id, 0, 6, tags=["drone", "claimed"])
    return small_project


@pytest.fixture
def window(qtbot, tagged, settings, messages) -> MainWindow:
    w = MainWindow(tagged, settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def file_tags(project: Project) -> dict[str, tuple[list[str], int]]:
    """tag -> (titles of its events, number of its passages), from the file opened again."""
    with Project.open(project.path, read_only=True) as p:
        out = {}
        for name in p.tags():
            snap = p.tag_snapshot(name)
            out[name] = (sorted(p.event(e).title for e in snap["events"]), len(snap["annotations"]))
        return out


def rows(manager: TagManager) -> list[tuple[str, str, str]]:
    tree = manager.tree
    return [tuple(tree.topLevelItem(i).text(c) for c in range(3)) for i in range(tree.topLevelItemCount())]


def table_tags(window: MainWindow, title: str) -> str:
    proxy = window.table.proxy
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, C_TITLE).data() == title)
    return proxy.index(row, C_TAGS).data()


def test_reachable_from_the_edit_menu_and_the_tags_filter(window):
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    assert window.action_set.edit_tags in edit_menu.actions()
    tags_menu = window.filter_bar.tags_button.menu()
    tags_menu.aboutToShow.emit()
    assert tags_menu.actions()[-1] is window.action_set.edit_tags
    assert window.filter_bar.tags_button.options() == ["airstrike", "claimed", "drone", "offensive"]
    tags_menu.triggered.emit(window.action_set.edit_tags)  # not a tag: the filter stays as it was
    assert window.hub.filter.tags == frozenset()
    window.action_set.edit_tags.trigger()
    manager = window.tag_manager
    assert manager.isVisible()
    assert rows(manager) == [("airstrike", "1", "0"), ("claimed", "0", "1"), ("drone", "2", "1"),
                             ("offensive", "1", "0")]
    window.action_set.edit_tags.trigger()
    assert window.tag_manager is manager  # one dialog, raised again


def test_rename_from_the_dialog_follows_everywhere_and_undoes(qtbot, window, tagged, monkeypatch):
    before = file_tags(tagged)
    window.hub.set_filter(window.hub.filter.with_(tags=frozenset({"drone"})))
    manager = window.manage_tags()
    manager.select("drone")
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("UAV", True)))
    with qtbot.waitSignals([window.hub.events_changed, window.hub.annotations_changed, window.hub.tags_changed]):
        qtbot.mouseClick(manager.rename_button, qtbot_left())
    assert file_tags(tagged)["UAV"] == before["drone"] and "drone" not in file_tags(tagged)
    assert window.undo_stack.undoText() == "Rename tag “drone” to “UAV”"
    assert manager.current_tag() == "UAV"
    assert ("UAV", "2", "1") in rows(manager)
    assert table_tags(window, "Tower 22 attack") == "UAV"
    assert window.hub.filter.tags == frozenset({"UAV"})          # the filter follows the tag
    assert window.filter_bar.tags_button.chosen() == {"UAV"}
    assert "UAV" in window.filter_bar.tags_button.options()
    assert window.count_label.text() == "5 events, 2 shown"
    window.undo_stack.undo()
    assert file_tags(tagged) == before
    assert table_tags(window, "Tower 22 attack") == "drone"
    assert window.hub.filter.tags == frozenset({"drone"})
    assert ("drone", "2", "1") in rows(manager)
    window.undo_stack.redo()
    assert file_tags(tagged)["UAV"] == before["drone"]


def test_rename_onto_another_tag_asks_then_merges(window, tagged, monkeypatch, messages):
    manager = window.manage_tags()
    manager.select("claimed")
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (" drone ", True)))
    assert manager.ask_rename()
    assert messages[-1][0] == "Merge tags" and "“drone” is already a tag" in messages[-1][1]
    assert window.undo_stack.undoText() == "Merge tag “claimed” into “drone”"
    assert set(file_tags(tagged)) == {"airstrike", "drone", "offensive"}
    assert file_tags(tagged)["drone"][1] == 1  # the passage carried both: it keeps one
    window.undo_stack.undo()
    assert file_tags(tagged)["claimed"] == ([], 1)


def test_merge_into_and_delete_from_the_dialog(qtbot, window, tagged, monkeypatch, messages):
    manager = window.manage_tags()
    manager.select("airstrike")
    asked = []

    def get_item(parent, title, label, items, current, editable):
        asked.append(list(items))
        return "drone", True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(get_item))
    qtbot.mouseClick(manager.merge_button, qtbot_left())
    assert asked == [["claimed", "drone", "offensive"]]
    assert file_tags(tagged)["drone"][0] == ["Drone attacks on US forces begin", "Tower 22 attack",
                                             "US strikes on Kataib Hezbollah"]
    assert table_tags(window, "US strikes on Kataib Hezbollah") == "drone"
    manager.select("drone")
    qtbot.mouseClick(manager.delete_button, qtbot_left())
    assert messages[-1][0] == "Delete tag" and "3 events and 1 passage" in messages[-1][1]
    assert set(file_tags(tagged)) == {"claimed", "offensive"}
    assert table_tags(window, "Tower 22 attack") in ("", None)
    assert [r[0] for r in rows(manager)] == ["claimed", "offensive"]
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert file_tags(tagged)["airstrike"] == (["US strikes on Kataib Hezbollah"], 0)
    assert table_tags(window, "US strikes on Kataib Hezbollah") == "airstrike"


def test_a_refused_step_leaves_the_stack_and_the_file_as_they_were(qapp, tagged):
    hub, stack = ProjectHub(tagged), GuardedUndoStack()
    failures: list[str] = []
    stack.command_failed.connect(failures.append)
    before = file_tags(tagged)
    assert not stack.push(RenameTagCommand(hub, "drone", "a, b"))
    assert not stack.push(MergeTagsCommand(hub, "drone", "nothing"))
    assert not stack.push(DeleteTagCommand(hub, "nothing"))
    assert stack.count() == 0 and file_tags(tagged) == before
    assert failures[0].startswith("The change ‘Rename tag “drone” to “a, b”’ was not saved: "
                                  "a tag's name cannot hold a comma")
    assert failures[1:] == ["The change ‘Merge tag “drone” into “nothing”’ was not saved: no tag named 'nothing'",
                            "The change ‘Delete tag “nothing”’ was not saved: no tag named 'nothing'"]


def test_read_only_project_disables_the_buttons(qtbot, tagged, settings, messages):
    path = tagged.path
    tagged.close()
    with Project.open(path, read_only=True) as p:
        manager = TagManager(ProjectHub(p), GuardedUndoStack())
        qtbot.addWidget(manager)
        manager.select("drone")
        assert not any(b.isEnabled() for b in (manager.rename_button, manager.merge_button, manager.delete_button))
        assert not manager.ask_delete()


def test_the_dialog_rendered(qtbot, tagged, tmp_path):
    """Rendered to PNG (look at it: tmp_path/tags.png) with a tag chosen."""
    manager = TagManager(ProjectHub(tagged), GuardedUndoStack())
    qtbot.addWidget(manager)
    manager.show()
    qtbot.waitExposed(manager)
    manager.select("drone")
    path = tmp_path / "tags.png"
    assert manager.grab().save(str(path))
    assert path.stat().st_size > 1000


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
