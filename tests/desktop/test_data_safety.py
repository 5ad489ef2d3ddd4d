"""The window and damaged files: the dialog lists what is wrong and where, "Repair into a new file…"
opens the repaired copy; File ▸ Restore from backup… copies a backup beside the project and opens it."""
from __future__ import annotations

import shutil

import pytest
from PySide6.QtWidgets import QDialog

from sijill.db.store.backup import automatic_backup, list_backups
from sijill.db.store.check import DamagedProjectError, check_project
from sijill.db.store.project import Project
from sijill.desktop.shell import data_safety
from sijill.desktop.shell.data_safety import DamagedDialog, RestoreDialog
from sijill.desktop.shell.main_window import MainWindow
from tests.db.damaged import CASES, make_base

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()


@pytest.fixture
def base(tmp_path):
    return make_base(tmp_path / "base.sijill")


def _broken(base, tmp_path, name):
    path = tmp_path / f"{name}.sijill"
    shutil.copy(base, path)
    CASES[name][0](path)
    return path


def test_dialog_lists_rows_and_repairs_into_a_new_file(qtbot, base, tmp_path):
    path = _broken(base, tmp_path, "millisecond_start")
    with pytest.raises(DamagedProjectError) as caught:
        Project.open(path)
    dialog = DamagedDialog(caught.value.report)
    qtbot.addWidget(dialog)
    text = dialog.details.toPlainText()
    assert "events row 1" in text and "start_lo" in text and "milliseconds" in text
    assert dialog.repair_button.text() == "Repair into a new file…"
    assert "sijill repair" not in text                  # the window offers its button, not a command
    out = tmp_path / "repaired.sijill"
    assert dialog.repair(out) == out
    assert check_project(out).ok


def test_window_offers_the_repair_and_opens_the_repaired_copy(qtbot, base, tmp_path, settings, monkeypatch,
                                                             messages):
    window = MainWindow(Project.open(base), settings)
    qtbot.addWidget(window)
    broken = _broken(base, tmp_path, "annotation_past_source")
    out = tmp_path / "fixed.sijill"

    def exec_(dialog):
        assert "annotations row 1" in dialog.details.toPlainText()
        dialog.repair(out)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(DamagedDialog, "exec", exec_)
    new = window.open_project(broken)
    assert new is not None and new.project.path == out
    qtbot.addWidget(new)
    new.close()


def test_window_keeps_its_project_when_the_repair_is_declined(qtbot, base, tmp_path, settings, monkeypatch):
    window = MainWindow(Project.open(base), settings)
    qtbot.addWidget(window)
    broken = _broken(base, tmp_path, "fortnight")
    monkeypatch.setattr(DamagedDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    assert window.open_project(broken) is None
    assert window.project.path == base


def test_restore_from_backup_lists_them_and_opens_a_copy_beside(qtbot, base, tmp_path, settings, monkeypatch):
    automatic_backup(base, keep=7)
    window = MainWindow(Project.open(base), settings)
    qtbot.addWidget(window)
    actions = [a for a in window.menuBar().actions()[0].menu().actions() if a.objectName() == "file_restore_backup"]
    assert actions and actions[0].text() == "Restore from &backup…"
    dialog = RestoreDialog(base)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 1 and "4 events" in dialog.list.item(0).text()
    monkeypatch.setattr(RestoreDialog, "exec", lambda d: QDialog.DialogCode.Accepted)
    before = base.read_bytes()
    data_safety.restore_from_backup(window)
    new = window.successor
    assert new is not None and new.project.path != base and new.project.path.parent == base.parent
    assert "restored" in new.project.path.name
    qtbot.addWidget(new)
    new.close()
    assert list_backups(base)  # the backup is still there
    assert len(before) > 0


def test_daily_backup_once_a_day_and_never_for_a_read_only_project(base, settings):
    with Project.open(base) as project:
        first = data_safety.daily_backup(project, settings)
        assert first is not None and first.parent.name == "backups"
        assert data_safety.daily_backup(project, settings) is None
    with Project.open(base, read_only=True) as project:
        assert data_safety.daily_backup(project, settings) is None
