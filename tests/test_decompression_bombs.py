"""A PDF whose content stream inflates to hundreds of megabytes from a file of kilobytes (PDFium
inflates it whole, beyond any limit of ours) is a "too large" row, found before PDFium opens it and
at no cost in memory; images, attached files and ordinary compressed pages are not refused."""
from __future__ import annotations

import zlib

from clausescan.extract import extract
from clausescan.extract.pdf import MAX_STREAM_BYTES, holds_a_stream_inflating_past
from test_hostile_input import assert_human_sentence
from test_hostile_suite import raw_pdf

TEXT = b"BT /F1 12 Tf 72 700 Td (3. The Vendor shall not sell Agency Data.) Tj ET"


def deflated(size: int, tail: bytes = TEXT) -> bytes:
    """`size` bytes of spaces and then `tail`, deflated, as a stream object's body."""
    inflater = zlib.compressobj(9)
    body = b"".join(inflater.compress(b" " * (1 << 20)) for _ in range(size >> 20))
    body += inflater.compress(tail) + inflater.flush()
    return body


def page_pdf(content: bytes, extra: bytes = b"") -> bytes:
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
                    b"/Contents 4 0 R >>",
                    b"<< /Length %d /Filter /FlateDecode%s >>\nstream\n" % (len(content), extra) + content
                    + b"\nendstream",
                    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])


def test_a_content_stream_that_inflates_past_the_limit_is_a_too_large_row(tmp_path):
    bomb = page_pdf(deflated(MAX_STREAM_BYTES + (4 << 20)))
    assert len(bomb) < MAX_STREAM_BYTES // 500   # kilobytes on disk
    doc = extract(tmp_path / "bomb.pdf", data=bomb)
    assert doc.status == "error" and doc.error.startswith("too large") and "decompression bomb" in doc.error
    assert_human_sentence(doc.error)


def test_ordinary_compressed_pages_images_and_attachments_are_read(tmp_path):
    doc = extract(tmp_path / "page.pdf", data=page_pdf(deflated(1 << 20)))
    assert doc.status == "ok" and "shall not sell" in doc.pages[0].text
    big = deflated(MAX_STREAM_BYTES + (4 << 20), b"")
    for kind in (b" /Type /XObject /Subtype /Image", b" /Type /EmbeddedFile"):
        assert not holds_a_stream_inflating_past(page_pdf(big, kind), MAX_STREAM_BYTES)
    assert holds_a_stream_inflating_past(page_pdf(big), MAX_STREAM_BYTES)
