"""Hostile and broken input: every bad file becomes a Document with status "error" (or
"partial") and a one-sentence reason a person can act on; nothing raises, and a batch carries on."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import clausescan
from clausescan.extract import extract
from clausescan.segment import segment
from conftest import BUILDERS


def assert_human_sentence(message: str | None) -> None:
    """One plain sentence: no traceback, no exception class names, one line, ends with a period."""
    assert isinstance(message, str) and message.strip(), "no error message"
    assert "\n" not in message, message
    assert "Traceback" not in message and 'File "' not in message, message
    assert not re.search(r"\b[A-Z]\w*(Error|Exception|Warning)\b", message), message
    assert not re.search(r"[.!?]\s+[A-Z]", message), f"more than one sentence: {message}"
    assert message.endswith("."), message
    assert len(message) <= 250, message


BAD_FILES = [
    # name, kind it is recognised as, words the reason must contain
    ("zero-bytes.pdf", "empty", "empty"),
    ("html-named.pdf", "html", "web page"),
    ("html-saved-page.pdf", "html", "web page"),
    ("truncated.pdf", "pdf", "damaged"),
    ("pdf-header-then-garbage.pdf", "pdf", "damaged"),
    ("random-bytes.pdf", "binary", "not a PDF"),
    ("encrypted-user-password.pdf", "pdf", "password"),
    ("corrupt.docx", "docx", "damaged"),
    ("truncated.docx", "docx", "damaged"),
    ("docx-without-body.docx", "docx", "damaged"),
    ("legacy-word.doc", "doc", ".docx"),
    ("decompression-bomb.png", "image", "decompression bomb"),
]


@pytest.mark.parametrize("name, kind, reason", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_becomes_an_error_document_with_a_human_reason(fixture_file, name, kind, reason):
    path = fixture_file(name)
    doc = extract(path)                      # must not raise
    assert doc.file == str(path)
    assert doc.kind == kind
    assert doc.status == "error"
    assert reason in doc.error
    assert_human_sentence(doc.error)
    assert segment(doc).clauses() == []                # nothing half-read is passed on as contract text


def test_user_password_pdf_says_a_password_is_needed(fixture_file):
    doc = extract(fixture_file("encrypted-user-password.pdf"))
    assert doc.status == "error"
    assert "encrypted" in doc.error.lower() and "password" in doc.error.lower()


def test_owner_password_only_pdf_scans_normally(fixture_file):
    doc = extract(fixture_file("encrypted-owner-only.pdf"))
    assert (doc.kind, doc.status, doc.error) == ("pdf", "ok", None)
    assert [p.method for p in doc.pages] == ["text"]
    texts = [c.text for c in segment(doc).clauses()]
    assert texts[0] == "Vendor shall not sell ALPR Data to any third party."
    assert texts[1].startswith("Vendor shall delete ALPR Data thirty (30) days after it is collected")


def test_html_named_pdf_is_recognised_as_a_web_page(fixture_file):
    doc = extract(fixture_file("html-named.pdf"))
    assert doc.kind == "html" and doc.status == "error"
    assert "web page" in doc.error and "save the page as PDF" in doc.error


def test_scanned_pdf_without_tesseract_has_a_human_reason(fixture_file, no_tesseract):
    doc = extract(fixture_file("scanned-page.pdf"))
    assert doc.status == "error"
    assert "install tesseract-ocr to read scanned pages" in doc.error
    assert_human_sentence(doc.error)


def test_partly_read_pdf_is_partial_with_a_human_reason(fixture_file, no_tesseract):
    doc = extract(fixture_file("text-then-scanned-page.pdf"))
    assert doc.status == "partial"
    assert doc.error.startswith("page 2 could not be read")
    assert_human_sentence(doc.error)


def test_unexpected_reader_failure_is_still_a_human_sentence(fixture_file, monkeypatch):
    # Whatever a reader library raises, the user sees a sentence; the detail goes to notes.
    import clausescan.extract.text as text_reader

    def explode(data):
        raise KeyError("/Root")
    monkeypatch.setattr(text_reader, "read_text", explode)
    doc = extract(fixture_file("utf8.txt"))
    assert doc.status == "error"
    assert_human_sentence(doc.error)
    assert any("KeyError" in note for note in doc.notes)


def test_missing_file_and_folder_are_errors_not_crashes(tmp_path):
    doc = extract(tmp_path / "no-such-contract.pdf")
    assert doc.status == "error" and "could not be opened" in doc.error
    assert_human_sentence(doc.error)
    doc = extract(tmp_path)                  # a folder handed to the reader as if it were a file
    assert doc.status == "error"
    assert_human_sentence(doc.error)


def test_bytes_are_sniffed_not_the_file_name(fixture_file):
    # A real PDF named .txt is still read as a PDF.
    data = fixture_file("encrypted-owner-only.pdf").read_bytes()
    doc = extract(Path("contract.txt"), data=data)
    assert (doc.kind, doc.status) == ("pdf", "ok")


BATCH = {
    # file name in the folder: (fixture, expected status)
    "zero-bytes.pdf": ("zero-bytes.pdf", "error"),
    "contract.pdf": ("clause-across-page-break.pdf", "ok"),
    "agenda-page.pdf": ("html-named.pdf", "error"),
    "locked.pdf": ("encrypted-user-password.pdf", "error"),
    "Amendment 1.pdf": ("encrypted-owner-only.pdf", "ok"),
    "exhibit-b.docx": ("corrupt.docx", "error"),
    "order-form.docx": ("body-order.docx", "ok"),
    "notes-latin1.txt": ("latin1.txt", "ok"),
    "old/scan-archive.pdf": ("truncated.pdf", "error"),
    "old/terms.doc": ("legacy-word.doc", "error"),
    "photo.png": ("decompression-bomb.png", "error"),
}


def test_batch_scan_of_a_folder_returns_one_result_per_file_in_sorted_order(fixture_file, tmp_path):
    folder = tmp_path / "records-request"
    for target, (source, _) in reversed(list(BATCH.items())):   # written out of order on purpose
        path = folder / target
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(fixture_file(source), path)
    result = clausescan.scan([folder])
    names = [Path(d.document.file).relative_to(folder).as_posix() for d in result.documents]
    assert names == [p.relative_to(folder).as_posix() for p in sorted(folder.rglob("*")) if p.is_file()]
    assert sorted(names) == sorted(BATCH)
    for d in result.documents:
        name = Path(d.document.file).relative_to(folder).as_posix()
        assert d.document.status == BATCH[name][1], (name, d.document.error)
        if d.document.status == "error":
            assert_human_sentence(d.document.error)
            assert d.findings == []
    contract = next(d for d in result.documents if d.document.file.endswith("contract.pdf"))
    assert contract.findings, "the good contract in a bad batch was still scanned for findings"


def test_readme_lists_every_generated_fixture():
    readme = (Path(__file__).parent / "fixtures" / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\|\s*`([^`]+)`\s*\|", readme, re.M))
    assert listed == set(BUILDERS)


def test_without_tesseract_the_command_says_so_once(fixture_file, no_tesseract, tmp_path):
    import shutil

    from typer.testing import CliRunner

    from clausescan.cli import app

    for name in ("scanned-page.pdf", "text-then-scanned-page.pdf"):
        shutil.copy(fixture_file(name), tmp_path / name)
    result = CliRunner().invoke(app, ["scan", str(tmp_path), "--no-cache"])
    assert result.exit_code == 3
    assert result.output.count("Tesseract is not installed") == 1
    assert "install tesseract-ocr to read scanned pages" in result.output
