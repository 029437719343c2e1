"""Every rule detects itself: each example in each rule file is its own test case."""
from __future__ import annotations

import textwrap

import pytest

from clausescan.rules.loader import load_rules
from clausescan.rules.selftest import run_examples

LIBRARY = load_rules()
RESULTS = run_examples(LIBRARY)


def _case(result):
    # a known miss runs as a strict expected failure: when a change fixes it, the suite says so
    marks = [pytest.mark.xfail(strict=True, reason=result.detail)] if result.kind == "todo" else []
    return pytest.param(result, marks=marks, id=f"{result.rule}:{result.kind}:{result.text[:40]}")


@pytest.mark.parametrize("result", [_case(r) for r in RESULTS])
def test_rule_example(result):
    assert result.passed, result.detail


def test_every_rule_has_enough_examples():
    for rule in LIBRARY.rules:
        assert len(rule.examples.match) >= 6, f"{rule.id}: fewer than 6 match examples"
        assert len(rule.examples.no_match) >= 6, f"{rule.id}: fewer than 6 no_match examples"


def test_library_covers_the_taxonomy():
    taxonomy = {"data-ownership", "perpetual-license", "derived-data-use", "data-sale", "network-sharing",
                "immigration-enforcement", "health-care-protection", "legal-process-disclosure",
                "retention-period", "deletion-on-termination", "audit-logging", "private-camera-data",
                "unilateral-changes", "incorporated-terms", "auto-renewal", "public-records", "liability-cap",
                "data-scope", "governing-law"}
    assert taxonomy <= set(LIBRARY.by_id)


def test_an_only_example_fails_when_the_rule_also_gives_another_polarity(tmp_path):
    rule = textwrap.dedent("""\
        id: test-rule
        title: A test rule
        category: testing
        severity: low
        why: A rule used by the tests to check that an 'only' example is exclusive.
        patterns:
          - name: sale
            polarity: concern
            negated: safeguard
            trigger: ["sell|sells"]
            with: [["widgets"]]
        examples:
          match:
            - text: "The Vendor shall not sell widgets, but the Vendor may sell widgets to anyone."
              polarity: safeguard
            - text: "The Vendor shall not sell widgets, but the Vendor may sell widgets to anyone."
              polarity: safeguard
              only: true
            - text: "The Vendor shall not sell widgets."
              polarity: safeguard
              only: true
          no_match:
            - "The Vendor sells gadgets."
        """)
    (tmp_path / "test-rule.yaml").write_text(rule)
    results = [r.passed for r in run_examples(load_rules([tmp_path], builtin=False)) if r.kind == "match"]
    assert results == [True, False, True]
