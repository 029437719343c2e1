"""Compile a rule library into one spaCy Matcher, and run it over sentences.

Every term set (a rule pattern's trigger, each `with` group, its `without` list) becomes one
Matcher key, so each sentence is matched once for all rules. A regex of the words every
trigger needs picks the paragraphs worth tokenizing at all; most contract text holds no
finding, and spaCy is by far the slowest step of a scan.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import polarity as pol
from .loader import RuleLibrary, expand
from .schema import Pattern, Rule
from .terms import compile_phrase


@dataclass
class Hit:
    """One finding before it is placed in a document: a polarity decided on one sentence."""
    rule: Rule
    pattern: Pattern
    polarity: str
    start: int          # sentence-relative token index of the trigger
    trigger: str = ""

class CompiledLibrary:
    def __init__(self, library: RuleLibrary, nlp):
        from spacy.matcher import Matcher

        self.library = library
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.keys: dict[tuple[str, int, str], str] = {}
        anchors: set[str] = set()
        problems: list[str] = []
        for rule in library.rules:
            for i, pattern in enumerate(rule.patterns):
                groups = [("trigger", pattern.trigger), ("without", pattern.without)] + \
                    [(f"with{j}", g) for j, g in enumerate(pattern.with_)]
                for name, group in groups:
                    phrases = expand(group, library.lexicon, rule.id, problems)
                    if not phrases:
                        continue
                    key = f"{rule.id}|{i}|{name}"
                    compiled = [compile_phrase(p, nlp.tokenizer) for p in phrases]
                    self.matcher.add(key, compiled)
                    self.keys[(rule.id, i, name)] = key
                    if name == "trigger":
                        anchors |= {_anchor(c) for c in compiled}
        self.prefilter = None if None in anchors or not anchors else \
            re.compile(r"\b(?:" + "|".join(sorted(anchors)) + ")", re.I)

    def is_candidate(self, text: str) -> bool:
        return self.prefilter is None or self.prefilter.search(text) is not None

    def match_sentence(self, sent, matches) -> list[Hit]:
        """Hits for one sentence; `matches` are (key, start, end) relative to the sentence."""
        found: dict[str, list[tuple[int, int]]] = {}
        for key, start, end in matches:
            found.setdefault(key, []).append((start, end))
        hits: list[Hit] = []
        for rule in self.library.rules:
            for i, pattern in enumerate(rule.patterns):
                triggers = found.get(self.keys.get((rule.id, i, "trigger"), ""))
                if not triggers:
                    continue
                if found.get(self.keys.get((rule.id, i, "without"), "")):
                    continue
                for start, end in _outermost(triggers):
                    if not self._context_ok(rule, i, pattern, found, start, end):
                        continue
                    if pattern.actor and pol.actor(sent, start) not in pattern.actor:
                        continue
                    hits.extend(Hit(rule, pattern, p, start, sent[start:end].text)
                                for p in decide(sent, pattern, start, end))
        return hits

    def _context_ok(self, rule, i, pattern, found, start, end) -> bool:
        for j in range(len(pattern.with_)):
            spans = found.get(self.keys.get((rule.id, i, f"with{j}"), ""), [])
            if pattern.near:
                spans = [s for s in spans if s[0] <= end + pattern.near and s[1] >= start - pattern.near]
            if not spans:
                return False
        return True


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
