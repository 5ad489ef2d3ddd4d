"""What a text stored in a project may hold, and how long it may be: one rule for every way in.

Every importer (native documents, ACLED, CSV, TimelineJS, Timeline) and every `Project` method that
creates a record applies these rules, so that what is stored can always be exported, drawn and
printed: a C0 control character in a title makes an SVG export malformed XML and reaches the
terminal as escape sequences through `sijill search`; a lone surrogate cannot be written as UTF-8
at all; a 50 MB title takes a timeline export 37 s and 2.7 GB.

Refused in any text: the C0 control characters other than tab, line feed and carriage return
(NUL among them), DEL, lone surrogates (U+D800–U+DFFF), and the non-characters U+FFFE and U+FFFF,
which XML cannot hold. Sizes are counted in characters:
- names and short fields (titles, group names, aliases, tags, outlet, author, URL, location, a
  date's text...): at most `NAME_MAX` (4,096);
- long texts (descriptions, notes, quotes and their context): at most `NOTE_MAX` (1,000,000);
- a source's body: at most `BODY_MAX` (10,000,000, about 10 MB of text; a long report is a few MB).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

NAME_MAX = 4_096
NOTE_MAX = 1_000_000
BODY_MAX = 10_000_000

LONG_FIELDS = frozenset({"description", "note", "quote", "prefix", "suffix"})
BODY_FIELDS = frozenset({"body"})

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_NAMES = {0: "NUL", 0x1B: "ESC", 0x7F: "DEL", 0x0B: "vertical tab", 0x0C: "form feed", 0x08: "backspace"}


def limit_for(field: str) -> int:
    """The size limit of a field, by its name."""
    if field in BODY_FIELDS:
        return BODY_MAX
    if field in LONG_FIELDS:
        return NOTE_MAX
    return NAME_MAX


def describe(ch: str) -> str:
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:
        return f"a lone surrogate (U+{code:04X}), which is not text"
    if code in (0xFFFE, 0xFFFF):
        return f"the non-character U+{code:04X}"
    name = _NAMES.get(code)
    return f"the control character U+{code:04X}" + (f" ({name})" if name else "")


def text_problem(value: str, limit: int = NAME_MAX) -> str | None:
    """Why `value` cannot be stored (its size, or the first forbidden character and where), or None."""
    if len(value) > limit:
        return f"is too long: {len(value):,} characters (at most {limit:,})"
    found = _FORBIDDEN.search(value)
    if found is not None:
        return f"holds {describe(found.group())} at character {found.start() + 1}"
    return None


_FORBIDDEN_BUT_US = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1e\x7f\ud800-\udfff\ufffe\uffff]")


def cells_clean(joined: str, cells: int) -> bool:
    """`all_clean` for the `cells` cells of a row already joined by U+001F (as a row's digest
    joins them): every text a reader makes from such a row (its cells, parts of them, its own
    words) is then clean, and the row's record needs no check of its own."""
    return (len(joined) <= NAME_MAX and _FORBIDDEN_BUT_US.search(joined) is None
            and joined.count("\x1f") == cells - 1)


def all_clean(values: list[str]) -> bool:
    """True when every text of `values` is short enough for any field and holds nothing forbidden:
    one search over them all, the quick answer for the usual record (its texts are then not
    checked one by one)."""
    joined = "\n".join(values)
    return len(joined) <= NAME_MAX and _FORBIDDEN.search(joined) is None


def field_problem(field: str, value: object) -> str | None:
    """`text_problem` of a field's value with the field's limit; None for anything but text."""
    if isinstance(value, str):
        return text_problem(value, limit_for(field))
    return None


def first_problem(fields: Mapping[str, object]) -> tuple[str, str] | None:
    """(field, why) of the first field whose text breaks the rules; texts in lists (tags, aliases
    as texts or (alias, language) pairs) are checked as names."""
    for field, value in fields.items():
        if isinstance(value, (list, tuple, set, frozenset)):
            for item in _texts(value):
                problem = text_problem(item, NAME_MAX)
                if problem:
                    return field, problem
        else:
            problem = field_problem(field, value)
            if problem:
                return field, problem
    return None


def _texts(values: Iterable) -> Iterable[str]:
    for v in values:
        if isinstance(v, str):
            yield v
        elif isinstance(v, (list, tuple)):
            yield from _texts(v)
        else:  # an Alias: (alias, lang) as attributes
            for name in ("alias", "lang", "name"):
                text = getattr(v, name, None)
                if isinstance(text, str):
                    yield text


def check_fields(fields: Mapping[str, object], error: type[Exception], what: str = "") -> None:
    """Raise `error("{what}field 'x' ...")` for the first field that breaks the rules."""
    found = first_problem(fields)
    if found is not None:
        field, problem = found
        raise error(f"{what}field '{field}' {problem}")
