"""`clausescan followup`: referenced documents that were not scanned, per town, as request items."""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys

from typer.testing import CliRunner

from clausescan.cli import app
from clausescan.facts import ContractFacts
from clausescan.followup import followup, references_in, request_text
from clausescan.models import Document, DocumentResult, Finding
from clausescan.report.json import read
from clausescan.result import ScanResult
from clausescan.rules.loader import load_rules

runner = CliRunner()
URL = "https://ashcombe.example/legal/data-use"


def _scan_foxley(fixture_file, tmp_path, with_support_policy: bool):
    folder = tmp_path / "foxley"
    folder.mkdir()
    shutil.copy(fixture_file("order-form-price-table.pdf"), folder / "order-form.pdf")
    if with_support_policy:
        (folder / "ashcombe-support-policy.txt").write_text("SUPPORT POLICY\nAshcombe answers calls on business days.\n")
    out = tmp_path / "findings.json"
    result = runner.invoke(app, ["scan", str(folder), "--no-cache", "--json", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_references_in_a_sentence_pair_titles_with_their_addresses():
    quote = ("The Corvid LPR Usage and Privacy Policy located at https://corvid.example/privacy, and the Support "
             "Policy referenced in Exhibit A, are incorporated into this Agreement.")
    assert references_in(quote) == [("Corvid LPR Usage and Privacy Policy", "https://corvid.example/privacy"),
                                    ("Support Policy", None), ("Exhibit A", None)]
    assert references_in("Customer agrees to Vendor's Terms of Use at https://v.example/tos.") == \
        [("Vendor Terms of Use", "https://v.example/tos")]
    assert references_in("Both parties are bound by this Agreement.") == []


def test_followup_lists_what_was_referenced_but_not_scanned(fixture_file, tmp_path):
    findings = _scan_foxley(fixture_file, tmp_path, with_support_policy=True)
    result = runner.invoke(app, ["followup", str(findings)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Town of Foxley (2 documents scanned)"
    assert lines[1] == ("1. The document titled 'Ashcombe Data Use Policy' referenced in the Order Form (page 2), "
                        f"as in effect on the date of signature and every later version, available at {URL}.")
    assert "3. Exhibit C to the Order Form, referenced in the Order Form (page 2), as signed, with every amendment " \
           "to it." in lines
    assert any("'Ashcombe Hardware Standards'" in line for line in lines)
    # the support policy was scanned (its file name names it), so it is not requested
    assert not any("Support Policy" in line for line in lines)


def test_a_policy_that_was_not_scanned_is_requested(fixture_file, tmp_path):
    findings = _scan_foxley(fixture_file, tmp_path, with_support_policy=False)
    requests = followup(read(findings))
    titles = [r.title for r in requests[0].missing]
    assert "Ashcombe Support Policy" in titles and len(titles) == len(set(titles))


def _doc(file, agency, findings=(), title="", web_address=None):
    return DocumentResult(Document(file), findings=list(findings), parties={"agency_name": agency}, title=title,
                          facts=ContractFacts(web_address=web_address) if web_address else None)


def _scan(*documents) -> ScanResult:
    library = load_rules()
    return ScanResult(list(documents), library.rules, library.version, "test")


def _finding(quote, page=3, section="9.1"):
    return Finding("incorporated-terms", "concern", page, section, quote)


def test_a_web_address_is_found_only_when_a_scanned_document_is_that_page():
    quote = f"Customer shall comply with the Ashcombe Data Use Policy at {URL}, incorporated herein by reference."
    msa = _doc("a/msa.pdf", "Town of Foxley", [_finding(quote)], title="Master Services Agreement")
    same_title = _doc("a/data-use-policy.pdf", "Town of Foxley", title="Ashcombe Data Use Policy")
    printed_page = _doc("a/printout.pdf", "Town of Foxley", web_address=URL.replace("https://", ""))
    [town] = followup(_scan(msa, same_title))
    assert [r.url for r in town.missing] == [URL]   # a copy with the same title may not be the online version
    [town] = followup(_scan(msa, printed_page))
    assert town.missing == []


def test_towns_are_kept_apart_and_repeated_references_merged():
    quote = "Agency's use is subject to the Vendor Acceptable Use Policy, which is incorporated by reference."
    a = _doc("x/a.pdf", "Town of Ashby", [_finding(quote, page=2), _finding(quote, page=7, section="12.4")],
             title="Services Agreement")
    b_policy = _doc("y/vendor-acceptable-use-policy.pdf", "Town of Brill")
    towns = followup(_scan(a, b_policy))
    assert [t.agency for t in towns] == ["Town of Ashby", "Town of Brill"]
    [ref] = towns[0].missing   # Brill's copy does not answer Ashby's request
    assert request_text(ref).startswith("The document titled 'Vendor Acceptable Use Policy' referenced in section "
                                        "9.1 of the Services Agreement (page 2) and in section 12.4 of the Services "
                                        "Agreement (page 7)")
    assert towns[1].missing == []


def test_markdown_and_csv_outputs_are_written_and_csv_cells_cannot_be_formulas(tmp_path):
    quote = "Agency's use is subject to the Vendor Acceptable Use Policy, which is incorporated by reference."
    path = tmp_path / "f.json"
    _scan(DocumentResult(Document("=HYPERLINK(1)/msa.pdf"), findings=[_finding(quote)])).to_json(path)
    result = runner.invoke(app, ["followup", str(path), "--md", str(tmp_path / "r.md"), "--csv", str(tmp_path / "r.csv")])
    assert result.exit_code == 0, result.output
    assert "1. The document titled 'Vendor Acceptable Use Policy' referenced in section 9.1 of msa.pdf (page 3)" \
        in (tmp_path / "r.md").read_text()
    [row] = list(csv.DictReader((tmp_path / "r.csv").open()))
    assert row["agency"] == "'=HYPERLINK(1)" and row["title"] == "Vendor Acceptable Use Policy" and row["page"] == "3"


def test_missing_or_invalid_findings_give_one_line_and_exit_2(tmp_path):
    (tmp_path / "list.json").write_text("[1, 2]")
    (tmp_path / "bad-doc.json").write_text('{"documents": [{"findings": []}]}')
    (tmp_path / "null-quote.json").write_text('{"documents": [{"file": "a.pdf", "findings": [{"rule": "x", "quote": null}]}]}')
    (tmp_path / "bad-parties.json").write_text('{"documents": [{"file": "a.pdf", "parties": "x", "findings": []}]}')
    cases = [("followup", name) for name in ("absent.json", "list.json", "bad-doc.json", "null-quote.json")] + \
        [("report", "bad-parties.json")]
    for command, name in cases:
        extra = ["-o", str(tmp_path / "memo.md"), "--format", "md"] if command == "report" else []
        proc = subprocess.run([sys.executable, "-m", "clausescan", command, str(tmp_path / name), *extra],
                              capture_output=True, text=True)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.startswith("Error: ") and len(proc.stderr.strip().splitlines()) == 1
        assert "Traceback" not in proc.stderr and "clausescan scan" in proc.stderr
