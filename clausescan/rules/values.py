"""Value extraction shared by the rules: durations in days, notice days, liability caps,
referenced documents and governing law (the quantities themselves are read by quantities.py)."""
from __future__ import annotations

import re

from ..quantities import MONEY, URL, durations, usd
from .lexicon import builtin

# "the fees paid in the prior year", "1x annual fees": a year of fees with no number of months
YEAR_OF_FEES = re.compile(r"\b(?:(?:prior|preceding|previous|past|last|one|current|then-current|contract)\s+(?:contract\s+)?year|"
                          r"annual\s+(?:subscription\s+)?(?:fees?|charges|price|amount))\b", re.I)
MULTIPLIER = re.compile(r"\b(two|three|four|five|2|3|4|5)\s*(?:\(\d\)\s*)?times\b|\b(twice|double)\b|\b([2-5])\s*x\b", re.I)
INDEFINITE = re.compile(r"\b(indefinite(?:ly)?|perpetual(?:ly)?|in perpetuity|permanently retain|(?:retain|kept|stor|held|preserv)\w* "
                        r"permanently|no (?:fixed |set )?"
                        r"(?:retention )?(?:period|limit)\b|without (?:a |any )?(?:time )?limit\b|"
                        # "without limitation of time" (not the "without limitation" of a list)
                        r"without (?:any )?(?:time limit(?:ation)?s?|limit(?:ation)?s? (?:of|on|as to) (?:time|duration))\b)", re.I)
AGENCY_DEFINED = re.compile(
    r"\b(?:(?:as|period|periods) (?:determined|set|configured|specified|selected|designated|defined|chosen) by (?:the )?(?:agency|customer|city|"
    r"town|county|department|borough|village)|(?:agency|customer|city|town|county|department|village|borough|township|"
    r"sheriff|licensee|subscriber)'s (?:(?:records|evidence|own|data) ){0,2}retention (?:schedule|policy|policies|rules|requirements)|"
    # "the retention schedule of the Member Agency that owns the case"
    r"retention (?:schedule|policy|policies|rules) of (?:the |each |that )?(?:member |participating |originating )?"
    r"(?:agency|customer|city|town|county|department|village|borough|sheriff)|"
    # "shall set the retention period at a period of its choosing of not less than 7 days"
    r"periods? of (?:its|their|your) (?:own )?(?:choosing|choice)|"
    # "Customer may select a different retention period", "the administrator can choose a shorter period"
    r"(?:select|choose|set|configure|specify|pick)s?\s+(?:a|an|its|their|your)\s+(?:different|shorter|longer|custom|own)\s+"
    r"(?:retention\s+)?period|until (?:the )?(?:agency|customer|city|town|county|department|sheriff|police|borough|"
    r"village|you|an? authorized user)\b[^.;]{0,40}\b(?:release|delete|remove|decide|determine)s?|records retention "
    r"(?:and (?:disposal|disposition) )?schedule|agency[- ]defined|customer[- ]defined|set by (?:the )?(?:agency|customer)|"
    r"(?:agency|customer|city|town|county|department)[- ](?:configurable|configured|selectable|adjustable)|"
    r"(?:agency|customer|city|town|county|department) (?:selects|chooses|configures|sets|specifies|designates)\b|"
    # "your agency administrator can choose a shorter period", "the administrator may configure any other period"
    r"\badministrators?\s+(?:may|can|is able to|are able to)\s+(?:configure|set|select|choose|change|adjust|specify|"
    r"shorten|extend)\b|"
    r"(?:configured|selected|chosen|specified|set) by (?:the )?(?:agency|customer|city|town|county|department)|(?:agency|customer|city|town|county|department|sheriff|borough|village|controller)\s+(?:shall|will|may|must|can)\s+(?:set|determine|establish|configure|select|choose|define)\s+(?:the\s+|its\s+|any\s+|a\s+)?(?:data\s+)?retention|its own (?:records |evidence )?retention (?:schedule|rules|polic(?:y|ies))|until (?:\w+ ){0,2}(?:deleted|released|removed|purged|unmarked|cleared) by (?!(?:the |an? )?(?:vendor|contractor|provider|company|licensor|supplier|processor|us)\b)(?:the |an? )?[a-z]+|until (?!(?:the |an? |its |their |that )?(?:vendor|contractor|provider|company|licensor|supplier|we)\b)(?:[\w'’-]+ ){1,8}?(?:releases?|removes?|lifts?|clears?|withdraws?|rescinds?|directs?|notifies|instructs|unmarks?|detach(?:es)?|closes?)\b|until (?:the |that |such )?(?:case|investigation|hold|legal hold|matter|prosecution|designation)s? (?:is|are|has been) (?:closed|resolved|released|lifted|concluded)|(?:records|evidence) schedule)", re.I)
