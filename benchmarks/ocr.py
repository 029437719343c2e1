"""How well are scans read? Degraded scans of text-layer contracts, OCR'd and matched.

    python benchmarks/ocr.py [--corpus DIR ...] [--conditions fax-150,skew] [--docs]

Every text-layer PDF of samples/contracts/ (and, when it exists, ../shared/eval/dev/, which is
only measured here, never copied) is rendered with pypdfium2 and degraded as a records
request returns it: crooked, speckled, blurred, JPEG-compressed, at 150-300 dpi, 1-bit like a
fax, one page upside down. Each scan is written as an image-only PDF in a temporary folder and
scanned; the text-layer version of the same document is the reference. Printed per condition:

- word recall: the source page's words found in the OCR text (multiset, lower case);
- findings recall: the text version's findings that the scan also gives (same rule and polarity,
  half the quote's words or more), and rule/polarity pairs recalled;
- false safeguards: safeguards the scan reports that the text version does not;
- silent losses: documents under 95% findings recall with no page flagged low-quality;
- pages flagged low-quality OCR, mean OCR confidence, and seconds per page (wall time, OCR on
  every core).

Last, over all conditions, findings recall by the OCR confidence of the page the finding is on:
where it falls is where a page counts as low-quality OCR (models.LOW_QUALITY_OCR). Needs fpdf2
(the dev extra) and Tesseract."""
from __future__ import annotations

import argparse
import io
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# the labelled corpus beside the checkout (../shared), or beside a worktree of it (../../shared)
DEV_CORPUS = next((p / "shared" / "eval" / "dev" for p in ROOT.parents[:2] if (p / "shared" / "eval" / "dev").is_dir()),
                  None)
WORD = re.compile(r"[a-z]{2,}")


@dataclass
class Condition:
    name: str
    dpi: int
    rotation: tuple[float, float] = (0.0, 0.0)   # degrees, drawn per page, either direction
    speckle: float = 0.0       # share of pixels flipped, in small clumps
    blur: float = 0.0          # Gaussian radius in pixels
    jpeg: tuple[int, int] | None = None   # quality range
    one_bit: bool = False
    upside_down_page: bool = False   # the second page (the first of a one-page file) turned 180°


CONDITIONS = [
    Condition("clean-300", 300),
    Condition("clean-200", 200),
    Condition("clean-150", 150),
    Condition("skew-0.5-3", 200, rotation=(0.5, 3.0)),
    Condition("speckle", 200, speckle=0.004),
    Condition("blur", 200, blur=1.1),
    Condition("jpeg-30-60", 200, jpeg=(30, 60)),
    Condition("upside-down", 200, upside_down_page=True),
    Condition("records-200", 200, rotation=(1.6, 2.6), speckle=0.003, jpeg=(30, 60)),
    Condition("fax-150", 150, rotation=(0.5, 1.5), speckle=0.002, one_bit=True),
]


def degrade(image, condition: Condition, rng: random.Random, upside_down: bool):
    """A grayscale page image as the condition's scanner would have made it."""
    import numpy as np
    from PIL import Image, ImageFilter

    if condition.blur:
        image = image.filter(ImageFilter.GaussianBlur(condition.blur))
    if condition.rotation[1]:
        angle = rng.uniform(*condition.rotation) * rng.choice((-1, 1))
        image = image.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    if upside_down:
        image = image.rotate(180)
    if condition.speckle:
        pixels = np.array(image)
        height, width = pixels.shape
        count = int(condition.speckle * height * width / 4)
        ys, xs = rng_array(rng, count, height - 2), rng_array(rng, count, width - 2)
        dark = np.array([rng.random() < 0.7 for _ in range(count)])
        for dy in (0, 1):
            for dx in (0, 1):
                pixels[ys + dy, xs + dx] = np.where(dark, 0, 255)
        image = Image.fromarray(pixels)
    if condition.one_bit:
        image = image.point(lambda v: 255 if v > 150 else 0).convert("1")
    return image


def rng_array(rng: random.Random, count: int, high: int):
    import numpy as np
    return np.array([rng.randrange(high) for _ in range(count)], dtype=int)


