"""Which library should read PDF text? Generates dense contract pages and times each reader.

    python benchmarks/extraction.py [--pages 120]

Prints pages/s for pypdfium2 (what clausescan uses for bulk text), pdfplumber's
extract_text() (kept for geometry: tables, word boxes) and poppler's pdftotext when it is
installed, plus the peak memory each adds. Needs fpdf2 (the dev extra)."""
from __future__ import annotations

import argparse
import random
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

WORDS = ("agency vendor data shall may not license perpetual retention days sharing network "
         "agreement services customer records law enforcement third party disclose consent written "
         "termination delete footage images plate reads aggregated anonymized section pursuant").split()


def make_pdf(path: Path, pages: int, seed: int = 7) -> None:
    from fpdf import FPDF
    rng = random.Random(seed)
    pdf = FPDF(format="letter")
    pdf.set_font("Helvetica", size=9)
    for page in range(pages):
        pdf.add_page()
        pdf.cell(0, 5, "Vendor Master Services Agreement - Contract No. 24-0001", new_x="LMARGIN", new_y="NEXT")
        for para in range(9):
            sentence = " ".join(rng.choice(WORDS) for _ in range(62)).capitalize() + "."
            pdf.multi_cell(0, 4, f"{page + 1}.{para + 1} {sentence}", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(0, 5, f"Page {page + 1} of {pages}", align="C")
    pdf.output(str(path))


def timed(label: str, pages: int, fn) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(f"{label:32} {pages / seconds:9.1f} pages/s   {seconds:6.2f} s   peak RSS +{grown:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=120)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dense.pdf"
        make_pdf(path, args.pages)
        print(f"{args.pages} dense pages ({path.stat().st_size // 1024} KB)")
        if shutil.which("pdftotext"):
            timed("poppler pdftotext", args.pages,
                  lambda: subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True))

        def pdfium():
            import pypdfium2 as pdfium
            pdf = pdfium.PdfDocument(str(path))
            for i in range(len(pdf)):
                page = pdf[i]
                textpage = page.get_textpage()
                textpage.get_text_range()
                textpage.close()
                page.close()
            pdf.close()

        def plumber():
            import pdfplumber
            with pdfplumber.open(path) as pdf:
                for page in pdf.pages:
                    page.extract_text()
                    page.close()

        timed("pypdfium2 get_text_range", args.pages, pdfium)
        timed("pdfplumber extract_text", args.pages, plumber)


if __name__ == "__main__":
    main()
