"""Re-anchoring annotations when a source's text changes: the algorithm (db.text.anchoring) and the
Project method that applies it in one transaction (replace_source_text, reattach_annotation)."""
from __future__ import annotations

import random
import time

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from sijill.db.text.anchoring import QUOTE_MIN, PositionMap, reanchor
from sijill.db.store.basics import ProjectError
from sijill.db.store.library import quote_parts
from sijill.db.store.project import Project

REPORT = (
    "Residents of the border town said the convoy left before dawn on Friday.\n\n"
    "Witnesses said a drone struck the second truck near the checkpoint, setting it on fire. "
    "Officials later denied that anyone had been killed.\n\n"
    "In a separate incident on Sunday, a drone struck a fuel depot outside the town, "
    "destroying two tanks.\n\n"
    "The governor promised an inquiry and asked residents to stay indoors."
)


def anchor(body: str, quote: str, occurrence: int = 1, ident: int = 1) -> dict:
    pos = -1
    for _ in range(occurrence):
        pos = body.index(quote, pos + 1)
    q, prefix, suffix = quote_parts(body, pos, pos + len(quote))
    return {"id": ident, "start": pos, "end": pos + len(quote), "quote": q, "prefix": prefix, "suffix": suffix}


def one(old: str, new: str, ann: dict):
    (result,) = reanchor(old, new, [ann])
    return result


# ---- the algorithm --------------------------------------------------------------------------------
def test_unchanged_text_keeps_everything():
    anns = [anchor(REPORT, "a drone struck the second truck", ident=1),
            anchor(REPORT, "a drone struck", 2, ident=2),
            anchor(REPORT, "Residents", ident=3)]
    results = reanchor(REPORT, REPORT, anns)
    assert [r.status for r in results] == ["kept", "kept", "kept"]
    assert [(r.start, r.end) for r in results] == [(a["start"], a["end"]) for a in anns]
    assert [r.annotation_id for r in results] == [1, 2, 3]


def test_paragraph_inserted_before_the_quote_moves_it():
    ann = anchor(REPORT, "a drone struck the second truck near the checkpoint")
    inserted = "UPDATE 14:05 - the ministry has issued a statement.\n\n"
    new = inserted + REPORT
    r = one(REPORT, new, ann)
    assert r.status == "moved"
    assert (r.start, r.end) == (ann["start"] + len(inserted), ann["end"] + len(inserted))
    assert new[r.start:r.end] == "a drone struck the second truck near the checkpoint"


def test_word_edited_inside_the_quote_is_found_fuzzily_at_the_right_place():
    ann = anchor(REPORT, "a drone struck the second truck near the checkpoint, setting it on fire")
    new = REPORT.replace("the second truck", "the third truck")
    r = one(REPORT, new, ann)
    assert r.status == "moved" and r.method == "fuzzy"
    assert QUOTE_MIN <= r.score < 100
    assert new[r.start:r.end] == "a drone struck the third truck near the checkpoint, setting it on fire"


def test_deleted_passage_is_orphaned():
    quote = "Witnesses said a drone struck the second truck near the checkpoint, setting it on fire."
    ann = anchor(REPORT, quote)
    new = REPORT.replace(quote + " ", "")
    r = one(REPORT, new, ann)
    assert r.status == "orphaned"
    assert (r.start, r.end) == (None, None)
    assert (r.old_start, r.old_end) == (ann["start"], ann["end"])


def test_look_alike_passage_does_not_capture_a_deleted_quote():
    quote = "a drone struck the second truck near the checkpoint"
    look_alike = "a drone struck the second truck near the crossing"
    body = (REPORT + "\n\nA week later, residents reported that " + look_alike + " as it returned.")
    assert fuzz.ratio(quote, look_alike) >= QUOTE_MIN  # similar enough to fool a quote-only matcher
    ann = anchor(body, quote)
    new = body.replace("Witnesses said " + quote + ", setting it on fire. ", "")
    assert quote not in new and look_alike in new
    assert one(body, new, ann).status == "orphaned"


def test_neighbouring_look_alike_does_not_capture_a_deleted_quote():
    # Cutting the first clause leaves the look-alike right after the old prefix.
    body = ("Reports said: a drone attack killed three US soldiers and a drone attack wounded three "
            "US soldiers near the gate.")
    quote = "a drone attack killed three US soldiers"
    ann = anchor(body, quote)
    new = body.replace(quote + " and ", "")
    assert fuzz.ratio(quote, "a drone attack wounded three US soldiers") >= QUOTE_MIN
    assert one(body, new, ann).status == "orphaned"


