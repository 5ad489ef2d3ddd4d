"""The History tab and View ▸ Project history on a file from schema version 9 whose merge took nothing
(its change set was dropped): the other copy's edit is marked "merged in by an earlier merge", never
offered as a version of this file."""
from __future__ import annotations

import pytest

from sijill.db.store.project import Project
from sijill.desktop.commands.stack import GuardedUndoStack
from sijill.desktop.history.history_view import HistoryView
from sijill.desktop.history.project_history import ProjectHistory
from sijill.desktop.hub import ProjectHub
from tests.db.test_merge_provenance_v9 import merged_v9

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")


def test_both_views_mark_the_copy_of_a_v9_merge_that_took_nothing(qtbot, tmp_path):
    a, uid = merged_v9(tmp_path, took_nothing=True)
    with Project.open(a) as project:
        view = HistoryView(ProjectHub(project), GuardedUndoStack(), "event", uid)
        qtbot.addWidget(view)
        view.resize(760, 420)
        top = view.list.topLevelItem(0)
        assert top.text(2).endswith("— merged in by an earlier merge") and top.font(2).italic()
        assert not view.list.topLevelItem(1).font(2).italic()
        assert not view.restore_button.isEnabled() and "never had that version" in view.restore_button.toolTip()
        assert "merged in by an earlier merge" in view.note.text()
        view.show()
        view.grab().save(str(tmp_path / "history-tab-v9.png"))
        dialog = ProjectHistory(ProjectHub(project))
        qtbot.addWidget(dialog)
        item = dialog.sets.topLevelItem(0)
        assert item.text(2) == "Update event — merged in by an earlier merge" and item.font(2).italic()
        dialog.show()
        dialog.grab().save(str(tmp_path / "project-history-v9.png"))
