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
from collections.abc import Mapping


class TokenPatterns:
    """Parts are indexed by a word they must hold: a one-word part is found by a single lookup, a
    part with two fixed words in a row by one lookup of the word pair, and only the rest of a
    part's tokens are tested. Optional tokens are expanded into fixed variants first, which finds
    the same (start, end) spans as the Matcher's "?"; but a part with many optional tokens after
    a first word ("title in? and? to? of? over? the? all? ..." has 512 variants, each of which
    would be tested wherever "title in" occurs) is indexed by that first word and run through its
    tokens once, keeping every position it can have reached. What each distinct word starts (the
    parts it is, and those indexed by it or by a prefix of it) is worked out once and remembered."""

    def __init__(self):
        self.single: dict[str, list[str]] = defaultdict(list)
        self.by_pair: dict[tuple[str, str], list[Entry]] = defaultdict(list)
        self.by_word: dict[str, list[Entry]] = defaultdict(list)
        self.by_prefix: dict[str, list[Entry]] = defaultdict(list)
        self.by_norm: dict[str, list[Entry]] = defaultdict(list)
        self.numeric: list[Entry] = []     # indexed by a token that is a number
        self.unindexed: list[Entry] = []   # no token to index by
        # parts with many optional tokens, by their first word or a prefix of it: (key, ((test, optional), ...))
        self.flexible_by_word: dict[str, list[tuple]] = defaultdict(list)
        self.flexible_by_prefix: dict[str, list[tuple]] = defaultdict(list)
        self._tests: dict[tuple, object] = {}
        self._specs: list[dict] = []            # each distinct spec a test was made for, in order
        self._spec_of: dict[object, int] = {}   # test -> its spec's index, to write the patterns out
        self._keys: dict[str, str] = {}   # a part's spec list, as text -> its key
        self._of_word: dict[str, tuple] = {}   # see _starts
        self._pairs_after: dict[str, dict[str, list[Entry]]] | None = None   # by_pair, by first word
        self._lookups: dict[str, list[tuple]] | None = None   # see lookups

    def key(self, pattern: list[dict]) -> str:
        """The key of a part, which is added the first time any rule uses it: the parts rules share
        ("shall not", the data nouns) are found once per sentence."""
        text = repr(pattern)
        if text not in self._keys:
            self._keys[text] = f"#{len(self._keys)}"
            self.add(self._keys[text], pattern)
        return self._keys[text]

    def add(self, key: str, pattern: list[dict]) -> None:
        self._of_word.clear()
        self._pairs_after = self._lookups = None
        optional = sum(spec.get("OP") == "?" for spec in pattern)
        first_words, first_prefixes = _words(pattern[0])
        if optional >= FLEXIBLE_FROM and pattern[0].get("OP") != "?" and first_words is not None:
            entry = (key, tuple((self._test(_bare(spec)), spec.get("OP") == "?") for spec in pattern[1:]))
            for word in first_words:
                self.flexible_by_word[word].append(entry)
            for prefix in first_prefixes:
                self.flexible_by_prefix[prefix].append(entry)
            return
        for variant in _fixed_variants(pattern):
            self._add_fixed(key, variant)

    def _add_fixed(self, key: str, specs: list[dict]) -> None:
        # position -> (exact words, word prefixes), for the specs that are about words
        accepted = {k: (words, prefixes) for k, (words, prefixes) in enumerate(map(_words, specs)) if words is not None}
        exact = [k for k, (_, prefixes) in accepted.items() if not prefixes]
        if len(specs) == 1 and exact:
            for word in accepted[0][0]:
                self.single[word].append(key)
            return
        pair = next((k for k in exact if k + 1 in exact), None)
        if pair is not None:
            entry = self._entry(key, specs, pair, checked={pair, pair + 1})
            for word in accepted[pair][0]:
                for second in accepted[pair + 1][0]:
                    self.by_pair[(word, second)].append(entry)
            return
        wordish = exact or list(accepted)
        if wordish:
            k = wordish[0]
            entry = self._entry(key, specs, k, checked={k})
            words, prefixes = accepted[k]
            for word in words:
                self.by_word[word].append(entry)
            for prefix in prefixes:
                self.by_prefix[prefix].append(entry)
            return
        norm = next((k for k, spec in enumerate(specs) if "NORM" in spec), None)
        if norm is not None:
            self.by_norm[specs[norm]["NORM"]].append(self._entry(key, specs, norm, checked={norm}))
            return
        number = next((k for k, spec in enumerate(specs) if spec.get("LIKE_NUM")), None)
        if number is not None:
            self.numeric.append(self._entry(key, specs, number, checked={number}))
        else:
            self.unindexed.append(self._entry(key, specs, 0, checked=set()))

    def _entry(self, key: str, specs: list[dict], offset: int, checked: set[int]) -> Entry:
        """The part's key, the position of the token it is indexed by, its length, and tests for
        the tokens its index lookup did not check."""
        return key, offset, len(specs), tuple((k, self._test(spec)) for k, spec in enumerate(specs) if k not in checked)

    def _test(self, spec: dict):
        """test(token_index, words, norms, nums) -> bool; one per distinct spec (libraries repeat
        the same word lists in many phrases)."""
        lower = spec.get("LOWER")
        key = (spec.get("NORM"), spec.get("LIKE_NUM"), tuple(lower["IN"]) if isinstance(lower, dict) and "IN" in lower
               else lower.get("REGEX") if isinstance(lower, dict) else lower)
        if key not in self._tests:
            test = self._tests[key] = self._new_test(spec)
            self._spec_of[test] = len(self._specs)
            self._specs.append(spec)
        return self._tests[key]

    WORD_INDEXES = ("by_word", "by_prefix", "by_norm")   # a word -> the entries it finds
    FLEXIBLE_INDEXES = ("flexible_by_word", "flexible_by_prefix")

    def to_json(self) -> dict:
        """The indexes as JSON (see from_json): each entry once, its tests as the specs they test."""
        entries: list[list] = []
        number: dict[int, int] = {}

        def refs(items: list[Entry]) -> list[int]:
            out = []
            for entry in items:
                if id(entry) not in number:
                    number[id(entry)] = len(entries)
                    key, offset, length, tests = entry
                    entries.append([key, offset, length, [[k, self._spec_of[test]] for k, test in tests]])
                out.append(number[id(entry)])
            return out

        out = {"single": dict(self.single),
               **{name: {word: refs(items) for word, items in getattr(self, name).items()}
                  for name in self.WORD_INDEXES},
               "by_pair": [[first, second, refs(items)] for (first, second), items in self.by_pair.items()],
               "numeric": refs(self.numeric), "unindexed": refs(self.unindexed),
               **{name: {word: [[key, [[self._spec_of[test], optional] for test, optional in rest]] for key, rest in items]
                         for word, items in getattr(self, name).items()}
                  for name in self.FLEXIBLE_INDEXES}}
        return {**out, "entries": entries, "specs": self._specs}

    @classmethod
    def from_json(cls, data: dict) -> TokenPatterns:
        """Indexes written by to_json, ready to find parts: no pattern is compiled again."""
        patterns = cls()
        tests = [patterns._test(spec) for spec in data["specs"]]
        entries = [(key, offset, length, tuple((k, tests[spec]) for k, spec in checks))
                   for key, offset, length, checks in data["entries"]]
        patterns.single.update(data["single"])
        for name in cls.WORD_INDEXES:
            getattr(patterns, name).update({word: [entries[i] for i in refs] for word, refs in data[name].items()})
        patterns.by_pair.update({(first, second): [entries[i] for i in refs] for first, second, refs in data["by_pair"]})
        patterns.numeric = [entries[i] for i in data["numeric"]]
        patterns.unindexed = [entries[i] for i in data["unindexed"]]
        for name in cls.FLEXIBLE_INDEXES:
            getattr(patterns, name).update({word: [(key, tuple((tests[spec], bool(optional)) for spec, optional in rest))
                                                   for key, rest in items] for word, items in data[name].items()})
        return patterns

    def _new_test(self, spec: dict):
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
        regex = re.compile(lower["REGEX"])
        return lambda i, w, n, d: regex.search(w[i]) is not None

    def _starts(self, word: str) -> tuple:
        """(one-word parts that are this word, entries indexed by it or by one of its prefixes,
        parts with many optional tokens that it may start, and the next word -> the entries
        indexed by the pair, or None)."""
        found = self._of_word.get(word)
        if found is None:
            if self._pairs_after is None:
                self._pairs_after = {}
                for (first, second), entries in self.by_pair.items():
                    self._pairs_after.setdefault(first, {})[second] = entries
            found = (tuple(self.single.get(word, ())), _indexed(word, self.by_word, self.by_prefix),
                     _indexed(word, self.flexible_by_word, self.flexible_by_prefix), self._pairs_after.get(word))
            if worth_remembering(self._of_word, word):
                self._of_word[word] = found
        return found

    def __call__(self, sent) -> list[tuple[str, int, int]]:
        """Every (part key, start, end) found in a sentence, as spaCy's Matcher orders them."""
        return sorted(((key, start, end) for key, spans in self.find(sent).items() for start, end in spans),
                      key=lambda m: (m[1], m[2], m[0]))

    def find(self, sent, aliases: Mapping[str, str] | None = None) -> dict[str, list[tuple[int, int]]]:
        """Part key -> the (start, end) token spans where the part occurs in a sentence; a word of
        `aliases` is read as the word it maps to (a defined term as "data")."""
        return self.find_in(Reading.of(sent, aliases))

    def find_in(self, reading: Reading) -> dict[str, list[tuple[int, int]]]:
        """find, on a sentence's tokens as a Reading."""
        words, norms, nums = reading.words, reading.norms, reading.nums
        count = len(words)
        out: set[tuple[str, int, int]] = set()
        by_norm, numeric, unindexed = self.by_norm, self.numeric, self.unindexed
        of_word, starts = self._of_word, self._starts
        last = count - 1
        for i, word in enumerate(words):
            singles, entries, flexible, pairs = of_word.get(word) or starts(word)
            for key in singles:
                out.add((key, i, i + 1))
            if entries:
                _add_matches(out, entries, i, reading)
            if pairs and i < last and (entries := pairs.get(words[i + 1])):
                _add_matches(out, entries, i, reading)
            for key, rest in flexible:
                out.update((key, i, end) for end in _flexible_ends(rest, i, reading))
            if by_norm and (entries := by_norm.get(norms[i])):
                _add_matches(out, entries, i, reading)
            if numeric and nums[i]:
                _add_matches(out, numeric, i, reading)
            if unindexed:
                _add_matches(out, unindexed, i, reading)
        found: dict[str, list[tuple[int, int]]] = {}
        for key, start, end in out:
            found.setdefault(key, []).append((start, end))
        return found

    def restricted(self, keys: frozenset[str]) -> TokenPatterns:
        """These indexes with only the parts whose key is in `keys`."""
        patterns = TokenPatterns()
        patterns.single.update({w: ks for w, found in self.single.items() if (ks := [k for k in found if k in keys])})
        for name in ("by_pair", *self.WORD_INDEXES, *self.FLEXIBLE_INDEXES):
            getattr(patterns, name).update({index: kept for index, items in getattr(self, name).items()
                                            if (kept := [item for item in items if item[0] in keys])})
        patterns.numeric = [entry for entry in self.numeric if entry[0] in keys]
        patterns.unindexed = [entry for entry in self.unindexed if entry[0] in keys]
        return patterns

    @property
    def lookups(self) -> dict[str, list[tuple]]:
        """Part key -> how to find that part alone: the indexes turned around, (kind, what the
        index holds it by, its entry) for each entry of the part, with every word (prefix, word
        pair, norm) an entry is indexed by in one set, so that a sentence's words are matched
        against them at once."""
        if self._lookups is None:
            groups: dict[str, dict[tuple, list]] = {}

            def add(key: str, kind: str, index, item) -> None:
                group = groups.setdefault(key, {}).setdefault((kind, id(item)), [kind, set(), item])
                group[1].add(index)

            for word, keys in self.single.items():
                for key in keys:
                    add(key, "single", word, None)
            for name, kind in (("by_pair", "pair"), ("by_word", "word"), ("by_prefix", "prefix"), ("by_norm", "norm"),
                               ("flexible_by_word", "flexible word"), ("flexible_by_prefix", "flexible prefix")):
                for index, items in getattr(self, name).items():
                    for item in items:
                        add(item[0], kind, index, item)
            for kind, entries in (("number", self.numeric), ("any", self.unindexed)):
                for entry in entries:
                    add(entry[0], kind, None, entry)
            self._lookups = {key: [(kind, frozenset(indexes), item) for kind, indexes, item in by_entry.values()]
                             for key, by_entry in groups.items()}
        return self._lookups

    def spans_of(self, key: str, readings: list[Reading]) -> list[tuple[int, int]]:
        """The spans of one part in a sentence, as find_in would find them, in any of `readings`."""
        out: set[tuple[str, int, int]] = set()
        for reading in readings:
            words, at = reading.words, reading.positions
            last = len(words) - 1
            for kind, indexes, item in self.lookups.get(key, ()):
                if kind == "single":
                    for word in at.keys() & indexes:
                        out.update((key, i, i + 1) for i in at[word])
                elif kind == "word":
                    for word in at.keys() & indexes:
                        for i in at[word]:
                            _add_matches(out, (item,), i, reading)
                elif kind == "pair":
                    for first, second in indexes:
                        for i in at.get(first, ()):
                            if i < last and words[i + 1] == second:
                                _add_matches(out, (item,), i, reading)
                elif kind == "prefix":
                    for i in reading.starting(indexes):
                        _add_matches(out, (item,), i, reading)
                elif kind == "flexible word" or kind == "flexible prefix":
                    starts = [i for word in at.keys() & indexes for i in at[word]] if kind == "flexible word" \
                        else reading.starting(indexes)
                    for i in starts:
                        out.update((key, i, end) for end in _flexible_ends(item[1], i, reading))
                else:
                    positions = [i for i, norm in enumerate(reading.norms) if norm in indexes] if kind == "norm" else \
                        reading.numbers() if kind == "number" else range(len(words))
                    for i in positions:
                        _add_matches(out, (item,), i, reading)
        return [(start, end) for _, start, end in out]


