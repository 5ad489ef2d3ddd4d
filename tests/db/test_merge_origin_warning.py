"""Merging events that both came from datasets: an event keeps one dataset origin, so the merged one's
goes with it and importing its row again adds it back; `Project.merge_warnings` says so beforehand,
and `sijill event merge` after merging."""
from __future__ import annotations

import json

from sijill.db.store.project import Project
from tests.cli_helpers import call
from tests.formats.test_acled import acled_row, do_import, write


def imported(project, tmp_path):
    """Two ACLED events (IRQ1, IRQ2: the same attack reported twice) and one entered by hand."""
    path = write(tmp_path / "acled.csv", [acled_row(), acled_row(event_id_cnty="IRQ2", location="Al Asad")])
    do_import(project, path)
    first, second = sorted(project.events(), key=lambda e: e.id)
    by_hand = project.create_event("Ain al-Asad attack", "2023-10-18")
    return path, first, second, by_hand


def test_merging_two_imported_events_warns_that_importing_again_adds_the_merged_one_back(project, tmp_path):
    path, first, second, by_hand = imported(project, tmp_path)
    [warning] = project.merge_warnings([second.id], first.id)
    assert f"“{second.title}” came from acled row IRQ2" in warning and "will add it back" in warning
    project.merge_events(second.id, first.id)
    assert do_import(project, path).added == 1  # what the warning said
    assert project.merge_warnings([first.id], by_hand.id) == []  # the kept event takes the only origin


def test_the_second_of_two_imported_events_merged_into_one_entered_by_hand_is_warned_of(project, tmp_path):
    _path, first, second, by_hand = imported(project, tmp_path)
    [warning] = project.merge_warnings([first.id, second.id], by_hand.id)
    assert "acled row IRQ2" in warning


def test_sijill_event_merge_prints_the_warning(project, tmp_path, capsys):
    _path, first, second, _by_hand = imported(project, tmp_path)
    project.close()
    code, out, err = call(capsys, "event", "merge", project.path, second.uid, first.uid)
    assert (code, err) == (0, "")
    assert out.rstrip().splitlines()[-1].startswith(f"note: “{second.title}” came from acled row IRQ2")
    with Project.open(project.path) as p:
        third = p.create_event("Duplicate", "2023-10-18")
        p.db.execute("INSERT INTO event_origins (event_id, origin, key) VALUES (?, 'acled', 'IRQ9')", [third.id])
        p.db.conn.commit()
    code, out, _ = call(capsys, "event", "merge", project.path, third.uid, first.uid, "--json")
    assert code == 0 and len(json.loads(out)["warnings"]) == 1
