"""Editing a source's text: annotations found again (moved), lost ones orphaned and listed apart,
re-attached to a selection; undo restores the old text and every old anchor exactly."""
from __future__ import annotations

import pytest

from sijill.db.store.project import Project
from sijill.desktop.sources.annotations_list import ID_ROLE
from tests.desktop.sources_helpers import (FR_TEXT, click_ok, groups, hub, messages, panel, select,  # noqa: F401
                                           sources, stack)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()

MOVED = "l'attaque a fait trois morts"
DELETED = "ont démenti toute implication"


def _disk(project) -> Project:
    return Project.open(project.path, read_only=True)


def _anchor(a) -> tuple:
    return (a.uid, a.start, a.end, a.quote, a.prefix, a.suffix, a.orphaned, a.note, a.credibility, a.updated_at)


@pytest.fixture
def annotated(panel, project, sources):
    sid = sources["fr"]
    moved = project.create_annotation(sid, *project.find_quote(sid, MOVED), note="toll", credibility=3)
    gone = project.create_annotation(sid, *project.find_quote(sid, DELETED), note="denial", credibility=2)
    event = project.create_event("Tower 22 attack", "2024-01-28")
    project.add_evidence(event.id, annotation_id=gone.id, stance="contradicts")
    panel.open_source(sid)
    return {"moved": moved, "gone": gone, "event": event}


def test_edit_text_reanchors_orphans_and_undo_restores(qtbot, panel, project, sources, stack, annotated):
    sid = sources["fr"]
    before = {a.id: _anchor(a) for a in project.annotations(sid)}
    new_body = ("Dépêche mise à jour.\n\n" + FR_TEXT.replace(" Les Forces de mobilisation populaire ont démenti "
                                                              "toute implication.", " Aucun autre commentaire."))
    dialog = panel.reader.edit_text()
    dialog.text_edit.setPlainText(new_body)
    dialog.accept()
    with _disk(project) as disk:
        assert disk.source(sid).body == new_body
        moved = disk.annotation(annotated["moved"].id)
        gone = disk.annotation(annotated["gone"].id)
        assert not moved.orphaned and new_body[moved.start:moved.end] == MOVED
        assert moved.start == annotated["moved"].start + len("Dépêche mise à jour.\n\n")
        assert gone.orphaned and gone.quote == DELETED, "kept with its quote, never dropped or misplaced"
        assert len(disk.evidence(annotated["event"].id)) == 1
    assert "1 moved" in panel.reader.notice.text() and "1 orphaned" in panel.reader.notice.text()
    assert panel.annotations.items() == [annotated["moved"].id]
    assert panel.annotations.orphan_ids() == [annotated["gone"].id]
    assert panel.annotations.reattach_button.isVisibleTo(panel)
    assert {a.id for a in (s.annotation for s in panel.reader.view._spans)} == {annotated["moved"].id}

    stack.undo()
    with _disk(project) as disk:
        assert disk.source(sid).body == FR_TEXT
        assert {a.id: _anchor(a) for a in disk.annotations(sid)} == before
    assert panel.annotations.orphan_ids() == []
    assert panel.reader.view.body == FR_TEXT
    stack.redo()
    with _disk(project) as disk:
        assert disk.annotation(annotated["gone"].id).orphaned


def test_reattach_orphan_to_selection(qtbot, panel, project, sources, stack, annotated, messages):
    sid = sources["fr"]
    new_body = FR_TEXT.replace("ont démenti toute implication", "ont nié être impliquées")
    panel.reader.replace_text(new_body)
    assert panel.annotations.orphan_ids() == [annotated["gone"].id]
    panel.annotations.orphans.setCurrentRow(0)
    assert not panel.annotations.reattach_button.isEnabled(), "nothing selected in the text yet"
    start = new_body.index("ont nié être impliquées")
    select(panel.reader, start, start + len("ont nié être impliquées"))
    assert panel.annotations.reattach_button.isEnabled()
    panel.annotations.reattach_button.click()
    with _disk(project) as disk:
        a = disk.annotation(annotated["gone"].id)
        assert not a.orphaned and (a.start, a.quote) == (start, "ont nié être impliquées")
        assert a.note == "denial" and a.credibility == 2
    assert panel.annotations.orphan_ids() == []
    assert annotated["gone"].id in panel.annotations.items()
    stack.undo()
    with _disk(project) as disk:
        a = disk.annotation(annotated["gone"].id)
        assert a.orphaned and a.quote == DELETED


