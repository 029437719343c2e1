"""How a trigger's polarity is decided, shared by every rule: negation, exceptions and
provisos, consent or purpose restrictions, and who is acting. Works on spaCy tokens of one
sentence, inside the clause that holds the trigger."""
from __future__ import annotations

import re
from bisect import bisect_left

from ..parties import role

NEGATORS = frozenset({"not", "n't", "never", "no", "neither", "nor", "nothing", "none", "cannot"})
# Verbs that negate what follows them: "prohibited from selling", "nothing shall prevent".
NEGATIVE_STEMS = ("prohibit", "prevent", "forbid", "preclude", "restrict", "refrain", "abstain", "disabl", "deactivat")
# "bar" as a prefix would catch "bargain"; "suspend"/"revoke" as verbs only: "shall suspend the access of any
# agency that does so" takes access away, while "upon suspension, Vendor may share" gives it; an
# ordinance forbids with "It shall be unlawful for any person to sell"
NEGATIVE_WORDS = frozenset({"bar", "bars", "barred", "barring", "suspend", "suspends", "revoke", "revokes",
                            "unlawful", "illegal"})
# "shall not fail to certify": a negated failure is a duty, two negations that cancel
FAILURE_WORDS = frozenset({"fail", "fails", "failing", "neglect", "neglects", "omit", "omits"})
MODALS = frozenset({"may", "shall", "will", "must", "can", "might", "should", "agrees", "agree", "is", "are"})
COORDINATORS = frozenset({"and", "or", ",", "but"})
# Tokens that end the clause a trigger belongs to, looking back from it.
CLAUSE_STARTS = frozenset({";", ":", "except", "unless", "provided", "but", "which", "whereas", "although",
                           "whereby", "excluding", "notwithstanding", "while"})
PROVISO_NEXT = frozenset({"that", ",", "however", "further", "always", "also", "though"})


def _starts_clause(sent, i: int) -> bool:
    """A word that opens a clause of its own; "provided" only as a proviso ("provided that", not
    "shall be provided to, or queried by")."""
    word = sent[i].lower_
    if word == "provided":
        return i + 1 < len(sent) and sent[i + 1].lower_ in PROVISO_NEXT
    return word in CLAUSE_STARTS


EXCEPTION_CUES = ("except", "excluding", "other than", "unless", "save", "provided that",
                  "provided , however", "provided however", "but may", "but", "however ,")


def _by_first_word(cues) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    for cue in cues:
        out.setdefault(cue.split()[0], []).append(cue.split())
    return out


_EXCEPTION_CUE_WORDS = _by_first_word(EXCEPTION_CUES)   # first word -> each cue's words, in order
RESTRICTION_CUES = ("only", "solely", "exclusively", "strictly")
INSERTION_CUES = frozenset({"unless", "except", "save"})   # ", unless required by law," inside a clause
RELATIVE_CUES = frozenset({"which", "who", "whom", "whose"})   # ", which the County did not sign,"


def _insertion_opening(sent, i: int, stop: int) -> int | None:
    """The comma that opens the insertion holding token i (", which ... ," or ", unless ... ,"),
    if the words from it to i are one."""
    for k in range(i - 1, max(stop, i - 15), -1):
        if sent[k].text == ",":
            nxt = sent[k + 1].lower_
            return k if nxt in RELATIVE_CUES or nxt in INSERTION_CUES else None
        if sent[k].text in (";", ":", "(", ")"):
            return None
    return None
# "If Customer does not renew, Vendor deletes the data": a condition set before the clause it
# governs, up to its comma, keeps its own negation
CONDITION_CUES = frozenset({"if", "unless", "when", "whenever", "where", "once", "until", "should", "because", "since"})
CONDITION_TOKENS = 30   # "Unless the Department tells us in writing at least forty-five (45) days before ..."


def _in_opening_condition(sent, i: int, stop: int) -> bool:
    """Whether token i lies in a condition that opens its clause ("If ... not ..., "), the clause
    starting after `stop` (at the sentence's start or after ; or :). A number in parentheses
    ("forty-five (45) days") is part of the condition."""
    k = i
    while k - 1 > max(stop, i - CONDITION_TOKENS):
        k -= 1
        if sent[k].text == ")" and k >= 2 and sent[k - 2].text == "(" and sent[k - 1].like_num:
            k -= 2
            continue
        if sent[k].text in (",", ";", ":", "(", ")"):
            return False
        if sent[k].lower_ in CONDITION_CUES:
            return k == 0 or k - 1 == stop or sent[k - 1].text in (";", ":") or \
                (k >= 2 and sent[k - 1].is_punct and sent[k - 2].text in (";", ":"))
    return False



LOOKBACK = 40


def _is_negative_verb(word: str) -> bool:
    return word.startswith(NEGATIVE_STEMS) or word in NEGATIVE_WORDS


