"""Every setting Sijill keeps, declared once (key, type, default) and read only through `Settings`.

Stored with QSettings under the organisation "Sijill". Tests pass their own QSettings (an ini file
in a temporary folder) so that nothing touches the user's real settings.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from sijill.desktop.paths import APP_NAME, ORGANIZATION, documents_dir

MAX_RECENT = 10


@dataclass(frozen=True)
class Option:
    """One setting: where it is stored, what type it has and what it is when never set."""

    key: str
    type: type
    default: Any


RECENT_PROJECTS = Option("files/recent_projects", list, [])
LAST_FOLDER = Option("files/last_folder", str, "")
WINDOW_GEOMETRY = Option("window/geometry", QByteArray, QByteArray())
WINDOW_STATE = Option("window/state", QByteArray, QByteArray())
SPLITTER_STATE = Option("window/splitter", QByteArray, QByteArray())
TABLE_HEADER_STATE = Option("window/table_header", QByteArray, QByteArray())
WORK_SPLITTER_STATE = Option("window/work_splitter", QByteArray, QByteArray())      # timeline | sources
SOURCES_SPLITTER_STATE = Option("window/sources_splitter", QByteArray, QByteArray())  # library | reader
DETAIL_SPLITTER_STATE = Option("window/detail_splitter", QByteArray, QByteArray())   # event | evidence
EXCHANGE_FOLDER = Option("exchange/folder", str, "")         # where the last import or export was
EXPORT_FORMAT = Option("exchange/export_format", str, "csv")  # the format the Export dialog opens on
EXPORT_COUNTS = Option("exchange/export_counts", bool, False)  # the Export dialog's "Include the counts chart"
EXPORT_COUNTS_BY = Option("exchange/export_counts_by", str, "auto")  # its bins: auto, day, week or month
LAST_OPENINGS = Option("history/last_opened", list, [])       # "ISO time<TAB>project path", newest first
# Preferences (Edit ▸ Preferences…)
ANALYST_NAME = Option("analyst/name", str, "")               # who makes the changes (the change history)
THEME = Option("appearance/theme", str, "system")             # desktop.theme.THEMES
DATE_DISPLAY = Option("display/dates", str, "label")          # db.dates.styles.STYLES
REFERENCE_DATE = Option("dates/reference", str, "")           # YYYY-MM-DD relative phrases are read against; "" today
EXPORT_FOLDER = Option("exchange/export_folder", str, "")     # where exports go; "" the Documents folder



class Settings:
    """Typed access to the declared options; the recent-projects list (most recent first)."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self.qsettings = qsettings if qsettings is not None else QSettings(ORGANIZATION, APP_NAME)

    def get(self, option: Option) -> Any:
        if not self.qsettings.contains(option.key):
            return option.type(option.default) if option.type is list else option.default
        value = self.qsettings.value(option.key)
        if option.type is list:
            if value is None:
                return []
            return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]
        if option.type is bool:  # an ini file gives back "true"/"false"
            return value is True or str(value).lower() in ("true", "1")
        if option.type is QByteArray:
            return value if isinstance(value, QByteArray) else QByteArray(value or b"")
        try:
            return option.type(value)
        except (TypeError, ValueError):
            return option.default

    def set(self, option: Option, value: Any) -> None:
        if option.type is list:
            value = [str(v) for v in value]
        self.qsettings.setValue(option.key, value)

    def sync(self) -> None:
        self.qsettings.sync()

    # ---- recent projects ----------------------------------------------------------------------
    def recent_projects(self) -> list[Path]:
        return [Path(p) for p in self.get(RECENT_PROJECTS)]

    def add_recent_project(self, path: str | Path) -> None:
        """Put `path` first in the recent list (once), keeping at most MAX_RECENT entries."""
        path = str(Path(path).resolve())
        recent = [p for p in self.get(RECENT_PROJECTS) if p != path]
        self.set(RECENT_PROJECTS, [path, *recent][:MAX_RECENT])

    def remove_recent_project(self, path: str | Path) -> None:
        path = str(Path(path).resolve())
        self.set(RECENT_PROJECTS, [p for p in self.get(RECENT_PROJECTS) if p != path])

    def clear_recent_projects(self) -> None:
        self.set(RECENT_PROJECTS, [])

    # ---- preferences --------------------------------------------------------------------------
    def export_folder(self) -> Path:
        """Where exports are written: the folder chosen in Preferences while it exists, else the
        user's Documents folder (never the hidden data folder the default project lives in)."""
        chosen = self.get(EXPORT_FOLDER)
        return Path(chosen) if chosen and Path(chosen).is_dir() else documents_dir()
