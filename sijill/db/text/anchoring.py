"""Find annotated passages again after a source's text has changed (re-anchoring).

Each annotation stores its code-point offsets and its quote with up to 32 characters of prefix and
suffix (db.library.quote_parts). When the text changes, as Hypothesis does it, we try in order:

1. the quote, exactly, at its old offsets (or where the edit moved them) with its context: *kept*;
2. every exact occurrence of the quote, scored on how well the text before and after agrees with
   the stored prefix and suffix and how close it is to where the passage should now be;
3. a fuzzy match (rapidfuzz), first in a window around that place, then over the whole text.

A match is taken only when it is convincing (see the thresholds below): an exact quote needs its
context on one side (or to be long and unique), an edited quote needs to be close to the old one
and its context on both sides. A passage that cannot be found is *orphaned*, never attached to a
look-alike. Offsets are Python str indices (code points).
"""
from __future__ import annotations

import bisect
import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

# Thresholds. Similarities are rapidfuzz ratios (normalised Indel similarity, 0-100). Two unrelated
# English strings of 32 characters score about 30 (99% under 50, none of 3,000 sampled above 72),
# so context agreement is asked above that; a one-word edit in a sentence-long quote scores ~90.
# Cases: tests/db/test_anchoring.py.
QUOTE_MIN = 85.0  # a fuzzy candidate must be this similar to the stored quote (~1 edit in 7 characters)
CONTEXT_MIN = 75.0  # ...and the stored prefix or suffix must agree this well on one side at least
CONTEXT_FLOOR = 50.0  # ...and, for a fuzzy match, the other side at least this well (not random)
CONTEXT_SURE = 90.0  # an exact quote with both sides this good where expected is taken at once
LONG_QUOTE = 32  # an exact quote this long that occurs once is convincing without its context
FUZZY_MIN_LEN = 12  # shorter quotes are matched exactly or not at all ("Tower 22" is not "Tower 23")
LOCAL_WINDOW = 2000  # characters either side of the expected place searched first
CHUNK = 16384  # whole-text fuzzy search looks at the best match per chunk of this many characters
MAX_OCCURRENCES = 5000  # exact occurrences scored per quote (a quote so common is decided by context)

@dataclass(frozen=True)
class AnchorResult:
    """Where an annotation's passage is in the new text. `start`/`end` are None when orphaned.

    `method` says how it was found: "position" (exact, where expected), "exact" (another exact
    occurrence), "fuzzy" (the quote was edited: the new text differs) or "" when orphaned.
    `score` is the quote similarity (100 for exact)."""

    annotation_id: int | None
    status: str
    start: int | None
    end: int | None
    old_start: int
    old_end: int
    method: str
    score: float


@dataclass(frozen=True)
class _Anchor:
    id: int | None
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str


def reanchor(old_body: str | None, new_body: str, annotations: Iterable) -> list[AnchorResult]:
    """Re-anchor `annotations` (objects or dicts with start, end, quote, prefix, suffix and
    optionally id) from `old_body` to `new_body`; one result per annotation, in order.
    `old_body` may be None (the old text is unknown): positions are then taken as they were."""
    shift = PositionMap(old_body, new_body)
    out = []
    for item in annotations:
        anchor = _as_anchor(item)
        out.append(_locate(new_body, anchor, shift(anchor.start)))
    return out


def _as_anchor(item) -> _Anchor:
    get = item.get if isinstance(item, dict) else (lambda k, d=None: getattr(item, k, d))
    return _Anchor(get("id"), int(get("start")), int(get("end")), get("quote") or "",
                   get("prefix") or "", get("suffix") or "")


# ---- scoring ------------------------------------------------------------------------------------
def _context(body: str, start: int, end: int, a: _Anchor) -> tuple[float, float]:
    """How well the text around [start, end) agrees with the stored prefix and suffix."""
    if a.prefix:
        p = fuzz.ratio(a.prefix, body[max(0, start - len(a.prefix)):start])
    else:  # the passage began the old text
        p = 100.0 if start == 0 else 0.0
    if a.suffix:
        s = fuzz.ratio(a.suffix, body[end:end + len(a.suffix)])
    else:
        s = 100.0 if end == len(body) else 0.0
    return p, s


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    quote_score: float
    prefix_score: float
    suffix_score: float
    distance: int

    def total(self, n: int) -> float:
        closeness = 100.0 * (1.0 - min(self.distance, n) / n)
        return 0.5 * self.quote_score + 0.2 * self.prefix_score + 0.2 * self.suffix_score + 0.1 * closeness


