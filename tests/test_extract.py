"""Extraction: every kind of input becomes a Document of 1-based pages holding the page's text."""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest

from clausescan import scan
from clausescan.extract import extract
from clausescan.extract.ocr import NO_TESSERACT, OcrOptions
from clausescan.segment import segment
from conftest import ENCODED_TEXT, HEADER, LATIN1_TEXT, SCAN_WORDS


# --- text-layer PDF ---------------------------------------------------------------------------

def test_text_pdf_pages_are_numbered_from_one_and_read_from_the_text_layer(fixture_file):
    doc = extract(fixture_file("clause-across-page-break.pdf"))
    assert (doc.kind, doc.status, doc.error) == ("pdf", "ok", None)
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert [p.method for p in doc.pages] == ["text", "text", "text"]
    assert doc.pages_ocr == [] and doc.pages_unreadable == []
    assert len(doc.sha256) == 64
    assert "AUTOMATED LICENSE PLATE READER SERVICES AGREEMENT" in doc.pages[0].text
    assert "to no one else." in doc.pages[2].text
    for page in doc.pages:
        assert HEADER in page.text and f"Page {page.number} of 3" in page.text


def test_pdf_page_text_keeps_a_line_end_hyphen_and_its_line_break(fixture_file):
    # pdfium replaces "-" + line break with U+FFFE, gluing lines (and the last line to the
    # footer); the reader puts both back so the page keeps its real lines.
    doc = extract(fixture_file("clause-across-page-break.pdf"))
    text = "".join(p.text for p in doc.pages)
    assert "\ufffe" not in text and "\x02" not in text
    assert "state law enforce-\nment agencies only" in doc.pages[0].text
    assert re.search(r"law enforce-\nPage 2 of 3\s*$", doc.pages[1].text)
    lines = doc.pages[0].text.split("\n")
    assert max(len(line) for line in lines) <= 90, "two page lines were glued into one"


# --- plain text -------------------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("utf8.txt", ENCODED_TEXT),
    ("latin1.txt", LATIN1_TEXT),
    ("cp1252.txt", ENCODED_TEXT),
    ("utf16.txt", ENCODED_TEXT),
])
def test_text_file_decodes_in_its_own_encoding(fixture_file, name, expected):
    doc = extract(fixture_file(name))
    assert (doc.kind, doc.status, doc.error) == ("txt", "ok", None)
    assert [p.number for p in doc.pages] == [1]
    assert doc.pages[0].text == expected
    assert "\ufffd" not in doc.pages[0].text


def test_text_file_form_feeds_are_page_breaks_and_crlf_is_normalised(fixture_file):
    doc = extract(fixture_file("form-feed-pages.txt"))
    assert doc.status == "ok"
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert doc.pages[1].text == "Vendor shall delete ALPR Data after thirty (30) days.\n"
    assert not any("\r" in p.text for p in doc.pages)
    clauses = segment(doc).clauses()
    assert [(c.page, c.text) for c in clauses] == [
        (1, "Vendor shall not sell ALPR Data to any third party."),
        (2, "Vendor shall delete ALPR Data after thirty (30) days."),
        (3, "The Agency may audit Vendor once a year."),
    ]


# --- Word -------------------------------------------------------------------------------------

def test_docx_paragraphs_and_table_rows_come_out_in_body_order(fixture_file):
    doc = extract(fixture_file("body-order.docx"))
    assert (doc.kind, doc.status) == ("docx", "ok")
    assert [p.number for p in doc.pages] == [1]
    lines = [line for line in doc.pages[0].text.split("\n") if line.strip()]
    assert lines == [
        "1. Term. This Agreement starts on the Effective Date.",
        "Data type | Retention period",
        "Plate reads | 30 days",
        "2. Retention. Vendor shall delete plate reads as the table above sets out.",
    ]


def test_a_redline_is_read_with_its_tracked_changes_accepted(fixture_file):
    doc = extract(fixture_file("tracked-changes.docx"))
    lines = [line for line in doc.pages[0].text.split("\n") if line.strip()]
    assert lines == [
        "4.1 Vendor shall not sell Customer Data to any third party.",
        "4.2 Vendor shall delete Customer Data within thirty (30) days.",
        "Retention: thirty (30) days",
    ]


