"""The report as PDF and ODT (desktop.exports.report_documents), read back with pypdf and zipfile;
.md and .html go through the same entry point to db.formats.report. The PDF is laid out in runs of
events, a run or two held at a time."""
from __future__ import annotations

import re
import unicodedata
import weakref
import xml.etree.ElementTree as ET
import zipfile

import pytest
from pypdf import PdfReader

from sijill.db.formats.records import ExchangeError
from sijill.db.formats.registry import EXPORTS
from sijill.db.formats.report import ExportCancelled
from sijill.db.formats.selection import EventSelection
from sijill.desktop.exports import report_documents
from sijill.desktop.exports.report_documents import export_report
from tests.formats.test_report import HOSTILE_TITLE, demo_project, hostile_project, read_html, sql_events

ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


@pytest.fixture(scope="module")
def demo(qapp, tmp_path_factory):
    project = demo_project(tmp_path_factory.mktemp("demo") / "demo.sijill")
    yield project
    project.close()


@pytest.fixture(scope="module")
def demo_pdf(demo, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf") / "report.pdf"
    result = export_report(demo, out)
    return out, result


def squeeze(text: str) -> str:
    """Text without any white space and with ligatures ("ﬀ") as letters: PDF text extraction
    splits words where the layout placed glyphs apart (kerning, superscripts), which says nothing
    of the words themselves."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def pages_text(path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def test_pdf_has_a_title_page_numbered_pages_and_every_event(demo, demo_pdf):
    path, result = demo_pdf
    pages = pages_text(path)
    n = len(pages)
    assert n > 1
    for i, text in enumerate(pages, 1):
        assert f"page {i} of {n}" in " ".join(text.split())
    events = sql_events(demo)
    first = squeeze(pages[0])
    assert squeeze(demo.title) in first and "Chronology with graded evidence".upper().replace(" ", "") in first
    assert squeeze(events[0][1]) not in first  # the title page holds no event
    body = squeeze(" ".join(pages[1:]))
    for _, title in events:
        assert squeeze(title) in body, title
    assert result.counts["events"] == len(events)
    assert PdfReader(path).metadata.title == demo.title


def test_pdf_carries_grades_flags_and_links(demo, demo_pdf):
    path, _ = demo_pdf
    body = squeeze(" ".join(pages_text(path)))
    assert "⚠contradicts" in body and "GradeB2" in body
    links = [a.get_object()["/A"].get("/URI") for page in PdfReader(path).pages
             for a in (page.get("/Annots") or [])]
    urls = {u for (u,) in demo.db.execute("SELECT url FROM sources WHERE url LIKE 'http%'")}
    assert links and set(links) <= urls


def test_pdf_selection_holds_only_the_selected_events(demo, tmp_path):
    selection = EventSelection(date_from="2019-12-27", date_to="2020-01-10")
    out = tmp_path / "r.pdf"
    export_report(demo, out, selection)
    lo, hi = selection.bounds()
    inside = {t for _, t in sql_events(demo, "start_lo <= ? AND COALESCE(end_hi, start_hi) >= ?", [hi, lo])}
    outside = {t for _, t in sql_events(demo)} - inside
    body = squeeze(" ".join(pages_text(out)))
    assert inside and all(squeeze(t) in body for t in inside)
    assert not [t for t in outside if squeeze(t) in body and not any(squeeze(t) in squeeze(i) for i in inside)]
    assert "from2019-12-27to2020-01-10" in body


def test_odt_content_parses_and_holds_every_title(demo, tmp_path):
    out = tmp_path / "report.odt"
    result = export_report(demo, out)
    with zipfile.ZipFile(out) as z:
        assert z.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        root = ET.fromstring(z.read("content.xml"))
    text = " ".join("".join(root.itertext()).split())
    assert demo.title in text
    for _, title in sql_events(demo):
        assert " ".join(title.split()) in text
    assert "⚠ contradicts" in text and "Grade B2" in text
    # the title page ends with a page break
    assert re.search(rb'fo:break-after="page"', zipfile.ZipFile(out).read("content.xml"))
    assert result.counts["events"] == len(sql_events(demo))


def test_hostile_strings_are_text_in_pdf_and_odt(qapp, tmp_path):
    project = hostile_project(tmp_path / "h.sijill")
    export_report(project, tmp_path / "h.pdf")
    export_report(project, tmp_path / "h.odt")
    body = squeeze(" ".join(pages_text(tmp_path / "h.pdf")))
    assert squeeze(HOSTILE_TITLE) in body and "⚠noevidence" in body
    with zipfile.ZipFile(tmp_path / "h.odt") as z:
        text = "".join(ET.fromstring(z.read("content.xml")).itertext())
    assert HOSTILE_TITLE in text and "Report <b>test</b> & co" in text
    project.close()


def test_markdown_and_html_go_through_the_same_entry_point(demo, tmp_path):
    assert EXPORTS["report"].load() is export_report
    export_report(demo, tmp_path / "r.md")
    export_report(demo, tmp_path / "r.html")
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith(f"# {demo.title}")
    assert demo.title in read_html((tmp_path / "r.html").read_text(encoding="utf-8")).plain


def test_unknown_suffix_is_a_clear_error(demo, tmp_path):
    with pytest.raises(ExchangeError, match=r"\.md, \.html, \.odt or \.pdf, not \.docx"):
        export_report(demo, tmp_path / "r.docx")
    assert list(tmp_path.iterdir()) == []


def test_a_cancelled_pdf_leaves_nothing_behind(demo, tmp_path):
    out = tmp_path / "r.pdf"
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 3  # while painting the pages

    with pytest.raises(ExportCancelled):
        export_report(demo, out, cancelled=cancelled)
    assert list(tmp_path.iterdir()) == []


def test_progress_rises_to_the_end(demo, tmp_path):
    seen = []
    export_report(demo, tmp_path / "r.pdf", progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) > 3


@pytest.mark.parametrize("keep", [1, 100])
def test_pdf_holds_a_few_runs_of_events_at_a_time(demo, tmp_path, monkeypatch, keep):
    """Laid out in runs of 8 events (16 runs): the first `keep` runs are painted from their first
    layout, the others laid out to count the pages, dropped, and laid out again to be painted;
    each is dropped once its pages are painted. Never the whole report at once."""
    monkeypatch.setattr(report_documents, "CHUNK", 8)
    monkeypatch.setattr(report_documents, "KEEP_LAID_OUT", keep)
    made, live_per_page = [], []
    make, footer = report_documents.report_document, report_documents._footer

    def tracked(*args):
        doc = make(*args)
        made.append(weakref.ref(doc))
        return doc

    def counting(*args):
        live_per_page.append(sum(1 for ref in made if ref() is not None))
        footer(*args)

    monkeypatch.setattr(report_documents, "report_document", tracked)
    monkeypatch.setattr(report_documents, "_footer", counting)
    out = tmp_path / "r.pdf"
    result = export_report(demo, out)
    events = sql_events(demo)
    runs = -(-len(events) // 8)
    assert len(made) == 1 + runs + max(runs - keep, 0)  # the title page, each run once or twice
    assert len(live_per_page) == len(PdfReader(out).pages) > runs
    if keep == 1:
        assert max(live_per_page) <= 3, live_per_page
    assert live_per_page[-1] <= 3  # the runs painted are gone
    body = squeeze(" ".join(pages_text(out)))
    assert all(squeeze(title) in body for _, title in events)
    assert result.counts["events"] == len(events)
    assert list(tmp_path.iterdir()) == [out]  # the runs' rich text, kept aside, is gone
