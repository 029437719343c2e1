"""A reader stuck in C code never hands control back to Python, so the timer inside the worker
cannot stop it: the scan's parent process kills the worker (and the programs it started) once the
document is past its limit, the document becomes its "took too long" row, a new worker reads on,
and the other documents come out as they would have without it. For `scan` of many files, of one
file, and `check`."""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import subprocess
import time

import pytest
from typer.testing import CliRunner

import clausescan
from clausescan import pipeline
from clausescan.cli import app
from clausescan.limits import too_long_message
from clausescan.report.json import to_dict

CONTRACT = "1. Data\n1.1 Vendor shall not sell, rent or lease Agency Data to any person.\n"
LIMIT = 1   # seconds; the hang below lasts a minute
HANG_SECONDS = 60


def stuck_in_c(pids_file):
    """What a reader stuck in PDFium's parser does to its process, made deterministic: the worker's
    timer signal stays pending (as it does while C code runs) and the call does not return. It
    starts a program first, as OCR starts Tesseract, and writes down its own pid and that program's."""
    def hang() -> None:
        helper = subprocess.Popen(["sleep", str(HANG_SECONDS)])
        pids_file.write_text(f"{os.getpid()} {helper.pid}")
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        ctypes.CDLL(ctypes.util.find_library("c")).sleep(HANG_SECONDS)
    return hang


@pytest.fixture
def hanging_reader(monkeypatch, tmp_path):
    """pipeline.extract, stuck in C for a document whose file name holds "stuck"; the pids of the
    worker that read it and of the program it started, once it did."""
    pids_file = tmp_path / "stuck-pids"
    extract, hang = pipeline.extract, stuck_in_c(pids_file)

    def patched(path, *args, **kwargs):
        if "stuck" in os.path.basename(str(path)):
            hang()
        return extract(path, *args, **kwargs)
    monkeypatch.setattr(pipeline, "extract", patched)
    return lambda: [int(pid) for pid in pids_file.read_text().split()]


def assert_gone(pids) -> None:
    """Each process ended: no longer in /proc, or a zombie (this machine's init may reap it late)."""
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
                assert fh.read().rsplit(")", 1)[1].split()[0] == "Z", f"process {pid} still runs"
        except FileNotFoundError:
            pass


def others(result) -> list[dict]:
    return [d for d in to_dict(result)["documents"] if "stuck" not in os.path.basename(d["file"])]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_document_stuck_in_c_is_killed_by_the_parent_and_the_batch_goes_on(tmp_path, hanging_reader, workers):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a-msa.txt", "b-stuck.txt", "c-msa.txt", "d-msa.txt"):
        (folder / name).write_text(CONTRACT.replace("Agency", "Agency" if name != "c-msa.txt" else "City"))
    started = time.monotonic()
    result = clausescan.scan([folder], workers=workers, time_limit=LIMIT, cache=None)
    assert time.monotonic() - started < HANG_SECONDS / 3   # stopped, not waited for
    stuck = result.documents[1].document
    assert stuck.file.endswith("b-stuck.txt") and stuck.status == "error"
    assert stuck.error == too_long_message(LIMIT) and "--time-limit" in stuck.error
    assert_gone(hanging_reader())   # the worker and the program it started
    # the documents after it were read by a new worker, as they are without the stuck one
    (folder / "b-stuck.txt").unlink()
    assert others(result) == others(clausescan.scan([folder], workers=workers, time_limit=LIMIT, cache=None))
    assert [d["status"] for d in others(result)] == ["ok"] * 3


@pytest.mark.parametrize("command", ["scan", "check"])
def test_one_file_stuck_in_c_is_a_took_too_long_row_for_scan_and_check(tmp_path, hanging_reader, command):
    stuck = tmp_path / "stuck.txt"
    stuck.write_text(CONTRACT)
    started = time.monotonic()
    out = CliRunner().invoke(app, [command, str(stuck), "--no-cache", "--time-limit", str(LIMIT)])
    assert time.monotonic() - started < HANG_SECONDS / 3
    assert out.exit_code == 3, out.output
    assert "took too long" in out.output and "Traceback" not in out.output
    assert_gone(hanging_reader())


def test_without_a_time_limit_one_file_is_read_in_this_process(tmp_path, monkeypatch):
    read_in = []
    extract = pipeline.extract
    monkeypatch.setattr(pipeline, "extract", lambda *a, **k: read_in.append(os.getpid()) or extract(*a, **k))
    (tmp_path / "msa.txt").write_text(CONTRACT)
    assert clausescan.scan([tmp_path], time_limit=None, cache=None).documents[0].document.status == "ok"
    assert read_in == [os.getpid()]
