"""Timeline (thetimelineproj) `.timeline` files: categories as groups, eras as periods, events with
fuzzy dates, labels and links; hostile and malformed XML refused with the project unchanged."""
from __future__ import annotations

import json

import pytest

from sijill.db.formats.apply import run_import, stored_digests
from sijill.db.formats.records import ImportFailed
from sijill.db.formats.timeline_xml import TimelineXmlReader
from sijill.db.store.project import Project

ARABIC = "أعلنت المقاومة الإسلامية في العراق مسؤوليتها عن استهداف قاعدة عين الأسد"

# As Timeline 2.x writes it, except that a child category comes before its parent (Timeline itself
# writes parents first; the reader must not depend on it).
TIMELINE = f"""<?xml version="1.0" encoding="utf-8"?>
<timeline>
  <version>2.9.0</version>
  <timetype>gregoriantime</timetype>
  <eras>
    <era>
      <name>Campaign against US forces</name>
      <start>2023-10-17 00:00:00</start>
      <end>2024-02-07 00:00:00</end>
      <color>203,24,29</color>
      <ends_today>False</ends_today>
    </era>
  </eras>
  <categories>
    <category>
      <name>Kataib Hezbollah</name>
      <color>217,95,2</color>
      <font_color>0,0,0</font_color>
      <parent>Popular Mobilization Forces</parent>
    </category>
    <category>
      <name>Popular Mobilization Forces</name>
      <color>27,158,119</color>
      <font_color>0,0,0</font_color>
    </category>
    <category>
      <name>United States</name>
      <color>63,0,125</color>
    </category>
  </categories>
  <events>
    <event>
      <start>2023-10-17 00:00:00</start>
      <end>2023-10-18 00:00:00</end>
      <text>First drone attacks on US forces</text>
      <progress>0</progress>
      <fuzzy>True</fuzzy>
      <locked>False</locked>
      <ends_today>False</ends_today>
      <category>Kataib Hezbollah</category>
      <description>{ARABIC}</description>
      <labels>drone, claim,</labels>
      <hyperlink>https://example.org/irq-claim</hyperlink>
      <default_color>200,200,200</default_color>
    </event>
    <event>
      <start>2024-01-28 05:30:00</start>
      <end>2024-01-28 05:30:00</end>
      <text>Tower 22 attack &amp; aftermath</text>
      <fuzzy>False</fuzzy>
      <locked>True</locked>
      <ends_today>False</ends_today>
      <category>Kataib Hezbollah</category>
      <labels>drone</labels>
    </event>
    <event>
      <start>2024-02-07 00:00:00</start>
      <end>2024-02-07 23:59:59</end>
      <text>US strike in Baghdad</text>
      <fuzzy>False</fuzzy>
      <locked>False</locked>
      <ends_today>False</ends_today>
      <category>United States</category>
      <hyperlink>https://example.org/a;https://example.org/b</hyperlink>
    </event>
    <event>
      <start>2010-8-31 0:0:0</start>
      <end>2010-8-31 0:0:0</end>
      <text> (not a sub-event)</text>
    </event>
    <event>
      <start>2024-01-30 00:00:00</start>
      <end>2024-01-30 00:00:00</end>
      <text>Kataib Hezbollah suspends operations</text>
      <category>Kataib Hezbollah</category>
      <milestone>True</milestone>
    </event>
    <event>
      <start>2024-01-20 18:00:00</start>
      <end>2024-01-21 02:15:00</end>
      <text>(1)Ain al-Asad missile attack</text>
      <category>Kataib Hezbollah</category>
    </event>
    <event>
      <start>2024-01-20 00:00:00</start>
      <end>2024-01-30 00:00:00</end>
      <text>[1]January escalation</text>
    </event>
  </events>
  <view>
    <displayed_period>
      <start>2023-09-01 00:00:00</start>
      <end>2024-03-01 00:00:00</end>
    </displayed_period>
    <hidden_categories>
    </hidden_categories>
  </view>
</timeline>
"""


def _counts(project: Project) -> tuple:
    s = project.stats()
    one = lambda sql: project.db.execute(sql).fetchone()[0]  # noqa: E731
    return (s.events, s.groups, s.sources, s.periods, one("SELECT COUNT(*) FROM event_tags"),
            one("SELECT COUNT(*) FROM event_evidence"), one("SELECT COUNT(*) FROM event_groups"))


