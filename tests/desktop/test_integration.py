"""The whole tool in one window: timeline, events table, reader, evidence and search wired together,
driven through the real MainWindow (its menus, keys and panes) and checked against the project FILE."""
from __future__ import annotations

import json
import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialogButtonBox

from sijill.db.formats.native import import_native
from sijill.db.store.project import Project
from sijill.db.resources import demo_path
from sijill.desktop.shell.main_window import MainWindow
from sijill.desktop.events.table_model import C_TITLE
from tests.desktop.sources_helpers import select

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory):
    """The demo project imported once; each test works on its own copy."""
    path = tmp_path_factory.mktemp("demo") / "d.sijill"
    project = Project.create(path)
    import_native(project, demo_path())
    project.close()
    return path


@pytest.fixture
def demo(tmp_path, demo_file) -> Project:
    path = tmp_path / "d.sijill"
    shutil.copy(demo_file, path)
    project = Project.open(path)
    yield project
    project.close()


@pytest.fixture
def window(qtbot, demo, settings, messages) -> MainWindow:
    w = MainWindow(demo, settings)
    qtbot.addWidget(w)
    w.resize(1600, 1000)
    w.show()
    qtbot.waitExposed(w)
    return w


def on_file(project: Project) -> Project:
    """A second connection to the same file: what was really written."""
    return Project.open(project.path)


def shown_ids(window: MainWindow) -> list[int]:
    return window.table.proxy.event_ids()


def click_event_row(qtbot, window: MainWindow, event_id: int) -> None:
    table = window.table
    row = table.proxy.proxy_row_of(event_id)
    index = table.proxy.index(row, C_TITLE)
    table.scrollTo(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())


def double_click(qtbot, view, rect) -> None:
    """A real double click: QTest's double click is the second click of a pair."""
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def menu_action(window: MainWindow, menu_title: str, text: str):
    """The action called `text` in the window's menu `menu_title` (as the analyst would pick it)."""
    menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == menu_title)
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


def annotated_evidence(project: Project):
    """An event whose first evidence is an annotated passage, and that evidence."""
    for event in project.events():
        for ev in project.evidence(event.id):
            if ev.annotation_id is not None:
                return event.id, ev
    raise AssertionError("the demo has annotated evidence")


def test_evidence_of_the_selected_event_opens_its_passage_in_the_reader(qtbot, window, demo):
    event_id, evidence = annotated_evidence(demo)
    assert not window.sources_panel.isVisible()  # no source open yet: the timeline has the width
    with qtbot.waitSignal(window.hub.selection_changed):
        click_event_row(qtbot, window, event_id)
    source = demo.source(evidence.source_id)
    annotation = demo.annotation(evidence.annotation_id)
    rows = window.evidence_panel.rows()
    grade = f"{source.reliability}{annotation.credibility}"
    row = next(i for i, r in enumerate(rows) if r[3] == source.title and r[2].startswith("“"))
    assert rows[row][0] == evidence.stance and rows[row][1] == grade
    tree = window.evidence_panel.tree
    rect = tree.visualItemRect(tree.topLevelItem(row))
    double_click(qtbot, tree, rect)
    reader = window.sources_panel.reader
    assert window.sources_panel.isVisible() and window.action_set.view_sources.isChecked()
    assert reader.source_id == source.id and reader.view.current == annotation.id
    assert reader.view.body == source.body
    viewport = reader.view.viewport().rect()
    cursor = reader.view.textCursor()
    assert viewport.intersects(reader.view.cursorRect(cursor))  # the passage is scrolled into view
    assert window.sources_panel.annotations.current_id() == annotation.id
    assert reader.view.hasFocus()  # Ctrl+E now annotates


def test_one_search_box_finds_a_word_of_a_source_and_opens_it(qtbot, window, demo):
    source = next(s for s in demo.sources() if "America's choosing" in s.body)
    window.action_set.edit_find.trigger()
    qtbot.keyClicks(window.search_box, "choosing")
    with qtbot.waitSignal(window.hub.filter_changed, timeout=2000):
        pass
    results = window.search_results
    assert window.results_dock.isVisible()
    assert source.id in results.results().get("source", [])
    item = results.item_for("source", source.id)
    tree = results.tree
    tree.scrollToItem(item)
    double_click(qtbot, tree, tree.visualItemRect(item))
    assert window.sources_panel.reader.source_id == source.id
    assert window.library.current_source_id() == source.id
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    window.search_box.apply()
    assert not window.results_dock.isVisible() and results.tree.topLevelItemCount() == 0


