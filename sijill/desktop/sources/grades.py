"""The Admiralty (NATO, FM 2-22.3) grading scales, written once for every dialog and list.

Source reliability A–F and information credibility 1–6 are graded independently and written
together, e.g. "B2".
"""
from __future__ import annotations

RELIABILITY: dict[str, tuple[str, str]] = {
    "A": ("Completely reliable", "no doubt of authenticity, trustworthiness or competency"),
    "B": ("Usually reliable", "minor doubts; mostly valid history"),
    "C": ("Fairly reliable", "doubts; has provided valid information before"),
    "D": ("Not usually reliable", "significant doubts"),
    "E": ("Unreliable", "history of invalid information"),
    "F": ("Cannot be judged", "no basis to evaluate the source"),
}

CREDIBILITY: dict[int, tuple[str, str]] = {
    1: ("Confirmed", "confirmed by other independent sources; logical; consistent"),
    2: ("Probably true", "not confirmed; logical; consistent"),
    3: ("Possibly true", "not confirmed; reasonably logical; agrees with some information"),
    4: ("Doubtful", "not confirmed; possible but not logical"),
    5: ("Improbable", "not logical; contradicted by other information"),
    6: ("Cannot be judged", "no basis to evaluate the information"),
}

def reliability_label(grade: str | None) -> str:
    """"B — Usually reliable", or "" for no grade."""
    if not grade:
        return ""
    return f"{grade} — {RELIABILITY[grade][0]}" if grade in RELIABILITY else grade


def grade_code(reliability: str | None, credibility: int | None) -> str:
    """The combined code analysts write ("B2"); "?" stands for a missing half, "" for both."""
    if not reliability and credibility is None:
        return ""
    return f"{reliability or '?'}{credibility if credibility is not None else '?'}"


def grade_tooltip(reliability: str | None, credibility: int | None) -> str:
    parts = []
    if reliability in RELIABILITY:
        name, meaning = RELIABILITY[reliability]
        parts.append(f"Source {reliability}: {name} ({meaning})")
    if credibility in CREDIBILITY:
        name, meaning = CREDIBILITY[credibility]
        parts.append(f"Information {credibility}: {name} ({meaning})")
    return "\n".join(parts)
