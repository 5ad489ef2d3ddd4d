"""PDFs are laid out on the locale's paper: Letter where it measures in US units, A4 elsewhere
(the United Kingdom included); the timeline landscape, the report portrait."""
from __future__ import annotations

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QLocale, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize

from sijill.desktop.shell.startup import render_timeline
from sijill.desktop.widgets.page_size import page_layout, page_size_id

US = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
FR = QLocale(QLocale.Language.French, QLocale.Country.France)
GB = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)


@pytest.fixture
def locale():
    """Set the application's default locale for a test; the one before comes back after."""
    before = QLocale()
    yield QLocale.setDefault
    QLocale.setDefault(before)


def test_letter_in_the_us_a4_elsewhere():
    assert page_size_id(US) == QPageSize.PageSizeId.Letter
    for other in (FR, GB, QLocale(QLocale.Language.Arabic, QLocale.Country.Iraq)):
        assert page_size_id(other) == QPageSize.PageSizeId.A4
    layout = page_layout(QPageLayout.Orientation.Landscape, QMarginsF(10, 10, 10, 10), US)
    assert layout.fullRectPoints().size().toTuple() == (792, 612)


@pytest.mark.parametrize("where, page", [(US, (792, 612)), (FR, (842, 595))], ids=["us", "fr"])
def test_the_timeline_pdf_is_a_landscape_page_of_the_locale(qapp, locale, small_project, tmp_path, where, page):
    locale(where)
    out = tmp_path / "timeline.pdf"
    small_project.close()
    render_timeline(small_project.path, out, size=(1600, 900))
    pages = PdfReader(out).pages
    assert len(pages) == 1
    box = pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == page
    assert "Sistani's call to arms" in " ".join(pages[0].extract_text().split())  # Qt separates words with tabs


@pytest.mark.parametrize("where, page", [(US, (612, 792)), (FR, (595, 842))], ids=["us", "fr"])
def test_the_report_pdf_is_portrait_on_the_locale_paper(qapp, locale, small_project, tmp_path, where, page):
    from sijill.desktop.exports.report_documents import export_report

    locale(where)
    out = tmp_path / "report.pdf"
    export_report(small_project, out)
    pages = PdfReader(out).pages
    assert len(pages) >= 2   # the title page, then the chronology
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages} == {page}
