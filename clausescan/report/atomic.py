"""Write output files atomically: a temporary file beside the target, then a rename, so an
interrupted run never leaves a half-written file over a good one. Files get the mode a plain
open() would give them (0666 less the user's umask), and `-` for a text output is stdout."""
from __future__ import annotations

import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..errors import UsageError


@contextmanager
def atomic_path(target: str | Path):
    """Yields a temporary path to write; it replaces `target` only if the block succeeds."""
    if str(target) == STDOUT:   # the commands refuse this first (outputs.py); a library caller may not
        raise UsageError("a binary file cannot be written to stdout ('-'); give a file name.")
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    # mkstemp makes the file 0600, private to its owner; an output is meant to be shared
    os.fchmod(fd, 0o666 & ~current_umask())
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


STDOUT = "-"


def current_umask() -> int:
    """The process's umask, which can only be read by setting it (and setting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_text(target: str | Path, text: str) -> None:
    """Write `text` to the file `target`, or to stdout when `target` is `-`."""
    if str(target) == STDOUT:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def check_output(path: str | Path | None, option: str, folder: bool = False) -> None:
    """Refuse, before any work is done, an output path that cannot be written: a file where a
    folder is asked for, a folder where a file is, a file standing where a parent folder must be.
    A missing parent folder is fine: it is made when the output is written."""
    if path is None or str(path) == STDOUT:
        return
    path = Path(path)
    if folder and path.exists() and not path.is_dir():
        raise UsageError(f"{option} {path} is a file, not a folder; give a folder for the CSV files.")
    if not folder and path.is_dir():
        raise UsageError(f"{option} {path} is a folder; give a file name, such as {path / 'comparison.xlsx'}.")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise UsageError(f"{option} {path}: {parent} is a file, so no folder can be made there.")
            break
