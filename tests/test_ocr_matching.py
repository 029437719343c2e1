"""OCR-tolerant matching (clausescan/ocrview.py): OCR'd pages are matched through a view with
Tesseract's slips undone, quotes still come from the text as read, and a text layer is never
changed."""
from __future__ import annotations

import re

import pytest

from clausescan.match import match_document
from clausescan.segment import Segmented, segment
from clausescan.models import LOW_QUALITY_OCR, Document, Page
from clausescan.ocrview import matching_view

SPLIT_WORD = "The Vendor shall not sell detect ions to any third party."
STRAY_MARK = "Vendor shall not share data with other law. enforcement agencies."
MISREAD = "The Vendor shall not sell inforrnation to any third party."


@pytest.fixture(scope="module")
def compiled():
    from clausescan.rules.engine import CompiledLibrary
    from clausescan.rules.loader import load_rules
    return CompiledLibrary(load_rules())


def whole(text: str) -> tuple[str, object]:
    return matching_view(text, [(0, len(text))])


def test_the_view_rejoins_split_words_drops_stray_marks_and_undoes_misread_letters():
    view, _ = whole("The license. plate. data ' and detect ions, inforrnation and Iicense.")
    assert view == "The license plate data and detections, information and License."
    view, _ = whole("Vendor shall, delete the. . Data of an agericy after the written. amendmentt of.the term.")
    assert view == "Vendor shall delete the Data of an agency after the written amendment of the term."


def test_every_word_of_the_view_maps_back_to_the_words_as_read():
    text = "Keep ' detect ions. for 3O days, then in formation i is deleted andthe log."
    view, offsets = whole(text)
    assert view == "Keep detections for 3O days, then information is deleted and the log."
    pairs = [(m.group(), text[offsets.source_start(m.start()):offsets.source_end(m.end())])
             for m in re.finditer(r"\S+", view)]
    assert ("detections", "detect ions") in pairs and ("information", "in formation") in pairs
    assert ("and", "and") in pairs and ("the", "the") in pairs and ("is", "is") in pairs
    assert ("log.", "log.") in pairs and ("Keep", "Keep") in pairs


def test_words_of_the_lexicon_and_real_punctuation_are_left_as_they_are():
    text = 'The "Agency Data" means a notice, and the vendors\' data; see Sec. 4 and e.g. the law.'
    assert whole(text) == (text, None)
    unknown = "Cameras offline are reported to the sublicensee and the geofence owner."
    assert whole(unknown) == (unknown, None)


def test_only_the_given_spans_are_read_tolerantly():
    text = "detect ions here | detect ions there"
    view, _ = matching_view(text, [(18, len(text))])
    assert view == "detect ions here | detections there"
    assert matching_view(text, []) == (text, None)


def document(text: str, method: str) -> Document:
    return Document(file="contract.pdf", pages=[Page(1, text, method=method)])


@pytest.mark.parametrize("sentence, rule", [(SPLIT_WORD, "data-sale"), (STRAY_MARK, "network-sharing"),
                                            (MISREAD, "data-sale")])
def test_an_ocr_slip_still_gives_the_finding_quoted_as_read(compiled, sentence, rule):
    findings = match_document(document(sentence, "ocr"), compiled)
    assert [(f.rule, f.polarity, f.quote, f.page) for f in findings] == [(rule, "safeguard", sentence, 1)]


@pytest.mark.parametrize("sentence", [SPLIT_WORD, STRAY_MARK, MISREAD])
def test_a_text_layer_is_matched_as_it_is_written(compiled, sentence):
    assert match_document(document(sentence, "text"), compiled) == []
    assert segment(document(sentence, "text")).offsets == [None]


def test_a_paragraph_running_from_a_text_page_onto_an_ocr_page_is_read_tolerantly_on_that_page_only():
    doc = Document(file="contract.pdf", pages=[Page(1, "Vendor shall keep records of detect ions and", method="text"),
                                               Page(2, "detect ions shall be kept.", method="ocr")])
    assert [piece for pieces in segment(doc).pieces for _, piece in pieces] == \
        ["Vendor shall keep records of detect ions and detections shall be kept."]


def test_the_cached_view_gives_the_same_findings(compiled):
    doc = document(f"{SPLIT_WORD} {STRAY_MARK}", "ocr")
    prepared = segment(doc)
    restored = Segmented.from_json(prepared.to_json())
    assert restored.offsets[0].to_json() == prepared.offsets[0].to_json()
    assert match_document(doc, compiled, restored) == match_document(doc, compiled, prepared) != []


def test_a_scanned_page_with_a_split_word_and_a_stray_mark_gives_the_findings(fixture_file, tesseract_installed):
    if not tesseract_installed:
        pytest.skip("tesseract is not installed")
    from clausescan.pipeline import scan
    result = scan([fixture_file("scanned-ocr-slips.pdf")], workers=1).documents[0]
    assert result.document.pages_ocr == [1]
    by_rule = {f.rule: f for f in result.findings}
    assert "detect ions" in by_rule["data-sale"].quote and by_rule["data-sale"].page == 1
    assert "law. enforcement" in by_rule["network-sharing"].quote


def test_invisible_text_over_a_scan_is_read_as_ocr_and_visible_text_as_written(fixture_file):
    from clausescan.pipeline import scan
    hidden, visible = (scan([fixture_file(name)], workers=1).documents[0]
                       for name in ("hidden-text-over-scan.pdf", "visible-text-with-ocr-slips.pdf"))
    assert [p.method for p in hidden.document.pages] == ["ocr"]
    assert [(f.rule, f.quote) for f in hidden.findings if f.rule == "data-sale"] == [("data-sale", SPLIT_WORD)]
    assert [p.method for p in visible.document.pages] == ["text"]
    assert [f for f in visible.findings if f.rule == "data-sale"] == []


@pytest.mark.parametrize("confidence, verdict, absent", [(LOW_QUALITY_OCR - 20, "not fully read", "missing safeguard"),
                                                        (LOW_QUALITY_OCR + 5, "missing safeguard", "not fully read")])
def test_the_workbook_check_and_memo_say_a_low_quality_scan_was_not_fully_read(compiled, tmp_path, confidence,
                                                                               verdict, absent):
    from openpyxl import load_workbook

    from clausescan import __version__
    from clausescan.models import ScanResult
    from clausescan.pipeline import analyse
    from clausescan.report import check, memo, xlsx
    page = Page(1, "The Agency shall pay each invoice within thirty days of receipt.", method="ocr",
                ocr_confidence=confidence)
    result = analyse(Document(file="town-a/scan.pdf", pages=[page]), compiled)
    scan = ScanResult(documents=[result], rules=compiled.library.rules, rules_version=compiled.library.version,
                      tool_version=__version__)
    xlsx.write(scan, tmp_path / "out.xlsx")
    book = load_workbook(tmp_path / "out.xlsx")
    cells = [str(c.value) for name in ("Towns", "Summary") for row in book[name].iter_rows() for c in row if c.value]
    assert any(verdict in c for c in cells) and not any(absent in c for c in cells)
    low_quality = confidence < LOW_QUALITY_OCR
    assert ("LOW-QUALITY OCR" in check.headline(result)) == low_quality
    assert ("could not be fully read" in memo.methods(scan, "")) == low_quality
