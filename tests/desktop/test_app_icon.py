"""The application icon (an SVG drawn for Sijill, its PNG renders kept in step by
tools/render_icons.py), the freedesktop entry and MIME type, and the resources the wheel ships."""
from __future__ import annotations

import configparser
import fnmatch
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage

from sijill.desktop.shell.app_icon import ICONS, SIZES, app_icon
from sijill.desktop.shell.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "sijill" / "resources"
MIME = "{http://www.freedesktop.org/standards/shared-mime-info}"

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    raw = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return raw[:, :image.width() * 4].astype(np.int16)


@pytest.mark.parametrize("size", SIZES)
def test_each_png_is_the_svg_rendered_at_its_size(qapp, size):
    import tools.render_icons as render_icons

    png = QImage(str(ICONS / f"sijill-{size}.png"))
    assert (png.width(), png.height()) == (size, size)
    fresh = render_icons.render(ICONS / "sijill.svg", size)
    assert np.abs(pixels(png) - pixels(fresh)).max() <= 2, "run tools/render_icons.py after changing the SVG"
    alpha = pixels(png).reshape(size, size, 4)[..., 3]
    assert alpha[size // 2, size // 2] == 255 and alpha[0, 0] == 0, "opaque drawing, transparent corners"


def test_the_window_carries_the_icon(qtbot, small_project, settings, messages):
    icon = app_icon()
    assert {s.width() for s in icon.availableSizes()} >= set(SIZES)
    window = MainWindow(small_project, settings)
    qtbot.addWidget(window)
    assert not window.windowIcon().isNull()
    assert window.windowIcon().availableSizes() == icon.availableSizes()


def test_desktop_entry_opens_sijill_files():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(RESOURCES / "sijill.desktop", encoding="utf-8")
    main = entry["Desktop Entry"]
    assert main["Type"] == "Application" and main["Name"] == "Sijill"
    assert main["Exec"] == "sijill %f" and main["Icon"] == "sijill" and main["Terminal"] == "false"
    assert main["Categories"].endswith(";") and main["MimeType"] == "application/x-sijill;"
    mime = ET.parse(RESOURCES / "sijill-mime.xml").getroot().find(f"{MIME}mime-type")
    assert mime.get("type") == "application/x-sijill"
    assert mime.find(f"{MIME}glob").get("pattern") == "*.sijill"


def test_the_wheel_ships_every_resource():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["sijill.resources"]
    shipped = [p.relative_to(RESOURCES).as_posix() for p in RESOURCES.rglob("*")
               if p.is_file() and "__pycache__" not in p.parts]
    assert "sijill.desktop" in shipped and "icons/sijill.svg" in shipped
    unshipped = [f for f in shipped if not any(fnmatch.fnmatch(f, pat) and pat.count("/") == f.count("/")
                                               for pat in patterns)]
    assert not unshipped
