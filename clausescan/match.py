"""Match: run the compiled rule library over a document's sentences and turn hits into findings."""
from __future__ import annotations

from dataclasses import dataclass

from .models import Document, Finding
from .nlp import sentence_pieces
from .ocrview import OffsetMap, matching_view, ocr_spans
from .preamble import read_preamble
from .definitions import defined_terms
from .parties import detect_parties, display_names, tag_roles
from .rules import values
from .rules.engine import CompiledLibrary
from .segment import Block, Paragraph, agreed_view, blanked_spans, blocks, is_definition, normalize_for_matching, zones


@dataclass
class Prepared:
    """A document cut up for matching: its blocks, and each block's text (normalized for matching)
    cut where a sentence certainly ends. No rule changes it, so it is cached: a re-scan after a
    rule edit goes straight to matching."""
    blocks: list[Block]
    pieces: list[list[tuple[int, str]]]   # per block, (offset, piece): offsets into the block's view
    # per block, where the view (ocrview.matching_view: OCR'd text read tolerantly) differs in
    # length from the body, the map of its offsets to the body's; None where they are the same
    offsets: list[OffsetMap | None]

    def to_json(self) -> list:
        out = []
        for block, pieces, offsets in zip(self.blocks, self.pieces, self.offsets):
            para = block.paragraph
            # a piece's text is stored only where normalizing changed it (quotes, OCR fixes)
            spans = [[offset, offset + len(piece),
                      None if offsets is None and block.body[offset:offset + len(piece)] == piece else piece]
                     for offset, piece in pieces]
            out.append([para.text, para.page, para.page_starts, block.offset, block.section, block.heading,
                        block.lead_in, spans, offsets.to_json() if offsets else None])
        return out

    @classmethod
    def from_json(cls, entry) -> Prepared | None:
        """From a cached entry; None for one of another shape, which is then rebuilt."""
        try:
            items, pieces, maps = [], [], []
            for text, page, page_starts, offset, section, heading, lead_in, spans, offsets in entry:
                if not all(label is None or isinstance(label, str) for label in (section, heading)):
                    return None
                para = Paragraph(text=str(text), page=int(page), page_starts=[(int(o), int(n)) for o, n in page_starts])
                block = Block(para, para.text[int(offset):], int(offset), section, heading, str(lead_in))
                items.append(block)
                pieces.append([(int(start), block.body[int(start):int(end)] if piece is None else str(piece))
                               for start, end, piece in spans])
                maps.append(OffsetMap.from_json(offsets))
            return cls(items, pieces, maps)
        except (TypeError, ValueError):
            return None


def prepare(document: Document) -> Prepared:
    items = blocks(document)
    ocr_pages = {page.number for page in document.pages if page.method == "ocr"}
    views = [_view(block, ocr_spans(block, ocr_pages)) for block in items]
    return Prepared(items, [sentence_pieces(view) for view, _ in views], [offsets for _, offsets in views])


def _view(block: Block, ocr_spans: list[tuple[int, int]]) -> tuple[str, OffsetMap | None]:
    """The block's text as the matcher reads it; where some is OCR'd, what was not agreed is blanked
    first (segment.agreed_view works in the body's positions), then the OCR'd text read tolerantly."""
    text = normalize_for_matching(block.body)
    return matching_view(agreed_view(text, 0, blanked_spans(block.body)), ocr_spans) if ocr_spans else (text, None)


