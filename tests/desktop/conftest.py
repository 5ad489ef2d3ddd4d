"""Fixtures shared by the desktop tests: throw-away settings and message boxes that close at once."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from sijill.desktop.settings import Settings


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Settings in an ini file of the test's own, never the user's."""
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def messages(monkeypatch) -> list[tuple[str, str]]:
    """Message boxes close at once (a question is answered Yes); each one shown is recorded as
    (title, text)."""
    shown: list[tuple[str, str]] = []

    def answer(button):
        def record(parent, title, text, *args, **kwargs):
            shown.append((title, text))
            return button
        return staticmethod(record)

    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, answer(QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    return shown
