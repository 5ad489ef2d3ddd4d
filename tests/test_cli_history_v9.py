"""`sijill history` and `sijill restore` on a file from schema version 9 whose merge took nothing (its
change set was dropped): the other copy's edit is listed as merged in by an earlier merge, and restore
without a change takes back the edit made here, not the other copy's."""
from __future__ import annotations

import json

from sijill.db.store.project import Project
from tests.cli_helpers import call
from tests.db.test_merge_provenance_v9 import merged_v9


def test_history_and_restore_of_a_v9_file_whose_merge_took_nothing(tmp_path, capsys):
    a, uid = merged_v9(tmp_path, took_nothing=True)
    code, out, err = call(capsys, "history", a, uid)
    assert code == 0, err
    first, here = out.split("\n\n")[:2]
    assert "made in another copy, merged in by an earlier merge" in first and "→ B title" in first
    assert "made in another copy" not in here and "→ A title" in here
    code, out, err = call(capsys, "history", a, uid, "--json")
    assert json.loads(out)[0]["merged_by"] == {"uid": None, "label": None, "analyst": None, "at": None,
                                               "recorded": False}
    code, out, err = call(capsys, "restore", a, uid)
    assert code == 0, err
    with Project.open(a, read_only=True) as p:
        assert p.event_by_uid(uid).title == "Tower 22 attack"  # before A's retitle, not before B's
