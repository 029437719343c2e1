"""The findings file: its published JSON Schema (schema/findings.schema.json) is what the types in
report/json_schema.py generate, and every findings JSON the scan and check write matches it,
including the keys written only with a profile, a baseline, reviews, skipped files, an error row
and a partly read document; and its reader (ScanResult.from_json) is the writer's inverse."""
from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from clausescan import ScanResult
from clausescan.cli import app
from clausescan.models import Finding
from clausescan.report import json as json_report
from clausescan.report.json_schema import dumps, findings_schema
from clausescan.review import finding_id, fingerprint
from test_check_and_memo import CONTRACT   # a town's agreement: one sentence allows sale, one forbids it

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schema" / "findings.schema.json"
runner = CliRunner()


def invoke(*args: str, code: int = 0):
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result


def validate(path) -> dict:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))).validate(data)
    return data


@pytest.fixture(scope="module")
def batch(tmp_path_factory, fixture_file) -> Path:
    """A folder with a contract, an empty PDF (an error row), a PDF whose second page needs OCR
    (partly read with --ocr never), a template and its revision, and a script that is skipped."""
    root = tmp_path_factory.mktemp("schema")
    for town, name, content in (("millbrook", "msa.txt", CONTRACT.encode()), ("empty-town", "empty.pdf", b""),
                                ("scan-town", "partial.pdf", fixture_file("text-then-scanned-page.pdf").read_bytes()),
                                ("harbor", "terms-2024.pdf", fixture_file("terms-2024.pdf").read_bytes()),
                                ("harbor", "terms-2026.pdf", fixture_file("terms-2026.pdf").read_bytes()),
                                ("harbor", "make_exhibits.py", b"print('not a contract')\n")):
        (root / "contracts" / town).mkdir(parents=True, exist_ok=True)
        (root / "contracts" / town / name).write_bytes(content)
    return root


def test_the_checked_in_schema_is_what_the_types_generate():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == dumps(), \
        "regenerate it: python -m clausescan.report.json_schema > schema/findings.schema.json"


@pytest.fixture(scope="module")
def scanned(batch) -> Path:
    """The batch scanned with a profile and a baseline (first.json), two of its findings then
    reviewed and the batch scanned again (reviewed.json), and again without the baseline
    (no-baseline.json); and one contract checked (check.json)."""
    before = os.getcwd()
    os.chdir(batch)   # where reviews.yaml is written and looked for
    try:
        scan = ["scan", "contracts", "--ocr", "never", "--no-cache", "-q", "--profile", "me"]
        baseline = ["--baseline", "contracts/harbor/terms-2024.pdf"]
        invoke(*scan, *baseline, "--json", "first.json", code=3)   # 3: a document not (fully) read
        msa = next(d for d in json.loads(Path("first.json").read_text())["documents"] if d["file"].endswith("msa.txt"))
        sale, no_sale = (f for f in msa["findings"] if f["rule"] == "data-sale")
        for option, finding in (("--wrong", sale), ("--confirm", no_sale)):
            invoke("review", "first.json", option, finding_id(msa["sha256"], finding["rule"], fingerprint(finding["quote"])),
                   "--note", "checked")
        invoke(*scan, *baseline, "--json", "reviewed.json", code=3)
        invoke(*scan, "--json", "no-baseline.json", code=3)
        invoke("check", "contracts/millbrook/msa.txt", "--no-cache", "--json", "check.json")
    finally:
        os.chdir(before)
    return batch


def test_every_findings_json_of_scan_and_check_matches_the_schema(scanned):
    first = validate(scanned / "first.json")
    docs = {Path(d["file"]).name: d for d in first["documents"]}
    assert docs["empty.pdf"]["status"] == "error" and docs["partial.pdf"]["status"] == "partial"
    assert docs["terms-2026.pdf"]["baseline"]["is_template"] is False and docs["terms-2024.pdf"]["baseline"]["is_template"]
    assert docs["msa.txt"]["law"] and first["profile"]["state"] == "ME"
    assert first["skipped"][0]["file"].endswith("make_exhibits.py")

    reviewed = validate(scanned / "reviewed.json")
    msa = next(d for d in reviewed["documents"] if d["file"].endswith("msa.txt"))
    assert {f.get("review") for f in msa["findings"]} >= {"wrong", "confirmed"} and reviewed["reviews"]["wrong"] == 1
    assert msa["review_counts"] == {"confirmed": 1, "wrong": 1}

    assert validate(scanned / "check.json")["documents"][0]["file"].endswith("msa.txt")


@pytest.mark.parametrize("name", ["no-baseline.json", "check.json"])
def test_reading_a_findings_json_and_writing_it_again_gives_the_same_bytes(scanned, name):
    text = (scanned / name).read_text(encoding="utf-8")
    result = ScanResult.from_json(json.loads(text))
    assert json_report.dumps(result) == text
    if name == "no-baseline.json":   # the parts other code reads, as objects
        msa = next(d for d in result.documents if d.document.file.endswith("msa.txt"))
        assert [f.review for f in msa.marked_wrong] == ["wrong"] and result.profile.state == "ME"
        assert all(f.file == msa.document.file for f in msa.findings)
        partial = next(d for d in result.documents if d.document.status == "partial")
        assert partial.document.pages_unreadable == [2]


def test_a_finding_reads_back_as_it_was_written():
    finding = Finding("data-sale", "concern", 3, "4.1", "Vendor may sell data.", None, None, "contract.pdf",
                      "may sell", "wrong", "about hardware")
    assert Finding.from_json(finding.to_json(), "contract.pdf") == finding
    # a key the writer always writes is required; one it may add later is not a reason to refuse the file
    with pytest.raises(KeyError, match="section"):
        Finding.from_json({"rule": "data-sale", "polarity": "concern", "page": 1, "quote": "q"})
    assert Finding.from_json({**finding.to_json(), "added_later": 1}, "contract.pdf") == finding


def test_the_schema_refuses_a_renamed_key_and_a_wrong_polarity(batch, monkeypatch):
    monkeypatch.chdir(batch)
    invoke("scan", "contracts/millbrook", "--no-cache", "-q", "--json", "one.json")
    data = validate("one.json")
    validator = jsonschema.Draft202012Validator(findings_schema())
    finding = data["documents"][0]["findings"][0]
    finding["page_number"] = finding.pop("page")
    assert not validator.is_valid(data)
    finding["page"] = finding.pop("page_number")
    finding["polarity"] = "worry"
    assert not validator.is_valid(data)
    finding["polarity"] = "concern"
    assert validator.is_valid(data)
