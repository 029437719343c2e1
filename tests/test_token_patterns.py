"""The fast pattern executor finds exactly what spaCy's Matcher finds, for every part of every
pattern in the rule library, on every example sentence of every rule."""
from __future__ import annotations

from spacy.matcher import Matcher

from clausescan.nlp import get_nlp
from clausescan.parties import detect_parties, tag_roles
from clausescan.rules.engine import _split_at_gaps
from clausescan.rules.loader import expand, load_rules
from clausescan.rules.terms import compile_phrase
from clausescan.rules.tokens import TokenPatterns
from clausescan.segment import normalize_for_matching


def test_executor_agrees_with_spacy_matcher():
    nlp = get_nlp()
    library = load_rules()
    reference = Matcher(nlp.vocab, validate=True)
    ours = TokenPatterns()
    n = 0   # both matchers get the same parts the library compiles
    for rule in library.rules:
        for pattern in rule.patterns:
            for group in [pattern.trigger, pattern.without, *pattern.with_]:
                for phrase in expand(group, library.lexicon, rule.id, []):
                    for part, _ in _split_at_gaps(compile_phrase(phrase, nlp.tokenizer)):
                        key = f"p{n}"
                        n += 1
                        reference.add(key, [part])
                        ours.add(key, part)
    texts = [ex.text for r in library.rules for ex in r.examples.match] + \
            [ex.text for r in library.rules for ex in r.examples.no_match]
    assert n > 100 and len(texts) > 200
    for text in texts:
        doc = nlp(normalize_for_matching(text))
        tag_roles(doc, detect_parties(text))
        expected = sorted({(nlp.vocab.strings[k], s, e) for k, s, e in reference(doc)}, key=lambda m: (m[1], m[2], m[0]))
        got = ours(doc[:])
        assert got == expected, text