def is_negated(sent, start: int, floor: int = 0) -> bool:
    """True when the trigger at sentence-relative token `start` is negated in its clause, which
    begins no earlier than `floor` (where its predicate begins, see clause_scope).

    Looks back from the trigger. A negative verb ("prevent", "prohibited") flips the result and
    the search goes on, so "nothing ... shall prevent X from using" reads as permission; a
    negator ("not", "no", "neither", "in no event") flips it and ends the search. A modal that
    follows a coordinator ("... and may license") starts a new verb phrase and ends the search.
    """
    if _absolute_negation_before(sent, start):
        return True
    negated = False
    modal_at = None
    limited = False
    at_comma = None   # the negation found when the nearest comma was passed, where an insertion ends
    stop = max(floor - 1, start - 1 - LOOKBACK)
    i = start
    while i - 1 > stop:
        i -= 1
        word = sent[i].lower_
        if word == ")":
            # "shall (unless prohibited by law) refer": what the parentheses say is their own
            opening = next((k for k in range(i - 1, stop, -1) if sent[k].text == "("), None)
            if opening is not None:
                i = opening
                continue
        if word == "," and at_comma is None:
            at_comma = negated
        if word in INSERTION_CUES and at_comma is not None and i > 0 and sent[i - 1].text == ",":
            # "shall not, unless the law forbids it, disclose": the insertion's negation is its own,
            # and what stands before it still governs the trigger
            negated, at_comma = at_comma, None
            continue
        if _starts_clause(sent, i) and not (word == "but" and negated):
            if word in (":", ";") and _negated_list_lead_in(sent, i):
                return not negated
            break
        if word in FAILURE_WORDS and i > 0 and sent[i - 1].lower_ in ("not", "never", "n't"):
            i -= 1
            continue
        if word.startswith("limit"):
            limited = True   # only matters if a negator governs it: "not limited to", "nothing limits"
            continue
        if word in NEGATORS or _is_negative_verb(word):
            opening = _insertion_opening(sent, i, stop) if at_comma is not None else None
            if opening is not None:
                # "terms, which the County did not sign, would have permitted it to use": the
                # relative clause's negation is its own
                negated, at_comma, i = bool(at_comma), None, opening
                continue
        if word in NEGATORS and at_comma is not None and _in_opening_condition(sent, i, stop):
            return at_comma
        if word in NEGATORS:
            if word == "no" and i + 1 < len(sent) and sent[i + 1].lower_ in ("later", "more", "less", "fewer"):
                continue  # "no later than", "no more than" are limits, not negation
            if word == "no" and start - i > 3 and i > 0 and sent[i - 1].lower_ in _NOUN_PHRASE_PREPOSITIONS:
                continue  # "for no other purpose, and ... expires": a noun phrase, not a later verb's negation
            if limited:
                return negated  # "including but not limited to selling": the negator bears on the limit
            if _duty_denied_before(sent, i):
                return negated  # "nothing requires that data not be shared": not a duty, so allowed
            return not negated
        if _is_negative_verb(word):
            # one of a list of verbs ("shall not disable or alter") governs nothing after it
            if not (i + 1 < start and sent[i + 1].lower_ in COORDINATORS):
                negated = not negated
            continue
        if word in MODALS:
            modal_at = i
        elif word in PREDICATE_COORDINATORS and modal_at is not None and modal_at - i <= 2:
            break   # "..., and [Vendor] may license": a new verb phrase, not "no X or Y shall"
    return negated


ENUMERATOR_WORDS = frozenset({"and", "or", "("})


def _negated_list_lead_in(sent, boundary: int) -> bool:
    """The item of a list whose lead-in is negated: "Vendor shall not: (a) ...; (b) sell Agency
    Data". `boundary` is the ':' or ';' that starts the item; the ':' opening the list must follow
    a negator within a few words."""
    nxt = boundary + 1
    while nxt < len(sent) and sent[nxt].lower_ in ENUMERATOR_WORDS:
        nxt += 1
    if nxt == boundary + 1 or sent[nxt - 1].text != "(" or nxt + 1 >= len(sent) or sent[nxt + 1].text != ")":
        return False   # not "(b)", "and (c)", "or (iii)"
    colon = boundary
    while colon >= 0 and sent[colon].text != ":":
        if sent[colon].text == "." or boundary - colon > 80:
            colon = -1
            break
        colon -= 1
    if colon < 0:
        colon = _first_item(sent, boundary) or -1   # "Vendor shall not (a) ...; (b) sell Agency Data"
    return colon > 0 and any(t.lower_ in NEGATORS for t in sent[max(0, colon - 4):colon])


DUTY_STEMS = ("requir", "obligat", "mandat", "compel")


def _duty_denied_before(sent, negator: int) -> bool:
    """A negator inside a duty that is itself denied: "nothing requires that X not be shared",
    "nothing obliges the Vendor not to ...". Two negations: the act is allowed."""
    duty = False
    for i in range(negator - 1, max(-1, negator - 1 - LOOKBACK), -1):
        word = sent[i].lower_
        if _starts_clause(sent, i):
            return False
        if word.startswith(DUTY_STEMS) and negator - i <= 6:
            duty = True
        elif duty and word in NEGATORS:
            return True
    return False


_ABSOLUTE = ("in no event", "under no circumstances", "in no case", "at no time", "on no account")


