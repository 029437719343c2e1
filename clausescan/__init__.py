"""clausescan: read ALPR vendor contracts and flag, clause by clause, what they allow."""
from __future__ import annotations

from .cache import Cache
from .models import Clause, Document, DocumentResult, Finding, Page
from .result import ScanResult
from .version import __version__


def scan(paths, rules=None, cache=True, **options) -> ScanResult:
    """Scan files and folders of contracts; returns documents with their findings.

    Cached like the command line: by default in its cache (~/.cache/clausescan, or
    $XDG_CACHE_HOME/clausescan), so a re-run in a notebook reuses the OCR and the findings;
    `cache` may be a folder or a Cache, and None or False reads and writes no cache. The other
    options are those of clausescan.pipeline.scan (profile, baseline, workers, ocr...)."""
    from .pipeline import scan as _scan
    return _scan(paths, rules=rules, cache=Cache.of(cache), **options)


def load_rules(extra_dirs=None, builtin: bool = True):
    """The built-in rule library plus rules from extra directories (added or overridden by id)."""
    from .rules.loader import load_rules as _load
    return _load(extra_dirs, builtin=builtin)


__all__ = ["scan", "load_rules", "Cache", "Clause", "Document", "DocumentResult", "Finding", "Page", "ScanResult",
           "__version__"]