class Reading:
    """A sentence's tokens as the tests read them: lower-case words (a defined term as the noun it
    stands for, in the reading with aliases), norms and like-number flags; and, built when a part
    is first looked up alone, where each word stands."""
    __slots__ = ("words", "norms", "nums", "_positions", "_starting")

    def __init__(self, words: list[str], norms: list[str], nums: list[bool]):
        self.words, self.norms, self.nums = words, norms, nums
        self._positions: dict[str, list[int]] | None = None
        self._starting: dict[frozenset[str], list[int]] = {}

    @classmethod
    def of(cls, sent, aliases: Mapping[str, str] | None = None) -> Reading:
        tokens = [(t.lower_, t.norm_, t.like_num) for t in sent]
        words, norms, nums = (list(column) for column in zip(*tokens)) if tokens else ([], [], [])
        reading = cls(words, norms, nums)
        return reading.aliased(aliases) if aliases else reading

    def aliased(self, aliases: Mapping[str, str]) -> Reading:
        """The same tokens with each word of `aliases` read as the word it maps to."""
        return Reading([aliases.get(word, word) for word in self.words], self.norms, self.nums)

    @property
    def positions(self) -> dict[str, list[int]]:
        """Each distinct word -> where it stands."""
        if self._positions is None:
            self._positions = {}
            for i, word in enumerate(self.words):
                self._positions.setdefault(word, []).append(i)
        return self._positions

    def starting(self, prefixes: frozenset[str]) -> list[int]:
        """Where a word starts with one of the prefixes."""
        if prefixes not in self._starting:
            self._starting[prefixes] = [i for word, at in self.positions.items()
                                        if any(word.startswith(prefix) for prefix in prefixes) for i in at]
        return self._starting[prefixes]

    def numbers(self) -> list[int]:
        return [i for i, num in enumerate(self.nums) if num]


