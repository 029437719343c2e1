"""The hostile-input and fault suite: files built here, small, on the fly. Each case is scanned
in a batch beside a good contract, through the command line with every output, and asserts the
promised row (status and message), the exit code, that the good contract is still read with its
finding, that every document is a row of the workbook and CSV, and that no cell is a formula.

The slow and large cases (a 100 MB line, 10,000 files, kill -9 in the middle of a scan) are in
benchmarks/hostile.py, so that this suite stays fast."""
from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from clausescan.cli import app
from clausescan.kinds import JUDGED
from conftest import docx_bytes, text_pdf

runner = CliRunner()
GOOD_NAME = "good-contract.txt"
GOOD = "1.1 Vendor shall not sell, rent or lease Agency Data to any person.\n"
CLAUSE = "2.1 Vendor shall not sell Agency Data to any third party."
NESTED_DEEP = "refused: archives or messages nested more than three deep."


@dataclass
class Batch:
    exit_code: int
    output: str
    docs: dict            # file name (relative to the folder) -> the document in the findings JSON
    out: Path

    def row(self, name: str) -> dict:
        return self.docs[name]


def no_formula_cells(workbook: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    formulas = [(ws.title, cell.coordinate, cell.value) for ws in book for row in ws.iter_rows() for cell in row
                if cell.data_type == "f"]
    assert formulas == []


def csv_rows(path: Path) -> list[dict]:
    return list(csv.DictReader(path.open(encoding="utf-8", newline="")))


def scan_batch(folder: Path, *options: str, good: bool = True) -> Batch:
    """Scan the folder (and a good contract put in it) into every output; check what holds for any
    batch: no traceback, the good contract read, one row per document everywhere, no formula."""
    folder.mkdir(parents=True, exist_ok=True)
    if good:
        (folder / GOOD_NAME).write_text(GOOD)
    out = folder.parent / f"{folder.name}-out"
    result = runner.invoke(app, ["scan", str(folder), "--no-cache", "--workers", "1", "-o", str(out / "c.xlsx"),
                                 "--json", str(out / "f.json"), "--csv", str(out / "csv"), *options])
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    documents = json.loads((out / "f.json").read_text(encoding="utf-8"))["documents"]
    docs = {d["file"][len(str(folder)) + 1:]: d for d in documents}
    assert len(docs) == len(documents), "two rows with one name"
    if good:
        assert docs[GOOD_NAME]["status"] == "ok"
        assert [(f["rule"], f["polarity"]) for f in docs[GOOD_NAME]["findings"]] == [("data-sale", "safeguard")]
    # every document is a row of the Files sheet; contracts, and files not read, of the Summary too
    judged = [d for d in documents if d["document_kind"] in JUDGED]
    assert len(csv_rows(out / "csv" / "summary.csv")) == len(judged)
    workbook = openpyxl.load_workbook(out / "c.xlsx")
    assert workbook["Summary"].max_row >= len(judged) + 1
    assert workbook["Files"].max_row >= len(documents) + 1
    no_formula_cells(out / "c.xlsx")
    assert result.exit_code == (0 if all(d["status"] == "ok" for d in documents) else 3), result.output
    for d in documents:
        if d["status"] != "ok":
            assert d["error"] and d["error"].endswith(".") and "\n" not in d["error"], d
            if d["status"] == "error":
                assert d["findings"] == []
    return Batch(result.exit_code, result.output, docs, out)


def assert_row(batch: Batch, name: str, status: str, words: str | None = None) -> dict:
    doc = batch.row(name)
    assert doc["status"] == status, doc
    if words is not None:
        assert words in (doc["error"] or ""), doc["error"]
    return doc


def zip_bytes(members, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def contract(n: int) -> bytes:
    return f"{n}.1 Vendor shall not sell Agency Data to any third party.\n".encode()


# ------------------------------------------------------------------------------------------------
# archives
# ------------------------------------------------------------------------------------------------

def test_zip_members_with_paths_outside_the_archive_are_refused_never_written(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "slip.zip").write_bytes(zip_bytes([("../../escaped.txt", GOOD), ("/tmp/absolute-escape.txt", GOOD),
                                                 ("C:/windows-escape.txt", GOOD), ("inside/ok.txt", GOOD)]))
    batch = scan_batch(folder)
    assert batch.exit_code == 3
    for name in ("../../escaped.txt", "/tmp/absolute-escape.txt", "C:/windows-escape.txt"):
        assert_row(batch, f"slip.zip!{name}", "error", "zip-slip")
    assert_row(batch, "slip.zip!inside/ok.txt", "ok")
    assert not list(tmp_path.parent.rglob("escaped.txt")) and not Path("/tmp/absolute-escape.txt").exists()


def test_zips_nested_many_levels_are_read_three_deep_then_refused(tmp_path):
    data = zip_bytes([("c9.txt", contract(9))])
    for level in range(8, -1, -1):
        data = zip_bytes([(f"c{level}.txt", contract(level)), (f"z{level + 1}.zip", data)])
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "nested.zip").write_bytes(data)
    batch = scan_batch(folder)
    assert_row(batch, "nested.zip!c0.txt", "ok")
    assert_row(batch, "nested.zip!z1.zip!c1.txt", "ok")
    assert_row(batch, "nested.zip!z1.zip!z2.zip!c2.txt", "ok")
    assert_row(batch, "nested.zip!z1.zip!z2.zip!z3.zip", "error", NESTED_DEEP)
    assert len(batch.docs) == 5


def _declare_sizes(data: bytes, size: int) -> bytes:
    """The archive with every member's uncompressed size in the central directory set to `size`."""
    data = bytearray(data)
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        data[start + 24:start + 28] = size.to_bytes(4, "little")
        start += 4
    return bytes(data)


def test_small_zip_bombs_become_error_rows(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    lying = _declare_sizes(zip_bytes([(f"part-{i:03}.txt", b"x") for i in range(300)]), 0xF0000000)
    (folder / "declared.zip").write_bytes(lying)
    (folder / "zeros.zip").write_bytes(zip_bytes([("zeros.txt", b"\0" * 20_000_000), ("ok.txt", GOOD)]))
    batch = scan_batch(folder)
    for i in range(300):
        assert_row(batch, f"declared.zip!part-{i:03}.txt", "error", "zip bomb")
    assert_row(batch, "zeros.zip!zeros.txt", "error", "zip bomb")
    assert_row(batch, "zeros.zip!ok.txt", "ok")


def _encrypted_flag(data: bytes) -> bytes:
    """The archive with its members marked encrypted (bit 0 of the flags), as a password ZIP is."""
    data = bytearray(data)
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            data[start + flags_at] |= 0x1
            start += 4
    return bytes(data)


def test_password_protected_zip_member_is_an_error_row(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "locked.zip").write_bytes(_encrypted_flag(zip_bytes([("msa.txt", GOOD)])))
    batch = scan_batch(folder)
    assert_row(batch, "locked.zip!msa.txt", "error", "password-protected")


def test_duplicate_member_names_are_two_rows(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    with pytest.warns(UserWarning, match="Duplicate name"):
        data = zip_bytes([("msa.txt", GOOD), ("msa.txt", "1. Term\n1.1 The term is one year.\n")])
    (folder / "dupes.zip").write_bytes(data)
    batch = scan_batch(folder)
    first, second = assert_row(batch, "dupes.zip!msa.txt", "ok"), assert_row(batch, "dupes.zip!msa.txt (copy 2)", "ok")
    assert [f["rule"] for f in first["findings"]] == ["data-sale"] and first["sha256"] != second["sha256"]


def test_member_names_with_newlines_or_formula_starts_are_escaped_everywhere(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    names = ["line\nbreak.txt", "cr\rreturn.txt", "=HYPERLINK(\"http://x.example\").txt", "+cmd.txt", "@sum.txt"]
    (folder / "names.zip").write_bytes(zip_bytes([(name, GOOD) for name in names]))
    batch = scan_batch(folder)
    for shown in ["line\\nbreak.txt", "cr\\rreturn.txt", "=HYPERLINK(\"http://x.example\").txt", "+cmd.txt",
                  "@sum.txt"]:
        assert_row(batch, f"names.zip!{shown}", "ok")
    assert "line\nbreak" not in batch.output and "\r" not in batch.output
    assert all("\n" not in row["file"] for row in csv_rows(batch.out / "csv" / "summary.csv"))


def test_docx_renamed_zip_and_zip_renamed_docx_are_read_for_what_they_are(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()

    def body(document):
        document.add_paragraph(CLAUSE)
    (folder / "really-a-docx.zip").write_bytes(docx_bytes(body))
    (folder / "really-a-zip.docx").write_bytes(zip_bytes([("msa.txt", GOOD), ("order.txt", contract(3))]))
    batch = scan_batch(folder)
    docx = assert_row(batch, "really-a-docx.zip", "ok")
    assert docx["findings"][0]["rule"] == "data-sale"
    assert_row(batch, "really-a-zip.docx!msa.txt", "ok")
    assert_row(batch, "really-a-zip.docx!order.txt", "ok")


# ------------------------------------------------------------------------------------------------
# DOCX with XML entities
# ------------------------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx_with_document_xml(xml: str) -> bytes:
    def body(document):
        document.add_paragraph("placeholder")
    source = zipfile.ZipFile(io.BytesIO(docx_bytes(body)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = xml.encode() if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item, data)
    return buffer.getvalue()


def test_docx_entity_expansion_and_external_entity_are_not_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-PASSWORD")
    laughs = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    bomb = (f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY lol0 "lol">{laughs}]>'
            f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>'
            f'<w:p><w:r><w:t>{CLAUSE}</w:t></w:r></w:p></w:body></w:document>')
    external = (f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'
                f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>'
                f'<w:p><w:r><w:t>{CLAUSE}</w:t></w:r></w:p></w:body></w:document>')
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "laughs.docx").write_bytes(_docx_with_document_xml(bomb))
    (folder / "external.docx").write_bytes(_docx_with_document_xml(external))
    batch = scan_batch(folder)
    for name in ("laughs.docx", "external.docx"):
        doc = batch.row(name)
        assert doc["status"] in ("ok", "error"), doc
        if doc["status"] == "ok":   # read without the entities: the clause is there, nothing expanded
            assert [f["rule"] for f in doc["findings"]] == ["data-sale"]
        else:
            assert "damaged" in doc["error"]
    everything = "".join(p.read_text(errors="replace") for p in batch.out.rglob("*.csv")) + \
        (batch.out / "f.json").read_text()
    assert "TOP-SECRET-PASSWORD" not in everything and "lollollol" not in everything


# ------------------------------------------------------------------------------------------------
# e-mail
# ------------------------------------------------------------------------------------------------

def _message(subject: str, body: str):
    from email.message import EmailMessage
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "clerk@town.example", "reporter@news.example", subject
    message["Date"] = "Tue, 03 Mar 2026 10:15:00 -0500"
    message.set_content(body)
    return message


def test_email_with_nested_forwards_is_read_three_deep_then_refused(tmp_path):
    inner = _message("level 6", CLAUSE)
    for level in range(5, -1, -1):
        outer = _message(f"level {level}", f"Forwarded, level {level}. {CLAUSE}")
        outer.add_attachment(inner)
        inner = outer
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "fwd.eml").write_bytes(bytes(inner))
    batch = scan_batch(folder)
    names = sorted(batch.docs)
    assert_row(batch, "fwd.eml", "ok")
    assert_row(batch, "fwd.eml!attachment-1", "ok")
    assert_row(batch, "fwd.eml!attachment-1!attachment-1", "ok")
    assert_row(batch, "fwd.eml!attachment-1!attachment-1!attachment-1", "error", NESTED_DEEP)
    assert len(names) == 5


def test_email_with_a_broken_base64_attachment_has_an_error_row_for_it(tmp_path):
    message = _message("agreement", CLAUSE)
    message.add_attachment(b"%PDF-1.4 placeholder", maintype="application", subtype="pdf", filename="msa.pdf")
    raw = bytes(message)
    start = raw.index(b"filename=\"msa.pdf\"")
    body_at = raw.index(b"\n\n", start) + 2
    end = raw.index(b"\n--", body_at)
    raw = raw[:body_at] + b"!!!% not base64 at all ***\n====\n" + raw[end:]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "broken.eml").write_bytes(raw)
    batch = scan_batch(folder)
    assert_row(batch, "broken.eml", "ok")
    assert_row(batch, "broken.eml!msa.pdf", "error", "base64 encoding is damaged")


def test_email_with_hundreds_of_attachments_has_a_row_for_each(tmp_path):
    message = _message("many", CLAUSE)
    for i in range(250):
        message.add_attachment(f"Exhibit {i} is attached for reference.".encode(), maintype="text", subtype="plain",
                               filename=f"exhibit-{i:03}.txt")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "many.eml").write_bytes(bytes(message))
    batch = scan_batch(folder)
    assert len(batch.docs) == 252
    assert all(batch.row(f"many.eml!exhibit-{i:03}.txt")["status"] == "ok" for i in range(250))


# ------------------------------------------------------------------------------------------------
# PDFs built object by object
# ------------------------------------------------------------------------------------------------

def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF of the given objects (1 is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


# a character map that sends every printable character to the private-use area: the page shows
# the clause in Helvetica, its text layer extracts as meaningless glyphs
PRIVATE_USE_CMAP = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Garbled def "
                    b"1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfrange <20> <7E> <E000> endbfrange "
                    b"endcmap CMapName currentdict /CMap defineresource pop end end")


def one_page_pdf(count: int = 1, kids: bytes = b"[3 0 R]", rotate: int = 0, cmap: bytes | None = None,
                 lines: tuple[str, ...] = (CLAUSE, "Vendor shall delete Agency Data thirty (30) days after it is "
                                                   "collected.")) -> bytes:
    text = b" ".join(b"(%s) Tj 0 -18 Td" % line.encode() for line in lines)
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica" + (b" /ToUnicode 6 0 R" if cmap else b"") + b" >>"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids " + kids + b" /Count %d >>" % count,
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Rotate %d "
               b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>" % rotate,
               _stream(b"BT /F1 12 Tf 72 700 Td " + text + b" ET"), font]
    return raw_pdf(objects + ([_stream(cmap)] if cmap else []))


