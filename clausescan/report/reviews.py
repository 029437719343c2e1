"""The workbook's Reviews sheet: every finding a person reviewed, the ones marked wrong struck out
(they are left out of every other sheet), the reviews that no longer apply, and the counts."""
from __future__ import annotations

from ..models import ScanResult
from ..review import WRONG, ReviewOutcome, finding_id, fingerprint
from .sheets import BODY_SIZE, table_sheet, text_cell

COLUMNS = [("Review", 10), ("Note", 30), ("File", 30), ("Page", 5), ("Section", 7), ("Rule id", 22), ("Polarity", 10),
           ("Quote", 70), ("Id", 9)]


def add_to_workbook(wb, result: ScanResult, outcome: ReviewOutcome, relative) -> None:
    from openpyxl.styles import Font

    rows = [[f.review, f.review_note or "", relative(f.file), f.page, f.section or "", f.rule, f.polarity, f.quote,
             finding_id(d.document.sha256, f.rule, fingerprint(f.quote))]
            for d in result.documents for f in d.marked_wrong + d.findings if f.review]
    rows += [[f"{label}: {r.status}", r.note or "", relative(r.file) if r.file else "", r.page or "", "", r.rule, "",
              r.quote, r.id] for label, lost in (("stale", outcome.stale), ("not found", outcome.not_found)) for r in lost]
    ws = table_sheet(wb, "Reviews", COLUMNS, rows)
    struck = Font(size=BODY_SIZE, strike=True)
    for row in range(2, ws.max_row + 1):
        if ws.cell(row=row, column=1).value == WRONG:
            ws.cell(row=row, column=8).font = struck
    text_cell(ws, ws.max_row + 2, 1, outcome.line()).font = Font(size=BODY_SIZE, bold=True)
