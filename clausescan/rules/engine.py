"""Compile a rule library into token patterns, and run them over sentences.

All rules' token patterns are indexed together and run once per sentence; a rule is judged only
where one of its triggers was found, and anchors (the words each trigger needs) pick the
text worth tokenizing at all.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cached_property
from collections.abc import Mapping
from itertools import groupby

from ..cache import collector_paused
from ..nlp import get_nlp
from ..version import __version__
from . import polarity as pol
from .anchors import Anchors, Condition, glued_words, phrase_anchor
from .lexicon import word_beginnings
from .loader import RuleLibrary, expand
from .schema import Pattern, Polarity, Rule
from .terms import GAP as GAP_SPEC, compile_phrase
from .tokens import Reading, SentenceParts, TokenPatterns


@dataclass
class Hit:
    """One finding before it is placed in a document: a polarity decided on one sentence."""
    rule: Rule
    pattern: Pattern
    polarity: Polarity
    start: int          # sentence-relative token index of the trigger
    trigger: str = ""

GAP = 6   # "..." in a phrase: up to this many tokens between its parts (as GAP_SPEC in terms.py)


class CompiledRule:
    """One rule's token patterns. Phrases are split at "..." into gap-free parts that are matched
    separately and joined here: spaCy's {0,6} quantifier multiplies the matcher's states.

    `anchor` holds conditions one of which any sentence where the rule can fire meets: for each
    pattern, the words each phrase of one of the groups every hit needs requires (its triggers,
    or a `with` group), whichever group is rarest, and a word of each other such group.
    Other text is never tokenized."""

    def __init__(self, rule: Rule, lexicon, nlp, patterns: TokenPatterns, problems: list[str], joined):
        self.rule = rule
        # (pattern, group) -> first part's key -> phrases, each [(part key, tokens allowed before it)]
        self.groups: dict[tuple[int, str], dict[str, list[list[tuple[str, int]]]]] = {}
        anchor: set[Condition] | None = set()   # see anchors.phrase_anchor
        for i, pattern in enumerate(rule.patterns):
            required: dict[str, list] = {}   # group -> each phrase's (anchor condition, frequency)
            groups = [("trigger", pattern.trigger), ("without", pattern.without)] + \
                [(f"with{j}", g) for j, g in enumerate(pattern.with_)]
            for name, group in groups:
                phrases = []
                for phrase in expand(group, lexicon, rule.id, problems):
                    compiled = compile_phrase(phrase, nlp.tokenizer)
                    if name != "without":
                        required.setdefault(name, []).append(phrase_anchor(compiled, joined))
                    keys = [(patterns.key(part), allowed) for part, allowed in _split_at_gaps(compiled)]
                    phrases.append(keys)
                if phrases:
                    by_first = self.groups[(i, name)] = {}
                    for keys in phrases:
                        by_first.setdefault(keys[0][0], []).append(keys)
            anchorable = {name: group for name, group in required.items() if None not in group}
            rarest = min(anchorable, key=lambda name: sum(f for _, f in anchorable[name]), default=None)
            if rarest is None or anchor is None:
                anchor = None
                continue
            # and each other group every hit needs contributes one of its phrases' rarest words
            others = tuple(frozenset().union(*(condition[0] for condition, _ in group))
                           for name, group in anchorable.items() if name != rarest)
            anchor.update(condition + others for condition, _ in anchorable[rarest])
        self.anchor = anchor
        self._index_groups()

    def _index_groups(self) -> None:
        self.first_keys = {group: frozenset(by_first) for group, by_first in self.groups.items()}
        # first part of a trigger phrase -> the patterns it may start a trigger of
        self.trigger_starts: dict[str, list[int]] = {}
        for (i, name), keys in self.first_keys.items():
            if name == "trigger":
                for key in keys:
                    self.trigger_starts.setdefault(key, []).append(i)

    def to_json(self) -> dict:
        return {"groups": [[i, name, by_first] for (i, name), by_first in self.groups.items()],
                "anchor": None if self.anchor is None else
                sorted([sorted(options) for options in condition] for condition in self.anchor)}

    @classmethod
    def from_json(cls, rule: Rule, data: dict) -> CompiledRule:
        """The rule as to_json wrote it when it was compiled."""
        compiled = cls.__new__(cls)
        compiled.rule = rule
        compiled.groups = {(int(i), str(name)): {str(first): [[(str(key), int(allowed)) for key, allowed in phrase]
                                                              for phrase in phrases]
                                                 for first, phrases in by_first.items()}
                           for i, name, by_first in data["groups"]}
        anchor = data["anchor"]
        compiled.anchor = None if anchor is None else \
            {tuple(frozenset(options) for options in condition) for condition in anchor}
        compiled._index_groups()
        return compiled

    def hits(self, sent, parts: SentenceParts, patterns, data_nouns: frozenset[str] = frozenset()) -> list[Hit]:
        """Hits of this rule in one sentence (a spaCy Span), given its pattern parts and the indices
        of the patterns whose triggers may start with a part found in it."""
        out: list[Hit] = []
        for i in patterns:
            pattern = self.rule.patterns[i]
            triggers = self._spans(i, "trigger", parts)
            if i not in self._conjunction_patterns:   # "provided that" is no verb "provided"
                triggers = [span for span in triggers if not pol.is_proviso_conjunction(sent, span[0])]
            if not triggers:
                continue
            # every `with` group must be found in the sentence: most triggers stop here, before
            # their scope is read (and before the parts of the groups after an absent one are looked for)
            contexts = []
            for j in range(len(pattern.with_)):
                contexts.append(self._spans(i, f"with{j}", parts))
                if not contexts[-1]:
                    break
            if not all(contexts):
                continue
            excluded = [span for span in self._spans(i, "without", parts)
                        if not pol.names_data(sent, span[1], data_nouns) and not pol.describes_data(sent, span[0])
                        and not pol.is_concessive(sent, span[0])]
            if excluded:
                excluded = self._not_beside_context(sent, excluded, contexts)
            for start, end in _outermost(triggers):
                near = _near(contexts, pattern.near, start, end)
                if not all(near):
                    continue
                if pol.in_document_title(sent, start, end) or pol.in_reference_title(sent, start, end):
                    continue
                scope = pol.clause_scope(sent, start, end)
                if excluded and self._ruled_out(sent, start, end, scope, excluded):
                    continue
                if not _context_ok(near, sent, scope):
                    continue
                if pattern.actor and pol.actor(sent, start) not in pattern.actor:
                    continue
                out.extend(Hit(self.rule, pattern, p, start, sent[start:end].text)
                           for p in decide(sent, pattern, start, end, scope))
        return _without_limits_after_grants(sent, out)

    @staticmethod
    def _not_beside_context(sent, excluded: list[tuple[int, int]], contexts) -> list[tuple[int, int]]:
        """The excluded spans less those listed beside what a `with` group needs: in "may use the
        Usage Data and the Derived Insights" the usage data a rule sets aside is one noun of the
        list, and the insights are still used."""
        others = [span for spans in contexts for span in spans
                  if not any(span[0] < end and span[1] > start for start, end in excluded)]
        return [span for span in excluded if not any(pol.coordinated(sent, span, other) for other in others)]

    @cached_property
    def _conjunction_patterns(self) -> set[int]:
        """The patterns one of whose triggers starts with "provided" as a conjunction ("provided|however
        ... may ... to private parties"), not as the verb of a list ("provide|provides|provided ... access")."""
        out = set()
        for i, pattern in enumerate(self.rule.patterns):
            for phrase in pattern.trigger:
                first = phrase.split()[0].split("|") if phrase.split() else []
                if "provided" in first and not {"provide", "provides"} & set(first):
                    out.add(i)
        return out

    @staticmethod
    def _ruled_out(sent, start: int, end: int, scope, excluded: list[tuple[int, int]]) -> bool:
        """Whether words that rule a finding out stand in the trigger's list item. They are read
        across its verb phrases ("only to provide the Services and to improve its products"),
        except in a coordinated predicate with its own negation, which adds a prohibition rather
        than qualifying the trigger ("shall use it only to provide the Services and shall not use
        it to train or develop any model"), and in a proviso with its own subject after it."""
        item = pol.clause_scope(sent, start, end, predicates=False)
        for span in excluded:
            if not pol.in_scope(span, item):
                continue
            own = pol.clause_scope(sent, span[0], span[1])
            if own[-1][0] >= end and sent[own[-1][0]].lower_ in pol.PROVISO_WORDS:
                # "Customer owns the Customer Data, save that Vendor owns the Derived Data": the
                # proviso is a finding of its own and takes nothing from the clause it follows
                continue
            if pol.in_scope(span, scope):
                return True
            if not pol.is_negated(sent, span[0], own[-1][0]):
                return True
        return False

    def _spans(self, i: int, name: str, parts: SentenceParts) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        by_first = self.groups.get((i, name))
        if by_first:
            for first, phrases in by_first.items():
                if parts.get(first):
                    for keys in phrases:
                        spans.extend(_chain(keys, parts))
        return spans


def _near(contexts: list[list[tuple[int, int]]], near: int | None, start: int, end: int) -> list[list[tuple[int, int]]]:
    """Each `with` group's spans within `near` tokens of the trigger (all of them without a limit)."""
    if not near:
        return contexts
    return [[s for s in spans if s[0] <= end + near and s[1] >= start - near] for spans in contexts]


def _context_ok(contexts: list[list[tuple[int, int]]], sent, scope) -> bool:
    """Every `with` group is found in the trigger's predicate, or before it when the predicate
    refers back to an earlier noun ("... and shall not sell it")."""
    back = None
    for spans in contexts:
        if any(pol.in_scope(span, scope) for span in spans):
            continue
        if back is None:
            back = pol.refers_back(sent, scope)
        if not (back and any(b <= scope[-1][0] for a, b in spans)):   # before its own item
            return False
    return True


COMPILE_VERSION = "4"   # bump when compiling gives other patterns or anchors, to invalidate cached libraries
COMPILED = "compiled-rules"   # the cache namespace


class CompiledLibrary:
    """A rule library ready to match. It is compiled on first use, so that a re-scan that needs only
    a few of its rules (see only()) never compiles the others.

    With a cache, the compiled library is kept there as JSON, keyed by every rule's content (and
    the shared word lists), this version of clausescan and spaCy's (whose tokenizer split the
    phrases): loading it takes milliseconds and needs no spaCy, compiling it most of a second. A
    rule edit changes the key, so the library is compiled again; an entry that cannot be read
    back is compiled again and overwritten."""

    def __init__(self, library: RuleLibrary, nlp=None, cache=None):
        self.library = library
        self._nlp = nlp
        self.cache = cache
        self._subsets: dict[frozenset[str], CompiledLibrary] = {}

    @property
    def nlp(self):
        """The spaCy pipeline, loaded when first needed: a re-scan whose findings are all cached never
        imports spaCy (half a second)."""
        if self._nlp is None:
            self._nlp = get_nlp()
        return self._nlp

    @cached_property
    def _compiled(self) -> tuple[list[CompiledRule], TokenPatterns, Anchors | None]:
        if self.cache is None:
            return self._compile()
        key = self.cache_key
        with collector_paused():
            compiled = self._restore(self.cache.get(COMPILED, key))
        if compiled is None:
            compiled = self._compile()
            rules, patterns, anchors = compiled
            self.cache.put(COMPILED, key, {"rules": [rule.to_json() for rule in rules], "patterns": patterns.to_json(),
                                           "anchors": anchors.to_json() if anchors else None})
        return compiled

    @cached_property
    def cache_key(self) -> str:
        from importlib.metadata import version
        parts = [COMPILE_VERSION, __version__, version("spacy"), sorted(self.library.rule_keys.values())]
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()

    def _restore(self, entry) -> tuple[list[CompiledRule], TokenPatterns, Anchors | None] | None:
        """A compiled library from its cache entry; None for one that is missing or damaged."""
        try:
            rules = [CompiledRule.from_json(rule, data) for rule, data in zip(self.library.rules, entry["rules"], strict=True)]
            anchors = entry["anchors"]
            return rules, TokenPatterns.from_json(entry["patterns"]), Anchors.from_json(anchors) if anchors else None
        except (TypeError, KeyError, ValueError, IndexError, AttributeError, re.error):
            return None

    def load(self) -> CompiledLibrary:
        """Compile now (or load from the cache), for workers that share it."""
        self._compiled
        self._trigger_parts
        return self

    def prepare_for_workers(self) -> None:
        """In a parent process, before forking workers: compile the library here, once, unless the
        cache holds it already, as a worker then loads it in milliseconds if it needs it at all (a
        warm re-scan never does)."""
        if self.cache is None or not self.cache.has(COMPILED, self.cache_key):
            self.load()

    def _compile(self) -> tuple[list[CompiledRule], TokenPatterns, Anchors | None]:
        patterns = TokenPatterns()
        problems: list[str] = []
        joined = glued_words(self.nlp.tokenizer)
        rules = [CompiledRule(rule, self.library.lexicon, self.nlp, patterns, problems, joined)
                 for rule in self.library.rules]
        # text can be skipped only if every rule says which words it needs
        if any(rule.anchor is None for rule in rules):
            return rules, patterns, None
        conditions: dict[Condition, int] = {}
        for i, rule in enumerate(rules):
            for condition in rule.anchor or ():
                conditions[condition] = conditions.get(condition, 0) | 1 << i
        return rules, patterns, Anchors(conditions)

    @cached_property
    def _trigger_starts(self) -> dict[str, list[tuple[int, int]]]:
        """First part of a trigger phrase -> the (rule index, pattern index) it may start a trigger of."""
        out: dict[str, list[tuple[int, int]]] = {}
        for r, rule in enumerate(self.rules):
            for key, patterns in rule.trigger_starts.items():
                out.setdefault(key, []).extend((r, i) for i in patterns)
        return out

    @property
    def rules(self) -> list[CompiledRule]:
        return self._compiled[0]

    @property
    def patterns(self) -> TokenPatterns:
        return self._compiled[1]

    @property
    def prefilter(self) -> Anchors | None:
        return self._compiled[2]

    def only(self, rule_ids: frozenset[str]) -> CompiledLibrary:
        """This library restricted to some of its rules (compiled once per set of ids)."""
        if rule_ids == frozenset(self.library.by_id):
            return self
        if rule_ids not in self._subsets:
            rules = [r for r in self.library.rules if r.id in rule_ids]
            self._subsets[rule_ids] = CompiledLibrary(RuleLibrary(rules, self.library.lexicon, self.library.version),
                                                      self.nlp, self.cache)
        return self._subsets[rule_ids]

    def is_candidate(self, text: str) -> bool:
        """Whether text contains the words every trigger of some rule needs: only such text is tokenized."""
        return bool(self.candidate_test(text))

    @cached_property
    def candidate_test(self):
        """text -> the rules (as bits, rule i as 1 << i) that may fire in it, 0 for none: one bound
        method, for the loop over every sentence of a document."""
        every_rule = (1 << len(self.rules)) - 1
        return self.prefilter.rules_in if self.prefilter else lambda text: every_rule

    def match_sentence(self, sent, defined: Mapping[str, str] | None = None, rules: int = -1) -> list[Hit]:
        """Hits in one sentence of the rules in `rules` (as bits, rule i as 1 << i: see
        candidate_test); a word in `defined` (see definitions.py) is read both as itself and as the
        noun it maps to ("Vehicle Signatures" still names vehicle attributes)."""
        if pol.is_reported_speech(sent):
            return []
        readings = [Reading.of(sent)]
        if defined and any(word in defined for word in readings[0].words):
            readings.append(readings[0].aliased(defined))
        # the parts that start triggers are found first, all at once; the others only as the
        # patterns these start need them
        trigger_parts, trigger_keys = self._trigger_parts
        first_parts: dict[str, list[tuple[int, int]]] = {}
        for reading in readings:
            for key, spans in trigger_parts.find_in(reading).items():
                first_parts[key] = sorted(set(first_parts.get(key, [])) | set(spans))
        if not first_parts:
            return []
        parts = SentenceParts(self.patterns, readings, first_parts, trigger_keys)
        # only the patterns one of whose triggers starts with a part found here, in library order
        started = sorted({(r, i) for key in first_parts for r, i in self._trigger_starts[key] if rules >> r & 1})
        hits: list[Hit] = []
        for r, group in groupby(started, key=lambda pair: pair[0]):
            hits.extend(self.rules[r].hits(sent, parts, [i for _, i in group], self.data_nouns))
        return hits

    @cached_property
    def _trigger_parts(self) -> tuple[TokenPatterns, frozenset[str]]:
        """The parts that start a trigger phrase, indexed on their own, and their keys."""
        keys = frozenset(self._trigger_starts)
        return self.patterns.restricted(keys), keys

    @cached_property
    def data_nouns(self) -> frozenset[str]:
        """The nouns that name the agency's data (the lexicon's first `data` phrase)."""
        first = self.library.lexicon.get("data", [""])[0]
        return frozenset(word for word in first.split("|") if word.isalpha())


def _without_limits_after_grants(sent, hits: list[Hit]) -> list[Hit]:
    """Drop a safeguard that a "but" predicate adds after a concern of the same rule: in "will use
    the images to train its models, but will not use the reads for marketing" the limit narrows
    what the grant leaves over and takes back nothing it gave."""
    concerns = [h.start for h in hits if h.polarity == "concern"]
    if not concerns or len(concerns) == len(hits):
        return hits
    first = min(concerns)
    buts = [k for k in range(first + 1, len(sent)) if sent[k].lower_ == "but" and pol.opens_verb_phrase(sent, k)]
    return [h for h in hits if h.polarity != "safeguard" or not any(first < k < h.start for k in buts)]


def _split_at_gaps(pattern: list[dict]) -> list[tuple[list[dict], int]]:
    """Gap-free parts of a pattern, each with how many tokens may stand before it."""
    parts: list[tuple[list[dict], int]] = []
    current: list[dict] = []
    allowed = 0
    for spec in pattern + [GAP_SPEC]:
        if spec != GAP_SPEC:
            current.append(spec)
            continue
        if current and any(s.get("OP") != "?" for s in current):
            parts.append((current, allowed))
            allowed = 0
        else:   # "... ..." or a part that can match nothing on its own widens the gap
            allowed += len(current)
        current = []
        allowed += GAP
    return parts


def _chain(keys: list[tuple[str, int]], parts: SentenceParts) -> list[tuple[int, int]]:
    """Spans where each part follows the previous one within its allowed gap."""
    current = parts.get(keys[0][0])
    for key, allowed in keys[1:]:
        spans = parts.get(key)
        if not spans:
            return []
        current = [(a, d) for a, b in current for c, d in spans if b <= c <= b + allowed]
        if not current:
            return []
    return current


def decide(sent, pattern: Pattern, start: int, end: int, scope: list[tuple[int, int]] | None = None) -> list[Polarity]:
    """The polarities one trigger yields, by the shared polarity logic; `scope` is the trigger's
    predicate (see polarity.clause_scope)."""
    scope = scope or [(0, len(sent))]
    if pol.lifts_a_provision(sent, start) or pol.is_advisory(sent, start, scope):
        return [p for p in (pattern.polarity,) if p == "info"]
    if pol.is_negated(sent, start, scope[-1][0]) or pol.has_negated_object(sent, end):
        out = [pattern.negated]
        if pattern.carve_out:
            exc = pol.exception_span(sent, end)
            if exc and _mentions_carve_out(sent, *exc):
                out.append(pattern.carve_out)
    elif pattern.optional and pol.is_optional(sent, scope):
        out = [pattern.optional]
    elif pattern.time_limited and pol.is_time_limited(sent, scope):
        out = [pattern.time_limited]
    elif pattern.restricted and pol.is_restricted(sent, start, end):
        out = [pattern.restricted]
    else:
        out = [pattern.polarity]
    return [p for p in out if p and p != "none"]


CARVE_OUT_WORDS = word_beginnings("carve-outs")


def _mentions_carve_out(sent, start: int, stop: int) -> bool:
    text = sent[start:stop].text.lower()
    return any(w in text for w in CARVE_OUT_WORDS)


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop trigger spans nested in a longer one at the same place; keep distinct triggers."""
    spans = sorted(set(spans), key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[tuple[int, int]] = []
    for s in spans:
        if out and s[0] >= out[-1][0] and s[1] <= out[-1][1]:
            continue
        out.append(s)
    return out
