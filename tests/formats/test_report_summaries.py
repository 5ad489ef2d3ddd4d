"""A citation of a source whose text is a summary (Source.summary) is named as such in the report,
Markdown and HTML, beside its quote or, without a quote, beside the source; other citations are not."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from sijill.db.formats.report import write_report
from sijill.db.formats.selection import SUMMARY_MARK
from sijill.db.store.project import Project
from tests.formats.test_report import md_to_html, read_html


def summaries_project(path: Path) -> Project:
    """One event citing a summary's passage, the same summary without a passage, and an article's passage."""
    project = Project.create(path, title="Summaries")
    event = project.create_event("Drone attack on the base", "2023-10-18")
    summary = project.create_source("[Report on the drone attack]", "The base was hit by two drones at dawn.",
                                    outlet="AP", reliability="B", summary=True)
    article = project.create_source("Ministry statement", "Two drones struck the base before dawn.",
                                    outlet="Ministry", reliability="A")
    quoted = project.create_annotation(summary.id, *project.find_quote(summary.id, "hit by two drones"), credibility=2)
    own = project.create_annotation(article.id, *project.find_quote(article.id, "Two drones struck"), credibility=1)
    project.add_evidence(event.id, annotation_id=quoted.id)
    project.add_evidence(event.id, source_id=summary.id, stance="context")
    project.add_evidence(event.id, annotation_id=own.id)
    return project


@pytest.fixture
def project(tmp_path) -> Project:
    p = summaries_project(tmp_path / "s.sijill")
    yield p
    p.close()


def test_markdown_names_summaries_beside_their_quotes(project, tmp_path):
    write_report(project, tmp_path / "r.md")
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    notes = dict(re.findall(r"^\[\^(\d+)\]: (.*)$", text, flags=re.MULTILINE))
    assert f"“hit by two drones” *({SUMMARY_MARK})* —" in notes["1"]
    assert f"*({SUMMARY_MARK})*" in notes["2"] and "“" not in notes["2"]
    assert SUMMARY_MARK not in notes["3"] and "“Two drones struck” —" in notes["3"]
    plain = read_html(md_to_html(text)).plain
    assert plain.count(f"({SUMMARY_MARK})") == 2


def test_html_report_names_summaries_beside_their_quotes(project, tmp_path):
    write_report(project, tmp_path / "r.html")
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    notes = re.findall(r'<li id="note-(\d+)"[^>]*>(.*?)</li>', text)
    assert len(notes) == 3
    marked = {n for n, body in notes if f'<em class="summary">({SUMMARY_MARK.replace(chr(39), "&#x27;")})</em>' in body}
    assert marked == {"1", "2"}
    assert ".summary {" in text
