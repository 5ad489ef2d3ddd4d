"""The report as Markdown and HTML (db.formats.report, no Qt), read back with independent readers:
markdown-it and html.parser, and the expectations computed from the project file with SQL; a long
report is written event by event, in the memory of a chunk of events."""
from __future__ import annotations

import re
import tracemalloc
from html.parser import HTMLParser
from pathlib import Path

import pytest

import sijill.db.resources as db_resources
from sijill.db.formats.native import import_native
from sijill.db.formats.records import ExchangeError
from sijill.db.formats.report import EntryReader, ExportCancelled, build_report, write_report
from sijill.db.formats.selection import EventSelection
from sijill.db.store.project import Project

HOSTILE_TITLE = "<script>alert(1)</script>"


def demo_project(path: Path) -> Project:
    project = Project.create(path)
    import_native(project, db_resources.demo_path())
    return project


def hostile_project(path: Path) -> Project:
    """Strings that are markup, a javascript: URL, an event without evidence, contradicting
    evidence and a date as written that differs from its normalised form."""
    project = Project.create(path, title="Report <b>test</b> & co")
    kh = project.create_group("Kataib Hezbollah")
    us = project.create_group("United States")
    bad = project.create_event(HOSTILE_TITLE, "2023-10-18", groups=[(kh.id, "actor"), (us.id, "target")],
                               description="first *line* [x](http://evil.example)\n\n# not a heading",
                               location="<img src=x onerror=alert(2)>", tags=["drone"])
    project.create_event("Quiet day", "mid-October 2023", groups=[(us.id, "actor")])
    body = "Officials said the drone attack on the base was claimed by the group on Wednesday."
    src = project.create_source("<img src=x onerror=alert(3)>", body, outlet="Reuters", author="A. Writer",
                                url="javascript:alert(4)", published="2023-10-19", reliability="B")
    good = project.create_source("Second report", body, outlet="AP", url="https://example.org/a?b=1&c=2",
                                 published="2023-10-20", reliability="D")
    ann = project.create_annotation(src.id, 15, 32, credibility=2)
    project.add_evidence(bad.id, annotation_id=ann.id, stance="supports")
    project.add_evidence(bad.id, source_id=good.id, stance="contradicts", note="says it was a <rocket>")
    return project


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Project:
    project = demo_project(tmp_path_factory.mktemp("demo") / "demo.sijill")
    yield project
    project.close()


@pytest.fixture
def hostile(tmp_path) -> Project:
    project = hostile_project(tmp_path / "hostile.sijill")
    yield project
    project.close()


def sql_events(project, selection_sql: str = "1", params=()) -> list[tuple[int, str]]:
    return project.db.execute(f"SELECT id, title FROM events WHERE {selection_sql} ORDER BY start_lo, id",
                              params).fetchall()


def sql_grades(project, event_id: int) -> list[str]:
    rows = project.db.execute(
        "SELECT s.reliability, a.credibility FROM event_evidence ev JOIN sources s ON s.id = ev.source_id "
        "LEFT JOIN annotations a ON a.id = ev.annotation_id WHERE ev.event_id = ? ORDER BY ev.id", [event_id])
    return [f"{r or '?'}{c or ''}" for r, c in rows]


