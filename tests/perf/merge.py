"""Benchmark: diff and merge of two analysts' copies of a large project.

    python -m tests.perf.merge [N] [--project FILE]

Makes a project of N events (default 100,000) with tests.perf.generate (or starts from FILE, a copy
of which is used), copies it twice, then edits about 1% of the events on each side through Project
methods, ten edits per change set: A retitles 1%; B changes the location and description of
another 1%, retitles a tenth as many of A's events (conflicts), adds 0.1% new events and deletes
0.05%. Times `diff`, the merge's dry run, the merge, and the same merge again (which must apply
nothing); prints seconds, counts and peak RSS, asserts only the counts.
At 100,000 events on the 2-core development machine: diff 2.6 s (both files read whole, a kind at a time;
peak RSS 378 MB, 195 MB of it from making the files), dry run 0.33 s, merge 0.54 s (100 added, 2,000
fields, 50 deleted, 100 conflicts, 125 change sets copied), the same merge again 0.35 s.
"""
from __future__ import annotations

import argparse
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from sijill.db.merge import diff_files, merge_files
from sijill.db.store.project import Project
from tests.perf.generate import generate

PER_CHANGE_SET = 10


def _in_change_sets(project: Project, label: str, items: list, edit) -> None:
    for i in range(0, len(items), PER_CHANGE_SET):
        with project.batch(f"{label} {i // PER_CHANGE_SET + 1}"):
            for item in items[i:i + PER_CHANGE_SET]:
                edit(item)


def make_copies(base: Path, folder: Path, seed: int = 7) -> dict[str, int]:
    """A and B copies of `base` in `folder`, edited as the module's docstring says; the counts."""
    a, b = folder / "a.sijill", folder / "b.sijill"
    shutil.copy(base, a)
    shutil.copy(base, b)
    rng = random.Random(seed)
    with Project.open(a) as pa:
        ids = [i for (i,) in pa.db.execute("SELECT id FROM events ORDER BY id")]
    one_percent = max(1, len(ids) // 100)
    picked = rng.sample(ids, 2 * one_percent + one_percent // 20)
    only_a, only_b = picked[:one_percent], picked[one_percent:2 * one_percent]
    deleted = picked[2 * one_percent:]
    both = only_a[:one_percent // 10]
    with Project.open(a) as pa:
        _in_change_sets(pa, "Retitle", only_a, lambda eid: pa.update_event(eid, title=f"A: {pa.event(eid).title}"))
    with Project.open(b) as pb:
        _in_change_sets(pb, "Locate", only_b, lambda eid: pb.update_event(
            eid, location="Checked in B", description=f"B looked at event {eid}"))
        _in_change_sets(pb, "Retitle", both, lambda eid: pb.update_event(eid, title=f"B: {pb.event(eid).title}"))
        _in_change_sets(pb, "Add", list(range(one_percent // 10)),
                        lambda n: pb.create_event(f"New in B #{n}", "2024-02-01", location="B's desk"))
        _in_change_sets(pb, "Delete", deleted, pb.delete_event)
    return {"edited in A": len(only_a), "edited in B": len(only_b) + len(both), "conflicts": len(both),
            "added in B": one_percent // 10, "deleted in B": len(deleted)}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(what: str, fn):
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    print(f"{what:34} {time.perf_counter() - t0:7.2f} s wall  {time.process_time() - c0:7.2f} s CPU", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, nargs="?", default=100_000)
    ap.add_argument("--project", type=Path, help="start from a copy of this project instead of generating one")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = folder / "base.sijill"
        if args.project:
            shutil.copy(args.project, base)
        else:
            _timed(f"generate {args.n:,} events", lambda: generate(args.n, base))
        with Project.open(base, read_only=True) as p:
            n = p.event_count()
        counts = _timed("copy twice and edit both sides", lambda: make_copies(base, folder))
        print(f"{n:,} events; " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
        a, b = folder / "a.sijill", folder / "b.sijill"
        print(f"peak RSS so far (making the files) {_peak_mb():.0f} MB")
        diff = _timed("sijill diff A B", lambda: diff_files(a, b))
        dry = _timed("sijill merge A B --dry-run", lambda: merge_files(a, b, dry_run=True))
        result = _timed("sijill merge A B", lambda: merge_files(a, b))
        again = _timed("sijill merge A B (again)", lambda: merge_files(a, b))
        plan = result.plan
        print(f"diff: {len(diff.records):,} records differ; merge: {len(plan.added):,} added, "
              f"{len(plan.changed):,} fields changed, {len(plan.deleted):,} deleted, {len(plan.conflicts):,} "
              f"conflicts, {len(plan.copy_change_sets):,} change sets copied")
        print(f"peak RSS {_peak_mb():.0f} MB")
        assert len(dry.plan.changed) == len(plan.changed)
        assert len(plan.conflicts) == counts["conflicts"]
        assert len(plan.added) == counts["added in B"] and len(plan.deleted) == counts["deleted in B"]
        assert not again.plan.writes and not again.plan.conflicts
    return 0


if __name__ == "__main__":
    sys.exit(main())
