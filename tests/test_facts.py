"""Contract facts: read from real PDF tables (pdfplumber), DOCX table rows and prose; carried
through the cache and into the JSON, the workbook, summary.csv and `clausescan check`."""
from __future__ import annotations

import json
import shutil

import pdfplumber
from openpyxl import load_workbook
from typer.testing import CliRunner

import clausescan
from clausescan.cache import Cache
from clausescan.cli import app
from clausescan.extract import extract
from clausescan.facts import read_facts

runner = CliRunner()


def _facts(path, **options):
    [document] = clausescan.scan([path], workers=1, **options).documents
    return document.facts


def test_order_form_facts_come_from_the_pdf_tables(fixture_file):
    facts = _facts(fixture_file("order-form-price-table.pdf"))
    assert facts.vendor.value == "Ashcombe Sensing, Inc." and facts.agency.value == "Town of Foxley"
    assert (facts.effective_date.value, facts.effective_date.text) == ("2025-03-03", "March 3, 2025")
    assert facts.initial_term_months.value == 36 and facts.renewal_term_months.value == 12
    # the installation-fee line is priced per camera but is not a camera; the portal line is no camera either
    assert facts.cameras.value == 10 and "Installation" not in facts.cameras.text
    assert facts.price_per_camera_year.value == 2400 and "$2,400.00" in facts.price_per_camera_year.text
    assert facts.total_contract_value.value == 75000 and facts.total_contract_value.text.endswith("$75,000.00")
    assert {facts.cameras.page, facts.total_contract_value.page} == {2}


def test_pdfplumber_reads_only_the_pages_that_look_like_price_tables(fixture_file, monkeypatch):
    seen = []
    original = pdfplumber.page.Page.extract_tables

    def spy(page, *args, **kwargs):
        seen.append(page.page_number)
        return original(page, *args, **kwargs)

    monkeypatch.setattr(pdfplumber.page.Page, "extract_tables", spy)
    document = extract(fixture_file("order-form-price-table.pdf"))
    assert seen == [2]
    assert document.pages[0].tables == [] and len(document.pages[1].tables) == 2
    assert document.pages[1].tables[1][4] == ["Total Contract Value", "$75,000.00"]


def test_prices_in_prose_never_reach_pdfplumber(fixture_file, monkeypatch):
    import pypdfium2 as pdfium

    from clausescan.extract.tables import looks_like_a_price_table, may_hold_a_ruled_table
    seen = []
    monkeypatch.setattr(pdfplumber.page.Page, "extract_tables", lambda page, *a, **k: seen.append(page.page_number))
    document = extract(fixture_file("prices-in-prose.pdf"))
    assert all(looks_like_a_price_table(page.text) for page in document.pages)   # the text alone would say "table"
    assert seen == [] and all(page.tables == [] for page in document.pages)
    pdf = pdfium.PdfDocument(str(fixture_file("order-form-price-table.pdf")))
    assert [may_hold_a_ruled_table(pdf[i]) for i in range(len(pdf))] == [False, True]


def test_the_same_facts_written_as_prose(fixture_file):
    facts = _facts(fixture_file("prose-terms.txt"))
    assert facts.effective_date.value == "2025-06-02"
    assert facts.initial_term_months.value == 24 and "twenty-four (24) months" in facts.initial_term_months.text
    # "one (1) year", not the sixty-day notice period in the same sentence
    assert facts.renewal_term_months.value == 12
    # twelve fixed cameras and three mobile units; "a single camera" later is no count
    assert facts.cameras.value == 15
    assert facts.price_per_camera_year.value == 2500 and facts.price_per_camera_year.text == "$2,500.00 per camera per year"
    assert facts.total_contract_value.value == 81300


def test_docx_table_rows(fixture_file):
    facts = _facts(fixture_file("order-form-table.docx"))
    assert facts.cameras.value == 10 and facts.price_per_camera_year.value == 2400
    assert facts.total_contract_value is None and facts.initial_term_months is None


