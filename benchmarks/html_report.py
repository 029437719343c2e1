"""How big and how slow is the HTML report of a long contract? Generates a dense contract with a
finding on every page, scans it, writes the report, and prints its size and time.

    python benchmarks/html_report.py [--pages 30]

Prints the scan time, the report's time, its size in MB, the pages pictured and the highlights
drawn. Needs fpdf2 (the dev extra)."""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import clausescan

# each page's clause names its site, so that no two quotes are the same
CLAUSES = ["Vendor shall not sell ALPR Data from site {site} to any third party for any purpose.",
           "Vendor may share ALPR Data from site {site} with any other law enforcement agency in its national network.",
           "Vendor shall delete ALPR Data from site {site} thirty (30) days after it is collected.",
           "Customer grants Vendor a perpetual, irrevocable licence to use Anonymized Data from site {site} for any "
           "purpose."]
FILLER = ("Vendor shall provide the Agency with training materials, release notes and a help desk that answers "
          "support requests during normal business hours on each business day of the term.")


def make_pdf(path: Path, pages: int) -> None:
    from fpdf import FPDF
    pdf = FPDF(format="letter")
    pdf.set_font("Helvetica", size=10)
    for page in range(pages):
        pdf.add_page()
        for para in range(8):
            text = CLAUSES[page % len(CLAUSES)].format(site=page + 1) if para == page % 8 else FILLER
            pdf.multi_cell(0, 5, f"{page + 1}.{para + 1} {text}", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        pdf.cell(0, 5, f"Page {page + 1} of {pages}", align="C")
    pdf.output(str(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        contract, report = Path(tmp) / "contract.pdf", Path(tmp) / "report.html"
        make_pdf(contract, args.pages)
        start = time.perf_counter()
        result = clausescan.scan([contract])
        scanned = time.perf_counter()
        result.to_html(report)
        written = time.perf_counter()
        text = report.read_text(encoding="utf-8")
        highlights = text.count('class="hl"')
        print(f"{args.pages} pages, {len(result.findings)} findings: scan {scanned - start:.2f} s, "
              f"report {written - scanned:.2f} s, {report.stat().st_size / 1e6:.2f} MB, "
              f"{text.count('data:image/jpeg')} pages pictured, {highlights} highlights")


if __name__ == "__main__":
    main()
