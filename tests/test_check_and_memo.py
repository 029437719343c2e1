"""`clausescan check` (one contract in the terminal) and `clausescan report` (the memo)."""
from __future__ import annotations

import docx
from typer.testing import CliRunner

from clausescan.cli import app

runner = CliRunner()
CONTRACT = """MASTER SERVICES AGREEMENT
This Agreement is made between Acme Plate Systems, Inc. ("Vendor") and the Town of Millbrook ("Agency").
4. DATA
4.1 Vendor may sell Agency Data to its commercial partners.
4.2 Vendor shall not sell Agency Data to insurers.
"""


def make_findings(tmp_path):
    (tmp_path / "millbrook").mkdir()
    (tmp_path / "millbrook" / "msa.txt").write_text(CONTRACT)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7 truncated")
    out = tmp_path / "findings.json"
    result = runner.invoke(app, ["scan", str(tmp_path / "millbrook"), str(tmp_path / "broken.pdf"), "--json",
                                 str(out)])
    assert result.exit_code == 3
    return out


def test_check_groups_concerns_first_with_citations(tmp_path):
    (tmp_path / "msa.txt").write_text(CONTRACT)
    result = runner.invoke(app, ["check", str(tmp_path / "msa.txt")])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.index("CONCERNS") < out.index("SAFEGUARDS") < out.index("MISSING SAFEGUARDS")
    assert "p. 1, § 4.1" in out and "Vendor may sell Agency Data to its commercial partners." in out
    assert "every page read" in out and "immigration-enforcement" in out
    assert "\x1b[" not in out   # plain text when not writing to a terminal


def test_check_says_plainly_when_a_file_was_not_read(tmp_path):
    (tmp_path / "empty.pdf").write_bytes(b"")
    result = runner.invoke(app, ["check", str(tmp_path / "empty.pdf")])
    assert result.exit_code == 3 and "NOT READ: the file is empty" in result.output


def test_markdown_memo_cites_each_concern(tmp_path):
    findings = make_findings(tmp_path)
    result = runner.invoke(app, ["report", str(findings), "--format", "md", "-o", str(tmp_path / "memo.md")])
    assert result.exit_code == 0, result.output
    memo = (tmp_path / "memo.md").read_text()
    assert "“Vendor may sell Agency Data to its commercial partners.” (Town of Millbrook, Master Services " \
           "Agreement, p. 1, § 4.1)" in memo
    # missing safeguards by their plain titles, never by rule id
    # (worded as the safeguard that is missing)
    assert "### Missing safeguards" in memo and "- The data may not be used for immigration enforcement" in memo
    assert "- immigration-enforcement" not in memo
    # the executive summary with the counts comes first, and the safeguards are there as model language
    assert memo.index("## Summary") < memo.index("## Town of Millbrook")
    assert "- 2 of 2 towns have no clause forbidding sharing with immigration authorities." in memo
    assert "### Safeguards: model language" in memo and "“Vendor shall not sell Agency Data to insurers.”" in memo
    assert "could not be fully read" in memo and "broken.pdf" in memo
    assert "not read: " in memo
    assert str(tmp_path) not in memo     # no path of the scanning machine


def test_memo_quotes_each_sentence_once_with_every_rule_it_bears_on(tmp_path):
    import json

    findings = make_findings(tmp_path)
    data = json.loads(findings.read_text())
    msa = data["documents"][0]
    first = next(f for f in msa["findings"] if f["polarity"] == "concern")
    msa["findings"].append({**first, "rule": "derived-data-use"})   # the same sentence under a second rule
    findings.write_text(json.dumps(data))
    result = runner.invoke(app, ["report", str(findings), "--format", "md", "-o", str(tmp_path / "memo.md")])
    assert result.exit_code == 0, result.output
    memo = (tmp_path / "memo.md").read_text()
    assert memo.count(f"“{first['quote']}”") == 1
    (line,) = [x for x in memo.splitlines() if first["quote"] in x]
    label = line.split("**")[1]
    assert "The vendor may sell or monetize the data" in label and "The vendor may reuse the data for its own" in label


def test_docx_memo_has_summary_towns_page_numbers_and_methods(tmp_path):
    findings = make_findings(tmp_path)
    result = runner.invoke(app, ["report", str(findings), "-o", str(tmp_path / "memo.docx")])
    assert result.exit_code == 0, result.output
    memo = docx.Document(str(tmp_path / "memo.docx"))
    text = "\n".join(p.text for p in memo.paragraphs)
    assert "Vendor may sell Agency Data to its commercial partners." in text
    assert "Method." in text and "clausescan" in text
    assert text.index("towns have no clause") < text.index("Town of Millbrook")
    counts = memo.tables[0]
    titles = [row.cells[0].text for row in counts.rows]
    assert titles[0] == "Rule" and "The vendor may sell or monetize the data" in titles
    assert "Which state's law governs the contract" not in titles   # a stated fact has no "neither"
    hashes = memo.tables[1]
    assert any(len(row.cells[1].text) == 64 for row in hashes.rows[1:])
    footer = memo.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "NUMPAGES" in footer


def test_report_rejects_a_file_that_is_not_findings(tmp_path):
    (tmp_path / "x.json").write_text("[1, 2]")
    result = runner.invoke(app, ["report", str(tmp_path / "x.json"), "-o", str(tmp_path / "m.md")])
    assert result.exit_code != 0


LONG_QUOTE = ("Vendor may sell Agency Data to its commercial partners, including data brokers, insurers, "
              "repossession companies and any other buyer that Vendor selects in its sole discretion.")


def test_check_keeps_each_quote_on_one_whole_line_when_piped(tmp_path):
    (tmp_path / "msa.txt").write_text(f"4. DATA\n4.1 {LONG_QUOTE}\n")
    result = runner.invoke(app, ["check", str(tmp_path / "msa.txt")])   # CliRunner output is not a tty
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert f"    “{LONG_QUOTE}”" in lines and "    p. 1, § 4.1" in lines
    assert not any(line != line.rstrip() for line in lines)   # no padding out to 80 columns


def test_check_wraps_quotes_to_the_width_of_a_terminal(tmp_path):
    import io

    from rich.console import Console

    import clausescan
    from clausescan.report.check import render

    (tmp_path / "msa.txt").write_text(f"4. DATA\n4.1 {LONG_QUOTE}\n")
    result = clausescan.scan([tmp_path / "msa.txt"], cache=None)
    screen = io.StringIO()
    render(result.documents[0], result.rules, Console(file=screen, width=60, highlight=False))
    lines = screen.getvalue().splitlines()
    assert max(len(line) for line in lines) <= 60
    quote = [line.strip() for line in lines[lines.index(next(x for x in lines if "“Vendor may sell" in x)):]]
    assert " ".join(quote).startswith(f"“{LONG_QUOTE}”")   # wrapped, not cut
    assert all(line.startswith("    ") for line in lines if "insurers" in line or "discretion" in line)
