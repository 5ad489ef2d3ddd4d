"""The reader's header keeps each part whole in an Arabic source: "13 Jun 2014" is not split around the
outlet ("Jun 2014 · source B — Usually reliable 13"), because each part is a directional isolate."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QTextDocument, QUndoStack

from sijill.desktop.hub import ProjectHub
from sijill.desktop.sources.reader import FSI, LRI, PDI, Reader

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()


@pytest.fixture
def reader(qtbot, project):
    r = Reader(ProjectHub(project), QUndoStack())
    r.resize(620, 300)
    qtbot.addWidget(r)
    r.show()
    return r


@pytest.fixture
def arabic(project):
    return project.create_source("[تقرير كونا عن دعوة المرجع السيستاني إلى حمل السلاح]",
                                 "دعا المرجع الديني الأعلى العراقيين إلى حمل السلاح في 13 حزيران 2014.",
                                 outlet="وكالة الأنباء الكويتية (كونا)", published="2014-06-13", language="ar",
                                 reliability="B")


def x_of(layout_text: str, layout, part: str) -> float:
    """Where the cursor sits inside `part` (after its first character), in pixels from the left."""
    i = layout_text.index(part) + 1
    return layout.lineForTextPosition(i).cursorToX(i)[0]


def meta_line(html: str):
    doc = QTextDocument()
    doc.setHtml(html)
    doc.setTextWidth(4000)
    doc.size()  # lays the document out
    block = doc.begin().next()
    return doc, block.text(), block.layout()


def test_header_isolates_each_part_of_an_arabic_source(reader, arabic):
    reader.show_source(arabic.id)
    html = reader.header.text()
    assert f"{LRI}13 Jun 2014{PDI}" in html
    assert f"{LRI}source B — Usually reliable{PDI}" in html
    assert f"{FSI}وكالة الأنباء الكويتية (كونا){PDI}" in html
    assert f"{FSI}[تقرير كونا" in html
    assert html.count("dir='rtl'") == 2 and "align='right'" in html


def test_date_and_grade_read_left_to_right_inside_a_right_to_left_line(reader, arabic):
    reader.show_source(arabic.id)
    doc, text, layout = meta_line(reader.header.text())
    x = {part: x_of(text, layout, part) for part in ("13", "Jun", "2014", "source", "Usually", "الأنباء")}
    assert x["13"] < x["Jun"] < x["2014"], "the date keeps its day before its month"
    assert x["source"] < x["Usually"]
    assert x["source"] < x["13"] < x["الأنباء"], "right to left: outlet, then date, then grade"


def test_latin_source_reads_left_to_right(reader, project):
    s = project.create_source("Sistani's call to arms", "Text.", outlet="الحياة", author="Staff",
                              published="mid-October 2023", language="en", reliability="C")
    reader.show_source(s.id)
    html = reader.header.text()
    assert html.count("dir='ltr'") == 2 and f"{LRI}mid-Oct 2023{PDI}" in html and f"{FSI}الحياة{PDI}" in html
    doc, text, layout = meta_line(html)
    x = {part: x_of(text, layout, part) for part in ("الحياة", "Staff", "mid", "source")}
    assert x["الحياة"] < x["Staff"] < x["mid"] < x["source"]


def test_ungraded_source_without_outlet(reader, project):
    s = project.create_source("بيان", "نص.", language="ar")
    reader.show_source(s.id)
    assert f"{LRI}source not graded{PDI}</div>" in reader.header.text()


def test_reader_with_an_arabic_source_renders(reader, arabic, tmp_path):
    reader.show_source(arabic.id)
    path = tmp_path / "reader_ar.png"
    assert reader.grab().save(str(path))
    assert path.stat().st_size > 1000
