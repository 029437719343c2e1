"""The findings JSON of ../shared/spec/output.md: a stable interface, deterministic order."""
from __future__ import annotations

import json

from ..models import ScanResult
from .atomic import write_text


def to_dict(result: ScanResult) -> dict:
    out = {
        "tool": {"name": "clausescan", "version": result.tool_version},
        "rules": {"count": len(result.rules), "version": result.rules_version},
        "documents": [document_dict(d) for d in result.documents],
    }
    if result.profile:
        out["profile"] = result.profile.to_json()
    return out


def document_dict(d) -> dict:
    doc = d.document
    out = {
        "file": doc.file,
        "sha256": doc.sha256,
        "kind": doc.kind,
        "status": doc.status,
        "error": doc.error,
        "pages": len(doc.pages),
        "pages_ocr": doc.pages_ocr,
        "pages_unreadable": doc.pages_unreadable,
        "unreadable_reasons": {str(p.number): p.unreadable_reason for p in doc.pages if p.unreadable_reason},
        "ocr_confidence": doc.ocr_confidence,
        "pages_ocr_confidence": doc.pages_ocr_confidence,
        "pages_low_quality_ocr": doc.pages_low_quality_ocr,
        "title": d.title,
        "parties": d.parties,
        "findings": [f.to_json() for f in d.findings],
        "summary": d.summary,
        "metadata": d.facts.to_json() if d.facts else None,
        **({"baseline": d.baseline.to_json()} if d.baseline else {}),   # only with scan --baseline
    }
    if d.law:
        out["law"] = [v.to_json() for v in d.law]
    return out


def dumps(result: ScanResult) -> str:
    return json.dumps(to_dict(result), indent=2, ensure_ascii=False) + "\n"


def write(result: ScanResult, path) -> None:
    write_text(path, dumps(result))
