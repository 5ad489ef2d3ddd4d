"""The annotation dialog's event picker: what it lists as the analyst types, and what that costs in SQL."""
from __future__ import annotations

import pytest

from sijill.desktop.sources.annotation_dialog import PICKER_LIMIT, AnnotationDialog
from sijill.desktop.hub import ProjectHub

STRIKES = 300


@pytest.fixture
def crowded(project):
    """300 drone strikes in January 2024, each with two groups and a tag, one other event, and a source
    published on Wednesday 31 January 2024."""
    us = project.create_group("United States")
    kh = project.create_group("Kataib Hezbollah")
    project.bulk_insert_events([
        {"title": f"Drone strike {i} on al-Asad", "start": f"2024-01-{1 + i % 28:02d}",
         "groups": [(kh.id, "actor"), (us.id, "target")], "tags": ["drone"]}
        for i in range(STRIKES)])
    project.create_event("Tower 22 attack", "2024-01-28", groups=[(kh.id, "actor"), (us.id, "target")],
                         tags=["drone"])
    source = project.create_source("Strikes on US bases", "Drones struck al-Asad again.", published="2024-01-31",
                                   language="en")
    return project, source.id


def statements(project, action) -> list[str]:
    """The SQL statements sent to the project's connection during `action()`. SQLite also reports
    the statements FTS5 runs inside one of them (bm25 reads each match's size), as "-- ..." comments:
    those are left out; they are part of the one query and do not grow with what the picker shows."""
    seen: list[str] = []
    project.db.conn.set_trace_callback(seen.append)
    try:
        action()
    finally:
        project.db.conn.set_trace_callback(None)
    return [sql for sql in seen if not sql.startswith("--")]


def listed(dialog) -> list[str]:
    return [dialog.event_list.item(i).text() for i in range(dialog.event_list.count())]


def test_each_keystroke_in_the_event_picker_runs_one_query(qtbot, crowded):
    project, source_id = crowded
    dialog = AnnotationDialog(ProjectHub(project), source_id, 0, 6)
    qtbot.addWidget(dialog)
    # nothing typed: the events nearest the source's date, the 28th's first
    assert len(listed(dialog)) == PICKER_LIMIT
    assert listed(dialog)[:2] == ["28 Jan 2024 — Drone strike 27 on al-Asad",
                                  "28 Jan 2024 — Drone strike 55 on al-Asad"]
    per_key = [statements(project, lambda c=c: qtbot.keyClicks(dialog.event_search, c)) for c in "drone strike"]
    assert all(1 <= len(run) <= 2 for run in per_key), [len(run) for run in per_key]
    assert len(listed(dialog)) == PICKER_LIMIT
    assert all(" — Drone strike " in line for line in listed(dialog))

    per_key = [statements(project, lambda c=c: qtbot.keyClicks(dialog.event_search, c)) for c in " 1"]
    assert all(1 <= len(run) <= 2 for run in per_key), [len(run) for run in per_key]
    assert set(listed(dialog)) == {f"{1 + i % 28} Jan 2024 — Drone strike {i} on al-Asad"
                                   for i in range(STRIKES) if str(i).startswith("1")}

    run = statements(project, lambda: dialog.event_search.setText("tower 22"))
    assert len(run) <= 2 and listed(dialog) == ["28 Jan 2024 — Tower 22 attack"]
    run = statements(project, dialog.event_search.clear)
    assert len(run) <= 2 and len(listed(dialog)) == PICKER_LIMIT
