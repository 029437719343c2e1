"""Where a quote sits on its page, for the HTML report: the page as a small JPEG and the quote's
boxes on it, or, for a file without page images (DOCX, TXT, e-mail), the page text around it.

A page is turned into a *stream*: its letters and digits only, folded to lower case, each with the
box of the character (text layer, from PDFium) or word (OCR, from Tesseract) it came from. The
quote is folded the same way, so hyphens re-joined at line ends, running headers cut out of a
sentence and spacing the segmenter changed do not stop the match: the quote is found piece by
piece, each piece the longest run of it the page holds after the last, spilling onto the next page
when a sentence crosses the break."""
from __future__ import annotations

import base64
import io
import tempfile
import unicodedata
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# Pages are shown at 900 pixels across (a Letter page at 106 dpi: small print stays legible) as
# JPEG of quality 50: about 60-100 KB a page of text, so a 30-page contract is 2-3 MB.
PAGE_WIDTH_PIXELS = 900
JPEG_QUALITY = 50
MIN_PIECE = 12   # folded characters: a shorter piece of a quote is found anywhere by chance


@dataclass
class PageStream:
    text: str = ""                                   # the folded letters and digits of the page
    where: list | array = field(default_factory=list)   # per folded character: its box, or its index in the page text


@dataclass
class PageImage:
    number: int
    jpeg: bytes
    width: int
    height: int

    def data_uri(self) -> str:
        return "data:image/jpeg;base64," + base64.b64encode(self.jpeg).decode("ascii")


def fold(text: str) -> list[tuple[str, int]]:
    """The letters and digits of `text`, compatibility-normalised (a ligature is two letters) and
    case-folded, each with the index of the character it came from."""
    return list(_folded(text))


def _folded(text: str) -> Iterator[tuple[str, int]]:
    for index, char in enumerate(text):
        for folded in unicodedata.normalize("NFKC", char).casefold():
            if folded.isalnum():
                yield folded, index


def stream_of(pieces: Sequence[tuple[str, object]]) -> PageStream:
    """A stream from (text, where) pieces: characters or words with their boxes."""
    stream = PageStream()
    chars = []
    for text, where in pieces:
        for folded, _ in fold(text):
            chars.append(folded)
            stream.where.append(where)
    stream.text = "".join(chars)
    return stream


def text_stream(text: str) -> PageStream:
    """A stream of plain text: each character's `where` is its index in the text, kept in an
    array: a DOCX is one page, and a list of a tuple per character of 3 MB of text took 350 MB."""
    stream = PageStream(where=array("q"))
    chars = []
    for folded, index in _folded(text):
        chars.append(folded)
        stream.where.append(index)
    stream.text = "".join(chars)
    return stream


def _longest_prefix_at(stream: str, piece: str, start: int) -> tuple[int, int]:
    """(length, position) of the longest prefix of `piece` found in `stream` at or after `start`."""
    low, high, found = 0, len(piece), -1
    while low < high:   # a prefix found means every shorter one is found too
        middle = (low + high + 1) // 2
        position = stream.find(piece[:middle], start)
        if position >= 0:
            low, found = middle, position
        else:
            high = middle - 1
    return low, (found if low else -1)


def locate(quote: str, stream_of_page, page: int) -> dict[int, list[tuple[int, int]]]:
    """Page number -> spans of stream positions that hold the quote: on `page`, and on the next page
    when the sentence runs on; empty if the quote's opening is not on `page`. `stream_of_page(n)`
    gives page n's PageStream, or None."""
    rest = "".join(c for c, _ in fold(quote))
    spans: dict[int, list[tuple[int, int]]] = {}
    for number in (page, page + 1):
        stream = stream_of_page(number) if rest else None
        if stream is None:
            break
        cursor = 0
        while rest:
            length, position = _longest_prefix_at(stream.text, rest, cursor)
            if length < min(MIN_PIECE, len(rest)):
                break
            spans.setdefault(number, []).append((position, position + length))
            cursor, rest = position + length, rest[length:]
        if not spans:
            return {}   # not even the opening is on the finding's page
    return spans


def boxes(stream: PageStream, spans: list[tuple[int, int]]) -> list[tuple[float, float, float, float]]:
    """The highlight rectangles (left, top, right, bottom as fractions of the page) of the spans: the
    boxes of their characters, merged line by line."""
    rects: list[list[float]] = []
    for start, end in spans:
        previous = None
        for box in stream.where[start:end]:
            if box == previous:
                continue
            previous = box
            left, top, right, bottom = box
            last = rects[-1] if rects else None
            # on the line of the last rectangle: its middle within that rectangle's height, and not back at the margin
            if last is not None and last[1] <= (top + bottom) / 2 <= last[3] and left >= last[0] - 0.002:
                last[0], last[1] = min(last[0], left), min(last[1], top)
                last[2], last[3] = max(last[2], right), max(last[3], bottom)
            else:
                rects.append([left, top, right, bottom])
    return [(left, top, right, bottom) for left, top, right, bottom in rects]


