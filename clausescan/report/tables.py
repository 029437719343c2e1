"""Tabular views of a scan: rows for spreadsheets, CSV and pandas."""
from __future__ import annotations

from pathlib import Path

from ..diff import Baseline, DiffResult
from ..judge import CONCERN, SAFEGUARD
from ..kinds import KIND_LABELS
from ..models import COPY, DocumentResult, ScanResult
from ..towns import NAMED_FROM, Town, towns

# new columns go at the end, so that a script reading findings.csv by position keeps working
FINDING_COLUMNS = ["file", "page", "section", "rule", "polarity", "value", "unit", "quote", "review",
                   "agency", "title", "severity", "trigger"]


def count(n: int, noun: str) -> str:
    """ "1 page", "3 pages"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def polarity_counts(d: DocumentResult) -> list[str]:
    """ "16 concerns", "12 safeguards": findings, as the scan line and the check headline count them."""
    concerns = sum(f.polarity == "concern" for f in d.findings)
    safeguards = sum(f.polarity == "safeguard" for f in d.findings)
    return [count(concerns, "concern"), count(safeguards, "safeguard")]


def document_label(d: DocumentResult) -> str:
    return label_for(d.document.file, d.parties)


def label_for(file: str, parties: dict | None) -> str:
    """The town or agency when the contract names it, else the folder the file sits in."""
    if parties and parties.get("agency_name"):
        return parties["agency_name"]
    return Path(file.split("!")[0]).parent.name or Path(file).stem


def not_judged_text(d: DocumentResult) -> str:
    """ "not a contract: an e-mail ...", "not judged (copy): a copy of ..."."""
    if d.document_kind == COPY:
        return f"not judged again: {d.kind_reason}"
    return f"not a contract: {d.kind_reason}"


def finding_rows(result: ScanResult) -> list[dict]:
    """One row per finding of the contracts, with the agency (or folder) and the rule's title and severity."""
    rules = {rule.id: rule for rule in result.rules}
    return [{"file": f.file, "page": f.page, "section": f.section, "rule": f.rule, "polarity": f.polarity,
             "value": f.value, "unit": f.unit, "quote": f.quote, "review": f.review or "", "agency": document_label(d),
             "title": rules[f.rule].title_for(f.polarity) if f.rule in rules else "",
             "severity": rules[f.rule].severity if f.rule in rules else "", "trigger": f.trigger}
            for d in result.judged for f in d.findings]


def summary_rows(result: ScanResult) -> list[dict]:
    """One row per document, with the columns of the workbook's Summary sheet."""
    baseline = any(d.baseline for d in result.documents)   # scan --baseline
    town_of = {id(d): t.name for t in towns(result) for d in t.documents}
    rows = []
    for d in result.judged:
        row = {"file": d.document.file, "town": town_of[id(d)], "agency": document_label(d), "vendor": (d.parties or {}).get("vendor_name"),
               "status": d.document.status, "error": d.document.error, "pages": len(d.document.pages),
               "pages_ocr": len(d.document.pages_ocr), "pages_unreadable": len(d.document.pages_unreadable)}
        row.update(fact_cells(d))
        if result.reviews:
            row["left_out_by_review"] = len(d.marked_wrong)
        if baseline:
            row["negotiated_changes"] = negotiated_summary(d.baseline) if d.baseline else ""
        for rule in result.rules:
            row[rule.id] = cell_verdict(d, rule)
        if result.profile:   # scan --profile: one column per statutory limit
            for limit, verdict in zip(result.profile.limits, d.law):
                row[f"{result.profile.state.lower()}-law:{limit.kind}"] = f"{verdict.status}: {verdict.text}"
        rows.append(row)
    return rows


# The contract facts shown beside the verdicts (vendor and agency have their own columns).
FACT_COLUMNS = ["effective_date", "initial_term_months", "renewal_term_months", "cameras", "price_per_camera_year",
                "total_contract_value"]


def fact_cells(d: DocumentResult) -> dict:
    """Fact values by name, "" where the document does not state them."""
    facts = d.facts
    return {name: getattr(facts, name).value if facts and getattr(facts, name) else "" for name in FACT_COLUMNS}


def cell_verdict(d: DocumentResult, rule) -> str:
    """The verdict text of one summary cell; the values found instead, with their unit ("30 days,
    indefinite"), for a rule with `summary_values`."""
    verdict = d.summary.get(rule.id, "")
    found = {f.value: f.unit for f in d.findings if f.rule == rule.id and f.value is not None}
    if rule.summary_values and found:
        return ", ".join(f"{value} {unit}" if unit else str(value) for value, unit in found.items())
    return verdict


def findings_frame(result: ScanResult):
    import pandas as pd
    return pd.DataFrame(finding_rows(result), columns=FINDING_COLUMNS)