def test_short_quote_edited_is_orphaned_not_fuzzily_matched():
    body = "The attack on Tower 22 killed three soldiers. Tower 23 was not hit."
    ann = anchor(body, "Tower 22")
    new = body.replace("Tower 22", "the outpost")
    assert one(body, new, ann).status == "orphaned"


def test_duplicate_quotes_are_told_apart_by_context():
    ann = anchor(REPORT, "a drone struck", 2)  # the fuel depot one
    r = one(REPORT, "Summary first.\n\n" + REPORT, ann)
    assert r.status == "moved"
    assert ("Summary first.\n\n" + REPORT)[r.start + len("a drone struck"):].startswith(" a fuel depot")


def test_duplicate_at_the_old_offsets_is_not_taken_when_the_context_says_otherwise():
    first = "On Friday, a drone struck the second truck near the checkpoint."
    second = "On Sunday, a drone struck a fuel depot by the Qaim border post."
    assert len(first) == len(second)
    old = f"{first}\n\n{second}\n\nThe governor promised an inquiry."
    ann = anchor(old, "a drone struck", 2)  # the fuel depot one
    swapped = f"{second}\n\n{first}\n\nThe governor promised an inquiry."
    assert swapped[ann["start"]:ann["end"]] == "a drone struck"  # the *other* one is at the old place
    r = one(old, swapped, ann)
    assert r.status == "moved"
    assert (r.start, r.end) == (11, 25)
    assert swapped[r.end:].startswith(" a fuel depot")


def test_duplicate_without_its_context_is_not_taken():
    body = "The drone hit the depot. Later the drone hit the school."
    ann = anchor(body, "drone hit the", 2)
    new = "The drone hit the depot. Nothing else happened that day."
    assert one(body, new, ann).status == "orphaned"


def test_long_unique_quote_survives_a_rewrite_of_both_sides():
    quote = "a drone struck the second truck near the checkpoint"
    ann = anchor(REPORT, quote)
    new = "Entirely new opening words: " + quote + " -- and an entirely new ending follows here."
    r = one(REPORT, new, ann)
    assert r.status == "moved" and new[r.start:r.end] == quote


def test_emoji_and_flag_before_the_quote_count_as_code_points():
    body = "Posted \U0001F1EE\U0001F1F6 by the ministry: the strike hit an empty building."
    ann = anchor(body, "the strike hit an empty building")
    new = "\U0001F6A8\U0001F6A8 " + body  # two sirens (outside the BMP) and a space
    r = one(body, new, ann)
    assert r.start == ann["start"] + 3
    assert new[r.start:r.end] == "the strike hit an empty building"


def test_arabic_passage_is_found_after_edits():
    body = ("أفاد سكان محليون بأن طائرة مسيّرة استهدفت شاحنة على الطريق الدولي مساء الخميس. "
            "وقالت مصادر أمنية إن السائق نجا من الهجوم، فيما لم تعلن أي جهة مسؤوليتها.")
    quote = "طائرة مسيّرة استهدفت شاحنة على الطريق الدولي"
    ann = anchor(body, quote)
    inserted = "عاجل: "
    moved = inserted + body
    r = one(body, moved, ann)
    assert r.status == "moved" and moved[r.start:r.end] == quote and r.start == ann["start"] + len(inserted)

    edited = body.replace("شاحنة", "حافلة")
    r = one(body, edited, ann)
    assert r.method == "fuzzy"
    assert edited[r.start:r.end] == "طائرة مسيّرة استهدفت حافلة على الطريق الدولي"

    deleted = body.replace("بأن طائرة مسيّرة استهدفت شاحنة على الطريق الدولي مساء الخميس", "بوقوع انفجار")
    assert one(body, deleted, ann).status == "orphaned"


def test_french_passage_is_found_after_edits():
    body = ("Selon la préfecture, l'incendie s'est déclaré dans un entrepôt de la zone portuaire "
            "vers 23 heures. Les pompiers ont maîtrisé le feu avant l'aube ; aucune victime n'est à déplorer.")
    quote = "l'incendie s'est déclaré dans un entrepôt de la zone portuaire"
    ann = anchor(body, quote)
    edited = body.replace("Selon la préfecture", "D'après un communiqué de la préfecture publié lundi")
    r = one(body, edited, ann)
    assert r.status == "moved" and edited[r.start:r.end] == quote

    retyped = body.replace("entrepôt", "entrepot")  # an accent lost in a re-import
    r = one(body, retyped, ann)
    assert r.status == "moved" and r.method == "fuzzy"
    assert retyped[r.start:r.end] == "l'incendie s'est déclaré dans un entrepot de la zone portuaire"