def test_pdf_edge_cases_in_one_batch(tmp_path):
    from fpdf import FPDF
    huge = FPDF(unit="pt", format=(14400, 14400))
    huge.add_page()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "zero-pages.pdf").write_bytes(raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                                                     b"<< /Type /Pages /Kids [] /Count 0 >>"]))
    (folder / "huge-blank-page.pdf").write_bytes(bytes(huge.output()))
    (folder / "rotated.pdf").write_bytes(one_page_pdf(rotate=90))
    (folder / "claims-100000-pages.pdf").write_bytes(one_page_pdf(count=100_000))
    (folder / "claims-40-pages.pdf").write_bytes(one_page_pdf(count=40))
    (folder / "page-tree-loop.pdf").write_bytes(one_page_pdf(count=2, kids=b"[2 0 R 3 0 R]"))
    batch = scan_batch(folder, "--ocr", "never")
    assert_row(batch, "zero-pages.pdf", "error", "damaged")
    assert_row(batch, "huge-blank-page.pdf", "error", "no pages or no text")
    assert batch.row("rotated.pdf")["findings"][0]["rule"] == "data-sale"
    assert_row(batch, "rotated.pdf", "ok")
    assert_row(batch, "claims-100000-pages.pdf", "error", "too large: the PDF claims 100,000 pages")
    partial = assert_row(batch, "claims-40-pages.pdf", "partial", "pages 2-40 could not be read")
    assert partial["findings"][0]["page"] == 1
    assert_row(batch, "page-tree-loop.pdf", "partial", "page 2 could not be read")


