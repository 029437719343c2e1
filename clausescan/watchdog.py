"""Worker processes the scan can stop: each document is handed to one worker, and the parent
knows which worker reads which document since when.

A time limit inside a worker (limits.py, a timer signal) stops only code that gives Python control
back; a reader stuck in C (PDFium, pdfplumber's parser, a regular expression) never does. So the
parent watches the clock too: a worker still on its document a grace period past the limit is
killed with the programs it started (Tesseract), the document becomes its "took too long" row and
a new worker takes the next document. A worker that dies by itself (a reader crashing, the system
out of memory) costs its own document only, as the parent knows which one it was reading."""
from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import wait


def can_start_workers() -> bool:
    """Whether this process may start worker processes (a daemonic one, such as a pool's worker
    that calls scan(), may not)."""
    return not multiprocessing.current_process().daemon


def forks() -> bool:
    """Whether workers are forked (they then share what the parent loaded) rather than spawned."""
    return "fork" in multiprocessing.get_all_start_methods()


def grace_seconds(limit: float) -> float:
    """How long past its limit a document's worker is given to stop by itself (the timer inside
    it) before it is killed: half the limit, at most five seconds."""
    return min(5.0, limit / 2)


def run_watched(items: Sequence, workers: int, work: Callable, seconds: float | None, timed_out: Callable,
                crashed: Callable) -> Iterator:
    """`work(item)` for every item, in `workers` processes (each given `work` when it starts), results
    in item order. An item whose worker is still busy `seconds` (plus grace) after it was
    handed over is `timed_out(item)`; one whose worker died is `crashed(item)`. None: no limit.
    Closing the iterator early (Ctrl-C in the caller's loop) stops the workers at once."""
    context = multiprocessing.get_context("fork" if forks() else "spawn")
    todo = deque(range(len(items)))
    finished: dict[int, object] = {}
    pool: list[_Worker] = []
    stopped = False

    def hand_out(worker: _Worker) -> None:
        if todo:
            worker.give(todo.popleft(), items)

    def replace(worker: _Worker) -> None:
        worker.kill()
        pool[pool.index(worker)] = fresh = _Worker(context, work)
        hand_out(fresh)

    try:
        for _ in range(min(workers, len(items))):
            pool.append(worker := _Worker(context, work))
            hand_out(worker)
        limit = seconds + grace_seconds(seconds) if seconds else None
        for wanted in range(len(items)):
            while wanted not in finished:
                busy = [w for w in pool if w.index is not None]
                now = time.monotonic()
                timeout = max(0.0, min(w.started + limit for w in busy) - now) if limit else None
                ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout))
                for worker in busy:
                    index = worker.index
                    assert index is not None   # busy workers hold a document
                    if worker.conn in ready:
                        try:
                            finished[index] = worker.receive()
                        except (EOFError, OSError):   # died while sending
                            finished[index] = crashed(items[index])
                            replace(worker)
                            continue
                        hand_out(worker)
                    elif worker.process.sentinel in ready:
                        finished[index] = crashed(items[index])
                        replace(worker)
                    elif limit and time.monotonic() >= worker.started + limit:
                        finished[index] = timed_out(items[index])
                        replace(worker)
            yield finished.pop(wanted)
        for worker in pool:
            worker.finish()
        stopped = True
    finally:
        if not stopped:   # the caller stopped early, or something went wrong here: end the workers now
            for worker in pool:
                worker.kill(signal.SIGTERM)


class _Worker:
    """One worker process, the pipe to it, and the document it is reading (its index), if any."""

    def __init__(self, context, work: Callable):
        self.conn, theirs = context.Pipe()
        self.process = context.Process(target=_serve, args=(theirs, work), daemon=True)
        self.process.start()
        theirs.close()
        self.index: int | None = None
        self.started = 0.0

    def give(self, index: int, items: Sequence) -> None:
        # the clock starts at the hand-over: a forked worker is ready at once (a spawned one first
        # imports clausescan, which its first document's limit then includes)
        self.index, self.started = index, time.monotonic()
        self.conn.send((index, items[index]))

    def receive(self):
        _, result = self.conn.recv()
        self.index = None
        return result

    def finish(self) -> None:
        """Let an idle worker end by itself."""
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(5)
        if self.process.exitcode is None:
            self.kill()
        self.conn.close()

    def kill(self, how: int = signal.SIGKILL) -> None:
        """End the worker and every program it started (a worker killed alone would leave its
        Tesseract running): frozen first, so that it starts no new one while they are found."""
        if self.process.exitcode is None:
            try:
                os.kill(self.process.pid, signal.SIGSTOP)
            except ProcessLookupError:
                pass
            for pid in [*_descendants(self.process.pid), self.process.pid]:
                try:
                    os.kill(pid, how)
                    if how != signal.SIGKILL:
                        os.kill(pid, signal.SIGCONT)   # a stopped process acts on SIGTERM only once resumed
                except ProcessLookupError:
                    pass
            self.process.join()
        self.conn.close()
        self.index = None


def _descendants(pid: int) -> list[int]:
    """The processes below pid (Linux's /proc; elsewhere none are found)."""
    found: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children", encoding="ascii") as fh:
                    children = [int(child) for child in fh.read().split()]
            except (OSError, ValueError):
                continue
            found += children
            todo += children
    return found


def _serve(conn, work: Callable) -> None:
    """A worker's life: read the documents handed over one by one until told to stop (None) or the
    parent is gone. Ctrl-C is for the parent to handle, not each worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        index, item = job
        conn.send((index, work(item)))
