"""`clausescan check` for a reporter: the title and parties, headings that say which way a clause
cuts, counts that agree with `scan`, quotes in page order, why each missing safeguard matters,
`--md` and `--json`, and links to the cited page of the PDF."""
from __future__ import annotations

import json
import re

import docx
from markdown_it import MarkdownIt
from openpyxl import load_workbook
from typer.testing import CliRunner

from clausescan.cli import app
from clausescan.models import Document, DocumentResult, Finding, Page
from clausescan.report.check import in_page_order
from clausescan.report.links import page_link
from conftest import CHECK_NO_SALE, CHECK_SALE_P1, CHECK_SALE_P2

# the quotes as cited: the sentence, without its section number
NO_SALE, SALE_P1, SALE_P2 = (text.split(" ", 1)[1] for text in (CHECK_NO_SALE, CHECK_SALE_P1, CHECK_SALE_P2))

runner = CliRunner()


def check(*args):
    return runner.invoke(app, ["check", *map(str, args), "--no-cache"])


def section(out: str, start: str, end: str) -> str:
    return out[out.index(start):out.index(end)]


def test_check_prints_the_title_and_both_parties_of_the_preamble(fixture_file):
    result = check(fixture_file("check-two-pages.pdf"))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1] == "Data Platform Services Agreement"
    assert lines[2] == "Between Quarry Lane Imaging, Inc. (“Quarry Lane”) and Town of Edgerly (“Agency”)"
    assert lines[3] == "2 pages"


def test_a_safeguard_is_headed_the_way_it_cuts_and_a_concern_the_other_way(fixture_file):
    out = check(fixture_file("check-two-pages.pdf")).output
    concerns, safeguards = section(out, "CONCERNS", "SAFEGUARDS"), section(out, "SAFEGUARDS", "MISSING SAFEGUARDS")
    assert "The vendor may sell or monetize the data [data-sale]" in concerns
    assert "No sale of the data [data-sale]" in safeguards
    assert "sell or monetize" not in safeguards and f"“{NO_SALE}”" in safeguards


def test_quotes_within_a_rule_are_in_page_order(fixture_file):
    concerns = section(check(fixture_file("check-two-pages.pdf")).output, "CONCERNS", "SAFEGUARDS")
    assert concerns.index("p. 1, § 1.1") < concerns.index(SALE_P1) < concerns.index("p. 2, § 3.2") \
        < concerns.index(SALE_P2)


def test_in_page_order_sorts_by_page_then_by_place_on_the_page():
    page1, page2 = "Alpha clause. Beta clause.", "Gamma clause. Delta clause."
    d = DocumentResult(document=Document(file="x.txt", pages=[Page(1, page1), Page(2, page2)]))
    found = [Finding("r", "concern", page, None, quote) for page, quote in
             ((2, "Delta clause."), (1, "Beta clause."), (2, "Gamma clause."), (1, "Alpha clause."))]
    assert [f.quote for f in in_page_order(found, d)] == ["Alpha clause.", "Beta clause.", "Gamma clause.",
                                                           "Delta clause."]


def counted(n: int | str, noun: str) -> str:
    return f"{n} {noun}" + ("" if int(n) == 1 else "s")


def test_the_headline_counts_the_findings_the_scan_line_counts(fixture_file, tmp_path):
    pdf = fixture_file("check-two-pages.pdf")
    headline = check(pdf).output.splitlines()[4]
    scan_line = runner.invoke(app, ["scan", str(pdf), "--no-cache"]).output.splitlines()[0]
    concerns, safeguards = re.search(r"(\d+) concerns?, (\d+) safeguards?", scan_line).groups()
    assert runner.invoke(app, ["scan", str(pdf), "--json", str(tmp_path / "f.json"), "--no-cache"]).exit_code == 0
    data = json.loads((tmp_path / "f.json").read_text())
    rules = {p: len({f["rule"] for f in data["documents"][0]["findings"] if f["polarity"] == p})
             for p in ("concern", "safeguard")}
    # findings, as the scan line counts them, with the number of rules they fall under
    assert headline.startswith(f"{counted(concerns, 'concern')} (under {counted(rules['concern'], 'rule')}), "
                               f"{counted(safeguards, 'safeguard')} (under {counted(rules['safeguard'], 'rule')}), ")
    assert int(concerns) > rules["concern"]   # two sales on two pages: two concerns of one rule


def test_one_page_is_one_page(tmp_path):
    (tmp_path / "msa.txt").write_text("1. Vendor may disclose Agency Data to any federal agency upon request.\n")
    out = check(tmp_path / "msa.txt").output
    assert "\n1 page\n" in out and "1 pages" not in out
    assert "\n1 concern (under 1 rule), 0 safeguards, 6 expected safeguards missing; every page read.\n" in out
    scan = runner.invoke(app, ["scan", str(tmp_path / "msa.txt"), "--no-cache"]).output
    assert "msa.txt: 1 page, 1 concern, 0 safeguards, missing safeguards: " in scan


def test_each_missing_safeguard_says_why_it_matters_in_one_line(tmp_path):
    from clausescan.rules.loader import load_rules

    (tmp_path / "msa.txt").write_text("1. Vendor may sell Agency Data to insurers.\n")
    out = check(tmp_path / "msa.txt").output
    why = " ".join(load_rules([]).by_id["immigration-enforcement"].why.split())
    first_sentence = why[:why.index(". ") + 1] if ". " in why else why
    (line,) = [x for x in out.splitlines() if "[immigration-enforcement]" in x]
    assert line == f"  - The data may not be used for immigration enforcement [immigration-enforcement]: {first_sentence}"


