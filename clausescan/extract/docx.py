"""Word documents: paragraphs and tables in body order, one page (Word has no fixed pages); a
redline's tracked changes read as accepted, as the parties agreed them."""
from __future__ import annotations

import io
import zipfile

from ..errors import InputError
from ..models import Page


def read_docx(data: bytes) -> list[Page]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(_without_macro_types(data)))
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
            text = agreed_text(child).strip()
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


# A macro-enabled document or template (.docm, .dotm, .dotx) has the text of a .docx under another
# content type, which python-docx refuses; its text is read under the plain one (macros never run)
_WORD_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_OTHER_WORD_MAINS = (b"application/vnd.ms-word.document.macroEnabled.main+xml",
                     b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
                     b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml")


def _without_macro_types(data: bytes) -> bytes:
    """The file, with the content type of a macro-enabled document or a template as a .docx's."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        types = archive.read("[Content_Types].xml")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return data   # python-docx says what is wrong
    if not any(other in types for other in _OTHER_WORD_MAINS):
        return data
    for other in _OTHER_WORD_MAINS:
        types = types.replace(other, _WORD_MAIN)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as plain:
        for item in archive.infolist():
            plain.writestr(item, types if item.filename == "[Content_Types].xml" else archive.read(item))
    return out.getvalue()


def _unique_cells(row) -> list[str]:
    # Merged cells repeat in python-docx; keep each once, in order.
    seen, cells = set(), []
    for cell in row.cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        text = " ".join("\n".join(agreed_text(p) for p in cell._tc.xpath("./w:p")).split())
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


# The runs of a paragraph's text, tracked insertions and text moved here included; a tracked
# deletion (w:del) or the place text was moved from (w:moveFrom) is not read. python-docx's
# Paragraph.text reads runs inside neither, so a clause inserted in a redline would be lost.
_AGREED_RUNS = " | ".join(f"./{path}w:r" for path in (
    "", "w:ins/", "w:moveTo/", "w:hyperlink/", "w:ins/w:hyperlink/", "w:hyperlink/w:ins/", "w:smartTag/",
    "w:sdt/w:sdtContent/", "w:ins/w:sdt/w:sdtContent/", "w:fldSimple/"))


def agreed_text(paragraph) -> str:
    """A paragraph's text (a w:p element) with every tracked change accepted."""
    return "".join(run.text for run in paragraph.xpath(_AGREED_RUNS))