def _absolute_negation_before(sent, start: int) -> bool:
    """"In no event, however, shall Vendor use ...": the negation sits before an inverted modal,
    with commas between, where the token-by-token search stops."""
    words: list[str] = []
    for i in range(start - 1, max(-1, start - 1 - LOOKBACK), -1):
        word = sent[i].lower_
        if _starts_clause(sent, i):
            break
        words.insert(0, word)
    text = " ".join(words)
    return any(phrase in text for phrase in _ABSOLUTE)


# Words that open a new predicate after a coordinator: "... and shall not use it", ", and Vendor may".
PREDICATE_MODALS = frozenset({"shall", "may", "will", "must", "can", "cannot", "should", "might", "agrees", "agree",
                              "does", "do", "is", "are", "has", "have", "grants", "retains", "owns"})
SUBJECT_WORDS = frozenset({"it", "they", "the", "such", "each", "either", "neither", "any", "all", "no", "its",
                           "their", "this", "that", "these", "those"})
EXCEPTION_STARTS = frozenset({"except", "unless", "provided", "excluding", "save", "however", "but"})
# Words that refer back to a noun of an earlier predicate: "... and shall not sell it".
ANAPHORS = frozenset({"it", "them", "such", "same", "thereof", "therefrom", "which", "its", "this", "these"})


FIRST_ITEMS = frozenset({"a", "i"})   # "access to the data to (a) troubleshoot ...; (b) ..." opens a list after any word


def _is_enumerator(sent, i: int) -> bool:
    """A list item's "(b)", "(iv)", "(2)" at token i: after list punctuation, not "thirty (30)"; a
    first item "(a)" or "(i)" after any word."""
    return sent[i].text == "(" and i + 2 < len(sent) and sent[i + 2].text == ")" and \
        len(sent[i + 1].text) <= 4 and sent[i + 1].text.isalnum() and \
        (i == 0 or sent[i - 1].lower_ in LIST_PUNCTUATION or _opens_inline_list(sent, i))


def _opens_inline_list(sent, i: int) -> bool:
    """"(a)" or "(i)" right after a word: the first item of a list with no ':' ("Section 4 (a)" is a reference)."""
    return sent[i + 1].lower_ in FIRST_ITEMS and i > 0 and not sent[i - 1].like_num and sent[i - 1].text != ":"


LIST_PUNCTUATION = frozenset({";", ":", ",", "and", "or"})
PREDICATE_COORDINATORS = frozenset({"and", "or", "but"})   # a comma alone ends an introductory phrase
SERIAL_MODALS = frozenset({"shall", "will", "must", "may", "can", "cannot"})
# Verbs in the third person that are never a noun of the data ("reads", "hits" are): after a
# coordinator they start a predicate of their own, which the modal and negation before do not govern
FINITE_VERBS = frozenset({"requires", "agrees", "acknowledges", "warrants", "represents", "ensures", "certifies",
                          "undertakes", "covenants", "guarantees", "commits", "promises", "permits", "allows",
                          "prohibits", "forbids", "authorizes", "authorises", "grants", "retains", "reserves"})


def _opens_predicate(sent, i: int, limit: int) -> tuple[bool, bool]:
    """Whether a coordinator at i starts a new verb phrase ("and shall not", "and Vendor may",
    "but the Agency will", "or it may"; its modal before `limit`), and whether that phrase names
    its own subject (one that does not shares the subject of the phrase before it). A comma opens
    one only right before a modal, in a series of verb phrases ("shall be used only to calibrate
    the cameras, shall not be added to any training set, and shall be deleted")."""
    if sent[i].text == ",":
        nxt = sent[i + 1] if i + 1 < len(sent) else None
        opens = nxt is not None and nxt.lower_ in SERIAL_MODALS and _follows_verb_phrase(sent, i)
        return opens, False
    if sent[i].lower_ not in PREDICATE_COORDINATORS or not _follows_verb_phrase(sent, i):
        return False, False
    nxt = sent[i + 1] if i + 1 < len(sent) else None
    if nxt is not None and nxt.lower_ in FINITE_VERBS:
        # "will not make it available and requires each agency to certify": a finite verb, which the
        # modal and negation before cannot govern, starts a predicate read on its own
        return True, True
    if nxt is None or not (nxt.lower_ in SUBJECT_WORDS or nxt.lower_ in PREDICATE_MODALS or nxt.text[:1].isupper()
                           or role(nxt)):
        return False, False
    k = _modal_after_subject(sent, i, limit)
    if k is None:
        return False, False
    opens = k > i + 1 or sent[k].lower_ not in ("is", "are", "has", "have", "does", "do")
    return opens, opens and k > i + 1


def _modal_after_subject(sent, i: int, limit: int) -> int | None:
    """Where the modal or verb of a clause opening after token i stands, at most a subject's length
    on and before `limit`; None if punctuation or a second coordinator comes first."""
    for k in range(i + 1, min(limit, i + 1 + SUBJECT_LENGTH)):
        word = sent[k].lower_
        if word in PREDICATE_MODALS:
            return k
        if word in (",", ";", ":", "(", ".") or (word in PREDICATE_COORDINATORS and k == i + 1):
            return None
    return None


