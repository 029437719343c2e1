"""The findings JSON of ../shared/spec/output.md: a stable interface, deterministic order."""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import UsageError
from ..facts import ContractFacts
from ..inputs import Skipped
from ..law import LawVerdict
from ..models import Document, DocumentResult, Finding, Page, ScanResult, finding_order
from ..profiles import Profile
from ..review import WRONG, Review, ReviewOutcome, document_counts
from ..rules.loader import load_rules
from ..towns import NAMED_FROM, towns
from .atomic import write_text


def to_dict(result: ScanResult) -> dict:
    town_list = towns(result)
    town_of = {id(d): t.name for t in town_list for d in t.documents}
    out = {
        "tool": {"name": "clausescan", "version": result.tool_version},
        "rules": {"count": len(result.rules), "version": result.rules_version},
        "documents": [{**document_dict(d), "town": town_of[id(d)]} for d in result.documents],
        # one entry per town with a contract: each rule's verdict combined over the town's contracts
        "towns": [town_dict(t) for t in town_list if t.contracts],
    }
    if result.skipped:   # files under the folders given that were not read, with the reason
        out["skipped"] = [{"file": s.file, "reason": s.reason} for s in result.skipped]
    if result.profile:
        out["profile"] = result.profile.to_json()
    if result.reviews:   # the reviews file applied: its counts, and the reviews that no longer apply
        out["reviews"] = result.reviews.to_json()
    return out


def document_dict(d) -> dict:
    doc = d.document
    out = {
        "file": doc.file,
        "sha256": doc.sha256,
        "kind": doc.kind,
        # what the document is (kinds.py): only agreement, amendment, order-form, policy (and unread) are judged
        "document_kind": d.document_kind,
        "document_kind_reason": d.kind_reason,
        "status": doc.status,
        "error": doc.error,
        "notes": doc.notes,   # the detail behind an error (a reader library's message), for a bug report
        "pages": len(doc.pages),
        "pages_ocr": doc.pages_ocr,
        "pages_unreadable": doc.pages_unreadable,
        "unreadable_reasons": {str(p.number): p.unreadable_reason for p in doc.pages if p.unreadable_reason},
        "ocr_confidence": doc.ocr_confidence,
        "pages_ocr_confidence": doc.pages_ocr_confidence,
        "pages_low_quality_ocr": doc.pages_low_quality_ocr,
        "title": d.title,
        "parties": d.parties,
        # those marked wrong by review too, with "review": "wrong" (left out of the verdicts)
        "findings": [f.to_json() for f in sorted(d.findings + d.marked_wrong, key=finding_order)],
        "summary": d.summary,
        "metadata": d.facts.to_json() if d.facts else None,
        **({"baseline": d.baseline.to_json()} if d.baseline else {}),   # only with scan --baseline
        **({"copy_of": d.copy_of} if d.copy_of else {}),   # a text copy, judged as this file
    }
    if d.law:
        out["law"] = [v.to_json() for v in d.law]
    out.update(document_counts(d.findings, d.marked_wrong))
    return out


def town_dict(town) -> dict:
    return {"name": town.name, "named_from": NAMED_FROM[town.named_from],
            "documents": [d.document.file for d in town.contracts],
            "verdicts": {rule_id: {"verdict": tv.verdict,
                                   "findings": [{"file": e.document.document.file, "page": e.finding.page,
                                                 "section": e.finding.section, "polarity": e.finding.polarity}
                                                for e in tv.evidence]}
                         for rule_id, tv in town.verdicts.items()}}


def from_dict(data: dict, rules=None, same_rules: bool = True) -> ScanResult:
    """The scan that to_dict wrote `data` from, such that to_dict gives `data` back, for all but a
    document's "baseline" (scan --baseline), which is not read back. `rules`: the RuleLibrary the
    scan used (default: the built-in rules); the towns' verdicts are recomputed with it, and a file
    scanned with other rules is refused unless `same_rules` is False (for a reader of its findings only)."""
    library = rules or load_rules()
    if same_rules and library.version != data["rules"]["version"]:
        raise UsageError(f"the findings file was written with rules version {data['rules']['version']}, not "
                         f"{library.version}; read it with the rules it was scanned with (--rules).")
    result = ScanResult(documents=[document_from_dict(d) for d in data["documents"]], rules=library.rules,
                        rules_version=library.version, tool_version=data["tool"]["version"],
                        skipped=[Skipped(**s) for s in data.get("skipped", [])])
    if "profile" in data:
        profile = data["profile"]
        result.profile = Profile.model_validate({**profile, "limits": [
            {k: v for k, v in limit.items() if k != "max_days"} for limit in profile["limits"]]})   # max_days: from max
    if "reviews" in data:
        reviews = data["reviews"]
        result.reviews = ReviewOutcome(reviews["file"], reviews["confirmed"], reviews["wrong"],
                                       *([_review(r) for r in reviews[key]] for key in ("stale", "not_found")))
    return result


def document_from_dict(doc: dict) -> DocumentResult:
    """One document of the findings JSON; its pages without their text, which the JSON does not keep."""
    ocr, reasons, confidence = set(doc["pages_ocr"]), doc["unreadable_reasons"], doc["pages_ocr_confidence"]
    pages = [Page(n, "", "ocr" if n in ocr else "none" if str(n) in reasons else "text", reasons.get(str(n)),
                  confidence.get(str(n))) for n in range(1, doc["pages"] + 1)]
    document = Document(doc["file"], doc["sha256"], doc["kind"], pages, doc["status"], doc["error"], doc["notes"])
    findings = [Finding.from_json(f, doc["file"]) for f in doc["findings"]]
    return DocumentResult(document, [f for f in findings if f.review != WRONG], doc["summary"], doc["parties"],
                          doc["title"], [LawVerdict(**v) for v in doc.get("law", [])],
                          ContractFacts.from_json(doc["metadata"]) if doc["metadata"] else None,
                          document_kind=doc["document_kind"], kind_reason=doc["document_kind_reason"],
                          copy_of=doc.get("copy_of"), marked_wrong=[f for f in findings if f.review == WRONG])


def _review(entry: dict) -> Review:
    """A review as ReviewOutcome.to_json lists it (Review.to_yaml; its id is computed from the rest)."""
    return Review(entry["sha256"], entry["rule"], entry["fingerprint"], entry["status"], entry.get("note"),
                  entry["file"], entry["page"], entry["quote"])


def read(path, rules=None, same_rules: bool = True) -> ScanResult:
    """The scan a findings file was written from (from_dict), for `report`, `review` and `followup`;
    a file that is not one is a UsageError that says so, in one sentence."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path} is not a findings file from 'clausescan scan --json' ({exc}).") from exc
    try:
        return from_dict(data, rules, same_rules)
    except KeyError as exc:
        problem = f"it has no {exc.args[0]!r} where the scan writes one"
    except (TypeError, ValueError, AttributeError) as exc:
        problem = f"a value is not what the scan writes ({exc})"
    raise UsageError(f"{path} is not a findings file as 'clausescan scan ... --json FILE' writes it: {problem}.")


def dumps(result: ScanResult) -> str:
    return json.dumps(to_dict(result), indent=2, ensure_ascii=False) + "\n"


def write(result: ScanResult, path) -> None:
    write_text(path, dumps(result))
