"""The counts chart of a selection of events as inline SVG (and as a Markdown table), without Qt:
for the HTML page and the reports, which must open offline and load nothing.

`selection_counts` counts the selected events (`sijill.db.formats.selection.select_event_ids`)
per day, ISO week or month over their span ("auto": the finest whose bars are at least 8 px wide
in the chart's 1000 px, as the timeline's chart chooses from its zoom), stacked by top-level group (each group with its
sub-groups; an event linked to two of them counts in both), from the same lane arrays and rules
as the timeline's chart (`sijill.db.timeline.bins`). `counts_svg` draws it: stacked bars, the part
dated more coarsely than the bin hatched, a line at the number of distinct events where the
stacks count an event more than once, a <title> per bar (the viewer's tooltip), a legend.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import numpy as np

from sijill.db.timeline.bins import Counts, auto_unit, count_bins, iso_day, rolled_up, series_of, stacks_by_lane
from sijill.db.timeline.lanes import PRECISIONS, ROLES, UNGROUPED, LaneSet, lane_tree

PALETTE = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666")
HATCH = '<pattern id="{id}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">' \
        '<rect width="6" height="6" fill="{pale}"/><line x1="0" y1="0" x2="0" y2="6" stroke="{ink}" ' \
        'stroke-width="2"/></pattern>'
WIDTH, LEFT, RIGHT = 1000, 48, 12    # the chart's width in its viewBox and its margins round the bars


@dataclass(frozen=True)
class SelectionCounts:
    """The counts of a selection, each stack's name and colour (#rrggbb)."""

    counts: Counts
    names: list[str]
    colors: list[str]


def selection_counts(project, event_ids: Sequence[int], unit: str) -> SelectionCounts | None:
    """`event_ids` counted per `unit` (day, week, month, or "auto" for the finest that fits the
    chart) over their likely points, stacked by top-level group; None when there is no event."""
    groups = project.groups()
    infos = lane_tree(groups)
    lanes = LaneSet.from_codes(project.timeline_codes(PRECISIONS, ROLES), {}, [i.key for i in infos]).lanes
    keep = np.array(sorted(event_ids), np.int64)
    total = series_of("all", lanes.values()).subset(keep)
    if not len(total):
        return None
    parent_of = {i.key: i.parent for i in infos}
    members = rolled_up([i.key for i in infos], parent_of, [i.key for i in infos if i.parent is None])
    stacks = [s.subset(keep) for s in stacks_by_lane(lanes, members)]
    stacks = [s for s in stacks if len(s)]
    by_key = {i.key: (n, i) for n, i in enumerate(infos)}
    names = [by_key[s.key][1].name for s in stacks]
    colors = [by_key[s.key][1].color or (PALETTE[by_key[s.key][0] % len(PALETTE)] if s.key != UNGROUPED else "#888888")
              for s in stacks]
    t0, t1 = int(total.mid[0]), int(total.mid[-1]) + 1
    if unit == "auto":
        unit = auto_unit(t0, t1, WIDTH - LEFT - RIGHT)
    counts = count_bins(stacks, total, unit, t0, t1)
    return SelectionCounts(counts, names, colors)


def _step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if top / step <= 4:
            return step
    return 10 ** (len(str(top)) - 1)


def _bar_title(c: Counts, i: int, names: list[str]) -> str:
    n, u = int(c.total[i]), int(c.total_uncertain[i])
    lines = [f"{c.unit} of {iso_day(c.edges[i])}" if c.unit != "day" else iso_day(c.edges[i]),
             f"{n} event{'s' if n != 1 else ''}" + (f", {u} dated more coarsely than a {c.unit}" if u else "")]
    lines += [f"{name}: {int(c.count[s, i])}" for s, name in enumerate(names) if c.count[s, i]]
    return "\n".join(lines)


