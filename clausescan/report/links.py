"""Links to a page of a cited PDF (`msa.pdf#page=4`, which PDF viewers and browsers open at that
page). A link is built from the file's path alone, never from contract text, and percent-encoded,
so no character of a file name can end the link or make it another kind of URL."""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote


def page_link(file: str, page: int, base: Path | None = None) -> str | None:
    """A relative URL to `file` at `page` (relative to `base`, the output's folder, when the file
    is found from here); None for what no viewer opens at a page: a file inside an archive or a
    message ("records.zip!msa.pdf"), and anything not a PDF."""
    if "!" in file or not file.lower().endswith(".pdf") or not isinstance(page, int) or page < 1:
        return None
    path = file
    if base is not None and Path(file).exists():
        path = os.path.relpath(Path(file).resolve(), Path(base).resolve())
    return quote(Path(path).as_posix(), safe="/") + f"#page={page}"
