"""Judge: one verdict per document and rule, so silence is reported as a result.

A rule that found nothing is "missing safeguard" when a careful agency would insist on it,
but "not fully read" when pages could not be read, or were read by OCR with low confidence, so the
two are never confused."""
from __future__ import annotations

from .models import Document, Finding

CONCERN, SAFEGUARD, BOTH = "concern", "safeguard", "both"
MISSING, NOT_READ, NOT_FOUND, INFO = "missing safeguard", "not fully read", "not found", "stated"


def verdicts(document: Document, findings: list[Finding], rules) -> dict[str, str]:
    unread = document.status == "error" or bool(document.pages_unreadable) or bool(document.pages_low_quality_ocr)
    return rule_verdicts(findings, unread, rules)


def rule_verdicts(findings: list[Finding], unread: bool, rules) -> dict[str, str]:
    """Each rule's verdict from the findings (anything with a rule and a polarity) of a document
    that was (not) fully read."""
    out: dict[str, str] = {}
    for rule in rules:
        polarities = {f.polarity for f in findings if f.rule == rule.id}
        if CONCERN in polarities and SAFEGUARD in polarities:
            out[rule.id] = BOTH
        elif CONCERN in polarities:
            out[rule.id] = CONCERN
        elif SAFEGUARD in polarities:
            out[rule.id] = SAFEGUARD
        elif polarities:
            out[rule.id] = INFO
        elif unread:
            out[rule.id] = NOT_READ
        elif rule.safeguard_expected:
            out[rule.id] = MISSING
        else:
            out[rule.id] = NOT_FOUND
    return out