def test_choosing_an_event_in_the_results_selects_it_and_brings_it_into_view(qtbot, window, demo):
    tower = next(e for e in demo.events() if e.title.startswith("Tower 22"))
    window.timeline.set_preset("1 m")
    window.timeline.set_window(1.40e9, 1.40e9 + 30 * 86400)  # Jul 2014: far from Jan 2024
    window.search_box.setText("Tower")
    window.search_box.apply()
    assert tower.id in shown_ids(window)  # the table keeps the matches
    assert set(shown_ids(window)) <= set(demo.search_event_ids("Tower"))
    assert tower.id in set(window.timeline.data.matches.tolist())  # highlighted on the timeline
    item = window.search_results.item_for("event", tower.id)
    window.search_results.tree.setCurrentItem(item)
    window.search_results.tree.itemActivated.emit(item, 0)
    assert window.hub.selection == [tower.id]
    t0, t1 = window.timeline.window()
    assert t0 <= tower.start.lo_ts <= t1 and t1 - t0 < 40 * 86400  # in view, zoom kept
    window.hub.set_selection([])
    window.search_box.setFocus()
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)  # Enter: the next match on the timeline
    assert window.hub.selection and window.hub.selection[0] in demo.search_event_ids("Tower")


def test_create_event_from_a_passage_through_the_sources_menu_then_undo(qtbot, window, demo):
    source = next(s for s in demo.sources() if "America's choosing" in s.body)
    before_annotations = {a.id for a in demo.annotations(source.id)}
    window.open_passage(source.id)
    reader = window.sources_panel.reader
    start = source.body.index("He vowed")
    end = source.body.index(".", start) + 1
    select(reader, start, end)
    action = menu_action(window, "Sources", "Create event from passage…")
    assert action.isEnabled()
    action.trigger()
    dialog = reader.editor.dialog
    assert dialog is not None
    dialog.title.setText("Biden vows to hold those responsible to account")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    with on_file(demo) as second:
        created = next(e for e in second.events() if e.title == "Biden vows to hold those responsible to account")
        evidence = second.evidence(created.id)
        assert len(evidence) == 1 and evidence[0].stance == "supports"
        annotation = second.annotation(evidence[0].annotation_id)
        assert (annotation.start, annotation.end, annotation.source_id) == (start, end, source.id)
        assert created.start.lo_ts >= source.published.lo_ts - 86400  # read against the source's date
    assert created.id in shown_ids(window)
    assert window.timeline.data.event_times(created.id) is not None  # on the timeline at once
    assert window.hub.selection == [created.id]
    assert window.evidence_panel.rows()[0][0] == "supports"

    assert window.undo_stack.undoText() == "Create event from passage"
    window.action_set.edit_undo.trigger()
    with on_file(demo) as second:
        assert all(e.title != created.title for e in second.events())
        assert {a.id for a in second.annotations(source.id)} == before_annotations
        assert second.evidence_for_annotation(annotation.id) == []
    assert created.id not in shown_ids(window)
    assert window.timeline.data.event_times(created.id) is None


def test_evidence_filter_from_the_view_menu_hides_events_with_evidence(qtbot, window, demo):
    bare = demo.create_event("Unsourced rumour of a strike", "2023-11")
    summary = demo.evidence_summary()
    assert bare.id not in summary
    menu_action(window, "View", "Evidence filter").menu()  # the submenu exists
    window.action_set.view_evidence_none.trigger()
    assert window.hub.filter.evidence == "none"
    ids = shown_ids(window)
    assert bare.id in ids and not set(ids) & set(summary)
    assert set(window.timeline.data.allowed.tolist()) == {e.id for e in demo.events()} - set(summary)
    assert window.filter_bar.evidence.currentData() == "none"  # the toolbar's choice follows
    window.action_set.view_evidence_contradicted.trigger()
    contradicted = {e for e, (_n, c) in summary.items() if c}
    assert set(shown_ids(window)) == contradicted and contradicted
    window.filter_bar.evidence.setCurrentIndex(0)  # and the menu follows the toolbar
    assert window.action_set.view_evidence_all.isChecked()
    assert len(shown_ids(window)) == len(demo.events())


