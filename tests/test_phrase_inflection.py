"""`word+` in a phrase is every inflection of the word, irregular ones included, from lemminflect's
dictionary when the rules are compiled; checking a rule file's syntax does not load it."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from clausescan.nlp import get_nlp
from clausescan.rules.loader import load_rules
from clausescan.rules.selftest import run_examples
from clausescan.errors import PhraseError
from clausescan.rules.terms import compile_phrase


def words_of(phrase: str) -> set[str]:
    [spec] = compile_phrase(phrase, get_nlp().tokenizer)
    lower = spec["LOWER"]
    return {lower} if isinstance(lower, str) else set(lower["IN"])


@pytest.mark.parametrize("phrase, forms", [
    ("sell+", {"sell", "sells", "selling", "sold"}),
    ("keep+", {"keep", "keeps", "keeping", "kept"}),
    ("transfer+", {"transfer", "transfers", "transferred", "transferring"}),
    ("copy+", {"copy", "copies", "copied", "copying"}),
    ("share+", {"share", "shares", "shared", "sharing"}),
])
def test_a_word_gets_its_irregular_forms(phrase, forms):
    assert words_of(phrase) == forms


def test_a_word_the_dictionary_lacks_gets_the_regular_forms():
    assert words_of("widget+") == {"widget", "widgets", "widgeted", "widgeting"}


def test_inflected_words_join_the_other_alternatives_and_prefixes():
    [spec] = compile_phrase("buy+|resell*|lease", get_nlp().tokenizer)
    regex = spec["LOWER"]["REGEX"]
    assert "bought" in regex and "resell" in regex and "lease$" in regex and "buyed" not in regex


def test_a_plus_without_a_word_is_an_error():
    with pytest.raises(PhraseError, match="needs the word"):
        compile_phrase("sell|+", None)


RULE = textwrap.dedent("""\
    id: bought-data
    title: The vendor buys data
    category: testing
    severity: low
    why: A rule used by the tests to check that an irregular form is matched without being spelt out.
    patterns:
      - name: buying
        polarity: concern
        negated: safeguard
        trigger: ["buy+"]
        with: [["data"]]
    examples:
      match:
        - text: "The Vendor bought the data from brokers."
          polarity: concern
        - text: "The Vendor has never bought any data."
          polarity: safeguard
      no_match:
        - "The Vendor buyed the data."
    """)


def test_a_rule_matches_an_irregular_form_it_does_not_spell_out(tmp_path):
    (tmp_path / "bought-data.yaml").write_text(RULE)
    results = run_examples(load_rules([tmp_path], builtin=False))
    assert [(r.kind, r.passed) for r in results] == [("match", True), ("match", True), ("no_match", True)], \
        [r.detail for r in results]


def test_loading_the_rules_does_not_load_the_inflection_tables():
    """A re-scan whose findings are cached loads the rules but compiles none of them."""
    code = "import sys; from clausescan.rules.loader import load_rules; load_rules(); print('lemminflect' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