def make_scan(source: Path, target: Path, condition: Condition, seed: int) -> list[str]:
    """Write the degraded image-only PDF; return each source page's text layer."""
    import pypdfium2 as pdfium
    from fpdf import FPDF

    rng = random.Random(seed)
    pdf = pdfium.PdfDocument(str(source))
    out = FPDF(unit="pt")
    texts = []
    upside = 1 if len(pdf) > 1 else 0
    for index in range(len(pdf)):
        page = pdf[index]
        width, height = page.get_size()
        texts.append(page.get_textpage().get_text_range())
        image = page.render(scale=condition.dpi / 72).to_pil().convert("L")
        image = degrade(image, condition, rng, condition.upside_down_page and index == upside)
        buffer = io.BytesIO()
        if condition.jpeg:
            image.save(buffer, "JPEG", quality=rng.randint(*condition.jpeg))
        else:
            image.save(buffer, "PNG")
        buffer.seek(0)
        out.add_page(format=(width, height))
        out.image(buffer, x=0, y=0, w=width, h=height)
    out.output(str(target))
    pdf.close()
    return texts


def words(text: str) -> Counter:
    return Counter(WORD.findall(text.lower()))


def quote_words(text: str) -> set[str]:
    return set(WORD.findall(text.lower()))


@dataclass
class Tally:
    pages: int = 0
    source_words: int = 0
    read_words: int = 0
    findings: int = 0
    findings_read: int = 0
    triples: int = 0
    triples_read: int = 0
    false_safeguards: int = 0
    silent_losses: int = 0
    flagged: int = 0
    seconds: float = 0.0
    confidences: list = field(default_factory=list)
    lines: list = field(default_factory=list)


def recalled_each(reference: list[dict], scanned: list[dict]) -> list[bool]:
    """For each reference finding, whether the scan gives it too."""
    out = []
    for f in reference:
        need = quote_words(f["quote"])
        out.append(any(g["rule"] == f["rule"] and g["polarity"] == f["polarity"]
                       and len(need & quote_words(g["quote"])) >= len(need) / 2 for g in scanned))
    return out


# confidence bands (lower bounds) for the table of findings recall by page confidence
BANDS = (0, 50, 60, 65, 70, 75, 80, 85, 90, 95)


def band_table(by_page: list[tuple[float, int, int]]) -> str:
    """(page confidence, findings recalled, findings) per page -> recall per band, and below each bound."""
    lines = [f"{'page conf':>10} {'pages':>5} {'findings':>13}   {'below':>6} {'pages':>5} {'findings':>13}"]
    for low, high in zip(BANDS, BANDS[1:] + (101,)):
        inside = [p for p in by_page if low <= p[0] < high]
        below = [p for p in by_page if p[0] < high]
        got, want = sum(p[1] for p in inside), sum(p[2] for p in inside)
        got_below, want_below = sum(p[1] for p in below), sum(p[2] for p in below)
        lines.append(f"{f'{low}-{high}':>10} {len(inside):5} {got:4}/{want:<4}{_share(got, want)}   "
                     f"{'<' + str(high):>6} {len(below):5} {got_below:4}/{want_below:<4}{_share(got_below, want_below)}")
    return "\n".join(lines)


def scan_json(path: Path) -> tuple[dict, list[str]]:
    """The document's findings JSON (no cache), and the text read from each page."""
    from clausescan.pipeline import scan
    from clausescan.report.json import document_dict
    result = scan([path], workers=1).documents[0]
    return document_dict(result), [p.text for p in result.document.pages]


