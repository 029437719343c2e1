"""Match: run the compiled rule library over a document's sentences and turn hits into findings."""
from __future__ import annotations

import re

from .models import Document, Finding
from .nlp import get_nlp, sentence_pieces
from .parties import detect_parties, display_names, tag_roles
from .rules import values
from .rules.engine import CompiledLibrary
from .segment import blocks, is_definition, normalize_for_matching


SMALL_WORDS = {"of", "to", "and", "the", "a", "an", "for", "in", "on", "by", "or", "with"}
ACRONYMS = {"ALPR", "LPR", "ANPR", "MSA", "MOU", "LLC", "USA", "API", "SLA", "DPA", "CJIS", "SAAS"}


def document_title(items) -> str:
    """The document's own title: its first heading, in title case if it is set in capitals."""
    for block in items[:8]:
        heading = (block.heading or "").strip(" \u2018\u2019'\"-")
        if heading and len(heading) <= 90:
            if not heading.isupper():
                return heading
            return " ".join(_title_word(w, first=i == 0) for i, w in enumerate(heading.split()))
    return ""


def _title_word(word: str, first: bool) -> str:
    core = re.sub(r"\W", "", word)
    if core.upper() in ACRONYMS:
        return word
    if not first and word.lower() in SMALL_WORDS:
        return word.lower()
    return word.capitalize() if word[:1].isalpha() else word[:1] + word[1:].capitalize()


def match_document(document: Document, compiled: CompiledLibrary) -> tuple[list[Finding], dict, str]:
    """Findings, the parties' names and the document's title."""
    items = blocks(document)
    head = "\n".join(b.paragraph.text for b in items[:40])
    parties = detect_parties(head)
    # only the sentences holding the words some rule needs are tokenized: most contract text holds none
    is_candidate = compiled.candidate_test
    candidates = [(block, offset, piece) for block in items
                  for offset, piece in sentence_pieces(normalize_for_matching(block.body)) if is_candidate(piece)]
    findings: list[Finding] = []
    seen: set[tuple] = set()
    nlp = get_nlp()
    for (block, offset, _), doc in zip(candidates, nlp.pipe(piece for _, _, piece in candidates)):
        tag_roles(doc, parties)
        for sent in doc.sents:
            hits = compiled.match_sentence(sent)
            if not hits:
                continue
            start = offset + sent.start_char
            quote = block.body[start:offset + sent.end_char].strip()
            definition = is_definition(quote)
            for hit in hits:
                if definition and not hit.pattern.definitions:
                    continue
                for value, unit in values.extract(hit.rule.value, quote):
                    key = (hit.rule.id, hit.polarity, quote, value)
                    if key in seen:
                        continue
                    seen.add(key)
                    findings.append(Finding(rule=hit.rule.id, polarity=hit.polarity,
                                            page=block.page_at(start), section=block.section,
                                            quote=quote, value=value, unit=unit, file=document.file,
                                            trigger=_original(block.body, offset + sent[hit.start].idx, hit.trigger)))
    return findings, display_names(head), document_title(items)


def _original(body: str, start: int, normalized: str) -> str:
    """The trigger's words as the document writes them (matching ran on normalized text)."""
    return body[start:start + len(normalized)]
