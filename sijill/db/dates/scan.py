"""Finding dates in prose (`scan_dates`): candidate spans near digits and date words, each kept only
if the grammar reads it, then joined into ranges, widened by a frame or a qualifier before it, and the
longest of overlapping candidates kept.
"""
from __future__ import annotations

import bisect

from sijill.db.dates.folding import _Folded
from sijill.db.dates.grammar import _Grammar
from sijill.db.dates.spans import _Ctx, _Reading, _Unread


class _Scan:
    """One pass of scan_dates over a text: candidate spans, validated by reading them, longest kept."""

    MARGIN = 60  # no pattern reaches further than this from a digit or a date word

    def __init__(self, grammar: _Grammar, text: str, ctx: _Ctx) -> None:
        self.g, self.text, self.ctx = grammar, text, ctx
        self.fold = _Folded(text)
        self.folded = self.fold.s
        self.found: dict[tuple[int, int], _Reading] = {}
        self.readings: dict[str, _Reading | None] = {}

    def run(self) -> list[tuple[int, int, _Reading]]:
        g, folded = self.g, self.folded
        windows = self._windows()
        for rx in g.scans:
            for w0, w1 in windows:
                for m in rx.finditer(folded, w0, w1):
                    self.accept(*(m.span("core") if "core" in rx.groupindex else m.span()))
        for a, b in sorted(self.found):
            m = g.time_after.match(folded, b)
            if m:
                self.accept(a, m.end())
        spans = sorted(self.found)
        for (a, b), (c, d) in zip(spans, spans[1:]):
            if b < c and g.gap.fullmatch(folded, b, c):
                frame = g.frame_before.search(folded, max(0, a - 12), a)
                if not (frame and self.accept(frame.start(), d)):
                    self.accept(a, d)
        for a, b in sorted(self.found):
            for rx in (g.before, g.approx_before):
                m = rx.search(folded, max(0, a - self.MARGIN), a)
                if m:
                    self.accept(m.start(), b)
        return [(self.fold.start(a), self.fold.end(b), reading) for a, b, reading in self._longest()]

    def _windows(self) -> list[tuple[int, int]]:
        windows: list[tuple[int, int]] = []
        for m in self.g.trigger.finditer(self.folded):
            w0, w1 = max(0, m.start() - self.MARGIN), m.end() + self.MARGIN
            if windows and w0 <= windows[-1][1]:
                windows[-1] = (windows[-1][0], w1)
            else:
                windows.append((w0, w1))
        return [(w0, _word_end(self.folded, w1)) for w0, w1 in windows]

    def _longest(self) -> list[tuple[int, int, _Reading]]:
        chosen: list[tuple[int, int, _Reading]] = []
        cluster: list[tuple[int, int, _Reading]] = []
        reach = -1
        for (a, b), reading in sorted(self.found.items()):
            if a >= reach:
                chosen += _longest_of(cluster)
                cluster = []
            cluster.append((a, b, reading))
            reach = max(reach, b)
        return chosen + _longest_of(cluster)

    def accept(self, a: int, b: int) -> bool:
        if (a, b) in self.found:
            return True
        piece = self.folded[a:b]
        capital = self.g.capital
        if capital and any(not self.text[self.fold.start(a + m.start())].isupper()
                           for m in capital.finditer(piece)):
            return False
        if piece not in self.readings:
            try:
                reading = self.g.read(piece, self.ctx)
            except _Unread:
                reading = None
            self.readings[piece] = None if reading and reading.cuts and reading.second is None else reading
        if self.readings[piece] is None:
            return False
        self.found[a, b] = self.readings[piece]
        return True


def _longest_of(overlapping: list[tuple[int, int, _Reading]]) -> list[tuple[int, int, _Reading]]:
    kept: list[tuple[int, int, _Reading]] = []
    for span in sorted(overlapping, key=lambda t: (t[0] - t[1], t[0])):
        at = bisect.bisect_left(kept, span[1], key=lambda t: t[0])
        if at == 0 or kept[at - 1][1] <= span[0]:
            kept.insert(at, span)
    return kept


def _word_end(s: str, i: int) -> int:
    while i < len(s) and (s[i].isalnum() or s[i] == "_"):
        i += 1
    return min(i, len(s))