class Page(HTMLParser):
    """Every start tag with its attributes, the text, and the contents of <style>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        (self.styles if self._in_style else self.text).append(data)

    def all(self, tag: str) -> list[dict]:
        return [a for t, a in self.tags if t == tag]

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


def read_html(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


def assert_loads_nothing(page: Page, allowed_links: set[str]) -> None:
    """No script, nothing loaded from anywhere; links only to the page itself or to `allowed_links`."""
    tags = {t for t, _ in page.tags}
    assert not tags & {"script", "link", "iframe", "object", "embed", "img", "audio", "video", "base"}
    for tag, attrs in page.tags:
        assert "src" not in attrs, (tag, attrs)
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        assert "url(" not in attrs.get("style", "")
        href = attrs.get("href")
        if href is not None and not href.startswith("#"):
            assert tag == "a" and href in allowed_links, (tag, href)
    css = " ".join(page.styles)
    assert "@import" not in css and not re.search(r"url\(", css)


def http_urls(project) -> set[str]:
    return {u for (u,) in project.db.execute("SELECT url FROM sources WHERE url LIKE 'http%'")}


def md_to_html(text: str) -> str:
    import markdown_it
    return markdown_it.MarkdownIt("commonmark").render(text)


# --- Markdown ---------------------------------------------------------------------------------------

def test_markdown_holds_every_event_with_its_graded_footnotes(demo, tmp_path):
    out = tmp_path / "report.md"
    result = write_report(demo, out)
    text = out.read_text(encoding="utf-8")
    events = sql_events(demo)
    n_cites = demo.db.execute("SELECT count(*) FROM event_evidence").fetchone()[0]
    assert result.counts == {"events": len(events), "citations": n_cites}
    assert text.startswith(f"# {demo.title}\n")
    # each event is a "### " section, in chronological order, holding its footnotes' definitions
    sections = re.split(r"^### ", text, flags=re.MULTILINE)[1:]
    rendered = [read_html(md_to_html("### " + s)).plain for s in sections]
    assert len(sections) == len(events)
    refs_seen = []
    for (eid, title), section, plain in zip(events, sections, rendered):
        assert plain.startswith(" ".join(title.split())), (title, plain[:80])
        refs = re.findall(r"\[\^(\d+)\](?!:)", section)
        defs = re.findall(r"^\[\^(\d+)\]: (.*)$", section, flags=re.MULTILINE)
        assert refs == [n for n, _ in defs]
        grades = sql_grades(demo, eid)
        assert [re.search(r"Grade \*\*(\S+?)\*\*", d).group(1) for _, d in defs] == grades
        refs_seen += [int(n) for n in refs]
    assert refs_seen == list(range(1, n_cites + 1))


def test_markdown_title_page_says_what_was_selected(demo, tmp_path):
    out = tmp_path / "r.md"
    write_report(demo, out, EventSelection(date_from="2019-12", date_to="2020-01", groups=("Kataib Hezbollah",)))
    head = out.read_text(encoding="utf-8").split("\n## ", 1)[0]
    assert "from 2019-12 to 2020-01" in head and "groups: Kataib Hezbollah" in head
    assert re.search(r"\*\*Events:\*\* \d+ events?, \d+ citations?", head)
    assert "**Generated:**" in head and "Admiralty" in head


def test_markdown_is_inert_and_flags_evidence(hostile, tmp_path):
    out = tmp_path / "r.md"
    result = write_report(hostile, out)
    text = out.read_text(encoding="utf-8")
    page = read_html(md_to_html(text))
    assert [t for t, _ in page.tags if t in ("script", "img")] == []
    assert HOSTILE_TITLE in page.plain and "<img src=x onerror=alert(2)>" in page.plain
    assert [a["href"] for a in page.all("a")] == ["https://example.org/a?b=1&c=2"]
    assert len(page.all("h1")) == 1  # "# not a heading" in a description stays text
    assert "⚠ contradicts" in page.plain and "⚠ no evidence" in page.plain
    # the date as written, and its normalised form beside it when they differ
    assert "mid-October 2023 (mid-Oct 2023)" in page.plain and "2023-10-18 (18 Oct 2023)" in page.plain
    assert "Kataib Hezbollah (actor); United States (target)" in page.plain
    assert result.note == "1 with contradicting evidence, 1 without evidence"


# --- HTML -------------------------------------------------------------------------------------------

def test_html_report_is_self_contained_with_back_linked_footnotes(demo, tmp_path):
    out = tmp_path / "report.html"
    write_report(demo, out)
    text = out.read_text(encoding="utf-8")
    page = read_html(text)
    assert text.startswith("<!DOCTYPE html>")
    assert_loads_nothing(page, http_urls(demo))
    ids = {a["id"] for _, a in page.tags if "id" in a}
    n_cites = demo.db.execute("SELECT count(*) FROM event_evidence").fetchone()[0]
    notes = [a for a in page.all("li") if a.get("id", "").startswith("note-")]
    assert len(notes) == n_cites
    for tag, attrs in page.tags:
        if attrs.get("href", "").startswith("#"):
            assert attrs["href"][1:] in ids, attrs
    assert sum(1 for a in page.all("a") if a.get("class") == "back") == n_cites
    for _, title in sql_events(demo):
        assert " ".join(title.split()) in page.plain
    assert page.plain.count("⚠ contradicts") >= demo.db.execute(
        "SELECT count(*) FROM event_evidence WHERE stance = 'contradicts'").fetchone()[0]
    assert "@page" in " ".join(page.styles)  # laid out for print too


def test_html_report_escapes_every_string(hostile, tmp_path):
    out = tmp_path / "r.html"
    write_report(hostile, out)
    page = read_html(out.read_text(encoding="utf-8"))
    assert_loads_nothing(page, {"https://example.org/a?b=1&c=2"})
    assert HOSTILE_TITLE in page.plain
    assert "<img src=x onerror=alert(3)>" in page.plain and "javascript:alert(4)" in page.plain
    assert "Report <b>test</b> & co" in page.plain and not page.all("b")
    assert "⚠ no evidence" in page.plain and "says it was a <rocket>" in page.plain


# --- selection, errors, writing ----------------------------------------------------------------------

def test_selection_is_honoured(demo, tmp_path):
    selection = EventSelection(date_from="2019-12", date_to="2020-01", groups=("Kataib Hezbollah",))
    lo, hi = selection.bounds()
    kh = demo.db.execute(
        "WITH RECURSIVE g(id) AS (SELECT id FROM groups WHERE name = 'Kataib Hezbollah' "
        "UNION SELECT groups.id FROM groups JOIN g ON groups.parent_id = g.id) SELECT id FROM g").fetchall()
    marks = ", ".join("?" * len(kh))
    expected = sql_events(demo, f"start_lo <= ? AND COALESCE(end_hi, start_hi) >= ? AND id IN "
                                f"(SELECT event_id FROM event_groups WHERE group_id IN ({marks}))",
                          [hi, lo, *[i for (i,) in kh]])
    assert 2 <= len(expected) < 20
    out = tmp_path / "r.md"
    result = write_report(demo, out, selection)
    headings = re.findall(r"^### (.*)$", out.read_text(encoding="utf-8"), flags=re.MULTILINE)
    rendered = [read_html(md_to_html("### " + x)).plain for x in headings]
    assert rendered == [" ".join(t.split()) for _, t in expected]
    assert result.counts["events"] == len(expected)


def test_an_empty_selection_writes_a_report_that_says_so(demo, tmp_path):
    out = tmp_path / "r.html"
    result = write_report(demo, out, EventSelection(date_from="1990", date_to="1991"))
    assert "No event matches the selection." in read_html(out.read_text(encoding="utf-8")).plain
    assert result.counts == {"events": 0, "citations": 0} and result.note == "no event matches the selection"


def test_unknown_suffix_is_a_clear_error(demo, tmp_path):
    with pytest.raises(ExchangeError, match=r"\.md or \.html.*\.docx"):
        write_report(demo, tmp_path / "r.docx")
    assert list(tmp_path.iterdir()) == []


def test_cancelled_export_leaves_the_earlier_file(demo, tmp_path):
    out = tmp_path / "r.md"
    out.write_text("earlier", encoding="utf-8")
    with pytest.raises(ExportCancelled):
        write_report(demo, out, cancelled=lambda: True)
    assert out.read_text(encoding="utf-8") == "earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["r.md"]


def test_progress_reaches_the_end(demo):
    seen = []
    report, entries = build_report(demo, progress=seen.append)
    assert seen[0] == 0 and seen[-1] == 1.0 and seen == sorted(seen)
    assert report.citations == sum(len(x.notes) for x in entries)
    assert report.events == len(entries) and report.unsupported == sum(1 for x in entries if not x.notes)


# --- the title page counts what the chronology holds, which is written first --------------------

def test_the_period_runs_to_the_latest_end_not_the_last_start(tmp_path):
    project = Project.create(tmp_path / "p.sijill", title="Spans")
    long = project.create_event("A long siege", "2014-06", end="2017-07-10")
    project.create_event("A later raid", "2016-03-02")
    project.add_evidence(long.id, source_id=project.create_source("S", "text", reliability="B").id,
                         stance="contradicts")
    out = tmp_path / "r.md"
    result = write_report(project, out)
    head = out.read_text(encoding="utf-8").split("\n---\n", 1)[0]
    assert "**Period:** Jun 2014 – 10 Jul 2017  " in head
    assert "**Events:** 2 events, 1 citation; 1 with contradicting evidence, 1 without evidence  " in head
    assert result.counts == {"events": 2, "citations": 1}
    project.close()


def test_markdown_ends_with_one_newline_whatever_the_last_note_holds(hostile, tmp_path):
    last = hostile.db.execute("SELECT id FROM events ORDER BY start_lo DESC, id DESC").fetchone()[0]
    source = hostile.create_source("Third", "text")
    hostile.add_evidence(last, source_id=source.id, stance="context", note=" \t ")
    out = tmp_path / "r.md"
    write_report(hostile, out)
    text = out.read_text(encoding="utf-8")
    assert text.endswith("Not graded; context. Note:\n")  # the note's white space gone, as from the text whole
    assert "\n\n## " in text and text.count("\n---\n") == 1


def test_the_reader_reads_once_and_counts_what_it_yielded(demo):
    reader = EntryReader(demo, EventSelection(date_from="2019-12", date_to="2020-01"))
    assert reader.report.events == 0  # nothing read yet
    entries = list(reader)
    report = reader.report
    assert report.events == len(entries) == len(reader) > 2
    assert [n.number for x in entries for n in x.notes] == list(range(1, report.citations + 1))
    assert report.contradicted == sum(1 for x in entries if x.event.contradicted)


@pytest.fixture(scope="module")
def long_project(tmp_path_factory):
    """4,000 events (2014–2021, half of them before 2018), each with a long description and a
    citation: a report several chunks of events long."""
    project = Project.create(tmp_path_factory.mktemp("long") / "long.sijill", title="Long")
    group = project.create_group("Kataib Hezbollah")
    source = project.create_source("Wire", "body", outlet="Reuters", url="https://example.org/w", reliability="B")
    ids = project.bulk_insert_events(
        {"title": f"Event {i}", "start": f"{2014 + i * 8 // 4000}-{1 + i % 12:02d}-{1 + i % 28:02d}",
         "description": f"Paragraph {i}: " + "words of a long account " * 40, "groups": [(group.id, "actor")]}
        for i in range(4000))
    with project.batch():
        for eid in ids:
            project.add_evidence(eid, source_id=source.id, stance="supports")
    yield project
    project.close()


def traced_peak(write) -> int:
    tracemalloc.start()
    try:
        write()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_a_long_report_is_written_in_the_memory_of_a_chunk(long_project, tmp_path, suffix):
    half, whole = tmp_path / f"half{suffix}", tmp_path / f"whole{suffix}"
    half_peak = traced_peak(lambda: write_report(long_project, half, EventSelection(date_to="2017")))
    whole_peak = traced_peak(lambda: write_report(long_project, whole))
    assert whole.stat().st_size > 1.9 * half.stat().st_size > 4_000_000
    assert whole_peak < 1.25 * half_peak, (whole_peak, half_peak)  # twice the events, not twice the memory
    text = whole.read_text(encoding="utf-8")
    assert text.count("Paragraph ") == 4000 and "4000 events, 4000 citations" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([half.name, whole.name])  # no spool left
