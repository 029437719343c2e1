"""The document's own title and the parties its preamble names.

A contract says what it is and who signs it at the top, in a few drafting styles: a title line
("MASTER SERVICES AGREEMENT", under a letterhead), a line naming both sides ("between the City
of X and Y, Inc."), and the preamble sentence ("This Agreement is entered into by and between X,
a Delaware corporation ("Vendor"), and Y ("Customer")", "... is made ... by X and Y", "among X
and Y"). Each party is the words before the term the contract defines for it, cut at its
description (", a Delaware corporation", " with offices at", " acting through"); a party the
preamble only describes ("the entity identified in the signature block") keeps its description
and is not taken as a name."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .kinds import OPERATIVE, SMALL_WORDS, _heading_like, _title_kind, lists
from .parties import (_PRIVATE_HINT, AGENCY_WORDS, EITHER_WORDS, PRIVATE_WORDS, VENDOR_WORDS, detect_parties,
                      display_names, name_words)

ACRONYMS = {"ALPR", "LPR", "ANPR", "MSA", "MOU", "LLC", "USA", "API", "SLA", "DPA", "CJIS", "SAAS", "CT", "NJ",
            "L.L.C.", "LLP", "LP", "PLLC"}
TITLE_BLOCKS = 20        # the title is among the first blocks (an e-mail's headers come before it)
PREAMBLE_BLOCKS = 60     # so is the preamble (a council packet's agreement may start a few pages in)
TITLE_MAX_CHARS = 110
LINE_MAX_CHARS = 200     # a line naming both sides under the title

_VERB = re.compile(r"\b(?:is|are)\s+(?:hereby\s+)?(?:made|entered|executed|dated)\b|\bmade\s+and\s+entered\b", re.I)
_THIS = re.compile(r"\b(?:This|THIS)\s+((?:[A-Z][\w.&'’-]*\s+|No\.\s+\S+\s+|(?:of|to|and|for)\s+){0,10}?)"
                   r"(?=\(|,|is\b|are\b|IS\b|made\b|dated\b)")
_BETWEEN = re.compile(r"\b(?:by\s+and\s+)?(?:between|among|amongst)\s+", re.I)
_BY = re.compile(r"\bby\s+(?!and\b|and\s+through\b|its\b|resolution\b)", re.I)
# ("Vendor"), (the "City"), (hereinafter "Licensee"), (each a "Participating Agency," and ...), (together, "Recipient")
_DEFINED = re.compile(r"\((?:the\s+|this\s+|each\s+an?\s+|hereinafter\s+(?:referred\s+to\s+as\s+)?(?:the\s+)?|"
                      r"(?:collectively|together),?\s+(?:the\s+)?)?[\"“]([^\"”]{1,50}?)[,.]?[\"”][^()]*\)")
_COMPANY_SUFFIX = r"(?:inc|llc|l\.l\.c|corp|corporation|co|company|ltd|limited|lp|llp|pllc|gmbh|n\.a)\b"
# where a party's description starts: a comma not before "Inc.", or words that describe it
_DESCRIPTION = re.compile(rf",(?!\s*{_COMPANY_SUFFIX})|\s+(?:with\s+(?:a|an|its|offices|principal)|acting\b|"
                          r"on\s+behalf\b|located\b|having\b|whose\b|organized\b|incorporated\b|doing\s+business\b|"
                          r"hereinafter\b|\(|\d)", re.I)
_STOP = re.compile(r"[.;:](?=\s|$)")
_NOT_AN_END = re.compile(rf"(?:\b{_COMPANY_SUFFIX}|\bno|\b[a-z])$", re.I)   # "Inc.", "No. 4", "J. Smith"
_SEPARATOR = re.compile(r"\s+(?:--|[|:–—])\s+")   # "Vendor, Inc. | Master Services Agreement | Town of X"
_DETERMINER = re.compile(r"(?i:the|each|any|every|all|such|one|an?)\s+")
_AND = re.compile(r"\s*[,;]?\s+(?:and|AND|&)\s+")
_COMPANY = re.compile(rf"[,\s]{_COMPANY_SUFFIX}(?![\w-])", re.I)   # a letterhead, not a title
_VENDOR_NAME = re.compile(rf"[,\s]{_COMPANY_SUFFIX}\.?$|\b(?:vendor|provider|contractor|licensor|supplier)\b", re.I)
_AGENCY_NAME = re.compile(r"\b(?:city|town|county|borough|village|township|municipality|commonwealth|state of|"
                          r"police|sheriff|department|agency|office|district|authority|board|commission)\b", re.I)


@dataclass
class Party:
    name: str              # as the contract writes it (in title case if set in capitals), or its description
    defined_as: str = ""   # the short name the contract gives it: "Customer", "Flock"
    side: str = ""         # vendor | agency | private (a homeowners' association...) | "" when the text does not say
    named: bool = True     # False for a party the text only describes

    def to_json(self) -> dict:
        return {"name": self.name, "defined_as": self.defined_as, "side": self.side, "named": self.named}


@dataclass
class Preamble:
    title: str = ""
    parties: list[Party] = field(default_factory=list)

    def names(self, found: dict[str, str] | None = None) -> dict[str, Any]:
        """vendor_name and agency_name: the first named party of each side, over the names `found`
        elsewhere in the text, unless the agency found is the start of it (the town is the place,
        "Village of X", rather than "Village of X Police Department")."""
        out = dict(found or {})
        named: dict[str, str] = {}
        for party in self.parties:
            if party.named and party.side in ("vendor", "agency"):
                named.setdefault(f"{party.side}_name", party.name)
        for key, name in named.items():
            if not (key == "agency_name" and out.get(key) and name.startswith(out[key])):
                out[key] = name
        return out


HEAD_BLOCKS = 40   # the parties are named, and defined, in the first blocks


@dataclass
class Parties:
    """Who the document's parties are: the words that name each side (parties.detect_parties, which
    the matcher tags), their names as the document writes them (the findings JSON's `parties`), and
    the document's title."""
    roles: dict[str, set[str]]
    names: dict[str, Any]
    title: str


def read_parties(items) -> Parties:
    """The parties and title from a document's blocks (segment.Block)."""
    head = "\n".join(block.paragraph.text for block in items[:HEAD_BLOCKS])
    preamble = read_preamble(items)
    names = preamble.names(display_names(head))
    if preamble.parties:
        names["between"] = [party.to_json() for party in preamble.parties]
    return Parties(_with_defined_sides(detect_parties(head), preamble.parties), names, preamble.title)


def _with_defined_sides(roles: dict[str, set[str]], parties: list[Party]) -> dict[str, set[str]]:
    """The party words, with the short name the preamble defines for each side ("the Authority",
    "the Service") on that side, even where the word alone would say nothing."""
    for party in parties:
        if party.side in ("vendor", "agency", "private") and party.defined_as:
            words = name_words(party.defined_as) - EITHER_WORDS
            for side, side_words in roles.items():
                if side != "either":
                    side_words -= words
            roles[party.side] |= words
    return roles


def read_preamble(items) -> Preamble:
    """The title and the parties from a document's first blocks (segment.Block)."""
    headers = lists().headers
    lines: list[str] = []
    for block in items[:PREAMBLE_BLOCKS]:
        for text in (block.heading, block.paragraph.text):
            text = " ".join((text or "").split())
            if text and (not lines or lines[-1] != text) and not headers.match(text):
                lines.append(text)
    parties: list[Party] = []
    this_title, at = "", len(lines)
    for at, line in enumerate(lines):
        parties, this_title = _preamble_sentence(line)
        if parties:
            break
    else:
        parties = next((p for p in map(_between_line, lines) if p), [])
    # the title is above the preamble, and a line set in capitals is the title rather than a letterhead
    parts = [part for line in lines[:min(at, TITLE_BLOCKS)]
             for part in dict.fromkeys([line, *_SEPARATOR.split(line)])]
    capitals = [part for part in parts if title_case(part) != part]
    title = next((t for t in map(_title_from_line, capitals + parts) if t), "")
    if not title and this_title.lower() not in ("", "agreement"):
        title = this_title
    title = title or _first_heading(items)
    return Preamble(title=title, parties=_sides(parties))


def _first_heading(items) -> str:
    """Where no line names the document: its first heading, unless that heads a numbered section."""
    for block in items[:8]:
        heading = (block.heading or "").strip(" \u2018\u2019'\"-")
        if heading and len(heading) <= 90:
            return "" if block.section else title_case(heading)
    return ""


def title_case(text: str) -> str:
    """Title case for a heading set in capitals; other text as it is."""
    letters = [c for c in text if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) < 0.8 * len(letters):
        return text
    return " ".join(_title_word(w, first=i == 0) for i, w in enumerate(text.split()))


def _title_word(word: str, first: bool) -> str:
    if word.strip(",.;:()").upper() in ACRONYMS or any(c.isdigit() for c in word):
        return word
    if not first and word.lower() in SMALL_WORDS:
        return word.lower()
    return word.capitalize() if word[:1].isalpha() else word[:1] + word[1:].capitalize()


def _title_from_line(line: str) -> str:
    """A line that is a contract's title: short, set as a title, naming an operative document."""
    line = re.sub(r"^[^A-Za-z0-9(]+|[\s_*#]+$", "", line)
    if not line or len(line) > TITLE_MAX_CHARS or not _heading_like(line) or _COMPANY.search(line):
        return ""
    if re.match(r"(?i)(?:this|the)\b", line):
        return ""   # a sentence, not a title
    line = re.split(r"\s+(?i:between|among)\s+", line)[0]   # "SERVICES AGREEMENT BETWEEN X AND Y"
    return title_case(line) if _title_kind(line) in OPERATIVE else ""


def _preamble_sentence(text: str) -> tuple[list[Party], str]:
    """The parties of "This <Title> is made/entered into ... between/by X ("A") and Y ("B")", and <Title>."""
    for this in _THIS.finditer(text):
        verb = _VERB.search(text, this.end(), this.end() + 120)
        if not verb:
            continue
        window = text[verb.end():verb.end() + 300]
        anchor = _BETWEEN.search(window) or _BY.search(window)
        if not anchor:
            continue
        parties = _parties(text[verb.end() + anchor.end():])
        if parties:
            return parties, title_case(" ".join(this.group(1).split()))
    return [], ""


def _between_line(text: str) -> list[Party]:
    """A short line under the title: "between the City of X and Y, Inc.", "SERVICES AGREEMENT
    BETWEEN X AND Y"."""
    if len(text) > LINE_MAX_CHARS or not _heading_like(text):
        return []
    anchor = _BETWEEN.search(text)
    return _parties(text[anchor.end():]) if anchor else []


def _parties(span: str) -> list[Party]:
    """The parties listed from the start of `span`: each up to the term defined for it, or, with no
    defined terms, the sentence split at its "and"."""
    parties: list[Party] = []
    start = 0
    for m in _DEFINED.finditer(span):
        label = m.group(1).strip(" ,.")
        if label.lower() in EITHER_WORDS:
            break   # (each a "Party"): the list of parties is over
        segment = span[start:m.start()]
        if parties:
            joined = _AND.match(segment) or re.match(r"\s*[,;]\s*", segment)   # "("Brightway"); the City ..."
            if not joined:
                break
            segment = segment[joined.end():]
        name = _party_name(segment)
        if not name:
            break
        parties.append(Party(name=name[0], defined_as=label, named=name[1]))
        start = m.end()
    if len(parties) >= 2:
        return parties
    sentence = _first_sentence(span)
    pieces = _AND.split(sentence, maxsplit=1)
    if len(pieces) != 2:
        return []
    names = [_party_name(piece) for piece in pieces]
    return [Party(name=n[0], named=n[1]) for n in names if n] if all(names) else []


def _first_sentence(span: str) -> str:
    for stop in _STOP.finditer(span):
        if not _NOT_AN_END.search(span[:stop.start()]):
            return span[:stop.start()]
    return span[:LINE_MAX_CHARS]


def _party_name(segment: str) -> tuple[str, bool] | None:
    """(name, whether it is a name rather than a description) from the words naming a party; None
    for words that name no party ("amends the Agreement")."""
    segment = " ".join(segment.split())
    determiner = _DETERMINER.match(segment)
    rest = segment[determiner.end():] if determiner else segment
    named = rest[:1].isupper()
    if not named and not determiner:
        return None
    text = rest if named else segment
    cut = _DESCRIPTION.search(text, len(determiner.group(0)) if determiner and not named else 0)
    name = (text[:cut.start()] if cut and cut.start() > 0 else text).strip(" ,;:")
    if not name or len(name) > 120 or (named and len(name.split()) > 10):
        return None
    return title_case(name) if named else name, named


_BUSINESS_HINT = re.compile(r"\b(?:Stores?|Retail|Mall|Shopping|Outlets?|Markets?|Supermarkets?|Grocers?|Properties|"
                            r"Realty|Apartments|Plaza|Hotels?|Motors|Dealership|Towing|Recovery|Bank)\b")


def _sides(parties: list[Party]) -> list[Party]:
    """Which side each party is on: its defined term ("Customer", "Vendor") first, then its name."""
    for party in parties:
        words = set(re.findall(r"[a-z]+", party.defined_as.lower()))
        if words & PRIVATE_WORDS or _PRIVATE_HINT.search(party.name):
            party.side = "private"
        elif words & AGENCY_WORDS and not words & VENDOR_WORDS:
            party.side = "agency"
        elif words & VENDOR_WORDS and not words & AGENCY_WORDS:
            party.side = "vendor"
        elif _VENDOR_NAME.search(party.name):
            party.side = "vendor"
        elif _AGENCY_NAME.search(party.name):
            party.side = "agency"
    # of two companies beside the police, a business with cameras on its premises (a retailer, a
    # property owner) is the private party, the other the vendor whose platform carries its reads
    companies = [p for p in parties if p.side == "vendor"]
    if len(parties) >= 3:
        for party in [p for p in companies if _BUSINESS_HINT.search(p.name)][:len(companies) - 1]:
            party.side = "private"
    if len(parties) == 2:   # of two parties, one of unknown side is the other side's counterpart
        known = {p.side for p in parties if p.side}
        for party in parties:
            if not party.side and len(known) == 1:
                party.side = "agency" if known == {"vendor"} else "vendor"
    return parties
