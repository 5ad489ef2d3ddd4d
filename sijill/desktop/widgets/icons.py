"""Icons drawn from the SVGs under resources/icons, in the colour of the current palette's text.

An SVG there draws with `currentColor`; `icon(name)` paints it at whatever size is asked, in the
palette's button text colour (greyed when disabled), so that the same file reads on a light and a
dark theme and follows a theme switched while the app runs. Offline: nothing is fetched, no icon
theme is needed.
"""
from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QRect, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from sijill.db.resources import RESOURCES

ICONS = RESOURCES / "icons"


@lru_cache(maxsize=None)
def _svg(name: str) -> bytes:
    return (ICONS / f"{name}.svg").read_bytes()


def _color(mode: QIcon.Mode) -> QColor:
    palette = QGuiApplication.palette()
    group = QPalette.ColorGroup.Disabled if mode == QIcon.Mode.Disabled else QPalette.ColorGroup.Active
    return palette.color(group, QPalette.ColorRole.ButtonText)


class PaletteSvgEngine(QIconEngine):
    """Paints one of our SVGs with `currentColor` replaced by the palette's colour for the mode."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        data = _svg(self.name).replace(b"currentColor", _color(mode).name().encode("ascii"))
        QSvgRenderer(QByteArray(data)).render(painter, rect)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(0, 0, size.width(), size.height()), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return PaletteSvgEngine(self.name)

    def key(self) -> str:
        return "sijill-palette-svg"


def icon(name: str) -> QIcon:
    """resources/icons/<name>.svg as an icon in the palette's colours."""
    _svg(name)  # a missing file fails here, not silently at paint time
    return QIcon(PaletteSvgEngine(name))
