"""Terms a document defines for the agency's data ("Learnings", "Roadway Observations", "Entity
Data") and short names it gives an agreement ("PA", "SOW"). A rule's phrases name data and
agreements by ordinary nouns ("data", "reads"; "agreement", "contract"); a term defined as one of
them is read as that noun as well, wherever the document uses it."""
from __future__ import annotations

import re

_TERM = r"[\"“]((?:[A-Z][\w'’-]*)(?:\s+[A-Z][\w'’-]*){0,3})[\"”]"
# "“Learnings” means statistics ... derived from Customer Materials"
_MEANS = re.compile(_TERM + r"\s+(?:means|shall mean|refers to|includes|is defined as)\s+([^;]{0,300}?)(?:\.\s|;|$)")
# "... plate reads and images captured for a Participating Entity (“Entity Data”)"
_NAMED = re.compile(r"\(\s*(?:the\s+|collectively,?\s+|each,?\s+)?" + _TERM + r"\s*\)")
DESCRIPTION_CHARS = 200
_ABOUT_DATA = re.compile(r"\b(?:data|reads?|images?|imagery|plates?|photographs?|photos?|footage|detections?|"
                         r"observations?|information|video|recordings?|captures?)\b", re.I)
# heads that name things other than data, whatever their definition mentions
NOT_DATA = frozenset("""agreement services service system systems platform software hardware camera cameras equipment
device devices documentation fees fee term terms policy policies party parties customer vendor agency user users
account accounts feature features network portal application applications app site sites order form schedule
exhibit addendum program period date purpose purposes law laws request requests notice repository repositories
center centre server servers database databases""".split())


_ABOUT_AGREEMENT = re.compile(r"\b(?:agreement|contract|addendum|amendment|statement of work|order form|purchase order|"
                              r"memorandum|schedule of services)\b", re.I)
ACRONYM = re.compile(r"[A-Z]{2,6}")   # "PA", "SOW": a word like "Order" would also be read elsewhere ("in order to")


def defined_terms(text: str, data_nouns: frozenset[str]) -> dict[str, str]:
    """Lower-case head words of the terms `text` defines (the last word of each term) -> the ordinary
    noun a rule reads them as: "data" for terms defined for data (other than words that already
    name data or name something else), "agreement" for an agreement's short name."""
    data: set[str] = set()
    agreements: set[str] = set()
    for m in _MEANS.finditer(text):
        _classify(m.group(1), m.group(2), data, agreements)
    for m in _NAMED.finditer(text):
        before = text[max(0, m.start() - DESCRIPTION_CHARS):m.start()]
        _classify(m.group(1), re.split(r"[.;()]", before)[-1], data, agreements)   # back to the start of its phrase
    data = {h for h in data if h not in data_nouns and h not in NOT_DATA and h.isalpha()}
    data |= {h + "s" for h in data if not h.endswith("s")}   # "Vehicle Profile(s)"
    return {**{h: "agreement" for h in agreements}, **{h: "data" for h in data}}


def _classify(term: str, description: str, data: set[str], agreements: set[str]) -> None:
    head = term.split()[-1]
    if ACRONYM.fullmatch(term) and _ABOUT_AGREEMENT.search(description):
        agreements.add(head.lower())
    elif _ABOUT_DATA.search(description):
        data.add(head.lower())
