"""The matcher's view of OCR'd text: what Tesseract misreads between and inside words undone,
with a map back to the text as read, so a finding's quote and page still come from that.

segment.normalize_for_matching already undoes, on every page and without changing the length,
typographic quotes and digits read for letters inside words ("perpetua1", "rec0rds", "(3O)");
NFKC in segment.clean_text undoes ligatures ("ﬁ"). Only OCR'd pages get the rest, which changes
the length of the text:
- stray marks between words dropped: a mark standing alone (" ' ", " , "), a period after a word
  that the next word, in lower case, shows ends no sentence ("license. plate."), a quote mark
  that opens or closes nothing;
- a word split by a space rejoined where the joined word is a lexicon word and a part is not
  ("detect ions" -> "detections");
- misread letters undone where that makes a word of the lexicon out of one that is not
  ("inforrnation" -> "information", "Iicense" -> "license", "c0ntract" -> "contract").
A text layer is never changed: it says what the document says.

The lexicon is the words of the built-in rule library (its phrases, examples and explanations)
and of ocr_words.txt, a list of common English and contract words shipped with the package.
"""
from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .nlp import ABBREVIATIONS
from .rules.loader import builtin_rules_dir

WORD_LIST = Path(__file__).with_name("ocr_words.txt")
_LEXICON_WORD = re.compile(r"[a-z]{2,}(?![a-z*])")   # "anonymi*" is a prefix, not a word