def summary_frame(result: ScanResult):
    import pandas as pd
    return pd.DataFrame(summary_rows(result)).set_index("file")


def towns_rows(result: ScanResult, town_list=None) -> list[dict]:
    """One row per town with a contract: its name, where the name comes from, its documents, and
    per rule the combined verdict with the documents and pages it rests on."""
    rows = []
    for town in town_list if town_list is not None else towns(result):
        if not town.contracts:
            continue
        names = document_names(town)
        row = {"town": town.name, "named_from": NAMED_FROM[town.named_from],
               "documents": "; ".join(f"{names[id(d)]}: {d.document.file}" for d in town.contracts)}
        for rule in result.rules:
            row[rule.id] = cell_text(town, rule.id, names)
        rows.append(row)
    return rows


def document_names(town: Town) -> dict[int, str]:
    """A short name for each of a town's contracts: its kind ("amendment"), with the file name
    when the town has two of that kind."""
    kinds = [d.document_kind for d in town.contracts]
    return {id(d): KIND_LABELS.get(d.document_kind, d.document_kind) if kinds.count(d.document_kind) == 1
            else f"{KIND_LABELS.get(d.document_kind, d.document_kind)} {Path(d.document.file.split('!')[-1]).name}"
            for d in town.contracts}


def cell_text(town: Town, rule_id: str, names: dict[int, str] | None = None) -> str:
    """ "safeguard: amendment p. 2"; "both: concern in agreement p. 4, 5; safeguard in amendment p. 2";
    for retention, the days."""
    names = names or document_names(town)
    tv = town.verdicts[rule_id]
    if not tv.evidence:
        return tv.verdict
    parts = []
    for polarity in (CONCERN, SAFEGUARD, "info"):
        by_doc: dict[str, list] = {}
        for e in tv.evidence:
            if e.finding.polarity == polarity:
                by_doc.setdefault(names[id(e.document)], []).append(e.finding)
        if not by_doc:
            continue
        where = "; ".join(f"{name} p. {', '.join(map(str, dict.fromkeys(f.page for f in fs)))}"
                          + _values(fs) for name, fs in by_doc.items())
        parts.append(f"{polarity if polarity != 'info' else 'stated'} in {where}")
    text = "; ".join(parts)
    return text if len(parts) == 1 else f"{tv.verdict}: {text}"


def _values(findings) -> str:
    values = list(dict.fromkeys(f.value for f in findings if f.value is not None))
    if not values:
        return ""
    unit = next((f.unit for f in findings if f.unit), "")
    return " (" + ", ".join(f"{v} {unit}".strip() if isinstance(v, (int, float)) else str(v) for v in values) + ")"


def towns_frame(result: ScanResult):
    """One row per town, one column per rule: the combined verdict (see clausescan.towns)."""
    import pandas as pd
    town_list = [t for t in towns(result) if t.contracts]
    frame = pd.DataFrame([{"town": t.name, **{r.id: t.verdicts[r.id].verdict for r in result.rules}}
                          for t in town_list], columns=["town"] + [r.id for r in result.rules])
    return frame.set_index("town")


SUMMARY_NAMES = 4   # rule ids named in a summary cell per group; the JSON has them all


def negotiated_summary(baseline: Baseline) -> str:
    """One short line: "+2 safeguards (data-sale, immigration-enforcement); 12 clauses changed"."""
    if baseline.diff is None:
        return "the template itself"
    d = baseline.diff

    def names(rules: list[str]) -> str:
        shown = ", ".join(rules[:SUMMARY_NAMES])
        return shown + (f" and {len(rules) - SUMMARY_NAMES} more" if len(rules) > SUMMARY_NAMES else "")

    parts = []
    for change, sign in (("gained", "+"), ("lost", "-")):
        for polarity in (SAFEGUARD, CONCERN):
            rules = sorted({c.rule for c in d.findings_with(change, polarity)})
            if rules:
                parts.append(f"{sign}{len(rules)} {polarity}{'s' if len(rules) > 1 else ''} ({names(rules)})")
    changed = [c.rule for c in d.findings_with("changed")]
    if changed:
        parts.append(f"other values: {names(changed)}")
    if not d.unchanged and not d.count("changed"):
        parts.append("no clause in common with the template")
    else:
        parts.append(clause_counts(d) or "text unchanged")
    return "; ".join(parts)


def clause_counts(d: DiffResult, kinds=("changed", "added", "removed")) -> str:
    """'2 clauses changed, 1 added, 1 removed': the kinds asked for, where the count is not 0."""
    counts = [(kind, d.unchanged if kind == "unchanged" else d.count(kind)) for kind in kinds]
    counts = [(kind, n) for kind, n in counts if n]
    return ", ".join(f"{n} {'clause' if n == 1 else 'clauses'} {kind}" if index == 0 else f"{n} {kind}"
                     for index, (kind, n) in enumerate(counts))
