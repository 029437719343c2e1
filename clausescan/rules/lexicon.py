"""The shared word lists (rules/_lexicon.yaml): the term sets a rule names as "@name", and the one
home of the words the code reads contracts with (the data an exception carves out, the US states),
so that a list is written once. A set may name another set as one of its phrases ("@derived-data")."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

LEXICON_FILE = "_lexicon.yaml"


def builtin_rules_dir() -> Path:
    packaged = Path(__file__).resolve().parent.parent / "_rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"   # a source checkout or editable install


def resolve(lexicon: dict[str, list[str]], problems: list[str], where: str) -> dict[str, list[str]]:
    """Each set with the phrases of the sets it names in their place; an unknown name is a problem."""
    out: dict[str, list[str]] = {}
    for name, phrases in lexicon.items():
        out[name] = []
        for phrase in phrases:
            if not phrase.startswith("@"):
                out[name].append(phrase)
            elif phrase[1:] in lexicon and not any(p.startswith("@") for p in lexicon[phrase[1:]]):
                out[name].extend(lexicon[phrase[1:]])
            else:
                problems.append(f"{where}: {name}: {phrase!r} is not a term set of plain phrases")
    return out


@lru_cache(maxsize=1)
def builtin() -> dict[str, list[str]]:
    path = builtin_rules_dir() / LEXICON_FILE
    problems: list[str] = []
    lexicon = resolve(yaml.safe_load(path.read_text(encoding="utf-8")), problems, str(path))
    if problems:
        raise ValueError("; ".join(problems))
    return lexicon


def word_beginnings(name: str) -> tuple[str, ...]:
    """A built-in set's alternatives as the lower-case beginnings of words the code looks for in
    text: "aggregat*" is "aggregat", "de - identif*" is "de-identif"."""
    return tuple(dict.fromkeys(alternative.strip().rstrip("*").replace(" - ", "-").lower()
                               for phrase in builtin()[name] for alternative in phrase.split("|")))
