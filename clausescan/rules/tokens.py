"""A fast executor for the token patterns the rule compiler emits.

The patterns are spaCy Matcher patterns (tests/test_token_patterns.py checks that this
executor finds exactly what spacy.matcher.Matcher finds), restricted to the subset
terms.compile_phrase writes: LOWER (a word, IN a list, or a REGEX of prefixes), NORM (party
roles), LIKE_NUM, {} (any token), and OP "?". spaCy's Matcher tests every pattern's first
token at every position and re-evaluates REGEX predicates per pattern; here parts are indexed
by their first word, so a sentence costs a dictionary lookup per token. Measured on dense
contract text this made matching ~40x faster (benchmarks/scan.py)."""
from __future__ import annotations

import re
from collections import defaultdict


class TokenPatterns:
    def __init__(self):
        self.by_word: dict[str, list[tuple[str, list]]] = defaultdict(list)
        self.by_prefix: dict[str, list[tuple[str, list]]] = defaultdict(list)
        self.prefix_lengths: set[int] = set()
        self.by_norm: dict[str, list[tuple[str, list]]] = defaultdict(list)
        self.numeric: list[tuple[str, list]] = []     # first token is a number
        self.unindexed: list[tuple[str, list]] = []   # first token is anything
        self._regex: dict[str, re.Pattern] = {}

    def add(self, key: str, pattern: list[dict]) -> None:
        first = pattern[0]
        if first.get("OP") == "?":   # index both ways: without the optional token, and with it
            if len(pattern) > 1:
                self.add(key, pattern[1:])
            self.add(key, [{k: v for k, v in first.items() if k != "OP"}] + pattern[1:])
            return
        specs = [self._compile(spec) for spec in pattern]
        lower = first.get("LOWER")
        if "NORM" in first:
            self.by_norm[first["NORM"]].append((key, specs))
        elif first.get("LIKE_NUM"):
            self.numeric.append((key, specs))
        elif lower is None:
            self.unindexed.append((key, specs))
        elif isinstance(lower, str):
            self.by_word[lower].append((key, specs))
        elif "IN" in lower:
            for word in lower["IN"]:
                self.by_word[word].append((key, specs))
        else:
            words, prefixes = _split_regex(lower["REGEX"])
            for word in words:
                self.by_word[word].append((key, specs))
            for prefix in prefixes:
                self.by_prefix[prefix].append((key, specs))
                self.prefix_lengths.add(len(prefix))

    def _compile(self, spec: dict):
        """A spec as (optional, test) where test(token_index, words, norms, nums) -> bool."""
        optional = spec.get("OP") == "?"
        if "NORM" in spec:
            norm = spec["NORM"]
            return optional, lambda i, w, n, d: n[i] == norm
        if spec.get("LIKE_NUM"):
            return optional, lambda i, w, n, d: d[i]
        lower = spec.get("LOWER")
        if lower is None:
            return optional, lambda i, w, n, d: True
        if isinstance(lower, str):
            return optional, lambda i, w, n, d: w[i] == lower
        if "IN" in lower:
            words = frozenset(lower["IN"])
            return optional, lambda i, w, n, d: w[i] in words
        regex = self._regex.setdefault(lower["REGEX"], re.compile(lower["REGEX"]))
        return optional, lambda i, w, n, d: regex.search(w[i]) is not None

    def __call__(self, sent) -> list[tuple[str, int, int]]:
        words = [t.lower_ for t in sent]
        norms = [t.norm_ for t in sent]
        nums = [t.like_num for t in sent]
        out: list[tuple[str, int, int]] = []
        for i, word in enumerate(words):
            candidates = list(self.by_word.get(word, ()))
            for length in self.prefix_lengths:
                if len(word) >= length:
                    candidates.extend(self.by_prefix.get(word[:length], ()))
            candidates.extend(self.by_norm.get(norms[i], ()))
            if nums[i]:
                candidates.extend(self.numeric)
            for key, specs in candidates + self.unindexed:
                for end in _ends(specs, 0, i, words, norms, nums):
                    if end > i:
                        out.append((key, i, end))
        return sorted(set(out), key=lambda m: (m[1], m[2], m[0]))


def _ends(specs, k: int, i: int, words, norms, nums):
    """Every token index where specs[k:] can stop when started at token i."""
    if k == len(specs):
        yield i
        return
    optional, test = specs[k]
    if optional:
        yield from _ends(specs, k + 1, i, words, norms, nums)
    if i < len(words) and test(i, words, norms, nums):
        yield from _ends(specs, k + 1, i + 1, words, norms, nums)


def _split_regex(regex: str) -> tuple[list[str], list[str]]:
    """Undo terms._alternatives: '^(?:pre1|pre2|word$)' -> (["word"], ["pre1", "pre2"])."""
    body = regex[len("^(?:"):-1]
    words, prefixes = [], []
    for option in body.split("|"):
        text = re.sub(r"\\(.)", r"\1", option)
        (words if text.endswith("$") else prefixes).append(text.rstrip("$"))
    return words, prefixes
