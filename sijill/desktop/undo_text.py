"""How an undo step names what it changed: the kind of thing, then its name in typographic quotes,
e.g. Edit event “Tower 22 attack”, Move lane “ISIS”, Import ACLED file “acled.csv”.

One style everywhere (the Edit menu, the undo buttons' tooltips, the undo history), and a long
name shortened so that a menu stays a menu.
"""
from __future__ import annotations

QUOTE_LIMIT = 60


def quoted(name: str | None, limit: int = QUOTE_LIMIT) -> str:
    """“name”, on one line, shortened with an ellipsis past `limit` characters."""
    name = " ".join((name or "").split())
    if len(name) > limit:
        name = name[:limit - 1].rstrip() + "…"
    return f"“{name}”"


def merge_text(kind: str, merged_titles: list[str], into_title: str) -> str:
    """The label of a merge, the same in the window and on the command line: Merge event “X” into
    “Y”, Merge source “X” into “Y”, or Merge 3 events into “Y”."""
    if len(merged_titles) == 1:
        return f"Merge {kind} {quoted(merged_titles[0])} into {quoted(into_title)}"
    return f"Merge {len(merged_titles)} {kind}s into {quoted(into_title)}"
