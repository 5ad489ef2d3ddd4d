"""Merging and deleting groups, and the snapshots that undo them, checked against the file."""
from __future__ import annotations

import pytest

from sijill.db.store.basics import ProjectError
from sijill.db.store.project import Project
from sijill.db.store.structure import check_color, stronger_role


def state(p: Project) -> dict:
    """Everything about groups a merge or delete can touch, as plain rows."""
    q = lambda sql: sorted(p.db.execute(sql).fetchall())  # noqa: E731
    return {
        "groups": q("SELECT id, uid, name, kind, parent_id, color, description, position FROM groups"),
        "aliases": q("SELECT group_id, alias, lang FROM group_aliases"),
        "links": q("SELECT event_id, group_id, role FROM event_groups"),
        "annotations": q("SELECT annotation_id, group_id FROM annotation_groups"),
    }


@pytest.fixture
def tree(small_project):
    """The small project plus a sub-group of Kataib Hezbollah, a second militia sharing events with
    it in weaker and stronger roles, and annotations tagged with both."""
    p = small_project
    kh = p.group_by_name("Kataib Hezbollah")
    brigade = p.create_group("Brigade 45", parent=kh.id)
    pmf = p.group_by_name("Popular Mobilization Forces")
    nujaba = p.create_group("Harakat al-Nujaba", kind="militia", parent=pmf.id,
                            aliases=[("النجباء", "ar"), ("Kata'ib Hezbollah", "en")])
    sub = p.create_group("Nujaba rocket cell", parent=nujaba.id)
    tower = next(e for e in p.events() if e.title == "Tower 22 attack")          # KH actor
    strikes = next(e for e in p.events() if e.title.startswith("US strikes"))     # KH target
    p.update_event(tower.id, groups=[*[(l.group_id, l.role) for l in tower.groups], (nujaba.id, "mentioned")])
    p.update_event(strikes.id, groups=[*[(l.group_id, l.role) for l in strikes.groups], (nujaba.id, "actor")])
    only = p.create_event("Nujaba statement", "2023-11-02", groups=[(nujaba.id, "associated")])
    source = p.create_source("Statement", "Harakat al-Nujaba and Kataib Hezbollah claimed it.")
    a1 = p.create_annotation(source.id, 0, 17, groups=[nujaba.id])
    a2 = p.create_annotation(source.id, 22, 38, groups=[nujaba.id, kh.id])
    return p, {"kh": kh.id, "brigade": brigade.id, "nujaba": nujaba.id, "sub": sub.id, "tower": tower.id,
               "strikes": strikes.id, "only": only.id, "a1": a1.id, "a2": a2.id, "source": source.id}


def roles(p: Project, event_id: int) -> dict[int, str]:
    return {l.group_id: l.role for l in p.event(event_id).groups}


def test_merge_moves_links_aliases_annotations_and_children_keeping_the_stronger_role(tree):
    p, ids = tree
    kh, nujaba = ids["kh"], ids["nujaba"]
    record = p.merge_groups(nujaba, kh)
    p = Project.open(p.path)                       # what the file holds
    assert p.group_by_name("Harakat al-Nujaba") is None
    assert roles(p, ids["tower"])[kh] == "actor"           # actor beats mentioned
    assert roles(p, ids["strikes"])[kh] == "actor"         # actor beats target
    assert roles(p, ids["only"]) == {kh: "associated"}
    aliases = [(a.alias, a.lang) for a in p.group(kh).aliases]
    assert ("النجباء", "ar") in aliases and ("Harakat al-Nujaba", None) in aliases
    assert [a for a, _ in aliases].count("Kata'ib Hezbollah") == 1   # not twice
    assert p.group_by_name("Nujaba rocket cell").parent_id == kh
    assert p.group_by_name("Brigade 45").parent_id == kh
    assert p.annotation(ids["a1"]).group_ids == (kh,)
    assert p.annotation(ids["a2"]).group_ids == (kh,)
    assert set(record) == {"merged", "into"}
    p.close()


def test_merge_undone_by_restoring_both_snapshots(tree):
    p, ids = tree
    before = state(p)
    record = p.merge_groups(ids["nujaba"], ids["kh"])
    assert state(p) != before
    p.unmerge_groups(record)
    assert state(Project.open(p.path)) == before
    again = p.merge_groups(ids["nujaba"], ids["kh"])       # redo: the same ids still work
    assert again["merged"] == record["merged"]


