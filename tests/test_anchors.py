"""Anchors pick the text worth tokenizing: they must never reject text a rule can match."""
from __future__ import annotations

from clausescan.nlp import get_nlp
from clausescan.rules.anchors import Anchors, glued_words, phrase_anchor
from clausescan.rules.engine import CompiledLibrary
from clausescan.rules.loader import load_rules


def _anchors(pattern):
    condition, _ = phrase_anchor(pattern, glued_words(get_nlp().tokenizer))
    return Anchors({condition: 1})


def test_every_matching_example_is_a_candidate_for_its_rule():
    library = load_rules()
    compiled = CompiledLibrary(library, get_nlp())
    assert compiled.prefilter is not None
    for i, rule in enumerate(library.rules):
        for example in rule.examples.match:
            assert compiled.candidate_test(example.text) >> i & 1, (rule.id, example.text)


def test_text_is_a_candidate_for_the_rules_whose_conditions_it_meets():
    tokenizer = glued_words(get_nlp().tokenizer)
    sells, _ = phrase_anchor([{"LOWER": "sells"}], tokenizer)
    ice, _ = phrase_anchor([{"LOWER": "ice"}], tokenizer)
    anchors = Anchors({sells: 0b01, ice: 0b10})
    assert anchors.rules_in("Vendor sells the data.") == 0b01
    assert anchors.rules_in("Vendor shares the data with ICE.") == 0b10
    assert anchors.rules_in("Vendor sells the data to ICE.") == 0b11
    assert anchors.rules_in("Vendor keeps the data.") == 0


def test_a_word_anchor_matches_whole_words_only():
    ice = _anchors([{"LOWER": "ice"}])
    assert ice.rules_in("Data may be shared with ICE.")
    assert not ice.rules_in("The police notice says the service is priced per device.")


def test_a_word_spacy_splits_off_a_longer_word_is_still_found():
    # spaCy reads "cannot" as "can" + "not", so a pattern needing "not" can match inside it
    assert _anchors([{"LOWER": "not"}]).rules_in("Vendor cannot sell Agency Data.")


def test_every_required_word_is_in_the_anchor_rarest_first_and_once():
    pattern = [{"LOWER": "the"}, {"LOWER": {"IN": ["sell", "sells"]}}, {"LOWER": "data", "OP": "?"},
               {"LOWER": "to"}, {"LOWER": "brokers"}, {"LOWER": "to"}]
    condition, _ = phrase_anchor(pattern, (set(), set()))
    assert [sorted(options) for options in condition] == [["brokers"], ["sell", "sells"], ["the"], ["to"]]
    anchors = Anchors({condition: 1})
    assert anchors.rules_in("Vendor sells the data to Brokers.")
    assert not anchors.rules_in("Vendor sells data to Brokers.")   # "the" is required too
    assert not anchors.rules_in("Vendor sells cameras to the city.")


def test_a_function_word_counts_as_commoner_than_any_other_word():
    # "terms of use|service|sale": a group that stands for the phrase takes its rarest set of
    # words, and "of" is in nearly every sentence, "use" or "service" in far fewer
    pattern = [{"LOWER": "terms"}, {"LOWER": "of"}, {"LOWER": {"IN": ["use", "service", "sale"]}}]
    condition, _ = phrase_anchor(pattern, (set(), set()))
    assert [sorted(options) for options in condition][-1] == ["of"]


def test_a_prefix_anchor_matches_the_start_of_a_word():
    anonym = _anchors([{"LOWER": {"REGEX": "^(?:anonymi)"}}])
    assert anonym.rules_in("Anonymized data may be used.")
    assert not anonym.rules_in("The data is not anonymous.")


def test_text_without_any_anchor_is_not_a_candidate():
    compiled = CompiledLibrary(load_rules(), get_nlp())
    assert not compiled.is_candidate("Invoices are payable in U.S. dollars.")


def test_words_too_long_to_remember_are_still_read():
    anonym = _anchors([{"LOWER": {"REGEX": "^(?:anonymi)"}}])
    long_word = "anonymized" + "x" * 60   # OCR noise glues words into runs no memo should keep
    assert anonym.rules_in(f"The {long_word} table.") and anonym.rules_in(f"The {long_word} table.")
    assert not anonym.rules_in("The " + "y" * 70 + " table.")
