"""Plain text in any encoding: detected, never a crash on bytes that are not UTF-8."""
from __future__ import annotations

from ..errors import InputError
from ..limits import MAX_TEXT_CHARS, TOO_MUCH_TEXT
from ..models import Page
from .sniff import utf16_without_bom


def decode(data: bytes) -> str:
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    if utf16 := utf16_without_bom(data):
        return data.decode(utf16, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes
    best = from_bytes(data).best()
    if best is not None:
        return str(best)
    return data.decode("cp1252", errors="replace")


def read_text(data: bytes) -> list[Page]:
    if len(data) > 2 * MAX_TEXT_CHARS:   # refused before decoding: UTF-16 has two bytes a character
        raise InputError(TOO_MUCH_TEXT)
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    # A form feed is how plain-text exports mark a page break.
    return [Page(number=i, text=t) for i, t in enumerate(text.split("\f"), start=1)] if "\f" in text \
        else [Page(number=1, text=text)]
