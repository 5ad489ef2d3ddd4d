"""Group and period commands on the undo stack, and the dialogs and lists that push them: what the
hub announces, what the FILE holds after redo, undo and redo, and refused steps left off the stack."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from sijill.db.store.project import Project
from sijill.desktop.commands.events import CreateEventCommand
from sijill.desktop.commands.stack import GuardedUndoStack
from sijill.desktop.groups.group_dialog import GroupDialog
from sijill.desktop.commands.base import CompositeCommand
from sijill.desktop.commands.groups import CreateGroupCommand, DeleteGroupCommand, EditGroupCommand, MergeGroupsCommand, MoveGroupCommand
from sijill.desktop.commands.periods import CreatePeriodCommand, DeletePeriodCommand, EditPeriodCommand
from sijill.desktop.groups.period_dialog import PeriodDialog
from sijill.desktop.groups.periods_list import PeriodsList
from sijill.desktop.hub import ProjectHub
from sijill.desktop.groups.group_list import GroupList, GroupsPanel

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def hub(qapp, small_project):
    return ProjectHub(small_project)


@pytest.fixture
def stack(qapp):
    s = GuardedUndoStack()
    failures: list[str] = []
    s.command_failed.connect(failures.append)
    s.failures = failures
    return s


def gid(project, name):
    return project.group_by_name(name).id


def tree(project) -> list[tuple]:
    with Project.open(project.path, read_only=True) as p:
        names = {g.id: g.name for g in p.groups()}
        return [(g.id, g.uid, g.name, names.get(g.parent_id), g.color, tuple(g.aliases)) for g in p.groups()]


def links(project) -> set[tuple]:
    with Project.open(project.path, read_only=True) as p:
        return {(e.title, l.group_id, l.role) for e in p.events() for l in e.groups}


def test_create_group_keeps_its_id_through_undo_and_redo(qtbot, hub, stack, small_project):
    pmf = gid(small_project, "Popular Mobilization Forces")
    command = CreateGroupCommand(hub, {"name": "Harakat al-Nujaba", "parent": pmf,
                                       "aliases": [("النجباء", "ar")], "color": "#aabbcc"})
    with qtbot.waitSignal(hub.groups_changed):
        assert stack.push(command)
    after = tree(small_project)
    stack.undo()
    assert small_project.group_by_name("Harakat al-Nujaba") is None
    stack.redo()
    assert tree(small_project) == after                    # same id and uid: later steps still find it
    assert stack.text(0) == "New group “Harakat al-Nujaba”"


def test_refused_commands_leave_no_step_and_change_nothing(qtbot, hub, stack, small_project):
    before, before_links = tree(small_project), links(small_project)
    pmf, kh = gid(small_project, "Popular Mobilization Forces"), gid(small_project, "Kataib Hezbollah")
    assert not stack.push(CreateGroupCommand(hub, {"name": "ISIS"}))
    assert not stack.push(EditGroupCommand(hub, kh, {"name": "United States"}))
    assert not stack.push(MoveGroupCommand(hub, pmf, kh))
    assert not stack.push(MergeGroupsCommand(hub, pmf, kh))
    assert stack.count() == 0
    assert stack.failures == [
        "The change ‘New group “ISIS”’ was not saved: a group named 'ISIS' already exists",
        "The change ‘Edit group “Kataib Hezbollah”’ was not saved: a group named 'United States' already exists",
        "The change ‘Move “Popular Mobilization Forces” under “Kataib Hezbollah”’ was not saved: 'Popular "
        "Mobilization Forces' cannot be placed under 'Kataib Hezbollah', which is part of it: a group cannot be "
        "inside itself",
        "The change ‘Merge “Popular Mobilization Forces” into “Kataib Hezbollah”’ was not saved: cannot merge "
        "'Popular Mobilization Forces' into 'Kataib Hezbollah': 'Kataib Hezbollah' is part of it"]
    assert tree(small_project) == before and links(small_project) == before_links


def test_merge_and_delete_announce_and_undo_exactly(qtbot, hub, stack, small_project):
    kh, us = gid(small_project, "Kataib Hezbollah"), gid(small_project, "United States")
    source = small_project.create_source("Statement", "Kataib Hezbollah and US forces clashed.")
    ann = small_project.create_annotation(source.id, 0, 16, groups=[kh])
    before, before_links = tree(small_project), links(small_project)
    with qtbot.waitSignals([hub.groups_changed, hub.annotations_changed]) as got:
        stack.push(MergeGroupsCommand(hub, kh, us))
    assert ("Tower 22 attack", us, "actor") in links(small_project)           # actor beats target
    assert small_project.annotation(ann.id).group_ids == (us,)
    with qtbot.waitSignal(hub.annotations_changed) as changed:
        stack.undo()
    assert changed.args == [source.id]
    assert tree(small_project) == before and links(small_project) == before_links
    stack.redo()
    stack.undo()
    pmf = gid(small_project, "Popular Mobilization Forces")
    stack.push(DeleteGroupCommand(hub, pmf))
    assert dict((n, p) for _i, _u, n, p, _c, _a in tree(small_project))["Kataib Hezbollah"] is None
    assert stack.undoText() == "Delete group “Popular Mobilization Forces”"
    stack.undo()
    assert tree(small_project) == before and links(small_project) == before_links


def test_a_composite_is_one_step_and_a_refused_part_undoes_the_rest(qtbot, hub, stack, small_project):
    before = tree(small_project)
    create = CreateGroupCommand(hub, {"name": "Saraya al-Salam"})
    bad = CreateEventCommand(hub, {"title": "Clash", "start": "2014-06-20", "groups": [("Saraya al-Salam", "boss")]})
    assert not stack.push(CompositeCommand("Create “Clash”", [create, bad]))
    assert "unknown role 'boss'" in stack.failures[-1]
    assert stack.count() == 0 and tree(small_project) == before
    good = CreateEventCommand(hub, {"title": "Clash", "start": "2014-06-20", "groups": [("Saraya al-Salam", "actor")]})
    saraya = CreateGroupCommand(hub, {"name": "Saraya al-Salam"})
    assert stack.push(CompositeCommand("Create “Clash”", [saraya, good]))
    sid = gid(small_project, "Saraya al-Salam")
    assert ("Clash", sid, "actor") in links(small_project)
    stack.undo()
    assert tree(small_project) == before and "Clash" not in {t for t, _g, _r in links(small_project)}
    stack.redo()
    assert ("Clash", sid, "actor") in links(small_project)


def test_period_commands_round_trip_and_refuse_an_end_before_the_start(qtbot, hub, stack, small_project):
    with qtbot.waitSignal(hub.periods_changed):
        stack.push(CreatePeriodCommand(hub, {"title": "Gaza war", "start": "7 Oct 2023", "end": "2025"}))
    [period] = small_project.periods()
    assert not stack.push(EditPeriodCommand(hub, period.id, {"end": "2020"}))
    assert "is before the start" in stack.failures[-1] and stack.count() == 1
    stack.push(EditPeriodCommand(hub, period.id, {"title": "Gaza war and the strikes on US bases", "color": "#ff0000"}))
    stack.push(DeletePeriodCommand(hub, period.id))
    assert small_project.periods() == []
    stack.undo()
    assert small_project.period(period.id).title == "Gaza war and the strikes on US bases"
    stack.undo()
    assert Project.open(small_project.path).period(period.id) == period
    stack.undo()
    assert small_project.periods() == []
    stack.redo()
    assert small_project.period(period.id) == period                  # same id, uid and dates


def ok(dialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_period_dialog_reads_dates_as_typed_and_says_what_is_wrong(qtbot, hub, small_project):
    small_project.create_period("Gaza war", "7 Oct 2023", "2025")
    dialog = PeriodDialog(hub)
    qtbot.addWidget(dialog)
    assert not ok(dialog).isEnabled() and dialog.message.text() == ""           # nothing typed: no error
    qtbot.keyClicks(dialog.title, "Gaza war")
    assert "a period titled “Gaza war” exists" in dialog.message.text()
    dialog.title.setText("ISIS holds Mosul")
    qtbot.keyClicks(dialog.start.edit, "10 June 2014")
    assert dialog.start.preview.text().startswith("10 Jun 2014 · bounds 2014-06-10")
    qtbot.keyClicks(dialog.end.edit, "blursday")
    assert "to: " in dialog.message.text() and not ok(dialog).isEnabled()
    dialog.end.edit.setText("2013")
    assert dialog.message.text() == "the end is before the start"
    dialog.end.edit.setText("c. July 2017")
    assert ok(dialog).isEnabled() and dialog.message.text() == ""
    fields = dialog.fields()
    assert fields["end"].approximate and fields["color"].startswith("#")


def test_periods_list_edits_and_deletes_with_undo(qtbot, hub, stack, small_project, messages):
    small_project.create_period("ISIS holds Mosul", "June 2014", "July 2017", color="#aa0000")
    small_project.create_period("Gaza war", "7 Oct 2023", "2025")
    panel = PeriodsList(hub, stack)
    qtbot.addWidget(panel)
    assert panel.titles() == ["ISIS holds Mosul", "Gaza war"]
    item = panel.tree.topLevelItem(0)
    assert (item.text(1), item.text(2)) == ("Jun 2014", "Jul 2017")
    assert not panel.actions_by_name["edit_period"].isEnabled()
    panel.tree.setCurrentItem(item)
    panel.actions_by_name["edit_period"].trigger()
    dialog = panel.dialog
    assert dialog.windowTitle() == "Edit period — ISIS holds Mosul" and dialog.changed_fields() == {}
    dialog.end.edit.setText("10 July 2017")
    with qtbot.waitSignal(hub.periods_changed):
        ok(dialog).click()
    assert small_project.periods()[0].end.text == "10 July 2017"
    assert stack.undoText() == "Edit period “ISIS holds Mosul”"
    panel.select_period(small_project.periods()[1].id)
    panel.actions_by_name["delete_period"].trigger()
    assert messages[-1][0] == "Delete period" and panel.titles() == ["ISIS holds Mosul"]
    stack.undo()
    stack.undo()
    assert panel.titles() == ["ISIS holds Mosul", "Gaza war"]
    assert small_project.periods()[0].end.text == "July 2017"
    zoom = []
    panel.zoom_requested.connect(lambda a, b: zoom.append((a, b)))
    {a.objectName(): a for a in panel.menu_for(small_project.periods()[0].id).actions()}["zoom_period"].trigger()
    assert zoom and zoom[0][0] < small_project.periods()[0].start.lo_ts


def test_group_dialog_for_a_new_group_offers_the_next_colour_and_the_parent(qtbot, hub, small_project):
    pmf = gid(small_project, "Popular Mobilization Forces")
    dialog = GroupDialog(hub, None, parent_id=pmf)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "New sub-group of Popular Mobilization Forces"
    assert ok(dialog).text() == "Create" and not ok(dialog).isEnabled() and dialog.message.text() == ""
    used = {g.color for g in small_project.groups()}
    assert dialog.color.name() not in used
    dialog.name.setText("ISIS")
    assert "a group named “ISIS” exists" in dialog.message.text()
    dialog.name.setText("Harakat al-Nujaba")
    dialog.add_alias("النجباء", "ar")
    fields = dialog.fields()
    assert fields["parent"] == pmf and [(a.alias, a.lang) for a in fields["aliases"]] == [("النجباء", "ar")]
    edit = GroupDialog(hub, small_project.group_by_name("ISIS"))
    qtbot.addWidget(edit)
    assert edit.changed_fields() == {}


def test_groups_tab_filter_finds_a_group_by_alias_and_keeps_its_parents(qtbot, hub, stack, small_project):
    groups = GroupList(hub, undo_stack=stack)
    panel = GroupsPanel(groups)
    qtbot.addWidget(panel)
    panel.show()
    model = groups.groups_model
    panel.filter.setText("كتائب")             # an Arabic alias of Kataib Hezbollah (QTest types Latin-1 only)
    shown = [g.name for g in small_project.groups()
             if not groups.isRowHidden(model.index_for(g.id).row(), model.index_for(g.id).parent())]
    assert shown == ["Popular Mobilization Forces", "Kataib Hezbollah"]
    panel.filter.clear()
    assert all(not groups.isRowHidden(model.index_for(g).row(), model.index_for(g).parent()) for g in model.group_ids())
    assert not panel.actions_by_name["delete_group"].isEnabled()           # nothing selected
    groups.select_group(gid(small_project, "ISIS"))
    assert panel.actions_by_name["delete_group"].isEnabled()


def test_del_in_the_groups_tree_deletes_the_selected_group_after_confirming(qtbot, hub, stack, small_project,
                                                                            messages):
    groups = GroupList(hub, undo_stack=stack)
    qtbot.addWidget(groups)
    groups.select_group(gid(small_project, "ISIS"))
    qtbot.keyClick(groups, Qt.Key.Key_Delete)
    assert messages[-1][0] == "Delete group" and "1 event will lose the tag “ISIS”" in messages[-1][1]
    assert small_project.group_by_name("ISIS") is None and stack.count() == 1
    assert "ISIS" not in [groups.groups_model.item_for(g).text() for g in groups.groups_model.group_ids()]


def test_annotation_dialog_creates_a_typed_group_with_the_passage_in_one_step(qtbot, hub, stack, small_project):
    from sijill.desktop.sources.annotate import AnnotationEditor

    source = small_project.create_source("Statement", "Harakat al-Nujaba claimed the attack on the base.")
    widget = QWidget()
    qtbot.addWidget(widget)
    editor = AnnotationEditor(hub, stack, widget)
    dialog = editor.annotate(source.id, (0, 17))
    assert not dialog.create_group_button.isVisibleTo(dialog)
    qtbot.keyClicks(dialog.group_filter, "kata")
    visible = [dialog.groups_list.item(i).text().strip() for i in range(dialog.groups_list.count())
               if not dialog.groups_list.item(i).isHidden()]
    assert visible == ["Kataib Hezbollah"] and dialog.create_group_button.isVisibleTo(dialog)
    dialog.group_filter.setText("Harakat al-Nujaba")
    assert dialog.create_group_button.text() == "Create group ‘Harakat al-Nujaba’"
    qtbot.mouseClick(dialog.create_group_button, Qt.MouseButton.LeftButton)
    assert dialog.new_groups() == ["Harakat al-Nujaba"] and dialog.group_filter.text() == ""
    dialog.accept()
    nujaba = small_project.group_by_name("Harakat al-Nujaba")
    [annotation] = small_project.annotations(source.id)
    assert annotation.group_ids == (nujaba.id,) and nujaba.color
    assert stack.count() == 1
    stack.undo()
    assert small_project.group_by_name("Harakat al-Nujaba") is None and small_project.annotations(source.id) == []
    stack.redo()
    assert small_project.annotations(source.id)[0].group_ids == (nujaba.id,)
    # editing the passage: another new group, next to the one it has
    dialog = editor.edit(annotation.id)
    dialog.group_filter.setText("Nujaba media office")
    dialog._create_typed_group()
    dialog.accept()
    office = small_project.group_by_name("Nujaba media office").id
    assert set(small_project.annotation(annotation.id).group_ids) == {nujaba.id, office}
    stack.undo()
    assert small_project.group_by_name("Nujaba media office") is None
    assert small_project.annotation(annotation.id).group_ids == (nujaba.id,)
