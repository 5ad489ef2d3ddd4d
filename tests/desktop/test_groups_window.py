"""A project built from a BLANK file in the window: groups from the Groups tab, a sub-group, an event
in it (its lane appears), a group created from the event dialog, a merge, a delete, a rename from
the lane header, a drag in the Groups tree and a period dragged along the timeline's axis. Every
step is checked against the reopened FILE, then undone and redone."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialogButtonBox

from sijill.db.store.project import Project
from sijill.desktop.commands.events import CreateEventCommand
from sijill.desktop.shell.main_window import MainWindow
from tests.desktop.timeline_helpers import drag, ts

# the offscreen platform: top-level show(), and the completion popup typing opens
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise", "grabbing the keyboard")


@pytest.fixture
def blank(tmp_path) -> Project:
    p = Project.create(tmp_path / "blank.sijill")
    yield p
    p.close()


@pytest.fixture
def window(qtbot, blank, settings, messages) -> MainWindow:
    w = MainWindow(blank, settings)
    qtbot.addWidget(w)
    w.resize(1500, 900)
    w.show()
    qtbot.waitExposed(w)
    return w


def ok(dialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def on_file(project: Project) -> dict:
    """What the file holds about groups: name -> (parent name, colour, aliases, {event: role})."""
    with Project.open(project.path, read_only=True) as p:
        groups = p.groups()
        names = {g.id: g.name for g in groups}
        links: dict[int, dict[str, str]] = {g.id: {} for g in groups}
        for e in p.events():
            for link in e.groups:
                links[link.group_id][e.title] = link.role
        return {g.name: (names.get(g.parent_id), g.color, sorted(a.alias for a in g.aliases), links[g.id])
                for g in groups}


def lane_keys(window) -> list[int]:
    return [g.key for g in window.timeline.canvas.geoms]


def new_group(qtbot, window, name: str, sub_of: int | None = None, kind: str = "") -> int:
    """Create a group with the Groups tab's buttons (a sub-group of the selected one)."""
    panel = window.groups_panel
    if sub_of is not None:
        window.group_list.select_group(sub_of)
        panel.actions_by_name["new_subgroup"].trigger()
    else:
        panel.actions_by_name["new_group"].trigger()
    dialog = window.group_list.editing.dialog
    assert dialog.isVisible() and not ok(dialog).isEnabled() and dialog.message.text() == ""  # no error yet
    qtbot.keyClicks(dialog.name, name)
    dialog.kind.setCurrentText(kind)
    with qtbot.waitSignal(window.hub.groups_changed):
        qtbot.mouseClick(ok(dialog), Qt.MouseButton.LeftButton)
    return window.project.group_by_name(name).id


