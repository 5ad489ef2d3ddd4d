"""Every hostile file of the corpus (tests/hostile/cases.py), and every malformed exchange file of
tests/formats/test_import_errors.py, given to the `sijill` command: it must exit with its code,
say the words of its message on stderr in one go and without a traceback, and leave the project
exactly as it was (same rows, same bytes of every table)."""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from sijill.db.store.project import Project
from sijill.desktop.cli.main import run
from tests.formats.test_import_errors import CASES as MALFORMED
from tests.hostile.cases import CASES, Case


def _state(path: Path) -> str:
    """A digest of everything the project holds, read without writing."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode("utf-8", "surrogatepass")).hexdigest()
    finally:
        conn.close()


@pytest.fixture
def project_file(tmp_path) -> Path:
    path = tmp_path / "p.sijill"
    with Project.create(path) as p:
        kh = p.create_group("Kataib Hezbollah", aliases=[("KH", "en")])
        p.create_event("Tower 22 attack", "2024-01-28", groups=[(kh.id, "actor")], tags=["drone"])
        s = p.create_source("Statement", "Kataib Hezbollah claimed the attack.")
        p.create_annotation(s.id, 0, 16, note="the claim")
    return path


def _argv(case: Case, project: Path, file: Path) -> list[str]:
    if case.command == "source-add":
        return ["source", "add", str(project), str(file), *case.extra]
    return ["import", str(project), str(file), "--format", case.command.split(":", 1)[1], *case.extra]


def _refused(project_file: Path, capsys, argv: list[str], code: int, words) -> None:
    before = _state(project_file)
    assert run(argv) == code
    captured = capsys.readouterr()
    err = captured.err.lower()
    assert "traceback" not in err and "exception" not in err, captured.err
    for word in words:
        assert word.lower() in err, captured.err
    assert _state(project_file) == before


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_hostile_file_is_refused_and_changes_nothing(project_file, tmp_path, capsys, case: Case):
    file = tmp_path / f"{case.name}{case.suffix}"
    file.write_bytes(case.data())
    _refused(project_file, capsys, _argv(case, project_file, file), case.code, case.words)


@pytest.mark.parametrize("name, fmt, content, row, column, words", MALFORMED, ids=[c[0] for c in MALFORMED])
def test_a_malformed_exchange_file_is_refused_by_the_command(project_file, tmp_path, capsys, name, fmt, content,
                                                             row, column, words):
    file = tmp_path / f"{name}.csv"
    file.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    _refused(project_file, capsys, ["import", str(project_file), str(file), "--format", fmt], 1, [words])


def test_the_corpus_holds_at_least_forty_hostile_files():
    assert len(CASES) >= 40 and len(CASES) + len(MALFORMED) >= 70
    assert len({c.name for c in CASES}) == len(CASES)


def test_a_text_document_loses_its_control_characters(project_file, tmp_path, capsys):
    """A document's text is tidied (db.text.documents.tidy_text): escape sequences do not reach the body."""
    file = tmp_path / "report.txt"
    file.write_bytes(b"A report.\n\x1b]0;owned\x07\x1b[2J Drones struck at dawn.\n")
    assert run(["source", "add", str(project_file), str(file)]) == 0
    with Project.open(project_file, read_only=True) as p:
        body = [s.body for s in p.sources() if s.title != "Statement"][0]
    assert "\x1b" not in body and "\x07" not in body and "Drones struck at dawn." in body
