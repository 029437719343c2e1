"""The two silent losses of issue 16, on real generated files: a ZIP whose first member is a PDF
stored uncompressed, and a clause repeated at the top of both pages of a two-page PDF."""
from __future__ import annotations

import zipfile

import clausescan
from clausescan.extract import extract
from clausescan.extract.sniff import sniff
from clausescan.segment import segment
from conftest import text_pdf

NO_SALE = "1.1 Vendor shall not sell ALPR Data to any third party."


def test_zip_of_stored_pdfs_is_an_archive_with_one_row_per_member(tmp_path):
    first = text_pdf([[NO_SALE]], header=None, footer=False)
    second = text_pdf([["2.1 Vendor shall delete ALPR Data thirty (30) days after it is collected."]],
                      header=None, footer=False)
    path = tmp_path / "records.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("a-msa.pdf", first)
        archive.writestr("b-order.pdf", second)
    data = path.read_bytes()
    assert b"%PDF-" in data[:1024]          # what used to make the archive look like one PDF
    assert sniff(data, path.name) == "zip"
    docs = {d.document.file: d for d in clausescan.scan([path], workers=1).documents}
    assert list(docs) == [f"{path}!a-msa.pdf", f"{path}!b-order.pdf"]
    assert all(d.document.status == "ok" for d in docs.values())
    assert [f.rule for f in docs[f"{path}!a-msa.pdf"].findings] == ["data-sale"]
    assert "retention-period" in {f.rule for f in docs[f"{path}!b-order.pdf"].findings}


def test_empty_archive_is_an_error_row_not_nothing(tmp_path):
    path = tmp_path / "empty.zip"
    zipfile.ZipFile(path, "w").close()
    (doc,) = [d.document for d in clausescan.scan([path], workers=1).documents]
    assert (doc.status, doc.error) == ("error", "the ZIP archive holds no files.")


def test_clause_that_begins_both_pages_of_a_two_page_pdf_is_kept(tmp_path):
    other = "The Agency shall review user access to the System every ninety (90) days."
    path = tmp_path / "addendum.pdf"
    path.write_bytes(text_pdf([[NO_SALE, "", other], [NO_SALE, "", "Vendor shall encrypt ALPR Data at rest."]],
                              header=None, footer=False))
    (result,) = clausescan.scan([path], workers=1).documents
    assert result.document.status == "ok"
    sale = [f for f in result.findings if f.rule == "data-sale"]
    assert sale and sale[0].polarity == "safeguard" and sale[0].page == 1
    assert sale[0].quote == "Vendor shall not sell ALPR Data to any third party."


def test_running_header_of_a_two_page_pdf_is_still_removed(tmp_path):
    path = tmp_path / "terms.pdf"
    path.write_bytes(text_pdf([[NO_SALE], ["Vendor shall encrypt ALPR Data at rest."]]))
    clauses = [c.text for c in segment(extract(path)).clauses()]
    assert clauses == ["Vendor shall not sell ALPR Data to any third party.", "Vendor shall encrypt ALPR Data at rest."]


def test_a_running_header_ending_in_a_company_abbreviation_is_removed_across_a_page_break(tmp_path):
    """"City of Alder | Agreement No. 7 | ALPR Services (Vendor Sensing, Inc.)" ends with the period
    of "Inc.", not of a sentence: it is a header, and the clause broken by it reads whole."""
    header = "City of Alder | Agreement No. 7 | ALPR Services (Vendor Sensing, Inc.)"
    path = tmp_path / "header-ending-in-inc.pdf"
    path.write_bytes(text_pdf([["4.2 Neither party shall use Agency Data for the purpose of"],
                               ["civil immigration enforcement."], ["5. Term."]], header=header))
    clauses = segment(extract(path)).clauses()
    assert any(c.text == "Neither party shall use Agency Data for the purpose of civil immigration enforcement."
               for c in clauses), [c.text for c in clauses]
    assert not any("Agreement No. 7" in c.text for c in clauses)
