"""`sijill history` and `sijill restore` after a merge: what the other copy did is listed as merged in by
the merge, a change that lost its conflict is marked with what this file kept, and restore takes
back what happened in this file, never a version only the other copy had. Writes made outside Sijill are
listed with their time, where they were made."""
from __future__ import annotations

import json
import shutil

from sijill.db.store.project import Project
from tests.cli_helpers import call


def ok(capsys, *args) -> str:
    code, out, err = call(capsys, *args)
    assert code == 0, err
    return out


def merged(tmp_path, capsys) -> tuple[str, str]:
    """A's file after merging B's: both retitled the event (A's title kept); B also gave its place."""
    base = tmp_path / "base.sijill"
    with Project.create(base) as p:
        uid = p.create_event("Tower 22 attack", "2024-01-28").uid
    a, b = tmp_path / "a.sijill", tmp_path / "b.sijill"
    shutil.copy(base, a)
    shutil.copy(base, b)
    for path, analyst, fields in ((a, "rana", {"title": "Tower 22 drone attack"}),
                                  (b, "karim", {"title": "Attack on Tower 22", "location": "Rukban"})):
        with Project.open(path) as p:
            p.analyst = analyst
            p.update_event(p.event_by_uid(uid).id, **fields)
    assert call(capsys, "merge", str(a), str(b), "--analyst", "rana")[0] == 3
    return str(a), uid


def test_history_says_merged_in_by_which_merge_and_what_was_kept(tmp_path, capsys):
    a, uid = merged(tmp_path, capsys)
    out = ok(capsys, "history", a, uid)
    first, merge = out.split("\n\n")[:2]
    assert "karim · Update event [edit]" in first
    assert "made in another copy, merged in by “Merge from b.sijill” (" in first and ", rana)" in first
    assert "title: Tower 22 attack → Attack on Tower 22  [kept ours: “Tower 22 drone attack”]" in first
    assert "location: — → Rukban\n" in first + "\n"  # taken: no mark
    assert "rana · Merge from b.sijill [merge]" in merge and "location: — → Rukban" in merge
    data = json.loads(ok(capsys, "history", a, uid, "--json"))
    assert data[0]["merged_by"]["label"] == "Merge from b.sijill" and data[1]["merged_by"] is None
    fields = data[0]["records"][0]["fields"]
    assert fields["title"]["kept"] == "kept ours: “Tower 22 drone attack”" and "kept" not in fields["location"]


def test_restore_undoes_the_merge_not_the_other_copys_change(tmp_path, capsys):
    a, uid = merged(tmp_path, capsys)
    copied = json.loads(ok(capsys, "history", a, uid, "--json"))[0]["uid"]
    code, _out, err = call(capsys, "restore", a, uid, "--to", copied[:8])
    assert code != 0 and "merged in by “Merge from b.sijill”" in err and "never had that version" in err
    out = ok(capsys, "restore", a, uid)  # the latest change made here: the merge
    assert "location" in out
    with Project.open(a, read_only=True) as p:
        event = p.event_by_uid(uid)
        assert (event.title, event.location) == ("Tower 22 drone attack", None)


def test_a_write_made_outside_sijill_is_listed_with_its_time_between_the_edits_around_it(tmp_path, capsys):
    import sqlite3

    path = tmp_path / "p.sijill"
    with Project.create(path) as p:
        p.analyst = "rana"
        event = p.create_event("Tower 22 attack", "2024-01-28")
    conn = sqlite3.connect(path)  # sqlite-utils, Datasette
    with conn:
        conn.execute("UPDATE events SET fatalities = 3 WHERE id = ?", [event.id])
    conn.close()
    with Project.open(path) as p:
        p.analyst = "rana"
        p.update_event(event.id, location="Rukban")
    for args in ((), (event.uid,)):
        blocks = ok(capsys, "history", str(path), *args).split("\n\n")
        assert ["Update event" in blocks[0], "Changed outside Sijill [outside]" in blocks[1],
                "Create event" in blocks[2]] == [True, True, True]
        assert blocks[1].startswith("20") and " UTC · unknown analyst · " in blocks[1]
        assert "fatalities: — → 3" in blocks[1]
