"""Scans on a Dask cluster (scan(..., dask=...), `scan --dask`): the same findings JSON as a local
run, the rule library compiled once per worker, and one-line errors when Dask cannot be used."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading

import distributed
import pytest
from typer.testing import CliRunner

import clausescan
from clausescan import cluster
from clausescan.cache import Cache
from clausescan.cli import app
from clausescan.errors import ClusterError, ExitCode, UsageError
from clausescan.pipeline import Input
from clausescan.report.json import dumps

FIXTURES = ["clause-across-page-break.pdf", "numbered-sections.pdf", "body-order.docx", "prose-terms.txt",
            "truncated.pdf"]


@pytest.fixture(scope="module")
def dask_cluster():
    """Two single-threaded in-process workers: starts in well under a second."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as local_cluster:
        yield local_cluster


@pytest.fixture
def contracts(fixture_file, tmp_path):
    folder = tmp_path / "contracts"
    folder.mkdir()
    for name in FIXTURES:
        shutil.copy(fixture_file(name), folder / name)
    return folder


def test_dask_scan_is_identical_to_a_local_scan(dask_cluster, contracts, monkeypatch):
    compiled = []

    class CountingLibrary(cluster.CompiledLibrary):
        def __init__(self, *args):
            compiled.append(1)
            super().__init__(*args)

    monkeypatch.setattr(cluster, "CompiledLibrary", CountingLibrary)
    monkeypatch.setattr(cluster, "_COMPILED", {})
    arrived, sent = [], []
    local = clausescan.scan([contracts], workers=1)
    with distributed.Client(dask_cluster) as client:
        submit = client.submit
        monkeypatch.setattr(client, "submit", lambda fn, *args, **kw: sent.append(args[0]) or submit(fn, *args, **kw))
        remote = clausescan.scan([contracts], dask=client, progress=lambda p: p.result and arrived.append(p.result.document.file))
        assert client.status == "running"   # the caller's client is left open
    # workers need not see the client's files: each document travels as its bytes, without its path
    documents = [item for item in sent if isinstance(item, Input)]
    assert all(item.path is None for item in documents)
    assert {item.name: item.data for item in documents} == {str(p): p.read_bytes() for p in contracts.iterdir()}
    assert dumps(remote) == dumps(local)
    assert [d.document.file for d in local.documents] == arrived
    assert {d.document.status for d in remote.documents} == {"ok", "error"}
    assert len(compiled) == 1   # once per worker process (both workers share this one), not per document


def test_workers_fill_the_cache_and_a_rescan_reads_it(dask_cluster, contracts, tmp_path):
    cache = Cache(tmp_path / "cache")
    first = clausescan.scan([contracts], dask=dask_cluster.scheduler_address, cache=cache)
    stored = list((tmp_path / "cache" / "results").rglob("*.json"))
    assert len(stored) == len(FIXTURES) - 1   # every document but the unreadable one
    again = clausescan.scan([contracts], workers=1, cache=cache)
    assert dumps(again) == dumps(first)


def test_an_adaptive_cluster_scaled_to_zero_grows_for_the_scan(fixture_file):
    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=":0") as empty:
        empty.adapt(minimum=0, maximum=1, interval="100ms")
        results = []
        scanning = threading.Thread(target=lambda: results.append(
            clausescan.scan([fixture_file("prose-terms.txt")], dask=empty.scheduler_address)), daemon=True)
        scanning.start()
        scanning.join(timeout=30)   # waiting for a worker before sending any task would hang here
        assert results and results[0].documents[0].document.status == "ok"


def test_cli_dask_writes_the_same_json_as_a_local_run(dask_cluster, contracts, tmp_path):
    runner = CliRunner()
    outputs = {}
    for mode, extra in (("local", ["--workers", "1"]), ("dask", ["--dask", dask_cluster.scheduler_address])):
        out = tmp_path / f"{mode}.json"
        result = runner.invoke(app, ["scan", str(contracts), "--json", str(out), "--no-cache", "-q", *extra])
        assert result.exit_code == ExitCode.files_unreadable, result.output   # truncated.pdf is unreadable
        outputs[mode] = json.loads(out.read_text())
    assert outputs["dask"] == outputs["local"]
    assert len(outputs["dask"]["documents"]) == len(FIXTURES)


def test_workers_and_dask_together_is_a_usage_error(contracts):
    result = CliRunner().invoke(app, ["scan", str(contracts), "--dask", "tcp://127.0.0.1:8786", "--workers", "2"])
    assert result.exit_code == UsageError.exit_code and "cannot be used together" in result.stderr


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_scheduler_is_one_line_and_exit_code_2(contracts):
    address = f"tcp://127.0.0.1:{_closed_port()}"
    proc = subprocess.run([sys.executable, "-m", "clausescan", "scan", str(contracts), "--dask", address],
                          capture_output=True, text=True,
                          env={**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "0.3s"})
    assert proc.returncode == ExitCode.usage
    assert proc.stderr.startswith(f"Error: cannot reach the Dask scheduler at {address} (")
    assert proc.stderr.strip().endswith("check the address and that the scheduler is running.")
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_without_dask_installed_the_error_says_what_to_install(contracts, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)   # import distributed -> ImportError
    with pytest.raises(ClusterError, match=r"install it with pip install 'clausescan\[dask\]'"):
        clausescan.scan([contracts], dask="tcp://127.0.0.1:8786")


@pytest.mark.parametrize("installed, expected", [
    ("no-such-distribution", "does not have clausescan installed"),
    ("distributed", "runs clausescan 20"),   # another package's version number stands for another release
])
def test_a_worker_without_this_clausescan_is_named_before_any_work(dask_cluster, contracts, monkeypatch,
                                                                   installed, expected):
    monkeypatch.setattr(cluster, "DISTRIBUTION", installed)
    with pytest.raises(ClusterError, match=rf"^the Dask worker at \S+://\S+ {expected}") as error:
        clausescan.scan([contracts], dask=dask_cluster.scheduler_address)
    assert "pip install 'clausescan[dask]==" in str(error.value)
