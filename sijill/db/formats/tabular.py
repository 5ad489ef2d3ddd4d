"""Read delimited text files row by row, for the CSV-shaped importers (ACLED, CSV, TimelineJS sheets).

The file is streamed, never read whole: a counting wrapper under the text decoder tells how much
of it has been read (for a progress bar). UTF-8 with or without a byte-order mark is read; a file
in another encoding is reported at the row where decoding fails, not guessed at. The delimiter
(comma, semicolon or tab) is sniffed from the header line.
"""
from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator

from sijill.db.formats.records import ImportFailed, RowError, existing_file

csv.field_size_limit(64 * 1024 * 1024)
_UNDECODED = re.compile("[\udc80-\udcff]")


class _Counting(io.RawIOBase):
    """A binary file that counts the bytes read through it."""

    def __init__(self, raw) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.raw.readinto(buffer)
        self.count += n or 0
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


class DelimitedFile:
    """A header and its rows; `rows()` yields (row number, cells), the header being row 1: the
    numbers a spreadsheet shows (a quoted cell spanning several lines is still one row)."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = existing_file(path)
        self.size = max(self.path.stat().st_size, 1)
        self._counting: _Counting | None = None
        self.header = self._read_header()

    def _open(self) -> io.TextIOWrapper:
        self._counting = _Counting(open(self.path, "rb", buffering=0))
        buffered = io.BufferedReader(self._counting, buffer_size=1 << 16)
        # Undecodable bytes become lone surrogates, found per row (see rows): the error can then
        # name the row and the column, which a decoder failing on a whole buffer cannot.
        return io.TextIOWrapper(buffered, encoding="utf-8-sig", errors="surrogateescape", newline="")

    def _read_header(self) -> list[str]:
        with open(self.path, "rb") as fh:
            head = fh.read(1 << 16)
        if b"\x00" in head:
            raise ImportFailed(self.path, [RowError(1, None, "this is not a text file (it holds NUL bytes)")])
        line = re.split(rb"\r\n|\r|\n", head, maxsplit=1)[0]  # a lone CR ends a line too (old Mac Excel)
        try:
            first = line.decode("utf-8-sig", errors="strict")
        except UnicodeDecodeError as exc:
            if exc.start < len(line) - 4 or len(line) < len(head):
                raise ImportFailed(self.path, [RowError(1, None, f"not UTF-8 text (byte {exc.start}); "
                                                        "save the file as UTF-8 and try again")]) from exc
            first = line[:exc.start].decode("utf-8-sig", errors="ignore")
        if not first.strip():
            raise ImportFailed(self.path, [RowError(1, None, "the file is empty: no header row")])
        counts = {d: first.count(d) for d in (",", ";", "\t")}
        self.delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
        header = next(csv.reader([first], delimiter=self.delimiter), [])
        header = [h.strip() for h in header]
        seen: set[str] = set()
        for h in header:
            if h and h in seen:
                raise ImportFailed(self.path, [RowError(1, h, "this column name appears twice in the header")])
            seen.add(h)
        return header

    def full_rows(self) -> Iterator[tuple[int, list[str]] | RowError]:
        """`rows()`, with a RowError instead of each row whose number of cells is not the header's
        (the reading goes on after it, not after a row that cannot be decoded or parsed)."""
        width = len(self.header)
        for item in self.rows():
            if item.__class__ is not RowError and len(item[1]) != width:
                item = RowError(item[0], None, f"has {len(item[1])} cells where the header has {width}")
            yield item

    def _encoding_error(self, line: int, cells: list[str]) -> RowError:
        for i, cell in enumerate(cells):
            found = _UNDECODED.search(cell)
            if found:
                column = self.header[i] if i < len(self.header) else None
                return RowError(line, column, f"not UTF-8 text (character {found.start() + 1} of the cell); "
                                "save the file as UTF-8 and try again")
        return RowError(line, None, "not UTF-8 text")

    def estimated_rows(self) -> int:
        """About how many rows the file holds (its size over the mean length of its first lines)."""
        with open(self.path, "rb") as fh:
            head = fh.read(1 << 18)
        lines = head.count(b"\n")
        return int(self.size / (len(head) / lines)) if lines > 1 else 1

    def fraction(self) -> float:
        return min(1.0, self._counting.count / self.size) if self._counting else 0.0

    def rows(self) -> Iterator[tuple[int, list[str]] | RowError]:
        """(line, cells) per data row; a RowError for a row that cannot be decoded or parsed (and
        reading stops there, as nothing after it can be trusted)."""
        with self._open() as fh:
            reader = csv.reader(fh, delimiter=self.delimiter, strict=True)
            line = 1
            try:
                next(reader, None)
                line = 2
                bad = _UNDECODED.search
                for cells in reader:
                    if cells:
                        if bad("".join(cells)):
                            yield self._encoding_error(line, cells)
                        else:
                            yield line, cells
                    line += 1
            except csv.Error as exc:
                reason = "a quoted cell is never closed" if "end of data" in str(exc) else "malformed CSV"
                yield RowError(line, None, f"{reason} ({exc})")
