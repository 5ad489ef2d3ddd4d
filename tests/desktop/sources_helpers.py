"""Shared set-up for the sources UI tests: a project with groups, a French and an Arabic source of
our own writing, the panel built on a hub and an undo stack, and recorders for message boxes."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from sijill.desktop.commands.stack import GuardedUndoStack
from sijill.desktop.hub import ProjectHub

# "samedi dernier" read against 31 Jan 2024 (a Wednesday) is Sat 27 Jan 2024.
FR_TEXT = ("Le ministère a indiqué que samedi dernier, 🚀 les Kataib Hezbollah ont revendiqué une attaque de "
           "drone contre les forces américaines à la frontière jordanienne.\n"
           "Selon un responsable, l'attaque a fait trois morts. Les Forces de mobilisation populaire ont "
           "démenti toute implication.")
AR_TEXT = ("أعلنت كتائب حزب الله تعليق عملياتها العسكرية ضد القوات الأمريكية في العراق.\n"
           "وقالت في بيان إن القرار جاء لتجنب إحراج الحكومة العراقية. وأكد الحشد الشعبي أنه غير معني بالبيان.")


def utf16(text: str, cp: int) -> int:
    """Qt's position for a code-point offset, computed independently of the code under test."""
    return len(text[:cp].encode("utf-16-le")) // 2


def select(reader, start: int, end: int) -> None:
    """Select body[start:end] (code points) in the real reader view, as a mouse drag would."""
    body = reader.view.body
    cursor = QTextCursor(reader.view.document())
    cursor.setPosition(utf16(body, start))
    cursor.setPosition(utf16(body, end), QTextCursor.MoveMode.KeepAnchor)
    reader.view.setTextCursor(cursor)


def click_ok(qtbot, dialog) -> None:
    from PySide6.QtCore import Qt

    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


@pytest.fixture
def groups(project):
    pmf = project.create_group("Popular Mobilization Forces",
                               aliases=[("Forces de mobilisation populaire", "fr"), ("الحشد الشعبي", "ar")])
    kh = project.create_group("Kataib Hezbollah", parent=pmf.id, aliases=[("كتائب حزب الله", "ar")])
    us = project.create_group("United States", aliases=[("forces américaines", "fr"),
                                                        ("القوات الأمريكية", "ar")])
    return {"pmf": pmf.id, "kh": kh.id, "us": us.id}


@pytest.fixture
def sources(project, groups):
    fr = project.create_source("Attaque de drone à la frontière", FR_TEXT, outlet="Le Quotidien",
                               published="2024-01-31", language="fr", reliability="B")
    ar = project.create_source("بيان كتائب حزب الله", AR_TEXT, outlet="Al Sumaria", published="2024-01-30",
                               language="ar", reliability="C")
    return {"fr": fr.id, "ar": ar.id}


@pytest.fixture
def hub(project):
    return ProjectHub(project)


@pytest.fixture
def stack():
    """The window's kind of undo stack; `stack.failures` records what it said was not saved."""
    s = GuardedUndoStack()
    s.failures = []
    s.command_failed.connect(s.failures.append)
    return s


@pytest.fixture
def panel(qtbot, hub, stack, sources):
    from sijill.desktop.sources.panel import SourcesPanel

    w = SourcesPanel(hub, stack)
    w.resize(1300, 700)
    qtbot.addWidget(w)
    w.show()
    return w


@pytest.fixture
def messages(monkeypatch):
    """Every QMessageBox warning/critical/information shown, as (kind, text); question says Yes."""
    seen: list[tuple[str, str]] = []

    def recorder(kind):
        def show(parent, title, text, *args, **kwargs):
            seen.append((kind, text))
            return QMessageBox.StandardButton.Ok
        return show

    for kind in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(recorder(kind)))
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: (seen.append(("question", a[2])),
                                                      QMessageBox.StandardButton.Yes)[1]))
    return seen
