"""The command line, driven in-process with typer's CliRunner and, for exit codes, as a process."""
from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from clausescan.cli import app

runner = CliRunner()
CONTRACT = "1. Data\n1.1 Vendor shall not sell, rent or lease Agency Data to any person.\n"


def test_scan_writes_every_output(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "msa.txt").write_text(CONTRACT)
    out = tmp_path / "out"
    result = runner.invoke(app, ["scan", str(tmp_path / "in"), "-o", str(out / "c.xlsx"), "--json",
                                 str(out / "f.json"), "--csv", str(out / "csv")])
    assert result.exit_code == 0, result.output
    assert "1 safeguard," in result.output
    data = json.loads((out / "f.json").read_text())
    assert data["documents"][0]["findings"][0]["polarity"] == "safeguard"
    assert (out / "c.xlsx").stat().st_size > 0 and (out / "csv" / "summary.csv").exists()


def test_scan_exit_code_says_a_file_was_unreadable(tmp_path):
    (tmp_path / "good.txt").write_text(CONTRACT)
    (tmp_path / "empty.pdf").write_bytes(b"")
    result = runner.invoke(app, ["scan", str(tmp_path), "--json", str(tmp_path / "f.json")])
    assert result.exit_code == 3
    assert "empty.pdf: not read: the file is empty" in result.output
    assert len(json.loads((tmp_path / "f.json").read_text())["documents"]) == 2


def run(*args):
    return subprocess.run([sys.executable, "-m", "clausescan", *args], capture_output=True, text=True)


def test_missing_path_is_a_usage_error_with_one_line():
    proc = run("scan", "/no/such/contract.pdf")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "Error: no such file or folder: /no/such/contract.pdf; check the path and try again."


def test_invalid_rules_are_a_usage_error_naming_the_file(tmp_path):
    (tmp_path / "bad.yaml").write_text("id: bad\n")
    (tmp_path / "c.txt").write_text(CONTRACT)
    proc = run("scan", str(tmp_path / "c.txt"), "--rules", str(tmp_path))
    assert proc.returncode == 2 and str(tmp_path / "bad.yaml") in proc.stderr and "Traceback" not in proc.stderr


def test_rules_list_and_show():
    listing = runner.invoke(app, ["rules", "list"])
    assert listing.exit_code == 0 and "data-sale" in listing.output
    shown = runner.invoke(app, ["rules", "show", "data-sale"])
    assert shown.exit_code == 0 and "Matches:" in shown.output and "[safeguard]" in shown.output


WIDGET_RULE = """\
id: widget
title: Widget rule
category: testing
severity: low
why: A small rule, to check what rules test reports of its examples.
patterns:
  - name: widget
    polarity: concern
    trigger: ["widget"]
examples:
  match:
    - text: "{match}"
      polarity: concern
  no_match:
    - "Nothing here."
"""
WIDGET_TODO = """\
  todo:
    - text: "{todo}"
      polarity: concern
      note: the rule does not know the plural yet
"""


def widget_rule(match: str = "The Vendor sells a widget.", todo: str | None = None) -> str:
    return WIDGET_RULE.format(match=match) + (WIDGET_TODO.format(todo=todo) if todo is not None else "")


def test_rules_test_reports_a_failing_example(tmp_path):
    (tmp_path / "r.yaml").write_text(widget_rule(match="The Vendor sells gadgets."))
    result = runner.invoke(app, ["rules", "test", str(tmp_path), "--rule", "widget"])
    assert result.exit_code == 4 and "FAIL widget match" in result.output and "1 passed, 1 failed" in result.output


def test_rules_test_counts_a_known_miss_and_flags_it_once_fixed(tmp_path):
    (tmp_path / "r.yaml").write_text(widget_rule(todo="The Vendor sells gizmos."))
    missed = runner.invoke(app, ["rules", "test", str(tmp_path), "--rule", "widget"])
    assert missed.exit_code == 0 and "2 passed, 0 failed (1 known misses)" in missed.output
    shown = runner.invoke(app, ["rules", "show", "widget", "--rules", str(tmp_path)])
    assert "Known misses" in shown.output and "does not know the plural" in shown.output

    (tmp_path / "r.yaml").write_text(widget_rule(todo="The Vendor sells a widget too."))
    fixed = runner.invoke(app, ["rules", "test", str(tmp_path), "--rule", "widget"])
    assert fixed.exit_code == 4 and "FAIL widget todo" in fixed.output and "now found" in fixed.output


def test_a_todo_example_needs_a_note(tmp_path):
    (tmp_path / "r.yaml").write_text(widget_rule(todo="x").replace(
        "      note: the rule does not know the plural yet\n", ""))
    proc = run("rules", "test", str(tmp_path))
    assert proc.returncode == 2 and "todo" in proc.stderr and "note" in proc.stderr and "Traceback" not in proc.stderr


def test_help_lists_the_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0 and "scan" in result.output and "rules" in result.output
