"""Decide what a file is from its first bytes, not from its name."""
from __future__ import annotations

import io
import re
import zipfile


def sniff(data: bytes, name: str = "") -> str:
    if not data.strip():
        return "empty"
    head = data[:2048]
    # Container signatures first: a ZIP whose first member is a PDF stored uncompressed (as tools
    # store files that are compressed already) has "%PDF-" in its first kilobyte too.
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            # a damaged archive is reported as one, by the archive reader
            return "docx" if name.lower().endswith(".docx") else "zip"
        return "docx" if "word/document.xml" in names else "zip"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF8", b"BM")):
        return "image"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    lowered = head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1024].lower()
    # A page saved from a browser can open with a BOM, a "<!-- saved from url=... -->" comment
    # and a long XHTML doctype before <html>: markup first, then <html within the first 1 KB.
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered[:200] or \
            (lowered.startswith(b"<") and re.search(rb"<!doctype html|<html[\s>]", lowered)):
        return "html"
    if _looks_like_text(head):
        return "email" if looks_like_email(head) else "txt"
    return "binary"


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")) or utf16_without_bom(head):
        return True
    # NUL bytes (padding left by an export) do not make text binary; other control characters
    # do (random bytes have one in twelve)
    control = sum(1 for b in head if 0 < b < 9 or 13 < b < 32)
    return control <= len(head) * 0.02 and head.count(0) <= len(head) * 0.3


def utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" for UTF-16 text written without a byte-order mark (Western
    text then has a NUL in every other byte, and text in the others), else None."""
    head = data[:2048]
    if len(head) < 8:
        return None
    for codec, nuls, chars in (("utf-16-le", head[1::2], head[0::2]), ("utf-16-be", head[0::2], head[1::2])):
        if nuls.count(0) >= 0.9 * len(nuls) and chars.count(0) <= 0.05 * len(chars):
            return codec
    return None


# A message starts with header lines; these are the ones every mail program writes.
_HEADER = re.compile(rb"^(?:From|To|Cc|Date|Subject|Received|Return-Path|Message-ID|MIME-Version|Delivered-To|"
                     rb"Reply-To|X-[\w-]+|Content-Type):[ \t]", re.I | re.M)


def looks_like_email(head: bytes) -> bool:
    """Header lines at the very top, and enough of them: a pasted "From: ..." line is not a message."""
    top = head.lstrip()[:1500]
    first = _HEADER.match(top)
    names = {m.group(0).split(b":")[0].lower() for m in _HEADER.finditer(top)}
    return bool(first) and len(names) >= 3 and (b"from" in names or b"received" in names)
