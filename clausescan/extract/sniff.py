"""Decide what a file is from its first bytes, not from its name."""
from __future__ import annotations

import io
import re
import zipfile


HEAD_BYTES = 2048   # what sniff reads of a file, but for a ZIP's or an OLE file's parts and blank space


def sniff(data: bytes, name: str = "") -> str:
    if not data:
        return "empty"
    if not data.strip():
        return "blank"
    head = data[:HEAD_BYTES]
    # Container signatures first: a ZIP whose first member is a PDF stored uncompressed (as tools
    # store files that are compressed already) has "%PDF-" in its first kilobyte too.
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data, name)
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF8", b"BM")):
        return "image"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return _ole_kind(data)
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head[257:262] == b"ustar":
        return "tar"
    if head.startswith(b"{\\rtf"):   # Rich Text is plain characters, but its text is buried in markup
        return "rtf"
    lowered = head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1024].lower()
    # A page saved from a browser can open with a BOM, a "<!-- saved from url=... -->" comment
    # and a long XHTML doctype before <html>: markup first, then <html within the first 1 KB.
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered[:200] or \
            (lowered.startswith(b"<") and re.search(rb"<!doctype html|<html[\s>]", lowered)):
        return "html"
    if _looks_like_text(head):
        if looks_like_email(head):
            return "html" if looks_like_saved_web_page(head) else "email"
        return "txt"
    return "binary"


def sniff_head(head: bytes, name: str, whole: bool) -> str | None:
    """What sniff says of the file that `head` begins (`whole`: the whole file), when its first
    HEAD_BYTES decide it; None when only the whole file tells: a ZIP or OLE file (their parts say
    what they are), or one that opens with blank space."""
    if whole:
        return sniff(head, name)
    if len(head) < HEAD_BYTES or head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"\xd0\xcf\x11\xe0")) or \
            not head.strip():
        return None
    return sniff(head, name)


# The other Office and OpenDocument formats are ZIP files too: each is one document of a kind
# clausescan does not read, not an archive of its XML parts.
_ZIP_FORMATS = (("word/document.xml", "docx"), ("xl/workbook.xml", "spreadsheet"), ("ppt/presentation.xml", "slides"))


def _zip_kind(data: bytes, name: str) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        for part, kind in _ZIP_FORMATS:
            if part in names:
                return kind
        if "mimetype" in names and archive.getinfo("mimetype").file_size < 100 and \
                archive.read("mimetype").startswith(b"application/vnd.oasis.opendocument"):
            return "opendocument"
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        # a damaged archive is reported as one, by the archive reader
        return "docx" if name.lower().endswith(".docx") else "zip"
    return "zip"


# An OLE compound file (Office 97-2003) says what it holds by the names of its streams: an
# Outlook message's are MAPI properties ("__substg1.0_0037001F"), a workbook's "Workbook"
_OLE_FORMATS = (("__substg1.0_", "msg"), ("Workbook\0", "spreadsheet"), ("PowerPoint Document\0", "slides"))
OLE_ENTRY = 128   # directory entries are 128 bytes, in sectors of 512 or 4096, each name first, in UTF-16


def _ole_kind(data: bytes) -> str:
    for stream, kind in _OLE_FORMATS:
        name = stream.encode("utf-16-le")
        at = data.find(name)
        while at != -1:
            if at % OLE_ENTRY == 0:   # where a directory entry starts, not the same word in the text
                return kind
            at = data.find(name, at + 1)
    return "doc"


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


def looks_like_saved_web_page(head: bytes) -> bool:
    """A web page a browser saved as one file (MHTML, .mht): headers like a message's, but no
    recipient, and a multipart/related body around the HTML page."""
    top = head.lstrip()[:1500]
    names = {m.group(0).split(b":")[0].lower() for m in _HEADER.finditer(top)}
    lowered = top.lower()
    return b"to" not in names and b"multipart/related" in lowered and b"text/html" in lowered
