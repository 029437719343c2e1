"""Terms a document defines for the agency's data: "Learnings", "Roadway Observations", "Entity
Data". A rule's phrases name data by ordinary nouns ("data", "reads", "images"); a term whose
definition is about such data is read as one of them wherever the document uses it."""
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


def data_terms(text: str, data_nouns: frozenset[str]) -> frozenset[str]:
    """Lower-case head words of the terms `text` defines for data (the last word of each term), other
    than words that already name data or name something else."""
    heads = set()
    for m in _MEANS.finditer(text):
        if _ABOUT_DATA.search(m.group(2)):
            heads.add(m.group(1).split()[-1].lower())
    for m in _NAMED.finditer(text):
        before = text[max(0, m.start() - DESCRIPTION_CHARS):m.start()]
        description = re.split(r"[.;()]", before)[-1]   # back to the start of its own phrase
        if _ABOUT_DATA.search(description):
            heads.add(m.group(1).split()[-1].lower())
    heads = {h for h in heads if h not in data_nouns and h not in NOT_DATA and h.isalpha()}
    return frozenset(heads | {h + "s" for h in heads if not h.endswith("s")})   # "Vehicle Profile(s)"
