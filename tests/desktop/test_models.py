"""The events table model, its filter proxy and the group tree, over real project files."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from sijill.desktop.commands.events import CreateEventCommand, DeleteEventsCommand, UpdateEventCommand
from sijill.desktop.commands.stack import GuardedUndoStack
from sijill.desktop.groups.tree_model import GroupsModel
from sijill.desktop.hub import ProjectHub
from sijill.desktop.events.table_model import (C_END, C_EVIDENCE, C_GROUPS, C_START, C_TITLE, EVENT_ID_ROLE, GROUP_ID_ROLE,
                            SORT_ROLE, EventsFilterProxy, EventsTableModel)


@pytest.fixture
def hub(qapp, small_project):
    return ProjectHub(small_project)


@pytest.fixture
def table(hub):
    proxy = EventsFilterProxy(hub)
    model = EventsTableModel(hub)
    proxy.setSourceModel(model)
    return model, proxy


def titles(model) -> list[str]:
    return [model.index(r, C_TITLE).data() for r in range(model.rowCount())]


def ids_of(project, *titles_: str) -> list[int]:
    by_title = {e.title: e.id for e in project.events()}
    return [by_title[t] for t in titles_]


def test_models_pass_qtmodeltester(qtmodeltester, hub, table):
    model, proxy = table
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(proxy, force_py=True)
    qtmodeltester.check(GroupsModel(hub))  # the C++ tester: QStandardItemModel gives check states as ints


def test_dates_are_shown_by_precision(table):
    model, _ = table
    starts = {model.index(r, C_TITLE).data(): model.index(r, C_START).data() for r in range(model.rowCount())}
    assert starts["Drone attacks on US forces begin"] == "Oct 2023"
    assert starts["Tower 22 attack"] == "28 Jan 2024"
    assert model.index(0, C_END).data() == ""


def test_groups_column_names_roles_and_user_role_is_start_seconds(hub, table):
    model, _ = table
    row = titles(model).index("US strikes on Kataib Hezbollah")
    assert model.index(row, C_GROUPS).data() == "Kataib Hezbollah (target), United States (actor)"
    event = hub.project.event(model.index(row, 0).data(EVENT_ID_ROLE))
    assert model.index(row, C_START).data(SORT_ROLE) == event.start.lo_ts
    assert model.index(row, C_EVIDENCE).data() == "0"


def test_a_year_sorts_before_a_month_of_that_year_then_by_upper_bound(hub, table):
    model, proxy = table
    project = hub.project
    project.create_event("Mid-2014 thing", "2014-06")
    project.create_event("Sometime in 2014", "2014")
    project.create_event("January 2014", "2014-01")
    model.reload()
    shown = titles(proxy)
    # lo first ("2014" and "Jan 2014" both start on 1 Jan), then hi (January ends first)
    assert shown.index("January 2014") < shown.index("Sometime in 2014") < shown.index("Mid-2014 thing")
    assert shown.index("Mid-2014 thing") < shown.index("ISIS takes Mosul")
    proxy.sort(C_START, Qt.SortOrder.DescendingOrder)
    assert titles(proxy)[0] == "Tower 22 attack"
    assert titles(proxy)[-1] == "January 2014"
    proxy.sort(C_TITLE, Qt.SortOrder.AscendingOrder)
    assert titles(proxy) == sorted(titles(proxy), key=str.casefold)


def test_created_event_is_inserted_in_place_without_a_reset(qtbot, hub, table):
    model, proxy = table
    stack = QUndoStack()
    with qtbot.assertNotEmitted(model.modelReset):
        with qtbot.waitSignal(model.rowsInserted) as inserted:
            stack.push(CreateEventCommand(hub, {"title": "K-1 rocket attack", "start": "2019-12-27",
                                                "groups": [(hub.project.group_by_name("Kataib Hezbollah").id,
                                                            "actor")]}))
    row = inserted.args[1]
    assert model.index(row, C_TITLE).data() == "K-1 rocket attack"
    assert titles(model).index("K-1 rocket attack") == titles(model).index("US strikes on Kataib Hezbollah") - 1
    assert proxy.rowCount() == 6
    with qtbot.waitSignal(model.rowsRemoved):
        stack.undo()
    assert "K-1 rocket attack" not in titles(model)


def test_edit_moves_the_row_and_updates_its_cells(qtbot, hub, table):
    model, proxy = table
    stack = QUndoStack()
    (eid,) = ids_of(hub.project, "ISIS takes Mosul")
    with qtbot.assertNotEmitted(model.modelReset):
        with qtbot.waitSignal(model.rowsMoved):
            stack.push(UpdateEventCommand(hub, {eid: {"start": "2024-06", "title": "Later"}}))
    assert titles(model)[-1] == "Later"
    assert model.index(model.rowCount() - 1, C_START).data() == "Jun 2024"
    with qtbot.waitSignal(model.dataChanged):
        stack.undo()
    assert titles(model)[0] == "ISIS takes Mosul"


def test_delete_removes_rows_and_undo_restores_them(qtbot, hub, table):
    model, proxy = table
    stack = QUndoStack()
    ids = ids_of(hub.project, "Tower 22 attack", "ISIS takes Mosul")
    with qtbot.waitSignal(model.rowsRemoved):
        stack.push(DeleteEventsCommand(hub, ids))
    assert model.rowCount() == 3 and proxy.rowCount() == 3
    stack.undo()
    assert titles(model) == ["ISIS takes Mosul", "Sistani's call to arms", "US strikes on Kataib Hezbollah",
                             "Drone attacks on US forces begin", "Tower 22 attack"]


def test_filter_by_groups_tags_types_dates_search_and_evidence(hub, table):
    model, proxy = table
    project = hub.project
    kh = project.group_by_name("Kataib Hezbollah").id
    us = project.group_by_name("United States").id
    project.create_event("Nobody in particular", "2020-05-05")
    model.reload()
    assert proxy.rowCount() == 6  # every group shown: the event without groups too
    hub.set_filter(hub.filter.with_(group_ids=frozenset({kh})))
    assert titles(proxy) == ["US strikes on Kataib Hezbollah", "Drone attacks on US forces begin",
                             "Tower 22 attack"]
    hub.set_filter(hub.filter.with_(group_ids=frozenset(g.id for g in project.groups())))
    assert proxy.rowCount() == 6
    hub.set_filter(hub.filter.with_(group_ids=frozenset({us}), tags=frozenset({"drone"})))
    assert titles(proxy) == ["Drone attacks on US forces begin", "Tower 22 attack"]
    hub.set_filter(hub.filter.with_(group_ids=None, tags=frozenset(),
                                    event_types=frozenset({"Explosions/Remote violence"})))
    assert titles(proxy) == ["US strikes on Kataib Hezbollah"]
    oct_2023 = project.event(ids_of(project, "Drone attacks on US forces begin")[0]).start
    hub.set_filter(hub.filter.with_(event_types=frozenset(), lo=oct_2023.lo_ts + 86400 * 20, hi=None))
    assert titles(proxy) == ["Drone attacks on US forces begin", "Tower 22 attack"]  # overlap, not containment
    hub.set_filter(hub.filter.with_(lo=None, search="tower"))
    assert titles(proxy) == ["Tower 22 attack"]
    source = project.create_source("A report", "It was a drone.")
    (tower,) = ids_of(project, "Tower 22 attack")
    project.add_evidence(tower, source_id=source.id, stance="contradicts")
    hub.set_filter(hub.filter.with_(search="", evidence="contradicted"))
    assert titles(proxy) == ["Tower 22 attack"]
    assert model.index(model.row_of(tower), C_EVIDENCE).data() == "1 (1 against)"
    hub.set_filter(hub.filter.with_(evidence="none"))
    assert "Tower 22 attack" not in titles(proxy) and proxy.rowCount() == 5


def test_search_follows_edits(qtbot, hub, table):
    model, proxy = table
    hub.set_filter(hub.filter.with_(search="Baghdad"))
    assert proxy.rowCount() == 0
    (eid,) = ids_of(hub.project, "Tower 22 attack")
    QUndoStack().push(UpdateEventCommand(hub, {eid: {"description": "Claimed from Baghdad"}}))
    assert titles(proxy) == ["Tower 22 attack"]


def test_groups_model_tree_counts_colours_and_check_boxes(hub):
    groups = GroupsModel(hub)
    project = hub.project
    pmf, kh = project.group_by_name("Popular Mobilization Forces"), project.group_by_name("Kataib Hezbollah")
    pmf_index = groups.index_for(pmf.id)
    assert pmf_index.data() == "Popular Mobilization Forces"
    kh_index = groups.index_for(kh.id)
    assert kh_index.parent() == pmf_index
    assert groups.index(kh_index.row(), 1, pmf_index).data() == "3"
    assert pmf_index.data(Qt.ItemDataRole.DecorationRole).name() == "#1b9e77"
    assert groups.item_for(kh.id).checkState() == Qt.CheckState.Checked
    # Unchecking a parent hides its whole subtree
    groups.setData(pmf_index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert hub.filter.group_ids == frozenset(g.id for g in project.groups()) - {pmf.id, kh.id}
    assert groups.item_for(kh.id).checkState() == Qt.CheckState.Unchecked
    # Re-checking only the child leaves the parent partly checked
    groups.setData(kh_index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert kh.id in hub.filter.group_ids and pmf.id not in hub.filter.group_ids
    assert groups.item_for(pmf.id).checkState() == Qt.CheckState.PartiallyChecked
    groups.show_only(kh.id)
    assert hub.filter.group_ids == frozenset({kh.id})
    groups.show_all()
    assert hub.filter.group_ids is None
    assert all(groups.item_for(g).checkState() == Qt.CheckState.Checked for g in groups.group_ids())
    assert groups.index_for(kh.id).data(GROUP_ID_ROLE) == kh.id


def test_evidence_column_follows_links_deletes_and_undo_reading_only_the_named_events(qtbot, hub, table,
                                                                                      monkeypatch):
    """The Evidence cell is right after a link, a deletion and their undo, and the model asks the
    file only about the events an edit names, never for the whole evidence table."""
    from sijill.desktop.commands.evidence import LinkEvidenceCommand

    model, proxy = table
    project, stack = hub.project, GuardedUndoStack()
    (tower,) = ids_of(project, "Tower 22 attack")
    source = project.create_source("CENTCOM statement", "Three U.S. Army soldiers were killed.")
    annotation = project.create_annotation(source.id, 0, 10)
    asked: list = []
    whole = project.evidence_summary
    monkeypatch.setattr(project, "evidence_summary", lambda ids=None: asked.append(ids) or whole(ids))

    def cell() -> str:
        return model.index(model.row_of(tower), C_EVIDENCE).data()

    assert cell() == "0"
    assert stack.push(LinkEvidenceCommand(hub, annotation.id, tower, "contradicts"))
    assert cell() == "1 (1 against)"
    stack.push(DeleteEventsCommand(hub, [tower]))
    stack.undo()
    assert cell() == "1 (1 against)"
    stack.undo()
    assert cell() == "0"
    stack.redo()
    assert cell() == "1 (1 against)"
    assert asked and None not in asked
