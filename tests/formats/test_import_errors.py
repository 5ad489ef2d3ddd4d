"""Malformed files, as analysts really produce them: each is refused with what and where (file,
row, column), nothing is written, and the project is exactly as it was."""
from __future__ import annotations

import csv
import hashlib
import io

import pytest

from sijill.db.formats.acled import COLUMNS, AcledReader
from sijill.db.formats.apply import run_import, stored_digests
from sijill.db.formats.csv_import import CsvReader
from sijill.db.formats.records import ExchangeError, ImportFailed


def _acled_text(rows: list[dict], header=COLUMNS) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        base = {"event_id_cnty": "IRQ1", "event_date": "2023-10-18", "time_precision": "1",
                "event_type": "Battles", "actor1": "Kataib Hezbollah (Iraq)", "latitude": "33.3",
                "longitude": "44.4", "fatalities": "0", "source": "Rudaw"}
        base.update(r)
        w.writerow([base.get(c, "") for c in header])
    return out.getvalue()


def _csv(text: str) -> str:
    return text


# (name, reader, file content (str, or bytes for encoding cases), expected row, expected column, words in the reason)
CASES = [
    ("acled-empty-file", "acled", "", 1, None, "empty"),
    ("acled-header-only-missing-columns", "acled", "event_id_cnty,notes\n", 1, "event_date", "missing"),
    ("acled-bad-date", "acled", _acled_text([{"event_date": "2023-13-01"}]), 2, "event_date", "not"),
    ("acled-impossible-day", "acled", _acled_text([{"event_date": "31 February 2024"}]), 2, "event_date", "calendar"),
    ("acled-empty-date", "acled", _acled_text([{"event_date": ""}]), 2, "event_date", "empty"),
    ("acled-precision-4", "acled", _acled_text([{"time_precision": "4"}]), 2, "time_precision", "1, 2 or 3"),
    ("acled-latitude-text", "acled", _acled_text([{"latitude": "33,3N"}]), 2, "latitude", "not a number"),
    ("acled-latitude-range", "acled", _acled_text([{"latitude": "133.3"}]), 2, "latitude", "outside"),
    ("acled-longitude-nan", "acled", _acled_text([{"longitude": "nan"}]), 2, "longitude", "outside"),
    ("acled-one-coordinate", "acled", _acled_text([{"longitude": ""}]), 2, "longitude", "other coordinate"),
    ("acled-negative-fatalities", "acled", _acled_text([{"fatalities": "-2"}]), 2, "fatalities", "whole number"),
    ("acled-fatalities-text", "acled", _acled_text([{"fatalities": "dozens"}]), 2, "fatalities", "whole number"),
    ("acled-no-actor", "acled", _acled_text([{"actor1": ""}]), 2, "actor1", "first actor"),
    ("acled-no-id", "acled", _acled_text([{"event_id_cnty": ""}]), 2, "event_id_cnty", "empty"),
    ("acled-duplicate-id", "acled", _acled_text([{}, {"notes": "again"}]), 3, "event_id_cnty", "twice"),
    ("acled-short-row", "acled", _acled_text([{}]) + "IRQ2,2023-10-19\n", 3, None, "cells"),
    ("acled-unclosed-quote", "acled", _acled_text([{}]) + 'IRQ2,"2023-10-19\n', 3, None, "never closed"),
    ("acled-latin1", "acled", _acled_text([{"notes": "Café"}]).encode("latin-1"), 2, "notes", "UTF-8"),
    ("acled-binary", "acled", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 1, None, "not a text file"),
    ("acled-duplicate-column", "acled", "event_id_cnty,event_date,event_date\n", 1, "event_date", "twice"),
    ("csv-no-title-column", "csv", "when,what\n2023-10-18,x\n", 1, None, "title"),
    ("csv-no-date-column", "csv", "title,place\nDrone attack,Erbil\n", 1, None, "date"),
    ("csv-unreadable-date", "csv", "title,date\nDrone attack,the day after the storm\n", 2, "date", "date"),
    ("csv-empty-title", "csv", "title,date\n,2023-10-18\n", 2, "title", "title"),
    ("csv-end-before-start", "csv", "title,start,end\nSiege,2023-10-18,2023-09\n", 2, "end", "before"),
    ("csv-bad-uid", "csv", "uid,title,date\nnot-a-uuid,Siege,2023-10-18\n", 2, "uid", "UUID"),
    ("csv-uid-twice-under-two-ids", "csv", "id,uid,title,date\nk1,0b1c2d3e-0000-4000-8000-000000000001,A,2023-10-18\n"
     "k2,0b1c2d3e-0000-4000-8000-000000000001,B,2023-10-19\n", 3, "uid", "twice"),
    ("csv-uid-twice-in-two-cases", "csv", "uid,title,date\n0b1c2d3e-0000-4000-8000-00000000000a,A,2023-10-18\n"
     "0B1C2D3E-0000-4000-8000-00000000000A,B,2023-10-19\n", 3, "uid", "twice"),
    ("csv-semicolon-bad-number", "csv", "title;date;fatalities\nRaid;2023-10-18;3.5\n", 2, "fatalities", "whole"),
]


@pytest.mark.parametrize("name, fmt, content, row, column, words", CASES, ids=[c[0] for c in CASES])
def test_malformed_file_is_refused_with_where_and_why(small_project, tmp_path, name, fmt, content, row, column, words):
    path = tmp_path / f"{name}.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    db_file = small_project.path
    small_project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = (small_project.stats(), hashlib.sha256(db_file.read_bytes()).hexdigest())
    reader_class = AcledReader if fmt == "acled" else CsvReader
    with pytest.raises(ExchangeError) as caught:
        run_import(small_project, reader_class(path, stored=stored_digests(small_project, fmt)))
    error = caught.value
    assert isinstance(error, ImportFailed)
    assert error.path.name == path.name and path.name in str(error)
    first = error.errors[0]
    assert (first.row, first.column) == (row, column), str(error)
    assert words.lower() in first.message.lower(), str(error)
    small_project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert (small_project.stats(), hashlib.sha256(db_file.read_bytes()).hexdigest()) == before


def test_at_least_twenty_malformed_files_are_covered():
    assert len(CASES) >= 20


def test_a_missing_file_says_so(project, tmp_path):
    with pytest.raises(ExchangeError, match="no such file"):
        AcledReader(tmp_path / "nowhere.csv")
    with pytest.raises(ExchangeError, match="is a folder"):
        CsvReader(tmp_path)


def test_a_file_with_old_mac_line_endings_is_read_row_by_row(project, tmp_path):
    """Excel's "CSV (Macintosh)" ends lines with a lone CR: the header is the first of them."""
    path = tmp_path / "mac.csv"
    path.write_bytes(b"title,date\rRaid,2023-10-18\r\"Two\rlines\",2023-10-19\r")
    result = run_import(project, CsvReader(path))
    assert result.added == 2
    assert sorted(e.title for e in project.events()) == ["Raid", "Two\rlines"]