def test_huge_page_is_rendered_for_ocr_at_a_bounded_size():
    import pypdfium2 as pdfium
    from fpdf import FPDF

    from clausescan.extract.pdf import MAX_RENDER_PIXELS, _render
    huge = FPDF(unit="pt", format=(14400, 14400))   # 200 x 200 inches, the largest page PDF allows
    huge.add_page()
    image = _render(pdfium.PdfDocument(bytes(huge.output())), 0)
    assert image.width * image.height <= MAX_RENDER_PIXELS and image.width > 4000


def test_private_use_text_layer_is_read_by_ocr(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "garbled.pdf").write_bytes(one_page_pdf(cmap=PRIVATE_USE_CMAP))
    batch = scan_batch(folder)
    doc = assert_row(batch, "garbled.pdf", "ok")
    assert doc["pages_ocr"] == [1]
    assert "data-sale" in {f["rule"] for f in doc["findings"]}


def test_private_use_text_layer_without_ocr_is_reported_not_judged(tmp_path, no_tesseract):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "garbled.pdf").write_bytes(one_page_pdf(cmap=PRIVATE_USE_CMAP))
    batch = scan_batch(folder, "--ocr", "never")
    doc = assert_row(batch, "garbled.pdf", "error", "no page could be read")
    assert doc["pages_unreadable"] == [1] and doc["findings"] == []
    assert set(doc["summary"].values()) <= {"not fully read"}


