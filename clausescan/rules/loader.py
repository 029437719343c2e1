"""Load rule files safely (yaml.safe_load), validate them, and collect every problem with
the file, rule and key it concerns before failing."""
from __future__ import annotations

import hashlib
import json
from functools import cached_property
from pathlib import Path

import yaml
from pydantic import ValidationError

from ..errors import RuleError
from .lexicon import LEXICON_FILE, builtin_rules_dir, resolve
from .schema import Rule
from ..errors import PhraseError
from .terms import compile_phrase, phrases_version

PROFILES_DIR = "profiles"   # state law profiles (clausescan/profiles.py) live beside the rules but are not rules


class RuleLibrary:
    def __init__(self, rules: list[Rule], lexicon: dict[str, list[str]], version: str):
        self.rules = rules
        self.lexicon = lexicon
        self.version = version
        self.by_id = {r.id: r for r in rules}

    @cached_property
    def rule_keys(self) -> dict[str, str]:
        """Rule id -> a hash of everything its findings depend on: the rule, the shared word lists and
        how phrases compile."""
        lexicon = json.dumps(self.lexicon, sort_keys=True) + phrases_version()
        return {rule.id: hashlib.sha256((rule.model_dump_json(exclude={"source"}) + lexicon).encode()).hexdigest()[:24]
                for rule in self.rules}


def _rule_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*.yaml")
                  if not p.name.startswith("_") and p.relative_to(directory).parts[0] != PROFILES_DIR)


# libyaml's safe loader when PyYAML was built with it (about 10x faster), else the pure-Python one
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path, problems: list[str]):
    """A YAML file's data, loaded safely; None, with the problem in words added to `problems`, if it cannot be."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: cannot be read ({exc})")
    except yaml.YAMLError as exc:
        problems.append(f"{path}: is not valid YAML ({str(exc).splitlines()[0]})")
    return None


def _load_lexicon(dirs: list[Path], problems: list[str]) -> dict[str, list[str]]:
    """The term sets of every directory's lexicon, a later one's replacing an earlier one's of the
    same name, with the sets a set names resolved over all of them."""
    lexicon: dict[str, list[str]] = {}
    paths = []
    for directory in dirs:
        path = directory / LEXICON_FILE
        if not path.exists():
            continue
        data = load_yaml(path, problems)
        if data is None:
            continue
        if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
            problems.append(f"{path}: must map each term-set name to a list of phrases")
            continue
        lexicon.update({str(k): [str(p) for p in v] for k, v in data.items()})
        paths.append(str(path))
    return resolve(lexicon, problems, " or ".join(paths))


def expand(phrases: list[str] | str, lexicon: dict[str, list[str]], where: str, problems: list[str]) -> list[str]:
    out: list[str] = []
    for phrase in [phrases] if isinstance(phrases, str) else phrases:
        if isinstance(phrase, str) and phrase.startswith("@"):
            if phrase[1:] not in lexicon:
                problems.append(f"{where}: unknown term set {phrase!r} (define it in {LEXICON_FILE})")
            else:
                out.extend(lexicon[phrase[1:]])
        else:
            out.append(str(phrase))
    return out


def _check_phrases(rule: Rule, lexicon, problems: list[str]) -> None:
    where = f"{rule.source}: rule '{rule.id}'"
    for i, pattern in enumerate(rule.patterns):
        groups = [("trigger", pattern.trigger), ("without", pattern.without)] + \
            [(f"with[{j}]", g) for j, g in enumerate(pattern.with_)]
        for key, group in groups:
            for phrase in expand(group, lexicon, f"{where}: patterns[{i}].{key}", problems):
                try:
                    compile_phrase(phrase, None)   # the syntax only: spaCy is loaded when a rule runs
                except PhraseError as exc:
                    problems.append(f"{where}: patterns[{i}].{key}: {exc}")


def load_rules(extra_dirs: list[Path | str] | None = None, builtin: bool = True) -> RuleLibrary:
    """The built-in library, plus rules from extra directories that add or override by id."""
    dirs = ([builtin_rules_dir()] if builtin else []) + [Path(d) for d in extra_dirs or []]
    problems: list[str] = []
    for directory in dirs:
        if not directory.is_dir():
            problems.append(f"{directory}: is not a directory of rule files")
    if problems:
        raise RuleError(problems)
    lexicon = _load_lexicon(dirs, problems)
    rules: dict[str, Rule] = {}
    digest = hashlib.sha256()
    for directory in dirs:
        seen_here: dict[str, Path] = {}
        for path in _rule_files(directory):
            data = load_yaml(path, problems)
            digest.update(path.read_bytes() if path.exists() else b"")
            if data is None:
                continue
            if not isinstance(data, dict):
                problems.append(f"{path}: must be a mapping with id, title, patterns and examples")
                continue
            rule_id = data.get("id", "?")
            try:
                rule = Rule.model_validate({**data, "source": str(path)})
            except ValidationError as exc:
                for err in exc.errors():
                    key = ".".join(str(p) for p in err["loc"]) or "(top level)"
                    problems.append(f"{path}: rule '{rule_id}': {key}: {err['msg']}")
                continue
            if rule.id in seen_here:
                problems.append(f"{path}: rule '{rule.id}': id already used by {seen_here[rule.id]}")
                continue
            seen_here[rule.id] = path
            _check_phrases(rule, lexicon, problems)
            rules[rule.id] = rule   # a later directory overrides the built-in rule of the same id
    if problems:
        raise RuleError(problems)
    for directory in dirs:
        lex = directory / LEXICON_FILE
        if lex.exists():
            digest.update(lex.read_bytes())
    digest.update(phrases_version().encode())   # the same files may match other words with other inflections
    return RuleLibrary(sorted(rules.values(), key=lambda r: r.id), lexicon, digest.hexdigest()[:12])
