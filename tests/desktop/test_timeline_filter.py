"""Timeline filters and search: what is hidden, highlighted and stepped through, kept in step
with edits; each test checks the widget against what the file holds."""
from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.desktop.timeline_helpers import ev, gid, item_pos, reopen, setup, ts  # noqa: F401 (setup: a fixture)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")   # offscreen platform, top-level show()


# ---- filters and search ---------------------------------------------------------------------------------
def test_filter_hides_lanes_and_events(setup):
    view, hub, stack, project = setup
    c = view.canvas
    view.fit_all()
    us, kh = gid(project, "United States"), gid(project, "Kataib Hezbollah")
    hub.set_filter(hub.filter.with_(group_ids=frozenset({kh})))
    assert [g.key for g in c.geoms] == [kh]
    hub.set_filter(hub.filter.with_(group_ids=None, tags=frozenset({"drone"})))
    drawn = {int(i) for dl in c.ensure_frame().lanes for i in dl.ids}
    assert drawn == {ev(project, "Tower 22 attack").id, ev(project, "Drone attacks on US forces begin").id}
    assert project.event_count() == 5


def test_search_highlights_and_next_match(setup):
    view, hub, stack, project = setup
    hub.set_filter(hub.filter.with_(search="Tower"))
    tower = ev(project, "Tower 22 attack")
    assert view.data.matches.tolist() == [tower.id]
    view.set_window(ts(2014, 1, 1), ts(2015, 1, 1))
    assert view.next_match() == tower.id and hub.selection == [tower.id]
    assert view.canvas.t0 <= tower.lo <= view.canvas.t1


def test_arrow_keys_step_from_a_selected_event_the_filter_hides(setup, qtbot):
    """The selection survives a filter: stepping from a hidden event goes to the shown events on
    either side of where it lies, and up/down finds the nearest in the next lane."""
    view, hub, stack, project = setup
    c = view.canvas
    kh = gid(project, "Kataib Hezbollah")
    us_strikes = ev(project, "US strikes on Kataib Hezbollah")        # 2019, in KH and US
    drones = ev(project, "Drone attacks on US forces begin")          # 2023-10
    tower = ev(project, "Tower 22 attack")                            # 2024-01-28
    view.fit_all()
    qtbot.mouseClick(c, Qt.MouseButton.LeftButton, pos=item_pos(view, drones.id, kh))
    assert hub.selection == [drones.id]
    hub.set_filter(replace(hub.filter, lo=int(ts(2014, 1, 1)), hi=int(ts(2020, 1, 1))))
    assert drones.id not in set(view.data.lane(kh).ids.tolist())       # hidden now
    QTest.keyClick(c, Qt.Key.Key_Left)
    assert hub.selection == [us_strikes.id]
    QTest.keyClick(c, Qt.Key.Key_Right)                                 # nothing shown after it in KH
    assert hub.selection == [us_strikes.id]
    hub.set_filter(replace(hub.filter, lo=int(ts(2024, 1, 1)), hi=None))
    QTest.keyClick(c, Qt.Key.Key_Right)                                 # from the hidden 2019 strike
    assert hub.selection == [tower.id]


def test_filtered_lanes_follow_edits_and_undo(setup, qtbot):
    """With a filter on, an edit that takes an event out of the filtered range hides it, undo
    shows it again, and an ungrouped event brought into range shows in the Ungrouped lane."""
    from sijill.desktop.commands.events import CreateEventCommand, UpdateEventCommand
    from sijill.db.dates import parse_fuzzy
    view, hub, stack, project = setup
    c = view.canvas
    kh = gid(project, "Kataib Hezbollah")
    tower = ev(project, "Tower 22 attack")
    hub.set_filter(replace(hub.filter, lo=int(ts(2023, 1, 1)), hi=int(ts(2025, 1, 1))))
    view.fit_all()

    def drawn():
        return {int(i) for dl in c.ensure_frame().lanes for i in dl.ids}
    assert tower.id in drawn() and c.data.event_count(kh) == 2
    stack.push(UpdateEventCommand(hub, {tower.id: {"start": parse_fuzzy("2021-01-28")}}, text="Move"))
    assert reopen(project).event(tower.id).start.text == "2021-01-28"
    assert tower.id not in drawn() and c.data.event_count(kh) == 1
    stack.undo()
    assert tower.id in drawn() and c.data.event_count(kh) == 2
    stack.push(CreateEventCommand(hub, {"title": "Unclaimed rocket fire", "start": "2023-11-02"}))
    loose = ev(reopen(project), "Unclaimed rocket fire")
    assert 0 in [g.key for g in c.geoms]                                # the Ungrouped lane appears
    assert loose.id in drawn()


def test_next_match_skips_matches_the_filter_hides(setup):
    view, hub, stack, project = setup
    hub.set_filter(replace(hub.filter, search="US", lo=int(ts(2020, 1, 1))))
    hidden = ev(project, "US strikes on Kataib Hezbollah").id                 # 2019: matches, filtered out
    shown = {ev(project, "Drone attacks on US forces begin").id}
    assert hidden in set(view.data.matches.tolist())
    assert set(view.data.match_list) == shown
    for _ in range(3):
        eid = view.next_match()
        assert eid in shown and hub.selection == [eid]
        lo, _hi = view.data.event_times(eid)
        assert view.canvas.t0 <= lo <= view.canvas.t1


def test_next_match_and_arrow_keys_keep_to_the_lanes_shown(setup, qtbot):
    """With only some groups shown, Enter does not select a match in a hidden lane, and the arrow
    keys step in a lane that is on screen."""
    view, hub, stack, project = setup
    us, isis = gid(project, "United States"), gid(project, "ISIS")
    hub.set_filter(replace(hub.filter, group_ids=frozenset({us}), search="Mosul"))
    assert ev(project, "ISIS takes Mosul").id in set(view.data.matches.tolist())
    assert view.next_match() is None and hub.selection == []
    strikes = project.create_event("US strikes three sites", "2024-01-23", groups=[(us, "actor")])
    hub.set_filter(replace(hub.filter, search=""))
    tower = ev(project, "Tower 22 attack")                  # in Kataib Hezbollah (hidden) and US
    hub.set_selection([tower.id])
    QTest.keyClick(view.canvas, Qt.Key.Key_Left)            # in the US lane, not Kataib Hezbollah's
    assert hub.selection == [strikes.id]
    assert isis not in [g.key for g in view.canvas.geoms]
