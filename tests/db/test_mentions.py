"""Mentions of the project's groups (and dates) in passages of English, French and Arabic."""
from __future__ import annotations

from sijill.db.text.mentions import GroupMatcher, find_mentions, fold


def groups_found(project, text):
    return [(text[m.start:m.end], m.group) for m in GroupMatcher(project.groups()).find(text)]


def test_fold_keeps_offsets_to_the_original():
    folded, index = fold("Qaïm ÉTAT الْحَشْد")
    assert folded == "qaim etat الحشد"
    assert index[2] == 2 and index[3] == 3  # "i" comes from "ï"
    assert index[folded.index("الحشد")] == "Qaïm ÉTAT الْحَشْد".index("ا")


def test_case_and_accent_insensitive_whole_words(small_project):
    text = "Les FORCES DE MOBILISATION POPULAIRE et le hachd; Daech recule. Daeshi is not a word here."
    assert groups_found(small_project, text) == [
        ("FORCES DE MOBILISATION POPULAIRE", "Popular Mobilization Forces"), ("Daech", "ISIS")]


def test_longest_alias_wins(project):
    project.create_group("Islamic Resistance in Iraq", aliases=[("Résistance islamique en Iraq", "fr")])
    project.create_group("Iraq", aliases=[("Irak", "fr")])
    text = "La Résistance islamique en Iraq a frappé; en Iraq, le gouvernement condamne."
    assert groups_found(project, text) == [
        ("Résistance islamique en Iraq", "Islamic Resistance in Iraq"), ("Iraq", "Iraq")]


def test_arabic_with_diacritics_and_proclitics(small_project):
    text = "وأعلنت كتائبُ حزب الله أن الحشد الشعبي ... وكتائب حزب الله"
    found = groups_found(small_project, text)
    assert found == [("كتائبُ حزب الله", "Kataib Hezbollah"), ("الحشد الشعبي", "Popular Mobilization Forces"),
                     ("كتائب حزب الله", "Kataib Hezbollah")]


def test_acronyms_match_only_in_capitals(project):
    project.create_group("Kataib Hezbollah", aliases=[("KH", "en")])
    project.create_group("Popular Mobilization Forces", aliases=[("PMF", "en")])
    text = "KH and the PMF; a kh sound; pmf lower-case is not the group; PMFs neither."
    assert groups_found(project, text) == [("KH", "Kataib Hezbollah"), ("PMF", "Popular Mobilization Forces")]


def test_spans_are_code_points_after_emoji(small_project):
    text = "🇮🇶🔥 Daesh claimed it."
    [m] = GroupMatcher(small_project.groups()).find(text)
    assert (m.start, m.end) == (text.index("Daesh"), text.index("Daesh") + 5)
    assert m.start == 4  # two regional-indicator code points, one fire, one space


def test_find_mentions_mixes_groups_and_dates_in_order(small_project):
    from datetime import datetime, timezone

    text = "On 28 January 2024, Kataib Hezbollah drones hit Tower 22."
    found = find_mentions(text, small_project.groups(), reference=datetime(2024, 2, 1, tzinfo=timezone.utc))
    kinds = [(m.kind, m.text) for m in found]
    assert kinds == [("date", "28 January 2024"), ("group", "Kataib Hezbollah")]
    assert found[0].date.lo.isoformat() == "2024-01-28T00:00:00+00:00"
