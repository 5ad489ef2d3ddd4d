"""The detail pane: everything known about the current event, with its evidence."""
from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser, QWidget

from sijill.db.store.basics import ProjectError
from sijill.db.dates.styles import date_text
from sijill.db.dates import FuzzyDate
from sijill.db.store.entities import Event
from sijill.desktop.widgets import theme
from sijill.desktop.hub import ProjectHub
from sijill.db.dates.styles import bounds_text

STANCE_MARK = {"supports": ("supports", "positive"), "contradicts": ("contradicts", "negative"),
               "context": ("context", "secondary")}   # the stance and the Theme colour it is written in


def date_lines(d: FuzzyDate, style: str = "label", colors: theme.Theme | None = None) -> str:
    """'18 Oct 2023 — as written “mid-October 2023” · bounds … UTC · precision day', the first
    line in the analyst's date style (Preferences)."""
    colors = colors or theme.current()
    flags = [f for f, on in (("approximate", d.approximate), ("uncertain", d.uncertain)) if on]
    shown = date_text(d, style)
    parts = [f"<b>{escape(shown)}</b>"]
    if d.text and d.text != shown:
        parts.append(f"as written “{escape(d.text)}”")
    parts.append(f"<span style='color:{colors.secondary}'>{bounds_text(d.lo_ts, d.hi_ts)} · precision {d.precision}"
                 + (" · " + ", ".join(flags) if flags else "") + "</span>")
    return "<br>".join(parts)


class DetailPane(theme.RedrawnOnThemeChange, QTextBrowser):
    """Shows `hub`'s current event; follows edits, deletions and evidence changes.

    `show_evidence=False` leaves the evidence out (the main window lists it in an EvidencePanel
    below, where a passage can be opened) and only says how much there is."""

    EMPTY = "<p style='color:{muted}'>Select an event in the table or on the timeline to see it here.</p>"

    def __init__(self, hub: ProjectHub, parent: QWidget | None = None, show_evidence: bool = True) -> None:
        super().__init__(parent)
        self.hub = hub
        self.show_evidence = show_evidence
        self.setObjectName("detail_pane")
        self.setOpenLinks(False)
        self.event_id: int | None = None
        hub.current_event_changed.connect(self.show_event)
        hub.events_changed.connect(self._refresh_if_named)
        hub.evidence_changed.connect(self._refresh_if_named)
        hub.events_removed.connect(self._refresh_if_named)
        hub.groups_changed.connect(self.refresh)
        hub.sources_changed.connect(self.refresh)
        hub.project_reset.connect(self.refresh)
        hub.display_changed.connect(self.refresh)
        self.show_event(hub.selection[-1] if hub.selection else None)

    def show_event(self, event_id: int | None) -> None:
        self.event_id = event_id
        self.refresh()

    def _refresh_if_named(self, ids: list) -> None:
        if self.event_id in ids:
            self.refresh()

    def redraw_for_theme(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        empty = self.EMPTY.format(muted=theme.current().secondary)
        if self.event_id is None:
            self.setHtml(empty)
            return
        try:
            event = self.hub.project.event(self.event_id)
        except ProjectError:
            self.event_id = None
            self.setHtml(empty)
            return
        self.setHtml(self.render(event))

    # ---- HTML ---------------------------------------------------------------------------------
    def render(self, e: Event) -> str:
        project, colors, style = self.hub.project, theme.current(), self.hub.display.dates
        muted = colors.secondary
        out = [f"<h2 style='margin-bottom:4px'>{escape(e.title)}</h2>"]
        out.append(f"<p><span style='color:{muted}'>Start</span><br>{date_lines(e.start, style, colors)}</p>")
        if e.end is not None:
            out.append(f"<p><span style='color:{muted}'>End</span><br>{date_lines(e.end, style, colors)}</p>")
        if e.groups:
            rows = []
            for link in e.groups:
                try:
                    g = project.group(link.group_id)
                except ProjectError:
                    continue
                color = g.color or "#9e9e9e"
                rows.append(f"<span style='color:{escape(color)}'>■</span> {escape(g.name)} "
                            f"<span style='color:{muted}'>({escape(link.role)})</span>")
            out.append(f"<p><span style='color:{muted}'>Groups</span><br>" + "<br>".join(rows) + "</p>")
        facts = [("Type", e.event_type), ("Location", e.location),
                 ("Coordinates", f"{e.latitude:.4f}, {e.longitude:.4f}"
                  if e.latitude is not None and e.longitude is not None else None),
                 ("Fatalities", None if e.fatalities is None else str(e.fatalities)),
                 ("Tags", ", ".join(e.tags) if e.tags else None)]
        rows = [f"<tr><td style='color:{muted};padding-right:8px'>{k}</td><td>{escape(v)}</td></tr>"
                for k, v in facts if v]
        if rows:
            out.append("<table>" + "".join(rows) + "</table>")
        if e.description:
            out.append("<p>" + escape(e.description).replace("\n", "<br>") + "</p>")
        out.append(self._evidence_html(e.id) if self.show_evidence else "")
        return "".join(out)

    def _evidence_html(self, event_id: int) -> str:
        project, colors = self.hub.project, theme.current()
        items = project.evidence(event_id)
        if not items:
            return f"<h3>Evidence</h3><p style='color:{colors.warning}'>No source is linked to this event yet.</p>"
        out = [f"<h3>Evidence ({len(items)})</h3>"]
        for ev in items:
            try:
                source = project.source(ev.source_id)
                annotation = project.annotation(ev.annotation_id) if ev.annotation_id else None
            except ProjectError:
                continue
            grade = (source.reliability or "") + (str(annotation.credibility) if annotation and
                                                  annotation.credibility else "")
            stance, role = STANCE_MARK.get(ev.stance, (ev.stance, "secondary"))
            color = getattr(colors, role)
            meta = [m for m in (source.outlet, date_text(source.published, self.hub.display.dates)
                                if source.published else None) if m]
            out.append(
                "<p style='margin-bottom:2px'>"
                f"<span style='color:{color};font-weight:bold'>{escape(stance)}</span> "
                + (f"<span style='background:{colors.chip}'>&nbsp;{escape(grade)}&nbsp;</span> " if grade else "")
                + f"<b>{escape(source.title)}</b>"
                + (f"<br><span style='color:{colors.secondary}'>{escape(' · '.join(meta))}</span>" if meta else "")
                + "</p>")
            if annotation is not None:
                out.append(f"<blockquote style='color:{colors.quote};margin-left:12px'>“{escape(annotation.quote)}”"
                           + (f"<br><i>{escape(annotation.note)}</i>" if annotation.note else "")
                           + "</blockquote>")
            if ev.note:
                out.append(f"<p style='margin-left:12px'><i>{escape(ev.note)}</i></p>")
        return "".join(out)