def test_old_text_unknown_still_anchors():
    ann = anchor(REPORT, "The governor promised an inquiry")
    new = "Added at the top.\n\n" + REPORT
    r = one(None, new, ann)
    assert r.status == "moved" and new[r.start:r.end] == "The governor promised an inquiry"


def test_position_map():
    old = "alpha\nbeta\ngamma\ndelta\n"
    new = "alpha\nINSERTED\nbeta\ngamma\ndelta changed\n"
    m = PositionMap(old, new)
    assert m(0) == 0
    assert m(old.index("beta")) == new.index("beta")
    assert m(old.index("gamma")) == new.index("gamma")
    assert PositionMap(None, new)(7) == 7
    assert PositionMap(old, old)(9) == 9


# ---- properties ----------------------------------------------------------------------------------
SENTENCES = [
    "The first convoy crossed the river at dawn without incident.",
    "Local officials reported heavy shelling in the northern districts overnight.",
    "A spokesman for the coalition declined to comment on the reports.",
    "Residents said the market reopened on Tuesday after three days of closures.",
    "Two rockets landed near the airport perimeter, according to the police.",
    "The ministry of health counted eleven wounded in the city hospital.",
    "Aid agencies warned that fuel shortages would worsen within a week.",
    "Nobody has yet claimed responsibility for the explosion at the depot.",
]
EDIT_ALPHABET = "abcdefghijklmnopqrstuvwxyz ,.\n\u00e9\u0645\U0001F6A8"


