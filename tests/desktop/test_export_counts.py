"""File ▸ Export's "Include the counts chart": the web page and the HTML and Markdown reports written
from the window carry the chart (or its table) when the box is ticked and not otherwise, the page
still loads nothing, and the box and its bins are remembered for the next export."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from sijill.desktop import settings as opt
from sijill.desktop.exchange.export_dialog import ExportDialog
from sijill.desktop.shell.main_window import MainWindow
from tests.formats.test_report import assert_loads_nothing, http_urls, read_html

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()
FIGURE = '<figure class="counts">'


@pytest.fixture
def window(qtbot, small_project, settings, messages) -> MainWindow:
    w = MainWindow(small_project, settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def export(qtbot, window, path, fmt: str, suffix: str | None = None, counts: str | None = None) -> ExportDialog:
    """File ▸ Export to `path` in `fmt` (`suffix`: the report's kind), the counts chart's box
    ticked with `counts` bins, or unticked when None; the dialog, once it has written the file."""
    seen: list[ExportDialog] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ExportDialog)
        seen.append(dialog)
        dialog.set_format(fmt, suffix)
        if dialog.counts_box.isChecked() != (counts is not None):
            qtbot.mouseClick(dialog.counts_box, Qt.MouseButton.LeftButton)
        if counts is not None:
            dialog.counts_by.setCurrentIndex(dialog.counts_by.findData(counts))
        dialog.path_edit.setText(str(path))
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)
    window.action_set.file_export.trigger()
    assert seen and seen[0].written is not None and path.exists()
    return seen[0]


def test_the_web_page_carries_the_chart_when_ticked_and_still_loads_nothing(qtbot, window, small_project, tmp_path):
    export(qtbot, window, tmp_path / "page.html", "html", counts="month")
    text = (tmp_path / "page.html").read_text(encoding="utf-8")
    figure = text[text.index(FIGURE):]
    figure = figure[:figure.index("</figure>")]
    assert "Events per month" in figure and "<title>month of 2024-01-01\n1 event" in figure     # Tower 22
    assert text.index(FIGURE) < text.index('<h2 id="events">')                                  # under the timeline
    assert_loads_nothing(read_html(text), http_urls(small_project))
    export(qtbot, window, tmp_path / "plain.html", "html", counts=None)
    plain = (tmp_path / "plain.html").read_text(encoding="utf-8")
    assert FIGURE not in plain and "Events per" not in plain


def test_the_reports_carry_the_chart_or_its_table_and_odt_pdf_cannot(qtbot, window, tmp_path):
    export(qtbot, window, tmp_path / "report.html", "report", ".html", counts="auto")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert FIGURE in html and "Events per month" in html        # ten years: months are the finest that fit
    export(qtbot, window, tmp_path / "report.md", "report", ".md", counts="week")
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "## Events per week" in md and "| 2024-01-22 | 2024-01-28 | 1 | 0 |" in md        # Tower 22's week
    dialog = window.export_dialog("report")
    dialog.set_format("report", ".pdf")
    assert not dialog.counts_box.isEnabled() and dialog.counts() is None
    assert "not in PDF" in dialog.counts_note.text()
    dialog.set_format("csv")
    assert not dialog.counts_row.isVisibleTo(dialog)


def test_the_box_and_its_bins_are_remembered_for_the_next_export(qtbot, window, settings, tmp_path):
    assert not window.export_dialog("html").counts_box.isChecked()           # off until asked for once
    export(qtbot, window, tmp_path / "page.html", "html", counts="week")
    assert settings.get(opt.EXPORT_COUNTS) and settings.get(opt.EXPORT_COUNTS_BY) == "week"
    again = window.export_dialog()
    assert again.format.name == "html" and again.counts_box.isChecked() and again.counts() == "week"
    export(qtbot, window, tmp_path / "plain.html", "html", counts=None)
    again = window.export_dialog()
    assert not again.counts_box.isChecked() and again.counts_by.currentData() == "week"   # the bins kept
