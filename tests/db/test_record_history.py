"""What a record's history says (record_history) and what restoring one of its versions writes
(record_versions), on real project files, without Qt."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from sijill.db.store.basics import ProjectError
from sijill.db.dates import parse_fuzzy
from sijill.db.store.project import Project
from sijill.db.history.describe import Names, counts_text, describe
from sijill.db.history.versions import apply, restoration


@pytest.fixture
def p(tmp_path) -> Project:
    project = Project.create(tmp_path / "r.sijill")
    yield project
    project.close()


def last(p: Project, uid: str):
    change_set, changes = p.history(uid)[0]
    [record] = describe(changes, Names(p))
    return change_set, record


def test_replacing_all_links_shows_only_what_differs(p):
    kh, us = p.create_group("Kataib Hezbollah"), p.create_group("United States")
    e = p.create_event("Tower 22 attack", "2024-01-28", groups=[(us.id, "target")], tags=["drone", "x"])
    p.update_event(e.id, groups=[(us.id, "target"), (kh.id, "actor")], tags=["drone"])
    _, record = last(p, e.uid)
    assert (record.fields, record.links) == ((), ("+ group Kataib Hezbollah (actor)", "− tag x"))


def test_the_same_words_read_to_other_bounds_say_how(p):
    saturday = parse_fuzzy("last Saturday", reference=datetime(2024, 2, 1, tzinfo=timezone.utc))
    e = p.create_event("Strike", saturday)
    p.update_event(e.id, start=parse_fuzzy("last Saturday", reference=datetime(2024, 3, 1, tzinfo=timezone.utc)))
    _, record = last(p, e.uid)
    [field] = record.fields
    assert (field.name, field.before, field.after) == ("start", "last Saturday (27 Jan 2024)",
                                                       "last Saturday (24 Feb 2024)")


def test_a_deleted_record_keeps_its_title(p):
    e = p.create_event("Gone", "2024")
    uid = e.uid
    p.delete_event(e.id)
    change_set, record = last(p, uid)
    assert (record.title, record.op) == ("Gone", "delete")
    assert counts_text(change_set.counts) == "events: 1 deleted"


def test_restoration_before_creation_is_refused(p):
    e = p.create_event("New", "2024")
    [(created, _)] = p.history(e.uid)
    with pytest.raises(ProjectError, match="did not exist before"):
        restoration(p, "event", e.uid, p.history(e.uid), created.id, "before")


def test_links_to_a_group_deleted_since_are_named_not_made(p):
    kh, us = p.create_group("Kataib Hezbollah"), p.create_group("United States")
    e = p.create_event("Tower 22 attack", "2024-01-28", groups=[(kh.id, "actor")])
    p.update_event(e.id, groups=[(us.id, "target")], title="Tower 22")
    p.delete_group(kh.id)
    history = p.history(e.uid)
    plan = restoration(p, "event", e.uid, history, history[0][0].id, "before")
    assert plan.fields == {"title": "Tower 22 attack", "groups": []}
    assert plan.skipped == (f"group {kh.uid}",)
    apply(p, "event", plan.record_id, plan.fields)
    assert p.event(e.id).title == "Tower 22 attack" and p.event(e.id).groups == ()


BODY = "Kataib Hezbollah claimed the drone attack on Tower 22."


def test_a_passage_is_not_moved_onto_other_words_after_its_source_text_was_replaced(p):
    source = p.create_source("Report", BODY)
    start = BODY.index("drone attack")
    passage = p.create_annotation(source.id, start, start + len("drone attack"), note="first reading")
    p.update_annotation(passage.id, note="second reading")
    p.replace_source_text(source.id, "BREAKING: " + BODY)       # the passage moves with its words
    history = p.history(passage.uid)
    plan = restoration(p, "annotation", passage.uid, history, history[1][0].id, "before")
    assert plan.fields == {"note": "first reading"}
    assert plan.skipped == ("its position (the source's text has changed since)",)
    apply(p, "annotation", plan.record_id, plan.fields)
    now = p.annotation_by_uid(passage.uid)
    assert (p.source(source.id).body[now.start:now.end], now.note) == ("drone attack", "first reading")


def test_a_passage_gets_its_old_extent_back_while_the_text_is_the_same(p):
    source = p.create_source("Report", BODY)
    start = BODY.index("drone attack")
    passage = p.create_annotation(source.id, start, start + len("drone attack"))
    p.update_annotation(passage.id, start=start, end=start + len("drone attack on Tower 22"))
    history = p.history(passage.uid)
    plan = restoration(p, "annotation", passage.uid, history, history[0][0].id, "before")
    assert plan.skipped == () and plan.fields == {"end": start + len("drone attack")}
    apply(p, "annotation", plan.record_id, plan.fields)
    now = p.annotation_by_uid(passage.uid)
    assert p.source(source.id).body[now.start:now.end] == "drone attack"

def test_a_group_back_under_its_parent_with_its_aliases(p):
    pmf = p.create_group("Popular Mobilization Forces")
    kh = p.create_group("Kataib Hezbollah", parent=pmf.id, aliases=[("KH", "en")], color="#d95f02")
    p.update_group(kh.id, parent=None, aliases=[("Kata'ib Hizbullah", "en")], color="#000000")
    history = p.history(kh.uid)
    plan = restoration(p, "group", kh.uid, history, history[0][0].id, "before")
    assert plan.fields == {"parent": pmf.uid, "color": "#d95f02", "aliases": [("KH", "en")]}
    assert plan.old == {"parent": None, "color": "#000000", "aliases": [("Kata'ib Hizbullah", "en")]}
    apply(p, "group", kh.id, plan.fields)
    group = p.group(kh.id)
    assert (group.parent_id, group.color, [a.alias for a in group.aliases]) == (pmf.id, "#d95f02", ["KH"])
