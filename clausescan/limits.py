"""Per-document limits in time and memory, so that one hostile file costs at most its limit and
becomes an error row ("took too long", "too large") instead of hanging or sinking the batch.

Both limits are process-wide mechanisms (a timer signal, an address-space limit), so they apply
where clausescan owns the process's main thread: its worker processes and the single-worker path.
The timer stops only code that gives Python control back; for a reader stuck in C the scan's
parent kills the worker (watchdog.py). A Dask worker runs documents in threads of a process it
shares, and gets neither."""
from __future__ import annotations

import resource
import signal
import threading
from contextlib import contextmanager

DOCUMENT_SECONDS = 900     # a 300-page scan OCR'd on two cores takes about ten minutes
DOCUMENT_MEMORY_MB = 2048  # on top of what the process holds before the document
MAX_TEXT_CHARS = 20_000_000   # some 6,000 pages of contract; more is a dump, not a document
TOO_MUCH_TEXT = (f"too large: the file holds more than {MAX_TEXT_CHARS // 1_000_000} million characters of text, "
                 f"far more than any contract; split it into its documents and scan those.")


class TimeLimitExceeded(BaseException):
    """Raised inside the document's work when its time is up; a BaseException, so that no reader's
    `except Exception` takes it for a damaged file."""


def too_long_message(seconds: float) -> str:
    return (f"took too long: reading stopped after the {seconds:g}-second limit; scan this file alone with a "
            f"larger --time-limit (0 for none).")


def too_large_message(megabytes: int) -> str:
    return (f"too large: reading this document needed more than the {megabytes} MB memory limit; scan it "
            f"alone with a larger --memory-limit.")


@contextmanager
def document_limits(seconds: float | None, megabytes: int | None):
    """Run the block under a time limit (TimeLimitExceeded) and a memory limit (MemoryError).
    None or 0 means no limit; either is skipped outside the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    with _memory_limit(megabytes), _time_limit(seconds):
        yield


@contextmanager
def _time_limit(seconds: float | None):
    if not seconds or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise TimeLimitExceeded()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _data_bytes() -> int | None:
    """The process's data segment now (Linux: VmData, what RLIMIT_DATA limits)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


@contextmanager
def _memory_limit(megabytes: int | None):
    used = _data_bytes() if megabytes else None
    if used is None or not megabytes:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    limit = used + megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft != resource.RLIM_INFINITY:
        limit = min(limit, soft)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))
