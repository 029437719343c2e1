"""Which files a scan reads: files as given, folders walked recursively in sorted order.

Under a folder, dotfiles and dot-folders are skipped, and so are the files the default patterns
of inputs.yaml name (source code, data, settings) unless an --include pattern names them;
--exclude patterns skip more. Each skipped file is kept with its reason, for the Files sheet.

Anything in a folder that is not a regular file (a named pipe, a device, a socket, a symbolic
link that loops, dangles or leads to a folder) is listed too, so that it becomes a row saying
why it was skipped; it is never opened, since opening a pipe or a device can block or never end."""
from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import UsageError


@dataclass(frozen=True)
class Skipped:
    file: str
    reason: str      # "source code", "data or settings", "dotfile", "--exclude *.tmp"...


@lru_cache(maxsize=1)
def default_skips() -> dict[str, list[str]]:
    return yaml.safe_load(Path(__file__).with_name("inputs.yaml").read_text(encoding="utf-8"))["skip"]


def _matches(relative: Path, patterns) -> str | None:
    """The first pattern matching the file's name or its path under the folder given."""
    return next((p for p in patterns if fnmatch(relative.name, p) or fnmatch(relative.as_posix(), p)), None)


def skip_reason(relative: Path, include=(), exclude=()) -> str | None:
    """Why a file found under a folder is not read, or None to read it."""
    if pattern := _matches(relative, exclude):
        return f"--exclude {pattern}"
    if include:
        return None if _matches(relative, include) else "not named by --include"
    if any(part.startswith(".") for part in relative.parts):
        return "dotfile"
    for reason, patterns in default_skips().items():
        if pattern := _matches(relative, patterns):
            return f"{reason} ({pattern})"
    return None


def collect(paths: list[str | Path], include=(), exclude=()) -> tuple[list[Path], list[Skipped]]:
    """The files to read, and the files skipped under the folders given (with the reason)."""
    missing = [str(p) for p in paths if not Path(p).exists() and not Path(p).is_symlink()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}; check the path and try again.")
    out: list[Path] = []
    skipped: list[Skipped] = []
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            out.append(path)
            continue
        for found in sorted(path.rglob("*")):
            if found.is_dir() and not found.is_symlink():
                continue
            reason = skip_reason(found.relative_to(path), include, exclude)
            if reason:
                skipped.append(Skipped(str(found), reason))
            else:
                out.append(found)
    return out, skipped


def skipped_summary(skipped: list[Skipped]) -> str:
    """One line: "skipped 14 files: 9 data or settings, 3 source code, 2 dotfile (--include GLOB reads them)"."""
    if not skipped:
        return ""
    noun = "file" if len(skipped) == 1 else "files"
    return (f"skipped {len(skipped)} {noun}: {skipped_kinds(skipped)} "
            "(--include GLOB reads them; the Files sheet lists each)")


def skipped_kinds(skipped: list[Skipped]) -> str:
    """ "9 data or settings, 3 source code, 2 dotfile"."""
    from collections import Counter

    kinds = Counter(s.reason.split(" (")[0] for s in skipped)
    return ", ".join(f"{n} {reason}" for reason, n in kinds.most_common())


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


@dataclass(frozen=True)
class Input:
    """One document to read: a file, or a member of an archive (its bytes), or an error; with its
    kind (extract.sniff's) and its content hash once they are known, so that neither is worked
    out twice."""
    name: str
    path: Path | None = None
    data: bytes | None = None
    error: str | None = None
    kind: str | None = None
    sha256: str | None = None


def with_bytes(item: Input) -> Input:
    """The input with its file's bytes in hand and their hash, or with the reason they could not be read."""
    if item.error or (item.data is not None and item.sha256):
        return item
    data = item.data
    if data is None:
        assert item.path is not None, "an input has its file, its bytes or its error"
        try:
            with open_regular(item.path) as fh:
                data = fh.read()
        except OSError as exc:
            return Input(item.name, error=f"the file could not be opened ({exc.strerror or exc}).")
    return Input(item.name, data=data, kind=item.kind, sha256=hashlib.sha256(data).hexdigest())