def opens_verb_phrase(sent, i: int) -> bool:
    """Whether the coordinator at i starts a new verb phrase (see _opens_predicate)."""
    return _opens_predicate(sent, i, len(sent))[0]


_KNOWN: dict = {"doc": None, "answers": {}}   # answers about the doc being read, see _remembered


def _remembered(sent, question, *args):
    """question(sent, *args), asked once per document: every trigger's scope asks the same
    questions of the same tokens of its sentence."""
    if _KNOWN["doc"] is not sent.doc:
        _KNOWN["doc"], _KNOWN["answers"] = sent.doc, {}
    key = (question, sent.start, args)
    answers = _KNOWN["answers"]
    if key not in answers:
        answers[key] = question(sent, *args)
    return answers[key]


def _follows_verb_phrase(sent, i: int) -> bool:
    """Whether what stands before the coordinator at i holds a verb phrase of its own: in "no
    Agency or Contractor user shall", "or" joins two nouns of one subject."""
    return _remembered(sent, _verb_phrase_before, i)


def _verb_phrase_before(sent, i: int) -> bool:
    # "to host, operate and support the Hub and shall not": a coordinator right before a modal is
    # never inside a subject, so earlier coordinators join verbs
    modal_next = i + 1 < len(sent) and sent[i + 1].lower_ in PREDICATE_MODALS
    for k in range(i - 1, max(-1, i - 1 - SCOPE_TOKENS), -1):
        word = sent[k].lower_
        if word in PREDICATE_MODALS:
            return True
        if word in (";", ":"):
            return False
        if _opens_subordinate_clause(sent, k):
            return False   # "acknowledges that this Contract, its invoices and the logs may": one subject
        if word in PREDICATE_COORDINATORS and not modal_next and not any(t.text in (",", "(", ")") for t in sent[k + 1:i]):
            return False   # i stands inside the subject that this earlier coordinator opens
    return False


SUBORDINATORS = frozenset({"that", "whether", "which", "who"})


def _opens_subordinate_clause(sent, k: int) -> bool:
    """"that" opening a clause ("acknowledges that ..."), not pointing at a noun ("under that law")."""
    return sent[k].lower_ in SUBORDINATORS and (k == 0 or sent[k - 1].lower_ not in _POINTING_PREPOSITIONS)


SUBJECT_LENGTH = 12   # "and no camera owned or operated by a private entity shall ..."


def _starts_exception(sent, i: int) -> bool:
    return i < len(sent) and sent[i].lower_ in EXCEPTION_STARTS


def _lead_in(sent, boundary: int) -> tuple[int, int] | None:
    """The lead-in of the list whose item starts at `boundary`: the words before the list's ':'
    ("Vendor shall not: (a) ...; (b) sell Agency Data"), or before its first item where no ':'
    opens it ("may access the data to (a) troubleshoot; (b) improve its products")."""
    colon = boundary
    while colon >= 0 and sent[colon].text != ":":
        if sent[colon].text == "." or boundary - colon > 120:
            colon = -1
            break
        colon -= 1
    if colon < 0:
        first = _first_item(sent, boundary)
        if first is None:
            return None
        colon = first
    begin = colon
    while begin > 0 and sent[begin - 1].text != ";":
        begin -= 1
    return begin, colon


def _opens_list(sent, i: int) -> bool:
    """Whether a list opens at token i: a ':' before its "(a)", or an inline first item."""
    if sent[i].text == ":":
        return i + 1 < len(sent) and _is_enumerator(sent, i + 1)
    return _is_enumerator(sent, i) and _opens_inline_list(sent, i)


def _first_item(sent, boundary: int) -> int | None:
    """Where a list without a ':' opens: its first "(a)" or "(i)" at or before `boundary`."""
    for k in range(boundary, max(-1, boundary - 120), -1):
        if sent[k].text == ".":
            return None
        if _is_enumerator(sent, k) and _opens_inline_list(sent, k):
            return k
    return None


SCOPE_TOKENS = 150
# the only words that can end a predicate or open a list item: the scope's scans visit no others
_BOUNDARY_WORDS = frozenset({";", ":", "(", ",", "that"}) | PREDICATE_COORDINATORS
PROVISO_WORDS = frozenset({"save", "except", "provided"})


def _opens_proviso(sent, i: int, limit: int) -> bool:
    """Whether "save that", "except that" or "provided that" at i opens a clause with its own subject
    ("Customer owns the Customer Data, save that Vendor owns the Derived Data"): a trigger in it is
    read from there, and so are the words that rule it out; the main clause still reads its proviso
    as its own exception."""
    if sent[i].lower_ != "that" or i == 0 or sent[i - 1].lower_ not in PROVISO_WORDS:
        return False
    k = _modal_after_subject(sent, i, limit)
    return k is not None and k > i + 1   # a subject of its own stands before the modal


def _boundary_tokens(sent) -> list[int]:
    return [i for i, token in enumerate(sent) if token.lower_ in _BOUNDARY_WORDS]


