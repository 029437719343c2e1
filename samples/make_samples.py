"""Render the demo contracts in samples/src/*.md into the files under samples/contracts/.

Every sample is fictional: vendors, towns, people and addresses were invented for
clausescan, and all web and mail addresses use example.com / example.org domains.

Usage (needs fpdf2, which is in the project's "dev" extra):

    python samples/make_samples.py

Output is deterministic: the same sources and fpdf2 version give byte-identical files
(the PDF creation date, and with it the PDF file id, is fixed).

Source format (a small subset of Markdown):

    ---                          front matter, "key: value" lines:
    output: town/file.pdf        where to write, relative to samples/contracts/ (.pdf or .txt)
    header: ...                  PDF only: the line repeated at the top of every page
    title: / author: ...         PDF only: document metadata
    ---
    # Title                      centred, bold
    ### Subtitle                 centred
    ## 1. HEADING                bold section heading
    (a) text                     indented sub-clause
    | a | b |                    table (the |---| row is skipped; first row is bold)
    <!-- pagebreak -->           start a new page
    line ending in \\            hard line break inside a paragraph

Other lines are joined into justified paragraphs; a blank line ends a paragraph. A .txt
output is the body written as it is (no Markdown processing). PDFs get a "Page N of M"
footer; paragraphs that flow over a page break are reported when the script runs.
"""
from __future__ import annotations

import re
import sys
from datetime import datetime, timezone
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
CONTRACTS = HERE / "contracts"   # what the demo scans; sources stay out of it
CREATED = datetime(2024, 6, 1, 12, 0, 0, tzinfo=timezone.utc)

FONT = "Helvetica"
BODY_SIZE = 10
LINE_H = 5.0
PARA_GAP = 2.2
SUB_INDENT = 8.0


def read_source(path: Path) -> tuple[dict[str, str], str]:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    if not m:
        raise SystemExit(f"{path.name}: missing front matter (--- output: ... ---)")
    for line in m.group(1).splitlines():
        if line.strip():
            key, _, value = line.partition(":")
            meta[key.strip()] = value.strip()
    if "output" not in meta:
        raise SystemExit(f"{path.name}: front matter has no 'output:'")
    return meta, text[m.end():]


def blocks(body: str) -> list[list[str]]:
    """Blank-line separated blocks; a pagebreak comment is a block of its own."""
    out: list[list[str]] = []
    current: list[str] = []
    for line in body.splitlines():
        if not line.strip() or line.strip() == "<!-- pagebreak -->" or line.startswith("#"):
            if current:
                out.append(current)
                current = []
            if line.strip():
                out.append([line.strip()])
            continue
        current.append(line.rstrip())
    if current:
        out.append(current)
    return out


class SamplePDF(FPDF):
    def __init__(self, header_text: str):
        super().__init__(format="letter", unit="mm")
        self.header_text = header_text
        self.set_margins(25, 18, 25)
        self.set_auto_page_break(auto=True, margin=22)
        self.set_creation_date(CREATED)
        self.set_creator("clausescan samples/make_samples.py")
        self.crossings: list[str] = []

    def header(self):
        self.set_font(FONT, "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 4, self.header_text, align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(150, 150, 150)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.set_text_color(0, 0, 0)
        self.ln(7)

    def footer(self):
        self.set_y(-15)
        self.set_font(FONT, "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0, 0, 0)

    def paragraph(self, text: str, align: str = "J", indent: float = 0.0):
        self.set_font(FONT, "", BODY_SIZE)
        width = self.epw - indent
        lines = self.multi_cell(width, LINE_H, text, align=align, dry_run=True, output="LINES")
        room = int((self.page_break_trigger - self.get_y()) // LINE_H)
        if 0 < room < len(lines):   # some lines on this page, the rest on the next
            self.crossings.append(f"p.{self.page_no()}->{self.page_no() + 1} after line {room} "
                                  f"of {len(lines)}: {text[:50]}...")
        self.set_x(self.l_margin + indent)
        self.multi_cell(width, LINE_H, text, align=align, new_x="LMARGIN", new_y="NEXT")

    def table_block(self, lines: list[str]):
        rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines
                if not re.fullmatch(r"\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?", line.strip())]
        self.set_font(FONT, "", BODY_SIZE - 1)
        ncols = len(rows[0])
        widths = {2: (35, 65), 4: (50, 12, 19, 19)}.get(ncols)
        with self.table(col_widths=widths, text_align="LEFT", line_height=LINE_H + 0.5,
                        headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)),
                        width=self.epw) as table:
            for row in rows:
                r = table.row()
                for cell in row:
                    r.cell(cell)
        self.ln(PARA_GAP)


def render_pdf(meta: dict[str, str], body: str, out: Path) -> SamplePDF:
    pdf = SamplePDF(meta.get("header", ""))
    pdf.set_title(meta.get("title", out.stem))
    pdf.set_author(meta.get("author", "clausescan samples (fictional)"))
    pdf.add_page()
    previous = ""
    for block in blocks(body):
        first = block[0]
        if previous.startswith(("# ", "### ")) and not first.startswith("### "):
            pdf.ln(4)   # space between the title lines and the body
        previous = first
        if first == "<!-- pagebreak -->":
            pdf.add_page()
        elif first.startswith("# "):
            pdf.set_font(FONT, "B", 15)
            pdf.multi_cell(0, 8, first[2:], align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif first.startswith("### "):
            pdf.set_font(FONT, "", 11)
            pdf.multi_cell(0, 6, first[4:], align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif first.startswith("## "):
            if pdf.get_y() > pdf.page_break_trigger - 3 * LINE_H:   # keep a heading with its text
                pdf.add_page()
            pdf.ln(1.5)
            pdf.set_font(FONT, "B", BODY_SIZE + 0.5)
            pdf.multi_cell(0, LINE_H + 1, first[3:], align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif first.startswith("|"):
            pdf.table_block(block)
        else:
            indent = SUB_INDENT if re.match(r"\(([a-z]|[ivx]+)\)\s", first) else 0.0
            if any(line.endswith("\\") for line in block):
                # hard line breaks: signature blocks, price build-ups
                for line in block:
                    pdf.paragraph(line.rstrip("\\").rstrip(), align="L", indent=indent)
            else:
                pdf.paragraph(" ".join(line.strip() for line in block), indent=indent)
            pdf.ln(PARA_GAP)
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))
    return pdf


def render_txt(body: str, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(body.rstrip("\n") + "\n", encoding="utf-8", newline="\n")


def main() -> int:
    sources = sorted(SRC.glob("*.md"))
    if not sources:
        print(f"no sources in {SRC}", file=sys.stderr)
        return 1
    for src in sources:
        meta, body = read_source(src)
        out = CONTRACTS / meta["output"]
        if out.suffix == ".pdf":
            pdf = render_pdf(meta, body, out)
            print(f"{out.relative_to(CONTRACTS)}: {pdf.pages_count} pages")
            for crossing in pdf.crossings:
                print(f"    flows over a page break: {crossing}")
        elif out.suffix == ".txt":
            render_txt(body, out)
            print(f"{out.relative_to(CONTRACTS)}: text")
        else:
            print(f"{src.name}: unsupported output type {out.suffix}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
