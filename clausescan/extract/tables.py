"""Tables of prices and terms on PDF pages, through pdfplumber.

pdfplumber is far slower than pypdfium2 (see extract/pdf.py), so it runs only on pages whose
text already suggests an order form's table: several dollar amounts, or a line that starts with
a quantity or term heading. Each page is closed after use to bound memory on long files."""
from __future__ import annotations

import io
import re

from ..models import Page
from ..rules.values import MONEY

TABLE_HINT = re.compile(r"^\s*(?:qty|quantity|unit price|initial term|renewal term|term item|total contract|"
                        r"effective date)\b", re.I | re.M)


def looks_like_a_price_table(text: str) -> bool:
    return len(MONEY.findall(text)) >= 2 or bool(TABLE_HINT.search(text))


def add_pdf_tables(data: bytes, pages: list[Page]) -> None:
    """Fill `tables` of the text pages that look like price or term tables."""
    wanted = [p for p in pages if p.method == "text" and p.text and looks_like_a_price_table(p.text)]
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
