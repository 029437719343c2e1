"""Outputs: the findings JSON per the spec, the workbook (no formula from contract text,
links that land), CSV, and atomic writes."""
from __future__ import annotations


import pytest
from openpyxl import load_workbook

import clausescan
from clausescan.report import csv as csv_report
from clausescan.report import json as json_report
from clausescan.report import xlsx

HOSTILE = """MASTER AGREEMENT
1. Data
1.1 Vendor may sell Agency Data to third parties.
=HYPERLINK("http://evil.example/","click") Vendor shall not sell Agency Data.
+1+2 Vendor may sell the plate data it collects.
@SUM(A1:A2) shall not matter.
-2+3 Vendor shall not sell, rent or trade Agency Data.
"""


@pytest.fixture()
def contracts(tmp_path):
    folder = tmp_path / "contracts"
    (folder / "town-a").mkdir(parents=True)
    (folder / "town-a" / "formulas.txt").write_text(HOSTILE)
    (folder / "town-b").mkdir()
    (folder / "town-b" / "empty.pdf").write_bytes(b"")
    return folder


@pytest.fixture()
def result(contracts):
    return clausescan.scan([contracts])


def test_json_has_the_spec_shape(result):
    data = json_report.to_dict(result)
    assert data["tool"]["name"] == "clausescan" and data["rules"]["count"] == len(result.rules)
    first, second = data["documents"]
    assert first["file"].endswith("town-a/formulas.txt") and second["file"].endswith("town-b/empty.pdf")
    for key in ("file", "sha256", "status", "error", "pages", "pages_ocr", "pages_unreadable", "findings", "summary"):
        assert key in first
    assert len(first["sha256"]) == 64 and first["status"] == "ok" and first["pages"] == 1
    finding = first["findings"][0]
    assert {"rule", "polarity", "page", "section", "quote", "value", "unit"} <= set(finding)
    assert finding["trigger"].lower() in finding["quote"].lower()
    assert finding["polarity"] in {"concern", "safeguard", "info"} and finding["page"] == 1
    assert second["status"] == "error" and second["error"].endswith(".") and second["findings"] == []


