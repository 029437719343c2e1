"""Contract facts: who signed, when, for how long, how many cameras, at what price.

Order forms state these in tables (read from PDF pages by pdfplumber at extraction, see
extract/tables.py; DOCX and text tables arrive as "cell | cell" lines), contracts in prose
("for an initial term of twenty-four (24) months"). Each fact keeps the words it was read from
and its page. A fact the document does not state is None: nothing is inferred or defaulted."""
from __future__ import annotations

import datetime
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from .models import Document
from .quantities import MONEY, NUMBER_WORDS, URL, durations, tidy, usd, words_to_number

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]
_MONTH = "|".join(m.capitalize() for m in MONTHS)
DATE = re.compile(rf"\b(?:(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})|"
                  rf"(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+day\s+of\s+(?P<month2>{_MONTH}),?\s+(?P<year2>\d{{4}})|"
                  r"(?P<m3>\d{1,2})/(?P<d3>\d{1,2})/(?P<y3>\d{4})|(?P<y4>\d{4})-(?P<m4>\d{2})-(?P<d4>\d{2}))\b")
EFFECTIVE = re.compile(r"(?:\b(?:effective|entered\s+into|made|dated)\s+(?:and\s+entered\s+into\s+)?(?:as\s+of|on)\s+"
                       r"(?:this\s+)?|\bEffective\s+Date[\"”)]*\s*(?:[:|]|means|is|shall\s+be)\s*)$", re.I)
# The words that introduce a term ("for an initial term of"), and the same words ending the text
# before a duration, within a few words of it; a page without the words has no term to read.
INITIAL_TERM_WORDS = re.compile(r"(?:initial\s+(?:term|period)|term\s+of\s+(?:this|the)\s+(?:agreement|contract)|"
                                r"for\s+a\s+term|agreement\s+term)")   # in lower case: see _finditer_any_case
INITIAL_TERM = re.compile(rf"\b{INITIAL_TERM_WORDS.pattern}\b[^.;$]{{0,30}}$", re.I)
RENEWAL_TERM_WORDS = re.compile(r"(?:renewal\s+(?:terms?|periods?)|renew(?:s|ed)?\s+(?:automatically\s+)?for)")
RENEWAL_TERM = re.compile(rf"\b{RENEWAL_TERM_WORDS.pattern}\b[^.;$]{{0,40}}$", re.I)
NOT_A_LENGTH = re.compile(r"greater|lesser|longer|shorter|equal|notice|before|prior|within|after|at\s+least|giving", re.I)
CAMERA_WORDS = re.compile(r"\b(?:cameras?|readers?|(?:a?lpr|anpr)\s+units?)\b", re.I)
NOT_A_CAMERA = re.compile(r"\b(?:fees?|install\w*|set-?up|training|discount|relocat\w*|removal|shipping|"
                          r"service\s+credit|support\s+only)\b", re.I)
# A count of cameras only where the sentence buys or installs them ("install twelve (12) cameras"),
# not "a single camera offline" in a support table.
SUPPLY = re.compile(r"\b(?:purchas|install|deploy|provid|leas|order|subscri|quantity|consist|includ|suppl|furnish|"
                    r"rent|deliver)\w*[^.;]{0,80}$", re.I)
CAMERA_COUNT = re.compile(rf"\b(?:(?P<digits>\d{{1,4}})|(?P<words>{NUMBER_WORDS})(?:\s*\((?P<paren>\d{{1,4}})\))?)\s+"
                          r"(?:(?:fixed|mobile|portable|solar|stationary|additional|new|a?lpr|anpr|license\s+plate\s+"
                          r"reader|automated|\(?a?lpr\)?)\s+){0,4}(?P<noun>camera\s+units?|cameras?|readers?|"
                          r"(?:vehicle-mounted|mobile|portable|fixed|trailer)\s+units?)\b", re.I)
CAMERA_COUNT_LOWER = re.compile(CAMERA_COUNT.pattern)   # see _finditer_any_case
# "$2,500 per camera per year", or "an annual fee of $2,500 per camera"
PER_CAMERA = re.compile(r"\s*(?:per|a|each|/)\s*(?:camera|reader|unit)\b(?P<year>[^.;$]{0,30}?\b(?:per\s+year|"
                        r"a\s+year|each\s+year|per\s+annum|annually|/\s*(?:year|yr)))?", re.I)