def test_a_blank_project_gets_groups_an_event_a_merge_and_a_delete_each_undoable(qtbot, window, blank, messages):
    stack = window.undo_stack
    assert window.group_list.groups_model.group_ids() == [] and lane_keys(window) == []
    # the Groups tab: a group, then a sub-group of it (its dialog says whose)
    pmf = new_group(qtbot, window, "Popular Mobilization Forces", kind="armed group")
    assert window.group_list.current_group() == pmf                     # the new group is selected
    window.group_list.select_group(pmf)
    window.groups_panel.actions_by_name["new_subgroup"].trigger()
    sub_dialog = window.group_list.editing.dialog
    assert sub_dialog.windowTitle() == "New sub-group of Popular Mobilization Forces"
    assert sub_dialog.parent_group.currentData() == pmf
    sub_dialog.reject()
    kh = new_group(qtbot, window, "Kataib Hezbollah", sub_of=pmf)
    assert on_file(blank)["Kataib Hezbollah"][0] == "Popular Mobilization Forces"
    assert on_file(blank)["Popular Mobilization Forces"][1] != on_file(blank)["Kataib Hezbollah"][1]  # own colours
    assert lane_keys(window) == [pmf, kh]                                # their lanes on the timeline

    # an event in the sub-group, and a group that does not exist yet, typed in the event dialog
    window.edit_event(None)
    dialog = window.event_dialog
    qtbot.keyClicks(dialog.title, "Tower 22 attack")
    qtbot.keyClicks(dialog.start.edit, "28 Jan 2024")
    qtbot.mouseClick(dialog.add_group_button, Qt.MouseButton.LeftButton)
    picker = dialog.group_table.cellWidget(0, 0)
    qtbot.keyClicks(picker.lineEdit(), "kataib")
    picker.completer().activated.emit("Kataib Hezbollah")           # picked from the completion list
    assert picker.value() == kh
    qtbot.mouseClick(dialog.add_group_button, Qt.MouseButton.LeftButton)
    picker = dialog.group_table.cellWidget(1, 0)
    qtbot.keyClicks(picker.lineEdit(), "United States")
    entries = picker.entries()
    assert entries[-1] == "Create group ‘United States’"
    assert not ok(dialog).isEnabled() and "no group is named “United States”" in dialog.message.text()
    picker.completer().activated.emit(entries[-1])
    qtbot.wait(1)
    assert picker.currentText() == "United States" and picker.value() == "United States"
    dialog.group_table.cellWidget(1, 1).setCurrentText("target")
    assert ok(dialog).isEnabled()
    qtbot.mouseClick(ok(dialog), Qt.MouseButton.LeftButton)
    state = on_file(blank)
    assert state["Kataib Hezbollah"][3] == {"Tower 22 attack": "actor"}
    assert state["United States"][3] == {"Tower 22 attack": "target"}
    us = blank.group_by_name("United States").id
    assert stack.count() == 3 and "Tower 22 attack" in stack.undoText()           # one step for both
    assert window.timeline.data.event_count(kh) == 1 and us in lane_keys(window)

    # a duplicate group, then merged into Kataib Hezbollah with the merge dialog
    dup = new_group(qtbot, window, "Kata'ib Hizballah")
    stack.push(CreateEventCommand(window.hub, {"title": "Drone claim", "start": "2024-02-02",
                                               "groups": [(dup, "actor")]}, "Create “Drone claim”"))
    menu = window.group_list.menu_for(dup)
    {a.objectName(): a for a in menu.actions()}["merge_group"].trigger()
    merge = window.group_list.editing.dialog
    assert dup not in [merge.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)
                       for i in range(merge.tree.topLevelItemCount())]
    qtbot.keyClicks(merge.filter, "hezbollah")
    assert merge.target_id() == kh                                     # the one match is chosen
    qtbot.mouseClick(merge.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    state = on_file(blank)
    assert "Kata'ib Hizballah" not in state
    assert state["Kataib Hezbollah"][2] == ["Kata'ib Hizballah"]
    assert state["Kataib Hezbollah"][3] == {"Tower 22 attack": "actor", "Drone claim": "actor"}
    assert dup not in lane_keys(window) and window.timeline.data.event_count(kh) == 2

    # delete the parent: the confirmation says what goes; the sub-group moves to the top level
    messages.clear()
    {a.objectName(): a for a in window.group_list.menu_for(pmf).actions()}["delete_group"].trigger()
    assert messages[0][0] == "Delete group"
    assert "No event is tagged with it" in messages[0][1] and "1 sub-group moves to the top level" in messages[0][1]
    state = on_file(blank)
    assert "Popular Mobilization Forces" not in state and state["Kataib Hezbollah"][0] is None
    assert [window.group_list.groups_model.item_for(g).text() for g in (kh, us)] == ["Kataib Hezbollah",
                                                                                      "United States"]
    final = on_file(blank)
    texts = [stack.text(i) for i in range(stack.count())]
    assert "Tower 22 attack" in texts.pop(2) and "Drone claim" in texts.pop(3)       # the event steps
    assert texts == ["New group “Popular Mobilization Forces”", "New group “Kataib Hezbollah”",
                     "New group “Kata'ib Hizballah”", "Merge “Kata'ib Hizballah” into “Kataib Hezbollah”",
                     "Delete group “Popular Mobilization Forces”"]

    # undo every step, checking the file after each, then redo them all
    states = []
    for _ in range(stack.count()):
        states.append(on_file(blank))
        stack.undo()
    assert on_file(blank) == {} and Project.open(blank.path).stats().events == 0       # blank again
    assert lane_keys(window) == [] and window.group_list.groups_model.group_ids() == []
    for expected in reversed(states):
        stack.redo()
        assert on_file(blank) == expected
    assert on_file(blank) == final
    assert window.group_list.groups_model.group_ids() == [kh, us]


def test_a_rename_to_a_taken_name_is_refused_and_leaves_no_step(qtbot, window, blank, messages):
    a = new_group(qtbot, window, "ISIS")
    new_group(qtbot, window, "Daesh")
    count = window.undo_stack.count()
    dialog = window.group_list.editing.rename(a)
    dialog.setTextValue("Daesh")
    dialog.accept()
    assert window.undo_stack.count() == count
    assert messages[-1] == ("Not saved", "The change ‘Rename “ISIS” to “Daesh”’ was not saved: "
                                         "a group named 'Daesh' already exists")
    assert set(on_file(blank)) == {"ISIS", "Daesh"}


def drop_on(tree, dragged: int, pos: QPoint) -> None:
    """Drop `dragged` at `pos` in the tree's viewport, as the end of a drag inside the tree does."""
    class TreeDrop(QDropEvent):
        def source(self):        # a drop that began in this tree (a real QDrag cannot run under test)
            return tree

    tree.select_group(dragged)
    event = TreeDrop(QPointF(pos), Qt.DropAction.MoveAction, QMimeData(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier)
    tree.dropEvent(event)


def test_dragging_a_group_in_the_tree_moves_it_and_a_cycle_is_refused(qtbot, window, blank, messages):
    pmf = new_group(qtbot, window, "Popular Mobilization Forces")
    kh = new_group(qtbot, window, "Kataib Hezbollah")
    tree = window.group_list
    stack = window.undo_stack
    count = stack.count()
    center = tree.visualRect(tree.groups_model.index_for(pmf)).center()
    drop_on(tree, kh, center)                                      # onto PMF: under it
    assert on_file(blank)["Kataib Hezbollah"][0] == "Popular Mobilization Forces"
    assert stack.count() == count + 1
    assert stack.undoText() == "Move “Kataib Hezbollah” under “Popular Mobilization Forces”"
    assert tree.groups_model.index_for(kh).parent() == tree.groups_model.index_for(pmf)
    messages.clear()
    drop_on(tree, pmf, tree.visualRect(tree.groups_model.index_for(kh)).center())   # PMF under its own child
    assert messages and messages[0][0] == "Cannot move the group" and "is part of it" in messages[0][1]
    assert on_file(blank)["Popular Mobilization Forces"][0] is None and stack.count() == count + 1
    drop_on(tree, kh, QPoint(20, tree.viewport().height() - 5))      # empty space: the top level
    assert on_file(blank)["Kataib Hezbollah"][0] is None
    stack.undo()
    assert on_file(blank)["Kataib Hezbollah"][0] == "Popular Mobilization Forces"


def test_the_lane_headers_menu_renames_recolours_adds_a_sub_group_and_hides(qtbot, window, blank):
    pmf = new_group(qtbot, window, "Popular Mobilization Forces")
    header = window.timeline.header
    menu = {a.objectName(): a for a in header.menu_for(pmf).actions()}
    assert {"rename_lane", "colour_lane", "new_subgroup", "merge_lane", "hide_lane"} <= set(menu)
    assert not menu["merge_lane"].isEnabled()                          # no other group yet
    menu["rename_lane"].trigger()
    dialog = header.editing.dialog
    assert dialog.textValue() == "Popular Mobilization Forces"
    dialog.setTextValue("Hashd")
    with qtbot.waitSignal(window.hub.groups_changed):
        dialog.accept()
    assert "Hashd" in on_file(blank)
    assert window.undo_stack.undoText() == "Rename “Popular Mobilization Forces” to “Hashd”"
    {a.objectName(): a for a in header.menu_for(pmf).actions()}["colour_lane"].trigger()
    colours = header.editing.dialog
    from PySide6.QtGui import QColor

    colours.setCurrentColor(QColor("#123456"))
    colours.accept()
    assert on_file(blank)["Hashd"][1] == "#123456"
    {a.objectName(): a for a in header.menu_for(pmf).actions()}["new_subgroup"].trigger()
    sub = header.editing.dialog
    assert sub.parent_group.currentData() == pmf
    qtbot.keyClicks(sub.name, "Brigade 45")
    sub.accept()
    assert on_file(blank)["Brigade 45"][0] == "Hashd"
    {a.objectName(): a for a in header.menu_for(pmf).actions()}["hide_lane"].trigger()
    assert lane_keys(window) == []                                  # the lane and its sub-lane
    assert window.group_list.groups_model.item_for(pmf).checkState() == Qt.CheckState.Unchecked
    {a.objectName(): a for a in header.menu_for(None).actions()}["show_all"].trigger()
    assert len(lane_keys(window)) == 2
    window.undo_stack.undo()
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert set(on_file(blank)) == {"Popular Mobilization Forces"}


def test_a_period_from_a_range_dragged_along_the_axis(qtbot, window, blank):
    for title, start in (("Fall of Mosul", "10 June 2014"), ("Recapture of Mosul", "10 July 2017")):
        window.undo_stack.push(CreateEventCommand(window.hub, {"title": title, "start": start}))
    view = window.timeline
    view.set_window(ts(2013, 1, 1), ts(2019, 1, 1))
    c = view.canvas
    vp = c.viewport()
    a, b = QPoint(int(vp.x(ts(2014, 6, 15))), 20), QPoint(int(vp.x(ts(2017, 7, 15))), 25)
    qtbot.mousePress(c, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, a)
    qtbot.mouseMove(c, (a + b) / 2)
    assert c.range_band is not None                                  # the range is shown while dragging
    shown = c.grab().toImage()
    qtbot.mouseMove(c, b)
    qtbot.mouseRelease(c, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, b)
    assert c.range_band is None and shown != c.grab().toImage()
    dialog = view.period_dialog
    assert dialog.windowTitle() == "New period"
    assert (dialog.start.edit.text(), dialog.end.edit.text()) == ("2014-06", "2017-07")   # at the zoom's precision
    assert not ok(dialog).isEnabled()
    qtbot.keyClicks(dialog.title, "ISIS holds Mosul")
    with qtbot.waitSignal(window.hub.periods_changed):
        qtbot.mouseClick(ok(dialog), Qt.MouseButton.LeftButton)
    with Project.open(blank.path, read_only=True) as p:
        [period] = p.periods()
        assert (period.title, period.start.text, period.end.text) == ("ISIS holds Mosul", "2014-06", "2017-07")
    assert window.periods_list.titles() == ["ISIS holds Mosul"]
    assert [p.title for p in view.data.periods] == ["ISIS holds Mosul"]
    assert window.undo_stack.undoText() == "New period “ISIS holds Mosul”"
    # a plain drag on the axis still pans; a short Shift+click opens nothing
    view.period_dialog = None
    qtbot.mouseClick(c, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, a)
    assert view.period_dialog is None
    view.set_window(ts(2015, 1, 1), ts(2016, 1, 1))
    t0 = c.t0
    drag(qtbot, c, QPoint(300, 20), QPoint(500, 20))
    assert c.t0 < t0 and view.period_dialog is None
    window.undo_stack.undo()
    assert Project.open(blank.path).periods() == [] and window.periods_list.titles() == []


def test_new_group_and_period_from_the_edit_menu_and_read_only_refusals(qtbot, tmp_path, settings, messages):
    path = tmp_path / "ro.sijill"
    Project.create(path).close()
    w = MainWindow(path, settings)
    qtbot.addWidget(w)
    assert w.action_set.edit_new_group.shortcut().toString() == "Ctrl+Shift+G"
    w.action_set.edit_new_group.trigger()
    assert w.group_list.editing.dialog.windowTitle() == "New group"
    w.group_list.editing.dialog.reject()
    w.action_set.edit_new_period.trigger()
    assert w.periods_list.dialog.windowTitle() == "New period"
    w.periods_list.dialog.reject()
    w.close()
    path.chmod(0o444)
    try:
        ro = MainWindow(path, settings)
        qtbot.addWidget(ro)
        assert not ro.action_set.edit_new_group.isEnabled() and not ro.action_set.edit_new_period.isEnabled()
        assert not any(a.isEnabled() for a in ro.groups_panel.actions_by_name.values())
        assert not ro.periods_list.actions_by_name["new_period"].isEnabled()
        assert not {a.objectName(): a for a in ro.group_list.menu_for(None).actions()}["new_group"].isEnabled()
        assert ro.group_list.editing.new_group() is None and messages[-1][0] == "Read-only project"
        ro.close()
    finally:
        path.chmod(0o644)


def test_dragging_a_lane_header_onto_another_lane_moves_the_group_under_it(qtbot, window, blank, messages):
    pmf = new_group(qtbot, window, "Popular Mobilization Forces")
    kh = new_group(qtbot, window, "Kataib Hezbollah")
    for title, gid in (("Founding", pmf), ("Strike", kh)):  # lanes show once they hold events
        window.undo_stack.push(CreateEventCommand(window.hub, {"title": title, "start": "2014-06-13",
                                                               "groups": [(gid, "actor")]}))
    header = window.timeline.header
    geoms = {g.key: g for g in window.timeline.canvas.geoms}
    a = QPoint(60, int(geoms[kh].y + geoms[kh].h / 2))
    b = QPoint(60, int(geoms[pmf].y + geoms[pmf].h / 2))        # the middle of PMF's lane: under it
    drag(qtbot, header, a, b)
    assert on_file(blank)["Kataib Hezbollah"][0] == "Popular Mobilization Forces"
    assert window.undo_stack.undoText() == "Move “Kataib Hezbollah” under “Popular Mobilization Forces”"
    geoms = {g.key: g for g in window.timeline.canvas.geoms}
    assert geoms[kh].info.parent == pmf and geoms[kh].info.depth == 1
    messages.clear()
    drag(qtbot, header, QPoint(60, int(geoms[pmf].y + geoms[pmf].h / 2)),
         QPoint(60, int(geoms[kh].y + geoms[kh].h / 2)))           # PMF under its own sub-group: refused
    assert on_file(blank)["Popular Mobilization Forces"][0] is None
    assert messages and "is part of it" in messages[-1][1]
    window.undo_stack.undo()
    assert on_file(blank)["Kataib Hezbollah"][0] is None


def test_the_drop_frame_outlines_the_lane_without_covering_its_name(qtbot, window, blank):
    pmf = new_group(qtbot, window, "Popular Mobilization Forces")
    kh = new_group(qtbot, window, "Kataib Hezbollah")
    for title, gid in (("Founding", pmf), ("Strike", kh)):
        window.undo_stack.push(CreateEventCommand(window.hub, {"title": title, "start": "2014-06-13",
                                                               "groups": [(gid, "actor")]}))
    header = window.timeline.header
    target = next(g for g in window.timeline.canvas.geoms if g.key == pmf)
    before = header.grab().toImage()
    header.drag_key, header.press_y, header.drag_y = kh, 0, target.y + target.h / 2
    header.invalidate()
    after = header.grab().toImage()
    header.drag_key = None
    inside = [(x, y) for x in range(8, header.width() - 8, 3)
              for y in range(int(target.y) + 6, int(target.y + target.h) - 6, 3)]
    changed = sum(before.pixel(x, y) != after.pixel(x, y) for x, y in inside)
    assert changed == 0                                  # the name, swatch and count stay visible
    edge = [(x, int(target.y) + 1) for x in range(8, header.width() - 8, 3)]
    assert sum(before.pixel(x, y) != after.pixel(x, y) for x, y in edge) > len(edge) // 2   # the frame is drawn
