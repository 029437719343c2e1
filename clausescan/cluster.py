"""Run a scan's documents on a Dask distributed cluster (scan(..., dask=...), `scan --dask ADDRESS`).

The client reads each file and sends its bytes, since workers need not share its filesystem; each
worker compiles the rule library once and runs the per-document function the scan gives it, the
one a local process runs (pipeline.process_input); results come back in input order. The cache, if any, is used by the
workers, at the same folder path: on a filesystem they share, the whole cluster shares one cache."""
from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator

from dataclasses import replace

from .errors import ClusterError
from .inputs import Input, with_bytes
from .models import DocumentResult
from .options import ScanOptions
from .rules.engine import CompiledLibrary
from .rules.loader import RuleLibrary
from .version import __version__

# one input, the compiled rules and the scan's options -> its result (pipeline.process_input)
ProcessInput = Callable[[Input, CompiledLibrary, ScanOptions], DocumentResult]

MIN_IN_FLIGHT = 16   # documents sent ahead of the one awaited: enough to keep an adaptive cluster growing


def connect(dask):
    """(client, whether we opened it) for a scheduler address, or the caller's own Client."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError("--dask needs Dask's distributed package; install it with "
                           "pip install 'clausescan[dask]'.") from None
    if isinstance(dask, Client):
        return dask, False
    try:
        return Client(dask, set_as_default=False), True
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).rstrip(".") or type(exc).__name__
        raise ClusterError(f"cannot reach the Dask scheduler at {dask} ({reason}); check the address "
                           "and that the scheduler is running.") from None


DISTRIBUTION = "clausescan"   # the package every worker must have, at this version


def check_workers(client) -> None:
    """Every worker must run this version of clausescan: on one without it each task fails with a
    traceback from deep inside Dask, and another version may read the rules differently. (Workers
    an adaptive cluster adds later are not seen here.)"""
    from importlib.metadata import version
    for address, found in sorted(client.run(version, DISTRIBUTION, on_error="return").items()):
        if found != __version__:
            what = "does not have clausescan installed" if isinstance(found, Exception) else f"runs clausescan {found}"
            raise ClusterError(f"the Dask worker at {address} {what}, but this scan needs clausescan {__version__} on "
                               f"every worker; install it there with pip install 'clausescan[dask]=={__version__}'.")


def run_on_cluster(dask, inputs: list[Input], process: ProcessInput, options: ScanOptions) -> Iterator[DocumentResult]:
    """Each input's DocumentResult, in input order, as the cluster finishes them. Files are read
    only a window ahead of the results, so the client never holds the whole corpus in memory."""
    library = options.rules
    assert library is not None, "the scan loads the rules before it reads a document"
    options = replace(options, rules=None, dask=None)   # the rule library goes to the cluster once, not with every task
    client, opened = connect(dask)
    pending: deque = deque()
    try:
        check_workers(client)
        shared_library = client.submit(_held, library, pure=False)   # sent once; each worker fetches it
        window = max(MIN_IN_FLIGHT, 2 * sum(client.nthreads().values()))
        for item in inputs:
            pending.append(client.submit(_process_on_worker, with_bytes(item), shared_library, options, process,
                                         pure=False))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:   # stopped early (an error, Ctrl-C): drop the queued work
            future.cancel()
        if opened:
            client.close()


def _held(value):
    """As a task, keeps the rule library on the cluster. Not client.scatter: it waits for a worker
    to exist, and an adaptive cluster scaled to zero adds workers only for tasks."""
    return value


_COMPILED: dict[str, CompiledLibrary] = {}   # on each worker: rule library version -> compiled library
_COMPILING = threading.Lock()


def _process_on_worker(item: Input, library: RuleLibrary, options: ScanOptions,
                       process: ProcessInput) -> DocumentResult:
    with _COMPILING:   # a worker's threads share one compiled library, built by the first task
        compiled = _COMPILED.get(library.version)
        if compiled is None:
            # compiled (or loaded from the cache) here, under the lock, not by each thread at once
            compiled = _COMPILED[library.version] = CompiledLibrary(library, None, options.cache).load()
    return process(item, compiled, replace(options, rules=library))