STATES = builtin()["us-states"]
# The name of a document a contract refers to: capitalised words ("and", "of" may join them)
# ending in a document word, or an exhibit ("Corvid LPR Usage and Privacy Policy", "Exhibit C").
REFERENCED_TITLE = re.compile(r"((?:[A-Z][\w&'’-]*\s+(?:(?:and|of|for|&)\s+(?=[A-Z]))?){0,6}(?:Policy|Policies|"
                              r"Terms(?: of (?:Service|Use))?|Guidelines|Agreement|Addendum|Schedule|Procedures|"
                              r"Standards|Conditions)|Exhibit [A-Z0-9]+)\b")
GOVERNING = re.compile(r"\blaws? of (?:the )?(?:State|Commonwealth) of (?P<state>[A-Z][a-z]+(?: [A-Z][a-z]+)?)|"
                       r"\blaws? of (?P<state2>[A-Z][a-z]+(?: [A-Z][a-z]+)?)", re.S)


def _before(text: str, start: int, n: int = 40) -> str:
    return text[max(0, start - n):start].lower()


# "between one (1) and 365 days", "1-90 days", "up to 365 days": the limits of a period someone chooses
_RANGE = re.compile(r"\b(?:between\s+\S+(?:\s+\(\d+\))?\s+and|from\s+\S+(?:\s+\(\d+\))?\s+to|"
                    r"\d+\s*(?:-|–|to)\s*\d+\s*(?:hours?|days?|weeks?|months?|years?)\b|"   # not "41-6a-2004"
                    r"not (?:to )?exceed|up to|a maximum of|no (?:more|longer) than|not (?:less|shorter|more|longer) than)", re.I)
# the same period written twice: "twelve (12) months (one year)", "one (1) year (365 days)"
_RESTATED = re.compile(r"\s*[(\[/,]?\s*(?:or\s+|i\.e\.,?\s+)?$")


def _restates(previous: tuple[float, int], days: float, text_between: str) -> bool:
    return _RESTATED.match(text_between) is not None and abs(days - previous[0]) <= 0.03 * max(days, previous[0])


def retention_values(text: str) -> list[float | str | None]:
    """Retention periods stated in a sentence: days, "indefinite" or "agency-defined"."""
    if _RANGE.search(text) and AGENCY_DEFINED.search(text):
        return ["agency-defined"]   # the agency picks a period within limits
    found: list[float | str | None] = []
    previous: tuple[float, int] | None = None   # the period before, in days, and where it ends
    for days, _words, start, end in durations(text):
        if previous is not None and _restates(previous, days, text[previous[1]:start]):
            # one period in two units: the year, not twelve 30-day months
            if previous[0] in found and days > previous[0]:
                found[found.index(previous[0])] = days
            previous = (days, end)
            continue
        previous = (days, end)
        before, after = _before(text, start), text[end:end + 50].lower()
        if re.search(r"\b(?:not subject to|other than|instead of|rather than)(?: after| within| for| the| any)*\s*$", before):
            continue   # "not subject to the 30-day overwrite": the period that does not apply
        # "deleted after 30 days", "purged every 30 days", "retains reads for up to 5 years" are retention periods
        kept = re.search(r"\b(?:(?:delet|purg|eras|overwr|destr|expung|remov|retain|kept|keep|stor|held|hold|maint|preserv|wip|"
                         r"roll|expir)\w*|ag(?:e|es|ed|ing) out)\s+(?:[\w,'’()-]+\s+){0,10}"
                         r"(?:after|every|for up to)\s*$", _before(text, start, 80))
        from_capture = re.search(r"captur|collect|acqui|upload", after)   # "within 60 days of collection"
        if re.search(r"\bwithin\s*$|\bafter\s*$|\bevery\s*$|\bfor up to\s*$", before) and not from_capture \
                and not kept:
            continue  # a deadline to act, not how long data is kept
        if re.match(r"\s*(?:after|following|of|from)\s+(?:the\s+)?(?:expiration|termination|end of)", after):
            continue  # time after the agreement ends: deletion-on-termination
        if re.match(r"\s*(?:of|following)\s+(?:the\s+)?(?:request|notice|written)", after):
            continue
        if re.search(r"\bterm\s*[:\-]?\s*$", before) or re.match(r"\s*(?:initial\s+|subscription\s+)?term\b", after):
            continue  # "Term: 36 months", "the 3-year term": the contract's length, not the data's
        if days not in found:
            found.append(days)
    if found:
        # "reads are kept 30 days; hits are kept indefinitely": the second period is its own finding
        # ("shall not store reads indefinitely; purge them after 30 days" states one period, and so
        # does "if no retention period is specified, it is 30 days")
        if any(not m.group(1).lower().startswith("no ")
               and not re.search(r"\b(?:not|never|no)\b[^.;]{0,30}$", _before(text, m.start(), 60))
               for m in INDEFINITE.finditer(text)):
            found.append("indefinite")
        # "deleted after 14 days, unless attached to a case, when the Town's own retention rules apply"
        if AGENCY_DEFINED.search(text):
            found.append("agency-defined")
        return found
    if INDEFINITE.search(text):
        return ["indefinite"]
    if AGENCY_DEFINED.search(text):
        return ["agency-defined"]
    return [None]