def _write(tmp_path, text: str, name: str = "conflict.timeline"):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_a_timeline_file(project, tmp_path):
    path = _write(tmp_path, TIMELINE)
    reader = TimelineXmlReader(path)
    assert reader.actors() == ["Kataib Hezbollah", "United States"]
    result = run_import(project, reader)
    assert (result.added, result.periods_added, result.sources_added) == (7, 1, 3)
    assert result.groups_created == ["Popular Mobilization Forces", "Kataib Hezbollah", "United States"]

    pmf, kh = project.group_by_name("Popular Mobilization Forces"), project.group_by_name("Kataib Hezbollah")
    assert (pmf.color, pmf.parent_id) == ("#1b9e77", None)
    assert (kh.color, kh.parent_id) == ("#d95f02", pmf.id)

    (era,) = project.periods()
    assert (era.title, era.start.text, era.end.text, era.color) == (
        "Campaign against US forces", "2023-10-17", "2024-02-07", "#cb181d")
    assert era.end.hi.isoformat() == "2024-02-07T23:59:59+00:00"

    ev = {e.title: e for e in project.events()}
    first = ev["First drone attacks on US forces"]
    assert (first.start.text, first.end.text, first.start.precision) == ("2023-10-17", "2023-10-18", "day")
    assert first.start.approximate and first.end.approximate
    assert first.description == ARABIC
    assert first.tags == ("claim", "drone")
    assert [(link.group_id, link.role) for link in first.groups] == [(kh.id, "actor")]
    (evidence,) = project.evidence(first.id)
    source = project.source(evidence.source_id)
    assert (source.url, evidence.stance) == ("https://example.org/irq-claim", "supports")

    tower = ev["Tower 22 attack & aftermath"]
    assert (tower.start.text, tower.start.precision, tower.end) == ("2024-01-28T05:30", "minute", None)
    assert not tower.start.approximate
    strike = ev["US strike in Baghdad"]  # 00:00:00 to 23:59:59 of one day: that day, no end
    assert (strike.start.text, strike.start.precision, strike.end) == ("2024-02-07", "day", None)
    assert sorted(project.source(e.source_id).url for e in project.evidence(strike.id)) == \
        ["https://example.org/a", "https://example.org/b"]
    assert ev["(not a sub-event)"].start.text == "2010-08-31"
    assert ev["Kataib Hezbollah suspends operations"].end is None
    attack = ev["Ain al-Asad missile attack"]
    assert (attack.start.text, attack.end.text, attack.end.precision) == ("2024-01-20T18:00", "2024-01-21T02:15",
                                                                         "minute")
    attributes = project.db.execute("SELECT attributes FROM events WHERE id = ?", [attack.id]).fetchone()[0]
    assert json.loads(attributes) == {"container": "January escalation"}
    assert "January escalation" in ev


