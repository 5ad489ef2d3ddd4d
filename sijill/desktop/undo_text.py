"""How an undo step names what it changed: the kind of thing, then its name in typographic quotes,
e.g. Edit event “Tower 22 attack”, Move lane “ISIS”, Import ACLED file “acled.csv”.

One style everywhere (the Edit menu, the undo buttons' tooltips, the undo history), and a long
name shortened so that a menu stays a menu.
"""
from __future__ import annotations

from sijill.db.history.labels import QUOTE_LIMIT, merge_text, quoted  # one copy, Qt-free

__all__ = ["QUOTE_LIMIT", "merge_text", "quoted"]
