"""Full-text search folds the Arabic article and the clitics written joined to a word (و ف ب ل ك).

FTS5's unicode61 tokenizer keeps "والحشد" as one token, so `fts_query` asks for each form of an Arabic
word; Latin queries are built exactly as before.
"""
from __future__ import annotations

import pytest

from sijill.db.store.basics import ProjectError
from sijill.db.formats.selection import EventSelection, select_event_ids
from sijill.db.store.search import arabic_forms, fts_query


@pytest.fixture
def arabic_project(project):
    p = project
    plain = p.create_source("Hashd statement", "Statement by the Popular Mobilization Forces.", language="en")
    article = p.create_source("بيان الحشد الشعبي", "أعلنت هيئة الحشد الشعبي عن هيكلة جديدة.", language="ar")
    joined = p.create_source("تقرير", "التقى رئيس الوزراء والحشد في بغداد.", language="ar")
    with_b = p.create_source("خبر", "رحب النواب بالحشد بعد المعركة.", language="ar")
    events = {
        "article": p.create_event("تأسيس الحشد الشعبي", "2014-06-13"),
        "joined": p.create_event("اجتماع", "2016-11-26", description="صوت البرلمان على القانون والحشد معا"),
        "with_b": p.create_event("قانون", "2016-11-26", description="أشاد الوزير بالحشد"),
        "latin": p.create_event("Drone attack on al-Asad", "2023-10-18"),
        "other": p.create_event("انتخابات مجالس المحافظات", "2023-12-18"),
    }
    notes = {
        "article": p.create_annotation(article.id, article.body.index("الحشد"), article.body.index(" عن"),
                                       note="هيئة"),
        "joined": p.create_annotation(joined.id, 0, len(joined.body), note="لقاء"),
        "with_b": p.create_annotation(with_b.id, 0, len(with_b.body)),
    }
    p.test_ids = {"sources": {plain.id, article.id, joined.id, with_b.id},
                  "events": {k: e.id for k, e in events.items()},
                  "annotations": {k: a.id for k, a in notes.items()},
                  "arabic_sources": {article.id, joined.id, with_b.id}}
    return p


def hits(p, text: str, kind: str) -> set[int]:
    return {h.id for h in p.search(text, kinds=[kind])}


@pytest.mark.parametrize("text", ["حشد", "الحشد", "والحشد", "بالحشد", "حَشْد", "حشـد", "(الحشد)"])
def test_every_form_finds_every_form(arabic_project, text):
    p, ids = arabic_project, arabic_project.test_ids
    assert hits(p, text, "source") == ids["arabic_sources"]
    wanted_events = {ids["events"][k] for k in ("article", "joined", "with_b")}
    assert hits(p, text, "event") == wanted_events
    assert hits(p, text, "annotation") == set(ids["annotations"].values())
    assert {b.id for b in p.event_briefs(text)} == wanted_events
    assert p.search_event_ids(text) == wanted_events
    assert set(select_event_ids(p, EventSelection(query=text))) == wanted_events


def test_a_prefix_of_the_last_word_still_matches(arabic_project):
    p, ids = arabic_project, arabic_project.test_ids
    assert ids["events"]["article"] in p.search_event_ids("حش")
    assert p.search_event_ids("الحشد الشع") == {ids["events"]["article"]}
    assert p.search_event_ids("حشد شعبي") == {ids["events"]["article"]}


def test_latin_queries_are_unchanged(arabic_project):
    p, ids = arabic_project, arabic_project.test_ids
    assert fts_query("drone att") == '"drone" "att"*'
    assert fts_query('drone "attack') == '"drone" "attack"*'
    assert fts_query("al-Asad AND (x) *") == '"al-Asad" "AND" "(x)" "*"*'
    assert p.search_event_ids("drone att") == {ids["events"]["latin"]}
    assert hits(p, "Mobilization", "source") == ids["sources"] - ids["arabic_sources"]


def test_mixed_query_needs_both_words(arabic_project):
    p, ids = arabic_project, arabic_project.test_ids
    assert fts_query("Drone الحشد").startswith('"Drone" AND ("الحشد"* OR "حشد"* OR ')
    assert p.search_event_ids("Drone الحشد") == set()
    assert p.search_event_ids("Drone asad") == {ids["events"]["latin"]}


@pytest.mark.parametrize("text", ['"', '""', "(", ")", "()", "AND", "OR", "NOT", "*", "**", "^", "-", ":",
                                  "NEAR(", "حشد AND", "(الحشد", "الحشد)", '"الحشد', "الحشد *", "حشد OR ال",
                                  "ال", "و", "ـ", "َ", "حشد:", "NOT الحشد", "col:حشد", "{الحشد}"])
def test_odd_input_never_raises(arabic_project, text):
    p = arabic_project
    p.search(text)
    p.event_briefs(text)
    p.search_event_ids(text)
    select_event_ids(p, EventSelection(query=text))


def test_short_stems_get_only_the_article_forms():
    assert "برد" not in arabic_forms("رد") and "الرد" in arabic_forms("رد")
    assert "له" not in arabic_forms("الله") and "لله" in arabic_forms("الله")
    assert "للجنة" in arabic_forms("لجنة")
    assert arabic_forms("drone") == [] and arabic_forms("al-Asad") == []
    forms = arabic_forms("حشد")
    for form in ("حشد", "الحشد", "وحشد", "والحشد", "بحشد", "بالحشد", "فحشد", "فالحشد", "لحشد", "للحشد",
                 "كحشد", "كالحشد"):
        assert form in forms
    assert set(arabic_forms("الحشد")) == set(forms) == set(arabic_forms("وبالحشد"))


def test_a_refused_query_is_a_project_error(arabic_project, monkeypatch):
    monkeypatch.setattr("sijill.db.store.search.fts_query", lambda text: "(")
    with pytest.raises(ProjectError, match="cannot search"):
        arabic_project.search("حشد")
