"""Test set-up shared by every test: headless Qt, no real user settings, real project files."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from tests import network_guard  # noqa: E402

network_guard.install()  # before any test module is imported: see tests/network_guard.py

from sijill.db.store.project import Project  # noqa: E402


@pytest.fixture(autouse=True)
def _no_network(request):
    """Fail the test during which Python opened a connection, bound a socket or resolved a name."""
    start = network_guard.mark()
    yield
    network_guard.check_since(start, request.node.nodeid)


@pytest.fixture(scope="session", autouse=True)
def _qt_test_mode():
    """Keep QSettings/QStandardPaths away from the user's real folders."""
    try:
        from PySide6.QtCore import QStandardPaths
    except ImportError:  # pragma: no cover - db-only environments
        return
    QStandardPaths.setTestModeEnabled(True)


@pytest.fixture
def project(tmp_path) -> Project:
    """A fresh, empty project file on disk."""
    p = Project.create(tmp_path / "test.sijill")
    yield p
    p.close()


@pytest.fixture
def small_project(project: Project) -> Project:
    """A small hand-made project: a hierarchy of groups, a few events, a source."""
    pmf = project.create_group("Popular Mobilization Forces", color="#1b9e77",
                               aliases=[("al-Hashd al-Shaabi", "en"), ("Forces de mobilisation populaire", "fr"),
                                        ("الحشد الشعبي", "ar")])
    kh = project.create_group("Kataib Hezbollah", parent=pmf.id, color="#d95f02",
                              aliases=[("Kata'ib Hezbollah", "en"), ("كتائب حزب الله", "ar")])
    us = project.create_group("United States", color="#7570b3", aliases=[("US forces", "en")])
    isis = project.create_group("ISIS", color="#333333", aliases=[("Daesh", "en"), ("Daech", "fr")])
    project.create_event("ISIS takes Mosul", "2014-06-10", groups=[(isis.id, "actor")], tags=["offensive"])
    project.create_event("Sistani's call to arms", "2014-06-13", groups=[(pmf.id, "associated")])
    project.create_event("US strikes on Kataib Hezbollah", "2019-12-29",
                         groups=[(us.id, "actor"), (kh.id, "target")], tags=["airstrike"],
                         event_type="Explosions/Remote violence")
    project.create_event("Drone attacks on US forces begin", "2023-10",
                         groups=[(kh.id, "actor"), (us.id, "target")], tags=["drone"])
    project.create_event("Tower 22 attack", "2024-01-28", groups=[(kh.id, "actor"), (us.id, "target")],
                         fatalities=3, tags=["drone"])
    return project
