"""PDF pages: the text layer through pypdfium2, OCR for pages without a usable one.

pdfplumber's extract_text() is ~90x slower than pypdfium2 on dense contract pages (see
benchmarks/extraction.py), so bulk text comes from pypdfium2; each page and text page is
closed as soon as it is read, so memory stays flat on long files.
"""
from __future__ import annotations

from ..errors import InputError
from ..models import Page
from . import ocr as ocr_mod
from .tables import add_pdf_tables


def read_pdf(data: bytes, ocr: str = "auto", cache=None) -> list[Page]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise InputError("encrypted PDF: it needs a password to open; ask the agency for an "
                             "unlocked copy or decrypt it (qpdf --decrypt --password=... in out).") from exc
        raise InputError("the PDF is damaged and could not be opened.") from exc
    try:
        pages: list[Page] = []
        needs_ocr: list[int] = []
        for index in range(len(pdf)):
            number = index + 1
            try:
                page = pdf[index]
                textpage = page.get_textpage()
                text = textpage.get_text_range()
                textpage.close()
                # A page with no usable text and no image is blank, not unread.
                unusable = not ocr_mod.text_is_usable(text)
                has_images = unusable and any(
                    True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2))
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
            pages.append(Page(number=number, text=text))
            if ocr == "always" or has_images:
                needs_ocr.append(index)
        if needs_ocr:
            ocr_mod.ocr_pdf_pages(pdf, data, pages, needs_ocr, mode=ocr, cache=cache)
        add_pdf_tables(data, pages)
        return pages
    finally:
        pdf.close()
