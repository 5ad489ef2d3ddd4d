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
from collections.abc import Iterator
from pathlib import Path

from db.formats.records import ExchangeError, ImportFailed, RowError

csv.field_size_limit(64 * 1024 * 1024)


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
    """A header and its rows; `rows()` yields (line number, cells), the header being line 1.
    A row's line number is the line it starts on (a quoted cell may span lines)."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise ExchangeError(f"{self.path}: no such file")
        if self.path.is_dir():
            raise ExchangeError(f"{self.path}: is a folder, not a file")
        self.size = max(self.path.stat().st_size, 1)
        self._counting: _Counting | None = None
        self.header = self._read_header()

    def _open(self) -> io.TextIOWrapper:
        self._counting = _Counting(open(self.path, "rb", buffering=0))
        buffered = io.BufferedReader(self._counting, buffer_size=1 << 16)
        return io.TextIOWrapper(buffered, encoding="utf-8-sig", newline="")

    def _read_header(self) -> list[str]:
        with open(self.path, "rb") as fh:
            head = fh.read(1 << 16)
        if b"\x00" in head:
            raise ImportFailed(self.path, [RowError(1, None, "this is not a text file (it holds NUL bytes)")])
        try:
            first = head.decode("utf-8-sig", errors="strict").splitlines()[0] if head.strip() else ""
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:
                raise ImportFailed(self.path, [RowError(1, None, f"not UTF-8 text (byte {exc.start}); "
                                                        "save the file as UTF-8 and try again")]) from exc
            first = head[:exc.start].decode("utf-8-sig", errors="ignore").splitlines()[0]
        except IndexError:
            first = ""
        if not first.strip():
            raise ImportFailed(self.path, [RowError(1, None, "the file is empty: no header row")])
        counts = {d: first.count(d) for d in (",", ";", "\t")}
        self.delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
        with self._open() as fh:
            header = next(csv.reader(fh, delimiter=self.delimiter), [])
        header = [h.strip() for h in header]
        seen: set[str] = set()
        for h in header:
            if h and h in seen:
                raise ImportFailed(self.path, [RowError(1, h, "this column name appears twice in the header")])
            seen.add(h)
        return header

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
                line = reader.line_num + 1
                for cells in reader:
                    if cells:
                        yield line, cells
                    line = reader.line_num + 1
            except UnicodeDecodeError:
                yield RowError(line, None, "not UTF-8 text from this row on; save the file as UTF-8 and try again")
            except csv.Error as exc:
                yield RowError(line, None, f"malformed CSV ({exc})")
