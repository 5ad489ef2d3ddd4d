"""Make a realistic synthetic project for the timeline benchmark.

    python -m tests.perf.generate N OUT.sijill [--seed S] [--earlier M]

N events over 2014–2024 among 12 groups in a hierarchy (Kataib Hezbollah inside the PMF…),
clustered in bursts like real campaigns, a third with uncertain dates (month or year precision,
"mid-/early/late" qualifiers), some with several groups, some spans. Rows go in through one
bulk insert in one transaction.

`--earlier M` adds M more events made the same way over 1984–1994, after the N (which are those of
the project without it): any window within 2014–2024 shows exactly what it shows without them, in a
project M events bigger (`python -m tests.perf.timeline --earlier`).
"""
from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from sijill.db.dates import FuzzyDate
from sijill.db.store.project import Project

UTC = timezone.utc
GROUPS = [  # name, parent, colour
    ("Popular Mobilization Forces", None, "#1b9e77"),
    ("Kataib Hezbollah", "Popular Mobilization Forces", "#d95f02"),
    ("Asaib Ahl al-Haq", "Popular Mobilization Forces", "#e7298a"),
    ("Harakat Hezbollah al-Nujaba", "Popular Mobilization Forces", "#66a61e"),
    ("Badr Organization", "Popular Mobilization Forces", "#a6761d"),
    ("Islamic Resistance in Iraq", None, "#e6ab02"),
    ("United States", None, "#7570b3"),
    ("US Central Command", "United States", "#1f78b4"),
    ("Iraqi Security Forces", None, "#666666"),
    ("ISIS", None, "#333333"),
    ("IRGC Quds Force", None, "#b2182b"),
    ("Peshmerga", None, "#8c6bb1"),
]
VERBS = ["Drone attack on", "Rocket fire at", "IED strike near", "Airstrike on", "Clashes at", "Raid on",
         "Statement on", "Arrests in", "Shelling of", "Convoy hit near", "Protest at", "Ambush near"]
