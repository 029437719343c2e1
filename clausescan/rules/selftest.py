"""Every rule detects its own examples: each `match` example must yield a finding of the rule
with the stated polarity (and value), each `no_match` example no finding of the rule at all.
A `todo` example is a known miss: it passes when the rule gives its right answer, which it is
expected not to do yet (a todo that passes should become a match or no_match example)."""
from __future__ import annotations

from dataclasses import dataclass

from ..match import match_document
from ..models import Document, Page
from ..nlp import get_nlp
from .engine import CompiledLibrary
from .loader import RuleLibrary


@dataclass
class ExampleResult:
    rule: str
    kind: str          # match | no_match | todo
    text: str
    passed: bool
    detail: str


def _same_value(expected, got) -> bool:
    if isinstance(expected, (int, float)) and isinstance(got, (int, float)):
        return abs(float(expected) - float(got)) < 1e-3
    return str(expected).lower() == str(got).lower()


def run_examples(library: RuleLibrary, rule_ids: set[str] | None = None) -> list[ExampleResult]:

    compiled = CompiledLibrary(library, get_nlp())
    results = []

    def findings_for(text: str, rule_id: str):
        document = Document(file="<example>", kind="txt", pages=[Page(number=1, text=text)])
        return [f for f in match_document(document, compiled) if f.rule == rule_id]

    for rule in library.rules:
        if rule_ids and rule.id not in rule_ids:
            continue
        for ex in rule.examples.match:
            got = findings_for(ex.text, rule.id)
            ok = [f for f in got if f.polarity == ex.polarity]
            if ex.value is not None:
                ok = [f for f in ok if _same_value(ex.value, f.value)]
            if ex.only and any(f.polarity != ex.polarity for f in got):
                ok = []
            detail = "ok" if ok else ("expected " + ("only " if ex.only else "") + ex.polarity
                                      + (f" value {ex.value}" if ex.value is not None else "")
                                      + f", got {[(f.polarity, f.value) for f in got] or 'nothing'}")
            results.append(ExampleResult(rule.id, "match", ex.text, bool(ok), detail))
        for example in rule.examples.no_match:
            got = findings_for(example.text, rule.id)
            detail = "ok" if not got else f"expected no finding, got {[(f.polarity, f.value) for f in got]}"
            results.append(ExampleResult(rule.id, "no_match", example.text, not got, detail))
        for todo in rule.examples.todo:
            got = findings_for(todo.text, rule.id)
            if todo.polarity == "none":
                right = not got
            else:
                right = any(f.polarity == todo.polarity and (todo.value is None or _same_value(todo.value, f.value))
                            for f in got)
            detail = f"known miss: {todo.note}" if not right else \
                "this known miss is now found: make it a match or no_match example"
            results.append(ExampleResult(rule.id, "todo", todo.text, right, detail))
    return results