def text_layer_sources(corpora: list[Path]) -> list[Path]:
    """The PDFs whose every page has a text layer: their text is the reference."""
    from clausescan.extract.ocr import text_is_usable
    import pypdfium2 as pdfium
    out = []
    for corpus in corpora:
        for path in sorted(corpus.rglob("*.pdf")):
            pdf = pdfium.PdfDocument(str(path))
            if all(text_is_usable(pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))):
                out.append(path)
            pdf.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", type=Path,
                        help="folders of text-layer PDFs (default: samples/contracts and the dev corpus)")
    parser.add_argument("--conditions", help="comma-separated condition names (default: all)")
    parser.add_argument("--docs", action="store_true", help="print each document's numbers too")
    args = parser.parse_args()
    if not shutil.which("tesseract"):
        sys.exit("Tesseract is needed: run scripts/setup.sh")
    corpora = args.corpus or [ROOT / "samples" / "contracts"] + ([DEV_CORPUS] if DEV_CORPUS else [])
    wanted = set(args.conditions.split(",")) if args.conditions else None
    conditions = [c for c in CONDITIONS if wanted is None or c.name in wanted]
    sources = text_layer_sources(corpora)
    print(f"{len(sources)} text-layer documents from {', '.join(str(c) for c in corpora)}")
    references = {source: scan_json(source)[0] for source in sources}

    header = (f"{'condition':14} {'pages':>5} {'words':>6} {'findings':>13} {'rule/pol':>8} {'false sg':>8} "
              f"{'silent':>6} {'flagged':>7} {'conf':>5} {'s/page':>6}")
    rows = []
    by_page: list[tuple[float, int, int]] = []   # (OCR confidence, findings recalled, findings) per scanned page
    with tempfile.TemporaryDirectory(prefix="clausescan-ocr-bench-") as tmp:
        for condition in conditions:
            tally = Tally()
            for seed, source in enumerate(sources):
                target = Path(tmp) / f"{condition.name}-{source.stem}.pdf"
                source_texts = make_scan(source, target, condition, seed)
                started = time.perf_counter()
                scanned, read_texts = scan_json(target)
                tally.seconds += time.perf_counter() - started
                reference = references[source]
                tally.pages += len(source_texts)
                for source_text, read_text in zip(source_texts, read_texts):
                    want, got = words(source_text), words(read_text)
                    tally.source_words += sum(want.values())
                    tally.read_words += sum((want & got).values())
                each = recalled_each(reference["findings"], scanned["findings"])
                recalled = sum(each)
                for number, confidence in scanned.get("pages_ocr_confidence", {}).items():
                    on_page = [hit for f, hit in zip(reference["findings"], each) if str(f["page"]) == number]
                    by_page.append((confidence, sum(on_page), len(on_page)))
                want_triples = {(f["rule"], f["polarity"]) for f in reference["findings"]}
                got_triples = {(f["rule"], f["polarity"]) for f in scanned["findings"]}
                false_safeguards = {t for t in got_triples - want_triples if t[1] == "safeguard"}
                flagged = scanned.get("pages_low_quality_ocr") or []
                tally.findings += len(reference["findings"])
                tally.findings_read += recalled
                tally.triples += len(want_triples)
                tally.triples_read += len(want_triples & got_triples)
                tally.false_safeguards += len(false_safeguards)
                tally.flagged += len(flagged)
                silent = recalled < 0.95 * len(reference["findings"]) and not flagged
                tally.silent_losses += silent
                if scanned.get("ocr_confidence") is not None:
                    tally.confidences.append(scanned["ocr_confidence"])
                tally.lines.append(f"  {source.name:52} findings {recalled:3}/{len(reference['findings']):<3} "
                                   f"conf {scanned.get('ocr_confidence')} flagged {flagged} "
                                   f"{'SILENT LOSS ' if silent else ''}"
                                   f"{'false safeguards ' + str(sorted(false_safeguards)) if false_safeguards else ''}")
            rows.append(_row(condition.name, tally))
            print(rows[-1] if len(rows) > 1 else header + "\n" + rows[-1], flush=True)
            if args.docs:
                print("\n".join(tally.lines), flush=True)
    print()
    print(header)
    print("\n".join(rows))
    print()
    print("findings recall by the OCR confidence of the finding's page, all conditions:")
    print(band_table(by_page))


def _share(a, b) -> str:
    return f"{a / b:6.1%}" if b else "   n/a"


def _row(name: str, t: Tally) -> str:
    conf = f"{sum(t.confidences) / len(t.confidences):5.1f}" if t.confidences else "  n/a"
    return (f"{name:14} {t.pages:5} {_share(t.read_words, t.source_words)} "
            f"{t.findings_read:4}/{t.findings:<4}{_share(t.findings_read, t.findings)} "
            f"{_share(t.triples_read, t.triples):>8} {t.false_safeguards:8} {t.silent_losses:6} {t.flagged:7} "
            f"{conf} {t.seconds / max(t.pages, 1):6.2f}")


if __name__ == "__main__":
    main()
