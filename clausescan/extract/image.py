"""Scanned images (PNG, JPEG, TIFF including multi-page TIFF): every frame is a page, OCR'd."""
from __future__ import annotations

import io
from dataclasses import replace

from ..errors import InputError
from ..models import Page
from .ocr import OcrOptions, ocr_images

MAX_PIXELS = 60_000_000   # ~ a letter page at 900 dpi; more is a decompression bomb, not a scan
MAX_FRAMES = 2000


def read_image(data: bytes, sha256: str, ocr: OcrOptions, cache=None) -> list[Page]:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        image = Image.open(io.BytesIO(data))
        frames = min(getattr(image, "n_frames", 1), MAX_FRAMES)
        if image.width * image.height > MAX_PIXELS:
            raise Image.DecompressionBombError("too many pixels")
    except Image.DecompressionBombError as exc:
        raise InputError("the image is far too large to be a scanned page (possible decompression bomb).") from exc
    except Exception as exc:
        raise InputError("the image is damaged and could not be opened.") from exc

    def render(i):
        image.seek(i)
        frame = image.convert("RGB")
        frame.load()
        return frame

    pages = [Page(number=i + 1, text="") for i in range(frames)]
    # an image is all scan: "auto" OCRs every frame
    ocr_images(render, pages, list(range(frames)), sha256, replace(ocr, mode="always") if ocr.mode == "auto" else ocr,
               cache)
    return pages
