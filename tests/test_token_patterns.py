"""The fast pattern executor finds exactly what spaCy's Matcher finds, for every part of every
pattern in the rule library, on every example sentence of every rule; and a part looked for on
its own, or in a restricted index, is found exactly where the whole index finds it."""
from __future__ import annotations

import pytest
from spacy.matcher import Matcher

from clausescan.nlp import get_nlp
from clausescan.parties import detect_parties, tag_roles
from clausescan.rules.engine import _split_at_gaps
from clausescan.rules.loader import expand, load_rules
from clausescan.rules.terms import compile_phrase
from clausescan.rules.tokens import Reading, TokenPatterns
from clausescan.segment import normalize_for_matching


@pytest.fixture(scope="module")
def library_parts():
    """Both matchers with every part the library compiles, and the example texts as tagged docs."""
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
    docs = []
    for text in texts:
        doc = nlp(normalize_for_matching(text))
        tag_roles(doc, detect_parties(text))
        docs.append(doc)
    return reference, ours, [f"p{i}" for i in range(n)], docs


def test_executor_agrees_with_spacy_matcher(library_parts):
    reference, ours, _, docs = library_parts
    nlp = get_nlp()
    for doc in docs:
        expected = sorted({(nlp.vocab.strings[k], s, e) for k, s, e in reference(doc)}, key=lambda m: (m[1], m[2], m[0]))
        got = ours(doc[:])
        assert got == expected, doc.text


def test_a_part_looked_for_alone_is_found_where_the_index_finds_it(library_parts):
    _, ours, keys, docs = library_parts
    for doc in docs:
        reading = Reading.of(doc[:])
        everything = ours.find_in(reading)
        assert everything, doc.text
        for key in keys:
            assert sorted(ours.spans_of(key, [reading])) == sorted(everything.get(key, [])), (key, doc.text)


def test_a_restricted_index_finds_its_parts_as_the_whole_index_does(library_parts):
    _, ours, keys, docs = library_parts
    some = frozenset(keys[::3])
    restricted = ours.restricted(some)
    for doc in docs:
        reading = Reading.of(doc[:])
        expected = {key: sorted(spans) for key, spans in ours.find_in(reading).items() if key in some}
        assert {key: sorted(spans) for key, spans in restricted.find_in(reading).items()} == expected, doc.text
