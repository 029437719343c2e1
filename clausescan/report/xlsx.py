"""The comparison workbook: Summary (document x rule), Findings, Rules, Files.

Contract text is untrusted: every cell made from it is written as a string cell, never a
formula, whatever it starts with. Links between sheets are hyperlink objects, not formulas."""
from __future__ import annotations

from ..facts import LABELS
from ..judge import BOTH, CONCERN, MISSING, NOT_READ, SAFEGUARD
from ..models import ScanResult
from .atomic import atomic_path
from .tables import FACT_COLUMNS, summary_rows

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FILLS = {CONCERN: "F4B6B6", BOTH: "F9D9A8", SAFEGUARD: "B9DFC0", MISSING: "F2D0E4", NOT_READ: "D0D0D0"}
# Marks that carry the verdict in black and white.
MARKS = {CONCERN: "✖ ", BOTH: "◐ ", SAFEGUARD: "✔ ", MISSING: "○ ", NOT_READ: "? "}


def text_cell(ws, row: int, col: int, value):
    """Write a value; strings always as text, never as formulas."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def table_sheet(wb, title: str, columns: list[tuple[str, int]], rows) -> None:
    """A sheet of (header, width) columns, the header in bold and frozen, the cells wrapped text."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for col, (name, width) in enumerate(columns, start=1):
        text_cell(ws, 1, col, name).font = bold
        ws.column_dimensions[get_column_letter(col)].width = width
    for row, values in enumerate(rows, start=2):
        for col, value in enumerate(values, start=1):
            text_cell(ws, row, col, value).alignment = wrap
    ws.freeze_panes = "A2"


def write(result: ScanResult, path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    wb = Workbook()
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    link_font = Font(color="1F4E9E", underline="single")
    rule_ids = [r.id for r in result.rules]

    summary, findings = wb.active, wb.create_sheet("Findings")
    summary.title = "Summary"
    fixed = ["File", "Agency / town", "Vendor", "Pages", "Pages OCR", "Status"] + [LABELS[f] for f in FACT_COLUMNS]
    baseline = any(d.baseline for d in result.documents)   # scan --baseline
    if baseline:
        fixed.append("Negotiated changes")
    for col, name in enumerate(fixed + rule_ids, start=1):
        text_cell(summary, 1, col, name).font = bold
    finding_cols = ["File", "Page", "Section", "Rule", "Polarity", "Value", "Unit", "Quote", "Summary row"]
    for col, name in enumerate(finding_cols, start=1):
        text_cell(findings, 1, col, name).font = bold

    frow = 2
    for srow, (d, cells) in enumerate(zip(result.documents, summary_rows(result)), start=2):
        status = cells["status"] if not cells["error"] else f"{cells['status']}: {cells['error']}"
        values = [cells["file"], cells["agency"], cells["vendor"] or "", cells["pages"], cells["pages_ocr"], status,
                  *(cells[name] for name in FACT_COLUMNS)]
        if baseline:
            values.append(cells["negotiated_changes"])
        for col, value in enumerate(values, start=1):
            text_cell(summary, srow, col, value).alignment = wrap
        first_finding: dict[str, int] = {}
        for f in d.findings:
            first_finding.setdefault(f.rule, frow)
            row = [f.file, f.page, f.section or "", f.rule, f.polarity, f.value if f.value is not None else "",
                   f.unit or "", f.quote]
            for col, value in enumerate(row, start=1):
                text_cell(findings, frow, col, value).alignment = wrap
            back = text_cell(findings, frow, len(row) + 1, f"Summary row {srow}")
            back.hyperlink = Hyperlink(ref=back.coordinate, location=f"'Summary'!A{srow}")
            back.font = link_font
            frow += 1
        for offset, rule_id in enumerate(rule_ids):
            col = len(fixed) + 1 + offset
            verdict, text = d.summary.get(rule_id, ""), cells[rule_id]
            cell = text_cell(summary, srow, col, MARKS.get(verdict, "") + text if text != verdict or verdict in MARKS
                         else text)
            cell.alignment = wrap
            if verdict in FILLS:
                cell.fill = PatternFill("solid", fgColor=FILLS[verdict])
            if rule_id in first_finding:
                cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'Findings'!A{first_finding[rule_id]}")

    if result.profile:
        from .law import add_to_workbook
        add_to_workbook(wb, summary, result, first_col=len(fixed) + len(rule_ids) + 1)

    summary_widths = [38, 22, 20, 7, 9, 24] + [13] * len(FACT_COLUMNS) + [36] * baseline + [15] * len(rule_ids)
    for ws, widths in ((summary, summary_widths),
                       (findings, [38, 6, 9, 24, 10, 14, 7, 90, 14])):
        for col, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.freeze_panes = "B2" if ws is summary else "A2"
        if ws.max_row > 1:
            ws.auto_filter.ref = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"

    legend_row = len(result.documents) + 3
    text_cell(summary, legend_row, 1, "Legend").font = bold
    for i, (verdict, meaning) in enumerate([
            (CONCERN, "the contract widens what the vendor or others may do with the data"),
            (SAFEGUARD, "the contract limits data use, sharing or retention"),
            (BOTH, "both kinds of clause are present"),
            (MISSING, "a safeguard a careful agency would insist on was not found"),
            (NOT_READ, "some pages could not be read, or only by low-quality OCR, so absence proves nothing")], start=1):
        cell = text_cell(summary, legend_row + i, 1, MARKS[verdict] + verdict)
        cell.fill = PatternFill("solid", fgColor=FILLS[verdict])
        text_cell(summary, legend_row + i, 2, meaning)

    table_sheet(wb, "Rules", [("Rule", 26), ("Title", 44), ("Category", 14), ("Severity", 10),
                              ("Why it matters", 100)],
                ([rule.id, rule.title, rule.category, rule.severity, " ".join(rule.why.split())]
                 for rule in result.rules))
    table_sheet(wb, "Files", [("File", 38), ("SHA-256", 66), ("Kind", 8), ("Status", 9), ("Error", 50), ("Pages", 7),
                              ("Pages read by OCR", 14), ("Unreadable pages", 14), ("Mean OCR confidence", 12),
                              ("OCR confidence by page", 24), ("Low-quality OCR pages", 14),
                              ("clausescan version", 12), ("Rule library version", 14)],
                ([d.document.file, d.document.sha256, d.document.kind, d.document.status, d.document.error or "",
                  len(d.document.pages), ", ".join(map(str, d.document.pages_ocr)),
                  ", ".join(map(str, d.document.pages_unreadable)),
                  d.document.ocr_confidence if d.document.ocr_confidence is not None else "",
                  ", ".join(f"{page}: {conf}" for page, conf in d.document.pages_ocr_confidence.items()),
                  ", ".join(map(str, d.document.pages_low_quality_ocr)),
                  result.tool_version, result.rules_version] for d in result.documents))

    with atomic_path(path) as tmp:
        wb.save(tmp)