def clause_scope(sent, start: int, end: int, predicates: bool = True) -> list[tuple[int, int]]:
    """The token ranges that hold what a trigger's predicate says, with the exceptions and provisos
    that qualify it: one sentence can hold several predicates ("shall use X only to provide the
    Services and shall not use it to train models"; "shall not: (a) ...; (b) sell Agency Data").

    The predicate runs back to a ';', a list item's "(b)" or a coordinator that opens a verb
    phrase with its own subject (one without a subject shares the subject before it), and forward
    to the next of these that is not an exception ("; provided that ..." stays with it). A list
    item also keeps its list's lead-in, whose subject and negation govern every item. With
    `predicates` false, only list items bound the scope: what the whole sentence is about (a
    recital, a records law) is read across its verb phrases."""
    return _remembered(sent, _clause_scope, start, end, predicates)


def _clause_scope(sent, start: int, end: int, predicates: bool) -> list[tuple[int, int]]:
    scope = []
    # a predicate is never longer than this: a dump of one endless "sentence" stays linear
    begin = max(0, start - SCOPE_TOKENS)
    bounds = _remembered(sent, _boundary_tokens)
    for i in reversed(bounds[bisect_left(bounds, begin):bisect_left(bounds, start)]):
        word = sent[i].lower_
        if word == ";" or (_is_enumerator(sent, i) and not _opens_inline_list(sent, i)):
            # an inline list's first item reads on from its lead-in: "shall not (a) sell the data"
            item = i + 1 if word == ";" else i
            while item < start and (_is_enumerator(sent, item) or sent[item].lower_ in ("and", "or")):
                item += 3 if _is_enumerator(sent, item) else 1
            if not _starts_exception(sent, item):
                lead = _lead_in(sent, i)
                if lead:
                    scope.append(lead)
                begin = i
                while begin > 0 and sent[begin - 1].lower_ in LIST_PUNCTUATION and sent[begin].lower_ != ";":
                    begin -= 1   # "; or (c)": the item starts at its ';', where a list's negation is read
                break
        elif (predicates and _opens_predicate(sent, i, end)[1]) or _opens_proviso(sent, i, end):
            begin = i - 1 if sent[i].lower_ == "that" else i
            break
    stop = min(len(sent), end + SCOPE_TOKENS)
    lead_in = False   # a trigger in a list's lead-in reads on through every item ("may access the data to (a) ...; (b) ...")
    for i in bounds[bisect_left(bounds, end):bisect_left(bounds, stop)]:
        word = sent[i].lower_
        if not lead_in and _opens_list(sent, i):
            lead_in = True
            continue
        if (not lead_in and ((word == ";" and not _starts_exception(sent, i + 1)) or (_is_enumerator(sent, i) and i > end))) or \
                (predicates and word not in EXCEPTION_STARTS and _opens_predicate(sent, i, len(sent))[0]):
            stop = i
            break
    scope.append((begin, stop))
    return scope


def in_scope(span: tuple[int, int], scope: list[tuple[int, int]]) -> bool:
    return any(span[0] < stop and span[1] > begin for begin, stop in scope)


def is_proviso_conjunction(sent, i: int) -> bool:
    """"provided" at i opening a proviso ("provided that", "provided, however,"), not the verb."""
    return sent[i].lower_ == "provided" and i + 1 < len(sent) and sent[i + 1].lower_ in ("that", ",", "however", "always")


def refers_back(sent, scope: list[tuple[int, int]]) -> bool:
    """Whether the predicate refers to a noun before it ("and shall not sell it"), as a proviso
    does to its clause ("after termination ..., except that de-identified data may be kept")."""
    if sent[scope[-1][0]].lower_ in PROVISO_WORDS:
        return True
    return any(sent[i].lower_ in ANAPHORS for begin, stop in scope for i in range(begin, stop))


def clause_end(sent, start: int) -> int:
    """Index where the trigger's clause ends going forward: a ';' or the end of the sentence."""
    for i in range(start, len(sent)):
        if sent[i].text == ";":
            return i
    return len(sent)


def exception_span(sent, end: int):
    """The text of an exception or proviso after the trigger, as a (start, stop) token range."""
    stop = clause_end(sent, end)
    words = [t.lower_ for t in sent[end:stop]]
    for i, word in enumerate(words):
        for cue in _EXCEPTION_CUE_WORDS.get(word, ()):
            if words[i:i + len(cue)] == cue:
                return end + i, stop
    return None


def is_restricted(sent, start: int, end: int) -> bool:
    """An affirmed trigger limited to a purpose or to consent: "may share only with the Agency's
    prior written consent", "license to host Agency Data solely to provide the Services"."""
    stop = min(clause_end(sent, end), end + 14)
    exc = exception_span(sent, end)
    if exc:
        stop = min(stop, exc[0])
    window = [t.lower_ for t in sent[max(0, start - 3):stop]]
    # "read-only access" names a kind of access, it limits nothing
    return any(cue in window and not (cue == "only" and _after_hyphen(window, "only")) for cue in RESTRICTION_CUES)


