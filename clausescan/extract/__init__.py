"""Extraction: turn one input file into a Document of pages, whatever state the file is in.

The file type is decided by content, not by extension. Any failure becomes a Document with
status "error" and a one-sentence reason; nothing here raises for a bad input file.
"""
from __future__ import annotations

import hashlib
import importlib
from pathlib import Path

from ..errors import InputError
from ..limits import MAX_TEXT_CHARS, TOO_MUCH_TEXT
from ..models import Document
from .ocr import OcrOptions
from .sniff import sniff


def extract(path: Path, display_name: str | None = None, data: bytes | None = None,
            ocr: OcrOptions = OcrOptions(), cache=None, kind: str | None = None, sha256: str | None = None) -> Document:
    """Read one file (or the given bytes) into a Document; never raises for bad input. `kind`
    (extract.sniff's) and `sha256`, when the caller knows them already, are not worked out again."""
    name = display_name or str(path)
    try:
        if data is None:
            data = Path(path).read_bytes()
    except OSError as exc:
        return Document(file=name, status="error",
                        error=f"the file could not be opened ({exc.strerror or exc}).")
    doc = Document(file=name, sha256=sha256 or hashlib.sha256(data).hexdigest())
    try:
        doc.kind = kind = kind or sniff(data, name)
        reader = _reader(kind)
        if reader is None:
            raise InputError(_UNSUPPORTED.get(kind, f"this kind of file ({kind}) is not supported."))
        doc.pages = reader(data, sha256=doc.sha256, ocr=ocr, cache=cache)
        if sum(len(page.text) for page in doc.pages) > MAX_TEXT_CHARS:
            raise InputError(TOO_MUCH_TEXT)
    except InputError as exc:
        doc.status, doc.error = "error", str(exc)
        return doc
    except MemoryError:
        raise   # the document's memory limit (limits.py), not a damaged file
    except Exception as exc:  # a reader library choked on a broken file: report it, go on
        doc.status = "error"
        doc.error = f"the file could not be read as {_KIND_NAMES.get(doc.kind, 'a document')}; it may be damaged."
        doc.notes.append(f"{type(exc).__name__}: {exc}")   # the detail, for a bug report
        return doc
    finish_status(doc)
    return doc


def finish_status(doc: Document) -> None:
    """Set ok / partial / error from the pages that were read."""
    if not doc.pages or not (doc.pages_unreadable or any(page.text.strip() for page in doc.pages)):
        doc.status, doc.error = "error", "the file has no pages or no text."
    elif len(doc.pages_unreadable) == len(doc.pages):
        doc.status = "error"
        doc.error = _sentence("no page could be read: " + _reasons(doc))
    elif doc.pages_unreadable:
        doc.status = "partial"
        unread = doc.pages_unreadable
        which = f"page {unread[0]}" if len(unread) == 1 else f"pages {page_ranges(unread)}"
        doc.error = _sentence(f"{which} could not be read: " + _reasons(doc))


def page_ranges(numbers: list[int]) -> str:
    """[2, 3, 4, 7] -> "2-4, 7": a PDF that claims thousands of pages it lacks gets a short message."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in runs)


def _reasons(doc: Document) -> str:
    return "; ".join(sorted({p.unreadable_reason for p in doc.pages if p.unreadable_reason}))


def _sentence(text: str) -> str:
    return text if text.endswith(".") else text + "."


_KIND_NAMES = {"pdf": "a PDF", "docx": "a Word (.docx) document", "txt": "text", "image": "an image",
               "email": "an e-mail message"}
# kind -> (module, function, takes OCR options); modules are imported only when needed
_READERS = {"pdf": (".pdf", "read_pdf", True), "docx": (".docx", "read_docx", False),
            "txt": (".text", "read_text", False), "image": (".image", "read_image", True),
            "email": (".email", "read_email", False)}


def _reader(kind: str):
    if kind not in _READERS:
        return None
    module, function, ocr_options = _READERS[kind]
    read = getattr(importlib.import_module(module, __package__), function)
    return read if ocr_options else (lambda data, **_options: read(data))   # only OCR needs the hash and options


_UNSUPPORTED = {
    "empty": "the file is empty (0 bytes).",
    "blank": "the file holds only spaces and blank lines: there is no text to read.",
    "html": "the file is a web page (HTML), not a contract document; save the page as PDF and scan that.",
    "zip": "the file is a ZIP archive; archives are walked by the scanner, not read as one document.",
    "binary": "the file is not a PDF, Word (.docx), image or text file.",
    "doc": "the file is an old Word (.doc) document; save it as .docx or PDF and scan that.",
    "rtf": "the file is a Rich Text (RTF) document; save it as .docx or PDF and scan that.",
    "msg": "the file is an Outlook message (.msg); save it as .eml (or save its attachments) and scan that.",
    "spreadsheet": "the file is a spreadsheet (Excel), not a contract document; save it as PDF to scan it.",
    "slides": "the file is a PowerPoint presentation; save it as PDF and scan that.",
    "opendocument": "the file is an OpenDocument (LibreOffice) file; save it as .docx or PDF and scan that.",
    "gzip": "the file is gzip-compressed; decompress it (gunzip) and scan what it holds.",
    "tar": "the file is a tar archive; unpack it (or make it a ZIP) and scan what it holds.",
}
