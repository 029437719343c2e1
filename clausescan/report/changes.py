"""`clausescan diff OLD NEW`: what changed, in the terminal, a workbook sheet and a Markdown memo.

Findings that appear or disappear lead; then the passages added, removed and changed, in the new
document's order, each changed one as a word diff: [-removed words-] {+added words+}."""
from __future__ import annotations

import sys

from rich.console import Console
from rich.text import Text

from ..diff import WORD_MARKS, ClauseChange, DiffResult, FindingChange
from ..judge import CONCERN, SAFEGUARD
from ..models import Finding
from .atomic import atomic_path, write_text
from .check import print_indented
from .markdown import escape
from .sheets import FILLS, first_sheet, text_cell
from .tables import clause_counts

TERMINAL_CONTEXT = 8        # unchanged words kept on each side of a change in the terminal
TERMINAL_PASSAGE = 240      # characters of an added or removed passage shown in the terminal
CELL_LIMIT = 32000          # a spreadsheet cell holds 32,767 characters
# Bad news in red, good news in green: a lost safeguard or a new concern is bad.
BAD = {("lost", SAFEGUARD), ("gained", CONCERN)}
GOOD = {("gained", SAFEGUARD), ("lost", CONCERN)}
WORD_STYLES = {"-": "red strike", "+": "bold green", "=": ""}


def _is_bad(change: FindingChange) -> bool:
    return (change.change, change.polarity) in BAD


def _where(finding: Finding, side: str) -> str:
    return f"{side} p. {finding.page}" + (f", § {finding.section}" if finding.section else "")


def finding_line(change: FindingChange, titles: dict[str, str]) -> str:
    """'safeguard lost: data-sale (The vendor may sell the data)' or, for values,
    'info changed: retention-period (...): 30 days → 21 days'."""
    line = f"{change.label}: {change.rule}"
    if change.rule in titles:
        line += f" ({titles[change.rule]})"
    if change.change == "changed":
        line += f": {', '.join(change.old_values) or 'no value'} → {', '.join(change.new_values) or 'no value'}"
    return line


def _cited(change: FindingChange) -> list[tuple[str, Finding]]:
    return [(side, f) for side, f in (("old", change.old), ("new", change.new)) if f is not None]


def clause_line(change: ClauseChange) -> str:
    """'changed § 7.2 Data Sale (old p. 4, new p. 5; was § 7.1)'."""
    pages = ", ".join(f"{side} p. {p.page}" for side, p in (("old", change.old), ("new", change.new)) if p)
    renumbered = change.old and change.new and change.old.section != change.new.section
    was = f"; was {change.old.label}" if change.old and renumbered else ""
    return f"{change.change} {change.passage.label} ({pages}{was})"


def counts_line(diff: DiffResult) -> str:
    return clause_counts(diff, ("changed", "added", "removed", "unchanged")) or "no text"


def unread_warnings(diff: DiffResult) -> list[str]:
    """A finding 'lost' may sit on a page that was not read: say so next to the comparison."""
    out = []
    for side, result in (("old", diff.old), ("new", diff.new)):
        pages = result.document.pages_unreadable
        if pages:
            out.append(f"Pages {', '.join(map(str, pages))} of the {side} version ({result.document.file}) could not "
                       "be read, so a finding missing there may only be unread.")
    return out


def _diff_text(change: ClauseChange, context: int | None) -> Text:
    text = Text()
    for index, (op, words) in enumerate(change.segments(context)):
        text.append((" " if index else "") + WORD_MARKS[op].format(words), style=WORD_STYLES[op])
    return text


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def render(diff: DiffResult, rules, console: Console | None = None) -> None:
    console = console or Console(highlight=False, soft_wrap=not sys.stdout.isatty())
    titles = {r.id: r.title for r in rules}
    for side, result in (("OLD", diff.old), ("NEW", diff.new)):
        console.print(Text(f"{side}  {result.document.file} ({len(result.document.pages)} pages)", style="bold"))
    for warning in unread_warnings(diff):
        console.print(Text(warning, style="bold yellow"))
    console.print()
    if diff.findings:
        console.print(Text("FINDINGS THAT APPEAR OR DISAPPEAR", style="bold"))
    else:
        console.print(Text("No finding appears or disappears.", style="bold"))
    for change in diff.findings:
        style = "bold red" if _is_bad(change) else "bold green" if (change.change, change.polarity) in GOOD else "bold cyan"
        console.print(Text("  " + finding_line(change, titles), style=style))
        for side, finding in _cited(change):
            print_indented(console, Text(_where(finding, side), style="dim"))
            print_indented(console, Text(f"“{finding.quote}”"))
    console.print()
    console.print(Text("TEXT: " + counts_line(diff), style="bold"))
    for clause in diff.clauses:
        console.print(Text("  " + clause_line(clause), style="bold"))
        body = _diff_text(clause, TERMINAL_CONTEXT) if clause.words else \
            Text(_shorten(clause.passage.text, TERMINAL_PASSAGE), style="green" if clause.change == "added" else "red")
        print_indented(console, body)