_TERM = r"(?:(?:this|the|its|their)\s+)?(?:(?:subscription|initial|contract|service|agreement|renewal)\s+)?" \
        r"(?:term|agreement|contract|subscription|mou|moa|memorandum|addendum|rider|dpa)\b"
_TIME_LIMIT = re.compile(
    rf"\b(?:for|during|throughout) the (?:duration|term|life|period) of\b|\b(?:during|throughout|for) {_TERM}"
    rf"|\b(?:only|solely) (?:while|so long as|as long as|until)\b|\b(?:while|so long as|as long as) {_TERM} "
    r"(?:is|remains) in (?:effect|force)"
    # (an aside may stand between: "expires, without further act, on the date ...")
    r"|\b(?:ends?|terminates?|expires?|ceases?|lapses?|is revoked)(?: automatically| immediately)?(?:, [^,;]{1,40},)? (?:when|once|upon|"
    r"on|at|with)\b(?! any)"
    rf"|\buntil (?:the )?(?:expiration|termination|end|expiry) of\b|\bco-?\s?terminous\b")
_OUTLASTS = re.compile(r"\bsurviv|\bperpetu|\birrevocabl|\bin perpetuity|\b(?:after|beyond|following|past) (?:the )?"
                       r"(?:term|termination|expiration|expiry|end)\b|\bthereafter\b")


def is_time_limited(sent, scope: list[tuple[int, int]]) -> bool:
    """A grant or right limited to the life of the agreement: "for the duration of the Term
    only", "during the term of this Contract", "ends when this Agreement ends", "exists only
    while the Agreement is in effect"; not one that also outlasts it ("survives termination")."""
    text = " ".join(sent[begin:stop].text.lower() for begin, stop in scope)
    return bool(_TIME_LIMIT.search(text)) and not _OUTLASTS.search(text)


_OPTIONAL = re.compile(
    r"\boptional(?:ly)?\b|\badd-?on\b|\bnot included\b|\bat (?:an )?(?:additional|extra) (?:cost|charge|fee)\b"
    r"|\bfor an? (?:additional|extra|separate) (?:fee|charge|cost)\b|\bavailable (?:as an? (?:option|upgrade)|"
    r"(?:only )?(?:on|with|under) (?:the|an?) \w+ (?:plan|tier|edition|package))"
    r"|\bif (?:the )?\w+ (?:enables|elects|purchases|opts|chooses|subscribes)\b|\bwhen enabled\b|\bif enabled\b"
    # "The Agency may designate its data as Restricted, in which case it will be available only to ..."
    r"|\bmay (?:designate|elect|choose|opt|request)\b.{0,80}\bin which case\b")


def is_optional(sent, scope: list[tuple[int, int]]) -> bool:
    """A protection offered only as an option: "available as an optional feature on the
    Enterprise plan", "if the Customer purchases the audit module", "not included in the plan"."""
    return bool(_OPTIONAL.search(" ".join(sent[begin:stop].text.lower() for begin, stop in scope)))


def _after_hyphen(words: list[str], cue: str) -> bool:
    return all(i > 0 and words[i - 1] == "-" for i, word in enumerate(words) if word == cue)


# Words after a party name that make it a label, not an actor: "Agency Data", "Customer's account".
_LABELLED = frozenset({"data", "content", "information", "footage", "reads", "records", "account", "accounts",
                       "'s", "’s", "materials", "images", "systems", "users", "user", "personnel", "policy",
                       "policies", "premises", "property", "confidential", "network"})


# a modal after a party marks it as the clause's subject ("grants" does not: its object holds the right)
SUBJECT_MODALS = frozenset({"shall", "may", "will", "must", "can", "cannot", "should", "might", "agrees", "agree"})


ENABLING_VERBS = frozenset({"allow", "allows", "permit", "permits", "authorize", "authorizes", "authorise",
                            "authorises", "let", "lets", "enable", "enables"})


def _is_enabled(sent, i: int) -> bool:
    """Whether the party at i is the object of a verb that lets it act ("permit the Vendor to ...")."""
    k = i - 1
    while k >= 0 and sent[k].lower_ in ("the", "a", "an", "its"):
        k -= 1
    return k >= 0 and sent[k].lower_ in ENABLING_VERBS


def actor(sent, start: int) -> str:
    """Who the clause is about: the agent of a passive ("sold by Vendor"), else the party named
    nearest before the trigger. Names used as labels ("Agency Data") are not actors. 'unknown'
    when no party is named."""
    for i in range(start + 1, min(len(sent) - 1, start + 4)):
        if sent[i].lower_ == "by" and role(sent[i + 1]) and not _is_label(sent, i + 1):
            return role(sent[i + 1]) or "unknown"
        if sent[i].lower_ == "by" and i + 2 < len(sent) and sent[i + 1].lower_ == "the" and role(sent[i + 2]):
            return role(sent[i + 2]) or "unknown"
    nearest: str | None = None
    for i in range(start - 1, max(-1, start - 1 - 25), -1):
        token = sent[i]
        if token.text == ";":
            break
        if role(token) and not _is_label(sent, i) and not _is_object(sent, i):
            party = role(token) or "unknown"
            if _is_enabled(sent, i):
                return party   # "agrees to allow the Vendor access to the data": the Vendor acts
            # the subject of the clause, followed by its modal ("the Town agrees to consult Strix and
            # obtain its approval"), wins over a party named after it as an object
            if any(t.lower_ in SUBJECT_MODALS for t in sent[i + 1:min(i + 3, start)]):
                return party
            nearest = nearest or party
    return nearest or "unknown"


