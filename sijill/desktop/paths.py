"""Where Sijill keeps the user's files: the data folder and the default project."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths

APP_NAME = "Sijill"
ORGANIZATION = "Sijill"
PROJECT_SUFFIX = ".sijill"
PROJECT_FILTER = "Sijill projects (*.sijill);;All files (*)"


def identify_application() -> None:
    """Give the running application the names QSettings and QStandardPaths build paths from."""
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APP_NAME)


def data_dir() -> Path:
    """The user's Sijill data folder (QStandardPaths.AppDataLocation), created on first use.

    Under `QStandardPaths.setTestModeEnabled(True)` this is a throw-away test folder."""
    if QCoreApplication.applicationName() != APP_NAME:
        identify_application()
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_project_path() -> Path:
    """The project opened when none is named: `<data folder>/default.sijill`."""
    return data_dir() / f"default{PROJECT_SUFFIX}"


def with_project_suffix(path: str | Path) -> Path:
    """`path`, with `.sijill` added when the user typed a name without a suffix."""
    path = Path(path)
    return path if path.suffix else path.with_suffix(PROJECT_SUFFIX)


def documents_dir() -> Path:
    """The user's Documents folder (QStandardPaths.DocumentsLocation), or the home folder when
    there is none: where exports go unless the analyst chose another folder."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if found and Path(found).is_dir():
        return Path(found)
    return Path.home()
