"""ZIP archives from records portals: each member is its own document, cited as
`archive.zip!inner/path.pdf`. Members are read in memory (nothing is written to disk, so a
"../" path cannot escape anywhere), unsafe paths are refused, and sizes are capped so a zip
bomb becomes an error row instead of filling memory."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from ..inputs import printable_name

MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_RATIO = 200          # uncompressed / compressed; real documents compress far less


@dataclass
class Member:
    name: str              # "outer.zip!inner/file.pdf"
    data: bytes | None
    error: str | None = None
    kind: str | None = None   # extract.sniff's, once a container (containers.expand) has sniffed it


def _unsafe(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":")


def _skipped(name: str) -> bool:
    """macOS resource forks and hidden files: never documents."""
    return name.rsplit("/", 1)[-1].startswith(".") or name.startswith("__MACOSX/")


def iter_archive(data: bytes, name: str) -> Iterator[Member]:
    """Each member of the archive, as it is stored (containers.expand opens those that are containers too)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = sorted((i for i in archive.infolist() if not i.is_dir()), key=lambda i: i.filename)
    except (zipfile.BadZipFile, OSError, ValueError):
        yield Member(name, None, "the ZIP archive is damaged and could not be opened.")
        return
    total = 0
    seen: dict[str, int] = {}
    if not any(not _skipped(i.filename) for i in infos):
        yield Member(name, None, "the ZIP archive holds no files.")
    for info in infos:
        inner = f"{name}!{printable_name(info.filename)}"
        seen[inner] = seen.get(inner, 0) + 1
        if seen[inner] > 1:   # a second member of the same name is a document of its own
            inner += f" (copy {seen[inner]})"
        if _skipped(info.filename):
            continue
        if _unsafe(info.filename):
            yield Member(inner, None, "refused: the archive member's path points outside the archive (zip-slip).")
            continue
        if info.flag_bits & 0x1:
            yield Member(inner, None, "the archive member is password-protected; extract it with the password first.")
            continue
        if info.file_size > MAX_MEMBER_BYTES or info.file_size > max(1, info.compress_size) * MAX_RATIO \
                or total + info.file_size > MAX_TOTAL_BYTES:
            yield Member(inner, None, "refused: the archive member expands to an implausible size (possible zip bomb).")
            continue
        try:
            with archive.open(info) as fh:
                content = fh.read(MAX_MEMBER_BYTES + 1)   # declared sizes can lie
        except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError) as exc:
            yield Member(inner, None, f"the archive member is damaged and could not be read ({exc}).")
            continue
        if len(content) > MAX_MEMBER_BYTES:
            yield Member(inner, None, "refused: the archive member expands to an implausible size (possible zip bomb).")
            continue
        total += len(content)
        yield Member(inner, content)