ANNUAL_BEFORE = re.compile(r"\b(?:annual|yearly)\b[^.;$]{0,40}$", re.I)
TOTAL_VALUE = re.compile(r"\b(?:total\s+contract\s+(?:value|price|amount|cost|sum)|contract\s+total|"
                         r"total\s+(?:cost|price|value|amount)\s+of\s+(?:this|the)\s+(?:agreement|contract)|"
                         r"not[-\s]to[-\s]exceed\s+(?:amount|total|price|sum))\b", re.I)
ATTACHMENT = re.compile(r"^\s*(EXHIBIT|Exhibit|SCHEDULE|Schedule|ATTACHMENT|Attachment|APPENDIX|Appendix|ANNEX|Annex)"
                        r"\s+([A-Z]|[0-9]{1,2})(?:\s*(?:--|-|–|—|:)\s*.*|\s+[A-Z][A-Z ,&/'-]+)?\s*$")
# What may surround a web address printed as a page's own header or footer by a browser.
PRINTED_ADDRESS = re.compile(r"^[\d\s/:,.APMapm-]*$")


@dataclass
class Fact:
    value: str | int | float      # ISO date, months, count, or US dollars
    text: str                     # the words it was read from
    page: int


@dataclass
class ContractFacts:
    vendor: Fact | None = None
    agency: Fact | None = None
    effective_date: Fact | None = None
    initial_term_months: Fact | None = None
    renewal_term_months: Fact | None = None
    cameras: Fact | None = None
    price_per_camera_year: Fact | None = None      # USD
    total_contract_value: Fact | None = None       # USD
    attachments: list[str] = field(default_factory=list)   # "Exhibit A": exhibits the document itself carries
    web_address: str | None = None   # the address a printed web page shows as its own

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, entry: dict) -> ContractFacts:
        """From a cached entry; raises TypeError or KeyError for one of another shape."""
        facts: dict[str, Any] = {k: Fact(**v) if isinstance(v, dict) else v for k, v in entry.items()}
        return cls(**facts)


FIELDS = ["vendor", "agency", "effective_date", "initial_term_months", "renewal_term_months", "cameras",
          "price_per_camera_year", "total_contract_value"]
MONEY_FIELDS = {"price_per_camera_year", "total_contract_value"}
LABELS = {"vendor": "Vendor", "agency": "Agency", "effective_date": "Effective date",
          "initial_term_months": "Initial term (months)", "renewal_term_months": "Renewal term (months)",
          "cameras": "Cameras", "price_per_camera_year": "Price per camera per year (USD)",
          "total_contract_value": "Total contract value (USD)"}


def read_facts(document: Document, parties: dict) -> ContractFacts:
    facts = ContractFacts()
    pages = [(p.number, " ".join(p.text.split())) for p in document.pages if p.text]
    for role in ("vendor", "agency"):
        name = parties.get(f"{role}_name")
        if name:
            page = next((n for n, text in pages if name in text), 1)
            setattr(facts, role, Fact(value=name, text=name, page=page))
    tables = list(_tables(document))
    facts.effective_date = _effective_date(tables, pages)
    facts.initial_term_months = _term(tables, pages, r"initial\s+term|term\s+of\s+agreement|contract\s+term",
                                      INITIAL_TERM, INITIAL_TERM_WORDS)
    facts.renewal_term_months = _term(tables, pages, r"renewal\s+term", RENEWAL_TERM, RENEWAL_TERM_WORDS)
    facts.cameras, facts.price_per_camera_year = _cameras_and_price(tables, pages)
    facts.total_contract_value = _total(tables, pages)
    facts.attachments = _attachments(document)
    facts.web_address = _web_address(document)
    return facts


# --- tables ---------------------------------------------------------------------------------

def _tables(document: Document):
    """(page, rows) of every table: pdfplumber's for PDF pages, "a | b" or tab-separated lines
    (DOCX rows, text tables) for the rest; consecutive lines form one table."""
    for page in document.pages:
        for table in page.tables:
            yield page.number, [[" ".join((c or "").split()) for c in row] for row in table]
        rows: list[list[str]] = []
        for line in page.text.splitlines() + [""]:
            # a line without a bar or a tab is one cell, not a row
            cells = [c.strip() for c in CELL_SEPARATOR.split(line.strip().strip("|")) if c.strip()] \
                if "|" in line or "\t" in line else []
            if len(cells) >= 2:
                rows.append(cells)
            elif line.strip() or not rows:
                if rows:
                    yield page.number, rows
                rows = []
        if rows:
            yield page.number, rows


