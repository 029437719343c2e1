"""Which files a scan reads: files as given, folders walked recursively in sorted order.

Anything in a folder that is not a regular file (a named pipe, a device, a socket, a symbolic
link that loops, dangles or leads to a folder) is listed too, so that it becomes a row saying
why it was skipped; it is never opened, since opening a pipe or a device can block or never end."""
from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from .errors import UsageError

SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


def collect(paths: list[str | Path]) -> list[Path]:
    missing = [str(p) for p in paths if not Path(p).exists() and not Path(p).is_symlink()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}; check the path and try again.")
    out: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            out.extend(p for p in sorted(path.rglob("*"))
                       if not (p.is_dir() and not p.is_symlink()) and p.name not in SKIP_NAMES and not any(
                           part.startswith(".") for part in p.relative_to(path).parts))
        else:
            out.append(path)
    return out


_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def not_a_file(path: Path) -> str | None:
    """Why `path` is skipped, as a sentence, or None for a regular file (or a link to one)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "skipped: it is a symbolic link that loops and never reaches a file."
        if path.is_symlink():
            return "skipped: it is a symbolic link to a file that does not exist."
        return None   # opening it reports the problem
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "skipped: it is a symbolic link to a folder; folders reached through links are not walked."
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return f"skipped: it is {kind}, not a regular file."


def open_regular(path: Path):
    """Open a file for reading without blocking on a pipe or device that took its place since
    it was listed; anything but a regular file raises OSError."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(errno.EINVAL, "not a regular file")
    return os.fdopen(fd, "rb")


_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def printable_name(name: str) -> str:
    """A file or member name as it is cited: control characters (a newline or carriage return in a
    ZIP member's name) written as \\n, \\r, \\x1b, so that a name cannot forge lines of a report."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), name)