def notice_days(text: str) -> list:
    """The notice period of a renewal clause, not the length of the renewal term."""
    for days, _words, start, end in durations(text):
        before, after = _before(text, start, 30), text[end:end + 30].lower()
        if re.match(r"[\s'’s]*(?:prior|before|in advance|advance|notice|written notice)", after) or \
                re.search(r"(?:at least|not less than|no less than|minimum of|notice of|notice period\W*)\s*$", before):
            return [days]
    return [None]


_ENDS = (r"(?:agreement|contract|term|mou|moa|memorandum|subscription|services?|authori[sz]ation|program(?:me)?|participation|"
         r"pilot|rider|addendum|engagement) (?:ends|ended|lapses)|end of (?:the|this) (?:term|agreement|contract|mou|subscription)")


def termination_days(text: str) -> list:
    """Days after the agreement ends: the duration next to "termination", else, in a sentence
    about the end of the agreement, its first duration ("Upon termination ... within ten days")."""
    found = durations(text)
    for days, _words, start, end in found:
        around = _before(text, start, 30) + " " + text[end:end + 80].lower()
        if re.search(r"terminat|expir|end of (?:the|this)|withdraw|" + _ENDS, around):
            return [days]
    if found and re.search(r"terminat|expir|withdraw|" + _ENDS, text, re.I):
        return [found[0][0]]
    return [None]


def liability_cap(text: str) -> list[tuple]:
    money = MONEY.search(text)
    if money:
        return [(usd(money), "USD")]
    months = None
    for days, _words, start, _end in durations(text):
        if days >= 30 and days % 30 == 0 or days in (365, 730, 1095):
            months = round(days / 30) if days % 365 else int(days / 365 * 12)
            break
    if months is None and YEAR_OF_FEES.search(text):
        months = 12
    if months is None:
        return [(None, None)]
    mult = MULTIPLIER.search(text)
    factor = 1
    if mult:
        word = (mult.group(1) or mult.group(2) or mult.group(3) or "").lower()
        factor = {"two": 2, "2": 2, "twice": 2, "double": 2, "three": 3, "3": 3, "four": 4, "4": 4,
                  "five": 5, "5": 5}.get(word, 1)
    return [(months * factor, "months")]


def reference(text: str) -> list:
    url = URL.search(text)
    if url:
        return [url.group(0)]
    title = REFERENCED_TITLE.search(text)
    return [title.group(1).strip() if title else None]


def state(text: str) -> list:
    if re.search(r"\barbitrat", text, re.I):
        seat = re.search(r"\b(?:in|seated in|located in)\s+([A-Z][a-z]+(?: [A-Z][a-z]+)?)", text)
        return ["arbitration" + (f" ({seat.group(1)})" if seat else "")]
    m = GOVERNING.search(text)
    if m:
        name = m.group("state") or m.group("state2")
        for s in STATES:
            if name.startswith(s):
                return [s]
    # "governed by Arizona law", "Governing Law: Delaware": a state named where no "laws of" is
    named = re.search(r"\b(" + "|".join(sorted(STATES, key=len, reverse=True)) + r")\b", text)
    return [named.group(1) if named else None]


def _days(values: list) -> list[tuple]:
    """Values with their unit: days for a number, none for a word ("indefinite") or no value."""
    return [(v, "days" if isinstance(v, (int, float)) else None) for v in values]


def _unitless(values: list) -> list[tuple]:
    return [(v, None) for v in values]


REFERENCE = "reference"   # a document the sentence refers to: a web address or a title (clausescan followup)
# What a rule's `value:` may name, and how each kind is read from a matched sentence: (value, unit)
# pairs. A new kind is one entry here; the rule schema's choices are these names.
VALUE_EXTRACTORS = {
    "retention-days": lambda text: _days(retention_values(text)),
    "notice-days": lambda text: _days(notice_days(text)),
    "termination-days": lambda text: _days(termination_days(text)),
    "liability-cap": liability_cap,
    REFERENCE: lambda text: _unitless(reference(text)),
    "state": lambda text: _unitless(state(text)),
}


def extract(kind: str | None, text: str) -> list[tuple]:
    """(value, unit) pairs for a sentence; [(None, None)] when the rule has no value."""
    return VALUE_EXTRACTORS[kind](text) if kind else [(None, None)]
