"""The review loop: findings marked wrong in reviews.yaml leave every output and every verdict,
confirmed ones are shown as confirmed, and a changed file's reviews no longer apply."""
from __future__ import annotations

import csv
import json
import re
import subprocess
import sys

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from clausescan import pipeline
from clausescan.cache import Cache
from clausescan.cli import app
from clausescan.review import finding_id, fingerprint, load
from test_check_and_memo import CONTRACT   # a town's agreement: one sentence allows sale, one forbids it

runner = CliRunner()
CONCERN = "Vendor may sell Agency Data to its commercial partners."
SAFEGUARD = "Vendor shall not sell Agency Data to insurers."


@pytest.fixture
def town(tmp_path, monkeypatch):
    """A contract under millbrook/, scanned once to findings.json, with tmp_path as the current
    folder (where reviews.yaml is looked for)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "millbrook").mkdir()
    (tmp_path / "millbrook" / "msa.txt").write_text(CONTRACT)
    scan("--json", "findings.json")
    return tmp_path


def scan(*options: str, code: int = 0):
    result = runner.invoke(app, ["scan", "millbrook", "--cache-dir", "cache", *options])
    assert result.exit_code == code, result.output
    return result


def findings_of(path="findings.json") -> list[dict]:
    return json.loads(open(path).read())["documents"][0]["findings"]


def id_of(rule: str, quote: str, path="findings.json") -> str:
    doc = json.loads(open(path).read())["documents"][0]
    return finding_id(doc["sha256"], rule, fingerprint(quote))


def review(*args: str):
    result = runner.invoke(app, ["review", "findings.json", *args])
    assert result.exit_code == 0, result.output
    return result


def error_of(args: list[str]) -> str:
    """The one-line message a command prints for a usage error (exit code 2)."""
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("Error: ")]
    return line.removeprefix("Error: ")


def test_a_finding_marked_wrong_leaves_every_output_and_the_json_keeps_it(town):
    wrong = id_of("private-camera-data", CONCERN)
    review("--wrong", wrong, "--note", "about sale, not private cameras")
    out = scan("--json", "after.json", "-o", "after.xlsx", "--csv", "csv")
    assert "reviews.yaml: 1 finding marked wrong by review left out, 0 confirmed." in out.output

    # JSON: kept, with review=wrong and the note, and counted; the verdict judged without it
    doc = json.loads(open("after.json").read())
    marked = [f for f in doc["documents"][0]["findings"] if f["rule"] == "private-camera-data" and f["quote"] == CONCERN]
    assert marked and marked[0]["review"] == "wrong" and marked[0]["review_note"] == "about sale, not private cameras"
    assert doc["reviews"]["wrong"] == 1 and doc["documents"][0]["review_counts"] == {"confirmed": 0, "wrong": 1}
    assert doc["documents"][0]["summary"]["private-camera-data"] == "not found"   # was "concern"

    # CSV: not in findings.csv; counted in summary.csv
    rows = list(csv.DictReader(open("csv/findings.csv")))
    assert ("private-camera-data", CONCERN) not in {(r["rule"], r["quote"]) for r in rows}
    assert ("data-sale", CONCERN) in {(r["rule"], r["quote"]) for r in rows}
    assert list(csv.DictReader(open("csv/summary.csv")))[0]["left_out_by_review"] == "1"

    # workbook: not on the Findings sheet; on the Reviews sheet, struck out, with the count
    wb = openpyxl.load_workbook("after.xlsx")
    sheet_rows = [[c.value for c in row] for row in wb["Findings"].iter_rows(min_row=2)]
    assert not [r for r in sheet_rows if "private-camera-data" in r and CONCERN in r]
    assert [r for r in sheet_rows if "data-sale" in r and CONCERN in r]
    reviews_ws = wb["Reviews"]
    (row,) = [r for r in reviews_ws.iter_rows(min_row=2) if r[0].value == "wrong"]
    assert row[7].value == CONCERN and row[7].font.strike and row[8].value == wrong
    assert any("1 finding marked wrong by review left out" in str(c.value) for c in reviews_ws["A"])

    # HTML report: left out, with the count
    assert runner.invoke(app, ["report", "after.json", "--format", "html", "-o", "report.html"]).exit_code == 0
    page = open("report.html").read()
    assert "1 finding marked wrong by review left out." in page
    kept = [f for f in doc["documents"][0]["findings"] if f.get("review") != "wrong"]
    assert page.count('<article class="finding ') == len(kept)
    assert 'data-rule="private-camera-data" data-polarity="concern"' not in page

    # memo (from the JSON written before the review: report applies reviews.yaml itself)
    for source in ("findings.json", "after.json"):
        assert runner.invoke(app, ["report", source, "--format", "md", "-o", "memo.md"]).exit_code == 0
        memo = open("memo.md").read()
        (line,) = [x for x in memo.splitlines() if CONCERN in x]
        assert "Private cameras" not in line and "sell or monetize" in line
        assert "1 of the findings were reviewed by a person: 0 confirmed and 1 marked wrong" in memo


def test_a_wrong_safeguard_cannot_hide_a_missing_one_nor_a_wrong_concern_make_a_concern(town):
    review("--wrong", id_of("data-sale", SAFEGUARD))
    scan("--json", "after.json")
    assert json.loads(open("after.json").read())["documents"][0]["summary"]["data-sale"] == "concern"
    check = runner.invoke(app, ["check", "millbrook/msa.txt", "--cache-dir", "cache"])
    assert check.output.count("[data-sale]") == 1   # under CONCERNS only
    assert "1 finding marked wrong by review left out" in check.output

    review("--wrong", id_of("data-sale", CONCERN))
    scan("--json", "after.json")
    summary = json.loads(open("after.json").read())["documents"][0]["summary"]
    assert summary["data-sale"] == "missing safeguard"   # data-sale is a safeguard a careful agency insists on
    runner.invoke(app, ["report", "findings.json", "--format", "docx", "-o", "memo.docx"])
    paragraphs = [p.text for p in docx.Document("memo.docx").paragraphs]
    title = "No sale of the data"   # a missing safeguard is headed by what it would protect
    assert not [p for p in paragraphs if ("sell or monetize" in p or title in p) and "“" in p]   # no quote cited
    assert paragraphs.index(title) > paragraphs.index("Missing safeguards")
    assert "2 marked wrong" in "\n".join(paragraphs)


def test_confirmed_findings_are_shown_as_confirmed(town):
    review("--confirm", id_of("data-sale", CONCERN), "--note", "checked against the signed copy")
    scan("--json", "after.json", "--csv", "csv", "-o", "after.xlsx")
    (confirmed,) = [f for f in findings_of("after.json") if f.get("review")]
    assert confirmed["review"] == "confirmed" and confirmed["rule"] == "data-sale" and confirmed["quote"] == CONCERN
    rows = list(csv.DictReader(open("csv/findings.csv")))
    assert [r["review"] for r in rows if r["rule"] == "data-sale" and r["quote"] == CONCERN] == ["confirmed"]
    assert {r["review"] for r in rows} == {"confirmed", ""}
    wb = openpyxl.load_workbook("after.xlsx")
    assert [r[0].value for r in wb["Reviews"].iter_rows(min_row=2, max_row=2)] == ["confirmed"]
    assert [r[7] for r in wb["Findings"].iter_rows(min_row=2, values_only=True) if r[6] == "data-sale" and
            r[10] == CONCERN] == ["✖ concern (confirmed)"]
    runner.invoke(app, ["report", "after.json", "--format", "md", "-o", "memo.md"])
    (line,) = [x for x in open("memo.md").read().splitlines() if CONCERN in x]
    assert line.startswith("- **The vendor may sell or monetize the data (confirmed by review); Private cameras")
    check = runner.invoke(app, ["check", "millbrook/msa.txt", "--cache-dir", "cache"])
    assert "p. 1, § 4.1 · confirmed by review: checked against the signed copy" in check.output
    listing = review("--list").output
    assert f"{id_of('data-sale', CONCERN)}  [confirmed]" in listing and "1 confirmed, 0 marked wrong" in listing


def test_forget_and_unknown_ids(town):
    target = id_of("data-sale", CONCERN)
    review("--wrong", target)
    assert len(load("reviews.yaml").by_key) == 1
    review("--forget", target)
    assert not load("reviews.yaml").by_key
    assert "no finding with id 'deadbeef'" in error_of(["review", "findings.json", "--wrong", "deadbeef"])
    assert "--note goes with" in error_of(["review", "findings.json", "--note", "why"])
    assert not load("reviews.yaml").by_key


def test_interactive_review_asks_about_each_unreviewed_finding(town):
    answers = "w\nnot about cameras\ns\nc\n\n"   # wrong with a note, skip, confirmed without one
    result = runner.invoke(app, ["review", "findings.json", "--interactive"], input=answers)
    assert result.exit_code == 0, result.output
    assert result.output.count("[c]onfirmed, [w]rong, [s]kip or [q]uit") == len(findings_of()) == 3
    assert "marked 2 finding(s)" in result.output
    order = [(f["rule"], f["quote"]) for f in findings_of()]
    by_key = {(r.rule, r.fingerprint): r for r in load("reviews.yaml").by_key.values()}
    first, _, third = (by_key.get((rule, fingerprint(quote))) for rule, quote in order[:3])
    assert (first.status, first.note) == ("wrong", "not about cameras")
    assert (third.status, third.note) == ("confirmed", None) and len(by_key) == 2
    again = runner.invoke(app, ["review", "findings.json", "-i"], input="q\n").output
    assert again.count("[unreviewed]") == 1   # only those not yet reviewed are asked about


@pytest.mark.parametrize("line, mistake, key", [
    ("status: .*", "status: wrng", "'status'"),
    ("status: .*", "stauts: wrong", "'stauts'"),
    ("sha256: .*", "sha256: 1234", "'sha256'"),
    ("page: .*", "page: two", "'page'"),
    ("fingerprint: .*", "", "'fingerprint'"),
])
def test_a_malformed_reviews_file_is_one_sentence_naming_the_file_and_key(town, line, mistake, key):
    review("--wrong", id_of("data-sale", CONCERN))
    text = re.sub(line, mistake, open("reviews.yaml").read())
    (town / "bad.yaml").write_text(text)
    for command in (["scan", "millbrook", "--cache-dir", "cache", "--reviews", "bad.yaml"],
                    ["report", "findings.json", "-o", "memo.md", "--format", "md", "--reviews", "bad.yaml"],
                    ["check", "millbrook/msa.txt", "--reviews", "bad.yaml"],
                    ["review", "findings.json", "--reviews", "bad.yaml"]):
        message = error_of(command)
        assert message.startswith("bad.yaml: review 1: key ") and key in message, message
        assert message.count(". ") == 0 and message.endswith(".")   # one sentence


def test_the_command_line_prints_a_malformed_reviews_file_in_one_line_and_exits_2(tmp_path):
    (tmp_path / "msa.txt").write_text(CONTRACT)
    (tmp_path / "reviews.yaml").write_text("reviews:\n  - status: maybe\n")
    proc = subprocess.run([sys.executable, "-m", "clausescan", "check", "msa.txt", "--no-cache"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr == "Error: reviews.yaml: review 1: key 'status' must be 'confirmed' or 'wrong', not 'maybe'.\n"


def test_reviews_file_that_is_not_yaml_or_missing(town):
    (town / "broken.yaml").write_text("reviews:\n  - status: [wrong\n")
    assert "broken.yaml is not valid YAML at line" in \
        error_of(["scan", "millbrook", "--no-cache", "--reviews", "broken.yaml"])
    assert "--reviews nowhere.yaml: no such file" in \
        error_of(["scan", "millbrook", "--no-cache", "--reviews", "nowhere.yaml"])


def test_a_review_of_a_file_that_changed_is_stale_and_does_not_apply(town):
    review("--wrong", id_of("data-sale", CONCERN))
    (town / "millbrook" / "msa.txt").write_text(CONTRACT + "4.3 Vendor shall keep Agency Data in the United States.\n")
    out = scan("--json", "after.json")
    assert "1 review stale, for a file that changed since (msa.txt)" in out.output
    assert not [f for f in findings_of("after.json") if f.get("review")]
    assert CONCERN in {f["quote"] for f in findings_of("after.json") if f["rule"] == "data-sale"}
    doc = json.loads(open("after.json").read())
    assert len(doc["reviews"]["stale"]) == 1 and doc["reviews"]["wrong"] == 0
    listing = runner.invoke(app, ["review", "after.json", "--list"]).output
    assert "[stale: wrong]  millbrook/msa.txt" in listing and "the file changed since this review" in listing


def test_a_review_of_a_finding_no_longer_made_is_listed(town):
    sha = json.loads(open("findings.json").read())["documents"][0]["sha256"]
    (town / "reviews.yaml").write_text(
        f"reviews:\n  - file: millbrook/msa.txt\n    sha256: {sha}\n    rule: data-sale\n"
        f"    fingerprint: {fingerprint('A sentence no rule finds.')}\n    status: wrong\n")
    out = scan("--json", "after.json")
    assert "1 review of findings no longer made" in out.output
    assert len(json.loads(open("after.json").read())["reviews"]["not_found"]) == 1
    assert "[not found: wrong]  millbrook/msa.txt" in review("--list").output
    check = runner.invoke(app, ["check", "millbrook/msa.txt", "--cache-dir", "cache"]).output
    assert "1 review of findings no longer made" in check


def test_the_fingerprint_ignores_case_and_line_breaks():
    assert fingerprint("Vendor may SELL\n  Agency   Data.") == fingerprint("vendor may sell agency data.")
    assert fingerprint("Vendor may sell Agency Data.") != fingerprint("Vendor may not sell Agency Data.")


def test_changing_reviews_needs_no_rescan(tmp_path, monkeypatch):
    """Reviews are applied after the cached findings load: the second scan reads nothing again."""
    (tmp_path / "msa.txt").write_text(CONTRACT)
    cache = Cache(tmp_path / "cache")
    first = pipeline.scan([tmp_path / "msa.txt"], cache=cache, workers=1)
    sha = first.documents[0].document.sha256
    (tmp_path / "reviews.yaml").write_text(
        f"reviews:\n  - sha256: {sha}\n    rule: data-sale\n    fingerprint: {fingerprint(SAFEGUARD)}\n"
        "    status: wrong\n")

    def no_reading(*args, **kwargs):
        raise AssertionError("the document was read again")
    monkeypatch.setattr(pipeline, "extract", no_reading)
    monkeypatch.setattr(pipeline, "match_document", no_reading)
    second = pipeline.scan([tmp_path / "msa.txt"], cache=cache, workers=1, reviews=tmp_path / "reviews.yaml")
    (d,) = second.documents
    assert d.document.status == "ok"   # a read would have raised, and made it an error row
    assert [(f.rule, f.quote) for f in d.marked_wrong] == [("data-sale", SAFEGUARD)]
    assert ("data-sale", SAFEGUARD) not in {(f.rule, f.quote) for f in d.findings}
    assert d.summary["data-sale"] == "concern" and first.documents[0].summary["data-sale"] == "both"
    assert second.reviews.wrong == 1


def test_a_finding_marked_wrong_does_not_count_toward_a_state_law_verdict(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "town").mkdir()
    (tmp_path / "town" / "msa.txt").write_text(CONTRACT.split("4. DATA")[0] + "5. RETENTION\n"
                                               "5.1 Vendor shall retain ALPR data for 365 days.\n")

    def law(path: str) -> str:
        (verdict,) = [v for v in json.loads(open(path).read())["documents"][0]["law"] if v["kind"] == "retention"]
        return verdict["status"]
    runner.invoke(app, ["scan", "town", "--no-cache", "--profile", "me", "--json", "before.json"])
    assert law("before.json") == "exceeds limit"
    (retention,) = json.loads(open("before.json").read())["documents"][0]["findings"]
    runner.invoke(app, ["review", "before.json", "--wrong",
                        id_of(retention["rule"], retention["quote"], "before.json")])
    runner.invoke(app, ["scan", "town", "--no-cache", "--profile", "me", "--json", "after.json"])
    assert law("after.json") == "not stated in contract"
    # report on the findings file written before the review judges the scan's profile again
    runner.invoke(app, ["report", "before.json", "--format", "md", "-o", "memo.md"])
    memo = open("memo.md").read()
    assert "**not stated in contract** (retention)" in memo and "exceeds" not in memo