def test_check_md_escapes_contract_text_and_links_only_to_the_pdf_pages(fixture_file, tmp_path):
    pdf = tmp_path / "in" / "msa.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(fixture_file("check-two-pages.pdf").read_bytes())
    out = tmp_path / "out" / "msa.md"
    result = check(pdf, "--md", out)
    assert result.exit_code == 0 and f"wrote {out}" in result.output
    md = out.read_text()
    assert md.startswith("# Data Platform Services Agreement\n")
    assert f"- [p. 2](../in/msa.pdf#page=2), § 3.2: “{SALE_P2}”" in md
    assert "### No sale of the data (data-sale)" in md and "## Missing safeguards" in md
    html = MarkdownIt("commonmark").render(md)
    assert set(re.findall(r'href="([^"]*)"', html)) == {"../in/msa.pdf#page=1", "../in/msa.pdf#page=2"}


def test_check_md_never_lets_contract_text_become_html_or_a_link(tmp_path):
    (tmp_path / "msa.txt").write_text(
        'This Agreement is made between Evil <b>Corp</b>, Inc. ("Vendor") and the Town of [Click](https://evil.test) '
        '("Agency").\n1. Vendor may sell Agency Data <script>alert(1)</script> to [buyers](javascript:alert(1)) '
        "listed at https://evil.test/list or www.evil.test.\n")
    out = tmp_path / "msa.md"
    assert check(tmp_path / "msa.txt", "--md", out).exit_code == 0
    html = MarkdownIt("commonmark").render(out.read_text())
    assert "<script" not in html and "<b>" not in html and "<a " not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_check_json_is_the_scan_json_for_that_file(fixture_file, tmp_path):
    pdf = fixture_file("check-two-pages.pdf")
    assert check(pdf, "--json", tmp_path / "check.json").exit_code == 0
    assert runner.invoke(app, ["scan", str(pdf), "--json", str(tmp_path / "scan.json"), "--no-cache"]).exit_code == 0
    checked = json.loads((tmp_path / "check.json").read_text())
    assert checked == json.loads((tmp_path / "scan.json").read_text())
    (doc,) = checked["documents"]
    assert doc["title"] == "Data Platform Services Agreement"
    assert doc["parties"]["agency_name"] == "Town of Edgerly"
    assert [p["defined_as"] for p in doc["parties"]["between"]] == ["Quarry Lane", "Agency"]


def test_check_exits_3_on_a_partly_read_document(fixture_file):
    result = check(fixture_file("text-then-scanned-page.pdf"), "--ocr", "never")
    assert result.exit_code == 3, result.output
    assert "page 2 NOT READ" in result.output


def test_page_links_are_made_from_the_path_and_percent_encoded():
    assert page_link("town a/msa (signed).pdf", 3) == "town%20a/msa%20%28signed%29.pdf#page=3"
    assert page_link("=HYPERLINK(1).pdf", 1) == "%3DHYPERLINK%281%29.pdf#page=1"
    assert page_link("javascript:alert(1).pdf", 1) == "javascript%3Aalert%281%29.pdf#page=1"
    assert page_link("records.zip!msa.pdf", 1) is None and page_link("msa.docx", 1) is None


def test_workbook_page_cells_link_to_the_page_and_stay_numbers(fixture_file, tmp_path):
    folder = tmp_path / "edgerly"
    folder.mkdir()
    (folder / "=cmd.pdf").write_bytes(fixture_file("check-two-pages.pdf").read_bytes())
    out = tmp_path / "c.xlsx"
    assert runner.invoke(app, ["scan", str(folder), "-o", str(out), "--no-cache"]).exit_code == 0
    sheet = load_workbook(out)["Findings"]
    headers = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2))
    page = [row[headers.index("Page")] for row in rows]
    assert {c.data_type for c in page} == {"n"} and {c.value for c in page} == {1, 2}
    assert {c.hyperlink.target for c in page} == {"edgerly/%3Dcmd.pdf#page=1", "edgerly/%3Dcmd.pdf#page=2"}
    rule_titles = {(row[headers.index("Polarity")].value, row[headers.index("Rule")].value) for row in rows}
    assert ("✔ safeguard", "No sale of the data") in rule_titles
    assert all(c.data_type == "s" for c in (row[headers.index("File")] for row in rows))


def test_memo_cites_each_page_with_a_link_and_heads_safeguards_by_their_title(fixture_file, tmp_path):
    pdf = tmp_path / "edgerly" / "msa.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(fixture_file("check-two-pages.pdf").read_bytes())
    findings = tmp_path / "f.json"
    assert runner.invoke(app, ["scan", str(pdf), "--json", str(findings), "--no-cache"]).exit_code == 0
    assert runner.invoke(app, ["report", str(findings), "--format", "md", "-o", str(tmp_path / "memo.md")]).exit_code == 0
    memo = (tmp_path / "memo.md").read_text()
    (line,) = [x for x in memo.splitlines() if NO_SALE in x]
    assert line.startswith("- **No sale of the data") and "sell or monetize" not in line
    assert line.endswith(f"** “{NO_SALE}” "
                         "([Town of Edgerly, Data Platform Services Agreement, p. 2, § 3.1](edgerly/msa.pdf#page=2))")
    assert runner.invoke(app, ["report", str(findings), "-o", str(tmp_path / "memo.docx")]).exit_code == 0
    memo_docx = docx.Document(str(tmp_path / "memo.docx"))
    targets = {r.target_ref for r in memo_docx.part.rels.values() if r.reltype.endswith("/hyperlink")}
    assert targets == {"edgerly/msa.pdf#page=1", "edgerly/msa.pdf#page=2"}
