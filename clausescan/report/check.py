"""`clausescan check FILE`: one contract, read in the terminal by a reporter on deadline.

Rich formatting on a terminal, plain text when piped. Concerns first, each with its quote,
the words that set it off highlighted, and its page and section; then safeguards, missing
safeguards, facts, and any pages that could not be read. The contract's own terms (dates,
term, cameras, price) come right after the headline."""
from __future__ import annotations

import sys

from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from ..facts import LABELS, MONEY_FIELDS
from ..judge import MISSING, NOT_READ
from ..models import DocumentResult
from .tables import FACT_COLUMNS, count, not_judged_text

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "info": 3}
STYLE = {"concern": "bold red", "safeguard": "bold green", "info": "bold cyan"}


def headline(d: DocumentResult, rules) -> str:
    doc = d.document
    if doc.status == "error":
        return f"NOT READ: {doc.error}"
    if not d.judged:
        text = not_judged_text(d)
        return text[0].upper() + text[1:] + "; no rule verdicts."
    concerns = sorted({f.rule for f in d.findings if f.polarity == "concern"})
    safeguards = sorted({f.rule for f in d.findings if f.polarity == "safeguard"})
    missing = [r for r, v in d.summary.items() if v == MISSING]
    parts = [f"{len(concerns)} kinds of concern", f"{len(safeguards)} safeguards found",
             f"{len(missing)} expected safeguards missing"]
    read = "every page read" if not doc.pages_unreadable else \
        f"pages {', '.join(map(str, doc.pages_unreadable))} NOT READ, so absence proves nothing there"
    if doc.pages_low_quality_ocr:
        read += f"; pages {', '.join(map(str, doc.pages_low_quality_ocr))} LOW-QUALITY OCR, so absence proves nothing there"
    return "; ".join(parts) + f"; {read}."


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


def _render_facts(d: DocumentResult, console: Console) -> None:
    # the vendor and the agency are already in the line under the file name
    stated = [(name, getattr(d.facts, name)) for name in FACT_COLUMNS if d.facts and getattr(d.facts, name)]
    if not stated:
        return
    console.print()
    console.print(Text("CONTRACT", style="bold"))
    for name, fact in stated:
        value = f"${fact.value:,.2f}" if name in MONEY_FIELDS else fact.value
        console.print(f"  {LABELS[name].replace(' (USD)', '')}: {value}  (p. {fact.page}: “{fact.text}”)")


def render(d: DocumentResult, rules, console: Console | None = None) -> None:
    # On a terminal rich wraps to its width; piped into a file or grep, each line stays whole.
    console = console or Console(highlight=False, soft_wrap=not sys.stdout.isatty())
    doc = d.document
    by_id = {r.id: r for r in rules}
    who = " · ".join(v for v in (d.parties.get("agency_name"), d.parties.get("vendor_name")) if v)
    console.print(Text(doc.file, style="bold"))
    if d.title or who:
        console.print(" · ".join(v for v in (d.title, who) if v))
    ocr = f", {len(doc.pages_ocr)} read by OCR" if doc.pages_ocr else ""
    console.print(f"{len(doc.pages)} pages{ocr}")
    console.print(Text(headline(d, rules), style="bold"))
    if d.marked_wrong:
        console.print(f"{count(len(d.marked_wrong), 'finding')} marked wrong by review left out")
    if doc.status != "ok" and doc.error:
        console.print(Text(f"Not read: {doc.error}", style="bold yellow"))
    if doc.status == "error" or not d.judged:
        return
    _render_facts(d, console)
    for polarity, label in (("concern", "CONCERNS"), ("safeguard", "SAFEGUARDS"), ("info", "FACTS")):
        findings = [f for f in d.findings if f.polarity == polarity]
        if not findings:
            continue
        console.print()
        console.print(Text(label, style=STYLE[polarity]))
        rule_ids = sorted({f.rule for f in findings},
                          key=lambda r: (SEVERITY_ORDER.get(getattr(by_id.get(r), "severity", "low"), 9), r))
        for rule_id in rule_ids:
            rule = by_id.get(rule_id)
            console.print(Text(f"  {rule.title if rule else rule_id} [{rule_id}]", style="bold"))
            for f in (f for f in findings if f.rule == rule_id):
                print_indented(console, Text(_cite(f), style="dim"))
                print_indented(console, _quote(f))
    missing = [by_id[r] for r, v in d.summary.items() if v == MISSING and r in by_id]
    not_read = [r for r, v in d.summary.items() if v == NOT_READ]
    if missing:
        console.print()
        console.print(Text("MISSING SAFEGUARDS (no clause limiting these was found anywhere in the document)",
                           style="bold magenta"))
        for rule in missing:
            console.print(Text(f"  - {rule.title} [{rule.id}]"))
    if not_read:
        console.print()
        console.print(Text("Not checked because pages could not be read, or only by low-quality OCR: "
                           + ", ".join(not_read), style="yellow"))
    if d.law:
        from .law import render_check
        render_check(console, d)
