"""Write the selected events as an iCalendar file (RFC 5545) for calendar applications.

One VEVENT per event, its uid as UID. Day-, month- and year-precise dates are all-day entries:
a day is that day, a month or a year (or "mid-October 2023", a week) is an all-day range from its
earliest to its latest day (DTEND is exclusive, the day after). Hour- and minute-precise dates are
timed, in UTC. An event with an end runs from its start's earliest to its end's latest instant.
SUMMARY is the title, DESCRIPTION the date as written, groups and roles, description and
citations (a quote from a source whose text is a summary is marked as such); LOCATION and GEO where
known; CATEGORIES the tags. Text is escaped (backslash, comma, semicolon, newline) and lines are
folded at 75 octets, as the standard asks.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sijill.db.formats.records import export_step
from sijill.db.formats.registry import ExportResult
from sijill.db.formats.selection import SUMMARY_MARK, EventSelection, ExportEvent, export_events, select_event_ids

PRODID = "-//Sijill//Sijill timeline export//EN"


def escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """A content line folded into pieces of at most 75 octets (never inside a UTF-8 character)."""
    out, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > (75 if not out else 74):
            out.append(current)
            current, size = "", 0
        current += ch
        size += n
    out.append(current)
    return "\r\n ".join(out)


def _day(d) -> str:
    """A date as RFC 5545 writes it: eight digits, whatever the year (strftime's %Y drops the
    leading zeros of years before 1000 on glibc)."""
    return f"{d.year:04d}{d.month:02d}{d.day:02d}"


_LAST = datetime.max.replace(tzinfo=timezone.utc)


def _stamp(moment: datetime) -> str:
    moment = moment.astimezone(timezone.utc)
    return f"{_day(moment)}T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}Z"


def vevent(e: ExportEvent, now: str) -> list[str]:
    lo = e.start.lo
    hi = (e.end or e.start).hi
    timed = e.start.precision in ("hour", "minute") and (e.end is None or e.end.precision in ("hour", "minute"))
    # DTEND is exclusive: the instant or day after the last. On the calendar's last day (31 Dec
    # 9999) there is none, so the entry ends where it ends (a day shorter, never an error).
    if timed:
        after = hi + timedelta(seconds=1) if hi < _LAST - timedelta(seconds=1) else hi
        dtstart, dtend = f"DTSTART:{_stamp(lo)}", f"DTEND:{_stamp(after)}"
    else:
        last_day = hi.astimezone(timezone.utc).date()
        dtstart = f"DTSTART;VALUE=DATE:{_day(lo.astimezone(timezone.utc))}"
        dtend = f"DTEND;VALUE=DATE:{_day(last_day + timedelta(days=1) if last_day < date.max else last_day)}"
    when = e.start.text + (f" – {e.end.text}" if e.end else "")
    lines = [f"Date: {when}"]
    if e.groups:
        lines.append("Groups: " + "; ".join(f"{name} ({role})" for name, role in e.groups))
    if e.description:
        lines += ["", e.description]
    for n, c in enumerate(e.citations, start=1):
        cite = f"[{n}] {c.stance}: {c.source_title}" + (f", {c.outlet}" if c.outlet else "")
        cite += (f", {c.published.display()}" if c.published else "") + (f" ({c.grade})" if c.grade else "")
        if c.quote:
            cite += f" — “{c.quote}”" + (f" ({SUMMARY_MARK})" if c.summary else "")
        elif c.summary:
            cite += f" ({SUMMARY_MARK})"
        if c.url:
            cite += f" {c.url}"
        lines.append(cite)
    out = ["BEGIN:VEVENT", f"UID:{escape(e.uid)}", f"DTSTAMP:{now}", dtstart, dtend, f"SUMMARY:{escape(e.title)}",
           f"DESCRIPTION:{escape(chr(10).join(lines))}"]
    if e.location:
        out.append(f"LOCATION:{escape(e.location)}")
    if e.latitude is not None and e.longitude is not None:
        out.append(f"GEO:{e.latitude:.6f};{e.longitude:.6f}")
    if e.tags:
        out.append("CATEGORIES:" + ",".join(escape(t) for t in e.tags))
    if e.start.approximate or e.start.uncertain:
        out.append("X-SIJILL-DATE-CERTAINTY:" + ("approximate" if e.start.approximate else "uncertain"))
    out.append("END:VEVENT")
    return out


def export_ics(project, path: str | os.PathLike, selection: EventSelection | None = None,
               progress: Callable[[float], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> ExportResult:
    path = Path(path)
    ids = select_event_ids(project, selection)
    now = _stamp(datetime.now(timezone.utc))
    tmp = path.with_name(path.name + ".part")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            head = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
                    f"X-WR-CALNAME:{escape(project.title)}"]
            fh.write("".join(fold(line) + "\r\n" for line in head))
            for n, e in enumerate(export_events(project, ids, attributes=False), start=1):
                fh.write("".join(fold(line) + "\r\n" for line in vevent(e, now)))
                export_step(n, len(ids), progress, cancelled)
            fh.write("END:VCALENDAR\r\n")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return ExportResult(path, {"events": len(ids)})