def _candidate(body: str, start: int, end: int, a: _Anchor, expected: int, quote_score: float) -> _Candidate:
    p, s = _context(body, start, end, a)
    return _Candidate(start, end, quote_score, p, s, abs(start - expected))


def _best(cands: list[_Candidate], n: int) -> _Candidate | None:
    return max(cands, key=lambda c: (c.total(n), -c.distance), default=None)


# ---- the search ---------------------------------------------------------------------------------
def _locate(body: str, a: _Anchor, expected: int) -> AnchorResult:
    n = max(len(body), 1)
    qlen = len(a.quote)

    def found(c: _Candidate, method: str) -> AnchorResult:
        kept = method != "fuzzy" and (c.start, c.end) == (a.start, a.end)
        return AnchorResult(a.id, "kept" if kept else "moved", c.start, c.end, a.start, a.end,
                            "position" if method == "exact" and c.distance == 0 else method,
                            round(c.quote_score, 1))

    if not a.quote:
        return AnchorResult(a.id, "orphaned", None, None, a.start, a.end, "", 0.0)

    # 1. where it was, or where the edit moved it, with its context on both sides
    for start in dict.fromkeys((a.start, expected)):
        if body.startswith(a.quote, start):
            c = _candidate(body, start, start + qlen, a, expected, 100.0)
            if min(c.prefix_score, c.suffix_score) >= CONTEXT_SURE:
                return found(c, "exact")

    # 2. every exact occurrence
    exact: list[_Candidate] = []
    pos = body.find(a.quote)
    while pos >= 0 and len(exact) < MAX_OCCURRENCES:
        exact.append(_candidate(body, pos, pos + qlen, a, expected, 100.0))
        pos = body.find(a.quote, pos + 1)
    unique = len(exact) == 1
    good = [c for c in exact if max(c.prefix_score, c.suffix_score) >= CONTEXT_MIN
            or (unique and qlen >= LONG_QUOTE)]
    best = _best(good, n)
    if best is not None:
        return found(best, "exact")

    # 3. fuzzy: near the expected place first, then anywhere
    if qlen < FUZZY_MIN_LEN:
        return AnchorResult(a.id, "orphaned", None, None, a.start, a.end, "", 0.0)
    lo = max(0, expected - LOCAL_WINDOW)
    hi = min(len(body), expected + qlen + LOCAL_WINDOW)
    best = _best(_fuzzy_in(body, lo, hi, a, expected), n)
    if best is None and fuzz.partial_ratio(a.quote, body, score_cutoff=QUOTE_MIN - 5):
        # Something similar exists somewhere (no chunk can beat the whole text's best): take the
        # best match of each chunk so that context, not just quote similarity, decides.
        cands: list[_Candidate] = []
        step = max(CHUNK, 8 * qlen)
        overlap = 2 * qlen + 64
        for chunk_lo in range(0, max(len(body), 1), step):
            chunk_hi = min(len(body), chunk_lo + step + overlap)
            if lo <= chunk_lo and chunk_hi <= hi:
                continue  # already searched
            cands += _fuzzy_in(body, chunk_lo, chunk_hi, a, expected)
        best = _best(cands, n)
    if best is not None:
        return found(best, "fuzzy")
    return AnchorResult(a.id, "orphaned", None, None, a.start, a.end, "", 0.0)