def match_document(document: Document, compiled: CompiledLibrary,
                   prepared: Prepared | None = None) -> tuple[list[Finding], dict, str]:
    """Findings, the parties' names and the document's title."""
    prepared = prepared or prepare(document)
    items = prepared.blocks
    head = "\n".join(b.paragraph.text for b in items[:40])
    parties = detect_parties(head)
    terms = defined_terms("\n".join(b.body for b in items), compiled.data_nouns)
    # only the sentences holding the words some rule needs are tokenized: most contract text holds none
    test = compiled.candidate_test
    # a defined term stands for its noun (definitions.py), in the test as in the matching
    nouns = " " + " ".join(sorted(set(terms.values())))
    is_candidate = test if not terms else \
        (lambda text: test(text) or (any(t in text.lower() for t in terms) and test(text + nouns)))
    # a list item is read after its list's lead-in, at a negative offset into the item's body
    # (a view of OCR'd text had what was not agreed blanked before it changed length: see prepare)
    candidates = [(block, offsets, offset - len(lead_in), lead_in + piece)
                  for block, pieces, offsets, zone in zip(items, prepared.pieces, prepared.offsets, zones(items))
                  if zone == "body"
                  for offset, piece in pieces
                  for lead_in in [block.lead_in if offset == 0 else ""] if is_candidate(lead_in + piece)]
    # what was not agreed is blanked only in the blocks that hold candidates, each block once
    blanked: dict[int, list[tuple[int, int, bool]]] = {}

    def spans_of(block: Block) -> list[tuple[int, int, bool]]:
        if id(block) not in blanked:
            blanked[id(block)] = blanked_spans(block.body)
        return blanked[id(block)]

    candidates = [(block, offsets, offset, text if offsets else agreed_view(text, offset, spans_of(block)))
                  for block, offsets, offset, text in candidates]
    findings: list[Finding] = []
    seen: set[tuple] = set()
    extracted: dict[tuple, list] = {}   # (value kind, sentence) -> values: a sentence's hits share them
    in_block: dict[int, int] = {}       # finding index -> its block, and the (rule, block) pairs
    switched_off: set[tuple[str, int]] = set()   # where a paragraph lets the rule's protection be switched off
    for (block, offsets, offset, _), doc in zip(candidates, compiled.nlp.pipe(piece for *_, piece in candidates)):
        tag_roles(doc, parties)
        for sent in doc.sents:
            hits = compiled.match_sentence(sent, terms)
            if not hits:
                continue
            if offset + sent.end_char <= 0:
                continue   # the lead-in's own sentences are matched in the lead-in's block
            start, end = _in_body(offsets, max(0, offset + sent.start_char), offset + sent.end_char)
            quote = block.body[start:end].strip()
            definition = is_definition(quote)
            for hit in hits:
                if definition and not hit.pattern.definitions:
                    continue
                if offset + sent[hit.start].idx < 0:
                    continue   # a trigger in a list's lead-in is the lead-in's finding, not each item's
                # read from the sentence as matched: a period struck out or left unticked is no value
                value_key = (hit.rule.value, sent.text.strip())
                if value_key not in extracted:
                    extracted[value_key] = values.extract(*value_key)
                for value, unit in extracted[value_key]:
                    key = (hit.rule.id, hit.polarity, quote, value)
                    if key in seen:
                        continue
                    seen.add(key)
                    if hit.pattern.switches_off and hit.polarity == "concern":
                        switched_off.add((hit.rule.id, id(block)))
                    in_block[len(findings)] = id(block)
                    findings.append(Finding(rule=hit.rule.id, polarity=hit.polarity,
                                            page=block.page_at(start), section=block.section,
                                            quote=quote, value=value, unit=unit, file=document.file,
                                            trigger=_original(block.body, offsets, offset + sent[hit.start].idx,
                                                              hit.trigger)))
    findings = [f for i, f in enumerate(findings)
                if not (f.polarity == "safeguard" and (f.rule, in_block[i]) in switched_off)]
    preamble = read_preamble(items)
    names = preamble.names(display_names(head))
    if preamble.parties:
        names["between"] = [p.to_json() for p in preamble.parties]
    return findings, names, preamble.title


def _original(body: str, offsets: OffsetMap | None, start: int, normalized: str) -> str:
    """The trigger's words as the document writes them (matching ran on normalized text)."""
    start, end = _in_body(offsets, start, start + len(normalized))
    return body[start:end]


def _in_body(offsets: OffsetMap | None, start: int, end: int) -> tuple[int, int]:
    """A span of a block's view as a span of its body, the text as read."""
    return (start, end) if offsets is None else (offsets.source_start(start), offsets.source_end(end))
