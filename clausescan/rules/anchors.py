"""Anchors: words that text must contain for a rule to fire there, found without tokenizing.

Every trigger phrase needs certain words; all of them together are the phrase's anchor.
Text that has no anchor of any rule cannot hold a finding, so it is never handed to spaCy. An anchor is looked
up as a whole run of letters in the lower-cased text (a token's text is always such a run, or
part of one where spaCy splits a word like "cannot"; those, and anchors that are not plain
letters, are looked up as substrings), so the check never rejects text a pattern could match.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from .tokens import split_regex, worth_remembering

# Words so frequent in contracts that text containing them is no more likely to hold a finding;
# the function words among them are in almost every sentence, so any other word is rarer.
FUNCTION_WORDS = frozenset("""a an the and or of to in on at by for from with as is are be will shall may not any all
such this that its it which""".split())
COMMON_WORDS = FUNCTION_WORDS | frozenset("""nor without within into upon been being was were must can could would
should no each every these those their they them his her who whom whose other than then there here herein hereunder
thereof if unless until after before under over per including include includes party parties agreement customer
vendor agency city town county data information services service use used provide provided system part term terms
time right out""".split())
LETTERS = re.compile(r"[^\W\d_]+")
ASCII_LETTERS = re.compile(r"[a-z]+")

# A term is a word ("sell"), a word prefix ("anonymi*") or, for a word that is not a plain run of
# letters or that spaCy splits off a longer word, a substring ("~n't").
Condition = tuple[frozenset, ...]   # every one of these sets of terms has a term present


def phrase_anchor(pattern: list[dict], joined: tuple[set[str], set[str]]) -> tuple[Condition, float] | None:
    """What any text matching this token pattern must contain: one of the words of each of its
    required tokens, rarest first; with a guess at how often text does (from the two rarest). None
    if the pattern needs no particular word. `joined` lists words spaCy splits off a longer word
    (found glued on their left, and on their right)."""
    distinct = {tuple(sorted(_word_options(spec))) for spec in pattern if spec.get("OP") not in ("?", "{0,6}", "*")}
    required = sorted((sum(_commonness(*o) for o in options), options) for options in distinct if options)
    if not required:
        return None
    condition = tuple(frozenset(_term(word, is_prefix, joined) for word, is_prefix in options)
                      for _, options in required)
    frequency = 1.0
    for cost, _ in required[:2]:
        frequency *= min(1.0, cost / 1000)
    return condition, frequency


def _term(word: str, is_prefix: bool, joined: tuple[set[str], set[str]]) -> str:
    glued_left, glued_right = joined
    if LETTERS.fullmatch(word) and word not in glued_left and (is_prefix or word not in glued_right):
        return word + "*" if is_prefix else word
    return "~" + word


def _commonness(word: str, is_prefix: bool) -> int:
    """A rough guess at how often a word occurs in contract text: punctuation and common words
    everywhere, prefixes more the shorter they are."""
    if word in FUNCTION_WORDS or not any(c.isalpha() for c in word):
        return 10_000
    if word in COMMON_WORDS:
        return 1000
    return 2 ** max(0, 7 - len(word)) if is_prefix else 1


def _term_commonness(term: str) -> int:
    if term.startswith("~"):
        return _commonness(term[1:], False)
    return _commonness(term.rstrip("*"), term.endswith("*"))


def _word_options(spec: dict) -> list[tuple[str, bool]]:
    """The (word or word prefix, is_prefix) one token spec accepts; empty if it accepts any word."""
    lower = spec.get("LOWER")
    if isinstance(lower, str):
        return [(lower, False)]
    if isinstance(lower, dict) and "IN" in lower:
        return [(w, False) for w in lower["IN"]]
    if isinstance(lower, dict) and "REGEX" in lower:
        words, prefixes = split_regex(lower["REGEX"])
        return [(w, False) for w in words] + [(p, True) for p in prefixes]
    return []


def glued_words(tokenizer) -> tuple[set[str], set[str]]:
    """Words spaCy's tokenizer exceptions split off a longer word: "cannot" -> "can" + "not"."""
    from spacy.attrs import ORTH
    left, right = set(), set()
    for pieces in tokenizer.rules.values():
        texts = [piece.get(ORTH, piece.get("ORTH", "")) for piece in pieces]
        for first, second in zip(texts, texts[1:]):
            if first[-1:].isalpha() and second[:1].isalpha():
                right.add(first.lower())
                left.add(second.lower())
    return left, right


