"""Builders of hostile files that are too large to commit: made at test time, in a few hundred ms."""
from __future__ import annotations

import zlib


def pdf(content: bytes, *, compressed: bool = True) -> bytes:
    """A one-page PDF whose page content stream is `content` (Flate-compressed unless told)."""
    data = zlib.compress(content, 9) if compressed else content
    return pdf_with_stream(data, compressed)


def flate_bomb_pdf(inflated: int = 96 << 20) -> bytes:
    """A PDF of about 100 KB whose page stream inflates to `inflated` bytes (96 MB, past pypdf's
    75 MB limit): a page of spaces, compressed a megabyte at a time."""
    packer = zlib.compressobj(9)
    block = b" " * (1 << 20)
    data = b"".join(packer.compress(block) for _ in range(inflated >> 20)) + packer.flush()
    return pdf_with_stream(data, True)


def pdf_with_stream(data: bytes, flate: bool) -> bytes:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
               b"<< /Length %d%s >>\nstream\n" % (len(data), b" /Filter /FlateDecode" if flate else b"")
               + data + b"\nendstream"]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out