def test_a_clause_inserted_in_a_redline_is_a_finding(fixture_file):
    result = scan(fixture_file("tracked-changes.docx"), cache=None, workers=1, time_limit=None).documents[0]
    found = {(f.rule, f.polarity, f.quote) for f in result.findings}
    assert ("data-sale", "safeguard", "Vendor shall not sell Customer Data to any third party.") in found
    assert not any("indefinitely" in quote or "may sell" in quote for _, _, quote in found)


def test_docx_clauses_keep_their_section_numbers_and_order(fixture_file):
    clauses = segment(extract(fixture_file("body-order.docx"))).clauses()
    texts = [c.text for c in clauses]
    assert texts.index("This Agreement starts on the Effective Date.") < texts.index("Plate reads | 30 days") \
        < texts.index("Vendor shall delete plate reads as the table above sets out.")
    by_text = {c.text: c for c in clauses}
    assert by_text["This Agreement starts on the Effective Date."].section == "1"
    assert by_text["Vendor shall delete plate reads as the table above sets out."].section == "2"
    assert by_text["Vendor shall delete plate reads as the table above sets out."].heading == "Retention"


# --- OCR --------------------------------------------------------------------------------------

def _recovered(text: str) -> list[str]:
    words = set(re.findall(r"[A-Za-z]+", text))
    return [w for w in SCAN_WORDS if w in words]


def test_scanned_pdf_page_is_read_by_ocr(fixture_file, tesseract_installed):
    if not tesseract_installed:
        pytest.skip("the tesseract binary is not installed (scripts/setup.sh installs it)")
    doc = extract(fixture_file("scanned-page.pdf"))
    assert (doc.kind, doc.status, doc.error) == ("pdf", "ok", None)
    assert doc.pages[0].method == "ocr" and doc.pages_ocr == [1]
    found = _recovered(doc.pages[0].text)
    assert len(found) >= len(SCAN_WORDS) - 2, f"OCR recovered only {found} from {doc.pages[0].text!r}"
    assert doc.ocr_confidence is not None and doc.ocr_confidence > 60
    clause = next(c for c in segment(doc).clauses() if c.text.startswith("Vendor shall delete"))
    assert clause.page == 1 and clause.section == "7.2"
    assert clause.text.endswith("for a criminal investigation.")   # one sentence over five scanned lines


def test_a_low_resolution_scan_is_enlarged_before_ocr(fixture_file, tesseract_installed):
    if not tesseract_installed:
        pytest.skip("the tesseract binary is not installed (scripts/setup.sh installs it)")
    doc = extract(fixture_file("scanned-page-75dpi.png"))
    found = _recovered(doc.pages[0].text)
    assert len(found) >= len(SCAN_WORDS) - 2, f"OCR recovered only {found} from {doc.pages[0].text!r}"


def test_scanned_pdf_without_tesseract_reports_the_page_unreadable(fixture_file, no_tesseract):
    doc = extract(fixture_file("scanned-page.pdf"))
    assert doc.status == "error"
    assert doc.pages_unreadable == [1] and doc.pages_ocr == []
    assert doc.pages[0].method == "none"
    assert doc.pages[0].unreadable_reason == NO_TESSERACT
    assert NO_TESSERACT in doc.error


def test_text_page_is_kept_when_the_scanned_page_cannot_be_read(fixture_file, no_tesseract):
    doc = extract(fixture_file("text-then-scanned-page.pdf"))
    assert doc.status == "partial"
    assert [p.method for p in doc.pages] == ["text", "none"]
    assert doc.pages_unreadable == [2]
    assert doc.pages[1].unreadable_reason == NO_TESSERACT
    assert "2" in doc.error and NO_TESSERACT in doc.error
    assert "Vendor shall not sell ALPR Data" in doc.pages[0].text


def test_ocr_never_leaves_scanned_pages_unread_with_its_own_reason(fixture_file):
    doc = extract(fixture_file("text-then-scanned-page.pdf"), ocr=OcrOptions("never"))
    assert doc.status == "partial" and doc.pages_unreadable == [2]
    assert "OCR was turned off" in doc.pages[1].unreadable_reason


def test_scanned_image_without_tesseract_is_an_error_not_a_crash(fixture_file, no_tesseract):
    doc = extract(fixture_file("scanned-page.png"))
    assert (doc.kind, doc.status) == ("image", "error")
    assert doc.pages[0].unreadable_reason == NO_TESSERACT