def test_a_fact_the_document_does_not_state_is_empty(tmp_path):
    path = tmp_path / "msa.txt"
    path.write_text("1. Data. Vendor shall not sell Agency Data. Vendor may remove a camera at a removal fee not to "
                    "exceed $500 per camera, on sixty (60) days' notice before the end of the renewal term.\n")
    facts = read_facts(extract(path), {})
    assert [getattr(facts, name) for name in ("vendor", "agency", "effective_date", "initial_term_months",
                                              "renewal_term_months", "cameras", "price_per_camera_year",
                                              "total_contract_value")] == [None] * 8


def test_exhibits_the_document_carries_and_a_printed_web_address(tmp_path):
    path = tmp_path / "policy.txt"
    path.write_text("https://ashcombe.example/legal/data-use 1/2\nDATA USE POLICY\nWe keep reads for 30 days.\n"
                    "Exhibit A, attached, lists the sites.\n\nEXHIBIT B -- CAMERA SITES\nMain St and 5th Ave.\n")
    facts = read_facts(extract(path), {})
    assert facts.attachments == ["Exhibit B"]   # "Exhibit A, attached, ..." is a sentence, not a heading
    assert facts.web_address == "https://ashcombe.example/legal/data-use"


def test_cached_results_from_before_facts_are_rebuilt_not_trusted(fixture_file, tmp_path):
    cache = Cache(tmp_path / "cache")
    path = fixture_file("prose-terms.txt")
    assert _facts(path, cache=cache).cameras.value == 15
    entries = list((tmp_path / "cache" / "results").rglob("*.json"))
    assert len(entries) == 1
    old = json.loads(entries[0].read_text())
    del old["value"]["result"]["metadata"]   # what a cache entry written before this feature looks like
    entries[0].write_text(json.dumps(old))
    assert _facts(path, cache=cache).cameras.value == 15
    assert "metadata" in json.loads(entries[0].read_text())["value"]["result"]
    assert _facts(path, cache=cache).to_json() == _facts(path).to_json()   # a hit restores the same facts


def test_facts_in_json_workbook_csv_and_check(fixture_file, tmp_path):
    folder = tmp_path / "foxley"
    folder.mkdir()
    shutil.copy(fixture_file("order-form-price-table.pdf"), folder / "order-form.pdf")
    result = runner.invoke(app, ["scan", str(folder), "--no-cache", "--json", str(tmp_path / "f.json"), "-o",
                                 str(tmp_path / "c.xlsx"), "--csv", str(tmp_path / "csv")])
    assert result.exit_code == 0, result.output
    metadata = json.loads((tmp_path / "f.json").read_text())["documents"][0]["metadata"]
    assert metadata["total_contract_value"] == {"value": 75000, "text": "Total Contract Value: $75,000.00", "page": 2}
    assert metadata["effective_date"]["value"] == "2025-03-03"
    sheet = load_workbook(tmp_path / "c.xlsx")["Terms"]
    header = [c.value for c in sheet[1]]
    row = {name: sheet.cell(row=2, column=i + 1) for i, name in enumerate(header)}
    assert row["Cameras"].value == 10 and row["Total contract value (USD)"].value == 75000   # numbers, not text
    assert row["Total contract value (USD)"].number_format == '"$"#,##0.00'
    assert row["Effective date"].value.date().isoformat() == "2025-03-03" and row["Effective date"].is_date
    assert row["Initial term (months)"].value == 36 and row["File"].value == "order-form.pdf"   # relative
    assert "cameras,price_per_camera_year,total_contract_value" in (tmp_path / "csv" / "summary.csv").read_text()
    check = runner.invoke(app, ["check", str(folder / "order-form.pdf"), "--no-cache"])
    assert check.exit_code == 0, check.output
    assert "Total contract value: $75,000.00  (p. 2" in check.output
    assert "Cameras: 10" in check.output and check.output.index("CONTRACT") < check.output.index("CONCERNS")
