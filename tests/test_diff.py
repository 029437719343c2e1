"""clausescan diff OLD NEW and scan --baseline, on two generated versions of a vendor's terms:
the 2026 rewrite drops "shall not sell", adds a perpetual licence, renumbers sections, changes
retention and security wording, and is laid out anew (other line breaks, a hyphen across a page)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from clausescan.cli import app
from clausescan.diff import ClauseChange, Passage, compare_clauses
from clausescan.pipeline import diff_files

runner = CliRunner()


@pytest.fixture(scope="module")
def terms(fixture_file):
    return fixture_file("terms-2024.pdf"), fixture_file("terms-2026.pdf")


@pytest.fixture(scope="module")
def rewrite(terms):
    return diff_files(*terms)


def test_lost_sale_promise_and_new_perpetual_licence_come_first(rewrite):
    labels = [(c.label, c.rule) for c in rewrite.findings]
    assert labels[0] == ("safeguard lost", "data-sale")
    assert ("concern gained", "perpetual-license") in labels
    lost = rewrite.findings[0].old
    assert (lost.page, lost.section, lost.quote) == (1, "3.2", "Vendor shall not sell Customer Data to any third party.")
    licence = next(c for c in rewrite.findings if c.rule == "perpetual-license")
    assert (licence.new.page, licence.new.section) == (1, "4") and licence.old is None
    # bad news before good news, value changes last
    assert [c.change for c in rewrite.findings][-1] == "changed"


def test_a_changed_retention_period_is_reported_with_both_values(rewrite):
    change = next(c for c in rewrite.findings if c.rule == "retention-period")
    assert (change.label, change.old_values, change.new_values) == ("info changed", ["30 days"], ["60 days"])


def test_renumbered_sections_align_and_carry_a_word_diff(rewrite):
    changed = {c.new.section: c for c in rewrite.clauses if c.change == "changed"}
    assert set(changed) == {"3.2", "6"}
    assert changed["3.2"].old.section == "3.3"      # "3.2 No Sale" is gone; "3.3 Retention" became 3.2
    assert changed["3.2"].word_diff() == \
        "Vendor shall delete Customer Data [-thirty (30)-] {+sixty (60)+} days after it is collected."
    assert changed["6"].old.section == "5"
    assert changed["6"].word_diff() == ("Vendor shall encrypt Customer Data at rest and {+in transit and+} shall "
                                        "test its backups every [-quarter.-] {+month.+}")


def test_layout_hyphenation_and_page_breaks_are_not_changes(rewrite):
    # Services, Support, Ownership and Compliance: the same words, wrapped at other widths, and
    # Compliance hyphenated across the page break in the new version.
    assert rewrite.unchanged == 4
    assert [(c.change, (c.new or c.old).section) for c in rewrite.clauses] == \
        [("removed", "3.2"), ("changed", "3.2"), ("added", "4"), ("changed", "6")]


def _passage(section, heading, text):
    return Passage(section, heading, 1, text)


def test_same_number_but_another_clause_is_added_and_removed_not_changed():
    old = [_passage("7", "Insurance", "Vendor shall carry general liability insurance of one million dollars.")]
    new = [_passage("7", "Audit", "The Agency may audit every search of the System at any time.")]
    changes, unchanged = compare_clauses(old, new)
    assert sorted(c.change for c in changes) == ["added", "removed"] and unchanged == 0


def test_a_moved_clause_with_the_same_text_is_unchanged():
    text = "Vendor shall notify the Agency of any breach within twenty-four hours."
    old = [_passage("2", None, "Vendor shall host the System."), _passage("9", "Breach", text)]
    new = [_passage("1", "Breach", text), _passage("2", None, "Vendor shall host the System in the United States.")]
    changes, unchanged = compare_clauses(old, new)
    assert unchanged == 1
    assert [(c.change, c.new.section) for c in changes] == [("changed", "2")]


def test_word_diff_cuts_long_unchanged_runs_in_context_mode():
    change = ClauseChange("changed", None, None, [("=", "one two three four five six"), ("-", "seven"),
                                                  ("+", "VII"), ("=", "eight nine ten eleven twelve")])
    assert change.word_diff(context=2) == "… five six [-seven-] {+VII+} eight nine …"
    assert change.word_diff() == "one two three four five six [-seven-] {+VII+} eight nine ten eleven twelve"


def test_diff_command_terminal_workbook_and_markdown(terms, tmp_path):
    xlsx, md = tmp_path / "out" / "changes.xlsx", tmp_path / "changes.md"
    result = runner.invoke(app, ["diff", *map(str, terms), "-o", str(xlsx), "--md", str(md), "--no-cache"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.index("safeguard lost: data-sale") < out.index("concern gained: perpetual-license") < out.index("TEXT:")
    assert "2 clauses changed, 1 added, 1 removed, 4 unchanged" in out
    assert "[-thirty (30)-] {+sixty (60)+}" in out

    sheet = load_workbook(xlsx)["Changes"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows.index(next(r for r in rows if r[0] == "What"))
    first = dict(zip(rows[header], rows[header + 1]))
    assert first["What"] == "finding" and first["Change"].startswith("safeguard lost: data-sale")
    assert first["Old section"] == "3.2" and first["Old text"] == "Vendor shall not sell Customer Data to any third party."
    diffs = [r[9] for r in rows[header + 1:] if r[0] == "clause" and r[1] == "changed"]
    assert "Vendor shall delete Customer Data [-thirty (30)-] {+sixty (60)+} days after it is collected." in diffs

    memo = md.read_text(encoding="utf-8")
    assert "**safeguard lost: data-sale (The vendor may sell or monetize the data)**" in memo
    assert "Vendor shall delete Customer Data ~~thirty (30)~~ **sixty (60)** days after it is collected." in memo


def test_contract_text_never_becomes_a_formula_or_markdown(tmp_path):
    (tmp_path / "old.txt").write_text("1. Fees. The Agency shall pay the fees in the order form.\n")
    (tmp_path / "new.txt").write_text("=HYPERLINK(\"http://x.test\") *all* fees | taxes.\n\n"
                                      "1. Fees. The Agency shall pay the fees in the order form.\n")
    xlsx, md = tmp_path / "c.xlsx", tmp_path / "c.md"
    result = runner.invoke(app, ["diff", str(tmp_path / "old.txt"), str(tmp_path / "new.txt"), "-o", str(xlsx),
                                 "--md", str(md), "--no-cache"])
    assert result.exit_code == 0, result.output
    cells = [c for row in load_workbook(xlsx)["Changes"].iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert cells and all(c.data_type == "s" for c in cells)
    assert '=HYPERLINK("http\\://x.test") \\*all\\* fees \\| taxes.' in md.read_text(encoding="utf-8")


def run(*args):
    return subprocess.run([sys.executable, "-m", "clausescan", *args], capture_output=True, text=True)


def test_an_unreadable_version_is_one_clear_error(fixture_file, terms, tmp_path):
    proc = run("diff", str(fixture_file("zero-bytes.pdf")), str(terms[1]), "--no-cache")
    assert proc.returncode == 3 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == f"Error: the old version {fixture_file('zero-bytes.pdf')} could not be read: " \
                                  "the file is empty (0 bytes)."
    folder = run("diff", str(tmp_path), str(terms[1]), "--no-cache")
    assert folder.returncode == 2 and "is a folder" in folder.stderr


def test_scan_with_baseline_adds_negotiated_changes(terms, tmp_path):
    template, rewritten = map(str, terms)
    xlsx, js = tmp_path / "c.xlsx", tmp_path / "f.json"
    result = runner.invoke(app, ["scan", template, rewritten, "--baseline", template, "-o", str(xlsx), "--json",
                                 str(js), "--no-cache", "--workers", "1"])
    assert result.exit_code == 0, result.output
    summary = ("+3 concerns (deletion-on-termination, derived-data-use, perpetual-license); -1 safeguard (data-sale); "
               "other values: retention-period; 2 clauses changed, 1 added, 1 removed")
    assert "vs template: the template itself" in result.output
    assert f"vs template: {summary}" in result.output

    documents = json.loads(js.read_text())["documents"]
    assert documents[0]["baseline"] == {"file": template, "is_template": True}
    baseline = documents[1]["baseline"]
    assert [(f["rule"], f["polarity"], f["section"]) for f in baseline["findings_lost"]] == \
        [("data-sale", "safeguard", "3.2")]
    assert "perpetual-license" in [f["rule"] for f in baseline["findings_gained"]]
    assert (baseline["clauses_added"], baseline["clauses_removed"], baseline["clauses_changed"]) == (1, 1, 2)

    sheet = load_workbook(xlsx)["Summary"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=4, column=header.index("Negotiated changes") + 1)   # rows 1-2: headers
    assert cell.value == summary and cell.data_type == "s"     # starts with "+", still text


def test_without_baseline_nothing_is_added(terms, tmp_path):
    js, xlsx = tmp_path / "f.json", tmp_path / "c.xlsx"
    result = runner.invoke(app, ["scan", str(terms[0]), "--json", str(js), "-o", str(xlsx), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "baseline" not in json.loads(js.read_text())["documents"][0]
    assert "Negotiated changes" not in [c.value for c in load_workbook(xlsx)["Summary"][1]]


def test_an_unreadable_baseline_stops_before_the_scan(fixture_file, terms, tmp_path):
    proc = run("scan", str(terms[1]), "--baseline", str(fixture_file("zero-bytes.pdf")), "--json",
               str(tmp_path / "f.json"), "--no-cache")
    assert proc.returncode == 3 and "Traceback" not in proc.stderr
    assert "the baseline template" in proc.stderr and "the file is empty" in proc.stderr
    assert not (tmp_path / "f.json").exists()


def test_a_value_that_appears_is_a_change_citing_the_number():
    from clausescan.diff import compare_findings
    from clausescan.models import Finding

    def cap(value, quote):
        return Finding("liability-cap", "concern", 7, "10.2", quote, value, "months" if value else None)
    old = [cap(None, "CORVID SHALL HAVE NO LIABILITY FOR CORRUPTED DATA.")]
    new = [cap(None, "CORVID SHALL HAVE NO LIABILITY FOR CORRUPTED DATA."), cap(12, "THE FEES PAID IN TWELVE MONTHS.")]
    (change,) = compare_findings(old, new)
    assert (change.label, change.old_values, change.new_values) == ("concern changed", [], ["12 months"])
    assert change.new.quote == "THE FEES PAID IN TWELVE MONTHS."


def test_unread_pages_are_named_next_to_the_comparison(fixture_file):
    partial = str(fixture_file("text-then-scanned-page.pdf"))
    result = runner.invoke(app, ["diff", partial, partial, "--ocr", "never", "--no-cache"])
    assert result.exit_code == 3
    assert "Pages 2 of the old version" in result.output and "may only be unread" in result.output
