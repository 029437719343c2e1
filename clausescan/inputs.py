"""Which files a scan reads: files as given, folders walked recursively in sorted order.

Under a folder, dotfiles and dot-folders are skipped, and so are the files the default patterns
of inputs.yaml name (source code, data, settings) unless an --include pattern names them;
--exclude patterns skip more. Each skipped file is kept with its reason, for the Files sheet."""
from __future__ import annotations

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
    missing = [str(p) for p in paths if not Path(p).exists()]
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
            if not found.is_file():
                continue
            reason = skip_reason(found.relative_to(path), include, exclude)
            if reason:
                skipped.append(Skipped(str(found), reason))
            else:
                out.append(found)
    return out, skipped


def skipped_summary(skipped: list[Skipped]) -> str:
    """One line: "skipped 14 files: 9 data or settings, 3 source code, 2 dotfile (--include GLOB reads them)"."""
    from collections import Counter

    if not skipped:
        return ""
    kinds = Counter(s.reason.split(" (")[0] for s in skipped)
    parts = ", ".join(f"{n} {reason}" for reason, n in kinds.most_common())
    noun = "file" if len(skipped) == 1 else "files"
    return f"skipped {len(skipped)} {noun}: {parts} (--include GLOB reads them; the Files sheet lists each)"