def counts_svg(sc: SelectionCounts, title: str = "", width: int = WIDTH, height: int = 300) -> str:
    """The chart as an <svg> element (viewBox, no size: it scales to its container)."""
    c = sc.counts
    left, right, top, legend_rows = LEFT, RIGHT, 28, (len(sc.names) + 2) // 5 + 2
    base = height - 22 - 18 * legend_rows
    plot_w = width - left - right
    n = len(c)
    heights = c.count.sum(axis=0) if len(c.keys) else c.total
    most = max(int(heights.max()) if n else 1, 1)
    step = _step(most)
    scale_top = -(-most // step) * step
    per = (base - top) / scale_top
    bw = plot_w / max(n, 1)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
           f'style="width: 100%; height: auto; display: block" font-family="Helvetica, Arial, sans-serif" '
           f'font-size="11">', "<defs>"]
    out += [HATCH.format(id=f"hatch{s}", pale=col + "66", ink=col) for s, col in enumerate(sc.colors)]
    out.append(HATCH.format(id="hatchKey", pale="#88888866", ink="#666666"))
    out += ["</defs>", f'<rect width="{width}" height="{height}" fill="#ffffff"/>']
    if title:
        out.append(f'<text x="{left}" y="17" font-weight="bold" font-size="13">{escape(title)}</text>')
    for v in range(0, scale_top + 1, step):
        y = base - v * per
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#e3e6ea"/>')
        if v:
            out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#777">{v}</text>')
    for i in range(n):
        x = left + i * bw
        gap = 1 if bw >= 4 else 0
        y = float(base)
        parts = [f"<g><title>{escape(_bar_title(c, i, sc.names))}</title>"]
        for s, col in enumerate(sc.colors):
            k, u = int(c.count[s, i]), int(c.uncertain[s, i])
            if not k:
                continue
            for hgt, fill in (((k - u) * per, col), (u * per, f"url(#hatch{s})")):
                if hgt:
                    y -= hgt
                    parts.append(f'<rect x="{x + gap:.1f}" y="{y:.1f}" width="{bw - 2 * gap:.1f}" '
                                 f'height="{hgt:.1f}" fill="{fill}"/>')
        if heights[i] > c.total[i]:
            ty = base - int(c.total[i]) * per
            parts.append(f'<rect x="{x:.1f}" y="{ty - 1:.1f}" width="{bw:.1f}" height="2" fill="#1b1b1b"/>')
        if len(parts) > 1:
            out += parts + ["</g>"]
    out.append(_axis_labels(c, left, bw, base))
    out += _legend(sc, left, base + 22, width - left - right)
    out.append("</svg>")
    return "\n".join(out)


def _axis_labels(c: Counts, left: float, bw: float, base: float) -> str:
    """Under the first bar and each bar that begins a new month (a new year when months are the
    bins): its month ("2023-10") or year, leaving out labels that would run into the previous one."""
    out, last_x, last = [], -1e9, None
    for i in range(len(c)):
        day = iso_day(c.edges[i])
        label = day[:4] if c.unit == "month" else day[:7]
        if label == last:
            continue
        last = label
        x = left + i * bw
        if x - last_x >= 60:
            out.append(f'<text x="{x:.1f}" y="{base + 14:.1f}" fill="#777">{label}</text>')
            last_x = x
    return "\n".join(out)


def _legend(sc: SelectionCounts, x0: float, y0: float, width: float) -> list[str]:
    entries = list(zip(sc.names, sc.colors))
    if int(sc.counts.total_uncertain.sum()):
        entries.append((f"dated more coarsely than a {sc.counts.unit}", "url(#hatchKey)"))
    if len(sc.counts.keys) and (sc.counts.count.sum(axis=0) > sc.counts.total).any():
        entries.append(("events, each once (a bar counts an event once per group)", None))
    out, x, y = [], x0, y0
    for name, fill in entries:
        w = 16 + 6.5 * len(name) + 14
        if x + w > x0 + width and x > x0:
            x, y = x0, y + 18
        if fill is None:
            out.append(f'<rect x="{x:.1f}" y="{y + 4:.1f}" width="10" height="2" fill="#1b1b1b"/>')
        else:
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="10" height="10" fill="{fill}"/>')
        out.append(f'<text x="{x + 14:.1f}" y="{y + 9:.1f}">{escape(name)}</text>')
        x += w
    return out


def counts_markdown(sc: SelectionCounts) -> list[str]:
    """The counts as a Markdown table: one row per bin holding an event."""
    c = sc.counts
    head = ["start", "end", "events", "uncertain", *sc.names]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * 2 + "---:|" * (len(head) - 2)]
    for i in range(len(c)):
        if c.total[i]:
            row = [iso_day(c.edges[i]), iso_day(c.edges[i + 1] - 1), str(int(c.total[i])),
                   str(int(c.total_uncertain[i])), *(str(int(v)) for v in c.count[:, i])]
            out.append("| " + " | ".join(row) + " |")
    return out


def counts_section(project, event_ids: Sequence[int], unit: str, kind: str) -> list[str]:
    """The chart of `event_ids` per `unit` (or "auto") for a page: an HTML <figure> with the SVG
    inline (`kind` "html"), or a Markdown section with the table ("md"); nothing when there is no
    event."""
    sc = selection_counts(project, event_ids, unit)
    if sc is None:
        return []
    unit = sc.counts.unit
    title = f"Events per {unit}"
    caption = (f"The selected events per {unit}{' (ISO weeks, Monday first)' if unit == 'week' else ''}, each in the "
               f"{unit} holding the midpoint of its start's bounds, stacked by top-level group (with its "
               f"sub-groups; an event linked to several counts in each, the dark line gives the events once); "
               f"hatched or 'uncertain': events dated more coarsely than a {unit}.")
    if kind == "md":
        note = (f"The selected events per {unit}, each in the {unit} holding the midpoint of its start's bounds; "
                f"'uncertain': dated more coarsely than a {unit}; a group's column counts its sub-groups too.")
        return [f"## {title}", "", note, "", *counts_markdown(sc), "", "---", ""]
    return ['<figure class="counts">', counts_svg(sc, title), f"<figcaption>{escape(caption)}</figcaption>",
            "</figure>"]