def test_reimport_of_the_same_file_changes_nothing(project, tmp_path):
    path = _write(tmp_path, TIMELINE)
    run_import(project, TimelineXmlReader(path, stored=stored_digests(project, "timeline-xml")))
    counts = _counts(project)
    again = run_import(project, TimelineXmlReader(path, stored=stored_digests(project, "timeline-xml")))
    assert (again.added, again.updated, again.unchanged, again.periods_added, again.groups_created) == (
        0, 0, 7, 0, [])
    assert _counts(project) == counts
    # the key is text and start: a changed description updates the event in place
    path.write_text(TIMELINE.replace(ARABIC, "Claimed by the Islamic Resistance in Iraq"), "utf-8")
    third = run_import(project, TimelineXmlReader(path, stored=stored_digests(project, "timeline-xml")))
    assert (third.added, third.updated, third.unchanged) == (0, 1, 6)
    assert _counts(project) == counts
    (first,) = [e for e in project.events() if e.title == "First drone attacks on US forces"]
    assert first.description == "Claimed by the Islamic Resistance in Iraq"
    # what Timeline cannot say, the analyst added since: an update keeps it
    project.update_event(first.id, location="al-Asad airbase", latitude=33.78, longitude=42.44,
                         event_type="Drone strike", fatalities=0)
    path.write_text(TIMELINE.replace(ARABIC, "Claimed by the IRI"), "utf-8")
    fourth = run_import(project, TimelineXmlReader(path, stored=stored_digests(project, "timeline-xml")))
    assert (fourth.added, fourth.updated) == (0, 1)
    first = project.event(first.id)
    assert first.description == "Claimed by the IRI"
    assert (first.location, first.latitude, first.longitude, first.event_type, first.fatalities) == (
        "al-Asad airbase", 33.78, 42.44, "Drone strike", 0)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE timeline [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<timeline><timetype>gregoriantime</timetype><categories/><events><event>
<start>2024-01-28 00:00:00</start><end>2024-01-28 00:00:00</end><text>&lol9;</text>
</event></events></timeline>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE timeline [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<timeline><timetype>gregoriantime</timetype><categories/><events><event>
<start>2024-01-28 00:00:00</start><end>2024-01-28 00:00:00</end><text>leak</text>
<description>&secret;</description>
</event></events></timeline>
"""

EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE timeline SYSTEM "http://example.org/evil.dtd">
<timeline><timetype>gregoriantime</timetype><categories/><events/></timeline>
"""


@pytest.mark.parametrize("text, words", [
    (BILLION_LAUGHS, "declares the entity 'lol'"),
    (EXTERNAL_ENTITY, "declares the external entity 'secret' (file:///etc/passwd)"),
])
def test_hostile_xml_is_refused(small_project, tmp_path, text, words):
    path = _write(tmp_path, text, "hostile.timeline")
    before = _counts(small_project)
    with pytest.raises(ImportFailed) as caught:
        run_import(small_project, TimelineXmlReader(path))
    message = str(caught.value)
    assert message.startswith("hostile.timeline: ")
    assert "refused" in message and words in message
    assert "root:" not in message and "lollol" not in message
    assert _counts(small_project) == before


def test_an_outside_dtd_is_never_fetched(project, tmp_path):
    path = _write(tmp_path, EXTERNAL_DTD)
    reader = TimelineXmlReader(path)  # expat does not load it; nothing is read from outside
    assert run_import(project, reader).added == 0


def test_malformed_xml_names_line_and_column(small_project, tmp_path):
    broken = TIMELINE.replace("<text>Tower 22 attack &amp; aftermath</text>", "<text>Tower 22 attack")
    path = _write(tmp_path, broken)
    before = _counts(small_project)
    with pytest.raises(ImportFailed) as caught:
        TimelineXmlReader(path)
    (error,) = caught.value.errors
    lines = broken.splitlines()
    opened = lines.index("      <text>Tower 22 attack")
    closing = lines.index("    </event>", opened) + 1  # where </event> meets the still-open <text>
    assert f"malformed XML at line {closing}, column 7: mismatched tag" in str(caught.value)  # at "event"
    assert _counts(small_project) == before


@pytest.mark.parametrize("replace, row, column, words", [
    (("<start>2024-01-28 05:30:00</start>", "<start>2023-13-45 00:00:00</start>"), 2, "events/event[2]/start",
     "there is no month 13"),
    (("<start>2024-01-28 05:30:00</start>", "<start>2023-02-29 00:00:00</start>"), 2, "events/event[2]/start",
     "day is out of range"),
    (("<end>2024-01-28 05:30:00</end>", "<end>2024-01-27 05:30:00</end>"), 2, "events/event[2]/end",
     "before the start"),
    (("<start>2024-02-07 00:00:00</start>", "<start>-0044-03-15 00:00:00</start>"), 3, "events/event[3]/start",
     "before the Common Era"),
    (("<start>2024-02-07 00:00:00</start>", "<start>yesterday</start>"), 3, "events/event[3]/start",
     "not a Timeline time"),
    (("<color>63,0,125</color>", "<color>63,0,300</color>"), 3, "categories/category[3]/color", "not a colour"),
    (("<parent>Popular Mobilization Forces</parent>", "<parent>Nobody</parent>"), 1,
     "categories/category[1]/parent", "does not define"),
    (("<start>2023-10-17 00:00:00</start>\n      <end>2024-02-07", "<start>2023-10-17 00:00:00</start>\n"
      "      <end>2023-02-07"), 1, "eras/era[1]/end", "before the start"),
])
def test_bad_values_name_the_element_and_field(small_project, tmp_path, replace, row, column, words):
    old, new = replace
    assert TIMELINE.count(old) == 1
    path = _write(tmp_path, TIMELINE.replace(old, new))
    before = _counts(small_project)
    with pytest.raises(ImportFailed) as caught:
        run_import(small_project, TimelineXmlReader(path))
    (error,) = caught.value.errors
    assert (error.row, error.column) == (row, column), error
    assert words in error.message
    assert _counts(small_project) == before


def test_a_number_timeline_is_refused(tmp_path):
    path = _write(tmp_path, TIMELINE.replace("gregoriantime", "numtime"))
    with pytest.raises(ImportFailed, match="numtime"):
        TimelineXmlReader(path)


def test_not_a_timeline(tmp_path):
    path = _write(tmp_path, "<?xml version='1.0'?><html><body/></html>")
    with pytest.raises(ImportFailed, match="root element is <html>"):
        TimelineXmlReader(path)


def test_an_event_nested_too_deeply_is_refused(small_project, tmp_path):
    """The parser takes deep XML in its stride; reading an event back as text recursed per level."""
    deep = "<x>" * 5000 + "</x>" * 5000
    path = _write(tmp_path, "<timeline><timetype>gregoriantime</timetype><events><event>"
                  "<start>2023-10-17 00:00:00</start><end>2023-10-17 00:00:00</end><text>A</text>"
                  f"{deep}</event></events></timeline>", "deep.timeline")
    before = _counts(small_project)
    with pytest.raises(ImportFailed, match="nested too deeply"):
        run_import(small_project, TimelineXmlReader(path))
    assert _counts(small_project) == before
