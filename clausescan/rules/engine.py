"""Compile a rule library into one spaCy Matcher, and run it over sentences.

All rules' token patterns are indexed together and run once per sentence; a rule is judged only
where one of its triggers was found, and a regex of the words any trigger needs picks the
paragraphs worth tokenizing at all. Most
contract text holds no finding, and spaCy is by far the slowest step of a scan.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import polarity as pol
from .loader import RuleLibrary, expand
from .schema import Pattern, Rule
from .terms import GAP as GAP_SPEC, compile_phrase
from .tokens import TokenPatterns


@dataclass
class Hit:
    """One finding before it is placed in a document: a polarity decided on one sentence."""
    rule: Rule
    pattern: Pattern
    polarity: str
    start: int          # sentence-relative token index of the trigger
    trigger: str = ""

GAP = 6   # "..." in a phrase: up to this many tokens between its parts (as GAP_SPEC in terms.py)


class CompiledRule:
    """One rule's token patterns, run only on sentences that contain one of its trigger words. Phrases are split at "..." into gap-free parts that are matched
    separately and joined here: spaCy's {0,6} quantifier multiplies the matcher's states."""

    def __init__(self, rule: Rule, lexicon, nlp, patterns: TokenPatterns, problems: list[str]):
        self.rule = rule
        self.trigger_parts: set[str] = set()
        # (pattern, group) -> phrases -> [(part key, tokens allowed before it)]
        self.groups: dict[tuple[int, str], list[list[tuple[str, int]]]] = {}
        part_keys: dict[str, str] = {}
        anchors: set[str | None] = set()
        for i, pattern in enumerate(rule.patterns):
            groups = [("trigger", pattern.trigger), ("without", pattern.without)] + \
                [(f"with{j}", g) for j, g in enumerate(pattern.with_)]
            for name, group in groups:
                phrases = []
                for phrase in expand(group, lexicon, rule.id, problems):
                    compiled = compile_phrase(phrase, nlp.tokenizer)
                    if name == "trigger":
                        anchors.add(_anchor(compiled))
                    keys = []
                    for part, allowed in _split_at_gaps(compiled):
                        text = repr(part)
                        if text not in part_keys:
                            part_keys[text] = f"{rule.id}#{len(part_keys)}"
                            patterns.add(part_keys[text], part)
                        keys.append((part_keys[text], allowed))
                        if name == "trigger":
                            self.trigger_parts.add(part_keys[text])
                    phrases.append(keys)
                if phrases:
                    self.groups[(i, name)] = phrases
        self.anchor = None if None in anchors else r"\b(?:" + "|".join(sorted(anchors)) + ")"

    def hits(self, sent, parts: dict[str, list[tuple[int, int]]]) -> list[Hit]:
        """Hits of this rule in one sentence (a spaCy Span), given every pattern part found in it."""
        if not any(key in parts for key in self.trigger_parts):
            return []
        out: list[Hit] = []
        for i, pattern in enumerate(self.rule.patterns):
            triggers = self._spans(i, "trigger", parts)
            if not triggers or self._spans(i, "without", parts):
                continue
            for start, end in _outermost(triggers):
                if not self._context_ok(i, pattern, parts, start, end):
                    continue
                if pattern.actor and pol.actor(sent, start) not in pattern.actor:
                    continue
                out.extend(Hit(self.rule, pattern, p, start, sent[start:end].text)
                           for p in decide(sent, pattern, start, end))
        return out

    def _spans(self, i: int, name: str, parts) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        for keys in self.groups.get((i, name), []):
            spans.extend(_chain([(parts.get(k, []), allowed) for k, allowed in keys]))
        return spans

    def _context_ok(self, i, pattern, parts, start, end) -> bool:
        for j in range(len(pattern.with_)):
            spans = self._spans(i, f"with{j}", parts)
            if pattern.near:
                spans = [s for s in spans if s[0] <= end + pattern.near and s[1] >= start - pattern.near]
            if not spans:
                return False
        return True


class CompiledLibrary:
    def __init__(self, library: RuleLibrary, nlp):
        self.library = library
        self.patterns = TokenPatterns()
        problems: list[str] = []
        self.rules = [CompiledRule(rule, library.lexicon, nlp, self.patterns, problems) for rule in library.rules]
        anchors = [r.anchor for r in self.rules if r.anchor is not None]
        self.prefilter = None if len(anchors) < len(self.rules) or not anchors else \
            re.compile("|".join(anchors), re.I)

    def is_candidate(self, text: str) -> bool:
        """Whether a paragraph contains any trigger word at all: only those are tokenized."""
        return self.prefilter is None or self.prefilter.search(text) is not None

    def match_sentence(self, sent) -> list[Hit]:
        parts: dict[str, list[tuple[int, int]]] = {}
        for key, start, end in self.patterns(sent):
            parts.setdefault(key, []).append((start, end))
        if not parts:
            return []
        return [hit for rule in self.rules for hit in rule.hits(sent, parts)]


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


def _chain(part_spans: list[tuple[list[tuple[int, int]], int]]) -> list[tuple[int, int]]:
    """Spans where each part follows the previous one within its allowed gap."""
    if not part_spans or not part_spans[0][0]:
        return []
    current = part_spans[0][0]
    for spans, allowed in part_spans[1:]:
        current = [(a, d) for a, b in current for c, d in spans if b <= c <= b + allowed]
        if not current:
            return []
    return current


def decide(sent, pattern: Pattern, start: int, end: int) -> list[str]:
    """The polarities one trigger yields, by the shared polarity logic."""
    if pol.is_negated(sent, start):
        out = [pattern.negated]
        if pattern.carve_out:
            exc = pol.exception_span(sent, end)
            if exc and _mentions_carve_out(sent, *exc):
                out.append(pattern.carve_out)
    elif pattern.restricted and pol.is_restricted(sent, start, end):
        out = [pattern.restricted]
    else:
        out = [pattern.polarity]
    return [p for p in out if p and p != "none"]


CARVE_OUT_WORDS = ("aggregat", "anonymi", "de-identif", "deidentif", "derived", "statistic", "summary", "metadata")


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


def _anchor(pattern: list[dict]) -> str | None:
    """A regex that any text matching this token pattern must contain, or None if no word is required."""
    for spec in pattern:
        if spec.get("OP") in ("?", "{0,6}", "*"):
            continue
        lower = spec.get("LOWER")
        if isinstance(lower, str):
            return re.escape(lower)
        if isinstance(lower, dict) and "IN" in lower:
            return "(?:" + "|".join(re.escape(w) for w in lower["IN"]) + ")"
        if isinstance(lower, dict) and "REGEX" in lower:
            return lower["REGEX"].lstrip("^").replace("$", "")
    return None
