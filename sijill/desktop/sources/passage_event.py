"""Create an event from a passage: what the passage suggests (a title from its first sentence,
its first date read against the source's published date, the groups it names as actors, the first
place it names as the location with that place's coordinates: the first town or site, else the first
province, else the first country, so that "In Iraq, a drone struck Erbil" is located at Erbil), put
into the event editor (sijill.desktop.events.event_dialog.EventDialog) for the analyst to correct.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sijill.db.dates import FuzzyDate
from sijill.db.text.mentions import Mention
from sijill.db.store.entities import Source

TITLE_LIMIT = 110
_SENTENCE_END = re.compile(r"[.!?؟。…](?=\s|$)|\n")


def first_sentence(text: str, limit: int = TITLE_LIMIT) -> str:
    """The passage's first sentence, whitespace tidied, cut at a word boundary if too long."""
    text = " ".join(text.split()) if "\n" not in text.strip() else text.strip()
    m = _SENTENCE_END.search(text)
    sentence = text[:m.start()] if m and m.start() > 0 else text
    sentence = " ".join(sentence.split()).strip(" ,;:-–—«»\"'“”")
    if len(sentence) > limit:
        cut = sentence[:limit].rsplit(" ", 1)[0]
        sentence = (cut or sentence[:limit]).rstrip(" ,;:") + "…"
    return sentence


PRECISION = ("place", "province", "country")  # a candidate's kinds, the most precise first


@dataclass
class PassageSuggestion:
    """What a passage suggests for a new event."""

    title: str
    date: FuzzyDate | None
    date_note: str
    groups: list[tuple[int, str]] = field(default_factory=list)  # (group id, role)
    place: object | None = None  # the first, most precise place named (sijill.db.geo.gazetteer.Candidate)


def suggest_event(passage: str, mentions: list[Mention], published: FuzzyDate | None) -> PassageSuggestion:
    """`mentions` are those inside the passage (code points relative to anything; only order counts)."""
    dates = [m for m in mentions if m.kind == "date" and m.date is not None]
    if dates:
        date, note = dates[0].date, f"from “{dates[0].text}” in the passage"
    elif published is not None:
        date, note = published, "no date in the passage: the source's published date"
    else:
        date, note = None, "no date in the passage or the source: enter one"
    groups = list(dict.fromkeys(m.group_id for m in mentions if m.kind == "group" and m.group_id is not None))
    places = [m.place for m in mentions if m.kind == "place" and m.place is not None]
    place = min(places, key=lambda c: PRECISION.index(c.kind) if c.kind in PRECISION else 0, default=None)
    return PassageSuggestion(first_sentence(passage), date, note, [(g, "actor") for g in groups], place)


def prefill_event_dialog(dialog, suggestion: PassageSuggestion, source: Source) -> None:
    """Put a suggestion into an EventDialog: relative dates are read against the source's date."""
    dialog.setWindowTitle("New event from passage")
    dialog.title.setText(suggestion.title)
    dialog.title.setCursorPosition(0)
    if source.published is not None:
        wanted = (source.published.lo, source.language)
        index = next((i for i in range(dialog.reference.count()) if dialog.reference.itemData(i) == wanted), -1)
        if index >= 0:
            dialog.reference.blockSignals(True)
            dialog.reference.setCurrentIndex(index)
            dialog.reference.blockSignals(False)
            for date_field in (dialog.start, dialog.end):
                date_field.set_reference(source.published.lo, source.language, touched=False)
    dialog.start.set_stored(suggestion.date)  # the very reading shown in the reader, not re-parsed
    dialog.start.preview.setText(dialog.start.preview.text() + f"  ({suggestion.date_note})")
    for group_id, role in suggestion.groups:
        dialog.add_group_row(group_id, role)
    if suggestion.place is not None:
        dialog.location.setText(suggestion.place.name)
        dialog.latitude.setText(repr(suggestion.place.lat))
        dialog.longitude.setText(repr(suggestion.place.lon))
    dialog.validate()
