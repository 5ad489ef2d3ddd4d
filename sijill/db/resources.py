"""Where the data shipped with Sijill lives (the demo project)."""
from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def demo_path() -> Path:
    """The demo project as a native JSON document."""
    return RESOURCES / "demo.json"
