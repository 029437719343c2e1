"""The scan, top to bottom: collect inputs -> extract -> segment and match -> judge -> result."""
from __future__ import annotations

from pathlib import Path

from . import __version__
from .cache import Cache
from .extract import extract
from .extract.archive import iter_archive
from .extract.sniff import sniff
from .inputs import collect
from .judge import verdicts
from .match import match_document
from .models import Document, DocumentResult, ScanResult
from .nlp import get_nlp
from .rules.engine import CompiledLibrary
from .rules.loader import RuleLibrary, load_rules


def scan(paths, rules: RuleLibrary | None = None, ocr: str = "auto", cache: Cache | None = None,
         progress=None) -> ScanResult:
    """Scan files and folders; every input becomes a DocumentResult, read or not."""
    library = rules or load_rules()
    compiled = CompiledLibrary(library, get_nlp())
    results = []
    for document in read_inputs(paths, ocr=ocr, cache=cache):
        results.append(analyse(document, compiled))
        if progress:
            progress(document)
    return ScanResult(documents=results, rules=library.rules, rules_version=library.version,
                      tool_version=__version__)


def read_inputs(paths, ocr: str = "auto", cache: Cache | None = None):
    """Documents for every input, in order; ZIP archives yield one document per member."""
    for path in collect(list(paths) if isinstance(paths, (list, tuple)) else [paths]):
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield Document(file=str(path), status="error",
                           error=f"the file could not be opened ({exc.strerror or exc}).")
            continue
        if sniff(data, path.name) != "zip":
            yield extract(path, display_name=str(path), data=data, ocr=ocr, cache=cache)
            continue
        for member in iter_archive(data, str(path)):
            if member.error:
                yield Document(file=member.name, status="error", error=member.error)
            else:
                yield extract(path, display_name=member.name, data=member.data, ocr=ocr, cache=cache)


def analyse(document: Document, compiled: CompiledLibrary) -> DocumentResult:
    findings, parties, title = ([], {}, "") if document.status == "error" else match_document(document, compiled)
    findings.sort(key=lambda f: (f.page, f.rule, f.polarity, f.quote, str(f.value)))
    return DocumentResult(document=document, findings=findings, parties=parties, title=title,
                          summary=verdicts(document, findings, compiled.library.rules))


def scan_text(text: str, rules: RuleLibrary | None = None, name: str = "<text>") -> DocumentResult:
    """Scan a string as if it were a one-page text file (rule examples, notebooks)."""
    from .models import Page
    library = rules or load_rules()
    document = Document(file=name, kind="txt", pages=[Page(number=1, text=text)])
    return analyse(document, CompiledLibrary(library, get_nlp()))
