"""No module of desktop imports sqlite3 or sqlite_utils (the UI reads and writes through
sijill.db.store.project.Project, and catches sijill.db.store.basics.StorageError by name); the
import-linter contracts keep them inside sijill.db.store."""
from __future__ import annotations

import re
from pathlib import Path


def test_desktop_imports_no_sqlite_module():
    root = Path(__file__).resolve().parent.parent
    pattern = re.compile(r"^\s*(from|import)\s+(sqlite3|sqlite_utils)\b", re.M)
    offenders = [str(p.relative_to(root)) for p in (root / "sijill" / "desktop").rglob("*.py")
                 if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
