"""The reader: annotating by selecting text (code points, not UTF-16), grading, linking to events,
overlapping highlights, mentions read against the published date, Arabic right to left, and
creating an event from a passage in one undo step."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextOption

from sijill.db.store.project import Project
from tests.desktop.sources_helpers import (AR_TEXT, FR_TEXT, click_ok, groups, hub, messages, panel,  # noqa: F401
                                           select, sources, stack, utf16)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()


def _disk(project) -> Project:
    return Project.open(project.path, read_only=True)


def _ts(y, m, d, hh=0, mm=0, ss=0) -> int:
    return int(datetime(y, m, d, hh, mm, ss, tzinfo=timezone.utc).timestamp())


@pytest.fixture
def reader(panel, sources):
    panel.open_source(sources["fr"])
    return panel.reader


def test_annotate_selection_stores_code_points(qtbot, reader, project, sources, stack, groups):
    quote = "les Kataib Hezbollah ont revendiqué une attaque"
    start = FR_TEXT.index(quote)
    assert utf16(FR_TEXT, start) == start + 1, "the emoji before the passage makes UTF-16 differ"
    select(reader, start, start + len(quote))
    assert reader.annotate_action.isEnabled()
    reader.view.setFocus()
    qtbot.keyClick(reader.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = reader.editor.dialog
    assert dialog is not None and dialog.quote_view.toPlainText() == quote
    assert groups["kh"] in dialog.groups(), "the group named in the passage is suggested"
    dialog.note_edit.setPlainText("Claim of responsibility")
    dialog.set_credibility(2)
    assert "B2" in dialog.grade_label.text()
    assert any("Probably true" in b.text() and "logical; consistent" in b.text()
               for b in dialog.credibility_buttons.buttons())
    dialog.tags_edit.setText("claim, drone")
    click_ok(qtbot, dialog)
    with _disk(project) as disk:
        [a] = disk.annotations(sources["fr"])
        assert (a.start, a.end) == (start, start + len(quote))
        assert a.quote == quote and disk.source(sources["fr"]).body[a.start:a.end] == quote
        assert (a.note, a.credibility, a.tags) == ("Claim of responsibility", 2, ("claim", "drone"))
        assert a.group_ids == (groups["kh"],)
    stack.undo()
    with _disk(project) as disk:
        assert disk.annotations(sources["fr"]) == []


def test_zero_length_selection_writes_nothing(qtbot, reader, project, messages, sources):
    select(reader, 10, 10)
    assert not reader.annotate_action.isEnabled()
    assert not reader.event_action.isEnabled()
    reader.view.setFocus()
    qtbot.keyClick(reader.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert reader.editor.dialog is None
    assert messages and "Select a passage" in messages[-1][1]
    with _disk(project) as disk:
        assert disk.annotations() == []


def test_link_annotation_to_event_with_stance(qtbot, reader, project, sources, stack):
    tower = project.create_event("Tower 22 attack", "2024-01-28")
    other = project.create_event("Talks on the coalition", "2024-01-27")
    quote = "l'attaque a fait trois morts"
    start = FR_TEXT.index(quote)
    select(reader, start, start + len(quote))
    dialog = reader.annotate_selection()
    dialog.event_search.setText("Tower")
    assert [dialog.event_list.item(i).text() for i in range(dialog.event_list.count())] == \
           ["28 Jan 2024 — Tower 22 attack"]
    dialog.stance_combo.setCurrentIndex(dialog.stance_combo.findData("supports"))
    dialog.link_picked_event()
    dialog.link_event(other.id, "contradicts")
    click_ok(qtbot, dialog)
    with _disk(project) as disk:
        [a] = disk.annotations(sources["fr"])
        assert [(e.annotation_id, e.stance) for e in disk.evidence(tower.id)] == [(a.id, "supports")]
        assert [(e.annotation_id, e.stance) for e in disk.evidence(other.id)] == [(a.id, "contradicts")]
    assert stack.count() == 1, "annotation and links are one undo step"
    # edit: drop one link, change the other's stance
    dialog = reader.editor.edit(a.id)
    rows = {dialog.links_table.item(r, 0).text(): r for r in range(dialog.links_table.rowCount())}
    dialog.links_table.cellWidget(rows["Tower 22 attack"], 2).setCurrentText("context")
    dialog.links_table.selectRow(rows["Talks on the coalition"])
    dialog.remove_selected_link()
    click_ok(qtbot, dialog)
    with _disk(project) as disk:
        assert [e.stance for e in disk.evidence(tower.id)] == ["context"]
        assert disk.evidence(other.id) == []
    stack.undo()
    with _disk(project) as disk:
        assert [e.stance for e in disk.evidence(tower.id)] == ["supports"]
        assert [e.stance for e in disk.evidence(other.id)] == ["contradicts"]


def test_overlapping_highlights_both_visible_and_selectable(qtbot, reader, project, sources, monkeypatch):
    a_start = FR_TEXT.index("les Kataib Hezbollah")
    a_end = FR_TEXT.index(" contre les forces")
    b_start = FR_TEXT.index("une attaque de drone")
    b_end = FR_TEXT.index(" à la frontière")
    a = project.create_annotation(sources["fr"], a_start, a_end, note="first")
    b = project.create_annotation(sources["fr"], b_start, b_end, note="second")
    backgrounds = {}
    for sel in reader.view.extraSelections():
        if sel.format.background().style() != Qt.BrushStyle.NoBrush:
            backgrounds[(sel.cursor.selectionStart(), sel.cursor.selectionEnd())] = sel.format.background().color()
    only_a = backgrounds[(utf16(FR_TEXT, a_start), utf16(FR_TEXT, b_start))]
    both = backgrounds[(utf16(FR_TEXT, b_start), utf16(FR_TEXT, a_end))]
    only_b = backgrounds[(utf16(FR_TEXT, a_end), utf16(FR_TEXT, b_end))]
    assert both.lightness() < only_a.lightness() and both.lightness() < only_b.lightness(), "darker where both"
    bars = dict(reader.view.bar_rects())
    assert set(bars) == {a.id, b.id} and bars[a.id].x() != bars[b.id].x(), "one margin bar each, side by side"

    # a click where both cover offers the choice; picking the second selects it
    offered = []
    monkeypatch.setattr(reader.view, "choose_annotation",
                        lambda cands, pos: (offered.append([c.id for c in cands]), cands[-1])[1])
    point = reader.view.point_of(FR_TEXT.index("attaque de drone") + 2)
    qtbot.mouseClick(reader.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert sorted(offered[0]) == sorted([a.id, b.id])
    assert reader.view.current == b.id
    # a click on a spot only the first covers selects the first, no question asked
    point = reader.view.point_of(FR_TEXT.index("Kataib") + 2)
    qtbot.mouseClick(reader.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert len(offered) == 1 and reader.view.current == a.id


def test_click_highlight_shows_it_in_the_list(qtbot, panel, project, sources):
    start = FR_TEXT.index("trois morts")
    a = project.create_annotation(sources["fr"], start, start + len("trois morts"), note="toll", credibility=3)
    panel.open_source(sources["fr"])
    point = panel.reader.view.point_of(start + 3)
    qtbot.mouseClick(panel.reader.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert panel.annotations.current_id() == a.id
    assert "B3" in panel.annotations.details.text() and "toll" in panel.annotations.details.text()
    # double-click opens the editor on it
    qtbot.mouseDClick(panel.reader.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert panel.editor.dialog is not None and panel.editor.dialog.annotation.id == a.id


def test_french_mentions_read_against_published_date(reader, groups):
    mentions = reader.mentions()
    date = next(m for m in mentions if m.kind == "date" and m.text == "samedi dernier")
    assert date.date.lo == datetime(2024, 1, 27, tzinfo=timezone.utc) and date.date.precision == "day"
    point = reader.view.point_of(date.start + 3)
    tip = reader.view.tooltip_at(point)
    assert "samedi dernier → Sat 27 Jan 2024 (day)" in tip
    group = next(m for m in mentions if m.kind == "group" and m.group_id == groups["pmf"])
    assert "Popular Mobilization Forces" in reader.view.tooltip_at(reader.view.point_of(group.start + 2))
    underlined = {(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in reader.view.extraSelections()
                  if s.format.underlineStyle() == s.format.UnderlineStyle.DotLine}
    assert (utf16(FR_TEXT, date.start), utf16(FR_TEXT, date.end)) in underlined


def test_arabic_source_right_to_left_with_alias_underlined(qtbot, panel, sources, groups):
    panel.open_source(sources["ar"])
    view = panel.reader.view
    assert view.right_to_left
    block = view.document().begin()
    while block.isValid():
        if block.text():
            assert block.blockFormat().layoutDirection() == Qt.LayoutDirection.RightToLeft
            assert block.layout().textOption().textDirection() == Qt.LayoutDirection.RightToLeft
        block = block.next()
    # really drawn from the right: the first word sits right of the line's last word
    first = view.point_of(AR_TEXT.index("أعلنت") + 1)
    later = view.point_of(AR_TEXT.index("العراق.") + 1)
    assert first.y() == later.y() and first.x() > later.x()
    assert first.x() > view.viewport().width() * 0.6, "right-aligned"
    kh = next(m for m in panel.reader.mentions() if m.kind == "group" and m.group_id == groups["kh"])
    assert AR_TEXT[kh.start:kh.end] == "كتائب حزب الله"
    underlined = {(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in view.extraSelections()
                  if s.format.underlineStyle() == s.format.UnderlineStyle.DotLine}
    assert (kh.start, kh.end) in underlined  # no astral characters: code points == UTF-16 here
    assert "Kataib Hezbollah" in view.tooltip_at(view.point_of(kh.start + 2))
    assert view.document().defaultTextOption().wrapMode() == QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere


def test_arabic_relative_dates_underlined_and_read_against_published_date(panel, project, groups):
    # published Wednesday 31 January 2024: "مساء أمس" is the evening of the 30th, "قبل يومين" the 29th
    text = ("وبالأمس قصفت كتائب حزب الله قاعدة أمريكية، وقالت القوات الأمريكية إن هجوماً آخر وقع قبل يومين.\n"
            "وكان الحشد الشعبي قد نفى مساء أمسِ أي صلة بالهجوم الذي وقع يوم السبت الماضي.")
    source = project.create_source("هجمات على القوات الأمريكية", text, outlet="Al Sumaria",
                                   published="2024-01-31", language="ar", reliability="C")
    panel.open_source(source.id)
    view = panel.reader.view
    dates = {text[m.start:m.end]: m for m in panel.reader.mentions() if m.kind == "date"}
    assert list(dates) == ["الأمس", "قبل يومين", "مساء أمسِ", "السبت الماضي"]
    assert dates["الأمس"].date.lo == datetime(2024, 1, 30, tzinfo=timezone.utc)
    assert dates["قبل يومين"].date.lo == datetime(2024, 1, 29, tzinfo=timezone.utc)
    assert dates["مساء أمسِ"].date.lo == datetime(2024, 1, 30, 18, tzinfo=timezone.utc)
    assert dates["السبت الماضي"].date.lo == datetime(2024, 1, 27, tzinfo=timezone.utc)
    underlined = {(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in view.extraSelections()
                  if s.format.underlineStyle() == s.format.UnderlineStyle.DotLine}
    for m in dates.values():  # no astral characters: code points == UTF-16 here
        assert (m.start, m.end) in underlined
    assert "Sat 27 Jan 2024 (day)" in view.tooltip_at(view.point_of(dates["السبت الماضي"].start + 2))


def test_create_event_from_passage_one_undo_step(qtbot, panel, project, sources, stack, groups):
    reader = panel.reader
    panel.open_source(sources["fr"])
    seen = []
    reader.hub.events_changed.connect(seen.append)
    quote = ("samedi dernier, 🚀 les Kataib Hezbollah ont revendiqué une attaque de drone contre les forces "
             "américaines à la frontière jordanienne.")
    start = FR_TEXT.index(quote)
    select(reader, start, start + len(quote))
    dialog = reader.event_from_selection()
    title = dialog.title.text()  # the first sentence, cut at a word when too long for a title
    assert title.startswith("samedi dernier, 🚀 les Kataib Hezbollah ont revendiqué") and title.endswith("la…")
    assert len(title) <= 111
    assert dialog.start.edit.text() == "samedi dernier"
    assert "27 Jan 2024" in dialog.start.preview.text() and "in the passage" in dialog.start.preview.text()
    assert dialog.reference.currentText().startswith("Attaque de drone à la frontière")
    assert dialog.group_links() == [(groups["kh"], "actor"), (groups["us"], "actor")]
    dialog.title.setText("Drone attack claimed by Kataib Hezbollah")
    dialog.group_table.cellWidget(1, 1).setCurrentText("target")  # the analyst changes a role
    click_ok(qtbot, dialog)
    with _disk(project) as disk:
        [event] = [e for e in disk.events() if e.title == "Drone attack claimed by Kataib Hezbollah"]
        assert (event.start.lo_ts, event.start.hi_ts) == (_ts(2024, 1, 27), _ts(2024, 1, 27, 23, 59, 59))
        assert sorted((l.group_id, l.role) for l in event.groups) == \
               sorted([(groups["kh"], "actor"), (groups["us"], "target")])
        [ev] = disk.evidence(event.id)
        annotation = disk.annotation(ev.annotation_id)
        assert ev.stance == "supports" and (annotation.start, annotation.end) == (start, start + len(quote))
    assert seen and event.id in seen[-1], "the new event is announced at once"
    assert stack.count() == 1 and stack.text(0) == "Create event from passage"
    stack.undo()
    with _disk(project) as disk:
        assert not [e for e in disk.events() if e.title.startswith("Drone attack claimed")]
        assert disk.annotations(sources["fr"]) == []
    stack.redo()
    with _disk(project) as disk:
        [event2] = [e for e in disk.events() if e.title == "Drone attack claimed by Kataib Hezbollah"]
        assert event2.uid == event.uid and len(disk.evidence(event2.id)) == 1


def test_create_event_from_arabic_passage(qtbot, panel, project, sources, groups):
    panel.open_source(sources["ar"])
    quote = "أعلنت كتائب حزب الله تعليق عملياتها العسكرية ضد القوات الأمريكية في العراق."
    select(panel.reader, 0, len(quote))
    dialog = panel.reader.event_from_selection()
    assert dialog.title.text() == quote[:-1]
    assert [g for g, _ in dialog.group_links()] == [groups["kh"], groups["us"]]
    assert "30 Jan 2024" in dialog.start.preview.text() and "published date" in dialog.start.preview.text()
    click_ok(qtbot, dialog)
    with _disk(project) as disk:
        [event] = [e for e in disk.events() if e.title == quote[:-1]]
        assert event.start.lo_ts == _ts(2024, 1, 30)
        assert disk.evidence(event.id)[0].source_id == sources["ar"]


def test_ctrl_e_in_the_reader_annotates_even_when_the_window_binds_it(qtbot, reader, panel):
    """Even if a window binds Ctrl+E (New event used to be Ctrl+E), in the reader's text it means Annotate."""
    from PySide6.QtGui import QAction, QKeySequence

    window_action = QAction("New event", panel)
    window_action.setShortcut(QKeySequence("Ctrl+E"))
    panel.addAction(window_action)
    fired = []
    window_action.triggered.connect(lambda: fired.append(True))
    start = FR_TEXT.index("trois morts")
    select(reader, start, start + len("trois morts"))
    reader.view.setFocus()
    qtbot.keyClick(reader.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert reader.editor.dialog is not None and not fired
