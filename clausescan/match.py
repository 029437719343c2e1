"""Match: run the compiled rule library over a document's sentences and turn hits into findings."""
from __future__ import annotations

from .models import Document, Finding
from .nlp import get_nlp
from .parties import detect_parties, tag_roles
from .rules import values
from .rules.engine import CompiledLibrary
from .segment import blocks, is_definition, normalize_for_matching


def match_document(document: Document, compiled: CompiledLibrary) -> tuple[list[Finding], dict]:
    items = blocks(document)
    parties = detect_parties("\n".join(b.paragraph.text for b in items[:40]))
    normalized = [normalize_for_matching(b.body) for b in items]
    candidates = [(b, n) for b, n in zip(items, normalized) if compiled.is_candidate(n)]
    findings: list[Finding] = []
    seen: set[tuple] = set()
    nlp = get_nlp()
    for (block, _), doc in zip(candidates, nlp.pipe(n for _, n in candidates)):
        tag_roles(doc, parties)
        matches = [(nlp.vocab.strings[key], s, e) for key, s, e in compiled.matcher(doc)]
        for sent in doc.sents:
            local = [(k, s - sent.start, e - sent.start) for k, s, e in matches if s >= sent.start and e <= sent.end]
            if not local:
                continue
            quote = block.body[sent.start_char:sent.end_char].strip()
            definition = is_definition(quote)
            for hit in compiled.match_sentence(sent, local):
                if definition and not hit.pattern.definitions:
                    continue
                for value, unit in values.extract(hit.rule.value, quote):
                    key = (hit.rule.id, hit.polarity, quote, value)
                    if key in seen:
                        continue
                    seen.add(key)
                    findings.append(Finding(rule=hit.rule.id, polarity=hit.polarity,
                                            page=block.page_at(sent.start_char), section=block.section,
                                            quote=quote, value=value, unit=unit, file=document.file))
    return findings, {k: sorted(v) for k, v in parties.items() if k != "either"}