class SentenceParts:
    """The parts of one sentence, each found when first asked for: matching reads the parts of
    the few patterns a sentence's triggers start, a small share of all the parts of a library.
    `known` holds parts already found, and `complete` the keys it holds every span of."""

    def __init__(self, patterns: TokenPatterns, readings: list[Reading], known: dict[str, list[tuple[int, int]]],
                 complete: frozenset[str]):
        self._patterns, self._readings = patterns, readings
        self._found = known
        self._complete = complete

    def get(self, key: str) -> list[tuple[int, int]]:
        spans = self._found.get(key)
        if spans is None:
            spans = self._found[key] = [] if key in self._complete else self._patterns.spans_of(key, self._readings)
        return spans


def _add_matches(out: set, entries, i: int, reading: Reading) -> None:
    """Add each entry (indexed at token i) whose other tokens pass their tests."""
    words, norms, nums = reading.words, reading.norms, reading.nums
    count = len(words)
    for key, offset, length, tests in entries:
        start = i - offset
        end = start + length
        if start < 0 or end > count:
            continue
        for k, test in tests:
            if not test(start + k, words, norms, nums):
                break
        else:
            out.add((key, start, end))


def _flexible_ends(rest, i: int, reading: Reading) -> set[int]:
    """Where a part with many optional tokens, its first at token i, may end."""
    words, norms, nums = reading.words, reading.norms, reading.nums
    count = len(words)
    ends = {i + 1}   # where the part may end after each of its tokens so far
    for test, optional in rest:
        moved = {end + 1 for end in ends if end < count and test(end, words, norms, nums)}
        ends = moved | ends if optional else moved
        if not ends:
            break
    return ends