class Anchors:
    """Conditions (see phrase_anchor), each with the rules it lets fire (as bits, rule i as 1 << i),
    checked against text in one pass over its words: text is a candidate for the rules of the
    conditions it meets.

    Each term is a bit, so the terms a text holds are one integer. What each distinct word brings
    (its terms, and the conditions it may start) is worked out once and remembered: contracts
    reuse a small vocabulary, so most words cost a single lookup."""

    def __init__(self, conditions: Mapping[Condition, int]):
        terms = sorted({term for condition in conditions for options in condition for term in options})
        self._index(terms)
        # term -> (the masks of the condition's other sets of terms, the condition's rules)
        self.by_term: dict[str, list[tuple[tuple[int, ...], int]]] = {}
        for condition, rules in conditions.items():
            # looked up by its rarest set of terms, so that common words rarely lead to a check
            first, *rest = sorted(condition, key=lambda options: (sum(map(_term_commonness, options)), sorted(options)))
            for term in first:
                self.by_term.setdefault(term, []).append((tuple(self.mask(options) for options in rest), rules))
        self._finish()

    def _index(self, terms: list[str]) -> None:
        self.terms = terms
        self.bit = {term: 1 << i for i, term in enumerate(terms)}
        self.words = frozenset(t for t in terms if not t.endswith("*") and not t.startswith("~"))
        self.prefixes = tuple(t[:-1] for t in terms if t.endswith("*"))
        substrings = [t[1:] for t in terms if t.startswith("~")]
        # a substring of letters lies inside one word; the others ("'s", "e-mail") are looked for in the text
        self.word_substrings = tuple(s for s in substrings if LETTERS.fullmatch(s))
        self._in_text = [s for s in substrings if not LETTERS.fullmatch(s)]

    def _finish(self) -> None:
        """What needs by_term too: the substrings looked for in the text, and an empty memo."""
        self.text_substrings = tuple((s, self._entry(["~" + s])) for s in self._in_text)
        self._by_word: dict[str, tuple[int, tuple]] = {}

    def to_json(self) -> dict:
        """The terms in bit order, and each term's conditions as the other terms' masks and the
        rules, each mask written as the numbers of its bits (a mask has a bit per term but only a
        few of them set)."""
        return {"terms": self.terms,
                "by_term": {term: [[[_bits(mask) for mask in rest], _bits(rules)] for rest, rules in rests]
                            for term, rests in self.by_term.items()}}

    @classmethod
    def from_json(cls, data: dict) -> Anchors:
        anchors = cls.__new__(cls)
        anchors._index([str(term) for term in data["terms"]])
        bit = [1 << i for i in range(len(anchors.terms))].__getitem__
        anchors.by_term = {str(term): [(tuple(sum(map(bit, bits)) for bits in rest), sum(1 << i for i in rules))
                                       for rest, rules in rests]
                           for term, rests in data["by_term"].items()}
        anchors._finish()
        return anchors

    def mask(self, terms) -> int:
        out = 0
        for term in terms:
            out |= self.bit[term]
        return out

    def _entry(self, terms: list[str]) -> tuple[int, tuple]:
        """(the terms' bits, the conditions they start: each its other sets of terms' masks and its rules)."""
        return self.mask(terms), tuple(rest for term in terms for rest in self.by_term.get(term, ()))

    def _of_word(self, word: str) -> tuple[int, tuple]:
        """What one lower-case run of letters brings: itself, the prefixes it starts with, the
        substrings it holds, as terms."""
        entry = self._entry(([word] if word in self.words else [])
                            + [p + "*" for p in self.prefixes if word.startswith(p)]
                            + ["~" + s for s in self.word_substrings if s in word])
        if worth_remembering(self._by_word, word):
            self._by_word[word] = entry
        return entry

    def rules_in(self, text: str) -> int:
        """The rules (as bits) whose conditions the text meets; 0 if it is no candidate."""
        lowered = text.lower()
        present = 0
        started = []
        for substring, (bits, rests) in self.text_substrings:
            if substring in lowered:
                present |= bits
                started.append(rests)
        by_word = self._by_word
        # in ASCII text the runs of letters are [a-z]+, which a regex finds twice as fast
        for word in set((ASCII_LETTERS if lowered.isascii() else LETTERS).findall(lowered)):
            bits, rests = by_word.get(word) or self._of_word(word)
            present |= bits
            if rests:
                started.append(rests)
        rules = 0
        for rests in started:
            for rest, its_rules in rests:
                if its_rules & ~rules:   # not every rule of the condition is in already
                    for bits in rest:
                        if not bits & present:
                            break
                    else:
                        rules |= its_rules
        return rules


def _bits(mask: int) -> list[int]:
    """The numbers of the bits set in mask, lowest first."""
    out = []
    while mask:
        lowest = mask & -mask
        out.append(lowest.bit_length() - 1)
        mask ^= lowest
    return out