@st.composite
def edits_outside_a_quote(draw, far: int = 0):
    """A text, a quote in it, and random edits that leave the quote (and `far` characters of
    context on each side) untouched; returns (old, new, annotation, expected new start)."""
    order = draw(st.permutations(range(len(SENTENCES))))
    old = " ".join(SENTENCES[i] for i in order)
    sentence = SENTENCES[draw(st.sampled_from(order))]
    start = old.index(sentence)
    cut = draw(st.integers(0, len(sentence) // 3))
    start += cut
    end = old.index(sentence) + len(sentence) - draw(st.integers(0, len(sentence) // 3))
    assume(end - start >= 1)
    q, prefix, suffix = quote_parts(old, start, end)
    ann = {"id": 1, "start": start, "end": end, "quote": q, "prefix": prefix, "suffix": suffix}
    new, new_start = old, start
    for _ in range(draw(st.integers(1, 6))):
        forbidden_lo, forbidden_hi = new_start - far, new_start + (end - start) + far
        spots = [p for p in range(len(new) + 1) if p <= forbidden_lo or p >= forbidden_hi]
        assume(spots)
        pos = draw(st.sampled_from(spots))
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        if pos <= forbidden_lo:
            room = max(0, forbidden_lo - pos)
        else:
            room = len(new) - pos
        length = draw(st.integers(0, min(room, 40)))
        text = draw(st.text(EDIT_ALPHABET, max_size=40)) if kind != "delete" else ""
        if kind == "insert":
            length = 0
        new = new[:pos] + text + new[pos + length:]
        if pos <= forbidden_lo:
            new_start += len(text) - length
    assert new[new_start:new_start + (end - start)] == q
    return old, new, ann, new_start


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much,
                                                                   HealthCheck.too_slow])
@given(edits_outside_a_quote(far=0))
def test_edits_that_do_not_touch_a_long_quote_never_lose_it(case):
    old, new, ann, new_start = case
    assume(len(ann["quote"]) >= 32)
    assume(new.count(ann["quote"]) == 1)
    r = one(old, new, ann)
    assert r.status in ("kept", "moved")
    assert (r.start, r.end) == (new_start, new_start + len(ann["quote"]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much,
                                                                   HealthCheck.too_slow])
@given(edits_outside_a_quote(far=32))
def test_edits_away_from_any_quote_and_its_context_find_it_exactly(case):
    old, new, ann, new_start = case
    r = one(old, new, ann)
    assert r.status in ("kept", "moved")
    assert (r.start, r.end) == (new_start, new_start + len(ann["quote"]))
    assert r.status == "kept" or new_start != ann["start"]


# ---- speed -----------------------------------------------------------------------------------
def _big_text(rng: random.Random, size: int) -> str:
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
             for _ in range(4000)]
    paragraphs, total = [], 0
    while total < size:
        p = " ".join(rng.choice(words) for _ in range(rng.randint(40, 90))) + "."
        paragraphs.append(p)
        total += len(p) + 2
    return "\n\n".join(paragraphs)


def test_200_kb_with_200_annotations_reanchors_in_under_a_second():
    rng = random.Random(2024)
    old = _big_text(rng, 200_000)
    spans = sorted(rng.sample(range(0, len(old) - 200, 900), 200))
    anns = [anchor(old, old[s:s + rng.randint(40, 120)], ident=i) for i, s in enumerate(spans)]
    anns = [a for a in anns if old.count(a["quote"]) == 1]
    assert len(anns) == 200
    deleted = set(range(5, 200, 10))  # 20 passages removed
    edited = set(range(7, 200, 10))  # 20 passages with a letter changed in the middle
    new = old
    for a in reversed(anns):  # right to left keeps earlier offsets valid
        s, e = a["start"], a["end"]
        if a["id"] in deleted:
            new = new[:s] + new[e:]
        elif a["id"] in edited:
            mid = (s + e) // 2
            new = new[:mid] + ("X" if new[mid] != "X" else "Y") + new[mid + 1:]
    new = "A new opening paragraph added by the analyst.\n\n" + new

    t0 = time.perf_counter()
    results = reanchor(old, new, anns)
    elapsed = time.perf_counter() - t0
    print(f"re-anchored 200 annotations in a {len(new) // 1000} kB text in {elapsed * 1000:.0f} ms")
    assert elapsed < 1.0
    for a, r in zip(anns, results):
        if a["id"] in deleted:
            assert r.status == "orphaned", a["id"]
        elif a["id"] in edited:
            assert r.method == "fuzzy" and fuzz.ratio(new[r.start:r.end], a["quote"]) >= QUOTE_MIN
            assert abs(len(new[r.start:r.end]) - len(a["quote"])) <= 1
        else:
            assert r.status == "moved" and new[r.start:r.end] == a["quote"]


def test_replace_source_text_on_200_kb_with_200_annotations_in_under_a_second(project: Project):
    rng = random.Random(7)
    old = _big_text(rng, 200_000)
    source = project.create_source("Long report", old)
    with project.batch():
        for s in range(0, 200 * 900, 900):
            project.create_annotation(source.id, s + 10, s + 10 + rng.randint(30, 120))
    new = "Preface added later.\n\n" + old[:100_000] + old[100_500:]
    t0 = time.perf_counter()
    result = project.replace_source_text(source.id, new)
    elapsed = time.perf_counter() - t0
    print(f"replace_source_text: {elapsed * 1000:.0f} ms")
    assert elapsed < 1.0
    assert result["kept"] + result["moved"] + result["orphaned"] == 200
    assert result["orphaned"] <= 2  # only passages inside the cut 500 characters
    for ann in project.annotations(source.id):
        assert ann.orphaned or new[ann.start:ann.end] == ann.quote


# ---- Project.replace_source_text -------------------------------------------------------------------
@pytest.fixture
def annotated(project: Project):
    source = project.create_source("Border report", REPORT, language="en", reliability="B")
    truck = project.create_annotation(source.id, *project.find_quote(source.id, "a drone struck the second truck"),
                                      note="first strike", credibility=2, tags=["drone"])
    depot = project.create_annotation(source.id, *project.find_quote(source.id, "a drone struck a fuel depot"))
    governor = project.create_annotation(source.id, *project.find_quote(source.id, "The governor promised"))
    event = project.create_event("Strike on convoy", "2024-01-26")
    project.add_evidence(event.id, annotation_id=truck.id, stance="supports")
    return project, source, truck, depot, governor


def test_replace_source_text_updates_body_and_every_annotation(annotated):
    project, source, truck, depot, governor = annotated
    new = ("Latest: the governor spoke at noon.\n\n"
           + REPORT.replace("In a separate incident on Sunday, a drone struck a fuel depot outside the town, "
                            "destroying two tanks.\n\n", ""))
    result = project.replace_source_text(source.id, new)
    assert (result["kept"], result["moved"], result["orphaned"]) == (0, 2, 1)
    by_id = {row["annotation_id"]: row for row in result["results"]}
    assert by_id[depot.id]["status"] == "orphaned" and by_id[truck.id]["status"] == "moved"
    assert by_id[truck.id]["uid"] == truck.uid

    assert project.source(source.id).body == new
    t = project.annotation(truck.id)
    assert new[t.start:t.end] == t.quote == "a drone struck the second truck"
    assert (t.prefix, t.suffix) == quote_parts(new, t.start, t.end)[1:]
    assert not t.orphaned and t.note == "first strike" and t.tags == ("drone",)
    d = project.annotation(depot.id)  # orphaned: kept, with its old anchor for re-attaching
    assert d.orphaned
    assert (d.start, d.end, d.quote, d.prefix, d.suffix) == (depot.start, depot.end, depot.quote,
                                                            depot.prefix, depot.suffix)
    assert len(project.evidence_for_annotation(truck.id)) == 1


def test_an_orphan_is_found_again_when_its_passage_comes_back(annotated):
    project, source, truck, depot, governor = annotated
    without = REPORT.replace("a drone struck a fuel depot outside the town", "something happened")
    assert project.replace_source_text(source.id, without)["orphaned"] == 1
    result = project.replace_source_text(source.id, "Preface.\n\n" + REPORT)
    assert result["orphaned"] == 0
    d = project.annotation(depot.id)
    assert not d.orphaned and ("Preface.\n\n" + REPORT)[d.start:d.end] == "a drone struck a fuel depot"


def test_reattach_annotation_clears_the_orphaned_flag(annotated):
    project, source, truck, depot, governor = annotated
    new = REPORT.replace("a drone struck a fuel depot outside the town", "a fire broke out at the depot")
    project.replace_source_text(source.id, new)
    assert project.annotation(depot.id).orphaned
    start = new.index("a fire broke out at the depot")
    a = project.reattach_annotation(depot.id, start, start + len("a fire broke out at the depot"))
    assert not a.orphaned and a.quote == "a fire broke out at the depot"
    with pytest.raises(ProjectError):
        project.reattach_annotation(depot.id, 5, 5)  # an empty selection changes nothing
    assert project.annotation(depot.id).quote == "a fire broke out at the depot"


def test_replace_source_text_is_atomic(annotated, tmp_path):
    project, source, truck, depot, governor = annotated
    before = [project.annotation(a.id) for a in (truck, depot, governor)]
    # A trigger that refuses the second annotation's update: the failure comes after the body
    # and the first annotation have been written inside the transaction.
    project.db.execute(
        f"CREATE TEMP TRIGGER refuse BEFORE UPDATE ON annotations WHEN OLD.id = {depot.id} "
        "BEGIN SELECT RAISE(ABORT, 'refused by test'); END")
    new = "Inserted first.\n\n" + REPORT
    with pytest.raises(ProjectError, match="refused by test"):  # a ConstraintError, naming it
        project.replace_source_text(source.id, new)
    assert project.source(source.id).body == REPORT
    assert [project.annotation(a.id) for a in (truck, depot, governor)] == before
    project.db.execute("DROP TRIGGER refuse")

    path = project.path
    project.close()
    with Project.open(path) as reopened:
        assert reopened.source(source.id).body == REPORT
        assert reopened.replace_source_text(source.id, new)["moved"] == 3
    with Project.open(path) as again:
        assert again.source(source.id).body == new
        g = again.annotation(governor.id)
        assert new[g.start:g.end] == "The governor promised" and not g.orphaned


def test_replace_source_text_refuses_empty_text(annotated):
    project, source, *_ = annotated
    with pytest.raises(ProjectError, match="empty"):
        project.replace_source_text(source.id, "  \n ")
    assert project.source(source.id).body == REPORT


def test_kept_annotation_gets_fresh_context(annotated):
    project, source, truck, depot, governor = annotated
    new = REPORT.replace("promised an inquiry", "promised a full inquiry")  # the governor's suffix only
    result = project.replace_source_text(source.id, new)
    g = project.annotation(governor.id)
    assert {r["annotation_id"]: r["status"] for r in result["results"]}[governor.id] == "kept"
    assert (g.start, g.end) == (governor.start, governor.end)
    assert g.suffix == quote_parts(new, g.start, g.end)[2] != governor.suffix