def test_merge_refuses_itself_a_descendant_and_unknown_groups_changing_nothing(tree):
    p, ids = tree
    before = state(p)
    pmf = p.group_by_name("Popular Mobilization Forces").id
    with pytest.raises(ProjectError, match="into itself"):
        p.merge_groups(ids["kh"], ids["kh"])
    with pytest.raises(ProjectError, match="'Kataib Hezbollah' is part of it"):
        p.merge_groups(pmf, ids["kh"])
    with pytest.raises(ProjectError, match="is part of it"):
        p.merge_groups(pmf, ids["sub"])                  # two levels down
    with pytest.raises(ProjectError, match="no group"):
        p.merge_groups(ids["kh"], 9999)
    assert state(p) == before
    p.merge_groups(ids["kh"], pmf)                     # into its parent is fine
    assert p.group_by_name("Brigade 45").parent_id == pmf


def test_delete_reparents_children_to_the_deleted_groups_parent_and_restores_exactly(tree):
    p, ids = tree
    before = state(p)
    pmf = p.group_by_name("Popular Mobilization Forces").id
    snapshot = p.delete_group(ids["kh"])
    reopened = Project.open(p.path)
    assert reopened.group_by_name("Brigade 45").parent_id == pmf          # not orphaned to the top
    assert all(l.group_id != ids["kh"] for e in reopened.events() for l in e.groups)
    assert reopened.event(ids["tower"]).title == "Tower 22 attack"        # events stay
    assert reopened.annotation(ids["a2"]).group_ids == (ids["nujaba"],)
    reopened.close()
    top = p.create_group("Top")
    child = p.create_group("Child", parent=top.id)
    p.delete_group(top.id)
    assert p.group(child.id).parent_id is None
    p.delete_group(child.id)
    p.restore_group(snapshot)
    assert state(Project.open(p.path)) == before


def test_snapshot_holds_row_aliases_links_annotations_and_children(tree):
    p, ids = tree
    snap = p.group_snapshot(ids["nujaba"])
    assert snap["group"]["name"] == "Harakat al-Nujaba" and snap["group"]["kind"] == "militia"
    assert ("النجباء", "ar") in snap["aliases"]
    assert dict(snap["links"]) == {ids["tower"]: "mentioned", ids["strikes"]: "actor", ids["only"]: "associated"}
    assert snap["annotations"] == [ids["a1"], ids["a2"]]
    assert snap["children"] == [ids["sub"]]
    assert p.group_sources([snap]) == [ids["source"]]
    with pytest.raises(ProjectError):
        p.group_snapshot(9999)


def test_restore_refuses_a_name_taken_meanwhile(tree):
    p, ids = tree
    snap = p.delete_group(ids["brigade"])
    p.create_group("Brigade 45")
    with pytest.raises(ProjectError, match="another group has that name"):
        p.restore_group(snap)


def test_moving_a_group_under_its_own_descendant_is_refused(tree):
    p, ids = tree
    with pytest.raises(ProjectError, match="'Kataib Hezbollah' cannot be placed under 'Brigade 45'"):
        p.update_group(ids["kh"], parent=ids["brigade"])
    assert p.group(ids["kh"]).parent_id == p.group_by_name("Popular Mobilization Forces").id


def test_period_delete_and_restore_keep_id_uid_and_flags(project):
    period = project.create_period("ISIS holds Mosul", "c. June 2014", "July 2017", color="#aa0000",
                                   description="From the fall of the city to its recapture")
    snap = project.delete_period(period.id)
    assert project.periods() == []
    project.restore_period(snap)
    assert Project.open(project.path).period(period.id) == period
    with pytest.raises(ProjectError, match="not a period snapshot"):
        project.restore_period({**snap, "bogus": 1})


def test_colours_and_roles():
    assert check_color(" #1B9E77 ") == "#1b9e77"
    assert check_color("") is None and check_color(None) is None
    for bad in ("red", "#12345", "#1234567", "1b9e77", "#12345g"):
        with pytest.raises(ProjectError, match="#RRGGBB"):
            check_color(bad)
    assert stronger_role("mentioned", "actor") == "actor"
    assert stronger_role("target", "associated") == "target"
