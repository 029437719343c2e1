"""Word documents: paragraphs and tables in body order, one page (Word has no fixed pages)."""
from __future__ import annotations

import io

from ..errors import InputError
from ..models import Page


def read_docx(data: bytes) -> list[Page]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise InputError("the Word file is damaged and could not be opened.") from exc
    body = document.element.body
    if body is None:   # a document part without <w:body>
        raise InputError("the Word file is damaged: it has no document body.")
    lines: list[str] = []
    numbering = _ListNumbering()
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, document)
            text = para.text.strip()
            if text:
                lines.append(numbering.label(para) + text)
            lines.append("")
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = _unique_cells(row)
                if cells:
                    lines.append(" | ".join(cells))
                    lines.append("")
    return [Page(number=1, text="\n".join(lines))]


def _unique_cells(row) -> list[str]:
    # Merged cells repeat in python-docx; keep each once, in order.
    seen, cells = set(), []
    for cell in row.cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        text = " ".join(cell.text.split())
        if text:
            cells.append(text)
    return cells


class _ListNumbering:
    """Word's automatic list numbers are not in the text; rebuild simple decimal ones so
    clauses in numbered lists still know their section."""

    def __init__(self):
        self.counters: dict[tuple[str, int], int] = {}

    def label(self, para) -> str:
        ppr = para._p.pPr
        if ppr is None or ppr.numPr is None or ppr.numPr.numId is None:
            return ""
        num_id = str(ppr.numPr.numId.val)
        level = int(ppr.numPr.ilvl.val) if ppr.numPr.ilvl is not None else 0
        key = (num_id, level)
        self.counters[key] = self.counters.get(key, 0) + 1
        for deeper in [k for k in self.counters if k[0] == num_id and k[1] > level]:
            del self.counters[deeper]
        parts = [str(self.counters.get((num_id, lv), 1)) for lv in range(level + 1)]
        return ".".join(parts) + ". " if level == 0 else ".".join(parts) + " "