def worth_remembering(memo: dict, word: str) -> bool:
    """Whether to add a word to a per-word memo: words of ordinary length, up to a count, so that
    memory stays bounded on OCR noise or text that is not prose."""
    return len(memo) < 200_000 and len(word) <= 40
Entry = tuple  # (key, indexed token's offset, length, ((token offset, test), ...))
FLEXIBLE_FROM = 4   # optional tokens (2**4 fixed variants) from which a part is run token by token


def _indexed(word: str, by_word: dict, by_prefix: dict) -> tuple:
    """What an index holds for a word, and for each prefix of it."""
    found = list(by_word.get(word, ()))
    for length in sorted({len(prefix) for prefix in by_prefix if len(prefix) <= len(word)}):
        found.extend(by_prefix.get(word[:length], ()))
    return tuple(found)


def _bare(spec: dict) -> dict:
    return {k: v for k, v in spec.items() if k != "OP"}


def _fixed_variants(pattern: list[dict]) -> list[list[dict]]:
    """The pattern with each optional token present and absent; never the empty pattern."""
    variants: list[list[dict]] = [[]]
    for spec in pattern:
        if spec.get("OP") == "?":
            variants = [v for v in variants] + [v + [_bare(spec)] for v in variants]
        else:
            variants = [v + [spec] for v in variants]
    unique = {repr(v): v for v in variants if v}
    return list(unique.values())


def _words(spec: dict) -> tuple[list[str] | None, list[str]]:
    """(exact words, word prefixes) a token spec accepts, or (None, []) if it is not about words."""
    if set(spec) != {"LOWER"}:
        return None, []
    lower = spec["LOWER"]
    if isinstance(lower, str):
        return [lower], []
    if "IN" in lower:
        return list(lower["IN"]), []
    return split_regex(lower["REGEX"])


def split_regex(regex: str) -> tuple[list[str], list[str]]:
    """Undo terms._alternatives: '^(?:pre1|pre2|word$)' -> (["word"], ["pre1", "pre2"])."""
    body = regex[len("^(?:"):-1]
    words: list[str] = []
    prefixes: list[str] = []
    for option in body.split("|"):
        text = re.sub(r"\\(.)", r"\1", option)
        (words if text.endswith("$") else prefixes).append(text.rstrip("$"))
    return words, prefixes
