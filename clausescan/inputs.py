"""Which files a scan reads: files as given, folders walked recursively in sorted order."""
from __future__ import annotations

from pathlib import Path

from .errors import UsageError

SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


def collect(paths: list[str | Path]) -> list[Path]:
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}; check the path and try again.")
    out: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            out.extend(p for p in sorted(path.rglob("*"))
                       if p.is_file() and p.name not in SKIP_NAMES and not any(
                           part.startswith(".") for part in p.relative_to(path).parts))
        else:
            out.append(path)
    return out
