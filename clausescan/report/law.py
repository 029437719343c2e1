"""State law verdicts in the reports: workbook columns and a Law sheet, a section of `check`,
and memo sections (Markdown and DOCX). Every limit shows its citation, and "unverified" when it
was not checked against the primary statutory text."""
from __future__ import annotations

from ..law import CHECK, CONFLICTS, EXCEEDS, NOT_READ, NOT_STATED, WITHIN, LawVerdict
from ..models import ScanResult
from ..profiles import Limit, Profile
from .sheets import table_sheet, text_cell

FILLS = {EXCEEDS: "F4B6B6", CONFLICTS: "F4B6B6", WITHIN: "B9DFC0", CHECK: "F9D9A8", NOT_STATED: "E8E8E8",
         NOT_READ: "D0D0D0"}
STYLES = {EXCEEDS: "bold red", CONFLICTS: "bold red", WITHIN: "green", CHECK: "yellow", NOT_STATED: "dim",
          NOT_READ: "yellow"}


def verified_word(verified: bool) -> str:
    return "verified" if verified else "unverified"


# --- workbook ---------------------------------------------------------------------------------

def add_to_workbook(wb, summary_ws, result: ScanResult, profile: Profile, first_col: int, first_row: int = 3) -> None:
    """One Summary column per limit, from `first_col` (the contracts' rows from `first_row`), and a
    Law sheet listing the limits."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for offset, limit in enumerate(profile.limits):
        col = first_col + offset
        text_cell(summary_ws, 1, col, f"{profile.state} law: {limit.kind} ({verified_word(limit.verified)})").font = bold
        summary_ws.column_dimensions[get_column_letter(col)].width = 36
        for row, d in enumerate(result.judged, start=first_row):
            verdict = d.law[offset]
            cell = text_cell(summary_ws, row, col, f"{verdict.status}: {verdict.text}")
            cell.alignment = wrap
            cell.fill = PatternFill("solid", fgColor=FILLS[verdict.status])

    table_sheet(wb, "Law", [("State", 14), ("Limit", 22), ("Maximum", 11), ("What the law says", 50),
                            ("Exceptions", 40), ("Citation", 28), ("Verified", 11), ("Checked", 11),
                            ("Primary text", 30), ("Sources read", 50), ("Note", 60)],
                ([profile.name, limit.kind, limit.max or "", " ".join(limit.summary.split()),
                  " ".join((limit.exceptions or "").split()), limit.citation, verified_word(limit.verified),
                  limit.checked.isoformat(), limit.url or "", "\n".join(limit.sources),
                  " ".join((limit.note or "").split())] for limit in profile.limits))


# --- check (terminal) -------------------------------------------------------------------------

def render_check(console, d) -> None:
    from rich.text import Text

    console.print()
    console.print(Text("STATE LAW", style="bold blue"))
    for verdict in d.law:
        line = Text(f"  {verdict.status}", style=STYLES[verdict.status])
        line.append(f" [{verdict.kind}] ", style="bold")
        line.append(verdict.text)
        console.print(line)


# --- memo -------------------------------------------------------------------------------------

def _limit_line(limit: Limit) -> str:
    bound = f" (maximum {limit.max})" if limit.max else ""
    return f"{limit.kind}{bound}: {' '.join(limit.summary.split())} {limit.citation}, {verified_word(limit.verified)}, " \
           f"checked {limit.checked.isoformat()}."


def profile_intro(profile: Profile) -> str:
    unverified = sum(not limit.verified for limit in profile.limits)
    text = f"Each document was checked against the statutory limits of {profile.name} listed here."
    if unverified:
        text += (f" Limits marked unverified ({unverified} of {len(profile.limits)}) could not be checked against "
                 "the primary statutory text: confirm them in the official code before relying on them.")
    return text


def markdown_profile(profile: Profile, md) -> list[str]:
    lines = ["", f"## State law: {md(profile.name)}", "", md(profile_intro(profile)), ""]
    return lines + [f"- {md(_limit_line(limit))}" for limit in profile.limits]


def markdown_document(law: list[LawVerdict], md) -> list[str]:
    if not law:
        return []
    return ["", "### State law", ""] + [f"- **{md(v.status)}** ({md(v.kind)}): {md(v.text)}" for v in law]


def docx_profile(memo, profile: Profile) -> None:
    memo.add_heading(f"State law: {profile.name}", level=1)
    memo.add_paragraph(profile_intro(profile))
    for limit in profile.limits:
        memo.add_paragraph(_limit_line(limit), style="List Bullet")


def docx_document(memo, law: list[LawVerdict]) -> None:
    if not law:
        return
    memo.add_heading("State law", level=2)
    for v in law:
        para = memo.add_paragraph(style="List Bullet")
        para.add_run(f"{v.status} ({v.kind}): ").bold = True
        para.add_run(v.text)
