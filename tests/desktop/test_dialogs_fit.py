"""Every dialog of the window, opened on the demo in its fullest state, fits a 1366×768 screen with
room for the window's title bar and the desktop's panel."""
from __future__ import annotations

import shutil

import pytest
from PySide6.QtWidgets import QApplication, QDialog

from sijill.db.formats.native import import_native
from sijill.db.store.project import Project
from sijill.db.resources import demo_path
from sijill.desktop.shell.about import AboutDialog
from sijill.desktop.sources.annotation_dialog import AnnotationDialog
from sijill.desktop.events.event_dialog import EventDialog, open_event_editor
from sijill.desktop.groups.group_dialog import GroupDialog
from sijill.desktop.shell.preferences_dialog import Preferences, PreferencesDialog
from sijill.desktop.sources.source_dialog import SourceDialog
from sijill.desktop.groups.merge_dialog import MergeDialog
from sijill.desktop.groups.period_dialog import PeriodDialog
from sijill.desktop.shell.main_window import MainWindow
from tests.perf.acled_file import write_acled

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()
ROOM = (1300, 700)  # 1366×768 less a title bar, borders and a desktop panel


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "d.sijill"
    project = Project.create(path)
    import_native(project, demo_path())
    project.close()
    return path


@pytest.fixture
def window(qtbot, tmp_path, demo_file, settings, messages) -> MainWindow:
    shutil.copy(demo_file, tmp_path / "d.sijill")
    w = MainWindow(Project.open(tmp_path / "d.sijill"), settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def fullest(items, key):
    return max(items, key=key)


def dialogs(window: MainWindow, tmp_path) -> list[QDialog]:
    """Each dialog, in the state that makes it largest: the event with the most evidence, the
    annotation with the most links, the group with the most aliases, a 300-row ACLED file…"""
    project, hub, stack = window.project, window.hub, window.undo_stack
    events = project.events()
    busiest_event = fullest(events, lambda e: len(project.evidence(e.id)))
    annotations = [a for s in project.sources() for a in project.annotations(s.id)]
    busiest = fullest(annotations, lambda a: len(project.evidence_for_annotation(a.id)))
    longest_source = fullest(project.sources(), lambda s: len(s.title))
    group = fullest(project.groups(), lambda g: len(project.group_snapshot(g.id).get("aliases", [])))
    parent = next(g for g in project.groups() if any(c.parent_id == g.id for c in project.groups()))
    return [
        EventDialog(hub, None, window),
        open_event_editor(window, hub, stack, busiest_event.id),
        AnnotationDialog(hub, busiest.source_id, busiest.start, busiest.end, annotation=busiest, parent=window),
        AnnotationDialog(hub, longest_source.id, 0, min(400, len(longest_source.body)), parent=window),
        SourceDialog(window, paste=True),
        SourceDialog(window, source=longest_source),
        GroupDialog(hub, None, window),
        GroupDialog(hub, group, window),
        PeriodDialog(hub, None, window),
        MergeDialog(hub, parent.id, window),
        window.image_dialog(),
        window.import_dialog(write_acled(tmp_path / "acled.csv", 300)),
        window.export_dialog("report"),
        PreferencesDialog(Preferences.load(window.settings), window),
        AboutDialog(window),
    ]


def test_every_dialog_fits_a_1366_by_768_screen(qtbot, window, tmp_path):
    too_big = []
    for dialog in dialogs(window, tmp_path):
        dialog.show()
        QApplication.processEvents()
        for what, size in (("sizeHint", dialog.sizeHint()), ("minimumSizeHint", dialog.minimumSizeHint()),
                           ("minimumSize", dialog.minimumSize())):
            if size.width() > ROOM[0] or size.height() > ROOM[1]:
                too_big.append((type(dialog).__name__, dialog.windowTitle(), what, size.toTuple()))
        dialog.close()
    assert not too_big


def test_the_event_editor_with_its_evidence_is_no_taller_than_700_px(qtbot, window):
    project = window.project
    event = fullest(project.events(), lambda e: len(project.evidence(e.id)))
    dialog = open_event_editor(window, window.hub, window.undo_stack, event.id)
    assert dialog.sizeHint().height() <= 700 and dialog.minimumSizeHint().height() <= 700
    assert dialog.tabs.tabText(1) == f"E&vidence ({len(project.evidence(event.id))})"
    dialog.close()


def test_the_annotation_dialog_reads_event_titles_whole(qtbot, window):
    project = window.project
    annotation = next(a for s in project.sources() for a in project.annotations(s.id))
    dialog = AnnotationDialog(window.hub, annotation.source_id, annotation.start, annotation.end,
                              annotation=annotation, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    QApplication.processEvents()
    picker = dialog.event_list
    assert picker.count() > 5
    assert not picker.horizontalScrollBar().isVisible()
    viewport = picker.viewport().width()
    metrics = picker.fontMetrics()
    for i in range(picker.count()):  # every title on one line, or wrapped: never cut off
        item = picker.item(i)
        rect = picker.visualItemRect(item)
        assert rect.width() <= viewport
        assert metrics.horizontalAdvance(item.text()) <= viewport or rect.height() > metrics.height() * 1.5
    assert picker.width() >= 440  # the evidence column has the room, not the grades' column alone
