"""Sources, annotated passages and evidence links: the part of Project that deals with documents.

Offsets are Python string indices into `sources.body`, i.e. Unicode code points (the W3C
TextPositionSelector convention), never Qt's UTF-16 units.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sijill.db.store import schema
from sijill.db.text.anchoring import reanchor
from sijill.db.store.basics import ProjectError, as_optional_date, new_uid, now_iso
from sijill.db.dates import FuzzyDate
from sijill.db.store.entities import Annotation, Evidence, Source
from sijill.db.text.rules import check_fields

CONTEXT = 32  # characters of prefix/suffix kept with a quote for re-anchoring

_SOURCE_COLUMNS = ("id, uid, title, outlet, author, url, published_text, published_lo, published_hi, "
                   "published_precision, language, reliability, kind, body, added_at, "
                   "published_approximate, published_uncertain, summary")
_ANNOTATION_COLUMNS = ('id, uid, source_id, start, "end", quote, prefix, suffix, note, credibility, '
                       "orphaned, created_at, updated_at")
_SOURCE_FIELDS = ("title", "outlet", "author", "url", "published", "language", "reliability", "kind", "body",
                  "summary")


class LibraryMixin:
    """Methods of Project for sources, annotations and evidence (see sijill.db.store.project.Project)."""

    # ---- sources -------------------------------------------------------------------------
    def create_source(self, title: str, body: str = "", *, outlet: str | None = None,
                      author: str | None = None, url: str | None = None,
                      published: FuzzyDate | str | None = None, language: str | None = None,
                      reliability: str | None = None, kind: str | None = None,
                      uid: str | None = None, added_at: str | None = None, summary: bool = False) -> Source:
        """A new source; `summary` marks a body that summarises the document instead of holding its text."""
        if not (title or "").strip():
            raise ProjectError("a source needs a title")
        check_fields({"title": title, "body": body, "outlet": outlet, "author": author, "url": url,
                      "published": published if isinstance(published, str) else None, "language": language,
                      "kind": kind}, ProjectError)
        self._check_reliability(reliability)
        pub = as_optional_date(published)
        with self._write() as db:
            cur = db.execute(
                f"INSERT INTO sources ({_SOURCE_COLUMNS}) VALUES ({', '.join('?' * 18)})",
                [None, uid or new_uid(), title.strip(), outlet, author, url, *_pub_cols(pub)[:4], language,
                 reliability, kind, body or "", added_at or now_iso(), *_pub_cols(pub)[4:], int(bool(summary))],
            )
        return self.source(cur.lastrowid)

    def update_source(self, source_id: int, **fields) -> Source:
        """Change a source's metadata. A new `body` re-anchors nothing by itself: use
        `replace_source_text` for that."""
        unknown = set(fields) - set(_SOURCE_FIELDS)
        if unknown:
            raise ProjectError(f"unknown source field(s): {', '.join(sorted(unknown))}")
        check_fields(fields, ProjectError)
        self.source(source_id)
        if "reliability" in fields:
            self._check_reliability(fields["reliability"])
        if "title" in fields and not (fields["title"] or "").strip():
            raise ProjectError("a source needs a title")
        sets: dict[str, object] = {k: v for k, v in fields.items() if k != "published"}
        if "summary" in sets:
            sets["summary"] = int(bool(sets["summary"]))
        if "published" in fields:
            pub = as_optional_date(fields["published"])
            sets.update(zip(("published_text", "published_lo", "published_hi", "published_precision",
                             "published_approximate", "published_uncertain"), _pub_cols(pub)))
        if sets:
            with self._write() as db:
                db.execute(f"UPDATE sources SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
                           [*sets.values(), source_id])
        return self.source(source_id)

    def delete_source(self, source_id: int) -> None:
        with self._write() as db:
            db.execute("DELETE FROM sources WHERE id = ?", [source_id])

    def merge_sources(self, from_id: int, into_id: int) -> dict:
        """Merge source `from_id` (the same document added twice) into `into_id` and delete it, in
        one transaction. INTO keeps its title and text; what it leaves empty (outlet, author, URL,
        date, language, grade, kind) FROM fills. FROM's passages move to INTO, found again in INTO's
        text as Replace text finds them (those not found are kept, flagged orphaned, to re-attach);
        its evidence links follow (a whole-source link to an event INTO already cites is dropped,
        INTO's stance kept). Returns what `unmerge_sources` needs."""
        if from_id == into_id:
            raise ProjectError("a source cannot be merged into itself")
        merged, into = self._source_row(from_id), self._source_row(into_id)
        annotations = self.annotations(from_id)
        rows = {a.id: self._annotation_row(a.id) for a in annotations}
        evidence = self.evidence_for_source(from_id)
        cited = {ev.event_id for ev in self.evidence_for_source(into_id) if ev.annotation_id is None}
        dropped = [ev for ev in evidence if ev.annotation_id is None and ev.event_id in cited]
        fill = [c for c in ("outlet", "author", "url", "language", "reliability", "kind")
                if into[c] is None and merged[c] is not None]
        if into["published_lo"] is None and merged["published_lo"] is not None:
            fill += [c for c in into if c.startswith("published_")]
        body = into["body"]
        stamp = now_iso()
        with self._write() as db:
            if fill:
                db.execute(f"UPDATE sources SET {', '.join(f'{c} = ?' for c in fill)} WHERE id = ?",
                           [*(merged[c] for c in fill), into_id])
            for ann, res in zip(annotations, reanchor(merged["body"], body, annotations)):
                if res.status == "orphaned":
                    db.execute("UPDATE annotations SET source_id = ?, orphaned = 1, updated_at = ? WHERE id = ?",
                               [into_id, stamp, ann.id])
                else:
                    db.execute('UPDATE annotations SET source_id = ?, start = ?, "end" = ?, quote = ?, prefix = ?, '
                               "suffix = ?, orphaned = 0, updated_at = ? WHERE id = ?",
                               [into_id, res.start, res.end, *quote_parts(body, res.start, res.end), stamp, ann.id])
            for ev in dropped:
                db.execute("DELETE FROM event_evidence WHERE id = ?", [ev.id])
            db.execute("UPDATE event_evidence SET source_id = ? WHERE source_id = ?", [into_id, from_id])
            db.execute("DELETE FROM sources WHERE id = ?", [from_id])
        return {"merged": merged, "into": into, "annotations": rows, "evidence": [ev.id for ev in evidence],
                "dropped": dropped}

    def unmerge_sources(self, record: dict) -> None:
        """Undo `merge_sources` from what it returned: both sources, their passages (offsets,
        quotes, orphaned flags) and their evidence links as they were."""
        merged, into = record["merged"], record["into"]
        with self._write() as db:
            db.execute(f"INSERT INTO sources ({', '.join(merged)}) VALUES ({', '.join('?' * len(merged))})",
                       list(merged.values()))
            db.execute(f"UPDATE sources SET {', '.join(f'{c} = ?' for c in into if c != 'id')} WHERE id = ?",
                       [*(v for c, v in into.items() if c != "id"), into["id"]])
            for row in record["annotations"].values():
                db.execute(f"UPDATE annotations SET {', '.join(f'{_q(c)} = ?' for c in row if c != 'id')} "
                           "WHERE id = ?", [*(v for c, v in row.items() if c != "id"), row["id"]])
            marks = ", ".join("?" * len(record["evidence"]))
            db.execute(f"UPDATE event_evidence SET source_id = ? WHERE id IN ({marks})",
                       [merged["id"], *record["evidence"]])
            for ev in record["dropped"]:
                db.execute("INSERT INTO event_evidence (id, event_id, source_id, annotation_id, stance, note) "
                           "VALUES (?, ?, ?, ?, ?, ?)", [ev.id, ev.event_id, merged["id"], None, ev.stance, ev.note])

    def _source_row(self, source_id: int) -> dict:
        cur = self.db.execute("SELECT * FROM sources WHERE id = ?", [source_id])
        row = cur.fetchone()
        if not row:
            raise ProjectError(f"no source with id {source_id}")
        return dict(zip([d[0] for d in cur.description], row))

    def _annotation_row(self, annotation_id: int) -> dict:
        cur = self.db.execute("SELECT * FROM annotations WHERE id = ?", [annotation_id])
        return dict(zip([d[0] for d in cur.description], cur.fetchone()))

    @staticmethod
    def _check_reliability(grade: str | None) -> None:
        if grade is not None and grade not in schema.RELIABILITY:
            raise ProjectError(f"reliability must be one of A–F, not {grade!r}")

    def sources(self) -> list[Source]:
        return [_source_from_row(r) for r in self.db.execute(
            f"SELECT {_SOURCE_COLUMNS} FROM sources ORDER BY published_lo IS NULL, published_lo, id")]

    def source(self, source_id: int) -> Source:
        row = self.db.execute(f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE id = ?", [source_id]).fetchone()
        if not row:
            raise ProjectError(f"no source with id {source_id}")
        return _source_from_row(row)

    def source_by_uid(self, uid: str) -> Source | None:
        row = self.db.execute(f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE uid = ?", [uid]).fetchone()
        return _source_from_row(row) if row else None

    # ---- annotations ---------------------------------------------------------------------
    def create_annotation(self, source_id: int, start: int, end: int, *, note: str | None = None,
                          credibility: int | None = None, groups: Iterable[int | str] = (),
                          tags: Iterable[str] = (), uid: str | None = None,
                          created_at: str | None = None, updated_at: str | None = None) -> Annotation:
        """Annotate body[start:end] of a source (code points); the quote and its context are kept."""
        tags = list(tags)
        check_fields({"note": note, "tags": tags}, ProjectError)
        body = self.source(source_id).body
        if not (0 <= start < end <= len(body)):
            raise ProjectError(
                f"cannot annotate characters {start}–{end}: the passage must be non-empty and inside "
                f"the source's text (0–{len(body)})")
        self._check_credibility(credibility)
        stamp = now_iso()
        with self._write() as db:
            cur = db.execute(
                f"INSERT INTO annotations ({_ANNOTATION_COLUMNS}) VALUES ({', '.join('?' * 13)})",
                [None, uid or new_uid(), source_id, start, end, *quote_parts(body, start, end), note,
                 credibility, 0, created_at or stamp, updated_at or created_at or stamp],
            )
            aid = cur.lastrowid
            for g in groups:
                db.execute("INSERT OR IGNORE INTO annotation_groups (annotation_id, group_id) VALUES (?, ?)",
                           [aid, self._group_id(g)])
            self._set_tags("annotation", aid, tags)
        return self.annotation(aid)

    def put_annotation(self, *, uid: str, source_id: int, start: int, end: int, quote: str, prefix: str,
                       suffix: str, note: str | None, credibility: int | None, orphaned: bool = False,
                       groups: Iterable[int | str] = (), tags: Iterable[str] = (),
                       created_at: str | None = None, updated_at: str | None = None,
                       annotation_id: int | None = None) -> Annotation:
        """Insert or replace (by uid) an annotation exactly as given: for imports and undo."""
        tags = list(tags)
        check_fields({"note": note, "tags": tags}, ProjectError)
        self._check_credibility(credibility)
        stamp = now_iso()
        with self._write() as db:
            row = db.execute("SELECT id FROM annotations WHERE uid = ?", [uid]).fetchone()
            values = [source_id, start, end, quote, prefix, suffix, note, credibility, int(orphaned)]
            if row:
                aid = row[0]
                db.execute('UPDATE annotations SET source_id = ?, start = ?, "end" = ?, quote = ?, prefix = ?, '
                           "suffix = ?, note = ?, credibility = ?, orphaned = ?, "
                           "created_at = COALESCE(?, created_at), updated_at = ? WHERE id = ?",
                           [*values, created_at, updated_at or stamp, aid])
                db.execute("DELETE FROM annotation_groups WHERE annotation_id = ?", [aid])
                db.execute("DELETE FROM annotation_tags WHERE annotation_id = ?", [aid])
            else:
                aid = db.execute(
                    f"INSERT INTO annotations ({_ANNOTATION_COLUMNS}) VALUES ({', '.join('?' * 13)})",
                    [annotation_id, uid, *values, created_at or stamp, updated_at or created_at or stamp],
                ).lastrowid
            for g in groups:
                db.execute("INSERT OR IGNORE INTO annotation_groups (annotation_id, group_id) VALUES (?, ?)",
                           [aid, self._group_id(g)])
            self._set_tags("annotation", aid, tags)
        return self.annotation(aid)

    def find_quote(self, source_id: int, quote: str, occurrence: int = 1) -> tuple[int, int]:
        """Offsets of the n-th occurrence (1-based) of `quote` in a source's text."""
        if not quote:
            raise ProjectError("the quote is empty: select a passage of at least one character")
        if occurrence < 1:
            raise ProjectError(f"the occurrence is counted from 1, not {occurrence}")
        body = self.source(source_id).body
        pos = -1
        for _ in range(occurrence):
            pos = body.find(quote, pos + 1)
            if pos < 0:
                raise ProjectError(f"quote {quote[:60]!r} not found in the source"
                                   + (f" {occurrence} times" if occurrence > 1 else ""))
        return pos, pos + len(quote)

    def update_annotation(self, annotation_id: int, **fields) -> Annotation:
        allowed = {"note", "credibility", "groups", "tags", "start", "end"}
        unknown = set(fields) - allowed
        if unknown:
            raise ProjectError(f"unknown annotation field(s): {', '.join(sorted(unknown))}")
        if fields.get("tags") is not None:
            fields["tags"] = list(fields["tags"])
        check_fields({k: v for k, v in fields.items() if k != "groups"}, ProjectError)
        current = self.annotation(annotation_id)
        if "credibility" in fields:
            self._check_credibility(fields["credibility"])
        with self._write() as db:
            for key in ("note", "credibility"):
                if key in fields:
                    db.execute(f"UPDATE annotations SET {key} = ? WHERE id = ?", [fields[key], annotation_id])
            if "start" in fields or "end" in fields:
                start, end = fields.get("start", current.start), fields.get("end", current.end)
                body = self.source(current.source_id).body
                if not (0 <= start < end <= len(body)):
                    raise ProjectError(f"cannot anchor characters {start}–{end} in the source")
                db.execute('UPDATE annotations SET start = ?, "end" = ?, quote = ?, prefix = ?, suffix = ?, '
                           "orphaned = 0 WHERE id = ?",
                           [start, end, *quote_parts(body, start, end), annotation_id])
            if "groups" in fields:
                db.execute("DELETE FROM annotation_groups WHERE annotation_id = ?", [annotation_id])
                for g in fields["groups"]:
                    db.execute("INSERT OR IGNORE INTO annotation_groups VALUES (?, ?)",
                               [annotation_id, self._group_id(g)])
            if "tags" in fields:
                db.execute("DELETE FROM annotation_tags WHERE annotation_id = ?", [annotation_id])
                self._set_tags("annotation", annotation_id, fields["tags"])
            db.execute("UPDATE annotations SET updated_at = ? WHERE id = ?", [now_iso(), annotation_id])
        return self.annotation(annotation_id)

    # ---- re-anchoring (db.text.anchoring) ---------------------------------------------------------
    def replace_source_text(self, source_id: int, new_body: str) -> dict:
        """Put new text in a source and find each of its annotations again, in one transaction.

        Returns {"kept": n, "moved": n, "orphaned": n, "results": [one dict per annotation:
        annotation_id, uid, status, start, end, old_start, old_end, method, score]}. A passage that
        is found gets its new offsets, quote and context; one that is not is flagged orphaned and
        keeps its old offsets, quote and context (so it can be found or re-attached later)."""
        if not (new_body or "").strip():
            raise ProjectError("the new text is empty: a source's text cannot be replaced by nothing")
        check_fields({"body": new_body}, ProjectError)
        source = self.source(source_id)
        annotations = self.annotations(source_id)
        results = reanchor(source.body, new_body, annotations)
        stamp = now_iso()
        counts = dict.fromkeys(("kept", "moved", "orphaned"), 0)
        with self._write() as db:
            db.execute("UPDATE sources SET body = ? WHERE id = ?", [new_body, source_id])
            for ann, res in zip(annotations, results):
                counts[res.status] += 1
                if res.status == "orphaned":
                    if not ann.orphaned:
                        db.execute("UPDATE annotations SET orphaned = 1, updated_at = ? WHERE id = ?",
                                   [stamp, ann.id])
                elif res.status == "moved" or ann.orphaned:
                    db.execute('UPDATE annotations SET start = ?, "end" = ?, quote = ?, prefix = ?, suffix = ?, '
                               "orphaned = 0, updated_at = ? WHERE id = ?",
                               [res.start, res.end, *quote_parts(new_body, res.start, res.end), stamp, ann.id])
                elif quote_parts(new_body, res.start, res.end)[1:] != (ann.prefix, ann.suffix):
                    db.execute("UPDATE annotations SET prefix = ?, suffix = ? WHERE id = ?",
                               [*quote_parts(new_body, res.start, res.end)[1:], ann.id])
        rows = [{"annotation_id": r.annotation_id, "uid": a.uid, "status": r.status, "start": r.start,
                 "end": r.end, "old_start": r.old_start, "old_end": r.old_end, "method": r.method,
                 "score": r.score} for a, r in zip(annotations, results)]
        return {**counts, "results": rows}

    def reattach_annotation(self, annotation_id: int, start: int, end: int) -> Annotation:
        """Anchor an (orphaned) annotation to body[start:end]: new quote and context, orphaned
        flag cleared (update_annotation does exactly that when given start and end)."""
        return self.update_annotation(annotation_id, start=start, end=end)

    def delete_annotation(self, annotation_id: int) -> None:
        with self._write() as db:
            db.execute("DELETE FROM annotations WHERE id = ?", [annotation_id])

    @staticmethod
    def _check_credibility(value: int | None) -> None:
        if value is not None and (not isinstance(value, int) or not 1 <= value <= 6):
            raise ProjectError(f"credibility must be a whole number from 1 to 6, not {value!r}")

    def annotation(self, annotation_id: int) -> Annotation:
        found = self._annotations_where("id = ?", [annotation_id])
        if not found:
            raise ProjectError(f"no annotation with id {annotation_id}")
        return found[0]

    def annotation_by_uid(self, uid: str) -> Annotation | None:
        found = self._annotations_where("uid = ?", [uid])
        return found[0] if found else None

    def annotations(self, source_id: int | None = None) -> list[Annotation]:
        if source_id is None:
            return self._annotations_where("1", [])
        return self._annotations_where("source_id = ?", [source_id])

    def _annotations_where(self, where: str, params: list) -> list[Annotation]:
        """Annotations matching `where`, with their groups and tags: three queries in all,
        however many annotations match (not two more per annotation)."""
        rows = self.db.execute(
            f'SELECT {_ANNOTATION_COLUMNS} FROM annotations WHERE {where} ORDER BY source_id, start, "end", id',
            params).fetchall()
        if not rows:
            return []
        picked = f"SELECT id FROM annotations WHERE {where}"
        groups: dict[int, list[int]] = {}
        for aid, gid in self.db.execute(
                f"SELECT annotation_id, group_id FROM annotation_groups WHERE annotation_id IN ({picked}) "
                "ORDER BY annotation_id, group_id", params):
            groups.setdefault(aid, []).append(gid)
        tags: dict[int, list[str]] = {}
        for aid, name in self.db.execute(
                "SELECT a.annotation_id, t.name FROM annotation_tags a JOIN tags t ON t.id = a.tag_id "
                f"WHERE a.annotation_id IN ({picked}) ORDER BY a.annotation_id, t.name", params):
            tags.setdefault(aid, []).append(name)
        return [Annotation(*r[:10], bool(r[10]), r[11], r[12], group_ids=tuple(groups.get(r[0], ())),
                           tags=tuple(tags.get(r[0], ()))) for r in rows]

    # ---- evidence ------------------------------------------------------------------------
    def add_evidence(self, event_id: int, source_id: int | None = None, annotation_id: int | None = None,
                     stance: str = "supports", note: str | None = None, evidence_id: int | None = None) -> Evidence:
        """Link a source, or an annotated passage of it, to an event with a stance."""
        if stance not in schema.STANCES:
            raise ProjectError(f"unknown stance {stance!r} (one of {', '.join(schema.STANCES)})")
        self.event(event_id)
        if annotation_id is not None:
            ann_source = self.annotation(annotation_id).source_id
            if source_id is not None and source_id != ann_source:
                raise ProjectError("the annotation belongs to another source")
            source_id = ann_source
        if source_id is None:
            raise ProjectError("evidence needs a source or an annotation")
        self.source(source_id)
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO event_evidence (id, event_id, source_id, annotation_id, stance, note) "
                "VALUES (?, ?, ?, ?, ?, ?)", [evidence_id, event_id, source_id, annotation_id, stance, note])
        return self.evidence_item(cur.lastrowid)

    def update_evidence(self, evidence_id: int, **fields) -> Evidence:
        """Change an evidence link's `stance` and/or `note`, each only if given: `note=None` stores
        NULL (no note), so that an undo can put back exactly what was there."""
        unknown = set(fields) - {"stance", "note"}
        if unknown:
            raise ProjectError(f"unknown evidence field(s): {', '.join(sorted(unknown))}")
        if "stance" in fields and fields["stance"] not in schema.STANCES:
            raise ProjectError(f"unknown stance {fields['stance']!r}")
        self.evidence_item(evidence_id)
        with self._write() as db:
            for key in ("stance", "note"):
                if key in fields:
                    db.execute(f"UPDATE event_evidence SET {key} = ? WHERE id = ?", [fields[key], evidence_id])
        return self.evidence_item(evidence_id)

    def remove_evidence(self, evidence_id: int) -> None:
        with self._write() as db:
            db.execute("DELETE FROM event_evidence WHERE id = ?", [evidence_id])

    def evidence_item(self, evidence_id: int) -> Evidence:
        row = self.db.execute("SELECT id, event_id, source_id, annotation_id, stance, note FROM event_evidence "
                              "WHERE id = ?", [evidence_id]).fetchone()
        if not row:
            raise ProjectError(f"no evidence with id {evidence_id}")
        return Evidence(*row)

    def evidence(self, event_id: int) -> list[Evidence]:
        return [Evidence(*r) for r in self.db.execute(
            "SELECT id, event_id, source_id, annotation_id, stance, note FROM event_evidence "
            "WHERE event_id = ? ORDER BY id", [event_id])]

    def evidence_for_annotation(self, annotation_id: int) -> list[Evidence]:
        return [Evidence(*r) for r in self.db.execute(
            "SELECT id, event_id, source_id, annotation_id, stance, note FROM event_evidence "
            "WHERE annotation_id = ? ORDER BY id", [annotation_id])]

    def all_evidence(self) -> list[Evidence]:
        """Every evidence row of the project, in id order (exports: one query, not one per event)."""
        return [Evidence(*r) for r in self.db.execute(
            "SELECT id, event_id, source_id, annotation_id, stance, note FROM event_evidence ORDER BY id")]

    def evidence_for_source(self, source_id: int) -> list[Evidence]:
        """Every evidence row citing a source, pinned to a passage or not (what deleting it loses)."""
        return [Evidence(*r) for r in self.db.execute(
            "SELECT id, event_id, source_id, annotation_id, stance, note FROM event_evidence "
            "WHERE source_id = ? ORDER BY id", [source_id])]

    def annotation_counts(self) -> dict[int, int]:
        """source id -> number of annotations, for every source that has any."""
        return dict(self.db.execute("SELECT source_id, COUNT(*) FROM annotations GROUP BY source_id"))

    def evidence_summary(self, event_ids: Iterable[int] | None = None) -> dict[int, tuple[int, int]]:
        """event id -> (evidence count, contradicting count), for every event that has any; given
        `event_ids`, only for those (after an edit: the whole table takes ~0.1 s at 100k rows)."""
        select = "SELECT event_id, COUNT(*), SUM(stance = 'contradicts') FROM event_evidence"
        if event_ids is None:
            return {eid: (n, c) for eid, n, c in self.db.execute(select + " GROUP BY event_id")}
        ids, out = list(event_ids), {}
        for i in range(0, len(ids), 900):
            chunk = ids[i:i + 900]
            out.update((eid, (n, c)) for eid, n, c in self.db.execute(
                f"{select} WHERE event_id IN ({', '.join('?' * len(chunk))}) GROUP BY event_id", chunk))
        return out


def _q(column: str) -> str:
    return f'"{column}"'


def quote_parts(body: str, start: int, end: int) -> tuple[str, str, str]:
    """The quote body[start:end] with up to CONTEXT characters of prefix and suffix."""
    return body[start:end], body[max(0, start - CONTEXT):start], body[end:end + CONTEXT]


def _pub_cols(pub: FuzzyDate | None) -> list:
    if pub is None:
        return [None, None, None, None, 0, 0]
    return [pub.text, pub.lo_ts, pub.hi_ts, pub.precision, int(pub.approximate), int(pub.uncertain)]


def _source_from_row(r: tuple) -> Source:
    pub = None
    if r[7] is not None:
        pub = FuzzyDate.from_bounds(r[6], r[7], r[8], r[9] or "day", bool(r[15]), bool(r[16]))
    return Source(id=r[0], uid=r[1], title=r[2], outlet=r[3], author=r[4], url=r[5], published=pub,
                  language=r[10], reliability=r[11], kind=r[12], body=r[13], added_at=r[14], summary=bool(r[17]))


def reference_of(source: Source) -> datetime | None:
    """The date against which relative phrases in a source are read ("yesterday" = day before)."""
    return source.published.lo if source.published else None
