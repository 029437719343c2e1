"""Match: run the compiled rule library over a document's sentences and turn hits into findings."""
from __future__ import annotations

import re

from .definitions import defined_terms
from .models import Document, Finding
from .nlp import CELL_SEPARATOR
from .parties import tag_roles
from .preamble import read_parties
from .rules import values
from .rules.engine import CompiledLibrary
from .segment import Segmented, agreed_view, blanked_spans, is_definition, segment, zones


def match_document(document: Document, compiled: CompiledLibrary, segmented: Segmented | None = None,
                   roles: dict[str, set[str]] | None = None) -> list[Finding]:
    """match: the findings of a segmented document, its party words `roles` (preamble.read_parties)
    tagged in each sentence matched."""
    segmented = segmented or segment(document)
    items = segmented.blocks
    roles = read_parties(items).roles if roles is None else roles
    terms = defined_terms("\n".join(b.body for b in items), compiled.data_nouns)
    # only the sentences holding the words some rule needs are tokenized (most contract text holds
    # none), and matched only for the rules whose words they hold
    test = compiled.candidate_test
    # a defined term stands for its noun (definitions.py), in the test as in the matching
    nouns = " " + " ".join(sorted(set(terms.values())))
    rules_in = test if not terms else \
        (lambda text: test(text) | (test(text + nouns) if any(t in text.lower() for t in terms) else 0))
    # a list item is read after its list's lead-in, at a negative offset into the item's body
    block_zones = zones(items)
    proposed = {index for index, zone in enumerate(block_zones) if zone == "proposed"}
    candidates = [(index, offset - len(lead_in), lead_in + piece, rules)
                  for index, (block, pieces, zone) in enumerate(zip(items, segmented.pieces, block_zones))
                  if zone in ("body", "proposed")
                  for offset, piece in pieces
                  for lead_in in [block.lead_in if offset == 0 else ""]
                  for rules in [rules_in(lead_in + piece)] if rules]
    # what was not agreed is blanked only in the blocks that hold candidates, each block once
    blanked: dict[int, list[tuple[int, int, bool]]] = {}

    def spans_of(index: int) -> list[tuple[int, int, bool]]:
        if index not in blanked:
            blanked[index] = blanked_spans(items[index].body)
        return blanked[index]

    # (a view of OCR'd text had what was not agreed blanked before it changed length: see segment._view)
    candidates = [(index, offset, agreed_view(text, offset, spans_of(index))
                   if segmented.offsets[index] is None else text, rules)
                  for index, offset, text, rules in candidates]
    findings: list[Finding] = []
    seen: set[tuple] = set()
    extracted: dict[tuple, list] = {}   # (value kind, sentence) -> values: a sentence's hits share them
    in_block: dict[int, int] = {}       # finding index -> its block, and the (rule, block) pairs
    switched_off: set[tuple[str, int]] = set()   # where a paragraph lets the rule's protection be switched off
    for (index, offset, _, rules), doc in zip(candidates, compiled.nlp.pipe(piece for _, _, piece, _ in candidates)):
        block = items[index]
        tag_roles(doc, roles)
        for sent in doc.sents:
            hits = compiled.match_sentence(sent, terms, rules)
            if not hits:
                continue
            if offset + sent.end_char <= 0:
                continue   # the lead-in's own sentences are matched in the lead-in's block
            start, end = segmented.in_body(index, max(0, offset + sent.start_char), offset + sent.end_char)
            quote = block.body[start:end].strip().removesuffix(CELL_SEPARATOR).rstrip()
            definition = is_definition(quote)
            for hit in hits:
                if hit.polarity == "safeguard" and index in proposed:
                    continue   # a protection only proposed is none yet
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
                        switched_off.add((hit.rule.id, index))
                    in_block[len(findings)] = index
                    findings.append(Finding(rule=hit.rule.id, polarity=hit.polarity,
                                            page=block.page_at(start), section=block.section,
                                            quote=quote, value=value, unit=unit, file=document.file,
                                            trigger=_original(segmented, index, offset + sent[hit.start].idx,
                                                              hit.trigger)))
    findings = [f for i, f in enumerate(findings)
                if not (f.polarity == "safeguard" and (f.rule, in_block[i]) in switched_off)]
    return [f for f in findings if not _gives_way(f, findings)]


# "Except as provided in Section 1.04, this Agreement may be amended only in a signed writing",
# "Subject to Term 9, Customer Data is not shared": the protection yields to the provision it names
_EXCEPT_AS_IN = re.compile(r"\b(?:(?:except|save|other than) as (?:otherwise |expressly )?(?:provided|set (?:out|forth)|"
                           r"stated|described|permitted|specified|allowed) (?:in|by|under)|subject to) "
                           r"(?:section|term|clause|article|paragraph|§)\s*(\d[\w.()]*)", re.I)


def _gives_way(finding: Finding, findings: list[Finding]) -> bool:
    """A safeguard whose own exception is a provision that is the same rule's concern protects
    nothing that provision does not take back."""
    if finding.polarity != "safeguard":
        return False
    references = [m.group(1).rstrip(".,;)") for m in _EXCEPT_AS_IN.finditer(finding.quote)]
    return any(other.rule == finding.rule and other.polarity == "concern" and other.section and
               _same_provision(other.section, reference)
               for reference in references for other in findings)


def _same_provision(section: str, reference: str) -> bool:
    """Section "9.3(b)" is what "Section 9.3" or "Section 9.3(b)(ii)" points to."""
    shorter, longer = sorted((section, reference), key=len)
    return longer == shorter or longer.startswith((shorter + ".", shorter + "("))


def _original(segmented: Segmented, index: int, start: int, normalized: str) -> str:
    """The trigger's words as the document writes them (matching ran on normalized text)."""
    start, end = segmented.in_body(index, start, start + len(normalized))
    return segmented.blocks[index].body[start:end]
