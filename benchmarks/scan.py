"""Scan speed and memory on a generated corpus, against poppler's pdftotext.

    python benchmarks/scan.py [--contracts 60] [--pages 30] [--scanned 10] [--big 2000]

Generates text-layer contracts (dense, clause-like prose with the wording rules look for),
a few scanned pages, and one long PDF; then prints pages/s and wall time for pdftotext,
clausescan cold (empty cache), warm (same cache, same rules) and after a rule change
(same cache, one rule overridden), the ratios to pdftotext, OCR seconds per page, peak RSS
of the long PDF's scan, and the start-up time of `clausescan --help`. Needs fpdf2."""
from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLAUSES = [
    "Vendor shall provide the Services in accordance with the Documentation and the Order Form.",
    "Customer shall pay all fees within thirty (30) days after the date of each invoice.",
    "Vendor may use anonymized data to improve its products and services.",
    "Vendor shall not sell, rent or lease Customer Data to any third party.",
    "Reads shall be retained for thirty (30) days and then permanently deleted.",
    "Either party may terminate this Agreement upon sixty (60) days' written notice to the other party.",
    "The Agreement shall be governed by the laws of the State of Ohio.",
    "Vendor shall maintain commercially reasonable administrative, physical and technical safeguards.",
    "Each party shall comply with all applicable laws in performing its obligations under this Agreement.",
    "The cameras shall be installed at locations the Customer approves in writing after the site survey.",
    "Customer is responsible for the conduct of its Authorized Users and for keeping credentials confidential.",
    "Any notice under this Agreement shall be in writing and delivered by hand, courier or certified mail.",
]


def make_contract(path: Path, pages: int, seed: int) -> None:
    from fpdf import FPDF
    rng = random.Random(seed)
    pdf = FPDF(format="letter")
    pdf.set_font("Helvetica", size=9)
    for page in range(pages):
        pdf.add_page()
        pdf.cell(0, 5, f"Master Services Agreement - Contract No. {seed:04d}", new_x="LMARGIN", new_y="NEXT")
        for para in range(8):
            text = " ".join(rng.choice(CLAUSES) for _ in range(5))
            pdf.multi_cell(0, 4, f"{page + 1}.{para + 1} {text}", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(0, 5, f"Page {page + 1} of {pages}", align="C")
    pdf.output(str(path))


def make_scanned(path: Path, pages: int) -> None:
    import pypdfium2 as pdfium
    source = path.with_suffix(".src.pdf")
    make_contract(source, pages, seed=999)
    pdf = pdfium.PdfDocument(str(source))
    images = [pdf[i].render(scale=200 / 72).to_pil().convert("L").rotate(0.8, fillcolor=255) for i in range(len(pdf))]
    pdf.close()
    images[0].save(path, save_all=True, append_images=images[1:], resolution=200)
    source.unlink()


def run(label: str, argv: list[str], pages: int, baseline: float | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(argv, capture_output=True, check=False)
    seconds = time.perf_counter() - start
    ratio = f"   {seconds / baseline:5.2f}x pdftotext" if baseline else ""
    print(f"{label:34} {seconds:7.2f} s  {pages / seconds:8.1f} pages/s{ratio}")
    return seconds


def peak_rss_mb(argv: list[str]) -> float:
    code = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)")
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True)
    return float(out.stdout.strip() or 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contracts", type=int, default=60)
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--scanned", type=int, default=10)
    parser.add_argument("--big", type=int, default=2000)
    args = parser.parse_args()
    clausescan = [str(Path(sys.executable).with_name("clausescan"))]
    with tempfile.TemporaryDirectory(prefix="clausescan-bench-") as tmp:
        tmp = Path(tmp)
        corpus, cache = tmp / "corpus", tmp / "cache"
        corpus.mkdir()
        for i in range(args.contracts):
            make_contract(corpus / f"contract-{i:03d}.pdf", args.pages, seed=i)
        text_pages = args.contracts * args.pages
        print(f"corpus: {args.contracts} contracts x {args.pages} pages = {text_pages} text-layer pages")

        start = time.perf_counter()
        subprocess.run(clausescan + ["--help"], capture_output=True)
        print(f"{'clausescan --help':34} {time.perf_counter() - start:7.2f} s")

        base = None
        if shutil.which("pdftotext"):
            start = time.perf_counter()
            for pdf in sorted(corpus.glob("*.pdf")):
                subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True)
            base = time.perf_counter() - start
            print(f"{'pdftotext (every file)':34} {base:7.2f} s  {text_pages / base:8.1f} pages/s")
        scan = clausescan + ["scan", str(corpus), "--cache-dir", str(cache), "--json", str(tmp / "f.json"), "-q"]
        cold = run("clausescan cold", scan, text_pages, base)
        warm = run("clausescan warm (same rules)", scan, text_pages, base)
        changed = tmp / "changed-rules"
        shutil.copytree(ROOT / "rules", changed)
        rule = next(changed.rglob("data-sale.yaml"))
        rule.write_text(rule.read_text().replace("title: ", "title: (changed) ", 1))
        after = run("clausescan after a rule change", scan + ["--rules", str(changed)], text_pages, base)
        print(f"{'warm / cold':34} {warm / cold:7.2f}\n{'rule change / cold':34} {after / cold:7.2f}")

        if args.scanned and shutil.which("tesseract"):
            scans = tmp / "scans"
            scans.mkdir()
            make_scanned(scans / "scanned.tiff", args.scanned)
            seconds = run("OCR (scanned TIFF, cold)", clausescan + ["scan", str(scans), "--no-cache", "-q"],
                          args.scanned)
            print(f"{'OCR seconds per page':34} {seconds / args.scanned:7.2f} s")

        if args.big:
            big = tmp / "big"
            big.mkdir()
            make_contract(big / "long.pdf", args.big, seed=4242)
            start = time.perf_counter()
            rss = peak_rss_mb(clausescan + ["scan", str(big), "--no-cache", "-q"])
            print(f"{f'{args.big}-page PDF':34} {time.perf_counter() - start:7.2f} s  peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
