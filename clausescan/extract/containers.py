"""A file as the documents it holds: a ZIP archive (archive.py) its members, an e-mail message
(email.py) itself and its attachments, any other file itself. The two readers list one level;
the nesting, containers inside containers, is worked out here, so neither reader needs the other."""
from __future__ import annotations

from collections.abc import Iterator

from .archive import Member, iter_archive
from .email import iter_attachments
from .sniff import sniff

CONTAINERS = ("zip", "email")
MAX_DEPTH = 3


def expand(data: bytes, name: str, kind: str | None = None, depth: int = 0) -> Iterator[Member]:
    """The documents in a file (of `kind`, sniffed here unless given), each with its kind;
    containers inside containers too, three deep."""
    kind = kind or sniff(data, name)
    if kind in CONTAINERS and depth >= MAX_DEPTH:
        yield Member(name, None, "refused: archives or messages nested more than three deep.")
        return
    if kind == "zip":
        members = iter_archive(data, name)
    elif kind == "email":
        yield Member(name, data, kind=kind)
        members = iter_attachments(data, name)
    else:
        yield Member(name, data, kind=kind)
        return
    for member in members:
        if member.error is None and member.data is not None:
            yield from expand(member.data, member.name, depth=depth + 1)
        else:
            yield member
