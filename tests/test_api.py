"""The Python API (issue 18 item 5): clausescan.scan() caches like the command line, Cache is
exported, and a ScanResult writes every output with the command line's own writers."""
from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import clausescan
from clausescan.cli import app
from clausescan.report import json as json_report

CONTRACT = "1. Data\n1.1 Vendor shall not sell, rent or lease Agency Data to any person.\n"


@pytest.fixture
def contracts(tmp_path) -> Path:
    folder = tmp_path / "contracts" / "town-of-elm"
    folder.mkdir(parents=True)
    (folder / "msa.txt").write_text(CONTRACT)
    return folder.parent


def entries(root: Path) -> list[Path]:
    return [p for p in root.rglob("*.json")] if root.exists() else []


def test_scan_caches_where_the_command_line_does_by_default(contracts):
    default = Path(os.environ["XDG_CACHE_HOME"]) / "clausescan"   # set for each test by conftest
    assert clausescan.Cache().root == default
    first = clausescan.scan([contracts], workers=1)
    assert entries(default), "the default scan wrote no cache entries"
    again = clausescan.scan([contracts], workers=1)
    assert json_report.dumps(again) == json_report.dumps(first)


@pytest.mark.parametrize("off", [None, False])
def test_cache_none_or_false_reads_and_writes_none(contracts, off):
    clausescan.scan([contracts], workers=1, cache=off)
    assert not entries(Path(os.environ["XDG_CACHE_HOME"]) / "clausescan")


def test_cache_may_be_a_folder_or_a_cache(contracts, tmp_path):
    clausescan.scan([contracts], workers=1, cache=tmp_path / "by-path")
    clausescan.scan([contracts], workers=1, cache=clausescan.Cache(tmp_path / "by-object"))
    assert entries(tmp_path / "by-path") and entries(tmp_path / "by-object")
    assert not entries(Path(os.environ["XDG_CACHE_HOME"]) / "clausescan")


def test_a_result_writes_every_output_as_the_command_line_does(contracts, tmp_path):
    result = clausescan.scan([contracts], workers=1)
    result.to_xlsx(tmp_path / "c.xlsx")
    result.to_json(tmp_path / "f.json")
    result.to_csv(tmp_path / "csv")
    result.to_findings_csv(tmp_path / "findings.csv")
    result.to_memo(tmp_path / "memo.md")
    result.to_memo(tmp_path / "memo.docx")
    result.to_memo(tmp_path / "memo-without-extension", format="md")
    assert zipfile.is_zipfile(tmp_path / "c.xlsx") and zipfile.is_zipfile(tmp_path / "memo.docx")
    assert (tmp_path / "f.json").read_text() == json_report.dumps(result)
    assert (tmp_path / "findings.csv").read_text() == (tmp_path / "csv" / "findings.csv").read_text()
    assert {p.name for p in (tmp_path / "csv").iterdir()} == {"findings.csv", "summary.csv", "towns.csv"}

    # the memo is the one `clausescan report` writes of the same findings file
    memo = CliRunner().invoke(app, ["report", str(tmp_path / "f.json"), "-o", str(tmp_path / "report.md")])
    assert memo.exit_code == 0, memo.output
    assert (tmp_path / "memo.md").read_text() == (tmp_path / "report.md").read_text()
    assert (tmp_path / "memo-without-extension").read_text() == (tmp_path / "memo.md").read_text()


def test_to_memo_refuses_a_name_that_says_another_format(contracts, tmp_path):
    result = clausescan.scan([contracts], workers=1)
    with pytest.raises(clausescan.errors.UsageError, match="the name says a workbook"):
        result.to_memo(tmp_path / "memo.xlsx")
    assert not (tmp_path / "memo.xlsx").exists()


def test_to_json_dash_prints_the_findings(contracts, capsys):
    clausescan.scan([contracts], workers=1).to_json("-")
    assert json.loads(capsys.readouterr().out)["documents"][0]["findings"][0]["rule"] == "data-sale"


def test_findings_frame_carries_agency_title_severity_and_trigger(contracts):
    result = clausescan.scan([contracts], workers=1)
    frame = result.findings_frame()
    for column in ("agency", "title", "severity", "trigger"):
        assert column in frame.columns
    row = frame.iloc[0]
    rule = next(r for r in result.rules if r.id == row["rule"])
    assert row["agency"] == "town-of-elm"   # no agency named in the text: its folder
    assert (row["title"], row["severity"]) == (rule.title_for(row["polarity"]), rule.severity)   # the title for its polarity
    assert row["trigger"] and row["trigger"].lower() in row["quote"].lower()