def _jpeg(image) -> tuple[bytes, int, int]:
    from PIL import Image
    if image.width > PAGE_WIDTH_PIXELS:
        image = image.resize((PAGE_WIDTH_PIXELS, round(image.height * PAGE_WIDTH_PIXELS / image.width)),
                             Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue(), image.width, image.height


def _ocr_page(image):
    """(the page's words by Tesseract with their boxes, the page turned upright as the boxes are);
    (None, image) without Tesseract."""
    from ..extract import ocr
    if ocr.tesseract_path() is None:
        return None, image
    with tempfile.TemporaryDirectory(prefix="clausescan-html-") as tmp:
        words, turned = ocr.word_boxes(image, str(Path(tmp) / "page.png"))
    return stream_of(words), turned


class PdfSource:
    """A PDF's pages, opened once: each page's stream and image made when first asked for. Text-layer
    boxes come from PDFium; pages the scan read by OCR get Tesseract's word boxes (none without it)."""

    def __init__(self, data: bytes, ocr_pages: set[int]):
        import pypdfium2 as pdfium

        from ..extract.pdf import PDFIUM
        self._lock, self.ocr_pages = PDFIUM, ocr_pages
        with self._lock:
            self._pdf = pdfium.PdfDocument(data)
            self.count = len(self._pdf)
        self._streams: dict[int, PageStream | None] = {}
        self._images: dict[int, PageImage] = {}

    def close(self) -> None:
        with self._lock:
            self._pdf.close()

    def stream(self, number: int) -> PageStream | None:
        if number not in self._streams and 1 <= number <= self.count:
            if number in self.ocr_pages:
                self._render(number)
            else:
                with self._lock:
                    page = self._pdf[number - 1]
                    try:
                        self._streams[number] = _text_layer_stream(page)
                    finally:
                        page.close()
        return self._streams.get(number)

    def image(self, number: int) -> PageImage | None:
        if number not in self._images and self.stream(number) is not None:
            self._render(number)
        return self._images.get(number)

    def _render(self, number: int) -> None:
        from ..extract.ocr import DPI
        ocr_page = number in self.ocr_pages
        with self._lock:
            page = self._pdf[number - 1]
            try:
                width, _ = page.get_size()
                bitmap = page.render(scale=DPI / 72 if ocr_page else PAGE_WIDTH_PIXELS / max(width, 1.0))
                image = bitmap.to_pil().copy()
                bitmap.close()
            finally:
                page.close()
        if ocr_page:
            image.info["dpi"] = (DPI, DPI)
            self._streams[number], image = _ocr_page(image)
        if self._streams.get(number) is not None:
            self._images[number] = PageImage(number, *_jpeg(image))


def _text_layer_stream(page) -> PageStream:
    """Each character of the page's text layer with its box, in fractions of the rendered page
    (PDFium maps page space to the rendering, crop box and rotation included)."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        size_x, size_y = round(width * 20), round(height * 20)   # a fine grid: device points are integers
        x, y = ctypes.c_int(), ctypes.c_int()

        def device(px: float, py: float) -> tuple[float, float]:
            pdfium_c.FPDF_PageToDevice(page.raw, 0, 0, size_x, size_y, 0, px, py, ctypes.byref(x), ctypes.byref(y))
            return x.value / size_x, y.value / size_y

        pieces = []
        for index in range(textpage.count_chars()):
            char = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index) or 32)
            if not fold(char):
                continue
            # loose: the font's full line height, the same for every letter of a line
            left, bottom, right, top = textpage.get_charbox(index, loose=True)
            (x0, y0), (x1, y1) = device(left, top), device(right, bottom)
            pieces.append((char, (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))))
        return stream_of(pieces)
    finally:
        textpage.close()


class ImageSource:
    """A scanned image file (PNG, JPEG, TIFF frames): each page with Tesseract's word boxes."""

    def __init__(self, data: bytes):
        from PIL import Image

        from ..extract.image import MAX_PIXELS
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
        self._picture = Image.open(io.BytesIO(data))
        self.count = getattr(self._picture, "n_frames", 1)
        self._pages: dict[int, PageImage | None] = {}
        self._streams: dict[int, PageStream | None] = {}

    def close(self) -> None:
        self._picture.close()

    def image(self, number: int) -> PageImage | None:
        if number not in self._pages and 1 <= number <= self.count:
            self._picture.seek(number - 1)
            frame = self._picture.convert("RGB")
            frame.info["dpi"] = self._picture.info.get("dpi") or (0, 0)
            stream, frame = _ocr_page(frame)
            self._pages[number] = PageImage(number, *_jpeg(frame)) if stream else None
            self._streams[number] = stream
        return self._pages.get(number)

    def stream(self, number: int) -> PageStream | None:
        self.image(number)
        return self._streams.get(number)


CONTEXT_CHARS = 300   # of page text shown before and after a quote in a text view


class TextSource:
    """A file without page pictures (DOCX, TXT, e-mail): its pages' text, read again as the scan
    read it, for the quote in its context."""

    def __init__(self, path: Path):
        from ..extract import extract
        from ..extract.ocr import OcrOptions
        self._pages = {p.number: p.text for p in extract(Path(path), ocr=OcrOptions("never")).pages}
        self._streams: dict[int, PageStream] = {}

    def close(self) -> None:
        self._pages.clear()

    def stream(self, number: int) -> PageStream | None:
        if number not in self._streams and number in self._pages:
            self._streams[number] = text_stream(self._pages[number])
        return self._streams.get(number)

    def context_html(self, number: int, spans: list[tuple[int, int]]) -> str:
        """The page text around the spans, escaped, each span in a <mark>."""
        import html
        text, where = self._pages[number], self._streams[number].where
        marks = [(where[start], where[end - 1] + 1) for start, end in spans]
        begin = max(0, marks[0][0] - CONTEXT_CHARS)
        begin = text.rfind("\n", 0, begin) + 1 if begin else 0   # from the start of a line
        finish = min(len(text), marks[-1][1] + CONTEXT_CHARS)
        out, at = ["…" if begin else ""], begin
        for start, end in marks:
            out.append(html.escape(text[at:start]) + "<mark>" + html.escape(text[start:end]) + "</mark>")
            at = end
        out.append(html.escape(text[at:finish]) + ("…" if finish < len(text) else ""))
        return "".join(out)


# the ways a document's pages can be shown again: pictures with their text (PDF, image) or text alone
Source = PdfSource | ImageSource | TextSource
