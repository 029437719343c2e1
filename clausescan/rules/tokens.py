"""A fast executor for the token patterns the rule compiler emits.

The patterns are spaCy Matcher patterns (tests/test_token_patterns.py checks that this
executor finds exactly what spacy.matcher.Matcher finds), restricted to the subset
terms.compile_phrase writes: LOWER (a word, IN a list, or a REGEX of prefixes), NORM (party
roles), LIKE_NUM, {} (any token), and OP "?". spaCy's Matcher tests every pattern's first
token at every position and re-evaluates REGEX predicates per pattern; here parts are indexed
by their first words, so a sentence costs a few dictionary lookups per token."""
from __future__ import annotations

import re
from collections import defaultdict


class TokenPatterns:
    """Parts are indexed by the words they must start with: a one-word part is found by a single
    lookup, a part starting with two fixed words by one lookup of the word pair, and only the
    rest of a part's tokens are tested. Optional tokens are expanded into fixed variants first,
    which finds the same (start, end) spans as the Matcher's "?"."""

    def __init__(self):
        self.single: dict[str, list[str]] = defaultdict(list)
        self.by_pair: dict[tuple[str, str], list[Entry]] = defaultdict(list)
        self.by_word: dict[str, list[Entry]] = defaultdict(list)
        self.by_prefix: dict[str, list[Entry]] = defaultdict(list)
        self.by_norm: dict[str, list[Entry]] = defaultdict(list)
        self.numeric: list[Entry] = []     # first token is a number
        self.unindexed: list[Entry] = []   # first token is anything
        self._regex: dict[str, re.Pattern] = {}

    def add(self, key: str, pattern: list[dict]) -> None:
        for variant in _fixed_variants(pattern):
            self._add_fixed(key, variant)

    def _add_fixed(self, key: str, specs: list[dict]) -> None:
        first_words, first_prefixes = _words(specs[0])
        if len(specs) == 1 and first_words is not None and not first_prefixes:
            for word in first_words:
                self.single[word].append(key)
            return
        second_words = _words(specs[1])[0] if len(specs) > 1 and not _words(specs[1])[1] else None
        if first_words is not None and second_words is not None:
            entry = self._entry(key, specs, checked=2)
            for word in first_words:
                for second in second_words:
                    self.by_pair[(word, second)].append(entry)
            if not first_prefixes:
                return
            first_words = []
        entry = self._entry(key, specs, checked=1)
        if first_words is not None:
            for word in first_words:
                self.by_word[word].append(entry)
            for prefix in first_prefixes:
                self.by_prefix[prefix].append(entry)
        elif "NORM" in specs[0]:
            self.by_norm[specs[0]["NORM"]].append(entry)
        elif specs[0].get("LIKE_NUM"):
            self.numeric.append(entry)
        else:
            self.unindexed.append(entry)

    def _entry(self, key: str, specs: list[dict], checked: int) -> Entry:
        """The part's key, its length, and tests for the tokens its index lookup did not check."""
        return key, len(specs), tuple((k, self._test(spec)) for k, spec in enumerate(specs) if k >= checked)

    def _test(self, spec: dict):
        """test(token_index, words, norms, nums) -> bool."""
        if "NORM" in spec:
            norm = spec["NORM"]
            return lambda i, w, n, d: n[i] == norm
        if spec.get("LIKE_NUM"):
            return lambda i, w, n, d: d[i]
        lower = spec.get("LOWER")
        if lower is None:
            return lambda i, w, n, d: True
        if isinstance(lower, str):
            return lambda i, w, n, d: w[i] == lower
        if "IN" in lower:
            words = frozenset(lower["IN"])
            return lambda i, w, n, d: w[i] in words
        regex = self._regex.setdefault(lower["REGEX"], re.compile(lower["REGEX"]))
        return lambda i, w, n, d: regex.search(w[i]) is not None

    def __call__(self, sent) -> list[tuple[str, int, int]]:
        """Every (part key, start, end) found in a sentence, as spaCy's Matcher orders them."""
        return sorted(((key, start, end) for key, spans in self.find(sent).items() for start, end in spans),
                      key=lambda m: (m[1], m[2], m[0]))

    def find(self, sent) -> dict[str, list[tuple[int, int]]]:
        """Part key -> the (start, end) token spans where the part occurs in a sentence."""
        words = [t.lower_ for t in sent]
        norms = [t.norm_ for t in sent]
        nums = [t.like_num for t in sent]
        count = len(words)
        out: set[tuple[str, int, int]] = set()
        lengths = sorted({len(p) for p in self.by_prefix})

        def run(entries, i):
            for key, length, tests in entries:
                end = i + length
                if end > count:
                    continue
                for k, test in tests:
                    if not test(i + k, words, norms, nums):
                        break
                else:
                    out.add((key, i, end))

        for i, word in enumerate(words):
            for key in self.single.get(word, ()):
                out.add((key, i, i + 1))
            if i + 1 < count and (entries := self.by_pair.get((word, words[i + 1]))):
                run(entries, i)
            if entries := self.by_word.get(word):
                run(entries, i)
            for length in lengths:
                if len(word) < length:
                    break
                if entries := self.by_prefix.get(word[:length]):
                    run(entries, i)
            if entries := self.by_norm.get(norms[i]):
                run(entries, i)
            if nums[i]:
                run(self.numeric, i)
            run(self.unindexed, i)
        found: dict[str, list[tuple[int, int]]] = {}
        for key, start, end in out:
            found.setdefault(key, []).append((start, end))
        return found


Entry = tuple  # (key, length, ((token offset, test), ...))


def _fixed_variants(pattern: list[dict]) -> list[list[dict]]:
    """The pattern with each optional token present and absent; never the empty pattern."""
    variants: list[list[dict]] = [[]]
    for spec in pattern:
        if spec.get("OP") == "?":
            bare = {k: v for k, v in spec.items() if k != "OP"}
            variants = [v for v in variants] + [v + [bare] for v in variants]
        else:
            variants = [v + [spec] for v in variants]
    unique = {repr(v): v for v in variants if v}
    return list(unique.values())


def _words(spec: dict) -> tuple[list[str] | None, list[str]]:
    """(exact words, word prefixes) a token spec accepts, or (None, []) if it is not about words."""
    lower = spec.get("LOWER")
    if set(spec) != {"LOWER"}:
        return None, []
    if isinstance(lower, str):
        return [lower], []
    if "IN" in lower:
        return list(lower["IN"]), []
    return split_regex(lower["REGEX"])


def split_regex(regex: str) -> tuple[list[str], list[str]]:
    """Undo terms._alternatives: '^(?:pre1|pre2|word$)' -> (["word"], ["pre1", "pre2"])."""
    body = regex[len("^(?:"):-1]
    words, prefixes = [], []
    for option in body.split("|"):
        text = re.sub(r"\\(.)", r"\1", option)
        (words if text.endswith("$") else prefixes).append(text.rstrip("$"))
    return words, prefixes
