"""Towns: documents grouped by the agency they name, verdicts combined over a town's contracts,
counts per rule, and the workbook's Towns sheet, chart and print setup."""
from __future__ import annotations

import csv
import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from clausescan import scan
from clausescan.cli import app
from clausescan.towns import FROM_FOLDER, FROM_PARTIES, FROM_VENDOR, assign, counts

PREAMBLE = ('This Agreement is entered into by and between Acme Plate Systems, Inc. ("Vendor") and the {town} '
            '("Agency"), and the parties agree as follows:\n')
MSA = "MASTER SERVICES AGREEMENT\n\n" + PREAMBLE + """
4.1 Vendor may sell Agency Data to third parties for research.
4.2 Vendor shall keep an audit log of every search of the System.
4.3 The Agency shall pay the annual fee of $25,000.00 within thirty days of each invoice.
"""
ADDENDUM = "ADDENDUM NO. 1 TO THE MASTER SERVICES AGREEMENT\n\n" + PREAMBLE + """
1.1 Vendor shall not use Agency Data for civil immigration enforcement.
1.2 Vendor shall not sell, rent or lease Agency Data to any person.
"""
OTHER_TOWN = "LICENSE PLATE READER AGREEMENT\n\n" + PREAMBLE + """
2.1 Vendor shall not sell Agency Data to any person.
2.2 Vendor shall keep an audit log of every search of the System.
"""
VENDOR_POLICY = """ACME PLATE SYSTEMS DATA POLICY

Acme Plate Systems, Inc. publishes this policy for its customers, and it applies to every order.
Vendor shall retain plate reads for thirty (30) days and shall then delete them.
"""


@pytest.fixture()
def records(tmp_path):
    pellworth, ostby = tmp_path / "records" / "pellworth", tmp_path / "records" / "ostby"
    pellworth.mkdir(parents=True)
    ostby.mkdir()
    (pellworth / "1-msa.txt").write_text(MSA.format(town="Town of Pellworth"))
    (pellworth / "2-addendum.txt").write_text(ADDENDUM.format(town="Pellworth Police Department"))
    (pellworth / "3-vendor-policy.txt").write_text(VENDOR_POLICY)
    (pellworth / "notes.md").write_text("# What we asked for\n\nWe asked for every ALPR contract in March, and "
                                        "the clerk sent these files in May with a cover note.\n")
    (pellworth / "log.csv").write_text("plate,date\nABC123,2026-01-01\n")
    (ostby / "agreement.txt").write_text(OTHER_TOWN.format(town="City of Ostby"))
    return tmp_path / "records"


def test_a_document_without_an_agency_joins_the_folder_mate_with_its_vendor():
    acme, other = {"vendor_name": "Acme Plate Systems, Inc."}, {"vendor_name": "Other LLC"}
    towns = assign([("a/msa.pdf", {"agency_name": "Town of Pellworth", **acme}),
                    ("a/addendum.pdf", {"agency_name": "Pellworth Police Department", **acme}),
                    ("a/policy.pdf", acme), ("a/unrelated.pdf", other), ("b/mou.docx", {})])
    assert [(t.name, t.named_from) for t in towns] == [
        ("Town of Pellworth", FROM_PARTIES), ("Town of Pellworth", FROM_PARTIES), ("Town of Pellworth", FROM_VENDOR),
        ("a", FROM_FOLDER), ("b", FROM_FOLDER)]
    assert len({t.key for t in towns[:3]}) == 1


def test_a_town_combines_its_contracts(records):
    result = scan([records], workers=1)
    towns = {t.name: t for t in result.towns()}
    assert list(towns) == ["City of Ostby", "Town of Pellworth"]
    pellworth = towns["Town of Pellworth"]
    assert [d.document.file.split("/")[-1] for d in pellworth.contracts] == ["1-msa.txt", "2-addendum.txt",
                                                                             "3-vendor-policy.txt"]
    msa = pellworth.contracts[0]
    # the addendum's safeguard overrides the master agreement's silence
    assert msa.summary["immigration-enforcement"] == "missing safeguard"
    assert pellworth.verdicts["immigration-enforcement"].verdict == "safeguard"
    # the master agreement's concern stays visible next to the addendum's safeguard
    sale = pellworth.verdicts["data-sale"]
    assert sale.verdict == "both"
    assert {(e.document.document.file.split("/")[-1], e.finding.polarity) for e in sale.evidence} == \
        {("1-msa.txt", "concern"), ("2-addendum.txt", "safeguard")}
    assert towns["City of Ostby"].verdicts["data-sale"].verdict == "safeguard"