@lru_cache(maxsize=1)
def lexicon() -> frozenset[str]:
    texts = [line for line in WORD_LIST.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    texts += [path.read_text(encoding="utf-8") for path in sorted(builtin_rules_dir().rglob("*.yaml"))]
    return frozenset(word for text in texts for word in _LEXICON_WORD.findall(text.lower())) | {"a", "i"}


@lru_cache(maxsize=1)
def lexicon_version() -> str:
    """Part of the cache key of a document cut up for matching: the view depends on the lexicon."""
    return hashlib.sha256(" ".join(sorted(lexicon())).encode()).hexdigest()[:12]


@dataclass
class OffsetMap:
    """Positions in the view -> positions in the text it was made from. Each (view, source) pair
    starts a run in which both advance together."""
    view: list[int]
    source: list[int]

    def source_start(self, position: int) -> int:
        run = max(0, bisect.bisect_right(self.view, position) - 1)
        return self.source[run] + position - self.view[run] if self.view else position

    def source_end(self, position: int) -> int:
        """Where a span of the view ending (exclusive) at position ends in the source."""
        return self.source_start(position - 1) + 1 if position > 0 else 0

    def to_json(self) -> list:
        return [self.view, self.source]

    @classmethod
    def from_json(cls, entry) -> OffsetMap | None:
        if entry is None:
            return None
        view, source = entry
        return cls([int(v) for v in view], [int(s) for s in source])


class _Builder:
    """The view, written piece by piece, with its offset map."""

    def __init__(self):
        self.parts: list[str] = []
        self.length = 0
        self.map = OffsetMap([], [])

    def add(self, text: str, source: int, source_length: int | None = None) -> None:
        """text stands for source_length characters (default: as many as it has) from source on."""
        if not text:
            return
        view, mapped = self.map.view, self.map.source
        if not view or mapped[-1] + self.length - view[-1] != source:
            view.append(self.length)
            mapped.append(source)
        if source_length is not None and source_length != len(text):
            # the last character stands for the last of the source's, so that a span ends where it did
            view.append(self.length + len(text) - 1)
            mapped.append(source + source_length - 1)
        self.parts.append(text)
        self.length += len(text)

    def text(self) -> str:
        return "".join(self.parts)


STRAY = frozenset(".,;:'\"`^~*_|•·«»")
# Words no sentence of a contract ends with: a period, colon or comma after one is a speck ("the. .",
# "between. Corvane", "available for: search", "shall, delete").
NEVER_ENDS = frozenset("the a an of to for by with from and or nor its their this these those shall will must "
                       "between among into upon than".split())
_QUOTES = "'\""
_ENDS_SENTENCE = frozenset(".!?")
_CORE = re.compile(r"^([^\w]*)(.*?)([^\w]*)$", re.S)


def _split(token: str) -> tuple[str, str, str]:
    """A token's leading marks, its core, and its trailing marks (_CORE matches any text)."""
    m = _CORE.match(token)
    assert m is not None
    lead, core, trail = m.groups()
    return lead, core, trail
_TOKEN = re.compile(r"\S+")
QUOTE_REACH = 100   # characters within which a quote mark's partner is looked for (a defined term is shorter)
# What Tesseract reads for a letter or two, and what it was; tried only on words not in the lexicon.
CONFUSIONS = (("rn", "m"), ("m", "rn"), ("1", "l"), ("I", "l"), ("|", "l"), ("0", "o"), ("vv", "w"), ("cl", "d"),
              ("li", "h"), ("ri", "n"), ("l", "i"), ("5", "s"), ("'", ""), (".", ""), (",", ""))
LONG_WORD = 6   # a word longer than this with a consonant doubled ("amendmentt") is the word without it


def ocr_spans(block, ocr_pages: set[int]) -> list[tuple[int, int]]:
    """The (start, end) spans of a segment.Block's body that come from the OCR'd pages."""
    if not ocr_pages:
        return []
    starts = [start - block.offset for start, _ in block.paragraph.page_starts]
    cuts = [0] + [cut for cut in starts if 0 < cut < len(block.body)] + [len(block.body)]
    spans: list[tuple[int, int]] = []
    for start, end in zip(cuts, cuts[1:]):
        if block.page_at(start) in ocr_pages:
            if spans and spans[-1][1] == start:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
    return spans


def matching_view(text: str, ocr_spans: list[tuple[int, int]]) -> tuple[str, OffsetMap | None]:
    """The text as the matcher should read it, its OCR'd spans (start, end) read tolerantly, and
    the map back to the text as read (None where nothing changed)."""
    if not ocr_spans:
        return text, None
    out = _Builder()
    done = 0
    for start, end in ocr_spans:
        out.add(text[done:start], done)
        _write_view(out, text, start, end)
        done = end
    out.add(text[done:], done)
    view = out.text()
    return (text, None) if view == text else (view, out.map)


def _write_view(out: _Builder, text: str, begin: int, stop: int) -> None:
    words = lexicon()
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text, begin, stop)]

    def token(k: int) -> str:
        return text[tokens[k][0]:tokens[k][1]] if k < len(tokens) else ""

    previous_end = begin
    previous_word = ""
    i = 0
    while i < len(tokens):
        start, end = tokens[i]
        if _is_stray_mark(token(i), previous_word, token(i + 1)):
            i += 1
            continue
        lead, core, trail = _split(token(i))
        span = 1
        if not trail:   # "detect ions": the next word, if the two make one
            core, span = _rejoined(text, tokens, i, core, words)
            end = tokens[i + span - 1][1]
            trail = _split(token(i + span - 1))[2] if span > 1 else trail
        core_start, core_end = start + len(lead), end - len(trail)
        kept_lead = _without_stray_quotes(lead, text, start, opening=True)
        kept_trail = _kept_trail(core, trail, token(i + span), text, core_end)
        gap = text[previous_end:start]
        if gap.isspace() or not gap:
            out.add(gap, previous_end)
        else:   # a stray mark was dropped in between: one space stands for all of it
            out.add(" ", start - 1)
        out.add(kept_lead, start, len(lead))
        fixed = _corrected(core, words)
        parted = fixed.find(" ") if len(fixed) == core_end - core_start + 1 else -1
        if parted > 0:   # "andthe" -> "and the": each word stands for its own letters
            out.add(fixed[:parted], core_start)
            out.add(" ", core_start + parted - 1)
            out.add(fixed[parted + 1:], core_start + parted)
        else:
            out.add(fixed, core_start, core_end - core_start)
        out.add(kept_trail, core_end, len(trail))
        previous_end, previous_word = end, core.lower() if not kept_trail else ""
        i += span
    out.add(text[previous_end:stop], previous_end)


def _is_stray_mark(token: str, previous_word: str, following: str) -> bool:
    """A mark standing alone between words ("license ' plate"); of a run of them (". ."), all but
    the last; a lone sentence end before a capital is kept, unless no sentence ends where it stands.
    A lone small letter that the next word starts with ("i images", "o of") is Tesseract's echo."""
    if len(token) == 1 and token.islower() and token != "a" and following[:1].lower() == token:
        return True
    if not all(c in STRAY for c in token):
        return False
    if (following and all(c in STRAY for c in following)) or previous_word in NEVER_ENDS:
        return True
    return not (token[-1] in _ENDS_SENTENCE and (not following or not following[0].islower()))


