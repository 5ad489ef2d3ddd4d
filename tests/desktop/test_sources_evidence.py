"""The evidence panel of an event and the search results: what they show, and that choosing one
opens the event or the passage in the reader; stance edits and unlinking are undoable."""
from __future__ import annotations

import sqlite3

import pytest

from sijill.db.store.project import Project
from sijill.desktop.commands.evidence import EditEvidenceCommand
from sijill.desktop.sources.panel import EvidencePanel, SearchResults
from sijill.desktop.sources.search_results import HTML_ROLE, snippet_html
from tests.desktop.sources_helpers import (FR_TEXT, groups, hub, messages, panel, sources, stack)  # noqa: F401

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()


def _disk(project) -> Project:
    return Project.open(project.path, read_only=True)


@pytest.fixture
def linked(project, sources):
    sid = sources["fr"]
    event = project.create_event("Tower 22 attack", "2024-01-28", description="Drone strike on a US outpost")
    toll = project.create_annotation(sid, *project.find_quote(sid, "l'attaque a fait trois morts"), credibility=2,
                                     note="death toll")
    denial = project.create_annotation(sid, *project.find_quote(sid, "ont démenti toute implication"),
                                       credibility=4)
    project.add_evidence(event.id, annotation_id=toll.id, stance="supports")
    project.add_evidence(event.id, annotation_id=denial.id, stance="contradicts")
    project.add_evidence(event.id, source_id=sources["ar"], stance="context")
    return {"event": event, "toll": toll, "denial": denial}


def test_evidence_panel_lists_quote_source_outlet_date_grade_stance(qtbot, hub, stack, linked, sources):
    panel = EvidencePanel(hub, stack)
    qtbot.addWidget(panel)
    hub.set_selection([linked["event"].id])
    assert panel.rows() == [
        ("supports", "B2", "“l'attaque a fait trois morts”", "Attaque de drone à la frontière", "Le Quotidien",
         "31 Jan 2024"),
        ("contradicts", "B4", "“ont démenti toute implication”", "Attaque de drone à la frontière", "Le Quotidien",
         "31 Jan 2024"),
        ("context", "C?", "(the whole source)", "بيان كتائب حزب الله", "Al Sumaria", "30 Jan 2024"),
    ]
    assert "3" in panel.summary.text() and "1 contradicting" in panel.summary.text()
    with qtbot.waitSignal(panel.open_passage) as blocker:
        panel.activate_row(1)
    assert blocker.args == [sources["fr"], linked["denial"].id]


def test_evidence_stance_change_and_unlink_are_undoable(qtbot, hub, stack, project, linked):
    panel = EvidencePanel(hub, stack, follow_selection=False)
    qtbot.addWidget(panel)
    panel.set_event(linked["event"].id)
    [first, *_] = project.evidence(linked["event"].id)
    panel.set_stance(first.id, "contradicts")
    assert panel.rows()[0][0] == "contradicts"
    with _disk(project) as disk:
        assert disk.evidence_item(first.id).stance == "contradicts"
    panel.unlink(first.id)
    assert len(panel.rows()) == 2
    stack.undo()
    stack.undo()
    with _disk(project) as disk:
        assert disk.evidence_item(first.id).stance == "supports"
    assert panel.rows()[0][0] == "supports"


def _stored_notes(project, evidence_ids) -> list:
    """The note column as the file holds it (None for NULL), read with plain sqlite3."""
    with sqlite3.connect(project.path) as conn:
        return [conn.execute("SELECT note FROM event_evidence WHERE id = ?", [i]).fetchone()[0]
                for i in evidence_ids]


