"""How a change set is named, the same in the window and on the command line (Qt-free): the kind of
thing, then its name in typographic quotes, e.g. Edit event “Tower 22 attack”, Merge source “X” into
“Y”, Restore “Tower 22 attack” to 2026-12-06 21:50:03 UTC.

`sijill.desktop.undo_text` (the undo steps' texts) and the command line take these from here, and
`sijill.db.history.undelete` reads a merge's label back (`merge_text`), so there is one copy of each.
"""
from __future__ import annotations

from sijill.db.history.describe import when_text

QUOTE_LIMIT = 60


def quoted(name: str | None, limit: int = QUOTE_LIMIT) -> str:
    """“name”, on one line, shortened with an ellipsis past `limit` characters."""
    name = " ".join((name or "").split())
    if len(name) > limit:
        name = name[:limit - 1].rstrip() + "…"
    return f"“{name}”"


def merge_text(kind: str, merged_titles: list[str], into_title: str) -> str:
    """The label of a merge: Merge event “X” into “Y”, Merge source “X” into “Y”, or Merge 3 events into “Y”."""
    if len(merged_titles) == 1:
        return f"Merge {kind} {quoted(merged_titles[0])} into {quoted(into_title)}"
    return f"Merge {len(merged_titles)} {kind}s into {quoted(into_title)}"


def version_time(history, index: int, side: str) -> str:
    """When the version a restore brings back came to be, `history` being a record's (change set,
    changes) newest first: just after change set `index` ("after"), or just before it ("before": the
    time of the change set before it, else "before" that change's time). A write made outside Sijill
    has no time ("—")."""
    if side == "after":
        at = history[index][0].at
        return when_text(at) if at else "—"
    if index + 1 < len(history) and history[index + 1][0].at:
        return when_text(history[index + 1][0].at)
    at = history[index][0].at
    return "before " + when_text(at) if at else "—"


def restore_version_label(title: str | None, history, index: int, side: str) -> str:
    """The label of restoring a record's version: Restore “Tower 22 attack” to 2026-12-06 21:50:03 UTC."""
    return f"Restore {quoted(title)} to {version_time(history, index, side)}"
