"""Test fixtures, generated at test time: nothing binary is checked in.

Every file is built in Python (fpdf2, Pillow, python-docx, zipfile) by one function below,
registered under the descriptive file name it is written as. Tests ask for a file by that
name through the `fixture_file` fixture; tests/fixtures/README.md lists every name with how it
is made and what it is for (a test checks that the README and this registry agree).
"""
from __future__ import annotations

import io
import random
import struct
import textwrap
import zipfile
import zlib
from pathlib import Path

import pytest

BUILDERS: dict[str, callable] = {}


def builder(name: str):
    def register(fn):
        BUILDERS[name] = fn
        return fn
    return register


# --------------------------------------------------------------------------------------------
# Text-layer PDFs
# --------------------------------------------------------------------------------------------

HEADER = "Springfield ALPR Services Agreement - Contract No. 2024-117"
LINE_HEIGHT = 14


def wrap(paragraph: str) -> list[str]:
    """Body lines of 70-80 characters, like a justified contract page."""
    return textwrap.wrap(paragraph, width=80)


def text_pdf(pages: list[list[str]], header: str | None = HEADER, footer: bool = True, **encryption) -> bytes:
    """A Letter-size PDF with one text line per entry (an empty entry is a blank line), a
    running header and a "Page N of M" footer on every page."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="Letter")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=10)
    if encryption:
        pdf.set_encryption(**encryption)
    for number, lines in enumerate(pages, start=1):
        pdf.add_page()
        if header:
            pdf.text(72, 48, header)
        y = 90
        for line in lines:
            if line:
                pdf.text(72, y, line)
            y += LINE_HEIGHT
        assert y < 740, "too many lines for one page"
        if footer:
            pdf.text(270, 756, f"Page {number} of {len(pages)}")
    return bytes(pdf.output())


FILLER = [
    "The Agency shall designate a system administrator who shall approve each user account, "
    "review user access every ninety days and disable the account of any user who no longer "
    "needs access to the System for an authorized law enforcement purpose.",
    "Vendor shall provide the Agency with training materials, release notes and a help desk "
    "that answers support requests during normal business hours on each business day of the "
    "term, and shall resolve critical defects within one business day of notice.",
    "Each party shall comply with all federal, state and local laws that apply to its "
    "performance under this Agreement, including laws on the privacy of personal "
    "information and on public records, and shall cooperate with the other party in good faith.",
]

# Sentences the tests look for, exactly as they should come out of segmentation.
HYPHENATED_SENTENCE = ("Vendor may share ALPR Data with the sheriff and with other state law enforcement "
                       "agencies only as the Agency directs in writing and as state law allows.")
CROSSING_SENTENCE = ("The Vendor shall keep an audit log of every search of the System by any user and shall "
                     "retain each audit log for no fewer than two (2) years after the date of the search "
                     "that the audit log records.")
AFTER_BREAK_SENTENCE = "Vendor shall give the Agency a copy of any audit log within ten (10) days of a request."
PAGE_END_HYPHEN_SENTENCE = ("Vendor shall make the audit logs available on request to the City Auditor and to the "
                            "oversight board, and shall provide them to the state and local law enforcement "
                            "agencies that the Agency names in writing for a criminal investigation, and to no "
                            "one else.")


def page_break_pages() -> list[list[str]]:
    page1 = ["AUTOMATED LICENSE PLATE READER SERVICES AGREEMENT", ""]
    page1 += wrap('This Agreement is made between Acme Plate Readers, Inc. ("Vendor") and the City of '
                  'Springfield ("Agency") for the license plate reader system described in Exhibit A '
                  '(the "System").') + [""]
    # "enforce-" / "ment" is hyphenated at the line end; both lines are full width.
    page1 += ["Vendor may share ALPR Data with the sheriff and with other state law enforce-",
              "ment agencies only as the Agency directs in writing and as state law allows.",
              "Vendor shall log each disclosure.", ""]
    for paragraph in FILLER:
        page1 += wrap(paragraph) + [""]
    page1 += wrap(FILLER[0]) + [""]
    # The audit-log sentence starts here and ends on page 2.
    page1 += ["The Vendor shall keep an audit log of every search of the System by any user and",
              "shall retain each audit log for no fewer than two (2) years after the date of the"]
    page2 = ["search that the audit log records. Vendor shall give the Agency a copy of any audit",
             "log within ten (10) days of a request.", ""]
    for paragraph in reversed(FILLER):
        page2 += wrap(paragraph) + [""]
    # "enforce-" ends the last line of page 2; "ment" starts page 3, after the footer and header.
    page2 += ["Vendor shall make the audit logs available on request to the City Auditor and to",
              "the oversight board, and shall provide them to the state and local law enforce-"]
    page3 = ["ment agencies that the Agency names in writing for a criminal investigation, and",
             "to no one else.", ""]
    for paragraph in FILLER[1:]:
        page3 += wrap(paragraph) + [""]
    page3 += wrap("Vendor shall not sell ALPR Data to any third party for any purpose whatsoever.")
    return [page1, page2, page3]


@builder("clause-across-page-break.pdf")
def _clause_across_page_break() -> bytes:
    return text_pdf(page_break_pages())


def numbered_sections_pages() -> list[list[str]]:
    page1 = ["ARTICLE IV DATA RIGHTS", ""]
    page1 += wrap("This Article governs all ALPR Data that the System collects for the Agency during "
                  "the term of this Agreement and any renewal of it.") + [""]
    page1 += wrap("4.3 Data Retention. Vendor shall delete ALPR Data thirty (30) days after it is "
                  "collected unless the Agency flags the record for an open investigation.") + [""]
    page1 += wrap("(a) Vendor shall keep no copy of deleted ALPR Data in any backup for longer than "
                  "seven (7) days after deletion.") + [""]
    page1 += wrap("(b) Vendor shall not sell ALPR Data to Acme Analytics, Inc. or to any other "
                  "third party for any purpose.") + [""]
    page1 += wrap("Section 5. Data Sharing. The Agency may share ALPR Data with the U.S. Department of "
                  "Justice only as permitted by Sec. 5.2 of this Agreement and Resolution No. 17 of "
                  "the City Council, and only for a criminal investigation.") + [""]
    page1 += wrap("Vendor shall share ALPR Data with another agency only as provided in Section 4.3 "
                  "(a) and (b) of this Agreement and in the Agency's written sharing policy.") + [""]
    page2 = ["ARTICLE V DEFINITIONS", ""]
    page2 += wrap('"Hot List" means a list of license plate numbers that the Agency has entered into the '
                  'System because the vehicles are of interest to a criminal investigation.') + [""]
    page2 += wrap("ALPR Data means all images, plate reads, times and locations captured by the System "
                  "and all data derived from them.") + [""]
    page2 += wrap("Vendor shall notify the Agency within twenty-four (24) hours of any unauthorized "
                  "access to ALPR Data held by Vendor or its subcontractors.") + [""]
    return [page1, page2]


@builder("numbered-sections.pdf")
def _numbered_sections() -> bytes:
    return text_pdf(numbered_sections_pages())


# Clauses set in capitals, as their sentences should come out of segmentation. In a PDF a line of
# capitals holds fewer characters than one in lower case: these are wrapped at ~57 characters,
# as wide in Helvetica as the 80-character body lines around them.
CAPS_CAP_SENTENCE = ("EXCEPT FOR THE AGENCY'S PAYMENT OBLIGATIONS, THE VENDOR'S TOTAL CUMULATIVE LIABILITY "
                     "ARISING OUT OF OR RELATED TO THIS AGREEMENT SHALL NOT EXCEED THE FEES PAID BY THE "
                     "AGENCY TO THE VENDOR UNDER THE ORDER FORM DURING THE TWELVE (12) MONTHS IMMEDIATELY "
                     "PRECEDING THE EVENT GIVING RISE TO THE CLAIM.")
CAPS_UNNUMBERED_SENTENCE = ("NOTWITHSTANDING ANYTHING TO THE CONTRARY, THE VENDOR, ITS OFFICERS, AFFILIATES, "
                            "REPRESENTATIVES AND EMPLOYEES SHALL NOT BE RESPONSIBLE FOR ANY LOSS OF DATA "
                            "CAUSED BY THE AGENCY.")
CAPS_ACROSS_BREAK_SENTENCE = ("IN NO EVENT WILL EITHER PARTY BE LIABLE FOR ANY INDIRECT, INCIDENTAL, SPECIAL, "
                              "CONSEQUENTIAL OR PUNITIVE DAMAGES, OR FOR LOST PROFITS, LOSS OF GOODWILL OR LOSS "
                              "OF BUSINESS INFORMATION, COST OF SUBSTITUTE SERVICES OR TECHNOLOGY, ARISING OUT "
                              "OF OR RELATING TO THIS AGREEMENT, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH "
                              "DAMAGES.")


def caps_clauses_pages() -> list[list[str]]:
    page1 = ["MASTER SERVICES AGREEMENT", "", "RECITALS"]
    page1 += wrap("WHEREAS, the Town operates automated license plate readers and wishes to host the data "
                  "they collect on the Vendor's platform;") + [""]
    page1 += ["ARTICLE 7 - DATA", "This Article governs all ALPR Data that the System collects.", ""]
    page1 += wrap("7.1 Ownership. The Agency owns all ALPR Data that the System collects, and the Vendor "
                  "shall use it only to provide the services to the Agency.") + [""]
    for paragraph in FILLER:
        page1 += wrap(paragraph) + [""]
    # Lines of capitals with no verb, like a heading: "THE TWELVE (12) MONTHS ...", the first line
    # after the "9." heading, the line that ends page 1.
    page1 += ["9. LIMITATION OF LIABILITY",
              "NOTWITHSTANDING ANYTHING TO THE CONTRARY, THE VENDOR, ITS",
              "OFFICERS, AFFILIATES, REPRESENTATIVES AND EMPLOYEES SHALL",
              "NOT BE RESPONSIBLE FOR ANY LOSS OF DATA CAUSED BY THE AGENCY.",
              "9.1 Cap. EXCEPT FOR THE AGENCY'S PAYMENT OBLIGATIONS, THE",
              "VENDOR'S TOTAL CUMULATIVE LIABILITY ARISING OUT OF OR",
              "RELATED TO THIS AGREEMENT SHALL NOT EXCEED THE FEES PAID",
              "BY THE AGENCY TO THE VENDOR UNDER THE ORDER FORM DURING",
              "THE TWELVE (12) MONTHS IMMEDIATELY PRECEDING THE EVENT",
              "GIVING RISE TO THE CLAIM.",
              "9.2 Exclusions. IN NO EVENT WILL EITHER PARTY BE LIABLE FOR",
              "ANY INDIRECT, INCIDENTAL, SPECIAL, CONSEQUENTIAL OR PUNITIVE"]
    page2 = ["DAMAGES, OR FOR LOST PROFITS, LOSS OF GOODWILL OR LOSS OF",
             "BUSINESS INFORMATION, COST OF SUBSTITUTE SERVICES OR",
             "TECHNOLOGY, ARISING OUT OF OR RELATING TO THIS AGREEMENT,",
             "EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGES.", ""]
    for paragraph in FILLER[1:]:
        page2 += wrap(paragraph) + [""]
    page2 += ["EXHIBIT A"]
    page2 += wrap("The Vendor shall install twelve fixed cameras at the sites that the Agency lists in "
                  "writing before the installation date.")
    return [page1, page2]


@builder("all-caps-clauses.pdf")
def _all_caps_clauses() -> bytes:
    return text_pdf(caps_clauses_pages())


# --------------------------------------------------------------------------------------------
# Hostile PDFs
# --------------------------------------------------------------------------------------------

SHORT_CONTRACT = [wrap("Vendor shall not sell ALPR Data to any third party. Vendor shall delete ALPR Data "
                       "thirty (30) days after it is collected unless the Agency directs otherwise in "
                       "writing for an open criminal investigation.")]
USER_PASSWORD = "open-sesame"


@builder("encrypted-user-password.pdf")
def _encrypted_user_password() -> bytes:
    return text_pdf(SHORT_CONTRACT, header=None, owner_password="owner-secret", user_password=USER_PASSWORD)


@builder("encrypted-owner-only.pdf")
def _encrypted_owner_only() -> bytes:
    # Opens without a password; the owner password only restricts copying and editing.
    from fpdf.enums import AccessPermission
    return text_pdf(SHORT_CONTRACT, header=None, owner_password="owner-secret", user_password="",
                    permissions=AccessPermission.PRINT_LOW_RES)


@builder("truncated.pdf")
def _truncated() -> bytes:
    whole = text_pdf(page_break_pages())
    return whole[: len(whole) // 2]


@builder("zero-bytes.pdf")
def _zero_bytes() -> bytes:
    return b""


@builder("html-named.pdf")
def _html_named() -> bytes:
    return (b"<!DOCTYPE html>\n<html><head><title>Contract 2024-117 | City of Springfield</title></head>\n"
            b"<body><h1>ALPR Services Agreement</h1><p>Vendor shall delete ALPR Data after 30 days.</p>"
            b"</body></html>\n")


@builder("html-saved-page.pdf")
def _html_saved_page() -> bytes:
    # As a browser's "Save page as" writes it: BOM, mark-of-the-web comment, XHTML doctype.
    return ("\ufeff<!-- saved from url=(0086)https://www.springfield.gov/DocumentCenter/View/1234/"
            "ALPR-Services-Agreement-2024 -->\r\n"
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\r\n'
            '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Document Center</title></head>'
            "<body><p>Vendor shall delete ALPR Data after 30 days.</p></body></html>\r\n").encode("utf-8")


@builder("pdf-header-then-garbage.pdf")
def _pdf_header_then_garbage() -> bytes:
    return b"%PDF-1.7\n" + random.Random(7).randbytes(4000)


@builder("random-bytes.pdf")
def _random_bytes() -> bytes:
    return random.Random(11).randbytes(4000)   # no magic number, not text


@builder("legacy-word.doc")
def _legacy_word() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)  # an OLE2 compound file header


# --------------------------------------------------------------------------------------------
# Word
# --------------------------------------------------------------------------------------------

def docx_bytes(build) -> bytes:
    import docx
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _body_order(document) -> None:
    document.add_paragraph("1. Term. This Agreement starts on the Effective Date.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Data type"
    table.cell(0, 1).text = "Retention period"
    table.cell(1, 0).text = "Plate reads"
    table.cell(1, 1).text = "30 days"
    document.add_paragraph("2. Retention. Vendor shall delete plate reads as the table above sets out.")
    document.add_paragraph("")   # an empty paragraph is not a clause


@builder("body-order.docx")
def _body_order_docx() -> bytes:
    return docx_bytes(_body_order)


@builder("corrupt.docx")
def _corrupt_docx() -> bytes:
    # A real ZIP with the entries of a .docx, but the main document part is not XML.
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'content-types"><Override PartName="/word/document.xml" ContentType="application/'
                   'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
                   '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                   '</Relationships>')
        z.writestr("word/document.xml", b"<w:document><w:body><w:p>unterminated \x00\xff")
    return out.getvalue()


@builder("docx-without-body.docx")
def _docx_without_body() -> bytes:
    # A well-formed .docx whose main part is a valid <w:document> with no <w:body>.
    source = zipfile.ZipFile(io.BytesIO(docx_bytes(_body_order)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w='
                        b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
            z.writestr(info.filename, data)
    return out.getvalue()


def _revision(document, tag: str, text: str):
    """A tracked insertion (w:ins) or deletion (w:del) holding one run of `text`, as Word writes them."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    revision = OxmlElement(tag)
    revision.set(qn("w:id"), str(len(text)))
    revision.set(qn("w:author"), "Town Attorney")
    run, piece = OxmlElement("w:r"), OxmlElement("w:delText" if tag == "w:del" else "w:t")
    piece.set(qn("xml:space"), "preserve")
    piece.text = text
    run.append(piece)
    revision.append(run)
    return revision


