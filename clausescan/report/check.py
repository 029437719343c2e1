"""`clausescan check FILE`: one contract, read by a reporter on deadline.

The contract's title and parties, a headline that counts what `scan` counts, then concerns first,
each under a heading worded the way the clause cuts, with its quotes in page order, the words that
set each off highlighted, and its page and section; then safeguards, missing safeguards (each with
why it matters), facts, and any pages that could not be read. The contract's own terms (dates,
term, cameras, price) come right after the headline.

The check is built once as a list of blocks, then written for the terminal (rich formatting on a
terminal, plain text when piped) or as Markdown (`check --md`), where every string from the
contract is escaped and the only links are the ones built from the file's own path."""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from ..facts import LABELS, MONEY_FIELDS
from ..judge import MISSING, NOT_READ
from ..models import DocumentResult, Finding
from . import json as json_report
from .atomic import write_text
from .law import markdown_document, render_check
from .links import page_link
from .markdown import escape
from .tables import FACT_COLUMNS, count, not_judged_text, polarity_counts

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "info": 3}
STYLE = {"concern": "bold red", "safeguard": "bold green", "info": "bold cyan"}
SECTIONS = (("concern", "CONCERNS"), ("safeguard", "SAFEGUARDS"), ("info", "FACTS"))
MISSING_LABEL = "MISSING SAFEGUARDS (no clause limiting these was found anywhere in the document)"


def _pages(numbers: list[int]) -> str:
    return f"{'page' if len(numbers) == 1 else 'pages'} {', '.join(map(str, numbers))}"


def headline(d: DocumentResult) -> str:
    """The findings counted as `scan` counts them (with the rules they fall under), what is missing,
    and whether every page was read."""
    doc = d.document
    if doc.status == "error":
        return f"NOT READ: {doc.error}"
    if not d.judged:
        text = not_judged_text(d)
        return text[0].upper() + text[1:] + "; no rule verdicts."
    parts = []
    for polarity, text in zip(("concern", "safeguard"), polarity_counts(d)):
        rule_count = len({f.rule for f in d.findings if f.polarity == polarity})
        parts.append(f"{text} (under {count(rule_count, 'rule')})" if rule_count else text)
    missing = [r for r, v in d.summary.items() if v == MISSING]
    parts.append(count(len(missing), "expected safeguard") + " missing")
    read = "every page read" if not doc.pages_unreadable else \
        f"{_pages(doc.pages_unreadable)} NOT READ, so absence proves nothing there"
    if doc.pages_low_quality_ocr:
        read += f"; {_pages(doc.pages_low_quality_ocr)} LOW-QUALITY OCR, so absence proves nothing there"
    return ", ".join(parts) + f"; {read}."


