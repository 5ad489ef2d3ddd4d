"""The timeline's view state remembered per project: window, collapsed lanes, filters (hidden
lanes among them, and an area drawn on the map as its lon/lat vertices: the events inside it are
worked out again when it is applied), whether lanes empty in the window are hidden, and how far
the lanes are scrolled.

Stored as JSON in the project's `meta` table under "timeline.view", so it travels with the file.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from sijill.desktop.hub import ViewFilter

META_KEY = "timeline.view"


@dataclass
class ViewState:
    window: tuple[float, float] | None = None
    collapsed: list[int] = field(default_factory=list)
    filter: ViewFilter | None = None
    scroll: int = 0          # pixels of the lane stack scrolled up
    hide_empty: bool = False  # lanes without an event in the window are not shown


def filter_to_json(f: ViewFilter) -> dict:
    return {"group_ids": sorted(f.group_ids) if f.group_ids is not None else None,
            "tags": sorted(f.tags), "event_types": sorted(f.event_types), "lo": f.lo, "hi": f.hi,
            "search": f.search, "evidence": f.evidence,
            "area": [[lon, lat] for lon, lat in f.area] if f.area is not None else None}


def filter_from_json(d: dict) -> ViewFilter:
    """A ViewFilter from its JSON form (`filter_to_json`); one saved before areas were has none."""
    gids = d.get("group_ids")
    area = d.get("area")
    return ViewFilter(group_ids=frozenset(gids) if gids is not None else None,
                      tags=frozenset(d.get("tags") or ()), event_types=frozenset(d.get("event_types") or ()),
                      lo=d.get("lo"), hi=d.get("hi"), search=d.get("search") or "", evidence=d.get("evidence"),
                      area=tuple((float(lon), float(lat)) for lon, lat in area) if area else None)


def load_state(project) -> ViewState:
    """The remembered state, or defaults when there is none or it cannot be read."""
    raw = project.get_meta(META_KEY)
    if not raw:
        return ViewState()
    try:
        return state_from_json(json.loads(raw))
    except (ValueError, KeyError, TypeError):
        return ViewState()


def state_from_json(d: dict) -> ViewState:
    """A ViewState from its JSON form (`state_to_json`); raises ValueError, KeyError or TypeError
    on what it cannot read."""
    window = tuple(float(t) for t in d["window"]) if d.get("window") else None
    f = filter_from_json(d["filter"]) if d.get("filter") else None
    return ViewState(window, [int(k) for k in d.get("collapsed", [])], f, int(d.get("scroll") or 0),
                     bool(d.get("hide_empty", False)))


def state_to_json(state: ViewState) -> dict:
    return {"window": list(state.window) if state.window else None, "collapsed": sorted(state.collapsed),
            "filter": filter_to_json(state.filter) if state.filter else None, "scroll": int(state.scroll),
            "hide_empty": bool(state.hide_empty)}


def save_state(project, state: ViewState) -> None:
    if project.read_only:
        return
    text = json.dumps(state_to_json(state), sort_keys=True)
    if project.get_meta(META_KEY) != text:
        project.set_meta(META_KEY, text)