CELL_SEPARATOR = re.compile(r"\s\|\s|\t")


def _money(text: str) -> float | None:
    m = MONEY.search(text)
    if not m or re.search(r"\(\s*\$", text):   # "($2,000.00)" is a credit, not a price
        return None
    return usd(m)


def _months(text: str) -> tuple[int | float, str] | None:
    """The first duration in months or years in `text`, in months ("Twenty-four (24) months" = 24,
    "one (1) year" = 12); a term is never stated in days, so "sixty (60) days" is a notice period."""
    for days, words, _start, _end in durations(text):
        if re.search(r"year|yr", words, re.I):
            return tidy(days / 365 * 12), words
        if re.search(r"month|\bmos?\b", words, re.I):
            return tidy(days / 30), words
    return None


def _row_value(tables, label: str, parse):
    """The parsed value of the first table row whose first cell is `label` (a pattern)."""
    for page, rows in tables:
        for row in rows:
            if re.match(rf"^(?:{label})\b", row[0], re.I):
                for cell in row[1:]:
                    value = parse(cell)
                    if value is not None:
                        return page, row, cell, value
    return None


# --- the facts ------------------------------------------------------------------------------

def _iso(m: re.Match) -> str | None:
    g = m.groupdict()
    if g["month"] or g["month2"]:
        month = MONTHS.index((g["month"] or g["month2"]).lower()) + 1
        day, year = int(g["day"] or g["day2"]), int(g["year"] or g["year2"])
    elif g["m3"]:
        month, day, year = int(g["m3"]), int(g["d3"]), int(g["y3"])
    else:
        month, day, year = int(g["m4"]), int(g["d4"]), int(g["y4"])
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None   # "February 31": not a date, so no effective date rather than a wrong one


def _effective_date(tables, pages) -> Fact | None:
    hit = _row_value(tables, r"effective\s+date", lambda c: (m := DATE.search(c)) and _iso(m))
    if hit:
        page, _row, cell, value = hit
        date = DATE.search(cell)
        assert date is not None, "the cell was read as a date"
        return Fact(value=value, text=date.group(0), page=page)
    for number, text in pages:
        if not _mentions(text, "effective", "entered", "made", "dated"):
            continue   # DATE is slow to run over a page, and EFFECTIVE needs one of these words
        for m in DATE.finditer(text):
            if EFFECTIVE.search(text[max(0, m.start() - 60):m.start()]) and (iso := _iso(m)):
                return Fact(value=iso, text=m.group(0), page=number)
    return None


# Two letters that re.I matches to "i" and "s" but that lower() keeps as they are.
_FOLD = str.maketrans({"\u0131": "i", "\u017f": "s"})


def _finditer_any_case(pattern: re.Pattern, text: str):
    """Matches of a pattern written in lower case, as if compiled with re.I: it runs on the lower-
    cased text, several times faster over a page, unless lower-casing moves characters ("İ")."""
    lowered = text.lower()
    if "\u0131" in lowered or "\u017f" in lowered:
        lowered = lowered.translate(_FOLD)
    if len(lowered) != len(text):
        return re.compile(pattern.pattern, re.I).finditer(text)
    return pattern.finditer(lowered)


def _mentions(text: str, *words: str) -> bool:
    """Whether a page has any of these words (in any case): a cheap test before a slow pattern."""
    lowered = text.lower()
    return any(word in lowered for word in words)


def _term(tables, pages, label: str, context: re.Pattern, context_words: re.Pattern) -> Fact | None:
    """The term in months: from a table row labelled `label`, else from a duration that `context`
    (`context_words` ending just before it) introduces."""
    hit = _row_value(tables, label, _months)
    if hit:
        page, _row, _cell, (months, words) = hit
        return Fact(value=months, text=words, page=page)
    for number, text in pages:
        if next(_finditer_any_case(context_words, text), None) is None:
            continue   # reading every duration on a page is slow; most pages name no term
        for _days, words, start, end in durations(text):
            before = text[max(0, start - 70):start]
            m = context.search(before)
            if m and not NOT_A_LENGTH.search(before[m.start():]) and (months := _months(words)):
                return Fact(value=months[0], text=text[max(0, start - 70) + m.start():end].strip(" ."), page=number)
    return None


