"""A Word file is one page, so the HTML report's view of a long one holds all of its text: the
quote is still found, in memory proportional to the text (a tuple per character of a 3 MB
paragraph once took 350 MB)."""
from __future__ import annotations

import tracemalloc

from clausescan.report.pages import locate, text_stream

SENTENCE = "The Provider shall maintain the cameras in good working order during the term. "


def test_the_text_view_of_a_megabyte_page_finds_the_quote_in_bounded_memory():
    quote = "Vendor shall not sell Agency Data to anyone."
    text = SENTENCE * 12_000 + quote + " " + SENTENCE * 1_000
    tracemalloc.start()
    try:
        stream = text_stream(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40 * len(text)   # was over 100 bytes a character
    spans = locate(quote, lambda number: stream, 1)
    start, end = spans[1][0]
    assert text[stream.where[start]:stream.where[end - 1] + 1] == quote[:-1]
