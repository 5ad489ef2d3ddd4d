"""Damaged and hand-edited files: `check_project` names each problem by row, `Project.open` refuses
the file with the report and leaves it byte-identical, `repair_project` writes a new file that passes
the check, `backup_project` writes an online copy."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from sijill.db.store.backup import automatic_backup, backup_project, list_backups, restore_backup
from sijill.db.store.check import DamagedProjectError, check_project
from sijill.db.store.basics import ProjectError
from sijill.db.store.project import Project
from sijill.db.store.repair import quarantine_json, repair_project
from tests.db.damaged import CASES, make_base, make_big_base, overwrite_pages

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return make_base(tmp_path_factory.mktemp("base") / "base.sijill")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _case(base: Path, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.sijill"
    shutil.copy(base, path)
    CASES[name][0](path)
    return path


def _sijill(*args, env_extra=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "sijill.desktop.app", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_a_healthy_project_passes(base):
    report = check_project(base)
    assert report.ok, report.text()
    assert not report.damaged


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_hand_edit_is_reported_by_row_and_refused_byte_identical(base, tmp_path, name):
    _, table, column = CASES[name]
    path = _case(base, tmp_path, name)
    report = check_project(path)
    hits = [f for f in report.findings if f.table == table and f.column == column]
    assert hits, report.text()
    assert all(f.rowid is not None for f in hits)
    before = _digest(path)
    with pytest.raises(DamagedProjectError) as caught:
        Project.open(path)
    assert f"{table} row {hits[0].rowid}" in str(caught.value)
    assert _digest(path) == before


@pytest.mark.parametrize("name", sorted(CASES))
def test_repair_of_each_hand_edit_passes_the_check(base, tmp_path, name):
    path = _case(base, tmp_path, name)
    out = tmp_path / "fixed.sijill"
    result = repair_project(path, out)
    assert check_project(out).ok
    assert result.quarantined, "the row that broke the rule is listed"
    table = CASES[name][1]
    listed = json.loads(quarantine_json(out).read_text(encoding="utf-8"))
    assert any(q["table"] == table for q in listed)
    with Project.open(out) as project:  # opens, and the rest is there
        assert project.title == "base"
        n = project.db.execute("SELECT count(*) FROM quarantine").fetchone()[0]
    assert n == len(listed)


def test_check_command_prints_rows_and_exits_1(base, tmp_path):
    path = _case(base, tmp_path, "fortnight")
    run = _sijill("check", path)
    assert run.returncode == 1, run.stderr
    assert "events row 3" in run.stdout and "start_precision" in run.stdout and "fortnight" in run.stdout
    data = json.loads(_sijill("check", path, "--json").stdout)
    assert data["ok"] is False
    assert data["findings"][0]["table"] == "events" and data["findings"][0]["rowid"] == 3
    assert _sijill("check", base).returncode == 0


@pytest.mark.parametrize("name", ["text_start", "millisecond_start", "annotation_past_source", "dangling_group"])
def test_reading_commands_print_the_report_not_a_traceback(base, tmp_path, name):
    path = _case(base, tmp_path, name)
    for args in (["stats", path], ["export", path, tmp_path / "out.json", "--format", "native"],
                 ["search", path, "strike"]):
        run = _sijill(*args)
        assert run.returncode == 1, (args, run.stdout, run.stderr)
        assert "Traceback" not in run.stderr
        assert CASES[name][1] in run.stderr and "sijill repair" in run.stderr


def test_millisecond_timestamp_never_crashes_screenshot(base, tmp_path):
    path = _case(base, tmp_path, "millisecond_start")
    for extra in ([], ["--timeline"]):
        run = _sijill("screenshot", path, tmp_path / "shot.png", *extra)
        assert run.returncode in (0, 1), (run.returncode, run.stderr)  # 139 was a segfault
        assert "Traceback" not in run.stderr
        assert "start_lo" in run.stderr


def _damaged_big(tmp_path: Path) -> Path:
    path = make_big_base(tmp_path / "big.sijill")
    overwrite_pages(path)
    return path


def test_overwritten_pages_are_reported_refused_and_repaired(tmp_path):
    path = _damaged_big(tmp_path)
    report = check_project(path)
    assert report.damaged and not report.ok
    before = _digest(path)
    with pytest.raises(DamagedProjectError):
        Project.open(path)
    assert _digest(path) == before
    # no write goes into it: `source add` refuses and the file is unchanged
    doc = tmp_path / "doc.txt"
    doc.write_text("A statement about the strike.", encoding="utf-8")
    run = _sijill("source", "add", path, doc)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert _digest(path) == before
    out = tmp_path / "fixed.sijill"
    run = _sijill("repair", path, out)
    assert "Traceback" not in run.stderr
    assert check_project(out).ok
    with Project.open(out) as project:
        project.stats()


def test_forged_header_is_refused_byte_identical(tmp_path, base):
    # The first 100 bytes of a real project (so that its marks read), then garbage.
    header = base.read_bytes()[:100]
    path = tmp_path / "forged.sijill"
    path.write_bytes(header + os.urandom(8192))
    before = _digest(path)
    with pytest.raises(ProjectError):
        Project.open(path)
    assert _digest(path) == before
    assert not Path(f"{path}-wal").exists()
    # and the first 16 bytes alone
    path.write_bytes(header[:16] + os.urandom(8192))
    before = _digest(path)
    with pytest.raises(ProjectError):
        Project.open(path)
    assert _digest(path) == before


def test_dump_restored_project_is_recognised_and_repair_restores_its_marks(base, tmp_path):
    # What `sqlite3 p.sijill .dump | sqlite3 restored.sijill` loses: the two marks in the header.
    restored = tmp_path / "restored.sijill"
    shutil.copy(base, restored)
    conn = sqlite3.connect(restored)
    conn.execute("PRAGMA application_id = 0")
    conn.execute("PRAGMA user_version = 0")
    conn.close()
    with pytest.raises(ProjectError, match="(?s)lost its marks.*sijill repair"):
        Project.open(restored)
    report = check_project(restored)
    assert report.lost_marks
    out = tmp_path / "marked.sijill"
    repair_project(restored, out)
    with Project.open(out) as project:
        assert project.event_count() == 4
        assert project.title == "base"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_and_device_are_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe.sijill"
    os.mkfifo(fifo)
    with pytest.raises(ProjectError, match="not a regular file"):
        Project.open(fifo)
    link = tmp_path / "zero.sijill"
    link.symlink_to("/dev/zero")
    with pytest.raises(ProjectError, match="not a regular file"):
        Project.open(link)
    assert not check_project(fifo).ok


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_and_device_as_a_source_file_are_refused_at_once(tmp_path):
    from sijill.db.text.documents import TextImportError, read_document

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    for path in (fifo, link):
        with pytest.raises(TextImportError, match="not a regular file"):
            read_document(path)
    project = Project.create(tmp_path / "p.sijill")
    project.close()
    run = subprocess.run([sys.executable, "-m", "sijill.desktop.app", "source", "add", str(tmp_path / "p.sijill"),
                          str(link)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 1 and "not a regular file" in run.stderr


def test_backup_is_a_consistent_copy_beside_the_project(base, tmp_path):
    project_path = tmp_path / "p.sijill"
    shutil.copy(base, project_path)
    with Project.open(project_path) as project:  # open: the backup is online
        out = backup_project(project_path)
        assert out.parent == tmp_path and out.name.startswith("p-") and out.suffix == ".sijill"
    assert check_project(out).ok
    with Project.open(out) as copy:
        assert copy.event_count() == 4
    with pytest.raises(ProjectError, match="already exists"):
        backup_project(project_path, out)


def test_automatic_backups_keep_the_last_n_and_restore_beside(base, tmp_path):
    project_path = tmp_path / "p.sijill"
    shutil.copy(base, project_path)
    made = [automatic_backup(project_path, keep=3) for _ in range(5)]
    backups = list_backups(project_path)
    assert len(backups) == 3 and backups[0].path == made[-1]
    assert backups[0].events == 4
    assert automatic_backup(project_path, keep=3, daily=True) is None  # one today already
    restored = restore_backup(backups[0].path, project_path)
    assert restored.parent == tmp_path and restored != project_path
    assert check_project(restored).ok


def test_an_upgrade_is_preceded_by_a_backup_of_the_file_as_it_was(tmp_path):
    from sqlite_utils import Database

    from sijill.db.store import schema

    path = tmp_path / "old.sijill"
    conn = sqlite3.connect(path)
    schema.migrate(Database(conn), target=3)
    conn.close()
    with Project.open(path) as project:
        assert schema.user_version(project.db) == schema.SCHEMA_VERSION
    backups = list_backups(path)
    assert len(backups) == 1
    old = sqlite3.connect(backups[0].path)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 3
    old.close()
    with Project.open(path):  # no upgrade, no new backup
        pass
    assert len(list_backups(path)) == 1


def test_repair_keeps_evidence_whose_passage_was_set_aside(base, tmp_path):
    path = _case(base, tmp_path, "annotation_past_source")
    out = tmp_path / "fixed.sijill"
    result = repair_project(path, out)
    assert [q["table"] for q in result.quarantined] == ["annotations"]
    assert result.cleared == [{"table": "event_evidence", "rowid": 1, "column": "annotation_id", "value": 1}]
    with Project.open(out) as project:
        rows = project.db.execute("SELECT event_id, annotation_id, stance FROM event_evidence").fetchall()
    assert rows == [(1, None, "supports")]
