"""Rule files are loaded safely and validated; every problem names the file, the rule and the key."""
from __future__ import annotations

import textwrap

import pytest

from clausescan.errors import RuleError
from clausescan.rules.loader import load_rules

GOOD = textwrap.dedent("""\
    id: test-rule
    title: A test rule
    category: testing
    severity: low
    why: A rule used by the tests to check that loading works as documented.
    patterns:
      - name: widget
        polarity: concern
        trigger: ["widget+"]
    examples:
      match:
        - text: "The Vendor sells widgets."
          polarity: concern
      no_match:
        - "The Vendor sells gadgets."
    """)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def load_only(tmp_path):
    return load_rules([tmp_path], builtin=False)


def test_a_valid_rule_loads(tmp_path):
    write(tmp_path, "test-rule.yaml", GOOD)
    library = load_only(tmp_path)
    assert [r.id for r in library.rules] == ["test-rule"]


def test_unknown_key_names_file_rule_and_key(tmp_path):
    path = write(tmp_path, "bad.yaml", GOOD + "colour: red\n")
    with pytest.raises(RuleError) as err:
        load_only(tmp_path)
    message = str(err.value)
    assert str(path) in message and "'test-rule'" in message and "colour" in message


def test_missing_field_is_named(tmp_path):
    write(tmp_path, "bad.yaml", GOOD.replace("title: A test rule\n", ""))
    with pytest.raises(RuleError, match=r"'test-rule': title"):
        load_only(tmp_path)


def test_rule_without_examples_does_not_load(tmp_path):
    text = GOOD[:GOOD.index("examples:")]
    write(tmp_path, "bad.yaml", text)
    with pytest.raises(RuleError, match="examples"):
        load_only(tmp_path)


def test_rule_with_empty_no_match_does_not_load(tmp_path):
    assert '  no_match:\n    - "The Vendor sells gadgets."\n' in GOOD
    write(tmp_path, "bad.yaml", GOOD.replace('  no_match:\n    - "The Vendor sells gadgets."\n',
                                             "  no_match: []\n"))
    with pytest.raises(RuleError, match=r"examples\.no_match"):
        load_only(tmp_path)


def test_bad_phrase_is_named(tmp_path):
    write(tmp_path, "bad.yaml", GOOD.replace('trigger: ["widget+"]', 'trigger: ["<robot> widget"]'))
    with pytest.raises(RuleError, match=r"patterns\[0\]\.trigger: unknown placeholder '<robot>'"):
        load_only(tmp_path)


def test_unknown_term_set_is_named(tmp_path):
    write(tmp_path, "bad.yaml", GOOD.replace('trigger: ["widget+"]', 'trigger: ["@gizmos"]'))
    with pytest.raises(RuleError, match="unknown term set '@gizmos'"):
        load_only(tmp_path)


def test_yaml_tags_are_not_executed(tmp_path):
    write(tmp_path, "evil.yaml", "!!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(RuleError, match="not valid YAML"):
        load_only(tmp_path)


def test_invalid_yaml_is_reported_with_its_file(tmp_path):
    path = write(tmp_path, "broken.yaml", "id: [unclosed\n")
    with pytest.raises(RuleError, match=str(path)):
        load_only(tmp_path)


def test_every_problem_is_reported_at_once(tmp_path):
    write(tmp_path, "a.yaml", GOOD + "colour: red\n")
    write(tmp_path, "b.yaml", GOOD.replace("id: test-rule", "id: other").replace("severity: low", "severity: huge"))
    with pytest.raises(RuleError) as err:
        load_only(tmp_path)
    assert len(err.value.problems) >= 2


def test_extra_directory_overrides_a_builtin_rule_by_id(tmp_path):
    builtin = load_rules()
    some_id = builtin.rules[0].id
    write(tmp_path, "override.yaml", GOOD.replace("id: test-rule", f"id: {some_id}"))
    merged = load_rules([tmp_path])
    assert merged.by_id[some_id].title == "A test rule"
    assert len(merged.rules) == len(builtin.rules)


def test_missing_rules_directory_is_a_usage_error(tmp_path):
    with pytest.raises(RuleError, match="is not a directory"):
        load_rules([tmp_path / "nope"])


def test_titles_by_polarity_fall_back_to_the_title(tmp_path):
    write(tmp_path, "test-rule.yaml", GOOD.replace("title: A test rule\n",
                                                   "title: A test rule\ntitles:\n  safeguard: No widgets sold\n"))
    (rule,) = load_only(tmp_path).rules
    assert rule.title_for("safeguard") == "No widgets sold"
    assert rule.title_for("concern") == "A test rule" and rule.title_for("info") == "A test rule"


def test_an_unknown_polarity_under_titles_names_the_key(tmp_path):
    path = write(tmp_path, "bad.yaml", GOOD.replace("title: A test rule\n",
                                                    "title: A test rule\ntitles:\n  concerns: Widgets sold\n"))
    with pytest.raises(RuleError) as err:
        load_only(tmp_path)
    assert str(path) in str(err.value) and "titles.concerns" in str(err.value)


def test_every_rule_that_cuts_both_ways_has_a_title_for_each_way():
    for rule in load_rules([]).rules:
        polarities = {value for p in rule.patterns
                      for value in (p.polarity, p.negated, p.restricted, p.time_limited, p.optional, p.carve_out)
                      if value in ("concern", "safeguard")}
        if polarities == {"concern", "safeguard"}:
            assert rule.titles.concern and rule.titles.safeguard, rule.id
            assert rule.titles.concern != rule.titles.safeguard, rule.id
