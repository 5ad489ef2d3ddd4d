"""Sources ▸ Merge into…: the same article added twice, the copy merged into the source kept from the
library's menu; its passage is found again in the kept text and its evidence link follows, checked
against the project file, then undone and redone."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from sijill.db.store.project import Project
from tests.desktop.sources_helpers import (FR_TEXT, click_ok, groups, hub, messages, panel, sources,  # noqa: F401
                                           stack)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()

COPY = "Dépêche. " + FR_TEXT.split("\n")[1]  # the second paragraph, pasted again from a wire service


@pytest.fixture
def copy(project, sources):
    """A second source holding part of the French article, with a passage that supports an event."""
    source = project.create_source("Trois morts (dépêche)", COPY, outlet="Agence", language="fr")
    start = COPY.index("l'attaque a fait trois morts")
    passage = project.create_annotation(source.id, start, start + len("l'attaque a fait trois morts"),
                                        note="the toll", credibility=2)
    event = project.create_event("Tower 22 attack", "2024-01-28")
    project.add_evidence(event.id, source.id, passage.id, stance="supports")
    return {"source": source.uid, "passage": passage.uid, "event": event.uid}


def rows(library) -> list[str]:
    return sorted(library.proxy.index(r, 0).data() for r in range(library.proxy.rowCount()))


def test_merge_into_moves_the_passage_and_its_evidence_and_undo_puts_it_back(qtbot, panel, project, sources, copy,
                                                                             stack, tmp_path):
    library = panel.library
    assert library.merge_action in panel.actions_for_menu and library.merge_action in library.table.actions()
    library.select_source(project.source_by_uid(copy["source"]).id)
    assert library.merge_action.isEnabled()
    library.merge_action.trigger()
    dialog = library.dialog
    assert dialog.windowTitle() == "Merge “Trois morts (dépêche)” into…"
    assert "its 1 passage, found again" in dialog.intro.text() and "its 1 evidence link move" in dialog.intro.text()
    qtbot.keyClicks(dialog.filter, "Quotidien")
    assert dialog.target_id() == sources["fr"]
    dialog.grab().save(str(tmp_path / "merge_source.png"))
    click_ok(qtbot, dialog)
    assert rows(library) == ["Attaque de drone à la frontière", "بيان كتائب حزب الله"]
    assert library.current_source_id() == sources["fr"]
    with Project.open(project.path, read_only=True) as second:
        assert second.source_by_uid(copy["source"]) is None
        passage = second.annotation_by_uid(copy["passage"])
        assert passage.source_id == sources["fr"] and not passage.orphaned
        assert FR_TEXT[passage.start:passage.end] == "l'attaque a fait trois morts"
        [link] = second.evidence(second.event_by_uid(copy["event"]).id)
        assert (link.source_id, link.annotation_id) == (sources["fr"], passage.id)
    assert stack.undoText() == "Merge source “Trois morts (dépêche)” into “Attaque de drone à la frontière”"
    stack.undo()
    assert "Trois morts (dépêche)" in rows(library)
    with Project.open(project.path, read_only=True) as second:
        back = second.source_by_uid(copy["source"])
        passage = second.annotation_by_uid(copy["passage"])
        assert passage.source_id == back.id and COPY[passage.start:passage.end] == "l'attaque a fait trois morts"
    stack.redo()
    assert "Trois morts (dépêche)" not in rows(library)


def test_with_one_source_there_is_nothing_to_merge_into(qtbot, panel, project, sources):
    library = panel.library
    library.select_source(sources["ar"])
    assert library.merge_action.isEnabled()
    stack_before = library.stack.count()
    # the project has two sources: after deleting one, merging is offered no more
    library.delete_selected()
    library.select_source(sources["fr"])
    assert library.stack.count() == stack_before + 1 and not library.merge_action.isEnabled()
