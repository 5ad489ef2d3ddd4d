"""`sijill view list|save|rename|delete` on real project files: the timeline's saved views made from a
script, read back as the window reads them, and refusals that change nothing."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from sijill.db.store.project import Project
from sijill.desktop.timeline.saved_views import saved_views
from tests.cli_helpers import call, refused


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "p.sijill"
    with Project.create(path) as p:
        pmf = p.create_group("Popular Mobilization Forces")
        p.create_group("Kataib Hezbollah", parent=pmf.id)
        p.create_group("United States")
    return path


def ok(capsys, *args) -> str:
    code, out, err = call(capsys, *args)
    assert (code, err) == (0, ""), err
    return out


def test_a_view_saved_from_the_command_line_is_the_one_the_window_reads(path, capsys):
    out = ok(capsys, "view", "save", path, "Drones 2023-24", "--from", "2023-10", "--to", "2024-02",
             "--group", "Popular Mobilization Forces", "--tag", "drone", "--evidence", "contradicted", "--hide-empty")
    assert out.strip() == ("saved the view 'Drones 2023-24': Drones 2023-24  (2023-10-01 to 2024-02-29; groups: "
                           "Kataib Hezbollah, Popular Mobilization Forces; tags: drone; evidence: contradicted; "
                           "empty lanes hidden)")
    with Project.open(path, read_only=True) as p:
        [(name, state)] = saved_views(p)
        names = {g.id: g.name for g in p.groups()}
    assert name == "Drones 2023-24" and state.hide_empty
    assert datetime.fromtimestamp(state.window[0], timezone.utc) == datetime(2023, 10, 1, tzinfo=timezone.utc)
    assert datetime.fromtimestamp(state.window[1], timezone.utc) == datetime(2024, 3, 1, tzinfo=timezone.utc)
    assert sorted(names[g] for g in state.filter.group_ids) == ["Kataib Hezbollah", "Popular Mobilization Forces"]
    assert (set(state.filter.tags), state.filter.evidence) == ({"drone"}, "contradicted")


def test_list_rename_and_delete(path, capsys):
    ok(capsys, "view", "save", path, "All of it")
    ok(capsys, "view", "save", path, "US", "--group", "United States", "--query", "strike")
    assert ok(capsys, "view", "list", path).splitlines() == [
        "All of it  (dates as they were)", "US  (dates as they were; groups: United States; search: strike)"]
    assert ok(capsys, "view", "rename", path, "US", "US strikes").startswith("renamed the view 'US' to 'US strikes'")
    ok(capsys, "view", "delete", path, "All of it")
    [row] = json.loads(ok(capsys, "view", "list", path, "--json"))
    assert (row["name"], row["groups"], row["query"]) == ("US strikes", ["United States"], "strike")
    ok(capsys, "view", "save", path, "US strikes", "--replace")
    assert json.loads(ok(capsys, "view", "list", path, "--json"))[0]["groups"] is None


def test_refusals_say_what_and_change_nothing(path, capsys):
    ok(capsys, "view", "save", path, "Mine")
    refused(capsys, path, "view", "save", path, "Mine", match="already a saved view named 'Mine' (--replace")
    refused(capsys, path, "view", "save", path, "Other", "--from", "2023", match="give both --from and --to")
    refused(capsys, path, "view", "save", path, "Other", "--from", "2024", "--to", "2023", match="after --from")
    refused(capsys, path, "view", "save", path, "Other", "--group", "Nobody", match="no group named 'Nobody'")
    refused(capsys, path, "view", "save", path, "Other", "--evidence", "some", match="--evidence is one of")
    refused(capsys, path, "view", "save", path, "Other", "--from", "whenever", "--to", "2024", match="--from")
    refused(capsys, path, "view", "rename", path, "Nope", "New", match="no saved view named 'Nope'")
    refused(capsys, path, "view", "delete", path, "Nope", match="no saved view named 'Nope'")
    ok(capsys, "view", "save", path, "Yours")
    refused(capsys, path, "view", "rename", path, "Yours", "Mine", match="there is already a saved view named “Mine”")
    refused(capsys, path, "view", "save", path, "  ", match="a saved view needs a name")
    assert ok(capsys, "view", "list", path).splitlines() == ["Mine  (dates as they were)", "Yours  (dates as they were)"]


def test_a_view_with_an_area_drawn_on_the_map_lists_it_in_lon_lat(path, capsys):
    from sijill.desktop.hub import ViewFilter
    from sijill.desktop.timeline.saved_views import save_view
    from sijill.desktop.timeline.state import ViewState

    area = ((43.0, 37.5), (45.5, 37.5), (45.5, 32.5))
    with Project.open(path) as p:
        save_view(p, "North", ViewState(filter=ViewFilter(area=area, event_ids=frozenset({1}))))
    assert ok(capsys, "view", "list", path).splitlines() == ["North  (dates as they were; an area drawn on the map "
                                                             "(3 points))"]
    [row] = json.loads(ok(capsys, "view", "list", path, "--json"))
    assert row["area"] == [list(v) for v in area]
    ok(capsys, "view", "rename", path, "North", "Northern Iraq")              # renaming keeps the area
    with Project.open(path, read_only=True) as p:
        [(_name, state)] = saved_views(p)
    assert state.filter.area == area and state.filter.event_ids is None       # the events found when applied