def test_a_town_with_an_unread_document_is_not_fully_read_where_nothing_was_found(records):
    (records / "ostby" / "scan.pdf").write_bytes(b"")
    # the unreadable file names no agency: it belongs to the one town of its folder
    ostby = next(t for t in scan([records], workers=1).towns() if t.name == "City of Ostby")
    assert [d.document.file.split("/")[-1] for d in ostby.contracts] == ["agreement.txt", "scan.pdf"]
    assert ostby.verdicts["immigration-enforcement"].verdict == "not fully read"
    assert ostby.verdicts["data-sale"].verdict == "safeguard"    # a finding still counts


def test_counts_per_rule(records):
    result = scan([records], workers=1)
    town_verdicts = [{r: tv.verdict for r, tv in t.verdicts.items()} for t in result.towns()]
    by_rule = {row["rule"]: row for row in counts(town_verdicts, result.rules)}
    assert by_rule["data-sale"] == {"rule": "data-sale", "title": by_rule["data-sale"]["title"], "concern": 1,
                                         "safeguard": 2, "neither": 0, "not fully read": 0, "towns": 2}
    assert (by_rule["immigration-enforcement"]["safeguard"], by_rule["immigration-enforcement"]["neither"]) == (1, 1)
    assert "governing-law" not in by_rule and "retention-period" not in by_rule   # facts, not concerns


def test_towns_frame_csv_and_json(records, tmp_path):
    result = scan([records], workers=1)
    frame = result.towns_frame()
    assert list(frame.index) == ["City of Ostby", "Town of Pellworth"]
    assert frame.loc["Town of Pellworth", "data-sale"] == "both"
    out = tmp_path / "out"
    cli = CliRunner().invoke(app, ["scan", str(records), "--csv", str(out), "--json", str(out / "f.json"),
                                   "--no-cache", "-q"])
    assert cli.exit_code == 0, cli.output
    rows = {r["town"]: r for r in csv.DictReader((out / "towns.csv").open(encoding="utf-8"))}
    assert rows["Town of Pellworth"]["data-sale"] == "both: concern in agreement p. 1; safeguard in amendment p. 1"
    data = json.loads((out / "f.json").read_text())
    assert [t["name"] for t in data["towns"]] == ["City of Ostby", "Town of Pellworth"]
    assert {d["file"].split("/")[-1]: d["town"] for d in data["documents"]}["3-vendor-policy.txt"] == \
        "Town of Pellworth"


def test_the_workbook_reads_and_prints(records, tmp_path):
    from clausescan.report import xlsx

    result = scan([records], workers=1)
    path = tmp_path / "c.xlsx"
    xlsx.write(result, path)
    wb = load_workbook(path)
    towns = wb["Towns"]
    assert [towns.cell(row=r, column=1).value for r in (3, 4)] == ["City of Ostby", "Town of Pellworth"]
    ids = [c.value for c in towns[2]]
    sale = towns.cell(row=4, column=ids.index("data-sale") + 1)
    assert sale.value == "✖1 p.1 ✔2 p.1" and sale.fill.fgColor.rgb.endswith("F9D9A8")
    assert towns.cell(row=1, column=ids.index("data-sale") + 1).value == "The vendor may sell or monetize the data"
    assert len(towns._charts) == 1
    for name in ("Towns", "Summary", "Findings", "Files"):
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows
        assert all(ws.row_dimensions[r].height for r in range(2, ws.max_row + 1))
    assert wb["Towns"].print_title_rows == "$1:$2" and wb["Summary"].freeze_panes == "B3"
    files = {row[0].value: row[3].value for row in wb["Files"].iter_rows(min_row=2)}
    assert files["pellworth/1-msa.txt"] == "judged"      # relative to the folder scanned
    assert files["pellworth/notes.md"].startswith("not a contract: ")
    assert files["pellworth/log.csv"] == "skipped: data or settings (*.csv)"
    assert [c.value for c in wb["Legend"]["A"]][1:3] == ["✖ concern", "✔ safeguard"]
    findings = wb["Findings"]
    columns = [c.value for c in findings[1]]
    polarity = next(r for r in findings.iter_rows(min_row=2) if r[columns.index("Polarity")].value == "✖ concern")
    assert polarity[columns.index("Polarity")].fill.fgColor.rgb.endswith("F4B6B6")
    assert polarity[columns.index("Town")].value == "Town of Pellworth"
    assert polarity[columns.index("Document")].value == "Master Services Agreement"
