"""Anchors pick the text worth tokenizing: they must never reject text a rule can match."""
from __future__ import annotations

from clausescan.nlp import get_nlp
from clausescan.rules.anchors import Anchors, glued_words, phrase_anchor
from clausescan.rules.engine import CompiledLibrary
from clausescan.rules.loader import load_rules


def _anchors(pattern):
    condition, _ = phrase_anchor(pattern, glued_words(get_nlp().tokenizer))
    return Anchors({condition})


def test_every_matching_example_is_a_candidate():
    library = load_rules()
    compiled = CompiledLibrary(library, get_nlp())
    assert compiled.prefilter is not None
    for rule in library.rules:
        for example in rule.examples.match:
            assert compiled.is_candidate(example.text), (rule.id, example.text)


def test_a_word_anchor_matches_whole_words_only():
    ice = _anchors([{"LOWER": "ice"}])
    assert ice.found_in("Data may be shared with ICE.")
    assert not ice.found_in("The police notice says the service is priced per device.")


def test_a_word_spacy_splits_off_a_longer_word_is_still_found():
    # spaCy reads "cannot" as "can" + "not", so a pattern needing "not" can match inside it
    assert _anchors([{"LOWER": "not"}]).found_in("Vendor cannot sell Agency Data.")


def test_every_required_word_is_in_the_anchor_rarest_first_and_once():
    pattern = [{"LOWER": "the"}, {"LOWER": {"IN": ["sell", "sells"]}}, {"LOWER": "data", "OP": "?"},
               {"LOWER": "to"}, {"LOWER": "brokers"}, {"LOWER": "to"}]
    condition, _ = phrase_anchor(pattern, (set(), set()))
    assert [sorted(options) for options in condition] == [["brokers"], ["sell", "sells"], ["the"], ["to"]]
    anchors = Anchors({condition})
    assert anchors.found_in("Vendor sells the data to Brokers.")
    assert not anchors.found_in("Vendor sells data to Brokers.")   # "the" is required too
    assert not anchors.found_in("Vendor sells cameras to the city.")


def test_a_prefix_anchor_matches_the_start_of_a_word():
    anonym = _anchors([{"LOWER": {"REGEX": "^(?:anonymi)"}}])
    assert anonym.found_in("Anonymized data may be used.")
    assert not anonym.found_in("The data is not anonymous.")


def test_text_without_any_anchor_is_not_a_candidate():
    compiled = CompiledLibrary(load_rules(), get_nlp())
    assert not compiled.is_candidate("Invoices are payable in U.S. dollars.")


def test_words_too_long_to_remember_are_still_read():
    anonym = _anchors([{"LOWER": {"REGEX": "^(?:anonymi)"}}])
    long_word = "anonymized" + "x" * 60   # OCR noise glues words into runs no memo should keep
    assert anonym.found_in(f"The {long_word} table.") and anonym.found_in(f"The {long_word} table.")
    assert not anonym.found_in("The " + "y" * 70 + " table.")