_DETERMINERS = frozenset({"the", "a", "an", "your", "its", "their", "our", "each", "any", "such"})
_OBJECT_PREPOSITIONS = frozenset({"to", "for", "with", "of", "from", "towards", "toward", "between", "among"})
_NOUN_PHRASE_PREPOSITIONS = _OBJECT_PREPOSITIONS | {"at", "on", "by", "under"}
_POINTING_PREPOSITIONS = _NOUN_PHRASE_PREPOSITIONS | {"in", "as"}   # "under that law", "in that case"


def _is_object(sent, i: int) -> bool:
    """A party named after a preposition ("provide the Services to Customer") is not the one
    acting; "by Vendor" is, and is read as such."""
    if any(t.lower_ == "behalf" for t in sent[i + 1:i + 4]):
        return True   # "on your agency's behalf", "on its behalf"
    before = i - 1
    while before >= 0 and sent[before].lower_ in _DETERMINERS:
        before -= 1
    return before >= 0 and sent[before].lower_ in _OBJECT_PREPOSITIONS


def _is_label(sent, i: int) -> bool:
    return i + 1 < len(sent) and sent[i + 1].lower_ in _LABELLED


def names_data(sent, end: int, data_nouns: frozenset[str]) -> bool:
    """Whether the words ending at `end` begin a defined term for data: "Platform Records",
    "Camera Data" name the agency's data, not the platform or the cameras a rule sets aside."""
    return 0 < end < len(sent) and sent[end - 1].text[:1].isupper() and sent[end].text[:1].isupper() \
        and sent[end].lower_ in data_nouns and sent[end - 1].lower_ not in data_nouns


NEGATED_OBJECTS = frozenset({"no", "nobody", "none", "neither"})


_MATCHED = frozenset({"matched", "compared", "checked", "screened", "run"})


def describes_data(sent, start: int) -> bool:
    """Words that say which data is meant, not what is done: the hot list in "ALPR data matched to
    the Hot List Feed", "reads compared against NCIC"."""
    for k in range(start - 1, max(0, start - 5), -1):   # over "the state", "its own"
        word = sent[k].lower_
        if word in ("to", "against", "with"):
            return sent[k - 1].lower_ in _MATCHED
        if not sent[k].is_alpha:
            return False
    return False


# the words that may join two nouns of one list, besides the names' own capitalised words
_LIST_WORDS = frozenset({"and", "or", ",", "the", "any", "all", "its", "such", "other", "each", "of"})


def coordinated(sent, first: tuple[int, int], second: tuple[int, int]) -> bool:
    """Whether two spans, one after the other, are nouns of one list: "the Usage Data and the
    Derived Insights" ("and" or "or", and between them only list words and capitalised words of a
    name, at most four tokens; a comma alone may open an aside). A party's name in either or
    between them is no noun of a list of data."""
    (begin, end), (start, stop) = sorted([first, second])
    between = sent[end:start]
    return 0 < len(between) <= 4 and any(t.lower_ in ("and", "or") for t in between) and \
        all(t.lower_ in _LIST_WORDS or (t.is_alpha and t.text[:1].isupper()) for t in between) and \
        all(role(t) is None for t in sent[begin:stop])


# the nouns that end the name of a document ("the Equipment Lease and Data Services Agreement")
DOCUMENT_NOUNS = frozenset({"agreement", "contract", "addendum", "amendment", "memorandum", "mou", "moa", "rider"})
_TITLE_JOINERS = frozenset({"and", "of", "for", "&", "-", "/", "on"})
TITLE_TOKENS = 6   # words of a name between a trigger and the document noun that ends it


def in_document_title(sent, start: int, end: int) -> bool:
    """Whether a trigger is a word of a document's capitalised name, which names the document and
    says nothing of what it lets anyone do ("the Equipment Lease and Data Services Agreement"). A
    trigger that holds the document noun itself ("a data sharing agreement") is no name's word, and
    in capitals ("TOTAL LIABILITY UNDER THIS AGREEMENT") every word looks like a name's."""
    words = [t for t in sent[start:end] if t.lower_ not in _TITLE_JOINERS]
    if any(t.lower_ in DOCUMENT_NOUNS for t in sent[start:end]) or \
            not all(t.is_alpha and t.text[:1].isupper() and not t.text.isupper() for t in words):
        return False
    for k in range(end, min(end + TITLE_TOKENS + 1, len(sent))):
        token = sent[k]
        if token.lower_ in DOCUMENT_NOUNS:
            return token.text[:1].isupper()
        if token.lower_ not in _TITLE_JOINERS and not (token.is_alpha and token.text[:1].isupper()):
            return False
    return False


