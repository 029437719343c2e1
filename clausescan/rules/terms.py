"""Phrase patterns: a compact way to write spaCy Matcher token patterns in rule files.

    "sell+"              sell, sells, selled/sold is not guessed: list irregular forms
    "sell|sold|rent+"    any of these words
    "monetiz*"           any word starting with "monetiz"
    "prior? written consent"   a word followed by ? is optional
    "license ... for a fee"    ... is up to six words of anything
    "<vendor> <agency> <private> <party> <num>"   a party named in the document, a number
Everything is matched case-insensitively on the token's lower-case form.
"""
from __future__ import annotations

import re

GAP = {"OP": "{0,6}"}
ROLE_TOKENS = {"<vendor>": "__vendor__", "<agency>": "__agency__", "<private>": "__private__",
               "<party>": "__party__"}  # see parties.tag_roles


class PhraseError(ValueError):
    pass


def _inflect(word: str) -> list[str]:
    forms = {word, word + "s", word + "ed", word + "ing"}
    if word.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing"}
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if word.endswith(("s", "sh", "ch", "x")):
        forms.add(word + "es")
    return sorted(forms)


def _alternatives(piece: str) -> dict:
    options = piece.split("|")
    exact: list[str] = []
    prefixes: list[str] = []
    for option in options:
        if not option:
            raise PhraseError(f"empty alternative in {piece!r}")
        if option.endswith("*"):
            prefixes.append(re.escape(option[:-1]))
        elif option.endswith("+"):
            exact.extend(_inflect(option[:-1]))
        else:
            exact.append(option)
    if not prefixes:
        return {"LOWER": exact[0]} if len(exact) == 1 else {"LOWER": {"IN": exact}}
    alternation = "|".join(prefixes + [re.escape(e) + "$" for e in exact])
    return {"LOWER": {"REGEX": f"^(?:{alternation})"}}


def compile_phrase(phrase: str, tokenizer) -> list[dict]:
    """One phrase -> one spaCy Matcher pattern (a list of token specs). With tokenizer None, a
    plain word is kept whole rather than split as spaCy would ("vendor's"): enough to check a
    phrase's syntax without loading spaCy."""
    phrase = phrase.strip().lower()
    if not phrase:
        raise PhraseError("empty phrase")
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
            spec = _alternatives(piece)
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