def test_undoing_a_note_edit_restores_the_exact_previous_note(hub, stack, project, linked, messages):
    supports, contradicts, context = project.evidence(linked["event"].id)
    project.update_evidence(contradicts.id, note="")
    project.update_evidence(context.id, note="statement, not a report")
    ids = [supports.id, contradicts.id, context.id]
    before = [None, "", "statement, not a report"]
    assert _stored_notes(project, ids) == before
    for evidence_id in ids:
        assert stack.push(EditEvidenceCommand(hub, evidence_id, note="checked against the CENTCOM release"))
    assert _stored_notes(project, ids) == ["checked against the CENTCOM release"] * 3
    for _ in ids:
        stack.undo()
    assert _stored_notes(project, ids) == before  # NULL stays NULL, "" stays ""
    assert stack.redoText() == "Change evidence note"
    with _disk(project) as disk:
        assert [e.stance for e in disk.evidence(linked["event"].id)] == ["supports", "contradicts", "context"]
    stack.redo()
    assert _stored_notes(project, ids) == ["checked against the CENTCOM release", "", "statement, not a report"]
    # a stance edit leaves the note alone, and so does its undo
    assert stack.push(EditEvidenceCommand(hub, contradicts.id, stance="context"))
    stack.undo()
    assert _stored_notes(project, ids) == ["checked against the CENTCOM release", "", "statement, not a report"]
    # clearing a note stores NULL, and undo brings the text back
    assert stack.push(EditEvidenceCommand(hub, context.id, note=None))
    assert _stored_notes(project, ids)[2] is None
    stack.undo()
    assert _stored_notes(project, ids)[2] == "statement, not a report"


def test_evidence_panel_opens_passage_in_reader(qtbot, hub, stack, panel, linked, sources):
    evidence = EvidencePanel(hub, stack)
    qtbot.addWidget(evidence)
    evidence.open_passage.connect(panel.open_source)
    hub.set_selection([linked["event"].id])
    panel.open_source(sources["ar"])
    evidence.activate_row(0)
    assert panel.reader.source_id == sources["fr"]
    assert panel.reader.view.current == linked["toll"].id
    assert panel.annotations.current_id() == linked["toll"].id
    assert panel.library.current_source_id() == sources["fr"]


def test_search_results_grouped_and_open(qtbot, hub, panel, linked, sources):
    results = SearchResults(hub)
    qtbot.addWidget(results)
    results.show()
    results.set_query("attaque")
    found = results.results()
    assert found.get("source") == [sources["fr"]]
    assert sorted(found.get("annotation", [])) == [linked["toll"].id]
    groups_shown = [results.tree.topLevelItem(i).text(0) for i in range(results.tree.topLevelItemCount())]
    assert groups_shown == ["Sources (1)", "Annotations (1)"]
    item = results.item_for("annotation", linked["toll"].id)
    assert "<b>attaque</b>" in item.data(0, HTML_ROLE)
    results.open_passage.connect(panel.open_source)
    results.tree.itemActivated.emit(item, 0)
    assert panel.reader.source_id == sources["fr"] and panel.reader.view.current == linked["toll"].id

    results.set_query("Tower")
    assert results.results() == {"event": [linked["event"].id]}
    with qtbot.waitSignal(results.open_event) as blocker:
        results.tree.itemActivated.emit(results.item_for("event", linked["event"].id), 0)
    assert blocker.args == [linked["event"].id]

    results.set_query("zzzz")
    assert results.results() == {} and "Nothing found" in results.summary.text()


def test_snippets_escape_the_text_and_bold_the_match():
    assert snippet_html("a <script> \x02b\x03 & c") == "a &lt;script&gt; <b>b</b> &amp; c"


def test_search_results_follow_edits_and_undo(qtbot, hub, stack, linked, project, sources):
    """A passage deleted (or an event removed by undo) leaves the results at once; undo brings it
    back; the result the analyst had chosen stays chosen."""
    from sijill.desktop.commands.events import CreateEventCommand
    from sijill.desktop.commands.annotations import DeleteAnnotationCommand

    results = SearchResults(hub)
    qtbot.addWidget(results)
    results.set_query("attaque")
    toll = linked["toll"].id
    results.tree.setCurrentItem(results.item_for("source", sources["fr"]))
    assert stack.push(DeleteAnnotationCommand(hub, toll))
    assert "annotation" not in results.results()
    assert results.tree.currentItem() is results.item_for("source", sources["fr"])
    stack.undo()
    assert results.results()["annotation"] == [toll]

    stack.push(CreateEventCommand(hub, {"title": "Second attaque on Tower 22", "start": "2024-02-02"}))
    created = stack.command(0).event_id
    assert results.results()["event"] == [created]
    stack.undo()
    assert "event" not in results.results()
    assert "Nothing found" not in results.summary.text()
