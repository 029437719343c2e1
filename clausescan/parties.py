"""Who is who in a contract: the vendor, the agency and any private party (a homeowners'
association, a business district), by generic words ("Vendor", "Customer", "City") and by the
short names the contract defines ("Corvid", "Halberd", "the Association")."""
from __future__ import annotations

import re

VENDOR_WORDS = {"vendor", "provider", "contractor", "licensor", "supplier", "company", "seller", "consultant",
                "processor"}
AGENCY_WORDS = {"agency", "customer", "city", "town", "county", "borough", "village", "township", "municipality",
                "department", "sheriff", "subscriber", "licensee", "client", "purchaser", "district", "division",
                "office", "police", "host", "member"}
EITHER_WORDS = {"party", "parties", "either", "neither", "each"}
PRIVATE_WORDS = {"association", "hoa"}
_DEFINED = re.compile(r"[(,]\s*(?:the\s+|hereinafter\s+(?:referred\s+to\s+as\s+)?|(?:collectively|together),?\s+|"
                      r"(?:each(?:\s+[a-z]+)?,?\s+)?an?\s+)?[\"“]"
                      r"(?:the\s+)?([A-Z][A-Za-z0-9&.' -]{1,40}?)[\"”]\s*\)?")
_COMPANY = re.compile(r"\b([A-Z][A-Za-z0-9]+)(?: +[A-Z][A-Za-z0-9&]+){0,4},? +(?:Inc\b|INC\b|LLC\b|L\.L\.C\.|"
                      r"Corp(?:oration)?\b|CORP(?:ORATION)?\b|Co\.|Company\b|COMPANY\b|Ltd\b|LTD\b|GmbH\b)")
_VENDOR_HINT = re.compile(r"\b(Inc|LLC|L\.L\.C|Corporation|Corp|Company|Ltd|GmbH|vendor|provider|contractor)\b", re.I)
# A private body that is a party beside the police and the vendor (three-party camera MOUs)
_PRIVATE_HINT = re.compile(r"\b(Association|Homeowners|HOA|Improvement District|Business District|"
                           r"(?:non-?profit|not-for-profit)(?: corporation)?|Property Owners|Management Company|"
                           r"Condominium|Merchants)\b", re.I)
_AGENCY_HINT = re.compile(r"\b(City|Town|County|Borough|Village|Township|Police|Sheriff|Department|Agency|"
                          r"Municipal|Commonwealth|State of|Customer|District|"
                          # a public body described in lower case: 'any county ... or other public body (a "Member")'
                          r"(?i:public (?:body|agency|entity)|political subdivision|municipal corporation|"
                          r"unit of local government|governmental (?:unit|entity|body|agency)|law enforcement agency))\b")
GENERIC = {"agreement", "party", "parties", "effective", "date", "services", "service", "data", "system", "the",
           "order", "form", "terms", "policy", "content", "notifications", "hardware", "software", "platform",
           "information", "products", "documentation", "fees", "term", "exhibit", "schedule", "addendum", "msa",
           "mou", "lpr", "alpr", "anpr", "sow", "sla", "dpa", "cjis", "exchange", "network", "program", "entity",
           "entities"}
# a capitalised word before a company's name that is not its name ("AGREEMENT WITH NORTHVANE SYSTEMS, INC.")
_NOT_A_NAME = {"with", "and", "between", "by", "for", "from", "to", "of", "the", "agreement", "contract"}
# Plain-language terms name the parties by pronoun: ("Glimmerline", "we" or "us"), "you" the agency
VENDOR_PRONOUNS = {"we", "us", "our", "ours"}
AGENCY_PRONOUNS = {"you", "your", "yours"}
_PRONOUN = re.compile(r"\b(we|us|our|you|your)\b", re.I)
_DEFINED_PRONOUN = re.compile(r"[\"“](we|us|our|you|your)[\"”]", re.I)
PRONOUN_USES = 5   # uses of each person in the preamble that make a document speak in them
PREAMBLE_CHARS = 3000   # parties are introduced at the top; later definitions name things, not parties


def name_words(name: str) -> set[str]:
    """The lower-case words of a party's name that can stand for it ("Sheriff's Office": sheriff, office)."""
    return {word.lower() for word in re.findall(r"[A-Za-z0-9]{2,}", name)}