def _cameras_and_price(tables, pages) -> tuple[Fact | None, Fact | None]:
    """From a price table: the quantities of the camera lines, and the yearly price of the
    camera line with the most units (the other lines' prices are in the text); else from prose."""
    for page, rows in tables:
        header = [c.lower() for c in rows[0]]
        qty = next((i for i, c in enumerate(header) if re.search(r"\b(?:qty|quantity|units|cameras)\b", c)), None)
        price = next((i for i, c in enumerate(header) if re.search(r"\b(?:unit\s+price|price|rate|unit\s+cost)\b", c)),
                     None)
        if qty is None:
            continue
        lines = []
        for row in rows[1:]:
            if len(row) != len(header) or not CAMERA_WORDS.search(row[0]) or NOT_A_CAMERA.search(row[0]):
                continue
            count = words_to_number(row[qty]) if not row[qty].strip().isdigit() else int(row[qty])
            if count:
                yearly = price is not None and re.search(r"\bannual|\byear|/\s*yr", " ".join(row), re.I)
                lines.append((int(count), row[0], _money(row[price]) if yearly else None,
                              row[price] if price is not None else ""))
        if lines:
            total = sum(n for n, *_ in lines)
            cameras = Fact(value=total, text="; ".join(f"{n} × {name}" for n, name, *_ in lines), page=page)
            priced = sorted(((n, name, yearly_price, raw) for n, name, yearly_price, raw in lines if yearly_price is not None),
                            key=lambda line: -line[0])
            per_camera = Fact(value=priced[0][2], text="; ".join(f"{raw} a year ({name})" for _n, name, _v, raw
                                                                 in priced), page=page) if priced else None
            return cameras, per_camera
    return _cameras_in_prose(pages), _price_in_prose(pages)


def _cameras_in_prose(pages) -> Fact | None:
    """The first count of two or more cameras where a sentence supplies them, plus the other
    units counted in the same sentence ("six (6) fixed camera units and two (2) mobile units")."""
    for number, text in pages:
        if not _mentions(text, "cameras", "readers", "units"):
            continue   # CAMERA_COUNT is slow over a page; a count of two or more names them in the plural
        for m in _finditer_any_case(CAMERA_COUNT_LOWER, text):
            if _count(m) >= 2 and m.group("noun").lower().endswith("s") and \
                    SUPPLY.search(text, max(0, m.start() - 80), m.start()):
                end = re.compile(r"[.;]").search(text, m.end())
                same = list(CAMERA_COUNT.finditer(text, m.start(), end.start() if end else len(text)))
                return Fact(value=sum(_count(c) for c in same), text=text[m.start():same[-1].end()], page=number)
    return None


def _count(m: re.Match) -> int:
    return int(m.group("digits") or m.group("paren") or words_to_number(m.group("words")) or 0)


def _price_in_prose(pages) -> Fact | None:
    for number, text in pages:
        for m in MONEY.finditer(text):
            per = PER_CAMERA.match(text, m.end())
            annual = ANNUAL_BEFORE.search(text, max(0, m.start() - 50), m.start())
            if per and (per.group("year") or annual):
                start = annual.start() if annual and not per.group("year") else m.start()
                return Fact(value=usd(m), text=text[start:per.end()], page=number)
    return None


def _total(tables, pages) -> Fact | None:
    hit = _row_value(tables, TOTAL_VALUE.pattern, _money)
    if hit:
        page, row, cell, value = hit
        return Fact(value=value, text=f"{row[0]}: {cell}", page=page)
    for number, text in pages:
        if not _mentions(text, "total", "exceed"):
            continue   # TOTAL_VALUE, slow over a page, needs one of these words
        for m in TOTAL_VALUE.finditer(text):
            money = MONEY.search(text, m.end(), m.end() + 80)
            if money and not re.search(r"[.;]", text[m.end():money.start()]):
                return Fact(value=usd(money), text=text[m.start():money.end()], page=number)
    return None


def _attachments(document: Document) -> list[str]:
    found = []
    for page in document.pages:
        for line in page.text.splitlines():
            m = ATTACHMENT.match(line)
            if m:
                name = f"{m.group(1).capitalize()} {m.group(2)}"
                if name not in found:
                    found.append(name)
    return found


def _web_address(document: Document) -> str | None:
    """The address a browser prints in the header or footer of a saved web page."""
    if not document.pages:
        return None
    lines = [line.strip() for line in document.pages[0].text.splitlines() if line.strip()]
    for line in lines[:2] + lines[-2:]:
        url = URL.search(line)
        if url and PRINTED_ADDRESS.match(line[:url.start()] + line[url.end():]):
            return url.group(0)
    return None
