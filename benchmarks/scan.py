"""Scan speed and memory on a generated corpus, against poppler's pdftotext.

    python benchmarks/scan.py [--mix typical|dense|contract] [--contracts 60] [--pages 30]
                              [--scanned 10] [--big 2000] [--stage-docs 10] [--save-findings DIR]

Generates text-layer contracts (full pages of clause prose; with --mix typical, the default, one
sentence in ten has the wording rules look for; with --mix dense, all do; with --mix contract,
pages are modelled on real master agreements: long sentences of legal prose, numbered section
headings, a running header and footer, a dollar amount on about one page in ten and a data
clause on about a third of the pages), a few scanned pages, and one long PDF; then prints pages/s,
wall time and CPU time (user and system, of every process: it does not depend on the machine's
load as wall time does) for pdftotext, clausescan cold (empty cache), warm (same cache, same rules) and
after a rule change (same cache, one rule overridden), the ratios to pdftotext, wall and CPU ms per page
of each stage of the pipeline (one process, on --stage-docs of the contracts), OCR seconds per page,
peak RSS of the long PDF's scan, and the start-up time of `clausescan --help`. --save-findings
keeps the findings JSON of each run (file names relative to the corpus), to compare two
versions. Needs fpdf2."""
from __future__ import annotations

import argparse
import random
import resource
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


# The contract mix: sentences as master agreements write them, long and qualified. Each is an
# opening qualification, an obligation and a proviso; a third of the pages carry one data clause
# (from CLAUSES), about one page in ten a sentence with dollar amounts.
QUALIFIERS = [
    "Subject to the terms and conditions of this Agreement and any applicable Order Form,",
    "Except as otherwise expressly provided in this Agreement or agreed by the parties in writing,",
    "Notwithstanding anything to the contrary in this Section or elsewhere in this Agreement,",
    "To the maximum extent permitted by applicable law and without limiting any other remedy,",
    "During the Term and for a period of twelve (12) months after its expiration or termination,",
    "Without limiting the generality of the foregoing and in addition to its other obligations,",
    "In the event of any conflict between the provisions of this Agreement and those of an exhibit,",
    "Upon reasonable prior written notice and during normal business hours,",
]
OBLIGATIONS = [
    "each party shall perform its obligations in a diligent and workmanlike manner consistent with generally accepted industry standards",
    "Vendor shall maintain at its own expense the insurance coverages described in the exhibit attached hereto and shall furnish certificates evidencing such coverage",
    "the warranties set forth in this Section are exclusive and are in lieu of all other warranties, whether express or implied, including any implied warranty of merchantability or fitness for a particular purpose",
    "neither party shall be liable to the other for any indirect, incidental, consequential, special or punitive damages arising out of or relating to this Agreement",
    "Vendor shall defend, indemnify and hold harmless Customer and its officers, employees and agents from and against any and all claims, losses, liabilities and expenses",
    "Customer shall provide Vendor with reasonable access to its facilities, poles and power sources as necessary for the installation and maintenance of the equipment",
    "any dispute arising under this Agreement shall first be referred to the parties' respective project managers for resolution through good faith negotiation",
    "Vendor shall remedy any material breach of its obligations within thirty (30) days after receiving written notice describing the breach in reasonable detail",
    "the parties acknowledge that the equipment shall remain the property of Vendor and that Customer acquires no ownership interest in any hardware by reason of this Agreement",
    "Vendor shall cause its subcontractors to comply with the same obligations that apply to Vendor under this Agreement, and Vendor shall remain responsible for their performance",
    "this Agreement constitutes the entire agreement between the parties concerning its subject matter and supersedes all prior proposals, negotiations and understandings",
    "no amendment or modification of this Agreement shall be binding unless it is in writing and signed by authorized representatives of both parties",
]
PROVISOS = [
    ", provided, however, that such obligation shall not apply to the extent caused by the negligence or willful misconduct of the other party.",
    ", and such obligation shall survive the expiration or termination of this Agreement for any reason.",
    ", in each case in accordance with the Documentation and the specifications set forth in the applicable Order Form.",
    ", except to the extent that such failure results from a Force Majeure Event as defined in Section 14.",
    ", and the failure of either party to insist upon strict performance shall not be construed as a waiver.",
    ".",
]
MONEY_SENTENCES = [
    "Customer shall pay Vendor an annual subscription fee of $2,500.00 per camera, and the aggregate fees payable in any Contract Year shall not exceed $75,000.00 without the prior approval of the governing body of Customer.",
    "The one-time installation fee of $750.00 per camera shall be invoiced upon completion of installation, and any relocation of a camera requested by Customer shall be charged at $350.00 per occurrence.",
    "Vendor's total liability under this Agreement shall not exceed the greater of $100,000.00 or the fees paid by Customer in the twelve (12) months preceding the claim.",
]
HEADINGS = ["DEFINITIONS", "SERVICES", "FEES AND PAYMENT", "TERM AND TERMINATION", "CUSTOMER DATA",
            "CONFIDENTIALITY", "WARRANTIES", "INDEMNIFICATION", "LIMITATION OF LIABILITY", "INSURANCE",
            "INSTALLATION AND MAINTENANCE", "GENERAL PROVISIONS"]


