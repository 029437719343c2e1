"""Rules own their knowledge: a rule overridden with --rules brings its memo lines, and state law
verdicts follow it (profile limits name the rules they judge); value kinds are one registry; the
new rule keys are validated with messages that name the file and the key."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clausescan.cli import app
from clausescan.errors import RuleError
from clausescan.law import CONFLICTS, NOT_STATED
from clausescan.pipeline import scan
from clausescan.errors import ProfileError
from clausescan.profiles import load_profile
from clausescan.report.markdown import escape
from clausescan.rules import values
from clausescan.rules.engine import CARVE_OUT_WORDS
from clausescan.rules.loader import load_rules
from clausescan.rules.schema import VALUE_KINDS, Rule

runner = CliRunner()
CONTRACT = """SERVICES AGREEMENT
This Agreement is made between Acme Plate Systems, Inc. ("Vendor") and the Town of Millbrook ("Agency").
4. DATA
4.1 Vendor may give away Agency Data to anyone it chooses.
"""
# data-sale, overridden: giving the data away counts as a sale
GIVING_AWAY = textwrap.dedent("""\
    id: data-sale
    title: The vendor may give the data away
    category: data-rights
    severity: high
    safeguard_expected: true
    memo:
      concern: "a clause letting the vendor give the data away"
    why: A town that lets the vendor give its data away has as little control as one that lets it sell.
    patterns:
      - name: giving data away
        polarity: concern
        negated: safeguard
        trigger: ["give|gives away"]
        with: [["data"]]
    examples:
      match:
        - text: "Vendor may give away Agency Data."
          polarity: concern
      no_match:
        - "Vendor may give notice."
    """)


@pytest.fixture
def folders(tmp_path):
    (tmp_path / "millbrook").mkdir()
    (tmp_path / "millbrook" / "msa.txt").write_text(CONTRACT)
    (tmp_path / "override").mkdir()
    (tmp_path / "override" / "data-sale.yaml").write_text(GIVING_AWAY)
    return tmp_path


def _sale_verdict(result):
    (document,) = result.documents
    return next(v for v in document.law if v.kind == "no-sale")


def test_overriding_a_rule_keeps_state_law_verdicts_consistent_with_it(folders):
    builtin = scan([folders / "millbrook"], workers=1, profile="ca")
    assert _sale_verdict(builtin).status == NOT_STATED   # the built-in rule does not read giving away as sale
    overridden = load_rules([folders / "override"])
    result = scan([folders / "millbrook"], rules=overridden, workers=1, profile="ca")
    verdict = _sale_verdict(result)
    assert (verdict.status, verdict.page) == (CONFLICTS, 1)
    assert [f.rule for f in result.findings if f.polarity == "concern"].count("data-sale") == 1

    # `report --profile` judges the findings file again with the same rules, and agrees with the scan
    findings, memo = folders / "findings.json", folders / "memo.md"
    args = ["--rules", str(folders / "override")]
    assert runner.invoke(app, ["scan", str(folders / "millbrook"), *args, "--no-cache", "-q",
                               "--json", str(findings)]).exit_code == 0
    report = runner.invoke(app, ["report", str(findings), *args, "--profile", "ca", "-o", str(memo)])
    assert report.exit_code == 0, report.output
    text = memo.read_text()
    assert f"- **{CONFLICTS}** (no-sale): {escape(verdict.text)}" in text
    assert "1 of 1 towns has a clause letting the vendor give the data away." in text   # its memo line


def test_a_limit_judges_the_rule_it_names(folders):
    (folders / "override" / "data-sale.yaml").write_text(GIVING_AWAY.replace("id: data-sale", "id: giving-away"))
    library = load_rules([folders / "override"])
    profile = load_profile("ca")
    profile.limits[1].rules = {"sale": "giving-away"}
    assert _sale_verdict(scan([folders / "millbrook"], rules=library, workers=1, profile=profile)).status == CONFLICTS


def test_a_profile_naming_a_rule_the_scan_did_not_run_or_one_without_days_is_refused(folders):
    profile = load_profile("me")
    profile.limits[0].rules = {"retention": "no-such-rule"}
    with pytest.raises(ProfileError, match=r"me.yaml: limits.0.rules.retention: no rule 'no-such-rule' among"):
        scan([folders / "millbrook"], workers=1, profile=profile)
    retention = load_rules().by_id["retention-period"].source
    (folders / "override" / "retention-period.yaml").write_text(
        open(retention, encoding="utf-8").read().replace("value: retention-days", "value: notice-days"))
    result = runner.invoke(app, ["scan", str(folders / "millbrook"), "--rules", str(folders / "override"),
                                 "--profile", "me", "--no-cache", "-q"])
    assert result.exit_code == 2
    assert "limits.0.rules.retention: rule 'retention-period' gives notice-days values, not the retention-days" \
        in " ".join(result.output.split())


@pytest.mark.parametrize("text, where", [
    ("memo:\n  headline: a clause\n", "memo.headline"),
    ("memo:\n  concern: 5\n", "memo.concern"),
    ("summary_values: sometimes\n", "summary_values"),
    ("value: word-count\n", "value"),
])
def test_the_new_rule_keys_are_validated_naming_the_file_and_key(folders, text, where):
    path = folders / "override" / "data-sale.yaml"
    without_memo = GIVING_AWAY.replace('memo:\n  concern: "a clause letting the vendor give the data away"\n', "")
    path.write_text(without_memo.replace("why:", text + "why:", 1))
    with pytest.raises(RuleError) as err:
        load_rules([folders / "override"])
    assert f"{path}: rule 'data-sale': {where}:" in str(err.value)


def test_value_kinds_are_the_registry():
    assert VALUE_KINDS == tuple(values.VALUE_EXTRACTORS)
    base = {"id": "r", "title": "R", "category": "c", "severity": "info", "why": "w" * 20,
            "patterns": [{"name": "p", "polarity": "info", "trigger": ["x"]}],
            "examples": {"match": [{"text": "x", "polarity": "info"}], "no_match": ["y"]}}
    for kind in values.VALUE_EXTRACTORS:   # every kind a rule may name is read by its entry
        assert Rule.model_validate({**base, "value": kind}).value == kind
        assert all(len(pair) == 2 for pair in values.extract(kind, "Data is kept for 30 days."))


def test_a_new_value_kind_is_one_registry_entry(monkeypatch):
    monkeypatch.setitem(values.VALUE_EXTRACTORS, "word-count", lambda text: [(len(text.split()), "words")])
    assert values.extract("word-count", "Data is kept for 30 days.") == [(6, "words")]


def test_the_findings_json_of_a_profile_scan_names_the_rules_each_limit_judged(folders):
    out = folders / "f.json"
    assert runner.invoke(app, ["scan", str(folders / "millbrook"), "--profile", "ca", "--no-cache", "-q",
                               "--json", str(out)]).exit_code == 0
    limits = json.loads(out.read_text())["profile"]["limits"]
    assert [limit["rules"] for limit in limits] == [
        {"sharing": "network-sharing", "immigration": "immigration-enforcement"}, {"sale": "data-sale"}]


def test_word_lists_live_once_in_the_lexicon():
    lexicon = load_rules().lexicon
    assert values.STATES == lexicon["us-states"] and "District of Columbia" in values.STATES
    # the words an exception carves out are the derived data and summaries of it, not a second list
    derived = {w for phrase in lexicon["derived-data"] for w in phrase.replace(" - ", "-").replace("*", "").split("|")}
    assert derived <= set(CARVE_OUT_WORDS) and {"metadata", "summary"} <= set(CARVE_OUT_WORDS)
    package = Path(values.__file__).resolve().parents[1]
    assert not [p.name for p in package.rglob("*.py") if "Wyoming" in p.read_text(encoding="utf-8")]


def test_a_term_set_may_name_another_and_an_unknown_one_is_refused(tmp_path):
    (tmp_path / "_lexicon.yaml").write_text('sold-data:\n  - "@derived-data"\n  - "reads"\nbroken:\n  - "@no-such-set"\n')
    with pytest.raises(RuleError, match=r"_lexicon.yaml: broken: '@no-such-set' is not a term set"):
        load_rules([tmp_path])
    (tmp_path / "_lexicon.yaml").write_text('sold-data:\n  - "@derived-data"\n  - "reads"\n')
    lexicon = load_rules([tmp_path]).lexicon
    assert lexicon["sold-data"] == lexicon["derived-data"] + ["reads"]
