"""What a merge copies into the history: the other copy's change sets, named as merged in by the merge,
with the changes this file did not take (a conflict kept its own value) marked, never offered as a
version to restore, and never taken for this file's state."""
from __future__ import annotations

import shutil

import pytest

from sijill.db.history.describe import Names, describe
from sijill.db.history.versions import restoration
from sijill.db.merge import merge_files
from sijill.db.store.basics import ProjectError
from sijill.db.store.project import Project


@pytest.fixture
def copies(tmp_path):
    base = tmp_path / "base.sijill"
    with Project.create(base) as p:
        kh = p.create_group("Kataib Hezbollah")
        tower = p.create_event("Tower 22 attack", "2024-01-28", groups=[(kh.id, "actor")])
        uid = tower.uid
    a, b = tmp_path / "a.sijill", tmp_path / "b.sijill"
    shutil.copy(base, a)
    shutil.copy(base, b)
    return a, b, uid


def edit(path, analyst, fn):
    with Project.open(path) as p:
        p.analyst = analyst
        return fn(p)


def retitle(uid, **fields):
    return lambda p: p.update_event(p.event_by_uid(uid).id, **fields)


def test_a_merged_in_change_set_names_its_merge_and_marks_what_lost_its_conflict(copies):
    a, b, uid = copies
    edit(a, "Rana", retitle(uid, title="Tower 22 drone attack"))
    edit(b, "Karim", retitle(uid, title="Attack on Tower 22", description="Three US soldiers killed"))
    assert merge_files(a, b, analyst="Rana").exit_code == 3
    with Project.open(a) as p:
        history = p.history(uid)
        labels = [(cs.label, cs.analyst, cs.merged_by.label if cs.merged_by else None) for cs, _ in history]
        assert labels == [("Update event", "Karim", "Merge from b.sijill"), ("Merge from b.sijill", "Rana", None),
                          ("Update event", "Rana", None), ("Create event", p.analyst, None)]
        copied, merge = history[0][0], history[1][0]
        assert copied.merged_by.id == merge.id and copied.merged_by.uid == merge.uid
        [record] = describe(history[0][1], Names(p))
        fields = {f.name: (f.after, f.kept) for f in record.fields}
        # Before: title read "Attack on Tower 22" as if applied; the file kept its own.
        assert fields == {"title": ("Attack on Tower 22", "kept ours: “Tower 22 drone attack”"),
                          "description": ("Three US soldiers killed", None)}
        assert record.to_json()["fields"]["title"]["kept"] == "kept ours: “Tower 22 drone attack”"
        assert p.event_by_uid(uid).title == "Tower 22 drone attack"


def test_restore_never_offers_a_version_only_the_other_copy_had(copies):
    a, b, uid = copies
    edit(a, "Rana", retitle(uid, title="Tower 22 drone attack"))
    edit(b, "Karim", retitle(uid, title="Attack on Tower 22"))
    edit(b, "Karim", retitle(uid, location="Rukban"))
    merge_files(a, b)
    with Project.open(a) as p:
        history = p.history(uid)
        copied = [cs for cs, _ in history if cs.merged_by is not None]
        assert len(copied) == 2
        for cs in copied:  # "Attack on Tower 22" at Rukban, or without a place: never this file's state
            for side in ("after", "before"):
                with pytest.raises(ProjectError, match="merged in by “Merge from b.sijill”"):
                    restoration(p, "event", uid, history, cs.id, side)
        merge = next(cs for cs, _ in history if cs.kind == "merge")
        back = restoration(p, "event", uid, history, merge.id, "before")
        assert back.fields == {"location": None}  # as this file was before the merge
        assert restoration(p, "event", uid, history, merge.id, "after").fields == {}


def test_a_merge_that_took_nothing_still_names_the_change_sets_it_copied(copies):
    a, b, uid = copies
    edit(a, "Rana", retitle(uid, title="Tower 22 drone attack"))
    edit(b, "Karim", retitle(uid, title="Attack on Tower 22"))
    result = merge_files(a, b)
    assert not result.plan.changed and result.applied
    with Project.open(a) as p:
        [merge] = p.change_sets(kind="merge")
        [(copied, changes)] = [(cs, ch) for cs, ch in p.history(uid) if cs.merged_by is not None]
        assert copied.merged_by.id == merge.id
        [record] = describe(changes, Names(p))
        assert not record.applied and record.fields[0].kept == "kept ours: “Tower 22 drone attack”"
    assert not merge_files(a, b).plan.writes  # and again: nothing


def test_a_delete_that_lost_to_an_edit_is_marked(copies):
    a, b, uid = copies
    edit(a, "Rana", retitle(uid, fatalities=3))
    edit(b, "Karim", lambda p: p.delete_event(p.event_by_uid(uid).id))
    assert [c.field for c in merge_files(a, b).plan.conflicts] == [None]
    with Project.open(a) as p:
        [(copied, changes)] = [(cs, ch) for cs, ch in p.history(uid) if cs.merged_by is not None]
        [record] = describe(changes, Names(p))
        assert record.op == "delete" and record.kept.startswith("kept ours: changed")
        assert p.event_by_uid(uid).fatalities == 3


def test_a_link_that_lost_is_marked_and_not_counted_as_a_link_change(copies):
    a, b, uid = copies

    def role(name):
        return lambda p: p.update_event(p.event_by_uid(uid).id, groups=[(p.group_by_name("Kataib Hezbollah").id, name)])
    edit(a, "Rana", role("target"))
    edit(b, "Karim", role("associated"))
    assert [c.field for c in merge_files(a, b).plan.conflicts] == ["groups"]
    with Project.open(a) as p:
        [(copied, changes)] = [(cs, ch) for cs, ch in p.history(uid) if cs.merged_by is not None]
        [record] = describe(changes, Names(p))
        assert record.links == () and not record.applied
        kept = "kept ours: Kataib Hezbollah (target)"
        assert record.kept_links == (("− group Kataib Hezbollah (actor)", kept),
                                     ("+ group Kataib Hezbollah (associated)", kept))


def test_a_change_the_other_copy_had_not_taken_comes_along_marked_as_such(copies, tmp_path):
    """C's retitle lost to B's in B; merged on into A, it did not reach A either: still marked, naming B."""
    a, b, uid = copies
    c = tmp_path / "c.sijill"
    shutil.copy(a, c)
    edit(b, "Karim", retitle(uid, title="Attack on Tower 22"))
    edit(c, "Lina", retitle(uid, title="Tower 22 strike"))
    merge_files(b, c)
    merge_files(a, b)
    with Project.open(a) as p:
        assert p.event_by_uid(uid).title == "Attack on Tower 22"
        by_analyst = {cs.analyst: changes for cs, changes in p.history(uid) if cs.merged_by is not None}
        [lina] = describe(by_analyst["Lina"], Names(p))
        [karim] = describe(by_analyst["Karim"], Names(p))
        assert lina.fields[0].kept == "not applied in b.sijill (kept ours: “Attack on Tower 22”)"
        assert karim.fields[0].kept is None
