"""Segmentation: pages of raw text -> clauses (sentences) that know their page and section.

Steps, in order: clean characters, drop repeated headers and footers, join lines into
paragraphs (re-joining words hyphenated at line ends, across page breaks too), read each
paragraph's section number and heading, split sentences with spaCy.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from .models import Clause, Document
from .nlp import ABBREVIATIONS, get_nlp, sentence_pieces
from .ocrview import OffsetMap, matching_view, ocr_spans

_PAGE_NUMBER = re.compile(r"^\W*(page\s*)?#+(\s*(of|/)\s*#+)?\W*$", re.I)
_TERMINAL = re.compile(r"[.:;!?][\"”’')\]]*$")
_SECTION_PATTERNS = [
    # ARTICLE IV / Article 4 / ARTICLE 7 – DATA
    ("article", re.compile(r"^(?:ARTICLE|Article)\s+([IVXLC]+|\d{1,2})\b(?:[.:]|\s+[–—-]+)?\s*")),
    # Section 5. / SECTION 5.2 / § 5.2
    ("section", re.compile(r"^(?:SECTION|Section|Sec\.|§)\s*(\d{1,2}(?:\.\d{1,3}){0,3})\b\.?(?:\s+[–—-]+)?\s*")),
    # ST-6 / GC-12.3: the numbering of a solicitation's special or general conditions
    ("prefixed", re.compile(r"^([A-Z]{1,4}-\d{1,3}(?:\.\d{1,3}){0,2})\.?\s+(?=[A-Z\"“(])")),
    # 4.3 / 4.3.1 / 5. followed by a capital, quote or parenthesis
    # (OCR reads the period of "17. SALE OF DATA." as a comma)
    ("number", re.compile(r"^(\d{1,2}(?:\.\d{1,3}){0,3})(?:\.|\)|,(?=\s[A-Z]{2,}[A-Z ;&/-]*\.\s))?\s+(?=[A-Z\"“(])")),
    # (b) / (iv) / (2)
    ("sub", re.compile(r"^\(([a-z]{1,2}|[ivx]{1,5}|\d{1,2})\)\s+")),
    # A. (recitals, exhibits)
    ("letter", re.compile(r"^([A-Z])\.\s+(?=[A-Z])")),
]
# (used with match(): from where it is asked to start)
_INLINE_HEADING = re.compile(r"([A-Z][\w'’&/-]*(?:[,;]?\s+(?:[\w'’&/-]+|\([a-z]\))){0,9})\.\s+(?=[A-Z\"“(])")
_QUOTED_TERM = r"[\"“‘'][^\"”’]{1,80}[\"”’']"
_DEFINITION = re.compile(
    r"^\W{0,3}(?:(?:for (?:the )?purposes? of|as used in|in) [^,]{1,60},\s*)?(?:the\s+terms?\s+)?"
    rf"{_QUOTED_TERM}(?:\s*(?:,|or|and)\s*{_QUOTED_TERM})*\s*(?:\([^)]*\)\s*)?,?\s*"
    r"(?:shall\s+)?(?:means?|refers?\s+to|shall\s+have\s+the\s+meaning|has\s+the\s+meaning|includes?|is\s+defined)\b"
    # (a sentence split may leave the term's opening quote mark with the sentence before)
    r"|^\W{0,3}(?:[A-Z][\w-]*[\"”']?\s+){1,5}(?:shall\s+)?means\b"
    # the term as a run-in heading of its own: "(a) Confidential Information. Refers to any and all ..."
    r"|^\W{0,3}(?:means|refers\s+to|shall\s+mean)\b", re.I)
# Each pattern starts with the character it replaces, so the regex engine skips ahead to it
# instead of trying a lookbehind at every position (7x faster on contract text).
_OCR_FIXES = [
    (re.compile(r"1(?:(?<=[a-z]1)(?=[a-z])|(?<=[a-z]{3}1)\b)"), "l"),   # perpetua1 -> perpetual
    (re.compile(r"0(?<=[a-z]0)(?=[a-z])"), "o"),                        # rec0rds -> records
    (re.compile(r"[Oo](?<=[(\d][Oo])(?=[\d)])"), "0"),                  # (3O) -> (30)
    (re.compile(r"[lI|](?<=[(\d][lI|])(?=[\d)])"), "1"),                # (l) day after a number, 2l -> 21
]


@dataclass
class Paragraph:
    text: str = ""
    page: int = 1
    page_starts: list[tuple[int, int]] = field(default_factory=list)  # (char offset, page)

    def page_at(self, offset: int) -> int:
        page = self.page
        for start, number in self.page_starts:
            if start <= offset:
                page = number
        return page


def clean_text(text: str) -> str:
    # pdfium marks a hyphen it removed at a line end with U+FFFE (older versions with \x02)
    text = unicodedata.normalize("NFKC", re.sub("[\ufffe\x02\u00ad]\n?", "", text))
    text = text.replace("\u2010", "-").replace("\u2011", "-").replace("\t", " ").replace("\xa0", " ")
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", text)
    # OCR and justified text leave runs of spaces, which spaCy keeps as tokens that break phrases
    return _SPACES_INSIDE_LINE.sub(" ", text)


# Two or more spaces between words; it starts with a space, so the regex engine skips ahead to
# one instead of trying the lookbehind at every position.
_SPACES_INSIDE_LINE = re.compile(r" (?<=\S ) +(?=\S)")


def normalize_for_matching(text: str) -> str:
    """Same-length text with common OCR confusions and typographic quotes undone, so that
    offsets into it are offsets into the original quote."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    for pattern, replacement in _OCR_FIXES:
        text = pattern.sub(replacement, text)
    return text