def _md_diff(change: ClauseChange) -> str:
    marks = {"-": "~~{}~~", "+": "**{}**", "=": "{}"}
    return " ".join(marks[op].format(escape(words)) for op, words in change.segments())


def to_markdown(diff: DiffResult, rules) -> str:
    titles = {r.id: r.title for r in rules}
    lines = [f"# What changed: {escape(diff.old.document.file)} → {escape(diff.new.document.file)}", "",
             f"- Old version: {escape(diff.old.document.file)} ({len(diff.old.document.pages)} pages)",
             f"- New version: {escape(diff.new.document.file)} ({len(diff.new.document.pages)} pages)",
             f"- {counts_line(diff)}."]
    lines += [f"- {escape(warning)}" for warning in unread_warnings(diff)]
    lines += ["", "## Findings that appear or disappear", ""]
    if not diff.findings:
        lines.append("No finding appears or disappears.")
    for change in diff.findings:
        lines.append(f"- **{escape(finding_line(change, titles))}**")
        for side, finding in _cited(change):
            lines.append(f"  - {_where(finding, side)}: “{escape(finding.quote)}”")
    lines += ["", "## Text", "", "Deleted words are ~~struck through~~, added words are **bold**.", ""]
    for clause in diff.clauses:
        lines += [f"### {escape(clause_line(clause))}", ""]
        lines.append(_md_diff(clause) if clause.words else escape(clause.passage.text))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def write_markdown(diff: DiffResult, rules, path) -> None:
    write_text(path, to_markdown(diff, rules))


def write_xlsx(diff: DiffResult, rules, path) -> None:
    """A workbook with one sheet, "Changes": finding changes first, then clause changes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    titles = {r.id: r.title for r in rules}
    wb = Workbook()
    ws = first_sheet(wb, "Changes")
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    notes = [f"Old version: {diff.old.document.file}", f"New version: {diff.new.document.file}",
             counts_line(diff) + ". Word diff: [-removed words-] {+added words+}."] + unread_warnings(diff)
    for row, note in enumerate(notes, start=1):
        text_cell(ws, row, 1, note)
    header_row = len(notes) + 2
    header = ["What", "Change", "Rule", "Old page", "Old section", "New page", "New section", "Old text", "New text",
              "Word diff"]
    for col, name in enumerate(header, start=1):
        text_cell(ws, header_row, col, name).font = bold

    rows = []
    for change in diff.findings:
        old, new = change.old, change.new
        fill = FILLS[CONCERN] if _is_bad(change) else FILLS[SAFEGUARD] if (change.change, change.polarity) in GOOD \
            else None
        rows.append((["finding", finding_line(change, titles), change.rule, old.page if old else "",
                      (old.section or "") if old else "", new.page if new else "", (new.section or "") if new else "",
                      old.quote if old else "", new.quote if new else "", ""], fill))
    for clause in diff.clauses:
        before, after = clause.old, clause.new
        rows.append((["clause", clause.change, "", before.page if before else "", (before.section or "") if before else "",
                      after.page if after else "", (after.section or "") if after else "", before.text if before else "",
                      after.text if after else "", clause.word_diff() if clause.words else ""], None))
    for row, (values, fill) in enumerate(rows, start=header_row + 1):
        for col, value in enumerate(values, start=1):
            cell = text_cell(ws, row, col, value[:CELL_LIMIT] if isinstance(value, str) else value)
            cell.alignment = wrap
            if fill and col == 2:
                cell.fill = PatternFill("solid", fgColor=fill)
    for col, width in enumerate([9, 40, 24, 9, 11, 9, 11, 60, 60, 80], start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1).coordinate
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(header))}{header_row + len(rows)}"
    with atomic_path(path) as tmp:
        wb.save(tmp)
