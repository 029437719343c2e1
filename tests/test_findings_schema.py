"""The published JSON Schema of the findings file (schema/findings.schema.json): it is what the
types in report/json_schema.py generate, and every findings JSON the scan and check write
matches it, including the keys written only with a profile, a baseline, reviews, skipped files,
an error row and a partly read document."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from clausescan.cli import app
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


def test_every_findings_json_of_scan_and_check_matches_the_schema(batch, monkeypatch):
    monkeypatch.chdir(batch)   # where reviews.yaml is looked for
    scan = ["scan", "contracts", "--ocr", "never", "--no-cache", "-q", "--profile", "me",
            "--baseline", "contracts/harbor/terms-2024.pdf"]
    invoke(*scan, "--json", "first.json", code=3)   # 3: a document not (fully) read
    first = validate("first.json")
    docs = {Path(d["file"]).name: d for d in first["documents"]}
    assert docs["empty.pdf"]["status"] == "error" and docs["partial.pdf"]["status"] == "partial"
    assert docs["terms-2026.pdf"]["baseline"]["is_template"] is False and docs["terms-2024.pdf"]["baseline"]["is_template"]
    assert docs["msa.txt"]["law"] and first["profile"]["state"] == "ME"
    assert first["skipped"][0]["file"].endswith("make_exhibits.py")

    sale, no_sale = (f for f in docs["msa.txt"]["findings"] if f["rule"] == "data-sale")
    sha = docs["msa.txt"]["sha256"]
    invoke("review", "first.json", "--wrong", finding_id(sha, sale["rule"], fingerprint(sale["quote"])), "--note", "n")
    invoke("review", "first.json", "--confirm", finding_id(sha, no_sale["rule"], fingerprint(no_sale["quote"])))
    invoke(*scan, "--json", "reviewed.json", code=3)
    reviewed = validate("reviewed.json")
    msa = next(d for d in reviewed["documents"] if d["file"].endswith("msa.txt"))
    assert {f.get("review") for f in msa["findings"]} >= {"wrong", "confirmed"} and reviewed["reviews"]["wrong"] == 1

    invoke("check", "contracts/millbrook/msa.txt", "--no-cache", "--json", "check.json")
    assert validate("check.json")["documents"][0]["file"].endswith("msa.txt")


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
