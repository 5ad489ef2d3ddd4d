"""Write a synthetic ACLED export for tests and the exchange benchmark.

    python -m tests.perf.acled_file N OUT.csv [--seed S] [--words]

N rows with the 31 columns of the 2023 codebook, Iraq-like actors as ACLED spells them, the three
time precisions mixed (70 % day, 20 % week, 10 % month), semicolon lists in assoc_actor_*, source
and tags, notes of a sentence or two, and every fifth date written "18 October 2023" (or every
date with --words) as the export tool writes them.
"""
from __future__ import annotations

import argparse
import csv
import random
from datetime import date, timedelta
from pathlib import Path

from sijill.db.formats.acled import COLUMNS

ACTORS = ["Kataib Hezbollah (Iraq)", "Harakat Hezbollah Al Nujaba", "Asaib Ahl Al Haq",
          "Islamic Resistance in Iraq", "Military Forces of the United States (2021-)",
          "Military Forces of Iraq (2022-) Popular Mobilization Forces", "Unidentified Armed Group (Iraq)",
          "Islamic State (Iraq)", "Protesters (Iraq)", "Civilians (Iraq)", "Police Forces of Iraq (2022-)",
          "Military Forces of Turkey (2016-)", "PKK: Kurdistan Workers Party"]
TYPES = [("Explosions/Remote violence", "Air/drone strike"),
         ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
         ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
         ("Battles", "Armed clash"), ("Violence against civilians", "Attack"), ("Protests", "Peaceful protest"),
         ("Strategic developments", "Arrests")]
PLACES = [("Anbar", "Heet", "Ain al-Asad Air Base", 33.80, 42.44), ("Erbil", "Erbil", "Harir", 36.53, 44.35),
          ("Baghdad", "Baghdad - Karkh", "Baghdad", 33.31, 44.37), ("Babil", "Al-Musayab", "Jurf al-Sakhar", 32.86, 44.16),
          ("Anbar", "Al-Qaim", "Al Qaim", 34.37, 41.09), ("Kirkuk", "Kirkuk", "Kirkuk", 35.47, 44.39),
          ("Ninewa", "Mosul", "Mosul", 36.34, 43.13), ("Basrah", "Basrah", "Basrah", 30.51, 47.78)]
OUTLETS = ["Shafaq News", "Rudaw", "Kurdistan24", "Alsumaria", "Xinhua", "Twitter", "Baghdad Today",
           "Al Mada", "AP", "Reuters", "Sabereen News", "Iraqi News Agency"]
TAGS = ["crowd size=no report", "local administrators", "women targeted: candidates"]
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]


def acled_rows(n: int, seed: int = 7, words: bool = False, start_id: int = 1):
    rng = random.Random(seed)
    day0 = date(2016, 1, 1)
    for i in range(n):
        d = day0 + timedelta(days=rng.randrange(3000))
        precision = rng.choices(("1", "2", "3"), weights=(7, 2, 1))[0]
        if words or i % 5 == 4:
            written = f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}"
        else:
            written = d.isoformat()
        disorder = "Political violence"
        event_type, sub = rng.choice(TYPES)
        actor1, actor2 = rng.sample(ACTORS, 2)
        assoc1 = "; ".join(rng.sample(ACTORS, rng.choice((0, 0, 1, 2))))
        admin1, admin2, location, lat, lon = rng.choice(PLACES)
        sources = "; ".join(rng.sample(OUTLETS, rng.choice((1, 1, 2, 3))))
        notes = (f"On {written}, {actor1} carried out a {sub.lower()} against {actor2} near {location}. "
                 + ("Casualties unknown." if rng.random() < 0.5 else f"{rng.randrange(5)} reported killed."))
        row = {
            "event_id_cnty": f"IRQ{start_id + i}", "event_date": written, "year": str(d.year),
            "time_precision": precision, "disorder_type": disorder, "event_type": event_type,
            "sub_event_type": sub, "actor1": actor1, "assoc_actor_1": assoc1, "inter1": "Political militia",
            "actor2": actor2 if event_type != "Protests" else "", "assoc_actor_2": "", "inter2": "State forces",
            "interaction": "Political militia-State forces", "civilian_targeting": "",
            "iso": "368", "region": "Middle East", "country": "Iraq", "admin1": admin1, "admin2": admin2,
            "admin3": "", "location": location, "latitude": f"{lat + rng.uniform(-0.05, 0.05):.4f}",
            "longitude": f"{lon + rng.uniform(-0.05, 0.05):.4f}", "geo_precision": str(rng.choice((1, 1, 2, 3))),
            "source": sources, "source_scale": "National", "notes": notes,
            "fatalities": str(rng.choice((0, 0, 0, 1, 2, 5))), "tags": rng.choice(["", "", TAGS[0], "; ".join(TAGS[:2])]),
            "timestamp": "1700000000",
        }
        yield [row[c] for c in COLUMNS]


def write_acled(path: str | Path, n: int, seed: int = 7, words: bool = False) -> Path:
    path = Path(path)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows(acled_rows(n, seed, words))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--words", action="store_true")
    args = parser.parse_args()
    write_acled(args.out, args.n, args.seed, args.words)


if __name__ == "__main__":
    main()