def _rejoined(text: str, tokens: list[tuple[int, int]], i: int, core: str, words) -> tuple[str, int]:
    """core joined with the next word or two when together they make a lexicon word and apart
    not all do ("detect ions"); a lone "a" or "I" is a word, never a piece of one."""
    if not core.isalpha() or core in ("a", "I"):
        return core, 1
    parts = [core]
    for j in (i + 1, i + 2):
        if j >= len(tokens) or parts[-1] != _split(text[tokens[j - 1][0]:tokens[j - 1][1]])[1]:
            break
        lead, piece, _ = _split(text[tokens[j][0]:tokens[j][1]])
        if lead or not piece.isalpha() or not piece[0].islower() or text[tokens[j - 1][1]:tokens[j][0]] != " ":
            break
        parts.append(piece)
    for span in range(len(parts), 1, -1):
        joined = "".join(parts[:span])
        if _in_lexicon(joined, words) and not all(_in_lexicon(p, words) for p in parts[:span]):
            return joined, span
    return core, 1


def _in_lexicon(word: str, words) -> bool:
    return word.lower() in words


def _kept_trail(core: str, trail: str, following: str, text: str, at: int) -> str:
    """The marks after a word, less those that are stray: a period no sentence ends at (the next
    word is in lower case and this one is no abbreviation), a quote mark that closes nothing."""
    if trail in (".", ":", ",") and core.lower() in NEVER_ENDS:
        return ""
    if trail == "." and following[:1].islower() and core.isalpha() and len(core) >= 2 \
            and core.lower() not in ABBREVIATIONS and core.lower() + "." not in ABBREVIATIONS:
        return ""
    return _without_stray_quotes(trail, text, at, opening=False)


def _without_stray_quotes(marks: str, text: str, at: int, opening: bool) -> str:
    """marks (before or after a word) without the quote marks that have no partner nearby; an
    apostrophe after an s ("vendors'") is a possessive, not a quote."""
    if not any(q in marks for q in _QUOTES):
        return marks
    if opening:
        nearby = text[at + len(marks):at + len(marks) + QUOTE_REACH]
    else:
        nearby = text[max(0, at - QUOTE_REACH):at]
        if marks[0] == "'" and text[at - 1:at] in "sS":
            return marks
    return "".join(c for c in marks if c not in _QUOTES or c in nearby)


_GLUED = re.compile(r"([^\W\d_]{2,})[.,]([^\W\d_]{2,})")


def _corrected(core: str, words) -> str:
    """core with a misread letter undone, or two words glued by a speck parted ("of.the"),
    where that turns a non-word into lexicon words."""
    if len(core) < 3 or _in_lexicon(core, words) or not any(c.isalpha() for c in core):
        return core
    glued = _GLUED.fullmatch(core)
    if glued and all(_in_lexicon(part, words) for part in glued.groups()):
        return f"{glued.group(1)} {glued.group(2)}"
    for misread, meant in CONFUSIONS:
        if misread == "'" and core.lower().endswith("'s"):
            continue   # "Customer's" is a possessive, not a speck
        at = core.find(misread)
        while at >= 0:
            candidate = core[:at] + meant + core[at + len(misread):]
            if _in_lexicon(candidate, words):
                return _cased_like(candidate, core)
            at = core.find(misread, at + 1)
        everywhere = core.replace(misread, meant)
        if everywhere != core and _in_lexicon(everywhere, words):
            return _cased_like(everywhere, core)
    plain = "".join(c for c in unicodedata.normalize("NFKD", core) if not unicodedata.combining(c))
    if plain != core and len(plain) == len(core) and _in_lexicon(plain, words):   # "énforcement"
        return plain
    if len(core) > LONG_WORD:   # a consonant read twice; "-ee" is an ending ("sublicensee"), not a slip
        for at in range(1, len(core)):
            if core[at] == core[at - 1] and core[at].lower() not in "aeiou" and \
                    _in_lexicon(core[:at] + core[at + 1:], words):
                return _cased_like(core[:at] + core[at + 1:], core)
    if core.isalpha() and core.islower():   # "andthe": a small word glued to the next, its space not read
        for at in range(2, len(core) - 1):
            # one part a small word ("and", "the"): "offline" is a word, not "off line"
            head, tail = core[:at], core[at:]
            if (head in NEVER_ENDS and _in_lexicon(tail, words)) or (tail in NEVER_ENDS and _in_lexicon(head, words)):
                return f"{head} {tail}"
    return core


def _cased_like(word: str, model: str) -> str:
    letters = [c for c in model if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return word.upper()
    if model[:1].isupper() or (model[:1] in "1|" and word[:1].isupper()):
        return word[:1].upper() + word[1:].lower()
    return word[:1] + word[1:].lower() if letters and letters[0].islower() else word
