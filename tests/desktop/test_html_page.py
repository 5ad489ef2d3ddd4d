"""The self-contained web page (desktop.exports.html_page), read back with html.parser and
ElementTree: it loads nothing, runs nothing, escapes everything and holds the selected events,
written as they are read."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from sijill.db.formats.records import ExportCancelled
from sijill.db.formats.registry import EXPORTS
from sijill.db.formats.selection import EventSelection
from sijill.desktop.exports.html_page import export_html, inline_svg
from tests.formats.test_report import (HOSTILE_TITLE, assert_loads_nothing, demo_project, hostile_project,
                                       http_urls, read_html, sql_events, sql_grades)

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def demo(qapp, tmp_path_factory):
    project = demo_project(tmp_path_factory.mktemp("demo") / "demo.sijill")
    yield project
    project.close()


@pytest.fixture(scope="module")
def demo_page(demo, tmp_path_factory):
    out = tmp_path_factory.mktemp("page") / "page.html"
    result = export_html(demo, out)
    return out.read_text(encoding="utf-8"), result


def svg_of(text: str) -> ET.Element:
    """The inline SVG, parsed as XML (it must be well-formed to be drawn the same everywhere)."""
    start, end = text.index("<svg"), text.index("</svg>") + len("</svg>")
    return ET.fromstring(text[start:end])


def test_the_page_loads_nothing_and_runs_nothing(demo, demo_page):
    text, _ = demo_page
    page = read_html(text)
    assert_loads_nothing(page, http_urls(demo))
    assert "<?xml" not in text and "<!DOCTYPE SVG" not in text.upper()
    assert text.count("<svg") == 1 and text.lower().count("<!doctype") == 1


def test_header_timeline_table_and_citations(demo, demo_page):
    text, result = demo_page
    page = read_html(text)
    events = sql_events(demo)
    assert page.all("h1") and demo.title in page.plain
    assert "Selection: all events" in page.plain
    svg = svg_of(text)
    assert svg.get("viewBox") and len(svg.findall(f".//{SVG}text")) > 20
    assert len(svg.findall(f".//{SVG}title")) > len(events) / 2  # the timeline's tooltips came along
    rows = re.findall(r"<tr><td class=\"date\">.*?</tr>", text)
    assert len(rows) == len(events) == result.counts["events"]
    for (eid, title), row in zip(events, rows):
        cells = read_html(row)
        assert " ".join(title.split()) in cells.plain
        for grade in sql_grades(demo, eid):
            assert grade in cells.plain
    # every http(s) source URL is a link in the citations
    hrefs = {a["href"] for a in page.all("a")}
    cited = {u for (u,) in demo.db.execute(
        "SELECT DISTINCT s.url FROM event_evidence ev JOIN sources s ON s.id = ev.source_id "
        "WHERE s.url LIKE 'http%'")}
    assert cited and cited <= hrefs
    notes = [a for a in page.all("li") if a.get("id", "").startswith("note-")]
    assert len(notes) == result.counts["citations"]
    ids = {a["id"] for _, a in page.tags if "id" in a}
    assert all(a["href"][1:] in ids for a in page.all("a") if a["href"].startswith("#"))


def test_script_in_titles_is_text(qapp, tmp_path):
    project = hostile_project(tmp_path / "h.sijill")
    project.set_meta("title", "<script>alert('title')</script>")
    out = tmp_path / "h.html"
    export_html(project, out)
    text = out.read_text(encoding="utf-8")
    page = read_html(text)
    assert_loads_nothing(page, {"https://example.org/a?b=1&c=2"})
    assert HOSTILE_TITLE in page.plain and "<script>alert('title')</script>" in page.plain
    assert "javascript:" not in " ".join(a.get("href", "") for a in page.all("a"))
    svg_text = " ".join(svg_of(text).itertext())
    assert "<script>alert('title')</script>" in svg_text  # drawn as text in the timeline too
    assert "⚠ no evidence" in page.plain and "⚠ contradicts" in page.plain
    project.close()


def test_inline_svg_drops_what_could_run_or_load():
    hostile = ('<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
               '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'
               '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
               'width="100px" height="50px" onload="alert(1)"><script>alert(2)</script>'
               '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'
               '<image xlink:href="http://example.org/a.png"/><image href="data:image/png;base64,AAAA"/>'
               '<a href="https://example.org"><text>t &lt;b&gt;</text></a>'
               '<rect style="fill:url(http://example.org/p)" fill="url(#p)"/></svg>')
    out = inline_svg(hostile)
    root = ET.fromstring(out)
    tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
    assert "script" not in tags and "foreignObject" not in tags
    assert "onload" not in out and "http://example.org" not in out and "<?xml" not in out
    assert "data:image/png" in out and 'fill="url(#p)"' in out and "t &lt;b&gt;" in out
    assert root.get("viewBox") == "0 0 100.0 50.0" and root.get("width") is None


def test_selection_is_honoured(demo, tmp_path):
    selection = EventSelection(date_from="2023-10", date_to="2024-02", groups=("Kataib Hezbollah",))
    out = tmp_path / "p.html"
    result = export_html(demo, out, selection)
    text = out.read_text(encoding="utf-8")
    ids = set(demo.db.execute(
        "SELECT event_id FROM event_groups WHERE group_id = (SELECT id FROM groups WHERE name = ?)",
        ["Kataib Hezbollah"]).fetchall())
    lo, hi = selection.bounds()
    expected = [t for i, t in sql_events(demo, "start_lo <= ? AND COALESCE(end_hi, start_hi) >= ?", [hi, lo])
                if (i,) in ids]
    rows = [read_html(r).plain for r in re.findall(r"<tr><td class=\"date\">.*?</tr>", text)]
    assert len(rows) == len(expected) == result.counts["events"] > 1
    assert all(" ".join(t.split()) in row for t, row in zip(expected, rows))
    assert "groups: Kataib Hezbollah" in read_html(text).plain
    assert list(tmp_path.iterdir()) == [out]  # the rows and citations spooled aside are gone


def test_registered_as_the_html_export(demo, tmp_path):
    assert EXPORTS["html"].load() is export_html
    result = export_html(demo, tmp_path / "p.html", EventSelection(date_from="1990", date_to="1991"))
    text = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert "No event matches the selection." in read_html(text).plain and "<svg" not in text
    assert result.counts == {"events": 0, "citations": 0}


def test_a_cancelled_page_leaves_the_earlier_file(demo, tmp_path):
    out = tmp_path / "p.html"
    out.write_text("earlier", encoding="utf-8")
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 1  # once the events were read, before the page is written

    with pytest.raises(ExportCancelled):
        export_html(demo, out, cancelled=cancelled)
    assert out.read_text(encoding="utf-8") == "earlier" and list(tmp_path.iterdir()) == [out]
