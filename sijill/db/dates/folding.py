"""Folding text so that dates match however they are typed, and the way back to the text's offsets.

Lower case, no accents, hamza marks or tashkeel, plain digits (Arabic-Indic digits too), plain
apostrophes and dashes, tatweel and invisible direction marks dropped. `_Folded` keeps, for a folded
text, where each folded character came from, so that a date found in the folded text is cut from the
original at the right code points. `_alt` builds the regex alternations the grammar is made of.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


_PLAIN = {**dict.fromkeys("–—−‒―", "–"), **dict.fromkeys("‐‑", "-"), **dict.fromkeys("’ʼ‘′´`", "'"), "،": ",",
          "ى": "ي", "ة": "ه", "ٱ": "ا"}
# Dropped from the folded text: tatweel, and invisible marks that pasted Arabic text carries (RLM, ALM...).
_DROPPED = frozenset("\u0640\u061c\u200b\u200c\u200d\u200e\u200f\u2066\u2067\u2068\u2069\ufeff")


@lru_cache(maxsize=8192)
def _fold_char(c: str) -> str:
    digit = unicodedata.decimal(c, None)
    if digit is not None:
        return str(digit)
    if c in _PLAIN or c.isspace():
        return _PLAIN.get(c, " ")
    if c in _DROPPED or unicodedata.category(c) == "Mn":  # tashkeel, and accents typed apart
        return ""
    base = "".join(ch for ch in unicodedata.normalize("NFKD", c) if not unicodedata.combining(ch)).lower()
    if len(base) == 1:
        return base
    return c.lower() if len(c.lower()) == 1 else c


def _fold(text: str) -> str:
    """Lower case, no accents, hamza marks or tashkeel, plain digits, apostrophes and dashes."""
    return "".join(map(_fold_char, text))


class _Folded:
    """`text` folded (`s`, one character or none for each of the text's), and the way back to its offsets."""

    def __init__(self, text: str) -> None:
        parts = list(map(_fold_char, text))
        self.text, self.s = text, "".join(parts)
        self._index = None if len(self.s) == len(text) else [i for i, p in enumerate(parts) if p]

    def start(self, i: int) -> int:
        """The text offset where a span starting at `s[i]` starts."""
        if self._index is None:
            return i
        return self._index[i] if i < len(self._index) else len(self.text)

    def end(self, j: int) -> int:
        """The text offset where a span ending before `s[j]` ends, with the tashkeel on its last letter."""
        if self._index is None or j == 0:
            return j
        k = self._index[j - 1] + 1
        while k < len(self.text) and unicodedata.category(self.text[k]) == "Mn":
            k += 1
        return k


def _key(word: str) -> str:
    return " ".join(_fold(word).split())


def _alt(words, bound: bool = True) -> str:
    """A regex alternation of folded words, longest first; an empty list gives one that never matches."""
    keys = sorted({_key(w) for w in words}, key=len, reverse=True)
    if not keys:
        return "(?!)"
    body = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in keys)
    return f"(?:{body})" + (r"(?!\w)" if bound else "")


_WORD = re.compile(r"[^\W\d_]+")
