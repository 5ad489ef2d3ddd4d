"""`sijill source add PROJECT - --title T` and `sijill source update PROJECT UID -`: a source's text piped
in, as the window's Add by pasting and Edit source text take it, on real project files."""
from __future__ import annotations

import io

import pytest

from sijill.db.store.project import Project
from tests.cli_helpers import call, refused


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "p.sijill"
    Project.create(path).close()
    return path


def pipe(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_text_piped_in_becomes_a_source_and_replaces_its_text(path, capsys, monkeypatch):
    pipe(monkeypatch, "\ufeffA drone struck Tower 22.\r\n\r\n\r\nThree soldiers were killed.\r\n".encode())
    code, out, err = call(capsys, "source", "add", path, "-", "--title", "Pentagon statement", "--reliability", "B")
    assert (code, err) == (0, "")
    uid = out.strip()
    with Project.open(path, read_only=True) as p:
        source = p.source_by_uid(uid)
        assert (source.title, source.reliability, source.language) == ("Pentagon statement", "B", "en")
        assert source.body == "A drone struck Tower 22.\n\nThree soldiers were killed."  # as a paste is cleaned
    assert call(capsys, "annotate", path, uid, "--quote", "Three soldiers")[0] == 0
    pipe(monkeypatch, "Updated. A drone struck Tower 22.\n\nThree soldiers were killed.".encode())
    code, out, _ = call(capsys, "source", "update", path, uid, "-")
    assert code == 0 and out.strip() == "kept 0  moved 1  orphaned 0"
    with Project.open(path, read_only=True) as p:
        assert p.source_by_uid(uid).body.startswith("Updated. A drone")


def test_refusals_name_standard_input_and_change_nothing(path, capsys, monkeypatch):
    pipe(monkeypatch, b"Some text")
    refused(capsys, path, "source", "add", path, "-", match="needs --title")
    pipe(monkeypatch, b"caf\xe9 au lait")
    refused(capsys, path, "source", "add", path, "-", "--title", "T", match="standard input: not UTF-8 text (byte 3)")
    pipe(monkeypatch, b"  \n\n ")
    code, out, err = call(capsys, "source", "add", path, "-", "--title", "T")
    assert code == 1 and out == "" and err.startswith("sijill source: ") and "Traceback" not in err
