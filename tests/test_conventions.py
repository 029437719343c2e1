"""The command line's conventions (issue 18 item 4) and its one error contract (issue 15): the
format follows the output's name, `-` is stdout for text, -h/--version/-v everywhere, help without
Python types, files made with the user's umask, the progress bar, the empty scan, Ctrl-C, and one
handler mapping errors to exit codes."""
from __future__ import annotations

import io
import json
import multiprocessing
import os
import signal
import zipfile
from pathlib import Path

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from clausescan import pipeline
from clausescan.cli import app
from clausescan.errors import ExitCode, UsageError
from clausescan.options import ScanOptions
from clausescan.report import terminal
from clausescan.report.atomic import write_text
from clausescan.rules.engine import CompiledLibrary
from clausescan.rules.loader import load_rules

runner = CliRunner()
CONTRACT = "1. Data\n1.1 Vendor shall not sell, rent or lease Agency Data to any person.\n"


@pytest.fixture
def contract(tmp_path) -> Path:
    (tmp_path / "town-a").mkdir()
    path = tmp_path / "town-a" / "msa.txt"
    path.write_text(CONTRACT)
    return path


def scan(*args):
    return runner.invoke(app, ["scan", *map(str, args)])


def one_line_error(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


# --- the format follows the name -------------------------------------------------------------

def test_scan_output_format_follows_the_extension(contract, tmp_path):
    for name in ("out.xlsx", "out.json", "out.csv"):
        assert scan(contract, "-o", tmp_path / name).exit_code == 0
    assert zipfile.is_zipfile(tmp_path / "out.xlsx")
    assert json.loads((tmp_path / "out.json").read_text())["documents"][0]["file"] == str(contract)
    header, row = (tmp_path / "out.csv").read_text().splitlines()[:2]
    assert header.startswith("file,page,section,rule,polarity") and "data-sale,safeguard" in row


def test_a_name_that_says_another_format_is_refused_before_the_scan(contract, tmp_path):
    for args in (["-o", tmp_path / "out.txt"], ["-o", tmp_path / "out.docx"], ["--json", tmp_path / "f.xlsx"]):
        result = scan(contract, *args)
        assert result.exit_code == ExitCode.usage
        assert str(args[1]) in one_line_error(result)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["town-a"]   # nothing written


def test_report_format_follows_the_extension_or_refuses_a_mismatch(contract, tmp_path):
    assert scan(contract, "--json", tmp_path / "f.json").exit_code == 0
    assert runner.invoke(app, ["report", str(tmp_path / "f.json"), "-o", str(tmp_path / "memo.md")]).exit_code == 0
    assert (tmp_path / "memo.md").read_text().startswith("# ")   # Markdown, not a Word file
    assert runner.invoke(app, ["report", str(tmp_path / "f.json"), "-o", str(tmp_path / "memo.docx")]).exit_code == 0
    assert zipfile.is_zipfile(tmp_path / "memo.docx")
    mismatch = runner.invoke(app, ["report", str(tmp_path / "f.json"), "-o", str(tmp_path / "m.md"),
                                   "--format", "docx"])
    assert mismatch.exit_code == ExitCode.usage and "--format" in one_line_error(mismatch)
    assert not (tmp_path / "m.md").exists()


# --- '-' is stdout, for text formats only ----------------------------------------------------

def test_dash_writes_text_to_stdout_and_the_summary_to_stderr(contract, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = scan(contract, "--json", "-")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["documents"][0]["findings"][0]["rule"] == "data-sale"
    assert "1 safeguard" in result.stderr and "scanned 1 document" in result.stderr
    csv_result = scan(contract, "--csv", "-", "-q")
    assert csv_result.stdout.startswith("file,page,section,rule") and csv_result.stderr == ""
    assert scan(contract, "-o", "-").exit_code == ExitCode.usage   # a workbook, JSON or CSV? the name must say
    scan(contract, "--json", "findings.json", "-q")
    memo = runner.invoke(app, ["report", "findings.json", "-o", "-"])
    assert memo.exit_code == 0 and memo.stdout.startswith("# ") and "wrote" not in memo.output
    assert not (tmp_path / "-").exists()


def test_dash_is_refused_for_binary_formats_and_twice(contract, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    scan(contract, "--json", "findings.json", "-q")
    docx = runner.invoke(app, ["report", "findings.json", "-o", "-", "--format", "docx"])
    assert docx.exit_code == ExitCode.usage and "stdout" in one_line_error(docx)
    diff = runner.invoke(app, ["diff", str(contract), str(contract), "-o", "-"])
    assert diff.exit_code == ExitCode.usage and "stdout" in one_line_error(diff)
    both = scan(contract, "--json", "-", "--csv", "-")
    assert both.exit_code == ExitCode.usage and "only one output" in one_line_error(both)
    assert not (tmp_path / "-").exists()


# --- -h, --version, help ---------------------------------------------------------------------

def all_commands() -> list[list[str]]:
    group = typer.main.get_command(app)
    names = []
    for name in group.list_commands(None):
        command = group.get_command(None, name)
        sub = getattr(command, "list_commands", None)
        names += [[name, s] for s in sub(None)] if sub else [[name]]
    return names


def test_every_command_has_short_help_version_and_examples_without_python_types():
    commands = all_commands()
    assert ["scan"] in commands and ["rules", "test"] in commands
    for command in [[], *commands]:   # the program itself too
        shown = runner.invoke(app, [*command, "-h"])
        assert shown.exit_code == 0 and "Usage: " in shown.output, command
        assert "Example" in shown.output, command
        for python_type in ("<path>", "<list[", "<int", "<str>", "<float", "<bool>", "<Path>"):
            assert python_type not in shown.output, (command, python_type)
        version = runner.invoke(app, [*command, "--version"])
        assert version.exit_code == 0 and version.output.strip() == "clausescan 0.1.0", command
    assert runner.invoke(app, ["--version"]).output.strip() == "clausescan 0.1.0"


# --- files made with the user's umask --------------------------------------------------------

@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_outputs_get_the_mode_the_umask_gives(contract, tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        write_text(tmp_path / "note.md", "text")
        assert scan(contract, "-o", tmp_path / "c.xlsx", "--csv", tmp_path / "csv", "-q").exit_code == 0
    finally:
        os.umask(old)
    for path in (tmp_path / "note.md", tmp_path / "c.xlsx", tmp_path / "csv" / "findings.csv"):
        assert path.stat().st_mode & 0o777 == mode, path


# --- progress and totals ---------------------------------------------------------------------

def test_progress_names_the_document_being_read_and_knows_the_total(tmp_path):
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(CONTRACT)
    updates = []
    pipeline.scan([tmp_path], workers=1, progress=updates.append)
    names = [str(tmp_path / n) for n in ("a.txt", "b.txt", "c.txt")]
    assert [(u.done, u.total, u.reading) for u in updates] == [(0, 3, names[0]), (1, 3, names[1]), (2, 3, names[2]),
                                                              (3, 3, None)]
    assert [u.result.document.file for u in updates[1:]] == names

    bar = terminal.ProgressBar(Console(file=io.StringIO(), force_terminal=True, width=200))
    for update in updates[:2]:
        bar(update)
    shown = Console(file=io.StringIO(), width=200, record=True)
    shown.print(bar.bar.get_renderable())
    row = shown.export_text()
    assert "1/3" in row and "33%" in row and "1 page " in row and f"reading {names[1][-50:]}" in row


def test_a_scan_ends_with_a_totals_line(contract, tmp_path):
    (tmp_path / "town-a" / "empty.pdf").write_bytes(b"")
    result = scan(tmp_path / "town-a")
    assert result.exit_code == ExitCode.files_unreadable
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("scanned 2 documents, 1 page in ") and last.endswith("1 read, 0 partly read, 1 not read")


# --- the empty scan --------------------------------------------------------------------------

def test_an_empty_scan_is_a_usage_error_and_writes_nothing(tmp_path):
    (tmp_path / "empty").mkdir()
    result = scan(tmp_path / "empty", "-o", tmp_path / "empty.xlsx")
    assert result.exit_code == ExitCode.usage
    assert "no contract files to read in" in one_line_error(result) and "empty" in result.stderr
    assert not (tmp_path / "empty.xlsx").exists()

    (tmp_path / "empty" / "tool.py").write_text("print(1)\n")   # skipped by default
    skipped = scan(tmp_path / "empty", "--json", tmp_path / "f.json")
    assert skipped.exit_code == ExitCode.usage and "--include" in one_line_error(skipped)
    assert not (tmp_path / "f.json").exists()


# --- Ctrl-C ----------------------------------------------------------------------------------

def interrupt(*args, **kwargs):
    raise KeyboardInterrupt


def test_ctrl_c_says_the_cache_keeps_the_progress(contract, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "scan", interrupt)
    result = scan(contract, "--cache-dir", tmp_path / "cache", "-o", tmp_path / "c.xlsx")
    assert result.exit_code == ExitCode.interrupted == 130
    (line,) = result.stderr.strip().splitlines()
    assert "cache" in line and str(tmp_path / "cache") in line and "again to resume" in line
    uncached = scan(contract, "--no-cache")
    assert uncached.exit_code == 130 and "--no-cache" in uncached.stderr and "resume" not in uncached.stderr
    assert not (tmp_path / "c.xlsx").exists()


def test_a_scan_stopped_early_stops_its_worker_processes(tmp_path):
    for name in ("a.txt", "b.txt", "c.txt", "d.txt"):
        (tmp_path / name).write_text(CONTRACT)
    inputs = [pipeline.Input(str(p), path=p) for p in sorted(tmp_path.iterdir())]
    before = set(multiprocessing.active_children())
    results = pipeline._run_in_pool(inputs, CompiledLibrary(load_rules()), ScanOptions(workers=2, time_limit=None))
    assert next(results).document.file == str(tmp_path / "a.txt")
    workers = set(multiprocessing.active_children()) - before
    assert len(workers) == 2
    results.close()   # what Ctrl-C in the scan's loop does to the pool
    for worker in workers:
        worker.join(60)   # a bound for a broken run only: terminated workers end at once
        if worker.exitcode is None:   # reaped first by the executor's own thread: its status went with it
            with pytest.raises(ProcessLookupError):
                os.kill(worker.pid, 0)
        else:
            assert worker.exitcode == -signal.SIGTERM   # stopped, not left to finish and exit 0


# --- one error handler -----------------------------------------------------------------------

def test_a_bug_is_one_line_and_exit_1_and_v_adds_the_traceback(contract, monkeypatch):
    def bug(*args, **kwargs):
        raise RuntimeError("an invariant broke")
    monkeypatch.setattr(pipeline, "scan", bug)
    quiet = scan(contract)
    assert quiet.exit_code == ExitCode.internal == 1
    assert "because of a bug (RuntimeError: an invariant broke)" in one_line_error(quiet)
    for args in (["scan", str(contract), "-v"], ["-v", "scan", str(contract)], ["scan", "--verbose", str(contract)]):
        loud = runner.invoke(app, args)
        assert loud.exit_code == 1 and "Traceback (most recent call last)" in loud.stderr, args
        assert loud.stderr.strip().splitlines()[-1].startswith("Error: clausescan stopped because of a bug")


def test_typed_errors_keep_their_codes_and_v_shows_their_cause(tmp_path):
    (tmp_path / "f.json").write_text("{not json")
    result = runner.invoke(app, ["report", str(tmp_path / "f.json"), "-o", str(tmp_path / "m.md")])
    assert result.exit_code == UsageError.exit_code and "is not a findings file" in one_line_error(result)
    verbose = runner.invoke(app, ["report", str(tmp_path / "f.json"), "-o", str(tmp_path / "m.md"), "-v"])
    assert verbose.exit_code == 2 and "JSONDecodeError" in verbose.stderr and "Traceback" in verbose.stderr


def test_check_exits_3_on_a_partly_read_document(fixture_file):
    result = runner.invoke(app, ["check", str(fixture_file("text-then-scanned-page.pdf")), "--ocr", "never"])
    assert result.exit_code == ExitCode.files_unreadable


def test_v_prints_the_notes_and_the_json_keeps_them(contract, tmp_path, monkeypatch):
    def reader_bug(*args, **kwargs):   # a bug while reading one document: its error row keeps the detail
        raise ValueError("unexpected token in the page tree")
    monkeypatch.setattr(pipeline, "read_document", reader_bug)
    quiet = scan(contract, "--json", tmp_path / "f.json")
    assert quiet.exit_code == ExitCode.files_unreadable and "note on" not in quiet.output
    (document,) = json.loads((tmp_path / "f.json").read_text())["documents"]
    assert document["status"] == "error" and document["notes"] == ["ValueError: unexpected token in the page tree"]
    expected = f"note on {contract}: ValueError: unexpected token in the page tree"
    assert expected in scan(contract, "-v").stdout
    assert expected in runner.invoke(app, ["check", str(contract), "-v"]).stdout
