"""One document never takes the batch down: a bug, a crash of the worker process, a document over
its time or memory limit, or text longer than spaCy accepts each become that document's row, and
every report of the other documents is still written."""
from __future__ import annotations

import csv
import json
import os
import time

import openpyxl
import pytest
from typer.testing import CliRunner

import clausescan
from clausescan import pipeline
from clausescan.cli import app
from clausescan.nlp import MAX_PIECE_CHARS, get_nlp, sentence_pieces

CONTRACT = "1. Data\n1.1 Vendor shall not sell, rent or lease Agency Data to any person.\n"
# one endless "sentence" of numbering and brackets, full of the words rules look for
DUMP_UNIT = "[(1.1.1)] the vendor may sell, license or share agency data and retain it for thirty (30) days; "


def dump_text(length: int = 1_000_033) -> str:
    return (DUMP_UNIT * (length // len(DUMP_UNIT) + 1))[:length]


def test_no_piece_sent_to_spacy_exceeds_its_limit():
    text = dump_text()
    pieces = sentence_pieces(text)
    assert max(len(p) for _, p in pieces) <= MAX_PIECE_CHARS < get_nlp().max_length
    assert "".join(p for _, p in pieces) == text                       # nothing lost or moved
    assert all(text[offset:offset + len(p)] == p for offset, p in pieces)
    glued = sentence_pieces("Vendor shall " + "(" * 2000)[0][1]
    assert len(glued) == 2013 and max(len(w) for w in glued.split()) <= 300   # same length, runs broken


def test_a_million_character_sentence_is_read_and_the_batch_reports_written(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    # a contract whose text was extracted as one endless "sentence", so that it is judged, and matched
    (folder / "dump.txt").write_text("SERVICES AGREEMENT\n\nThis Agreement is made by and between Vendor, Inc. and "
                                     "the City of Alder.\n\n1. Data. The Vendor shall keep the data secure.\n\n"
                                     + dump_text())
    (folder / "msa.txt").write_text(CONTRACT)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["scan", str(folder), "--no-cache", "--workers", "2", "-o", str(out / "c.xlsx"),
                                      "--json", str(out / "f.json"), "--csv", str(out / "csv")])
    assert result.exit_code == 0, result.output
    docs = {os.path.basename(d["file"]): d for d in json.loads((out / "f.json").read_text())["documents"]}
    assert docs["dump.txt"]["status"] == "ok" and docs["dump.txt"]["findings"]
    assert docs["msa.txt"]["findings"][0]["polarity"] == "safeguard"
    assert openpyxl.load_workbook(out / "c.xlsx")["Summary"].max_row >= 3
    assert len(list(csv.DictReader((out / "csv" / "summary.csv").open()))) == 2


def _fail_on(marker: str, action):
    """pipeline.extract, but `action()` first for the document whose name holds `marker`."""
    extract = pipeline.extract

    def patched(path, *args, **kwargs):
        if marker in str(path):
            action()
        return extract(path, *args, **kwargs)
    return patched


def _batch(tmp_path, *bad_names):
    tmp_path.mkdir(exist_ok=True)
    for name in ("a-msa.txt", *bad_names, "z-msa.txt"):
        (tmp_path / name).write_text(CONTRACT)
    return tmp_path


def _by_name(result):
    return {os.path.basename(d.document.file): d.document for d in result.documents}


def _raise():
    raise ValueError("a bug in a reader")


@pytest.mark.parametrize("workers", [1, 2])
def test_an_exception_on_one_document_is_its_error_row(tmp_path, monkeypatch, workers):
    monkeypatch.setattr(pipeline, "extract", _fail_on("buggy", _raise))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["scan", str(_batch(tmp_path / "in", "buggy.txt")), "--no-cache",
                                      "--workers", str(workers), "--json", str(out / "f.json"), "-o", str(out / "c.xlsx")])
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    docs = {os.path.basename(d["file"]): d for d in json.loads((out / "f.json").read_text())["documents"]}
    assert docs["buggy.txt"]["status"] == "error"
    assert docs["buggy.txt"]["error"] == ("clausescan failed on this document because of a bug; please report it "
                                          "with the file.")
    assert [docs[n]["status"] for n in ("a-msa.txt", "z-msa.txt")] == ["ok", "ok"]
    assert (out / "c.xlsx").exists()


def test_a_worker_process_that_dies_costs_only_its_document(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "extract", _fail_on("crash", lambda: os._exit(9)))
    result = clausescan.scan([_batch(tmp_path, "crash.txt", "m-msa.txt")], workers=2, cache=None)
    docs = _by_name(result)
    assert list(docs) == ["a-msa.txt", "crash.txt", "m-msa.txt", "z-msa.txt"]
    assert docs["crash.txt"].status == "error" and docs["crash.txt"].error == pipeline.CRASHED
    assert all(docs[n].status == "ok" for n in ("a-msa.txt", "m-msa.txt", "z-msa.txt"))


@pytest.mark.parametrize("workers", [1, 2])
def test_a_document_over_its_time_limit_is_a_took_too_long_row(tmp_path, monkeypatch, workers):
    monkeypatch.setattr(pipeline, "extract", _fail_on("slow", lambda: time.sleep(30)))
    started = time.monotonic()
    # no cache: the documents have one text, so the others' cached result would stand for it
    docs = _by_name(clausescan.scan([_batch(tmp_path, "slow.txt")], workers=workers, time_limit=8, cache=None))
    assert time.monotonic() - started < 28   # stopped, not waited for
    assert docs["slow.txt"].status == "error" and docs["slow.txt"].error.startswith("took too long")
    assert "--time-limit" in docs["slow.txt"].error
    assert docs["a-msa.txt"].status == docs["z-msa.txt"].status == "ok"


@pytest.mark.parametrize("workers", [1, 2])
def test_a_document_over_its_memory_limit_is_a_too_large_row(tmp_path, monkeypatch, workers):
    monkeypatch.setattr(pipeline, "extract", _fail_on("huge", lambda: bytearray(600 * 1024 * 1024)))
    docs = _by_name(clausescan.scan([_batch(tmp_path, "huge.txt")], workers=workers, memory_limit=200, cache=None))
    assert docs["huge.txt"].status == "error" and docs["huge.txt"].error.startswith("too large")
    assert "200 MB" in docs["huge.txt"].error
    assert docs["a-msa.txt"].status == docs["z-msa.txt"].status == "ok"
    bytearray(600 * 1024 * 1024)   # the limit was lifted afterwards
