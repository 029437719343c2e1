"""Tables of prices and terms on PDF pages, through pdfplumber.

pdfplumber is far slower than pypdfium2 (see extract/pdf.py): opening a document and looking for
tables on one page costs more than reading the text of a hundred. So it runs only on pages whose
text suggests an order form's table (several dollar amounts, or a line that starts with a
quantity or term heading) *and* whose drawing, as PDFium already has it, holds the ruling a table
needs. pdfplumber finds tables from ruling lines and cell borders only (its default "lines"
strategy), so a page without them can give it no table: a master agreement's pages of prose that
mention fees are never handed to it. Each page is closed after use to bound memory on long files."""
from __future__ import annotations

import io
import re

from ..models import Page
from ..quantities import MONEY

TABLE_HINT = re.compile(r"^\s*(?:qty|quantity|unit price|initial term|renewal term|term item|total contract|"
                        r"effective date)\b", re.I | re.M)
# A path of more segments than a rectangle's (move, three lines, close) may draw many rules at once.
RECTANGLE_SEGMENTS = 5
THIN = 2.0       # points: a path this thin draws one rule, not a box
TOLERANCE = 6.0  # points: rules this close may meet (pdfplumber snaps and joins within 3, then meets within 3)


def looks_like_a_price_table(text: str) -> bool:
    return len(MONEY.findall(text)) >= 2 or bool(TABLE_HINT.search(text))


def may_hold_a_ruled_table(page) -> bool:
    """Whether a PDFium page draws the rules of a table of two rows or more: horizontal and
    vertical rules (each box's four sides count) that cross at three heights and two places across
    at least, as the corners of two cells one above the other do. A path that is neither a rule
    nor a box, or one inside a form XObject (whose positions are in the form's own space), counts
    as a possible table, so that no table pdfplumber would find is skipped."""
    import pypdfium2.raw as pdfium_c

    horizontals, verticals = [], []   # (y, x0, x1), (x, y0, y1)
    for path in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=3):
        if path.level or pdfium_c.FPDFPath_CountSegments(path.raw) > RECTANGLE_SEGMENTS:
            return True
        left, bottom, right, top = path.get_bounds()
        tall, wide = top - bottom > THIN, right - left > THIN
        if wide:
            horizontals.extend([(bottom, left, right), (top, left, right)] if tall else [((bottom + top) / 2, left, right)])
        if tall:
            verticals.extend([(left, bottom, top), (right, bottom, top)] if wide else [((left + right) / 2, bottom, top)])
    heights, places = set(), set()
    for y, x0, x1 in horizontals:
        for x, y0, y1 in verticals:
            if x0 - TOLERANCE <= x <= x1 + TOLERANCE and y0 - TOLERANCE <= y <= y1 + TOLERANCE:
                heights.add(round(y))
                places.add(round(x))
    return len(heights) >= 3 and len(places) >= 2


def add_pdf_tables(data: bytes, pages: list[Page]) -> None:
    """Fill `tables` of the given pages that are still read from their text layer."""
    wanted = [p for p in pages if p.method == "text" and p.text]
    if not wanted:
        return
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in wanted:
                plumber_page = pdf.pages[page.number - 1]
                try:
                    page.tables = [t for t in plumber_page.extract_tables() if len(t) >= 2]
                finally:
                    plumber_page.close()
    except Exception:   # tables only add facts: a PDF pdfplumber cannot parse keeps its text and findings
        return
