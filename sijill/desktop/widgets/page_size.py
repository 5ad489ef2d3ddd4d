"""The paper PDFs are laid out on: US Letter where the locale measures in US units, A4 elsewhere.

Qt reads the measurement system from the locale (LC_MEASUREMENT / LC_ALL / LANG on Linux):
QLocale.ImperialUSSystem (the United States, Liberia, Myanmar…) prints on Letter; metric and the
United Kingdom's imperial units print on A4, as their printers do.
"""
from __future__ import annotations

from PySide6.QtCore import QLocale, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize


def page_size_id(locale: QLocale | None = None) -> QPageSize.PageSizeId:
    """Letter for a US-measuring locale, else A4 (the default locale, the system's unless the
    application set another, when none is given)."""
    locale = locale or QLocale()
    us = locale.measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    return QPageSize.PageSizeId.Letter if us else QPageSize.PageSizeId.A4


def page_layout(orientation: QPageLayout.Orientation, margins_mm: QMarginsF,
                locale: QLocale | None = None) -> QPageLayout:
    """A page of the locale's size in `orientation`, with `margins_mm`."""
    return QPageLayout(QPageSize(page_size_id(locale)), orientation, margins_mm, QPageLayout.Unit.Millimeter)