def legal_sentence(rng: random.Random) -> str:
    return f"{rng.choice(QUALIFIERS)} {rng.choice(OBLIGATIONS)}{rng.choice(PROVISOS)}"


def contract_page_paragraphs(rng: random.Random, page: int) -> list[str]:
    """One page of the contract mix: an article heading, then numbered paragraphs of long sentences."""
    sentences = [legal_sentence(rng) for _ in range(14)]
    if rng.random() < 1 / 3:
        clause = rng.choice(CLAUSES)
        sentences[rng.randrange(len(sentences))] = f"{rng.choice(QUALIFIERS)} {clause[0].lower()}{clause[1:]}"
    if rng.random() < 0.1:
        sentences[rng.randrange(len(sentences))] = rng.choice(MONEY_SENTENCES)
    article = page % len(HEADINGS) + 1
    paragraphs = [f"ARTICLE {article} - {HEADINGS[article - 1]}"]
    for number, start in enumerate(range(0, len(sentences), 3), start=1):
        title = rng.choice(["General", "Obligations", "Exceptions", "Notice", "Remedies", "Survival"])
        paragraphs.append(f"{article}.{number} {title}. " + " ".join(sentences[start:start + 3]))
    return paragraphs


def make_contract(path: Path, pages: int, seed: int, mix: str = "typical") -> None:
    from fpdf import FPDF
    rng = random.Random(seed)
    if mix == "contract":
        make_agreement(path, pages, rng, seed)
        return

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