def test_ctrl_e_annotates_in_the_reader_and_creates_nothing_elsewhere(qtbot, window, demo):
    n_events = len(demo.events())
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert getattr(window, "event_dialog", None) is None
    assert len(demo.events()) == n_events
    source = next(s for s in demo.sources() if "America's choosing" in s.body)
    window.open_passage(source.id)
    reader = window.sources_panel.reader
    start = source.body.index("radical")
    select(reader, start, start + len("radical Iran-backed militant groups"))
    qtbot.keyClick(reader.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = reader.editor.dialog
    assert dialog is not None and getattr(window, "event_dialog", None) is None
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    with on_file(demo) as second:
        assert any(a.quote == "radical Iran-backed militant groups" for a in second.annotations(source.id))
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_N,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.event_dialog is not None and window.event_dialog.isVisible()  # New event moved here
    window.event_dialog.reject()


def test_delete_in_the_library_deletes_the_source_not_the_selected_event(qtbot, window, demo, messages):
    event_id, _evidence = annotated_evidence(demo)
    window.hub.set_selection([event_id])
    source = next(s for s in demo.sources() if not demo.annotations(s.id))
    window.bottom_tabs.setCurrentWidget(window.library)
    window.library.select_source(source.id)
    window.library.table.setFocus()
    qtbot.keyClick(window.library.table, Qt.Key.Key_Delete)
    with on_file(demo) as second:
        assert source.id not in {s.id for s in second.sources()}
        assert event_id in {e.id for e in second.events()}
    assert messages and messages[-1][0] == "Delete source"  # asked, since events cite it


def test_view_presets_zoom_to_selection_and_sources_toggle(qtbot, window, demo):
    window.action_set.view_preset_1y.trigger()
    t0, t1 = window.timeline.window()
    assert abs((t1 - t0) - 365.25 * 86400) < 3 * 86400
    tower = next(e for e in demo.events() if e.title.startswith("Tower 22"))
    window.hub.set_selection([tower.id])
    window.action_set.view_zoom_selection.trigger()
    t0, t1 = window.timeline.window()
    assert t0 <= tower.start.lo_ts and tower.start.hi_ts <= t1 and t1 - t0 < 5 * 86400
    assert not window.sources_panel.isVisible()
    qtbot.keyClick(window.table, Qt.Key.Key_F9)
    assert window.sources_panel.isVisible()
    qtbot.keyClick(window.table, Qt.Key.Key_F9)
    assert not window.sources_panel.isVisible()


def test_layout_is_remembered(qtbot, demo, settings, messages):
    first = MainWindow(demo, settings)
    qtbot.addWidget(first)
    first.resize(1600, 1000)
    first.show()
    first.action_set.view_sources.setChecked(True)
    first.work_splitter.setSizes([700, 500])
    first.action_set.view_sources.setChecked(False)
    sizes = first.work_splitter.sizes()
    first.save_state()
    second = MainWindow(demo, settings)
    qtbot.addWidget(second)
    second.resize(1600, 1000)
    second.show()
    assert not second.action_set.view_sources.isChecked() and not second.sources_panel.isVisible()
    second.action_set.view_sources.setChecked(True)
    assert all(abs(a - b) <= 4 for a, b in zip(second.work_splitter.sizes(), sizes))  # within the handle's width


def test_status_bar_shows_the_panels_messages(window):
    window.sources_panel.status_message.emit("Text replaced: 3 annotation(s) kept")
    assert window.statusBar().currentMessage() == "Text replaced: 3 annotation(s) kept"


def test_exports_from_the_file_menu(qtbot, window, demo, tmp_path):
    assert menu_action(window, "File", "Export…").menu() is None  # one Export dialog for every format
    out = tmp_path / "annotations.jsonld"
    assert window.export_w3c(out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "AnnotationCollection" and doc["total"] == len(demo.annotations())
    svg, png = tmp_path / "t.svg", tmp_path / "t.png"
    assert window.export_image(svg, lo=1696118400, hi=1709164800)
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    # the demo's 27 lanes do not fit in 500 px even at one row each: the image is taller, and says so
    assert window.export_image(png, size=(800, 500))
    assert QImage(str(png)).width() == 800 and QImage(str(png)).height() > 500
    assert "27 lanes do not fit in 800×500 px" in window.statusBar().currentMessage()
    assert window.export_image(png, size=(800, 1000))
    assert (QImage(str(png)).width(), QImage(str(png)).height()) == (800, 1000)
    assert "lanes" not in window.statusBar().currentMessage()
    dialog = window.image_dialog()
    dialog.height_spin.setValue(500)
    assert dialog.fit_note.isVisibleTo(dialog) and "27 lanes" in dialog.fit_note.text()
    dialog.height_spin.setValue(1000)
    assert not dialog.fit_note.isVisibleTo(dialog)
    dialog.path_edit.setText(str(tmp_path / "x.gif"))
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    dialog.path_edit.setText(str(tmp_path / "x.pdf"))
    dialog.from_edit.setText("Oct 2023")
    dialog.to_edit.setText("Feb 2024")
    assert dialog.range_radio.isChecked() is False  # typing by program is not editing
    dialog.range_radio.setChecked(True)
    request = dialog.request()
    assert request.lo == 1696118400 and request.hi == 1709251199 and request.path.suffix == ".pdf"
    dialog.to_edit.setText("Feb 2023")
    assert "before its start" in dialog.message.text()
    dialog.reject()


def test_the_event_editor_lists_the_evidence_and_opens_a_passage(qtbot, window, demo):
    from sijill.desktop.events.event_dialog import open_event_editor
    from sijill.desktop.sources.evidence_panel import EvidencePanel

    event_id, evidence = annotated_evidence(demo)
    dialog = open_event_editor(window, window.hub, window.undo_stack, event_id)
    qtbot.waitExposed(dialog)
    panel = dialog.findChild(EvidencePanel, "eventDialogEvidence")
    source = demo.source(evidence.source_id)
    annotation = demo.annotation(evidence.annotation_id)
    rows = panel.rows()
    assert len(rows) == len(demo.evidence(event_id))
    row = next(i for i, r in enumerate(rows) if r[3] == source.title and r[2].startswith("“"))
    assert rows[row][1] == f"{source.reliability}{annotation.credibility}"
    assert annotation.quote[:20] in rows[row][2]
    double_click(qtbot, panel.tree, panel.tree.visualItemRect(panel.tree.topLevelItem(row)))
    assert window.sources_panel.reader.source_id == source.id
    assert window.sources_panel.reader.view.current == annotation.id
    dialog.reject()