def detect_parties(text: str) -> dict[str, set[str]]:
    """Lower-case words naming each side, from the first part of the document."""
    vendor, agency, private = set(VENDOR_WORDS), set(AGENCY_WORDS), set(PRIVATE_WORDS)
    head = text[:PREAMBLE_CHARS]
    for m in _DEFINED.finditer(head):
        name = m.group(1).strip()
        words = name_words(name) - GENERIC
        before = head[max(0, m.start() - 160):m.start()]
        # a generic word is a party's name where it ends the agency's own: "the Ashcroft Glen
        # Police Service (the "Service")"; a word for a body, not for the agreement or the system
        if name.lower() in GENERIC and name.lower() in CAPITALISED_ONLY \
                and before.rstrip(" ,\n").lower().endswith(" " + name.lower()) \
                and _AGENCY_HINT.search(before[-80:]):
            agency.add(name.lower())
            continue
        if not words or name.lower() in GENERIC:
            continue
        v, a = list(_VENDOR_HINT.finditer(before)), list(_AGENCY_HINT.finditer(before))
        p = list(_PRIVATE_HINT.finditer(before))
        side = _side_described(before)
        # "Brookhollow Homeowners Association, Inc., a nonprofit corporation ("Association")"
        # names a private party: its last private word ends no earlier than any vendor word
        if p and (not v or p[-1].end() >= v[-1].end()) and (not a or p[-1].end() >= a[-1].end()):
            private |= words - VENDOR_WORDS - EITHER_WORDS
        # a generic word never changes side: "Customer" is the agency whatever stands before it
        elif side == "vendor":
            vendor |= words - AGENCY_WORDS - EITHER_WORDS
        elif side == "agency":
            agency |= words - VENDOR_WORDS - EITHER_WORDS
    for m in _COMPANY.finditer(head):
        if _PRIVATE_HINT.search(m.group(0)):
            continue   # "Harlow Downtown Business Improvement District, Inc." is no vendor
        word = m.group(1).lower()
        if word not in GENERIC and word not in AGENCY_WORDS and word not in agency and word not in _NOT_A_NAME:
            vendor.add(word)
    agency -= vendor - VENDOR_WORDS
    vendor_pronoun, agency_pronoun = _speaks_in_pronouns(head)
    if _agency_speaks(head):
        agency |= VENDOR_PRONOUNS   # "we" are the agency, in terms it wrote for its public
    elif vendor_pronoun:
        vendor |= VENDOR_PRONOUNS
    if agency_pronoun:
        agency |= AGENCY_PRONOUNS
    # a word the document defines as a private party ("the District") is that party here
    vendor -= private
    agency -= private
    return {"vendor": vendor, "agency": agency - VENDOR_WORDS, "private": private, "either": set(EITHER_WORDS)}


def _speaks_in_pronouns(head: str) -> tuple[bool, bool]:
    """Whether "we" means the vendor and "you" the agency: defined so ("we" or "us"), or both
    persons used throughout, as terms of service are written."""
    defined = {m.group(1).lower() for m in _DEFINED_PRONOUN.finditer(head)}
    uses = [m.group(1).lower() for m in _PRONOUN.finditer(head)]
    first = sum(w in VENDOR_PRONOUNS for w in uses)
    second = sum(w in AGENCY_PRONOUNS for w in uses)
    both = first >= PRONOUN_USES and second >= PRONOUN_USES
    return bool(defined & VENDOR_PRONOUNS) or both, bool(defined & AGENCY_PRONOUNS) or both


def _side_described(before: str) -> str | None:
    """The side the description before a definition names: the vendor or agency word closest to it decides."""
    v, a = list(_VENDOR_HINT.finditer(before)), list(_AGENCY_HINT.finditer(before))
    if v and (not a or v[-1].start() > a[-1].start()):
        return "vendor"
    return "agency" if a else None


def _agency_speaks(head: str) -> bool:
    """Whether "we" is the agency's: defined beside its name ('School District (the "District", "we")')."""
    return any(m.group(1).lower() in VENDOR_PRONOUNS and _side_described(head[max(0, m.start() - 160):m.start()]) == "agency"
               for m in _DEFINED_PRONOUN.finditer(head))


_AGENCY_NAME = re.compile(r"\b(?:(?:City|Town|County|Borough|Village|Township|Municipality) of(?: the)? [A-Z][a-zA-Z]+"
                          r"(?: (?!Data|Agreement|Police|Department|Services|Council)[A-Z][a-zA-Z]+)?|[A-Z][a-zA-Z]+(?: [A-Z][a-zA-Z]+)? (?:County Sheriff['’]s Office|"
                          r"Sheriff['’]s Office|District Attorney['’]s Office|Police Department|Public Safety Department))")
_COMPANY_NAME = re.compile(r"\b((?:[A-Z][A-Za-z0-9&]+ +){0,4}[A-Z][A-Za-z0-9&]+,? +(?:Inc\.|LLC|L\.L\.C\.|"
                           r"Corporation|Corp\.|Company|Ltd\.))")


def display_names(text: str) -> dict[str, str]:
    """The agency's and the vendor's names as the document writes them, where it does."""
    head = text[:6000]
    out = {}
    agency = _AGENCY_NAME.search(head)
    if agency:
        out["agency_name"] = agency.group(0)
    vendor = _COMPANY_NAME.search(head)
    if vendor:
        out["vendor_name"] = re.sub(r"^(?:By|And|Between|The|This|With)\s+", "", vendor.group(1))
    return out


ROLE_NORM = {"vendor": "__vendor__", "agency": "__agency__", "private": "__private__", "either": "__party__"}
NORM_ROLE = {v: k for k, v in ROLE_NORM.items()}


# Ordinary words that name the agency only when written as a name ("the Host", not "to host").
CAPITALISED_ONLY = {"host", "member", "office", "police", "division", "district", "client", "association",
                    "service", "authority", "board", "university", "commission", "college"}


def tag_roles(doc, parties: dict[str, set[str]]) -> None:
    """Mark party words in the token's NORM, which spaCy's Matcher reads natively."""
    # word -> its role's NORM; a word of two roles takes the first of vendor, private, agency, either
    norms = {word: ROLE_NORM[role] for role in ("either", "agency", "private", "vendor") for word in parties[role]}
    for token in doc:
        norm = norms.get(token.lower_)
        if norm and (token.lower_ not in CAPITALISED_ONLY or token.text[:1].isupper()):
            token.norm_ = norm


def role(token) -> str | None:
    return NORM_ROLE.get(token.norm_)