# ------------------------------------------------------------------------------------------------
# text
# ------------------------------------------------------------------------------------------------

def test_text_edge_cases_in_one_batch(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "utf16le-no-bom.txt").write_bytes(CLAUSE.encode("utf-16-le"))
    (folder / "utf16be-no-bom.txt").write_bytes(CLAUSE.encode("utf-16-be"))
    (folder / "nul-bytes.txt").write_bytes(CLAUSE.encode().replace(b" ", b" \0", 2) + b"\0" * 3)
    for name, run in (("parens", "("), ("dots", "."), ("numbering", "1.1.1.")):
        (folder / f"run-of-{name}.txt").write_text(CLAUSE + " " + run * (100_000 // len(run)) + "\n" + GOOD)
    batch = scan_batch(folder)
    for name in batch.docs:
        doc = assert_row(batch, name, "ok")
        assert "data-sale" in {f["rule"] for f in doc["findings"]}, name
    assert batch.row("utf16le-no-bom.txt")["findings"][0]["quote"] == CLAUSE[4:]


# ------------------------------------------------------------------------------------------------
# the file system
# ------------------------------------------------------------------------------------------------

def test_fifo_symlink_loop_and_device_link_are_skipped_with_a_reason(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "contract.pdf")         # opening it would wait forever for a writer
    os.symlink("loop-b.pdf", folder / "loop-a.pdf")
    os.symlink("loop-a.pdf", folder / "loop-b.pdf")
    os.symlink("/dev/zero", folder / "zero.pdf")  # reading it would never end
    os.symlink("/no/such/file.pdf", folder / "dangling.pdf")
    (folder / "sub").mkdir()
    os.symlink("..", folder / "sub" / "parent")
    batch = scan_batch(folder)
    assert batch.exit_code == 3
    assert_row(batch, "contract.pdf", "error", "skipped: it is a named pipe (FIFO), not a regular file.")
    assert_row(batch, "loop-a.pdf", "error", "symbolic link that loops")
    assert_row(batch, "loop-b.pdf", "error", "symbolic link that loops")
    assert_row(batch, "zero.pdf", "error", "skipped: it is a character device, not a regular file.")
    assert_row(batch, "dangling.pdf", "error", "does not exist")
    assert_row(batch, "sub/parent", "error", "link to a folder")
    assert "contract.pdf: not read: skipped: it is a named pipe" in batch.output


def test_check_exits_3_on_a_fifo_and_on_a_partly_read_document(tmp_path):
    os.mkfifo(tmp_path / "contract.pdf")
    assert runner.invoke(app, ["check", str(tmp_path / "contract.pdf"), "--no-cache"]).exit_code == 3
    (tmp_path / "partial.pdf").write_bytes(one_page_pdf(count=3))
    result = runner.invoke(app, ["check", str(tmp_path / "partial.pdf"), "--no-cache"])
    assert result.exit_code == 3, result.output


# ------------------------------------------------------------------------------------------------
# faults
# ------------------------------------------------------------------------------------------------

def test_output_into_a_missing_folder_is_made_and_onto_a_folder_is_refused(tmp_path):
    (tmp_path / "msa.txt").write_text(GOOD)
    made = runner.invoke(app, ["scan", str(tmp_path / "msa.txt"), "--no-cache", "-o", str(tmp_path / "a" / "b" / "c.xlsx")])
    assert made.exit_code == 0 and (tmp_path / "a" / "b" / "c.xlsx").exists()
    (tmp_path / "folder.xlsx").mkdir()
    refused = runner.invoke(app, ["scan", str(tmp_path / "msa.txt"), "--no-cache", "-o", str(tmp_path / "folder.xlsx")])
    assert refused.exit_code == 2 and "is a folder; give a file name" in refused.stderr
    blocked = runner.invoke(app, ["scan", str(tmp_path / "msa.txt"), "--no-cache", "--json",
                                  str(tmp_path / "msa.txt" / "f.json")])
    assert blocked.exit_code == 2 and "is a file, so no folder can be made there" in blocked.stderr


def _scan_json(paths, cache: Path) -> dict:
    out = cache.parent / "scan.json"
    result = runner.invoke(app, ["scan", *map(str, paths), "--cache-dir", str(cache), "--workers", "1",
                                 "--json", str(out), "-q"])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    data.pop("tool", None)
    return data


def test_damaged_cache_files_and_a_cache_that_is_a_file_change_nothing(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "msa.txt").write_text(GOOD + "\n" + CLAUSE + "\n")
    (tmp_path / "in" / "msa.pdf").write_bytes(text_pdf([[CLAUSE]]))
    cache = tmp_path / "cache"
    first = _scan_json([tmp_path / "in"], cache)
    entries = sorted(p for p in cache.rglob("*.json"))
    assert entries
    rng = random.Random(16)
    for number, entry in enumerate(entries):
        data = entry.read_bytes()
        entry.write_bytes(data[:len(data) // 2] if number % 2 else bytes(rng.randrange(256) for _ in range(300)))
    assert _scan_json([tmp_path / "in"], cache) == first
    file_cache = tmp_path / "cache-file"
    file_cache.write_text("not a folder")
    assert _scan_json([tmp_path / "in"], file_cache) == first


def test_two_scans_sharing_one_cache_at_once_give_the_same_json(tmp_path):
    (tmp_path / "in").mkdir()
    for n in range(6):
        (tmp_path / "in" / f"msa-{n}.txt").write_text(f"{n}. Data\n" + GOOD + CLAUSE + "\n")
    cache = tmp_path / "cache"
    runs = [subprocess.Popen([sys.executable, "-m", "clausescan", "scan", str(tmp_path / "in"), "--cache-dir",
                              str(cache), "--workers", "1", "--json", str(tmp_path / f"{n}.json"), "-q"],
                             stderr=subprocess.PIPE, text=True) for n in range(2)]
    for run in runs:
        assert run.wait(timeout=120) == 0, run.stderr.read()
    first, second = (json.loads((tmp_path / f"{n}.json").read_text()) for n in range(2))
    assert first == second and len(first["documents"]) == 6


# ------------------------------------------------------------------------------------------------
# injection
# ------------------------------------------------------------------------------------------------

STARTS = ["=", "+", "-", "@", "\t", "\r"]
INJECTED = """=HYPERLINK("http://evil.example","Click") MASTER SERVICES AGREEMENT

This Agreement is made between =Evil Corp, Inc. ("Vendor") and the @Town of Harm ("Agency").

1. +Data <script>alert(1)</script> [click](javascript:alert(1)) <img src=x onerror=alert(1)>
1.1 -Vendor may sell Agency Data to any third party. See [terms](javascript:alert(2)).
\t2.1 Vendor shall not sell Agency Data to any person.
"""


def test_injection_in_text_vendor_headings_and_file_names_reaches_no_output_as_code(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    for start in STARTS:
        (folder / f"{start}evil {ord(start)}.txt").write_text(INJECTED.replace("\n", "\r\n") if start == "\r"
                                                              else INJECTED)
    monkeypatch.chdir(folder)   # files cited by names that start with =, +, -, @, tab, CR
    out = tmp_path / "out"
    result = runner.invoke(app, ["scan", ".", "--no-cache", "--workers", "1", "-o", str(out / "c.xlsx"), "--json",
                                 str(out / "f.json"), "--csv", str(out / "csv")])
    assert result.exit_code == 0, result.output
    documents = json.loads((out / "f.json").read_text())["documents"]
    assert sorted(d["file"][:1] for d in documents) == sorted(STARTS[:4] + ["\\"] * 2)  # tab, CR escaped
    assert all(any(f["polarity"] == "concern" for f in d["findings"]) for d in documents)
    no_formula_cells(out / "c.xlsx")
    for name in ("summary.csv", "findings.csv"):
        text = (out / "csv" / name).read_text(encoding="utf-8")
        fields = [field for row in csv.reader(io.StringIO(text, newline="")) for field in row]
        assert fields and not [f for f in fields if f.startswith(tuple(STARTS))], name
    assert runner.invoke(app, ["report", str(out / "f.json"), "--format", "md", "-o", str(out / "memo.md")]).exit_code == 0
    memo = (out / "memo.md").read_text()
    assert "<script>" in INJECTED and "\\<script\\>" in memo   # shown, escaped, as the words it is
    assert not re.search(r"(?<!\\)<(script|img)|(?<!\\)\]\(javascript:", memo)
    assert runner.invoke(app, ["report", str(out / "f.json"), "-o", str(out / "memo.docx")]).exit_code == 0
    with zipfile.ZipFile(out / "memo.docx") as memo_docx:
        parts = {name: memo_docx.read(name).decode() for name in memo_docx.namelist() if name.endswith((".xml", ".rels"))}
    assert not [name for name, xml in parts.items() if "javascript:" in xml and name.endswith(".rels")]
    assert "<script" not in parts["word/document.xml"]
