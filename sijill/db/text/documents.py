"""Read a document the analyst brings in (.txt, .md, .html, .pdf, or pasted text) as plain text.

The text that comes out is what a source's `body` holds and what annotation offsets count in:
newlines normalised to "\\n", Unicode NFC, no control characters, paragraphs kept. Nothing is
guessed silently: a file that is not text, is empty, is not valid UTF-8 (and has no UTF-16 BOM),
or is a PDF without a text layer raises `TextImportError` with a message meant for the analyst.
Qt-free; PDF text comes from pypdf.
"""
from __future__ import annotations

import logging
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from sijill.db.store.basics import ProjectError

KINDS = ("txt", "md", "html", "pdf")
MAX_BYTES = 64 * 1024 * 1024  # a news article is KBs, a long report a few MB

_EXTENSIONS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html",
               ".htm": "html", ".xhtml": "html", ".pdf": "pdf"}
_MAGIC = (  # first bytes of files people pick by mistake
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (.docx, .xlsx and .odt files are ZIP archives)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"), (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "a program"), (b"\x1f\x8b", "a gzip archive"),
)


class TextImportError(ProjectError):
    """A document cannot be read as text; the message names the file and says what to do."""


@dataclass
class ImportedText:
    """A document read as plain text, ready to become a source."""

    text: str
    title: str
    language: str  # "ar", "fr" or "en" (a guess unless the HTML declares one of them)
    kind: str  # one of KINDS
    pages: list[tuple[int, int]] = field(default_factory=list)  # PDF: (start offset, page number)
    warnings: list[str] = field(default_factory=list)


# ---- entry points ---------------------------------------------------------------------------------
def read_document(path) -> ImportedText:
    """Read a .txt, .md, .html or .pdf file (kind by extension, then by content)."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise TextImportError(f"{name}: no such file")
    if path.is_dir():
        raise TextImportError(f"{name}: is a folder, not a document")
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # after links: a FIFO hangs, /dev/zero reads size 0, without end
            raise TextImportError(f"{name}: is not a regular file (a pipe, a device or a socket): refused")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise TextImportError(f"{name}: is too large to import ({size // (1024 * 1024)} MB; "
                                  f"the limit is {MAX_BYTES // (1024 * 1024)} MB)")
        raw = path.read_bytes()
    except OSError as exc:
        raise TextImportError(f"{name}: cannot be read ({exc.strerror or exc})") from exc
    if not raw.strip():
        raise TextImportError(f"{name}: is empty")

    kind = _EXTENSIONS.get(path.suffix.lower())
    if b"%PDF-" in raw[:1024]:
        return _capped(_read_pdf(path, raw), name)
    if kind == "pdf":
        raise TextImportError(f"{name}: is not a PDF (no %PDF header); is the file damaged?")
    text = decode_bytes(raw, name)
    if kind is None:
        kind = _sniff_kind(text)
    if kind == "html":
        doc = _read_html(text, name)
    elif kind == "md":
        doc = _read_markdown(text, name, path.stem)
    else:
        body = tidy_text(text)
        doc = ImportedText(body, _first_line_title(body) or path.stem, guess_language(body), "txt")
    if not doc.text:
        raise TextImportError(f"{name}: is empty (no readable text)")
    return _capped(doc, name)


def _capped(doc: ImportedText, name: str) -> ImportedText:
    """`doc`, unless its text is longer than a source's body may be (db.text_rules.BODY_MAX)."""
    from sijill.db.text.rules import BODY_MAX

    if len(doc.text) > BODY_MAX:
        raise TextImportError(f"{name}: its text is too long for one source ({len(doc.text):,} characters; "
                              f"the limit is {BODY_MAX:,}): split it")
    return doc


def text_from_paste(text: str) -> str:
    """Normalise pasted text like an imported file (newlines, NFC, controls, blank lines).

    Raises TextImportError when nothing readable is left, so that an empty paste changes nothing.
    """
    out = tidy_text(text or "")
    if not out:
        raise TextImportError("the pasted text is empty")
    return out


