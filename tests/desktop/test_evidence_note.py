"""The evidence list's Note…: the analyst says why a passage bears on an event, sees it on the
stance's tooltip, and takes it back with undo; checked against the project file."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QInputDialog, QPlainTextEdit

from sijill.db.store.project import Project
from sijill.desktop.sources.panel import EvidencePanel
from tests.desktop.sources_helpers import groups, hub, messages, sources, stack  # noqa: F401

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()


@pytest.fixture
def linked(project, sources):
    sid = sources["fr"]
    event = project.create_event("Tower 22 attack", "2024-01-28")
    toll = project.create_annotation(sid, *project.find_quote(sid, "l'attaque a fait trois morts"), credibility=2)
    evidence = project.add_evidence(event.id, annotation_id=toll.id, stance="supports")
    return event.id, evidence.id


def note_on_file(project, evidence_id):
    with Project.open(project.path, read_only=True) as disk:
        return disk.evidence_item(evidence_id).note


def test_note_from_the_context_menu_is_stored_shown_and_undone(qtbot, hub, stack, project, linked, tmp_path):
    event_id, evidence_id = linked
    panel = EvidencePanel(hub, stack, follow_selection=False)
    qtbot.addWidget(panel)
    panel.resize(700, 300)
    panel.show()
    panel.set_event(event_id)
    menu = panel.build_context_menu(panel.tree.topLevelItem(0))
    note = next(a for a in menu.actions() if a.text() == "Note…")
    assert note.isEnabled()
    note.trigger()
    dialog = panel.findChild(QInputDialog, "evidence_note_dialog")
    qtbot.waitExposed(dialog)
    editor = dialog.findChild(QPlainTextEdit)
    qtbot.keyClicks(editor, "the toll the Pentagon gave on 29 January")
    dialog.grab().save(str(tmp_path / "evidence_note.png"))
    buttons = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert note_on_file(project, evidence_id) == "the toll the Pentagon gave on 29 January"
    assert panel.tree.topLevelItem(0).toolTip(0) == "Note: the toll the Pentagon gave on 29 January"
    assert stack.undoText() == "Change evidence note"
    stack.undo()
    assert note_on_file(project, evidence_id) is None and panel.tree.topLevelItem(0).toolTip(0) == ""


def test_an_unchanged_note_is_no_step_and_blank_clears_it(qtbot, hub, stack, project, linked):
    _event_id, evidence_id = linked
    panel = EvidencePanel(hub, stack, follow_selection=False)
    qtbot.addWidget(panel)
    assert panel.set_note(evidence_id, "  ") is False and stack.count() == 0
    assert panel.set_note(evidence_id, "why") and note_on_file(project, evidence_id) == "why"
    assert panel.set_note(evidence_id, " \n ") and note_on_file(project, evidence_id) is None
