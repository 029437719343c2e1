"""What kind of document an input is, from its text: an agreement, an amendment, an order form or
a policy (operative documents, which get rule verdicts), or correspondence, data or something
else (listed with the reason, never judged, so a README or a CSV is never "missing" safeguards).

The signals, in the order they decide: no readable text; lines that are data or code rather than
sentences; a title in the first lines; e-mail or memo headers; a contract heading further in
(terms pasted into an e-mail, an agreement inside a council packet); contract language (a
preamble, "shall"); a letter's greeting. The word lists are in kinds.yaml."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .models import (AGREEMENT, AMENDMENT, COPY, CORRESPONDENCE, DATA, JUDGED, OPERATIVE, ORDER_FORM, OTHER, POLICY,
                     REPORT, UNREAD, Document)
from .parties import AGENCY_WORDS, VENDOR_WORDS, detect_parties

KIND_LABELS = {AGREEMENT: "agreement", AMENDMENT: "amendment", ORDER_FORM: "order form", POLICY: "policy",
               REPORT: "staff report",
               CORRESPONDENCE: "correspondence", DATA: "data", OTHER: "other", UNREAD: "not read",
               COPY: "copy"}
MINUTES = "minutes"   # a title kind only: judged as a report when it states contract terms, else other
# Title words that name a document which is not a contract.
NOT_CONTRACT_TITLES = {"invoice": "an invoice", "notes": "notes"}

TEXT_FORMATS = {"txt"}   # plain text (and Markdown): may be data; of two copies, the one not judged
TITLE_LINES = 8          # a title is among the first lines of the first page
TITLE_MAX_CHARS = 100
HEADING_MAX_WORDS = 12
HEADING_CAPITALS = 0.75
SMALL_WORDS = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
HEADER_LINES = 15        # e-mail headers are among the first lines


@dataclass(frozen=True)
class DocumentKind:
    kind: str
    reason: str

    @property
    def judged(self) -> bool:
        return self.kind in JUDGED


@dataclass(frozen=True)
class _Lists:
    titles: dict[str, re.Pattern]
    headers: re.Pattern
    salutations: re.Pattern
    closings: re.Pattern
    contract_phrases: re.Pattern
    obligations: re.Pattern
    thresholds: dict


def _words_pattern(items: list[str], anchored: bool = False) -> re.Pattern:
    body = "|".join(f"(?:{item})" for item in items)
    # whole words: "contract" is not the one of "Real-contract notes" or "contracts"
    return re.compile(rf"^\s*(?:{body})\b" if anchored else rf"(?<![\w-])(?:{body})(?![\w-])", re.I)


@lru_cache(maxsize=1)
def lists() -> _Lists:
    data = yaml.safe_load((Path(__file__).with_name("kinds.yaml")).read_text(encoding="utf-8"))
    return _Lists(titles={kind: _words_pattern(words) for kind, words in data["titles"].items()},
                  # "Subject: ..." in an e-mail, "Subject Resolution 2026-041" in a staff memo
                  headers=re.compile(rf"^\s*(?i:{'|'.join(data['message_headers'])})(?:\s*:|\s+(?=[A-Z0-9]))"),
                  salutations=_words_pattern(data["salutations"], anchored=True),
                  closings=_words_pattern(data["closings"], anchored=True),
                  contract_phrases=_words_pattern(data["contract_phrases"]),
                  obligations=_words_pattern(data["obligation_words"]),
                  thresholds=data["thresholds"])


_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# a form's tick box ("[X] Fixed cameras (4)") opens a line of prose, not of code
_CODE = re.compile(r"^(?!\s*(?:\[[ xX✓✔]?\]|[☐□☑☒])\s*[A-Za-z])(?:\s*(?:def |class |import |from \S+ import |#!|//|/\*|"
                   r"\*/|[{}\[\]]|<[a-zA-Z/!?]|return\b|if .*:$|for .*:$|[\w.\"'-]+\s*[:=]\s*[\[{(\"'0-9tfn])|.*[;{]\s*$|"
                   r".*\)\s*:?\s*$)")
_DELIMITERS = (",", "\t", ";", "|")


def _is_data_line(line: str) -> str | None:
    """'table' for a row of delimited fields, 'code' for code or settings, None for anything else."""
    for delimiter in _DELIMITERS:
        fields = [f.strip() for f in line.strip().strip("|").split(delimiter)]
        if len(fields) >= 3 and sum(len(_WORD.findall(f)) <= 3 for f in fields) >= 0.8 * len(fields):
            return "table"
    if _CODE.match(line):
        return "code"
    return None


def classify(document: Document) -> DocumentKind:
    if document.status == "error":
        return DocumentKind(UNREAD, f"not read: {document.error or 'the file could not be read.'}")
    pages = [p for p in document.pages if not p.unreadable_reason]
    text = "\n".join(p.text for p in pages)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # counted line by line: a list of a long document's words would take a hundred MB
    line_words = [len(_WORD.findall(line)) for line in lines]
    words = sum(line_words)
    limits = lists().thresholds
    if words < limits["min_words"]:
        if document.pages_unreadable:
            return DocumentKind(UNREAD, "pages that could not be read may hold contract terms.")
        return DocumentKind(OTHER, f"no text to read ({words} words), e.g. a photo or a blank page")

    # only a plain text file is data by its lines: a PDF or Word table is an order form's as often as a log's
    if document.kind in TEXT_FORMATS:
        data_lines = {"table": 0, "code": 0}
        prose = 0
        for line, count in zip(lines, line_words):
            kind = _is_data_line(line)
            if kind:
                data_lines[kind] += 1
            elif count >= 4:
                prose += 1
        counted = prose + sum(data_lines.values())
        if counted and prose / counted < limits["min_prose_share"]:
            main = max(data_lines, key=lambda kind: data_lines[kind])
            share = round(100 * data_lines[main] / counted)
            what = "a table of delimited values" if main == "table" else "source code or settings"
            return DocumentKind(DATA, f"{what}: {share}% of its lines are not sentences")

    patterns = lists()
    header_lines = [line for line in lines[:HEADER_LINES] if patterns.headers.match(line)]
    is_message = document.kind == "email" or len(header_lines) >= 2
    obligations = len(patterns.obligations.findall(text)) + _named_party_promises(text)
    rate = 1000 * obligations / words
    phrase = patterns.contract_phrases.search(text)   # the first is the one named
    contract_language = (phrase and obligations >= limits["min_obligations"] and rate >= limits["min_obligation_rate"]) \
        or (obligations >= 2 and rate >= limits["strong_obligation_rate"]) \
        or (obligations and words < limits["short_words"])
    language = f"{obligations} word{'' if obligations == 1 else 's'} of obligation ('shall', 'agrees')" + \
        (f" and '{phrase.group(0).lower()}'" if phrase else "")

    title_lines = [line for line in lines if not patterns.headers.match(line)][:TITLE_LINES]
    for line in title_lines:
        if len(line) > TITLE_MAX_CHARS or not _heading_like(line):
            continue
        kind = _title_kind(line)
        if kind == MINUTES:
            # terms read into the record come without a preamble: their words of obligation are enough
            if obligations >= limits["min_obligations"] and rate >= limits["min_obligation_rate"]:
                return DocumentKind(REPORT, f"minutes that state contract terms (titled '{_short(line)}'), {language}")
            return DocumentKind(OTHER, f"minutes of a meeting without contract terms (titled '{_short(line)}')")
        if kind in NOT_CONTRACT_TITLES:
            return DocumentKind(OTHER, f"{NOT_CONTRACT_TITLES[kind]} (titled '{_short(line)}')")
        if kind and (not is_message or kind == REPORT):   # a staff report comes with a memo's To/From lines
            return DocumentKind(kind, f"titled '{_short(line)}'")

    heading = _contract_heading(document, patterns)
    if heading and obligations >= limits["heading_obligations"]:
        kind, line, page = heading
        where = f"contract terms in a message or memo: heading '{_short(line)}' on page {page}" if is_message \
            else f"heading '{_short(line)}' on page {page}"
        return DocumentKind(kind, f"{where}, {language}")
    if is_message:
        return DocumentKind(CORRESPONDENCE, "an e-mail or memo (From/To/Subject lines) without contract terms")
    if contract_language:
        return DocumentKind(AGREEMENT, f"contract language: {language}")
    if any(patterns.salutations.match(line) for line in lines[:20]) or \
            any(patterns.closings.match(line) for line in lines[-15:]):
        return DocumentKind(CORRESPONDENCE, "a letter (a greeting or a closing) without contract terms")
    return DocumentKind(OTHER, "no contract title, preamble or clauses of obligation "
                               f"({language.split(' (')[0]} in {words} words)")


def _named_party_promises(text: str) -> int:
    """Promises made by the short names the document gives its parties ("Strix will not enroll
    the Town's cameras"): a letter agreement binds by name, seldom with "shall"."""
    parties = detect_parties(text)
    names = (parties["vendor"] - VENDOR_WORDS) | (parties["agency"] - AGENCY_WORDS)
    if not names:
        return 0
    promise = re.compile(rf"\b(?:{'|'.join(sorted(map(re.escape, names)))})\s+(?:will|may)\b", re.I)
    return len(promise.findall(text))


def _title_kind(line: str) -> str | None:
    for kind, pattern in lists().titles.items():
        if pattern.search(line):
            return kind
    return None


def _contract_heading(document: Document, patterns: _Lists) -> tuple[str, str, int] | None:
    """The first heading-like line (short, capitals or title case) naming an operative document."""
    for page in document.pages:
        for line in page.text.splitlines():
            line = line.strip().strip("#*_ ").strip()
            if len(line.split()) > HEADING_MAX_WORDS or patterns.headers.match(line) or not _heading_like(line):
                continue
            kind = _title_kind(line)
            if kind in OPERATIVE:
                return kind, line, page.number
    return None


def _heading_like(line: str) -> bool:
    """Set as a title: most words capitalised, as in "Master Services Agreement"."""
    words = [w for w in _WORD.findall(line) if w.lower() not in SMALL_WORDS]
    return bool(words) and sum(w[0].isupper() for w in words) >= HEADING_CAPITALS * len(words)


def _short(line: str, limit: int = 70) -> str:
    line = " ".join(line.strip("#*_ ").split())
    return line if len(line) <= limit else line[:limit - 1].rstrip() + "…"


@lru_cache(maxsize=1)
def version() -> str:
    """A hash of the classifier and its word lists, part of the key of cached results."""
    import hashlib
    here = Path(__file__)
    return hashlib.sha256(here.read_bytes() + here.with_name("kinds.yaml").read_bytes()).hexdigest()[:12]


# A copy: this share of a document's four-word sequences occurs in another judged document.
COPY_SHARE = 0.8
SHINGLE = 4


def _shingles(document: Document) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", "\n".join(p.text for p in document.pages).lower())
    return {tuple(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def _same_parties(a: dict, b: dict) -> bool:
    """Both name the same agency and vendor, where both name one: two towns' copies of one
    template are different contracts."""
    return all(a.get(k) == b.get(k) for k in ("agency_name", "vendor_name") if a.get(k) and b.get(k))


def mark_copies(results) -> None:
    """A plain-text document whose text is (almost) all in a PDF, Word file or message of the
    same parties (the source text beside the signed PDF, an excerpt of a packet) is listed as a
    copy and not judged again, so a town's verdicts count each contract once. Two PDFs are
    never copies: two towns may sign the same template."""
    judged = [r for r in results if r.judged and r.document.status != "error"]
    originals = [r for r in judged if r.document.kind not in TEXT_FORMATS]
    if not originals or len(originals) == len(judged):
        return
    shingles = {id(r): _shingles(r.document) for r in judged}
    for r in judged:
        mine = shingles[id(r)]
        if r.document.kind not in TEXT_FORMATS or not mine:
            continue
        share, original = max(((len(mine & shingles[id(o)]) / len(mine), o) for o in originals
                               if _same_parties(r.parties, o.parties)), key=lambda pair: pair[0], default=(0, None))
        if share >= COPY_SHARE and original is not None:
            r.document_kind = COPY
            r.kind_reason = f"a copy of {Path(original.document.file).name} ({round(100 * share)}% of its text), " \
                            "judged there"
            r.findings, r.summary, r.law = [], {}, []
            r.copy_of = original.document.file   # the same document: it belongs to the same town
