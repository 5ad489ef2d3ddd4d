"""Tags as a whole: counts, rename, merge (a rename onto a name in use), delete, and undo's restore,
each checked against the reopened file; a refused change leaves the file as it was."""
from __future__ import annotations

import sqlite3

import pytest

from sijill.db.store.basics import ProjectError
from sijill.db.store.entities import TagUsage
from sijill.db.store.project import Project
from sijill.db.store.tags import check_tag_name


def dump(path) -> list[str]:
    """Every row of the file, in order (a link table's rows come back in another rowid order), but for the
    change log, which records the edit and its undo as two more change sets."""
    conn = sqlite3.connect(path)
    try:
        return sorted(line for line in conn.iterdump()
                      if not line.startswith(('INSERT INTO "change_sets"', 'INSERT INTO "changes"')))
    finally:
        conn.close()


@pytest.fixture
def tagged(small_project: Project) -> Project:
    """small_project's tags (offensive, airstrike, drone ×2) plus passages tagged drone and UAV, an
    event tagged UAV and drone, and a tag nothing carries."""
    p = small_project
    source = p.create_source("Statement", "Drones struck the base at dawn. A UAV was seen.")
    p.create_annotation(source.id, 0, 6, tags=["drone"])
    p.create_annotation(source.id, 32, 37, tags=["UAV", "claimed"])
    p.create_event("Drone over Erbil", "2024-02-03", tags=["UAV", "drone"])
    with p.batch():
        p._tag_id("unused")
    return p


def state(path) -> dict[str, tuple[list[str], list[str]]]:
    """tag -> (titles of its events, quotes of its passages), read from the file again."""
    with Project.open(path, read_only=True) as p:
        out = {}
        for name in p.tags():
            snap = p.tag_snapshot(name)
            out[name] = (sorted(p.event(e).title for e in snap["events"]),
                         sorted(p.annotation(a).quote for a in snap["annotations"]))
        return out


def test_usage_counts_events_and_passages(tagged):
    assert tagged.tag_usage() == [
        TagUsage("airstrike", 1, 0), TagUsage("claimed", 0, 1), TagUsage("drone", 3, 1),
        TagUsage("offensive", 1, 0), TagUsage("UAV", 1, 1), TagUsage("unused", 0, 0)]


def test_rename_keeps_the_row_and_every_link(tagged):
    before = state(tagged.path)
    record = tagged.rename_tag("drone", "drone strike")
    assert not record["merged"]
    after = state(tagged.path)
    assert "drone" not in after and after["drone strike"] == before["drone"]
    tagged.restore_tags(record)
    assert state(tagged.path) == before


def test_rename_onto_a_name_in_use_merges_and_undo_splits_them_again(tagged):
    before, raw = state(tagged.path), dump(tagged.path)
    record = tagged.rename_tag("UAV", "drone")
    assert record["merged"]
    after = state(tagged.path)
    assert "UAV" not in after
    assert after["drone"] == (sorted({*before["drone"][0], *before["UAV"][0]}),
                              sorted({*before["drone"][1], *before["UAV"][1]}))
    tagged.restore_tags(record)
    assert state(tagged.path) == before
    assert dump(tagged.path) == raw  # the same ids: a later undo step still finds them


def test_merge_and_delete_then_restore(tagged):
    raw = dump(tagged.path)
    record = tagged.merge_tags("claimed", "UAV")
    assert state(tagged.path)["UAV"][1] == ["A UAV"]
    tagged.restore_tags(record)
    assert dump(tagged.path) == raw
    record = tagged.delete_tag("drone")
    assert "drone" not in state(tagged.path)
    with Project.open(tagged.path, read_only=True) as p:
        assert all("drone" not in e.tags for e in p.events())
        assert all("drone" not in a.tags for a in p.annotations())
    tagged.restore_tags(record)
    assert dump(tagged.path) == raw


def test_restore_folds_in_a_tag_made_since_under_the_old_name(tagged):
    record = tagged.rename_tag("offensive", "ground offensive")
    event = tagged.create_event("Retaking Tikrit", "2015-03", tags=["offensive"])  # a new row named offensive
    tagged.restore_tags(record)
    titles = state(tagged.path)["offensive"][0]
    assert titles == sorted(["ISIS takes Mosul", event.title])
    assert "ground offensive" not in tagged.tags()


@pytest.mark.parametrize("call, message", [
    (lambda p: p.rename_tag("drones", "x"), "no tag named 'drones' (did you mean 'drone'?)"),
    (lambda p: p.rename_tag("DRONE", "x"), "no tag named 'DRONE' (did you mean 'drone'?)"),
    (lambda p: p.rename_tag("drone", "  "), "a tag needs a name"),
    (lambda p: p.rename_tag("drone", "drone, claimed"), "cannot hold a comma"),
    (lambda p: p.rename_tag("drone", " drone "), "already named 'drone'"),
    (lambda p: p.rename_tag("drone", "drone\x1b[31m"), "the tag's new name holds the control character U+001B"),
    (lambda p: p.rename_tag("drone", "d" * 5000), "the tag's new name is too long: 5,000 characters"),
    (lambda p: p.merge_tags("drone", "drone"), "cannot be merged into itself"),
    (lambda p: p.merge_tags("drone", "nothing"), "no tag named 'nothing'"),
    (lambda p: p.delete_tag("nothing"), "no tag named 'nothing'"),
])
def test_refusals_change_nothing(tagged, call, message):
    raw = dump(tagged.path)
    with pytest.raises(ProjectError) as raised:
        call(tagged)
    assert message in str(raised.value)
    assert dump(tagged.path) == raw


def test_read_only_refuses(tagged):
    path = tagged.path
    tagged.close()
    with Project.open(path, read_only=True) as p:
        with pytest.raises(ProjectError, match="read-only"):
            p.rename_tag("drone", "UAV")


def test_check_tag_name_trims():
    assert check_tag_name("  drone strike ") == "drone strike"