PLACES = ["Ain al-Asad", "Erbil airport", "Baghdad Green Zone", "Al-Qaim", "Jurf al-Sakhar", "Mosul",
          "Tikrit", "Kirkuk", "Camp Victory", "Tower 22", "Harir base", "Sinjar", "Fallujah", "Ramadi",
          "Basra", "Samarra", "Abu Kamal", "Tal Afar", "Diyala", "Balad air base"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
T0 = datetime(2014, 1, 1, tzinfo=UTC).timestamp()
T1 = datetime(2024, 12, 31, tzinfo=UTC).timestamp()
EARLIER = 30 * 365.25 * 86400     # how far back `--earlier` events lie


def _month_bounds(d: datetime) -> tuple[datetime, datetime]:
    lo = d.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    nxt = (lo + timedelta(days=32)).replace(day=1)
    return lo, nxt - timedelta(seconds=1)


def make_date(ts: float, kind: str) -> FuzzyDate:
    d = datetime.fromtimestamp(ts, UTC)
    if kind == "hour":
        lo = d.replace(minute=0, second=0, microsecond=0)
        return FuzzyDate(lo.strftime("%Y-%m-%d %H:00"), lo, lo + timedelta(seconds=3599), "hour")
    if kind == "day":
        lo = d.replace(hour=0, minute=0, second=0, microsecond=0)
        return FuzzyDate(lo.strftime("%Y-%m-%d"), lo, lo + timedelta(seconds=86399), "day")
    if kind == "month":
        lo, hi = _month_bounds(d)
        return FuzzyDate(lo.strftime("%Y-%m"), lo, hi, "month")
    if kind == "year":
        lo = datetime(d.year, 1, 1, tzinfo=UTC)
        return FuzzyDate(str(d.year), lo, datetime(d.year + 1, 1, 1, tzinfo=UTC) - timedelta(seconds=1), "year")
    lo, hi = _month_bounds(d)                              # "early/mid/late Month YYYY"
    part = ("early", "mid", "late")[min(d.day // 11, 2)]
    a, b = {"early": (1, 10), "mid": (11, 20), "late": (21, hi.day)}[part]
    return FuzzyDate(f"{part}-{MONTHS[d.month - 1]} {d.year}" if part == "mid" else f"{part} {MONTHS[d.month - 1]} {d.year}",
                     lo.replace(day=a), lo.replace(day=b) + timedelta(seconds=86399), "month", approximate=True)


def generate(n: int, out: str | Path, seed: int = 1, earlier: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    project = Project.create(out, title=f"Synthetic timeline ({n + earlier:,} events)")
    ids: dict[str, int] = {}
    for name, parent, color in GROUPS:
        ids[name] = project.create_group(name, parent=ids.get(parent) if parent else None, color=color).id
    gids = list(ids.values())
    for title, a, b in (("ISIS holds Mosul", "2014-06", "2017-07"), ("Campaign against ISIS", "2016-10", "2017-12"),
                        ("Attacks on US forces", "2023-10", "2024-02")):
        project.create_period(title, a, b)
    rows = _rows(n, rng, gids, T0, T1)
    if earlier:
        rows += _rows(earlier, np.random.default_rng(seed + 1), gids, T0 - EARLIER, T1 - EARLIER)
    project.bulk_insert_events(rows)
    project.close()
    return Path(out)


def _rows(n: int, rng, gids: list[int], t0: float, t1: float) -> list[dict]:
    """`n` events over [t0, t1], clustered in campaigns (the module says how)."""
    n_camp = 80
    centres = rng.uniform(t0, t1, n_camp)
    widths = rng.uniform(3, 120, n_camp) * 86400
    weights = rng.pareto(1.2, n_camp) + 0.2
    weights /= weights.sum()
    leads = rng.integers(0, len(gids), n_camp)
    camp = rng.choice(n_camp, size=n, p=weights)
    background = rng.random(n) < 0.2
    ts = np.where(background, rng.uniform(t0, t1, n), centres[camp] + rng.normal(0, 1, n) * widths[camp])
    ts = np.clip(ts, t0, t1)
    kind_roll = rng.random(n)
    kinds = np.select([kind_roll < 0.12, kind_roll < 0.2, kind_roll < 0.27, kind_roll < 0.34],
                      ["month", "year", "qualified", "hour"], "day")
    span_roll = rng.random(n) < 0.1
    span_days = rng.exponential(20, n) + 1
    lead_group = np.where(background, rng.integers(0, len(gids), n), leads[camp])
    second = rng.random(n) < 0.3
    other = rng.integers(0, len(gids), n)
    role2 = rng.choice(["target", "associated", "mentioned"], n, p=[0.5, 0.3, 0.2])
    verbs = rng.integers(0, len(VERBS), n)
    places = rng.integers(0, len(PLACES), n)
    rows = []
    for i in range(n):
        start = make_date(float(ts[i]), str(kinds[i]))
        end = None
        if span_roll[i] and kinds[i] in ("day", "hour"):
            end = make_date(float(ts[i] + span_days[i] * 86400), "day")
            if end.hi_ts < start.lo_ts:
                end = None
        groups = [(gids[lead_group[i]], "actor")]
        if second[i] and other[i] != lead_group[i]:
            groups.append((gids[other[i]], str(role2[i])))
        rows.append({"title": f"{VERBS[verbs[i]]} {PLACES[places[i]]}", "start": start, "end": end,
                     "groups": groups, "event_type": "Explosions/Remote violence" if verbs[i] < 4 else "Battles"})
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.perf.generate", description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--earlier", type=int, default=0, help="M more events over 1984–1994 (see above)")
    args = ap.parse_args(argv)
    if Path(args.out).exists():
        print(f"{args.out}: exists; remove it first", file=sys.stderr)
        return 1
    start = time.perf_counter()
    generate(args.n, args.out, args.seed, args.earlier)
    print(f"wrote {args.n + args.earlier:,} events to {args.out} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
