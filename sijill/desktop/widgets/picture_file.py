"""Writing a drawing to a file chosen by its suffix: a raster image Qt writes (.png, .jpg, ...), .svg or .pdf.

The timeline, the map and the counts chart each paint themselves into a QPainter over a w×h area;
this module gives them that painter for the file asked for, the same way for all three:
- SVG: sized in px, at the screen's resolution (fonts measured in px are not drawn a quarter smaller,
  as at SVG's default 72 dpi), with the title;
- PDF: a landscape page of the locale's paper (A4, or Letter in the US), the drawing in its proportions
  scaled to the printable area, centred, clipped to its own rectangle;
- raster: an ARGB image, saved after the drawing.
An unknown suffix is refused before anything is written (Qt's image writer empties the file before it
finds it has no such format).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QMarginsF, QRectF, QSize
from PySide6.QtGui import QImage, QImageWriter, QPageLayout, QPainter, QPdfWriter

from sijill.desktop.widgets.page_size import page_layout

PDF_MARGIN_MM = 10.0
T = TypeVar("T")


def check_suffix(path: str | Path, vector: tuple[str, ...] = (".svg", ".pdf"),
                 hint: str = ".png, .jpg, .svg or .pdf", what: str = "image") -> str:
    """The lower-case suffix of `path` if a drawing can be written to it, else OSError naming what can."""
    suffix = Path(path).suffix.lower()
    if suffix not in vector and suffix[1:].encode() not in {bytes(f) for f in QImageWriter.supportedImageFormats()}:
        raise OSError(f"cannot write a {suffix or 'suffix-less'} {what}: write {hint}")
    return suffix


def write_picture(path: str | Path, size: tuple[int, int], title: str, draw: Callable[[QPainter], T]) -> T:
    """Paint `draw(painter)` over (0, 0, w, h) into `path` by its suffix; returns what `draw` returned."""
    path = Path(path)
    suffix = path.suffix.lower()
    w, h = size
    if suffix == ".svg":
        from PySide6.QtSvg import QSvgGenerator

        target = QSvgGenerator()
        target.setFileName(str(path))
        target.setSize(QSize(w, h))
        target.setViewBox(QRectF(0, 0, w, h))
        target.setResolution(QImage(1, 1, QImage.Format.Format_ARGB32).logicalDpiX())
        target.setTitle(title)
        qp = QPainter(target)
    elif suffix == ".pdf":
        target = QPdfWriter(str(path))
        target.setTitle(title)
        target.setCreator("Sijill")
        target.setPageLayout(page_layout(QPageLayout.Orientation.Landscape, QMarginsF(*(PDF_MARGIN_MM,) * 4)))
        target.setResolution(96)
        qp = QPainter(target)
        scale = min(target.width() / w, target.height() / h)
        qp.translate((target.width() - w * scale) / 2, (target.height() - h * scale) / 2)
        qp.scale(scale, scale)
        qp.setClipRect(QRectF(0, 0, w, h))
    else:
        target = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
        if target.isNull():
            raise OSError(f"cannot make an image of {w}×{h} px")
        qp = QPainter(target)
    try:
        result = draw(qp)
    finally:
        qp.end()
    if isinstance(target, QImage) and not target.save(str(path)):
        raise OSError(f"cannot write {path}")
    return result
