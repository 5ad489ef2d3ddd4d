"""The web page and the report's PDF and ODT name a citation of a summary as such (Source.summary)."""
from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET
import zipfile

from pypdf import PdfReader

from sijill.db.formats.selection import SUMMARY_MARK
from sijill.desktop.exports.html_page import export_html
from sijill.desktop.exports.report_documents import export_report
from tests.formats.test_report import read_html
from tests.formats.test_report_summaries import summaries_project


def squeeze(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def test_the_web_page_names_summaries(qapp, tmp_path):
    project = summaries_project(tmp_path / "s.sijill")
    export_html(project, tmp_path / "p.html")
    page = read_html((tmp_path / "p.html").read_text(encoding="utf-8"))
    assert page.plain.count(f"({SUMMARY_MARK})") == 2
    assert f"“hit by two drones” ({SUMMARY_MARK}) —" in page.plain
    project.close()


def test_the_pdf_and_odt_reports_name_summaries(qapp, tmp_path):
    project = summaries_project(tmp_path / "s.sijill")
    export_report(project, tmp_path / "r.odt")
    with zipfile.ZipFile(tmp_path / "r.odt") as z:
        text = " ".join("".join(ET.fromstring(z.read("content.xml")).itertext()).split())
    assert text.count(f"({SUMMARY_MARK})") == 2 and f"“hit by two drones” ({SUMMARY_MARK}) —" in text
    export_report(project, tmp_path / "r.pdf")
    body = squeeze(" ".join(page.extract_text() or "" for page in PdfReader(tmp_path / "r.pdf").pages))
    assert body.count(squeeze(f"({SUMMARY_MARK})")) == 2
    project.close()