_REFERENCE_WORDS = frozenset({"section", "sections", "article", "clause", "paragraph", "term", "schedule", "exhibit"})


def in_reference_title(sent, start: int, end: int) -> bool:
    """Whether a trigger is the title of a cross-reference, "Section 9.2 (Automatic Renewal)": it
    names the provision, which another sentence states."""
    opening = next((k for k in range(start - 1, max(-1, start - TITLE_TOKENS - 1), -1)
                    if sent[k].text in ("(", ")")), None)
    if opening is None or sent[opening].text != "(" or opening < 2:
        return False
    number, word = sent[opening - 1], sent[opening - 2]
    return word.lower_ in _REFERENCE_WORDS and any(c.isdigit() for c in number.text) and \
        any(sent[k].text == ")" for k in range(end, min(end + TITLE_TOKENS, len(sent))))


def is_concessive(sent, start: int) -> bool:
    """Words in a clause that says the rest holds either way: "the property of the Authority,
    whether held by Contractor or the Authority" names no owner."""
    return any(sent[k].lower_ in ("whether", "regardless") for k in range(max(0, start - 2), start))


def has_negated_object(sent, end: int) -> bool:
    """"shall make it available to no other agency", "share it with nobody", "shares no data with":
    the negation sits in the object, right after the trigger's verb or the preposition it opens."""
    if end < len(sent) - 1 and sent[end].lower_ in ("no", "none") and sent[end + 1].lower_ not in NOT_NEGATING_NO:
        return True
    for i in range(max(end - 1, 0), min(end + OBJECT_TOKENS, len(sent) - 1)):
        if sent[i].is_punct:
            break
        if sent[i].lower_ in ("to", "with") and sent[i + 1].lower_ in NEGATED_OBJECTS:
            return not (i + 2 < len(sent) and sent[i + 2].lower_ in NOT_NEGATING_NO)
    return False


# "no later than", "shares no less than monthly reports", "at no cost": a "no" that negates nothing
NOT_NEGATING_NO = frozenset({"later", "more", "less", "fewer", "longer", "cost", "charge"})
OBJECT_TOKENS = 5   # "share [Agency Data] with no ...": the object between the verb and its preposition


# "Section 4.1 does not apply to copies ...": the negation lifts a provision; it neither grants nor
# forbids what follows
_LIFTED = frozenset({"apply", "applies", "cover", "covers", "extend", "extends", "affect", "affects"})


def lifts_a_provision(sent, start: int) -> bool:
    for i in range(start - 1, max(-1, start - 8), -1):
        if sent[i].lower_ in _LIFTED and i > 0 and sent[i - 1].lower_ in ("not", "n't", "never"):
            return True
        if sent[i].text in (",", ";", ":"):
            return False
    return False


# "The County should seek an amendment requiring deletion": advice, in an assessment or a report,
# not a term (a contract binds with shall, will, must or agrees)
ADVISORY = frozenset({"should", "recommend", "recommends", "recommended", "consider", "considers", "encourage",
                      "encourages", "encouraged", "suggest", "suggests"})
BINDING = frozenset({"shall", "will", "must", "agrees", "agree", "may"})


def is_advisory(sent, start: int, scope: list[tuple[int, int]]) -> bool:
    begin = scope[-1][0]
    words = [t.lower_ for t in sent[begin:start]]
    return any(w in ADVISORY for w in words) and not any(w in BINDING for w in words)


# Minutes and reports tell what people said ("Councilmember Gravois asked whether the vendor sells
# data"; "the manager stated that it never will"): a report of speech is no term, whatever it says.
REPORTING_VERBS = frozenset({"stated", "said", "asked", "noted", "expressed", "explained", "questioned", "commented",
                             "indicated", "responded", "argued", "remarked", "replied", "suggested", "urged", "moved",
                             "spoke", "testified", "wondered", "complained"})
REPORTED_OBJECTS = frozenset({"that", "whether", "if", "about", "concern", "concerns", "support", "a", "an", "the",
                              "to", ":", '"', "“", "she", "he", "they", "it", "in"})
NOT_A_SPEAKER = frozenset({"as", "otherwise", "expressly", "herein", "above", "below", "hereinafter", "previously",
                           "specifically", "unless", "where", "except", "so"})
SPEAKER_TOKENS = 14   # "Dana Lindqvist, representing the Civil Liberties Circle, asked that ..."


def is_reported_speech(sent) -> bool:
    """Whether the sentence reports what a named person said or asked: a capitalised speaker, then a
    past-tense verb of saying, before any modal."""
    for i, token in enumerate(sent[:SPEAKER_TOKENS]):
        word = token.lower_
        if word in PREDICATE_MODALS:
            return False
        if word in REPORTING_VERBS and i > 0 and i + 1 < len(sent):
            return sent[i - 1].lower_ not in NOT_A_SPEAKER and sent[i + 1].lower_ in REPORTED_OBJECTS and \
                any(t.text[:1].isupper() for t in sent[:i])
    return False
