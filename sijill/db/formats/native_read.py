"""Reading a native document file (see db.formats.native) into an import's plan, list by list in an
order its records allow: each list is read once the lists its records refer to are read (`NEEDS`:
groups and sources before annotations, all three before events), which is where exports write them,
so an exported file is read in one pass, member by member and record by record (`JsonStream`), and
memory stays flat at any size. A document in another order is read again for the lists it had to
pass over. The plan (db.formats.native_import) checks what it is given.
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sijill.db.formats.native import KINDS, JsonStream, NativeImportError

if TYPE_CHECKING:
    from sijill.db.formats.native_import import Plan

HEADER = ("format", "version", "title", "project_uid", "tags")
NEEDS = {"groups": (), "periods": (), "sources": (), "annotations": ("groups", "sources"),
         "events": ("groups", "sources", "annotations")}  # lists whose names and uids a list's records use


def read_file(plan: Plan, path: Path) -> None:
    """Read the document in `path` into `plan`: in one pass when each list comes after those its
    records refer to (as exports write them), passing over the others and reading them again."""
    header: dict[str, Any] = {}
    waiting: dict[str, Any] = {}  # lists read (small ones, or a value that is no list) before their turn
    in_file: set[str] = set()

    def settle() -> None:
        for kind in KINDS:
            if kind in waiting and plan.ready(kind):
                plan.read(kind, waiting.pop(kind))

    with JsonStream(path) as stream:
        if stream.peek() != "{":
            plan.check_header(stream.value())  # not an object: says it is no native document
        for key in stream.members():
            if key in header or key in in_file:
                raise NativeImportError(f"'{key}' appears twice in the document")
            if key in HEADER:
                header[key] = stream.value()
                if not plan.checked and "format" in header and "version" in header:
                    plan.check_header(header)
                    settle()
            elif key in KINDS:
                in_file.add(key)
                if stream.peek() != "[":
                    waiting[key] = stream.value()
                elif plan.ready(key):
                    plan.read(key, stream.items())
                elif key in ("groups", "periods"):
                    waiting[key] = list(stream.items())
                else:
                    stream.skip()
            else:
                stream.skip()
    if not plan.checked:
        plan.check_header(header)
    waiting.update((kind, None) for kind in KINDS if kind not in in_file)
    settle()
    while len(plan.done) < len(KINDS):
        done = len(plan.done)
        with JsonStream(path) as stream:
            for key in stream.members():
                if key in KINDS and key not in waiting and plan.ready(key):
                    plan.read(key, stream.items())
                else:
                    stream.skip()
        settle()
        if len(plan.done) == done:
            raise NativeImportError(f"cannot read {', '.join(k for k in KINDS if k not in plan.done)}")


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large document is read and checked: it holds
    no cycles, but its millions of new objects set off full collections over the whole heap."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
