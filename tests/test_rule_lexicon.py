"""A phrase that several rules share is written once, as a term set in rules/_lexicon.yaml that the
rules name ("@name"): a phrase spelt out in three or more rule files is a change the next writer
makes in one file and misses in the others."""
from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from clausescan.rules.loader import LEXICON_FILE, RuleLibrary, builtin_rules_dir, load_rules
from clausescan.rules.schema import Rule
from test_rule_loading import GOOD   # a valid rule, whose id and trigger each test sets

MAX_FILES = 2   # a phrase may be spelt out in this many rule files; from one more it belongs in the lexicon


def phrase_key(phrase: str) -> str:
    """A phrase as the matcher reads it: case and runs of white space do not make it another phrase."""
    return " ".join(phrase.lower().split())


def written_phrases(rule: Rule) -> Iterator[str]:
    """The phrases a rule spells out in its triggers, `with` groups and `without` lists (not the
    term sets it names)."""
    for pattern in rule.patterns:
        groups = [pattern.trigger, pattern.without] + [[g] if isinstance(g, str) else g for g in pattern.with_]
        yield from (phrase for group in groups for phrase in group if not phrase.startswith("@"))


def repeated_phrases(library: RuleLibrary, directory: Path) -> dict[str, list[str]]:
    """Each phrase spelt out in more than MAX_FILES rule files -> those files, relative to `directory`."""
    files: dict[str, set[str]] = defaultdict(set)
    for rule in library.rules:
        for phrase in written_phrases(rule):
            files[phrase_key(phrase)].add(os.path.relpath(rule.source, directory))
    return {phrase: sorted(names) for phrase, names in sorted(files.items()) if len(names) > MAX_FILES}


def lint_message(repeats: dict[str, list[str]]) -> str:
    return "\n".join(f'"{phrase}" is spelt out in {len(names)} rule files ({", ".join(names)}): name it once '
                     f'as a term set in {LEXICON_FILE} and write "@name" in those files'
                     for phrase, names in repeats.items())


def test_no_phrase_is_spelt_out_in_three_rule_files():
    directory = builtin_rules_dir()
    repeats = repeated_phrases(load_rules(), directory)
    assert not repeats, lint_message(repeats)


def write_rules(directory: Path, groups: dict[str, str]) -> RuleLibrary:
    """Rule files that differ from GOOD in their pattern's phrase groups (YAML under the pattern)."""
    (directory / LEXICON_FILE).write_text('gadgets: ["gadget|gadgets"]\n')
    for rule_id, yaml_groups in groups.items():
        rule = GOOD.replace("id: test-rule", f"id: {rule_id}").replace('trigger: ["widget+"]', yaml_groups)
        (directory / f"{rule_id}.yaml").write_text(rule)
    return load_rules([directory], builtin=False)


def test_the_lint_names_a_phrase_in_three_files_and_the_files(tmp_path):
    # the same phrase, in other case and spacing, as a trigger, in a `with` group and in a
    # `without` list of three files; a fourth file names a term set
    library = write_rules(tmp_path, {
        "one": 'trigger: ["sell+ widget*"]',
        "two": 'trigger: ["widget+"]\n    with: [["Sell+  Widget*"]]',
        "three": 'trigger: ["widget+"]\n    without: [" sell+ widget* "]',
        "four": 'trigger: ["@gadgets"]'})
    repeats = repeated_phrases(library, tmp_path)
    assert repeats == {"sell+ widget*": ["one.yaml", "three.yaml", "two.yaml"]}
    message = lint_message(repeats)
    assert '"sell+ widget*"' in message and "one.yaml, three.yaml, two.yaml" in message and LEXICON_FILE in message


def test_a_phrase_in_two_files_or_a_term_set_in_many_is_no_repeat(tmp_path):
    library = write_rules(tmp_path, {"one": 'trigger: ["sell+ widget*"]', "two": 'trigger: ["sell+ widget*"]',
                                     **{name: 'trigger: ["@gadgets"]' for name in ("three", "four", "five")}})
    assert repeated_phrases(library, tmp_path) == {}
