"""Light and dark: the timeline's backdrop, the reader's highlights (WCAG contrast of their text on
their background, in both modes), the detail pane's HTML, and the System / Light / Dark choice."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication

from sijill.desktop.widgets import theme
from sijill.desktop.widgets.theme import DARK, LIGHT, apply_theme, contrast_ratio, relative_luminance
from sijill.db.timeline.frame import AXIS_H
from tests.desktop.sources_helpers import FR_TEXT, groups, hub, panel, sources, stack  # noqa: F401
from tests.desktop.timeline_helpers import setup  # noqa: F401

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture(params=["light", "dark"])
def mode(request, qapp):
    """Each test once with the Light theme and once with the Dark one; the platform's look after."""
    apply_theme(qapp, request.param)
    yield request.param
    apply_theme(qapp, "system", system_dark=False)


def luminance(image: QImage) -> np.ndarray:
    """WCAG relative luminance of every pixel of `image` (an H×W array)."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    raw = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    bgr = raw[:, :image.width() * 4].reshape(image.height(), image.width(), 4)[..., :3] / 255.0
    lin = np.where(bgr <= 0.04045, bgr / 12.92, ((bgr + 0.055) / 1.055) ** 2.4)
    return 0.0722 * lin[..., 0] + 0.7152 * lin[..., 1] + 0.2126 * lin[..., 2]


def test_wcag_contrast_formula():
    assert contrast_ratio(QColor("black"), QColor("white")) == pytest.approx(21.0)
    assert contrast_ratio(QColor("#777777"), QColor("white")) == pytest.approx(4.48, abs=0.01)
    assert relative_luminance(QColor("white")) == pytest.approx(1.0)


@pytest.mark.parametrize("colors", [LIGHT, DARK], ids=["light", "dark"])
def test_every_highlight_is_readable(colors):
    for background in (*colors.highlight, *colors.current):
        assert contrast_ratio(QColor(colors.highlight_text), QColor(background)) >= 4.5, background
    dark_text = relative_luminance(QColor(colors.highlight_text)) < 0.2
    assert dark_text is not colors.dark  # dark text on light pastel; light text on a darker tint


def test_the_palette_follows_the_choice(mode, qapp):
    dark = QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128
    assert dark == (mode == "dark")
    assert theme.current() is (DARK if mode == "dark" else LIGHT)
    assert contrast_ratio(QApplication.palette().color(QPalette.ColorRole.Text),
                          QApplication.palette().color(QPalette.ColorRole.Base)) >= 7


def test_system_choice_follows_the_colour_scheme(qapp):
    try:
        assert apply_theme(qapp, "system", system_dark=True) is DARK
        assert qapp.style().name().lower() == "fusion"
        assert apply_theme(qapp, "system", system_dark=False) is LIGHT
        assert theme.wants_dark("dark", system_dark=False) and not theme.wants_dark("light", system_dark=True)
    finally:
        apply_theme(qapp, "system", system_dark=False)


def test_timeline_backdrop_is_dark_in_dark_mode(mode, setup):  # noqa: F811
    view = setup[0]
    canvas = view.canvas
    canvas.repaint()
    lum = luminance(canvas.grab().toImage())
    backdrop = lum[AXIS_H + 2:, :]
    if mode == "dark":
        assert backdrop.mean() < 0.3
        assert np.median(lum[:AXIS_H - 2, :]) < 0.3, "the axis band too"
    else:
        assert backdrop.mean() > 0.7


def test_reader_highlights_are_readable(mode, panel, project, sources):  # noqa: F811
    panel.open_source(sources["fr"])
    reader = panel.reader
    start, end = FR_TEXT.index("les Kataib Hezbollah"), FR_TEXT.index(" contre les forces")
    project.create_annotation(sources["fr"], start, end, note="who")
    highlights = [(s.format.background().color(), s.format.foreground().color())
                  for s in reader.view.extraSelections() if s.format.background().style() != Qt.BrushStyle.NoBrush]
    assert highlights
    for background, text in highlights:
        assert contrast_ratio(text, background) >= 4.5
        assert (relative_luminance(background) < 0.2) == (mode == "dark")


def test_highlights_change_with_the_theme(qapp, panel, project, sources):  # noqa: F811
    panel.open_source(sources["fr"])
    project.create_annotation(sources["fr"], 3, 20, note="n")

    def background() -> QColor:
        return next(s.format.background().color() for s in panel.reader.view.extraSelections()
                    if s.format.background().style() != Qt.BrushStyle.NoBrush)

    assert background().lightness() > 128
    try:
        apply_theme(qapp, "dark")
        qapp.processEvents()  # the palette change reaches the widgets through the event loop
        assert background().lightness() < 100, "the open reader repainted its highlights"
    finally:
        apply_theme(qapp, "system", system_dark=False)
        qapp.processEvents()
    assert background().lightness() > 128
