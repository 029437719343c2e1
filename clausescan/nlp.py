"""The spaCy pipeline: spacy.blank("en") plus a contract-aware sentence splitter. No model download."""
from __future__ import annotations

import re
from functools import lru_cache

# Abbreviations after which a period does not end a sentence in contracts.
ABBREVIATIONS = frozenset("""inc inc. corp corp. co co. ltd ltd. llc l.l.c. no no. nos nos. sec sec. secs secs. art art.
u.s u.s. u.s.c u.s.c. s.a st st. e.g e.g. i.e i.e. etc etc. et seq seq. al al. v vs vs. cf cf. approx approx. para
para. paras mr mrs ms dr jr sr rev rev. dept dept. ave ave. blvd rd ste ste. fig ex ex. exh exh. sch sched. p pp
lt lt. sgt sgt. capt capt. det det. ofc ofc. cpl cpl. lieut gov gov. hon hon. n.a r.s.a m.r.s v.s.a c.r.s a.r.s n.j.s.a rcw g.s o.r.c stat stat. ann ann. m.g.l jan feb mar apr jun jul aug sep
sept oct nov dec gen gen. conn conn. mass mass. cal cal. civ civ. pen pen. fla fla. ariz ariz. colo colo. mich
mich. minn minn. wis wis. tenn tenn. okla okla. or. wash wash. pa. va. ga. ill ill. ind ind. kan kan. ky. la. md. mo.
mont mont. neb neb. nev nev. n.h n.m n.y n.c n.d r.i s.c s.d tex tex. vt. w.va wyo wyo. del. ala ala. ark ark. supp
supp. reg reg. regs regs. admin admin. proc proc. crim crim. c.f.r pub pub. l. ch ch. subd subd. subsec subsec.""".split())
# (state and statute abbreviations of citations: "Conn. Gen. Stat. § 54-192h", "Cal. Civ. Code")
_ENDERS = {".", "!", "?"}
CELL_SEPARATOR = "|"
_OPENERS = {"(", '"', "“", "'", "‘", "["}


def _is_abbreviation(token) -> bool:
    text = token.text.lower()
    if text in ABBREVIATIONS:
        return True
    # single capital letters with periods: "J.", "U.S.", "N.J.S.A."
    return len(text) <= 12 and text.endswith(".") and all(len(part) <= 2 for part in text.split(".")[:-1])


def contract_sentences(doc):
    """Sentence starts after ., ! or ? unless the period closes an abbreviation ("Inc.", "U.S.",
    "No.", "Sec.") or the next word is lower-case."""
    tokens = list(doc)   # doc[i] makes a new Token object every time
    texts = [token.text for token in tokens]
    started = False
    # a run of spaces (text blanked out as not agreed) is its own token: the words around it decide
    words = [i for i, token in enumerate(tokens) if not token.is_space]
    for k in range(1, len(words)):
        i, p = words[k], words[k - 1]
        prev = texts[p]
        start = False
        if prev in _ENDERS or (prev.endswith(".") and len(prev) > 1 and not _is_abbreviation(tokens[p])):
            before = tokens[words[k - 2]] if k >= 2 else None
            abbreviated = prev == "." and before is not None and not before.whitespace_ and \
                (before.text.lower() in ABBREVIATIONS or before.text.lower() + "." in ABBREVIATIONS
                 or (len(before.text) == 1 and before.text.isalpha()))
            text = texts[i]
            first = text[:1]
            start = not abbreviated and (first.isupper() or first.isdigit() or text in _OPENERS)
            # "(a)" right after "Section 4." is a reference, not a new sentence
            if start and text == "(" and i + 2 < len(tokens) and texts[i + 2] == ")" and \
                    before is not None and before.text.replace(".", "").isdigit():
                start = False
        # a sentence's closing mark, or the cell it ends in a table row (docx.py joins cells with " | ")
        elif prev in {'"', "”", ")", "’", "'", CELL_SEPARATOR} and k >= 2 and texts[words[k - 2]] in _ENDERS:
            start = texts[i][:1].isupper()
        if start:   # only starts are marked: setting a token's flag costs more than deciding it
            tokens[i].is_sent_start = True
            started = True
    if tokens:
        tokens[0].is_sent_start = True
    if len(tokens) > 1 and not started:
        tokens[-1].is_sent_start = False   # spaCy needs a boundary decided besides the first token's
    return doc


# ". " before a capital, after a word of three or more letters that is not an abbreviation: here
# contract_sentences always starts a sentence, and spaCy never joins tokens across a single space.
# The end of the sentence is found first (fast), then the word before it is checked.
_SENTENCE_END = re.compile(r"[.!?] (?=[A-Z])")
_LAST_WORD = re.compile(r"(?<!\S)[^\W\d_]{3,}\Z")


def sentence_pieces(text: str) -> list[tuple[int, str]]:
    """Text cut where a sentence certainly starts, as (offset, piece): each piece tokenizes and splits
    into sentences exactly as it does inside the whole text, so pieces can be tokenized alone. A
    piece longer than MAX_PIECE_CHARS (no sentence is; a damaged text layer or a dump can be) is
    cut at a space too, so nothing sent to spaCy exceeds what it accepts."""
    pieces, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        word = _LAST_WORD.search(text, max(start, end.start() - 40), end.start())
        if not word or word.group().lower() in ABBREVIATIONS or word.group().lower() + "." in ABBREVIATIONS:
            continue
        pieces.extend(_bounded(start, text[start:end.start() + 1]))
        start = end.end()
    pieces.extend(_bounded(start, text[start:]))
    return pieces


MAX_PIECE_CHARS = 20_000   # a hundred times a long sentence; far below spaCy's nlp.max_length
MAX_WORD_CHARS = 300       # longer than any word or web address
# spaCy's tokenizer takes time quadratic in the length of a run without spaces ("((((...",
# a glued text layer): a space in place of every 300th character of such a run keeps it linear
_LONG_RUN = re.compile(rf"(\S{{{MAX_WORD_CHARS - 1}}})\S(?=\S)")


def _bounded(offset: int, piece: str) -> list[tuple[int, str]]:
    """The piece in parts of at most MAX_PIECE_CHARS, cut after a space where there is one, with
    no run of more than MAX_WORD_CHARS characters without a space (same length, same offsets)."""
    piece = _LONG_RUN.sub(r"\1 ", piece)
    parts = []
    while len(piece) > MAX_PIECE_CHARS:
        cut = piece.rfind(" ", MAX_PIECE_CHARS // 2, MAX_PIECE_CHARS) + 1 or MAX_PIECE_CHARS
        parts.append((offset, piece[:cut]))
        offset, piece = offset + cut, piece[cut:]
    parts.append((offset, piece))
    return parts


@lru_cache(maxsize=1)
def get_nlp():
    import spacy
    from spacy.language import Language
    if "contract_sentences" not in Language.factories:
        Language.component("contract_sentences")(contract_sentences)
    from spacy.tokenizer import Tokenizer
    nlp = spacy.blank("en")
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, Tokenizer)   # spacy.blank's own, not a replacement
    for abbr in ("Lt.", "Sgt.", "Capt.", "Det.", "Ofc.", "Cpl.", "Gov.", "Hon.", "No.", "Nos.", "Sec.", "Secs.", "Art.", "seq.", "para.", "Para.", "Sched.", "Exh.", "Ex.", "cf.",
                 "approx.", "U.S.C.", "Stat.", "Ann.", "R.S.A.", "M.R.S.", "V.S.A.", "N.J.S.A."):
        tokenizer.add_special_case(abbr, [{"ORTH": abbr}])
    nlp.add_pipe("contract_sentences")
    return nlp
