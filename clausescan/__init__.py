"""clausescan: read ALPR vendor contracts and flag, clause by clause, what they allow."""
from __future__ import annotations

__version__ = "0.1.0"

from .models import Clause, Document, DocumentResult, Finding, Page, ScanResult  # noqa: E402


def scan(paths, rules=None, **options) -> ScanResult:
    """Scan files and folders of contracts; returns documents with their findings."""
    from .pipeline import scan as _scan
    return _scan(paths, rules=rules, **options)


def load_rules(extra_dirs=None, builtin: bool = True):
    """The built-in rule library plus rules from extra directories (added or overridden by id)."""
    from .rules.loader import load_rules as _load
    return _load(extra_dirs, builtin=builtin)


__all__ = ["scan", "load_rules", "Clause", "Document", "DocumentResult", "Finding", "Page", "ScanResult",
           "__version__"]
