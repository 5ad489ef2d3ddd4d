"""The hostile corpus: files an attacker or a careless tool could hand Sijill, each with what it
must do. Every case is run through the command line (`tests/hostile/test_corpus.py`): exit code 1,
the words of its message on stderr, no traceback, and the project exactly as it was.

Files are written at test time from this table (a flate bomb and a 10 MB body are too large to
commit); `python -m tests.hostile.cases DIR` writes them all to DIR to try them by hand.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable

from tests.hostile.build import flate_bomb_pdf

UID = "0b1c2d3e-0000-4000-8000-0000000000%02d"
S1 = "5a1c2d3e-0000-4000-8000-000000000001"


@dataclass(frozen=True)
class Case:
    name: str
    command: str  # "import:FORMAT" or "source-add"
    suffix: str
    content: bytes | Callable[[], bytes]
    words: tuple[str, ...]  # all in stderr (case-insensitive)
    code: int = 1
    extra: tuple[str, ...] = ()  # more arguments to the command

    def data(self) -> bytes:
        return self.content() if callable(self.content) else self.content


def _doc(**members) -> dict:
    return {"format": "sijill", "version": 2, **members}


def _event(n: int = 1, **fields) -> dict:
    return {"uid": UID % n, "title": "Drone attack on Erbil", "start": "2023-10-18", **fields}


def _source(**fields) -> dict:
    return {"uid": S1, "title": "Rudaw report", "body": "Drones struck the base at dawn.", **fields}


def _date(text: str, lo: str, hi: str, precision: str = "day") -> dict:
    return {"text": text, "lo": lo, "hi": hi, "precision": precision, "approximate": False, "uncertain": False}


def native(name: str, doc: dict | str, *words: str) -> Case:
    raw = doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False)
    return Case(f"native-{name}", "import:native", ".json",
                raw.encode("utf-8", "surrogatepass"), words)


def _deep_unknown_member() -> bytes:
    return ('{"format": "sijill", "version": 2, "x": ' + "[" * 10_000 + "]" * 10_000 + "}").encode()


def _huge_body() -> bytes:
    return json.dumps(_doc(sources=[_source(body="x" * 10_000_001)])).encode()


def _huge_description() -> bytes:
    return json.dumps(_doc(events=[_event(description="y" * 1_000_001)])).encode()


def _deep(levels: int) -> object:
    value: object = "bottom"
    for _ in range(levels):
        value = [value]
    return value


ANNOTATION = {"uid": "a-1", "source": S1, "start": 0, "end": 6, "quote": "Drones"}

NATIVE = [
    # control characters, NUL, DEL, lone surrogates, in every kind of field
    native("esc-in-event-title", _doc(events=[_event(title="Strike\x1b[2J\x1b[H")]),
           "events[0]", "field 'title'", "U+001B"),
    native("nul-in-group-name", _doc(groups=[{"name": "Kataib\x00Hezbollah"}]), "groups[0]", "'name'", "NUL"),
    native("del-in-description", _doc(events=[_event(description="a\x7fb")]), "'description'", "DEL"),
    native("bell-in-location", _doc(events=[_event(location="Erbil\x07")]), "'location'", "U+0007"),
    native("lone-surrogate-in-title", '{"format": "sijill", "version": 2, "events": [{"uid": "u-1", '
           '"title": "Strike \\ud800", "start": "2023-10-18"}]}', "events[0]", "'title'", "lone surrogate"),
    native("lone-low-surrogate-in-body", '{"format": "sijill", "version": 2, "sources": [{"uid": "s-1", '
           '"title": "Report", "body": "text \\udc80 more"}]}', "sources[0]", "'body'", "lone surrogate"),
    native("esc-in-alias", _doc(groups=[{"name": "KH", "aliases": [{"alias": "Kata'ib\x1b", "lang": "en"}]}]),
           "aliases[0]", "'alias'", "U+001B"),
    native("esc-in-event-tag", _doc(events=[_event(tags=["drone", "\x1b]0;pwned\x07"])]), "'tags'", "item 1"),
    native("esc-in-document-title", _doc(title="Project\x1b[31m"), "field 'title'", "U+001B"),
    native("nul-in-document-tags", _doc(tags=["ok", "bad\x00"]), "tags[1]", "NUL"),
    native("esc-in-attribute-name", _doc(events=[_event(attributes={"notes\x1b": "x"})]), "'attributes'",
           "U+001B"),
    native("esc-in-date-text", _doc(events=[_event(start=_date(
        "2023-10-18\x1b", "2023-10-18T00:00:00+00:00", "2023-10-18T23:59:59+00:00"))]), "'start'", "U+001B"),
    native("esc-in-annotation-note", _doc(sources=[_source()], annotations=[{**ANNOTATION, "note": "\x1bc"}]),
           "annotations[0]", "'note'", "U+001B"),
    native("noncharacter-in-source-title", _doc(sources=[_source(title="Report \uffff")]), "'title'",
           "non-character"),
    # numbers
    native("fatalities-past-64-bits", _doc(events=[_event(fatalities=10 ** 30)]), "'fatalities'", "64 bits"),
    native("latitude-past-float", _doc(events=[_event(latitude=10 ** 400)]), "'latitude'", "64 bits"),
    native("position-past-64-bits", _doc(groups=[{"name": "KH", "position": -(2 ** 64)}]), "'position'",
           "64 bits"),
    native("annotation-start-past-64-bits", _doc(sources=[_source()], annotations=[
        {**ANNOTATION, "start": 2 ** 70, "end": 2 ** 70 + 6}]), "annotations[0]", "64 bits"),
    native("credibility-past-64-bits", _doc(sources=[_source()], annotations=[
        {**ANNOTATION, "credibility": 2 ** 63}]), "'credibility'", "64 bits"),
    native("number-of-5000-digits", '{"format": "sijill", "version": 2, "events": [{"uid": "u", "title": "t", '
           '"start": "2014", "fatalities": ' + "9" * 5000 + "}]}", "digits"),
    native("latitude-nan", '{"format": "sijill", "version": 2, "events": [{"uid": "u", "title": "t", '
           '"start": "2014", "latitude": NaN}]}', "'latitude'", "outside"),
    native("fatalities-infinity", '{"format": "sijill", "version": 2, "events": [{"uid": "u", "title": "t", '
           '"start": "2014", "fatalities": Infinity}]}', "'fatalities'", "expected int"),
    # nesting
    Case("native-nested-10000-levels", "import:native", ".json", _deep_unknown_member, ("nested too deeply",)),
    native("attributes-nested-100-levels", _doc(events=[_event(attributes={"a": _deep(100)})]), "'attributes'",
           "nested more than 8 levels"),
    native("unknown-field-nested-50-levels", _doc(events=[_event(extra=_deep(50))]), "'extra'", "nested"),
    # duplicates inside one document
    native("event-uid-twice", _doc(events=[_event(1), _event(1, title="Other")]), "events[1]",
           "also that of events[0]"),
    native("group-name-twice", _doc(groups=[{"name": "KH"}, {"name": "KH", "kind": "militia"}]), "groups[1]",
           "also that of groups[0]"),
    native("group-uid-twice", _doc(groups=[{"name": "KH", "uid": "g-1"}, {"name": "PMF", "uid": "g-1"}]),
           "groups[1]", "'uid'", "also that of groups[0]"),
    native("source-uid-twice", _doc(sources=[_source(), _source(title="Copy")]), "sources[1]", "also that of"),
    native("annotation-uid-twice", _doc(sources=[_source()], annotations=[ANNOTATION, ANNOTATION]),
           "annotations[1]", "also that of"),
    native("period-uid-twice", _doc(periods=[{"uid": "p-1", "title": "A", "start": "2014"},
                                             {"uid": "p-1", "title": "B", "start": "2015"}]), "periods[1]",
           "also that of"),
    # a date whose text says another time than its bounds
    native("date-text-contradicts-bounds", _doc(events=[_event(start=_date(
        "2014", "2020-05-01T00:00:00+00:00", "2020-05-01T23:59:59+00:00"))]), "'start'", "outside its bounds"),
    native("period-date-contradicts-bounds", _doc(periods=[{"uid": "p-1", "title": "ISIS holds Mosul", "start": _date(
        "June 2014", "1999-06-01T00:00:00+00:00", "1999-06-30T23:59:59+00:00", "month")}]), "periods[0]",
        "outside its bounds"),
    # the header
    native("version-true", _doc(version=True), "version true is not supported"),
    native("version-negative", _doc(version=-1), "version -1 is not supported"),
    native("version-zero", _doc(version=0), "version 0"),
    native("version-text", _doc(version="2"), "version '2'"),
    native("version-from-the-future", _doc(version=99), "version 99"),
    native("not-an-object", "[1, 2, 3]", "not a sijill native document"),
    native("truncated", '{"format": "sijill", "version": 2, "events": [{"uid": "u", "title": ', "not valid json"),
    Case("native-bom", "import:native", ".json", b"\xef\xbb\xbf" + json.dumps(_doc()).encode(), ("bom",)),
    Case("native-latin1", "import:native", ".json", '{"format": "sijill", "title": "Caf\xe9"}'.encode("latin-1"),
         ("not utf-8",)),
    # sizes
    native("title-of-5000-characters", _doc(events=[_event(title="x" * 5000)]), "'title'",
           "too long: 5,000 characters (at most 4,096)"),
    native("group-name-of-5000-characters", _doc(groups=[{"name": "G" * 5000}]), "'name'", "too long"),
    Case("native-body-over-10-million", "import:native", ".json", _huge_body, ("'body'", "10,000,001 characters")),
    Case("native-description-over-1-million", "import:native", ".json", _huge_description,
         ("'description'", "1,000,001 characters")),
]

_TLJS = {"events": [{"start_date": {"year": "2023", "month": "10", "day": "18"},
                     "text": {"headline": "Drone attack", "text": "Drones struck"}}]}


def _tljs(headline: str) -> bytes:
    doc = json.loads(json.dumps(_TLJS))
    doc["events"][0]["text"]["headline"] = headline
    return json.dumps(doc).encode("utf-8", "surrogatepass")


EXCHANGE = [
    Case("csv-esc-in-title", "import:csv", ".csv", b"title,date\n\"Strike\x1b[2J\",2023-10-18\n",
         ("row 2", "'title'", "U+001B")),
    Case("csv-bell-in-location", "import:csv", ".csv", b"title,date,location\nStrike,2023-10-18,Erbil\x07\n",
         ("row 2", "'location'", "U+0007")),
    Case("csv-title-of-5000-characters", "import:csv", ".csv", b"title,date\n" + b"x" * 5000 + b",2023-10-18\n",
         ("row 2", "'title'", "too long")),
    Case("csv-esc-in-tag", "import:csv", ".csv", b"title,date,tags\nStrike,2023-10-18,drone;\x1b[1m\n",
         ("row 2", "'tags'", "U+001B")),
    Case("acled-esc-in-actor", "import:acled", ".csv",
         b"event_id_cnty,event_date,time_precision,event_type,actor1,latitude,longitude,fatalities,source\n"
         b"IRQ1,2023-10-18,1,Battles,Kataib\x1bHezbollah,33.3,44.4,0,Rudaw\n", ("row 2", "U+001B")),
    Case("timelinejs-esc-in-headline", "import:timelinejs", ".json", _tljs("Drone\x1b[31m attack"),
         ("'title'", "U+001B")),
    Case("timelinejs-lone-surrogate", "import:timelinejs", ".json", _tljs("Drone \ud83d attack"),
         ("surrogate",)),
    Case("timeline-xml-control-character", "import:timeline-xml", ".timeline",
         b"<?xml version='1.0' encoding='utf-8'?>\n<timeline><version>2.0</version><categories/><events><event>"
         b"<start>2023-10-18 00:00:00</start><end>2023-10-18 00:00:00</end><text>Strike&#27;</text>"
         b"</event></events></timeline>\n", ("timeline",)),
]

SOURCES = [
    Case("pdf-flate-bomb", "source-add", ".pdf", flate_bomb_pdf, ("not a readable pdf", "inflates")),
    Case("source-title-with-escape-sequences", "source-add", ".txt", b"A report. Drones struck at dawn.\n",
         ("'title'", "U+001B"), extra=("--title", "Report\x1b]0;owned\x07")),
    Case("source-title-of-5000-characters", "source-add", ".txt", b"A report.\n", ("'title'", "too long"),
         extra=("--title", "t" * 5000)),
]

CASES = NATIVE + EXCHANGE + SOURCES


if __name__ == "__main__":
    import sys
    from pathlib import Path

    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        (out / f"{case.name}{case.suffix}").write_bytes(case.data())
    print(f"{len(CASES)} files in {out}")
