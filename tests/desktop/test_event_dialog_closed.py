"""An event editor closed with Cancel leaves nothing listening: its evidence list went with it, so
a later change to passages or sources must not reach it ("… (QTreeWidget) already deleted")."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from sijill.desktop.commands.annotations import CreateAnnotationCommand, EditAnnotationCommand
from sijill.desktop.shell.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()


def test_f2_then_cancel_then_an_annotation_change_reaches_no_deleted_widget(qtbot, small_project, settings,
                                                                           messages, capfd):
    window = MainWindow(small_project, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    tower = next(e for e in small_project.events() if e.title == "Tower 22 attack")
    window.hub.set_selection([tower.id])
    assert window.action_set.edit_event.shortcut().toString() == "F2"
    window.action_set.edit_event.trigger()                     # F2
    dialog = window.event_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.reject()                                            # Cancel
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the dialog deletes itself on close
    source = small_project.create_source("CENTCOM statement", "Three U.S. Army soldiers were killed.")
    annotate = CreateAnnotationCommand(window.hub, source.id, 0, 5, note="first look")
    assert window.undo_stack.push(annotate)
    assert window.undo_stack.push(EditAnnotationCommand(window.hub, annotate.annotation_id, {"note": "checked"}))
    window.undo_stack.undo()
    assert "already deleted" not in capfd.readouterr().err
    assert small_project.annotation(annotate.annotation_id).note == "first look"
    window.close()
