"""The source library: adding each file kind through the real add-from-file path, refusing bad
files with a message, pasting, editing metadata, deleting; every change undoable."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

from sijill.db.store.project import Project
from tests.desktop.sources_helpers import (click_ok, groups, hub, messages, panel, sources,  # noqa: F401
                                           stack)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()


def _reopen(project) -> Project:
    """A second connection to the same file: what the project FILE holds, not a cache."""
    return Project.open(project.path, read_only=True)


def _write_pdf(path, lines: list[str] | None) -> None:
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    painter = QPainter(writer)
    if lines is None:
        painter.drawRect(QRectF(100, 100, 2000, 1000))  # a page with drawing but no text layer
    else:
        painter.setFont(QFont("DejaVu Sans", 12))
        for i, line in enumerate(lines):
            painter.drawText(200, 400 + i * 300, line)
    painter.end()


@pytest.fixture
def library(panel):
    return panel.library


def _add_file(qtbot, library, path, **fields):
    dialog = library.add_from_file(str(path))
    assert dialog is not None, "the file should have been read"
    if "reliability" in fields:
        dialog.set_reliability(fields["reliability"])
    if "published" in fields:
        dialog.published_edit.setText(fields["published"])
    click_ok(qtbot, dialog)
    return dialog


@pytest.mark.parametrize("name, content, title, needle", [
    ("statement.txt", "Statement on the strikes\n\nThe ministry condemned the strikes in Al-Qaim.",
     "Statement on the strikes", "condemned the strikes in Al-Qaim"),
    ("notes.md", "# Drone attack on Tower 22\n\nThree **US soldiers** were killed, officials said.\n",
     "Drone attack on Tower 22", "Three US soldiers were killed"),
    ("page.html", "<html><head><title>Frappes en Irak</title><style>p{color:red}</style>"
     "<script>alert('x')</script></head><body><p>Les frappes ont visé Al-Qaim.</p>"
     "<p>Deux dépôts détruits.</p><img src='http://example.com/x.png'></body></html>",
     "Frappes en Irak", "Les frappes ont visé Al-Qaim."),
])
def test_add_text_files(qtbot, library, project, tmp_path, name, content, title, needle):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    _add_file(qtbot, library, path, reliability="C", published="2024-02-03")
    with _reopen(project) as disk:
        added = [s for s in disk.sources() if s.title == title]
        assert len(added) == 1
        source = added[0]
        assert needle in source.body
        assert source.reliability == "C"
        assert source.published.display() == "3 Feb 2024"
        if name.endswith(".html"):
            assert "alert" not in source.body and "color:red" not in source.body
            assert "\n" in source.body  # paragraphs kept
    assert library.current_source_id() == source.id


def test_add_pdf_written_with_qpdfwriter(qtbot, library, project, tmp_path):
    path = tmp_path / "report.pdf"
    _write_pdf(path, ["Rocket attack on Ain al-Asad airbase", "Several service members were injured."])
    _add_file(qtbot, library, path)
    with _reopen(project) as disk:
        # pypdf separates the words Qt's PDF writer places one by one with tabs: compare words
        source = next(s for s in disk.sources() if "Ain al-Asad" in " ".join(s.body.split()))
        assert "Several service members were injured." in " ".join(source.body.split())


@pytest.mark.parametrize("name, data, why", [
    ("empty.txt", b"", "empty"),
    ("picture.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG"),
    ("latin1.txt", "Le café de la gare a été touché.".encode("cp1252"), "UTF"),
    ("scan.pdf", None, "text"),
])
def test_bad_files_show_a_message_and_add_nothing(qtbot, library, project, tmp_path, messages, name, data, why):
    path = tmp_path / name
    if data is None:
        _write_pdf(path, None)
    else:
        path.write_bytes(data)
    before = len(project.sources())
    assert library.add_from_file(str(path)) is None
    assert len(messages) == 1 and messages[0][0] == "warning"
    assert name in messages[0][1] and why.lower() in messages[0][1].lower()
    assert library.dialog is None
    with _reopen(project) as disk:
        assert len(disk.sources()) == before


def test_add_by_pasting_and_undo(qtbot, library, project, stack):
    dialog = library.add_by_paste()
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    dialog.title_edit.setText("Post on Telegram")
    assert not ok.isEnabled(), "an empty paste cannot be accepted"
    dialog.body_edit.setPlainText("  Nous avons frappé la base.\r\n\r\n\r\nFin.  ")
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("fr"))
    assert ok.isEnabled()
    click_ok(qtbot, dialog)
    with _reopen(project) as disk:
        source = next(s for s in disk.sources() if s.title == "Post on Telegram")
        assert source.body.startswith("Nous avons frappé la base.") and "\r" not in source.body
        assert source.language == "fr"
    stack.undo()
    with _reopen(project) as disk:
        assert not [s for s in disk.sources() if s.title == "Post on Telegram"]
    stack.redo()
    with _reopen(project) as disk:
        assert [s.uid for s in disk.sources() if s.title == "Post on Telegram"] == [source.uid]


def test_edit_metadata_with_fuzzy_date_preview_and_grade(qtbot, library, project, stack, sources):
    library.select_source(sources["fr"])
    dialog = library.edit_selected()
    dialog.published_edit.setText("not a date at all")
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.published_edit.setText("2024-01-29")
    assert "Mon 29 Jan 2024" in dialog.published_preview.text()
    texts = [b.text() for b in dialog.reliability_buttons.buttons()]
    assert any(t.startswith("E") and "history of invalid information" in t for t in texts)
    dialog.set_reliability("E")
    dialog.outlet_edit.setText("Le Matin")
    click_ok(qtbot, dialog)
    with _reopen(project) as disk:
        s = disk.source(sources["fr"])
        assert (s.reliability, s.outlet, s.published.display()) == ("E", "Le Matin", "29 Jan 2024")
    stack.undo()
    with _reopen(project) as disk:
        s = disk.source(sources["fr"])
        assert (s.reliability, s.outlet, s.published.display()) == ("B", "Le Quotidien", "31 Jan 2024")


def test_delete_source_with_annotations_and_evidence_undo_restores_all(qtbot, library, project, stack, sources,
                                                                       messages):
    event = project.create_event("Tower 22 attack", "2024-01-28")
    s, e = project.find_quote(sources["fr"], "une attaque de drone")
    ann = project.create_annotation(sources["fr"], s, e, note="claim", credibility=2, tags=["claim"])
    ev = project.add_evidence(event.id, annotation_id=ann.id, stance="supports")
    fr_uid = project.source(sources["fr"]).uid
    library.model.reload()
    library.select_source(sources["fr"])
    assert library.delete_selected()
    assert messages and messages[0][0] == "question"
    with _reopen(project) as disk:
        assert disk.source_by_uid(fr_uid) is None
        assert all(a.uid != ann.uid for a in disk.annotations())
        assert disk.evidence(event.id) == []
    stack.undo()
    with _reopen(project) as disk:
        restored = disk.annotation(ann.id)
        assert (restored.uid, restored.start, restored.end, restored.note, restored.tags) == \
               (ann.uid, s, e, "claim", ("claim",))
        [back] = disk.evidence(event.id)
        assert (back.id, back.annotation_id, back.stance) == (ev.id, ann.id, "supports")
        assert disk.source(back.source_id).title == "Attaque de drone à la frontière"


def test_table_sorts_filters_and_counts(qtbot, library, project, sources, qtmodeltester):
    s, e = project.find_quote(sources["ar"], "تعليق عملياتها العسكرية")
    project.create_annotation(sources["ar"], s, e)
    library.model.reload()
    qtmodeltester.check(library.model)
    proxy = library.proxy
    titles = lambda: [proxy.index(r, 0).data() for r in range(proxy.rowCount())]  # noqa: E731
    library.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    assert titles() == ["بيان كتائب حزب الله", "Attaque de drone à la frontière"]
    counts = {proxy.index(r, 0).data(): proxy.index(r, 6).data() for r in range(proxy.rowCount())}
    assert counts == {"بيان كتائب حزب الله": "1", "Attaque de drone à la frontière": ""}
    qtbot.keyClicks(library.filter_edit, "quotidien")
    assert titles() == ["Attaque de drone à la frontière"]
    library.filter_edit.clear()
    assert len(titles()) == 2
    grade_tip = proxy.index(0, 5).data(Qt.ItemDataRole.ToolTipRole)
    assert "Fairly reliable" in grade_tip


def test_read_only_project_offers_no_edits(qtbot, project, sources):
    from PySide6.QtGui import QUndoStack

    from sijill.desktop.hub import ProjectHub
    from sijill.desktop.sources.panel import SourcesPanel

    project.close()
    with Project.open(project.path, read_only=True) as ro:
        panel = SourcesPanel(ProjectHub(ro), QUndoStack())
        qtbot.addWidget(panel)
        panel.open_source(sources["fr"])
        assert panel.library.current_source_id() == sources["fr"]
        assert not panel.library.add_file_action.isEnabled() and not panel.library.delete_action.isEnabled()
        assert not panel.reader.edit_text_action.isEnabled()
        panel.reader.view.select_range(0, 5)
        assert not panel.reader.annotate_action.isEnabled()
        assert "Le ministère" in panel.reader.view.toPlainText()


def test_read_only_project_offers_no_edit_of_passages_or_evidence(qtbot, project, sources, messages):
    """A passage can be read and chosen, but every gesture that would change it is disabled or,
    reached anyway (a double-click on a highlight), says why and opens no dialog."""
    from PySide6.QtGui import QUndoStack

    from sijill.desktop.hub import ProjectHub
    from sijill.desktop.sources.evidence_panel import EvidencePanel
    from sijill.desktop.sources.panel import SourcesPanel

    sid = sources["fr"]
    annotation = project.create_annotation(sid, 0, 12, note="opening")
    event = project.create_event("Tower 22 attack", "2024-01-28")
    project.add_evidence(event.id, annotation_id=annotation.id)
    project.close()
    with Project.open(project.path, read_only=True) as ro:
        hub, stack = ProjectHub(ro), QUndoStack()
        panel = SourcesPanel(hub, stack)
        qtbot.addWidget(panel)
        panel.open_source(sid, annotation.id)
        lists = panel.annotations
        assert lists.current_id() == annotation.id and "opening" in lists.details.text()
        for button in (lists.edit_button, lists.delete_button, lists.event_button):
            assert not button.isEnabled(), button.text()
        menu = panel.reader.build_context_menu(panel.reader.view.point_of(3))
        edits = [a for a in menu.actions() if "annotation" in a.text()]
        assert len(edits) == 2 and not any(a.isEnabled() for a in edits)
        assert panel.editor.edit(annotation.id) is None and panel.editor.dialog is None
        assert panel.editor.delete(annotation.id) is False
        assert [kind for kind, _text in messages] == ["information", "information"]
        assert "read-only" in messages[0][1]

        evidence = EvidencePanel(hub, stack)
        qtbot.addWidget(evidence)
        evidence.set_event(event.id)
        menu = evidence.build_context_menu(evidence.tree.topLevelItem(0))
        enabled = {a.text(): a.isEnabled() for a in menu.actions()}
        assert enabled == {"Open passage": True, "Stance": False, "Note…": False, "Remove link": False}
        assert stack.count() == 0
        assert [(a.id, a.note) for a in ro.annotations(sid)] == [(annotation.id, "opening")]
