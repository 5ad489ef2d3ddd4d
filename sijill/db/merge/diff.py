"""What differs between two project files, record by record (by uid) and field by field.

The comparison is of the files as they are now; it needs no history, so it works between any two
projects (copies of one project or not). Values are shown as an analyst reads them
(`sijill.db.merge.values`), and given whole in JSON for scripts.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sijill.db.merge.state import KINDS, Record, field_names, read_records
from sijill.db.merge.values import Names, display, to_json
from sijill.db.store.project import Project


@dataclass(frozen=True)
class FieldDiff:
    name: str
    a: object
    b: object


@dataclass
class RecordDiff:
    """One record that is not the same in A and B: `status` is "only in A", "only in B" or "changed"."""

    kind: str
    uid: str
    title: str
    status: str
    fields: list[FieldDiff] = field(default_factory=list)


@dataclass
class ProjectDiff:
    a: str
    b: str
    same_lineage: bool
    records: list[RecordDiff]
    names: Names

    @property
    def empty(self) -> bool:
        return not self.records

    def counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for r in self.records:
            per = out.setdefault(r.kind, {"only in A": 0, "only in B": 0, "changed": 0})
            per[r.status] += 1
        return out

    def to_json(self) -> dict:
        return {"a": self.a, "b": self.b, "same_lineage": self.same_lineage, "counts": self.counts(),
                "records": [{"kind": r.kind, "uid": r.uid, "title": r.title, "status": r.status,
                             "fields": [{"field": f.name, "a": to_json(r.kind, f.name, f.a),
                                         "b": to_json(r.kind, f.name, f.b)} for f in r.fields]}
                            for r in self.records]}

    def text(self) -> str:
        if self.empty:
            return f"{self.a} and {self.b} hold the same records"
        lines = [f"A = {self.a}", f"B = {self.b}"
                 + ("" if self.same_lineage else "  (not a copy of A's project: no common history)")]
        for kind, per in self.counts().items():
            parts = [f"{n} {status}" for status, n in per.items() if n]
            lines.append(f"{kind}s: {', '.join(parts)}")
        for r in self.records:
            lines.append(f"\n{r.status:9}  {r.kind} {r.title}  [{r.uid}]")
            for f in r.fields:
                lines.append(f"    {f.name}: {display(r.kind, f.name, f.a, self.names)} → "
                             f"{display(r.kind, f.name, f.b, self.names)}")
        return "\n".join(lines)


def compare_records(a: Record, b: Record) -> list[FieldDiff]:
    """The fields and link sets in which two versions of one record differ, in the kind's order."""
    if a.same(b):  # the usual case, compared whole at C speed
        return []
    return [FieldDiff(n, a.value(n), b.value(n)) for n in field_names(a.kind) if a.value(n) != b.value(n)]


def diff_projects(a: Project, b: Project) -> ProjectDiff:
    """Every record that differs between `a` and `b`, in kind order then by title."""
    records: list[RecordDiff] = []
    for kind in KINDS:  # one kind at a time: only one kind's records of both files are held at once
        ra, rb = read_records(a, kind), read_records(b, kind)
        found = []
        for uid in ra.keys() | rb.keys():
            if uid not in rb:
                found.append(RecordDiff(kind, uid, ra[uid].title, "only in A"))
            elif uid not in ra:
                found.append(RecordDiff(kind, uid, rb[uid].title, "only in B"))
            else:
                fields = compare_records(ra[uid], rb[uid])
                if fields:
                    found.append(RecordDiff(kind, uid, rb[uid].title, "changed", fields))
        records += sorted(found, key=lambda r: (r.title.casefold(), r.uid))
    return ProjectDiff(str(a.path), str(b.path), a.uid == b.uid, records, Names.read(b, a))