def _fuzzy_in(body: str, lo: int, hi: int, a: _Anchor, expected: int) -> list[_Candidate]:
    """The best fuzzy match of the quote in body[lo:hi], if it is convincing (else [])."""
    if hi - lo < len(a.quote) * QUOTE_MIN / 100:
        return []
    m = fuzz.partial_ratio_alignment(a.quote, body[lo:hi], score_cutoff=QUOTE_MIN - 5)
    if m is None:
        return []
    start, end = _refine(body, lo + m.dest_start, lo + m.dest_end, a)
    q = fuzz.ratio(a.quote, body[start:end])
    if q < QUOTE_MIN:
        return []
    c = _candidate(body, start, end, a, expected, q)
    # The text changed, so ask more of the context than for an exact quote: both sides must
    # agree (a quote cut out leaves its prefix in place before whatever followed it).
    if max(c.prefix_score, c.suffix_score) < CONTEXT_MIN or min(c.prefix_score, c.suffix_score) < CONTEXT_FLOOR:
        return []
    return [c]


def _refine(body: str, start: int, end: int, a: _Anchor) -> tuple[int, int]:
    """Move the ends of a fuzzy match to where the quote and the edges of its context fit best
    (partial_ratio aligns a window of the quote's length, which an edit may have changed)."""
    reach = max(4, min(48, len(a.quote) // 6))
    edge_p, edge_s = a.prefix[-8:], a.suffix[:8]

    def fit(s: int, e: int) -> float:
        score = fuzz.ratio(a.quote, body[s:e])
        if edge_p:
            score += 0.5 * fuzz.ratio(edge_p, body[max(0, s - len(edge_p)):s])
        if edge_s:
            score += 0.5 * fuzz.ratio(edge_s, body[e:e + len(edge_s)])
        return score

    for _ in range(2):
        start = max(range(max(0, start - reach), min(end, start + reach + 1)),
                    key=lambda s: (fit(s, end), -abs(s - start)))
        end = max(range(max(start + 1, end - reach), min(len(body), end + reach) + 1),
                  key=lambda e: (fit(start, e), -abs(e - end)))
    return start, end


# ---- where old offsets went ----------------------------------------------------------------------
class PositionMap:
    """Maps an offset in the old text to where the same place is expected in the new text.

    Built from the common beginning and end of both texts and a line diff of what lies between:
    exact inside unchanged stretches, proportional inside changed ones. Identity without old text."""

    def __init__(self, old: str | None, new: str) -> None:
        self.blocks: list[tuple[int, int, int]] = []  # (old start, new start, length), increasing
        self.old_len = len(old) if old is not None else len(new)
        self.new_len = len(new)
        self.identity = old is None or old == new
        if self.identity:
            return
        head = _common_prefix(old, new)
        tail = _common_prefix(old[head:][::-1], new[head:][::-1])
        if head:
            self.blocks.append((0, 0, head))
        a, b = old[head:len(old) - tail], new[head:len(new) - tail]
        if a and b:
            a_lines, b_lines = a.splitlines(keepends=True), b.splitlines(keepends=True)
            a_at, b_at = _line_starts(a_lines), _line_starts(b_lines)
            for i, j, size in difflib.SequenceMatcher(None, a_lines, b_lines).get_matching_blocks():
                if size:
                    length = a_at[i + size] - a_at[i]
                    self.blocks.append((head + a_at[i], head + b_at[j], length))
        if tail:
            self.blocks.append((len(old) - tail, len(new) - tail, tail))
        self._starts = [blk[0] for blk in self.blocks]

    def __call__(self, pos: int) -> int:
        if self.identity:
            return pos
        i = bisect.bisect_right(self._starts, pos) - 1
        if i >= 0:
            a0, b0, size = self.blocks[i]
            if pos < a0 + size:
                return b0 + (pos - a0)
            gap_a, gap_b = a0 + size, b0 + size
        else:
            gap_a = gap_b = 0
        if i + 1 < len(self.blocks):
            next_a, next_b, _ = self.blocks[i + 1]
        else:
            next_a, next_b = self.old_len, self.new_len
        span_a, span_b = next_a - gap_a, next_b - gap_b
        if span_a <= 0:
            return gap_b
        return gap_b + round((pos - gap_a) * span_b / span_a)


def _common_prefix(x: str, y: str) -> int:
    """Length of the common beginning of x and y (binary search on slices: C speed)."""
    lo, hi = 0, min(len(x), len(y))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if x[:mid] == y[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _line_starts(lines: list[str]) -> list[int]:
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    return starts
