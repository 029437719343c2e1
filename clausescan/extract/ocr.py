"""OCR with Tesseract for pages that have no usable text layer.

Tesseract runs as a separate process per page, one OpenMP thread each (its default
threading made a page ~3x slower on two cores), several pages at once.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..cache import key
from ..models import Page

DPI = 300
PREPROCESS_VERSION = "gray-upscale-autocontrast-deskew-median3-localthreshold-osd-v3"
NO_TESSERACT = "install tesseract-ocr to read scanned pages"
_WORD = re.compile(r"[A-Za-z]{2,}")
_COMMON = frozenset("the of and to in a be or any by for this shall with as is on that not may all its "
                    "from such data agency vendor agreement".split())


def text_is_usable(text: str) -> bool:
    """A text layer is usable when it reads as language: enough letters in real words."""
    tokens = text.split()
    if len(tokens) < 5:
        return False
    words_needed, common_needed = 0.4 * len(tokens), max(2, len(tokens) * 0.03)
    wordlike = common = 0
    # counted a slice at a time, stopping once both counts suffice: a page of prose gets there
    # in its first half, and this runs on every page
    for start in range(0, len(tokens), 100):
        stripped = [t.strip(".,;:()\"'") for t in tokens[start:start + 100]]
        wordlike += sum(1 for t in stripped if _WORD.fullmatch(t))
        common += sum(1 for t in stripped if t.lower() in _COMMON)
        if wordlike >= words_needed and common >= common_needed:
            return True
    return False


def text_is_garbled(text: str) -> bool:
    """A text layer that extracts as symbols with no meaning: private-use glyphs, unassigned or
    control characters, replacement marks, as a font without a usable character map gives."""
    chars = [c for c in text if not c.isspace()]
    if len(chars) < 20:
        return False
    meaningless = sum(1 for c in chars if c == "\ufffd" or unicodedata.category(c) in ("Co", "Cn", "Cc", "Cs"))
    return meaningless >= 0.3 * len(chars)


def tesseract_path() -> str | None:
    return shutil.which("tesseract")


# Tesseract reads best when letters are 20-30 pixels high, as on a page scanned at 300 dpi; pages
# scanned or faxed at 100-200 dpi are enlarged to about that first (measured on such scans: 9 of 17
# findings read at 100 dpi as they were, 15 of 17 enlarged).
PAGE_WIDTH_PIXELS = 2400   # a letter or A4 page at about 300 dpi, for images that do not say their dpi


def _preprocess(image):
    """The page as Tesseract reads it best: gray, about 300 dpi, straightened, cleaned, black on white."""
    from PIL import Image, ImageFilter, ImageOps
    gray = ImageOps.grayscale(image)
    dpi = (image.info.get("dpi") or (0, 0))[0]
    # a page with enough pixels is never enlarged, whatever dpi its file claims (72 is a common default)
    scale = min(DPI / dpi, PAGE_WIDTH_PIXELS / gray.width) if dpi else PAGE_WIDTH_PIXELS / gray.width
    if scale > 1.25:
        scale = min(scale, 3.0)
        gray = gray.resize((round(gray.width * scale), round(gray.height * scale)), Image.Resampling.LANCZOS)
        dpi = dpi * scale
    gray = ImageOps.autocontrast(gray, cutoff=1)
    angle = skew_angle(gray)
    if abs(angle) >= MIN_DESKEW_DEGREES:
        gray = gray.rotate(-angle, resample=Image.Resampling.BILINEAR, fillcolor=255)
    page = binarise(gray.filter(ImageFilter.MedianFilter(3)))
    page.info["straightened"] = angle if abs(angle) >= MIN_DESKEW_DEGREES else 0.0   # for word_boxes
    if dpi:
        page.info["dpi"] = (dpi, dpi)   # saved with the PNG, so that Tesseract need not guess it
    return page


# Measured with benchmarks/ocr.py: Tesseract copes with a crooked page on its own when the scan is
# clean, but on a speckled, JPEG-compressed 200-dpi scan turned 1.6-2.6 degrees it read 87% of the
# words as it was and 94% straightened; a local threshold then took it to 97%.
MIN_DESKEW_DEGREES = 0.1
MAX_SKEW_DEGREES = 5.0


def skew_angle(gray) -> float:
    """How many degrees (counter-clockwise) the text lines are turned: the angle at which the rows
    of ink, projected sideways, give the sharpest profile (lines and gaps), found on a page reduced
    to a quarter, coarsely then finely."""
    import numpy as np
    small = gray.reduce(4)
    ys, xs = np.nonzero(np.asarray(small) < 128)
    if len(ys) < 200:
        return 0.0   # a blank or nearly blank page: nothing to straighten

    def sharpness(degrees: float) -> float:
        rows = np.bincount(np.round(ys + xs * np.tan(np.radians(degrees))).astype(int) + small.width,
                           minlength=small.height + 2 * small.width).astype(np.float64)
        return float(np.sum(np.diff(rows) ** 2))

    coarse = max(np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 0.01, 0.25), key=sharpness)
    return round(float(max(np.arange(coarse - 0.25, coarse + 0.26, 0.05), key=sharpness)), 2)


INK_BELOW_LOCAL_MEAN = 0.75


def binarise(gray):
    """Black on white by a local threshold (Bradley's): a pixel is ink when darker than 3/4 of the
    mean of the 41x41 pixels around it, so a grey photocopy background or a shadowed edge does not
    turn into ink, faint print beside it still counts, and light specks on white paper are dropped."""
    import numpy as np
    from PIL import Image, ImageFilter
    local_mean = np.asarray(gray.filter(ImageFilter.BoxBlur(20)), dtype=np.float32)
    ink = np.asarray(gray, dtype=np.float32) < local_mean * INK_BELOW_LOCAL_MEAN
    return Image.fromarray(np.where(ink, 0, 255).astype(np.uint8)).convert("1")


def _run_tesseract(png_path: str, psm: str = "3") -> str:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    args = ["tsv"] if psm != "0" else []
    proc = subprocess.run([tesseract_path() or "tesseract", png_path, "stdout", "-l", "osd" if psm == "0" else "eng",
                           "--psm", psm, *args], capture_output=True, text=True, env=env, timeout=600)
    if proc.returncode != 0 and psm != "0":
        raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "tesseract failed")
    return proc.stdout


# Below this mean word confidence a page may be upside down or sideways: Tesseract's orientation
# detection is asked, and the page is read again turned if that reads better. Upright pages of the
# benchmark's scans score 75 or more, an upside-down page about 30.
CHECK_ORIENTATION_BELOW = 65


def read_page(image, png_path: str) -> tuple[str, float | None]:
    """Clean the page image up, OCR it, and turn it upright first when it reads poorly."""
    return _tsv_to_text(_upright_tsv(image, png_path)[0])


def _upright_tsv(image, png_path: str):
    """Tesseract's TSV of the cleaned-up page, turned upright first when it reads poorly: (the TSV,
    the image that was read, the degrees it was straightened and turned clockwise by)."""
    page = _preprocess(image)
    straightened = page.info["straightened"]
    page.save(png_path, **({"dpi": page.info["dpi"]} if "dpi" in page.info else {}))
    tsv = _run_tesseract(png_path)
    confidence = _tsv_to_text(tsv)[1]
    if confidence is not None and confidence >= CHECK_ORIENTATION_BELOW:
        return tsv, page, straightened, 0
    turn = re.search(r"Rotate: (\d+)", _run_tesseract(png_path, psm="0"))
    degrees = int(turn.group(1)) if turn else 0
    if degrees not in (90, 180, 270):
        return tsv, page, straightened, 0
    # Tesseract gives the clockwise turn that makes the page upright; PIL turns counter-clockwise
    upright = page.rotate(-degrees, expand=True, fillcolor=255)
    upright.save(png_path, **({"dpi": page.info["dpi"]} if "dpi" in page.info else {}))
    turned = _run_tesseract(png_path)
    if (_tsv_to_text(turned)[1] or 0) > (confidence or 0):
        return turned, upright, straightened, degrees
    return tsv, page, straightened, 0


def word_boxes(image, png_path: str):
    """The words Tesseract reads on a page, each with its box as fractions of the page (left, top,
    right, bottom), for the HTML report's highlights; and the page turned as it was read (straightened,
    turned upright), which the boxes fit. The page is read as read_page reads it, so the words are
    those the scan read."""
    from PIL import Image
    tsv, page, straightened, degrees = _upright_tsv(image, png_path)
    if straightened:
        image = image.rotate(-straightened, resample=Image.Resampling.BILINEAR, fillcolor="white")
    if degrees:
        image = image.rotate(-degrees, expand=True, fillcolor="white")
    words = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        left, top, width, height = (int(c) for c in cols[6:10])
        words.append((cols[11].strip(), (left / page.width, top / page.height,
                                         (left + width) / page.width, (top + height) / page.height)))
    return words, image


def _tsv_to_text(tsv: str) -> tuple[str, float | None]:
    lines: dict[tuple[int, int, int], list[str]] = {}
    confidences: list[float] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        word = cols[11].strip()
        if not word:
            continue
        key = (int(cols[2]), int(cols[3]), int(cols[4]))
        lines.setdefault(key, []).append(word)
        conf = float(cols[10])
        if conf >= 0:
            confidences.append(conf)
    out, previous = [], None
    for (block, par, _line), words in lines.items():
        if previous is not None and (block, par) != previous:
            out.append("")  # a new paragraph in Tesseract's layout analysis
        out.append(" ".join(words))
        previous = (block, par)
    confidence = round(sum(confidences) / len(confidences), 1) if confidences else None
    return "\n".join(out), confidence


@dataclass(frozen=True)
class OcrOptions:
    mode: str = "auto"              # auto: pages without a usable text layer; always; never
    # Tesseract processes at once; None: one per core (fewer when documents are read in parallel)
    processes: int | None = None


def _cache_key(data_sha: str, index: int) -> str:
    return key(data_sha, index, DPI, PREPROCESS_VERSION)


def ocr_images(images, pages: list[Page], indices: list[int], data_sha: str, ocr: OcrOptions, cache=None) -> None:
    """OCR pages[i] for i in indices; `images(i)` renders page i as a PIL image."""
    if ocr.mode == "never" or not tesseract_path():
        reason = "the page has no text layer and OCR was turned off" if ocr.mode == "never" else NO_TESSERACT
        for i in indices:
            if not text_is_usable(pages[i].text):
                pages[i].method, pages[i].unreadable_reason = "none", reason
        return
    todo = []
    for i in indices:
        hit = cache.get("ocr", _cache_key(data_sha, i)) if cache else None
        if hit:
            pages[i].text, pages[i].ocr_confidence, pages[i].method = hit["text"], hit["confidence"], "ocr"
        else:
            todo.append(i)
    if not todo:
        return
    with tempfile.TemporaryDirectory(prefix="clausescan-ocr-") as tmp:
        pool = ThreadPoolExecutor(max_workers=ocr.processes or os.cpu_count() or 1)
        try:
            _ocr_pages(images, pages, todo, tmp, pool, data_sha, cache)
        finally:   # stopped (the document's time limit): pages not yet started are not OCR'd
            pool.shutdown(cancel_futures=True)


def _ocr_pages(images, pages: list[Page], todo: list[int], tmp: str, pool, data_sha: str, cache) -> None:
    """Render each page here, one at a time, and OCR them in the pool."""
    futures = {}
    for i in todo:  # render in this thread (pdfium is not thread-safe), OCR in parallel
        try:
            image = images(i)
        except Exception as exc:
            pages[i].method, pages[i].unreadable_reason = "none", f"the page image could not be rendered ({exc})"
            continue
        futures[i] = pool.submit(read_page, image, str(Path(tmp) / f"{i}.png"))
    for i, future in futures.items():
        try:
            text, confidence = future.result()
        except Exception as exc:
            pages[i].method, pages[i].unreadable_reason = "none", f"OCR failed on this page ({exc})"
            continue
        if not text.strip() and pages[i].text.strip():
            continue  # keep a poor text layer rather than nothing
        pages[i].text, pages[i].ocr_confidence, pages[i].method = text, confidence, "ocr"
        if cache:
            cache.put("ocr", _cache_key(data_sha, i), {"text": text, "confidence": confidence})