def make_agreement(path: Path, pages: int, rng: random.Random, seed: int) -> None:
    """A master agreement of the contract mix, with a running header and a two-line footer."""
    from fpdf import FPDF
    pdf = FPDF(format="letter")
    pdf.set_auto_page_break(False)
    for page in range(pages):
        pdf.add_page()
        pdf.set_font("Helvetica", size=8)
        pdf.cell(0, 5, f"Master Services Agreement between Vendor and Customer - Contract No. {seed:04d}",
                 new_x="LMARGIN", new_y="NEXT")
        for i, paragraph in enumerate(contract_page_paragraphs(rng, page)):
            pdf.set_font("Helvetica", style="B" if i == 0 else "", size=9)
            pdf.multi_cell(0, 4, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        pdf.set_font("Helvetica", size=8)
        pdf.set_y(-18)
        pdf.cell(0, 4, "Confidential - Proprietary Information of Vendor", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(0, 4, f"Page {page + 1} of {pages}", align="C")
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


def children_cpu() -> float:
    """CPU seconds (user and system) of this process's finished children and theirs: unlike wall
    time, it does not depend on what else the machine is running."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(label: str, argv: list[str], pages: int, baseline: float | None = None) -> tuple[float, float]:
    """Wall and CPU seconds of one command."""
    start, cpu = time.perf_counter(), children_cpu()
    subprocess.run(argv, capture_output=True, check=False)
    seconds, cpu = time.perf_counter() - start, children_cpu() - cpu
    ratio = f"   {seconds / baseline:5.2f}x pdftotext" if baseline else ""
    print(f"{label:34} {seconds:7.2f} s  {pages / seconds:8.1f} pages/s{ratio}   CPU {cpu:6.2f} s")
    return seconds, cpu


def stage_times(files: list[Path]) -> None:
    """ms per page of each stage, in this process, on files: extract (PDFium text), tables
    (pdfplumber), segment (blocks, sentence pieces), facts, anchors (which pieces any rule can
    match) and match (tokenizing those, running the patterns, deciding polarity); and the one-time
    costs of a worker: importing spaCy, loading and compiling the rules."""
    from unittest import mock

    import clausescan.extract.pdf as pdf_reader
    from clausescan.extract import extract
    from clausescan.extract.ocr import OcrOptions
    from clausescan.facts import read_facts
    from clausescan.match import match_document
    from clausescan.preamble import read_parties
    from clausescan.rules.engine import CompiledLibrary
    from clausescan.rules.loader import load_rules
    from clausescan.segment import segment

    def now() -> tuple[float, float]:   # wall and CPU seconds: CPU does not depend on the machine's load
        return time.perf_counter(), time.process_time()

    def since(begin: tuple[float, float]) -> tuple[float, float]:
        return tuple(b - a for a, b in zip(begin, now()))

    stages = ["extract", "tables", "segment", "facts", "anchors", "match"]
    totals = {name: [0.0, 0.0] for name in stages}

    def add(name: str, seconds, minus=(0.0, 0.0)) -> None:
        totals[name] = [t + s - m for t, s, m in zip(totals[name], seconds, minus)]

    start = now()
    import spacy  # noqa: F401
    once = {"import spaCy": since(start)}
    start = now()
    compiled = CompiledLibrary(load_rules())
    compiled.nlp
    once["rules: load, blank pipeline"] = since(start)
    start = now()
    compiled.rules
    once["rules: compile"] = since(start)
    add_tables = pdf_reader.add_pdf_tables

    def timed_tables(*args, **kwargs):
        begin = now()
        try:
            return add_tables(*args, **kwargs)
        finally:
            add("tables", since(begin))

    pages = 0
    with mock.patch.object(pdf_reader, "add_pdf_tables", timed_tables):
        for path in files:
            begin = now()
            document = extract(path, ocr=OcrOptions("never"))
            add("extract", since(begin))
            pages += len(document.pages)
            begin = now()
            segmented = segment(document)
            parties = read_parties(segmented.blocks)
            add("segment", since(begin))
            begin = now()
            for pieces in segmented.pieces:
                for _, piece in pieces:
                    compiled.candidate_test(piece)
            anchors = since(begin)
            add("anchors", anchors)
            begin = now()
            match_document(document, compiled, segmented, parties.roles)
            add("match", since(begin), minus=anchors)   # match_document runs the anchor test too
            begin = now()
            read_facts(document, parties.names)
            add("facts", since(begin))
    add("extract", (0.0, 0.0), minus=totals["tables"])
    print(f"per page, one process, {len(files)} contracts ({pages} pages):")
    for column, label in ((0, "wall"), (1, "CPU ")):
        print(f"  {label} " + "  ".join(f"{name} {seconds[column] / pages * 1000:.2f}" for name, seconds in totals.items())
              + f"  = {sum(seconds[column] for seconds in totals.values()) / pages * 1000:.2f} ms/page")
    print("  once per worker: " + ", ".join(f"{name} {wall:.2f} s (CPU {cpu:.2f} s)" for name, (wall, cpu) in once.items()))


def peak_rss_mb(argv: list[str]) -> float:
    code = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)")
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True)
    return float(out.stdout.strip() or 0)


def save(findings: Path, corpus: Path, folder: Path | None, name: str) -> None:
    """Keep a findings JSON with file names relative to the corpus, so two runs' files compare."""
    if folder:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(findings.read_text().replace(f"{corpus}/", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contracts", type=int, default=60)
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--scanned", type=int, default=10)
    parser.add_argument("--big", type=int, default=2000)
    parser.add_argument("--mix", choices=["typical", "dense", "contract"], default="typical",
                        help="typical: one sentence in ten is about data; dense: every sentence is; "
                             "contract: long legal sentences, a data clause on a third of the pages")
    parser.add_argument("--stage-docs", type=int, default=10, help="contracts timed stage by stage (0: none)")
    parser.add_argument("--save-findings", type=Path, help="keep each run's findings JSON in this folder")
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
            start, cpu = time.perf_counter(), children_cpu()
            for pdf in sorted(corpus.glob("*.pdf")):
                subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True)
            base = time.perf_counter() - start
            print(f"{'pdftotext (every file)':34} {base:7.2f} s  {text_pages / base:8.1f} pages/s"
                  f"{'':22}CPU {children_cpu() - cpu:6.2f} s")
        scan = clausescan + ["scan", str(corpus), "--cache-dir", str(cache), "--json", str(tmp / "f.json"), "-q"]
        cold = run("clausescan cold", scan, text_pages, base)
        save(tmp / "f.json", corpus, args.save_findings, f"{args.mix}-cold.json")
        warm = run("clausescan warm (same rules)", scan, text_pages, base)
        save(tmp / "f.json", corpus, args.save_findings, f"{args.mix}-warm.json")
        changed = tmp / "changed-rules"
        shutil.copytree(ROOT / "rules", changed)
        rule = next(changed.rglob("data-sale.yaml"))
        rule.write_text(rule.read_text().replace("title: ", "title: (changed) ", 1))
        after = run("clausescan after a rule change", scan + ["--rules", str(changed)], text_pages, base)
        save(tmp / "f.json", corpus, args.save_findings, f"{args.mix}-rule-change.json")
        for label, (seconds, cpu) in (("warm / cold", warm), ("rule change / cold", after)):
            print(f"{label:34} {seconds / cold[0]:7.2f}   CPU {cpu / cold[1]:.2f}")
        if args.stage_docs:
            stage_times(sorted(corpus.glob("*.pdf"))[:args.stage_docs])

        if args.scanned and shutil.which("tesseract"):
            scans = tmp / "scans"
            scans.mkdir()
            make_scanned(scans / "scanned.tiff", args.scanned)
            seconds, _ = run("OCR (scanned TIFF, cold)", clausescan + ["scan", str(scans), "--no-cache", "-q"],
                          args.scanned)
            print(f"{'OCR seconds per page':34} {seconds / args.scanned:7.2f} s")

        if args.big:
            big = tmp / "big"
            big.mkdir()
            make_contract(big / "long.pdf", args.big, seed=4242, mix=args.mix)
            start, cpu = time.perf_counter(), children_cpu()
            rss = peak_rss_mb(clausescan + ["scan", str(big), "--no-cache", "-q"])
            print(f"{f'{args.big}-page PDF':34} {time.perf_counter() - start:7.2f} s  peak RSS {rss:.0f} MB"
                  f"   CPU {children_cpu() - cpu:6.2f} s")


if __name__ == "__main__":
    main()
