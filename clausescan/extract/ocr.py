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
from pathlib import Path

from ..models import Page

DPI = 300
PREPROCESS_VERSION = "gray-upscale-autocontrast-median3-v2"
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
    from PIL import Image, ImageFilter, ImageOps
    gray = ImageOps.grayscale(image)
    dpi = (image.info.get("dpi") or (0, 0))[0]
    # a page with enough pixels is never enlarged, whatever dpi its file claims (72 is a common default)
    scale = min(DPI / dpi, PAGE_WIDTH_PIXELS / gray.width) if dpi else PAGE_WIDTH_PIXELS / gray.width
    if scale > 1.25:
        scale = min(scale, 3.0)
        gray = gray.resize((round(gray.width * scale), round(gray.height * scale)), Image.LANCZOS)
        dpi = dpi * scale
    gray = ImageOps.autocontrast(gray, cutoff=1).filter(ImageFilter.MedianFilter(3))
    if dpi:
        gray.info["dpi"] = (dpi, dpi)   # saved with the PNG, so that Tesseract need not guess it
    return gray


def _run_tesseract(png_path: str) -> tuple[str, float | None]:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    proc = subprocess.run([tesseract_path() or "tesseract", png_path, "stdout", "-l", "eng", "--psm", "3", "tsv"],
                          capture_output=True, text=True, env=env, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "tesseract failed")
    return _tsv_to_text(proc.stdout)


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


def ocr_processes() -> int:
    """Tesseract processes at once: one per core, fewer when documents already run in parallel."""
    return max(1, int(os.environ.get("CLAUSESCAN_OCR_PROCESSES") or os.cpu_count() or 1))


def _cache_key(data_sha: str, index: int) -> str:
    return f"{data_sha}:{index}:{DPI}:{PREPROCESS_VERSION}"


def ocr_images(images, pages: list[Page], indices: list[int], data_sha: str, mode: str, cache=None) -> None:
    """OCR pages[i] for i in indices; `images(i)` renders page i as a PIL image."""
    if mode == "never" or not tesseract_path():
        reason = "the page has no text layer and OCR was turned off" if mode == "never" else NO_TESSERACT
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
        pool = ThreadPoolExecutor(max_workers=ocr_processes())
        try:
            _ocr_pages(images, pages, todo, tmp, pool, data_sha, cache)
        finally:   # stopped (the document's time limit): pages not yet started are not OCR'd
            pool.shutdown(cancel_futures=True)


def _ocr_pages(images, pages: list[Page], todo: list[int], tmp: str, pool, data_sha: str, cache) -> None:
    """Render each page here, one at a time, and OCR them in the pool."""
    futures = {}
    for i in todo:  # render in this thread (pdfium is not thread-safe), OCR in parallel
        try:
            png = str(Path(tmp) / f"{i}.png")
            image = _preprocess(images(i))
            image.save(png, **({"dpi": image.info["dpi"]} if "dpi" in image.info else {}))
        except Exception as exc:
            pages[i].method, pages[i].unreadable_reason = "none", f"the page image could not be rendered ({exc})"
            continue
        futures[i] = pool.submit(_run_tesseract, png)
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