def _tracked_changes(document) -> None:
    changed = document.add_paragraph("4.1 Vendor ")
    changed._p.append(_revision(document, "w:del", "may sell Customer Data to third parties."))
    changed._p.append(_revision(document, "w:ins", "shall not sell Customer Data to any third party."))
    inserted = document.add_paragraph()
    inserted._p.append(_revision(document, "w:ins", "4.2 Vendor shall delete Customer Data within thirty (30) days."))
    deleted = document.add_paragraph()
    deleted._p.append(_revision(document, "w:del", "4.3 Vendor may keep Customer Data indefinitely."))
    cell = document.add_table(rows=1, cols=1).cell(0, 0).paragraphs[0]
    cell.add_run("Retention: ")
    cell._p.append(_revision(document, "w:del", "one (1) year"))
    cell._p.append(_revision(document, "w:ins", "thirty (30) days"))


@builder("tracked-changes.docx")
def _tracked_changes_docx() -> bytes:
    return docx_bytes(_tracked_changes)


@builder("truncated.docx")
def _truncated_docx() -> bytes:
    whole = docx_bytes(_body_order)
    return whole[: len(whole) // 2]


# --------------------------------------------------------------------------------------------
# Plain text in several encodings
# --------------------------------------------------------------------------------------------

ENCODED_TEXT = ("Vendor shall not sell ALPR Data. The Agency’s “Hot List” costs 5 € per month – "
                "payable to Société Générale, Zürich.\n")
LATIN1_TEXT = "Vendor shall not sell ALPR Data. Payment to Société Générale, Zürich, costs 5 £ ± 1.\n"


@builder("utf8.txt")
def _utf8() -> bytes:
    return ENCODED_TEXT.encode("utf-8")


@builder("latin1.txt")
def _latin1() -> bytes:
    return LATIN1_TEXT.encode("latin-1")


@builder("cp1252.txt")
def _cp1252() -> bytes:
    return ENCODED_TEXT.encode("cp1252")


@builder("utf16.txt")
def _utf16() -> bytes:
    return ENCODED_TEXT.encode("utf-16")   # with a byte-order mark, as Windows Notepad writes it


@builder("form-feed-pages.txt")
def _form_feed_pages() -> bytes:
    return ("Vendor shall not sell ALPR Data to any third party.\r\n\f"
            "Vendor shall delete ALPR Data after thirty (30) days.\r\n\f"
            "The Agency may audit Vendor once a year.\r\n").encode("utf-8")


# --------------------------------------------------------------------------------------------
# E-mail messages from records offices
# --------------------------------------------------------------------------------------------

def _email(html_only: bool = False) -> bytes:
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = "Records Clerk <records@townofbrill.example>"
    message["To"] = "reporter@news.example"
    message["Date"] = "Tue, 03 Mar 2026 10:15:00 -0500"
    message["Subject"] = "Public records request 26-114: ALPR agreement"
    body = ("Attached is the agreement. The vendor\u2019s terms say: Vendor shall not sell Agency Data "
            "to any third party. Reads are deleted after thirty (30) days.")
    if html_only:
        message.set_content("<html><body><p>" + body + "</p><script>var x = 'Vendor may sell data';</script>"
                            "</body></html>", subtype="html")
    else:
        message.set_content(body)   # utf-8, quoted-printable or base64 as the library decides
        message.add_attachment(text_pdf([["7.1 Vendor may disclose Agency Data to any federal agency upon request."]]),
                               maintype="application", subtype="pdf", filename="alpr-agreement.pdf")
        message.add_attachment(b"", maintype="application", subtype="octet-stream", filename="empty.bin")
    return bytes(message)


@builder("records-reply.eml")
def _records_reply() -> bytes:
    return _email()


@builder("html-only-reply.eml")
def _html_only_reply() -> bytes:
    return _email(html_only=True)


# --------------------------------------------------------------------------------------------
# Scans and images
# --------------------------------------------------------------------------------------------

SCAN_LINES = [
    "7.2 Retention of Data.",
    "Vendor shall delete all license plate",
    "records thirty days after collection",
    "unless the Agency requests otherwise",
    "in writing for a criminal investigation.",
]
SCAN_WORDS = ["Retention", "Vendor", "delete", "license", "plate", "records", "thirty", "collection",
              "Agency", "writing", "criminal", "investigation"]


def _font(size: int):
    from PIL import ImageFont
    for name in ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "Arial.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def scanned_image(lines: list[str] = SCAN_LINES):
    """A 6 x 2.5 inch piece of a page at 300 dpi: black text, rotated 1.5 degrees as a feeder
    skews it, with speckle noise."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (1800, 750), 255)
    draw = ImageDraw.Draw(image)
    font = _font(46)
    for i, line in enumerate(lines):
        draw.text((90, 90 + i * 64), line, fill=0, font=font)
    image = image.rotate(1.5, resample=Image.BICUBIC, expand=False, fillcolor=255)
    rng = random.Random(3)
    pixels = image.load()
    for _ in range(image.width * image.height // 150):   # ~0.7% speckle
        pixels[rng.randrange(image.width), rng.randrange(image.height)] = rng.choice((0, 90))
    return image


def image_pdf(pages) -> bytes:
    """A PDF whose pages are given as an image (no text layer) or as lines of text."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format=(432, 180))   # 6 x 2.5 inches: a small page keeps OCR fast
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=9)
    for page in pages:
        pdf.add_page()
        if isinstance(page, list):
            for i, line in enumerate(page):
                pdf.text(18, 24 + i * 12, line)
        else:
            pdf.image(page, x=0, y=0, w=432, h=180)
    return bytes(pdf.output())


