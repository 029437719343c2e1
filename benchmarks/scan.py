"""Scan speed and memory on a generated corpus, against poppler's pdftotext.

    python benchmarks/scan.py [--contracts 60] [--pages 30] [--scanned 10] [--big 2000]

Generates text-layer contracts (full pages of clause prose; with --mix typical, the default, one
sentence in ten has the wording rules look for, as in real agreements; with --mix dense, all do),
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


# Ordinary contract prose: most of a real agreement is about payment, insurance, installation and
# boilerplate, not about data. A "typical" contract draws one sentence in ten from CLAUSES above.
BOILERPLATE = [
    "Vendor shall maintain commercial general liability insurance with limits of not less than one million dollars.",
    "Invoices shall state the purchase order number and shall be sent to the accounts payable office.",
    "Neither party shall be liable for delay caused by fire, flood, strike, epidemic or other events beyond its control.",
    "This Agreement may be executed in counterparts, each of which shall be deemed an original.",
    "If any provision of this Agreement is held invalid, the remaining provisions shall continue in full force.",
    "The headings in this Agreement are for convenience only and shall not affect its interpretation.",
    "Vendor is an independent contractor and nothing herein creates a partnership or joint venture.",
    "Vendor shall repair or replace any defective camera within ten business days after notice of the defect.",
    "Installation shall be performed by trained technicians in a workmanlike manner consistent with industry practice.",
    "Customer shall provide reasonable access to poles, rights of way and power sources needed for installation.",
    "Vendor warrants that the hardware will be free from defects in materials and workmanship for one year.",
    "Vendor shall indemnify Customer against claims that the hardware infringes a United States patent.",
    "The failure of either party to enforce any provision shall not be construed as a waiver of that provision.",
    "Each party represents that the individual signing this Agreement is authorized to bind that party.",
    "Vendor shall provide training to designated personnel at no additional charge during the first month.",
    "Support requests may be submitted by telephone or through the online portal at any time.",
    "Customer is exempt from sales and use taxes and shall provide an exemption certificate upon request.",
    "Vendor shall comply with the prevailing wage requirements that apply to installation work.",
    "Travel expenses are included in the fees and shall not be invoiced separately.",
    "Vendor shall keep the work site clean and shall remove all packaging and debris after installation.",
    "Camera poles shall be located so as not to obstruct sidewalks, driveways or traffic control devices.",
    "Vendor shall obtain all permits required by the Department of Transportation before installation.",
    "Replacement parts shall be new or equivalent to new in performance and reliability.",
    "The parties shall attempt in good faith to resolve any dispute through discussions between project managers.",
    "Vendor shall designate an account manager who will serve as the primary point of contact for Customer.",
    "Solar panels shall be cleaned and inspected during each scheduled maintenance visit.",
    "Vendor shall provide a written maintenance report after each preventive maintenance visit.",
    "The purchase price includes shipping, handling and delivery to the location designated by Customer.",
    "Vendor shall perform a site survey to confirm cellular coverage at each proposed camera location.",
    "Any amendment to the fee schedule requires the approval of the governing body of Customer.",
]


def make_contract(path: Path, pages: int, seed: int, mix: str = "typical") -> None:
    from fpdf import FPDF
    rng = random.Random(seed)

    def sentence() -> str:
        if mix == "dense" or rng.random() < 0.1:
            return rng.choice(CLAUSES)
        return rng.choice(BOILERPLATE)

    pdf = FPDF(format="letter")
    pdf.set_font("Helvetica", size=9)
    for page in range(pages):
        pdf.add_page()
        pdf.cell(0, 5, f"Master Services Agreement - Contract No. {seed:04d}", new_x="LMARGIN", new_y="NEXT")
        for para in range(8):
            text = " ".join(sentence() for _ in range(5))
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
    parser.add_argument("--mix", choices=["typical", "dense"], default="typical",
                        help="typical: one sentence in ten is about data; dense: every sentence is")
    args = parser.parse_args()
    clausescan = [str(Path(sys.executable).with_name("clausescan"))]
    with tempfile.TemporaryDirectory(prefix="clausescan-bench-") as tmp:
        tmp = Path(tmp)
        corpus, cache = tmp / "corpus", tmp / "cache"
        corpus.mkdir()
        for i in range(args.contracts):
            make_contract(corpus / f"contract-{i:03d}.pdf", args.pages, seed=i, mix=args.mix)
        text_pages = args.contracts * args.pages
        print(f"corpus: {args.contracts} contracts x {args.pages} pages = {text_pages} text-layer pages ({args.mix})")

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
            make_contract(big / "long.pdf", args.big, seed=4242, mix=args.mix)
            start = time.perf_counter()
            rss = peak_rss_mb(clausescan + ["scan", str(big), "--no-cache", "-q"])
            print(f"{f'{args.big}-page PDF':34} {time.perf_counter() - start:7.2f} s  peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
