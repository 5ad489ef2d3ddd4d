"""Sijill's icon: resources/icons/sijill.svg and its PNG renders (tools/render_icons.py)."""
from __future__ import annotations

from PySide6.QtGui import QIcon

from sijill.db.resources import RESOURCES

ICONS = RESOURCES / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def app_icon() -> QIcon:
    """The application icon, each PNG size plus the SVG for larger ones (a null icon if none ships)."""
    icon = QIcon()
    for size in SIZES:
        png = ICONS / f"sijill-{size}.png"
        if png.exists():
            icon.addFile(str(png))
    svg = ICONS / "sijill.svg"
    if svg.exists():
        icon.addFile(str(svg))
    return icon
