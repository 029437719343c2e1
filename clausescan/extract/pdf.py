"""PDF pages: the text layer through pypdfium2, OCR for pages without a usable one.

pdfplumber's extract_text() is ~90x slower than pypdfium2 on dense contract pages (see
benchmarks/extraction.py), so bulk text comes from pypdfium2; each page and text page is
closed as soon as it is read, so memory stays flat on long files.

PDFium is not thread-safe: two threads calling it at once crash the process (a Dask worker runs
several documents in threads). Every call into it holds PDFIUM, one lock per process.
"""
from __future__ import annotations

import re
import threading
import zlib

from ..errors import InputError
from ..models import Page
from . import ocr as ocr_mod
from .tables import add_pdf_tables, looks_like_a_price_table, may_hold_a_ruled_table


def read_pdf(data: bytes, sha256: str, ocr: ocr_mod.OcrOptions, cache=None) -> list[Page]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    if holds_a_stream_inflating_past(data, MAX_STREAM_BYTES):
        raise InputError(f"too large: a part of this PDF inflates to more than {MAX_STREAM_BYTES // 1_000_000} MB of "
                         f"drawing instructions (a decompression bomb), far more than any contract page holds.")
    try:
        with PDFIUM:
            pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        # pdfium's last error can be left over from another file: only an /Encrypt entry makes it a password
        if "password" in message and b"/Encrypt" in data:
            raise InputError("encrypted PDF: it needs a password to open; ask the agency for an "
                             "unlocked copy or decrypt it (qpdf --decrypt --password=... in out).") from exc
        raise InputError("the PDF is damaged and could not be opened.") from exc
    try:
        with PDFIUM:
            count = len(pdf)
        if count > MAX_PAGES:
            raise InputError(f"too large: the PDF claims {count:,} pages, more than the {MAX_PAGES:,} a scan reads; "
                             f"split it into its documents and scan those.")
        pages: list[Page] = []
        needs_ocr: list[int] = []
        table_pages: list[Page] = []
        for index in range(count):
            number = index + 1
            try:
                with PDFIUM:
                    page = pdf[index]
                    try:
                        textpage = page.get_textpage()
                        text = textpage.get_text_range()
                        textpage.close()
                        # A page with no usable text and no image is blank, not unread; one whose
                        # text layer is garbled (a font without a usable character map) is read
                        # from its picture, as a scan is.
                        unusable = not ocr_mod.text_is_usable(text)
                        has_images = unusable and (ocr_mod.text_is_garbled(text) or any(
                            True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2)))
                        # pdfplumber only where the text speaks of prices and the drawing has a table's rules
                        ruled = looks_like_a_price_table(text) and may_hold_a_ruled_table(page)
                        hidden_ocr = not unusable and is_hidden_text_over_a_scan(page)
                    finally:
                        page.close()
            except Exception:
                pages.append(Page(number=number, text="", method="none",
                                  unreadable_reason="the page is damaged"))
                continue
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            # pdfium replaces a hyphen at a line end *and the line break* with U+FFFE (older
            # builds: \x02), gluing two lines, or the last line and the footer, into one. Put the
            # hyphen and the break back so segmentation sees the page's real lines.
            text = text.replace("\ufffe", "-\n").replace("\x02", "-\n")
            # another program's OCR, laid invisibly over the scan, is read as OCR is (ocrview.py)
            pages.append(Page(number=number, text=text, method="ocr" if hidden_ocr else "text"))
            if ruled:
                table_pages.append(pages[-1])
            if ocr.mode == "always" or has_images:
                needs_ocr.append(index)
        if needs_ocr:
            ocr_mod.ocr_images(lambda i: _render(pdf, i), pages, needs_ocr, sha256, ocr, cache)
        for page in (pages[i] for i in needs_ocr):   # never judge garbage as text
            if page.method == "text" and ocr_mod.text_is_garbled(page.text):
                page.text, page.method = "", "none"
                page.unreadable_reason = "the page's text layer is garbled (characters with no meaning) and OCR " \
                                         "read nothing"
        add_pdf_tables(data, table_pages)
        return pages
    finally:
        with PDFIUM:
            pdf.close()


def is_hidden_text_over_a_scan(page) -> bool:
    """A scanned page that another program has OCR'd: its text is invisible (render mode 3), laid
    over a picture of the page. Only the first text object is looked at on other pages."""
    import pypdfium2.raw as pdfium_c
    invisible = pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE
    texts = page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_TEXT,), max_depth=2)
    first = next(texts, None)
    if first is None or pdfium_c.FPDFTextObj_GetTextRenderMode(first.raw) != invisible:
        return False
    return all(pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw) == invisible for obj in texts) and \
        any(True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2))


PDFIUM = threading.Lock()
MAX_PAGES = 5000
# PDFium inflates a page's content stream whole before it reads it, beyond any limit of ours: a
# 200 KB file can hold a 200 MB stream. A contract page's instructions take kilobytes, a dense map's
# a few megabytes. Images are left out: they are decoded only to be rendered, within MAX_RENDER_PIXELS.
MAX_STREAM_BYTES = 50_000_000
_STREAM_START = re.compile(rb"(?<!end)stream\r?\n")
_CHUNK = 1 << 16


def holds_a_stream_inflating_past(data: bytes, limit: int) -> bool:
    """Whether a Flate-compressed stream of the file, other than an image or an attached file,
    inflates to more than `limit` bytes; found in the raw bytes, inflated a chunk at a time and
    never kept, so that the test costs no memory."""
    for match in _STREAM_START.finditer(data):
        before = data[max(0, match.start() - 1024):match.start()]
        opens = before.rfind(b" obj")
        dictionary = before[opens:] if opens >= 0 else before   # from the object's start, when it is near
        if b"/FlateDecode" not in dictionary or b"/Image" in dictionary or b"/EmbeddedFile" in dictionary:
            continue
        inflater, size, at, pending = zlib.decompressobj(), 0, match.end(), b""
        try:
            while not inflater.eof and size <= limit:
                if not pending:
                    if at >= len(data):
                        break
                    pending, at = data[at:at + _CHUNK], at + _CHUNK
                size += len(inflater.decompress(pending, 16 * _CHUNK))
                pending = inflater.unconsumed_tail
        except zlib.error:
            continue   # not a stream zlib reads: PDFium reports it, or reads around it
        if size > limit:
            return True
    return False
MAX_RENDER_PIXELS = 20_000_000   # a 17 x 22 inch sheet at 300 dpi: 80 MB of pixels at most


def _render(pdf, index: int):
    """Page `index` as an image for OCR, at the resolution Tesseract reads best, or lower for a
    page so large that it would take more than MAX_RENDER_PIXELS (a 200-inch page would need gigabytes)."""
    with PDFIUM:
        page = pdf[index]
        try:
            width, height = page.get_size()
            scale = min(ocr_mod.DPI / 72, 0.999 * (MAX_RENDER_PIXELS / max(1.0, width * height)) ** 0.5)
            bitmap = page.render(scale=scale)
            image = bitmap.to_pil().copy()   # our own pixels, so the bitmap is freed here, under the lock
            bitmap.close()
        finally:
            page.close()
    image.info["dpi"] = (scale * 72, scale * 72)
    return image
