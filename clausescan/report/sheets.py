"""Sheets of a workbook, made alike: text cells that never become formulas, header styles, column
widths and row heights, print setup. Used by every workbook clausescan writes: the comparison
workbook (xlsx.py) with its state-law and review sheets (law.py, reviews.py), and the diff's (changes.py)."""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..judge import BOTH, CONCERN, MISSING, NOT_READ, SAFEGUARD

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FILLS = {CONCERN: "F4B6B6", BOTH: "F9D9A8", SAFEGUARD: "B9DFC0", MISSING: "F2D0E4", NOT_READ: "D0D0D0"}
FOOTER_LEGEND = "✖ concern  ✔ safeguard  ◐ both  ○ missing safeguard  ? not fully read"
BODY_SIZE, HEADER_SIZE, ID_SIZE = 9, 9, 7
LINE_POINTS = 12     # the height of one line of 9-point text
MAX_ROW_POINTS = 300


def first_sheet(wb, title: str) -> Worksheet:
    """The one sheet a new workbook has, titled."""
    from openpyxl.worksheet.worksheet import Worksheet
    ws = wb.active
    assert isinstance(ws, Worksheet), "a new workbook has one worksheet"
    ws.title = title
    return ws


def text_cell(ws, row: int, col: int, value):
    """Write a value; strings always as text, never as formulas."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def cell_styles():
    from openpyxl.styles import Alignment, Font
    return {"bold": Font(bold=True, size=HEADER_SIZE), "body": Font(size=BODY_SIZE),
            "id": Font(size=ID_SIZE, italic=True, color="666666"),
            "link": Font(size=BODY_SIZE, color="1F4E9E", underline="single"),
            "wrap": Alignment(wrap_text=True, vertical="top")}


def solid_fill(colour: str):
    from openpyxl.styles import PatternFill
    return PatternFill("solid", fgColor=colour)


def print_setup(ws, title_rows: str, title_cols: str | None = None) -> None:
    """Landscape, fitted to the page width (as many pages down as it takes), header rows repeated
    on every page, the legend and page numbers in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_LETTER
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    ws.page_margins.left = ws.page_margins.right = 0.3
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.oddHeader.center.text = "&A"
    ws.oddFooter.left.text = FOOTER_LEGEND
    ws.oddFooter.right.text = "page &P of &N"


def fit_rows(ws, widths: dict[int, float], first_row: int, header_rows: int = 0) -> None:
    """Set each row's height from its longest wrapped cell, so that LibreOffice and Excel show
    every line instead of letting wrapped text overlap the next row."""
    for row in ws.iter_rows(min_row=1 if header_rows else first_row):
        lines = 1
        for cell in row:
            if cell.value is None or cell.column not in widths or cell.hyperlink:   # a linked cell is one line
                continue
            chars = max(4, widths[cell.column] * (1.0 if cell.font.size in (None, BODY_SIZE) else 1.15) - 1)
            lines = max(lines, sum(max(1, math.ceil(len(part) / chars)) for part in str(cell.value).split("\n")))
        ws.row_dimensions[row[0].row].height = min(MAX_ROW_POINTS, LINE_POINTS * lines + 3)


def set_widths(ws, widths: Sequence[float]) -> dict[int, float]:
    from openpyxl.utils import get_column_letter
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    return dict(enumerate(widths, start=1))


def table_sheet(wb, title: str, columns: list[tuple[str, int]], rows, fills=None) -> Worksheet:
    """A sheet of (header, width) columns: the header bold, frozen and repeated on printed pages,
    the cells wrapped with row heights set. `fills` maps a column index to a function of the
    cell's value giving its fill colour (or None)."""
    ws = wb.create_sheet(title)
    style = cell_styles()
    for col, (name, _width) in enumerate(columns, start=1):
        cell = text_cell(ws, 1, col, name)
        cell.font, cell.alignment = style["bold"], style["wrap"]
    for row, values in enumerate(rows, start=2):
        for col, value in enumerate(values, start=1):
            cell = text_cell(ws, row, col, value)
            cell.font, cell.alignment = style["body"], style["wrap"]
            colour = fills.get(col - 1, lambda v: None)(value) if fills else None
            if colour:
                cell.fill = solid_fill(colour)
    finish_table(ws, [w for _, w in columns])
    return ws


def finish_table(ws, widths: Sequence[float]) -> None:
    """Column widths and row heights, the header row frozen, filtered and repeated in print."""
    fit_rows(ws, set_widths(ws, widths), 2, header_rows=1)
    ws.freeze_panes = "A2"
    if ws.max_row > 1:
        ws.auto_filter.ref = f"A1:{column_letter(ws.max_column)}{ws.max_row}"
    print_setup(ws, "1:1")


def column_letter(n: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(n)