def test_reimport_from_file(qtbot, panel, project, sources, annotated, tmp_path, messages):
    path = tmp_path / "update.txt"
    path.write_text("Mise à jour : " + FR_TEXT, encoding="utf-8")
    result = panel.reader.reimport(str(path))
    assert result["kept"] + result["moved"] == 2 and result["orphaned"] == 0
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    assert panel.reader.reimport(str(bad)) is None
    assert messages and messages[-1][0] == "warning"
    with _disk(project) as disk:
        assert disk.source(sources["fr"]).body.startswith("Mise à jour : ")


def test_delete_annotation_keeps_evidence_on_source_and_undo_pins_it_again(qtbot, panel, project, stack, annotated):
    gone = annotated["gone"]
    panel.annotations.select_annotation(gone.id)
    panel.annotations.delete_button.click()
    with _disk(project) as disk:
        [ev] = disk.evidence(annotated["event"].id)
        assert ev.annotation_id is None
    stack.undo()
    with _disk(project) as disk:
        [ev] = disk.evidence(annotated["event"].id)
        assert ev.annotation_id == gone.id and disk.annotation(gone.id).quote == DELETED


def test_annotations_list_reads_the_evidence_once_per_reload(panel, project, sources, annotated):
    """Each row says how many events its passage is evidence for; reading them costs the same few
    queries for two annotations as for twenty (not one query per annotation)."""
    sid = sources["fr"]
    lists = panel.annotations
    texts = {lists.orphans.item(i).data(ID_ROLE): lists.orphans.item(i).text() for i in range(lists.orphans.count())}
    texts |= {lists.list.item(i).data(ID_ROLE): lists.list.item(i).text() for i in range(lists.list.count())}
    assert "→ evidence for 1 event(s)" in texts[annotated["gone"].id]
    assert "→ evidence for" not in texts[annotated["moved"].id]

    def queries_per_reload() -> int:
        seen: list[str] = []
        project.db.conn.set_trace_callback(seen.append)
        try:
            lists.reload()
        finally:
            project.db.conn.set_trace_callback(None)
        return sum(q.lstrip().upper().startswith("SELECT") for q in seen)

    few = queries_per_reload()
    for n in range(18):
        project.create_annotation(sid, n, n + 3)
    assert queries_per_reload() == few
    assert len(lists.items()) == 20


def test_undoing_an_event_deletion_brings_its_evidence_back_into_the_list(panel, project, stack, hub, annotated):
    """Deleting an event takes its evidence with it; undo restores both, and the annotations list
    and the timeline's listeners hear that the evidence changed (not only that the event is back)."""
    from sijill.desktop.commands.events import DeleteEventsCommand

    gone = annotated["gone"].id
    event = annotated["event"].id

    def row_text() -> str:
        lists = panel.annotations
        return next(lists.list.item(i).text() for i in range(lists.list.count())
                    if lists.list.item(i).data(ID_ROLE) == gone)

    assert "→ evidence for 1 event(s)" in row_text()
    announced: list[list] = []
    hub.evidence_changed.connect(announced.append)
    stack.push(DeleteEventsCommand(hub, [event]))
    assert "→ evidence for" not in row_text()
    stack.undo()
    assert "→ evidence for 1 event(s)" in row_text()
    assert announced[-1] == [event]


def test_an_import_refreshes_the_annotations_of_the_source_shown(panel, project, hub, sources, annotated):
    sid = sources["fr"]
    with project.batch("Import W3C annotations", kind="import"):  # the store announces an import as a whole
        added = project.create_annotation(sid, *project.find_quote(sid, "samedi dernier"))
    assert added.id in panel.annotations.items()
    assert added.id in {s.annotation.id for s in panel.reader.view._spans}