def test_pdfs_can_be_read_from_several_threads_at_once(fixture_file):
    """PDFium crashes the process when two threads call it at once, as a Dask worker's threads do."""
    from concurrent.futures import ThreadPoolExecutor

    path = fixture_file("clause-across-page-break.pdf")
    expected = [p.text for p in extract(path).pages]
    with ThreadPoolExecutor(max_workers=6) as pool:
        documents = list(pool.map(lambda _: extract(path), range(60)))
    assert all([p.text for p in d.pages] == expected for d in documents)


@pytest.mark.parametrize("size, dpi, width_after", [
    ((850, 1100), 100, 2400),     # a 100-dpi letter page: enlarged to a page width at about 300 dpi
    ((2550, 3300), 72, 2550),     # enough pixels, whatever dpi the file claims: left alone
    ((2550, 3300), None, 2550),   # no dpi, a full page of pixels: left alone
    ((1000, 1300), None, 2400),   # no dpi, few pixels: enlarged to a page's width at about 300 dpi
])
def test_only_pages_with_too_few_pixels_are_enlarged_for_ocr(size, dpi, width_after):
    from PIL import Image

    from clausescan.extract.ocr import _preprocess

    image = Image.new("RGB", size, "white")
    if dpi:
        image.info["dpi"] = (dpi, dpi)
    assert _preprocess(image).width == width_after


def test_an_upside_down_scanned_page_is_turned_and_read(fixture_file, tesseract_installed):
    if not tesseract_installed:
        pytest.skip("tesseract is not installed")
    doc = extract(fixture_file("scanned-page-upside-down.pdf"))
    assert doc.pages_ocr == [1] and "criminal investigation" in doc.pages[0].text
    assert doc.pages[0].ocr_confidence > 80 and doc.pages_low_quality_ocr == []


@pytest.mark.parametrize("degrees", [0.0, 1.5, -2.5])
def test_skew_angle_is_measured_from_the_text_lines(degrees):
    from PIL import Image
    from clausescan.extract.ocr import skew_angle
    from conftest import scanned_image
    upright = scanned_image().rotate(-1.5, resample=Image.BICUBIC, fillcolor=255)   # the fixture is turned 1.5
    assert skew_angle(upright.rotate(degrees, resample=Image.BICUBIC, fillcolor=255)) == pytest.approx(degrees, abs=0.3)


def test_deskewing_keeps_or_improves_reading(tesseract_installed):
    if not tesseract_installed:
        pytest.skip("tesseract is not installed")
    from PIL import Image
    from clausescan.extract.ocr import read_page
    from conftest import scanned_image
    crooked = scanned_image().rotate(1.5, resample=Image.BICUBIC, fillcolor=255)   # 3 degrees in all
    crooked.info["dpi"] = (300, 300)
    text, confidence = read_page(crooked, str(Path(tempfile.mkdtemp()) / "page.png"))
    assert all(word.lower() in text.lower() for word in SCAN_WORDS) and confidence > 80


def test_a_low_confidence_ocr_page_makes_a_missing_safeguard_not_fully_read():
    from clausescan.judge import MISSING, NOT_READ, verdicts
    from clausescan.models import LOW_QUALITY_OCR, Document, DocumentResult, Page
    from clausescan.report.json import document_dict
    from clausescan.rules.loader import load_rules
    rules = [r for r in load_rules().rules if r.safeguard_expected]
    text = "The Agency shall pay each invoice within thirty days of receipt."
    well_read = Document(file="a.pdf", pages=[Page(1, text, method="ocr", ocr_confidence=LOW_QUALITY_OCR + 10)])
    poorly_read = Document(file="b.pdf", pages=[Page(1, text, method="ocr", ocr_confidence=LOW_QUALITY_OCR - 20)])
    assert set(verdicts(well_read, [], rules).values()) == {MISSING}
    assert set(verdicts(poorly_read, [], rules).values()) == {NOT_READ}
    out = document_dict(DocumentResult(document=poorly_read))
    assert out["pages_ocr_confidence"] == {"1": LOW_QUALITY_OCR - 20} and out["pages_low_quality_ocr"] == [1]


def test_the_findings_json_carries_each_scanned_pages_confidence(fixture_file, tesseract_installed):
    if not tesseract_installed:
        pytest.skip("tesseract is not installed")
    from clausescan.pipeline import scan
    from clausescan.report.json import document_dict
    out = document_dict(scan([fixture_file("text-then-scanned-page.pdf")], workers=1).documents[0])
    assert list(out["pages_ocr_confidence"]) == ["2"] and out["pages_ocr_confidence"]["2"] > 80
    assert out["pages_low_quality_ocr"] == []