def decode_bytes(raw: bytes, name: str = "the file") -> str:
    """UTF-8 (with or without BOM), else UTF-16/32 by BOM; anything else is refused, never guessed."""
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                       (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if raw.startswith(bom):
            try:
                text = raw[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                pos = exc.start + len(bom)
                raise TextImportError(
                    f"{name}: starts with a {codec.upper()[:6]} byte-order mark but is not valid "
                    f"{codec.upper()} at byte {pos}; re-save the file as UTF-8") from exc
            _refuse_binary_text(text, name)
            return text
    for magic, what in _MAGIC:
        if raw.startswith(magic):
            raise TextImportError(f"{name}: is not a text file (it looks like {what})")
    if b"\x00" in raw[:8192]:
        raise TextImportError(f"{name}: is not a text file (it contains binary data)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        pos = exc.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)
        raise TextImportError(
            f"{name}: is not valid UTF-8 at byte {pos} ({_show_bytes(raw, pos)}); "
            "re-save the file as UTF-8") from exc
    _refuse_binary_text(text, name)
    return text


def _show_bytes(raw: bytes, pos: int) -> str:
    before = raw[max(0, pos - 12):pos].decode("utf-8", "replace").replace("\ufffd", "?")
    before = before.split("\n")[-1]
    return f"byte 0x{raw[pos]:02X} after {before!r}" if before else f"byte 0x{raw[pos]:02X}"


def _refuse_binary_text(text: str, name: str) -> None:
    sample = text[:8192]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f")
    if "\x00" in sample or controls > max(8, len(sample) // 100):
        raise TextImportError(f"{name}: is not a text file (it contains binary data)")


# ---- normalising ----------------------------------------------------------------------------------
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\u00ad\ufeff]")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_BLANK_RUN = re.compile(r"\n{3,}")


def tidy_text(text: str) -> str:
    """Newlines to "\\n" (also U+2028/U+2029 that Qt selections hold), NFC, no control characters,
    soft hyphens or BOMs, no trailing spaces, at most one blank line in a row, no outer whitespace."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = text.replace("\f", "\n\n").replace("\v", "\n")
    text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _TRAILING_SPACE.sub("\n", text)
    text = _BLANK_RUN.sub("\n\n", text)
    return text.strip()


def _first_line_title(text: str, limit: int = 120) -> str:
    for line in text.split("\n"):
        line = line.strip()
        if line:
            return line if len(line) <= limit else line[:limit].rsplit(" ", 1)[0] + "…"
    return ""


# ---- language ------------------------------------------------------------------------------------
_FR_WORDS = frozenset("le la les des du de et est une dans pour que qui sur par au aux pas ne ce cette il "
                      "elle ils ont été avec sont selon mais ou où sa ses leur nous vous lors après".split())
_EN_WORDS = frozenset("the of and to in is was that for with by as at from it are were has have this which "
                      "be been but or its their they after not said".split())
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _is_arabic(ch: str) -> bool:
    o = ord(ch)
    return 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0x08A0 <= o <= 0x08FF or 0xFB50 <= o <= 0xFDFF \
        or 0xFE70 <= o <= 0xFEFF


def guess_language(text: str) -> str:
    """'ar' when most letters are Arabic script, 'fr' when French function words outnumber
    English ones, else 'en'. Enough to set a source's direction and date-reading language."""
    sample = text[:20000]
    letters = [ch for ch in sample if ch.isalpha()]
    if letters and sum(map(_is_arabic, letters)) > len(letters) / 2:
        return "ar"
    fr = en = 0
    for word in _WORD.findall(sample.lower()):
        word = word.split("'")[-1].split("’")[-1]  # l'attaque -> attaque, d'un -> un
        fr += word in _FR_WORDS
        en += word in _EN_WORDS
    return "fr" if fr > en else "en"


# ---- HTML ----------------------------------------------------------------------------------------
_SKIP = frozenset(("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math",
                   "canvas", "video", "audio", "picture", "select", "button", "head", "nav"))
_BLOCK = frozenset(("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "blockquote",
                    "pre", "section", "article", "header", "footer", "main", "nav", "aside", "figure",
                    "figcaption", "address", "hr", "form", "fieldset", "details", "summary", "body", "caption"))
_LINE = frozenset(("br", "li", "tr", "dt", "dd", "thead", "tbody"))
_CELL = frozenset(("td", "th"))
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML whitespace; NBSP is text and stays
_PARA, _NEWLINE, _TAB = object(), object(), object()


class _Pre(str):
    """Text inside <pre>: its spaces and line breaks are kept."""


class _HtmlText(HTMLParser):
    """Collects readable text: block breaks, no scripts/styles/embeds, no URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list = []
        self.skip: list[str] = []  # open elements whose content is dropped
        self.pre = 0
        self.title_parts: list[str] = []
        self.in_title = False
        self.heading: list[str] | None = None
        self.first_heading = ""
        self.lang = ""

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "html":
            self.lang = (dict(attrs).get("lang") or "").split("-")[0].lower()
        if tag == "title":
            self.in_title = True
            return
        if tag == "body" and "head" in self.skip:  # an unclosed <head>
            self.skip = [t for t in self.skip if t != "head"]
        if self.skip:
            if tag == self.skip[-1] or tag in _SKIP and tag not in ("head",):
                self.skip.append(tag)
            return
        if tag in _SKIP or any(k == "hidden" for k, _ in attrs):
            if tag not in ("br", "hr", "img", "input", "link", "meta", "embed"):
                self.skip.append(tag)
            return
        self._break(tag)
        if tag == "pre":
            self.pre += 1
        if tag in ("h1", "h2", "h3") and not self.first_heading:
            self.heading = []

    def handle_startendtag(self, tag: str, attrs) -> None:
        if not self.skip and tag in ("br", "hr"):
            self._break(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
            return
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            elif tag in self.skip:  # close what was left open inside
                del self.skip[self.skip.index(tag):]
            return
        if tag == "pre" and self.pre:
            self.pre -= 1
        if self.heading is not None and tag in ("h1", "h2", "h3"):
            self.first_heading = _HTML_SPACE.sub(" ", "".join(self.heading)).strip()
            self.heading = None
        if tag in _BLOCK or tag in ("li", "tr", "dt", "dd"):
            self._break(tag)

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
            return
        if self.skip:
            return
        if self.heading is not None:
            self.heading.append(data)
        self.pieces.append(_Pre(data) if self.pre else _HTML_SPACE.sub(" ", data))

    def _break(self, tag: str) -> None:
        if tag in _BLOCK:
            self.pieces.append(_PARA)
        elif tag in _LINE:
            self.pieces.append(_NEWLINE)
        elif tag in _CELL:
            self.pieces.append(_TAB)

    def text(self) -> str:
        out: list[str] = []
        pending = None
        for piece in self.pieces:
            if piece is _PARA or piece is _NEWLINE or piece is _TAB:
                order = {_TAB: 0, _NEWLINE: 1, _PARA: 2}
                if pending is None or order[piece] > order[pending]:
                    pending = piece
                continue
            if not piece.strip(" ") and not isinstance(piece, _Pre):
                if out and not out[-1].endswith((" ", "\n", "\t")) and pending is None:
                    out.append(" ")
                continue
            if pending is not None and out:
                while out and out[-1].endswith(" "):
                    out[-1] = out[-1].rstrip(" ")
                    if not out[-1]:
                        out.pop()
                out.append({_PARA: "\n\n", _NEWLINE: "\n", _TAB: "\t"}[pending])
                piece = piece.lstrip(" ")
            elif not out or out[-1].endswith((" ", "\n", "\t")):
                piece = piece.lstrip(" ")
            pending = None
            out.append(piece)
        return "".join(out)


def _read_html(text: str, name: str) -> ImportedText:
    parser = _HtmlText()
    try:
        parser.feed(text)
        parser.close()
    except Exception as exc:  # html.parser is lenient; this is a safety net, not a code path
        raise TextImportError(f"{name}: cannot be read as HTML ({exc})") from exc
    body = tidy_text(parser.text())
    title = _HTML_SPACE.sub(" ", "".join(parser.title_parts)).strip()
    title = title or parser.first_heading or _first_line_title(body) or Path(name).stem
    language = parser.lang if parser.lang in ("ar", "fr", "en") else guess_language(body)
    return ImportedText(body, title, language, "html")


def _sniff_kind(text: str) -> str:
    head = text[:2048].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head):
        return "html"
    return "txt"


# ---- Markdown ------------------------------------------------------------------------------------
_MD_RULES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^[ \t]{0,3}(```|~~~).*$", re.M), ""),  # code fences (the code stays)
    (re.compile(r"^[ \t]{0,3}\[[^\]]+\]:[ \t]*\S+.*$", re.M), ""),  # reference link definitions (URLs)
    (re.compile(r"^[ \t]{0,3}([-*_])([ \t]*\1){2,}[ \t]*$", re.M), ""),  # horizontal rules
    (re.compile(r"^[ \t]{0,3}(=+|-+)[ \t]*$", re.M), ""),  # setext heading underlines
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t#]*$", re.M), r"\1"),  # ATX headings
    (re.compile(r"^[ \t]{0,3}>[ \t]?", re.M), ""),  # block quotes
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images: remote references, dropped
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links: the text stays, the URL goes
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference-style links
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),  # emphasis
    (re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"`([^`\n]+)`"), r"\1"),  # inline code
]


_MD_BLOCK_START = re.compile(r"[ \t]{0,3}([-*+][ \t]|\d{1,9}[.)][ \t]|>|#|\||```|~~~|(=+|-+)[ \t]*$)")


def _join_soft_breaks(text: str) -> str:
    """A single line break inside a Markdown paragraph is a space; keep it in code, lists,
    headings, quotes and tables, and after a hard break (two spaces or a backslash)."""
    out: list[str] = []
    fenced = False
    for line in text.split("\n"):
        if re.match(r"[ \t]{0,3}(```|~~~)", line):
            fenced = not fenced
            out.append(line)
            continue
        prev = out[-1] if out else ""
        if (not fenced and line.strip() and prev.strip() and not _MD_BLOCK_START.match(line)
                and not re.match(r"[ \t]{0,3}(#|```|~~~)", prev)
                and not prev.endswith(("  ", "\\")) and not line.startswith(("    ", "\t"))):
            out[-1] = prev.rstrip() + " " + line.strip()
        else:
            out.append(line)
    return "\n".join(out)


def _read_markdown(text: str, name: str, stem: str) -> ImportedText:
    text = _join_soft_breaks(text.replace("\r\n", "\n").replace("\r", "\n"))
    title = ""
    m = re.search(r"^[ \t]{0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", text, re.M)
    if m:
        title = m.group(1)
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    body = tidy_text(text)
    for pattern, repl in _MD_RULES[5:]:
        title = pattern.sub(repl, title)
    title = title.strip() or _first_line_title(body) or stem
    return ImportedText(body, title, guess_language(body), "md")


# ---- PDF -----------------------------------------------------------------------------------------
def _read_pdf(path: Path, raw: bytes) -> ImportedText:
    import io

    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError, PdfReadError

    name = path.name
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR)  # damaged-but-readable files warn a lot; we report instead
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # "owner-password only" PDFs open with an empty password
            except (DependencyError, NotImplementedError) as exc:
                raise TextImportError(f"{name}: is encrypted in a way Sijill cannot open ({exc}); "
                                      "save an unprotected copy and import that") from exc
            if not opened:
                raise TextImportError(f"{name}: is protected by a password; save an unprotected copy "
                                      "and import that")
        # pypdf renders word gaps of some writers (QPdfWriter among them) as tabs.
        page_texts = [(page.extract_text() or "").replace("\t", " ") for page in reader.pages]
        info = reader.metadata
        meta_title = (info.title or "").strip() if info else ""
    except TextImportError:
        raise
    except FileNotDecryptedError as exc:
        raise TextImportError(f"{name}: is protected by a password; save an unprotected copy and "
                              "import that") from exc
    except (LimitReachedError, MemoryError) as exc:  # a flate bomb: a few KB that inflate to gigabytes
        raise TextImportError(f"{name}: is not a readable PDF (a stream in it inflates past the size limit: "
                              "damaged or built to exhaust memory)") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, DependencyError) as exc:
        raise TextImportError(f"{name}: is not a readable PDF (damaged or incomplete: {exc})") from exc
    finally:
        pypdf_log.setLevel(level)
    if not page_texts:
        raise TextImportError(f"{name}: is a PDF with no pages")
    pieces: list[str] = []
    pages: list[tuple[int, int]] = []
    offset = 0
    empty: list[int] = []
    for number, page_text in enumerate(page_texts, start=1):
        page_text = tidy_text(page_text)
        if pieces and page_text:
            offset += 2  # the blank line between pages
        pages.append((offset, number))
        if page_text:
            pieces.append(page_text)
            offset += len(page_text)
        else:
            empty.append(number)
    if not pieces:
        raise TextImportError(f"{name}: has no text layer (scanned?); run OCR first")
    body = "\n\n".join(pieces)
    assert offset == len(body)
    warnings = []
    if empty:
        listed = ", ".join(map(str, empty[:10])) + ("…" if len(empty) > 10 else "")
        warnings.append(f"{len(empty)} page(s) without text (scanned?): {listed}")
    title = meta_title or _first_line_title(body) or path.stem
    return ImportedText(body, title, guess_language(body), "pdf", pages, warnings)
