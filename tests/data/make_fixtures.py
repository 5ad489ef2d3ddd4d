"""Writes the byte-exact fixtures of tests/data (run: python tests/data/make_fixtures.py).

Files whose bytes matter (encodings, binary, PDF) are built here rather than by hand, so that they
can be reproduced and checked: tests/db/test_textimport.py asserts the committed files equal
what `build()` returns. The PDFs are minimal hand-written PDF 1.4 files (one standard font, no
compression), so their text layer is exactly the strings below.
"""
from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent

FRENCH_MD = """# Attaque de drone près de la frontière

*Publié le 28 janvier 2024*

Samedi dernier, un drone a visé un **DEPOT de carburant** près de la frontière syrienne, selon deux
responsables locaux.

L'un d'eux a déclaré que l'attaque n'avait fait aucune victime ; l'autre a évoqué des dégâts
matériels importants. Voir [le communiqué](https://example.org/communique) pour les détails.

![photo du dépôt](https://example.org/photo.jpg)

## Réactions

Aucun groupe n'a revendiqué l'attaque pour l'instant.
""".replace("DEPOT", "de\u0301po\u0302t")  # written decomposed (NFD) on purpose

UTF16_TEXT = "Rapport du 3 mars : deux frappes signalées \U0001F681 près d'al-Qaïm.\r\nSeconde ligne.\r\n"
CP1252_TEXT = "Communiqué du 12 mars : le ministère dément toute implication.\n"

PDF_PAGES = [
    ["Monthly security report", "Two rocket attacks were recorded in March."],
    ["Annex", "Casualty figures remain unconfirmed."],
]
PDF_TITLE = "Security report, March"


def _pdf_string(text: str) -> bytes:
    return b"(" + text.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def make_pdf(page_streams: list[bytes], title: str | None = None, with_font: bool = True) -> bytes:
    """A minimal PDF: catalog, page tree, one Helvetica font, one content stream per page."""
    n = len(page_streams)
    first_page = 4
    info_id = first_page + 2 * n
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (first_page + 2 * i) for i in range(n))
        + b"] /Count %d >>" % n,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    resources = b"<< /Font << /F1 3 0 R >> >>" if with_font else b"<< >>"
    for i, stream in enumerate(page_streams):
        content_id = first_page + 2 * i + 1
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources " + resources
                       + b" /Contents %d 0 R >>" % content_id)
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    if title is not None:
        objects.append(b"<< /Title " + _pdf_string(title) + b" /Producer (Sijill test fixtures) >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    trailer = b"<< /Size %d /Root 1 0 R" % (len(objects) + 1)
    if title is not None:
        trailer += b" /Info %d 0 R" % info_id
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def text_stream(lines: list[str]) -> bytes:
    parts = [b"BT /F1 14 Tf 72 720 Td"]
    for i, line in enumerate(lines):
        if i:
            parts.append(b"0 -24 Td")
        parts.append(_pdf_string(line) + b" Tj")
    parts.append(b"ET")
    return b"\n".join(parts)


def png_bytes() -> bytes:
    """A valid 2x2 grey PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"\x00\x80\x80\x00\x80\x80"
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def build() -> dict[str, bytes]:
    return {
        "french.md": FRENCH_MD.encode("utf-8"),
        "utf16le_bom.txt": b"\xff\xfe" + UTF16_TEXT.encode("utf-16-le"),
        "cp1252.txt": CP1252_TEXT.encode("cp1252"),
        "empty.txt": b"",
        "picture.png": png_bytes(),
        "report.pdf": make_pdf([text_stream(p) for p in PDF_PAGES], PDF_TITLE),
        "scanned.pdf": make_pdf([b"0.2 0.2 0.8 rg\n100 400 300 200 re\nf"], with_font=False),
    }


def main() -> None:
    for name, data in build().items():
        (HERE / name).write_bytes(data)
        print(f"wrote {name} ({len(data)} bytes)")


if __name__ == "__main__":
    sys.exit(main())