def _edge_key(line: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", line.strip().lower()))


HEADER_MAX_CHARS = 100          # a running header or footer is one short line ...
TWO_PAGE_HEADER_MAX_CHARS = 70  # ... and shorter still to count from two pages alone
LONG_HEADER_MAX_CHARS = 160     # a longer one (parties, form number, edition) must be on three pages
_SENTENCE_WORD = re.compile(r"\b(?:shall|will|must|may|agrees?|grants?|means|is|are|has|have|does|not)\b")


def _sentence_like(line: str) -> bool:
    """Contract text, not a running header: a line of words with a verb, or one that ends a sentence."""
    words = len(line.split())
    # "... (Corvane Sensing, Inc.)" ends with the period of an abbreviation, not of a sentence
    ends_sentence = bool(_TERMINAL.search(line)) and not _ends_with_abbreviation(line.rstrip(")]\"'”’"))
    return words >= 5 and (bool(_SENTENCE_WORD.search(line)) or ends_sentence)


def _header_candidate(line: str, two_pages: bool) -> bool:
    """A line that may be a running header: how often it must repeat depends on its length (see
    strip_headers_footers)."""
    stripped = line.strip()
    return len(stripped) <= (TWO_PAGE_HEADER_MAX_CHARS if two_pages else LONG_HEADER_MAX_CHARS) \
        and not _sentence_like(stripped)


def strip_headers_footers(pages: list[list[str]]) -> list[list[str]]:
    """Remove running headers and footers, and bare page numbers. A header is a short line that is
    not sentence-like, found at the same edge (top or bottom three lines) of at least two pages
    (a council packet's agreement, a few of its pages, has its own header); in a two-page
    document it is shorter still: a clause repeated at the top of two pages is still a clause."""
    edge = 3
    two_pages = len(pages) == 2
    counts: Counter[tuple[str, str]] = Counter()
    for lines in pages:
        content = [line for line in lines if line.strip()]
        counts.update({(side, _edge_key(line)) for side, edge_lines in (("top", content[:edge]),
                                                                       ("bottom", content[-edge:]))
                       for line in edge_lines if _header_candidate(line, two_pages)})
    repeated = {key for key, count in counts.items()
                if count >= 3 or (count >= 2 and len(key[1]) <= HEADER_MAX_CHARS)}
    cleaned = []
    for lines in pages:
        content_idx = [i for i, line in enumerate(lines) if line.strip()]
        sides = {i: "bottom" for i in content_idx[-edge:]} | {i: "top" for i in content_idx[:edge]}
        cleaned.append([line for i, line in enumerate(lines)
                        if not (i in sides and (_PAGE_NUMBER.match(_edge_key(line)) or (
                            (sides[i], _edge_key(line)) in repeated and
                            _header_candidate(line, two_pages))))])
    return cleaned


def _visual_width(line: str) -> float:
    """Length in lower-case letter widths: a capital is about 1.4 times as wide in the fonts
    contracts are set in, so a full line of capitals holds fewer characters than one in lower case."""
    return len(line) + 0.4 * _count(line, str.isupper, _UPPER_BYTES)


_UPPER_BYTES = bytes(range(ord("A"), ord("Z") + 1))
_LETTER_BYTES = _UPPER_BYTES + bytes(range(ord("a"), ord("z") + 1))


def _count(text: str, test, ascii_bytes: bytes) -> int:
    """How many characters pass test (str.isupper, str.isalpha); in ASCII text, those are
    ascii_bytes, counted by deleting them (ten times faster: this runs on every line)."""
    if text.isascii():
        return len(text) - len(text.encode("ascii").translate(None, ascii_bytes))
    return sum(map(test, text))


def _full_width(lines: list[str]) -> float:
    lengths = sorted(_visual_width(line.strip()) for line in lines if line.strip())
    if not lengths:
        return 0
    return lengths[int(len(lengths) * 0.85)] if len(lengths) >= 4 else max(lengths)


def _starts_block(line: str, previous: str) -> bool:
    stripped = line.strip()
    # "(15) days" or "30 days" continuing a sentence is not a new section, and a line of capitals
    # continuing one is the next line of a clause set in capitals, not a heading
    # `previous` is the paragraph so far: only its end is looked at, so a long paragraph costs no more
    after_sentence = not previous or bool(_TERMINAL.search(previous, max(0, len(previous) - 40))) \
        or _is_heading(previous)
    in_capitals = not after_sentence and _mostly_capitals(" ".join(previous.rsplit(None, 4)[-4:]))
    return (after_sentence and any(p.match(stripped) for kind, p in _SECTION_PATTERNS if kind != "letter")) or \
        stripped.startswith(("WHEREAS", "NOW, THEREFORE", "•", "- ", "* ", "|")) or \
        (_is_heading(stripped) and not in_capitals)


_CONTINUES = re.compile(r"\b(?:OF|THE|TO|AND|OR|FOR|ANY|A|AN|IN|BY|WITH|ON|AT|FROM|THAT|SHALL|WILL|MAY|BE|IS|ARE|NOT)$")
_CLAUSE_VERB = re.compile(r"\b(?:SHALL|WILL|MUST|MAY|IS|ARE|WAS|WERE|HAS|HAVE|DOES)\b")
_VERB_START = re.compile(r"(?:SHALL|WILL|MUST|MAY|IS|ARE|BE|EXCEEDS?|DOES|DO|INCLUDES?|OR|AND|OF|TO)\b")


def _mostly_capitals(text: str) -> bool:
    # above 90%, so that a defined term ("Customer Data") inside a clause in capitals still counts
    letters = _count(text, str.isalpha, _LETTER_BYTES)
    return letters >= 3 and _count(text, str.isupper, _UPPER_BYTES) / letters > 0.9


def _caps_clause_continues(line: str, following: str, fills_line: bool) -> bool:
    """An all-caps clause hard-wrapped over lines ("THE MAXIMUM LIABILITY OF SUPPLIER FOR ANY CLAIM /
    SHALL BE LIMITED TO ..."): the line is as wide as the text, ends mid-phrase, or it or the next
    line carries the verb."""
    if not following or _TERMINAL.search(line) or not _mostly_capitals(following):
        return False
    return fills_line or bool(_CONTINUES.search(line.strip()) or _CLAUSE_VERB.search(line)
                              or _VERB_START.match(following))


_STOP_INSIDE = re.compile(r"(\S+[.!?])\s+\S")
_NOT_A_STOP = re.compile(r"[\d.]+\.|[IVXLCivxlc]{1,6}\.")   # "9. DATA", "ARTICLE IV. DATA"


def _stops_inside(line: str) -> bool:
    """"10.2 Cap. EXCEPT FOR ..." or "... NON-INFRINGEMENT. CORVID DOES NOT": a sentence ends inside
    the line ("NO. 1", "INC.", "U.S." do not end one)."""
    return any(not _NOT_A_STOP.fullmatch(m.group(1)) and not _ends_with_abbreviation(m.group(1))
               for m in _STOP_INSIDE.finditer(line))


def _is_heading(line: str) -> bool:
    """A line or paragraph that looks like a heading on its own; whether a line of a page is one
    also depends on its neighbours (see paragraphs())."""
    if len(line) > 80 or _CLAUSE_VERB.search(line):
        return False   # "SHALL BE LIMITED TO ..." is a clause, not a heading
    return _mostly_capitals(line) and not _TERMINAL.search(line.rstrip()) and len(line.split()) <= 10 \
        and not _stops_inside(line)


def _trim_blank_edges(lines: list[str]) -> list[str]:
    content = [i for i, line in enumerate(lines) if line.strip()]
    return lines[content[0]:content[-1] + 1] if content else []


_UNDERLINE = re.compile(r"[-=~_*]{3,}$")


def paragraphs(doc: Document) -> list[Paragraph]:
    """Join lines into paragraphs across pages; a short line or a blank line ends one."""
    # a blank line at a page's top or bottom (a text export's last newline, an OCR'd page's margin,
    # a footer removed) is the page break, not a paragraph's end: whether a clause goes on to the
    # next page is told from its lines
    page_lines = [_trim_blank_edges(lines)
                  for lines in strip_headers_footers([clean_text(p.text).split("\n") for p in doc.pages])]
    widths = [_full_width(lines) for lines in page_lines]
    out: list[Paragraph] = []
    current: Paragraph | None = None

    def close():
        nonlocal current
        if current is not None and current.text.strip():
            current.text = current.text.strip()
            out.append(current)
        current = None

    # the first line of the next page, so that a clause crossing a page break is seen to go on
    next_page_first = [next((n.strip() for n in lines if n.strip()), "") for lines in page_lines[1:]] + [""]
    for page, lines, width, after_page in zip(doc.pages, page_lines, widths, next_page_first):
        for index, raw in enumerate(lines):
            line = raw.strip()
            if not line:
                # Tesseract leaves a blank line after any line it set apart, often after every
                # line of a scan: on an OCR'd page the lines themselves say where a paragraph ends
                if page.method != "ocr":
                    close()
                continue
            if current is None and _UNDERLINE.match(line) and index and lines[index - 1].strip():
                continue   # a heading's underline ("SECTION 2 - TERM" over "----------------")
            if current is not None and _starts_block(line, current.text):
                close()
            if current is None:
                current = Paragraph(text="", page=page.number)
            elif page.number != current.page_at(len(current.text)):
                current.page_starts.append((len(current.text) + 1, page.number))
            current.text = _join(current.text, line)
            following = next((n.strip() for n in lines[index + 1:] if n.strip()), after_page)
            visual = _visual_width(line)
            continues = _caps_clause_continues(line, following, bool(width) and visual >= 0.8 * width)
            is_short = width and visual < 0.7 * width
            # only a line that starts a paragraph can be a heading: a line of capitals inside one
            # is part of a clause set in capitals
            heading = current.text == line and _is_heading(line) and not continues
            if heading or (is_short and not line.endswith("-") and not continues) or _ends_sentence(line, following):
                close()
    close()
    return out


def _ends_with_abbreviation(line: str) -> bool:
    """"Inc.", "U.S.", "Sec.", "Art.", "Dr.", "St.", "Dept." ...: the sentence splitter's own list."""
    last = line.rsplit(None, 1)[-1].lower().lstrip("(\"“'‘")
    return last in ABBREVIATIONS or last[:-1] in ABBREVIATIONS or bool(re.fullmatch(r"(?:[a-z]\.)+", last))


# "... deleted automatically. 9." before "NETWORK. Customer Data ...": the next term's number, its
# heading on the next line
_NUMBER_AT_END = re.compile(r"[.;:)] \d{1,2}\.$")


def _ends_sentence(line: str, following: str) -> bool:
    """A line that ends a sentence before a line that starts one ends the paragraph too: hard-
    wrapped text has no other sign of where one paragraph stops and the next begins."""
    if not _TERMINAL.search(line) or _ends_with_abbreviation(line) or _NUMBER_AT_END.search(line):
        return False
    first = following[:1]
    return first.isupper() or first.isdigit() or first in ("(", '"', "“", "=", "+", "@", "-", "•")


def _join(text: str, line: str) -> str:
    if not text:
        return line
    if text.endswith("-") and len(text) > 1 and text[-2].isalpha() and line[:1].islower():
        return text[:-1] + line   # a word hyphenated at the line end
    return text + " " + line


ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")


@dataclass
class _SectionState:
    main: str | None = None
    letter: str | None = None     # (a), (b) ...
    inner: str | None = None      # (i), (ii) or (1), (2) inside a lettered item
    heading: str | None = None

    def sub(self, mark: str) -> None:
        follows_letter = self.letter is not None and len(self.letter) == 1 and \
            len(mark) == 1 and ord(mark) == ord(self.letter) + 1
        if (mark in ROMAN or mark.isdigit()) and self.letter and not follows_letter:
            self.inner = mark     # "(i)" after "(b)" is nested; after "(h)" it is the next letter
        else:
            self.letter, self.inner = mark, None

    @property
    def label(self) -> str | None:
        subs = "".join(f"({m})" for m in (self.letter, self.inner) if m)
        return (self.main or "") + subs or None


def _read_label(text: str, state: _SectionState) -> str:
    """Consume a leading section label (and inline heading), update the state, return the rest."""
    for kind, pattern in _SECTION_PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        if kind == "sub":
            state.sub(m.group(1))
        elif kind == "letter" and state.main and not state.main.isalpha():
            return text  # "A. Smith" inside numbered sections is not a recital letter
        else:
            state.main = m.group(1) if kind != "article" else f"Article {m.group(1)}"
            state.letter = state.inner = None
            state.heading = None
        text = text[m.end():]
        h = _INLINE_HEADING.match(text)
        if h and _looks_like_title(h.group(1)) and not _reads_as_sentence(h.group(1)):
            state.heading = h.group(1)
            text = text[h.end():]
        return text
    return text


_VERBS = re.compile(r"\b(shall|may|will|must|is|are|was|has|have|does|do|can|means|agrees?|grants?)\b", re.I)


_MINOR_WORDS = frozenset("of and the to in on for by or a an with from at as its under".split())


# "The University owns all Campus Data." after a section number is a sentence, not an inline
# heading: it opens with a determiner and goes on in words a title would capitalise
_DETERMINER_START = re.compile(r"(?:The|This|These|Each|Every|All|Any|No|Neither|Either|Such)\s")


def _reads_as_sentence(words: str) -> bool:
    return bool(_DETERMINER_START.match(words)) and any(
        not t[:1].isupper() and t.lower() not in _MINOR_WORDS for t in words.split()[1:])


def _is_title_line(text: str) -> bool:
    """A numbered line that is only a heading ("Retention of Data.", "Legal process"), not a
    short sentence ("The Agency owns all ALPR Data.", "This Agreement starts on the Effective Date.")."""
    words = text.strip().rstrip(".:")
    if len(text) >= 80 or not words or not _looks_like_title(words):
        return False
    tokens = words.split()
    lower = [t for t in tokens[1:] if not t[:1].isupper() and t.lower() not in _MINOR_WORDS]
    return not lower or (len(tokens) <= 4 and not text.rstrip().endswith("."))


def _looks_like_title(words: str) -> bool:
    """'Ownership of Agency Data' or 'Legal process' is a heading; 'Vendor may sell data' is not."""
    tokens = words.split()
    capitals = sum(1 for t in tokens if t[:1].isupper())
    if _VERBS.search(words) or not tokens[0][:1].isupper():
        return False
    return len(tokens) <= 10 and (capitals >= len(tokens) - 3 or len(tokens) <= 4)


@dataclass
class Block:
    """A paragraph with its section label and heading removed and recorded."""
    paragraph: Paragraph
    body: str
    offset: int          # where body starts in paragraph.text
    section: str | None
    heading: str | None
    # For an item of a list set out one per line, the words that introduce the list and its own
    # mark ("Vendor shall not: (b) "): the lead-in's subject and negation govern the item.
    lead_in: str = ""

    def page_at(self, offset_in_body: int) -> int:
        return self.paragraph.page_at(self.offset + offset_in_body)


LEAD_IN_CHARS = 240   # the end of the paragraph that introduces a list is what governs its items


def blocks(doc: Document) -> list[Block]:
    state = _SectionState()
    out = []
    lead_in = ""
    lead_in_level = ""   # the kind of mark the lead-in itself has: an item with one of that kind is its sibling
    for para in _run_in_sections(paragraphs(doc)):
        item_mark = _LIST_ITEM.match(para.text)
        level = _mark_level(item_mark.group(1)) if item_mark else ""
        if level and level == lead_in_level:
            lead_in = ""
        body = _read_label(para.text, state)
        if not body.strip():
            continue
        labelled = body != para.text
        # "RESPONSE: EXCEPTION" looks like a heading, but zones() reads it as the answer to the block before
        if (_is_heading(body) or (labelled and _is_title_line(body))) and not _COMPLIANCE_ANSWER.match(body.strip()):
            state.heading = body.strip().rstrip(".:")
            lead_in = ""
            continue
        # the item's mark is read after the lead-in, unless the body keeps it (a mark no section label takes)
        item_lead_in = ""
        if lead_in and item_mark:
            mark = f"({item_mark.group(1)})"
            item_lead_in = f"{lead_in} " if body.startswith(mark) else f"{lead_in} {mark} "
        out.append(Block(para, body, len(para.text) - len(body), state.label, state.heading, item_lead_in))
        if body.rstrip().endswith(":"):
            lead_in, lead_in_level = body.strip()[-LEAD_IN_CHARS:], level
        elif not item_mark:
            lead_in = lead_in_level = ""
    return out


# A numbered term run into the paragraph before it: "... any such delay. 20. COMPLIANCE. Each party
# ..." (the back of a quote or an invoice prints its terms one after another, each a section)
# (it starts with the space, so the regex engine skips ahead to one instead of trying the lookbehind
# at every position: four times faster, and it runs on every paragraph)
_RUN_IN_NUMBER = re.compile(r" (?<=[.;:)\"”] )(\d{1,2})(?:[.)]|,(?= [A-Z]{2,}[A-Z ;&/-]*\.\s)) (?=[A-Z])")
_TOP_NUMBER_START = re.compile(r"(\d{1,2})[.),]\s")


def _run_in_sections(paras: list[Paragraph]) -> Iterator[Paragraph]:
    """Paragraphs with each run-in term split off as its own paragraph. A term is a number that
    follows the last top-level number seen (one may be lost to OCR) and a heading that reads as a
    title, so "... fee of $500. 2. The Vendor shall ..." is not split unless the terms run that way."""
    last = None
    for para in paras:
        number = _TOP_NUMBER_START.match(para.text)
        if number:
            last = int(number.group(1))
        start = 0
        for m in _RUN_IN_NUMBER.finditer(para.text):
            if last is None or not last < int(m.group(1)) <= last + 2:
                continue
            heading = _INLINE_HEADING.match(para.text, m.end())
            if not heading or not _looks_like_title(heading.group(1)) or _reads_as_sentence(heading.group(1)):
                continue
            yield _part(para, start, m.start(1))
            start, last = m.start(1), int(m.group(1))
        yield _part(para, start, len(para.text)) if start else para


def _part(para: Paragraph, start: int, stop: int) -> Paragraph:
    text = para.text[start:stop].rstrip()
    return Paragraph(text=text, page=para.page_at(start),
                     page_starts=[(offset - start, page) for offset, page in para.page_starts if start < offset < stop])


def _mark_level(mark: str) -> str:
    """A list mark's kind: (iii) and (iv) are of one list, (A) and (a) of others."""
    if mark.isdigit():
        return "number"
    if re.fullmatch(r"[ivx]+", mark):
        return "roman"
    return "capital" if mark.isupper() else "letter"


_LIST_ITEM = re.compile(r"^\(([a-z]{1,2}|[A-Z]|[ivx]{1,5}|\d{1,2})\)\s")


# Correspondence around a contract (a records office's cover e-mail, a vendor's note with terms
# pasted below it) is no clause: "this e-mail may be a public record" promises nothing.
_MAIL_HEADER = re.compile(r"^(?:From|To|Cc|Bcc|Sent|Date|Subject|Reply-To|Attachments?|Importance):\s", re.I)
_SALUTATION = re.compile(r"^(?:Dear|Hi|Hello|Good (?:morning|afternoon|evening)|Greetings)\b.{0,60}$", re.I)
_CLOSING = re.compile(r"^(?:(?:Best|Kind|Warm|With)?\s*regards|Sincerely(?: yours)?|Respectfully(?: submitted)?|"
                      r"Thank you|Thanks|Best|Cheers|Yours (?:truly|sincerely|faithfully)|(?:Very )?truly yours)\W{0,3}$", re.I)
_MAIL_NOTICE = re.compile(r"\b(?:this|the) (?:e-?mail|message|communication|transmission)\b.{0,120}\b"
                          r"(?:public record|confidential|intended (?:only )?for|in error|privileged)"
                          r"|\byour (?:public |open )?records? request|\bresponsive (?:records?|documents?)\b"
                          r"|\bplease (?:find|see) (?:attached|below)|\bI(?:'ve| have) (?:attached|pasted)", re.I)
# A word each of _MAIL_NOTICE's alternatives holds: ASCII text without any is no notice (the
# search is most of the time zones() takes; beyond ASCII, re's case folding is not lower()'s)
_MAIL_NOTICE_WORDS = ("mail", "message", "communication", "transmission", "request", "responsive", "please",
                      "attached", "pasted")


_QUOTE_MARKS = re.compile(r"^(?:>\s?)+")
_NUMBERED = [pattern for kind, pattern in _SECTION_PATTERNS if kind in ("section", "number")]


def _is_quoted_reply(text: str) -> bool:
    """Every line marked ">": the earlier message a reply quotes (a question asked, a request made),
    unless it is a numbered section of terms pasted into that message ("> 4.1 Reads are deleted
    ..."), which the thread agreed to or changed; a numbered question ("> 2. Can they share with
    ICE?") stays the message's."""
    if not (text.startswith(">") and all(line.lstrip().startswith(">") for line in text.splitlines() if line.strip())):
        return False
    unquoted = _QUOTE_MARKS.sub("", text)
    return "?" in unquoted or not any(pattern.match(unquoted) for pattern in _NUMBERED)


def _is_mail_notice(text: str) -> bool:
    if text.isascii():
        lower = text.lower()
        if not any(word in lower for word in _MAIL_NOTICE_WORDS):
            return False
    return bool(_MAIL_NOTICE.search(text))


_SEPARATOR = re.compile(r"^(?:[-=_*~]{4,}|-*\s*(?:Original Message|Forwarded message)|.*BEGIN PASTED|On .{5,80} wrote:$)",
                        re.I)
# An opening such as "This Agreement", "This Camera Services Agreement (the "Agreement") is entered into"
_CONTRACT_START = re.compile(r"^(?:WHEREAS|THIS\b|This\b.{0,100}?\b(?:Agreement|Contract|Addendum|Amendment|Memorandum|MOU|"
                             r"Order|Authori[sz]ation)\b|These (?:Terms|Conditions)|TERMS\b)")


# A staff report or memo to a council or board, as an agenda packet puts it before the agreement it
# recommends: where the agreement follows, its summary of the terms ("data is deleted after 30
# days") is staff's reading, not the terms. It runs until the agreement starts: its opening
# (_CONTRACT_START), or a heading in capitals that names it.
_MEMO_TITLE = re.compile(r"^(?:staff report|agenda (?:item )?(?:report|summary|memo(?:randum)?|bill)|council (?:communication|"
                         r"agenda (?:report|item)|memo(?:randum)?|action (?:form|request))|request for (?:council|board|"
                         r"commission) action|(?:inter-?office |interdepartmental )?memorandum|board (?:report|memo(?:randum)?))$",
                         re.I)
_MEMO_TO = re.compile(r"^To:\s+(?:the\s+)?(?:Honou?rable\s+)?(?:Mayor|Members|Board|Council|Commission|Chair|Select\s?board)", re.I)
_AGREEMENT_HEADING = re.compile(r"\b(?:agreement|contract|addendum|amendment|memorandum of|terms and conditions|terms of service|"
                                r"order form|authori[sz]ation|resolution|ordinance)\b", re.I)


# "WHEREAS, the Council wishes ...", "WHEREAS, state law prohibits ...": why the parties sign and
# the law they sign under, not what they agree to. A recital that describes the service ("WHEREAS,
# Vendor deletes footage after 30 days") is read like the body.
_RECITAL = re.compile(r"^WHEREAS\b(?=.*\b(?:wish|wishes|desire|desires|intend|intends|seek|seeks|hope|hopes|find|finds|"
                      # an amendment's recital of the terms it changes: "currently permits ... 180 days"
                      r"currently|presently|previously|formerly|heretofore|existing|"
                      # "law", not "law enforcement" (which a recital of the service names)
                      r"recogni[sz]es|believes|deems|law(?!\s+enforcement)|laws|statute|statutes|legislature|enacted|code|regulations?|"
                      r"ordinance|constitution)\b)", re.I | re.S)


def zones(items: list[Block]) -> list[str]:
    """Each block's zone: "correspondence" (e-mail headers, greeting and closing, the signature,
    notices about the message or the records request itself, the lines a reply quotes, a staff
    report or memo before the agreement it presents, in the same document), "proposed" (what a
    term sheet or letter of intent that binds no one proposes: its concerns are read, not its
    protections), "recital" (a WHEREAS clause of intent
    or of law: the reasons for signing, not terms), "question" (a question of a question-and-answer
    document, which only its answer turns into terms) or "body" (contract text, including terms
    quoted in a message). A signature runs from a closing ("Regards,") until the contract
    resumes: a numbered section, a new heading, an opening such as "This Agreement" or "WHEREAS",
    or a separator before pasted text."""
    out = []
    in_signature = False
    signature_heading = None
    for block in items:
        text = block.paragraph.text.strip()
        if _CLOSING.match(text):
            in_signature, signature_heading = True, block.heading
            out.append("correspondence")
        elif _MAIL_HEADER.match(text) or _SALUTATION.match(text):
            out.append("correspondence")
        elif _SEPARATOR.match(text):
            in_signature = False
            out.append("correspondence")
        elif _is_mail_notice(text) or _is_quoted_reply(text):
            out.append("correspondence")
        elif in_signature and (block.section is None and block.heading == signature_heading
                               and not _CONTRACT_START.match(text)):
            out.append("correspondence")
        elif _RECITAL.match(text):
            in_signature = False
            out.append("recital")
        else:
            in_signature = False
            out.append("body")
    for i in _redline_superseded(items) + _exceptions_taken(items):
        out[i] = "superseded"
    for i in _questions(items):
        out[i] = "question"
    for i in _memo_before_agreement(items):
        out[i] = "correspondence"
    for i in _not_binding(items):
        if out[i] == "body":
            out[i] = "proposed"
    return out


# A term sheet or letter of intent that binds no one ("This Term Sheet is not binding except for
# Sections 8 and 9"): what it proposes is a warning of what may come, no protection yet.
_NOT_BINDING = re.compile(r"\b(?:term sheet|letter of intent|LOI|proposal|expression of interest|indication of interest)"
                          r"\b[^.;]{0,60}?\b(?:is|are|shall be|constitutes?)\s+(?:not\s+(?:legally\s+)?binding|"
                          r"non-?binding|(?:only\s+)?an?\s+(?:non-?binding\s+)?(?:statement|expression|indication)\s+of\s+"
                          r"(?:intent|interest))", re.I)
# the sections it says do bind: "except for Sections 8 and 9", "agreed as to Sections 8 and 9 only"
_BINDING_SECTIONS = re.compile(r"\b(?:except(?:\s+for)?|other\s+than|as\s+to)\s+(?:the\s+)?(?:sections?|paragraphs?|"
                               r"clauses?|articles?)\s+(\d+(?:\s*(?:,|and|&)\s*\d+)*)", re.I)
_TOP_NUMBER = re.compile(r"\d+")
_BINDING_HEADING = re.compile(r"(?<!non-)\bbinding\b", re.I)   # "9. Public Records (Binding)"


def _not_binding(items: list[Block]) -> list[int]:
    """Blocks of a document that declares itself not binding, but for the sections it names as
    binding (or headed "(Binding)")."""
    text = "\n".join(block.paragraph.text for block in items)
    if not _NOT_BINDING.search(text):
        return []
    binding = {number for found in _BINDING_SECTIONS.finditer(text) for number in _TOP_NUMBER.findall(found.group(1))}
    out = []
    for i, block in enumerate(items):
        top = _TOP_NUMBER.match(block.section or "")
        heading = block.heading or ""
        if (top and top.group() in binding) or _BINDING_HEADING.search(heading):
            continue
        out.append(i)
    return out


def _memo_before_agreement(items: list[Block]) -> list[int]:
    """Blocks of a staff report or memo that the agreement it presents follows in the same
    document. A report without the agreement is the best record of its terms there is, and is read."""
    out: list[int] = []
    start = None
    for i, block in enumerate(items):
        text, heading = block.paragraph.text.strip(), block.heading or ""
        if start is None:
            if _MEMO_TITLE.match(heading) or _MEMO_TITLE.match(text) or _MEMO_TO.match(text):
                start = i
        elif _CONTRACT_START.match(text) or (_AGREEMENT_HEADING.search(heading) and heading.isupper()):
            out += range(start, i)
            start = None
    return out


# Questions and answers (a bidders' Q&A addendum, an FAQ): the answers bind, the questions only
# say what someone asked for ("Our platform keeps reads for 365 days: will the County accept it?").
_QUESTION = re.compile(r"^(?:Q(?:uestion)?\s*(?:No\.\s*)?#?\d{1,3}\s*[.:)-]|Q\s*[.:]|Question\s*:)\s", re.I)
_ANSWER = re.compile(r"^(?:A(?:nswer)?\s*(?:No\.\s*)?#?\d{1,3}\s*[.:)-]|A\s*[.:]|Answer\s*:|"
                     r"(?:[A-Z][\w'’]+\s){0,3}(?:Response|Reply)\s*:)\s", re.I)
QUESTION_BLOCKS = 4   # blocks a question may run before its answer


def _questions(items: list[Block]) -> list[int]:
    """Blocks of a question in a question-and-answer document: from its "Q1." to the block before
    the answer that follows within a few blocks ("A1.", "Answer:", "County Response:")."""
    out: list[int] = []
    for i, block in enumerate(items):
        if not _QUESTION.match(block.paragraph.text.strip()):
            continue
        for j in range(i + 1, min(len(items), i + 1 + QUESTION_BLOCKS)):
            if _ANSWER.match(items[j].paragraph.text.strip()):
                out += range(i, j)
                break
    return out


def _exceptions_taken(items: list[Block]) -> list[int]:
    """Requirements of a compliance matrix that the bidder answered with an exception, each the
    block before its answer ("REQ 5.A.3 ..." / "RESPONSE: EXCEPTION"), and the answer line."""
    out: list[int] = []
    for i, block in enumerate(items):
        answer = _COMPLIANCE_ANSWER.match(block.paragraph.text.strip())
        if answer and i > 0 and _EXCEPTION_TAKEN.search(answer.group(1)):
            out += [i - 1, i]
    return out


# A redline response, section by section: "Original: ...", "City redline: ...", "[Vendor rejects.
# ...]", "Agreed text: ...". Which text is the contract follows from the answer.
_ORIGINAL = re.compile(r"^(?:original|current|existing|standard)(?: text| language| wording| section)?\s*:", re.I)
_PROPOSAL = re.compile(r"^\(?[\w.'’ -]{0,40}?\b(?:redline|redlines|proposed|proposal|markup|mark-up|revision|"
                       r"counter-?proposal)\)?\s*:", re.I)
_RESPONSE = re.compile(r"\[[^\]\n]{0,40}?\b(accepts?|accepted|rejects?|rejected|declines?|declined)\b([^\]\n]*)\]", re.I)


def _redline_superseded(items: list[Block]) -> list[int]:
    """Blocks of a redline response that are not the agreed text: a rejected proposal, an original
    the answer replaced, and the answer's own comment."""
    out: list[int] = []
    i = 0
    while i < len(items):
        j = i + 1
        while j < len(items) and items[i].section is not None and items[j].section == items[i].section:
            j += 1
        group = range(i, j)
        texts = {k: items[k].paragraph.text.strip() for k in group}
        answer = next((m for k in group for m in [_RESPONSE.search(texts[k])] if m), None)
        if answer and any(_PROPOSAL.match(t) for t in texts.values()):
            verb, rest = answer.group(1).lower(), answer.group(2).lower()
            rejected = verb.startswith(("reject", "decline"))
            modified = not rejected and re.search(r"modif|in part|with changes|revis", rest)
            for k in group:
                if _ORIGINAL.match(texts[k]):
                    gone = not rejected
                elif _PROPOSAL.match(texts[k]):
                    gone = rejected or bool(modified)
                else:   # the answer alone on its line is a comment, not a term
                    gone = texts[k].startswith("[") and bool(_RESPONSE.match(texts[k]))
                if gone:
                    out.append(k)
        i = j
    return out


# An option left unticked on a form ("[ ] National Lookup"), up to the next box or the line's end
_UNTICKED = re.compile(r"(?:\[ ?\]|☐|□)[^\n☐□☑☒]*?(?=\[[ xX✓✔]?\]|[☐□☑☒]|\n|$)")
# A question answered by ticking one of two boxes on one line, "☒ Yes ☐ No": the unticked answer is
# its one word; the text after it is the question's, read with the answer ticked
_YES_NO = re.compile(r"(?:\[[ xX✓✔]?\]|[☐□☑☒])\s*(?:yes|no)\s+(?:\[[ xX✓✔]?\]|[☐□☑☒])\s*(?:yes|no)\b", re.I)
_UNTICKED_ANSWER = re.compile(r"(?:\[ ?\]|☐|□)\s*(?:yes|no)\b", re.I)


def _unticked_spans(text: str) -> list[tuple[int, int]]:
    """The options left unticked on a form, each up to the next box or the line's end; in a yes/no
    pair, only the unticked answer."""
    pairs = [m.span() for m in _YES_NO.finditer(text)] if "es" in text or "ES" in text else []
    out = []
    for m in _UNTICKED.finditer(text):
        answer = _UNTICKED_ANSWER.match(text, m.start()) if any(a <= m.start() < b for a, b in pairs) else None
        out.append(answer.span() if answer else m.span())
    return out


# A redline answered "[Vendor rejects]": the proposal and the answer are not the agreed text,
# which follows under its own marker ("Agreed text:")
_REJECTED = re.compile(r"\[[^\]\n]{0,40}\b(?:rejects?|rejected|declines?|declined|not accepted)\b[^\]\n]{0,40}\]", re.I)
# Text an amendment quotes only to say it is gone: "(Former Section 5.1(c), which is of no further
# effect, read: "Vendor may ...")"
_SUPERSEDED = re.compile(r"\((?:former|old|prior|original|deleted|superseded|struck)\s+(?:section|clause|paragraph|"
                         r"subsection|text|provision)[^\"“]{0,120}?(?:read|reads|provided|provides|stated|states)s?\s*:?\s*"
                         r"[\"“].*?(?:[\"”]\s*\)|$)", re.I | re.S)
# The words an amendment strikes out: 'amended by deleting the words "thirty (30) days" and
# substituting ...', 'Section 7.1, which permits "Vendor to use ...," is deleted'
_STRUCK_WORDS = re.compile(r"\b(?:deleting|striking|removing|replacing)\s+(?:(?:the|all)\s+)?(?:(?:words?|phrase|text|"
                           r"figure|number|period|sentence)\s+)?[\"“][^\"”]{1,300}[\"”]|"
                           r"[\"“][^\"”]{1,300}[\"”]\s*,?\s*(?:is|are)\s+(?:hereby\s+)?(?:deleted|struck|removed|rescinded)\b",
                           re.I)
_AGREED = re.compile(r"\b(?:agreed|final|accepted|revised|counter-?proposed?) (?:text|language|wording)\s*:", re.I)


# A compliance matrix's answer on its own line ("RESPONSE: COMPLY", "Response - EXCEPTION"): where
# the bidder takes exception, the requirement above it is not a term (its alternative language is)
_COMPLIANCE_ANSWER = re.compile(r"^(?:(?:offeror|vendor|contractor|proposer|bidder)['’]?s?\s+)?"
                                r"(?:response|answer|compliance)\s*[:\-–]\s*(.{0,60})$", re.I)
_EXCEPTION_TAKEN = re.compile(r"exception|deviation|(?:does|do|will) not comply|non-?complian|partial", re.I)


def not_agreed_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of a block that are not terms the parties agreed: options left unticked on
    a form, former text an amendment quotes as replaced, redline proposals the other side
    rejected (with its comment on them)."""
    spans = _unticked_spans(text) + [m.span() for m in _SUPERSEDED.finditer(text)] + \
        [m.span() for m in _STRUCK_WORDS.finditer(text)] + \
        [m.span() for m in _RESPONSE.finditer(text)]   # "[Vendor accepts. Note: ...]": a comment
    rejected = _REJECTED.search(text)
    if rejected and re.search(r"propos", text[:rejected.start()], re.I):
        agreed = _AGREED.search(text, rejected.end())
        spans.append((0, agreed.start() if agreed else len(text)))
    return spans


_TICKED = re.compile(r"\[[xX✓✔]\]|[☑☒]")
# Text a marked copy shows as struck out ("[deleted: may retain a copy]", "[Struck text: ...]",
# "Deleted: [may retain a copy]", "~~90 days~~"; one left open runs to the paragraph's end): gone
# from the agreement, and what is left of the sentence reads on around it
_STRUCK = re.compile(r"\[(?:deleted|deletion|delete|struck|stricken|strike|strikeout|strike-through|removed)"
                     r"(?: text| language| words)?\s*:[^\]]*(?:\]|$)|~~[^~\n]+~~"
                     r"|\b(?:deleted|deletion|struck|stricken|removed)(?: text| language| words)?\s*:\s*\[[^\]]*(?:\]|$)", re.I)


def blanked_spans(body: str) -> list[tuple[int, int, bool]]:
    """What agreed_view blanks in a block, and whether a sentence ends where each begins: text not
    agreed and the tick boxes do (one form's option is never read with the next), struck-out text
    does not."""
    if "[" not in body and "(" not in body and "~" not in body and '"' not in body and "“" not in body \
            and not any(box in body for box in "☐□☑☒"):
        return []
    return [(begin, end, True) for begin, end in not_agreed_spans(body) + [m.span() for m in _TICKED.finditer(body)]] \
        + [(*m.span(), False) for m in _STRUCK.finditer(body)]


def agreed_view(text: str, offset: int, spans: list[tuple[int, int, bool]]) -> str:
    """The text of a block's piece (starting at `offset` in its body) as the matcher reads it: the
    block's blanked_spans blanked out, a sentence break at the start of those that end one. Same
    length, so positions still point into the body."""
    if not spans:
        return text
    chars = list(text)
    for begin, end, breaks in spans:
        for i in range(max(begin - offset, 0), min(end - offset, len(chars))):
            chars[i] = " "
        if breaks and 0 <= begin - offset < len(chars):
            chars[begin - offset] = "."
    return "".join(chars)


def is_definition(sentence: str) -> bool:
    return bool(_DEFINITION.match(sentence))


@dataclass
class Segmented:
    """The segment stage's output: a document's blocks, and each block's text (normalized for
    matching) cut where a sentence certainly ends. No rule changes it, so it is cached: a re-scan
    after a rule edit goes straight to matching."""
    blocks: list[Block]
    pieces: list[list[tuple[int, str]]]   # per block, (offset, piece): offsets into the block's view
    # per block, where the view (ocrview.matching_view: OCR'd text read tolerantly) differs in
    # length from the body, the map of its offsets to the body's; None where they are the same
    offsets: list[OffsetMap | None]

    def in_body(self, index: int, start: int, end: int) -> tuple[int, int]:
        """A span of block `index`'s view as a span of its body, the text as read."""
        offsets = self.offsets[index]
        return (start, end) if offsets is None else (offsets.source_start(start), offsets.source_end(end))

    def clauses(self) -> list[Clause]:
        """Every sentence of the document, with its page, section and heading, as the matcher
        splits them (it tokenizes only the sentences some rule may match: this reads them all)."""
        pieces = [(index, offset, piece) for index, block_pieces in enumerate(self.pieces)
                  for offset, piece in block_pieces]
        out: list[Clause] = []
        for (index, offset, _), parsed in zip(pieces, get_nlp().pipe(piece for *_, piece in pieces)):
            block = self.blocks[index]
            for sent in parsed.sents:
                start, end = self.in_body(index, offset + sent.start_char, offset + sent.end_char)
                text = block.body[start:end].strip()
                if len(text) >= 3:
                    out.append(Clause(text=text, page=block.page_at(start), section=block.section,
                                      heading=block.heading, is_definition=is_definition(text)))
        return out

    def to_json(self) -> list:
        out = []
        for block, pieces, offsets in zip(self.blocks, self.pieces, self.offsets):
            para = block.paragraph
            # a piece's text is stored only where normalizing changed it (quotes, OCR fixes)
            spans = [[offset, offset + len(piece),
                      None if offsets is None and block.body[offset:offset + len(piece)] == piece else piece]
                     for offset, piece in pieces]
            out.append([para.text, para.page, para.page_starts, block.offset, block.section, block.heading,
                        block.lead_in, spans, offsets.to_json() if offsets else None])
        return out

    @classmethod
    def from_json(cls, entry) -> Segmented | None:
        """From a cached entry; None for one of another shape, which is then rebuilt."""
        try:
            items, pieces, maps = [], [], []
            for text, page, page_starts, offset, section, heading, lead_in, spans, offsets in entry:
                if not all(label is None or isinstance(label, str) for label in (section, heading)):
                    return None
                para = Paragraph(text=str(text), page=int(page), page_starts=[(int(o), int(n)) for o, n in page_starts])
                block = Block(para, para.text[int(offset):], int(offset), section, heading, str(lead_in))
                items.append(block)
                pieces.append([(int(start), block.body[int(start):int(end)] if piece is None else str(piece))
                               for start, end, piece in spans])
                maps.append(OffsetMap.from_json(offsets))
            return cls(items, pieces, maps)
        except (TypeError, ValueError):
            return None


def segment(document: Document) -> Segmented:
    """segment: a document's pages into blocks (paragraphs with their section and heading) and
    each block's text into pieces that end where a sentence does."""
    items = blocks(document)
    ocr_pages = {page.number for page in document.pages if page.method == "ocr"}
    views = [_view(block, ocr_spans(block, ocr_pages)) for block in items]
    return Segmented(items, [sentence_pieces(view) for view, _ in views], [offsets for _, offsets in views])


def _view(block: Block, spans: list[tuple[int, int]]) -> tuple[str, OffsetMap | None]:
    """The block's text as the matcher reads it; where some is OCR'd (`spans`), what was not agreed
    is blanked first (agreed_view works in the body's positions), then the OCR'd text read tolerantly."""
    text = normalize_for_matching(block.body)
    return matching_view(agreed_view(text, 0, blanked_spans(block.body)), spans) if spans else (text, None)