@builder("scanned-page.pdf")
def _scanned_page() -> bytes:
    return image_pdf([scanned_image()])


@builder("scanned-page-upside-down.pdf")
def _scanned_page_upside_down() -> bytes:
    return image_pdf([scanned_image().rotate(180)])


@builder("text-then-scanned-page.pdf")
def _text_then_scanned_page() -> bytes:
    text_page = ["Vendor shall not sell ALPR Data to any third party for any purpose,",
                 "and the Agency may audit the Vendor once in each year of the term."]
    return image_pdf([text_page, scanned_image()])


# What Tesseract gets wrong on a poor scan, printed on the page so that OCR reads it back: a word
# split by a space ("detect ions") and a stray period between words ("law. enforcement").
OCR_SLIP_LINES = ["The Vendor shall not sell detect ions to",
                  "any third party. Vendor shall not share",
                  "data with other law. enforcement agencies."]


@builder("scanned-ocr-slips.pdf")
def _scanned_ocr_slips() -> bytes:
    return image_pdf([scanned_image(OCR_SLIP_LINES)])


def _text_over_image(lines: list[str], image, invisible: bool) -> bytes:
    """A page of text lines, drawn over the image if one is given, invisible (render mode 3) if asked."""
    from fpdf import FPDF
    from fpdf.enums import TextMode

    pdf = FPDF(unit="pt", format=(432, 180))
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=14)
    pdf.add_page()
    if image is not None:
        pdf.image(image, x=0, y=0, w=432, h=180)
    if invisible:
        pdf.text_mode = TextMode.INVISIBLE
    for i, line in enumerate(lines):
        pdf.text(22, 34 + i * 15.5, line)
    return bytes(pdf.output())