def test_json_is_deterministic(contracts, tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    json_report.write(clausescan.scan([contracts]), a)
    json_report.write(clausescan.scan([contracts]), b)
    assert a.read_bytes() == b.read_bytes()


def test_sections_are_cited(result):
    quotes = {f.quote: f.section for f in result.documents[0].findings}
    assert quotes["Vendor may sell Agency Data to third parties."] == "1.1"


def test_error_documents_are_not_fully_read_in_the_summary(result):
    assert set(result.documents[1].summary.values()) == {"not fully read"}


def test_workbook_never_turns_contract_text_into_formulas(result, tmp_path):
    path = tmp_path / "comparison.xlsx"
    xlsx.write(result, path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Towns", "Summary", "Findings", "Counts", "Terms", "Files", "Rules", "Legend"]
    header = [c.value for c in wb["Findings"][1]]
    quotes = [c.value for c in wb["Findings"][chr(ord("A") + header.index("Quote"))][1:]]
    assert any(str(q).startswith("=HYPERLINK") for q in quotes)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value}"


def linked_rows(cell) -> list[int]:
    """The Findings rows a cell links to: one row, or a block of rows "A5:L7"."""
    sheet, ref = cell.hyperlink.location.split("!")
    assert sheet.strip("'") == "Findings"
    first, _, last = ref.partition(":")
    return list(range(int(first[1:]), int((last or first).lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) + 1))


def test_workbook_links_land_on_every_finding_of_a_cell(result, tmp_path):
    path = tmp_path / "comparison.xlsx"
    xlsx.write(result, path)
    wb = load_workbook(path)
    summary, findings, towns = wb["Summary"], wb["Findings"], wb["Towns"]
    ids = [c.value for c in summary[2]]      # row 1: rule titles; row 2: rule ids
    assert summary.cell(row=1, column=ids.index("data-sale") + 1).value == "The vendor may sell or monetize the data"
    columns = [c.value for c in findings[1]]
    rows = linked_rows(summary.cell(row=3, column=ids.index("data-sale") + 1))
    sales = [r for r in range(2, findings.max_row + 1)
             if findings.cell(row=r, column=columns.index("Rule id") + 1).value == "data-sale"]
    assert rows == sales and len(rows) == 4    # both sale sentences and both no-sale sentences
    assert findings.cell(row=rows[0], column=columns.index("Back to") + 1).hyperlink.location == "'Summary'!A3"
    town_ids = [c.value for c in towns[2]]
    assert linked_rows(towns.cell(row=3, column=town_ids.index("data-sale") + 1)) == sales


def test_workbook_reads_back_with_pandas(result, tmp_path):
    import pandas as pd
    path = tmp_path / "comparison.xlsx"
    xlsx.write(result, path)
    frame = pd.read_excel(path, sheet_name="Findings")
    assert len(frame) == len(result.findings)


def test_failed_write_keeps_the_old_workbook(result, tmp_path, monkeypatch):
    path = tmp_path / "comparison.xlsx"
    xlsx.write(result, path)
    before = path.read_bytes()

    def crash(self, filename):
        with open(filename, "wb") as fh:
            fh.write(b"half a workbook")
        raise RuntimeError("disk full")

    monkeypatch.setattr("openpyxl.workbook.workbook.Workbook.save", crash)
    with pytest.raises(RuntimeError):
        xlsx.write(result, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_csv_cells_cannot_become_formulas(result, tmp_path):
    csv_report.write(result, tmp_path / "out")
    text = (tmp_path / "out" / "findings.csv").read_text()
    for line in text.splitlines()[1:]:
        for cell in line.split(","):
            assert not cell.lstrip('"').startswith(("=", "+", "@")), line


def test_dataframes_for_notebooks(result):
    findings = result.findings_frame()
    summary = result.summary_frame()
    assert list(findings.columns)[:5] == ["file", "page", "section", "rule", "polarity"]
    assert summary.loc[result.documents[0].document.file, "data-sale"] == "both"


def test_workbook_opens_in_libreoffice(result, tmp_path):
    import shutil
    import subprocess
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (scripts/test.sh installs libreoffice-calc-nogui)")
    path = tmp_path / "comparison.xlsx"
    xlsx.write(result, path)
    proc = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                           "--convert-to", "csv", "--outdir", str(tmp_path / "csv"), str(path)],
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    towns = (tmp_path / "csv" / "comparison.csv").read_text(errors="replace")   # the first sheet
    assert "town-a (folder name)" in towns and "data-sale" in towns
    assert "#NAME?" not in towns and "Err:" not in towns


def test_summary_csv_has_the_baseline_and_law_columns_of_the_workbook(fixture_file, tmp_path):
    import csv

    from typer.testing import CliRunner

    from clausescan.cli import app

    template, revised = fixture_file("terms-2024.pdf"), fixture_file("terms-2026.pdf")
    out = CliRunner().invoke(app, ["scan", str(template), str(revised), "--baseline", str(template), "--profile", "me",
                                   "--no-cache", "-q", "--csv", str(tmp_path), "-o", str(tmp_path / "c.xlsx")])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader((tmp_path / "summary.csv").open(encoding="utf-8")))
    assert [r["negotiated_changes"] for r in rows][0] == "the template itself"
    assert "safeguard" in rows[1]["negotiated_changes"]   # the rewrite drops "shall not sell"
    assert rows[1]["me-law:retention"].startswith("exceeds limit")   # 60 days against Maine's 21
    sheet = load_workbook(tmp_path / "c.xlsx")["Summary"]
    headers = [c.value for c in sheet[1]]
    assert "Negotiated changes" in headers and any(str(h).startswith("ME law: retention") for h in headers)


def test_contract_text_in_markdown_stays_literal_and_on_one_line():
    from clausescan.report.markdown import escape

    assert escape("**Vendor** may [sell](http://x) <b>data</b> | #1\n_all_") == \
        r"\*\*Vendor\*\* may \[sell\](http\://x) \<b\>data\</b\> \| \#1 \_all\_"
    # bare addresses, which GitHub-flavoured Markdown would link, stay text
    assert escape("see https://evil.test, www.evil.test or ask@evil.test") == \
        r"see https\://evil.test, www\.evil.test or ask\@evil.test"
