"""Text is cut into pieces before tokenizing; each piece must split into the same sentences, with
the same tokens, as it does inside the whole text."""
from __future__ import annotations

from clausescan.nlp import get_nlp, sentence_pieces
from clausescan.rules.loader import load_rules

TRICKY = [
    "Vendor is Acme Inc. The Agency owns the data. Sec. 4 applies. See Section 4.2. The term is one year.",
    "The camera is at Mt. Vernon. Data stays in the U.S. Customer may search it. Agent Smith, Jr. Vendor",
    "Delivered to Seattle, Wash. Customer agrees.  Vendor agrees. Then\nVendor signs. Is it sold? No. Ok! Yes.",
    'It is "final." Customer signs. Reads (30) days. Vendor shall e-mail. The approx. Total is due. etc. And',
    "under 42 U.S.C. Section 1983. Each party. (a) The Agency. Fees: see Exh. A. Retained for thirty days. A",
]


def _sentences(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    return [(s.start_char, s.end_char, tuple(t.text for t in s)) for s in get_nlp()(text).sents]


def _sentences_by_piece(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    return [(offset + start, offset + end, tokens)
            for offset, piece in sentence_pieces(text) for start, end, tokens in _sentences(piece)]


def test_pieces_split_into_the_same_sentences_as_the_whole_text():
    library = load_rules()
    examples = [e.text for r in library.rules for e in r.examples.match + r.examples.no_match]
    paragraphs = TRICKY + [" ".join(examples[i:i + 8]) for i in range(0, len(examples), 8)]
    cut = 0
    for text in paragraphs:
        assert _sentences_by_piece(text) == _sentences(text), text
        cut += len(sentence_pieces(text)) - 1
    assert cut > 100   # the check means something only if text was actually cut


def test_no_cut_after_an_abbreviation_or_a_short_word():
    pieces = [p for _, p in sentence_pieces("Acme Inc. The Vendor. Mt. Vernon is in the U.S. Customer agrees.")]
    assert pieces == ["Acme Inc. The Vendor.", "Mt. Vernon is in the U.S. Customer agrees."]


def test_a_table_row_s_cells_that_end_a_sentence_are_read_alone():
    """A Word table row is its cells joined by " | ": a cell that ends with a period ends its
    sentence, so the next cell's terms are not read in its context; a label and its value
    ("Auto-Renew | Yes - 12 months") stay one sentence."""
    row = get_nlp()("10 | Legal process served on Vendor | Not applicable. | Vendor shall not disclose data. | "
                    "Vendor shall refer requests.")
    assert [s.text for s in row.sents] == ["10 | Legal process served on Vendor | Not applicable. |",
                                           "Vendor shall not disclose data. |", "Vendor shall refer requests."]
    pair = get_nlp()("| Auto-Renew | Yes - 12 months; 90 days notice to cancel |")
    assert len(list(pair.sents)) == 1