@builder("hidden-text-over-scan.pdf")
def _hidden_text_over_scan() -> bytes:
    """A scan OCR'd by another program: its text, with the OCR's slips, laid invisibly over the picture."""
    return _text_over_image(OCR_SLIP_LINES, scanned_image(OCR_SLIP_LINES), invisible=True)


@builder("visible-text-with-ocr-slips.pdf")
def _visible_text_with_ocr_slips() -> bytes:
    """The same words as a text layer: what a document says, never read tolerantly."""
    return _text_over_image(OCR_SLIP_LINES, None, invisible=False)


@builder("scanned-page.png")
def _scanned_png() -> bytes:
    out = io.BytesIO()
    scanned_image().save(out, format="PNG")
    return out.getvalue()


@builder("scanned-page-75dpi.png")
def _scanned_png_75dpi() -> bytes:
    """The same piece of a page scanned at 75 dpi (a poor fax), saying so in its metadata."""
    image = scanned_image()
    out = io.BytesIO()
    image.resize((image.width // 4, image.height // 4)).save(out, format="PNG", dpi=(75, 75))
    return out.getvalue()


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


@builder("decompression-bomb.png")
def _decompression_bomb() -> bytes:
    # A valid 1-bit 30000 x 30000 PNG (900 million pixels) of white that compresses to ~100 KB.
    width = height = 30000
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row * 1000) for _ in range(height // 1000)) + compressor.flush()
    return (b"\x89PNG\r\n\x1a\n"
            + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b""))


# --------------------------------------------------------------------------------------------
# Contract facts and follow-up requests
# --------------------------------------------------------------------------------------------

ORDER_FORM_PRICES = [["Product / Service", "Qty", "Unit Price", "Billing", "Extended"],
                     ["Ashcombe Fixed LPR Camera -- annual subscription", "10", "$2,400.00", "Annual", "$24,000.00"],
                     ["Installation Fee (per camera)", "10", "$300.00", "One-time", "$3,000.00"],
                     ["Ashcombe Search Portal access", "1", "Included", "Annual", "$0.00"]]
ORDER_FORM_TERMS = [["Term Item", "Detail"], ["Effective Date", "March 3, 2025"],
                    ["Initial Term", "Thirty-six (36) months"], ["Renewal Term", "Twelve (12) months"],
                    ["Total Contract Value", "$75,000.00"]]


def _letter_pdf():
    """An fpdf2 document of Letter pages measured in points, set in 10-point Helvetica."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="Letter")
    pdf.set_font("Helvetica", size=10)
    return pdf


@builder("order-form-price-table.pdf")
def _order_form_price_table() -> bytes:
    """Page 1 prose with no prices; page 2 two ruled tables drawn by fpdf2 and two incorporations."""
    pdf = _letter_pdf()
    pdf.add_page()
    pdf.multi_cell(0, 14, "ORDER FORM\n\nThis Order Form is between Ashcombe Sensing, Inc. (\"Ashcombe\") and the "
                          "Town of Foxley (\"Customer\") for the license plate reader services described on the next "
                          "page. Customer shall designate a system administrator for the Services.")
    pdf.add_page()
    for rows, widths in ((ORDER_FORM_PRICES, (220, 40, 80, 70, 80)), (ORDER_FORM_TERMS, (160, 330))):
        with pdf.table(col_widths=widths, text_align="LEFT") as table:
            for data_row in rows:
                row = table.row()
                for datum in data_row:
                    row.cell(datum)
        pdf.ln(14)
    pdf.multi_cell(0, 14, "Customer's use of the Services is subject to the Ashcombe Data Use Policy available at "
                          "https://ashcombe.example/legal/data-use, which is incorporated into this Order Form by "
                          "reference. The Ashcombe Support Policy and the Ashcombe Hardware Standards in Exhibit C "
                          "are likewise incorporated herein by reference.")
    return bytes(pdf.output())


PROSE_TERMS = (
    "LICENSE PLATE READER SERVICES AGREEMENT\n\n"
    "This Agreement is entered into as of June 2, 2025 by Brackley Optics, LLC (\"Vendor\") and the "
    "City of Dunmere (\"City\").\n\n"
    "1. Term. This Agreement is for an initial term of twenty-four (24) months. It renews automatically for "
    "successive renewal terms of one (1) year unless the City gives notice at least sixty (60) days before "
    "the end of the Renewal Term.\n\n"
    "2. Equipment. Vendor shall install twelve (12) fixed cameras and three (3) mobile units at locations the "
    "City selects. Vendor will replace a single camera within five (5) business days of a failure.\n\n"
    "3. Fees. The City shall pay $2,500.00 per camera per year, invoiced annually. The Total Contract Value "
    "for the initial term is $81,300.00.\n")


@builder("prose-terms.txt")
def _prose_terms() -> bytes:
    return PROSE_TERMS.encode("utf-8")


def _order_form_rows(document) -> None:
    document.add_paragraph("ORDER FORM")
    document.add_paragraph("Ashcombe Sensing, Inc. order for the Town of Foxley.")
    table = document.add_table(rows=len(ORDER_FORM_PRICES), cols=len(ORDER_FORM_PRICES[0]))
    for r, values in enumerate(ORDER_FORM_PRICES):
        for c, value in enumerate(values):
            table.cell(r, c).text = value


@builder("order-form-table.docx")
def _order_form_docx() -> bytes:
    return docx_bytes(_order_form_rows)


@builder("prices-in-prose.pdf")
def _prices_in_prose() -> bytes:
    """Two pages of fees written as prose: page 1 plain, page 2 with a boxed notice and a signature rule."""
    pdf = _letter_pdf()
    pdf.add_page()
    pdf.multi_cell(0, 14, "3. Fees. Customer shall pay Vendor an annual fee of $2,500.00 per camera. The aggregate fees "
                          "in any contract year shall not exceed $75,000.00 without the approval of the Town Council.")
    pdf.add_page()
    pdf.multi_cell(0, 14, "4. Relocation. Vendor shall relocate a camera at Customer's request for $350.00 per "
                          "camera, and shall credit $100.00 for each day a camera is out of service.", border=1)
    pdf.ln(40)
    pdf.line(72, pdf.get_y(), 288, pdf.get_y())
    pdf.multi_cell(0, 14, "Authorized signature")
    return bytes(pdf.output())


# --------------------------------------------------------------------------------------------
# Two versions of a vendor's standard terms (clausescan diff, scan --baseline)
# --------------------------------------------------------------------------------------------

TERMS_HEADER = "Acme Plate Readers - Standard Terms for Agencies"
TERMS_SUPPORT = ("Vendor shall provide the Agency with training materials, release notes and a help desk that "
                 "answers support requests during normal business hours on each business day of the term.")
TERMS_COMPLIANCE = ("Each party shall comply with all federal, state and local laws that apply to its performance "
                    "under these Terms, including the laws on public records and on state and local law "
                    "enforcement agencies, and shall cooperate with the other party in good faith.")
TERMS_SECURITY_V1 = "Vendor shall encrypt Customer Data at rest and shall test its backups every quarter."
TERMS_SECURITY_V2 = ("Vendor shall encrypt Customer Data at rest and in transit and shall test its backups "
                     "every month.")
TERMS_NO_SALE = "Vendor shall not sell Customer Data to any third party."
TERMS_LICENCE = ("Customer grants Vendor a perpetual, irrevocable, worldwide licence to use Customer Data to "
                 "support and improve Vendor's services.")


def _terms_pages(version: int) -> list[list[str]]:
    width = 80 if version == 1 else 64     # the rewrite is laid out anew: other line breaks

    def para(text: str) -> list[str]:
        return textwrap.wrap(text, width=width) + [""]

    page1 = ["STANDARD TERMS FOR AGENCIES", ""]
    page1 += para("1. Services. Vendor shall provide the license plate reader system described in the order "
                  "form (the \"System\") to the Agency for the term of the order form.")
    page1 += para("2. Support. " + TERMS_SUPPORT)
    page1 += para("3.1 Ownership. The Agency owns all Customer Data that the System collects.")
    if version == 1:
        page1 += para("3.2 No Sale. " + TERMS_NO_SALE)
        page1 += para("3.3 Retention. Vendor shall delete Customer Data thirty (30) days after it is collected.")
    else:
        page1 += para("3.2 Retention. Vendor shall delete Customer Data sixty (60) days after it is collected.")
        page1 += para("4. License. " + TERMS_LICENCE)
    number = 4 if version == 1 else 5
    if version == 1:
        page1 += para(f"{number}. Compliance. " + TERMS_COMPLIANCE)
        page2 = []
    else:   # across the page break, "enforce-" / "ment" hyphenated at the line end
        page1 += ["5. Compliance. Each party shall comply with all federal, state and",
                  "local laws that apply to its performance under these Terms,",
                  "including the laws on public records and on state and local law enforce-"]
        page2 = ["ment agencies, and shall cooperate with the other party in good faith.", ""]
    page2 += para(f"{number + 1}. Security. " + (TERMS_SECURITY_V1 if version == 1 else TERMS_SECURITY_V2))
    return [page1, page2]


@builder("terms-2024.pdf")
def _terms_2024() -> bytes:
    return text_pdf(_terms_pages(1), header=TERMS_HEADER)


@builder("terms-2026.pdf")
def _terms_2026() -> bytes:
    return text_pdf(_terms_pages(2), header=TERMS_HEADER)


# --------------------------------------------------------------------------------------------
# A two-page agreement for `clausescan check`
# --------------------------------------------------------------------------------------------

CHECK_PREAMBLE = ('This Data Platform Services Agreement (the "Agreement") is entered into by and between '
                  'Quarry Lane Imaging, Inc., a Vermont corporation ("Quarry Lane"), and the Town of Edgerly, '
                  'acting through its Police Department ("Agency").')
CHECK_SALE_P1 = "1.1 Quarry Lane may sell Agency Data to its commercial partners."
CHECK_SALE_P2 = "3.2 Quarry Lane may sell Agency Data to insurers for a fee."
CHECK_NO_SALE = "3.1 Quarry Lane shall not sell Agency Data to data brokers."


@builder("check-two-pages.pdf")
def _check_two_pages() -> bytes:
    page1 = ["DATA PLATFORM SERVICES AGREEMENT", "", *wrap(CHECK_PREAMBLE), "", "1. DATA", CHECK_SALE_P1, "",
             "2. SUPPORT", *wrap(FILLER[1])]
    page2 = ["3. MORE ON DATA", CHECK_NO_SALE, CHECK_SALE_P2]
    return text_pdf([page1, page2], header=None)


# --------------------------------------------------------------------------------------------
# pytest fixtures
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def fixture_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fixtures")


@pytest.fixture(scope="session")
def fixture_file(fixture_dir):
    """fixture_file("truncated.pdf") -> the generated file's path (built once per session)."""
    def get(name: str) -> Path:
        path = fixture_dir / name
        if not path.exists():
            path.write_bytes(BUILDERS[name]())
        return path
    return get


@pytest.fixture(scope="session")
def tesseract_installed() -> bool:
    from clausescan.extract.ocr import tesseract_path
    return tesseract_path() is not None


@pytest.fixture
def no_tesseract(monkeypatch):
    """Simulate a machine without the tesseract binary."""
    import clausescan.extract.ocr as ocr
    monkeypatch.setattr(ocr, "tesseract_path", lambda: None)


@pytest.fixture(autouse=True)
def own_cache_home(tmp_path_factory, monkeypatch):
    """The command line and clausescan.scan() cache by default (in $XDG_CACHE_HOME/clausescan):
    each test starts with an empty cache of its own, never the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache-home")))
