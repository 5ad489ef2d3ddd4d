"""The Periods tab's Merge into…: the same phase entered twice becomes one band, checked against the
project file, then undone."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QInputDialog

from sijill.db.store.project import Project
from sijill.desktop.commands.stack import GuardedUndoStack
from sijill.desktop.groups.periods_list import PeriodsList
from sijill.desktop.hub import ProjectHub

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()


def test_merge_into_from_the_context_menu(qtbot, qapp, small_project, tmp_path):
    small_project.create_period("ISIS holds Mosul", "June 2014", "July 2017")
    small_project.create_period("Mosul under ISIS", "10 June 2014", "2017", color="#aa0000", description="The city")
    small_project.create_period("Gaza war", "7 Oct 2023", "2025")
    hub, stack = ProjectHub(small_project), GuardedUndoStack()
    panel = PeriodsList(hub, stack)
    qtbot.addWidget(panel)
    merged = next(p.id for p in small_project.periods() if p.title == "Mosul under ISIS")
    menu = {a.objectName(): a for a in panel.menu_for(merged).actions()}
    assert menu["merge_period"].isEnabled()
    menu["merge_period"].trigger()
    dialog = panel.findChild(QInputDialog, "merge_period_dialog")
    assert dialog.windowTitle() == "Merge “Mosul under ISIS” into…"
    assert dialog.comboBoxItems() == ["ISIS holds Mosul (Jun 2014 – Jul 2017)", "Gaza war (7 Oct 2023 – 2025)"]
    dialog.setTextValue("ISIS holds Mosul (Jun 2014 – Jul 2017)")
    dialog.grab().save(str(tmp_path / "merge_period.png"))
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    assert panel.titles() == ["ISIS holds Mosul", "Gaza war"]
    with Project.open(small_project.path, read_only=True) as disk:
        kept = disk.periods()[0]
        assert (kept.title, kept.end.text, kept.color, kept.description) == ("ISIS holds Mosul", "July 2017",
                                                                             "#aa0000", "The city")
    assert stack.undoText() == "Merge period “Mosul under ISIS” into “ISIS holds Mosul”"
    stack.undo()
    assert panel.titles() == ["ISIS holds Mosul", "Mosul under ISIS", "Gaza war"]
    with Project.open(small_project.path, read_only=True) as disk:
        assert disk.periods()[0].color is None


def test_a_lone_period_has_nothing_to_merge_into(qtbot, qapp, small_project):
    only = small_project.create_period("ISIS holds Mosul", "June 2014", "July 2017")
    panel = PeriodsList(ProjectHub(small_project), GuardedUndoStack())
    qtbot.addWidget(panel)
    assert not {a.objectName(): a for a in panel.menu_for(only.id).actions()}["merge_period"].isEnabled()
