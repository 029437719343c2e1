"""Phrase patterns: a compact way to write spaCy Matcher token patterns in rule files.

    "sell+"              sell, sells, selling, sold: the word's inflections, from lemminflect
    "sell|sold|rent+"    any of these words
    "monetiz*"           any word starting with "monetiz"
    "prior? written consent"   a word followed by ? is optional
    "license ... for a fee"    ... is up to six words of anything
    "<vendor> <agency> <private> <party> <num>"   a party named in the document, a number
Everything is matched case-insensitively on the token's lower-case form.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from importlib.metadata import version

from ..errors import PhraseError

GAP = {"OP": "{0,6}"}
ROLE_TOKENS = {"<vendor>": "__vendor__", "<agency>": "__agency__", "<private>": "__private__",
               "<party>": "__party__"}  # see parties.tag_roles


# Part of the keys that compiled rules and their findings are cached under (loader.RuleLibrary): bump
# it when a phrase compiles to other token patterns. 2: word+ inflected by lemminflect.
PHRASES_VERSION = "2"


@cache
def phrases_version() -> str:
    """How phrases compile, as a cache key: the forms of "word+" also depend on lemminflect's tables."""
    return f"{PHRASES_VERSION}:lemminflect {version('lemminflect')}"


@cache
def inflections(word: str) -> tuple[str, ...]:
    """The word and its inflected forms, as a noun, verb or adjective: lemminflect's dictionary
    knows the irregular ones ("sold", "kept", "transferred", "copies"); for a word it does not
    know, its rules give the regular noun and verb forms."""
    # imported here: loading the tables takes a quarter of a second, spent only when a rule is compiled
    from lemminflect import getAllInflections, getAllInflectionsOOV
    forms = getAllInflections(word) or {**getAllInflectionsOOV(word, "NOUN"), **getAllInflectionsOOV(word, "VERB")}
    return tuple(sorted({word} | {form.lower() for spellings in forms.values() for form in spellings}))


def _word_alone(word: str) -> tuple[str, ...]:
    return (word,)


def _alternatives(piece: str, inflect: Callable[[str], tuple[str, ...]]) -> dict:
    options = piece.split("|")
    exact: list[str] = []
    prefixes: list[str] = []
    for option in options:
        if not option:
            raise PhraseError(f"empty alternative in {piece!r}")
        if option == "+":
            raise PhraseError(f"'+' needs the word to inflect before it in {piece!r}")
        if option.endswith("*"):
            prefixes.append(re.escape(option[:-1]))
        elif option.endswith("+"):
            exact.extend(inflect(option[:-1]))
        else:
            exact.append(option)
    if not prefixes:
        return {"LOWER": exact[0]} if len(exact) == 1 else {"LOWER": {"IN": exact}}
    alternation = "|".join(prefixes + [re.escape(e) + "$" for e in exact])
    return {"LOWER": {"REGEX": f"^(?:{alternation})"}}


def compile_phrase(phrase: str, tokenizer) -> list[dict]:
    """One phrase -> one spaCy Matcher pattern (a list of token specs). With tokenizer None, a
    plain word is kept whole rather than split as spaCy would ("vendor's") and "word+" stands for
    the word alone: enough to check a phrase's syntax without loading spaCy or lemminflect."""
    phrase = phrase.strip().lower()
    if not phrase:
        raise PhraseError("empty phrase")
    inflect = inflections if tokenizer else _word_alone
    pattern: list[dict] = []
    for piece in phrase.split():
        optional = piece.endswith("?") and len(piece) > 1
        if optional:
            piece = piece[:-1]
        if piece == "...":
            pattern.append(dict(GAP))
            continue
        if piece in ROLE_TOKENS:
            spec: dict = {"NORM": ROLE_TOKENS[piece]}
        elif piece == "<num>":
            spec = {"LIKE_NUM": True}
        elif piece == "<any>":
            spec = {}
        elif piece.startswith("<") and piece.endswith(">"):
            raise PhraseError(f"unknown placeholder {piece!r} (use <vendor>, <agency>, <private>, <party>, <num>, <any>)")
        elif any(c in piece for c in "|*+"):
            spec = _alternatives(piece, inflect)
        else:
            words = [t.text for t in tokenizer(piece)] if tokenizer else [piece]
            for word in words[:-1]:
                pattern.append({"LOWER": word})
            spec = {"LOWER": words[-1]}
        if optional:
            spec["OP"] = "?"
        pattern.append(spec)
    if all(p.get("OP") in ("?", "{0,6}") for p in pattern):
        raise PhraseError(f"phrase {phrase!r} can match nothing at all")
    return pattern