def parties_line(d: DocumentResult) -> str:
    """ "Between Acme, Inc. ("Vendor") and the Town of X ("Agency")", as the preamble names them."""
    between = d.parties.get("between") or []
    if not between:
        return " · ".join(v for v in (d.parties.get("agency_name"), d.parties.get("vendor_name")) if v)
    names = [p["name"] + (f" (“{p['defined_as']}”)" if p.get("defined_as") else "") for p in between]
    line = "Between " + (" and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1])
    vendor = d.parties.get("vendor_name")
    if vendor and not any(p.get("side") == "vendor" for p in between):
        line += f"; vendor named: {vendor}"
    return line


def first_sentence(text: str) -> str:
    text = " ".join(text.split())
    return re.split(r"(?<=[.!?])\s+(?=[A-Z])", text, maxsplit=1)[0]


def in_page_order(findings: list[Finding], d: DocumentResult) -> list[Finding]:
    """By page, then by where the quote starts on its page (a quote not found keeps its place last)."""
    pages = {p.number: " ".join(p.text.split()) for p in d.document.pages}

    def position(f: Finding) -> tuple[int, int]:
        at = pages.get(f.page, "").find(" ".join(f.quote.split())[:60])
        return f.page, at if at >= 0 else sys.maxsize
    return sorted(findings, key=position)


@dataclass
class RuleGroup:
    rule_id: str
    title: str
    findings: list[Finding]


@dataclass
class Check:
    """What `check` shows for one document, before it is written for the terminal or as Markdown."""
    file: str
    title: str
    parties: str
    pages: str
    headline: str
    problem: str = ""            # why the document was not (fully) read
    left_out: str = ""           # "2 findings marked wrong by review left out" (review.py)
    judged: bool = True
    facts: list[tuple[str, str, int, str]] = field(default_factory=list)   # label, value, page, text
    sections: list[tuple[str, str, list[RuleGroup]]] = field(default_factory=list)   # polarity, label, groups
    missing: list[tuple[str, str, str]] = field(default_factory=list)   # rule id, title, why (one line)
    not_read: list[str] = field(default_factory=list)
    law: list = field(default_factory=list)


def build(d: DocumentResult, rules) -> Check:
    doc = d.document
    by_id = {r.id: r for r in rules}
    ocr = f", {len(doc.pages_ocr)} read by OCR" if doc.pages_ocr else ""
    check = Check(file=doc.file, title=d.title, parties=parties_line(d), pages=count(len(doc.pages), "page") + ocr,
                  headline=headline(d), problem=doc.error if doc.status != "ok" and doc.error else "",
                  judged=doc.status != "error" and d.judged, law=d.law,
                  left_out=f"{count(len(d.marked_wrong), 'finding')} marked wrong by review left out"
                  if d.marked_wrong else "")
    if not check.judged:
        return check
    for name in FACT_COLUMNS:
        fact = getattr(d.facts, name) if d.facts else None
        if fact:   # the vendor and the agency are already in the line under the title
            value = f"${fact.value:,.2f}" if name in MONEY_FIELDS else str(fact.value)
            check.facts.append((LABELS[name].replace(" (USD)", ""), value, fact.page, fact.text))
    for polarity, label in SECTIONS:
        findings = [f for f in d.findings if f.polarity == polarity]
        rule_ids = sorted({f.rule for f in findings},
                          key=lambda r: (SEVERITY_ORDER.get(getattr(by_id.get(r), "severity", "low"), 9), r))
        groups = [RuleGroup(r, by_id[r].title_for(polarity) if r in by_id else r,
                            in_page_order([f for f in findings if f.rule == r], d)) for r in rule_ids]
        if groups:
            check.sections.append((polarity, label, groups))
    check.missing = [(r, by_id[r].title_for("safeguard"), first_sentence(by_id[r].why))
                     for r, v in d.summary.items() if v == MISSING and r in by_id]
    check.not_read = [r for r, v in d.summary.items() if v == NOT_READ]
    return check


# --- the terminal ---------------------------------------------------------------------------

def _quote(finding) -> Text:
    text = Text(f"“{finding.quote}”")
    if finding.trigger:
        text.highlight_words([finding.trigger], style="bold underline", case_sensitive=False)
    return text


def _cite(finding) -> str:
    where = f"p. {finding.page}"
    if finding.section:
        where += f", § {finding.section}"
    if finding.value is not None:
        where += f" · value: {finding.value}{' ' + finding.unit if finding.unit else ''}"
    if finding.review == "confirmed":
        where += " · confirmed by review" + (f": {finding.review_note}" if finding.review_note else "")
    return where


def print_indented(console: Console, text: Text) -> None:
    # Padding fits its lines to the console width, wrapping and cutting them even when soft_wrap
    # is on; piped output gets the indent as plain spaces so that each quote stays one whole line.
    if console.soft_wrap:
        console.print(Text("    ") + text)
    else:
        console.print(Padding(text, (0, 0, 0, 4)))


def render(d: DocumentResult, rules, console: Console | None = None) -> None:
    # On a terminal rich wraps to its width; piped into a file or grep, each line stays whole.
    console = console or Console(highlight=False, soft_wrap=not sys.stdout.isatty())
    check = build(d, rules)
    console.print(Text(check.file, style="bold"))
    for line in (check.title, check.parties):
        if line:
            console.print(Text(line))
    console.print(check.pages)
    console.print(Text(check.headline, style="bold"))
    if check.left_out:
        console.print(check.left_out)
    if check.problem:
        console.print(Text(f"Not read: {check.problem}", style="bold yellow"))
    if not check.judged:
        return
    if check.facts:
        console.print()
        console.print(Text("CONTRACT", style="bold"))
        for label, value, page, text in check.facts:
            console.print(Text(f"  {label}: {value}  (p. {page}: “{text}”)"))
    for polarity, label, groups in check.sections:
        console.print()
        console.print(Text(label, style=STYLE[polarity]))
        for group in groups:
            console.print(Text(f"  {group.title} [{group.rule_id}]", style="bold"))
            for f in group.findings:
                print_indented(console, Text(_cite(f), style="dim"))
                print_indented(console, _quote(f))
    if check.missing:
        console.print()
        console.print(Text(MISSING_LABEL, style="bold magenta"))
        for rule_id, title, why in check.missing:
            console.print(Text(f"  - {title} [{rule_id}]: {why}"))
    if check.not_read:
        console.print()
        console.print(Text("Not checked because pages could not be read, or only by low-quality OCR: "
                           + ", ".join(check.not_read), style="yellow"))
    if check.law:
        render_check(console, d)


# --- Markdown -------------------------------------------------------------------------------

def to_markdown(d: DocumentResult, rules, base=None) -> str:
    """The check as Markdown: contract text escaped, so it never becomes markup, HTML or a link;
    each page cited links to the PDF's page (built from the file's path only, relative to `base`,
    the folder the Markdown is written to)."""
    check = build(d, rules)

    def page(number: int) -> str:
        link = page_link(check.file, number, base)
        return f"[p. {number}]({link})" if link else f"p. {number}"

    lines = [f"# {escape(check.title or check.file)}", ""]
    lines += [f"{escape(line)}  " for line in (check.parties, f"{check.file} · {check.pages}") if line]
    lines += ["", f"**{escape(check.headline)}**", ""] + ([check.left_out, ""] if check.left_out else [])
    if check.problem:
        lines += [f"Not read: {escape(check.problem)}", ""]
    if check.judged:
        if check.facts:
            lines += ["## Contract", ""]
            lines += [f"- {escape(label)}: {escape(value)} ({page(number)}: “{escape(text)}”)"
                      for label, value, number, text in check.facts] + [""]
        for _, label, groups in check.sections:
            lines += [f"## {label.title()}", ""]
            for group in groups:
                lines += [f"### {escape(group.title)} ({escape(group.rule_id)})", ""]
                for f in group.findings:
                    where = page(f.page) + (f", § {escape(f.section)}" if f.section else "")
                    if f.value is not None:
                        where += f" · value: {escape(f.value)}{' ' + escape(f.unit) if f.unit else ''}"
                    lines.append(f"- {where}: “{escape(f.quote)}”")
                lines.append("")
        if check.missing:
            lines += ["## Missing safeguards", "", "No clause limiting these was found anywhere in the document:", ""]
            lines += [f"- **{escape(title)}** ({escape(rule_id)}): {escape(why)}" for rule_id, title, why in check.missing]
            lines.append("")
        if check.not_read:
            lines += ["Not checked because pages could not be read, or only by low-quality OCR: "
                      + escape(", ".join(check.not_read)), ""]
        if check.law:
            lines += markdown_document(check.law, escape)
    return "\n".join(lines).rstrip() + "\n"


def write_outputs(result, md=None, json_path=None) -> list:
    """`check --md` and `check --json` for the one contract checked; the paths written."""

    if md:
        write_text(md, "\n".join(to_markdown(d, result.rules, base=Path(md).parent) for d in result.documents))
    if json_path:
        json_report.write(result, json_path)
    return [p for p in (md, json_path) if p]
