"""`clausescan report FINDINGS.json`: a memo for legislative testimony, in Markdown or DOCX.

Per document (town): the concerns and the missing safeguards, each concern with its exact
quote and a citation ("Town of X, Master Services Agreement, p. 4, § 4.3"); a comparison
table of the headline rules across documents; and a methods paragraph."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError
from . import law as law_report
from .markdown import escape
from .tables import label_for

HEADLINE_RULES = [("perpetual-license", "Perpetual licence"), ("network-sharing", "Network sharing"),
                  ("immigration-enforcement", "Immigration use"), ("retention-period", "Retention (days)"),
                  ("data-sale", "Sale of data")]


@dataclass
class MemoDocument:
    name: str
    citation_prefix: str
    status: str
    error: str | None
    concerns: list[dict]
    missing: list[str]
    unread_pages: list[int]
    low_quality_pages: list[int]
    cells: dict[str, str]
    law: list[dict]


def load_findings(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path} is not a findings file from 'clausescan scan --json' ({exc}).") from exc
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise UsageError(f"{path} has no 'documents' list; write it with 'clausescan scan ... --json FILE'.")
    for number, doc in enumerate(data["documents"], start=1):
        problem = _document_problem(doc)
        if problem:
            raise UsageError(f"{path}: document {number} {problem}; write the file with 'clausescan scan ... --json FILE'.")
    return data


def _document_problem(doc) -> str | None:
    """What is wrong with one document of a findings file, in words; None if nothing."""
    if not isinstance(doc, dict) or not isinstance(doc.get("file"), str):
        return "has no 'file' name"
    for key, kind in (("findings", list), ("parties", dict), ("summary", dict)):
        if doc.get(key) is not None and not isinstance(doc[key], kind):
            return f"has a '{key}' that is not a {kind.__name__}"
    for finding in doc.get("findings") or []:
        if not isinstance(finding, dict) or not all(isinstance(finding.get(k), str) for k in ("rule", "quote")):
            return "has a finding without a 'rule' and a 'quote'"
        if not isinstance(finding.get("page", 1), int) or not isinstance(finding.get("polarity", ""), str):
            return "has a finding whose 'page' or 'polarity' is not what the scan writes"
    return None


def _retention_cell(doc: dict) -> str:
    values = [f["value"] for f in doc.get("findings", []) if f["rule"] == "retention-period" and f.get("value")]
    return ", ".join(dict.fromkeys(str(v) for v in values)) or doc.get("summary", {}).get("retention-period", "")


def _citation(prefix: str, finding: dict) -> str:
    cite = f"{prefix}, p. {finding['page']}"
    if finding.get("section"):
        cite += f", § {finding['section']}"
    return cite


def build(data: dict, rule_titles: dict[str, str]) -> list[MemoDocument]:
    out = []
    for doc in data["documents"]:
        parties = doc.get("parties") or {}
        name = label_for(doc["file"], parties)
        title = doc.get("title") or Path(doc["file"]).stem.replace("-", " ").replace("_", " ")
        summary = doc.get("summary") or {}
        cells = {rid: (_retention_cell(doc) if rid == "retention-period" else summary.get(rid, ""))
                 for rid, _ in HEADLINE_RULES}
        out.append(MemoDocument(
            name=name, citation_prefix=f"{name}, {title}", status=doc.get("status", ""), error=doc.get("error"),
            concerns=[f for f in doc.get("findings", []) if f.get("polarity") == "concern"],
            missing=[r for r, v in summary.items() if v == "missing safeguard"],
            unread_pages=doc.get("pages_unreadable") or [], low_quality_pages=doc.get("pages_low_quality_ocr") or [],
            cells=cells, law=doc.get("law") or []))
    return out


def methods(data: dict) -> str:
    docs = data["documents"]
    ocr_pages = sum(len(d.get("pages_ocr") or []) for d in docs)
    unread = [d["file"] for d in docs if d.get("status") != "ok" or d.get("pages_low_quality_ocr")]
    text = (f"Method. {len(docs)} documents were scanned with clausescan {data['tool']['version']} and its rule "
            f"library version {data['rules']['version']} ({data['rules']['count']} rules). "
            f"{sum(d.get('pages') or 0 for d in docs)} pages were read, {ocr_pages} of them by optical character "
            "recognition. Each finding is a sentence matched by a published rule and quoted exactly as the document "
            "reads; a missing safeguard means no sentence of the document matched that rule. Automated reading can "
            "miss unusual wording and OCR can misread scanned pages, so every quotation should be checked against "
            "the page cited before it is relied on.")
    if unread:
        text += " These files could not be fully read, and absence of a clause in them proves nothing: " + \
            "; ".join(unread) + "."
    return text


def low_quality_line(pages: list[int]) -> str:
    return (f"Pages {', '.join(map(str, pages))} were read by OCR with low confidence; a clause missing from "
            "them may be unread, not absent.")


def hashes(data: dict) -> list[tuple[str, str]]:
    return [(d["file"], d.get("sha256", "")) for d in data["documents"]]


def to_markdown(data: dict, rule_titles: dict[str, str]) -> str:
    docs = build(data, rule_titles)
    lines = ["# ALPR contract review: findings with citations", ""]
    lines += ["## Comparison", "", "| Document | " + " | ".join(label for _, label in HEADLINE_RULES) + " |",
              "|---|" + "---|" * len(HEADLINE_RULES)]
    for d in docs:
        lines.append(f"| {escape(d.citation_prefix)} | " + " | ".join(escape(d.cells[r]) for r, _ in HEADLINE_RULES) + " |")
    for d in docs:
        lines += ["", f"## {escape(d.citation_prefix)}", ""]
        if d.status == "error":
            lines += [f"Not read: {escape(d.error or '')}", ""]
            continue
        if d.unread_pages:
            lines += [f"Pages {', '.join(map(str, d.unread_pages))} could not be read; findings below cover the "
                      "rest.", ""]
        if d.low_quality_pages:
            lines += [escape(low_quality_line(d.low_quality_pages)), ""]
        if d.concerns:
            lines += ["### Concerns", ""]
            for f in d.concerns:
                lines.append(f"- **{escape(rule_titles.get(f['rule'], f['rule']))}**: “{escape(f['quote'])}” "
                             f"({escape(_citation(d.citation_prefix, f))})")
        if d.missing:
            lines += ["", "### Missing safeguards", "", "No clause limiting these was found anywhere in the document:",
                      ""] + [f"- {escape(m)}" for m in d.missing]
        lines += law_report.markdown_document(d.law, escape)
    if data.get("profile"):
        lines += law_report.markdown_profile(data["profile"], escape)
    lines += ["", "## Methods", "", methods(data), "", "| File | SHA-256 |", "|---|---|"]
    lines += [f"| {escape(f)} | `{h}` |" for f, h in hashes(data)]
    return "\n".join(lines) + "\n"


def write_docx(data: dict, rule_titles: dict[str, str], path) -> None:
    import docx
    from docx.shared import Inches, Pt

    from .atomic import atomic_path

    docs = build(data, rule_titles)
    memo = docx.Document()
    memo.styles["Normal"].font.name = "Calibri"
    memo.styles["Normal"].font.size = Pt(11)
    memo.add_heading("ALPR contract review: findings with citations", level=0)
    memo.add_heading("Comparison", level=1)
    table = memo.add_table(rows=1, cols=len(HEADLINE_RULES) + 1)
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, ["Document"] + [label for _, label in HEADLINE_RULES]):
        cell.text = text
    for d in docs:
        row = table.add_row().cells
        for cell, text in zip(row, [d.citation_prefix] + [d.cells[r] for r, _ in HEADLINE_RULES]):
            cell.text = text
    table.autofit = False
    widths = [Inches(1.75)] + [Inches(0.95)] * len(HEADLINE_RULES)   # verdicts are a word or two
    for column, width in zip(table.columns, widths):
        column.width = width   # the grid, which LibreOffice reads
        for cell in column.cells:
            cell.width = width  # each cell, which Word reads
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(8.5)
    for d in docs:
        memo.add_heading(d.citation_prefix, level=1)
        if d.status == "error":
            memo.add_paragraph(f"Not read: {d.error}")
            continue
        if d.unread_pages:
            memo.add_paragraph(f"Pages {', '.join(map(str, d.unread_pages))} could not be read; the findings "
                               "below cover the rest.")
        if d.low_quality_pages:
            memo.add_paragraph(low_quality_line(d.low_quality_pages))
        if d.concerns:
            memo.add_heading("Concerns", level=2)
            for f in d.concerns:
                para = memo.add_paragraph(style="List Bullet")
                para.add_run(rule_titles.get(f["rule"], f["rule"]) + ": ").bold = True
                para.add_run(f"“{f['quote']}” ").italic = True
                para.add_run(f"({_citation(d.citation_prefix, f)})")
        if d.missing:
            memo.add_heading("Missing safeguards", level=2)
            memo.add_paragraph("No clause limiting these was found anywhere in the document:")
            for m in d.missing:
                memo.add_paragraph(m, style="List Bullet")
        law_report.docx_document(memo, d.law)
    if data.get("profile"):
        law_report.docx_profile(memo, data["profile"])
    memo.add_heading("Methods", level=1)
    memo.add_paragraph(methods(data))
    files = memo.add_table(rows=1, cols=2)
    files.style = "Light Grid Accent 1"
    files.rows[0].cells[0].text, files.rows[0].cells[1].text = "File", "SHA-256"
    for f, h in hashes(data):
        row = files.add_row().cells
        row[0].text, row[1].text = f, h
    with atomic_path(path) as tmp:
        memo.save(tmp)
